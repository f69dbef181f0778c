"""Exact-copy keys and datasketch-compatible MinHash signatures over word shingles (only makes signatures).

Texts are handled in batches with numpy: a batch is folded and lower-cased as :func:`normalize.tokens`
does, joined, and read as code points; a token is a run of letters and digits (an apostrophe between
two of them included, exactly as ``tokens`` reads it); each token is hashed once, and ``k`` consecutive
token hashes combine arithmetically into a 32-bit shingle hash. The MinHash is datasketch's
``affine32`` scheme over those hashes (see :func:`permutations`), so a row loads into
``datasketch.MinHash(hashvalues=row, permutations=permutations(p, seed), scheme="affine32")``.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial

import numpy as np
import xxhash
from datasketch import MinHash

from .engine import Engine, LocalEngine
from .normalize import _QUOTE_FOLD
from .types import Article

#: The datasketch permutation scheme the signatures follow.
SCHEME = "affine32"
_SEP = "\x00"
_CHUNK_DOCS, _CHUNK_CHARS = 64, 1 << 18
_FOLD_PAIRS = tuple((chr(k), v) for k, v in _QUOTE_FOLD.items())
_CHAR_BASE, _TOKEN_BASE = np.uint64(0x100000001B3), np.uint64(0x9E3779B97F4A7C15)
_ALNUM, _APOSTROPHE = 1, 2
_U64 = np.uint64


@lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int) -> np.ndarray:
    """The ``(2, num_perm)`` uint32 ``a, b`` of datasketch's affine32 MinHash with this seed (``a`` odd)."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    return np.array([a, gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)])


def _fmix(h: np.ndarray, s1: int, m1: int, s2: int, m2: int, s3: int) -> np.ndarray:
    """The MurmurHash3 finaliser (a bijection), in the width of ``h``'s dtype."""
    t = h.dtype.type
    h = h ^ (h >> t(s1))
    h = h * t(m1)
    h ^= h >> t(s2)
    h *= t(m2)
    return h ^ (h >> t(s3))


def fmix32(h: np.ndarray) -> np.ndarray:
    """datasketch's 32-bit pre-mix of input hashes."""
    return _fmix(h.astype(np.uint32), 16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)


def _fmix64(h: np.ndarray) -> np.ndarray:
    return _fmix(h, 33, 0xFF51AFD7ED558CCD, 33, 0xC4CEB9FE1A85EC53, 33)


def fold_lower(text: str) -> str:
    """``normalize.fold(text).lower()``, faster: quotes and dashes are replaced only when present."""
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        for old, new in _FOLD_PAIRS:
            if old in text:
                text = text.replace(old, new)
    return text.lower()


@lru_cache(maxsize=1)
def _bmp_classes() -> np.ndarray:
    """Character classes (alnum, apostrophe bits) of the Basic Multilingual Plane."""
    return np.array([c.isalnum() | (c == "'") << 1 for c in map(chr, range(1 << 16))], dtype=np.uint8)


def _classes(codes: np.ndarray) -> np.ndarray:
    """The class bits of every code point (``str.isalnum`` is what ``re`` reads as ``[^\\W_]``)."""
    classes = _bmp_classes().take(codes, mode="clip")
    astral = np.flatnonzero(codes > 0xFFFF)
    if len(astral):
        values, where = np.unique(codes[astral], return_inverse=True)
        classes[astral] = np.array([chr(c).isalnum() for c in values.tolist()])[where]
    return classes


#: Code points hashed at once: longer texts are hashed in windows cut between tokens.
_WINDOW = 1 << 22
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _powers(size: int) -> tuple[np.ndarray, np.ndarray]:
    """``CHAR_BASE ** i`` and its inverse mod 2**64 for ``i < size`` (one table, for every usual chunk)."""
    inverse = _U64(pow(int(_CHAR_BASE), -1, 1 << 64))
    up, down = np.full(size, _CHAR_BASE), np.full(size, inverse)
    up[0] = down[0] = 1
    return np.cumprod(up), np.cumprod(down)


