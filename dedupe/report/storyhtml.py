"""One story's ``<article>`` of report.html built as strings: ``story.html.j2``'s output, byte for byte, at less cost."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def escape(value: Any) -> str:
    """``value`` as the template's autoescaping prints it (``markupsafe.escape``): ``&<>'"`` as entities, other
    values by ``str`` first (``None`` is ``"None"``), a value with ``__html__`` as that gives it."""
    if type(value) is not str:
        if hasattr(value, "__html__"):
            return value.__html__()
        value = str(value)
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    if "'" in value:
        value = value.replace("'", "&#39;")
    if '"' in value:
        value = value.replace('"', "&#34;")
    return value


def story_html(story: Mapping[str, Any]) -> str:
    """``html.html_section`` of a story view (see :func:`~dedupe.report.views.story_view`) whose records have
    every key ``Story.as_dict()`` gives (the template would fail on a missing one; here it is a ``KeyError``)."""
    parts: list[str] = []
    put = parts.append
    sources = story["sources"]
    put(f'\n<article class="story{" has-conflicts" if story["conflicts"] else ""}" id="{escape(story["story_id"])}">'
        f'\n  <h2>{escape(story["headline"])}</h2>'
        f'\n  <p class="meta">Story <code>{escape(story["story_id"])}</code> &middot; {len(sources)} '
        f'source{"s" if len(sources) != 1 else ""}'
        f'\n    &middot; representative: article <code>{escape(story["representative"])}</code>'
        f'\n    <span title="{escape(story["representative_rule"])}">(chosen as '
        f'{escape(story["representative_rule"])})</span></p>\n\n  <h3>Conflicts</h3>')
    for conflict in story["conflicts"]:
        _contested(put, conflict, escape(conflict["severity"]))
    if not story["conflicts"]:
        put('<p class="none">No conflicts found between the sources.</p>')
    if story["updates"]:
        put("\n  <h3>Updates over time</h3>")
        for update in story["updates"]:
            _contested(put, update, "update")
    put("\n\n  <h3>Sources</h3>\n  <table>\n    <thead><tr><th>Article</th><th>Outlet</th><th>Published</th>"
        "<th>Title</th><th>Link</th></tr></thead>\n    <tbody>")
    for source in sources:
        _source_row(put, source)
    put("\n    </tbody>\n  </table>\n\n  <h3>Facts</h3>")
    if story["facts"]:
        put("\n  <table>\n    <thead><tr><th>Kind</th><th>About</th><th>Value</th><th>Sources</th><th>Evidence</th>"
            "</tr></thead>\n    <tbody>")
        for fact in story["facts"]:
            _fact_row(put, fact)
        put("\n    </tbody>\n  </table>")
    else:
        put("\n  <p>No facts were extracted.</p>")
    put("\n</article>")
    return "".join(parts)


def _contested(put: Any, item: Mapping[str, Any], css: str) -> None:
    """The template's ``contested`` macro: one conflict or update, its values side by side."""
    severity = f" &middot; {escape(item['severity'])}" if item["severity"] in ("hard", "soft") else ""
    put(f'<section class="conflict {css}">\n  <h4><span class="badge {css}">{escape(item["kind_name"])}{severity}'
        f'</span>\n    {escape(item["field_name"])}</h4>\n  <p class="explanation">{escape(item["explanation"])}</p>'
        '\n  <div class="sides">')
    for value in item["values"]:
        put(f'\n    <div class="side">\n      <p class="value">{escape(value["label"])}</p>')
        for source in value["sources"]:
            _evidence(put, source["segments"], source)
        put("\n    </div>")
    put("\n  </div>\n</section>")


def _evidence(put: Any, segments: Sequence[tuple[str, bool]], source: Mapping[str, Any]) -> None:
    """The template's ``evidence`` macro: the sentence with the differing words marked, then who said it."""
    put('<blockquote class="evidence">')
    put("".join(f"<mark>{escape(text)}</mark>" if marked else escape(text) for text, marked in segments))
    put(f'</blockquote>\n<p class="cite">{escape(source["outlet"] or "unknown outlet")} &middot; '
        f'{escape(source["day"])} &middot; article <code>{escape(source["id"])}</code></p>')


def _source_row(put: Any, source: Mapping[str, Any]) -> None:
    """One row of the sources table."""
    copy = f" (copy of <code>{escape(source['copy_of'])}</code>)" if source["copy_of"] else ""
    if source["link"]:
        link = f'<a href="{escape(source["link"])}" rel="noopener noreferrer nofollow">open</a>'
    else:
        link = escape(source["url"]) if source["url"] else ""
    put(f"\n      <tr><td><code>{escape(source['id'])}</code>{copy}</td>\n        <td>"
        f"{escape(source['outlet'] or 'unknown')}</td><td>{escape(source['day'])}</td>"
        f"<td>{escape(source['title'] or '')}</td>\n        <td>{link}</td></tr>")


def _fact_row(put: Any, fact: Mapping[str, Any]) -> None:
    """One row of the facts table, its evidence sentences folded."""
    subject = f" &middot; {escape(fact['subject'])}" if fact["subject"] else ""
    badge = ('<span class="badge single">single source</span>' if fact["single_source"] else
             f'<span class="badge corroborated">{escape(fact["corroboration"])} reports</span>')
    count = len(fact["sources"])
    said = "".join(f"<p><code>{escape(s['id'])}</code>: {escape(s['sentence'] or s['text'])}</p>"
                   for s in fact["sources"])
    put(f"\n      <tr><td>{escape(fact['kind'])}</td><td>{escape(fact['about'])}{subject}</td>"
        f'\n        <td class="value">{escape(fact["value"])}</td>\n        <td>{badge}</td>'
        f'\n        <td><details><summary>{count} sentence{"s" if count != 1 else ""}</summary>{said}'
        "\n        </details></td></tr>")
