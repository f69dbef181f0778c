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

from .fieldspool import write_all

#: ``sketch(texts)`` -> (exact keys, 16 bytes a text; MinHash rows; which have no shingle[; places]): what
#: ``signatures.sketcher`` makes (the places, an ``(n, 3)`` int64 array, when it keeps the shingle hashes in a store).
Sketch = Callable[[Sequence[str]], tuple]
#: A signer's answer: exact keys, MinHash rows, empty flags, and the places in a shingle store (None without one).
Answer = tuple[bytes, np.ndarray, np.ndarray, "np.ndarray | None"]
#: ``verify(pairs, places, texts)`` -> the Jaccard of each row pair (float64): what ``verify._scores_at`` does with
#: the run's shingle size and store; ``places`` are the shingle-store places of the pairs' rows (sorted, each once),
#: ``texts`` the texts of those rows the store does not hold, by row.
Verify = Callable[[np.ndarray, np.ndarray, dict[int, str]], np.ndarray]
#: The answer to a verification (:meth:`Signer.verify`): the scores, or None when it raised in the signer.
Verified = "np.ndarray | None"
#: Batches sent to a signer at once: it finds the next waiting when it ends one.
SLOTS = 2
#: Buffers written by one ``os.pwritev`` (the system takes at most ``IOV_MAX``, 1,024 on Linux).
_IOV_MOST = 512
_I64 = np.int64
_DONE = np.array([1], dtype=_I64).tobytes()
_FAILED = np.array([0], dtype=_I64).tobytes()


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


def _serve(sketch: Sketch, verify: Verify | None, requests: int, answers: int, slots: Sequence[int]) -> None:
    """A signer's life: read a batch's head from the pipe (its slot, text count and size in bytes), the batch from
    that slot's file (each text's UTF-8 length, the texts; a text count of -1: a verification, see
    :meth:`Signer.verify`), write its answer there after the batch and the answer's size to the pipe; until the
    parent closes the pipe."""
    while (head := _read_exactly(requests, 24)) is not None:
        slot, count, size = np.frombuffer(head, dtype=_I64).tolist()
        data = _pread_all(slots[slot], size, 0)
        if data is None:
            return
        if count < 0:
            answer = _verified(verify, data)
        else:
            answer = _packed(*sketch(_texts(data, count)))
        write_all(slots[slot], answer, at=size)
        write_all(answers, np.array([len(answer)], dtype=_I64).tobytes())


def _texts(data: bytes, count: int, offset: int = 0) -> list[str]:
    """``count`` texts from ``data`` at ``offset``: each one's UTF-8 length (int64), then the texts."""
    lengths = np.frombuffer(data, dtype=_I64, count=count, offset=offset)
    bounds = (offset + 8 * count + np.r_[0, np.cumsum(lengths)]).tolist()
    return [data[a:b].decode("utf-8", "surrogatepass") for a, b in itertools.pairwise(bounds)]


def _text_parts(texts: Sequence[str]) -> list[bytes]:
    """What :func:`_texts` reads, in parts: each text's UTF-8 length, then the texts."""
    data = [text.encode("utf-8", "surrogatepass") for text in texts]
    return [np.array([len(part) for part in data], dtype=_I64).tobytes(), *data]


def _text_bytes(texts: Sequence[str]) -> bytes:
    """:func:`_text_parts` joined."""
    return b"".join(_text_parts(texts))


def _write_parts(fd: int, parts: Sequence[bytes], at: int) -> int:
    """Write ``parts`` one after another into the file at ``fd`` from offset ``at``, without joining them
    (``os.pwritev``, :data:`_IOV_MOST` at a time: a batch's joined copy cost the reading process its 16 MB and their
    pages' faults); the bytes written."""
    start = at
    for first in range(0, len(parts), _IOV_MOST):
        chunk = parts[first : first + _IOV_MOST]
        size = sum(map(len, chunk))
        done = os.pwritev(fd, chunk, at)
        if done < size:  # written in part (the system may): the rest as one buffer
            write_all(fd, b"".join(chunk)[done:], at=at + done)
        at += size
    return at - start


def _verification(pairs: np.ndarray, places: np.ndarray, texts: dict[int, str]) -> bytes:
    """A verification request: the pair, place and text counts, the pairs, the places, the texts' rows, the texts."""
    rows = list(texts)
    return b"".join([np.array([len(pairs), len(places), len(rows)], dtype=_I64).tobytes(),
                     np.ascontiguousarray(pairs, _I64).tobytes(), np.ascontiguousarray(places, _I64).tobytes(),
                     np.array(rows, dtype=_I64).tobytes(), _text_bytes([texts[row] for row in rows])])


