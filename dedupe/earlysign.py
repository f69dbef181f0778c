"""Signatures begun while the input is still being read: the texts read so far signed in forked processes.

Reading (JSON decoding, checking, building articles) is serial in the parent. On a machine with a core to
spare, an :class:`EarlySigner` hands the texts read so far to a process forked for them (it inherits them, so
nothing is pickled but the signatures coming back) while the parent reads on; what is still unsigned when
reading ends is signed by the engine's workers as before (see ``signatures.signature_matrix``'s ``known``).
A text's signature does not depend on which process signs it, nor with which others, so the matrix is the same.
"""

from __future__ import annotations

import os
import select
import signal
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Self

import numpy as np

from .types import Article

#: ``sketch(texts)`` -> (exact keys, 16 bytes a text; MinHash rows; which have no shingle): ``_sketch_task``.
Sketch = Callable[[Sequence[str]], "tuple[bytes, np.ndarray, np.ndarray]"]
#: A signer is forked for at least this many texts read and not yet handed out ...
LEAST_TEXTS = 1_024
#: ... and at most this many (or characters): what it still has to do when reading ends is bounded.
MOST_TEXTS, MOST_CHARS = 8_192, 1 << 25
#: Texts read between two looks at whether a signer is done.
LOOK_EVERY = 128


@dataclass
class _Signer:
    """One forked process signing the texts read at positions ``start`` to ``start + count``."""

    pid: int
    pipe: int
    start: int
    count: int

    def done(self) -> bool:
        """Whether its answer (or its end) is waiting in the pipe."""
        return bool(select.select([self.pipe], [], [], 0)[0])

    def answer(self) -> tuple[bytes, np.ndarray, np.ndarray] | None:
        """Its keys, rows and empty flags (waiting for them), or None when it failed."""
        chunks = []
        with os.fdopen(self.pipe, "rb") as pipe:
            while chunk := pipe.read(1 << 20):
                chunks.append(chunk)
        _, status = os.waitpid(self.pid, 0)
        return None if status else _unpacked(b"".join(chunks), self.count)

    def stop(self) -> None:
        """End it without its answer."""
        os.close(self.pipe)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)


def _packed(keys: bytes, rows: np.ndarray, empty: np.ndarray) -> bytes:
    """A signer's answer as bytes: permutations per row (4 bytes), the keys, the rows, the empty flags."""
    return b"".join([np.uint32(rows.shape[1]).tobytes(), keys, np.ascontiguousarray(rows, np.uint32).tobytes(),
                     empty.astype(np.bool_).tobytes()])


def _unpacked(data: bytes, count: int) -> tuple[bytes, np.ndarray, np.ndarray] | None:
    """:func:`_packed`'s keys, rows and flags for ``count`` texts; None unless ``data`` is exactly that."""
    if len(data) < 4:
        return None
    num_perm = int(np.frombuffer(data[:4], dtype=np.uint32)[0])
    rows_at, flags_at = 4 + 16 * count, 4 + 16 * count + 4 * count * num_perm
    if len(data) != flags_at + count:
        return None
    rows = np.frombuffer(data, dtype=np.uint32, count=count * num_perm, offset=rows_at).reshape(count, num_perm)
    return data[4:rows_at], rows, np.frombuffer(data, dtype=np.bool_, offset=flags_at)


def _fork(sketch: Sketch, texts: list[str], start: int) -> _Signer:
    """A process forked to sign ``texts`` (inherited, not pickled) and write its answer to a pipe, then exit."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: sign, answer, leave without running the parent's exit handlers
        status = 1
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            os.close(read)
            with os.fdopen(write, "wb") as pipe:
                pipe.write(_packed(*sketch(texts)))
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    return _Signer(pid, read, start, len(texts))


class EarlySigner:
    """Signs texts in forked processes (at most ``signers`` at once) as they are read; :meth:`reading` feeds it.

    Use it as a context manager: signers still running on leaving are stopped. Example::

        with EarlySigner(sketch, 1) as signer:
            ordered = prepare(signer.reading(articles))
            matrix = signature_matrix(ordered, ..., known=signer.known(ordered))
    """

    def __init__(self, sketch: Sketch, signers: int) -> None:
        self.sketch, self.signers = sketch, max(1, signers)
        self.ids: list[str] = []
        self.pending: list[str] = []
        self.pending_chars = 0
        self.running: list[_Signer] = []
        self.answers: list[tuple[int, tuple[bytes, np.ndarray, np.ndarray]]] = []

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        for signer in self.running:
            signer.stop()
        self.running = []

    def reading(self, articles: Iterable[Article]) -> Iterator[Article]:
        """The articles, unchanged, each one's content handed to the signers as it passes."""
        for article in articles:
            content = article.content
            self.ids.append(article.id)
            self.pending.append(content)
            self.pending_chars += len(content)
            if len(self.pending) % LOOK_EVERY == 0 or self.pending_chars >= MOST_CHARS:
                self._look()
            yield article

    def _look(self) -> None:
        """Take the answers of finished signers; fork one for the texts waiting when fewer than ``signers`` run."""
        for signer in [s for s in self.running if s.done()]:
            self.running.remove(signer)
            found = signer.answer()
            if found is not None:
                self.answers.append((signer.start, found))
        if len(self.running) < self.signers and len(self.pending) >= LEAST_TEXTS:
            take = min(len(self.pending), MOST_TEXTS)
            start = len(self.ids) - len(self.pending)
            self.running.append(_fork(self.sketch, self.pending[:take], start))
            del self.pending[:take]
            self.pending_chars = sum(map(len, self.pending))

    def known(self, ordered: Sequence[Article]) -> Known:
        """What the signers found or are finding, by position in ``ordered`` (the articles read, in any order)."""
        place = {article.id: row for row, article in enumerate(ordered)}
        rows = np.array([place[i] for i in self.ids], dtype=np.int64) if self.ids else np.empty(0, np.int64)
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

    def fill(self, exact: np.ndarray, hashvalues: np.ndarray, empty: np.ndarray) -> np.ndarray:
        """Write the signers' answers into the matrix's arrays (waiting for those still running); the rows
        promised that a failed signer left unwritten."""
        failed: list[np.ndarray] = []
        for signer in self.signer.running:
            found = signer.answer()
            where = self.rows[signer.start : signer.start + signer.count]
            if found is None:
                failed.append(where)
            else:
                self.signer.answers.append((signer.start, found))
        self.signer.running = []
        for start, (keys, rows, flags) in self.signer.answers:
            where = self.rows[start : start + len(rows)]
            exact[where] = np.frombuffer(keys, dtype=np.uint64).reshape(-1, 2)
            hashvalues[where], empty[where] = rows, flags
        self.signer.answers = []
        return np.concatenate([*failed, np.empty(0, np.int64)])
