"""Page furniture: paragraphs repeated across articles, counted by a 64-bit hash of each normalised paragraph.

A run counts every paragraph of every article; holding each as a string (a ``Counter`` of them) took
hundreds of MB at 100k articles and left the heap grown once freed. Here each article's distinct paragraphs
become 64-bit hashes (xxh3 of the normalised paragraph, in the engine's workers), counted with numpy: 8 bytes
a paragraph. Two different paragraphs share a hash with probability ~2**-64 per pair (about 1e-7 for the
~2 million distinct paragraphs of 100k articles), so the furniture found is, in practice, the same as by
string; only :func:`boilerplate` (what ``dedupe index`` stores) turns the hashes back into paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import xxhash

from .engine import Engine, LocalEngine, spans_of
from .extract import MAX_CHARS
from .normalize import normalize_text, readable
from .signatures import sorted_unique
from .types import Article

#: A paragraph seen in this many articles, or twice from one outlet, is page furniture.
BOILERPLATE_MIN_ARTICLES = 5
#: Articles per unit of work when the paragraphs are hashed by an engine.
HASH_CHUNK = 256
_PARAGRAPH = re.compile(r"\n\s*\n|\n(?=\S)")
_U64 = np.uint64


def paragraphs(text: str) -> list[str]:
    """Paragraphs (blank-line or line separated), stripped, empty ones dropped."""
    return [p.strip() for p in _PARAGRAPH.split(text) if p.strip()]


def paragraph_hash(key: str) -> int:
    """The 64-bit hash of a normalised paragraph. Example: ``paragraph_hash("home | news")`` is an int < 2**64."""
    return xxhash.xxh3_64_intdigest(key.encode("utf-8", "surrogatepass"))


def distinct_keys(article: Article) -> set[str]:
    """The article's distinct normalised paragraphs (of its first ``MAX_CHARS`` characters)."""
    return {normalize_text(p) for p in paragraphs(article.text[:MAX_CHARS])}


