"""What stated dates and numbers mean to each other (intervals, hedged ranges) and which report came first."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .storytypes import Evidence
from .types import Mention

#: Verdicts of comparing two stated values.
SAME, AGREE, SOFT, HARD, UNKNOWN = "same", "agree", "soft", "hard", "unknown"

_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_YEARLESS = re.compile(r"^--(\d{2})(?:-(\d{2}))?$")

_AT_LEAST = frozenset({"at least", "more than", "over", "upwards of", "in excess of", "no fewer than",
                       "no less than", "just over", "a minimum of"})
_AT_MOST = frozenset({"up to", "under", "fewer than", "less than", "at most", "no more than", "as many as",
                      "just under", "a maximum of"})
_NEARLY = frozenset({"nearly", "almost", "close to"})

@dataclass(frozen=True, slots=True)
class Claim:
    """One mention as one article of a story states it: the unit facts and conflicts are built from.

    ``group`` is the id of the independent report the article belongs to (the head
    of its copy group); ``published`` is the article's publication date or datetime.
    """

    article_id: str
    group: str
    outlet: str
    published: str | None
    mention: Mention

    def evidence(self) -> Evidence:
        """The claim as a fact's or conflict's source."""
        m = self.mention
        return Evidence(self.article_id, self.outlet, self.published, m.value, m.text, m.sentence,
                        m.about, m.subject, m.qualifier)


def _claim_init() -> Callable[..., None]:
    """``Claim.__init__``, the dataclass's signature, each field set through its slot's own setter (as
    ``types.Mention.__init__`` is): a frozen dataclass's generated ``__init__`` calls ``object.__setattr__`` for each
    field, about twice the time, and a story's merge makes one claim for each mention of each member (~50 a lone
    article). Equality, hashing and the refusal to assign after construction stay the dataclass's
    (``tests/test_slot_inits.py`` holds them to a twin made by ``dataclasses`` alone)."""
    set_article_id, set_group, set_outlet, set_published, set_mention = (
        getattr(Claim, name).__set__ for name in CLAIM_FIELDS
    )

    def __init__(self: Claim, article_id: str, group: str, outlet: str, published: str | None,
                 mention: Mention) -> None:
        set_article_id(self, article_id)
        set_group(self, group)
        set_outlet(self, outlet)
        set_published(self, published)
        set_mention(self, mention)

    __init__.__qualname__ = "Claim.__init__"
    return __init__


#: The fields of :class:`Claim` in order, as its ``__init__`` takes them.
CLAIM_FIELDS = ("article_id", "group", "outlet", "published", "mention")
Claim.__init__ = _claim_init()  # type: ignore[method-assign]


def date_interval(value: str) -> tuple[date, date] | None:
    """The first and last day a full date value covers; None for yearless or unreadable values.

    >>> date_interval("2018-10")
    (datetime.date(2018, 10, 1), datetime.date(2018, 10, 31))
    """
    try:
        if "/" in value:
            first, last = (date_interval(part) for part in value.split("/", 1))
            return (first[0], last[1]) if first and last and first[0] <= last[1] else None
        if match := _DAY.match(value):
            day = date(*map(int, match.groups()))
            return day, day
        if match := _MONTH.match(value):
            year, month = map(int, match.groups())
            following = date(year + month // 12, month % 12 + 1, 1)
            return date(year, month, 1), following - timedelta(days=1)
        if match := _YEAR.match(value):
            year = int(match.group(1))
            return date(year, 1, 1), date(year, 12, 31)
        if match := _WEEK.match(value):
            monday = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
            return monday, monday + timedelta(days=6)
    except ValueError:
        return None
    return None


def _yearless(value: str) -> tuple[int, int | None] | None:
    """``(month, day)`` of a yearless value (``--11-05``, ``--11``), else None."""
    match = _YEARLESS.match(value)
    if not match:
        return None
    return int(match.group(1)), int(match.group(2)) if match.group(2) else None


def _yearless_fits(month_day: tuple[int, int | None], span: tuple[date, date]) -> bool:
    """True when some day of ``span`` has the month (and day) of a yearless value."""
    first, last = span
    if (last - first).days > 366:
        return True
    day = first
    while day <= last:
        if day.month == month_day[0] and month_day[1] in (None, day.day):
            return True
        day += timedelta(days=1)
    return False


def compare_dates(a: str, b: str) -> str:
    """SAME, AGREE (they overlap at the granularity both give), SOFT (adjacent days), HARD or UNKNOWN.

    ``2018`` and ``2018-10`` agree; ``2018-10`` and ``2018-11`` are HARD; ``2020-11-05``
    and ``2020-11-06`` are SOFT (a time zone or an overnight event may explain them).
    """
    if a == b:
        return SAME
    span_a, span_b = date_interval(a), date_interval(b)
    if span_a and span_b:
        if span_a[0] <= span_b[1] and span_b[0] <= span_a[1]:
            return AGREE
        gap = max((span_b[0] - span_a[1]).days, (span_a[0] - span_b[1]).days)
        single_days = span_a[0] == span_a[1] and span_b[0] == span_b[1]
        return SOFT if single_days and gap == 1 else HARD
    yearless_a, yearless_b = _yearless(a), _yearless(b)
    if yearless_a and yearless_b:
        if yearless_a[0] != yearless_b[0]:
            return HARD
        return AGREE if None in (yearless_a[1], yearless_b[1]) or yearless_a[1] == yearless_b[1] else HARD
    if yearless_a and span_b:
        return AGREE if _yearless_fits(yearless_a, span_b) else HARD
    if yearless_b and span_a:
        return AGREE if _yearless_fits(yearless_b, span_a) else HARD
    return UNKNOWN


def number_range(value: str, qualifier: str = "") -> tuple[float, float] | None:
    """The values a hedged number allows: "at least 22" is [22, inf), "about 30" is [24, 36]."""
    try:
        number = float(value)
    except ValueError:
        return None
    hedge = qualifier.lower().strip()
    if not hedge:
        return number, number
    if hedge in _AT_LEAST:
        return number, float("inf")
    if hedge in _AT_MOST:
        return float("-inf"), number
    slack = max(1.0, abs(number) * 0.2)
    if hedge in _NEARLY:
        return number - slack, number
    return number - slack, number + slack


def compare_numbers(a: str, qualifier_a: str, b: str, qualifier_b: str) -> str:
    """SAME (one figure, whatever the hedges), AGREE (a hedge admits the other figure), HARD or UNKNOWN.

    The rule: a hedge says how exact a figure is, not another figure. "50", "about 50", "at least 50" and
    "more than 50" state the same figure and never disagree (a plain round figure is often rounded too).
    Two different figures disagree when no value fits both: "at least 50" vs "30" is HARD, "at least 50" vs
    "60" AGREE, "about 30" ([24, 36]) vs "42" HARD, 30 vs 42 HARD.
    """
    range_a, range_b = number_range(a, qualifier_a), number_range(b, qualifier_b)
    if range_a is None or range_b is None:
        return UNKNOWN
    if float(a) == float(b):
        return SAME
    if not qualifier_a.strip() and not qualifier_b.strip():
        return HARD
    return AGREE if range_a[0] <= range_b[1] and range_b[0] <= range_a[1] else HARD


def when(published: str | None) -> datetime | date | None:
    """A publication date or datetime as given, or None when unknown or unreadable."""
    if not published:
        return None
    try:
        if len(published) <= 10:
            return date.fromisoformat(published)
        zulu = published.endswith("Z")  # Python 3.10 reads no "Z" suffix
        return datetime.fromisoformat(published[:-1] + "+00:00" if zulu else published)
    except ValueError:
        return None


def report_order(
    first: Sequence[Claim], second: Sequence[Claim]
) -> tuple[Sequence[Claim], Sequence[Claim], int] | None:
    """(earlier, later, days apart) when one report was first published strictly before the other."""
    a = min(filter(None, (when(c.published) for c in first)), key=sortable, default=None)
    b = min(filter(None, (when(c.published) for c in second)), key=sortable, default=None)
    if a is None or b is None:
        return None
    if isinstance(a, datetime) and isinstance(b, datetime) and (a.tzinfo is None) == (b.tzinfo is None):
        if a == b:
            return None
        earlier, later = (first, second) if a < b else (second, first)
        return earlier, later, abs(b - a).days
    day_a, day_b = day_of(a), day_of(b)
    if day_a == day_b:
        return None
    earlier, later = (first, second) if day_a < day_b else (second, first)
    return earlier, later, abs((day_b - day_a).days)


def day_of(moment: datetime | date) -> date:
    """The calendar day of a date or datetime."""
    return moment.date() if isinstance(moment, datetime) else moment


def sortable(moment: datetime | date) -> tuple[date, str]:
    """A key ordering dates and datetimes together (by day, then by the full text)."""
    return day_of(moment), moment.isoformat()
