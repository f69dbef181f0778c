"""Sparse weight matrices: the cosines of many pairs at once, equal bit for bit to ``compare.cosine``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from scipy import sparse

from .compare import cosine
from .specific import row_totals

#: Pairs per batch: bounds the temporary rows copied out of the matrices (a few tens of MB).
PAIRS_PER_BATCH = 4096


@dataclass(frozen=True)
class WeightMatrix:
    """One row per weight dict, columns over the vocabulary of all of them.

    ``weights`` holds the weights, ``positions`` (the same pattern, sharing its column indices)
    each key's place in its dict's iteration order, counted from 1; ``sizes`` the length of each
    dict. Rows keep their column indices sorted, so elementwise products merge rows in C.
    """

    weights: sparse.csr_matrix
    positions: sparse.csr_matrix
    sizes: np.ndarray

    def rows(self, index: np.ndarray) -> sparse.csr_matrix:
        """The weights of rows ``index`` (repeats allowed)."""
        return self.weights[index]

    def row(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        """Row ``index``'s columns (sorted) and weights."""
        weights = self.weights
        start, end = int(weights.indptr[index]), int(weights.indptr[index + 1])
        return weights.indices[start:end], weights.data[start:end]

    def weight(self, at: int, row: int) -> float:
        """The weight of entry ``at`` (of row ``row``)."""
        return float(self.weights.data[at])

    def weights_at(self, at: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """The weights of entries ``at``, entry ``at[i]`` being of row ``rows[i]``."""
        return self.weights.data[at]


class Weights(Protocol):
    """What reads a matrix of weights rows at a time: a :class:`WeightMatrix`, or a
    :class:`~dedupe.countstore.CountMatrix` (the same weights recomputed from their counts on each read).
    ``positions`` holds each entry's place (its column indices and row pointers are the weights' own)."""

    @property
    def positions(self) -> sparse.csr_matrix: ...

    @property
    def sizes(self) -> np.ndarray: ...

    def rows(self, index: np.ndarray) -> sparse.csr_matrix: ...

    def row(self, index: int) -> tuple[np.ndarray, np.ndarray]: ...

    def weight(self, at: int, row: int) -> float: ...

    def weights_at(self, at: np.ndarray, rows: np.ndarray) -> np.ndarray: ...


def sorted_rows(sizes: np.ndarray, columns: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, ...]:
    """Entries given row by row in iteration order, re-ordered by column within each row: the columns,
    the values and each entry's place in its row's iteration order (from 1, as float32).

    Example: ``sorted_rows(np.array([2]), np.array([5, 3]), np.array([0.6, 0.8]))`` gives columns
    ``[3, 5]``, values ``[0.8, 0.6]`` and places ``[2., 1.]``.
    """
    indptr = np.r_[0, np.cumsum(sizes)]
    row_of = np.repeat(np.arange(len(sizes)), sizes)
    places = (np.arange(len(columns)) - indptr[row_of] + 1).astype(np.float32)
    order = np.lexsort((columns, row_of))
    return columns[order], values[order], places[order]


def matrix_of(sizes: np.ndarray, columns: np.ndarray, values: np.ndarray, places: np.ndarray,
              width: int) -> WeightMatrix:
    """The :class:`WeightMatrix` of rows already in column order (as :func:`sorted_rows` gives them)."""
    return WeightMatrix(*csr_pair(sizes, columns, values, places, width), np.asarray(sizes, dtype=np.int64))


def csr_pair(sizes: np.ndarray, columns: np.ndarray, values: np.ndarray, places: np.ndarray,
             width: int) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """Two matrices of one pattern from rows already in column order: ``values`` and ``places``, sharing one
    index array and row pointers (int32 while the entries allow it)."""
    index = np.int32 if len(columns) < 2**31 and width < 2**31 else np.int64
    indptr = np.r_[0, np.cumsum(sizes)].astype(index)
    indices = np.asarray(columns, dtype=index)
    shape = (len(sizes), max(1, width))
    held = sparse.csr_matrix((values, indices, indptr), shape=shape, copy=False)
    return held, sparse.csr_matrix((places, held.indices, held.indptr), shape=shape, copy=False)


def weight_matrix(rows: Sequence[Mapping[str, float]]) -> WeightMatrix:
    """The matrix of ``rows`` (each a term -> weight mapping, iteration order kept in ``positions``).

    Example: ``weight_matrix([{"b": 0.6, "a": 0.8}]).positions.toarray()`` is ``[[2., 1.]]``.
    """
    vocabulary: dict[str, int] = {}
    sizes = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
    columns = np.fromiter((vocabulary.setdefault(k, len(vocabulary)) for r in rows for k in r),
                          dtype=np.int64, count=int(sizes.sum()))
    values = np.fromiter((w for r in rows for w in r.values()), dtype=np.float64, count=len(columns))
    return matrix_of(sizes, *sorted_rows(sizes, columns, values), len(vocabulary))


def pair_cosines(matrix: Weights, left: np.ndarray, right: np.ndarray,
                 rows: np.ndarray | None = None) -> np.ndarray:
    """``cosine(rows[left[i]], rows[right[i]])`` for every i, NaN where it is None.

    Summed like :func:`compare.cosine`: the products over the shorter dict (the left one
    on a tie), in its iteration order, one after another, so every value is identical.
    ``rows``, when given, maps the values of ``left`` and ``right`` to the matrix's rows.
    """
    return pair_cosines_shared(matrix, left, right, rows)[0]


def pair_cosines_shared(matrix: Weights, left: np.ndarray, right: np.ndarray, rows: np.ndarray | None = None,
                        column_weights: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """:func:`pair_cosines`, and with ``column_weights`` (int64, one per column) the sum of the weights of
    the columns each pair's two rows share, from the same products (exact: integers).

    Example: with columns ``a``, ``b`` weighing ``[4, 1]``, rows ``{a, b}`` and ``{b}`` share ``1``.
    """
    out = np.empty(len(left), dtype=np.float64)
    shared = None if column_weights is None else np.zeros(len(left), dtype=np.int64)
    for start in range(0, len(left), PAIRS_PER_BATCH):
        end = start + PAIRS_PER_BATCH
        a, b = np.asarray(left[start:end]), np.asarray(right[start:end])
        a, b = (a, b) if rows is None else (rows[a], rows[b])
        cosines, sums = _batch(matrix, a, b, column_weights)
        out[start:end] = cosines
        if shared is not None:
            shared[start:end] = sums
    return out, shared


def _batch(matrix: Weights, left: np.ndarray, right: np.ndarray,
           column_weights: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """:func:`pair_cosines_shared` for one batch."""
    left_small = matrix.sizes[left] <= matrix.sizes[right]
    small, large = np.where(left_small, left, right), np.where(left_small, right, left)
    large_rows = matrix.rows(large)
    products = matrix.rows(small).multiply(large_rows).tocsr()
    present = sparse.csr_matrix((np.ones(len(large_rows.data)), large_rows.indices, large_rows.indptr),
                                shape=large_rows.shape)  # where the larger side has the key
    places = matrix.positions[small].multiply(present).tocsr()
    if not (np.array_equal(products.indptr, places.indptr) and np.array_equal(products.indices, places.indices)):
        return _scalar(matrix, left, right, column_weights)  # a product underflowed to zero: patterns differ
    counts = np.diff(products.indptr)
    row_of = np.repeat(np.arange(len(left)), counts)
    order = np.lexsort((places.data, row_of))
    table = np.zeros((len(left), int(counts.max(initial=0)) + 1))
    table[row_of, np.arange(len(row_of)) - products.indptr[row_of]] = products.data[order]
    totals = np.minimum(1.0, np.add.accumulate(table, axis=1)[:, -1])
    totals[(matrix.sizes[left] == 0) | (matrix.sizes[right] == 0)] = np.nan
    return totals, None if column_weights is None else row_totals(column_weights, places.indices, places.indptr)


def _scalar(matrix: Weights, left: np.ndarray, right: np.ndarray,
            column_weights: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """The same batch one pair at a time, through :func:`compare.cosine` on rebuilt dicts."""
    positions, dicts = matrix.positions, {}
    for index in {*left.tolist(), *right.tolist()}:
        columns, weights = matrix.row(index)
        order = np.argsort(positions.data[positions.indptr[index] : positions.indptr[index + 1]])
        dicts[index] = dict(zip(columns[order].tolist(), weights[order].tolist()))
    values = [cosine(dicts[a], dicts[b]) for a, b in zip(left.tolist(), right.tolist())]
    shared = None if column_weights is None else np.array(
        [sum(int(column_weights[c]) for c in dicts[a].keys() & dicts[b].keys())
         for a, b in zip(left.tolist(), right.tolist())], dtype=np.int64)
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64), shared
