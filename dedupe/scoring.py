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
from .scorearrays import (
    ArticleColumns,
    article_columns,
    ceiling_column,
    combined_scores,
    pair_column,
    pair_gaps,
    served_by_columns,
    table_specific,
)
from .vectors import Weights, pair_cosines, weight_matrix

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


def matrix_rows(profiles: Mapping[str, Profile], ids: Sequence[str], field: str) -> tuple[Weights, np.ndarray]:
    """A matrix holding the ``field`` weights of ``ids``, and the row of each: a :class:`ProfileTable`'s own
    matrix (nothing copied), else one built from the profiles' dicts."""
    corpus = profiles.corpus(field) if isinstance(profiles, ProfileTable) else None
    if corpus is not None:
        return corpus.matrix, np.fromiter(map(profiles.row, ids), dtype=np.int64, count=len(ids))
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
class ArticleInputs:
    """What scoring reads of the articles of a table's ``ids``, taken from their profiles once: what the scorers
    read of each article (:class:`~dedupe.scorearrays.ArticleColumns`), for every cosine comparison of weights
    other than ``terms`` the matrix and each article's row in it, and ``profiles`` (the light profiles, or an
    empty mapping when ``slim`` and every comparison is served by the columns and matrices).

    Once made, the profiles may go: the combined scores read only this (see :func:`article_inputs`).
    """

    profiles: Mapping[str, Profile]
    articles: ArticleColumns
    matrices: dict[str, tuple[Weights, np.ndarray]]


def article_inputs(profiles: Mapping[str, Profile], ids: Sequence[str], comparisons: tuple[Comparison, ...], *,
                   slim: bool = False) -> ArticleInputs:
    """The :class:`ArticleInputs` of ``ids`` (sorted, as a :class:`PairTable`'s) for ``comparisons``; ``slim``
    keeps no profile when no comparison needs one (so a caller that drops its own reference frees them)."""
    light = light_profiles(profiles)
    weighted = {c.field for c in comparisons if c.scorer == "cosine" and c.field != "terms" and len(ids)
                and isinstance(getattr(light[ids[0]], c.field), Mapping)}
    columns = article_columns(light, ids, comparisons)
    matrices = {field: matrix_rows(profiles, ids, field) for field in sorted(weighted)}
    needed = [c for c in comparisons if not (c.scorer == "cosine" and (c.field == "terms" or c.field in matrices))
              and not served_by_columns(c)]
    return ArticleInputs(light if needed or not slim else {}, columns, matrices)


@dataclass(frozen=True)
class _Batch:
    """What combining pair row ``i`` reads: the pairs (a table), their ranks and word cosines, and what scoring
    reads of each article (:class:`ArticleInputs`, as ``profiles``, ``articles`` and ``matrices``).

    Every comparison's values are computed chunk by chunk (the word cosines are given), so an engine's
    forked workers share that work; they inherit the batch, which is never pickled.
    """

    profiles: Mapping[str, Profile]
    table: PairTable
    ranks: np.ndarray
    words: np.ndarray
    comparisons: tuple[Comparison, ...]
    priors: Priors
    articles: ArticleColumns
    matrices: dict[str, tuple[Weights, np.ndarray]]
    specific: np.ndarray | None = None
    documents: int = 0


def table_cosines(profiles: Mapping[str, Profile], table: PairTable, field: str = "terms",
                  engine: Engine | None = None) -> np.ndarray:
    """``compare.cosine`` of ``field`` for every row of ``table`` (NaN where it is None), on one sparse matrix;
    chunk by chunk on ``engine`` when its workers fork (they inherit the matrix and hand back arrays)."""
    if not len(table):
        return np.zeros(0, dtype=np.float64)
    matrix, rows = matrix_rows(profiles, table.ids, field)
    spans = spans_of(len(table), PAIR_CHUNK)
    if engine is None or not forks(engine) or len(spans) < 2:
        return pair_cosines(matrix, table.left, table.right, rows)
    out = np.empty(len(table), dtype=np.float64)
    chunks = engine.map_chunks(partial(_span_cosines, matrix, rows, table), range(len(table)), spans)
    for (start, end), chunk in zip(spans, chunks, strict=True):
        out[start:end] = chunk
    return out


def _span_cosines(matrix: Weights, rows: np.ndarray, table: PairTable, span: range) -> np.ndarray:
    """:func:`vectors.pair_cosines` of the table's rows ``span`` (a unit of work for an engine)."""
    return pair_cosines(matrix, table.left[span.start : span.stop], table.right[span.start : span.stop], rows)


def _nullable(values: np.ndarray) -> list[float | None]:
    """The values as floats, NaN as None."""
    return [None if math.isnan(value) else value for value in values.tolist()]


def _table_batch(profiles: Mapping[str, Profile], table: PairTable, ranks: np.ndarray, words: np.ndarray | None,
                 comparisons: tuple[Comparison, ...], priors: Priors) -> _Batch:
    """The batch of a table's rows, with the word cosines (computed here unless given) and, when
    ``priors.specific_weight`` is not 0, the specificity overlaps among all ``profiles``."""
    specific, documents = None, 0
    if priors.specific_weight:
        cosines, specific, documents = table_specific(profiles, table)
        words = cosines if words is None else words
    words = table_cosines(profiles, table, "terms") if words is None else words
    return _inputs_batch(article_inputs(profiles, table.ids, comparisons), table, ranks, words, comparisons, priors,
                         specific, documents)


