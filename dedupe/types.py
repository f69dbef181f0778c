"""The shapes that move between pipeline stages, as frozen dataclasses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .urldates import url_day

#: Edge relations, strongest first. ``exact`` and ``near_duplicate`` join copies;
#: ``same_story`` joins rewrites found by comparing extracted fields.
RELATIONS: tuple[str, ...] = ("exact", "near_duplicate", "same_story")


@dataclass(frozen=True)
class Article:
    """One input record after loading.

    Example: ``Article(id="002", text="On 5 November, PC J ...", title=None,
    published="2020-11-21", origin="fixtures/seeds/002.txt:1")``.
    ``published`` is an ISO 8601 date or datetime; ``origin`` says where it was read
    (``FILE:LINE``); ``record`` keeps the record as read, for outputs that echo it.
    """

    id: str
    text: str
    title: str | None = None
    source: str | None = None
    published: str | None = None
    url: str | None = None
    origin: str = ""
    record: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def content(self) -> str:
        """The text to compare: the body, or the title for headline-only records."""
        return self.text if self.text.strip() else (self.title or "")

    @property
    def outlet(self) -> str:
        """Who published it: the ``source`` field, else the URL's host without ``www.``, else ""."""
        if self.source and self.source.strip():
            return self.source.strip()
        host = urlsplit(self.url or "").hostname or ""
        return host.removeprefix("www.")

    @property
    def day(self) -> str | None:
        """The publication date as ``YYYY-MM-DD``: ``published``'s, else the day the URL's path spells
        out (``/2014/jul/17/``, see :func:`dedupe.urldates.url_day`), else None."""
        return self.published[:10] if self.published else url_day(self.url)


@dataclass(frozen=True, slots=True)
class Edge:
    """A scored, typed link between two articles; ``a < b`` always.

    Example: ``Edge(a="002", b="003", relation="same_story", score=0.71)``.
    """

    a: str
    b: str
    relation: str
    score: float

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape used in ``clusters.jsonl``."""
        return {"a": self.a, "b": self.b, "relation": self.relation, "score": round(self.score, 4)}


@dataclass(frozen=True)
class Cluster:
    """A group of articles telling one story; every article is in exactly one.

    Example: ``Cluster(cluster_id="c-3f2a...", members=("002", "003"),
    representative="002", edges=(Edge(...),))``. Members are sorted; the id is a hash
    of the members, so it does not depend on input order.
    """

    cluster_id: str
    members: tuple[str, ...]
    representative: str
    edges: tuple[Edge, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of one ``clusters.jsonl`` line."""
        return {
            "cluster_id": self.cluster_id,
            "members": list(self.members),
            "representative": self.representative,
            "edges": [edge.as_dict() for edge in self.edges],
        }


@dataclass(frozen=True, slots=True)
class Mention:
    """One fact as one article states it.

    ``kind`` is ``date``, ``number``, ``person``, ``organisation``, ``place`` or
    ``quote``. ``value`` is normalised: ``2018-10`` (a date at the granularity the
    text gives), ``22`` (a number), ``Jim Nye`` (a name), the quoted words.
    ``about`` says what it is about: the event a date belongs to (``suspended``), the
    thing a number counts (``women``, ``killed``, ``age``). ``subject`` is the entity it
    belongs to: the speaker of a quote, the person whose age it is. ``qualifier``
    carries hedges such as ``at least``. ``sentence`` is the sentence it came from and
    ``start`` the character offset of ``text`` in the article's text.

    Example: ``Mention(kind="date", value="2018-10", text="October 2018",
    about="suspended", sentence="The officer was suspended ... in October 2018, ...")``.
    """

    kind: str
    value: str
    text: str
    sentence: str = ""
    about: str = ""
    subject: str = ""
    qualifier: str = ""
    start: int = -1


@dataclass(frozen=True)
class Fields:
    """Everything extracted from one article, ready to compare and merge.

    ``headline`` is the title (or the first sentence when there is none), ``lede``
    the opening sentences, ``place`` the dateline or the main place, ``mentions``
    every fact found, in text order.
    """

    article_id: str
    headline: str = ""
    lede: str = ""
    place: str = ""
    mentions: tuple[Mention, ...] = ()

    def of(self, kind: str) -> tuple[Mention, ...]:
        """The mentions of one kind, in text order."""
        return tuple(m for m in self.mentions if m.kind == kind)

    def values(self, kind: str) -> frozenset[str]:
        """The distinct normalised values of one kind."""
        return frozenset(m.value for m in self.mentions if m.kind == kind)


