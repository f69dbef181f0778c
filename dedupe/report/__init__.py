"""Reports for editors rendered from story records: report.html, report.md and conflicts.csv."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import InputError, json_problem
from .html import html_chunks, render_html
from .markdown import markdown_chunks, render_markdown
from .spreadsheet import render_csv
from .views import Outline

__all__ = ["CONFLICTS_FILE", "REPORT_FILES", "REPORT_STREAMS", "Outline", "conflict_records", "read_stories", "render_csv", "render_html",
           "render_markdown", "write_reports"]

#: The reports rendered from story records (the dicts of ``stories.jsonl``), by file name.
REPORT_FILES: dict[str, Callable[[Sequence[Mapping[str, Any]]], str]] = {
    "report.html": render_html,
    "report.md": render_markdown,
}
#: The same reports in pieces, from the stories' outlines and a function giving full story ``i``'s section of that
#: report on demand (``report.sections.SECTION_RENDERERS[name]`` of its story view, or the same pre-rendered).
REPORT_STREAMS: dict[str, Callable[[Sequence[Outline], Callable[[int], str]], Iterable[str]]] = {
    "report.html": html_chunks,
    "report.md": markdown_chunks,
}
#: The report rendered from conflict records (the dicts of ``conflicts.jsonl``): name and renderer.
CONFLICTS_FILE: tuple[str, Callable[[Sequence[Mapping[str, Any]]], str]] = ("conflicts.csv", render_csv)
STORIES_FILE = "stories.jsonl"


def conflict_records(stories: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Every conflict record of the stories, in story order then field order."""
    return [conflict for story in stories for conflict in story.get("conflicts") or []]


def read_stories(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The story records of a ``stories.jsonl`` file; InputError names the file and line of a bad one."""
    file = Path(path)
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError("no stories.jsonl in this directory.", file=str(file),
                         hint="give the output directory of `dedupe run -o DIR`, which writes stories.jsonl.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read the file ({error}).", file=str(file),
                         hint="check that it is a UTF-8 stories.jsonl written by `dedupe run`.") from None
    stories = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputError(f"not valid JSON ({json_problem(error)}).", file=str(file), line=number,
                             hint="re-create it with `dedupe run -o DIR`.") from None
        if not isinstance(record, dict) or "story_id" not in record:
            raise InputError("expected a story record (an object with a story_id).", file=str(file), line=number,
                             hint="re-create it with `dedupe run -o DIR`.")
        stories.append(record)
    return stories


def write_reports(directory: str | os.PathLike[str]) -> list[Path]:
    """Re-render report.html, report.md and conflicts.csv from ``DIRECTORY/stories.jsonl``; return their paths."""
    from ..output import (  # output registers these reports: import it late
        atomic_write,
        prepare_dir,
    )

    stories = read_stories(Path(directory) / STORIES_FILE)
    target = prepare_dir(directory)
    rendered = {name: render(stories) for name, render in REPORT_FILES.items()}
    rendered[CONFLICTS_FILE[0]] = CONFLICTS_FILE[1](conflict_records(stories))
    written = []
    for name, text in rendered.items():
        atomic_write(target / name, [text])
        written.append(target / name)
    return written
