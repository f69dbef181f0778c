"""Texts folded and lower-cased straight into code points: one table for the characters that fold alone.

:func:`fold_lower` (NFKC, typographic quotes and dashes to ASCII, lower case) works on whole strings
because a few characters change with their neighbours (a combining accent composes with the letter
before it, a final capital sigma lower-cases differently). Most characters do not: each folds to
one code point, whatever surrounds it. :func:`fold_table` maps those (in the Basic Multilingual
Plane) with one numpy lookup; a text holding any other character is folded by :func:`fold_lower`,
so :func:`folded_codes` always equals the code points of ``fold_lower`` of each text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from .normalize import fold

#: Ends every text in a batch of code points (not a word character, not white space).
SEP = "\x00"
#: A code point whose fold depends on its neighbours or is not one code point.
UNSAFE = np.uint32(0xFFFFFFFF)
_BMP = 1 << 16
_SIGMA = 0x3A3


def fold_lower(text: str) -> str:
    """``normalize.fold(text).lower()``: the text as shingles and exact keys read it."""
    return fold(text).lower()


def _composing(decomposed: list[str]) -> set[str]:
    """Characters that may compose with the one before them: any but the first of a canonical decomposition."""
    return {char for piece in decomposed if len(piece) > 1 for char in piece[1:]}


@lru_cache(maxsize=1)
def fold_table() -> np.ndarray:
    """For each BMP code point, the one code point ``fold_lower`` makes of it in any context, else ``UNSAFE``.

    A character is safe when NFKC leaves it alone and neither it nor its canonical decomposition's first
    character is a combining character or the second part of a composition (any but the first character of
    a canonical decomposition); then no neighbour can change how it normalises. Each character is folded
    between ``SEP`` characters (which block composition), so the whole plane is normalised in three calls.
    The last entry (index ``2**16``) is ``UNSAFE``: an astral code point, clipped to it, goes to
    :func:`fold_lower` (``test_foldcodes`` checks that no BMP character composes with an astral one).
    Example: ``fold_table()[ord("A")] == ord("a")``; ``fold_table()[0x301]`` (combining acute) is ``UNSAFE``.
    """
    codes = np.r_[1:0xD800, 0xE000:_BMP]
    chars = [chr(code) for code in codes.tolist()]
    joined = SEP.join(chars)
    nfd = unicodedata.normalize("NFD", joined).split(SEP)
    blocked = _composing(nfd) | {char for char in chars if unicodedata.combining(char)} | {chr(_SIGMA)}
    unsafe = int(UNSAFE)
    mapped = [ord(lowered) if normal == char and len(lowered) == 1 and char not in blocked and first[0] not in blocked
              else unsafe for char, normal, first, lowered in zip(
                  chars, unicodedata.normalize("NFKC", joined).split(SEP), nfd, fold_lower(joined).split(SEP))]
    table = np.full(_BMP + 1, UNSAFE, dtype=np.uint32)
    table[0] = 0
    table[codes] = mapped
    return table


def utf32(text: str) -> np.ndarray:
    """The code points of ``text`` (lone surrogates included) as uint32."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def folded_codes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The code points of ``fold_lower(text) + SEP`` for all ``texts`` in a row, and where each text starts.

    Example: ``folded_codes(["Ab", "C"])`` gives ``([97, 98, 0, 99, 0], [0, 3])``.
    """
    raw = utf32(SEP.join(texts) + SEP)
    codes = fold_table().take(raw, mode="clip")
    lengths = np.array([len(text) + 1 for text in texts], dtype=np.int64)
    ends = np.cumsum(lengths)
    unsafe = np.flatnonzero(codes == UNSAFE)
    if len(unsafe):
        redo = np.unique(np.searchsorted(ends, unsafe, side="right")).tolist()
        codes, lengths = _refold(texts, codes, ends, lengths, redo)
        ends = np.cumsum(lengths)
    return codes, ends - lengths


def _refold(texts: Sequence[str], codes: np.ndarray, ends: np.ndarray, lengths: np.ndarray,
            redo: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """``codes`` with the texts ``redo`` folded by :func:`fold_lower` instead of the table; their new lengths."""
    pieces, done = [], 0
    lengths = lengths.copy()
    for index in redo:
        folded = utf32(fold_lower(texts[index]) + SEP)
        pieces += [codes[done : ends[index] - lengths[index]], folded]
        done, lengths[index] = int(ends[index]), len(folded)
    pieces.append(codes[done:])
    return np.concatenate(pieces), lengths
