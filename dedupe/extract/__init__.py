"""Field extraction: one article in, its headline, lede, place and every fact mention out."""

from __future__ import annotations

from itertools import islice

from ..normalize import sentence_spans
from ..types import Article, Fields, Mention
from .dates import find_dates
from .entities import find_entities
from .numbers import find_numbers
from .places import main_place
from .quotes import find_quotes

__all__ = ["extract", "find_dates", "find_entities", "find_numbers", "find_quotes", "main_place"]

_LEDE_SENTENCES = 2
#: Facts are read from the first this many characters of an article (about 30,000 words):
#: a page longer than that is a dump, not a news story, and would flood its story with facts.
MAX_CHARS = 200_000


def lede(text: str, count: int = _LEDE_SENTENCES) -> str:
    """The first ``count`` sentences of the body."""
    spans = list(islice(sentence_spans(text), count))
    return text[spans[0][0]:spans[-1][1]] if spans else ""


def extract(article: Article) -> Fields:
    """Every field of one article; offsets in mentions refer to the body (or the title when there is none).

    Only the first ``MAX_CHARS`` characters are read.

    Example: ``extract(seed_003).values("person")`` holds ``"Jim Nye"``; its dates
    include ``Mention(value="2018-11", about="suspended", ...)``.
    """
    body = article.content[:MAX_CHARS]
    entities = find_entities(body)
    people = [m for m in entities if m.kind == "person"]
    mentions: list[Mention] = [*entities, *find_dates(body, article.day), *find_numbers(body)]
    mentions.extend(find_quotes(body, people))
    mentions.sort(key=lambda m: (m.start, m.kind, m.value))
    headline = (article.title or "").strip() or lede(body, 1)
    return Fields(
        article_id=article.id,
        headline=headline,
        lede=lede(body),
        place=main_place(body, entities),
        mentions=tuple(mentions),
    )
