"""Lists of casualties: "two men and a woman were shot", "left a father and two children dead"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._counted import casualty
from ._people import (
    BARE_PERSON,
    COUNTED_PHRASE,
    PERSON_NOUNS,
    PERSON_PHRASE,
    PHRASE_START,
    is_name,
    phrase_count,
)
from ._stems import Stems
from ._text import sentence_span, word_set

_LIST = (
    rf"(?P<list>{PERSON_PHRASE}(?:\s*,\s*{PERSON_PHRASE})*\s*,?\s+(?:and|&)\s+(?:{PERSON_PHRASE}|{BARE_PERSON})"
    rf"|{COUNTED_PHRASE}(?:\s*,\s*{COUNTED_PHRASE})+)"
)
_ADVERBS = r"(?P<adverbs>(?:(?:fatally|mortally|critically|seriously|severely|badly|gravely|slightly)\s+)*)"
_PASSIVE_VERB = (
    r"(?P<verb>shot\s+(?:dead|and\s+killed|to\s+death|and\s+wounded|and\s+injured)"
    r"|(?:found|pronounced|declared|left|confirmed)\s+(?:dead|deceased)|(?:found\s+)?shot|killed|dead|died|slain"
    r"|murdered|injured|wounded|hurt|hospitali[sz]ed)\b"
)
# The list ends where its verb group starts: "..., both of Killeen, were ".
_BEFORE_VERB = re.compile(
    rf"{PHRASE_START}{_LIST}\s*,?\s*(?:(?:both|all)\s+(?:of\s+[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?\s*,\s*)?)?(?:who\s+)?"
    r"(?:(?:were|are|was|is|have|has|had|been|got|later|each|both|all|also|found|pronounced|declared|remain|remained"
    r"|fatally|mortally|critically|seriously|severely|badly|gravely|slightly)\s+)*$"
)
_VERB_AT = re.compile(rf"{_ADVERBS}{_PASSIVE_VERB}", re.IGNORECASE)  # title case: "3 Men, 1 Woman Injured"
# "left a mother and a grandmother dead", "killing a father and daughter".
_LEFT = re.compile(rf"(?:left|leaving|leaves|leave)\s+{_LIST}\s+(?P<verb>dead|wounded|injured|hurt)\b")
_ACTIVE = re.compile(
    r"(?P<verb>(?:shot|shooting)\s+and\s+(?:killed|killing|wounded|wounding|injured|injuring)"
    r"|fatally\s+(?:shot|shooting|wounded|wounding)|killing|killed|kills|kill|wounding|wounded|wounds|wound"
    r"|injuring|injured|injures|shot|shooting|shoots|(?:deaths?|murders?|killings?|slayings?)\s+of)"
    rf"\s+{_LIST}(?!\s+(?:were|are|was|is|have|had)\b)"
)
_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+")
# A list after these words is part of a count given before it: "killed, including a man and ...".
_PART_OF = re.compile(r"(?:including|among|such\s+as|of\s+whom|of\s+them)\s*$")
_TRIGGERS = ("death", "murder", "slaying", "fatal", "shot", "kill", "dead", "died", "wound", "injur",
             "hurt", "hospital", "slain", "left", "leav")
_REACH = 160
_LAST_MEMBER = 80
_AUX_WORDS = word_set(
    """were are was is have has had been got later each both all also found pronounced declared remain remained
    fatally mortally critically seriously severely badly gravely slightly who"""
)


# Slots, not frozen: ~3x cheaper to build (a frozen one sets each field by object.__setattr__); hashable as before.
@dataclass(slots=True, unsafe_hash=True)
class Group:
    """A list of casualties at ``start:end`` counting ``count`` people of one class."""

    start: int
    end: int
    kind: str
    count: int


def _total(text: str, start: int, end: int) -> int | None:
    """How many people the list at ``start:end`` names, or None when a member is no person.

    A first member that the others add up to is a total, the rest its parts: "six
    people, three men and three women" counts 6.
    """
    counts = []
    parts = [part for part in _SEPARATOR.split(text[start:end]) if part and not part.isdigit()]  # "Jo Reid, 42,"
    for before, part in zip(["", *parts], parts):
        count = phrase_count(part)
        if count is None or (is_name(before) and part.startswith(("a ", "an ", "the "))):
            return None  # no person, or an apposition: "Alex Ramirez, a neighbor and close friend"
        counts.append(count)
    if len(counts) > 2 and counts[0] == sum(counts[1:]):
        return counts[0]
    return sum(counts)


def _ends_with_member(near: str) -> bool:
    """A cheap test before the list search: the words before the verb group end with a
    person ("a woman"), an age ("Jo Reid, 42,"), a name or a place ("both of Killeen,")."""
    words = near.split()
    while words and words[-1].lower() in _AUX_WORDS:
        words.pop()
    last = words[-1].strip(",") if words else ""
    return bool(last) and (last.lower() in PERSON_NOUNS or last[0].isdigit() or last[0].isupper())


def _passive(text: str, at: int) -> Group | None:
    """The list before the casualty verb at ``at``: "two men and a woman were shot"."""
    verb = _VERB_AT.match(text, at)
    if verb is None:
        return None
    near = text[max(0, at - _LAST_MEMBER) : at]  # the last member and its separator are close to the verb
    if (" and " not in near and "&" not in near and "," not in near) or not _ends_with_member(near):
        return None
    low = max(at - _REACH, sentence_span(text, at)[0], 0)
    match = _BEFORE_VERB.search(text, low, at)
    if match is None:
        return None
    kind = casualty(verb.group("verb").lower(), verb.group("adverbs").lower())
    return _group(text, match.start("list"), match.end("list"), kind)


def _group(text: str, start: int, end: int, kind: str) -> Group | None:
    """The group, if its kind is a casualty, every member a person and it is no part of a count."""
    if not kind or _PART_OF.search(text, max(0, start - 20), start):
        return None
    total = _total(text, start, end)
    return Group(start, end, kind, total) if kind and total else None


def _active(text: str, at: int) -> Group | None:
    """The list after an active verb at ``at``: "killing a father and daughter", "left X and Y dead"."""
    for pattern in (_LEFT, _ACTIVE):
        match = pattern.match(text, at)
        if match is not None:
            verb = " ".join(match.group("verb").split())
            adverbs, _, verb = verb.rpartition(" ") if verb.startswith("fatally") else ("", "", verb)
            kind = "killed" if verb.endswith(" of") else casualty(_PARTICIPLE.get(verb.split()[-1], verb), adverbs)
            return _group(text, match.start("list"), match.end("list"), kind)
    return None


_PARTICIPLE = {"killing": "killed", "kill": "killed", "kills": "killed", "wounding": "wounded", "wound": "wounded",
               "wounds": "wounded", "injuring": "injured", "injures": "injured", "shooting": "shot", "shoots": "shot"}


def casualty_groups(text: str, stems: Stems | None = None) -> list[Group]:
    """The lists of casualties in ``text``, in text order, one per list.

    ``stems`` shares the casualty words' offsets with the other readers of ``text``.
    """
    if " and " not in text and "&" not in text and "," not in text:
        return []
    found: dict[int, Group] = {}
    for at in (stems or Stems(text)).each(_TRIGGERS):
        for group in (_active(text, at), _passive(text, at)):
            if group is not None and not any(g.start <= group.start < g.end for g in found.values()):
                found.setdefault(group.start, group)
    return sorted(found.values(), key=lambda group: group.start)
