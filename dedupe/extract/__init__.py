"""Field extraction: one article in, its headline, lede, place and every fact mention out."""

from __future__ import annotations

from dataclasses import replace
from itertools import islice
from operator import attrgetter

from ..normalize import sentence_spans
from ..types import Article, Fields, Mention
from .dates import find_dates
from .entities import find_entities
from .numbers import find_numbers
from .places import main_place
from .quotes import find_quotes

__all__ = ["extract", "find_dates", "find_entities", "find_numbers", "find_quotes", "main_place", "with_quotes"]

_LEDE_SENTENCES = 2
#: Facts are read from the first this many characters of an article (about 30,000 words):
#: a page longer than that is a dump, not a news story, and would flood its story with facts.
MAX_CHARS = 200_000
#: The order of an article's mentions: by start, kind, value (``attrgetter`` builds the key in C).
_order = attrgetter("start", "kind", "value")


def lede(text: str, count: int = _LEDE_SENTENCES) -> str:
    """The first ``count`` sentences of the body."""
    spans = list(islice(sentence_spans(text), count))
    return text[spans[0][0]:spans[-1][1]] if spans else ""


def extract(article: Article, quotes: bool = True) -> Fields:
    """Every field of one article; offsets in mentions refer to the body (or the title when there is none).

    Only the first ``MAX_CHARS`` characters are read. ``quotes=False`` leaves the quotations out
    (:func:`with_quotes` adds them, giving what ``extract(article)`` gives).

    Example: ``extract(seed_003).values("person")`` holds ``"Jim Nye"``; its dates
    include ``Mention(value="2018-11", about="suspended", ...)``.
    """
    body = article.content[:MAX_CHARS]
    entities = find_entities(body)
    people = [m for m in entities if m.kind == "person"]
    mentions: list[Mention] = [*entities, *find_dates(body, article.day), *find_numbers(body)]
    if quotes:
        mentions.extend(find_quotes(body, people))
    mentions.sort(key=_order)
    headline = (article.title or "").strip() or lede(body, 1)
    return Fields(
        article_id=article.id,
        headline=headline,
        lede=lede(body),
        place=main_place(body, entities),
        mentions=tuple(mentions),
    )


def with_quotes(fields: Fields, article: Article) -> Fields:
    """``extract(article)`` from ``fields = extract(article, quotes=False)``: the quotations found and sorted in.

    The mentions sorted again are the same: a quote never ties with another kind, and a stable sort keeps
    the order of the others. :func:`find_quotes` sorts the people it is given by start, and no two people
    start at one offset (each is its own run of capitalised words), so the fields' people serve as the
    entities' do.
    """
    body = article.content[:MAX_CHARS]
    people = [m for m in fields.mentions if m.kind == "person"]
    return replace(fields, mentions=tuple(sorted([*fields.mentions, *find_quotes(body, people)], key=_order)))
