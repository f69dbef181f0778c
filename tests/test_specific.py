"""Term specificity on one day: the overlap itself, and every scoring path giving the same float with it."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import Config, read_articles
from dedupe.compare import DEFAULT_COMPARISONS, Priors, score_pair
from dedupe.engine import LocalEngine
from dedupe.errors import ConfigError
from dedupe.index.heads import HeadTable
from dedupe.index.star import star_ranks, star_scores
from dedupe.match import candidate_table, profiles_for
from dedupe.normalize import tokens
from dedupe.pairtable import PairTable, table_ranks
from dedupe.profile import Profile
from dedupe.scorearrays import frequencies_of, table_specific
from dedupe.scoring import field_values, table_cosines, table_scores
from dedupe.specific import SCALE, size_factor, specific_overlap, specificity

S000, S002, S003 = "000_5d8222f6e0b2183f", "002_e6b19a311c7cd973", "003_577a2c13b403c901"
_SENTENCES = {
    "dam": "Engineers said the Oroville dam spillway cracked on Tuesday as the reservoir rose",
    "dam2": "The Oroville dam spillway was closed after engineers found it cracked",
    "vote": "Senators said on Tuesday the vote on the bill would be held next week",
    "storm": "Engineers said the storm closed roads on Tuesday",
}


def _sets(*names: str) -> dict[str, set[str]]:
    return {name: set(tokens(_SENTENCES[name])) for name in names}


def test_a_rare_shared_name_outweighs_many_shared_common_words() -> None:
    sets = _sets("dam", "dam2", "vote", "storm")
    df = Counter(term for terms in sets.values() for term in terms)
    same = specific_overlap(sets["dam"], sets["dam2"], df)
    other = specific_overlap(sets["dam"], sets["storm"], df)
    assert same is not None and other is not None
    assert same > 0.5 > other  # "oroville", "spillway", "cracked" are the two reports' own; "said", "tuesday" are not
    assert specific_overlap(sets["dam"], set(), df) is None


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sets(st.sampled_from([f"w{n}" for n in range(12)]), max_size=8), min_size=1, max_size=7))
def test_symmetric_one_against_itself_and_within_0_1(rows: list[set[str]]) -> None:
    df = Counter(term for row in rows for term in row)
    for a, b in itertools.product(rows, repeat=2):
        value = specific_overlap(a, b, df)
        assert value == specific_overlap(b, a, df)
        assert value is None if not a or not b else 0.0 <= value <= 1.0
    for row in rows:
        assert specific_overlap(row, row, df) == (1.0 if row else None)


def test_weights_and_the_size_factor() -> None:
    assert specificity(1) == specificity(2) == SCALE and specificity(5) == SCALE // 4
    assert size_factor(3, 10) == 3 / 13 and size_factor(7, 0) == 1.0


_WEIGHTS = st.dictionaries(st.sampled_from("abcdefgh"), st.floats(0.01, 1.0), max_size=6)
_DAYS = st.one_of(st.none(), st.dates(dt.date(2020, 1, 1), dt.date(2020, 1, 4)))
_PRIORS = st.builds(Priors, specific_weight=st.sampled_from([0.0, 0.5, 1.0, 3.0]),
                    specific_prior=st.sampled_from([0.0, 1.0, 10.0]))


def _profile(article_id: str, day: dt.date | None, terms: dict[str, float], names: dict[str, float]) -> Profile:
    return Profile(article_id, "", "", "", day, terms, names, frozenset(), {})


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(_DAYS, _WEIGHTS, _WEIGHTS), min_size=2, max_size=7), _PRIORS, st.data())
def test_batch_scores_equal_score_pair(drawn, priors: Priors, data: st.DataObject) -> None:
    """The arrays (``table_scores``) and the PairScores (``score_pairs``' ``combine``) equal ``score_pair``
    given the corpus's frequencies, for any terms, days and weights (frequencies drawn through the terms)."""
    profiles = {f"a{n}": _profile(f"a{n}", *fields) for n, fields in enumerate(drawn)}
    pairs = list(itertools.combinations(sorted(profiles), 2))
    table = PairTable(tuple(sorted(profiles)), np.array([int(a[1:]) for a, _ in pairs], dtype=np.int32),
                      np.array([int(b[1:]) for _, b in pairs], dtype=np.int32))
    ranks = np.array(data.draw(st.lists(st.integers(1, 9), min_size=len(pairs), max_size=len(pairs))), dtype=np.int32)
    frequencies = frequencies_of(profiles)
    want = [score_pair(profiles[a], profiles[b], DEFAULT_COMPARISONS, priors, rank, frequencies, len(profiles))
            for (a, b), rank in zip(pairs, ranks.tolist())]
    assert table_scores(profiles, table, ranks, None, DEFAULT_COMPARISONS, priors).tolist() == [s.score for s in want]
    if priors.specific_weight:
        _, specific, documents = table_specific(profiles, table)
        assert documents == len(profiles)
        assert [None if math.isnan(v) else v for v in specific.tolist()] == [s.specific for s in want]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_DAYS, _WEIGHTS, _WEIGHTS), min_size=1, max_size=6), _PRIORS,
       st.dictionaries(st.sampled_from("abcdefghij"), st.integers(0, 6)), st.data())
