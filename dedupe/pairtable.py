"""Candidate pairs as index arrays: blocking and neighbour ranks without a Python object per pair."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

Pair = tuple[str, str]
#: Pair rows handled at a time where each needs a Python step: bounds the temporary lists.
ROWS_PER_STEP = 1 << 20
#: Candidate rows (both directions) ranked at a time by ``table_ranks``: bounds its sort's temporaries (~60 MB).
RANK_ROWS_PER_BLOCK = 1 << 21


@dataclass(frozen=True)
class PairTable:
    """Pairs of articles as rows of two index arrays into ``ids`` (sorted), sorted by (left, right).

    Because ``ids`` are sorted, the rows are in the order ``sorted()`` gives the id pairs.
    Example: ``PairTable(("a", "b", "c"), np.array([0, 1]), np.array([1, 2]))`` holds (a, b) and (b, c).
    """

    ids: tuple[str, ...]
    left: np.ndarray
    right: np.ndarray

    def __len__(self) -> int:
        return len(self.left)

    def pairs(self, start: int = 0, stop: int | None = None) -> list[Pair]:
        """Rows ``start:stop`` as id pairs."""
        ids = self.ids
        return [(ids[a], ids[b]) for a, b in zip(self.left[start:stop].tolist(), self.right[start:stop].tolist())]

    def chunks(self, rows: int = ROWS_PER_STEP) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """The rows in order, ``rows`` at a time, as ``(left, right)`` views (as a spool of pairs gives them)."""
        for start in range(0, len(self), rows):
            yield self.left[start : start + rows], self.right[start : start + rows]

    def take(self, rows: np.ndarray) -> PairTable:
        """The rows selected by a boolean mask or sorted row numbers."""
        return PairTable(self.ids, self.left[rows], self.right[rows])

    def row(self, a: str, b: str) -> int | None:
        """The row of the pair (a, b), else None (a binary search)."""
        i, j = _position(self.ids, a), _position(self.ids, b)
        if i is None or j is None:
            return None
        lo, hi = np.searchsorted(self.left, i, "left"), np.searchsorted(self.left, i, "right")
        at = int(lo + np.searchsorted(self.right[lo:hi], j))
        return at if at < hi and self.right[at] == j else None


def _position(ids: Sequence[str], value: str) -> int | None:
    """The index of ``value`` in the sorted ``ids``, else None."""
    lo, hi = 0, len(ids)
    while lo < hi:
        mid = (lo + hi) // 2
        if ids[mid] < value:
            lo = mid + 1
        else:
            hi = mid
    return lo if lo < len(ids) and ids[lo] == value else None


class PairValues(Mapping[Pair, float]):
    """A read-only mapping (a, b) -> value over a :class:`PairTable` and one array of values.

    What the same-story stage hands on (pair scores, neighbour ranks) without a dict entry per pair;
    consumers that read all of it use ``table`` and ``values`` directly.
    """

    def __init__(self, table: PairTable, values: np.ndarray) -> None:
        self.table, self.values = table, values

    def __getitem__(self, pair: Pair) -> float:
        row = self.table.row(*pair)
        if row is None:
            raise KeyError(pair)
        return self.values[row].item()

    def __iter__(self) -> Iterator[Pair]:
        for start in range(0, len(self.table), ROWS_PER_STEP):
            yield from self.table.pairs(start, start + ROWS_PER_STEP)

    def __len__(self) -> int:
        return len(self.table)


def table_of(pairs: Iterable[Pair]) -> PairTable:
    """The table of some id pairs (kept as given, any order), rows in ``sorted()`` order.

    Example: ``table_of([("b", "c"), ("a", "b")]).pairs()`` is ``[("a", "b"), ("b", "c")]``.
    """
    listed = list(pairs)
    ids = tuple(sorted({article_id for pair in listed for article_id in pair}))
    index = {article_id: row for row, article_id in enumerate(ids)}
    left = np.fromiter((index[a] for a, _ in listed), dtype=np.int32, count=len(listed))
    right = np.fromiter((index[b] for _, b in listed), dtype=np.int32, count=len(listed))
    order = np.lexsort((right, left))
    return PairTable(ids, left[order], right[order])


@lru_cache(maxsize=256)
def _upper(size: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column indices of the pairs of ``size`` members (i < j), cached per size."""
    return np.triu_indices(size, 1)


