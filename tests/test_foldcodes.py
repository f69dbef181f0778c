"""Texts folded straight into code points (``foldcodes``) against ``fold_lower``, and exact keys against split and join."""

from __future__ import annotations

import unicodedata

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dedupe.foldcodes import SEP, UNSAFE, fold_lower, fold_table, folded_codes, utf32
from dedupe.tokenhash import Batch, exact_key

FAST = settings(max_examples=150, deadline=None, derandomize=True, database=None)
#: Characters whose fold depends on their neighbours or is longer than one: combining marks, Hangul jamo that
#: compose into syllables, an Indic vowel sign that composes with the one before it, final sigma, dotted I,
#: ligatures, the ellipsis, full-width and astral letters, white space of every kind, NUL and a lone surrogate.
TRICKY = ("aA eE\u0301\u0308\u00e9\u1100\u1161\u11a8\uac00\u0b47\u0b3e\u0b4b\u03a3\u03c3\u0130\ufb01\u2026\uff21"
          "\u2019\u201c\u2014\u00a0\u2003\u3000\u2028\x85\x1c\t\n\x00\udc80\U0001d518\U0001f600'.9")
tricky_texts = st.lists(st.text(alphabet=TRICKY, max_size=40), min_size=1, max_size=6)


def test_the_table_folds_each_safe_character_as_fold_lower_does() -> None:
    table = fold_table()
    safe = [code for code in range(1, 1 << 16) if table[code] != UNSAFE]
    joined = SEP.join(map(chr, safe))
    assert fold_lower(joined).split(SEP) == [chr(table[code]) for code in safe]
    assert table[ord("A")] == ord("a") and table[0x2019] == ord("'") and table[0] == 0
    assert all(table[code] == UNSAFE for code in (0x301, 0x3A3, 0x130, 0x2026, 0x1161, 0x0B3E, 1 << 16))


def test_no_astral_composition_ends_in_a_bmp_character() -> None:
    """The table is built from the BMP alone: no BMP character may compose with an astral one before it."""
    astral = SEP.join(chr(code) for code in range(1 << 16, 0x110000))
    for piece in unicodedata.normalize("NFD", astral).split(SEP):
        assert all(ord(char) >= 1 << 16 for char in piece[1:])


@FAST
@given(tricky_texts)
@example(["\u1100\u1161\u11a8", "\u0b47\u0b3e", "E\u0301", "a\u03a3", "x\u2026y", "plain"])
def test_folded_codes_are_fold_lower(texts: list[str]) -> None:
    codes, offsets = folded_codes(texts)
    folded = [fold_lower(text) for text in texts]
    assert np.array_equal(codes, utf32(SEP.join(folded) + SEP))
    assert offsets.tolist() == np.cumsum([0] + [len(text) + 1 for text in folded[:-1]]).tolist()


@FAST
@given(tricky_texts)
def test_exact_keys_collapse_white_space_as_split_and_join(texts: list[str]) -> None:
    assert Batch.of(texts).exact_keys() == [exact_key(fold_lower(text)) for text in texts]


def test_exact_keys_of_blank_and_padded_texts() -> None:
    texts = ["", " ", "\n\t ", "  a  b\n", "a", "\x00", " \x00 ", "c\u3000\u3000d "]
    assert Batch.of(texts).exact_keys() == [exact_key(fold_lower(text)) for text in texts]
    assert Batch.of(texts).exact_keys()[3] == exact_key("a b")
