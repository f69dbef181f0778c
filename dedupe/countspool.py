"""Term counts waiting in temporary files between extraction and the weighing, which reads them back by range."""

from __future__ import annotations

from array import array

import numpy as np

from .fieldspool import OffsetFile

#: Entries a :class:`~dedupe.corpusweights.TermCounts` holds in memory before it writes them to its spool
#: (5 MB of columns and one-byte counts).
ENTRIES_PER_WRITE = 2**20


class CountSpool:
    """Two flat columns of a corpus's counted terms, appended in runs: each entry's column (int32) and its
    count (in the ``array`` type code of the counts given, ``B``, ``H`` or ``i``; when a run comes in a wider
    type, the counts written so far are rewritten in it, once). Read back as numpy arrays by entry range.

    Example: ``spool = CountSpool(); spool.write(array("i", [4, 2]), array("B", [1, 3])); spool.read(1, 2)``
    gives ``(array([2], dtype=int32), array([3], dtype=uint8))``.
    """

    def __init__(self) -> None:
        self.keys, self.counts = OffsetFile(), OffsetFile()
        self.code, self.entries = "B", 0

    def write(self, keys: array, counts: array) -> None:
        """Append a run of entries: ``keys[i]`` counted ``counts[i]`` times (the two of one length)."""
        if len(keys) != len(counts):
            raise ValueError(f"{len(keys)} keys for {len(counts)} counts")
        if counts.typecode != self.code:
            self._rewrite(counts.typecode)
        self.keys.append(keys.tobytes())
        self.counts.append(counts.tobytes())
        self.entries += len(keys)

    def read(self, start: int, end: int) -> tuple[np.ndarray, np.ndarray]:
        """The columns and counts of entries ``start`` to ``end``."""
        width = np.dtype(self.code).itemsize
        keys = np.frombuffer(self.keys.read(4 * start, 4 * end), dtype=np.int32)
        return keys, np.frombuffer(self.counts.read(width * start, width * end), dtype=self.code)

    def _rewrite(self, code: str) -> None:
        """The counts written so far, rewritten in type ``code`` (a new file; the old one goes)."""
        old, self.counts = self.counts, OffsetFile()
        step = ENTRIES_PER_WRITE * np.dtype(self.code).itemsize
        for start in range(0, old.end, step):
            self.counts.append(array(code, array(self.code, old.read(start, min(old.end, start + step)))).tobytes())
        old.close()
        self.code = code
