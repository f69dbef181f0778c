"""Report sections rendered apart (in the merge workers) and joined give the reports rendered in one piece."""

from __future__ import annotations

import copy
import shutil
import tempfile
from functools import partial
from pathlib import Path

import pytest
from conftest import SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st
from test_reports import lone, story

from dedupe import Config, read_articles
from dedupe.engine import LocalEngine
from dedupe.output import fill_report, write_outputs
from dedupe.pipeline import run
from dedupe.report import (
    REPORT_STREAMS,
    read_stories,
    render_html,
    render_markdown,
    write_reports,
)
from dedupe.report.html import SECTION_RENDERERS, story_sections
from dedupe.report.views import outline
from dedupe.storyfile import StoryFile, dumps

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "reports_mixed"


def test_reports_match_the_golden_files(tmp_path: Path) -> None:
    shutil.copy(GOLDEN / "stories.jsonl", tmp_path / "stories.jsonl")
    write_reports(tmp_path)
    for name in ("report.html", "report.md"):
        assert (tmp_path / name).read_bytes() == (GOLDEN / f"expected_{name}").read_bytes(), name


def _spooled(records: list[dict]) -> StoryFile:
    """The records in a StoryFile with the sections the merge workers render."""
    stories = StoryFile()
    for record in records:
        stories.add(dumps(record) + "\n", outline(record), story_sections(record, outline(record)))
    return stories


TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


@st.composite
def records(draw: st.DrawFn) -> list[dict]:
    """Story records built from the hand-written ones, with drawn text in every field a report shows."""
    out = []
    for number in range(draw(st.integers(0, 5))):
        record = copy.deepcopy(draw(st.sampled_from([story(f"s{number}"), story(f"s{number}", conflicts=False),
                                                     lone(f"s{number}"), story(f"s{number}", hostile=True)])))
        record["headline"] = draw(TEXT)
        record["representative_rule"] = draw(TEXT)
        for source in record["sources"]:
            source["outlet"], source["title"] = draw(TEXT), draw(TEXT)
        for fact in record["facts"]:
            fact["value"] = draw(TEXT)
            for evidence in fact["sources"]:
                evidence["sentence"] = draw(TEXT)
        for conflict in record["conflicts"]:
            conflict["explanation"] = draw(TEXT)
            for value in conflict["values"]:
                value["label"] = draw(TEXT)
                for evidence in value["sources"]:
                    evidence["sentence"] = draw(TEXT)
        out.append(record)
    return out


@settings(max_examples=60, deadline=None)
@given(records())
def test_sections_rendered_apart_join_into_the_whole_report(stories: list[dict]) -> None:
    spooled = _spooled(stories)
    whole = {"report.html": render_html(stories), "report.md": render_markdown(stories)}
    for name in SECTION_RENDERERS:
        joined = "".join(REPORT_STREAMS[name](spooled.outlines, partial(spooled.section, name)))
        assert joined == whole[name], name
        assert _filled(name, spooled) == whole[name].encode("utf-8"), name
    assert [bool(spooled.sections[i]) for i in range(len(stories))] == [
        not (o.sources == 1 and not o.conflicts and not o.updates) for o in spooled.outlines]


def _filled(name: str, stories: StoryFile) -> bytes:
    """Report ``name`` as :func:`fill_report` writes it."""
    with tempfile.TemporaryFile() as handle:
        fill_report(name, stories, handle.fileno())
        handle.seek(0)
        return handle.read()


def test_reports_written_as_bytes_are_the_text_encoded() -> None:
    records = [story("s1"), lone("s2"), story("s3", conflicts=False), story("s4", hostile=True)]
    bare = StoryFile()  # no sections: each rendered from its record as the report reaches it
    for record in records:
        bare.add(dumps(record) + "\n", outline(record))
    for name in SECTION_RENDERERS:
        whole = (render_html if name == "report.html" else render_markdown)(records).encode("utf-8")
        assert _filled(name, _spooled(records)) == whole and _filled(name, bare) == whole
        assert _filled(name, _spooled([])) == "".join(REPORT_STREAMS[name]([], str)).encode("utf-8")


def test_a_section_with_a_lone_surrogate_is_refused_as_writing_its_text_would_be() -> None:
    record = story("s1")
    stories = StoryFile()
    stories.add(dumps(record) + "\n", outline(record), ("<p>\ud800</p>", "\ud800"))
    for name in SECTION_RENDERERS:
        with pytest.raises(UnicodeEncodeError):
            _filled(name, stories)
        with pytest.raises(UnicodeEncodeError), tempfile.TemporaryFile("w", encoding="utf-8") as handle:
            handle.writelines(REPORT_STREAMS[name](stories.outlines, partial(stories.section, name)))


def test_a_story_without_sections_is_rendered_from_its_record() -> None:
    records = [story("s1"), lone("s2"), story("s3", conflicts=False)]
    bare = StoryFile()
    for record in records:
        bare.add(dumps(record) + "\n", outline(record))
    spooled = _spooled(records)
    for name in SECTION_RENDERERS:
        for index in (0, 2):
            assert bare.section(name, index) == spooled.section(name, index)
    assert spooled.sort() == [0, 1, 2] and spooled.section("report.md", 2) == bare.section("report.md", 2)


def test_a_run_writing_reports_renders_the_sections_in_its_merge_workers(tmp_path: Path) -> None:
    articles = list(read_articles([SEEDS]))
    result = run(articles, Config(workers=2), engine=LocalEngine(2), details=False, reports=True)
    stories = result.extras["stories"]
    assert isinstance(stories, StoryFile) and any(stories.sections) and not all(stories.sections)
    write_outputs(result, tmp_path)
    records = read_stories(tmp_path / "stories.jsonl")
    assert (tmp_path / "report.html").read_text(encoding="utf-8") == render_html(records)
    assert (tmp_path / "report.md").read_text(encoding="utf-8") == render_markdown(records)
    plain = run(articles, Config(workers=2), engine=LocalEngine(2), details=False)
    assert not any(plain.extras["stories"].sections)  # not asked for: none rendered
