"""Weights held as counts read, bit for bit, as the matrix of weights they stand for."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe.corpusweights import CorpusWeights, tfidf_weights
from dedupe.countstore import CountMatrix
from dedupe.vectors import WeightMatrix, pair_cosines, weight_matrix

_TERMS = ["fire", "crew", "storm", "dam", "x", "y", "z"]
#: Documents as term lists; a term repeated up to 300 times, so counts past one byte come too.
_DOCUMENTS = st.lists(
    st.lists(st.tuples(st.sampled_from(_TERMS), st.one_of(st.integers(1, 3), st.integers(250, 300))), max_size=6)
    .map(lambda runs: [term for term, times in runs for _ in range(times)]),
    min_size=1, max_size=14)


def held_weights(corpus: CorpusWeights) -> WeightMatrix:
    """The same rows as a matrix of weights (each row's dict, as ``corpus.row`` reads it: see test_corpus_weights)."""
    return weight_matrix([dict(corpus.row(i).items()) for i in range(len(corpus))])


def same_csr(one, other) -> None:  # type: ignore[no-untyped-def]
    """Assert two CSR matrices hold the same arrays, bit for bit."""
    assert one.shape == other.shape
    for name in ("data", "indices", "indptr"):
        assert getattr(one, name).tobytes() == getattr(other, name).tobytes()


@settings(max_examples=60, deadline=None)
@given(_DOCUMENTS, st.data())
def test_counts_read_as_the_weights_they_stand_for(documents, data):
    corpus = tfidf_weights(documents)
    counted, held = corpus.matrix, held_weights(corpus)
    assert isinstance(counted, CountMatrix)
    index = np.array(data.draw(st.lists(st.integers(0, len(documents) - 1), max_size=20)), dtype=np.int64)
    same_csr(counted.rows(index), held.weights[index])
    same_csr(counted.weights, held.weights)
    entries = len(held.weights.data)
    rows = np.repeat(np.arange(len(documents)), np.diff(held.weights.indptr))
    assert counted.weights_at(np.arange(entries), rows).tobytes() == held.weights.data.tobytes()
    assert [counted.weight(at, row) for at, row in enumerate(rows.tolist())] == held.weights.data.tolist()
    for row in range(len(documents)):
        assert all(a.tobytes() == b.tobytes() for a, b in zip(counted.row(row), held.row(row)))


@settings(max_examples=60, deadline=None)
@given(_DOCUMENTS, st.data())
def test_cosines_on_counts_equal_those_on_weights(documents, data):
    corpus = tfidf_weights(documents)
    pick = st.lists(st.integers(0, len(documents) - 1), min_size=1, max_size=30)
    left, right = (np.array(data.draw(pick), dtype=np.int64) for _ in range(2))
    right = np.resize(right, len(left))
    held = held_weights(corpus)
    assert pair_cosines(corpus.matrix, left, right).tobytes() == pair_cosines(held, left, right).tobytes()


def test_a_count_takes_one_byte_until_a_count_needs_two():
    small = tfidf_weights([["fire", "crew", "fire"], ["crew"]]).matrix
    wide = tfidf_weights([["fire"] * 300, ["crew"]]).matrix
    assert isinstance(small, CountMatrix) and isinstance(wide, CountMatrix)
    assert small.counts.data.dtype == np.uint8 and small.counts.data.tolist() == [2, 1, 1]
    assert wide.counts.data.dtype == np.uint16 and wide.counts.data.tolist() == [300, 1]
    assert np.shares_memory(small.positions.indices, small.counts.indices)  # the columns are held once
