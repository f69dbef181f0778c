"""Shingle hashes kept from signing for verification: each signing process appends its texts' hashes to a file.

Signing folds and hashes every text into its shingle hashes (:meth:`tokenhash.Batch.shingles`); verifying a
candidate pair needs the same hashes, sorted and distinct. Without a store, verification folds and hashes the
candidate texts again (a quarter of the texts at 100,000 articles, ~1 CPU s). With one, each signing process (an
early signer, a worker of the pool) appends the hashes of the texts it signs, as they are, to a file of its own
and answers each text's *place*: ``(file number, index of its first hash, count)``; verification reads them back
by place (``os.pread``) and only sorts them. A text the store does not hold (place count -1: a long text, a failed
write, no file free) is shingled again as before, so the scores never depend on it.

The files have no name: the store opens them (unnamed, in ``TMPDIR``) before the signing processes fork, so
every process inherits them, and each signing process takes one for itself with a POSIX lock (held per process,
so not by the processes it forks, and released when it ends). The system deletes them once the last process
holding them closes them or ends, even a process killed outright: nothing is ever left on disk. They live in the
page cache, ~2.5 KB a news text.
"""

from __future__ import annotations

import fcntl
import os
import secrets
import tempfile
from collections.abc import Callable, Sequence
from typing import IO, Self

import numpy as np

from .fieldspool import write_all

#: A place of a text not kept: shingle it again.
NOT_KEPT = (-1, 0, -1)
#: The files of each open store, by its key: inherited by the processes forked while it is open.
_stores: dict[str, list[int]] = {}
#: The file this process took in each store, by (key, process id): its number and the hashes written to it so far
#: (-1 once a write failed: the place of anything after is unknown, so nothing more is kept). Keyed by process id
#: too, as a process forked from one that wrote inherits the table but not the file's lock.
_writers: dict[tuple[str, int], list[int]] = {}


class ShingleStore:
    """Unnamed files where signing processes keep their texts' shingle hashes (see the module's docstring), one
    for each of up to ``files`` signing processes (a process finding none free keeps nothing).

    Use it as a context manager, created before the signing processes fork; its :attr:`key` names it to them.
    Leaving closes this process's files (the processes still holding them close theirs as they end). Example::

        with ShingleStore() as store:
            places = keep(store.key, values, counts)  # in a signing process
            sets = kept_sets(store.key, places, rows, shingle)  # in a verifying one
    """

    def __init__(self, files: int = 4) -> None:
        self.key = secrets.token_hex(8)
        self.files: list[IO[bytes]] = []
        try:
            for _ in range(files):
                self.files.append(tempfile.TemporaryFile())  # noqa: SIM115 - closed by close()
        except OSError:
            self.close()
            raise
        _stores[self.key] = [f.fileno() for f in self.files]

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close this process's files of the store: it keeps and reads nothing more."""
        _stores.pop(self.key, None)
        for key in [key for key in _writers if key[0] == self.key]:
            del _writers[key]
        for handle in self.files:
            handle.close()
        self.files = []


def _taken(key: str) -> list[int] | None:
    """This process's file in store ``key`` (its number and hashes written), taking a free one on first use;
    None when the store is closed or every file is held by another process."""
    pid = os.getpid()
    entry = _writers.get((key, pid))
    if entry is None:
        for number, fd in enumerate(_stores.get(key, ())):
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue
            entry = _writers[key, pid] = [number, os.fstat(fd).st_size // 4]
            break
    return entry


def keep(key: str, values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Append one batch's shingle hashes (``values``: text 0's, then text 1's...; ``counts`` per text, as
    :meth:`tokenhash.Batch.shingles` gives them) to this process's file of store ``key``; each text's place, an
    ``(n, 3)`` int64 array (all :data:`NOT_KEPT` when nothing can be kept)."""
    places = np.empty((len(counts), 3), dtype=np.int64)
    places[:] = NOT_KEPT
    entry = _taken(key)
    if entry is None or entry[1] < 0:
        return places
    try:
        write_all(_stores[key][entry[0]], memoryview(np.ascontiguousarray(values, dtype=np.uint32)).cast("B"),
                  at=4 * entry[1])
    except OSError:
        entry[1] = -1
        return places
    places[:, 0], places[:, 1], places[:, 2] = entry[0], entry[1] + np.cumsum(counts) - counts, counts
    entry[1] += len(values)
    return places


def kept_sets(key: str, places: np.ndarray, rows: Sequence[int],
              shingle: Callable[[list[int]], list[np.ndarray]]) -> list[np.ndarray]:
    """The sorted distinct shingle hashes of each of ``rows`` (``places[k]`` is ``rows[k]``'s place): read from
    store ``key``, or ``shingle(rows)`` of the rows it does not hold (the same sets, computed from their texts)."""
    files = _stores.get(key, [])
    found = [_read(files, place) for place in places.tolist()]
    missing = [k for k, values in enumerate(found) if values is None]
    if missing:
        for k, values in zip(missing, shingle([rows[k] for k in missing])):
            found[k] = values
    return found  # type: ignore[return-value]


def _read(files: list[int], place: list[int]) -> np.ndarray | None:
    """One text's sorted distinct hashes from the store's ``files``; None when it is not kept or cannot be
    read."""
    number, start, count = place
    if count < 0 or not 0 <= number < len(files):
        return None
    try:
        data = os.pread(files[number], 4 * count, 4 * start)
    except OSError:
        return None
    if len(data) != 4 * count:
        return None
    ordered = np.sort(np.frombuffer(data, dtype=np.uint32))
    keep_ = np.empty(len(ordered), dtype=bool)
    keep_[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep_[1:])
    return ordered[keep_]
