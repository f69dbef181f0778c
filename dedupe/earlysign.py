"""Signatures begun while the input is still being read: the texts read so far signed in other processes.

Reading (JSON decoding, checking, building articles) is serial in the parent. On a machine with a core to
spare, an :class:`EarlySigner` sends the texts read so far, a batch at a time, to signer processes forked when it
starts (while the parent is still small: a fork of a parent holding the articles read costs it a copy of every
page it writes to after, ~1 CPU s per 100,000 articles for six forks) and reads on; what is still unsigned when
reading ends is signed by the engine's workers as before (see ``signatures.signature_matrix``'s ``known``). A
text's signature does not depend on which process signs it, nor with which others, so the matrix is the same.
"""

from __future__ import annotations

import itertools
import os
import select
import signal
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Self

import numpy as np

from .types import Article

#: ``sketch(texts)`` -> (exact keys, 16 bytes a text; MinHash rows; which have no shingle[; places]): what
#: ``signatures.sketcher`` makes (the places, an ``(n, 3)`` int64 array, when it keeps the shingle hashes in a store).
Sketch = Callable[[Sequence[str]], tuple]
#: A signer's answer: exact keys, MinHash rows, empty flags, and the places in a shingle store (None without one).
Answer = tuple[bytes, np.ndarray, np.ndarray, "np.ndarray | None"]
#: A batch goes to an idle signer once at least this many texts wait ...
LEAST_TEXTS = 1_024
#: ... and holds at most this many texts (or characters): what a signer still has to do when reading ends is bounded.
MOST_TEXTS, MOST_CHARS = 4_096, 1 << 24
#: Texts read between two looks at whether a signer is done.
LOOK_EVERY = 128
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


def _packed(keys: bytes, rows: np.ndarray, empty: np.ndarray, places: np.ndarray | None = None) -> bytes:
    """A signer's answer as bytes: permutations per row and whether places follow (4 bytes each), the keys, the rows,
    the empty flags, the places (3 int64 a text) if any."""
    return b"".join([np.array([rows.shape[1], places is not None], dtype=np.uint32).tobytes(), keys,
                     np.ascontiguousarray(rows, np.uint32).tobytes(), empty.astype(np.bool_).tobytes(),
                     b"" if places is None else np.ascontiguousarray(places, np.int64).tobytes()])


def _serve(sketch: Sketch, requests: int, answers: int) -> None:
    """A signer's life: read a batch (its count, each text's UTF-8 length, the texts), write its answer; until the
    parent closes the pipe."""
    while (head := _read_exactly(requests, 8)) is not None:
        count = int(np.frombuffer(head, dtype=_I64)[0])
        sizes = np.frombuffer(_read_exactly(requests, 8 * count) or b"", dtype=_I64)
        data = _read_exactly(requests, int(sizes.sum()))
        if data is None or len(sizes) != count:
            return
        bounds = np.r_[0, np.cumsum(sizes)].tolist()
        texts = [data[a:b].decode("utf-8", "surrogatepass") for a, b in itertools.pairwise(bounds)]
        _write_all(answers, _packed(*sketch(texts)))


