"""Exact shingle Jaccard of candidate pairs: a block of pairs at a time, in forked workers or the early signers.

A block's texts' shingle sets are read back from the store where signing kept them, else the texts are shingled
again (:meth:`SignatureMatrix.shingles`), once per block: pairs are first put in an order that keeps each connected
group of rows in one block.
Each score is :func:`shinglesets.jaccard` of the two sets (a vectorised merge of a whole block's sets was
measured slower than numpy's per-pair ``intersect1d`` on sets of a few hundred hashes).
"""

from __future__ import annotations

import collections
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor, Future
from functools import partial
from typing import Any

import numpy as np

from .earlysign import EarlySigner
from .engine import Engine, LocalEngine, forks, shared_items, spans_of
from .shinglesets import jaccard, shingles_at
from .shinglestore import kept_sets
from .signatures import SignatureMatrix
from .signerprocess import Signer

#: Candidates verified per unit of work: their texts are read back and shingled together (~5 KB a row).
PAIRS_PER_BLOCK = 4_096
#: Label passes when grouping rows (the labels converge in about log2 of a group's span; any order is correct,
#: so a pathological graph only costs more rows shingled twice).
_MOST_PASSES = 64


def pair_scores(matrix: SignatureMatrix, pairs: np.ndarray, *, engine: Engine | None = None,
                pool: Executor | None = None, meanwhile: Callable[[], object] | None = None,
                on_block: Callable[[np.ndarray, np.ndarray], object] | None = None) -> np.ndarray:
    """The exact shingle Jaccard of each row pair of ``pairs`` (an ``(m, 2)`` int array), as float64.

    Blocks of :data:`PAIRS_PER_BLOCK` pairs run in ``pool`` when given (a :func:`~dedupe.engine.task_pool` sharing
    the matrix's contents, forked once for the signatures and these, or a :class:`SignerPool`: a block the signers
    lose is verified here), else in ``engine``'s workers when it forks
    them (they inherit the matrix and its texts; nothing but the scores comes back), else here. ``meanwhile()``,
    when given, is called once: while the pool verifies (this process would only wait), else before the scores.
    ``on_block(where, scores)`` is handed each block's scores as it comes (``where``: their indexes in ``pairs``),
    while the later blocks are still verified.
    Example: ``pair_scores(matrix, np.array([[0, 3], [1, 2]]))`` -> ``array([0.91, 1.0])``.
    """
    engine = engine or LocalEngine()
    order = together(pairs)
    ordered = pairs[order]
    spans = spans_of(len(pairs), PAIRS_PER_BLOCK)
    score = partial(block_scores, matrix)
    if pool is not None:
        at = verifier(matrix.shingle_size, matrix.store)
        futures = [pool.submit(at, ordered[a:b], _places(matrix, ordered[a:b])) for a, b in spans]
        found: Iterable[np.ndarray] = (_result(future, matrix, ordered[a:b]) for future, (a, b) in zip(futures, spans))
    elif forks(engine):
        found = engine.map_chunks(score, ordered, spans)
    else:
        found = map(score, (ordered[a:b] for a, b in spans))
    if meanwhile is not None:
        meanwhile()
    scores = np.empty(len(pairs))
    for (a, b), block in zip(spans, found, strict=True):  # strict: the engine finishes (and closes)
        scores[order[a:b]] = block
        if on_block is not None:
            on_block(order[a:b], block)
    return scores


def verifier(size: int, store: str | None) -> Callable[..., np.ndarray]:
    """What a pool's worker runs on a block: ``verify(pairs, places[, texts])``, :func:`_scores_at` with
    ``size``-word shingles and the shingle store ``store``. The one builder of it: the early signers are forked with
    it, and a :class:`SignerPool` takes no other."""
    return partial(_scores_at, size=size, store=store)


def _result(future: Future, matrix: SignatureMatrix, pairs: np.ndarray) -> np.ndarray:
    """A block's scores from the pool; verified here, from the matrix, when the signers lost it (:class:`BlockLost`:
    it raised in a signer, or the signer holding it failed). The one place a block falls back to this process."""
    try:
        return future.result()
    except BlockLost:
        return block_scores(matrix, pairs)


