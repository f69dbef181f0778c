"""Date expressions found by regular expression, before any resolution."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ._calendar import MONTHS, WEEKDAYS
from ._numwords import NUMBER_WORDS
from ._text import starts_clause, word_before, word_set

# A month or weekday name ends where its word ends: "Mayor", "Augusta", "Juneau" and "Sundays" (a habit, not a day)
# are no dates.
_MONTH = (
    r"(?:(?:January|February|March|April|May|June|July|August|September|October|November|December)(?![a-z])"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)(?:\.|(?![a-z])))"
)
_DAY = r"(?<![\d.,$])(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\w:]|\.\d)"
_YEAR = r"(?<![\w$£€.,])(?:1[89]\d\d|20\d\d)(?!\w|,\d|\.\d)"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?![a-z])"
_TO = r"\s*(?:and|&|to|-|\u2013|until|through)\s*"
_REL_WORD = r"(?:last|this|next|Last|This|Next)"

# The date patterns by kind, tried in this order (the first that matches names the kind).
_KINDS = {
    "drange": rf"{_DAY}{_TO}{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?",
    "mdrange": rf"{_MONTH}\s+{_DAY}{_TO}{_DAY}(?:,?\s+{_YEAR})?",
    "dmy": rf"(?:{_WEEKDAY},?\s+(?:the\s+)?)?{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?",
    "mdy": rf"(?:{_WEEKDAY},?\s+)?{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?",
    "my": rf"{_MONTH},?\s+{_YEAR}",
    "monthrel": rf"{_MONTH}\s+(?:last|this|next)\s+year",
    "rel": r"(?i:\b(?:yesterday|today|tonight|tomorrow|last\s+night"
    r"|this\s+(?:morning|afternoon|evening)|(?:over|at)\s+the\s+weekend"
    r"|(?:(?:earlier|later)\s+this|last|this|next)\s+(?:week(?:end)?|month|year))\b)",
    "weekday": rf"(?:{_REL_WORD}\s+)?{_WEEKDAY}",
    "month": rf"(?:{_REL_WORD}\s+)?{_MONTH}",
    "year": _YEAR,
}
_SCAN = re.compile("|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _KINDS.items()))
# The kinds that may start with a digit, in the same order: at a digit, the engine then enters no
# alternative that cannot match there (each opens a named group, so it cannot turn one down at once).
_DIGIT_SCAN = re.compile("|".join(f"(?P<{kind}>{_KINDS[kind]})" for kind in ("drange", "dmy", "year")))
# Where a date can start: the first digit of a run of digits (a date never starts after
# a digit: ``_at`` turns those down) and capitalised month, weekday and relative words,
# found by a pattern whose every alternative starts with a literal (the regex engine then
# skips ahead quickly), and lower-case relative words found with ``str.find``.
_UPPER_TRIGGER = re.compile(
    r"(?:0[0-9]*|1[0-9]*|2[0-9]*|3[0-9]*|4[0-9]*|5[0-9]*|6[0-9]*|7[0-9]*|8[0-9]*|9[0-9]*"
    r"|J(?:an|u[nl])|F(?:eb|ri)|M(?:a[ry]|on)|A(?:pr|ug|t\b)|S(?:ep|at|un)"
    r"|O(?:ct|ver\b)|N(?:ov|ext\b)|Dec|T(?:ue|hu|o(?:day|night|morrow)|his\b)|Wed|Yesterday"
    r"|L(?:ast|ater)\b|Earlier)"
)
_LOWER_TRIGGERS = (
    "yesterday", "today", "tonight", "tomorrow", "last ", "this ", "next ", "earlier ",
    "later ", "over the weekend", "at the weekend",
)  # fmt: skip
_AGO = re.compile(rf"(?:{NUMBER_WORDS}|\b\d{{1,3}}|\b[Aa]n?)\s+(?:day|week|month|year)s?\s+$")
_PARTS = re.compile(
    rf"(?:(?P<weekday>{_WEEKDAY}),?\s+(?:the\s+)?)?(?P<rel>{_REL_WORD}\s+)?"
    rf"(?:(?P<day1>\d+)\w*(?:{_TO}(?P<day2>\d+)\w*)?\s+(?:of\s+)?)?"
    rf"(?P<month>{_MONTH})?\s*(?:(?P<day3>\d{{1,2}})(?!\d)\w*(?:{_TO}(?P<day4>\d+)\w*)?)?,?\s*(?P<year>\d{{4}})?"
    rf"(?:\s+(?P<rel_year>last|this|next)\s+year)?"
)
_QUALIFIER = re.compile(r"(?i:\b(early|late|mid|(?:the\s+)?(?:end|start|beginning|middle)\s+of))[\s-]*$")
_QUALIFIER_NAMES = {"end": "late", "start": "early", "beginning": "early", "middle": "mid"}
_RANGE_START = frozenset(("between", "from"))
_ENDS = frozenset(("dmy", "mdy", "my", "month", "year", "weekday"))  # kinds that join without "from"
_TO_ONLY = re.compile(_TO)
# Words after which a bare month name or a bare year is a date.
_CONTEXT = word_set(
    """in since by until till from during before after through throughout between early late mid
    and to"""
)
_YEAR_CONTEXT = _CONTEXT | word_set("of year season spring summer autumn fall winter class")
# Plural words after which "in 2000" counts things, not a year.
_FUNCTION_WORDS_IN_S = word_set(
    """as was is has this its his us thus plus across less unless whereas always perhaps towards"""
)
_PLURALS = word_set("people men women children police staff troops")
_NEXT_WORD = re.compile(r"\s+([a-z]+)")


# Slots, not frozen: ~3x cheaper to build (a frozen one sets each field by object.__setattr__); hashable as before.
@dataclass(slots=True, unsafe_hash=True)
class Found:
    """One date expression as written: where it is and its parts.

    ``kind`` names the pattern (``dmy``, ``rel``, ``year`` ...); ``rel`` holds the
    relative word (``last``, ``next``, ``this``) or the whole relative phrase.
    """

    kind: str
    start: int
    end: int
    year: int | None = None
    month: int | None = None
    day: int | None = None
    day_end: int | None = None
    weekday: int | None = None
    rel: str = ""
    qualifier: str = ""


def _month_number(name: str | None) -> int | None:
    """The number of a month name or abbreviation."""
    return MONTHS.get(name.rstrip(".").lower()) if name else None


def _parse(kind: str, text: str, start: int, end: int) -> Found | None:
    """The parts of a matched expression (None if the parts pattern disagrees with the scan)."""
    if kind == "rel":
        return Found(kind, start, end, rel=" ".join(text.lower().split()))
    if kind == "weekday":
        *rel, name = text.lower().split()
        return Found(kind, start, end, weekday=WEEKDAYS[name], rel=rel[0] if rel else "")
    parts = _PARTS.fullmatch(text)
    if parts is None:
        return None
    first = parts["day1"] or parts["day3"]
    last = parts["day2"] or parts["day4"]
    weekday = parts["weekday"]
    rel = (parts["rel"] or "").strip().lower() or (f"{parts['rel_year']} year" if parts["rel_year"] else "")
    return Found(
        kind,
        start,
        end,
        year=int(parts["year"]) if parts["year"] else None,
        month=_month_number(parts["month"]),
        day=int(first) if first else None,
        day_end=int(last) if last else None,
        weekday=WEEKDAYS.get(weekday.lower()) if weekday else None,
        rel=rel,
    )


def _plural_after(text: str, end: int) -> bool:
    """True when a plural word follows a number ("in 2000 cases"): then it is no year."""
    match = _NEXT_WORD.match(text, end)
    if not match:
        return False
    word = match.group(1)
    if word in _PLURALS:
        return True
    return word.endswith("s") and word not in _FUNCTION_WORDS_IN_S


def _needs_context(found: Found, text: str, previous: Found | None) -> bool:
    """True when a bare month or year lacks the words that make it a date."""
    if found.kind not in ("month", "year") or found.rel or found.qualifier:
        return False
    before = word_before(text, found.start)
    if before in ("and", "to", "until", "through") or text[found.start - 1 : found.start] in ("-", "\u2013"):
        return previous is None or not _TO_ONLY.fullmatch(text, previous.end, found.start)
    if found.kind == "month":
        follows = text[found.end : found.end + 2]
        return before not in _CONTEXT or follows in ("'s", "\u2019s")
    return before not in _YEAR_CONTEXT or _plural_after(text, found.end)


def _with_qualifier(found: Found, text: str) -> Found:
    """``found`` widened to take in a qualifier before it ("early 2023", "the end of May")."""
    if found.kind not in ("month", "my", "year", "weekday"):
        return found
    match = _QUALIFIER.search(text, max(0, found.start - 24), found.start)
    if not match:
        return found
    word = match.group(1).lower().split()[-2 if " of" in match.group(1).lower() else 0]
    qualifier = _QUALIFIER_NAMES.get(word, word)
    return replace(found, start=match.start(), qualifier=qualifier)


def _ago(text: str, start: int, end: int) -> Found | None:
    """The "two days ago" expression ending with the "ago" at ``start:end``, if any."""
    match = _AGO.search(text, max(0, start - 48), start)
    if match is None:
        return None
    return Found("rel", match.start(), end, rel=" ".join(text[match.start() : end].lower().split()))


def _triggers(text: str) -> list[tuple[int, bool]]:
    """Offsets where a date expression may start, in order, each with "is an 'ago'"."""
    found = [(m.start(), False) for m in _UPPER_TRIGGER.finditer(text)]
    for word in _LOWER_TRIGGERS:
        at = text.find(word)
        while at != -1:
            found.append((at, False))
            at = text.find(word, at + 1)
    at = text.find(" ago")
    while at != -1:
        found.append((at + 1, True))
        at = text.find(" ago", at + 1)
    found.sort()
    return found


def _at(text: str, offset: int, ago: bool) -> Found | None:
    """The expression starting at ``offset``, or for an "ago" there, ending with it."""
    if offset and text[offset - 1].isalnum():
        return None
    if ago:
        return None if text[offset + 3 : offset + 4].isalnum() else _ago(text, offset, offset + 3)
    match = (_DIGIT_SCAN if text[offset] in "0123456789" else _SCAN).match(text, offset)
    if match is None:
        return None
    if match.lastgroup == "rel" and text[offset].isupper() and not starts_clause(text, offset):
        return None  # "Today in LA", "This Week": a name
    found = _parse(match.lastgroup or "", match.group(), match.start(), match.end())
    return None if found is None else _with_qualifier(found, text)


def scan(text: str) -> list[Found]:
    """Every date expression in ``text``, in order, ranges not yet joined."""
    found: list[Found] = []
    for offset, ago in _triggers(text):
        if found and offset < found[-1].end:
            continue
        item = _at(text, offset, ago)
        if item is None or (found and item.start < found[-1].end):
            continue
        if not _needs_context(item, text, found[-1] if found else None):
            found.append(item)
    return found


def joins(text: str, first: Found, second: Found) -> bool:
    """True when ``first`` and ``second`` form one range.

    "between A and B" and "from A to B" always do; "A to B", "A-B", "A until B" do when
    both ends are dates rather than relative phrases; "A and B" alone does not.
    """
    gap = _TO_ONLY.fullmatch(text, first.end, second.start)
    if gap is None:
        return False
    if word_before(text, first.start) in _RANGE_START:
        return True
    return gap.group().strip() not in ("and", "&") and first.kind in _ENDS and second.kind in _ENDS
