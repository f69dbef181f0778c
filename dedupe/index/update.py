"""Adding articles to an index: the batch pipeline over everything, per-article work from the cache, one transaction.

``add`` stores the new articles with their signatures, then runs :func:`dedupe.pipeline.run` on every stored
article through a :class:`~dedupe.index.cache.CachedEngine`, so only the new (or newly stripped) articles are
extracted, and the clusters are exactly those of ``dedupe run`` on the whole corpus. The corpus-level
stages (boilerplate, TF-IDF, blocking, scoring, linkage, merging) are run again in full: each new article
changes the document frequencies every score reads, so no smaller recomputation gives the batch answer.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np

from ..config import Config
from ..engine import Engine, LocalEngine
from ..errors import DuplicateIdError
from ..pipeline import Progress, prepare, run
from ..profile import TERMS_VERSION
from ..signatures import _sketch
from ..types import Article
from .cache import CachedEngine, Sketch
from .codec import article_from, article_key
from .ids import Event
from .persist import (
    clear_derived,
    keep_fields,
    save_articles,
    save_derived,
    save_fields,
    save_profiles,
    save_stories,
    start_fields,
)
from .store import Index, lookup


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
    return {article.id: article for article in each_stored(index)}


class StoredArticles:
    """The stored articles, each read by id when asked for (what :func:`split_new` asks of an index)."""

    def __init__(self, index: Index) -> None:
        self.index = index

    def get(self, article_id: str) -> Article | None:
        """The stored article with this id, or None."""
        row = self.index.db.execute("SELECT article FROM articles WHERE id = ?", (article_id,)).fetchone()
        return None if row is None else article_from(row[0])


def each_stored(index: Index) -> Iterator[Article]:
    """Every stored article, read one at a time (a run spools each text as it reads it)."""
    for (text,) in index.db.execute("SELECT article FROM articles"):
        yield article_from(text)


def split_new(stored: Mapping[str, Article] | StoredArticles, articles: Iterable[Article]) -> tuple[list[Article], int]:
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


def sketches(articles: Sequence[Article], config: Config, engine: Engine) -> Iterator[Sketch]:
    """The signature pieces of each article's content, in order (sketched by ``engine``, a chunk at a time)."""
    sketch = partial(_sketch, size=config.shingle_size, num_perm=config.num_perm, seed=config.seed)
    for exact, rows, empty in engine.map_chunks(sketch, [a.content for a in articles]):
        yield from (Sketch(exact[16 * k : 16 * k + 16], rows[k], bool(empty[k])) for k in range(len(rows)))


def stored_sketches(index: Index) -> dict[bytes, Sketch]:
    """Every stored signature, by the digest of the text signed."""
    return {
        bytes(content): Sketch(bytes(exact), np.frombuffer(minhash, dtype=np.uint32), bool(empty))
        for content, exact, minhash, empty in index.db.execute("SELECT content, exact, minhash, empty FROM articles")
    }


def stored_fields(index: Index, ids: Sequence[str]) -> dict[str, tuple[str, bytes]]:
    """The stored ``(key, packed fields)`` of those of ``ids`` that have fields."""
    return {i: (key, blob) for i, key, blob in lookup(index, "SELECT id, key, fields FROM fields WHERE id IN ({})",
                                                       ids)}


def cached_engine(index: Index, inner: Engine) -> CachedEngine:
    """A caching engine reading the stored signatures and fields of ``index``, and collecting the fields it
    extracts in a temporary table there (see :func:`persist.save_fields`)."""
    start_fields(index)
    return CachedEngine(inner, partial(stored_sketches, index), partial(stored_fields, index),
                        partial(keep_fields, index))


def next_batch(index: Index) -> int:
    """The number of the batch being added."""
    return int(index.db.execute("SELECT COALESCE(MAX(batch), 0) + 1 FROM batches").fetchone()[0])


def add(index: Index, articles: Iterable[Article], progress: Progress | None = None,
        engine: Engine | None = None, *, refresh: bool = False) -> AddReport:
    """Add the articles to the index in one transaction; articles already present change nothing.

    The result is the one ``dedupe run`` gives on every article the index then holds; story ids are
    mapped from the previous state by :func:`dedupe.index.ids.assign`. ``refresh`` recomputes even
    when nothing is new (after ``add --fast``).

    Nothing is held for the whole add: the new articles are signed and stored first (pass them through
    :func:`dedupe.articlespool.drained` to let each go then), the run reads every article back from the index
    without details (texts, fields and stories spooled, as ``dedupe run`` does), the profiles are stored as
    soon as they are built, and the fields as they are extracted.
    """
    start = time.perf_counter()
    with index.writing():
        new, skipped = split_new(StoredArticles(index), articles)
        if not new and not (refresh and index.count("articles")):
            return AddReport(0, (), skipped, (), index.count("stories"), round(time.perf_counter() - start, 3))
        config = index.config
        inner = engine or LocalEngine(config.workers)
        batch = next_batch(index)
        if new:
            prepare(new)  # a repeated new id is a DuplicateIdError before anything is written
        save_articles(index, new, sketches(new, config, inner), batch, config)
        added = sorted(a.id for a in new)
        del new
        cache = cached_engine(index, inner)
        clear_derived(index)
        result = run(each_stored(index), config, progress, engine=cache, details=False,
                     on_profiles=partial(save_profiles, index, config=config))
        del cache
        save_fields(index)
        events = save_stories(index, result, batch)
        save_derived(index, result, config, inner)
        seconds = round(time.perf_counter() - start, 3)
        index.db.execute("INSERT INTO batches (batch, added, skipped, seconds) VALUES (?, ?, ?, ?)",
                         (batch, len(added), skipped, seconds))
        index.set_meta(generation=index.meta("generation") + 1, summary=result.summary, exact=True,
                       placed=0, terms=TERMS_VERSION)
    return AddReport(batch, tuple(added), skipped, tuple(events), len(result.clusters), seconds)
