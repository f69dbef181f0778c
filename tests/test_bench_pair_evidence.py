"""``bench/pair_evidence.py``: the term specificity overlap, and re-scoring that reproduces the run it starts from."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pytest
from conftest import load_script
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import Config, read_articles
from dedupe.pairtable import PairTable, PairValues

SEEDS = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="module")
def bench():
    """``bench/pair_evidence.py`` as a module."""
    return load_script("bench/pair_evidence.py")


_TERMS = st.dictionaries(st.sampled_from(["dam", "crew", "storm", "vote", "poll", "5.6"]),
                         st.floats(0.1, 1.0), max_size=6)


@settings(max_examples=60, deadline=None)
@given(st.lists(_TERMS, min_size=2, max_size=6))
def test_the_overlap_is_symmetric_bounded_and_one_against_itself(bench, documents) -> None:
    weights = bench.term_weights(documents)
    first, second = documents[0], documents[1]
    forward, backward = bench.specific_overlap(first, second, weights), bench.specific_overlap(second, first, weights)
    assert forward == backward
    if first and second:
        assert 0.0 <= forward <= 1.0
        assert bench.specific_overlap(first, first, weights) == pytest.approx(1.0)
    else:
        assert forward is None


def test_a_term_few_articles_hold_weighs_more_than_a_common_one(bench) -> None:
    documents = [{"dam": 1.0, "storm": 1.0}, {"dam": 1.0, "storm": 1.0}] + [{"storm": 1.0}] * 8
    weights = bench.term_weights(documents)
    assert weights == {"dam": 1.0, "storm": 1.0 / 9}
    assert bench.specific_overlap({"dam": 1.0, "crew": 1.0}, {"dam": 1.0}, {"dam": 0.5, "crew": 1.0}) == 1.0
    assert bench.specific_overlap({"dam": 1.0, "crew": 1.0}, {"dam": 1.0, "storm": 1.0},
                                  {"dam": 1.0, "crew": 0.5, "storm": 0.5}) == pytest.approx(1.0 / 1.5)


def _captured(bench, values: list[float]):
    """Two pairs of three articles with the given scores, nothing else."""
    table = PairTable(("a", "b", "c"), np.array([0, 0], dtype=np.int32), np.array([1, 2], dtype=np.int32))
    similarity = PairValues(table, np.array(values))
    heads = {x: frozenset({x}) for x in "abc"}
    return bench.Captured(heads, [], similarity, None, {}, similarity, {"a": "s", "b": "s", "c": "t"})


def test_the_evidence_counts_on_one_day_or_an_unknown_one_and_never_days_apart(bench) -> None:
    run = _captured(bench, [0.5, 0.5])
    parts = (np.array([0.0, 0.0]), np.array([10.0, 10.0]), np.array([-1, 3]))
    overlap = np.array([1.0, 1.0])
    assert bench.with_evidence(run, parts, overlap, 0.0, False).tolist() == [0.5, 0.5]
    moved = bench.with_evidence(run, parts, overlap, 1.0, False)
    assert moved[0] > 0.5 and moved[1] == 0.5
    assert bench.with_evidence(run, parts, overlap, 1.0, True)[1] > 0.5


def test_re_scoring_the_seeds_reproduces_their_scores_and_clusters(bench) -> None:
    config = Config(workers=1, specific_weight=0.0)
    gold = json.loads((SEEDS / "seeds_gold.json").read_text(encoding="utf-8"))
    gold.pop("_comment", None)
    run = bench.capture(read_articles([str(SEEDS / "seeds")]), gold, config)
    z, z_perfect, _ = bench.log_odds(run, config)
    scored = ~np.isnan(z)
    assert scored.any()
    recomputed = np.round(1 / (1 + np.exp(-z[scored])) / (1 / (1 + np.exp(-z_perfect[scored]))), 6)
    assert recomputed == pytest.approx(run.similarity.values[scored], abs=2e-6)
    assert bench.cluster_ari(run, run.similarity.values, config) == 1.0


def test_a_few_documents_earn_little_of_the_weight_and_many_nearly_all(bench) -> None:
    assert bench.size_factor(3, 0.0) == 1.0
    assert bench.size_factor(3, 10.0) == pytest.approx(3 / 13)
    assert bench.size_factor(772, 10.0) > 0.98
    assert bench.size_factor(2, 10.0) < bench.size_factor(3, 10.0) < bench.size_factor(30, 10.0)


def test_with_the_size_prior_no_seed_subset_changes_its_clusters(bench) -> None:
    args = argparse.Namespace(weight=[0.0, 1.0], prior=10.0, any_day=False)
    assert bench.seed_subsets(Config(workers=1, specific_weight=0.0), args) == []
