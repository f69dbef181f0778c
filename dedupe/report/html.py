"""report.html, one self-contained page rendered with autoescaping Jinja2, and each full story's report sections.

The page has inline CSS, no scripts and no network; a story's sections (report.html's ``<article>``, report.md's
lines) are rendered once from its record, by the merge workers or as the report reaches it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from .markdown import closed_directions, markdown_section
from .views import (
    Outline,
    counted,
    kept,
    ordered,
    outline,
    shown_value,
    single_source,
    split_singles,
    story_view,
    totals,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE = "report.html.j2"


class _RecordEnvironment(jinja2.Environment):
    """A Jinja2 environment whose ``x.name`` reads a dict's key first.

    The template reads story records (plain dicts): Jinja2's default ``getattr`` first asks
    the dict for an attribute and pays for the ``AttributeError`` on every field read.
    A key takes precedence over a dict method of the same name, so the template never
    writes ``x.values`` for a method (it writes ``x["values"]`` for the key either way).
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``obj[attribute]`` for a dict holding that key, else Jinja2's own lookup."""
        if type(obj) is dict:
            found = obj.get(attribute, _MISSING)
            if found is not _MISSING:
                return found
        return super().getattr(obj, attribute)


_MISSING = object()


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The Jinja2 environment: templates from ``report/templates``, autoescape always on, undefined is an error."""
    env = _RecordEnvironment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
        finalize=_closed,
    )
    env.globals["fact_rows"] = fact_rows
    env.globals["counted"] = counted
    env.globals["shown_value"] = shown_value
    return env


def _closed(value: Any) -> Any:
    """What the template writes for ``{{ value }}``, before escaping: a string with its direction controls closed
    (:func:`~dedupe.report.markdown.closed_directions`), anything else as it is."""
    return closed_directions(value) if type(value) is str else value


_SINGLE = '<span class="badge single">single source</span>'


def escaped_text(value: Any) -> str:
    """``escape(value)`` (what the template writes for ``{{ value }}``) as text: a string's five characters replaced
    as markupsafe's own pure-Python escape replaces them, without a Markup object (~4 times faster)."""
    if type(value) is not str:
        return escape(value)
    value = closed_directions(value)
    return (value.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace("'", "&#39;")
            .replace('"', "&#34;"))


_once = kept(escaped_text)  # ids, sentences and abouts recur from fact to fact


def fact_rows(facts: Iterable[Mapping[str, Any]]) -> Markup:
    """The rows of a story's facts table in ``story.html.j2``, each value escaped as the template escapes it.

    The rows were a loop of the template (tests/test_fact_rows.py keeps it and checks these rows are its bytes):
    95% of a section's time, one Jinja2 lookup and escape per value. Here each article id, evidence sentence and
    about is escaped once while it recurs (:func:`~dedupe.report.views.kept`). A fact or source without one of
    the keys raises KeyError (the loop raised ``jinja2.UndefinedError``); story records hold them all.
    """
    once, rows = _once, []  # a local name: looked up once a value
    for fact in facts:
        sources, subject = fact["sources"], fact["subject"]
        badge = _SINGLE if fact["single_source"] else \
            f'<span class="badge corroborated">{escaped_text(fact["corroboration"])} reports</span>'
        cited = "".join([f"<p><code>{once(s['id'])}</code>: {once(s['sentence'] or s['text'])}</p>" for s in sources])
        rows.append(f'\n      <tr><td>{escaped_text(fact["kind"])}</td><td>{once(fact["about"])}'
                    f'{f" &middot; {once(subject)}" if subject else ""}</td>\n'
                    f'        <td class="value">{escaped_text(shown_value(fact))}</td>\n        <td>{badge}</td>\n'
                    f'        <td><details><summary>{len(sources)} sentence{"" if len(sources) == 1 else "s"}</summary>'
                    f'{cited}\n        </details></td></tr>')
    return Markup("".join(rows))


SECTION_TEMPLATE = "story.html.j2"

#: A story's pre-rendered report section by its index among the outlines (see :func:`story_sections`).
Section = Callable[[int], str]


def html_section(view: Mapping[str, Any]) -> str:
    """One full story's ``<article>`` of ``report.html`` (with the newline before it), from its
    :func:`~dedupe.report.views.story_view`; the report joins these in its order."""
    return environment().get_template(SECTION_TEMPLATE).render(story=view)


def render_html(stories: Sequence[Mapping[str, Any]]) -> str:
    """``report.html`` from story records (the dicts of ``stories.jsonl``): stories with conflicts first.

    Stories told by one article with nothing contested are one row each in a closing table
    (their facts stay in ``stories.jsonl``), so a large corpus gives a report a browser can open.
    Every value taken from the records is HTML-escaped by the template engine; links
    are shown only for plain http(s) URLs; a Content-Security-Policy forbids scripts.
    """
    return "".join(html_chunks([outline(s) for s in stories], lambda i: html_section(story_view(stories[i]))))


def html_chunks(outlines: Sequence[Outline], section: Section) -> Iterator[str]:
    """:func:`render_html` in pieces, from the stories' outlines and each full story's :func:`html_section`
    (asked for once, as the report reaches it)."""
    full, singles = split_singles(outlines, ordered(outlines))
    nav = [{"story_id": outlines[i].story_id, "headline": outlines[i].headline, "conflicts": outlines[i].conflicts}
           for i in full]
    yield from environment().get_template(TEMPLATE).generate(
        nav=nav, sections=(Markup(section(i)) for i in full), singles=singles, totals=totals(outlines),
    )


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