def hashed_paragraphs(articles: Sequence[Article]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The hashes of each article's distinct paragraphs, flat (uint64, sorted per article), how many each article
    has, and whether it holds a paragraph twice (one unit of work for an engine: three arrays pickle back, no
    string)."""
    per_article, twice = [], []
    for article in articles:
        keys = [normalize_text(p) for p in paragraphs(article.text[:MAX_CHARS])]
        distinct = set(keys)
        twice.append(len(distinct) < len(keys))
        per_article.append(sorted({paragraph_hash(key) for key in distinct}))
    counts = np.array([len(hashes) for hashes in per_article], dtype=np.int64)
    flat = np.fromiter((h for hashes in per_article for h in hashes), dtype=_U64, count=int(counts.sum()))
    return flat, counts, np.array(twice, dtype=bool)


@dataclass(frozen=True)
class Furniture:
    """The hashes of the normalised paragraphs that are page furniture (see :func:`count_furniture`).

    ``key in furniture`` is true for a normalised paragraph whose hash is furniture's; empty, it is false.
    ``touched``, when known, holds the ids of the articles it was counted on that hold a furniture paragraph or one
    paragraph twice: :func:`strip_boilerplate` only joins the paragraphs of any other article again, without
    normalising them (such a Furniture is for the articles it was counted on only: see :func:`count_furniture`).
    Example: ``"home | news" in count_furniture(pages)``.
    """

    hashes: frozenset[int]
    touched: frozenset[str] | None = None

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and paragraph_hash(key) in self.hashes

    def __len__(self) -> int:
        return len(self.hashes)


def count_furniture(articles: Sequence[Article], engine: Engine | None = None, *, touched: bool = False) -> Furniture:
    """The page furniture of ``articles``: paragraphs in ``BOILERPLATE_MIN_ARTICLES`` or more of them, or in
    two or more from one outlet (navigation, "other stories" blocks), by hash.

    Exact copies are removed before a run counts, so a reprinted story is not furniture. The paragraphs are
    hashed by ``engine`` (default: here); only the first ``MAX_CHARS`` characters of a text are read. With
    ``touched``, the furniture lists the articles :func:`strip_boilerplate` must read paragraph by paragraph
    (:attr:`Furniture.touched`): strip no other article with it.
    """
    spans = spans_of(len(articles), HASH_CHUNK)
    parts = list((engine or LocalEngine()).map_chunks(hashed_paragraphs, articles, spans))
    hashes = np.concatenate([np.empty(0, _U64), *(flat for flat, _, _ in parts)])
    counts = np.concatenate([np.empty(0, np.int64), *(n for _, n, _ in parts)])
    outlets: dict[str, int] = {}
    codes = np.array([outlets.setdefault(a.outlet.lower(), len(outlets)) if a.outlet else -1 for a in articles],
                     dtype=np.int64)
    found = _repeated(hashes, counts, codes)
    if not touched:
        return Furniture(frozenset(found.tolist()))
    twice = np.concatenate([np.empty(0, bool), *(repeated for _, _, repeated in parts)])
    holders = np.repeat(np.arange(len(articles)), counts)[np.isin(hashes, found)]
    rows = np.union1d(holders, np.flatnonzero(twice))
    return Furniture(frozenset(found.tolist()), frozenset(articles[row].id for row in rows.tolist()))


def _repeated(hashes: np.ndarray, counts: np.ndarray, outlets: np.ndarray) -> np.ndarray:
    """The hashes held by ``BOILERPLATE_MIN_ARTICLES`` articles, or by two of one outlet (``outlets`` codes,
    -1 for none); ``hashes`` holds each article's distinct hashes, ``counts`` how many per article."""
    values, seen = np.unique(hashes, return_counts=True)
    found = [values[seen >= BOILERPLATE_MIN_ARTICLES]]
    owner = np.repeat(outlets, counts)
    known = owner >= 0
    if known.any():
        by_outlet, held = owner[known], hashes[known]
        order = np.lexsort((held, by_outlet))
        by_outlet, held = by_outlet[order], held[order]
        same = (by_outlet[1:] == by_outlet[:-1]) & (held[1:] == held[:-1])
        found.append(held[1:][same])
    return sorted_unique(np.concatenate(found))


def boilerplate(articles: Sequence[Article], engine: Engine | None = None) -> frozenset[str]:
    """The page furniture of ``articles`` (see :func:`count_furniture`) as normalised paragraphs, for a
    caller that keeps them (``dedupe index`` stores them): the articles are read again for the strings."""
    furniture = count_furniture(articles, engine)
    if not furniture:
        return frozenset()
    return frozenset(key for a in articles for key in distinct_keys(a) if key in furniture)


def strip_boilerplate(article: Article, furniture: Furniture | frozenset[str]) -> Article:
    """The first ``MAX_CHARS`` characters of the article, less furniture and repeated paragraphs, its title and
    text misread as Latin-1 or cp1252 decoded again (:func:`~dedupe.normalize.readable`).

    ``furniture`` is a :class:`Furniture` or a set of normalised paragraphs. That is all extraction and
    profiles read, so a huge text costs no more than a long one; the article itself (what is stored and
    written out, its signatures and keys) keeps the text as read. An article a furniture counted with ``touched``
    does not list holds neither furniture nor a paragraph twice: its paragraphs are joined again, none normalised
    (the same text, without normalising and hashing each paragraph a second time: ~90 µs an article).
    """
    if not furniture and "\n" not in article.text:
        return _readable(article, article.text)
    if isinstance(furniture, Furniture) and furniture.touched is not None and article.id not in furniture.touched:
        return _readable(article, "\n\n".join(paragraphs(article.text[:MAX_CHARS])))  # each kept: none is furniture
    kept, seen = [], set()
    for paragraph in paragraphs(article.text[:MAX_CHARS]):
        key = normalize_text(paragraph)
        if key in furniture or key in seen:
            continue
        seen.add(key)
        kept.append(paragraph)
    return _readable(article, "\n\n".join(kept))


def _readable(article: Article, text: str) -> Article:
    """``article`` with ``text`` and its title decoded again where misread (itself when nothing changes)."""
    title = article.title and readable(article.title)
    text = readable(text)
    return article if title == article.title and text == article.text else replace(article, title=title, text=text)
