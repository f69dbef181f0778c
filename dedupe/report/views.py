"""Story records -> what the reports show: story order (from outlines), counts, evidence with differing words marked."""

from __future__ import annotations

import calendar
import difflib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any, NamedTuple

#: A piece of a sentence and whether to highlight it.
Segment = tuple[str, bool]

#: How many escaped texts a report keeps (:func:`kept`): a story's ids and sentences, and the abouts that recur.
_KEPT = 4096
_TOKEN = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*", re.UNICODE)
_KIND_NAMES = {
    "date_conflict": "Date conflict",
    "number_conflict": "Number conflict",
    "quote_discrepancy": "Quote discrepancy",
    "update": "Update over time",
}
#: What a value's label or a conflict's explanation may hold that an editor does not read at a glance (the data
#: files keep them): a month or a day without its year (``--11``, ``--07-08``), an ISO week (``2016-W26``), a
#: figure of five digits or more (``1000000000000``).
_WRITTEN_KINDS = frozenset({"date", "number"})
#: A four-digit figure: a count's label writes its separator ("more than 1,400"), a date's keeps its year.
_FOUR_DIGITS = re.compile(r"(?<![\w.,-])\d{4}(?![\w.,])")
_ISO_FORMS = re.compile(r"(?<![\w-])--(\d\d)(?:-(\d\d))?(?![\w-])|(?<![\w-])(\d{4})-W(\d\d)(?![\w-])"
                        r"|(?<![\w.,-])(\d{5,})(?![\w.,])")


class Outline(NamedTuple):
    """What ordering the stories, the totals and the single-source table read of one story: small, so a
    report can hold one per story and build each full record only when it renders that story.

    Example: ``Outline("s1", "Fire at the docks", 1, {"id": "a.jsonl:3", ...}, 12, 0, 0, 0, 0)``.
    """

    story_id: str
    headline: str
    sources: int
    first: Mapping[str, Any]
    facts: int
    hard: int
    soft: int
    conflicts: int
    updates: int


def outline(story: Mapping[str, Any]) -> Outline:
    """The outline of a story record."""
    conflicts = story.get("conflicts") or []
    sources = story.get("sources") or []
    return Outline(story.get("story_id", ""), story.get("headline", ""), len(sources), (sources or [{}])[0],
                   len(story.get("facts") or []), sum(1 for c in conflicts if c.get("severity") == "hard"),
                   sum(1 for c in conflicts if c.get("severity") == "soft"), len(conflicts),
                   len(story.get("updates") or []))


def ordered(stories: Sequence[Outline]) -> list[int]:
    """Indices of the stories, those with conflicts first (most hard conflicts, then most conflicts), then by
    size, then id."""
    return sorted(range(len(stories)), key=lambda i: (not stories[i].conflicts, -stories[i].hard,
                                                      -stories[i].conflicts, -stories[i].sources, stories[i].story_id))


def single_source(story: Outline) -> bool:
    """A story told by one article with nothing contested: the reports list it in one table row."""
    return story.sources == 1 and not story.conflicts and not story.updates


def split_singles(stories: Sequence[Outline], order: Sequence[int]) -> tuple[list[int], list[dict[str, Any]]]:
    """The indices (in ``order``) of the stories that get a full section, and the :func:`brief` rows of the
    single-source ones, in order."""
    full: list[int] = []
    singles: list[dict[str, Any]] = []
    for index in order:
        if single_source(stories[index]):
            singles.append(brief(stories[index]))
        else:
            full.append(index)
    return full, singles


def brief(story: Outline) -> dict[str, Any]:
    """One row of the single-source table: the story, its article, outlet, day and how many facts it has.

    Example: ``{"story_id": "s1", "headline": "...", "article": "a.jsonl:3", "outlet": "bbc.co.uk",
    "day": "2020-11-19", "facts": 12}``.
    """
    source = story.first
    return {"story_id": story.story_id, "headline": story.headline,
            "article": source.get("id", ""), "outlet": source.get("outlet") or "unknown",
            "day": day(source.get("published")), "facts": story.facts}


