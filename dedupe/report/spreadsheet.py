"""conflicts.csv: one row per conflict, every cell that a spreadsheet could run as a formula neutralised."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

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
    """``conflicts.csv`` from conflict records (the dicts of ``conflicts.jsonl``): a header, one row each."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for conflict in conflicts:
        writer.writerow(row(conflict))
    return buffer.getvalue()