def _verified(verify: Verify | None, data: bytes) -> bytes:
    """The answer to a verification request: 1 and the scores (float64), or 0 when it raised (the parent then
    verifies the block itself, and sees the error there if it is one)."""
    try:
        pairs, places, rows = np.frombuffer(data, dtype=_I64, count=3).tolist()
        start = 24 + 16 * pairs + 24 * places
        found = np.frombuffer(data, dtype=_I64, count=2 * pairs, offset=24).reshape(pairs, 2)
        kept = np.frombuffer(data, dtype=_I64, count=3 * places, offset=24 + 16 * pairs).reshape(places, 3)
        texts = dict(zip(np.frombuffer(data, dtype=_I64, count=rows, offset=start).tolist(),
                         _texts(data, rows, start + 8 * rows)))
        assert verify is not None
        scores = np.asarray(verify(found, kept, texts), dtype=np.float64)
    except Exception:  # noqa: BLE001 - the parent verifies the block itself
        return _FAILED
    return _DONE + scores.tobytes()


class Signer:
    """A process forked to sign the batches of texts sent to it, in the order sent. Each batch waits in a file of its
    own (one of :data:`SLOTS`), so the next is there when the signer ends one and neither process waits for the
    other; ``batches`` holds those sent and not yet answered, oldest first: (read position of the first text, text
    count, slot, bytes sent: where the answer follows)."""

    def __init__(self, sketch: Sketch, others: Sequence[Signer] = (), verify: Verify | None = None) -> None:
        made: list[int] = []  # the slots' files, then the two pipes' ends: closed again when the fork fails
        try:
            for _ in range(SLOTS):
                made.append(_scratch())
            made.extend(os.pipe())
            made.extend(os.pipe())
            self.pid = os.fork()
        except OSError:
            for fd in made:
                os.close(fd)
            raise
        self.slots = made[:SLOTS]
        requests, self.requests, self.answers, answers = made[SLOTS:]
        if self.pid == 0:  # the child: serve, then leave without running the parent's exit handlers
            status = 1
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                inherited = [fd for other in others for fd in (other.requests, other.answers, *other.slots)]
                for fd in (self.requests, self.answers, *inherited):
                    os.close(fd)  # held here, another signer's requests would never end (nor its files be freed)
                _serve(sketch, verify, requests, answers, self.slots)
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
        return self._request(start, len(texts), _text_parts(texts))

    def verify(self, tag: int, pairs: np.ndarray, places: np.ndarray, texts: dict[int, str]) -> bool:
        """Hand it a block of pairs to verify with the ``verify`` it was made with (a slot must be free); False when it
        is gone. ``tag`` (negative) stands in :attr:`batches` for a batch's read position."""
        return self._request(tag, -1, [_verification(pairs, places, texts)])

    def _request(self, start: int, count: int, body: Sequence[bytes]) -> bool:
        """Write a request (its parts one after another) to a free slot and its head to the pipe; False when it is
        gone."""
        slot = min(set(range(SLOTS)) - {batch[2] for batch in self.batches})
        try:
            size = _write_parts(self.slots[slot], body, 0)
            write_all(self.requests, np.array([slot, count, size], dtype=_I64).tobytes())
        except OSError:  # BrokenPipeError when it is gone
            self.alive = False
            return False
        self.batches.append((start, count, slot, size))
        return True

    def done(self) -> bool:
        """Whether the answer to its oldest batch (or its end) is waiting in the pipe."""
        return bool(select.select([self.answers], [], [], 0)[0])

    def answer(self) -> tuple[int, Answer | tuple[Verified] | None]:
        """Its oldest batch's read position and keys, rows, empty flags and places (waiting for them), or a
        verification's tag and its scores (in a 1-tuple: None when it raised); None for them when it failed (it then
        has no batch left: the others it held are lost too)."""
        start, count, slot, sent = self.batches.popleft()
        head = _read_exactly(self.answers, 8)
        data = None if head is None else _pread_all(self.slots[slot], int.from_bytes(head, "little"), sent)
        if data is None:
            self.alive = False
            self.batches.clear()
            return start, None
        if count < 0:
            return start, (np.frombuffer(data, dtype=np.float64, offset=8) if data[:8] == _DONE else None,)
        return start, _unpacked(data, count)

    def close(self) -> None:
        """End it (idle, it waits on a pipe that worker processes forked since may hold open too, so it is killed
        rather than told that no batch follows)."""
        for fd in (self.requests, self.answers, *self.slots):
            os.close(fd)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
