"""The casualty stems and number words found in one scan are where a ``str.find`` pass for each finds them."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from dedupe.extract import _groups, _known, _numscan, _victims
from dedupe.extract._stems import CASUALTY_STEMS, NUMBER_STARTS, Stems, needle_starts
from dedupe.extract._text import lowered


def _found_one_by_one(text: str, needle: str) -> list[int]:
    """The word starts of ``needle`` in the lower-cased ``text``, one ``str.find`` after another (the old way)."""
    lower, found = lowered(text), []
    at = lower.find(needle)
    while at != -1:
        if not (at and lower[at - 1].isalpha()):
            found.append(at)
        at = lower.find(needle, at + 1)
    return found


_FRAGMENTS = [*CASUALTY_STEMS, *NUMBER_STARTS, "a", " ", "-", "ly", "s", "some", "of", "ten", "Dead", "TWO", "é", "ſ",
              "İ", "²", "x", "\n", "'", "murder", "suicide", "dozen", "hundred", "A DOZEN", "Has", "_", "3"]


@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=40).map("".join))
@example("Someone often said a dozen, murder-suicide; deadly: the deceased had passed. Took two-thirds")
@settings(max_examples=400, deadline=None)
def test_one_scan_finds_what_each_find_finds(text):
    starts = needle_starts(text)
    assert set(starts) == set(CASUALTY_STEMS) | set(NUMBER_STARTS)
    for needle, offsets in starts.items():
        assert offsets == _found_one_by_one(text, needle), needle
    stems = Stems(text)
    assert stems.at("shot") == _found_one_by_one(text, "shot")
    assert stems.at("gun") == _found_one_by_one(text, "gun")  # not a listed stem: found by str.find


def test_every_reader_looks_for_listed_words_only():
    """A stem left out would still be found (by ``str.find``): this keeps the one scan doing the work."""
    wanted = {*_groups._TRIGGERS, *_known._TRIGGERS, *_victims._TRIGGERS, *_known._CUE_STARTS, "himself", "herself"}
    assert wanted <= set(CASUALTY_STEMS)
    assert _numscan.NUMBER_STARTS is NUMBER_STARTS
