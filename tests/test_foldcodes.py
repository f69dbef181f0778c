"""Texts folded straight into code points (``foldcodes``) against ``fold_lower``, and exact keys against split and join.

The tables are filled lazily, block by block: the tests fold into fresh tables, and compare every block
filled with the whole-plane tables built the simple way (:func:`eager_fold_table`, :func:`eager_classes`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dedupe import foldcodes, tokenhash
from dedupe.foldcodes import SEP, UNSAFE, BlockTable, fold_lower, folded_codes, utf32
from dedupe.normalize import fold
from dedupe.tokenhash import Batch, exact_key

FAST = settings(max_examples=150, deadline=None, derandomize=True, database=None)
#: Characters whose fold depends on their neighbours or is longer than one: combining marks, Hangul jamo that
#: compose into syllables, an Indic vowel sign that composes with the one before it, final sigma, dotted I,
#: ligatures, the ellipsis, full-width and astral letters, white space of every kind, NUL and a lone surrogate.
TRICKY = ("aA eE\u0301\u0308\u00e9\u1100\u1161\u11a8\uac00\u0b47\u0b3e\u0b4b\u03a3\u03c3\u0130\ufb01\u2026\uff21"
          "\u2019\u201c\u2014\u00a0\u2003\u3000\u2028\x85\x1c\t\n\x00\udc80\U0001d518\U0001f600'.9")
tricky_texts = st.lists(st.text(alphabet=TRICKY, max_size=40), min_size=1, max_size=6)


def eager_fold_table() -> np.ndarray:
    """The fold table built for the whole plane at once: each BMP character folded between separators, and
    kept when NFKC leaves it alone and neither it nor its decomposition's first character may compose."""
    codes = np.r_[1:0xD800, 0xE000 : 1 << 16]
    chars = [chr(code) for code in codes.tolist()]
    joined = SEP.join(chars)
    nfd = unicodedata.normalize("NFD", joined).split(SEP)
    seconds = {char for piece in nfd if len(piece) > 1 for char in piece[1:]}
    blocked = seconds | {char for char in chars if unicodedata.combining(char)} | {"\u03a3"}
    kept = zip(chars, unicodedata.normalize("NFKC", joined).split(SEP), nfd, fold(joined).lower().split(SEP))
    table = np.full((1 << 16) + 1, UNSAFE, dtype=np.uint32)
    table[0] = 0
    table[codes] = [ord(low) if normal == char and len(low) == 1 and char not in blocked and first[0] not in blocked
                    else UNSAFE for char, normal, first, low in kept]
    return table


def eager_classes() -> np.ndarray:
    """The class bits of the whole plane at once, as ``str`` methods read them."""
    chars = [chr(code) for code in range(1 << 16)]
    return np.array([c.isalnum() | (c == "'") << 1 | c.isspace() << 2 for c in chars], dtype=np.uint8)


EAGER_FOLD, EAGER_CLASSES = eager_fold_table(), eager_classes()


def eager_entries() -> np.ndarray:
    """The batch entry of every BMP code point at once: its fold's code point (white space as a space) with the
    fold's class bits above, ``UNSAFE`` where the fold table says so."""
    safe = EAGER_FOLD != UNSAFE
    folded = EAGER_FOLD[safe]
    classes = np.array([EAGER_CLASSES[code] if code < 1 << 16 else chr(code).isalnum() for code in folded.tolist()],
                       dtype=np.uint32)
    entries = EAGER_FOLD.copy()
    entries[safe] = np.where(classes & 4, 32, folded) | classes << 24
    return entries


EAGER_ENTRIES = eager_entries()


@contextmanager
def fresh_tables() -> Iterator[tuple[BlockTable, BlockTable]]:
    """The fold and class tables swapped for empty ones while the block runs."""
    saved = foldcodes.FOLD, tokenhash._BMP_CLASSES, tokenhash._BMP_ENTRIES
    foldcodes.FOLD = foldcodes.new_fold_table()
    tokenhash._BMP_CLASSES = BlockTable(tokenhash._class_block, np.uint8, 0xFF)
    tokenhash._BMP_ENTRIES = BlockTable(tokenhash._entry_block, np.uint32, UNSAFE)
    try:
        yield foldcodes.FOLD, tokenhash._BMP_CLASSES, tokenhash._BMP_ENTRIES
    finally:
        foldcodes.FOLD, tokenhash._BMP_CLASSES, tokenhash._BMP_ENTRIES = saved


def assert_filled_as_eager(table: BlockTable, eager: np.ndarray) -> None:
    """Every filled block of ``table`` equals the eager table's; the rest still hold ``missing``."""
    blocks = table.values[: 1 << 16].reshape(-1, 256)
    assert np.array_equal(blocks[table.filled], eager[: 1 << 16].reshape(-1, 256)[table.filled])
    assert (blocks[~table.filled] == table.missing).all() and table.values[1 << 16] == table.missing


def test_the_table_folds_each_safe_character_as_fold_lower_does() -> None:
    table = foldcodes.new_fold_table().full()
    safe = [code for code in range(1, 1 << 16) if table[code] != UNSAFE]
    joined = SEP.join(map(chr, safe))
    assert fold_lower(joined).split(SEP) == [chr(table[code]) for code in safe]
    assert table[ord("A")] == ord("a") and table[0x2019] == ord("'") and table[0] == 0
    assert all(table[code] == UNSAFE for code in (0x301, 0x3A3, 0x130, 0x2026, 0x1161, 0x0B3E, 1 << 16))
    assert np.array_equal(table, EAGER_FOLD)


def test_the_class_table_filled_whole_is_the_eager_one() -> None:
    table = BlockTable(tokenhash._class_block, np.uint8, 0xFF)
    assert np.array_equal(table.full()[: 1 << 16], EAGER_CLASSES)


