"""Pair scores as arrays: ``compare.combine``'s arithmetic over a chunk of pairs at once, equal bit for bit."""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz

from .compare import (
    CEILINGS,
    SCORERS,
    Comparison,
    Priors,
    rank_score,
)
from .profile import Profile
from .profilecolumns import field_of

#: The day of a profile without a publication date (real ordinals start at 1).
NO_DAY = 0
#: String scorers computed here from each article's lower-cased value (``compare.token_set``, ``token_sort``).
_FUZZ = {"token_set": fuzz.token_set_ratio, "token_sort": fuzz.token_sort_ratio}


@dataclass(frozen=True)
class ArticleColumns:
    """What array scoring reads of each article of a table (lists and arrays by row of its ``ids``), built once.

    ``days``: publication days as ordinals (``NO_DAY``: none); ``sizes``: per field, each article's
    number of values (0: the field is empty, so its scorers answer None); ``texts``: per string field
    a fuzzy scorer reads, the value lower-cased (None when blank); ``sums``: per field with a
    :data:`compare.CEILINGS` entry, the ``math.fsum`` of each article's weights; ``dates``: per date
    field, each article's :class:`DateKeys`.
    """

    days: np.ndarray
    sizes: dict[str, np.ndarray]
    texts: dict[str, list[str | None]]
    sums: dict[str, np.ndarray]
    dates: dict[str, DateColumn]
    rare: dict[str, RareColumn]


def article_columns(light: Mapping[str, Profile], ids: Sequence[str],
                    comparisons: Sequence[Comparison]) -> ArticleColumns:
    """The :class:`ArticleColumns` of ``ids`` for ``comparisons``, read field by field (see
    :func:`~dedupe.profilecolumns.field_of`: column-wise profiles are never all built at once)."""
    days = np.fromiter((day.toordinal() if day else NO_DAY for day in field_of(light, ids, "day")), dtype=np.int64,
                       count=len(ids))
    fields = {c.field for c in comparisons}
    sizes = {f: np.fromiter(map(len, field_of(light, ids, f)), dtype=np.int64, count=len(ids)) for f in fields}
    texts = {c.field: [v.lower() if v.strip() else None for v in field_of(light, ids, c.field)]
             for c in comparisons if c.scorer in _FUZZ}
    sums = {c.field: np.fromiter((math.fsum(v.values()) for v in field_of(light, ids, c.field)), dtype=np.float64,
                                 count=len(ids))
            for c in comparisons if c.scorer == "rare_overlap"}
    dates = {c.field: date_column(field_of(light, ids, c.field)) for c in comparisons if c.scorer == "date_overlap"}
    rare = {c.field: rare_column(field_of(light, ids, c.field)) for c in comparisons if c.scorer == "rare_overlap"}
    return ArticleColumns(days, sizes, texts, sums, dates, rare)


def served_by_columns(comparison: Comparison) -> bool:
    """Whether :func:`pair_column` and :func:`ceiling_column` compute the comparison from the
    :class:`ArticleColumns` alone (they read no profile for it)."""
    ceiling = comparison.scorer not in CEILINGS or comparison.scorer == "rare_overlap"  # rare: from the sums
    return ceiling and (comparison.scorer in _FUZZ or comparison.scorer in ("date_overlap", "rare_overlap"))


