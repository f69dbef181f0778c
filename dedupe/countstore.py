"""A corpus's term counts held compactly: spooled to temporary files until the weighing, then kept as its weights."""

from __future__ import annotations

from array import array
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .fieldspool import OffsetFile
from .vectors import csr_pair

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

    def close(self) -> None:
        """Delete the two files (the spool cannot be read after)."""
        self.keys.close()
        self.counts.close()

    def _rewrite(self, code: str) -> None:
        """The counts written so far, rewritten in type ``code`` (a new file; the old one goes)."""
        old, self.counts = self.counts, OffsetFile()
        step = ENTRIES_PER_WRITE * np.dtype(self.code).itemsize
        for start in range(0, old.end, step):
            self.counts.append(array(code, array(self.code, old.read(start, min(old.end, start + step)))).tobytes())
        old.close()
        self.code = code


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
