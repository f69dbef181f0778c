"""A signer process: forked early, it signs the batches of texts sent to it, through unnamed files.

An :class:`~dedupe.earlysign.EarlySigner` forks one or more while the parent is small and sends them the texts it
reads. A batch (each text's UTF-8 length, then the texts) waits in a file of its own, one of :data:`SLOTS`, and only
its head goes through a pipe; the signer writes its answer after the batch in the same file and its size to a
pipe. So neither process waits for the other: the parent writes a batch at once (a pipe of 64 KB made it wait
while the signer read 16 MB, ~85 ms a batch), and the next batch is there when the signer ends one.
"""

from __future__ import annotations

import collections
import itertools
import os
import select
import signal
import tempfile
from collections.abc import Callable, Sequence

import numpy as np

#: ``sketch(texts)`` -> (exact keys, 16 bytes a text; MinHash rows; which have no shingle[; places]): what
#: ``signatures.sketcher`` makes (the places, an ``(n, 3)`` int64 array, when it keeps the shingle hashes in a store).
Sketch = Callable[[Sequence[str]], tuple]
#: A signer's answer: exact keys, MinHash rows, empty flags, and the places in a shingle store (None without one).
Answer = tuple[bytes, np.ndarray, np.ndarray, "np.ndarray | None"]
#: Batches sent to a signer at once: it finds the next waiting when it ends one.
SLOTS = 2
_I64 = np.int64


def _read_exactly(fd: int, size: int) -> bytes | None:
    """``size`` bytes from a pipe, or None when it ends first."""
    parts, left = [], size
    while left:
        part = os.read(fd, min(left, 1 << 22))
        if not part:
            return None
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def _pread_all(fd: int, size: int, offset: int) -> bytes | None:
    """``size`` bytes of a file from ``offset`` on, or None when it ends first."""
    parts, left = [], size
    while left:
        part = os.pread(fd, min(left, 1 << 30), offset + size - left)
        if not part:
            return None
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def _pwrite_all(fd: int, data: bytes, offset: int) -> None:
    """Write all of ``data`` to a file at ``offset``."""
    view = memoryview(data)
    while view:
        written = os.pwrite(fd, view[: 1 << 30], offset)
        view, offset = view[written:], offset + written


