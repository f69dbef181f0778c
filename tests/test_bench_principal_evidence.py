"""``bench/principal_evidence.py``: the years a text writes, the most named person, and re-scoring with no evidence."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import load_script

from dedupe import Config, read_articles
from dedupe.extract import extract
from dedupe.types import Article

SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"


@pytest.fixture(scope="module")
def bench():
    """``bench/principal_evidence.py`` as a module."""
    return load_script("bench/principal_evidence.py")


def test_only_years_the_text_writes_count(bench) -> None:
    fields = extract(Article(id="x", published="2016-08-15", text=(
        "The patch was first released in late 2007. Another followed on August 16, 2011. "
        "Police said the man was arrested on Tuesday.")))
    assert bench.written_years(fields) == {"2007", "2011"}  # "Tuesday" resolves to 2016 but writes no year


def test_the_most_named_person_counts_surnames_together(bench) -> None:
    fields = extract(Article(id="x", text=(
        "Chargers receiver Vincent Jackson was arrested on Sunday. Jackson was pulled over near the stadium. "
        "Coach Norv Turner said Jackson would play. Turner said Turner's staff knew.")))
    assert bench.most_named(fields, 3, False) == "jackson"
    assert bench.most_named(fields, 3, True) is None  # Turner is named about as often


def test_no_evidence_reproduces_the_run(bench) -> None:
    config = Config(workers=1, specific_weight=0.0)
    gold = {a.id: a.id for a in read_articles([str(SEEDS)])}
    run = bench.capture(list(read_articles([str(SEEDS)])), gold, config)
    parts, overlap = bench.log_odds(run, config), bench.overlaps(run)
    for variant in bench.VARIANTS:
        conflict = bench.conflicts(run, parts[2], variant)
        assert np.array_equal(bench.rescored(run, parts, overlap, conflict, 0.0, 0.0), run.similarity.values)
