"""The shapes of a merged story: facts with their evidence, conflicts, sources and the story itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


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