def _inputs_batch(inputs: ArticleInputs, table: PairTable, ranks: np.ndarray, words: np.ndarray,
                  comparisons: tuple[Comparison, ...], priors: Priors, specific: np.ndarray | None = None,
                  documents: int = 0) -> _Batch:
    """The batch of a table's rows from what scoring reads of its articles."""
    return _Batch(inputs.profiles, table, ranks, words, comparisons, priors, inputs.articles, inputs.matrices,
                  specific, documents)


def _span_values(batch: _Batch, span: range) -> list[np.ndarray]:
    """Each comparison's values for pair rows ``span`` (NaN: None): cosines of weights on their matrix,
    the others from each article's prepared values (see :func:`scorearrays.pair_column`)."""
    left, right = batch.table.left[span.start : span.stop], batch.table.right[span.start : span.stop]
    values = []
    for comparison in batch.comparisons:
        if comparison.scorer == "cosine" and comparison.field == "terms":
            values.append(batch.words[span.start : span.stop])
        elif comparison.scorer == "cosine" and comparison.field in batch.matrices:
            matrix, rows = batch.matrices[comparison.field]
            values.append(pair_cosines(matrix, left, right, rows))
        else:
            values.append(pair_column(batch.articles, batch.profiles, batch.table.ids, left, right, comparison))
    return values


def _batch(profiles: Mapping[str, Profile], ranks: Mapping[Pair, int], comparisons: tuple[Comparison, ...],
           priors: Priors, words: Mapping[Pair, float | None] | None) -> _Batch:
    """The ranked pairs, sorted, with the word cosines."""
    table = table_of(ranks)
    pairs = table.pairs()
    rank_values = np.array([ranks[pair] for pair in pairs], dtype=np.int64)
    word_values = None if words is None else np.array(
        [np.nan if words[pair] is None else words[pair] for pair in pairs], dtype=np.float64)
    return _table_batch(profiles, table, rank_values, word_values, comparisons, priors)


def _combined(batch: _Batch, span: range) -> list[PairScore]:
    """The PairScores of pair rows ``span``."""
    profiles, pairs = batch.profiles, batch.table.pairs(span.start, span.stop)
    columns = [_nullable(values) for values in _span_values(batch, span)]
    words = [word or 0.0 for word in np.nan_to_num(batch.words[span.start : span.stop], nan=0.0).tolist()]
    specific = [None] * len(pairs) if batch.specific is None else _nullable(batch.specific[span.start : span.stop])
    return [
        combine(profiles[a], profiles[b], batch.comparisons, batch.priors, values, rank, word, overlap,
                batch.documents)
        for rank, word, overlap, (a, b), *values in zip(batch.ranks[span.start : span.stop].tolist(), words,
                                                        specific, pairs, *columns)
    ]


def _combined_scores(batch: _Batch, span: range) -> np.ndarray:
    """Only the combined scores of pairs ``span``, as arrays (see :func:`scorearrays.combined_scores`): the
    same floats as the PairScores', at a fraction of the cost, and an array pickles cheaply."""
    left, right = batch.table.left[span.start : span.stop], batch.table.right[span.start : span.stop]
    ceilings = [ceiling_column(batch.articles, batch.profiles, batch.table.ids, left, right, comparison)
                for comparison in batch.comparisons]
    specific = None if batch.specific is None else batch.specific[span.start : span.stop]
    return combined_scores(_span_values(batch, span), ceilings, batch.comparisons, batch.priors,
                           pair_gaps(batch.articles, left, right), batch.ranks[span.start : span.stop],
                           batch.words[span.start : span.stop], specific, batch.documents)


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
    return _batch_scores(_table_batch(profiles, table, ranks, words, comparisons, priors), engine)


def input_scores(inputs: ArticleInputs, table: PairTable, ranks: np.ndarray, words: np.ndarray,
                 comparisons: tuple[Comparison, ...], priors: Priors, engine: Engine | None = None,
                 specific: np.ndarray | None = None, documents: int = 0) -> np.ndarray:
    """:func:`table_scores` from what scoring reads of the table's articles (:func:`article_inputs` of its
    ``ids``), so the profiles need not be held while the pairs are scored; ``words`` must be given, and
    ``specific`` (the rows' specificity overlaps among ``documents`` profiles) when
    ``priors.specific_weight`` is not 0."""
    return _batch_scores(_inputs_batch(inputs, table, ranks, words, comparisons, priors, specific, documents), engine)


def _batch_scores(batch: _Batch, engine: Engine | None) -> np.ndarray:
    """The combined score of every row of the batch, filled chunk by chunk."""
    scores, start = np.empty(len(batch.table), dtype=np.float64), 0
    for chunk in _chunks_over_pairs(batch, _combined_scores, engine):
        scores[start : start + len(chunk)] = chunk
        start += len(chunk)
    return scores
