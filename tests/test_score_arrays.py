"""Pair scores as arrays equal the pair-by-pair scorers bit for bit: date and rare overlaps, sigmoids, whole scores."""

from __future__ import annotations

import datetime as dt
import itertools
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import Config, read_articles
from dedupe.compare import (
    DEFAULT_COMPARISONS,
    Comparison,
    Priors,
    date_overlap,
    lead_named,
    rare_overlap,
    score_pair,
    sigmoid,
)
from dedupe.engine import LocalEngine
from dedupe.match import candidate_table, profiles_for
from dedupe.pairtable import PairTable, table_ranks
from dedupe.profile import Profile
from dedupe.scorearrays import frequencies_of, sigmoids, table_specific
from dedupe.scoring import article_inputs, input_scores, table_cosines, table_scores
from dedupe.setcolumns import (
    date_column,
    date_overlaps,
    lead_nameds,
    people_column,
    rare_column,
    rare_overlaps,
)

_DATES = st.frozensets(st.sampled_from(["2018", "2018-10", "2018-10-05", "2018-11", "2020-11-05", "2020", "",
                                        "2018-W41", "2018-10-05/2018-10-07", "2019/2020", "20", "/2018"]),
                       max_size=5)
_RARITIES = st.dictionaries(st.sampled_from(["killed:2", "injured:3", "age:33", "dead:1", "people:40"]),
                            st.floats(0.001, 1.0), max_size=5)


def _equal_on_every_pair(rows, arrays, scalar):
    """``arrays(left, right)`` over every ordered pair of ``rows`` equals ``scalar`` pair by pair, bit for bit."""
    pairs = [(a, b) for a in range(len(rows)) for b in range(len(rows))]
    left, right = (np.array(side, dtype=np.int64) for side in zip(*pairs))
    assert arrays(left, right).tolist() == [scalar(rows[a], rows[b]) for a, b in pairs]


@settings(max_examples=150, deadline=None)
@given(st.lists(_DATES.filter(bool), min_size=1, max_size=6))
def test_date_overlaps_equal_date_overlap(sets):
    _equal_on_every_pair(sets, lambda left, right: date_overlaps(date_column(iter(sets)), left, right), date_overlap)


@settings(max_examples=150, deadline=None)
@given(st.lists(_RARITIES.filter(bool), min_size=1, max_size=6))
def test_rare_overlaps_equal_rare_overlap_bit_for_bit(rows):
    _equal_on_every_pair(rows, lambda left, right: rare_overlaps(rare_column(iter(rows)), left, right), rare_overlap)


def _listed_starts(sets):
    """:class:`DateColumn`'s numbered starts and offsets as lists of every article's starts give them."""
    starts_of = [[value.split("/")[0] for value in dates] for dates in sets]
    number = {start: index for index, start in enumerate(sorted({s for starts in starts_of for s in starts}))}
    return [number[s] for starts in starts_of for s in starts], np.cumsum([0] + [len(x) for x in starts_of]).tolist()


@settings(max_examples=100, deadline=None)
@given(st.lists(_DATES, max_size=8), st.lists(_RARITIES, max_size=8))
def test_columns_read_once_hold_what_lists_of_the_rows_give(sets, rows):
    dates = date_column(iter(sets))
    assert (dates.starts.tolist(), dates.offsets.tolist()) == _listed_starts(sets)
    assert dates.starts.dtype == dates.offsets.dtype == np.int64
    rare = rare_column(iter(rows))
    number = {key: index for index, key in enumerate(sorted({key for row in rows for key in row}))}
    entries = sorted((article * max(1, len(number)) + number[key], weight)
                     for article, row in enumerate(rows) for key, weight in row.items())
    assert list(zip(rare.codes.tolist(), rare.weights.tolist())) == entries
    assert rare.codes.dtype == np.int64 and rare.weights.dtype == np.float64


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["jackson", "williams", "felt", "reid"]), max_size=3, unique=True).map(tuple),
                min_size=1, max_size=6))
def test_lead_nameds_equal_lead_named(rows):
    def scalar(a, b):
        value = lead_named(a, b)
        return math.nan if value is None else value

    pairs = [(a, b) for a in range(len(rows)) for b in range(len(rows))]
    left, right = (np.array(side, dtype=np.int32) for side in zip(*pairs))
    got = lead_nameds(people_column(rows), left, right).tolist()
    want = [scalar(rows[a], rows[b]) for a, b in pairs]
    assert [None if math.isnan(v) else v for v in got] == [None if math.isnan(v) else v for v in want]


@given(st.lists(st.floats(-800, 800), max_size=50))
def test_sigmoids_equal_sigmoid(values):
    assert sigmoids(np.array(values, dtype=np.float64)).tolist() == [sigmoid(v) for v in values]


