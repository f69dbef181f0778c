"""The faster regular expressions of extraction and profiles find what the plain ones find (branch extract12)."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from dedupe.extract import _datescan, _runs, dates
from dedupe.normalize import _FIGURE, _WORD, figures

# The patterns as first written: a look-behind before the first digit, greedy repeats, one scan for every kind.
_PLAIN_FIGURE = re.compile(r"(?<![\w.,:/-])\d+(?:[.,:]\d+)*(?:-\d+)?(?![\w/]|[.,:-]\d)")
_PLAIN_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_U = _runs._UPPER
_PLAIN_RUN_WORD = rf"(?:\.[{_U}])*[\w&]*(?:['\u2019\-][\w&]+)*\.?"
_PLAIN_RUN = re.compile(
    rf"[{_U}](?<![\w'\u2019.&][{_U}]){_PLAIN_RUN_WORD}"
    rf"(?:[ \t]+(?:{_runs._CONNECTOR}[ \t]+|(?:al|el)-)?[{_U}]{_PLAIN_RUN_WORD})*"
)


def _text(fragments: list[str]) -> st.SearchStrategy[str]:
    """Text made of ``fragments`` and the single characters between them."""
    return st.lists(st.sampled_from(fragments), max_size=25).map("".join)


_NUMBERY = _text(["1", "20", "2019", "٣", "5.6", ",", ".", ":", "/", "-", " ", "a", "_", "x1", "31-24", "\n"])
_WORDY = _text(["ab", "É", "_", "'", "\u2019", "s", " ", "3", "-", "ı", ".", "\n", "x_y"])
_CAPITALS = _text(["Bank", " ", "\t", "of", " the ", "al-", "Qaeda", "U.S.", "J.", "Mr.", "O'Neil", "Rolls-Royce",
                   "AT&T", "é", "Élan", "-", ".", "'", "\u2019", "de", "la", "van", "der", "x", "\n", "and", "&"])
_FUTURE_TEXT = _text(["will", "WILL", "Shall", " ", "next", "due", "plans to", "plan", "is to", "are to", "set to",
                      "expected to", "upcoming", "'ll", "\u2019ll", "we", "ı", "İ", "ſ", "K", "w", "ill", "s", "hall",
                      "x", ",", "."])
_DATES = _text(["3", "12", "31", "2019", "1999", " ", "-", "to", " and ", "of", "June", "Jun.", "Monday", "the", ",",
                "last", "year", "this", "5th", ".", "$", "x", "\u2013"])


@given(_NUMBERY)
@example("A 5.6 magnitude quake at 2:30 in 2008, 1,000 dead; 31-24, 9/11, 2013-09-18, ie7, 10th")
@settings(max_examples=400, deadline=None)
def test_figures_match_the_plain_pattern(text: str) -> None:
    assert [m.span() for m in _FIGURE.finditer(text)] == [m.span() for m in _PLAIN_FIGURE.finditer(text)]
    assert figures(text) == [f for f in (m.group().replace(",", "") for m in _PLAIN_FIGURE.finditer(text))
                             if not re.fullmatch(r"(?:1[89]|20)\d\d", f)]


@given(_WORDY)
@example("the officer's phone, in 2018 o'_clock x_y ab'' ab\u2019s")
@settings(max_examples=400, deadline=None)
def test_tokens_match_the_plain_pattern(text: str) -> None:
    assert _WORD.findall(text) == _PLAIN_WORD.findall(text)


@given(_CAPITALS)
@example("Bank of the England and Rolls-Royce, U.S. al-Qaeda\tJ. O'Neil of The Hague AT&T")
@settings(max_examples=500, deadline=None)
def test_capitalised_runs_match_the_plain_pattern(text: str) -> None:
    assert [m.span() for m in _runs._RUN.finditer(text)] == [m.span() for m in _PLAIN_RUN.finditer(text)]


@given(_FUTURE_TEXT)
@example("He wıll appear")
@example("The trial is ſcheduled")
@settings(max_examples=500, deadline=None)
def test_future_tense_matches_the_search(sentence: str) -> None:
    assert dates._future_tense(sentence) == bool(dates._FUTURE.search(sentence))


def test_odd_cases_are_every_letter_lower_does_not_fold_to_a_cue_letter() -> None:
    letters = sorted({c for cue in dates._FUTURE_CUES for c in cue if c.isascii() and c.isalpha()})
    any_letter = re.compile(f"[{''.join(letters)}]", re.IGNORECASE)
    for code in range(0x80, 0x110000):
        char = chr(code)
        if any_letter.fullmatch(char):
            folds = [letter for letter in letters if re.fullmatch(letter, char, re.IGNORECASE)]
            assert char in dates._ODD_CASES or all(char.lower() == letter for letter in folds), hex(code)


@given(_DATES)
@example("3 to 5 June 2019, Monday, the 12 of Jun. 1999 and 2019 $31")
@settings(max_examples=500, deadline=None)
def test_digit_scan_matches_the_full_scan_at_every_digit(text: str) -> None:
    for offset, char in enumerate(text):
        if char in "0123456789":
            digit, full = _datescan._DIGIT_SCAN.match(text, offset), _datescan._SCAN.match(text, offset)
            assert (digit and (digit.lastgroup, digit.span())) == (full and (full.lastgroup, full.span()))
