"""Adding articles to an index: the batch pipeline over everything, per-article work from the cache, one transaction.

``add`` runs :func:`dedupe.pipeline.run` on the stored articles plus the new ones through a
:class:`~dedupe.index.cache.CachedEngine`, so only the new (or newly stripped) articles are signed and
extracted, and the clusters are exactly those of ``dedupe run`` on the whole corpus. The corpus-level
stages (boilerplate, TF-IDF, blocking, scoring, linkage, merging) are run again in full: each new article
changes the document frequencies every score reads, so no smaller recomputation gives the batch answer.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from ..engine import Engine, LocalEngine
from ..errors import DuplicateIdError
from ..pipeline import Progress, run
from ..types import Article
from .cache import CachedEngine, Sketch
from .codec import article_from, article_key
from .ids import Event
from .persist import save_articles, save_derived, save_fields, save_stories
from .store import Index


@dataclass(frozen=True)
class AddReport:
    """What one add did: the batch number (0 when nothing was new), the ids added, how many were
    already there, the merges and splits, the number of stories after, the seconds it took, and whether
    the index is left in the batch state (False after ``add --fast`` placed articles)."""

    batch: int
    added: tuple[str, ...]
    skipped: int
    events: tuple[Event, ...]
    stories: int
    seconds: float
    exact: bool = True


def stored_articles(index: Index) -> dict[str, Article]:
    """Every article in the index, by id."""
    return {row[0]: article_from(row[1]) for row in index.db.execute("SELECT id, article FROM articles")}


def split_new(stored: dict[str, Article], articles: Iterable[Article]) -> tuple[list[Article], int]:
    """The articles not yet in the index, and how many were already there (same id, same content).

    An id already stored with other content is a :class:`DuplicateIdError`: the index never replaces an article.
    """
    new, skipped = [], 0
    for article in articles:
        known = stored.get(article.id)
        if known is None:
            new.append(article)
        elif article_key(known) == article_key(article):
            skipped += 1
        else:
            raise DuplicateIdError(f"id {article.id!r} is already in the index with other content.",
                                   file=article.origin.rpartition(":")[0] or None, field="id",
                                   hint="give the changed article a new id; the index keeps the first version.")
    return new, skipped


def cached_engine(index: Index, inner: Engine) -> CachedEngine:
    """A caching engine primed with every stored signature and field set."""
    sketches = {
        bytes(content): Sketch(bytes(exact), np.frombuffer(minhash, dtype=np.uint32), bool(empty))
        for content, exact, minhash, empty in index.db.execute("SELECT content, exact, minhash, empty FROM articles")
    }
    fields: dict[str, object] = dict(index.db.execute("SELECT key, fields FROM fields").fetchall())
    return CachedEngine(inner, sketches, fields)  # type: ignore[arg-type]


def next_batch(index: Index) -> int:
    """The number of the batch being added."""
    return int(index.db.execute("SELECT COALESCE(MAX(batch), 0) + 1 FROM batches").fetchone()[0])


def add(index: Index, articles: Sequence[Article], progress: Progress | None = None,
        engine: Engine | None = None, *, refresh: bool = False) -> AddReport:
    """Add the articles to the index in one transaction; articles already present change nothing.

    The result is the one ``dedupe run`` gives on every article the index then holds; story ids are
    mapped from the previous state by :func:`dedupe.index.ids.assign`. ``refresh`` recomputes even
    when nothing is new (after ``add --fast``).
    """
    start = time.perf_counter()
    with index.writing():
        stored = stored_articles(index)
        new, skipped = split_new(stored, articles)
        if not new and not (refresh and stored):
            return AddReport(0, (), skipped, (), index.count("stories"), round(time.perf_counter() - start, 3))
        config = index.config
        cache = cached_engine(index, engine or LocalEngine(config.workers))
        result = run([*stored.values(), *new], config, progress, engine=cache)
        batch = next_batch(index)
        save_articles(index, new, cache, batch, config)
        save_fields(index, cache)
        events = save_stories(index, result, batch)
        save_derived(index, result, config)
        seconds = round(time.perf_counter() - start, 3)
        index.db.execute("INSERT INTO batches (batch, added, skipped, seconds) VALUES (?, ?, ?, ?)",
                         (batch, len(new), skipped, seconds))
        index.set_meta(generation=index.meta("generation") + 1, summary=result.summary, exact=True,
                       placed=0)
    return AddReport(batch, tuple(sorted(a.id for a in new)), skipped, tuple(events), len(result.clusters), seconds)
