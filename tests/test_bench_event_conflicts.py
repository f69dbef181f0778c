"""``bench/event_conflicts.py``: sub-event conflicts read from real reports, and re-scoring that reproduces the run."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import load_script

from dedupe import Config, read_articles
from dedupe.extract import extract
from dedupe.types import Article

SEEDS = Path(__file__).resolve().parents[1] / "fixtures"
ODESSA = Article("a", "Pro-Russia militants have stormed the police headquarters in the Ukrainian port city of Odessa, "
                 "where 42 people died in clashes two days ago.", title="Pro-Russia militants storm Odessa police "
                 "headquarters")
SLAVYANSK = Article("b", "Four Ukrainian soldiers have been killed and at least 30 injured, according to officials, in "
                    "clashes with separatists as the army attempted to regain control of eastern Ukraine.",
                    title="Ukraine army in fatal clashes with separatists to regain control of east")
ODESSA_AGAIN = Article("c", "Pro-Russian activists stormed a police station in Odessa on Sunday and freed dozens of "
                       "people detained after clashes that killed 42.", title="Odessa police station stormed")


@pytest.fixture(scope="module")
def bench():
    """``bench/event_conflicts.py`` as a module."""
    return load_script("bench/event_conflicts.py")


def test_two_events_of_one_conflict_differ_in_action_and_toll_and_a_rewrite_does_not(bench) -> None:
    odessa, slavyansk, again = extract(ODESSA), extract(SLAVYANSK), extract(ODESSA_AGAIN)
    found = bench.variants()
    assert bench.action_words(odessa) >= {"storm", "police", "headquarter"}
    assert found["action"](odessa, slavyansk) is True
    assert found["action"](odessa, again) is False
    assert bench.lede_tolls(odessa) == {"42"} and bench.lede_tolls(slavyansk) == {"4"}
    assert found["toll"](odessa, slavyansk) is True and found["toll"](odessa, again) is False
    assert found["place_head"](odessa, again) is False
    assert found["place_head"](odessa, slavyansk) is None  # "Ukraine" is a country: no finer place on that side


def test_countries_and_their_aliases_are_too_coarse_to_tell_events_apart(bench) -> None:
    coarse = bench.coarse_places()
    assert {"ukraine", "united states", "us"} <= coarse
    assert "odessa" not in coarse


def test_the_defaults_rebuilt_reproduce_the_run_and_weight_zero_changes_nothing(bench) -> None:
    config = Config(workers=1)
    gold = json.loads((SEEDS / "seeds_gold.json").read_text(encoding="utf-8"))
    gold.pop("_comment", None)
    run = bench.capture(read_articles([str(SEEDS / "seeds")]), gold, config)
    z, z_perfect = bench.default_log_odds(run, config)
    scored = ~np.isnan(z)
    assert scored.any()
    rebuilt = np.round(bench._logistic(z[scored]) / bench._logistic(z_perfect[scored]), 6)
    assert rebuilt == pytest.approx(run.similarity.values[scored], abs=2e-6)
    fired = np.ones(len(z), dtype=bool)
    assert (bench.with_conflict(run, (z, z_perfect), fired, 0.0) == run.similarity.values).all()
    assert (bench.with_conflict(run, (z, z_perfect), fired, 1.0)[scored] < run.similarity.values[scored]).all()
    row = bench.measure("seeds", run, config, "action", [0.0])
    assert row["w0.0"][0] == 1.0
