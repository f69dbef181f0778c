"""``dedupe run`` on the headline-only golden fixtures through CliRunner: clusters as expected, exit code 0."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO

from dedupe.cli import main

CASES = sorted(path.parent for path in (REPO / "fixtures").glob("headlines_*/expected_clusters.json"))


def test_there_are_headline_cases() -> None:
    assert {"headlines_days", "headlines_topics"} <= {case.name for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_cli_clusters_headlines_as_expected(runner: CliRunner, case: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(main, ["run", str(case / "input.jsonl"), "-o", str(out), "--emit", "clusters", "-q"],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    expected = json.loads((case / "expected_clusters.json").read_text(encoding="utf-8"))
    assert [json.loads(line) for line in result.stdout.splitlines()] == expected
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    records = sum(1 for _ in (case / "input.jsonl").open(encoding="utf-8"))
    assert summary["articles"] == {"read": records, "rejected": 0, "clustered": records}
    assert summary["clusters"]["total"] == len(expected)
    linked = sum(len(c["edges"]) for c in expected)
    assert summary["edges"].get("same_story", 0) >= linked > 0


def test_headline_window_is_a_setting(runner: CliRunner, tmp_path: Path) -> None:
    config = tmp_path / "wide.toml"
    config.write_text("headline_window = 60\n", encoding="utf-8")
    source = REPO / "fixtures" / "headlines_days" / "input.jsonl"
    result = runner.invoke(main, ["run", str(source), "--config", str(config), "-q"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    together = [c["members"] for c in map(json.loads, result.stdout.splitlines()) if "flood-mar-1" in c["members"]]
    assert "flood-apr-1" in together[0]


def test_bad_headline_setting_exits_4(runner: CliRunner, tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("headline_floor = 1.5\n", encoding="utf-8")
    source = REPO / "fixtures" / "headlines_days" / "input.jsonl"
    result = runner.invoke(main, ["run", str(source), "--config", str(config)], catch_exceptions=False)
    assert result.exit_code == 4
    assert "'headline_floor' must be above 0 and at most 1, got 1.5" in result.stderr


def explain(runner: CliRunner, a: str, b: str, case: str) -> dict:
    """``dedupe explain A B`` on a headline fixture, as JSON."""
    source = REPO / "fixtures" / case / "input.jsonl"
    result = runner.invoke(main, ["explain", a, b, str(source), "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_explain_headline_pair_linked(runner: CliRunner) -> None:
    report = explain(runner, "bridge-1", "bridge-2", "headlines_topics")
    assert report["relation"] == "same_story"
    assert report["why"].startswith("headlines only: linked with score 1.000")
    assert report["headline"]["shared_terms"] == ["bridge", "budget", "council", "eastbank", "repair"]
    assert report["same_cluster"] is True


def test_explain_headline_pair_too_far_apart(runner: CliRunner) -> None:
    report = explain(runner, "flood-mar-1", "flood-apr-1", "headlines_days")
    assert report["relation"] == "none"
    assert report["headline"]["within_window"] is False
    assert "too far apart" in report["why"]
    assert report["same_cluster"] is False
