"""The same input gives byte-identical outputs: across runs (other hash seeds), worker counts and record orders."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, SEEDS, corpus_file

from dedupe.cli import main

SAMPLE = 300


def shuffled_copy(source: Path, target: Path, seed: int) -> Path:
    """``source``'s lines in a shuffled order, written to ``target``."""
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    random.Random(seed).shuffle(lines)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("".join(lines), encoding="utf-8")
    return target


def outputs(directory: Path) -> dict[str, bytes]:
    """Every output file's bytes; summary.json without its timings (the only part that may differ)."""
    files = {p.name: p.read_bytes() for p in sorted(directory.iterdir())}
    summary = json.loads(files["summary.json"])
    assert set(summary.pop("seconds")) >= {"signatures", "cluster"}
    files["summary.json"] = json.dumps(summary, sort_keys=True).encode()
    return files


@pytest.mark.corpus
def test_outputs_are_byte_identical_across_runs_and_orders(tmp_path: Path) -> None:
    lines = corpus_file("allsides_roundups").read_text(encoding="utf-8").splitlines(keepends=True)
    sample = tmp_path / "a" / "sample.jsonl"
    sample.parent.mkdir()
    sample.write_text("".join(lines[:SAMPLE]), encoding="utf-8")
    shuffled = shuffled_copy(sample, tmp_path / "b" / "sample.jsonl", seed=3)
    runs = {  # name: (inputs, PYTHONHASHSEED, worker processes)
        "first": ([SEEDS, sample], "1", "1"),
        "again": ([SEEDS, sample], "2", "2"),
        "shuffled": ([shuffled, SEEDS], "3", "3"),
    }
    children = {
        name: subprocess.Popen([sys.executable, "cli.py", "run", *map(str, inputs), "-o", str(tmp_path / name), "-q",
                                "--workers", workers],
                               cwd=REPO, env={**os.environ, "PYTHONHASHSEED": seed}, stderr=subprocess.PIPE)
        for name, (inputs, seed, workers) in runs.items()
    }
    for name, child in children.items():
        _, stderr = child.communicate(timeout=240)
        assert (name, child.returncode, stderr) == (name, 0, b"")
    first = outputs(tmp_path / "first")
    assert len(first) == 8 and json.loads(first["summary.json"])["articles"]["read"] == SAMPLE + 5
    assert outputs(tmp_path / "again") == first
    assert outputs(tmp_path / "shuffled") == first


def test_shuffled_fixtures_give_identical_outputs(runner: CliRunner, tmp_path: Path) -> None:
    fixtures = REPO / "fixtures"
    sources = [fixtures / "wire_copies" / "input.jsonl", fixtures / "stories_death_toll" / "input.jsonl"]
    combined = tmp_path / "in" / "all.jsonl"
    combined.parent.mkdir()
    combined.write_text("".join(p.read_text(encoding="utf-8") for p in sources), encoding="utf-8")
    reordered = shuffled_copy(combined, tmp_path / "shuffled" / "all.jsonl", seed=11)
    for name, inputs in {"one": [SEEDS, combined], "two": [reordered, SEEDS]}.items():
        result = runner.invoke(main, ["run", *map(str, inputs), "-o", str(tmp_path / name), "-q"])
        assert (result.exit_code, result.stderr) == (0, "")
    assert outputs(tmp_path / "one") == outputs(tmp_path / "two")
