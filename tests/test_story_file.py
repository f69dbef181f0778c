"""Stories spooled to a file as they are merged read back as the same Story objects and write the same files."""

from __future__ import annotations

import copy
import errno
import pickle
import tempfile
from pathlib import Path

import pytest
from conftest import SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import Config, read_articles
from dedupe.cli import main
from dedupe.engine import LocalEngine
from dedupe.errors import OutputError
from dedupe.output import dumps, story_records, write_outputs
from dedupe.pipeline import run
from dedupe.storyfile import StoryFile, record_line, story_from

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
INPUTS = [SEEDS, *(FIXTURES / name / "input.jsonl" for name in ("stories_death_toll", "stories_quote_and_dates",
                                                                 "wire_copies"))]


def _articles(path: Path) -> list:
    return list(read_articles([path]))


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.parent.name)
def test_spooled_stories_equal_the_merged_list(path):
    held = run(_articles(path), Config(workers=1))
    spooled = run(_articles(path), Config(workers=1), details=False)
    stories = spooled.extras["stories"]
    assert isinstance(stories, StoryFile) and isinstance(held.extras["stories"], list)
    assert len(stories) == len(held.extras["stories"]) > 0
    assert list(stories) == held.extras["stories"] and stories[-1] == held.extras["stories"][-1]
    assert stories[1:] == held.extras["stories"][1:]
    assert [stories.record(i) for i in range(len(stories))] == [s.as_dict() for s in held.extras["stories"]]
    assert list(stories.lines()) == [dumps(s.as_dict()) + "\n" for s in held.extras["stories"]]
    assert spooled.extras["conflicts"] == held.extras["conflicts"]
    assert list(story_records(spooled)) == list(story_records(held))
    assert spooled.summary["stories"] == held.summary["stories"]


def test_conflicts_come_back_in_story_order():
    result = run(_articles(INPUTS[1]), Config(workers=1), details=False)
    conflicts = result.extras["conflicts"]
    assert conflicts, "the death-toll fixture has conflicting counts"
    assert [c.story_id for c in conflicts] == sorted(c.story_id for c in conflicts)
    assert [c for story in result.extras["stories"] for c in story.conflicts] == conflicts


def test_output_files_are_the_same_spooled_or_held(tmp_path):
    articles = _articles(INPUTS[2])
    held = write_outputs(run(articles, Config(workers=2), engine=LocalEngine(2)), tmp_path / "held")
    spooled = write_outputs(run(articles, Config(workers=2), engine=LocalEngine(2), details=False),
                            tmp_path / "spooled")
    assert [p.name for p in held] == [p.name for p in spooled]
    for a, b in zip(held, spooled):
        if a.name != "summary.json":  # its timings differ
            assert a.read_bytes() == b.read_bytes(), a.name


def test_a_story_rebuilds_from_its_record():
    for story in run(_articles(INPUTS[1]), Config(workers=1)).extras["stories"]:
        assert story_from(story.as_dict()) == story


def test_a_closed_file_cannot_be_read():
    stories = run(_articles(SEEDS), Config(workers=1), details=False).extras["stories"]
    assert stories[0].story_id == stories.outlines[0].story_id
    stories.close()
    with pytest.raises(ValueError):
        stories.record(0)


def test_pickled_stories_are_a_list_equal_to_the_file():
    result = run(_articles(INPUTS[1]), Config(workers=1), details=False)
    stories = result.extras["stories"]
    assert isinstance(stories, StoryFile) and stories == list(stories)
    copied = pickle.loads(pickle.dumps(result))
    assert type(copied.extras["stories"]) is list and copied.extras["stories"] == stories
    assert copy.deepcopy(result).extras["stories"] == list(stories)


def test_a_temporary_directory_without_room_is_a_typed_error(monkeypatch, runner, tmp_path):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "TemporaryFile", full)
    with pytest.raises(OutputError, match="cannot write a temporary file .No space left on device.*TMPDIR"):
        run(_articles(SEEDS), Config(workers=1), details=False)
    result = runner.invoke(main, ["run", str(SEEDS), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == OutputError.exit_code == 5
    assert "cannot write a temporary file (No space left on device)" in result.stderr
    assert "Fix: free some space there, or set TMPDIR" in result.stderr


#: A long text with what JSON escapes (quotes, backslashes, control characters) and what it keeps (non-ASCII,
#: U+2028, DEL), long enough for record_line to hand it to orjson.
_LONG = "He said \"no\" \\ then\n\t\x00\x1f\x7f caf\u00e9 \u2028 \U0001f600 " * 20


class _Text(str):
    """A str subclass: json encodes it as a string; record_line leaves it to json."""


@pytest.mark.parametrize("record", [
    {"id": "a1", "title": "T", "text": _LONG, "source": None, "cluster_id": "c", "duplicates": ["a2"]},
    {"text": _LONG, "other": _LONG[::-1], "n": 1.5, "nested": {"t": _LONG}},
    {"id": "a", 1: _LONG, "text": _Text(_LONG), "x": [float("nan"), 2**70]},
    {"short": "x" * 10},
    {},
])
def test_record_lines_are_the_json_lines_encoded(record: dict) -> None:
    assert record_line(record) == (dumps(record) + "\n").encode("utf-8")


def test_a_long_text_with_a_lone_surrogate_is_refused_as_writing_its_line_would_be() -> None:
    record = {"id": "a1", "text": _LONG + "\ud800"}
    with pytest.raises(UnicodeEncodeError), tempfile.TemporaryFile("w", encoding="utf-8") as handle:
        handle.write(dumps(record) + "\n")
    with pytest.raises(UnicodeEncodeError):
        record_line(record)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=250, max_size=600))
def test_a_long_text_encodes_as_json_encodes_it(text: str) -> None:
    record = {"id": "a", "text": text, "cluster_id": "c"}
    assert record_line(record) == (dumps(record) + "\n").encode("utf-8")
