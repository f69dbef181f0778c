"""Reports written ahead by forked processes: the same bytes, placed in turn, nothing left by a failure or a stop."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import REPO, SEEDS

from dedupe import Config, read_articles
from dedupe.cli import main
from dedupe.output import AHEAD, iter_outputs, write_outputs
from dedupe.outputahead import WrittenAhead
from dedupe.pipeline import run

INPUT = REPO / "fixtures" / "stories_death_toll" / "input.jsonl"

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="writing ahead forks")


def _run(path: Path, directory: Path | None = None, reports: bool = True):
    return run(list(read_articles([path])), Config(workers=1), details=False, reports=reports, output_dir=directory)


def _outputs(paths: list[Path]) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in paths if p.name != "summary.json"}


def _temporary(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize(("path", "reports"), [(SEEDS, True), (INPUT, True), (INPUT, False)],
                         ids=["seeds", "death_toll", "no_sections"])
def test_reports_written_ahead_are_the_same_bytes_in_the_same_order(tmp_path, monkeypatch, path, reports):
    kept = write_outputs(_run(path, reports=reports), tmp_path / "kept", release=True)
    started: list[str] = []
    start = WrittenAhead.start
    monkeypatch.setattr(WrittenAhead, "start", lambda self, p, fill: (started.append(p.name), start(self, p, fill)))
    (tmp_path / "ahead").mkdir()
    result = _run(path, tmp_path / "ahead", reports=reports)  # no sections: the reports read the stories' lines
    ahead = write_outputs(result, tmp_path / "ahead", release=True, ahead=True)
    assert started == list(AHEAD)
    assert [p.name for p in ahead] == [p.name for p in kept]
    assert _outputs(ahead) == _outputs(kept)
    assert _temporary(tmp_path / "ahead") == []


def test_each_report_is_placed_at_its_turn(tmp_path):
    result = _run(SEEDS)
    seen: list[list[str]] = []
    for path in iter_outputs(result, tmp_path, ahead=True):
        seen.append(sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")))
        assert path.name in seen[-1]
    assert seen[3] == ["clusters.jsonl", "conflicts.jsonl", "deduped.jsonl", "stories.jsonl"]  # reports not yet


def test_a_stop_midway_leaves_no_temporary_file_nor_process(tmp_path):
    written = iter_outputs(_run(SEEDS), tmp_path, ahead=True)
    assert next(written).name == "clusters.jsonl"
    written.close()  # as an interruption does
    assert _temporary(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clusters.jsonl"]


def test_a_failed_process_places_nothing_and_the_caller_writes(tmp_path):
    early = WrittenAhead()

    def fail(fd: int) -> None:
        os.write(fd, b"half")
        raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")

    early.start(tmp_path / "report.html", fail)
    assert tmp_path / "report.html" in early
    assert early.place(tmp_path / "report.html") is False
    assert list(tmp_path.iterdir()) == []


def test_a_finished_process_is_placed_and_a_slow_one_stopped(tmp_path):
    early = WrittenAhead()
    early.start(tmp_path / "done.txt", lambda fd: os.write(fd, b"all of it\n"))
    early.start(tmp_path / "slow.txt", lambda fd: time.sleep(60))
    assert early.place(tmp_path / "done.txt") is True
    assert (tmp_path / "done.txt").read_bytes() == b"all of it\n"
    began = time.monotonic()
    early.close()
    assert time.monotonic() - began < 30
    assert sorted(p.name for p in tmp_path.iterdir()) == ["done.txt"]


def test_the_cli_with_workers_writes_the_reports_ahead(tmp_path, monkeypatch):
    started: list[str] = []
    start = WrittenAhead.start
    monkeypatch.setattr(WrittenAhead, "start", lambda self, p, fill: (started.append(p.name), start(self, p, fill)))
    for workers in ("1", "2"):
        main.main(["run", str(SEEDS), "-o", str(tmp_path / workers), "-q", "--workers", workers],
                  standalone_mode=False)
        assert started == ([] if workers == "1" else list(AHEAD))
    assert _outputs(sorted((tmp_path / "1").iterdir())) == _outputs(sorted((tmp_path / "2").iterdir()))