def test_head_table_and_star_scores_equal_score_pair(drawn, priors: Priors, stored: dict[str, int],
                                                     data: st.DataObject) -> None:
    """``check``'s path: the head table's overlaps and ``star_scores`` equal ``score_pair`` with the index's
    frequencies (drawn), the article counted: one more document, and one more for each of its terms."""
    heads = [_profile(f"h{n}", *fields) for n, fields in enumerate(drawn)]
    me = _profile(data.draw(st.sampled_from(["a", "h2x", "z"])), *data.draw(st.tuples(_DAYS, _WEIGHTS, _WEIGHTS)))
    table = HeadTable()
    table.extend(heads)
    columns = table.vocabulary["terms"].columns
    by_column = np.zeros(max(len(columns), 1), np.int64)
    for term, column in columns.items():
        by_column[column] = stored.get(term, 0)
    own = {term: stored.get(term, 0) for term in me.terms}
    places = table.places_of([h.article_id for h in heads])
    found = table.specific(me, places, lambda cols: by_column[cols], own)
    counted = {**{t: stored.get(t, 0) for h in heads for t in h.terms}, **{t: n + 1 for t, n in own.items()}}
    documents = 11
    want = [score_pair(me, h, DEFAULT_COMPARISONS, priors, None, counted, documents) for h in heads]
    assert [None if math.isnan(v) else v for v in found.tolist()] == [s.specific for s in want]
    others = [h.article_id for h in heads]
    first = np.array([me.article_id < o for o in others], dtype=bool)
    known = {me.article_id: me, **{h.article_id: h for h in heads}}
    pairs = [(me.article_id, o) if me.article_id < o else (o, me.article_id) for o in others]
    values = [np.array([np.nan if v is None else v for v in field_values(known, pairs, c)], dtype=np.float64)
              for c in DEFAULT_COMPARISONS]
    ceilings = [table.ceilings(c, me, places) for c in DEFAULT_COMPARISONS]
    words = table.column(DEFAULT_COMPARISONS[0], me, places, first)
    ranks = star_ranks(others, words)
    scores = star_scores(DEFAULT_COMPARISONS, priors, values, ceilings, table.gaps(me, places), ranks, words,
                         found, documents)
    assert scores == [score_pair(me, h, DEFAULT_COMPARISONS, priors, int(r), counted, documents).score
                      for h, r in zip(heads, ranks.tolist())]


#: The seeds' candidate pairs' scores before the term specificity was built (main ``8a1e82c``).
_BEFORE = [0.275896, 0.48202, 0.323623, 0.96191]


def test_weight_0_scores_as_without_the_evidence(seeds_dir) -> None:
    config = Config(workers=1, max_block=50)
    profiles, _ = profiles_for(list(read_articles([seeds_dir])), engine=None)
    table = candidate_table(profiles, config)
    words = table_cosines(profiles, table)
    ranks = table_ranks(table, words)
    plain = _BEFORE
    frequencies = frequencies_of(profiles)
    for weight, prior in ((0.0, 10.0), (0, 0.0)):
        priors = config.replace(specific_weight=weight, specific_prior=prior).priors
        assert table_scores(profiles, table, ranks, words, config.comparisons, priors).tolist() == plain
        assert [score_pair(profiles[a], profiles[b], config.comparisons, priors, r, frequencies, len(profiles)).score
                for (a, b), r in zip(table.pairs(), ranks.tolist())] == plain
    assert config.specific_weight == 1.0  # the default
    assert table_scores(profiles, table, ranks, words, config.comparisons, config.priors).tolist() != plain


def test_overlaps_on_two_processes_and_a_profile_table_equal_score_pair(seeds_dir, monkeypatch) -> None:
    from dedupe import scorearrays

    monkeypatch.setattr(scorearrays, "PAIR_CHUNK", 3)
    config = Config(workers=1, max_block=50, specific_weight=1.0)
    profiles, _ = profiles_for(list(read_articles([seeds_dir])), engine=None)
    table = candidate_table(profiles, config)
    words, specific, documents = table_specific(profiles, table, LocalEngine(2))
    assert np.array_equal(words, table_cosines(profiles, table), equal_nan=True) and documents == len(profiles) == 5
    here = table_specific(profiles, table)
    assert np.array_equal(here[1], specific, equal_nan=True)
    frequencies = frequencies_of(profiles)
    assert frequencies == dict(Counter(t for pid in profiles for t in profiles[pid].terms))
    assert specific.tolist() == [score_pair(profiles[a], profiles[b], config.comparisons, config.priors, None,
                                            frequencies, 5).specific for a, b in table.pairs()]


