"""``bench/copy_weights.py``: re-clustering a captured run with each head weighed as ``pipeline.cluster`` does."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from conftest import load_script

from dedupe import Config, read_articles, run

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"


@pytest.fixture(scope="module")
def bench():
    """``bench/copy_weights.py`` as a module."""
    return load_script("bench/copy_weights.py")


@pytest.mark.parametrize("form, power", [("heads", 0.0), ("articles", 1.0), ("sqrt", 0.5)])
def test_re_clustering_reproduces_a_run_at_the_matching_power(bench, form: str, power: float) -> None:
    """The seeds with three reprints of one (copy groups to weigh): the form's clusters are those of a run with
    ``copy_weight`` at the matching power."""
    articles = list(read_articles([str(SEEDS)]))
    articles += [replace(articles[2], id=f"{articles[2].id}_r{k}") for k in range(3)]
    gold = {a.id: a.id[:3] for a in articles}
    captured = bench.capture(articles, gold, Config(workers=1))
    assert bench.copy_stats(captured.by_head)["largest"] == 4
    clusters = sorted(map(tuple, bench.clusters_of(captured, Config(workers=1), form)))
    expected = run(articles, Config(workers=1, copy_weight=power), stories=False, details=False)
    assert clusters == sorted(c.members for c in expected.clusters)
