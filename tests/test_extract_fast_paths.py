"""The fast paths of extraction give what the plain, obvious versions give."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from dedupe.extract._groups import _BEFORE_VERB
from dedupe.extract._known import _SUBJECT_BEFORE
from dedupe.extract._people import PHRASE_START
from dedupe.extract._text import _Sentences, word_list
from dedupe.normalize import _SENTENCE_END

# The sentence-end pattern as first written: three alternatives, no leading character class.
_PLAIN_SENTENCE_END = re.compile(r"""[.!?]+["'\u2019\u201d)\]]*(?=\s)|\n\s*\n|\n(?=\s*["'\u2018\u201c]?[A-Z0-9])""")
# Text made of the characters the sentence rules look at, and a few others.
_PROSE = st.text(alphabet=list(".!?\n \t\"'\u2018\u2019\u201c\u201d)]Aa0,-"), max_size=60)


@given(_PROSE)
@settings(max_examples=400)
def test_sentence_end_matches_the_plain_pattern(text: str) -> None:
    assert [m.span() for m in _SENTENCE_END.finditer(text)] == [m.span() for m in _PLAIN_SENTENCE_END.finditer(text)]


def test_sentence_end_on_prose() -> None:
    text = 'He said "No!" Then\n\nA new line.\nB starts. Mr. Smith left... "Yes."\n 3 more'
    assert [m.group() for m in _SENTENCE_END.finditer(text)] == ['!"', "\n\n", ".", "\n", ".", ".", "...", '."', "\n"]


_WORDS = word_list(
    "a an A An the The his His her their one One two Two three Four twenty 3 42 17-year-old man woman men "
    "women boy children victim teen Jo Reid Killeen Mary-Ann Smith J. he He she She they and & , were was "
    "is has been both all of who fatally shot killed injured found dead İ ı ſ K"
)
_LISTS = st.lists(st.sampled_from(_WORDS), max_size=14).map(" ".join)
# Random words rarely form a list of victims: splice a real one in, so the list search matches.
_VICTIM_LISTS = ["two men and a woman", "Jo Reid and Mary-Ann Smith", "a man, a woman and two children"]
_WITH_LIST = st.tuples(_LISTS, st.sampled_from(_VICTIM_LISTS), _LISTS).map(" ".join)


def _unguarded(pattern: re.Pattern[str], guard: str) -> re.Pattern[str]:
    """``pattern`` without the look-ahead ``guard`` it starts with."""
    assert pattern.pattern.startswith(guard)
    return re.compile(pattern.pattern[len(guard) :], pattern.flags)


def _same(first: re.Match[str] | None, second: re.Match[str] | None) -> bool:
    """True when two matches (or no-matches) are alike in every group."""
    if first is None or second is None:
        return first is second
    return first.regs == second.regs


_PLAIN_BEFORE_VERB = _unguarded(_BEFORE_VERB, PHRASE_START)
_PLAIN_SUBJECT_BEFORE = _unguarded(_SUBJECT_BEFORE, "(?=[A-Zhst])")


@given(st.one_of(_LISTS, _WITH_LIST), st.integers(0, 20))
@example("Police said two men and a woman were ", 0)
@settings(max_examples=300, deadline=None)
def test_guarded_list_search_matches_the_plain_pattern(text: str, low: int) -> None:

    plain = _PLAIN_BEFORE_VERB
    for end in range(len(text) + 1):
        assert _same(_BEFORE_VERB.search(text, low, end), plain.search(text, low, end))


@given(_LISTS)
@settings(max_examples=300, deadline=None)
def test_guarded_subject_search_matches_the_plain_pattern(text: str) -> None:

    plain = _PLAIN_SUBJECT_BEFORE
    for end in range(len(text) + 1):
        assert _same(_SUBJECT_BEFORE.search(text, 0, end), plain.search(text, 0, end))


def test_guarded_searches_find_lists_and_subjects() -> None:
    text = "Police said two men and a woman were "
    assert _BEFORE_VERB.search(text).group("list") == "two men and a woman"
    assert _SUBJECT_BEFORE.search("Later that night Jo Reid was ").group("name") == "Jo Reid"


_PARAGRAPHS = st.text(alphabet=list("ab A. B? \n\n  \t\"”"), max_size=80)


@given(_PARAGRAPHS, st.lists(st.integers(-3, 90), max_size=30))
@settings(max_examples=300, deadline=None)
def test_sentence_span_with_the_last_answer_kept_matches_a_fresh_split(text: str, offsets: list[int]) -> None:
    sentences = _Sentences(text)
    for offset in offsets:
        assert sentences.span(offset) == _Sentences(text).span(offset)
