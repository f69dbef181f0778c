"""The shapes of a merged story (facts and their evidence, conflicts, sources, the story) and of a run's result."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Self

from .errors import DedupeError
from .types import Article, Cluster, Edge


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
        return evidence_record(self.article_id, self.outlet, self.published, self.value, self.qualifier, self.about,
                               self.subject, self.text, self.sentence)


def _evidence_init() -> Callable[..., None]:
    """``Evidence.__init__``, the dataclass's signature, each field set through its slot's own setter (as
    ``types.Mention.__init__`` is): the generated one calls ``object.__setattr__`` for each of the nine fields, about
    twice the time, and a story of several reports makes one for each source of each fact. Defaults, equality,
    hashing and the refusal to assign stay the dataclass's (``tests/test_slot_inits.py``)."""
    setters = tuple(getattr(Evidence, name).__set__ for name in EVIDENCE_FIELDS)
    (set_id, set_outlet, set_published, set_value, set_text, set_sentence, set_about, set_subject,
     set_qualifier) = setters

    def __init__(self: Evidence, article_id: str, outlet: str, published: str | None, value: str, text: str,
                 sentence: str, about: str = "", subject: str = "", qualifier: str = "") -> None:
        set_id(self, article_id)
        set_outlet(self, outlet)
        set_published(self, published)
        set_value(self, value)
        set_text(self, text)
        set_sentence(self, sentence)
        set_about(self, about)
        set_subject(self, subject)
        set_qualifier(self, qualifier)

    __init__.__qualname__ = "Evidence.__init__"
    return __init__


#: The fields of :class:`Evidence` in order, as its ``__init__`` takes them.
EVIDENCE_FIELDS = ("article_id", "outlet", "published", "value", "text", "sentence", "about", "subject", "qualifier")
Evidence.__init__ = _evidence_init()  # type: ignore[method-assign]


def evidence_record(article_id: str, outlet: str, published: str | None, value: str, qualifier: str, about: str,
                    subject: str, text: str, sentence: str) -> dict[str, Any]:
    """:meth:`Evidence.as_dict` from the values (what a one-report story's record is built from, with no Evidence)."""
    return {"id": article_id, "outlet": outlet, "published": published, "value": value, "qualifier": qualifier,
            "about": about, "subject": subject, "text": text, "sentence": sentence}


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
        return fact_record(self.kind, self.about, self.subject, self.value, self.corroboration,
                           [e.as_dict() for e in self.evidence])


def fact_record(kind: str, about: str, subject: str, value: str, corroboration: int,
                sources: list[dict[str, Any]]) -> dict[str, Any]:
    """:meth:`Fact.as_dict` from the values and the sources' records."""
    return {"kind": kind, "about": about, "subject": subject, "value": value, "corroboration": corroboration,
            "single_source": corroboration < 2, "sources": sources}


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
        return story_record(self.story_id, self.cluster_id, self.headline, self.representative,
                            self.representative_rule, [s.as_dict() for s in self.sources],
                            [f.as_dict() for f in self.facts], [c.as_dict() for c in self.conflicts],
                            [u.as_dict() for u in self.updates])


def story_record(story_id: str, cluster_id: str, headline: str, representative: str, rule: str,
                 sources: list[dict[str, Any]], facts: list[dict[str, Any]], conflicts: list[dict[str, Any]],
                 updates: list[dict[str, Any]]) -> dict[str, Any]:
    """:meth:`Story.as_dict` from the values and the records of its sources, facts, conflicts and updates."""
    return {
        "story_id": story_id,
        "cluster_id": cluster_id,
        "headline": headline,
        "representative": representative,
        "representative_rule": rule,
        "sources": sources,
        "counts": {
            "sources": len(sources),
            "independent": sum(1 for s in sources if s["copy_of"] is None),
            "facts": len(facts),
            "corroborated": sum(1 for f in facts if not f["single_source"]),
            "conflicts": len(conflicts),
            "updates": len(updates),
        },
        "facts": facts,
        "conflicts": conflicts,
        "updates": updates,
    }


@dataclass
class Result:
    """Everything one run produced.

    ``articles`` are sorted by id; ``clusters`` cover every article exactly once, sorted by cluster id; ``edges``
    are all the scored links; ``summary`` holds the counts and stage timings written to ``summary.json``;
    ``extras`` holds what later stages attach (fields, stories, conflicts): :attr:`stories` and :attr:`conflicts`
    read the merged ones, typed.
    """

    articles: tuple[Article, ...]
    clusters: tuple[Cluster, ...]
    edges: tuple[Edge, ...]
    summary: dict[str, Any]
    extras: dict[str, Any] = field(default_factory=dict)

    def by_id(self) -> dict[str, Article]:
        """Articles keyed by id."""
        return {article.id: article for article in self.articles}

    @property
    def stories(self) -> Sequence[Story]:
        """The stories, one per cluster in the clusters' order (a list, or a ``StoryFile`` read back on each access
        when the run was given ``details=False``); a :class:`DedupeError` when the run skipped the merge."""
        return self._merged("stories")

    @property
    def conflicts(self) -> Sequence[Conflict]:
        """Every story's conflicts (updates over time stay in their story's ``updates``), by story then field."""
        return self._merged("conflicts")

    def close(self) -> None:
        """Delete the temporary files a run given ``details=False`` keeps (the articles' texts, the stories' lines);
        the result cannot be read after. ``with run(...) as result:`` closes it when the block ends."""
        for held in (getattr(self.articles[0], "spool", None) if self.articles else None, self.extras.get("stories")):
            if hasattr(held, "close"):
                held.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _merged(self, name: str) -> Any:
        """``extras[name]``, or an error saying the run merged no stories."""
        if name not in self.extras:
            raise DedupeError(f"this result has no {name}: the run skipped the merge.",
                              hint="call run(...) without stories=False.")
        return self.extras[name]
