"""Writing the outputs with ``release`` gives up each temporary file once written out, and writes the same bytes."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

import pytest
from conftest import SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import Config, fieldspool, read_articles
from dedupe.cli import main
from dedupe.errors import OutputError
from dedupe.fieldspool import OffsetFile
from dedupe.output import iter_outputs, write_outputs
from dedupe.outputspool import OutputSpool
from dedupe.pipeline import run
from dedupe.report.views import Outline
from dedupe.storyfile import StoryFile, pack_section

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
INPUT = FIXTURES / "stories_death_toll" / "input.jsonl"


def _run(path: Path = INPUT, reports: bool = True):
    return run(list(read_articles([path])), Config(workers=1), details=False, reports=reports)


@settings(max_examples=40, deadline=None)
@given(records=st.lists(st.binary(max_size=40), max_size=30), block=st.integers(1, 64), move=st.booleans())
def test_a_file_moved_or_copied_is_the_bytes_appended(records, block, move):
    spool = OffsetFile()
    for record in records:
        spool.append(record)
    old, fieldspool.MOVE_BLOCK = fieldspool.MOVE_BLOCK, block
    try:
        with tempfile.TemporaryFile() as target:
            spool.move_to(target.fileno()) if move else spool.copy_to(target.fileno())
            target.seek(0)
            assert target.read() == b"".join(records)
    finally:
        fieldspool.MOVE_BLOCK = old
    assert os.fstat(spool.handle.fileno()).st_size == (0 if move else len(b"".join(records)))


@pytest.mark.parametrize("path", [SEEDS, INPUT], ids=lambda p: p.parent.name)
def test_released_outputs_are_byte_identical(tmp_path, path):
    kept = write_outputs(_run(path), tmp_path / "kept")
    released = write_outputs(_run(path), tmp_path / "released", release=True)
    assert [p.name for p in kept] == [p.name for p in released]
    for a, b in zip(kept, released):
        if a.name != "summary.json":
            assert a.read_bytes() == b.read_bytes(), a.name


def test_the_spool_is_in_story_order_and_becomes_stories_jsonl():
    stories = _run(SEEDS).extras["stories"]
    assert isinstance(stories, StoryFile) and len(stories) > 1
    assert stories.in_file_order() and not stories.needs_lines()


@settings(max_examples=30, deadline=None)
@given(texts=st.lists(st.text(), min_size=2, max_size=2), packed=st.booleans())
def test_a_section_reads_back_as_added_packed_or_not(texts, packed):
    stories = StoryFile()
    summary = Outline("s1", "Head", 2, {}, 0, 0, 0, 0, 0)
    stories.add("{}\n", summary, [pack_section(t) for t in texts] if packed else texts)
    assert [stories.section(name, 0) for name in ("report.html", "report.md")] == texts
    stories.close()


def test_each_temporary_file_is_gone_once_its_last_output_is_written(tmp_path):
    result = _run()
    stories, spool = result.extras["stories"], result.articles[0].spool
    sections = dict(stories.section_files)
    assert set(sections) == {"report.html", "report.md"}
    for path in iter_outputs(result, tmp_path, release=True):
        name = path.name
        assert spool.file.handle.closed == (name not in ("clusters.jsonl",))
        assert stories.file.handle.closed == (name not in ("clusters.jsonl", "deduped.jsonl"))
        assert sections["report.html"].handle.closed == (name in ("report.html", "report.md", "conflicts.csv",
                                                                   "summary.json"))
        assert sections["report.md"].handle.closed == (name in ("report.md", "conflicts.csv", "summary.json"))


def test_without_release_the_result_reads_again(tmp_path):
    result = _run()
    write_outputs(result, tmp_path / "a")
    write_outputs(result, tmp_path / "b")
    assert (tmp_path / "a" / "stories.jsonl").read_bytes() == (tmp_path / "b" / "stories.jsonl").read_bytes()
    assert result.extras["stories"][0].story_id == result.extras["stories"].outlines[0].story_id


def test_lines_a_report_still_reads_are_kept(tmp_path):
    result = _run(reports=False)  # no sections spooled: the reports render full stories from their lines
    assert result.extras["stories"].needs_lines()
    write_outputs(result, tmp_path / "released", release=True)
    write_outputs(_run(reports=False), tmp_path / "kept")
    for name in ("stories.jsonl", "report.html", "report.md"):
        assert (tmp_path / "released" / name).read_bytes() == (tmp_path / "kept" / name).read_bytes()


def test_a_full_disk_while_moving_the_stories_leaves_no_partial_file(monkeypatch, tmp_path):
    monkeypatch.setattr(fieldspool, "MOVE_BLOCK", 64)
    calls, real = [], os.pwrite

    def pwrite(fd: int, data: bytes, offset: int) -> int:
        calls.append(offset)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, data, offset)

    monkeypatch.setattr(fieldspool.os, "pwrite", pwrite)
    written = []
    with pytest.raises(OutputError, match="No space left") as error:
        written.extend(iter_outputs(_run(), tmp_path, release=True))
    assert error.value.file == str(tmp_path / "stories.jsonl")
    assert [p.name for p in written] == ["clusters.jsonl", "deduped.jsonl"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clusters.jsonl", "deduped.jsonl"]


def test_ctrl_c_while_moving_the_stories_keeps_the_old_file_whole(monkeypatch, runner, seeds_dir, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "stories.jsonl").write_text("old\n", encoding="utf-8")
    monkeypatch.setattr(OutputSpool, "place", lambda self, target: False)  # the rename fails: the lines are moved
    monkeypatch.setattr(fieldspool, "MOVE_BLOCK", 64)
    calls, real = [], os.pwrite

    def pwrite(fd: int, data: bytes, offset: int) -> int:
        calls.append(offset)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(fd, data, offset)

    monkeypatch.setattr(fieldspool.os, "pwrite", pwrite)
    result = runner.invoke(main, ["run", str(seeds_dir), "-o", str(out)])
    assert result.exit_code == 130 and len(calls) == 2
    assert result.stderr.startswith(f"Interrupted (Ctrl-C): wrote clusters.jsonl, deduped.jsonl to {out}; "
                                    "not written: stories.jsonl, conflicts.jsonl,")
    assert sorted(p.name for p in out.iterdir()) == ["clusters.jsonl", "deduped.jsonl", "stories.jsonl"]
    assert (out / "stories.jsonl").read_text(encoding="utf-8") == "old\n"


@pytest.mark.parametrize("emit", ["stories", "deduped"])
def test_emit_beside_output_still_reads_what_it_emits(runner, seeds_dir, tmp_path, emit):
    result = runner.invoke(main, ["run", str(seeds_dir), "-o", str(tmp_path), "--emit", emit, "-q"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (tmp_path / f"{emit}.jsonl").read_text(encoding="utf-8")