def upper_pairs(members: np.ndarray, size: int, start: int = 0, stop: int | None = None) -> np.ndarray:
    """The codes ``a * size + b`` of every pair ``a < b`` of the sorted ``members`` (int64), only those whose
    ``a`` is ``members[start:stop]`` when given.

    Example: ``upper_pairs(np.array([1, 4, 6]), 10)`` is ``[14, 16, 46]``; with ``start=1``, ``[46]``.
    """
    count = len(members)
    first, second = _upper(count)
    stop = count if stop is None else stop
    span = slice(start * count - start * (start + 1) // 2, stop * count - stop * (stop + 1) // 2)  # rows before
    rows = members.astype(np.int64)
    return rows[first[span]] * np.int64(size) + rows[second[span]]


def sorted_in(values: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Whether each of ``values`` is in the sorted ``known`` (``np.isin`` without its sort of both).

    Example: ``sorted_in(np.array([3, 4]), np.array([1, 3]))`` is ``[True, False]``.
    """
    if not len(known):
        return np.zeros(len(values), dtype=bool)
    return known[np.minimum(np.searchsorted(known, values), len(known) - 1)] == values


def stable_order(keys: np.ndarray, bound: int) -> np.ndarray:
    """``np.argsort(keys, kind="stable")`` for integer ``keys`` in ``[0, bound)``: each key and its position packed
    into one int64 and those sorted (numpy's vectorised sort of distinct integers: ~5 times faster than its stable
    argsort of 2M int32 keys); that argsort itself when the two do not fit in 63 bits.

    Example: ``stable_order(np.array([2, 0, 2, 1]), 3)`` is ``[1, 3, 0, 2]``.
    """
    if len(keys) < 2 or bool((keys[1:] >= keys[:-1]).all()):  # in order already (as a spool's left rows come)
        return np.arange(len(keys))
    shift = max(len(keys) - 1, 0).bit_length()
    if max(bound - 1, 0).bit_length() + shift > 63:
        return np.argsort(keys, kind="stable")
    packed = (keys.astype(np.int64) << shift) | np.arange(len(keys), dtype=np.int64)
    packed.sort()
    return packed & ((1 << shift) - 1)


def rounded_keys(values: np.ndarray, digits: int) -> np.ndarray:
    """Integers that order and tie as Python's ``round(v, digits)`` of the values (each in -1..1) do: the exact
    ``v * 10**digits`` rounded half to even, which is the decimal ``round`` gives.

    The float product is off by far less than 1e-6, so it rounds the same unless it lies within 1e-6 of a
    half; those few are taken from ``round`` itself. Example: ``rounded_keys(np.array([0.1234567891]), 9)``
    is ``[123456789]``.
    """
    scaled = values * 10.0**digits
    keys = np.floor(scaled + 0.5)
    doubtful = np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6)
    keys[doubtful] = [round(round(v, digits) * 10.0**digits) for v in values[doubtful].tolist()]
    return keys.astype(np.int64)


def table_ranks(table: PairTable, words: np.ndarray) -> np.ndarray:
    """For each row, the worse of the two ranks each article holds among the other's candidates.

    Candidates are ranked by word cosine (``words``, NaN counting as 0), ties by id; a pair of
    mutual nearest candidates gets 1 (see ``match.neighbour_ranks``). The articles are ranked in blocks
    of about ``RANK_ROWS_PER_BLOCK`` candidate rows (an article's rows are all in its block, so each gets
    the same ranks as in one sort of all rows), which bounds the sort's temporaries.
    """
    count = len(table)
    if not count:
        return np.zeros(0, dtype=np.int32)
    closeness = _closeness(words)
    ranks = np.empty((2, count), dtype=np.int32)  # each row's rank on its left article's side, then its right's
    for low, high in _rank_blocks(table):
        _rank_block(table, closeness, low, high, ranks)
    return np.maximum(ranks[0], ranks[1])


def _closeness(words: np.ndarray) -> np.ndarray:
    """Each row's sort key: minus its cosine's :func:`rounded_keys` (NaN as 0), computed ``ROWS_PER_STEP`` rows
    at a time (its temporaries are several arrays of the rows' size); int32 when the cosines lie in -1..1."""
    small = not len(words) or float(np.nanmax(np.abs(words), initial=0.0)) <= 1.0  # keys of at most 10**9
    closeness = np.empty(len(words), dtype=np.int32 if small else np.int64)
    for start in range(0, len(words), ROWS_PER_STEP):
        closeness[start : start + ROWS_PER_STEP] = -rounded_keys(
            np.nan_to_num(words[start : start + ROWS_PER_STEP], nan=0.0), 9)
    return closeness


def _rank_blocks(table: PairTable) -> list[tuple[int, int]]:
    """Ranges ``[low, high)`` of article rows, in order, each with about ``RANK_ROWS_PER_BLOCK`` candidate rows."""
    size = len(table.ids)
    held = np.bincount(table.left, minlength=size) + np.bincount(table.right, minlength=size)
    return even_ranges(held, RANK_ROWS_PER_BLOCK)


def even_ranges(counts: np.ndarray, per_range: int) -> list[tuple[int, int]]:
    """Ranges ``[low, high)`` of the indices of ``counts``, in order, covering them all, each holding about
    ``per_range`` of their total (a range holds at least one index, and ends just past where its share is
    reached). Example: ``even_ranges(np.array([2, 2, 2, 2]), 4)`` is ``[(0, 3), (3, 4)]``."""
    size, total = len(counts), float(counts.sum())
    count = max(1, int(np.ceil(total / per_range)))
    bounds = np.searchsorted(np.cumsum(counts), total * np.arange(1, count) / count, side="right") + 1
    edges = [0, *sorted(set(np.minimum(bounds, size).tolist())), size]
    return [(low, high) for low, high in itertools.pairwise(edges) if high > low]


def _rank_block(table: PairTable, closeness: np.ndarray, low: int, high: int, ranks: np.ndarray) -> None:
    """Fill ``ranks`` for the candidate rows of articles ``low:high``: on their left side for the rows whose
    left article is one of them (consecutive, the table being sorted), on their right side for the others."""
    left, right = table.left, table.right
    mine = np.arange(*np.searchsorted(left, [low, high]).tolist(), dtype=np.int64)
    theirs = np.flatnonzero((right >= low) & (right < high))
    article = np.concatenate((left[mine], right[theirs]))
    other = np.concatenate((right[mine], left[theirs]))
    order = np.lexsort((other, np.concatenate((closeness[mine], closeness[theirs])), article))
    del other
    sorted_article = article[order]
    del article
    starts = np.flatnonzero(np.r_[True, sorted_article[1:] != sorted_article[:-1]])
    del sorted_article
    places = np.arange(1, len(order) + 1, dtype=np.int32)
    places -= np.repeat(starts.astype(np.int32), np.diff(np.r_[starts, len(order)]))
    block = np.empty(len(order), dtype=np.int32)
    block[order] = places
    ranks[0, mine] = block[: len(mine)]
    ranks[1, theirs] = block[len(mine) :]
