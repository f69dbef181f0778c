"""Token and shingle hashing in numpy: folded text as code points, one hash per token, one per shingle.

Texts are folded and lower-cased as :func:`normalize.tokens` does, joined, and read as code points; a
token is a run of letters and digits (an apostrophe between two of them included, exactly as ``tokens``
reads it); each token is hashed once, and ``k`` consecutive token hashes combine arithmetically into a
32-bit shingle hash. A text longer than ``_WINDOW`` code points is cut between tokens into pieces
hashed one after another, so memory stays bounded whatever its length.
"""

from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import xxhash

from . import foldcodes
from .foldcodes import SEP, UNSAFE, BlockTable, fold_lower, folded_codes, utf32

_CHAR_BASE, _TOKEN_BASE = np.uint64(0x100000001B3), np.uint64(0x9E3779B97F4A7C15)
_ALNUM, _APOSTROPHE, _SPACE = 1, 2, 4
_U64 = np.uint64


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
    """MurmurHash3's 64-bit finaliser of each value of ``h``."""
    return _fmix(h, 33, 0xFF51AFD7ED558CCD, 33, 0xC4CEB9FE1A85EC53, 33)


def _class_block(block: int) -> np.ndarray:
    """Character classes (alnum, apostrophe, white-space bits) of one block of 256 BMP code points."""
    chars = [chr(code) for code in range(block << 8, (block + 1) << 8)]
    return np.array([c.isalnum() | (c == "'") << 1 | c.isspace() << 2 for c in chars], dtype=np.uint8)


#: The class bits of every BMP code point, filled block by block as texts use them (0xFF: not filled yet).
_BMP_CLASSES = BlockTable(_class_block, np.uint8, 0xFF)


def _classes(codes: np.ndarray) -> np.ndarray:
    """The class bits of every code point (``str.isalnum`` is what ``re`` reads as ``[^\\W_]``; no astral
    character is white space)."""
    classes, astral = _BMP_CLASSES.take(codes)
    if len(astral):
        values, where = np.unique(codes[astral], return_inverse=True)
        classes[astral] = np.array([chr(c).isalnum() for c in values.tolist()])[where]
    return classes


def _entries(codes: np.ndarray) -> np.ndarray:
    """Each folded code point as a batch holds it, with its class bits in the top byte (:data:`_CLASS_SHIFT`): white
    space as a plain space (only a token's code points are hashed, and an exact key turns each run of white space
    into one space, so nothing reads which white space it was)."""
    classes = _classes(codes)
    spaced = np.where(classes & _SPACE, np.uint32(32), codes).astype(np.uint32)
    return spaced | classes.astype(np.uint32) << np.uint32(_CLASS_SHIFT)


def _entry_block(block: int) -> np.ndarray:
    """The :func:`_entries` of the fold of each code point of one block of 256, ``UNSAFE`` where the fold table leaves
    it (see :mod:`dedupe.foldcodes`)."""
    folded = foldcodes.FOLD.take(np.arange(block << 8, (block + 1) << 8, dtype=np.uint32))[0]
    safe = folded != UNSAFE
    folded[safe] = _entries(folded[safe])
    return folded


#: Where a batch entry's class bits start (a code point needs 21 bits).
_CLASS_SHIFT = 24
_CODE_BITS = np.uint32((1 << _CLASS_SHIFT) - 1)
#: Each BMP code point's entry (its fold's code point and class bits, see :func:`_entries`; ``UNSAFE`` when the fold
#: table leaves it unsafe, or not filled yet): one lookup gives a batch its code points and its classes.
_BMP_ENTRIES = BlockTable(_entry_block, np.uint32, UNSAFE)
#: The byte of a native uint32 that holds its top 8 bits.
_TOP_BYTE = 3 if sys.byteorder == "little" else 0


#: Code points hashed at once: longer texts are hashed in windows cut between tokens.
_WINDOW = 1 << 22


@lru_cache(maxsize=1)
def _powers(size: int) -> tuple[np.ndarray, np.ndarray]:
    """``CHAR_BASE ** i`` and its inverse mod 2**64 for ``i < size`` (one table, for every usual chunk)."""
    inverse = _U64(pow(int(_CHAR_BASE), -1, 1 << 64))
    up, down = np.full(size, _CHAR_BASE), np.full(size, inverse)
    up[0] = down[0] = 1
    return np.cumprod(up), np.cumprod(down)


