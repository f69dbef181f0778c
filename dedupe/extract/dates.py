"""Date mentions: absolute, relative and ranged dates, resolved to ISO 8601 at the text's granularity."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from ..types import Mention
from ._calendar import (
    FUTURE_TENSE_WEIGHT,
    FUTURE_WEIGHT,
    PAST_TENSE_WEIGHT,
    iso,
    named_month,
    pick_year,
    published_day,
    unit_value,
    valid_day,
    weekday_day,
)
from ._datescan import Found, joins, scan
from ._events import event_word, is_past
from ._numwords import words_value
from ._text import evidence, sentence_span

__all__ = ["date_spans", "find_dates"]

# The look-ahead on the first letters lets the regex engine skip ahead to a candidate.
_FUTURE = re.compile(
    r"(?=[wsndeipau])\b(?:will|shall|next|due|scheduled|expected to|set to|plans? to|is to|are to|upcoming)\b"
    r"|['\u2019]ll\b",
    re.IGNORECASE,
)
#: A literal every match of ``_FUTURE`` holds, lower-cased: a sentence with none of them needs no search.
_FUTURE_CUES = ("will", "shall", "next", "due", "scheduled", "expected to", "set to", "plan", "is to", "are to",
                "upcoming", "'ll", "\u2019ll")
#: The letters ``re.IGNORECASE`` matches with an ASCII letter that ``str.lower`` does not turn into it
#: (dotted and dotless I, long S, the Kelvin sign): a sentence holding one is always searched.
_ODD_CASES = ("\u0130", "\u0131", "\u017f", "\u212a")
#: Words that make the date after them the start or end of a period ("a third shot beginning Sept. 20", "funded
#: through Dec. 3"): such a date is no past event's day, whatever the verb near it.
_SPAN_BEFORE = re.compile(r"\b(?:beginning|starting|effective|through|thru|until|till)\s+(?:on\s+)?$", re.IGNORECASE)
_DAY_WORDS = {"yesterday": -1, "last night": -1, "today": 0, "tonight": 0, "tomorrow": 1}
_UNIT = re.compile(r"(?:(?:earlier|later) )?(this|last|next) (week|weekend|month|year)")
_AGO = re.compile(r"(.+) (day|week|month|year)s? ago")
_STEP = {"last": -1, "this": 0, "next": 1}


def _relative(phrase: str, anchor: date) -> str | None:
    """The ISO value of a relative phrase ("last week", "two days ago") from ``anchor``."""
    if phrase in _DAY_WORDS:
        return unit_value(anchor, "day", _DAY_WORDS[phrase])
    if phrase.startswith("this ") and phrase.split()[1] in ("morning", "afternoon", "evening"):
        return anchor.isoformat()
    if phrase in ("over the weekend", "at the weekend"):
        return unit_value(anchor, "weekend", -1 if anchor.weekday() <= 2 else 0)
    unit = _UNIT.fullmatch(phrase)
    if unit:
        return unit_value(anchor, unit.group(2), _STEP[unit.group(1)])
    ago = _AGO.fullmatch(phrase)
    if ago:
        count = words_value(ago.group(1)) if not ago.group(1).isdigit() else int(ago.group(1))
        return unit_value(anchor, ago.group(2), -count) if count else None
    return None


def _absolute(found: Found, anchor: date | None, weight: int) -> str | None:
    """The ISO value of a date with a month, a year or both (the year chosen if absent)."""
    year, month, day = found.year, found.month, found.day
    if month is None:
        return iso(year) if year else None
    if year is None and anchor is not None:
        year = pick_year(month, day, anchor, weight=weight, weekday=found.weekday)
    for number in (day, found.day_end):
        if number is not None and not valid_day(year, month, number):
            return None
    if found.day_end is not None:
        return f"{iso(year, month, day)}/{iso(year, month, found.day_end)}"
    return iso(year, month, day)


def _needs_anchor(found: Found) -> bool:
    """True for expressions that only a publication date resolves ("yesterday", "last May")."""
    return found.kind in ("rel", "weekday") or (found.kind in ("month", "monthrel") and bool(found.rel))


def _resolve(found: Found, anchor: date | None, weight: int) -> str | None:
    """The ISO value of one expression, or None when it cannot be resolved.

    ``weight`` is what a day after publication costs (see ``pick_year``).
    """
    if _needs_anchor(found):
        if anchor is None:
            return None
        if found.kind == "rel":
            return _relative(found.rel, anchor)
        if found.kind == "weekday":
            future = weight == FUTURE_TENSE_WEIGHT
            mode = found.rel if found.rel in ("last", "next") else ("future" if future else "past")
            return weekday_day(anchor, found.weekday or 0, mode).isoformat()
        if found.rel.endswith(" year"):
            return iso(anchor.year + _STEP[found.rel.split()[0]], found.month)
        return named_month(anchor, found.month or 1, found.rel)
    return _absolute(found, anchor, weight)


def _share_year(first: Found, second: Found) -> tuple[Found, Found]:
    """The two ends of a range, the year written on one end given to the other."""
    if first.year is None and second.year is not None and first.month:
        back = 1 if second.month and first.month > second.month else 0
        first = replace(first, year=second.year - back)
    elif second.year is None and first.year is not None and second.month:
        ahead = 1 if first.month and second.month < first.month else 0
        second = replace(second, year=first.year + ahead)
    return first, second


def _groups(text: str) -> list[tuple[Found, Found | None]]:
    """The expressions of ``text``, each alone or paired with the end of its range."""
    found = scan(text)
    groups: list[tuple[Found, Found | None]] = []
    index = 0
    while index < len(found):
        if index + 1 < len(found) and joins(text, found[index], found[index + 1]):
            groups.append(_share_year(found[index], found[index + 1]))
            index += 2
        else:
            groups.append((found[index], None))
            index += 1
    return groups


def _future_tense(sentence: str) -> bool:
    """True when ``sentence`` speaks of the future ("will", "next", "due", "'ll"...): ``_FUTURE.search``,
    asked only of the sentences that hold one of its words (found first with ``in``; most hold none)."""
    lower = sentence.lower()
    if not any(cue in lower for cue in _FUTURE_CUES) and not any(odd in sentence for odd in _ODD_CASES):
        return False
    return _FUTURE.search(sentence) is not None


def _bounds_a_span(text: str, start: int) -> bool:
    """True when the date starting at ``text[start]`` starts or ends a period: "beginning Sept. 20", "through
    Dec. 3", "until early May"."""
    return _SPAN_BEFORE.search(text, max(0, start - 16), start) is not None


