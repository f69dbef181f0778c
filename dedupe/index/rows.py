"""Stored heads' weight dicts as rows over one vocabulary, end to end, and one article's cosines with many of them.

:class:`Joined` keeps the rows of every head the memory holds end to end (heads decoded on first use are
appended, as are heads ``add --fast`` places); a check gathers its candidates' rows in one call,
and :func:`star_cosines` gives the article's cosines with all of them at once, equal bit for bit to
:func:`dedupe.compare.cosine` (the products over the shorter side, in its order, added one by one).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, repeat

import numpy as np

# the C loops behind scipy's sparse indexing and products, called without building a matrix each time
from scipy.sparse import _sparsetools


@dataclass(frozen=True)
class Row:
    """One weight dict as arrays: each key's column and weight, in the dict's iteration order."""

    columns: np.ndarray
    weights: np.ndarray


class Vocabulary:
    """Columns for the keys of the rows kept, and a scratch array as wide as the vocabulary.

    The columns are its own (given by :meth:`row` and :meth:`rows` as keys are first seen) or the index's
    (the ``frequencies`` columns of stored heads: :meth:`learn` and :meth:`widen`); ``width`` is one more
    than the largest column of any row kept.
    """

    def __init__(self) -> None:
        self.columns: dict[str, int] = {}
        self.dense = np.zeros(0)
        self._marks = np.zeros(0, np.int32)
        self.width = 0

    def learn(self, columns: Mapping[str, int]) -> None:
        """Take in the index's columns of some keys (those a checked article's row may hold)."""
        self.columns.update(columns)
        self.width = max(self.width, max(columns.values(), default=-1) + 1)

    def widen(self, columns: np.ndarray) -> None:
        """Make room for rows holding ``columns`` (the index's)."""
        if len(columns):
            self.width = max(self.width, int(columns.max()) + 1)

    def row(self, weights: Mapping[str, float], grow: bool = True, known: np.ndarray | None = None) -> Row:
        """The row of a weight dict; keys not in the vocabulary are added (``grow``) or left out.

        Left-out keys keep the order of the others: an article's own key absent from every stored row
        adds nothing to a cosine, so the rows of articles being checked never grow the vocabulary.
        ``known``: each key's column already looked up (by ``add --fast``'s workers, in the index's columns at
        its start, which this vocabulary holds), -1 for those to look up here (keys the index gained since).
        """
        if known is not None and not grow:
            columns = known.copy()
            if (columns < 0).any():
                keys = list(weights)
                for place in np.flatnonzero(columns < 0).tolist():
                    columns[place] = self.columns.get(keys[place], -1)
        else:
            columns = np.fromiter(map(self.columns.get, weights, repeat(-1)), dtype=np.int64, count=len(weights))
        values = np.fromiter(weights.values(), np.float64, len(weights))
        if not grow:
            kept = columns >= 0
            return Row(columns[kept], values[kept])
        if (columns < 0).any():  # keys seen for the first time: give them the next columns
            keys = list(weights)
            for place in np.flatnonzero(columns < 0).tolist():
                columns[place] = self.columns.setdefault(keys[place], len(self.columns))
            self.width = len(self.columns)
        return Row(columns, values)

    def rows(self, dicts: Sequence[Mapping[str, float]]) -> tuple[np.ndarray, Row]:
        """The rows of many weight dicts end to end, as :meth:`row` gives them one by one (keys seen for the
        first time get the next columns in the same order): each dict's length, and one row of them all.

        Example: with an empty vocabulary, ``rows([{"a": .5}, {"b": .1, "a": .2}])`` gives lengths
        ``[1, 2]``, columns ``[0, 1, 0]`` and weights ``[.5, .1, .2]``.
        """
        lengths = np.fromiter(map(len, dicts), dtype=np.int64, count=len(dicts))
        total = int(lengths.sum())
        columns = np.fromiter(map(self.columns.get, chain.from_iterable(dicts), repeat(-1)), dtype=np.int64,
                              count=total)
        if (columns < 0).any():
            keys = list(chain.from_iterable(dicts))
            for place in np.flatnonzero(columns < 0).tolist():
                columns[place] = self.columns.setdefault(keys[place], len(self.columns))
            self.width = len(self.columns)
        weights = np.fromiter(chain.from_iterable(d.values() for d in dicts), dtype=np.float64, count=total)
        return lengths, Row(columns, weights)

    def scratch(self) -> np.ndarray:
        """The zeroed scratch array, widened to the vocabulary when it grew (give it back zeroed)."""
        if len(self.dense) < self.width:
            self.dense = np.zeros(max(self.width, 2 * len(self.dense)))
        return self.dense

    def marks(self) -> np.ndarray:
        """A zeroed scratch array of int32 marks, one per column, widened as :meth:`scratch` (give it back zeroed)."""
        if len(self._marks) < self.width:
            self._marks = np.zeros(max(self.width, 2 * len(self._marks)), np.int32)
        return self._marks


@dataclass(frozen=True)
class Gathered:
    """Some heads' rows end to end: each row's length and end, and where its keys sit in the joined arrays."""

    lengths: np.ndarray
    ends: np.ndarray
    index: np.ndarray

    @property
    def rows(self) -> np.ndarray:
        """The row (0, 1, ...) of each gathered key."""
        return np.repeat(np.arange(len(self.lengths)), self.lengths)


class Joined:
    """The rows of one kind of every head in memory, end to end, in the order the heads were taken in
    (a head's *place*); the arrays are given room by doubling, so taking in heads one by one stays cheap."""

    def __init__(self) -> None:
        self.lengths = np.zeros(0, np.int64)
        self.starts = np.zeros(0, np.int64)
        self.columns = np.zeros(0, np.int32)
        self.weights = np.zeros(0)
        self.count = self.used = 0
        self._bounds = np.zeros(1, np.int32)  # each row's start, then the end of the last (see indptr)
        self._gathered = (np.zeros(0, np.int32), np.zeros(0))  # scratch columns and weights (see rows_of)

    def reserve(self, count: int, used: int) -> None:
        """Make room for ``count`` rows holding ``used`` keys in all (taking in heads up to that size then
        copies nothing already taken in)."""
        self.lengths, self.starts = room(self.lengths, count, exact=True), room(self.starts, count, exact=True)
        self._bounds = room(self._bounds, count + 1, exact=True)
        self.columns, self.weights = room(self.columns, used, exact=True), room(self.weights, used, exact=True)

    def extend(self, rows: list[Row]) -> None:
        """Take in the rows of the next heads, at the end."""
        if not rows:
            return
        lengths = np.fromiter((len(r.columns) for r in rows), dtype=np.int64, count=len(rows))
        self.extend_joined(lengths, Row(np.concatenate([r.columns for r in rows]),
                                        np.concatenate([r.weights for r in rows])))

    def extend_joined(self, lengths: np.ndarray, joined: Row) -> None:
        """Take in the rows of the next heads given end to end (``lengths`` of them), at the end."""
        count, used, width, added = self.count, self.used, int(lengths.sum()), len(lengths)
        self.lengths, self.starts = room(self.lengths, count + added), room(self.starts, count + added)
        self.columns, self.weights = room(self.columns, used + width), room(self.weights, used + width)
        self.lengths[count : count + added] = lengths
        self.starts[count : count + added] = used + np.cumsum(lengths) - lengths
        self.columns[used : used + width] = joined.columns
        self.weights[used : used + width] = joined.weights
        self._bounds = room(self._bounds, count + added + 1)
        self._bounds[count : count + added] = self.starts[count : count + added]
        self._bounds[count + added] = used + width
        self.count, self.used = count + added, used + width

    def scratch(self, total: int) -> tuple[np.ndarray, np.ndarray]:
        """Scratch columns (int32) and weights of ``total`` keys, kept from call to call (grown by doubling):
        gathering many rows into new arrays each time paid for fresh pages on every check."""
        columns, weights = self._gathered
        if len(columns) < total:
            size = max(total, 2 * len(columns))
            columns, weights = self._gathered = np.empty(size, np.int32), np.empty(size)
        return columns[:total], weights[:total]

    def indptr(self) -> np.ndarray:
        """Where each row starts, then where the last ends (a CSR matrix's ``indptr`` over the joined arrays,
        int32; kept up to date as heads are taken in)."""
        return self._bounds[: self.count + 1]

    def gather(self, places: np.ndarray) -> Gathered:
        """The rows of the heads at ``places``, end to end."""
        lengths = self.lengths[places]
        ends = np.cumsum(lengths)
        total = int(ends[-1]) if len(ends) else 0
        index = np.repeat(self.starts[places] - (ends - lengths), lengths) + np.arange(total)
        return Gathered(lengths, ends, index)


def star_cosines(joined: Joined, vocabulary: Vocabulary, mine: Row, size: int, mine_first: np.ndarray,
                 places: np.ndarray) -> np.ndarray:
    """``compare.cosine`` of one dict (``mine``, ``size`` keys before any were left out) with the row of
    each head at ``places``, NaN where it is None; ``mine_first[i]`` says whether ``mine`` is the left argument.

    ``cosine`` adds the products over the shorter dict (the left one on a tie) in its order, one by one;
    a key the other side lacks adds 0.0, which changes no sum. Where the head is the shorter dict, its
    row times the article's weights spread over the vocabulary (scipy's ``csr_matvec``: each row's products
    added in the row's order, from 0.0); where the article is, the heads' rows cut to the article's keys
    in its order, as a CSC matrix times its weights (``csc_matvec``: each row's sum taken over the columns
    in order, from 0.0). Both are sequential loops in C, built without fused multiply-adds in the x86-64
    wheels (a compiler contracting ``sum += a * b`` elsewhere could change a last bit); the property tests
    against ``cosine`` would fail on any other order or rounding. The rows are gathered, cut and multiplied
    by the C routines scipy's own indexing and products call (:func:`rows_of`, :func:`_cut_times`), without
    building a sparse matrix for each step: the same loops, the same floats.
    """
    count = len(places)
    out = np.full(count, np.nan)
    if not size or not count:
        return out
    width = vocabulary.width
    lengths = joined.lengths[places]
    mine_small = (size < lengths) | ((size == lengths) & mine_first)
    theirs = np.flatnonzero(~mine_small)
    if len(theirs):
        dense = vocabulary.scratch()
        dense[mine.columns] = mine.weights
        indptr, columns, weights = rows_of(joined, places[theirs], scratch=True)
        found = np.zeros(len(theirs))
        _sparsetools.csr_matvec(len(theirs), width, indptr, columns, weights, dense[:width], found)
        out[theirs] = found
        dense[mine.columns] = 0.0
    ours = np.flatnonzero(mine_small)
    if len(ours):
        out[ours] = _cut_times(rows_of(joined, places[ours], scratch=True), mine, vocabulary.marks())
    out = np.minimum(1.0, out)
    out[lengths == 0] = np.nan
    return out


def rows_of(joined: Joined, places: np.ndarray, scratch: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rows of the heads at ``places`` as CSR arrays (``indptr``, columns, weights), each row's keys in
    its dict's order: what ``csr_matrix[places]`` holds (scipy's ``csr_row_index``). ``scratch``: the columns
    and weights are the joined rows' scratch arrays (:meth:`Joined.scratch`), good until the next such call."""
    lengths = joined.lengths[places]
    indptr = np.zeros(len(places) + 1, dtype=np.int32)
    np.cumsum(lengths, out=indptr[1:])
    total = int(indptr[-1])
    columns, weights = joined.scratch(total) if scratch else (np.empty(total, dtype=np.int32), np.empty(total))
    _sparsetools.csr_row_index(len(places), places.astype(np.int32), joined.indptr(), joined.columns, joined.weights,
                               columns, weights)
    return indptr, columns, weights


def _cut_times(rows: tuple[np.ndarray, np.ndarray, np.ndarray], mine: Row, marks: np.ndarray) -> np.ndarray:
    """The rows (CSR arrays) cut to the columns of ``mine`` in its order, times its weights:
    ``(matrix[:, mine.columns].tocsc() @ mine.weights)`` by the same C routines (``csr_column_index1``/``2``,
    ``csr_tocsc``, ``csc_matvec``). The rows' columns are first renumbered by their place in ``mine`` (from 1;
    0 for the others), with ``marks`` (zeroed, as wide as the vocabulary; given back zeroed), so the cut's
    column counts span ``mine``'s keys, not the vocabulary: the same cut, each row's keys in its own order."""
    indptr, columns, weights = rows
    count, keys = len(indptr) - 1, len(mine.columns)
    out = np.zeros(count)
    if not keys:
        return out
    order = np.arange(keys, dtype=np.int32)
    marks[mine.columns] = order + 1
    renumbered = marks[columns]
    marks[mine.columns] = 0
    offsets, cut_indptr = np.zeros(keys + 1, dtype=np.int32), np.empty(count + 1, dtype=np.int32)
    _sparsetools.csr_column_index1(keys, order + 1, count, keys + 1, indptr, renumbered, offsets, cut_indptr)
    total = int(cut_indptr[-1])
    cut_columns, cut_weights = np.empty(total, dtype=np.int32), np.empty(total)
    _sparsetools.csr_column_index2(order, offsets, len(renumbered), renumbered, weights, cut_columns, cut_weights)
    csc_indptr, csc_rows, csc_weights = (np.empty(keys + 1, dtype=np.int32), np.empty(total, dtype=np.int32),
                                         np.empty(total))
    _sparsetools.csr_tocsc(count, keys, cut_indptr, cut_columns, cut_weights, csc_indptr, csc_rows, csc_weights)
    _sparsetools.csc_matvec(count, keys, csc_indptr, csc_rows, csc_weights, mine.weights, out)
    return out


def room(array: np.ndarray, size: int, exact: bool = False) -> np.ndarray:
    """The array itself when it holds ``size`` values, else a copy twice as long (or ``size``; just ``size``
    when ``exact``), zero-filled.

    Example: ``room(np.array([1, 2]), 3)`` is ``array([1, 2, 0, 0])``.
    """
    if len(array) >= size:
        return array
    grown = np.zeros(size if exact else max(size, 2 * len(array)), array.dtype)  # pages not written stay unmapped
    grown[: len(array)] = array
    return grown
