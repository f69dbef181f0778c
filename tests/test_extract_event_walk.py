"""The event word of a date: the walk side by side and the possessive token pattern give what the plain ones give."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from dedupe.extract import _events
from dedupe.extract._events import event_word

# The token pattern as first written, with greedy repeats.
_PLAIN_WORD = re.compile(r"[A-Za-z]+(?:-[a-z]+)?(?:['\u2019][a-z]+)?|[,;:()]")


def _plain_event_word(sentence: str, start: int, end: int) -> str:
    """``event_word`` as first written: both sides walked in turn, one distance at a time."""
    left = max(0, start - _events._REACH)
    before = _PLAIN_WORD.findall(sentence, left, start)
    if sentence[end : end + 2] in ("'s", "\u2019s"):
        end += 2
    tokens = before + _PLAIN_WORD.findall(sentence, end, end + _events._REACH)
    split = len(before)
    steps = [0, 0]
    best: tuple[int, int, str] | None = None
    for distance in range(1, _events._MAX_DISTANCE + 1):
        if best is not None and distance - 1 > best[0]:
            break
        for side, index in enumerate((split - distance, split + distance - 1)):
            if not (0 <= index < len(tokens)) or (side == 0) != (index < split):
                continue
            steps[side] += _events._PUNCTUATION_STEPS if tokens[index] in _events._PUNCTUATION else 1
            found = _events._candidate(tokens, index, left == 0)
            if found is not None:
                key = (steps[side] + found[1], side, found[0])
                best = key if best is None or key < best else best
    return best[2] if best else ""


_WORDS = ["was", "were", "suspended", "said", "told", "hearing", "the", "conclusion", "of", "inquiry", "will",
          "appear", "Shot", "shot", "killed", "arrest", "met", "in", "on", "a", "bed", "led", "Ned", "ed", "would",
          "trial", "x-ray", "o'clock", "it\u2019s", "Reid's", ",", ";", "(", ")", ":", "2018", "June", "-", "'", "é"]
_SENTENCES = st.lists(st.sampled_from(_WORDS), max_size=60).map(" ".join)


@given(_SENTENCES, st.data())
@example("The officer was suspended in October 2018.", None)
def test_event_word_is_the_plain_walks(sentence, data):
    if data is None:
        start, end = 29, 41
    else:
        start = data.draw(st.integers(0, len(sentence)))
        end = data.draw(st.integers(start, len(sentence)))
    assert event_word(sentence, start, end) == _plain_event_word(sentence, start, end)


@given(st.text(alphabet="abZ-'\u2019,;:() x.é", max_size=60), st.integers(0, 60), st.integers(0, 60))
def test_possessive_tokens_are_the_plain_tokens(text, pos, endpos):
    assert _events._WORD.findall(text, pos, endpos) == _PLAIN_WORD.findall(text, pos, endpos)
