"""The shapes that move between pipeline stages, as frozen dataclasses, and the publication day a URL spells out."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

#: Edge relations, strongest first. ``exact`` and ``near_duplicate`` join copies;
#: ``same_story`` joins rewrites found by comparing extracted fields.
RELATIONS: tuple[str, ...] = ("exact", "near_duplicate", "same_story")


def is_blank(text: str) -> bool:
    """Whether ``text`` holds nothing but white space (``not text.strip()``, without copying a text that ends in
    some: ``isspace`` stops at the first other character)."""
    return not text or text.isspace()


_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_SEP = r"[/_.-]"
_YEAR = r"(?<![0-9])(?P<year>(?:19|20)[0-9]{2})"
#: URL path shapes that news sites use for the publication day, most explicit first:
#: ``/2014/07/17/``, ``/2012/oct/26/``, ``/2011/0401/``, ``-20140511``, ``idUSBREA470IF20140508``.
_SHAPES = (
    re.compile(_YEAR + _SEP + r"(?P<month>[01]?[0-9])" + _SEP + r"(?P<day>[0-3]?[0-9])(?![0-9])"),
    re.compile(_YEAR + _SEP + r"(?P<name>[a-z]{3})[a-z]*" + _SEP + r"(?P<day>[0-3]?[0-9])(?![0-9])", re.IGNORECASE),
    re.compile(_YEAR + r"/(?P<month>[01][0-9])(?P<day>[0-3][0-9])(?![0-9])"),
    re.compile(_YEAR + r"(?P<month>[01][0-9])(?P<day>[0-3][0-9])(?![0-9])"),
)
#: The last shape (eight digits, no separator) is also how sites number articles (BBC Sport's
#: ``/olympics/19171008``); read as a day only from this year on, when the web began.
_COMPACT_FROM = 1990


def _as_date(match: re.Match[str]) -> date | None:
    """The calendar date a shape matched, or None when it names no real day (``2014/13/45``, ``2014/abc/01``)
    or is an article number (eight digits before :data:`_COMPACT_FROM`)."""
    parts = match.groupdict()
    if match.re is _SHAPES[-1] and int(parts["year"]) < _COMPACT_FROM:
        return None
    if parts.get("name"):
        short = parts["name"][:3].lower()
        month = _MONTH_NAMES.index(short) + 1 if short in _MONTH_NAMES else 0
    else:
        month = int(parts["month"])
    try:
        return date(int(parts["year"]), month, int(parts["day"]))
    except ValueError:
        return None


@lru_cache(maxsize=8192)  # read by Article.day, which the stages ask again and again
def url_day(url: str | None) -> str | None:
    """The publication day a news URL's path spells out, as ``YYYY-MM-DD``; None when it gives none.

    Only the path is read (never the host); the first shape that names a real day wins.
    A month without a day (``/2014/02/slug``) gives None: the gap between two articles
    is counted in days.

    Example: ``url_day("http://www.theguardian.com/world/2014/jul/17/mh17")`` is ``"2014-07-17"``.
    """
    if not url:
        return None
    path = urlsplit(url.strip()).path
    for shape in _SHAPES:
        for match in shape.finditer(path):
            found = _as_date(match)
            if found is not None:
                return found.isoformat()
    return None


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

    @classmethod
    def of(cls, id: str, text: str, title: str | None, source: str | None, published: str | None, url: str | None,
           origin: str, record: Mapping[str, Any]) -> Article:
        """``Article(...)`` with every field given, made without the frozen dataclass's ``__init__``, which sets each
        field through ``object.__setattr__`` (~2 us of the ~6 us that reading spends on an article): the same
        object, its fields in the same order."""
        article = object.__new__(cls)
        vars(article).update(id=id, text=text, title=title, source=source, published=published, url=url,
                             origin=origin, record=record)
        return article

    @property
    def content(self) -> str:
        """The text to compare: the body, or the title for headline-only records."""
        return (self.title or "") if is_blank(self.text) else self.text

    @property
    def content_length(self) -> int:
        """``len(self.content)`` (a spooled article answers it without reading its text back)."""
        return len(self.content)

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
        out (``/2014/jul/17/``, see :func:`url_day`), else None."""
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

    def __reduce__(self) -> tuple[type[Mention], tuple[str, str, str, str, str, str, str, int]]:
        """Pickled as its values, read back through ``__init__`` (a slotted dataclass's default state walks
        ``dataclasses.fields`` for every mention: extraction workers send tens of thousands)."""
        return Mention, (self.kind, self.value, self.text, self.sentence, self.about, self.subject, self.qualifier,
                         self.start)


def _mention_init() -> Callable[..., None]:
    """``Mention.__init__``, the dataclass's signature, each field set through its slot's own setter.

    A frozen dataclass's generated ``__init__`` sets each field with ``object.__setattr__(self, "name", value)``,
    which looks the name up on the class every time: ~1.9 µs a mention against ~0.85 µs this way, and extraction makes
    ~57 an article (the field spool's reader as many again). Defaults, keywords, the errors of a wrong call,
    equality, hashing and the refusal to assign after construction stay the dataclass's (``tests/test_mention_init.py``
    holds them to a twin made by ``dataclasses`` alone).
    """
    set_kind, set_value, set_text, set_sentence, set_about, set_subject, set_qualifier, set_start = (
        getattr(Mention, name).__set__ for name in MENTION_FIELDS
    )

    def __init__(
        self: Mention, kind: str, value: str, text: str, sentence: str = "", about: str = "", subject: str = "",
        qualifier: str = "", start: int = -1,
    ) -> None:
        set_kind(self, kind)
        set_value(self, value)
        set_text(self, text)
        set_sentence(self, sentence)
        set_about(self, about)
        set_subject(self, subject)
        set_qualifier(self, qualifier)
        set_start(self, start)

    __init__.__qualname__ = "Mention.__init__"
    return __init__


#: The fields of :class:`Mention` in order, as its ``__init__`` takes them.
MENTION_FIELDS = ("kind", "value", "text", "sentence", "about", "subject", "qualifier", "start")
Mention.__init__ = _mention_init()  # type: ignore[method-assign]


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
