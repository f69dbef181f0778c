"""``bench/errors.py``'s measures against slow, obvious references."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from conftest import load_script
from hypothesis import given, settings
from hypothesis import strategies as st


@pytest.fixture(scope="module")
def errors():
    """``bench/errors.py`` as a module."""
    return load_script("bench/errors.py")


def slow_auc(labels: list[bool], scores: list[float]) -> float:
    """The share of (positive, negative) pairs the scores order right, ties counting half."""
    pairs = [(p, n) for p, lp in zip(scores, labels) if lp for n, ln in zip(scores, labels) if not ln]
    return sum(1.0 if p > n else 0.5 if p == n else 0.0 for p, n in pairs) / len(pairs)


@settings(deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0])), min_size=2, max_size=40)
       .filter(lambda rows: len({label for label, _ in rows}) == 2))
def test_pair_auc_counts_ordered_pairs(errors, rows: list[tuple[bool, float]]) -> None:
    labels, scores = zip(*rows, strict=True)
    assert errors.pair_auc(np.array(labels), np.array(scores)) == pytest.approx(slow_auc(list(labels), list(scores)))


def test_gold_pairs_and_wrong_pairs(errors) -> None:
    gold = {"a": "x", "b": "x", "c": "x", "d": "y"}
    assert errors.gold_pairs(gold) == {("a", "b"), ("a", "c"), ("b", "c")}
    assert errors.wrong_pairs(["a", "b", "c", "d"], gold) == 3
    assert errors.wrong_pairs(["a", "b"], gold) == 0
    predicted = {"a": 0, "b": 0, "c": 1, "d": 1}
    missed = sum(1 for x, y in itertools.combinations("abc", 2) if predicted[x] != predicted[y])
    assert errors.wrong_pairs(["a", "b", "c"], predicted) == missed == 2


def test_oracle_scores_recover_gold(errors) -> None:
    from dedupe import Config

    gold = {"a": "x", "b": "x", "c": "y", "d": "y", "e": "z"}
    similarity = {("a", "b"): 0.9, ("c", "d"): 0.4, ("a", "c"): 0.7, ("b", "e"): 0.1}
    losses = errors.stage_losses(sorted(gold), similarity, gold, Config())
    assert losses["blocking_recall"] == 1.0
    assert losses["oracle_ari"] == 1.0
    assert losses["ari"] < 1.0
