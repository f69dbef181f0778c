"""Extraction's memos: runs of several words read no word flags (and are not memoised), run shapes are keyed by
their words joined; the same runs and shapes as before."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from dedupe.extract import _classify, _lexicon, _runs
from dedupe.extract._runs import SKIP, Run, flags, raw_runs

_PIECES = ["The ", "He ", "Monday ", "MONDAY ", "Of ", "of ", "and ", "de ", "Jim ", "Nye ", "U.S. ", "Mr. ",
           "Police ", "Smith's ", "al-", "-", ". ", ", ", "\t", "\n", "\n\n", "x ", "A", "B.", "IOPC "]


def _plain_raw_runs(text: str) -> tuple[list[Run], list[bool]]:
    """``_runs.raw_runs`` as it was: every run's flags read (and memoised), a run of several words too."""
    runs: list[Run] = []
    shaky: list[bool] = []
    headlines = _runs._headlines(text)
    openings = _runs._openings(text)
    for match in _runs._RUN.finditer(text):
        found = match.group()
        if flags(found) & SKIP:
            continue
        start = match.start()
        unreliable = any(a <= start < b for a, b in headlines) if headlines else False
        if " " in found or "\t" in found or text[start - 1 : start] == "-":
            for run in _runs._pieces(text, match, openings):
                runs.append(run)
                shaky.append(unreliable)
        else:
            if found[-1] == "." and not _runs._keeps_dot(found):
                found = found[:-1]
            runs.append(Run([found], [start], start in openings))
            shaky.append(unreliable)
    return runs, shaky


def _as_tuples(runs: list[Run]) -> list[tuple[list[str], list[int], bool]]:
    return [(run.words, run.starts, run.initial) for run in runs]


def test_no_skipped_word_holds_white_space() -> None:
    """What lets a run of several words go unread: ``SKIP`` comes only from these lists, by a word's key."""
    assert not [key for key in _lexicon.FUNCTION | _lexicon.WEEKDAYS if any(char.isspace() for char in key)]


@given(st.lists(st.sampled_from(_PIECES), max_size=25).map("".join))
@example("The Monday Of Jim Nye said.\nMONDAY MONDAY He de la Cruz-Smith's al-Assad")
@settings(max_examples=400, deadline=None)
def test_raw_runs_are_those_read_with_every_run_flagged(text: str) -> None:
    new_runs, new_shaky = raw_runs(text)
    old_runs, old_shaky = _plain_raw_runs(text)
    assert _as_tuples(new_runs) == _as_tuples(old_runs)
    assert new_shaky == old_shaky


def test_runs_of_several_words_are_not_memoised() -> None:
    _runs._FLAGS.clear()
    runs, _ = raw_runs("He said Chief Constable Shaun Sawyer met the Devon and Cornwall Police.\tMonday Tuesday came.")
    assert ["Chief", "Constable", "Shaun", "Sawyer"] in [run.words for run in runs]
    assert _runs._FLAGS and not [word for word in _runs._FLAGS if " " in word or "\t" in word]


_WORDS = st.lists(st.sampled_from(["A", "Ab", "bC", "C", "Smith", "Police", "U.S.", "of", "Jim", "Nye", "DCC"]),
                  min_size=1, max_size=4)


@given(st.lists(_WORDS, min_size=1, max_size=12))
@example([["A", "bC"], ["Ab", "C"], ["AbC"]])
@settings(max_examples=300, deadline=None)
def test_shapes_of_different_runs_stay_apart(runs: list[list[str]]) -> None:
    _classify._SHAPES.clear()
    for words in runs:
        assert _classify.shape(words) == _classify._compute_shape(tuple(words))
        assert _classify.shape(tuple(words)) == _classify._compute_shape(tuple(words))
