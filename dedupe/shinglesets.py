"""Shingle sets and MinHash rows: sorted distinct shingle hashes, exact Jaccard, affine32 rows, text batches.

Each text's sorted distinct shingle hashes, their exact Jaccard, affine32 MinHash rows of shingle hashes, and
texts cut into numpy batches.

What signing (:mod:`dedupe.signatures`) and verification (:mod:`dedupe.verify`) share: a batch of texts is folded and
hashed at once (see :mod:`dedupe.tokenhash`); a text longer than a batch window is hashed piece by piece.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

import numpy as np

from . import tokenhash
from .tokenhash import Batch, LongText, fmix32

_CHUNK_DOCS, _CHUNK_CHARS = 128, 1 << 19  # one numpy batch (~470k code points: its uint64 arrays stay in a 4 MB L2)
_ONE_ROW = 1 << 21  # at most this many shingle-permutation products at once for one text (8 MB of uint32)


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique`` by sorting (numpy's hash-based unique is slower on large integer arrays)."""
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def shingle_sets(texts: Sequence[str], size: int) -> list[np.ndarray]:
    """For each text, the sorted distinct 32-bit hashes of its ``size``-word shingles."""
    sets: list[np.ndarray] = []
    for start, end in text_chunks(texts):
        short, long = split_long(texts[start:end])
        found = dict(zip(short, _distinct(Batch.of([texts[start + i] for i in short]).shingles(size))))
        found.update((i, sorted_unique(np.concatenate([*LongText(texts[start + i], size).shingles(),
                                                        np.empty(0, np.uint32)]))) for i in long)
        sets.extend(found[i] for i in range(end - start))
    return sets


def _distinct(shingles: tuple[np.ndarray, np.ndarray]) -> list[np.ndarray]:
    """Per text, the sorted distinct values of ``Batch.shingles``' output.

    Each text's 32-bit values are sorted on their own: a few hundred at a time, ~5x faster than sorting the
    whole batch's values as 64-bit ``text << 32 | value`` keys (numpy sorts 32-bit values twice as wide a
    vector at a time, and small arrays stay in cache).
    """
    values, counts = shingles
    bounds = np.r_[0, np.cumsum(counts)].tolist()
    found = []
    for start, end in itertools.pairwise(bounds):
        ordered = np.sort(values[start:end])
        keep = np.empty(len(ordered), dtype=bool)
        keep[:1] = True
        np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
        found.append(ordered[keep])
    return found


def shingles_at(contents: Sequence[str], rows: Iterable[int], size: int) -> list[np.ndarray]:
    """:func:`shingle_sets` of the texts at ``rows`` of ``contents``, read ``_CHUNK_DOCS`` at a time."""
    rows, found = list(rows), []
    for start in range(0, len(rows), _CHUNK_DOCS):
        found.extend(shingle_sets([contents[row] for row in rows[start : start + _CHUNK_DOCS]], size))
    return found


def split_long(texts: Sequence[str]) -> tuple[list[int], list[int]]:
    """Indexes of the texts hashed in one batch, and of those too long for it (hashed piece by piece)."""
    short = [i for i, text in enumerate(texts) if len(text) <= tokenhash._WINDOW]
    return short, [i for i, text in enumerate(texts) if len(text) > tokenhash._WINDOW]


def shingle_hashes(text: str, size: int) -> np.ndarray:
    """Sorted distinct 32-bit hashes of the text's ``size``-word shingles."""
    return shingle_sets([text], size)[0]


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted arrays of distinct shingle hashes."""
    if not len(a) or not len(b):
        return float(not len(a) and not len(b))
    where = a.searchsorted(b)  # a's values are distinct: b[k] is in a exactly when it sits at its place there
    shared = int(np.count_nonzero(a.take(where, mode="clip") == b))
    return shared / (len(a) + len(b) - shared)


def text_chunks(texts: Sequence[str], docs: int = _CHUNK_DOCS, most: int = _CHUNK_CHARS) -> Iterator[tuple[int, int]]:
    """Spans of at most ``docs`` texts and (unless one text is longer) ``most`` characters."""
    return size_spans(map(len, texts), docs, most)


def size_spans(sizes: Iterable[int], docs: int, most: int) -> Iterator[tuple[int, int]]:
    """:func:`text_chunks` of texts of these ``sizes`` (characters)."""
    start = chars = count = 0
    for end, size in enumerate(sizes):
        if end > start and (end - start >= docs or chars + size > most):
            yield start, end
            start, chars = end, 0
        chars += size
        count = end + 1
    if start < count:
        yield start, count


@lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int) -> np.ndarray:
    """The ``(2, num_perm)`` uint32 ``a, b`` of datasketch's affine32 MinHash with this seed (``a`` odd)."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    return np.array([a, gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)])


def minhash_rows(values: np.ndarray, counts: np.ndarray, perms: np.ndarray) -> np.ndarray:
    """One affine32 MinHash row per text from its (pre-hashed, possibly repeated) shingle hashes.

    ``values`` holds the shingles of text 0, then of text 1, ...; ``counts`` how many each has.
    A text without shingles gets datasketch's empty row (all ``2**32 - 1``).
    """
    rows = np.full((len(counts), perms.shape[1]), np.iinfo(np.uint32).max, dtype=np.uint32)
    filled = np.flatnonzero(counts)
    if not len(filled):
        return rows
    if len(counts) == 1 and len(values) * perms.shape[1] <= _ONE_ROW:
        rows[0] = one_row(values, perms)
        return rows
    mixed, scratch = fmix32(values), np.empty(len(values), dtype=np.uint32)
    starts = (np.cumsum(counts) - counts)[filled]
    minima = np.empty((perms.shape[1], len(filled)), dtype=np.uint32)  # a permutation's minima: one contiguous row
    multiply, add, least, uint32 = np.multiply, np.add, np.minimum.reduceat, np.uint32
    for k, (a, b) in enumerate(zip(perms[0].tolist(), perms[1].tolist())):
        multiply(mixed, uint32(a), out=scratch)
        add(scratch, uint32(b), out=scratch)
        least(scratch, starts, out=minima[k])
    rows[filled] = minima.T
    return rows


def one_row(values: np.ndarray, perms: np.ndarray) -> np.ndarray:
    """The affine32 MinHash row of one text's (non-empty) shingle hashes, every permutation at once.

    The same uint32 products, sums (both modulo 2**32) and minima as :func:`minhash_rows`' loop over the
    permutations, as one ``(shingles, num_perm)`` array: a few numpy calls instead of three per permutation.
    """
    scratch = np.multiply.outer(fmix32(values), perms[0])
    scratch += perms[1]
    return scratch.min(axis=0)
