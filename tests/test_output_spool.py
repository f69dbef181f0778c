"""Stories spooled in the output directory: renamed onto stories.jsonl (the copy's bytes), swept when stale."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SEEDS

from dedupe import Config, read_articles
from dedupe.cli import main
from dedupe.output import write_outputs
from dedupe.outputspool import spool_pattern, sweep_spools
from dedupe.pipeline import run
from dedupe.storyfile import StoryFile

INPUT = REPO / "fixtures" / "stories_death_toll" / "input.jsonl"
SPOOL = spool_pattern("stories.jsonl")
#: ``dedupe run ARGS`` killed by SIGKILL (as by the out-of-memory killer) once the merge spooled its first story.
KILLED_IN_THE_MERGE = (
    "import os, signal, sys; from dedupe.cli import main; from dedupe.storyfile import StoryFile; "
    "add = StoryFile.add; "
    "StoryFile.add = lambda self, *args: (add(self, *args), os.kill(os.getpid(), signal.SIGKILL)); "
    "main.main(sys.argv[1:])"
)


def _run(path: Path, directory: Path | None = None, reports: bool = True):
    return run(list(read_articles([path])), Config(workers=1), details=False, reports=reports, output_dir=directory)


def _same_outputs(a: list[Path], b: list[Path]) -> None:
    assert [p.name for p in a] == [p.name for p in b]
    for one, other in zip(a, b, strict=True):
        if one.name != "summary.json":
            assert one.read_bytes() == other.read_bytes(), one.name


@pytest.mark.parametrize(("path", "reports"), [(SEEDS, True), (INPUT, True), (INPUT, False)],
                         ids=["seeds", "death_toll", "no_sections"])
def test_the_renamed_spool_is_the_copied_file(tmp_path, path, reports):
    copied = write_outputs(_run(path, reports=reports), tmp_path / "copied", release=True)
    (tmp_path / "renamed").mkdir()
    result = _run(path, tmp_path / "renamed", reports=reports)  # no sections: the reports read the renamed lines
    spool = os.fstat(result.extras["stories"].file.handle.fileno())
    _same_outputs(copied, write_outputs(result, tmp_path / "renamed", release=True))
    assert os.stat(tmp_path / "renamed" / "stories.jsonl").st_ino == spool.st_ino  # renamed, not copied
    assert sorted(p.name for p in (tmp_path / "renamed").iterdir()) == sorted(p.name for p in copied)


def test_a_placed_spool_still_reads_and_writes_again(tmp_path):
    (tmp_path / "a").mkdir()
    result = _run(SEEDS, tmp_path / "a")
    first = write_outputs(result, tmp_path / "a")
    _same_outputs(first, write_outputs(result, tmp_path / "b"))  # copied from the placed file
    assert result.extras["stories"][0].story_id == result.extras["stories"].outlines[0].story_id
    result.extras["stories"].close()
    assert (tmp_path / "a" / "stories.jsonl").stat().st_size > 0  # closing a placed spool deletes nothing


def test_the_copy_is_used_when_the_rename_fails(tmp_path, monkeypatch):
    copied = write_outputs(_run(INPUT), tmp_path / "copied", release=True)
    (tmp_path / "out").mkdir()
    result = _run(INPUT, tmp_path / "out")
    real, refused = os.replace, []

    def replace(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        if SPOOL.fullmatch(Path(source).name):
            refused.append(Path(target).name)
            raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))
        real(source, target)

    monkeypatch.setattr(os, "replace", replace)
    _same_outputs(copied, write_outputs(result, tmp_path / "out", release=True))
    assert refused == ["stories.jsonl"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in copied)  # spool deleted


def test_an_unplaced_spool_is_deleted_when_closed(tmp_path):
    stories = StoryFile(tmp_path)
    stories.add("{}\n", _run(SEEDS).extras["stories"].outlines[0])
    assert [SPOOL.fullmatch(p.name) is not None for p in tmp_path.iterdir()] == [True]
    stories.close()
    assert list(tmp_path.iterdir()) == []


def test_only_spools_of_the_exact_pattern_are_swept(tmp_path):
    spools = [".stories.jsonl.spool.k3v9_x0a.tmp", ".stories.jsonl.spool.00000000.tmp"]
    others = [
        ".stories.jsonl.spool.k3v9x0a.tmp",
        ".stories.jsonl.spool.K3V9X0AB.tmp",
        "stories.jsonl.spool.k3v9_x0a.tmp",
        ".stories.jsonl.spool.k3v9_x0a.tmp.bak",
        ".report.md.spool.k3v9_x0a.tmp",
        ".stories.jsonl.k3v9_x0a.tmp",
        "notes.txt",
    ]
    for name in spools + others:
        (tmp_path / name).write_text(name, encoding="utf-8")
    (tmp_path / ".stories.jsonl.spool.dir_dir_.tmp").mkdir()
    assert sorted(p.name for p in sweep_spools(tmp_path, "stories.jsonl")) == sorted(spools)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*others, ".stories.jsonl.spool.dir_dir_.tmp"])
    assert all((tmp_path / name).read_text(encoding="utf-8") == name for name in others)


def test_a_run_killed_in_the_merge_leaves_nothing_in_tmpdir_and_the_next_run_sweeps_its_spool(tmp_path, runner):
    temporary, out = tmp_path / "tmpdir", tmp_path / "out"
    temporary.mkdir()
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    killed = subprocess.run([sys.executable, "-c", KILLED_IN_THE_MERGE, "run", str(SEEDS), "-o", str(out), "-q",
                             "--workers", "1"], env={**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(temporary)},
                            cwd=REPO, capture_output=True, timeout=300, check=False)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert list(temporary.iterdir()) == []
    left = sorted(p.name for p in out.iterdir())
    assert len(left) == 2 and left[1] == "notes.txt" and SPOOL.fullmatch(left[0]), left
    assert (out / left[0]).stat().st_size > 0  # the first story's line
    result = runner.invoke(main, ["run", str(SEEDS), "-o", str(out), "-q", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(["notes.txt", "clusters.jsonl", "deduped.jsonl",
                                                            "stories.jsonl", "conflicts.jsonl", "report.html",
                                                            "report.md", "conflicts.csv", "summary.json"])
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"