def totals(stories: Sequence[Outline]) -> dict[str, int]:
    """Counts for the report's summary line."""
    return {"stories": len(stories), "with_conflicts": sum(1 for s in stories if s.conflicts),
            "conflicts": sum(s.conflicts for s in stories), "hard": sum(s.hard for s in stories),
            "soft": sum(s.soft for s in stories), "updates": sum(s.updates for s in stories),
            "sources": sum(s.sources for s in stories)}


def counted(number: int, one: str, many: str | None = None) -> str:
    """A count and its noun, singular for one: ``counted(1, "story", "stories") == "1 story"``."""
    return f"{number} {one if number == 1 else many or one + 's'}"


def kind_name(kind: str) -> str:
    """A reader's name for a conflict kind."""
    return _KIND_NAMES.get(kind, kind.replace("_", " ").capitalize())


def field_name(field: str) -> str:
    """A reader's name for a field: ``date:suspended`` -> ``date (suspended)``."""
    kind, _, rest = field.partition(":")
    return f"{kind} ({rest.replace(':', ', ')})" if rest else kind


def day(published: str | None) -> str:
    """``YYYY-MM-DD`` of a publication date, or "date unknown"."""
    return published[:10] if published else "date unknown"


def token_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the words of ``text``."""
    return [m.span() for m in _TOKEN.finditer(text)]


def segments(text: str, marked: Iterable[tuple[int, int]]) -> list[Segment]:
    """``text`` cut into pieces, the character spans in ``marked`` flagged for highlighting."""
    flags = [False] * len(text)
    for start, end in marked:
        for i in range(max(0, start), min(len(text), end)):
            flags[i] = True
    _bridge(text, flags)
    pieces: list[Segment] = []
    for char, flag in zip(text, flags):
        if pieces and pieces[-1][1] == flag:
            pieces[-1] = (pieces[-1][0] + char, flag)
        else:
            pieces.append((char, flag))
    return pieces


def _bridge(text: str, flags: list[bool]) -> None:
    """Flag the white space between two flagged words, so "will be" shows as one highlight."""
    for i, char in enumerate(text):
        if char.isspace() and not flags[i]:
            j = i
            while j < len(text) and text[j].isspace():
                j += 1
            if i > 0 and flags[i - 1] and j < len(text) and flags[j]:
                for k in range(i, j):
                    flags[k] = True


def diff_spans(text: str, other: str) -> list[tuple[int, int]]:
    """Spans of the words of ``text`` that a word diff against ``other`` finds changed.

    Words only ``text`` has are marked; where ``other`` has words ``text`` lacks, the
    words on both sides of the gap are marked, so the place of a missing "not" shows.
    """
    spans, other_spans = token_spans(text), token_spans(other)
    words = [text[s:e].lower().replace("\u2019", "'") for s, e in spans]
    other_words = [other[s:e].lower().replace("\u2019", "'") for s, e in other_spans]
    matcher = difflib.SequenceMatcher(a=words, b=other_words, autojunk=False)
    found = []
    for op, i1, i2, _, _ in matcher.get_opcodes():
        if op in ("replace", "delete"):
            found.extend(spans[i1:i2])
        elif op == "insert":
            found.extend(spans[max(0, i1 - 1) : i1 + 1])
    return found


def stated_spans(sentence: str, stated: str) -> list[tuple[int, int]]:
    """The span where the stated words (``October 2018``) occur in the sentence, if they do."""
    if not stated.strip():
        return []
    at = sentence.lower().find(stated.strip().lower())
    return [(at, at + len(stated.strip()))] if at >= 0 else []


def conflict_view(conflict: Mapping[str, Any]) -> dict[str, Any]:
    """A conflict with each value's evidence cut into highlighted segments, ready to render.

    Quote discrepancies mark the words the other version lacks (a word diff); date
    and number conflicts mark the words that state the value.
    """
    values = list(conflict.get("values") or [])
    kind = conflict.get("kind")
    shown = _as_written if kind == "quote_discrepancy" else _figures if kind == "number_conflict" else readable
    view_values = []
    for index, value in enumerate(values):
        other = values[1 if index == 0 else 0] if len(values) > 1 else None
        other_sentence = _first_sentence(other) if other else ""
        items = []
        for source in value.get("sources") or []:
            sentence = source.get("sentence") or source.get("text") or ""
            if conflict.get("kind") == "quote_discrepancy" and other_sentence:
                marks = diff_spans(sentence, other_sentence)
            else:
                marks = stated_spans(sentence, source.get("text") or "")
            items.append({**source, "day": day(source.get("published")), "segments": segments(sentence, marks)})
        view_values.append({"label": shown(value.get("label") or value.get("value", "")), "sources": items})
    return {**conflict, "kind_name": kind_name(conflict.get("kind", "")), "field_name": field_name(
        conflict.get("field", "")), "explanation": shown(conflict.get("explanation") or ""), "values": view_values}


def readable(text: str) -> str:
    """``text`` with the ISO forms an editor does not read at a glance written out: ``--11`` as "November (year
    not given)", ``early --07-08`` as "early 8 July (year not given)", ``2016-W26`` as "the week of 27 June 2016",
    ``1000000000000`` as "1,000,000,000,000"; full dates (``2016-07-30``) and the rest as they are."""
    return _ISO_FORMS.sub(_written_out, text)


def _figures(text: str) -> str:
    """:func:`readable`, four-digit figures too ("1400" as "1,400"): a number conflict's labels and explanation."""
    return _FOUR_DIGITS.sub(lambda found: f"{int(found.group()):,}", readable(text))


