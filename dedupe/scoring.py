"""Batch pair scoring: ``compare.score_pair`` for many pairs, with the field values computed in bulk."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np

from .compare import (
    SCORERS,
    Comparison,
    DateKeys,
    PairScore,
    Priors,
    combine,
    cosine,
    date_keys,
    keyed_date_overlap,
)
from .engine import Engine, forks, spans_of
from .pairtable import PairTable, table_of
from .profile import Profile, ProfileTable, light_profiles
from .vectors import WeightMatrix, pair_cosines, weight_matrix

Pair = tuple[str, str]

#: Pairs per task when an engine combines them: few tasks, each worth a process round trip.
PAIR_CHUNK = 20_000


def pair_cosines_of(profiles: Mapping[str, Profile], pairs: Sequence[Pair], field: str = "terms") -> list[float | None]:
    """``compare.cosine`` of ``field`` for every pair, in order, computed on a sparse matrix (or one by one
    when there are fewer pairs than articles and no corpus matrix, as when one article meets its candidates).

    Example: ``pair_cosines_of(profiles, [("001", "002")])`` is ``[0.42]``.
    """
    if not pairs:
        return []
    ids = sorted({article_id for pair in pairs for article_id in pair})
    if len(pairs) < len(ids) and not isinstance(profiles, ProfileTable):  # building the matrix costs more
        return [cosine(getattr(profiles[a], field), getattr(profiles[b], field)) for a, b in pairs]
    index = {article_id: row for row, article_id in enumerate(ids)}
    matrix, rows = matrix_rows(profiles, ids, field)
    left = np.fromiter((index[a] for a, _ in pairs), dtype=np.int64, count=len(pairs))
    right = np.fromiter((index[b] for _, b in pairs), dtype=np.int64, count=len(pairs))
    return [None if math.isnan(value) else value for value in pair_cosines(matrix, left, right, rows).tolist()]


def matrix_rows(profiles: Mapping[str, Profile], ids: Sequence[str], field: str) -> tuple[WeightMatrix, np.ndarray]:
    """A matrix holding the ``field`` weights of ``ids``, and the row of each: a :class:`ProfileTable`'s own
    matrix (nothing copied), else one built from the profiles' dicts."""
    corpus = profiles.corpus(field) if isinstance(profiles, ProfileTable) else None
    if corpus is not None:
        return corpus.matrix, np.fromiter((getattr(profiles.light[i], field).index for i in ids), dtype=np.int64,
                                          count=len(ids))
    return weight_matrix([getattr(profiles[i], field) for i in ids]), np.arange(len(ids))


def field_values(profiles: Mapping[str, Profile], pairs: Sequence[Pair], comparison: Comparison,
                 known: dict[str, list[float | None]] | None = None) -> list[float | None]:
    """One comparison's value for every pair, in order: cosines on a sparse matrix, date sets
    prepared once per article, other scorers pair by pair. ``known`` caches cosines by field."""
    field, scorer = comparison.field, comparison.scorer
    light = light_profiles(profiles)
    if scorer == "cosine" and pairs and isinstance(getattr(light[pairs[0][0]], field), Mapping):
        known = {} if known is None else known
        if field not in known:
            known[field] = pair_cosines_of(profiles, pairs, field)
        return known[field]
    if scorer == "date_overlap":
        keys = {pid: date_keys(getattr(light[pid], field)) for pid in {i for pair in pairs for i in pair}}
        return [keyed_date_overlap(keys[a], keys[b]) for a, b in pairs]
    score = SCORERS[scorer]
    return [score(getattr(light[a], field), getattr(light[b], field)) for a, b in pairs]


@dataclass(frozen=True)
class _Batch:
    """What combining pair row ``i`` reads: the pairs (a table), their ranks, word cosines and comparison values.

    ``columns`` holds the cosine comparisons' values (NaN: none), computed for all pairs on one sparse
    matrix; the others (``None``) are computed chunk by chunk, date overlaps from ``dates``, each
    article's :class:`DateKeys` per field, prepared once. Forked workers inherit the batch; it is never
    pickled.
    """

    profiles: Mapping[str, Profile]
    table: PairTable
    ranks: np.ndarray
    words: np.ndarray
    columns: list[np.ndarray | None]
    comparisons: tuple[Comparison, ...]
    priors: Priors
    dates: dict[str, dict[str, DateKeys]]


def table_cosines(profiles: Mapping[str, Profile], table: PairTable, field: str = "terms") -> np.ndarray:
    """``compare.cosine`` of ``field`` for every row of ``table`` (NaN where it is None), on one sparse matrix."""
    if not len(table):
        return np.zeros(0, dtype=np.float64)
    matrix, rows = matrix_rows(profiles, table.ids, field)
    return pair_cosines(matrix, table.left, table.right, rows)


def _nullable(values: np.ndarray) -> list[float | None]:
    """The values as floats, NaN as None."""
    return [None if math.isnan(value) else value for value in values.tolist()]


