"""Set-valued fields of every article as sorted code arrays (dates, rare counts, people), overlapped in bulk."""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .signatures import sorted_unique


@dataclass(frozen=True)
class DateColumn:
    """One date field of every article, for ``compare.date_overlap`` over many pairs without Python per pair.

    Each value's start (the part before ``/``) is numbered among the distinct starts of all articles;
    ``starts`` holds them article by article (``offsets[i]:offsets[i + 1]`` for article ``i``, a start
    repeated when two values share it, as ``DateKeys.starts`` does); ``within[s]`` the numbers of the starts
    that are prefixes of start ``s`` (itself included, ``within_offsets`` as ``offsets``). ``heads`` and
    ``covered`` are sorted codes ``article * count + start``: each article's starts, and every start that
    is a prefix of one of them. By ``DateKeys``' rule, a value ``x`` of one article agrees with another
    article ``b`` when ``b`` covers ``x``'s start, or one of ``within[x]`` is among ``b``'s heads.
    """

    offsets: np.ndarray
    starts: np.ndarray
    within_offsets: np.ndarray
    within: np.ndarray
    count: int
    heads: np.ndarray
    covered: np.ndarray


def date_column(sets: Iterable[frozenset[str]]) -> DateColumn:
    """The :class:`DateColumn` of each article's date set, the sets read once, one at a time (a run's are made
    on read: it never holds them all). Example: ``date_column([frozenset({"2018-10"})])``."""
    flat, sizes = _flattened([value.split("/")[0] for value in dates] for dates in sets)
    number = {start: index for index, start in enumerate(sorted(set(flat)))}
    within = [[number[start[:n]] for n in range(len(start) + 1) if start[:n] in number] for start in number]
    offsets = np.r_[0, np.cumsum(sizes)].astype(np.int64)
    starts = np.fromiter(map(number.__getitem__, flat), dtype=np.int64, count=len(flat))
    del flat
    within_offsets = np.r_[0, np.cumsum([len(w) for w in within])].astype(np.int64)
    flat_within = np.array([n for w in within for n in w], dtype=np.int64)
    article = np.repeat(np.arange(len(sizes), dtype=np.int64), np.diff(offsets))
    count = max(1, len(number))
    heads = sorted_unique(article * count + starts)
    expanded, owners = _expand(within_offsets, flat_within, starts)
    covered = sorted_unique(article[owners] * count + expanded)
    return DateColumn(offsets, starts, within_offsets, flat_within, count, heads, covered)