def _as_written(text: str) -> str:
    """``text`` as it is: what a quote's labels and explanation show."""
    return text


def shown_value(fact: Mapping[str, Any]) -> Any:
    """A fact's value as the reports show it: a date's or a number's written out (:func:`readable`; a number's
    four digits too), others as they are (a quote or a name holding "--11" is the source's text)."""
    value, kind = fact.get("value"), fact.get("kind")
    if kind not in _WRITTEN_KINDS or not isinstance(value, str):
        return value
    return _figures(value) if kind == "number" else readable(value)


def _written_out(found: re.Match[str]) -> str:
    """One ISO form of :data:`_ISO_FORMS` as words; a month, day or week that does not exist as it was."""
    month, day, year, week, figure = found.groups()
    if figure:
        return f"{int(figure):,}"
    try:
        if year:
            monday = date.fromisocalendar(int(year), int(week), 1)
            return f"the week of {monday.day} {calendar.month_name[monday.month]} {monday.year}"
        when = date(2000, int(month), int(day or 1))  # a leap year, so 29 February is a day
    except ValueError:
        return found.group()
    named = calendar.month_name[when.month]
    return f"{when.day} {named} (year not given)" if day else f"{named} (year not given)"


def _first_sentence(value: Mapping[str, Any]) -> str:
    """The evidence sentence of a value's first source."""
    sources = value.get("sources") or [{}]
    return sources[0].get("sentence") or sources[0].get("text") or ""


def story_view(story: Mapping[str, Any]) -> dict[str, Any]:
    """A story record with its conflicts and updates prepared for rendering, facts corroborated first."""
    facts = sorted(story.get("facts") or [], key=lambda f: (f.get("single_source", True), -f.get("corroboration", 0)))
    return {
        **story,
        "sources": [{**s, "day": day(s.get("published")), "link": safe_link(s.get("url"))}
                    for s in story.get("sources") or []],
        "facts": facts,
        "conflicts": [conflict_view(c) for c in story.get("conflicts") or []],
        "updates": [conflict_view(u) for u in story.get("updates") or []],
    }


def safe_link(url: Any) -> str | None:
    """The URL when it is a plain http(s) link, else None (never a ``javascript:`` or ``data:`` link)."""
    if not isinstance(url, str):
        return None
    text = url.strip()
    return text if re.match(r"^https?://[^\s\"'<>]+$", text, re.IGNORECASE) else None


def kept(escape: Callable[[Any], str]) -> Callable[[Any], str]:
    """``escape`` with a string's answer kept for the texts seen last (up to :data:`_KEPT`, then forgotten at once):
    the reports' facts tables cite each article id and evidence sentence once a fact (a sentence states ~3.6 facts
    at 100k, an article every fact of its story) and repeat kinds and abouts from story to story; any other value
    is escaped each time."""
    known: dict[str, str] = {}

    def kept_escape(value: Any) -> str:
        if type(value) is not str:
            return escape(value)
        found = known.get(value)
        if found is None:
            if len(known) >= _KEPT:
                known.clear()
            found = known[value] = escape(value)
        return found

    return kept_escape
