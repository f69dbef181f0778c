"""Same-story detection on the seeds, explain's account of a pair, and scorer properties."""

from __future__ import annotations

import datetime as dt
import json
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import Config, read_articles, run
from dedupe.cli import main
from dedupe.compare import (
    DEFAULT_COMPARISONS,
    Priors,
    cosine,
    date_overlap,
    overlap,
    same,
    score_pair,
    token_set,
)
from dedupe.profile import Profile

S002, S003 = "002_e6b19a311c7cd973", "003_577a2c13b403c901"
S000, S001, S004 = "000_5d8222f6e0b2183f", "001_fafa6f8612fe896a", "004_350e1cf566aa1f74"


def _clusters(result) -> set[frozenset[str]]:
    return {frozenset(c.members) for c in result.clusters}


def test_seeds_cluster_into_the_one_shared_case(seeds_dir):
    result = run(read_articles([seeds_dir]))
    assert _clusters(result) == {frozenset({S002, S003}), frozenset({S000}), frozenset({S001}), frozenset({S004})}
    story = next(c for c in result.clusters if S002 in c.members)
    assert [e.relation for e in story.edges] == ["same_story"]


def test_seed_clusters_do_not_depend_on_input_order(seeds_dir):
    articles = list(read_articles([seeds_dir]))
    expected = [c.as_dict() for c in run(articles).clusters]
    for seed in range(3):
        random.Random(seed).shuffle(articles)
        assert [c.as_dict() for c in run(articles).clusters] == expected


def test_explain_says_why_the_rewrites_match(runner, seeds_dir):
    outcome = runner.invoke(main, ["explain", S002, S003, str(seeds_dir), "--json"])
    assert outcome.exit_code == 0, outcome.output
    report = json.loads(outcome.stdout)
    assert report["relation"] == "same_story"
    assert report["same_cluster"] is True
    assert "jim nye" in report["shared"]["names"]
    assert "devon and cornwall police" in report["shared"]["names"]
    assert "2020-11-05" in report["shared"]["dates"]
    assert report["story_score"] >= report["story_threshold"]
    assert {p["field"] for p in report["comparisons"]} == {c.field for c in DEFAULT_COMPARISONS}


def test_explain_says_why_different_cases_do_not(runner, seeds_dir):
    outcome = runner.invoke(main, ["explain", S000, S002, str(seeds_dir)])
    assert outcome.exit_code == 0, outcome.output
    assert "relation: none" in outcome.stdout
    assert "same cluster: no" in outcome.stdout
    assert "people: both []" in outcome.stdout


def test_explain_unknown_id_is_an_input_error(runner, seeds_dir):
    outcome = runner.invoke(main, ["explain", S000, "nope", str(seeds_dir)])
    assert outcome.exit_code == 3
    assert "no article with id 'nope' in the input." in outcome.stderr


def test_copies_only_keeps_the_rewrites_apart(seeds_dir):
    result = run(read_articles([seeds_dir]), Config(relations=("exact", "near_duplicate")))
    assert all(len(c.members) == 1 for c in result.clusters)


def test_scorers_answer_none_for_missing_sides():
    assert cosine({}, {"a": 1.0}) is None
    assert token_set("", "headline") is None
    assert same("", "leeds") is None
    assert date_overlap(frozenset(), frozenset({"2020"})) is None
    assert overlap(frozenset({"killed:2"}), frozenset()) is None


def test_dates_agree_at_the_granularity_both_give():
    assert date_overlap(frozenset({"2018"}), frozenset({"2018-10"})) == 1.0
    assert date_overlap(frozenset({"2018-10"}), frozenset({"2018-11"})) == 0.0
    assert date_overlap(frozenset({"2020-11-05", "2018-10"}), frozenset({"2020-11-05", "2018-11"})) == 0.5


words = st.text(alphabet="abcdefgh", min_size=1, max_size=4)
vectors = st.dictionaries(words, st.floats(0.01, 1.0), min_size=1, max_size=8)


def _normalised(vector: dict[str, float]) -> dict[str, float]:
    norm = sum(v * v for v in vector.values()) ** 0.5
    return {k: v / norm for k, v in vector.items()}


profiles = st.builds(
    Profile,
    article_id=st.sampled_from(["a", "b", "c"]),
    headline=st.text(alphabet="ab cd", max_size=20),
    place=st.sampled_from(["", "leeds", "devon"]),
    outlet=st.sampled_from(["", "bbc"]),
    day=st.one_of(st.none(), st.dates(dt.date(2010, 1, 1), dt.date(2020, 1, 1))),
    terms=vectors.map(_normalised),
    names=st.one_of(st.just({}), vectors.map(_normalised)),
    dates=st.frozensets(st.sampled_from(["2018", "2018-10", "2018-11", "2020-11-05"]), max_size=3),
    numbers=st.dictionaries(st.sampled_from(["killed:2", "injured:3", "age:33"]),
                            st.floats(min_value=0.01, max_value=1.0), max_size=3),
)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(profiles, profiles)
def test_pair_score_is_symmetric(a, b):
    forward = score_pair(a, b, DEFAULT_COMPARISONS, Priors())
    backward = score_pair(b, a, DEFAULT_COMPARISONS, Priors())
    assert abs(forward.score - backward.score) < 1e-6
    assert 0.0 <= forward.score <= 1.0


@settings(max_examples=200, deadline=None, derandomize=True)
@given(profiles)
def test_an_article_scores_one_against_itself(a):
    assert score_pair(a, a, DEFAULT_COMPARISONS, Priors()).score == 1.0
