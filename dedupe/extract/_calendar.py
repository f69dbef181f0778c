"""Calendar arithmetic for date mentions: ISO forms, year choice and relative days."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta

MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip
_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAYS: dict[str, int] = {name: number for number, name in enumerate(_WEEKDAY_NAMES)}

#: A day after publication costs this many days before it when choosing a year, so
#: "5 November" in an article of 21 November is the 5th just gone, but "25 November"
#: (four days ahead) still beats the one eleven months back. Sentences in the future
#: tense weigh days ahead as 1, sentences whose event is a past tense as 30.
FUTURE_WEIGHT = 4
FUTURE_TENSE_WEIGHT = 1
PAST_TENSE_WEIGHT = 30


def published_day(published: str | None) -> date | None:
    """The day of an ISO 8601 date or datetime string; None when absent or malformed.

    >>> published_day("2020-11-21T09:00:00Z")
    datetime.date(2020, 11, 21)
    """
    if not published:
        return None
    try:
        return date.fromisoformat(published.strip()[:10])
    except ValueError:
        return None


def iso(year: int | None, month: int | None = None, day: int | None = None) -> str:
    """An ISO 8601 date at the granularity given; ``--MM-DD`` / ``--MM`` without a year.

    >>> iso(2018, 10), iso(None, 11, 5), iso(2020, 11, 5)
    ('2018-10', '--11-05', '2020-11-05')
    """
    head = "-" if year is None else f"{year:04d}"
    if month is None:
        return head
    if day is None:
        return f"{head}-{month:02d}"
    return f"{head}-{month:02d}-{day:02d}"


def iso_week(day: date) -> str:
    """The ISO week holding ``day``, as ``YYYY-Www``.

    >>> iso_week(date(2020, 11, 12))
    '2020-W46'
    """
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def valid_day(year: int | None, month: int, day: int) -> bool:
    """True when the day exists in that month (any leap year when the year is unknown)."""
    return 1 <= day <= monthrange(2000 if year is None else year, month)[1]


def _cost(first: date, last: date, anchor: date, weight: int) -> int:
    """Days between the span ``first..last`` and ``anchor``, days ahead times ``weight``."""
    if last < anchor:
        return (anchor - last).days
    if first > anchor:
        return (first - anchor).days * weight
    return 0


def pick_year(
    month: int, day: int | None, anchor: date, *, weight: int = FUTURE_WEIGHT, weekday: int | None = None
) -> int | None:
    """The year that puts a yearless date nearest ``anchor`` (the publication day).

    Candidates are the anchor's year and the years either side; days after the anchor
    count ``weight`` times (see ``FUTURE_WEIGHT``). A stated ``weekday`` picks the
    year where the date falls on it, if any.
    """
    best: tuple[int, int] | None = None
    years = [
        y for y in (anchor.year - 1, anchor.year, anchor.year + 1) if day is None or valid_day(y, month, day)
    ]
    if weekday is not None and day is not None:
        years = [y for y in years if date(y, month, day).weekday() == weekday] or years
    for year in years:
        first = date(year, month, day or 1)
        last = date(year, month, day or monthrange(year, month)[1])
        cost = _cost(first, last, anchor, weight)
        if best is None or cost < best[0]:
            best = (cost, year)
    return best[1] if best else None


def shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    """The ``(year, month)`` ``delta`` months from the one given."""
    index = year * 12 + month - 1 + delta
    return index // 12, index % 12 + 1


def weekday_day(anchor: date, weekday: int, mode: str) -> date:
    """The day named ``weekday`` near ``anchor``.

    ``mode`` is ``past`` (0-6 days back: "on Thursday" in past-tense copy), ``future``
    (0-6 ahead), ``last`` (1-7 back) or ``next`` (1-7 ahead).
    """
    back = (anchor.weekday() - weekday) % 7
    ahead = (weekday - anchor.weekday()) % 7
    if mode == "past":
        return anchor - timedelta(days=back)
    if mode == "last":
        return anchor - timedelta(days=back or 7)
    if mode == "next":
        return anchor + timedelta(days=ahead or 7)
    return anchor + timedelta(days=ahead)


def weekend(anchor: date, weeks: int) -> str:
    """The Saturday-Sunday weekend ``weeks`` ISO weeks from ``anchor``'s week, as a range."""
    saturday = anchor + timedelta(days=5 - anchor.weekday() + 7 * weeks)
    return f"{saturday.isoformat()}/{(saturday + timedelta(days=1)).isoformat()}"


def unit_value(anchor: date, unit: str, delta: int) -> str:
    """The day, week, month or year ``delta`` units from ``anchor``, in ISO form.

    >>> unit_value(date(2020, 11, 21), "week", -1), unit_value(date(2020, 1, 5), "month", -1)
    ('2020-W46', '2019-12')
    """
    if unit == "day":
        return (anchor + timedelta(days=delta)).isoformat()
    if unit == "week":
        return iso_week(anchor + timedelta(days=7 * delta))
    if unit == "month":
        return iso(*shift_month(anchor.year, anchor.month, delta))
    if unit == "weekend":
        return weekend(anchor, delta)
    return iso(anchor.year + delta)


def named_month(anchor: date, month: int, mode: str) -> str:
    """A month named relative to ``anchor``: ``last`` December, ``next`` May, ``this`` June.

    ``last`` is the latest such month before the anchor's month, ``next`` the first
    after it, ``this`` the one in the anchor's year.
    """
    year = anchor.year
    if mode == "last" and month >= anchor.month:
        year -= 1
    elif mode == "next" and month <= anchor.month:
        year += 1
    return iso(year, month)
