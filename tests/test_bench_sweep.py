"""``bench/sweep.py``: a moved default, halves of whole stories, re-scoring that reproduces the run, the LOCO pick."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import load_script

from dedupe import Config, read_articles

SEEDS = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="module")
def bench():
    """``bench/sweep.py`` as a module."""
    return load_script("bench/sweep.py")


@pytest.fixture(scope="module")
def seeds_run(bench):
    """The seeds captured with default settings."""
    gold = json.loads((SEEDS / "seeds_gold.json").read_text(encoding="utf-8"))
    gold.pop("_comment", None)
    return bench.capture(read_articles([str(SEEDS / "seeds")]), gold, Config(workers=1))


def test_a_setting_or_a_comparison_weight_moves_alone(bench) -> None:
    config = Config()
    assert bench.moved(config, "bias", 1.1).bias == pytest.approx(-3.795)
    assert bench.moved(config, "block_keys", 1.25).block_keys == 25
    weights = {c.field: c.weight for c in bench.moved(config, "cmp:dates", 0.5).comparisons}
    assert weights["dates"] == pytest.approx(1.05) and weights["terms"] == 7.2


def test_the_halves_split_the_gold_stories_with_each_story_whole(bench, seeds_run) -> None:
    even, odd = bench.halves(seeds_run)
    assert even and odd and not even & odd
    assert even | odd == set(seeds_run.by_head)
    assert {seeds_run.gold[h] for h in even}.isdisjoint({seeds_run.gold[h] for h in odd})


def test_the_defaults_rescored_reproduce_the_run_and_a_move_changes_nothing_else(bench, seeds_run) -> None:
    config = Config(workers=1)
    rows = list(bench.corpus_rows("seeds", seeds_run, config, ["bias", "link_threshold"], [1.0, 1.25]))
    assert rows[0]["ari"][0] == 1.0
    unchanged = [row for row in rows[1:] if row["factor"] == 1.0]
    assert len(unchanged) == 2 and all(row["change"] == [0.0, 0.0, 0.0] for row in unchanged)
    field_rows = bench.field_model_rows(seeds_run, config)
    assert field_rows.all()
    assert (bench.rescored(seeds_run, config, field_rows) == seeds_run.similarity.values).all()
    assert not (bench.rescored(seeds_run, bench.moved(config, "bias", 1.25), field_rows)
                == seeds_run.similarity.values).all()


def test_leave_one_out_picks_on_the_others_and_reports_the_one_left_out(bench) -> None:
    rows = [{"corpus": c, "setting": "x", "factor": 1.1, "change": [d, 0, 0]}
            for c, d in (("a", 0.02), ("b", 0.01), ("c", -0.03))]
    rows += [{"corpus": c, "setting": "y", "factor": 0.9, "change": [d, 0, 0]}
             for c, d in (("a", 0.001), ("b", -0.02), ("c", 0.004))]
    picks = {pick["held_out"]: pick for pick in bench.loco(rows)}
    assert picks["c"]["move"] == ("x", 1.1) and picks["c"]["held_out_change"] == -0.03
    assert picks["a"]["move"] is None
    assert "| x x1.1 |" in bench.markdown(rows)
