"""The blocked pairs that the candidate cap left unscored: spooled to a temporary file, counted between groups."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

import numpy as np

from .fieldspool import OffsetFile
from .pairtable import ROWS_PER_STEP, PairTable, sorted_in, stable_order

#: Bytes of one pair in the file: two int32 article rows.
PAIR_BYTES = 8


class PairSpool:
    """Pairs of rows into ``ids`` (int32), in the order appended, held in a temporary file (8 bytes a pair) and
    read back a chunk at a time: the blocked pairs the cap left out wait there, out of memory, while the kept
    pairs are scored, and clustering reads them once to count them between groups.

    Example: after ``spool.append(np.array([0, 1]), np.array([2, 2]))``, ``len(spool)`` is 2 and
    ``list(spool.chunks())`` is one chunk ``([0, 1], [2, 2])``; ``spool.table()`` gives them as a table.
    """

    def __init__(self, ids: Sequence[str]) -> None:
        self.ids = tuple(ids)
        self.file = OffsetFile()
        self.count = 0

    def __len__(self) -> int:
        return self.count

    def append(self, left: np.ndarray, right: np.ndarray) -> None:
        """Add pairs ``(left[i], right[i])`` at the end."""
        if len(left):
            self.file.append(np.column_stack((left, right)).astype(np.int32, copy=False).tobytes())
            self.count += len(left)

    def chunks(self, rows: int = ROWS_PER_STEP) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """The pairs in order, ``rows`` at a time, as ``(left, right)`` int32 arrays."""
        for start in range(0, self.count, rows):
            end = min(self.count, start + rows)
            block = np.frombuffer(self.file.read(start * PAIR_BYTES, end * PAIR_BYTES), dtype=np.int32)
            yield block[0::2], block[1::2]

    def table(self) -> PairTable:
        """Every pair, in memory (for small spools and tests)."""
        parts = [(np.zeros(0, dtype=np.int32),) * 2, *self.chunks()]
        return PairTable(self.ids, *(np.concatenate(column) for column in zip(*parts)))  # type: ignore[call-arg]

    def close(self) -> None:
        """Delete the file."""
        self.file.close()


def spooled(ids: Sequence[str], chunks: Iterable[tuple[np.ndarray, np.ndarray]]) -> PairSpool:
    """A spool of the pairs of ``chunks``, in order. Example: ``spooled(ids, table.chunks())``."""
    spool = PairSpool(ids)
    for left, right in chunks:
        spool.append(left, right)
    return spool


#: What holds the left-out pairs: a table, or the spool they wait in (read a chunk at a time either way).
Pairs = PairTable | PairSpool

#: The left-out pairs as each article row's neighbours: ``(bounds, neighbours)``, see :func:`adjacency`.
Adjacency = tuple[np.ndarray, np.ndarray]
#: Capped pairs whose starting group pair is worked out at a time (bounds the temporaries, ~100 MB).
PAIRS_PER_PASS = 1 << 21


class CappedLinks:
    """How many of the pairs between two groups of articles were blocked and then left out by the cap.

    ``table`` holds those pairs (a table, or the spool :func:`~dedupe.match.unscored` hands on), read a chunk
    at a time and not kept; ``groups`` numbers the starting groups; ``linked`` (sorted keys ``i * len(groups) +
    j``, see :func:`~dedupe.linkage.linked_groups`), when given, limits the starting counts kept to those pairs
    of groups: :meth:`starting` then answers 0 for the others. ``pairs_adjacency``: :func:`adjacency` of ``table``,
    when already made (clustering's two passes share one). ``weights`` (when given): each article's weight
    (absent: 1); the counts are then the pairs' total weight, a pair weighing the product of its two articles'. The
    pairs are held as an adjacency over the table's article rows, so a merged group's counts to every other group are
    found from its members' rows alone (no entry per pair of groups is kept).
    Example: pairs (a, c), (b, c) and groups ``{0: {a, b}, 1: {c}}`` give ``counts(0) == {1: 2}``.
    """

    def __init__(self, table: Pairs, groups: Mapping[int, frozenset[str]], linked: np.ndarray | None = None,
                 pairs_adjacency: Adjacency | None = None, weights: Mapping[str, float] | None = None) -> None:
        row_of = {article_id: row for row, article_id in enumerate(table.ids)}
        self.weights = None if weights is None else np.array([weights.get(i, 1.0) for i in table.ids])
        self.owner = np.full(len(table.ids), -1, dtype=np.int64)
        self.rows: dict[int, np.ndarray] = {}
        for index, group in groups.items():
            self.rows[index] = np.array(sorted(row_of[m] for m in group if m in row_of), dtype=np.int64)
            self.owner[self.rows[index]] = index
        self.bounds, self.neighbours = pairs_adjacency or adjacency(table)
        self.groups = len(groups)
        self.marked = np.zeros(self.groups + 1, dtype=bool)  # groups asked about (see :meth:`counts`)
        self.keys, self.key_counts = self._starting(table, linked)

    def _starting(self, table: Pairs, linked: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """The pairs of starting groups ``i < j`` with capped pairs between them, as sorted keys
        ``i * groups + j``, and how many each has (counted ``PAIRS_PER_PASS`` pairs at a time); only those among
        the sorted keys ``linked`` when given (the only ones :meth:`starting` will be asked about)."""
        found, tallies = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
        for left, right in table.chunks(PAIRS_PER_PASS):
            low, high = self.owner[left], self.owner[right]
            between = (low >= 0) & (high >= 0) & (low != high)
            low, high = low[between], high[between]
            keys = np.minimum(low, high) * self.groups + np.maximum(low, high)
            kept = slice(None) if linked is None else sorted_in(keys, linked)
            keys, inverse = np.unique(keys[kept], return_inverse=True)
            found.append(keys)
            tallies.append(np.bincount(inverse, weights=self._pair_weights(left[between][kept], right[between][kept]),
                                       minlength=len(keys)))
        keys, inverse = np.unique(np.concatenate(found), return_inverse=True)
        totals = np.bincount(inverse, weights=np.concatenate(tallies), minlength=len(keys))
        return keys, totals.astype(np.int64) if self.weights is None else totals

    def _pair_weights(self, left: np.ndarray, right: np.ndarray) -> np.ndarray | None:
        """Each pair's weight (None without weights: each counts 1)."""
        return None if self.weights is None else self.weights[left] * self.weights[right]

    def starting(self, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        """For pairs of starting groups (``first < second``): how many capped pairs lie between them."""
        keys = first.astype(np.int64) * self.groups + second
        if not len(self.keys):
            return np.zeros(len(keys), dtype=np.int64)
        at = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
        return np.where(self.keys[at] == keys, self.key_counts[at], 0)

    def merge(self, i: int, j: int, kept: int) -> None:
        """Groups ``i`` and ``j`` are now one group, numbered ``kept`` (one of the two): its rows those of ``i``,
        then those of ``j``."""
        rows = np.concatenate((self.rows.pop(i), self.rows.pop(j)))
        self.rows[kept] = rows
        self.owner[rows] = kept

    def counts(self, group: int, among: list[int] | None = None) -> dict[int, float]:
        """For each other group with capped pairs to ``group`` (only those ``among`` the groups given, when
        given): how many (their weight, with weights)."""
        rows, neighbours = self._ends([group])
        owners = self.owner[neighbours]
        if among is None:
            outside = (owners >= 0) & (owners != group)
        else:
            self.marked[among] = True
            outside = self.marked[owners] & (owners >= 0)  # owner -1 reads the last mark: never set
            self.marked[among] = False
        others, inverse, counts = np.unique(owners[outside], return_inverse=True, return_counts=True)
        if self.weights is not None:
            weight = self._pair_weights(rows[outside], neighbours[outside])
            counts = np.bincount(inverse, weights=weight, minlength=len(others))
        return dict(zip(others.tolist(), counts.tolist()))

    def _ends(self, groups: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """Every capped pair with an end in ``groups``, as that end's row and the other end's (group by group)."""
        rows = np.concatenate([self.rows[group] for group in groups]) if groups else np.zeros(0, dtype=np.int64)
        lengths = self.bounds[rows + 1] - self.bounds[rows]
        offsets = np.repeat(self.bounds[rows] - (np.cumsum(lengths) - lengths), lengths)
        return np.repeat(rows, lengths), self.neighbours[offsets + np.arange(len(offsets))]


def adjacency(table: Pairs) -> Adjacency:
    """The pairs of ``table`` as each article row's neighbours, both directions: ``neighbours[bounds[r] :
    bounds[r + 1]]`` are row ``r``'s (first those it is the left of, then the right of, each in table order).

    Read three times ``PAIRS_PER_PASS`` pairs at a time (the degrees, then each direction), so only the result
    (4 bytes a pair and side) and one chunk's sort are held, whether ``table`` is in memory or spooled.
    Example: pairs (0, 1), (0, 2) give bounds ``[0, 2, 3, 4]`` and neighbours ``[1, 2, 0, 0]``.
    """
    size = len(table.ids)
    degrees = np.zeros(size, dtype=np.int64)
    for left, right in table.chunks(PAIRS_PER_PASS):
        degrees += np.bincount(left, minlength=size) + np.bincount(right, minlength=size)
    bounds = np.r_[0, np.cumsum(degrees)].astype(np.int64)
    neighbours = np.empty(2 * len(table), dtype=np.int32)
    free = bounds[:-1].copy()  # each row's next place
    for side in (0, 1):  # the rows' right neighbours first, then their left ones
        for pair in table.chunks(PAIRS_PER_PASS):
            end, other = pair[side], pair[1 - side]
            order = stable_order(end, size)
            counts = np.bincount(end, minlength=size)
            # the k-th pair of row r in the sorted chunk goes k places past r's next free place
            neighbours[(free - np.cumsum(counts) + counts)[end[order]] + np.arange(len(order))] = other[order]
            free += counts
    return bounds, neighbours
