"""The noun phrase after a number, as written, the words that end it, and the record of what a number counts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._events import IRREGULAR
from ._text import word_set

TOKEN = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*|\S")
#: The function words that end a noun phrase.
STOP = word_set(
    """a an the of in on at to for from with by and or but as than that which who whom whose were was
    is are be been being have has had will would could should may might can must do did does not no
    this these those their his her its our your my they them he she it we you there here when where
    while after before since during per each about around over under into onto out up down off
    so such very also just only then all both either because if though although like including
    plus via among against between through across behind near inside outside within without toward
    towards upon what how why said says remain remains remained according"""
)
#: The casualty words: one ends a noun phrase ("three people dead").
KILLED = word_set("dead deaths death fatalities killed slain bodies died murdered deceased")
INJURED = word_set("injured wounded injuries hurt hospitalized hospitalised")
_CASUALTY_WORDS = KILLED | INJURED
#: The nouns that count people.
PEOPLE = word_set(
    """people persons person men man women woman children child kids kid boys boy girls girl teens teen
    teenagers teenager adults adult students student officers officer victims victim others residents
    civilians soldiers troops police passengers bystanders members suspects suspect employees workers
    patrons customers worshippers fans protesters individuals juveniles juvenile youths youth infants
    infant toddlers toddler babies baby brothers sisters sons daughters friends relatives deputies
    agents guards gunmen gunman shooters hostages inmates prisoners pedestrians motorists drivers"""
)
#: A group a count is part of: "five of them", "one of the family dogs".
OF_GROUP = re.compile(
    r"\s+of\s+(?:them|whom|which|those|these|us|the\s+(?:[a-z]+\s+){0,2}?(?P<noun>[a-z]+s))\b"
)


# Slots, not frozen: ~3x cheaper to build (a frozen one sets each field by object.__setattr__); hashable as before.
@dataclass(slots=True, unsafe_hash=True)
class Counted:
    """What a number counts (``about``) and whose it is (``subject``, for ages)."""

    about: str
    subject: str = ""


def run(text: str, end: int) -> tuple[list[str], int]:
    """The words of the noun phrase after ``end`` ("vulnerable women"), as written, and its end.

    The phrase stops at a function word, an adverb, a past tense, punctuation or a blank line (a headline's
    "Boy, 7" above the story's first line); a casualty word ends it ("three people dead").
    """
    words: list[str] = []
    stop = end
    for match in TOKEN.finditer(text, end, end + 80):
        if text.count("\n", stop, match.start()) > 1:
            break
        word = match.group()
        lower = word.lower()
        adverb = lower.endswith("ly") and word[0].islower()
        if not word[0].isalpha() or lower in STOP or lower in IRREGULAR or adverb:
            break
        casualty_word = lower in _CASUALTY_WORDS
        if words and lower.endswith("ed") and not casualty_word:
            break
        words.append(word)
        stop = match.end()
        if len(words) == 4 or casualty_word:
            break
    if words and words[-1].endswith("ed") and words[-1].lower() not in _CASUALTY_WORDS:
        words.pop()  # "the other two sustained ...": a verb, not a noun
    return words, stop