def _expand(offsets: np.ndarray, values: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The values of each of ``rows`` (slices ``offsets[r]:offsets[r + 1]`` of ``values``), concatenated,
    and for each the index into ``rows`` it came from."""
    sizes = offsets[rows + 1] - offsets[rows]
    owner = np.repeat(np.arange(len(rows), dtype=np.int64), sizes)
    firsts = np.cumsum(sizes) - sizes
    return values[offsets[rows][owner] + np.arange(len(owner), dtype=np.int64) - firsts[owner]], owner


def _member(codes: np.ndarray, sorted_codes: np.ndarray) -> np.ndarray:
    """Whether each code is in the sorted array."""
    at = np.minimum(np.searchsorted(sorted_codes, codes), max(0, len(sorted_codes) - 1))
    return sorted_codes[at] == codes if len(sorted_codes) else np.zeros(len(codes), dtype=bool)


def _agreeing(column: DateColumn, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """For each pair, how many of ``left``'s values some value of ``right`` agrees with (``compare._agreeing``)."""
    values, pair = _expand(column.offsets, column.starts, left)
    other = right[pair] * column.count
    agree = _member(other + values, column.covered)
    prefixes, entry = _expand(column.within_offsets, column.within, values)
    agree |= np.bincount(entry, weights=_member(other[entry] + prefixes, column.heads), minlength=len(values)) > 0
    return np.bincount(pair, weights=agree, minlength=len(left))


def date_overlaps(column: DateColumn, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """``compare.date_overlap`` of the two articles' dates for each pair whose articles both have dates."""
    sizes = np.diff(column.offsets)
    return np.maximum(_agreeing(column, left, right) / sizes[left], _agreeing(column, right, left) / sizes[right])


@dataclass(frozen=True)
class RareColumn:
    """One weights field of every article (``compare.rare_overlap``'s rarities) as sorted codes
    ``article * count + key`` (keys numbered among all articles' keys) with each code's weight."""

    codes: np.ndarray
    weights: np.ndarray
    count: int


def rare_column(rows: Iterable[Mapping[str, float]]) -> RareColumn:
    """The :class:`RareColumn` of each article's weights, the rows read once, one at a time (as
    :func:`date_column`). Example: ``rare_column([{"killed:2": 0.9}])``."""
    weights = array("d")
    keys, sizes = _flattened(weights.extend(row.values()) or list(row) for row in rows)
    number = {key: index for index, key in enumerate(sorted(set(keys)))}
    count = max(1, len(number))
    article = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
    codes = article * count + np.fromiter(map(number.__getitem__, keys), dtype=np.int64, count=len(keys))
    del keys, article
    order = np.argsort(codes, kind="stable")
    values = np.frombuffer(weights, dtype=np.float64) if len(weights) else np.zeros(0, dtype=np.float64)
    return RareColumn(codes[order], values[order], count)


def _flattened(runs: Iterable[list[str]]) -> tuple[list[str], np.ndarray]:
    """The strings of every run in one list, equal strings as one object, and the number of each run
    (consumed one run at a time)."""
    shared: dict[str, str] = {}
    flat: list[str] = []
    sizes = array("q")
    for run in runs:
        flat.extend([shared.setdefault(text, text) for text in run])
        sizes.append(len(run))
    return flat, np.frombuffer(sizes, dtype=np.int64) if len(sizes) else np.zeros(0, dtype=np.int64)


def rare_overlaps(column: RareColumn, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """``compare.rare_overlap`` for each pair whose articles both have weights: the smaller weight of each
    key both hold, summed by ``math.fsum`` (exact, so in any order; only pairs sharing 2+ keys need it)."""
    starts = np.searchsorted(column.codes, left * column.count)
    ends = np.searchsorted(column.codes, (left + 1) * column.count)
    offsets = np.r_[0, np.cumsum(ends - starts)]
    entries = np.arange(offsets[-1], dtype=np.int64)
    pair = np.repeat(np.arange(len(left), dtype=np.int64), ends - starts)
    mine = starts[pair] + entries - offsets[pair]
    wanted = right[pair] * column.count + column.codes[mine] % column.count
    at = np.minimum(np.searchsorted(column.codes, wanted), max(0, len(column.codes) - 1))
    shared = np.flatnonzero(column.codes[at] == wanted) if len(column.codes) else entries[:0]
    smaller = np.minimum(column.weights[mine[shared]], column.weights[at[shared]])
    counts = np.bincount(pair[shared], minlength=len(left))
    firsts = np.cumsum(counts) - counts  # ``shared`` runs in pair order: each pair's keys are consecutive
    totals = np.zeros(len(left))
    single = np.flatnonzero(counts == 1)
    totals[single] = smaller[firsts[single]]
    for row, first, count in zip(*(np.flatnonzero(counts > 1), firsts[counts > 1], counts[counts > 1])):
        totals[row] = math.fsum(smaller[first : first + count].tolist())
    return np.minimum(1.0, totals)


@dataclass(frozen=True)
class PeopleColumn:
    """One people field of every article, for ``compare.lead_named`` over many pairs without Python per pair.

    Each surname is numbered among the distinct surnames of all articles; ``leads`` holds each article's lead
    (-1: none), ``keys`` the sorted codes ``article * count + surname`` of every article's people.
    """

    leads: np.ndarray
    keys: np.ndarray
    count: int


def people_column(rows: Iterable[Sequence[str]]) -> PeopleColumn:
    """The :class:`PeopleColumn` of each article's people (lead first), the rows read once, one at a time (as
    :func:`date_column`). Example: ``people_column([("jackson", "turner"), ()])``."""
    flat, sizes = _flattened(list(row) for row in rows)
    number = {name: index for index, name in enumerate(sorted(set(flat)))}
    count = max(1, len(number))
    codes = np.fromiter(map(number.__getitem__, flat), dtype=np.int64, count=len(flat))
    del flat
    leads, named = np.full(len(sizes), -1, dtype=np.int64), sizes > 0
    leads[named] = codes[(np.cumsum(sizes) - sizes)[named]]
    article = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
    return PeopleColumn(leads, np.sort(article * count + codes), count)


def lead_nameds(column: PeopleColumn, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """``compare.lead_named`` of rows ``left[i]``, ``right[i]`` (NaN where it gives None): each lead looked up
    among the other article's people in the sorted keys."""
    left, right = left.astype(np.int64), right.astype(np.int64)
    mine, theirs = column.leads[left], column.leads[right]
    answered = (mine >= 0) & (theirs >= 0)
    named = _among(column.keys, right * column.count + mine) & _among(column.keys, left * column.count + theirs)
    return np.where(answered, named.astype(np.float64), np.nan)


def _among(keys: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Which of ``wanted`` are in the sorted ``keys``."""
    if not len(keys):
        return np.zeros(len(wanted), dtype=bool)
    at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    return keys[at] == wanted
