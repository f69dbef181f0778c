"""Texts folded and lower-cased straight into code points: one table for the characters that fold alone.

:func:`fold_lower` (NFKC, typographic quotes and dashes to ASCII, lower case) works on whole strings
because a few characters change with their neighbours (a combining accent composes with the letter
before it, a final capital sigma lower-cases differently). Most characters do not: each folds to
one code point, whatever surrounds it. :data:`FOLD` maps those (in the Basic Multilingual Plane)
with one numpy lookup; a text holding any other character is folded by :func:`fold_lower`, so
:func:`folded_codes` always equals the code points of ``fold_lower`` of each text. Tables over the
plane are :class:`BlockTable` s, filled 256 code points at a time for the blocks a batch uses.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np

from .normalize import fold

#: Ends every text in a batch of code points (not a word character, not white space).
SEP = "\x00"
#: A code point whose fold depends on its neighbours or is not one code point.
UNSAFE = np.uint32(0xFFFFFFFF)
_BMP = 1 << 16
_BLOCK = 1 << 8
_SIGMA = 0x3A3
_SURROGATES = range(0xD800 >> 8, 0xE000 >> 8)


def fold_lower(text: str) -> str:
    """``normalize.fold(text).lower()``: the text as shingles and exact keys read it."""
    return fold(text).lower()


class BlockTable:
    """A per-code-point table over the BMP, filled one block of 256 code points at a time, when first looked up.

    ``fill(block)`` gives the 256 values of a block. Entries not yet filled hold ``missing``, which may
    also be a filled value; the entry past the plane (index ``2**16``, where an astral code point clips)
    is never filled. Example: ``BlockTable(fill, np.uint8, 0xFF).take(codes)`` fills ``codes``' blocks.
    """

    def __init__(self, fill: Callable[[int], np.ndarray], dtype: type, missing: int) -> None:
        self.fill, self.missing = fill, dtype(missing)
        self.values = np.full(_BMP + 1, missing, dtype=dtype)
        self.filled = np.zeros(_BMP // _BLOCK, dtype=bool)

    def take(self, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each code point's value, and where a value is still ``missing`` (filled so, or astral).

        Only entries found ``missing`` are looked at again, so a batch of filled blocks costs one lookup.
        """
        values = self.values.take(codes, mode="clip")
        pending = np.flatnonzero(values == self.missing)
        if len(pending) and self._fill_blocks(codes[pending]):
            values[pending] = self.values.take(codes[pending], mode="clip")
            pending = pending[values[pending] == self.missing]
        return values, pending

    def full(self) -> np.ndarray:
        """The whole table, every block filled."""
        self._fill_blocks(np.arange(0, _BMP, _BLOCK))
        return self.values

    def _fill_blocks(self, codes: np.ndarray) -> bool:
        """Fill the blocks of ``codes`` not filled yet; whether there were any."""
        used = np.bincount(np.minimum(codes >> 8, _BMP // _BLOCK), minlength=_BMP // _BLOCK + 1)[:-1] > 0
        blocks = np.flatnonzero(used & ~self.filled).tolist()
        for block in blocks:
            self.values[block * _BLOCK : (block + 1) * _BLOCK] = self.fill(block)
            self.filled[block] = True
        return bool(blocks)


@lru_cache(maxsize=1)
def _composing() -> np.ndarray:
    """Which BMP characters are any but the first of a canonical decomposition (so may compose with the one
    before them), and capital sigma: every BMP character is decomposed at once, each between ``SEP`` characters."""
    pairs = np.zeros((_BMP, 2), dtype=np.uint32)
    pairs[:, 1] = np.arange(_BMP)
    pairs[0xD800:0xE000, 1] = 0
    nfd = utf32(unicodedata.normalize("NFD", pairs.tobytes().decode("utf-32-le")))
    second = nfd[1:][(nfd[:-1] != 0) & (nfd[1:] != 0)]
    composing = np.zeros(_BMP + 1, dtype=bool)
    composing[np.minimum(second, _BMP)] = True
    composing[_SIGMA] = True
    return composing


def _blocked(char: str, composing: np.ndarray) -> bool:
    """Whether ``char`` is combining, or ``composing`` (from :func:`_composing`) says it may compose."""
    return bool(unicodedata.combining(char)) or bool(composing[min(ord(char), _BMP)])


def _fold_block(block: int) -> np.ndarray:
    """For each code point of ``block``, the one code point ``fold_lower`` makes of it in any context, else ``UNSAFE``.

    A character is safe when NFKC leaves it alone and neither it nor its canonical decomposition's first
    character is combining or may compose with the one before it (:func:`_composing`, or capital sigma); then
    no neighbour can change how it normalises. Each character is folded between ``SEP`` characters (which
    block composition), so a block is normalised in three calls. Astral code points are not in any block:
    ``test_foldcodes`` checks that no BMP character composes with an astral one.
    Example: ``_fold_block(0)[ord("A")] == ord("a")``; ``_fold_block(3)[1]`` (combining acute) is ``UNSAFE``.
    """
    table = np.full(_BLOCK, UNSAFE, dtype=np.uint32)
    if block in _SURROGATES:
        return table
    codes = np.arange(max(block * _BLOCK, 1), (block + 1) * _BLOCK)
    chars = [chr(code) for code in codes.tolist()]
    joined = SEP.join(chars)
    composing = _composing()
    folds = zip(chars, unicodedata.normalize("NFKC", joined).split(SEP),
                unicodedata.normalize("NFD", joined).split(SEP), fold_lower(joined).split(SEP))
    table[codes - block * _BLOCK] = [
        ord(lowered) if normal == char and len(lowered) == 1 and not _blocked(char, composing)
        and not _blocked(first[0], composing) else UNSAFE for char, normal, first, lowered in folds]
    if block == 0:
        table[0] = 0
    return table


def new_fold_table() -> BlockTable:
    """An empty table of the fold of every BMP code point (see :func:`_fold_block`), astral ones ``UNSAFE``.

    Example: ``new_fold_table().full()[ord("A")] == ord("a")``.
    """
    return BlockTable(_fold_block, np.uint32, UNSAFE)


#: The process's fold table, filled block by block as texts use them.
FOLD = new_fold_table()


def utf32(text: str) -> np.ndarray:
    """The code points of ``text`` (lone surrogates included) as uint32."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def folded_codes(texts: Sequence[str], table: BlockTable | None = None,
                 entries: Callable[[np.ndarray], np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The code points of ``fold_lower(text) + SEP`` for all ``texts`` in a row, and where each text starts.

    A character the table leaves unsafe is replaced by its :func:`expansion` when it has one (the ellipsis, in 6% of
    news texts); a text holding any other is folded whole by :func:`fold_lower`. With ``table`` and ``entries``
    (a table of what ``entries`` makes of each safe character's fold, ``UNSAFE`` for the others, and that function,
    elementwise), each folded code point's entry instead: one lookup gives what two tables would.
    Example: ``folded_codes(["Ab", "C"])`` gives ``([97, 98, 0, 99, 0], [0, 3])``.
    """
    raw = utf32(SEP.join(texts) + SEP)
    codes, unsafe = (FOLD if table is None else table).take(raw)
    lengths = np.array([len(text) + 1 for text in texts], dtype=np.int64)
    ends = np.cumsum(lengths)
    if len(unsafe):
        codes, lengths = _refold(texts, codes, ends, lengths, raw[unsafe].tolist(), unsafe.tolist(),
                                 entries or _same)
        ends = np.cumsum(lengths)
    return codes, ends - lengths


def _same(codes: np.ndarray) -> np.ndarray:
    """The folded code points as they are (:func:`folded_codes` without a table of entries)."""
    return codes


@lru_cache(maxsize=_BMP)
def expansion(code: int) -> np.ndarray | None:
    """The code points ``fold_lower`` makes of one character the table leaves unsafe, when they are the same
    wherever it stands among safe characters; else None.

    So it is when every character of its NFKD decomposition is a starter that may not compose with the one
    before it (not combining, not :func:`_composing`, not capital sigma): NFKC then composes none of them with a
    neighbour (nor reorders them), and lower-casing has no context but final sigma's. Example:
    ``expansion(0x2026)`` (the ellipsis) is ``[46, 46, 46]``; ``expansion(0x301)`` (combining acute) is None.
    """
    if code >= _BMP or (code >> 8) in _SURROGATES:
        return None
    char, composing = chr(code), _composing()
    if any(_blocked(part, composing) for part in unicodedata.normalize("NFKD", char)):
        return None
    folded = fold_lower(char)
    return utf32(folded) if folded else None


def _refold(texts: Sequence[str], codes: np.ndarray, ends: np.ndarray, lengths: np.ndarray,
            found: list[int], where: list[int],
            entries: Callable[[np.ndarray], np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """``codes`` with the unsafe characters ``found`` at ``where`` expanded, or, in a text holding one without an
    :func:`expansion`, the text folded by :func:`fold_lower` instead of the table (each piece's code points as
    ``entries`` makes them); the texts' new lengths."""
    text_of = np.searchsorted(ends, where, side="right").tolist()
    whole = {text for text, code in zip(text_of, found) if expansion(code) is None}
    starts, stops = (ends - lengths).tolist(), ends.tolist()
    pieces, done, lengths = [], 0, lengths.copy()
    made: dict[int, np.ndarray] = {}  # each character's expansion as entries, made once a batch
    for index, code, at in zip(text_of, found, where):
        if index not in whole:
            expanded = made.get(code)
            if expanded is None:
                expanded = made[code] = entries(expansion(code))
            pieces += [codes[done:at], expanded]
            done, lengths[index] = at + 1, lengths[index] + len(expanded) - 1
        elif done <= starts[index]:  # the text's first unsafe character: the text is folded whole, once
            folded = entries(utf32(fold_lower(texts[index]) + SEP))
            pieces += [codes[done : starts[index]], folded]
            done, lengths[index] = stops[index], len(folded)
    pieces.append(codes[done:])
    return np.concatenate(pieces), lengths
