"""The days a cluster's reports were published on and tell of, and what a gap between two clusters' days costs
their link in average linkage."""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = ["GroupDays", "day_ordinal", "head_days", "joined", "joined_all", "least_gap", "own_days", "text_days",
           "timed_link"]


@dataclass(frozen=True, slots=True)
class GroupDays:
    """What average linkage reads of a group's time: ``published``, whether one of its articles has a
    publication day; ``days``, the ordinals (``date.toordinal``) of its articles' publication days and of the
    whole days its heads' texts give, sorted, each once.

    Example: a report published 2020-11-21 that tells of 5 November 2020 is
    ``GroupDays(True, (737749, 737765))``; an undated one telling of the same day ``GroupDays(False, (737749,))``.
    """

    published: bool
    days: tuple[int, ...]


#: A group that says nothing of time.
NO_DAYS = GroupDays(False, ())


def day_ordinal(value: str | None) -> int | None:
    """The ordinal of an ISO day (``2020-11-05``; a datetime or an interval by its first ten characters),
    None for anything coarser (``2020-11``, ``2020``, ``2020-W46``), yearless (``--11-05``) or invalid."""
    if not value or len(value) < 10 or value[4] != "-" or value[7] != "-" or not value[:4].isdigit():
        return None
    try:
        return dt.date.fromisoformat(value[:10]).toordinal()
    except ValueError:
        return None


def text_days(dates: Iterable[str]) -> tuple[int, ...]:
    """The whole days among a profile's ``dates`` (ISO values), as sorted ordinals: a range counts by its first
    day, a month, week or year not at all (it would put a report near every day of it)."""
    return tuple(sorted({day for day in map(day_ordinal, dates) if day is not None}))


def own_days(day: int | None, told: tuple[int, ...]) -> GroupDays:
    """The :class:`GroupDays` of one report: its publication day's ordinal (None or 0: none) and its
    :func:`text_days`."""
    if not day:
        return GroupDays(False, told) if told else NO_DAYS
    return GroupDays(True, tuple(sorted({day, *told})) if told else (day,))


def head_days(published: Iterable[tuple[str, str | None]], told: Mapping[str, tuple[int, ...]]) -> dict[str, GroupDays]:
    """Each head's :func:`own_days`, for the heads with a day: ``published`` gives each head's id and publication
    day (ISO, or None), ``told`` each head's :func:`text_days` (absent: none). A copy's own publication day is
    not a head's: the index keeps heads' days alone, and ``dedupe check`` reads a story's days as this does.

    Example: ``head_days([("a", "2020-11-21"), ("b", None)], {"a": (737749,)})`` is
    ``{"a": GroupDays(True, (737749, 737765))}``.
    """
    found: dict[str, GroupDays] = {}
    ordinals: dict[str | None, int | None] = {}  # few distinct days: each parsed once
    for head, day in published:
        ordinal = ordinals[day] if day in ordinals else ordinals.setdefault(day, day_ordinal(day))
        days = own_days(ordinal, told.get(head, ()))
        if days.days:
            found[head] = days
    return found


def joined(a: GroupDays, b: GroupDays) -> GroupDays:
    """The days of two groups merged."""
    if not b.days or a.days == b.days:
        return GroupDays(a.published or b.published, a.days)
    if not a.days:
        return GroupDays(a.published or b.published, b.days)
    return GroupDays(a.published or b.published, tuple(sorted(set(a.days).union(b.days))))


def joined_all(groups: Iterable[GroupDays]) -> GroupDays:
    """The days of several groups merged (:func:`joined` in turn; the same whatever the order)."""
    found = NO_DAYS
    for days in groups:
        found = joined(found, days)
    return found


def least_gap(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    """The fewest days between a day of ``a`` and a day of ``b`` (both sorted, neither empty)."""
    if len(a) > len(b):
        a, b = b, a
    if not set(a).isdisjoint(b):  # the common case, a story's reports meeting on a day, found in C
        return 0
    best = abs(a[0] - b[0])
    for day in a:
        at = bisect.bisect_left(b, day)
        if at < len(b):
            best = min(best, b[at] - day)
        if at:
            best = min(best, day - b[at - 1])
        if not best:
            return 0
    return best


def timed_link(value: float, a: GroupDays, b: GroupDays, weight: float) -> float:
    """The link ``value`` of two groups less ``weight * log(1 + gap)`` log-odds, ``gap`` the :func:`least_gap` of
    their days, when both have a publication day; otherwise, with no gap, or a value of 0 or 1, ``value`` itself.

    A follow-up names the day of what it follows, so two clusters that tell of one event meet on some day even
    when published weeks apart; two look-alike stories published apart share no day. The days a text gives
    only ever narrow the gap: an undated group is never held apart by them (its reports' days may be a trial's,
    a birth's or an anniversary's, not the story's). Rounded to 9 places, as :class:`~dedupe.linkmerge.LinkRule`
    rounds values.

    Example: ``timed_link(0.8, GroupDays(True, (10,)), GroupDays(True, (13, 40)), 0.66)`` is the sigmoid of
    ``log(4) - 0.66 * log(4)``, 0.6245...
    """
    if not weight or not (a.published and b.published) or not 0 < value < 1:
        return value
    gap = least_gap(a.days, b.days)
    if not gap:
        return value
    z = math.log(value / (1 - value)) - weight * math.log1p(gap)
    return round(1 / (1 + math.exp(-z)), 9)
