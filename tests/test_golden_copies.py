"""Golden tests: each ``fixtures/<case>/`` holds ``input.*``, ``config.toml`` and ``expected_clusters.json``.

A new case is a new folder; write ``[]`` to its ``expected_clusters.json``, run
``pytest tests/test_golden_copies.py --update-golden`` and read the result before keeping it.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from conftest import REPO

from dedupe import Config, read_articles, run
from dedupe.types import Article

CASES = sorted(path.parent for path in (REPO / "fixtures").glob("*/expected_clusters.json"))


def load_case(case: Path) -> tuple[list[Article], Config]:
    """The case's articles (from its one ``input.*`` file) and its config."""
    [source] = case.glob("input.*")
    return list(read_articles([source])), Config.from_toml(case / "config.toml")


def clusters_of(articles: list[Article], config: Config) -> list[dict]:
    """The clusters a run gives, as the records of ``clusters.jsonl``."""
    return [cluster.as_dict() for cluster in run(articles, config).clusters]


def test_there_are_cases() -> None:
    assert {"chain_of_edits", "wire_copies"} <= {case.name for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_golden(case: Path, request: pytest.FixtureRequest) -> None:
    articles, config = load_case(case)
    actual = clusters_of(articles, config)
    expected_file = case / "expected_clusters.json"
    if request.config.getoption("--update-golden"):
        expected_file.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert actual == json.loads(expected_file.read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_golden_ignores_input_order(case: Path) -> None:
    articles, config = load_case(case)
    shuffled = articles[:]
    random.Random(7).shuffle(shuffled)
    assert clusters_of(shuffled, config) == clusters_of(articles, config)
