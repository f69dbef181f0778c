"""Term specificity in bulk: a corpus's weights per term column, and the word cosines and overlaps of many pairs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np

from .engine import Engine, forks, spans_of
from .pairtable import PairTable
from .profile import Profile, ProfileTable
from .specific import column_frequencies, overlaps, row_totals, specificities
from .vectors import Weights, pair_cosines_shared, weight_matrix

#: Pairs per task when an engine computes them (as ``scoring.PAIR_CHUNK``).
PAIR_CHUNK = 20_000


@dataclass(frozen=True)
class CorpusSpecificity:
    """The terms matrix of a corpus read for specificity: ``matrix`` and ``rows`` (the matrix row of each id
    asked for), ``weights`` (:func:`~dedupe.specific.specificity` of each column's document frequency, over
    every profile of the corpus), ``totals`` (each matrix row's scaled total) and ``documents`` (profiles)."""

    matrix: Weights
    rows: np.ndarray
    weights: np.ndarray
    totals: np.ndarray
    documents: int


def corpus_specificity(profiles: Mapping[str, Profile], ids: Sequence[str]) -> CorpusSpecificity:
    """The :class:`CorpusSpecificity` of ``ids`` among all ``profiles``: a :class:`ProfileTable`'s own terms
    matrix (nothing copied), else one built from every profile's terms."""
    corpus = profiles.corpus("terms") if isinstance(profiles, ProfileTable) else None
    if corpus is not None:
        matrix = corpus.matrix
        rows = np.fromiter(map(profiles.row, ids), dtype=np.int64, count=len(ids))
    else:
        every = list(profiles)
        place = {article_id: row for row, article_id in enumerate(every)}
        matrix = weight_matrix([profiles[i].terms for i in every])
        rows = np.fromiter(map(place.__getitem__, ids), dtype=np.int64, count=len(ids))
    pattern = matrix.positions
    weights = specificities(column_frequencies(pattern.indices, pattern.shape[1]))
    return CorpusSpecificity(matrix, rows, weights, row_totals(weights, pattern.indices, pattern.indptr), len(profiles))


def frequencies_of(profiles: Mapping[str, Profile]) -> dict[str, int]:
    """Each term's document frequency among the profiles (what ``compare.score_pair`` reads)."""
    corpus = profiles.corpus("terms") if isinstance(profiles, ProfileTable) else None
    if corpus is not None:
        pattern = corpus.matrix.positions
        found = column_frequencies(pattern.indices, pattern.shape[1]).tolist()
        return dict(zip(corpus.terms, found))
    return dict(Counter(term for article_id in profiles for term in profiles[article_id].terms))


def table_specific(profiles: Mapping[str, Profile], table: PairTable,
                   engine: Engine | None = None) -> tuple[np.ndarray, np.ndarray, int]:
    """The word cosine of every row of ``table`` (NaN: None) as ``scoring.table_cosines`` gives it, each row's
    specificity overlap (NaN: a side has no term) and the corpus's documents, the first two from the same
    products (chunk by chunk on ``engine`` when its workers fork)."""
    inputs = corpus_specificity(profiles, table.ids)
    spans = spans_of(len(table), PAIR_CHUNK)
    words, shared = np.empty(len(table)), np.zeros(len(table), dtype=np.int64)
    if engine is None or not forks(engine) or len(spans) < 2:
        chunks = (_span_words(inputs, table, range(start, end)) for start, end in spans)
    else:
        chunks = engine.map_chunks(partial(_span_words, inputs, table), range(len(table)), spans)
    for (start, end), (cosines, sums) in zip(spans, chunks, strict=True):
        words[start:end], shared[start:end] = cosines, sums
    totals = inputs.totals[inputs.rows]
    return words, overlaps(shared, totals[table.left], totals[table.right]), inputs.documents


def _span_words(inputs: CorpusSpecificity, table: PairTable, span: range) -> tuple[np.ndarray, np.ndarray]:
    """The word cosines and shared specificity of the table's rows ``span`` (a unit of work for an engine)."""
    cosines, shared = pair_cosines_shared(inputs.matrix, table.left[span.start : span.stop],
                                          table.right[span.start : span.stop], inputs.rows, inputs.weights)
    assert shared is not None
    return cosines, shared
