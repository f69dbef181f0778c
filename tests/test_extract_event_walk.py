"""The event word's token pattern with possessive repeats finds the tokens the greedy one finds."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from dedupe.extract import _events

# The token pattern as first written, with greedy repeats (``test_extract_scan_paths`` holds the oracle of the walk).
_PLAIN_WORD = re.compile(r"[A-Za-z]+(?:-[a-z]+)?(?:['\u2019][a-z]+)?|[,;:()]")


@given(st.text(alphabet="abZ-'\u2019,;:() x.é", max_size=60), st.integers(0, 60), st.integers(0, 60))
def test_possessive_tokens_are_the_plain_tokens(text, pos, endpos):
    assert _events._WORD.findall(text, pos, endpos) == _PLAIN_WORD.findall(text, pos, endpos)
