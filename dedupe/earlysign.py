"""Signatures begun while the input is still being read: the texts read so far signed in other processes.

Reading (JSON decoding, checking, building articles) is serial in the parent. An :class:`EarlySigner` forks its
signer processes when it starts (while the parent is still small: a fork of a parent holding the articles read
costs it a copy of every page it writes to after, ~1 CPU s per 100,000 articles for six forks), one per core; while
the parent reads, all but one of them are sent the texts read so far, a batch at a time, and when reading ends all
of them sign what is left (:meth:`Known.sign`, see ``signatures.signature_matrix``'s ``known``): the texts go to
them through files, not by forking workers from the grown parent, whose every text a worker touches costs a
copy-on-write fault (~11 us each, ~1 CPU s per 100,000 articles). Each signer finds the next batch waiting when it
ends one (see :mod:`dedupe.signerprocess`). A text's signature does not depend on which process signs it, nor with
which others, so the matrix is the same.
"""

from __future__ import annotations

import itertools
import select
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Self

import numpy as np

from .shinglesets import size_spans
from .signerprocess import Answer, Signer, Sketch, Verify
from .types import Article

#: A batch goes to an idle signer once at least this many texts wait ...
LEAST_TEXTS = 1_024
#: ... and holds at most this many texts (or characters): what a signer still has to do when reading ends is bounded.
MOST_TEXTS, MOST_CHARS = 4_096, 1 << 24
#: Texts read between two looks at whether a signer is done.
LOOK_EVERY = 128
#: A batch sent once reading is over holds at most this many texts (or characters): ~40 ms of signing, so the
#: signers end within a batch of each other.
REST_TEXTS, REST_CHARS = 512, 1 << 21
_I64 = np.int64


