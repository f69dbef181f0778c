"""The head table's bulk comparison values equal ``compare``'s scorers pair by pair, for any heads."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe.compare import DEFAULT_COMPARISONS, Comparison, ceiling_of, rare_overlap
from dedupe.index.heads import HeadTable
from dedupe.index.rows import room
from dedupe.profile import Profile
from dedupe.scoring import field_values

_STARTS = st.sampled_from(["", "2018", "2018-10", "2018-10-05", "2018-10-06", "2018-11", "2019", "2019-01-02", "201"])
_DATES = st.frozensets(st.one_of(_STARTS, st.builds(lambda a, b: f"{a}/{b}", _STARTS, _STARTS)), max_size=4)
_WORDS = st.dictionaries(st.sampled_from([f"w{n}" for n in range(10)]), st.floats(1e-3, 1.0), max_size=6)
_COUNTS = st.dictionaries(st.sampled_from(["killed:1", "killed:2", "age:41", "injured:5", "dead:3"]),
                          st.floats(1e-3, 1.0), max_size=4)
_TEXT = st.text(st.sampled_from("ab cD\u00e9\t\n\r\x0b\x0c\x1c\x1f\x85\u00a0\u2003x-Y"), max_size=14)
_DAYS = st.one_of(st.none(), st.dates(dt.date(2024, 1, 1), dt.date(2024, 2, 1)))
_PEOPLE = st.lists(st.sampled_from(["jackson", "williams", "felt", "reid"]), max_size=3, unique=True).map(tuple)
#: A principal then its headline's words (sorted, the principal among them), "" and the people named often (the
#: principal among them; before those were kept: none), or none.
_PRINCIPAL = st.one_of(st.just(()), st.builds(
    lambda lead, words, often: (lead, *sorted({lead, *words}), *(("", *sorted({lead, *often[1:]})) if often else ())),
    st.sampled_from(["jackson", "williams", "felt"]),
    st.lists(st.sampled_from(["jackson", "williams", "arrested", "dui"]), max_size=3),
    st.lists(st.sampled_from(["jackson", "williams", "felt"]), max_size=3)))
COMPARISONS = (*DEFAULT_COMPARISONS, Comparison("headline", "token_set", 1.0), Comparison("place", "token_sort", 1.0))


@st.composite
def profiles(draw: st.DrawFn, article_id: str) -> Profile:
    """A profile with every field the comparisons read."""
    return Profile(article_id, draw(_TEXT), draw(_TEXT), "", draw(_DAYS), draw(_WORDS), draw(_WORDS), draw(_DATES),
                   draw(_COUNTS), draw(_PEOPLE), draw(_PRINCIPAL))


@settings(max_examples=150, deadline=None)
@given(st.data(), st.integers(0, 8), st.integers(0, 3))
def test_columns_equal_the_scorers_pair_by_pair(data: st.DataObject, count: int, later: int) -> None:
    """Heads taken in at once and then one by one, an article whose id falls anywhere among theirs: every
    value, ceiling and gap is the float ``field_values``, ``ceiling_of`` and ``combine`` give the pair, both
    before the later heads are taken in and after (what a text comparison reads is made on first use, then
    brought up to the heads taken in since)."""
    heads = [data.draw(profiles(f"h{n}")) for n in range(count + later)]
    table = HeadTable()
    table.extend(heads[:count])
    me = data.draw(profiles(data.draw(st.sampled_from(["a", "h3x", "z"]))))
    if data.draw(st.booleans()):
        _assert_columns(table, me, heads[:count], data)
    for head in heads[count:]:
        table.extend([head])
    _assert_columns(table, me, heads, data)


def _assert_columns(table: HeadTable, me: Profile, heads: list[Profile], data: st.DataObject) -> None:
    """Every comparison's values, ceilings and the gaps of ``me`` with some of the heads, as pair by pair."""
    others = data.draw(st.lists(st.sampled_from([h.article_id for h in heads]), unique=True)) if heads else []
    places = table.places_of(others)
    first = np.array([me.article_id < o for o in others], dtype=bool)
    known = {me.article_id: me, **{h.article_id: h for h in heads}}
    pairs = [(me.article_id, o) if me.article_id < o else (o, me.article_id) for o in others]
    for comparison in COMPARISONS:
        got = table.column(comparison, me, places, first)
        assert got is not None
        assert [None if math.isnan(v) else v for v in got.tolist()] == field_values(known, pairs, comparison)
        want = [ceiling_of(comparison, known[a], known[b]) for a, b in pairs]
        assert table.ceilings(comparison, me, places).tolist() == want
    gaps = [abs((me.day - known[o].day).days) if me.day and known[o].day else -1 for o in others]
    assert table.gaps(me, places).tolist() == gaps


def test_a_scorer_it_does_not_compute_is_left_to_the_caller() -> None:
    table = HeadTable()
    head = Profile("h", "Storm hits coast", "Leeds", "", None, {}, {}, frozenset(), {})
    table.extend([head])
    places = table.places_of(["h"])
    assert table.column(Comparison("place", "same"), head, places, np.array([True])) is None
    assert table.column(Comparison("headline", "token_sort"), head, places, np.array([True])).tolist() == [1.0]


def test_three_shared_counts_are_summed_as_fsum_sums_them() -> None:
    """0.1 + 0.2 + 0.3 added left to right is 0.6000000000000001; ``rare_overlap``'s ``fsum`` gives 0.6."""
    counts = {"killed:2": 0.1, "injured:5": 0.2, "age:41": 0.3}
    table = HeadTable()
    table.extend([Profile("h", "", "", "", None, {}, {}, frozenset(), dict(counts))])
    me = Profile("a", "", "", "", None, {}, {}, frozenset(), dict(counts))
    got = table.column(Comparison("numbers", "rare_overlap", 1.0), me, table.places_of(["h"]), np.array([True]))
    assert got is not None and got.tolist() == [rare_overlap(counts, counts)] == [0.6]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(-5, 5), max_size=20), st.integers(0, 50), st.sampled_from([np.int32, np.int64, np.float64]))
def test_room_keeps_the_values_and_zero_fills(values: list[int], size: int, dtype: type) -> None:
    array = np.array(values, dtype=dtype)
    for exact in (False, True):
        grown = room(array, size, exact=exact)
        assert grown.dtype == array.dtype
        if len(array) >= size:
            assert grown is array
        else:
            assert len(grown) == (size if exact else max(size, 2 * len(array)))
            assert np.array_equal(grown[: len(array)], array) and not grown[len(array) :].any()