def together(pairs: np.ndarray) -> np.ndarray:
    """An order of ``pairs`` that puts each connected group of rows together (by its smallest row, then the pair),
    so that a block's texts are mostly shingled once: in input order, a row paired with rows far apart
    is shingled again in each of their blocks (twice as many rows at 100k articles)."""
    first, second = np.asarray(pairs[:, 0], dtype=np.int64), np.asarray(pairs[:, 1], dtype=np.int64)
    group = row_components(int(pairs.max(initial=-1)) + 1, first, second, _MOST_PASSES)
    return np.lexsort((second, first, group[first]))


def row_components(count: int, first: np.ndarray, second: np.ndarray, most_passes: int | None = None) -> np.ndarray:
    """For each of ``count`` rows, the smallest row linked to it through the pairs ``(first[k], second[k])``
    (its connected component's smallest row). Each pass lowers both ends of every pair to their smaller label,
    then jumps from label to label; it ends when a pass changes nothing, or after ``most_passes`` (the labels
    may then split a component in several). Example: ``row_components(4, [0, 3], [2, 2])`` -> ``[0, 1, 0, 0]``.
    """
    group = np.arange(count)
    passes = 0
    while most_passes is None or passes < most_passes:
        lowest = np.minimum(group[first], group[second])
        lowered = group.copy()
        np.minimum.at(lowered, first, lowest)
        np.minimum.at(lowered, second, lowest)
        lowered = lowered[lowered]
        if np.array_equal(lowered, group):
            break
        group, passes = lowered, passes + 1
    return group


def block_scores(matrix: SignatureMatrix, pairs: np.ndarray) -> np.ndarray:
    """:func:`pair_scores` of one block of pairs (one unit of work), each row's text shingled once."""
    return _scores(matrix.shingles, pairs)


def _places(matrix: SignatureMatrix, pairs: np.ndarray) -> np.ndarray | None:
    """The places in the matrix's shingle store of a block's rows (sorted, each once, as :func:`_scores` reads
    them); None without a store."""
    if matrix.store is None or matrix.places is None:
        return None
    return matrix.places[np.unique(pairs)]


def _unkept(pairs: np.ndarray, places: np.ndarray) -> list[int]:
    """The rows of a block whose shingle hashes the store does not hold (``places``: :func:`_places`)."""
    unkept = places[:, 2] < 0
    return np.unique(pairs)[unkept].tolist() if unkept.any() else []


class BlockLost(RuntimeError):
    """The signers could not verify a block: it raised in a signer, or the signer holding it failed."""