@dataclass(frozen=True, slots=True)
class Evidence:
    """One source stating a fact: where it said it and in which words.

    Example: ``Evidence(article_id="003", outlet="bbc.co.uk", published="2020-11-19",
    value="2018-11", text="November 2018", sentence="The officer was first suspended in
    November 2018.", about="suspended")``.
    """

    article_id: str
    outlet: str
    published: str | None
    value: str
    text: str
    sentence: str
    about: str = ""
    subject: str = ""
    qualifier: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of one source of a fact or of a conflicting value."""
        return {
            "id": self.article_id,
            "outlet": self.outlet,
            "published": self.published,
            "value": self.value,
            "qualifier": self.qualifier,
            "about": self.about,
            "subject": self.subject,
            "text": self.text,
            "sentence": self.sentence,
        }


@dataclass(frozen=True, slots=True)
class Fact:
    """One merged fact of a story, with every source that states it.

    ``corroboration`` counts independent reports (copies of one article count once);
    ``single_source`` is true when only one report states it. Example:
    ``Fact(kind="date", about="appeared / hearing", subject="", value="2020-11-05",
    evidence=(Evidence(...), Evidence(...)), corroboration=2)``.
    """

    kind: str
    about: str
    subject: str
    value: str
    evidence: tuple[Evidence, ...]
    corroboration: int

    @property
    def single_source(self) -> bool:
        """True when one independent report states this fact."""
        return self.corroboration < 2

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of one fact in ``stories.jsonl``."""
        return {
            "kind": self.kind,
            "about": self.about,
            "subject": self.subject,
            "value": self.value,
            "corroboration": self.corroboration,
            "single_source": self.single_source,
            "sources": [e.as_dict() for e in self.evidence],
        }


@dataclass(frozen=True, slots=True)
class ConflictValue:
    """One of the competing values of a conflict, with the sources that give it.

    Example: ``ConflictValue(value="22", label="at least 22", evidence=(Evidence(...),))``.
    """

    value: str
    label: str
    evidence: tuple[Evidence, ...]

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of one competing value."""
        return {"value": self.value, "label": self.label, "sources": [e.as_dict() for e in self.evidence]}


@dataclass(frozen=True)
class Conflict:
    """Sources of one story giving incompatible values for one fact, or an update over time.

    ``kind`` is ``date_conflict``, ``number_conflict``, ``quote_discrepancy`` or ``update``;
    ``severity`` is ``hard`` or ``soft`` (``none`` for updates); ``field`` names the fact
    (``date:suspended``, ``number:killed``, ``number:age:Jo Reid``, ``quote:Jim Nye``).
    Example: ``Conflict(conflict_id="x1a2...", story_id="s3f...", field="date:suspended",
    kind="date_conflict", severity="hard", values=(ConflictValue(...), ...),
    explanation="Sources disagree on the date (suspended): 2018-10 vs 2018-11.")``.
    """

    conflict_id: str
    story_id: str
    field: str
    kind: str
    severity: str
    values: tuple[ConflictValue, ...]
    explanation: str

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of one ``conflicts.jsonl`` line (and of a conflict inside a story)."""
        return {
            "conflict_id": self.conflict_id,
            "story_id": self.story_id,
            "field": self.field,
            "kind": self.kind,
            "severity": self.severity,
            "explanation": self.explanation,
            "values": [v.as_dict() for v in self.values],
        }


@dataclass(frozen=True, slots=True)
class Source:
    """One article of a story as a source: who published it, when, where.

    ``outlet`` is the article's ``source`` or its URL's host; ``copy_of`` names the
    article it copies (exactly or nearly), None for an independent report.
    """

    id: str
    outlet: str
    published: str | None
    url: str | None
    title: str | None = None
    copy_of: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of one source of a story."""
        return {"id": self.id, "outlet": self.outlet, "published": self.published, "url": self.url,
                "title": self.title, "copy_of": self.copy_of}


@dataclass(frozen=True)
class Story:
    """One cluster merged into a story: its sources, facts, conflicts and updates.

    ``story_id`` is a hash of the members (``s`` + the cluster id's digest);
    ``representative_rule`` says why ``representative`` was chosen. Example:
    ``Story(story_id="s3f2a...", cluster_id="c3f2a...", headline="...",
    representative="003", representative_rule="...", sources=(Source(...), ...),
    facts=(Fact(...), ...), conflicts=(Conflict(...),), updates=())``.
    """

    story_id: str
    cluster_id: str
    headline: str
    representative: str
    representative_rule: str
    sources: tuple[Source, ...]
    facts: tuple[Fact, ...]
    conflicts: tuple[Conflict, ...] = ()
    updates: tuple[Conflict, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of one ``stories.jsonl`` line."""
        return {
            "story_id": self.story_id,
            "cluster_id": self.cluster_id,
            "headline": self.headline,
            "representative": self.representative,
            "representative_rule": self.representative_rule,
            "sources": [s.as_dict() for s in self.sources],
            "counts": {
                "sources": len(self.sources),
                "independent": sum(1 for s in self.sources if s.copy_of is None),
                "facts": len(self.facts),
                "corroborated": sum(1 for f in self.facts if not f.single_source),
                "conflicts": len(self.conflicts),
                "updates": len(self.updates),
            },
            "facts": [f.as_dict() for f in self.facts],
            "conflicts": [c.as_dict() for c in self.conflicts],
            "updates": [u.as_dict() for u in self.updates],
        }
