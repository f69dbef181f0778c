"""Sentence spans read without a call per paragraph: the same spans, and the same last answer kept, as the code they
replace."""

from __future__ import annotations

from bisect import bisect_right

from hypothesis import example, given, settings
from hypothesis import strategies as st

from dedupe.extract._text import _Sentences


def _plain_span(sentences: _Sentences, offset: int) -> tuple[int, int]:
    """``_Sentences.span`` as first written (the last answer kept in ``sentences``)."""
    if sentences.low <= offset < sentences.high:
        return sentences.last
    paragraph = index = max(0, bisect_right(sentences.starts, offset) - 1)
    starts, ends = sentences._paragraph(index)
    while not starts and index > 0:
        index -= 1
        starts, ends = sentences._paragraph(index)
    if not starts:
        return 0, len(sentences.text)
    at = max(0, bisect_right(starts, offset) - 1)
    low = sentences.starts[paragraph] if paragraph else -1
    high = sentences.starts[paragraph + 1] if paragraph + 1 < len(sentences.starts) else len(sentences.text) + 1
    if index == paragraph:
        low = starts[at] if at else low
        high = min(high, starts[at + 1]) if at + 1 < len(starts) else high
    sentences.last, sentences.low, sentences.high = (starts[at], ends[at]), low, high
    return sentences.last


_PARAGRAPHS = st.text(alphabet=list("ab A. B? \n\n  \t\"”"), max_size=80)


@given(_PARAGRAPHS, st.lists(st.integers(-3, 90), max_size=30))
@example("A b. B a.\n\n \n\nA? b\n  \nB.", [3, 12, 0, 25, 14, 14, 30, -1, 20])
@settings(max_examples=400, deadline=None)
def test_sentence_spans_are_the_first_written_ones(text: str, offsets: list[int]) -> None:
    new, old = _Sentences(text), _Sentences(text)
    for offset in offsets:
        assert new.span(offset) == _plain_span(old, offset)
        assert (new.last, new.low, new.high) == (old.last, old.low, old.high)
