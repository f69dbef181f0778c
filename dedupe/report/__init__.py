"""Reports for editors rendered from story records: report.html, report.md and conflicts.csv (rendered here)."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import InputError, json_problem
from .html import html_chunks, render_html
from .markdown import markdown_chunks, render_markdown
from .views import Outline

__all__ = ["CONFLICTS_FILE", "REPORT_FILES", "REPORT_STREAMS", "Outline", "conflict_records", "read_stories",
           "render_csv", "render_html", "render_markdown", "write_reports"]

#: The byte order mark ``conflicts.csv`` starts with, so that Excel reads it as UTF-8.
BOM = "\ufeff"
#: The columns of ``conflicts.csv``, in order.
COLUMNS: tuple[str, ...] = (
    "story_id", "conflict_id", "field", "kind", "severity", "explanation",
    "value_1", "sources_1", "evidence_1", "value_2", "sources_2", "evidence_2", "other_values",
)
#: A cell starting with one of these is prefixed with a single quote, so spreadsheets show it as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> str:
    """The cell as text, with a leading ``'`` when it would start a formula (CSV injection).

    >>> neutralise("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _sources(value: Mapping[str, Any]) -> str:
    """``id (outlet, day); ...`` for the sources of one competing value."""
    parts = []
    for source in value.get("sources") or []:
        details = ", ".join(filter(None, (source.get("outlet"), (source.get("published") or "")[:10])))
        parts.append(f"{source.get('id', '')} ({details})" if details else str(source.get("id", "")))
    return "; ".join(parts)


def _evidence(value: Mapping[str, Any]) -> str:
    """The evidence sentences of one competing value, one per source."""
    return " | ".join(" ".join((s.get("sentence") or s.get("text") or "").split()) for s in value.get("sources") or [])


def row(conflict: Mapping[str, Any]) -> list[str]:
    """One conflict as the cells of ``COLUMNS``; values past the second go to ``other_values``."""
    values = list(conflict.get("values") or [])
    cells: list[Any] = [conflict.get(name, "") for name in COLUMNS[:6]]
    for index in range(2):
        value = values[index] if index < len(values) else {}
        cells += [value.get("label") or value.get("value", ""), _sources(value), _evidence(value)]
    cells.append(" | ".join(f"{v.get('label') or v.get('value', '')} [{_sources(v)}]" for v in values[2:]))
    return [neutralise(cell) for cell in cells]


def render_csv(conflicts: Sequence[Mapping[str, Any]]) -> str:
    """``conflicts.csv`` from conflict records (the dicts of ``conflicts.jsonl``): a byte order mark, a header,
    one row each.

    The file is for spreadsheets, and Excel reads a CSV without a byte order mark as the system's code page
    (cp1252 in the West), showing "£" as "Â£" and "officer’s" as "officerâ€™s"; with one it reads UTF-8. Python
    reads it with ``encoding="utf-8-sig"``, pandas as it is; ``conflicts.jsonl`` holds the same records for
    programs.
    """
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for conflict in conflicts:
        writer.writerow(row(conflict))
    return buffer.getvalue()


#: The reports rendered from story records (the dicts of ``stories.jsonl``), by file name.
REPORT_FILES: dict[str, Callable[[Sequence[Mapping[str, Any]]], str]] = {
    "report.html": render_html,
    "report.md": render_markdown,
}
#: The same reports in pieces, from the stories' outlines and a function giving full story ``i``'s section of that
#: report on demand (``report.html.SECTION_RENDERERS[name]`` of its story view, or the same pre-rendered).
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
