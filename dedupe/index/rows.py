"""Stored heads' weight dicts as arrays over one vocabulary, and the cosines of one article with many of them.

:func:`one_to_many` gives the cosines of one article with all its candidates at once, equal bit for bit to
:func:`dedupe.compare.cosine` (the products over the shorter side, in its order, added one by one);
:class:`Joined` keeps the rows of many heads end to end, so a check gathers its candidates' rows at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat

import numpy as np

from ..profile import Profile


@dataclass(frozen=True)
class Row:
    """One weight dict as arrays: each key's column and weight, in the dict's iteration order."""

    columns: np.ndarray
    weights: np.ndarray
    places: np.ndarray | None = None  # each key's place (from 1) in the full dict, when keys were left out


class Vocabulary:
    """Columns for the keys of the rows kept, and two scratch arrays as wide as the vocabulary."""

    def __init__(self) -> None:
        self.columns: dict[str, int] = {}
        self.dense = np.zeros(0)
        self.place = np.zeros(0)

    def row(self, weights: Mapping[str, float], grow: bool = True) -> Row:
        """The row of a weight dict; keys not in the vocabulary are added (``grow``) or left out.

        Left-out keys keep the order of the others: an article's own key absent from every stored row
        adds nothing to a cosine, so the rows of articles being checked never grow the vocabulary.
        """
        if grow:
            columns = np.fromiter(map(self.columns.get, weights, repeat(-1)), dtype=np.int64, count=len(weights))
            if (columns < 0).any():  # keys seen for the first time: give them the next columns
                keys = list(weights)
                for place in np.flatnonzero(columns < 0).tolist():
                    columns[place] = self.columns.setdefault(keys[place], len(self.columns))
            return Row(columns, np.fromiter(weights.values(), np.float64, len(weights)))
        kept = [(self.columns[k], w, p) for p, (k, w) in enumerate(weights.items(), start=1) if k in self.columns]
        return Row(np.array([c for c, _, _ in kept], dtype=np.int64), np.array([w for _, w, _ in kept]),
                   np.array([p for _, _, p in kept], dtype=np.float64))

    def scratch(self) -> tuple[np.ndarray, np.ndarray]:
        """The two zeroed scratch arrays, widened to the vocabulary when it grew."""
        if len(self.dense) < len(self.columns):
            size = max(len(self.columns), 2 * len(self.dense))
            self.dense, self.place = np.zeros(size), np.zeros(size)
        return self.dense, self.place


def one_to_many(vocabulary: Vocabulary, mine: Row, size: int, mine_first: np.ndarray, others: Sequence[Row]) -> np.ndarray:
    """``compare.cosine`` of one dict (``mine``, ``size`` keys before any were left out) with each of
    ``others``, NaN where it is None; ``mine_first[i]`` says whether ``mine`` is the left argument.

    The sum runs over the shorter dict (the left one on a tie) in its iteration order, as ``cosine`` does.
    """
    lengths = np.fromiter((len(o.columns) for o in others), dtype=np.int64, count=len(others))
    if not size or not lengths.sum():
        return one_to_rows(vocabulary, mine, size, mine_first, (lengths, np.zeros(0, np.int64), np.zeros(0)))
    rows = lengths, np.concatenate([o.columns for o in others]), np.concatenate([o.weights for o in others])
    return one_to_rows(vocabulary, mine, size, mine_first, rows)


def one_to_rows(vocabulary: Vocabulary, mine: Row, size: int, mine_first: np.ndarray,
                rows: tuple[np.ndarray, np.ndarray, np.ndarray]) -> np.ndarray:
    """:func:`one_to_many` with the other rows end to end: ``(lengths, columns, weights)``."""
    lengths, columns, all_weights = rows
    out = np.full(len(lengths), np.nan)
    if not size or not len(lengths):
        return out
    dense, place = vocabulary.scratch()
    dense[mine.columns] = mine.weights
    place[mine.columns] = np.arange(1.0, len(mine.columns) + 1) if mine.places is None else mine.places
    mine_values = dense[columns]
    hits = np.flatnonzero(mine_values)  # the keys both sides hold: the only products that are not 0
    ends = np.cumsum(lengths)
    segment = np.searchsorted(ends, hits, side="right")
    products = all_weights[hits] * mine_values[hits]
    mine_small = (size < lengths) | ((size == lengths) & mine_first)
    order_key = np.where(mine_small[segment], place[columns[hits]], hits - (ends - lengths)[segment] + 1.0)
    dense[mine.columns] = 0.0
    place[mine.columns] = 0.0
    keep = products != 0.0  # a product that underflowed adds nothing
    out[:] = np.minimum(1.0, ordered_sums(segment[keep], order_key[keep], products[keep], len(lengths)))
    out[lengths == 0] = np.nan
    return out


def ordered_sums(segment: np.ndarray, order_key: np.ndarray, values: np.ndarray, count: int) -> np.ndarray:
    """For each segment ``0..count-1``, its values added one after another in ``order_key`` order (whole
    numbers from 0: places in a dict; equal keys in the order given).

    Example: ``ordered_sums(np.array([0, 0, 1]), np.array([2., 1., 1.]), np.array([.1, .2, .3]), 2)``
    is ``[.2 + .1, .3]`` (the sum of a segment without values is 0).
    """
    width = float(order_key.max(initial=0.0)) + 1.0
    order = np.argsort(segment * width + order_key, kind="stable")  # segment, then key: one sort, not two
    counts = np.bincount(segment, minlength=count)
    table = np.zeros((count, int(counts.max(initial=0)) + 1))
    firsts = np.r_[0, np.cumsum(counts)[:-1]]
    ordered_segments = segment[order]
    table[ordered_segments, np.arange(len(order)) - firsts[ordered_segments]] = values[order]
    return np.add.accumulate(table, axis=1)[:, -1]


@dataclass(frozen=True)
class Head:
    """A stored head as scoring reads it: its profile without weight dicts, and their rows."""

    profile: Profile
    rows: dict[str, Row]


class Joined:
    """The rows of one kind of the heads decoded by :meth:`HeadMemory.warm`, end to end, so that the rows of
    a check's candidates are gathered with one fancy index instead of joined one by one."""

    def __init__(self, heads: Mapping[str, Head], kind: str) -> None:
        rows = [head.rows[kind] for head in heads.values()]
        self.places = {pid: place for place, pid in enumerate(heads)}
        self.lengths = np.fromiter((len(r.columns) for r in rows), dtype=np.int64, count=len(rows))
        self.starts = np.cumsum(self.lengths) - self.lengths
        self.columns = np.concatenate([r.columns for r in rows]) if rows else np.zeros(0, np.int64)
        self.weights = np.concatenate([r.weights for r in rows]) if rows else np.zeros(0)
        for head, start, length in zip(heads.values(), self.starts.tolist(), self.lengths.tolist()):
            head.rows[kind] = Row(self.columns[start : start + length], self.weights[start : start + length])
        self.used = len(self.columns)  # the arrays may hold room past the rows (see append)

    def append(self, pid: str, row: Row) -> None:
        """Take in the row of a head remembered after the warm-up (``add --fast`` placing a new head), at
        the end; the arrays are given room by doubling, so appending one head after another stays cheap."""
        count, used, width = len(self.places), self.used, len(row.columns)
        self.lengths, self.starts = _room(self.lengths, count + 1), _room(self.starts, count + 1)
        self.columns, self.weights = _room(self.columns, used + width), _room(self.weights, used + width)
        self.lengths[count], self.starts[count] = width, used
        self.columns[used : used + width], self.weights[used : used + width] = row.columns, row.weights
        self.places[pid], self.used = count, used + width

    def gather(self, ids: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """``(lengths, columns, weights)`` of the rows of ``ids`` end to end; None when one is not here."""
        if not all(i in self.places for i in ids):
            return None
        places = np.fromiter(map(self.places.__getitem__, ids), dtype=np.int64, count=len(ids))
        lengths = self.lengths[places]
        shifts = self.starts[places] - (np.cumsum(lengths) - lengths)
        index = np.repeat(shifts, lengths) + np.arange(int(lengths.sum()))
        return lengths, self.columns[index], self.weights[index]


def _room(array: np.ndarray, size: int) -> np.ndarray:
    """The array itself when it holds ``size`` values, else a copy twice as long (or ``size``), zero-filled.

    Example: ``_room(np.array([1, 2]), 3)`` is ``array([1, 2, 0, 0])``.
    """
    if len(array) >= size:
        return array
    return np.concatenate([array, np.zeros(max(size, 2 * len(array)) - len(array), array.dtype)])