def test_settings_load_from_toml_and_are_checked(tmp_path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("specific_weight = 1.5\nspecific_prior = 20\n")
    config = Config.from_toml(path)
    assert (config.priors.specific_weight, config.priors.specific_prior) == (1.5, 20)
    path.write_text("specific_wieght = 1\nspecific_prior = -1\n")
    with pytest.raises(ConfigError) as error:
        Config.from_toml(path)
    assert "unknown key 'specific_wieght'" in str(error.value)
    assert "'specific_prior' must be from 0 to 1000000, got -1" in str(error.value)


def test_explain_shows_the_overlap_and_its_log_odds(seeds_dir) -> None:
    """Seeds 000 and 002 have no day: the overlap counts, at 5 / (5 + 10) of the weight; 002 and 003 are two
    days apart: it is shown, and adds nothing."""
    from click.testing import CliRunner

    from dedupe.cli import main

    runner = CliRunner()
    undated = json.loads(runner.invoke(main, ["explain", S000, S002, str(seeds_dir), "--json"]).stdout)
    assert undated["publication_gap_days"] is None and 0 < undated["specific_overlap"] < 1
    assert undated["specific_logodds"] == pytest.approx(5 / 15 * undated["specific_overlap"], abs=1e-4)
    apart = json.loads(runner.invoke(main, ["explain", S002, S003, str(seeds_dir), "--json"]).stdout)
    assert apart["publication_gap_days"] == 2 and apart["specific_overlap"] > 0 and apart["specific_logodds"] == 0
    text = runner.invoke(main, ["explain", S000, S002, str(seeds_dir)]).stdout
    assert (f"term specificity overlap: {undated['specific_overlap']:.2f} ({undated['specific_logodds']:+.2f}; "
            "counted: published on one day, or a day unknown)") in text
    text = runner.invoke(main, ["explain", S002, S003, str(seeds_dir)]).stdout
    assert (f"term specificity overlap: {apart['specific_overlap']:.2f} (+0.00; "
            "not counted: published 2 days apart)") in text


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sets(st.integers(0, 9), max_size=6), max_size=12), st.integers(1, 7))
def test_corpus_sums_read_in_parts_equal_whole_sums(rows: list[set[int]], entries: int) -> None:
    from dedupe import specific

    weights = np.arange(1, 11, dtype=np.int64) * 1000
    indices = np.array([c for row in rows for c in sorted(row)], dtype=np.int32)
    indptr = np.r_[0, np.cumsum([len(row) for row in rows])].astype(np.int32)
    old = specific.ENTRIES
    specific.ENTRIES = entries
    try:
        totals = specific.row_totals(weights, indices, indptr).tolist()
        counts = specific.column_frequencies(indices, 10).tolist()
    finally:
        specific.ENTRIES = old
    assert totals == [sum(int(weights[c]) for c in row) for row in rows]
    assert counts == [sum(c in row for row in rows) for c in range(10)]


@settings(max_examples=60, deadline=None)
@given(st.lists(_WEIGHTS, min_size=1, max_size=6), st.data())
def test_shared_sums_pair_at_a_time_equal_those_in_bulk(rows: list[dict[str, float]], data: st.DataObject) -> None:
    """The shared columns' sums come with cosines equal to ``compare.cosine``'s, pairs in any order."""
    from dedupe import vectors
    from dedupe.compare import cosine

    matrix = vectors.weight_matrix(rows)
    weights = np.arange(1, matrix.positions.shape[1] + 1, dtype=np.int64) * 7
    pick = st.lists(st.integers(0, len(rows) - 1), min_size=1, max_size=10)
    left = np.array(data.draw(pick), dtype=np.int64)
    right = np.resize(np.array(data.draw(pick), dtype=np.int64), len(left))
    cosines, shared = vectors.pair_cosines_shared(matrix, left, right, None, weights)
    assert [None if math.isnan(c) else c for c in cosines.tolist()] == [
        cosine(rows[a], rows[b]) for a, b in zip(left.tolist(), right.tolist())]
    keys = [set(row) for row in rows]
    column = {key: c for c, key in enumerate(dict.fromkeys(k for row in rows for k in row))}
    assert shared.tolist() == [sum(int(weights[column[k]]) for k in keys[a] & keys[b])
                               for a, b in zip(left.tolist(), right.tolist())]
