"""Shingle hashes kept from signing for verification: each signing process appends its texts' hashes to a file.

Signing folds and hashes every text into its shingle hashes (:meth:`tokenhash.Batch.shingles`); verifying a
candidate pair needs the same hashes, sorted and distinct. Without a store, verification folds and hashes the
candidate texts again (a quarter of the texts at 100,000 articles, ~1 CPU s). With one, each signing process (an
early signer, a worker of the pool) appends the hashes of the texts it signs, as they are, to a file of its own in
a temporary folder, and answers each text's *place*: ``(process id, index of its first hash, count)``; verification
reads them back by place (``os.pread``) and only sorts them. A text the store does not hold (place count -1: a
long text, a failed write, a row signed elsewhere) is shingled again as before, so the scores never depend on it.
The files live in the page cache (~2.5 KB a news text) and are deleted when the store closes.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from typing import Self

import numpy as np

#: A place of a text not kept: shingle it again.
NOT_KEPT = (-1, 0, -1)
#: This process's open files, by (folder, process id): its file descriptor and the hashes written so far (-1 once
#: a write failed: the place of anything after is unknown, so nothing more is kept). Keyed by process id, as a
#: process forked from one that wrote inherits the table.
_writers: dict[tuple[str, int], list[int]] = {}
_readers: dict[tuple[str, int], int] = {}


class ShingleStore:
    """A temporary folder where signing processes keep their texts' shingle hashes (see the module's docstring).

    Use it as a context manager, created before the signing processes fork: the folder is removed on leaving
    (what a process still holds open goes with it). Example::

        with ShingleStore() as store:
            places = keep(store.folder, values, counts)  # in a signing process
            sets = kept_sets(store.folder, places, rows, shingle)  # in a verifying one
    """

    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="dedupe-shingles-")

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close this process's files of the store and remove its folder."""
        for table in (_writers, _readers):
            for key in [key for key in table if key[0] == self.folder]:
                entry = table.pop(key)
                os.close(entry[0] if isinstance(entry, list) else entry)
        shutil.rmtree(self.folder, ignore_errors=True)


def keep(folder: str, values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Append one batch's shingle hashes (``values``: text 0's, then text 1's...; ``counts`` per text, as
    :meth:`tokenhash.Batch.shingles` gives them) to this process's file in ``folder``; each text's place, an
    ``(n, 3)`` int64 array (all :data:`NOT_KEPT` when the file cannot be written)."""
    pid = os.getpid()
    entry = _writers.get((folder, pid))
    try:
        if entry is None:
            fd = os.open(os.path.join(folder, str(pid)), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            entry = _writers[folder, pid] = [fd, 0]
        if entry[1] >= 0:
            _write_all(entry[0], memoryview(np.ascontiguousarray(values, dtype=np.uint32)).cast("B"))
    except OSError:
        if entry is not None:
            entry[1] = -1
    places = np.empty((len(counts), 3), dtype=np.int64)
    places[:] = NOT_KEPT
    if entry is not None and entry[1] >= 0:
        places[:, 0], places[:, 1], places[:, 2] = pid, entry[1] + np.cumsum(counts) - counts, counts
        entry[1] += len(values)
    return places


def _write_all(fd: int, data: memoryview) -> None:
    """Write all of ``data`` at the end of the file ``fd``."""
    while len(data):
        data = data[os.write(fd, data):]


def kept_sets(folder: str, places: np.ndarray, rows: Sequence[int],
              shingle: Callable[[list[int]], list[np.ndarray]]) -> list[np.ndarray]:
    """The sorted distinct shingle hashes of each of ``rows`` (``places[k]`` is ``rows[k]``'s place): read from the
    store, or ``shingle(rows)`` of the rows it does not hold (the same sets, computed from their texts)."""
    found = [_read(folder, place) for place in places.tolist()]
    missing = [k for k, values in enumerate(found) if values is None]
    if missing:
        for k, values in zip(missing, shingle([rows[k] for k in missing])):
            found[k] = values
    return found  # type: ignore[return-value]


def _read(folder: str, place: list[int]) -> np.ndarray | None:
    """One text's sorted distinct hashes from the store; None when it is not kept or cannot be read."""
    pid, start, count = place
    if count < 0:
        return None
    try:
        fd = _readers.get((folder, pid))
        if fd is None:
            fd = _readers[folder, pid] = os.open(os.path.join(folder, str(pid)), os.O_RDONLY)
        data = os.pread(fd, 4 * count, 4 * start)
    except OSError:
        return None
    if len(data) != 4 * count:
        return None
    ordered = np.sort(np.frombuffer(data, dtype=np.uint32))
    keep_ = np.empty(len(ordered), dtype=bool)
    keep_[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep_[1:])
    return ordered[keep_]
