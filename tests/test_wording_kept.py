"""The words, context words and quote comparisons kept for the texts seen last are those made afresh."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import wording
from dedupe.facts import UNKNOWN
from dedupe.normalize import fold
from dedupe.wording import (
    QUOTE_MIN_WORDS,
    QUOTE_SIMILARITY,
    SAME,
    align_words,
    compare_quotes,
    content_words,
    context_overlap,
    meaning_change,
    similarity_bound,
    words,
)

_WORDS = ["The", "minister", "said", "not", "never", "22", "million", "two", "Smith", "Smyth", "people", "were",
          "hurt", "in", "fire", "on", "Monday", "it's", "O'Neil", "a", "city", "council", "\u2019quoted\u2019"]
_TEXTS = st.lists(st.sampled_from(_WORDS), max_size=14).map(" ".join)


def _compare_afresh(a: str, b: str) -> tuple[str, str, list[str]]:
    """``compare_quotes`` as it was before its words were kept (words said twice in a row read once)."""
    a, b = wording.unrepeated(a), wording.unrepeated(b)
    if a.lower() == b.lower():
        return SAME, "", []
    words_a, words_b = wording._WORD.findall(fold(a)), wording._WORD.findall(fold(b))
    if min(len(words_a), len(words_b)) < QUOTE_MIN_WORDS or similarity_bound(words_a, words_b) < QUOTE_SIMILARITY:
        return UNKNOWN, "", []
    score, only_a, only_b = align_words(words_a, words_b)
    if score < QUOTE_SIMILARITY:
        return UNKNOWN, "", []
    reason, changed = meaning_change(only_a, only_b)
    if not reason:
        return wording.AGREE, "", []
    return (wording.SOFT if reason == "name" else wording.HARD), reason, changed


def _context_afresh(text: str, ignore: str) -> set[str]:
    """``content_words`` as it was before it was kept."""
    skip = {w.lower() for w in wording._WORD.findall(fold(ignore))}
    return {w for w in (x.lower() for x in wording._WORD.findall(fold(text)))
            if len(w) > 2 and w not in wording._STOPWORDS and w not in skip and not wording._is_number(w)}


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXTS, min_size=2, max_size=6), st.sampled_from(["", "hurt", "fire on"]))
def test_kept_results_are_made_afresh(texts: list[str], ignore: str) -> None:
    for a in texts:
        assert words(a) == wording._WORD.findall(fold(a))
        assert content_words(a, ignore=ignore) == _context_afresh(a, ignore)
        for b in texts:
            assert compare_quotes(a, b) == _compare_afresh(a, b)
            left, right = _context_afresh(a, ignore), _context_afresh(b, ignore)
            shared = len(left & right)
            expected = shared / min(len(left), len(right)) if left and right and shared >= 1 else 0.0
            assert context_overlap(a, b, ignore=ignore) == expected


def test_callers_cannot_change_what_is_kept() -> None:
    text = "The minister said two people were hurt"
    found = words(text)
    found.append("changed")
    content_words(text).add("changed")
    assert words(text) == wording._WORD.findall(fold(text))
    assert "changed" not in content_words(text)
    assert wording._lowered(text) == Counter(w.lower() for w in words(text))