@dataclass(frozen=True)
class Batch:
    """A batch of folded texts as code points (white space as plain spaces) and their class bits: ``offsets[d]`` is
    where text ``d`` starts (a separator ends each)."""

    codes: np.ndarray
    classes: np.ndarray
    offsets: np.ndarray

    @classmethod
    def of(cls, texts: Sequence[str]) -> Batch:
        """The batch of ``texts``, folded and lower-cased, white space as plain spaces (see :func:`_entries`): each
        code point's entry looked up once, its class bits then taken out."""
        entries, offsets = folded_codes(texts, _BMP_ENTRIES, _entries)
        return cls(*_split(entries), offsets)

    @classmethod
    def folded(cls, folded: list[str]) -> Batch:
        """The batch of texts already passed through :func:`fold_lower`."""
        offsets = np.cumsum([0] + [len(t) + 1 for t in folded[:-1]])
        return cls(*_split(_entries(utf32(SEP.join(folded) + SEP))), offsets)

    def token_hashes(self) -> tuple[np.ndarray, np.ndarray]:
        """The 64-bit hash of every token (a polynomial of its code points, mixed) and how many each text has."""
        word = (self.classes & _ALNUM).astype(bool)
        inner = self.classes == _APOSTROPHE
        inner[1:-1] &= word[:-2] & word[2:]
        inner[[0, -1]] = False
        marks = np.zeros(len(word) + 2, dtype=bool)
        np.bitwise_or(word, inner, out=marks[1:-1])
        bounds = np.flatnonzero(marks[1:] ^ marks[:-1])  # a token's start, then its end, alternately
        starts, ends = bounds[0::2], bounds[1::2]
        hashes = np.empty(len(starts), dtype=_U64)
        first = 0
        while first < len(starts):
            last = max(int(np.searchsorted(ends, starts[first] + _WINDOW, side="right")), first + 1)
            hashes[first:last] = self._window_hashes(starts[first:last], ends[first:last])
            first = last
        return hashes, np.diff(np.r_[np.searchsorted(starts, self.offsets), len(starts)])

    def _window_hashes(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """Hashes of the tokens in one window of code points (bounded memory for very long texts).

        A token's hash depends only on its own code points, so windows give the same values.
        """
        low = int(starts[0])
        codes = self.codes[low : int(ends[-1])]
        up, down = _powers(1 << max(20, len(codes).bit_length()))
        prefix = np.empty(len(codes) + 1, dtype=_U64)
        prefix[0] = 0
        np.multiply(codes, up[: len(codes)], out=prefix[1:])
        np.cumsum(prefix[1:], out=prefix[1:])
        local_starts, local_ends = starts - low, ends - low
        return _fmix64((prefix[local_ends] - prefix[local_starts]) * down[local_starts])

    def shingles(self, size: int) -> tuple[np.ndarray, np.ndarray]:
        """Every shingle's 32-bit hash (with repeats) and how many each text has (``counts``).

        A shingle is ``size`` consecutive tokens of one text; a text with fewer tokens is one shingle.
        Full shingles are combined over all texts' tokens at once, and those spanning two texts dropped.
        """
        hashes, tokens = self.token_hashes()
        counts = np.where(tokens >= size, tokens - size + 1, (tokens > 0).astype(int))
        values = np.empty(int(counts.sum()), dtype=np.uint32)
        short = np.flatnonzero((tokens > 0) & (tokens < size))
        whole = np.ones(len(values), dtype=bool)
        whole[(np.cumsum(counts) - counts)[short]] = False
        if len(hashes) >= size:
            values[whole] = runs(hashes, size)[_within(tokens, size)]
        values[~whole] = combine(hashes, (np.cumsum(tokens) - tokens)[short], tokens[short], size)
        return values, counts

    def exact_keys(self) -> list[bytes]:
        """:func:`exact_key` of every text, its white space collapsed here in numpy (no split and join per text).

        Kept are each word character and the last white space of a run followed by one (as a space): nearly every
        character of a news text, so what is dropped is found instead (few). A text whose kept code points are all
        ASCII is hashed from their bytes as they are (its UTF-8); the others (about a third of news texts) are
        decoded and encoded again.
        """
        codes = self.codes
        space = codes == 32  # every white space is a plain space in a batch
        separators = np.r_[self.offsets[1:], len(self.codes)] - 1
        solid = ~space
        solid[separators] = False
        keep = solid.copy()
        keep[:-1] |= space[:-1] & solid[1:]  # the last space of a run followed by a word
        padded = space[self.offsets]
        for start, end in zip(self.offsets[padded].tolist(), separators[padded].tolist()):
            keep[start + int(np.argmax(~space[start : end + 1])) - 1] = False  # a text's leading run: none kept
        starts = np.r_[self.offsets, len(codes)]
        bounds = (starts - np.searchsorted(np.flatnonzero(~keep), starts)).tolist()
        kept = codes[keep]
        data, spans = memoryview(kept.astype(np.uint8)), list(itertools.pairwise(bounds))
        keys = [xxhash.xxh3_128_digest(data[a:b]) for a, b in spans]
        wide = np.flatnonzero(np.maximum.reduceat(codes, self.offsets) >= 128)  # (only white space is dropped)
        for text in wide.tolist():
            a, b = spans[text]
            keys[text] = xxhash.xxh3_128_digest(
                kept[a:b].tobytes().decode("utf-32-le", "surrogatepass").encode("utf-8", "surrogatepass"))
        return keys


def _within(tokens: np.ndarray, size: int) -> np.ndarray:
    """Which runs of ``size`` consecutive tokens of a batch (``tokens`` per text, at least ``size`` in all) lie
    within one text: those not starting in the ``size - 1`` tokens before a text's first."""
    inside = np.ones(int(tokens.sum()) - size + 1, dtype=bool)
    starts = np.cumsum(tokens)[:-1]
    crossing = (starts[:, None] - np.arange(1, size)).ravel()
    inside[crossing[(crossing >= 0) & (crossing < len(inside))]] = False
    return inside


def _split(entries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The code points and class bits of a batch's :func:`_entries` (``entries`` is made the code points)."""
    classes = entries.view(np.uint8)[_TOP_BYTE::4].copy()
    np.bitwise_and(entries, _CODE_BITS, out=entries)
    return entries, classes


def exact_key(folded: str) -> bytes:
    """xxh3-128 of a folded, lower-cased text with white space collapsed: ``content_hash``'s digest."""
    return xxhash.xxh3_128_digest(" ".join(folded.split()).encode("utf-8", "surrogatepass"))  # = \s+ -> " ", strip


def runs(hashes: np.ndarray, size: int) -> np.ndarray:
    """32-bit hashes of every run of ``size`` consecutive token hashes (``len(hashes) - size + 1`` of them)."""
    count = len(hashes) - size + 1
    value = hashes[:count].copy()
    for j in range(1, size):
        value += hashes[j : j + count] * _U64(pow(int(_TOKEN_BASE), j, 1 << 64))
    return (_fmix64(value) >> _U64(32)).astype(np.uint32)


def combine(hashes: np.ndarray, start: np.ndarray, length: np.ndarray, size: int) -> np.ndarray:
    """32-bit shingle hashes: for each shingle, the ``length[i]`` (at most ``size``) token hashes from ``start[i]``."""
    padded = np.concatenate([hashes, np.zeros(size, dtype=_U64)])
    value = np.zeros(len(start), dtype=_U64)
    for j in range(size):
        weight = _U64(pow(int(_TOKEN_BASE), j, 1 << 64))
        value += padded[start + j] * (weight * (length > j))
    return (_fmix64(value) >> _U64(32)).astype(np.uint32)


#: Where a long text may be cut: after white space, before a word character (NFKC and lower-casing
#: of the pieces then equal those of the whole, and no token or white-space run is split).
_CUT = re.compile(r"\s(?=\w)")


def pieces(text: str) -> Iterator[str]:
    """``text`` in consecutive pieces of about ``_WINDOW`` characters, each folded and lower-cased."""
    start = 0
    while len(text) - start > _WINDOW:
        cut = _CUT.search(text, start + _WINDOW)
        if not cut:
            break
        yield fold_lower(text[start : cut.end()])
        start = cut.end()
    yield fold_lower(text[start:])


@dataclass
class LongText:
    """One long text hashed piece by piece: its exact key and its shingle hashes, window by window."""

    text: str
    size: int

    def key(self) -> bytes:
        """The same digest as ``exact_key(fold_lower(text))``, without holding the folded text."""
        digest, separator = xxhash.xxh3_128(), ""
        for piece in pieces(self.text):  # each piece but the last ends in white space, the next starts a word
            words = " ".join(piece.split())
            if words:
                digest.update((separator + words).encode("utf-8", "surrogatepass"))
                separator = " "
        return digest.digest()

    def shingles(self) -> Iterator[np.ndarray]:
        """The text's shingle hashes (with repeats), as :meth:`Batch.shingles` gives them, a window at a time."""
        carry, full = np.empty(0, dtype=_U64), False
        for piece in pieces(self.text):
            hashes, _ = Batch.folded([piece]).token_hashes()
            carry = np.concatenate([carry, hashes])
            if len(carry) >= self.size:
                count = len(carry) - self.size + 1
                yield runs(carry, self.size)
                carry, full = carry[count:], True
        if len(carry) and not full:
            yield combine(carry, np.zeros(1, dtype=np.int64), np.array([len(carry)]), self.size)
