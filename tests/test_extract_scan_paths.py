"""The cheaper scans of the extractors give what the plain versions give (branch extractspeed)."""

from __future__ import annotations

import re
from unittest import mock

from hypothesis import example, given, settings
from hypothesis import strategies as st

from dedupe.extract import _datescan, _events
from dedupe.extract._numscan import _currency_before
from dedupe.extract._text import word_before
from dedupe.normalize import (
    _ABBREVIATIONS,
    _is_abbreviation,
    sentence_bounds,
    sentence_spans,
)

# Letters ASCII and not (``é``, ``İ``), a numeral that is no letter (``²``), full stops and spaces.
_WORDY = st.text(alphabet=list("abnoMrUSe.é²İ Z\n3\"”"), max_size=70)
_PROSE = st.text(alphabet=list("ab A.B.é?! \n\n\t\"”'’)Mr0,-"), max_size=90)


def _plain_is_abbreviation(text: str, end: int) -> bool:
    """``normalize._is_abbreviation`` as first written: the word walked back one character at a time."""
    start = end
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    word = text[start:end].lower().rstrip(".")
    following = text[end + 1 : end + 40].lstrip(" \t\"'\u201d\u2019")
    if not word:
        return False
    if following[:1].islower():
        return True
    if word == "no":
        return following[:1].isdigit()
    initials = all(len(part) <= 2 for part in word.split(".")) and word.replace(".", "").isalpha()
    if initials and (len(word) == 1 or "." in word):
        return True
    return word in _ABBREVIATIONS


@given(_WORDY)
@example("x" * 40 + ". The")
@example("é" + "a" * 30 + ". b")
@example("He left no. 3 and Mr. Smith and U.S. and e.g. this and J. Doe.")
@settings(max_examples=400, deadline=None)
def test_abbreviation_test_matches_the_plain_walk(text: str) -> None:
    for end in range(len(text)):
        assert _is_abbreviation(text, end) == _plain_is_abbreviation(text, end)


@given(_PROSE)
@example('He said "No." Mr. Smith left. U.S. troops.\n\nA new one')
@settings(max_examples=400, deadline=None)
def test_sentence_bounds_are_the_sentence_spans(text: str) -> None:
    starts, ends = sentence_bounds(text)
    assert list(zip(starts, ends)) == list(sentence_spans(text))


# The trigger pattern as first written: every digit a trigger of its own.
_EVERY_DIGIT = re.compile(
    _datescan._UPPER_TRIGGER.pattern.replace(
        "0[0-9]*|1[0-9]*|2[0-9]*|3[0-9]*|4[0-9]*|5[0-9]*|6[0-9]*|7[0-9]*|8[0-9]*|9[0-9]*", "0|1|2|3|4|5|6|7|8|9"
    )
)
_DATE_WORDS = st.sampled_from(
    ["3", "12", "2019", "1,500", "$20", "3.5", "Jan.", "June", "on", "and", "to", "-", "of", "last", "Monday",
     "x2020", "1st", "31st", "in", "May", "ago", "days", "two"]
)
_DATE_TEXT = st.lists(_DATE_WORDS, max_size=12).map(" ".join)


@given(_DATE_TEXT)
@example("On 3 and 4 June 2019, 1,500 people")
@settings(max_examples=300, deadline=None)
def test_date_scan_from_digit_runs_matches_every_digit(text: str) -> None:
    assert _EVERY_DIGIT.pattern != _datescan._UPPER_TRIGGER.pattern
    found = _datescan.scan(text)
    with mock.patch.object(_datescan, "_UPPER_TRIGGER", _EVERY_DIGIT):
        assert _datescan.scan(text) == found


@given(st.text(alphabet=list("US$NZHKAC£€¥ 1x"), max_size=8))
@settings(max_examples=300, deadline=None)
def test_currency_before_matches_every_sign_tried(text: str) -> None:
    for start in range(len(text) + 1):
        head = text[max(0, start - 3) : start]
        signs = [
            sign for sign in ("US$", "NZ$", "HK$", "A$", "C$", "$US", "$A", "$", "£", "€", "¥") if head.endswith(sign)
        ]
        assert _currency_before(text, start) == (signs[0] if signs else "")


def _plain_event_word(sentence: str, start: int, end: int) -> str:
    """:func:`_events.event_word` asking ``_candidate`` about every word it walks past."""
    left = max(0, start - _events._REACH)
    before = _events._WORD.findall(sentence, left, start)
    if sentence[end : end + 2] in ("'s", "\u2019s"):
        end += 2
    tokens = before + _events._WORD.findall(sentence, end, end + _events._REACH)
    split, steps, best = len(before), [0, 0], None
    for distance in range(1, _events._MAX_DISTANCE + 1):
        for side, index in enumerate((split - distance, split + distance - 1)):
            if not (0 <= index < len(tokens)) or (side == 0) != (index < split):
                continue
            steps[side] += _events._PUNCTUATION_STEPS if tokens[index] in _events._PUNCTUATION else 1
            found = _events._candidate(tokens, index, left == 0)
            if found is not None:
                key = (steps[side] + found[1], side, found[0])
                best = key if best is None or key < best else best
    return best[2] if best else ""


_EVENT_WORDS = st.sampled_from(
    ["The", "officer", "was", "suspended", "will", "appear", "said", "hearing", "of", "the", "conclusion",
     "inquiry", ",", "(", "Shot", "shot", "wanted", "speed", "DATE", "last", "week's", "trial", "had", "been",
     "arrested", "told", "would", "meet", "Seized", "and"]
)


@given(st.lists(_EVENT_WORDS, max_size=30))
@example(["The", "officer", "was", "suspended", "in", "DATE", "."])
@settings(max_examples=400, deadline=None)
def test_event_word_matches_asking_about_every_word(words: list[str]) -> None:
    sentence = " ".join(words)
    at = sentence.find("DATE")
    start, end = (at, at + 4) if at >= 0 else (len(sentence) // 2, len(sentence) // 2)
    assert _events.event_word(sentence, start, end) == _plain_event_word(sentence, start, end)



def _plain_word_before(text: str, offset: int, reach: int) -> str:
    """``_text.word_before`` as first written: one character at a time."""
    low = max(0, offset - reach)
    end = offset
    while end > low and text[end - 1] in " \t\n\r,-'\u2019":
        end -= 1
    start = end
    while start > low and text[start - 1].isascii() and text[start - 1].isalpha():
        start -= 1
    return text[start:end].lower()


@given(st.text(alphabet=list("abIn é,-'\u2019\n\t2"), max_size=40), st.integers(1, 30))
@example("suspended in 2020", 24)
@settings(max_examples=300, deadline=None)
def test_word_before_matches_the_plain_walk(text: str, reach: int) -> None:
    for offset in range(len(text) + 1):
        assert word_before(text, offset, reach) == _plain_word_before(text, offset, reach)