_WEIGHTS = st.dictionaries(st.sampled_from("abcdefgh"), st.floats(0.01, 1.0), max_size=6)
_PROFILE = st.fixed_dictionaries({
    "headline": st.text(alphabet="ab cD\u00a0\t", max_size=16),
    "place": st.sampled_from(["", "leeds", "devon", "north devon"]),
    "day": st.one_of(st.none(), st.dates(dt.date(2015, 1, 1), dt.date(2020, 1, 1))),
    "terms": _WEIGHTS, "names": _WEIGHTS, "dates": _DATES, "numbers": _RARITIES,
    "people": st.lists(st.sampled_from(["jackson", "williams", "felt"]), max_size=3, unique=True).map(tuple),
    "principal": st.one_of(st.just(()), st.builds(lambda lead, words, often: (lead, *sorted({lead, *words}), "",
                                                                             *sorted({lead, *often})),
                                                  st.sampled_from(["jackson", "williams"]),
                                                  st.lists(st.sampled_from(["jackson", "williams", "dui"]), max_size=2),
                                                  st.lists(st.sampled_from(["jackson", "williams"]), max_size=2))),
})
#: Every scorer, on the fields they read, besides the defaults.
_EVERY = (*DEFAULT_COMPARISONS, Comparison("headline", "token_set", 1.3, 0.2), Comparison("place", "same", 0.7, 0.1),
          Comparison("names", "overlap", 1.1, 0.3), Comparison("place", "token_sort", 0.4, 0.0))


@settings(max_examples=60, deadline=None)
@given(st.lists(_PROFILE, min_size=2, max_size=6), st.data())
def test_table_scores_equal_score_pair(drawn, data):
    profiles = {f"a{index}": Profile(article_id=f"a{index}", outlet="", **fields) for index, fields in enumerate(drawn)}
    pairs = list(itertools.combinations(sorted(profiles), 2))
    table = PairTable(tuple(sorted(profiles)), np.array([int(a[1:]) for a, _ in pairs], dtype=np.int32),
                      np.array([int(b[1:]) for _, b in pairs], dtype=np.int32))
    ranks = np.array(data.draw(st.lists(st.integers(1, 9), min_size=len(pairs), max_size=len(pairs))), dtype=np.int32)
    got = table_scores(profiles, table, ranks, None, _EVERY, Priors()).tolist()
    frequencies = frequencies_of(profiles)  # the term specificity's, over all the profiles
    assert got == [score_pair(profiles[a], profiles[b], _EVERY, Priors(), rank, frequencies, len(profiles)).score
                   for (a, b), rank in zip(pairs, ranks.tolist())]


def test_cosines_and_scores_on_two_processes_equal_those_here(seeds_dir, monkeypatch):
    from dedupe import scoring

    monkeypatch.setattr(scoring, "PAIR_CHUNK", 3)  # the seeds' pairs make several chunks
    config = Config(workers=1, max_block=50)
    profiles, _ = profiles_for(list(read_articles([seeds_dir])), engine=None)
    table = candidate_table(profiles, config)
    assert len(table) > 3
    words = table_cosines(profiles, table)
    assert np.array_equal(table_cosines(profiles, table, engine=LocalEngine(2)), words, equal_nan=True)
    ranks = table_ranks(table, words)
    here = table_scores(profiles, table, ranks, words, config.comparisons, config.priors)
    assert table_scores(profiles, table, ranks, words, config.comparisons, config.priors, LocalEngine(2)).tolist() \
        == here.tolist() == [score_pair(profiles[a], profiles[b], config.comparisons, config.priors, rank,
                                        frequencies_of(profiles), len(profiles)).score
                             for (a, b), rank in zip(table.pairs(), ranks.tolist())]


def test_scores_from_slim_inputs_equal_those_from_profiles(seeds_dir, monkeypatch):
    from dedupe import scoring

    monkeypatch.setattr(scoring, "PAIR_CHUNK", 3)
    config = Config(workers=1, max_block=50)
    profiles, _ = profiles_for(list(read_articles([seeds_dir])), engine=None)
    table = candidate_table(profiles, config)
    words = table_cosines(profiles, table)
    ranks = table_ranks(table, words)
    for comparisons, reads_profiles in ((config.comparisons, False), (_EVERY, True)):  # _EVERY: "overlap" reads them
        inputs = article_inputs(profiles, table.ids, comparisons, slim=True)
        assert bool(inputs.profiles) == reads_profiles
        expected = table_scores(profiles, table, ranks, words, comparisons, config.priors).tolist()
        _, specific, documents = table_specific(profiles, table)  # as match.same_story hands them on
        assert input_scores(inputs, table, ranks, words, comparisons, config.priors, LocalEngine(2), specific,
                            documents).tolist() == expected