def test_blocks_are_filled_only_when_a_batch_uses_them() -> None:
    ascii_texts, wider = ["Plain text, 'quoted'.", "A\tB"], ["Ünïcödé\u2019s", "Привет, МИР", "ｆｕｌｌ", "x\U0001f600"]
    with fresh_tables() as (fold_table, class_table, entry_table):
        assert folded_codes(ascii_texts)[0].tolist() == utf32(SEP.join(map(fold_lower, ascii_texts)) + SEP).tolist()
        Batch.of(ascii_texts)
        assert np.flatnonzero(fold_table.filled).tolist() == np.flatnonzero(class_table.filled).tolist() == [0]
        codes = folded_codes(wider)[0]
        assert np.array_equal(codes, utf32(SEP.join(map(fold_lower, wider)) + SEP))
        assert Batch.of(wider).exact_keys() == [exact_key(fold_lower(text)) for text in wider]
        assert set(np.flatnonzero(fold_table.filled).tolist()) == {0x00, 0x04, 0x20, 0xFF}
        assert np.flatnonzero(entry_table.filled).tolist() == np.flatnonzero(fold_table.filled).tolist()
        assert_filled_as_eager(fold_table, EAGER_FOLD)
        assert_filled_as_eager(class_table, EAGER_CLASSES)
        assert_filled_as_eager(entry_table, EAGER_ENTRIES)


def test_no_astral_composition_ends_in_a_bmp_character() -> None:
    """The table is built from the BMP alone: no BMP character may compose with an astral one before it."""
    astral = SEP.join(chr(code) for code in range(1 << 16, 0x110000))
    for piece in unicodedata.normalize("NFD", astral).split(SEP):
        assert all(ord(char) >= 1 << 16 for char in piece[1:])


@FAST
@given(st.lists(tricky_texts, min_size=1, max_size=3))
@example([["\u1100\u1161\u11a8", "\u0b47\u0b3e", "E\u0301", "a\u03a3", "x\u2026y", "plain"]])
@example([["plain"], ["E\u0301\u1100\u1161"], ["\u00e9"]])
def test_folded_codes_are_fold_lower(batches: list[list[str]]) -> None:
    """Batches folded one after another into fresh tables, each filling the blocks it brings."""
    with fresh_tables() as (fold_table, class_table, entry_table):
        for texts in batches:
            codes, offsets = folded_codes(texts)
            folded = [fold_lower(text) for text in texts]
            assert np.array_equal(codes, utf32(SEP.join(folded) + SEP))
            assert offsets.tolist() == np.cumsum([0] + [len(text) + 1 for text in folded[:-1]]).tolist()
            batch = Batch.of(texts)
            assert batch.exact_keys() == [exact_key(text) for text in folded]
            classes = tokenhash._classes(codes)  # the folded code points' classes; white space a plain space
            assert np.array_equal(batch.classes, classes) and batch.classes.dtype == np.uint8
            assert np.array_equal(batch.codes, np.where(classes & 4, 32, codes)) and batch.codes.dtype == np.uint32
            assert np.array_equal(batch.offsets, offsets)
        assert_filled_as_eager(fold_table, EAGER_FOLD)
        assert_filled_as_eager(class_table, EAGER_CLASSES)
        assert_filled_as_eager(entry_table, EAGER_ENTRIES)


@FAST
@given(tricky_texts)
def test_exact_keys_collapse_white_space_as_split_and_join(texts: list[str]) -> None:
    assert Batch.of(texts).exact_keys() == [exact_key(fold_lower(text)) for text in texts]


def test_exact_keys_of_blank_and_padded_texts() -> None:
    texts = ["", " ", "\n\t ", "  a  b\n", "a", "\x00", " \x00 ", "c\u3000\u3000d "]
    assert Batch.of(texts).exact_keys() == [exact_key(fold_lower(text)) for text in texts]
    assert Batch.of(texts).exact_keys()[3] == exact_key("a b")


#: Every BMP character the table leaves unsafe that folds the same in any context (see ``foldcodes.expansion``).
EXPANDED = [chr(code) for code in range(1, 1 << 16) if not 0xD8 <= code >> 8 < 0xE0
            and EAGER_FOLD[code] == UNSAFE and foldcodes.expansion(code) is not None]
expanded_texts = st.lists(st.text(alphabet=st.sampled_from(EXPANDED) | st.sampled_from(TRICKY), max_size=40),
                          min_size=1, max_size=6)


def test_expansions_are_some_unsafe_characters_only() -> None:
    assert "\u2026" in EXPANDED and "\u2122" in EXPANDED and "\ufb01" in EXPANDED
    assert not {"\u0301", "\u03a3", "\u0130", "\u1161", "\u0b3e"} & set(EXPANDED)
    assert foldcodes.expansion(0x2026).tolist() == [46, 46, 46] and foldcodes.expansion(1 << 16) is None


def test_every_expansion_folds_beside_every_other() -> None:
    texts = ["".join(EXPANDED), "a".join(EXPANDED), "\u0301".join(EXPANDED[:50]), "\u2026" + "".join(EXPANDED[::-1])]
    assert np.array_equal(folded_codes(texts)[0], utf32(SEP.join(map(fold_lower, texts)) + SEP))


@FAST
@given(expanded_texts)
def test_texts_of_expanded_characters_fold_as_fold_lower(texts: list[str]) -> None:
    codes, offsets = folded_codes(texts)
    folded = [fold_lower(text) for text in texts]
    assert np.array_equal(codes, utf32(SEP.join(folded) + SEP))
    assert offsets.tolist() == np.cumsum([0] + [len(text) + 1 for text in folded[:-1]]).tolist()
    assert Batch.of(texts).exact_keys() == [exact_key(text) for text in folded]