def _write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` to a pipe."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class _Signer:
    """A process forked to sign the batches of texts sent to it, one at a time (``start``, ``count``: the read
    positions of the batch it is on; ``count`` 0 when idle)."""

    def __init__(self, sketch: Sketch, others: Sequence[_Signer] = ()) -> None:
        requests, self.requests = os.pipe()
        self.answers, answers = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: serve, then leave without running the parent's exit handlers
            status = 1
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                for fd in (self.requests, self.answers, *(fd for o in others for fd in (o.requests, o.answers))):
                    os.close(fd)  # held here, another signer's requests would never end
                _serve(sketch, requests, answers)
                status = 0
            finally:
                os._exit(status)
        os.close(requests)
        os.close(answers)
        self.start = self.count = 0
        self.alive = True

    def send(self, start: int, texts: list[str]) -> bool:
        """Hand it a batch of texts read from position ``start`` on; False when it is gone."""
        data = [text.encode("utf-8", "surrogatepass") for text in texts]
        head = np.array([len(data), *map(len, data)], dtype=_I64).tobytes()
        try:
            _write_all(self.requests, b"".join([head, *data]))
        except BrokenPipeError:
            self.alive = False
            return False
        self.start, self.count = start, len(texts)
        return True

    def done(self) -> bool:
        """Whether the answer to its batch (or its end) is waiting in the pipe."""
        return bool(select.select([self.answers], [], [], 0)[0])

    def answer(self) -> Answer | None:
        """Its batch's keys, rows, empty flags and places (waiting for them), or None when it failed; it is idle
        after."""
        count, self.count = self.count, 0
        head = _read_exactly(self.answers, 8)
        num_perm, placed = (0, 0) if head is None else np.frombuffer(head, dtype=np.uint32).tolist()
        data = None if head is None else _read_exactly(self.answers, (16 + 4 * num_perm + 1 + 24 * placed) * count)
        if data is None:
            self.alive = False
            return None
        rows = np.frombuffer(data, dtype=np.uint32, count=count * num_perm, offset=16 * count).reshape(count, num_perm)
        end = (16 + 4 * num_perm) * count
        empty = np.frombuffer(data, dtype=np.bool_, count=count, offset=end)
        places = np.frombuffer(data, dtype=np.int64, offset=end + count).reshape(count, 3) if placed else None
        return data[: 16 * count], rows, empty, places

    def close(self) -> None:
        """End it (idle, it waits on a pipe that worker processes forked since may hold open too, so it is killed
        rather than told that no batch follows)."""
        os.close(self.requests)
        os.close(self.answers)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)


class EarlySigner:
    """Signs texts in ``signers`` forked processes, a batch at a time, as they are read; :meth:`reading` feeds it.

    Use it as a context manager: the signers are forked on entering and ended on leaving. Example::

        with EarlySigner(sketch, 1) as signer:
            ordered = prepare(signer.reading(articles))
            matrix = signature_matrix(ordered, ..., known=signer.known(ordered))
    """

    def __init__(self, sketch: Sketch, signers: int) -> None:
        self.sketch, self.count = sketch, max(1, signers)
        self.ids: list[str] = []
        self.pending: list[Article] = []
        self.pending_chars = 0
        self.signers: list[_Signer] = []
        self.answers: list[tuple[int, Answer]] = []

    def __enter__(self) -> Self:
        for _ in range(self.count):
            self.signers.append(_Signer(self.sketch, self.signers))
        return self

    def __exit__(self, *exc: object) -> None:
        for signer in self.signers:
            signer.close()
        self.signers = []
        self.ids, self.pending, self.pending_chars, self.answers = [], [], 0, []  # let the articles held go

    @property
    def running(self) -> list[_Signer]:
        """The signers on a batch."""
        return [signer for signer in self.signers if signer.count]

    def reading(self, articles: Iterable[Article]) -> Iterator[Article]:
        """The articles, unchanged, each one's content handed to the signers as it passes."""
        for article in articles:
            self.ids.append(article.id)
            self.pending.append(article)
            self.pending_chars += article.content_length
            if len(self.pending) % LOOK_EVERY == 0 or self.pending_chars >= MOST_CHARS:
                self._look()
                self._bound()
            yield article

    def _bound(self) -> None:
        """Let the oldest texts waiting go beyond one batch's worth (:data:`MOST_TEXTS`, :data:`MOST_CHARS`):
        when the signers fall behind the reading, the engine's workers sign those after it, and this process
        holds no more articles than a batch (a read article's text is otherwise let go once spooled)."""
        drop, chars = 0, self.pending_chars
        while drop < len(self.pending) and (len(self.pending) - drop > MOST_TEXTS or chars > MOST_CHARS):
            chars -= self.pending[drop].content_length
            drop += 1
        if drop:
            del self.pending[:drop]
            self.pending_chars = chars

    def _look(self) -> None:
        """Take the answers of signers done; send the texts waiting to an idle one."""
        for signer in self.running:
            if signer.done():
                self.take(signer)
        idle = [signer for signer in self.signers if signer.alive and not signer.count]
        if idle and len(self.pending) >= LEAST_TEXTS:
            take, chars = 0, 0
            while take < min(len(self.pending), MOST_TEXTS) and chars < MOST_CHARS:
                chars += self.pending[take].content_length
                take += 1
            if idle[0].send(len(self.ids) - len(self.pending), [a.content for a in self.pending[:take]]):
                del self.pending[:take]
                self.pending_chars -= chars

    def take(self, signer: _Signer) -> None:
        """Keep a signer's answer (nothing when it failed)."""
        start = signer.start
        found = signer.answer()
        if found is not None:
            self.answers.append((start, found))

    def known(self, ordered: Sequence[Article]) -> Known:
        """What the signers found or are finding, by position in ``ordered`` (the articles read, in any order)."""
        place = {article.id: row for row, article in enumerate(ordered)}
        rows = np.array([place[i] for i in self.ids], dtype=_I64) if self.ids else np.empty(0, _I64)
        return Known(self, rows)


class Known:
    """Signatures an :class:`EarlySigner` has (or is still finding) for rows of a matrix being built."""

    def __init__(self, signer: EarlySigner, rows: np.ndarray) -> None:
        self.signer, self.rows = signer, rows

    def promised(self, count: int) -> np.ndarray:
        """Which of ``count`` rows the signers answer (or will, unless one fails)."""
        covered = np.zeros(count, dtype=bool)
        spans = [(start, len(found[1])) for start, found in self.signer.answers]
        spans += [(s.start, s.count) for s in self.signer.running]
        for start, length in spans:
            covered[self.rows[start : start + length]] = True
        return covered

    def fill(self, exact: np.ndarray, hashvalues: np.ndarray, empty: np.ndarray,
             places: np.ndarray | None = None) -> np.ndarray:
        """Write the signers' answers into the matrix's arrays (waiting for those still signing; ``places``, when
        given, takes the places of the texts whose shingle hashes they kept); the rows promised that a failed
        signer left unwritten."""
        failed: list[np.ndarray] = []
        for signer in self.signer.running:
            start, count = signer.start, signer.count
            self.signer.take(signer)
            if not signer.alive:
                failed.append(self.rows[start : start + count])
        for start, (keys, rows, flags, kept) in self.signer.answers:
            where = self.rows[start : start + len(rows)]
            exact[where] = np.frombuffer(keys, dtype=np.uint64).reshape(-1, 2)
            hashvalues[where], empty[where] = rows, flags
            if places is not None and kept is not None:
                places[where] = kept
        self.signer.answers = []
        return np.concatenate([*failed, np.empty(0, _I64)])