class EarlySigner:
    """Signs texts in ``signers`` forked processes, a batch at a time, as they are read; :meth:`reading` feeds it.

    Use it as a context manager: the signers are forked on entering and ended on leaving. Example::

        with EarlySigner(sketch, 1) as signer:
            ordered = prepare(signer.reading(articles))
            matrix = signature_matrix(ordered, ..., known=signer.known(ordered))
    """

    def __init__(self, sketch: Sketch, signers: int, while_reading: int | None = None,
                 verify: Verify | None = None) -> None:
        self.sketch, self.count, self.verify = sketch, max(1, signers), verify
        #: How many of the signers are sent texts while this process reads (the others wait for :meth:`Known.sign`).
        self.while_reading = self.count if while_reading is None else max(1, min(while_reading, self.count))
        self.ids: list[str] = []
        self.pending: list[Article] = []
        self.lengths: list[int] = []  # the pending articles' content lengths
        self.pending_chars = 0
        self.signers: list[Signer] = []
        self.answers: list[tuple[int, Answer]] = []

    def __enter__(self) -> Self:
        try:
            for _ in range(self.count):
                self.signers.append(Signer(self.sketch, self.signers, self.verify))
        except OSError:  # no file or process to be had: fewer signers (with none, the pool signs everything)
            pass
        except BaseException:  # interrupted while forking: end those forked, as leaving would
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        for signer in self.signers:
            signer.close()
        self.signers = []
        self.ids, self.pending, self.lengths, self.pending_chars, self.answers = [], [], [], 0, []  # let them go

    @property
    def running(self) -> list[Signer]:
        """The signers with batches sent and not yet answered."""
        return [signer for signer in self.signers if signer.batches]

    def reading(self, articles: Iterable[Article]) -> Iterator[Article]:
        """The articles, unchanged, each one's content handed to the signers as it passes."""
        for article in articles:
            self.ids.append(article.id)
            self.pending.append(article)
            self.lengths.append(article.content_length)
            self.pending_chars += self.lengths[-1]
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
            chars -= self.lengths[drop]
            drop += 1
        if drop:
            del self.pending[:drop], self.lengths[:drop]
            self.pending_chars = chars

    def _look(self) -> None:
        """Take the answers of signers done; send the texts waiting to signers with a free slot, the least busy
        first."""
        for signer in self.running:
            while signer.batches and signer.done():
                self.take(signer)
        for signer in sorted((s for s in self.signers[: self.while_reading] if s.free), key=lambda s: len(s.batches)):
            if len(self.pending) < LEAST_TEXTS:
                return
            take, chars = 0, 0
            while take < min(len(self.pending), MOST_TEXTS) and chars < MOST_CHARS:
                chars += self.lengths[take]
                take += 1
            if signer.send(len(self.ids) - len(self.pending), [a.content for a in self.pending[:take]]):
                del self.pending[:take], self.lengths[:take]
                self.pending_chars -= chars

    def offer(self, send: Callable[[Signer], bool]) -> None:
        """Offer each signer with a free slot requests: ``send(signer)`` sends it one, or answers False when none is
        left or the signer is gone."""
        for signer in self.signers:
            while signer.free and send(signer):
                pass

    def exchange(self, send: Callable[[Signer], bool], answered: Callable[[int, Any], object],
                 lost: Callable[[int, int], object]) -> bool:
        """One round with the signers, for every caller that waits on them (:meth:`Known.sign`, :meth:`Known.fill`,
        :class:`~dedupe.verify.SignerPool`): :meth:`offer` them requests, wait for an answer and take every answer
        ready, handing each to ``answered(tag, found)`` (its batch's read position or tag, and what
        :meth:`Signer.answer` found) and each batch a failed signer held to ``lost(tag, count)``; then offer the
        slots freed requests. False, without waiting, when no signer holds a request (none was left to send, or every
        signer is gone)."""
        self.offer(send)
        running = self.running
        if not running:
            return False
        ready = select.select([signer.answers for signer in running], [], [])[0]
        for signer in (s for s in running if s.answers in ready):
            held = [(tag, count) for tag, count, *_ in signer.batches]
            tag, found = signer.answer()
            if found is None:  # it failed: every batch it held is lost
                for held_tag, count in held:
                    lost(held_tag, count)
            else:
                answered(tag, found)
        self.offer(send)
        return True

    def take(self, signer: Signer) -> None:
        """Keep the answer to a signer's oldest batch (nothing when it failed)."""
        start, found = signer.answer()
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
        spans += [(start, length) for s in self.signer.running for start, length, *_ in s.batches]
        for start, length in spans:
            covered[self.rows[start : start + length]] = True
        return covered

    def signing(self) -> bool:
        """Whether a signer is still alive to sign the rows left after reading (:meth:`sign`)."""
        return any(signer.alive for signer in self.signer.signers)

    def sign(self, todo: np.ndarray, articles: Sequence[Article], out: tuple[np.ndarray, ...],
             on_rows: Callable[[np.ndarray, np.ndarray], object] | None = None,
             progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Have the signers sign the rows ``todo`` of ``articles`` (their contents, in batches of at most
        :data:`REST_TEXTS` texts sent as the signers' slots free) and write every answer into ``out`` (exact keys,
        MinHash rows, empty flags, places or None) as it comes, those to the batches sent while reading too, handing
        each to ``on_rows(rows, hashvalues)`` and its row count to ``progress``. Returns the rows a failed signer left
        unsigned."""
        waiting = _batches(todo, articles)
        sent: dict[int, np.ndarray] = {}  # the rows of each batch sent here, by its tag (-1, -2, ...: never a position)
        failed: list[np.ndarray] = []
        tags = itertools.count(1)
        answers, self.signer.answers = self.signer.answers, []  # those taken while reading
        for start, found in answers:
            self._keep(self.rows[start : start + len(found[1])], found, out, on_rows, progress)
        rows = next(waiting, None)

        def send(signer: Signer) -> bool:
            nonlocal rows
            tag = -next(tags)
            if rows is None or not signer.send(tag, [articles[row].content for row in rows.tolist()]):
                return False
            sent[tag], rows = rows, next(waiting, None)
            return True

        def batch(tag: int, count: int) -> np.ndarray:
            """The rows of a batch sent here (by its tag) or while reading (by its read position)."""
            return sent.pop(tag) if tag < 0 else self.rows[tag : tag + count]

        def answered(tag: int, found: Answer) -> None:
            self._keep(batch(tag, len(found[1])), found, out, on_rows, progress)

        while self.signer.exchange(send, answered, lambda tag, count: failed.append(batch(tag, count))):
            pass
        return np.concatenate([*failed, *([] if rows is None else [rows, *waiting]), np.empty(0, _I64)])

    @staticmethod
    def _keep(rows: np.ndarray, found: Answer, out: tuple[np.ndarray, ...],
              on_rows: Callable[[np.ndarray, np.ndarray], object] | None,
              progress: Callable[[int], None] | None) -> None:
        """One answer written at ``rows`` of ``out`` and handed on (see :meth:`sign`)."""
        _write(out, rows, found)
        if on_rows is not None:
            on_rows(rows, found[1])
        if progress is not None:
            progress(len(rows))

    def fill(self, exact: np.ndarray, hashvalues: np.ndarray, empty: np.ndarray,
             places: np.ndarray | None = None) -> np.ndarray:
        """Write the signers' answers into the matrix's arrays (waiting for those still signing; ``places``, when
        given, takes the places of the texts whose shingle hashes they kept); the rows promised that a failed
        signer left unwritten: :meth:`sign` with no rows left to send."""
        return self.sign(np.empty(0, _I64), (), (exact, hashvalues, empty, places))


def _batches(todo: np.ndarray, articles: Sequence[Article]) -> Iterator[np.ndarray]:
    """The rows ``todo`` in batches of at most :data:`REST_TEXTS` texts and (unless one is longer) :data:`REST_CHARS`
    characters of content, made as they are asked for (the first goes out at once)."""
    sizes = (articles[row].content_length for row in todo.tolist())
    return (todo[start:end] for start, end in size_spans(sizes, REST_TEXTS, REST_CHARS))


def _write(out: tuple[np.ndarray, ...], where: np.ndarray, found: Answer) -> None:
    """A signer's answer written into the matrix's arrays ``out`` (exact keys, MinHash rows, empty flags, and places
    or None) at rows ``where``."""
    exact, hashvalues, empty, places = out
    keys, rows, flags, kept = found
    exact[where] = np.frombuffer(keys, dtype=np.uint64).reshape(-1, 2)
    hashvalues[where], empty[where] = rows, flags
    if places is not None and kept is not None:
        places[where] = kept

