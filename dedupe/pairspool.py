"""Pairs of articles waiting in a temporary file between stages: what the candidate cap left out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import numpy as np

from .fieldspool import OffsetFile
from .pairtable import ROWS_PER_STEP, PairTable

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
