"""A weight matrix held as its counts: each weight recomputed, bit for bit, from its count when it is read."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .vectors import csr_pair


@dataclass(frozen=True)
class CountMatrix:
    """The TF-IDF weights of :func:`corpusweights.tfidf_weights` held as what they are made of: each entry's count
    (the narrowest integer type that holds every count, one byte on news text) beside its column and place, each
    column's IDF and each row's norm. An entry weighs ``(tf[count] * idf[column]) / norms[row]``, the operations the
    weighing made, so every weight read is the float it computed: 7 bytes an entry (with a uint16 place) where a
    :class:`~dedupe.vectors.WeightMatrix` holds 14.

    ``counts`` and ``positions`` share their column indices and row pointers; ``sizes`` is each row's length.
    Reads as a :class:`~dedupe.vectors.WeightMatrix` does through :meth:`rows`, :meth:`row`, :meth:`weight` and
    :meth:`weights_at`; ``weights`` makes the whole matrix of weights (a copy, for tests and small corpora).
    Example: a row of counts ``[2, 1]`` over columns of IDF ``[1.0, 2.0]`` weighs ``[0.652, 0.758]``.
    """

    counts: sparse.csr_matrix
    positions: sparse.csr_matrix
    sizes: np.ndarray
    tf: np.ndarray
    idf: np.ndarray
    norms: np.ndarray

    @property
    def weights(self) -> sparse.csr_matrix:
        """Every row's weights, as one new matrix."""
        return self.rows(np.arange(self.counts.shape[0]))

    def rows(self, index: np.ndarray) -> sparse.csr_matrix:
        """The weights of rows ``index`` (repeats allowed), as ``weights[index]`` gives them."""
        part = self.counts[index]
        data = (self.tf[part.data] * self.idf[part.indices]) / np.repeat(self.norms[index], np.diff(part.indptr))
        return sparse.csr_matrix((data, part.indices, part.indptr), shape=part.shape, copy=False)

    def row(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        """Row ``index``'s columns (sorted) and weights."""
        start, end = int(self.counts.indptr[index]), int(self.counts.indptr[index + 1])
        columns = self.counts.indices[start:end]
        return columns, (self.tf[self.counts.data[start:end]] * self.idf[columns]) / self.norms[index]

    def weight(self, at: int, row: int) -> float:
        """The weight of entry ``at`` (of row ``row``)."""
        counts = self.counts
        return float((self.tf[counts.data[at]] * self.idf[counts.indices[at]]) / self.norms[row])

    def weights_at(self, at: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """The weights of entries ``at``, entry ``at[i]`` being of row ``rows[i]``."""
        counts = self.counts
        return (self.tf[counts.data[at]] * self.idf[counts.indices[at]]) / self.norms[rows]


def count_matrix_of(sizes: np.ndarray, columns: np.ndarray, counts: np.ndarray, places: np.ndarray,
                    scales: tuple[np.ndarray, np.ndarray, np.ndarray], width: int) -> CountMatrix:
    """The :class:`CountMatrix` of rows already in column order (as :func:`vectors.sorted_rows` gives them),
    ``scales`` the TF of each count, IDF of each column and norm of each row (the counts and places laid out
    as :func:`vectors.csr_pair` lays them)."""
    held, positions = csr_pair(sizes, columns, counts, places, width)
    return CountMatrix(held, positions, np.asarray(sizes, dtype=np.int64), *scales)
