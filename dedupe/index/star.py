"""One article against many candidates at once: neighbour ranks and combined scores equal to the batch's.

``check`` scores a new article with every candidate head: a star of pairs sharing one end. The batch
functions (:func:`dedupe.match.neighbour_ranks`, :func:`dedupe.compare.combine`) handle any pair set one
pair at a time, building a :class:`~dedupe.compare.PairScore` each; here the same numbers come from one pass
over the star, as arrays. The log-odds are added in ``combine``'s order with numpy's element-wise IEEE
arithmetic (the same float as Python's for ``+ - *`` and ``min``), and the logarithms and the logistic
function are Python's ``math`` (looked up per distinct gap, rank and perfect log-odds), so every score is
the float ``combine`` gives (property-tested against it).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache
from itertools import repeat

import numpy as np

from ..compare import Comparison, Priors, rank_score
from ..scorearrays import with_specific

_NEAR = 2e-9  # distinct cosines closer than this may round to one key (see star_ranks)
_CLOSENESS: dict[float, np.ndarray] = {}  # rank_weight -> rank_weight * rank_score(rank) at index rank
_GAPS: dict[float, np.ndarray] = {}  # gap_weight -> the log-odds of gaps -1 (0.0), 0, 1, ... at index gap + 1
_GAP_TABLE = 1 << 16  # gaps of this many days or more are not tabled (a year-0 date would make it huge)


def star_ranks(others: Sequence[str], words: np.ndarray) -> np.ndarray:
    """``neighbour_ranks`` of the pairs of one article with each of ``others`` (word cosines ``words``, NaN:
    None, in order): each other's place among the article's candidates, by word cosine rounded to 9 places
    (Python's ``round``, as the batch) then id; the other side has only the article, rank 1.

    With ``others`` in id order, a stable sort of the unrounded cosines (equal ones stay in id order)
    orders them as the rounded keys do, but within runs of neighbours less than ``_NEAR`` apart:
    ``round`` never reverses two values and merges two only when they are less than ``1e-9`` apart (each
    lies within ``0.5e-9`` of its rounded value, give or take the last bit), so two values ``_NEAR`` or
    more apart keep their order and stay apart. A run holding distinct values is sorted again by its
    rounded keys then id, as the batch sorts everything (ids out of order: everything is).
    Example: ``star_ranks(["b", "c"], np.array([0.2, 0.7]))`` is ``[2, 1]``.
    """
    values = _zeroed(words)
    if others != sorted(others):
        keys = [-round(word, 9) for word in values.tolist()]
        return _ranked(np.array(sorted(range(len(others)), key=lambda i: (keys[i], others[i])), dtype=np.int64))
    order = np.argsort(-values, kind="stable")
    ordered = values[order]
    steps = -np.diff(ordered)
    close = (steps > 0) & (steps < _NEAR)
    if not close.any():  # no run holds distinct values: the stable sort is the order
        return _ranked(order)
    runs = np.cumsum(np.concatenate(([0], steps >= _NEAR)))  # neighbours closer than _NEAR share a run
    for run in np.unique(runs[1:][close]).tolist():
        start, stop = np.searchsorted(runs, [run, run + 1])
        keys = [-round(word, 9) for word in ordered[start:stop].tolist()]
        inside = order[start:stop].tolist()  # in id order within equal keys (stable sort of ids in order)
        order[start:stop] = [i for _, i in sorted(zip(keys, inside))]
    return _ranked(order)


def _ranked(order: np.ndarray) -> np.ndarray:
    """Each item's rank (from 1) given the items in rank order."""
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[order] = np.arange(1, len(order) + 1)
    return ranks


def closeness(rank_weight: float, ranks: np.ndarray) -> np.ndarray:
    """``rank_weight * rank_score(rank)`` for each rank (from 1), each computed once with ``math``."""
    table = _CLOSENESS.get(rank_weight, np.zeros(1))
    top = int(ranks.max(initial=0))
    if top >= len(table):
        size = max(top + 1, 2 * len(table))
        table = _CLOSENESS[rank_weight] = np.array([0.0] + [rank_weight * rank_score(r) for r in range(1, size)])
    return table[ranks]


@cache
def _gap_logodds(gap_weight: float, gap: int) -> float:
    """``combine``'s log-odds of a publication gap of ``gap`` days."""
    return -gap_weight * math.log1p(gap)


def gap_logodds(gap_weight: float, gaps: np.ndarray) -> np.ndarray:
    """``combine``'s log-odds of each publication gap in days (-1: a side has no day, 0.0): looked up in a
    table of every gap up to the longest asked so far (each computed once with ``math``), or, for gaps of
    ``_GAP_TABLE`` days or more, one distinct gap at a time."""
    top = int(gaps.max(initial=-1))
    if top >= _GAP_TABLE:
        distinct, inverse = np.unique(gaps, return_inverse=True)
        values = np.array([0.0 if gap < 0 else _gap_logodds(gap_weight, gap) for gap in distinct.tolist()])
        return values[inverse]
    table = _GAPS.get(gap_weight, np.zeros(1))
    if top + 1 >= len(table):
        size = min(max(top + 2, 2 * len(table)), _GAP_TABLE + 1)
        table = _GAPS[gap_weight] = np.array([0.0] + [-gap_weight * math.log1p(gap) for gap in range(size - 1)])
    return table[gaps + 1]


def star_scores(comparisons: tuple[Comparison, ...], priors: Priors, values: Sequence[np.ndarray],
                ceilings: Sequence[np.ndarray], gaps: np.ndarray, ranks: np.ndarray, words: np.ndarray,
                specific: np.ndarray | None = None, documents: int = 0) -> list[float]:
    """``combine(a, b, comparisons, priors, [column[i] for column in values], ranks[i], words[i] or 0.0,
    specific[i], documents).score`` for each pair ``(a, b)`` of the article with its ``i``-th candidate,
    computed for all pairs together.

    ``values`` holds each comparison's values (NaN: None), ``ceilings`` each comparison's ``ceiling_of``
    the pair, ``gaps`` the publication gaps in days (-1: unknown), ``words`` the word cosines (NaN: None),
    ``specific`` the term-specificity overlaps (NaN: None; None: not computed).
    """
    count = len(ranks)
    z, z_perfect = np.full(count, priors.bias), np.full(count, priors.bias)
    for comparison, column, best in zip(comparisons, values, ceilings):
        answered = ~np.isnan(column)
        z = np.where(answered, z + comparison.weight * (column - comparison.neutral), z)  # NaN rows not taken
        z_perfect = np.where(answered, z_perfect + comparison.weight * (best - comparison.neutral), z_perfect)
    word = _zeroed(words)
    z = z + (gap_logodds(priors.gap_weight, gaps) + closeness(priors.rank_weight, ranks) * word)
    z_perfect = z_perfect + priors.rank_weight
    z, z_perfect = with_specific(z, z_perfect, priors, specific, documents, gaps)
    return list(map(round, np.minimum(1.0, logistic(z) / logistic(z_perfect)).tolist(), repeat(6)))


def _zeroed(values: np.ndarray) -> np.ndarray:
    """The values with NaN as 0.0 (``np.nan_to_num(values, nan=0.0)`` for finite values, in fewer calls)."""
    return np.where(np.isnan(values), 0.0, values)


def logistic(z: np.ndarray) -> np.ndarray:
    """``compare.sigmoid`` of each value, the same floats: ``math.exp`` of ``-|z|``, then the same IEEE
    operations element-wise (``1 / (1 + e)`` for ``z >= 0``, ``e / (1 + e)`` below)."""
    e = np.fromiter(map(math.exp, (-np.abs(z)).tolist()), dtype=np.float64, count=len(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