def _table_batch(profiles: Mapping[str, Profile], table: PairTable, ranks: np.ndarray, words: np.ndarray | None,
                 comparisons: tuple[Comparison, ...], priors: Priors) -> _Batch:
    """The batch of a table's rows, with the word cosines and every cosine comparison's values."""
    known = {"terms": table_cosines(profiles, table, "terms") if words is None else words}
    light = light_profiles(profiles)
    mapped = bool(len(table)) and {c.field: isinstance(getattr(light[table.ids[0]], c.field), Mapping)
                                   for c in comparisons if c.scorer == "cosine"}
    columns: list[np.ndarray | None] = []
    for comparison in comparisons:
        if comparison.scorer == "cosine" and mapped and mapped[comparison.field]:
            if comparison.field not in known:
                known[comparison.field] = table_cosines(profiles, table, comparison.field)
            columns.append(known[comparison.field])
        else:
            columns.append(None)
    dates = {c.field: {pid: date_keys(getattr(light[pid], c.field)) for pid in table.ids}
             for c in comparisons if c.scorer == "date_overlap"}
    return _Batch(light, table, ranks, known["terms"], columns, comparisons, priors, dates)


def _chunk_values(batch: _Batch, pairs: Sequence[Pair], comparison: Comparison) -> list[float | None]:
    """A comparison the batch did not compute ahead, for ``pairs``: date overlaps from the prepared keys."""
    if comparison.scorer == "date_overlap":
        keys = batch.dates[comparison.field]
        return [keyed_date_overlap(keys[a], keys[b]) for a, b in pairs]
    return field_values(batch.profiles, pairs, comparison)


def _batch(profiles: Mapping[str, Profile], ranks: Mapping[Pair, int], comparisons: tuple[Comparison, ...],
           priors: Priors, words: Mapping[Pair, float | None] | None) -> _Batch:
    """The ranked pairs, sorted, with the word cosines and every cosine comparison's values."""
    table = table_of(ranks)
    pairs = table.pairs()
    rank_values = np.array([ranks[pair] for pair in pairs], dtype=np.int64)
    word_values = None if words is None else np.array(
        [np.nan if words[pair] is None else words[pair] for pair in pairs], dtype=np.float64)
    return _table_batch(profiles, table, rank_values, word_values, comparisons, priors)


def _combined(batch: _Batch, span: range) -> list[PairScore]:
    """The PairScores of pair rows ``span``."""
    profiles, pairs = batch.profiles, batch.table.pairs(span.start, span.stop)
    columns = [_chunk_values(batch, pairs, comparison) if column is None else _nullable(column[span.start : span.stop])
               for comparison, column in zip(batch.comparisons, batch.columns)]
    words = [word or 0.0 for word in np.nan_to_num(batch.words[span.start : span.stop], nan=0.0).tolist()]
    return [
        combine(profiles[a], profiles[b], batch.comparisons, batch.priors, values, rank, word)
        for rank, word, (a, b), *values in zip(batch.ranks[span.start : span.stop].tolist(), words, pairs, *columns)
    ]


def _combined_scores(batch: _Batch, span: range) -> list[float]:
    """Only the combined scores of pairs ``span``: a float pickles far cheaper than a PairScore."""
    return [score.score for score in _combined(batch, span)]


def _chunks_over_pairs(batch: _Batch, func: Callable[[_Batch, range], list], engine: Engine | None) -> Iterator[list]:
    """``func`` over every pair of ``batch``, chunk by chunk in order: on ``engine`` when its workers fork
    (they inherit the batch), else here. An engine that ships its items (Dask) would have to
    ship the profiles with every chunk, which costs more than the combining it saves."""
    spans = spans_of(len(batch.table), PAIR_CHUNK)
    if engine is None or not forks(engine):
        return (func(batch, range(start, end)) for start, end in spans)
    return engine.map_chunks(partial(func, batch), range(len(batch.table)), spans)


def score_pairs(profiles: Mapping[str, Profile], ranks: Mapping[Pair, int], comparisons: tuple[Comparison, ...],
                priors: Priors, words: Mapping[Pair, float | None] | None = None,
                engine: Engine | None = None) -> list[PairScore]:
    """``score_pair`` of every ranked pair, sorted by pair: the same PairScores, computed in bulk.

    ``words`` may give each pair's word (``terms``) cosine when the caller already has it; ``engine``
    may combine the pairs in worker processes (see :func:`table_scores`).
    """
    return list(itertools.chain.from_iterable(
        _chunks_over_pairs(_batch(profiles, ranks, comparisons, priors, words), _combined, engine)))


def table_scores(profiles: Mapping[str, Profile], table: PairTable, ranks: np.ndarray, words: np.ndarray | None,
                 comparisons: tuple[Comparison, ...], priors: Priors, engine: Engine | None = None) -> np.ndarray:
    """The combined score of every row of ``table`` (with its neighbour rank and word cosine, NaN: none), as
    :func:`score_pairs` gives them, without a Python object per pair held at once; combined in chunks on
    ``engine`` when its workers fork."""
    batch = _table_batch(profiles, table, ranks, words, comparisons, priors)
    chunks = _chunks_over_pairs(batch, _combined_scores, engine)  # filled chunk by chunk: no float object per pair
    return np.fromiter(itertools.chain.from_iterable(chunks), dtype=np.float64, count=len(table))