def _write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` to a pipe."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _scratch() -> int:
    """The descriptor of a new unnamed file (in memory where the system has ``memfd_create``, else in ``TMPDIR``)."""
    if hasattr(os, "memfd_create"):
        return os.memfd_create("dedupe-early-batch")
    with tempfile.TemporaryFile() as handle:
        return os.dup(handle.fileno())


def _packed(keys: bytes, rows: np.ndarray, empty: np.ndarray, places: np.ndarray | None = None) -> bytes:
    """A signer's answer as bytes: permutations per row and whether places follow (4 bytes each), the keys, the rows,
    the empty flags, the places (3 int64 a text) if any."""
    return b"".join([np.array([rows.shape[1], places is not None], dtype=np.uint32).tobytes(), keys,
                     np.ascontiguousarray(rows, np.uint32).tobytes(), empty.astype(np.bool_).tobytes(),
                     b"" if places is None else np.ascontiguousarray(places, np.int64).tobytes()])


def _unpacked(data: bytes, count: int) -> Answer:
    """The answer :func:`_packed` made for ``count`` texts."""
    num_perm, placed = np.frombuffer(data, dtype=np.uint32, count=2).tolist()
    keys_end = 8 + 16 * count
    rows = np.frombuffer(data, dtype=np.uint32, count=count * num_perm, offset=keys_end).reshape(count, num_perm)
    end = keys_end + 4 * num_perm * count
    empty = np.frombuffer(data, dtype=np.bool_, count=count, offset=end)
    if not placed:
        return data[8:keys_end], rows, empty, None
    return data[8:keys_end], rows, empty, np.frombuffer(data, np.int64, 3 * count, end + count).reshape(count, 3)


def _serve(sketch: Sketch, requests: int, answers: int, slots: Sequence[int]) -> None:
    """A signer's life: read a batch's head from the pipe (its slot, text count and size in bytes), the batch from
    that slot's file (each text's UTF-8 length, the texts), write its answer there after the batch and the answer's
    size to the pipe; until the parent closes the pipe."""
    while (head := _read_exactly(requests, 24)) is not None:
        slot, count, size = np.frombuffer(head, dtype=_I64).tolist()
        data = _pread_all(slots[slot], size, 0)
        if data is None:
            return
        bounds = (8 * count + np.r_[0, np.cumsum(np.frombuffer(data, dtype=_I64, count=count))]).tolist()
        texts = [data[a:b].decode("utf-8", "surrogatepass") for a, b in itertools.pairwise(bounds)]
        answer = _packed(*sketch(texts))
        _pwrite_all(slots[slot], answer, size)
        _write_all(answers, np.array([len(answer)], dtype=_I64).tobytes())


class Signer:
    """A process forked to sign the batches of texts sent to it, in the order sent. Each batch waits in a file of its
    own (one of :data:`SLOTS`), so the next is there when the signer ends one and neither process waits for the
    other; ``batches`` holds those sent and not yet answered, oldest first: (read position of the first text, text
    count, slot, bytes sent: where the answer follows)."""

    def __init__(self, sketch: Sketch, others: Sequence[Signer] = ()) -> None:
        self.slots: list[int] = []
        try:
            for _ in range(SLOTS):
                self.slots.append(_scratch())
        except OSError:
            for fd in self.slots:
                os.close(fd)
            raise
        requests, self.requests = os.pipe()
        self.answers, answers = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: serve, then leave without running the parent's exit handlers
            status = 1
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                for fd in (self.requests, self.answers, *(fd for o in others for fd in (o.requests, o.answers))):
                    os.close(fd)  # held here, another signer's requests would never end
                _serve(sketch, requests, answers, self.slots)
                status = 0
            finally:
                os._exit(status)
        os.close(requests)
        os.close(answers)
        self.batches: collections.deque[tuple[int, int, int, int]] = collections.deque()
        self.alive = True

    @property
    def free(self) -> bool:
        """Whether a batch can be sent to it now (it is alive and a slot is free)."""
        return self.alive and len(self.batches) < SLOTS

    def send(self, start: int, texts: list[str]) -> bool:
        """Hand it a batch of texts read from position ``start`` on (a slot must be free); False when it is gone."""
        slot = min(set(range(SLOTS)) - {batch[2] for batch in self.batches})
        data = [text.encode("utf-8", "surrogatepass") for text in texts]
        body = b"".join([np.array([len(part) for part in data], dtype=_I64).tobytes(), *data])
        try:
            _pwrite_all(self.slots[slot], body, 0)
            _write_all(self.requests, np.array([slot, len(data), len(body)], dtype=_I64).tobytes())
        except OSError:  # BrokenPipeError when it is gone
            self.alive = False
            return False
        self.batches.append((start, len(texts), slot, len(body)))
        return True

    def done(self) -> bool:
        """Whether the answer to its oldest batch (or its end) is waiting in the pipe."""
        return bool(select.select([self.answers], [], [], 0)[0])

    def answer(self) -> tuple[int, Answer | None]:
        """Its oldest batch's read position and keys, rows, empty flags and places (waiting for them); None for them
        when it failed (it then has no batch left: the others it held are lost too)."""
        start, count, slot, sent = self.batches.popleft()
        head = _read_exactly(self.answers, 8)
        data = None if head is None else _pread_all(self.slots[slot], int.from_bytes(head, "little"), sent)
        if data is None:
            self.alive = False
            self.batches.clear()
            return start, None
        return start, _unpacked(data, count)

    def close(self) -> None:
        """End it (idle, it waits on a pipe that worker processes forked since may hold open too, so it is killed
        rather than told that no batch follows)."""
        for fd in (self.requests, self.answers, *self.slots):
            os.close(fd)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
