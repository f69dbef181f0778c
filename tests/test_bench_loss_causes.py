"""``bench/loss_causes.py``: the ARI from pair counts, and the seeds' run read back without a loss."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import load_script
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import Config
from dedupe.evaluate import score

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="module")
def bench():
    """``bench/loss_causes.py`` as a module."""
    return load_script("bench/loss_causes.py")


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=2, max_size=14))
def test_the_ari_of_pair_counts_is_the_evaluation_ari(bench, labels: list[tuple[int, int]]) -> None:
    predicted = {f"a{n}": p for n, (p, _) in enumerate(labels)}
    gold = {f"a{n}": str(g) for n, (_, g) in enumerate(labels)}
    counts = bench.pair_counts(predicted, gold)
    assert sum(counts) == len(labels) * (len(labels) - 1) // 2
    assert bench.ari_of_counts(*counts) == pytest.approx(score(predicted, gold).ari, abs=1e-9)


def test_fixing_every_wrong_pair_of_a_kind_prices_it_against_the_counts(bench) -> None:
    counts, found = (3, 2, 4, 11), {"split: scored < 0.5": 4, "merge: chained (pair < 0.5 or unscored)": 2}
    rows = {row["kind"]: row["gain"] for row in bench.priced(counts, found)}
    base = bench.ari_of_counts(*counts)
    assert rows["split: scored < 0.5"] == round(bench.ari_of_counts(7, 2, 0, 11) - base, 4)
    assert rows["merge: chained (pair < 0.5 or unscored)"] == round(bench.ari_of_counts(3, 0, 4, 13) - base, 4)


def test_the_seeds_lose_nothing_and_every_oracle_keeps_them_exact(bench) -> None:
    gold = json.loads((FIXTURES / "seeds_gold.json").read_text(encoding="utf-8"))
    gold.pop("_comment", None)
    row = bench.measure("seeds", [str(FIXTURES / "seeds")], gold, Config())
    assert row["ari"] == 1.0 and row["kinds"] == [] and row["missed_pairs"] == 0 and row["false_pairs"] == 0
    assert row["oracles"]["as run"] == 1.0
    assert row["oracles"]["every score right"] == 1.0
