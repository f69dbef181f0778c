"""report.html: one self-contained page (inline CSS, no scripts, no network) rendered with autoescaping Jinja2."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from .views import brief, ordered, single_source, story_view, totals

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE = "report.html.j2"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The Jinja2 environment: templates from ``report/templates``, autoescape always on, undefined is an error."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
    )


def render_html(stories: Sequence[Mapping[str, Any]]) -> str:
    """``report.html`` from story records (the dicts of ``stories.jsonl``): stories with conflicts first.

    Stories told by one article with nothing contested are one row each in a closing table
    (their facts stay in ``stories.jsonl``), so a large corpus gives a report a browser can open.
    Every value taken from the records is HTML-escaped by the template engine; links
    are shown only for plain http(s) URLs; a Content-Security-Policy forbids scripts.
    """
    chosen = ordered(stories)
    return environment().get_template(TEMPLATE).render(
        stories=[story_view(s) for s in chosen if not single_source(s)],
        singles=[brief(s) for s in chosen if single_source(s)], totals=totals(chosen),
    )
