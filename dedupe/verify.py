"""Exact shingle Jaccard of candidate pairs: a block of pairs at a time, in forked workers when there are some.

A block's texts' shingle sets are read back from the store where signing kept them, else the texts are shingled
again (:meth:`SignatureMatrix.shingles`), once per block: pairs are first put in an order that keeps each connected
group of rows in one block.
Each score is :func:`shinglesets.jaccard` of the two sets (a vectorised merge of a whole block's sets was
measured slower than numpy's per-pair ``intersect1d`` on sets of a few hundred hashes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, Future
from functools import partial

import numpy as np

from .engine import Engine, LocalEngine, forks, shared_items, spans_of
from .shinglesets import jaccard, shingles_at
from .shinglestore import kept_sets
from .signatures import SignatureMatrix

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
    the matrix's contents, forked once for the signatures and these), else in ``engine``'s workers when it forks
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
        futures = [pool.submit(at, ordered[a:b], *_places_texts(matrix, ordered[a:b])) for a, b in spans]
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


def verifier(size: int, store: str | None) -> Callable[[np.ndarray, np.ndarray | None, dict[int, str] | None],
                                                      np.ndarray]:
    """What a pool's worker runs on a block: ``verify(pairs, places, texts)``, :func:`_scores_at` with ``size``-word
    shingles and the shingle store ``store``."""
    return partial(_scores_at, size=size, store=store)


def _result(future: Future, matrix: SignatureMatrix, pairs: np.ndarray) -> np.ndarray:
    """A block's scores from the pool, or verified here when its worker lacked a text (:class:`TextMissing`)."""
    try:
        return future.result()
    except TextMissing:
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


def _places_texts(matrix: SignatureMatrix, pairs: np.ndarray) -> tuple[np.ndarray | None, dict[int, str] | None]:
    """The places in the matrix's shingle store of a block's rows (sorted, each once, as :func:`_scores` reads
    them), and the texts of those it does not hold (by row: a worker that did not inherit them shingles them); None
    and None without a store."""
    if matrix.store is None or matrix.places is None:
        return None, None
    rows = np.unique(pairs)
    places = matrix.places[rows]
    return places, {row: matrix.contents[row] for row in rows[places[:, 2] < 0].tolist()}


class TextMissing(LookupError):
    """A worker has neither been handed nor inherited a text it must shingle again (a row the store could not give
    back in a worker forked before the articles were read): the block is verified by the caller instead."""


class _Texts:
    """Texts by row: those handed over, else those the worker inherited."""

    def __init__(self, texts: dict[int, str], contents: Sequence[str]) -> None:
        self.texts, self.contents = texts, contents

    def __getitem__(self, row: int) -> str:
        if row in self.texts:
            return self.texts[row]
        if 0 <= row < len(self.contents):
            return self.contents[row]
        raise TextMissing(row)


def _scores_at(pairs: np.ndarray, places: np.ndarray | None, texts: dict[int, str] | None, size: int,
               store: str | None = None) -> np.ndarray:
    """In a worker of a pool (one sharing the matrix's contents, or the signers): :func:`block_scores` of one block,
    ``size``-word shingles (read back from ``store`` at ``places``, those of the block's rows in order, when given;
    the rows it does not hold shingled from ``texts``, else from the contents the worker inherited)."""
    contents = _Texts(texts or {}, shared_items())

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
