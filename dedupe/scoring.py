"""Batch pair scoring: ``compare.score_pair`` for many pairs, with the field values computed in bulk."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from .compare import (
    SCORERS,
    Comparison,
    PairScore,
    Priors,
    combine,
    cosine,
    date_keys,
    keyed_date_overlap,
)
from .profile import Profile
from .vectors import pair_cosines, weight_matrix

Pair = tuple[str, str]


def pair_cosines_of(profiles: Mapping[str, Profile], pairs: Sequence[Pair], field: str = "terms") -> list[float | None]:
    """``compare.cosine`` of ``field`` for every pair, in order, computed on a sparse matrix (or one by one
    when there are fewer pairs than articles, as when one article meets its candidates).

    Example: ``pair_cosines_of(profiles, [("001", "002")])`` is ``[0.42]``.
    """
    if not pairs:
        return []
    ids = sorted({article_id for pair in pairs for article_id in pair})
    if len(pairs) < len(ids):  # about one pair per article (one against many): building the matrix costs more
        return [cosine(getattr(profiles[a], field), getattr(profiles[b], field)) for a, b in pairs]
    index = {article_id: row for row, article_id in enumerate(ids)}
    matrix = weight_matrix([getattr(profiles[article_id], field) for article_id in ids])
    left = np.fromiter((index[a] for a, _ in pairs), dtype=np.int64, count=len(pairs))
    right = np.fromiter((index[b] for _, b in pairs), dtype=np.int64, count=len(pairs))
    return [None if math.isnan(value) else value for value in pair_cosines(matrix, left, right).tolist()]


def field_values(profiles: Mapping[str, Profile], pairs: Sequence[Pair], comparison: Comparison,
                 known: dict[str, list[float | None]] | None = None) -> list[float | None]:
    """One comparison's value for every pair, in order: cosines on a sparse matrix, date sets
    prepared once per article, other scorers pair by pair. ``known`` caches cosines by field."""
    field, scorer = comparison.field, comparison.scorer
    if scorer == "cosine" and pairs and isinstance(getattr(profiles[pairs[0][0]], field), Mapping):
        known = {} if known is None else known
        if field not in known:
            known[field] = pair_cosines_of(profiles, pairs, field)
        return known[field]
    if scorer == "date_overlap":
        keys = {pid: date_keys(getattr(profiles[pid], field)) for pid in {i for pair in pairs for i in pair}}
        return [keyed_date_overlap(keys[a], keys[b]) for a, b in pairs]
    score = SCORERS[scorer]
    return [score(getattr(profiles[a], field), getattr(profiles[b], field)) for a, b in pairs]


def score_pairs(profiles: Mapping[str, Profile], ranks: Mapping[Pair, int], comparisons: tuple[Comparison, ...],
                priors: Priors, words: Mapping[Pair, float | None] | None = None) -> list[PairScore]:
    """``score_pair`` of every ranked pair, sorted by pair: the same PairScores, computed in bulk.

    ``words`` may give each pair's word (``terms``) cosine when the caller already has it.
    """
    pairs = sorted(ranks)
    known: dict[str, list[float | None]] = {}
    if words is not None:
        known["terms"] = [words[pair] for pair in pairs]
    columns = [field_values(profiles, pairs, comparison, known) for comparison in comparisons]
    if "terms" not in known:
        known["terms"] = pair_cosines_of(profiles, pairs, "terms")
    return [
        combine(profiles[a], profiles[b], comparisons, priors, values, ranks[(a, b)], word or 0.0)
        for (a, b), word, *values in zip(pairs, known["terms"], *columns)
    ]
