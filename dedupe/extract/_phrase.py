"""What a number counts: the noun phrase after it, as written, the words that end it, and the money it is."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._events import IRREGULAR
from ._numscan import Number
from ._numwords import CURRENCY_SIGNS, SCALE_FACTORS
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
#: A designation inside a noun phrase, read past to the noun it names: an abbreviation ("Four U.S. Marines", "two
#: U.N. peacekeepers") or a model ("six AK - 47 rifles", "14 AK-47 rifles", "two F-16 jets", "2 M4 carbines").
_DESIGNATION = re.compile(r"(?:[A-Z]\.){2,}|[A-Z]{1,4}(?:\s*-\s*|)[0-9]+[A-Za-z]?\b")
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
    past = -1  # the end of a designation read past
    for match in TOKEN.finditer(text, end, end + 80):
        if match.start() < past:
            continue
        if text.count("\n", stop, match.start()) > 1:
            break
        word = match.group()
        designation = _DESIGNATION.match(text, match.start()) if word[0].isupper() else None
        if designation is not None:
            past = stop = designation.end()
            continue
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


# What a figure is in money: its currency, from a sign before it or a word after it, or pounds that weigh.
_MONEY_WORD = re.compile(r"\s+(dollars|pounds|euros|yen)\b")
_CURRENCIES = {**CURRENCY_SIGNS, "dollars": "USD", "pounds": "GBP", "euros": "EUR", "yen": "JPY"}
_MONEY_SCALES = frozenset(SCALE_FACTORS)
#: Words right before a figure that make "pounds" after it money whatever else the sentence weighs.
_PRICED = word_set("paid pay pays paying worth cost costs costing priced price fined fine spent spend raised won for")
#: What tells "pounds" written after a bare number as a weight, not money: a weight or height near before it
#: ("weighing 200 pounds", "5'10\" tall, 180 pounds", "5 - foot - 8, 135 pounds", "7 lb"), or a substance after it
#: ("300 pounds of marijuana"). Money in pounds reads so with none of these ("worth 20,000 pounds").
_WEIGHT_BEFORE = re.compile(
    r"\b(?:weigh(?:s|ed|ing|t)?|tall|feet|foot|inch(?:es)?|lbs?|ounces?|heav(?:y|ier))\b|[0-9]['\u2019\u201d\"]",
    re.IGNORECASE,
)
_WEIGHT_AFTER = re.compile(r"\s+of\s+[a-z]")


def money(text: str, number: Number) -> str:
    """The ISO 4217 code of the money ``number`` is ("$5", "US$5", "5 dollars", "£3m"), ``pounds`` when "pounds"
    after it weigh something (:func:`_weight`), else ""."""
    word = _MONEY_WORD.match(text, number.end)
    if word is not None and word.group(1) == "pounds" and _weight(text, number, word.end()):
        return "pounds"
    if number.currency or word is not None:
        return _CURRENCIES[number.currency or word.group(1)]
    return ""


def _weight(text: str, number: Number, end: int) -> bool:
    """True when "pounds" after ``number`` weighs something: a weight or height is told in the 60 characters
    before it, or a substance follows ("of"); never with a currency sign, a scale word ("5 million pounds") or a
    price's word right before it ("paid 50 pounds", "worth 20,000 pounds")."""
    if number.currency or number.scale or number.before in _PRICED:
        return False
    return (_WEIGHT_BEFORE.search(text, max(0, number.start - 60), number.start) is not None
            or _WEIGHT_AFTER.match(text, end) is not None)