def _weight(sentence: str, about: str, text: str, start: int) -> int:
    """What a day after publication costs for a date in ``sentence`` dating ``about``, the date starting at
    ``text[start]`` (-1 for a written range): a past-tense event pulls it back unless the date bounds a period
    (see ``_bounds_a_span``, asked only then)."""
    if _future_tense(sentence):
        return FUTURE_TENSE_WEIGHT
    if is_past(about) and (start < 0 or not _bounds_a_span(text, start)):
        return PAST_TENSE_WEIGHT
    return FUTURE_WEIGHT


def _weighed(found: Found) -> bool:
    """True when resolving ``found`` may read the weight of a day after publication: a
    weekday, or a month written without a year (see ``pick_year``)."""
    return found.kind == "weekday" or (found.month is not None and found.year is None)


def _value(first: Found, last: Found | None, anchor: date | None, weight: int) -> str | None:
    """The ISO value of an expression or a range; None if an end cannot be resolved."""
    head = _resolve(first, anchor, weight)
    if last is None or head is None:
        return head
    if last.year is None and first.year is None and last.month and head[:1].isdigit():
        ahead = 1 if first.month and last.month < first.month else 0
        last = replace(last, year=int(head[:4]) + ahead)
    if last.kind == "weekday" and len(head) == 10 and head[:1].isdigit():
        start = date.fromisoformat(head)  # "Monday to Friday": the Friday after that Monday
        tail: str | None = weekday_day(start, last.weekday or 0, "future").isoformat()
    else:
        tail = _resolve(last, anchor, weight)
    return None if tail is None else f"{head.split('/')[0]}/{tail.split('/')[-1]}"


def find_dates(text: str, published: str | None) -> list[Mention]:
    """The date mentions of ``text`` in text order, resolved against ``published``.

    ``published`` is an ISO date or datetime, or None. Each mention has ``kind="date"``,
    the surface ``text`` and its ``start``, the ``sentence``, the event it dates in
    ``about`` ("suspended") and a ``qualifier`` ("early", "late", "mid") when written.
    ``value`` is ISO 8601 at the granularity written:

    * day ``2020-11-05``, month ``2018-10``, year ``2018``; ISO week ``2020-W46`` for
      "last week", "this week", "two weeks ago";
    * a range is an ISO interval of two such values, ``2024-04-03/2024-04-04`` ("3rd and
      4th April", "between A and B", "from A to B", "Monday to Friday", "last weekend");
    * without ``published`` a yearless date keeps no year: ``--11-05``, ``--05`` (ISO
      8601 month-day and month); relative expressions ("yesterday", "on Thursday",
      "last December") are then skipped.

    A yearless date takes the year that puts it nearest the publication day, a day
    ahead costing four days back, one if the sentence speaks of the future ("will",
    "next", "due") and thirty if the date's event is a past tense ("suspended") and
    the date bounds no period ("funded through Dec. 3", "beginning Sept. 20"): "5
    November" in an article of 21 November 2020 is 2020-11-05, "the trial will begin on
    3 January" in one of 28 December is 2021-01-03. A bare weekday is the last one on
    or before publication (the next one on or after it in future-tense sentences).

    >>> [m.value for m in find_dates("He was suspended in October 2018.", None)]
    ['2018-10']
    """
    anchor = published_day(published)
    mentions: list[Mention] = []
    for first, last in _groups(text):
        if anchor is None and _needs_anchor(first):
            continue
        end = (last or first).end
        sent_start, sent_end = sentence_span(text, first.start)
        sentence = text[sent_start:sent_end]
        about = event_word(sentence, first.start - sent_start, end - sent_start)
        weighed = anchor is not None and (_weighed(first) or (last is not None and _weighed(last)))
        weight = _weight(sentence, about, text, first.start if last is None else -1) if weighed else FUTURE_WEIGHT
        value = _value(first, last, anchor, weight)
        if value is None:
            continue
        mentions.append(
            Mention(
                kind="date",
                value=value,
                text=text[first.start : end],
                sentence=evidence(text, (sent_start, sent_end)),
                about=about,
                qualifier=first.qualifier,
                start=first.start,
            )
        )
    return mentions


def date_spans(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` of every date expression in ``text``, resolvable or not.

    For other extractors: a number inside one of these spans is part of a date.
    """
    return [(first.start, (last or first).end) for first, last in _groups(text)]
