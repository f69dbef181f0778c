"""Each full story's report sections (report.html's ``<article>``, report.md's lines), rendered once from its record."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .html import html_section
from .markdown import markdown_section
from .views import Outline, single_source, story_view

#: The renderer of one full story's section, by report file name, from its story view.
SECTION_RENDERERS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "report.html": html_section,
    "report.md": markdown_section,
}


def story_sections(record: Mapping[str, Any], summary: Outline) -> tuple[str, ...]:
    """The sections of one story record in the order of :data:`SECTION_RENDERERS`, or ``()`` for a single-source
    story (the reports give it one table row from its outline, no section).

    The merge workers call this as they merge, so the reports' heaviest part runs on every core and the
    writer only joins the pieces. Example: ``story_sections(story.as_dict(), story_outline(story))[0]``
    starts with ``"\\n<article class="story``.
    """
    if single_source(summary):
        return ()
    view = story_view(record)
    return tuple(render(view) for render in SECTION_RENDERERS.values())


def section_of(name: str, record: Mapping[str, Any]) -> str:
    """Report ``name``'s section of one full story record, rendered here (for stories not pre-rendered)."""
    return SECTION_RENDERERS[name](story_view(record))