@dataclass(frozen=True)
class _Batch:
    """A batch of folded texts as code points: ``offsets[d]`` is where text ``d`` starts (a separator ends each)."""

    folded: list[str]
    codes: np.ndarray
    classes: np.ndarray
    offsets: np.ndarray

    @classmethod
    def of(cls, texts: Sequence[str]) -> _Batch:
        folded = [fold_lower(t) for t in texts]
        codes = np.frombuffer((_SEP.join(folded) + _SEP).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        offsets = np.cumsum([0] + [len(t) + 1 for t in folded[:-1]])
        return cls(folded, codes, _classes(codes), offsets)

    def token_hashes(self) -> tuple[np.ndarray, np.ndarray]:
        """The 64-bit hash of every token (a polynomial of its code points, mixed) and its text's index."""
        word = (self.classes & _ALNUM).astype(bool)
        inner = self.classes == _APOSTROPHE
        inner[1:-1] &= word[:-2] & word[2:]
        inner[[0, -1]] = False
        edges = np.diff((word | inner).view(np.int8), prepend=np.int8(0), append=np.int8(0))
        starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
        hashes = np.empty(len(starts), dtype=_U64)
        first = 0
        while first < len(starts):
            last = max(int(np.searchsorted(ends, starts[first] + _WINDOW, side="right")), first + 1)
            hashes[first:last] = self._window_hashes(starts[first:last], ends[first:last])
            first = last
        return hashes, np.searchsorted(self.offsets, starts, side="right") - 1

    def _window_hashes(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """Hashes of the tokens in one window of code points (bounded memory for very long texts).

        A token's hash depends only on its own code points, so windows give the same values.
        """
        low = int(starts[0])
        codes = self.codes[low : int(ends[-1])]
        up, down = _powers(1 << max(20, len(codes).bit_length()))
        prefix = np.zeros(len(codes) + 1, dtype=_U64)
        np.cumsum(codes * up[: len(codes)], out=prefix[1:])
        local_starts, local_ends = starts - low, ends - low
        return _fmix64((prefix[local_ends] - prefix[local_starts]) * down[local_starts])

    def shingles(self, size: int) -> tuple[np.ndarray, np.ndarray]:
        """Every shingle's 32-bit hash (with repeats) and how many each text has (``counts``).

        A shingle is ``size`` consecutive tokens of one text; a text with fewer tokens is one shingle.
        """
        hashes, doc = self.token_hashes()
        tokens = np.bincount(doc, minlength=len(self.offsets))
        counts = np.where(tokens >= size, tokens - size + 1, (tokens > 0).astype(int))
        owner = np.repeat(np.arange(len(counts)), counts)
        first = np.cumsum(tokens) - tokens
        start = first[owner] + np.arange(len(owner)) - (np.cumsum(counts) - counts)[owner]
        length = np.minimum(tokens, size)[owner]
        padded = np.concatenate([hashes, np.zeros(size, dtype=_U64)])
        value = np.zeros(len(owner), dtype=_U64)
        for j in range(size):
            weight = _U64(pow(int(_TOKEN_BASE), j, 1 << 64))
            value += padded[start + j] * (weight * (length > j))
        return (_fmix64(value) >> _U64(32)).astype(np.uint32), counts


def exact_key(folded: str) -> bytes:
    """xxh3-128 of a folded, lower-cased text with white space collapsed: ``content_hash``'s digest."""
    return xxhash.xxh3_128_digest(_SPACE.sub(" ", folded).strip().encode("utf-8", "surrogatepass"))


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique`` by sorting (numpy's hash-based unique is slower on large integer arrays)."""
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def shingle_sets(texts: Sequence[str], size: int) -> list[np.ndarray]:
    """For each text, the sorted distinct 32-bit hashes of its ``size``-word shingles."""
    sets: list[np.ndarray] = []
    for start, end in _chunks(texts):
        values, counts = _Batch.of(texts[start:end]).shingles(size)
        owner = np.repeat(np.arange(len(counts), dtype=_U64), counts)
        keys = sorted_unique(owner << _U64(32) | values)
        bounds = np.searchsorted(keys >> _U64(32), np.arange(len(counts) + 1, dtype=_U64))
        flat = (keys & _U64(0xFFFFFFFF)).astype(np.uint32)
        sets.extend(flat[a:b] for a, b in itertools.pairwise(bounds))
    return sets


def shingle_hashes(text: str, size: int) -> np.ndarray:
    """Sorted distinct 32-bit hashes of the text's ``size``-word shingles."""
    return shingle_sets([text], size)[0]


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted arrays of distinct shingle hashes."""
    if not len(a) and not len(b):
        return 1.0
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return shared / (len(a) + len(b) - shared)


def _chunks(texts: Sequence[str]) -> Iterator[tuple[int, int]]:
    """Spans of at most ``_CHUNK_DOCS`` texts and (unless one text is longer) ``_CHUNK_CHARS`` characters."""
    start = chars = 0
    for end, text in enumerate(texts):
        if end > start and (end - start >= _CHUNK_DOCS or chars + len(text) > _CHUNK_CHARS):
            yield start, end
            start, chars = end, 0
        chars += len(text)
    if start < len(texts):
        yield start, len(texts)


def minhash_rows(values: np.ndarray, counts: np.ndarray, perms: np.ndarray) -> np.ndarray:
    """One affine32 MinHash row per text from its (pre-hashed, possibly repeated) shingle hashes.

    ``values`` holds the shingles of text 0, then of text 1, ...; ``counts`` how many each has.
    A text without shingles gets datasketch's empty row (all ``2**32 - 1``).
    """
    rows = np.full((len(counts), perms.shape[1]), np.iinfo(np.uint32).max, dtype=np.uint32)
    filled = np.flatnonzero(counts)
    if not len(filled):
        return rows
    mixed, scratch = fmix32(values), np.empty(len(values), dtype=np.uint32)
    starts = (np.cumsum(counts) - counts)[filled]
    for k, (a, b) in enumerate(perms.T):
        np.multiply(mixed, a, out=scratch)
        scratch += b
        rows[filled, k] = np.minimum.reduceat(scratch, starts)
    return rows


def _sketch(texts: Sequence[str], size: int, num_perm: int, seed: int) -> tuple[bytes, np.ndarray, np.ndarray]:
    """Exact keys, MinHash rows and which have no shingle, for a few texts (one unit of work)."""
    batch = _Batch.of(texts)
    values, counts = batch.shingles(size)
    return b"".join(map(exact_key, batch.folded)), minhash_rows(values, counts, permutations(num_perm, seed)), counts == 0


@dataclass(frozen=True, eq=False)
class SignatureMatrix:
    """The signatures of many articles; row ``i`` belongs to ``ids[i]``.

    ``exact`` holds each text's :func:`normalize.content_hash` as an ``(n, 2)`` uint64 (equal for exact copies);
    ``hashvalues`` the ``(n, num_perm)`` uint32 MinHash rows; ``empty`` marks texts without a shingle;
    ``contents`` keeps the texts (references, not copies) so candidates can be verified exactly.
    Example: ``SignatureMatrix(ids=("001", "002"), contents=(...), exact=array(shape (2, 2), uint64),
    hashvalues=array(shape (2, 128), uint32), empty=array([False, False]), shingle_size=5, seed=1)``.
    """

    ids: tuple[str, ...]
    contents: tuple[str, ...]
    exact: np.ndarray
    hashvalues: np.ndarray
    empty: np.ndarray
    shingle_size: int
    seed: int

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def num_perm(self) -> int:
        """Permutations per MinHash row."""
        return self.hashvalues.shape[1]

    def shingles(self, rows: Iterable[int]) -> list[np.ndarray]:
        """The sorted distinct shingle hashes of the given rows' texts (recomputed: they are not kept)."""
        return shingle_sets([self.contents[row] for row in rows], self.shingle_size)

    def minhash(self, row: int) -> MinHash:
        """Row ``row`` as a datasketch MinHash (usable in ``MinHashLSH`` and friends)."""
        perms = permutations(self.num_perm, self.seed)
        return MinHash(seed=self.seed, hashvalues=self.hashvalues[row], permutations=perms, scheme=SCHEME)


def signature_matrix(
    articles: Sequence[Article],
    shingle_size: int,
    num_perm: int,
    seed: int,
    *,
    workers: int = 1,
    engine: Engine | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SignatureMatrix:
    """Signatures of every article's content (body, or title when there is no body), in input order.

    Chunks of articles are sketched by ``engine`` (default: a :class:`LocalEngine` of ``workers``
    processes); the result never depends on the engine. ``progress(done, total)`` is called after each chunk.
    """
    contents = tuple(a.content for a in articles)
    rows = np.empty((len(contents), num_perm), dtype=np.uint32)
    empty = np.zeros(len(contents), dtype=bool)
    keys, done = bytearray(), 0
    engine = engine or LocalEngine(workers)
    sketch = partial(_sketch, size=shingle_size, num_perm=num_perm, seed=seed)
    for chunk_keys, chunk_rows, chunk_empty in engine.map_chunks(sketch, contents, list(_chunks(contents))):
        rows[done : done + len(chunk_rows)], empty[done : done + len(chunk_rows)] = chunk_rows, chunk_empty
        keys += chunk_keys
        done += len(chunk_rows)
        if progress:
            progress(done, len(contents))
    exact = np.frombuffer(bytes(keys), dtype=np.uint64).reshape(-1, 2)
    return SignatureMatrix(tuple(a.id for a in articles), contents, exact, rows, empty, shingle_size, seed)
