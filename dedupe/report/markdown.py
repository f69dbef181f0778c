"""report.md: the editors' report as Markdown for terminals and tickets, corpus text escaped to show as text."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from .views import (
    Outline,
    Segment,
    conflict_view,
    counted,
    kept,
    ordered,
    outline,
    shown_value,
    split_singles,
    story_view,
    totals,
)

#: Characters Markdown (CommonMark, GFM) acts on anywhere in a line; backslash-escaped in corpus text (a
#: ``str.translate`` table: ~3 times faster than the regular expression's substitution on a report's short texts).
_BACKSLASHED = str.maketrans({char: "\\" + char for char in "\\`*_[]<>#|~&"})
#: What could start a block (list, heading, quote, setext line) at the start of a line.
_LEADING = re.compile(r"^(?:([-+=>])|(\d+)([.)]))")
#: Bare URLs, www. names and e-mail addresses that GFM would turn into links.
_AUTOLINK = re.compile(r"(?<=[A-Za-z0-9])(:)(?=//)|(?<=\bwww)(\.)|(@)(?=\w)", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
#: What a ``www.`` autolink needs somewhere in the text (a quick test before :data:`_AUTOLINK`'s scan).
_WWW = re.compile("www", re.IGNORECASE)


#: Unicode's explicit direction controls: embeddings and overrides (closed by U+202C), isolates (closed by U+2069).
_DIRECTION = re.compile("[\u202a-\u202e\u2066-\u2069]")
_CLOSER = {"\u202a": "\u202c", "\u202b": "\u202c", "\u202d": "\u202c", "\u202e": "\u202c", "\u2066": "\u2069",
           "\u2067": "\u2069", "\u2068": "\u2069"}


def closed_directions(text: str) -> str:
    """``text`` as is, or, when it holds a direction control, isolated (U+2068 ... U+2069) with the controls it
    leaves open closed, so that none reaches past it: an override (U+202E) in an outlet's name would otherwise show
    the rest of its line, the date and the article id, reversed ("Herald 2a elcitra · 50-30-4202" for "Herald ·
    2024-03-05 · article a2"). A closing U+2069 that closes nothing inside is dropped (it would end the isolation).
    Example: ``closed_directions("evil\u202e")`` is ``"\u2068evil\u202e\u202c\u2069"``."""
    if text.isascii() or not _DIRECTION.search(text):
        return text
    still_open: list[str] = []

    def track(match: re.Match[str]) -> str:
        control = match.group()
        if control in _CLOSER:
            still_open.append(_CLOSER[control])
        elif control == "\u202c":
            if still_open[-1:] == ["\u202c"]:
                still_open.pop()
        elif "\u2069" not in still_open:
            return ""
        else:  # closes its isolate and what was opened inside it
            while still_open.pop() != "\u2069":
                pass
        return control

    inner = _DIRECTION.sub(track, text)
    return "\u2068" + inner + "".join(reversed(still_open)) + "\u2069"


def escape(text: Any) -> str:
    """Corpus text as inert Markdown: one line, the characters Markdown or HTML act on backslash-escaped.

    Links (``[x](y)``, ``<http://...>``, bare ``http://`` and ``www.`` names), raw HTML
    (``<script>``), entities (``&lt;``), emphasis and table pipes all show as typed, and direction controls are
    closed (:func:`closed_directions`): ``escape("[a](b) <i>")`` is ``\\[a\\](b) \\<i\\>``.
    """
    if text is None:
        return ""
    flat = " ".join(str(text).split())  # split: the white space ``\s`` matches, no other
    flat = closed_directions(flat).translate(_BACKSLASHED)
    if "@" in flat or "://" in flat or ("." in flat and _WWW.search(flat)):  # what each _AUTOLINK match needs
        flat = _AUTOLINK.sub(_backslashed, flat)
    leading = _LEADING.match(flat)  # anchored at the start: one match at most
    return flat if leading is None else _escape_leading(leading) + flat[leading.end() :]


def _backslashed(match: re.Match[str]) -> str:
    """The matched text with a backslash before it."""
    return "\\" + match.group(0)


def _escape_leading(match: re.Match[str]) -> str:
    """``-`` -> ``\\-``, ``12.`` -> ``12\\.``: a line start that would open a list, heading or quote."""
    return "\\" + match.group(1) if match.group(1) else match.group(2) + "\\" + match.group(3)


def marked(pieces: Sequence[Segment]) -> str:
    """Escaped text with the highlighted pieces in bold (white space kept outside the markers)."""
    out = []
    for text, flag in pieces:
        flat = _SPACE.sub(" ", text)
        core = flat.strip()
        lead, trail = flat[: len(flat) - len(flat.lstrip())], flat[len(flat.rstrip()) :]
        if core:
            out.append(f"{lead}**{escape(core)}**{trail}" if flag else f"{lead}{escape(core)}{trail}")
        else:
            out.append(flat)
    return "".join(out).strip()


def render_markdown(stories: Sequence[Mapping[str, Any]]) -> str:
    """``report.md`` from story records (the dicts of ``stories.jsonl``): stories with conflicts first."""
    return "".join(markdown_chunks([outline(s) for s in stories], lambda i: markdown_section(story_view(stories[i]))))


def markdown_section(view: Mapping[str, Any]) -> str:
    """One full story's lines of ``report.md`` after its numbered heading (each ending in a newline), from its
    :func:`~dedupe.report.views.story_view`; the report numbers the stories as it joins these in its order."""
    return "".join(line + "\n" for line in _story_body(view))


def markdown_chunks(outlines: Sequence[Outline], section: Callable[[int], str]) -> Iterator[str]:
    """:func:`render_markdown` in pieces, from the stories' outlines and each full story's
    :func:`markdown_section` (asked for once, as the report reaches it)."""
    full, singles = split_singles(outlines, ordered(outlines))
    yield from (line + "\n" for line in _head(outlines))
    for number, index in enumerate(full, 1):
        yield f"\n## {number}. {escape(outlines[index].headline)}\n"
        yield section(index)
    yield from (line + "\n" for line in _singles(singles))


def _head(outlines: Sequence[Outline]) -> Iterator[str]:
    """The report's title, counts and how to read it."""
    count = totals(outlines)
    yield "# Story report"
    yield ""
    yield (f"{counted(count['stories'], 'story', 'stories')} from {counted(count['sources'], 'article')}; "
           f"{count['with_conflicts']} with conflicts; "
           f"{counted(count['conflicts'], 'conflict')} ({count['hard']} hard, {count['soft']} soft); "
           f"{counted(count['updates'], 'update')} over time.")
    yield ""
    yield ("Hard: the values cannot both be true. Soft: they differ but may both be right (dates a day apart, ages "
           "a year apart); a hedge that admits the other figure (\"at least 50\" and 60) is no conflict. "
           "Update: a value changed between earlier and later reports. **Bold** marks what differs.")


def _singles(rows: Sequence[Mapping[str, Any]]) -> Iterator[str]:
    """The closing table of stories told by one article with nothing contested."""
    if not rows:
        return
    yield ""
    yield "## Single-source stories"
    yield ""
    yield "Each told by one article, so there is nothing to compare; their facts are in `stories.jsonl`."
    yield ""
    yield "| Story | Headline | Article | Outlet | Published | Facts |"
    yield "|---|---|---|---|---|---|"
    for row in rows:
        yield (f"| `{_code(row['story_id'])}` | {escape(row['headline'])} | `{_code(row['article'])}` "
               f"| {escape(row['outlet'])} | {row['day']} | {row['facts']} |")


def _story_body(story: Mapping[str, Any]) -> Iterator[str]:
    """The lines of one story after its heading: conflicts, updates, sources, facts."""
    yield ""
    yield (f"Story `{_code(story.get('story_id'))}`, {counted(len(story['sources']), 'source')}; representative: "
           f"`{_code(story.get('representative'))}` (chosen as {escape(story.get('representative_rule'))}).")
    yield ""
    yield "### Conflicts"
    yield ""
    if not story["conflicts"]:
        yield "No conflicts found between the sources."
    for conflict in story["conflicts"]:
        yield from _contested(conflict)
    if story["updates"]:
        yield ""
        yield "### Updates over time"
        for update in story["updates"]:
            yield from _contested(update)
    yield ""
    yield "### Sources"
    yield ""
    yield "| Article | Outlet | Published | Title | URL |"
    yield "|---|---|---|---|---|"
    for source in story["sources"]:
        copy = f" (copy of `{_code(source.get('copy_of'))}`)" if source.get("copy_of") else ""
        yield (f"| `{_code(source.get('id'))}`{copy} | {escape(source.get('outlet') or 'unknown')} | {source['day']} "
               f"| {escape(source.get('title'))} | {escape(source.get('url'))} |")
    yield ""
    yield "### Facts"
    yield ""
    yield from _facts(story["facts"])


def _contested(item: Mapping[str, Any]) -> Iterator[str]:
    """A conflict or update: heading, explanation, and a table of values with their evidence."""
    view = item if "kind_name" in item else conflict_view(item)
    severity = f", {view['severity']}" if view.get("severity") in ("hard", "soft") else ""
    yield ""
    yield f"#### {escape(view['kind_name'])}{severity}: {escape(view['field_name'])}"
    yield ""
    yield escape(view.get("explanation"))
    yield ""
    yield "| Value | Source | Evidence |"
    yield "|---|---|---|"
    for value in view["values"]:
        for source in value["sources"]:
            yield (f"| {escape(value['label'])} | `{_code(source.get('id'))}`, "
                   f"{escape(source.get('outlet') or 'unknown outlet')}, {source['day']} | "
                   f"{marked(source['segments'])} |")


def _facts(facts: Sequence[Mapping[str, Any]]) -> Iterator[str]:
    """The facts table: kind, about, value, how many reports state it, which articles (kinds, abouts and article ids,
    which repeat from fact to fact, escaped through :func:`~dedupe.report.views.kept`)."""
    if not facts:
        yield "No facts were extracted."
        return
    yield "| Kind | About | Value | Reports | Articles |"
    yield "|---|---|---|---|---|"
    for fact in facts:
        kind, about = fact.get("kind"), " / ".join(filter(None, (fact.get("about"), fact.get("subject"))))
        reports = "single source" if fact.get("single_source") else str(fact.get("corroboration"))
        ids = ", ".join([_kept_code(s.get("id")) for s in fact.get("sources") or []])
        yield f"| {_kept(kind)} | {_kept(about)} | {escape(shown_value(fact))} | {reports} | {ids} |"


def _code(text: Any) -> str:
    """An id for an inline code span: backticks and pipes (which would end the span or the cell) removed."""
    return _SPACE.sub(" ", str(text or "")).replace("`", "'").replace("|", "/")


_kept = kept(escape)
_kept_code = kept(lambda value: f"`{_code(value)}`")  # an id as an inline code span