class SignerPool(Executor):
    """An :class:`~dedupe.earlysign.EarlySigner`'s signers as the pool that verifies, so no worker is forked from the
    grown parent: the signers (forked while the parent was small) kept every text's shingle hashes in the run's store,
    and a block of pairs needs only those and the texts of the few rows the store does not hold, read from
    ``contents`` as the block is sent.

    ``submit(verify, pairs, places)`` of the ``verify`` the signers were forked with (:func:`verifier`) sends the
    block to a signer with a free slot; any other call raises ``TypeError`` (this process has no worker to run it).
    There is no thread: waiting on a future's ``result()`` sends the blocks that wait and takes the answers that come.
    A block the signers could not verify ends in :class:`BlockLost`, which :func:`pair_scores` answers by verifying
    the block itself.
    """

    def __init__(self, signer: EarlySigner, contents: Sequence[str]) -> None:
        self.signer, self.contents = signer, contents
        self.waiting: collections.deque[_Block] = collections.deque()
        self.held: dict[int, _Block] = {}  # the blocks sent, by tag
        self.tags = itertools.count(1)

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        """Queue the block ``fn(pairs, places)``, sent at once if a signer has a free slot."""
        if kwargs or len(args) != 2 or not _same_call(fn, self.signer.verify):
            raise TypeError(f"the signers verify blocks only with the verify they were forked with, not {fn!r}")
        block = _Block(self, *args)
        self.waiting.append(block)
        self.signer.offer(self._send)
        return block

    def _send(self, signer: Signer) -> bool:
        """Send the oldest block waiting to ``signer``; False when none waits or the signer is gone."""
        if not self.waiting:
            return False
        block, tag = self.waiting[0], -next(self.tags)
        texts = {row: self.contents[row] for row in _unkept(block.pairs, block.places)}
        if not signer.verify(tag, block.pairs, block.places, texts):
            return False
        self.held[tag] = self.waiting.popleft()
        return True

    def pump(self) -> None:
        """Send the blocks waiting, wait for an answer and take every answer ready (see
        :meth:`~dedupe.earlysign.EarlySigner.exchange`); when no signer is left, every block waiting is lost."""
        if not self.signer.exchange(self._send, self._answered, lambda tag, _: self._lose(self.held.pop(tag))):
            while self.waiting:
                self._lose(self.waiting.popleft())

    def _answered(self, tag: int, found: tuple[np.ndarray | None]) -> None:
        """A signer's answer to a block: its scores, or None when it raised there."""
        block, (scores,) = self.held.pop(tag), found
        if scores is None:
            self._lose(block)
        else:
            block.set_result(scores)

    @staticmethod
    def _lose(block: _Block) -> None:
        """Fail ``block`` with :class:`BlockLost`: no signer could verify it."""
        block.set_exception(BlockLost(f"the signers could not verify a block of {len(block.pairs)} pairs"))


def _same_call(fn: Callable[..., Any], verify: Callable[..., Any] | None) -> bool:
    """Whether ``fn`` is ``verify`` or an equal ``functools.partial`` (:func:`verifier` makes a new one each call)."""
    if fn is verify:
        return True
    return (isinstance(fn, partial) and isinstance(verify, partial) and fn.func is verify.func
            and fn.args == verify.args and fn.keywords == verify.keywords)


class _Block(Future):
    """A block of pairs submitted to a :class:`SignerPool`: waiting on its result pumps the pool."""

    def __init__(self, pool: SignerPool, pairs: np.ndarray, places: np.ndarray) -> None:
        super().__init__()
        self.pool, self.pairs, self.places = pool, pairs, places

    def result(self, timeout: float | None = None) -> Any:
        """The block's scores, pumping the pool until they come."""
        while not self.done():
            self.pool.pump()
        return super().result(timeout)


def _scores_at(pairs: np.ndarray, places: np.ndarray | None, texts: dict[int, str] | None = None, *, size: int,
               store: str | None = None) -> np.ndarray:
    """In a worker of a pool (one sharing the matrix's contents, or a signer): :func:`block_scores` of one block,
    ``size``-word shingles (read back from ``store`` at ``places``, those of the block's rows in order, when given;
    the rows it does not hold shingled from ``texts``, handed to a signer, else from the contents a pool's worker
    inherited). A row a signer was not handed raises ``KeyError``: the signer answers that it failed, and
    :func:`_result` verifies the block here."""
    contents: Mapping[int, str] | Sequence[str] = shared_items() if texts is None else texts

    def shingle(rows: list[int]) -> list[np.ndarray]:
        return shingles_at(contents, rows, size)  # type: ignore[arg-type]

    if store is None or places is None:
        return _scores(shingle, pairs)
    return _scores(lambda rows: kept_sets(store, places, rows, shingle), pairs)


def _scores(shingles: Callable[[list[int]], list[np.ndarray]], pairs: np.ndarray) -> np.ndarray:
    """The Jaccard of each pair of rows, their sets given by ``shingles(rows)`` (each row once)."""
    rows = sorted(set(pairs.ravel().tolist()))
    sets = dict(zip(rows, shingles(rows)))
    return np.array([jaccard(sets[i], sets[j]) for i, j in pairs.tolist()], dtype=np.float64)
