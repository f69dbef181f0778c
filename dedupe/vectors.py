"""Sparse weight matrices: the cosines of many pairs at once, equal bit for bit to ``compare.cosine``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from scipy import sparse

from .pairtable import stable_order
from .specific import row_totals

#: Pairs per batch: bounds the temporaries (the right rows' entries, each pair's shared products; a few tens of MB).
PAIRS_PER_BATCH = 4096


@dataclass(frozen=True)
class WeightMatrix:
    """One row per weight dict, columns over the vocabulary of all of them.

    ``weights`` holds the weights, ``positions`` (the same pattern, sharing its column indices)
    each key's place in its dict's iteration order, counted from 1; ``sizes`` the length of each
    dict. Rows keep their column indices sorted.
    """

    weights: sparse.csr_matrix
    positions: sparse.csr_matrix
    sizes: np.ndarray

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
    width = int(columns.max(initial=0)) + 1
    if len(columns) and int(columns.min()) >= 0 and len(sizes).bit_length() + width.bit_length() <= 62:
        order = stable_order(row_of * width + columns, len(sizes) * width)  # one key: ~4x faster than lexsort's two
    else:
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
    """:func:`pair_cosines_shared` for one batch: the entries each pair's rows share (:func:`shared_entries`), their
    weights' products added one by one in the shorter side's order (:func:`ordered_sums`). Only shared entries are
    weighed: a row of ~300 terms shares ~20-30 with a candidate's."""
    pair, left_at, right_at, columns = shared_entries(matrix.positions, left, right)
    sizes = matrix.sizes
    products = matrix.weights_at(left_at, left[pair]) * matrix.weights_at(right_at, right[pair])
    left_small = sizes[left] <= sizes[right]
    places = matrix.positions.data[np.where(left_small[pair], left_at, right_at)]
    totals = np.minimum(1.0, ordered_sums(pair, places, products, len(left)))
    totals[(sizes[left] == 0) | (sizes[right] == 0)] = np.nan
    if column_weights is None:
        return totals, None
    return totals, row_totals(column_weights, columns, np.r_[0, np.searchsorted(pair, np.arange(1, len(left) + 1))])


def row_entries(indptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The entries (places in ``indices`` and ``data``) of CSR rows ``rows``, one row after another, and where each
    row's entries end among them. Example: ``indptr`` ``[0, 2, 5]``, rows ``[1, 0]`` give ``[2, 3, 4, 0, 1]``
    and ``[3, 5]``."""
    starts = indptr[rows]
    sizes = indptr[rows + 1] - starts
    ends = np.cumsum(sizes)
    at = np.arange(int(ends[-1]) if len(ends) else 0, dtype=indptr.dtype)
    return at + np.repeat(starts - (ends - sizes).astype(indptr.dtype), sizes), ends


def shared_entries(pattern: sparse.csr_matrix, left: np.ndarray,
                   right: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For every column rows ``left[i]`` and ``right[i]`` of ``pattern`` both hold: ``i``, the entry of each side and
    the column, ordered by ``i`` then by column. Each run of equal ``left`` values (a table's pairs come by their left
    row) writes its row's entries into one scratch array as wide as the columns, which every right row of the run
    then reads at its own columns: the right rows' entries are read once, the left's once a run, no row is
    copied and none is merged with another. Example: rows ``{0, 2}`` and ``{2, 3}``, pair ``(0, 1)``: ``[0]``,
    the first row's entry of column 2 (``[1]``), the second's (``[2]``), ``[2]``."""
    indptr, indices = pattern.indptr, pattern.indices
    if not len(left):
        nothing = np.empty(0, dtype=indptr.dtype)
        return nothing, nothing, nothing, nothing
    right_at, ends = row_entries(indptr, right)
    right_columns = indices[right_at]
    found = np.empty(len(right_at), dtype=indptr.dtype)  # each right entry: 1 + the left row's entry, 0 for none
    slots = np.zeros(pattern.shape[1], dtype=indptr.dtype)
    runs = np.flatnonzero(left[1:] != left[:-1]) + 1
    begin = 0
    for row, end in zip(left[np.r_[0, runs]].tolist(), ends[np.r_[runs, len(left)] - 1].tolist()):
        first, last = int(indptr[row]), int(indptr[row + 1])
        columns = indices[first:last]
        slots[columns] = np.arange(first + 1, last + 1, dtype=indptr.dtype)
        found[begin:end] = slots[right_columns[begin:end]]
        slots[columns] = 0
        begin = end
    hits = np.flatnonzero(found)
    return np.searchsorted(ends, hits, side="right"), found[hits] - 1, right_at[hits], right_columns[hits]


def ordered_sums(pair: np.ndarray, places: np.ndarray, values: np.ndarray, count: int) -> np.ndarray:
    """For each of ``count`` pairs, its ``values`` (``pair`` sorted: each pair's values together) added one after
    another in the order of their ``places`` (distinct within a pair), as ``compare.cosine`` adds them; 0 where a
    pair has none. Example: pair ``[0, 0, 1]``, places ``[2, 1, 1]``, values ``[a, b, c]``: ``[b + a, c]``."""
    width = int(places.max(initial=0)) + 1
    order = stable_order(pair.astype(np.int64) * width + places.astype(np.int64), count * width)
    counts = np.bincount(pair, minlength=count)
    starts = np.cumsum(counts) - counts
    table = np.zeros((count, int(counts.max(initial=0)) + 1))
    table[pair, np.arange(len(pair)) - starts[pair]] = values[order]
    return np.add.accumulate(table, axis=1)[:, -1]