def _answered(columns: ArticleColumns, field: str, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The rows whose two articles both have a value of ``field`` (the others' scorers answer None)."""
    sizes = columns.sizes[field]
    return np.flatnonzero((sizes[left] > 0) & (sizes[right] > 0))


def pair_column(columns: ArticleColumns, light: Mapping[str, Profile], ids: Sequence[str], left: np.ndarray,
                right: np.ndarray, comparison: Comparison) -> np.ndarray:
    """One comparison's value for rows ``left[i], right[i]`` of ``ids`` (NaN where the scorer gives None):
    pair by pair in Python, but only where both sides have the field, from each article's prepared values."""
    field, scorer = comparison.field, comparison.scorer
    out = np.full(len(left), np.nan)
    if scorer in _FUZZ:
        texts, ratio = columns.texts[field], _FUZZ[scorer]
        known = [row for row, (a, b) in enumerate(zip(left.tolist(), right.tolist()))
                 if texts[a] is not None and texts[b] is not None]
        out[known] = [ratio(texts[a], texts[b]) / 100.0 for a, b in zip(left[known].tolist(), right[known].tolist())]
        return out
    rows = _answered(columns, field, left, right)
    pairs = zip(left[rows].tolist(), right[rows].tolist())
    if scorer == "date_overlap":
        out[rows] = date_overlaps(columns.dates[field], left[rows], right[rows])
        return out
    if scorer == "rare_overlap":
        out[rows] = rare_overlaps(columns.rare[field], left[rows], right[rows])
        return out
    score = SCORERS[scorer]
    values = [score(getattr(light[ids[a]], field), getattr(light[ids[b]], field)) for a, b in pairs]
    out[rows] = [np.nan if value is None else value for value in values]
    return out


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
    heads = np.unique(article * count + starts)
    expanded, owners = _expand(within_offsets, flat_within, starts)
    covered = np.unique(article[owners] * count + expanded)
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


def ceiling_column(columns: ArticleColumns, light: Mapping[str, Profile], ids: Sequence[str], left: np.ndarray,
                   right: np.ndarray, comparison: Comparison) -> np.ndarray | None:
    """``compare.ceiling_of`` for each row (None: 1 for every row), ``rare_ceiling`` from each side's sum."""
    if comparison.scorer not in CEILINGS:
        return None
    if comparison.scorer == "rare_overlap":
        sums = columns.sums[comparison.field]
        return np.minimum(np.minimum(1.0, sums[left]), sums[right])
    ceiling, field = CEILINGS[comparison.scorer], comparison.field
    return np.array([ceiling(getattr(light[ids[a]], field), getattr(light[ids[b]], field))
                     for a, b in zip(left.tolist(), right.tolist())], dtype=np.float64)


def by_value(values: np.ndarray, func: Callable[[int], float]) -> np.ndarray:
    """``func`` of every value, called once per distinct value (as a Python int): the same floats as calling it
    on each. Example: ``by_value(np.array([3, 1, 3]), math.log1p)`` is ``[log1p(3), log1p(1), log1p(3)]``."""
    distinct, inverse = np.unique(values, return_inverse=True)
    return np.array([func(value) for value in distinct.tolist()], dtype=np.float64)[inverse.reshape(-1)]


def combined_scores(values: Sequence[np.ndarray], ceilings: Sequence[np.ndarray | None],
                    comparisons: Sequence[Comparison], priors: Priors, gaps: np.ndarray, ranks: np.ndarray,
                    words: np.ndarray) -> np.ndarray:
    """``compare.combine(...).score`` of every row: each comparison's ``values`` (NaN: None) and ``ceilings``,
    the publication ``gaps`` in days (negative: unknown), neighbour ``ranks`` and word cosines (NaN: 0).

    Every sum and product is done in ``combine``'s order on float64, so each score is the same float; the
    logarithms come from ``math`` once per distinct gap and rank, and the sigmoid and rounding per row.
    """
    z, perfect = np.full(len(ranks), priors.bias), np.full(len(ranks), priors.bias)
    for comparison, value, ceiling in zip(comparisons, values, ceilings, strict=True):
        given = ~np.isnan(value)
        z = np.where(given, z + comparison.weight * (value - comparison.neutral), z)
        top = 1.0 if ceiling is None else ceiling
        perfect = np.where(given, perfect + comparison.weight * (top - comparison.neutral), perfect)
    known = gaps >= 0
    gap_logodds = np.zeros(len(gaps))
    gap_logodds[known] = by_value(gaps[known], lambda gap: -priors.gap_weight * math.log1p(gap))
    rank_logodds = by_value(ranks, lambda rank: priors.rank_weight * rank_score(rank)) * np.nan_to_num(words, nan=0.0)
    z = z + (gap_logodds + rank_logodds)
    perfect = perfect + priors.rank_weight
    ratio = np.minimum(1.0, sigmoids(z) / sigmoids(perfect))
    return np.array([round(value, 6) for value in ratio.tolist()], dtype=np.float64)


def sigmoids(z: np.ndarray) -> np.ndarray:
    """``compare.sigmoid`` of every value, the same floats: ``math.exp`` per value, the rest as it does it.

    Example: ``sigmoids(np.array([0.0, -1.0]))`` is ``[0.5, exp(-1) / (1 + exp(-1))]``.
    """
    e = np.fromiter(map(math.exp, (-np.abs(z)).tolist()), dtype=np.float64, count=len(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def pair_gaps(columns: ArticleColumns, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Days between the two articles' publication dates (-1 where either has none)."""
    days = columns.days
    gaps = np.abs(days[left] - days[right])
    gaps[(days[left] == NO_DAY) | (days[right] == NO_DAY)] = -1
    return gaps


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
