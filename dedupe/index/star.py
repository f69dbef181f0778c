"""One article against many candidates at once: neighbour ranks and combined scores equal to the batch's.

``check`` scores a new article with every candidate head: a star of pairs sharing one end. The batch
functions (:func:`dedupe.match.neighbour_ranks`, :func:`dedupe.compare.combine`) handle any pair set one
pair at a time, building a :class:`~dedupe.compare.PairScore` each; here the same numbers come from one pass
over the star. The log-odds are added in ``combine``'s order with numpy's element-wise IEEE arithmetic
(the same float as Python's for ``+ - *``), and the logarithms and the logistic function are Python's
``math``, so every score is the float ``combine`` gives (property-tested against it).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache

import numpy as np

from ..compare import CEILINGS, Comparison, Priors, ceiling_of, rank_score, sigmoid
from ..profile import Profile


def star_ranks(others: Sequence[str], words: Sequence[float | None]) -> list[int]:
    """``neighbour_ranks`` of the pairs of one article with each of ``others`` (word cosines ``words``, in
    order): each other's place among the article's candidates, by word cosine then id (the other side has
    only the article, rank 1). Example: ``star_ranks(["b", "c"], [0.2, 0.7])`` is ``[2, 1]``."""
    order = sorted(zip((-round(word or 0.0, 9) for word in words), others))
    place = {other: rank for rank, (_, other) in enumerate(order, start=1)}
    return [place[other] for other in others]


def _column(values: Sequence[float | None]) -> tuple[np.ndarray, np.ndarray]:
    """A comparison's values as floats (0 where None) and where they are not None."""
    answered = np.fromiter((value is not None for value in values), dtype=bool, count=len(values))
    return np.fromiter((value or 0.0 for value in values), dtype=np.float64, count=len(values)), answered


def _ceilings(comparison: Comparison, me: Profile, others: Sequence[Profile], answered: np.ndarray) -> np.ndarray:
    """The comparison's best value for each pair (:func:`compare.ceiling_of`, the pair in id order), where answered."""
    out = np.ones(len(others))
    if comparison.scorer not in CEILINGS:
        return out
    for place in np.flatnonzero(answered).tolist():
        out[place] = ceiling_of(comparison, *sorted((me, others[place]), key=lambda p: p.article_id))
    return out


@cache
def _gap_logodds(gap_weight: float, gap: int) -> float:
    """``combine``'s log-odds of a publication gap of ``gap`` days."""
    return -gap_weight * math.log1p(gap)


def star_scores(me: Profile, others: Sequence[Profile], comparisons: tuple[Comparison, ...], priors: Priors,
                values: Sequence[Sequence[float | None]], ranks: Sequence[int], words: Sequence[float | None]) -> list[float]:
    """``combine(a, b, comparisons, priors, [column[i] for column in values], ranks[i], words[i] or 0.0).score``
    for each pair ``(a, b)`` of ``me`` and ``others[i]`` in id order, computed for all pairs together."""
    count = len(others)
    z, z_perfect = np.full(count, priors.bias), np.full(count, priors.bias)
    for comparison, column in zip(comparisons, values):
        value, answered = _column(column)
        z = np.where(answered, z + comparison.weight * (value - comparison.neutral), z)
        best = _ceilings(comparison, me, others, answered)
        z_perfect = np.where(answered, z_perfect + comparison.weight * (best - comparison.neutral), z_perfect)
    gaps = np.fromiter((_gap_logodds(priors.gap_weight, abs((me.day - o.day).days)) if me.day and o.day else 0.0
                        for o in others), dtype=np.float64, count=count)
    closeness = np.fromiter((priors.rank_weight * rank_score(rank) for rank in ranks), dtype=np.float64, count=count)
    word, _ = _column(words)
    z = z + (gaps + closeness * word)
    z_perfect = z_perfect + priors.rank_weight
    return [round(min(1.0, sigmoid(a) / sigmoid(b)), 6) for a, b in zip(z.tolist(), z_perfect.tolist())]
