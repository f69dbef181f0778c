"""Shared helpers for the extractors: the sentence around an offset, words before it."""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from ..normalize import no_sentence_end, sentence_bounds

_BLANK_LINE = re.compile(r"\n\s*\n")
_SKIPPED_BEFORE = " \t\n\r,-'\u2019"
_ASCII_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def word_set(words: str) -> frozenset[str]:
    """The white-space separated words of ``words`` as a set: word lists kept readable."""
    return frozenset(words.split())


def word_list(words: str) -> tuple[str, ...]:
    """The white-space separated words of ``words``, in order."""
    return tuple(words.split())


class _Sentences:
    """The sentence spans of one text, split paragraph by paragraph as offsets ask for them.

    A blank line always ends a sentence in ``sentence_spans``, and its rules look no
    further than a few characters around a full stop, so splitting one paragraph gives
    the same spans as splitting the whole text; most paragraphs hold no fact at all.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        blanks = [(m.start(), m.end()) for m in _BLANK_LINE.finditer(text)]
        self.starts = [0] + [end for _, end in blanks]
        self.ends = [start for start, _ in blanks] + [len(text)]
        self.split: dict[int, tuple[list[int], list[int]]] = {}
        self.last = (0, len(text))  # the last answer, true for every offset in [low, high)
        self.low = self.high = 0
        self.widened: dict[tuple[int, int], str] = {}  # evidence sentences given, by span

    def _paragraph(self, index: int) -> tuple[list[int], list[int]]:
        """The sentence starts and ends of paragraph ``index``, in text offsets."""
        if index not in self.split:
            base = self.starts[index]
            starts, ends = sentence_bounds(self.text[base : self.ends[index]])
            if base:
                starts, ends = [base + s for s in starts], [base + e for e in ends]
            self.split[index] = (starts, ends)
        return self.split[index]

    def span(self, offset: int) -> tuple[int, int]:
        """The ``(start, end)`` of the sentence holding ``offset``.

        The extractors ask about nearby offsets in turn: the last answer is kept with
        the offsets it holds for (the same paragraph, from its sentence's start, or
        the paragraph's, to the next sentence's start).
        """
        if self.low <= offset < self.high:
            return self.last
        # most calls miss (the extractors ask about offsets in turn, each its own): the path below is the short one
        bounds = self.starts
        paragraph = bisect_right(bounds, offset) - 1 if offset > 0 else 0  # bounds[0] is 0
        starts, ends = self.split.get(paragraph) or self._paragraph(paragraph)
        index = paragraph
        while not starts and index > 0:  # a paragraph of white space: look back
            index -= 1
            starts, ends = self._paragraph(index)
        if not starts:
            return 0, len(self.text)
        at = bisect_right(starts, offset) - 1 if offset >= starts[0] else 0
        low = bounds[paragraph] if paragraph else -1
        high = bounds[paragraph + 1] if paragraph + 1 < len(bounds) else len(self.text) + 1
        if index == paragraph:
            if at:
                low = starts[at]
            if at + 1 < len(starts) and starts[at + 1] < high:
                high = starts[at + 1]
        self.last, self.low, self.high = (starts[at], ends[at]), low, high
        return self.last


@lru_cache(maxsize=8)
def _sentences(text: str) -> _Sentences:
    """The sentences of ``text``, shared by the extractors.

    The extractors ask for the sentences of the same article in turn, so a small
    cache saves splitting it again.
    """
    return _Sentences(text)


@lru_cache(maxsize=8)
def lowered(text: str) -> str:
    """``text.lower()``, kept for the last few texts: the number and casualty scans read the same
    article lower-cased (a long text with curly quotes takes tens of microseconds to lower)."""
    return text.lower()


def sentence_span(text: str, offset: int) -> tuple[int, int]:
    """The ``(start, end)`` of the sentence holding ``offset``, as ``sentence_spans`` splits it.

    An offset between two sentences belongs to the one before it (to the first one
    when it comes before any).
    """
    return _sentences(text).span(offset)


def sentence_at(text: str, offset: int) -> str:
    """The text of the sentence holding ``offset``."""
    start, end = sentence_span(text, offset)
    return text[start:end]


def evidence(text: str, span: tuple[int, int]) -> str:
    """The sentence of ``span`` (a :func:`sentence_span`) as a fact's evidence: widened over the full stops that
    end no sentence for a reader (:func:`~dedupe.normalize.no_sentence_end`: "Nancy Pelosi (D-Calif.)" and "on
    Monday introduced ..." are one sentence). The extractors read the spans as they are."""
    widened = _sentences(text).widened
    if span not in widened:
        widened[span] = _widened(text, span)
    return widened[span]


def _widened(text: str, span: tuple[int, int]) -> str:
    """:func:`evidence` of a span not asked for before."""
    start, end = span
    while True:
        dot = text.rfind(".", max(start, end - 3), end)
        if dot < 0 or not no_sentence_end(text, dot):
            break
        after = end  # where the next sentence starts
        while after < len(text) and text[after].isspace():
            after += 1
        following = sentence_span(text, after) if after < len(text) else span
        if following[1] <= end:
            break
        end = following[1]
    while start > 0:
        last = start  # the end of the sentence before
        while last > 0 and text[last - 1].isspace():
            last -= 1
        dot = text.rfind(".", max(0, last - 3), last)
        if dot < 0 or not no_sentence_end(text, dot):
            break
        previous = sentence_span(text, dot)
        if previous[0] >= start:
            break
        start = previous[0]
    return text[start:end]


def word_before(text: str, offset: int, reach: int = 24) -> str:
    """The lower-cased word ending just before ``offset`` (spaces, commas, dashes and an
    apostrophe skipped), looking back at most ``reach`` characters.

    >>> word_before("suspended in 2020", 13)
    'in'
    """
    head = text[max(0, offset - reach) : offset].rstrip(_SKIPPED_BEFORE)
    return head[len(head.rstrip(_ASCII_LETTERS)) :].lower()


def starts_clause(text: str, start: int) -> bool:
    """True when ``start`` opens the text or follows a sentence end, a line break, a quote,
    a bracket, a dash, a colon or a bar (cheap: only the few characters before are read)."""
    head = text[max(0, start - 3) : start].rstrip(" ")
    return not head or head[-1] in ".!?\n\"'\u201c\u2018(-\u2014:;|"
