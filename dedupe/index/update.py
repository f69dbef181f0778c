"""Adding articles to an index (the batch pipeline, per-article work from the cache, one transaction); reading it back.

``add`` stores the new articles with their signatures, then runs :func:`dedupe.pipeline.run` on every stored
article through a :class:`~dedupe.index.cache.CachedEngine`, so only the new (or newly stripped) articles are
extracted, and the clusters are exactly those of ``dedupe run`` on the whole corpus. The corpus-level
stages (boilerplate, TF-IDF, blocking, scoring, linkage, merging) are run again in full: each new article
changes the document frequencies every score reads, so no smaller recomputation gives the batch answer.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from ..config import Config
from ..decoding import loads
from ..engine import Engine, LocalEngine
from ..errors import DuplicateIdError
from ..output import atomic_write
from ..output import dumps as line
from ..pipeline import Progress, Result, prepare, run, summarise
from ..profile import TERMS_VERSION
from ..signatures import _sketch
from ..types import Article, Cluster, Edge
from .cache import CachedEngine, Sketch
from .codec import StoredRecord, article_from, article_key, dumps, unpack
from .persist import (
    Event,
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
    mapped from the previous state by :func:`dedupe.index.persist.assign`. ``refresh`` recomputes even
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


# Reading the index back: the last add's result (for ``dedupe index export``), story ids, and counts.
def cluster_from(text: str) -> Cluster:
    """A Cluster from its stored ``clusters.jsonl`` form (read by orjson when it can: ``add --fast`` reads every
    grown story's cluster, edges and all, to merge it again)."""
    data = loads(text)
    edges = tuple(Edge(e["a"], e["b"], e["relation"], e["score"]) for e in data["edges"])
    return Cluster(data["cluster_id"], tuple(data["members"]), data["representative"], edges)


def stored_result(index: Index) -> Result:
    """The result of the last add, as ``dedupe run`` on the same articles returns it.

    Clusters, stories and conflicts are the stored records, so ``write_outputs`` writes the same files
    (``summary.json`` carries the timings of that add). After ``add --fast`` the summary is counted from
    the stored stories.
    """
    with index.reading():
        articles = tuple(sorted(stored_articles(index).values(), key=lambda a: a.id))
        rows = index.db.execute("SELECT cluster, record FROM stories").fetchall()
        summary, exact = index.meta("summary"), is_exact(index)
    clusters = sorted((cluster_from(cluster) for cluster, _ in rows), key=lambda c: c.cluster_id)
    stories = sorted((StoredRecord(unpack(record)) for _, record in rows), key=lambda s: s["story_id"])
    conflicts = [StoredRecord(c) for story in stories for c in story["conflicts"]]
    edges = tuple(sorted((e for c in clusters for e in c.edges), key=lambda e: (e.a, e.b)))
    extras: dict[str, Any] = {"stories": stories, "conflicts": conflicts}
    if not exact:  # after `add --fast`: counts from the stored stories (edges inside clusters only)
        summary = summarise(articles, clusters, list(edges), summary.get("seconds", {}), extras)
    return Result(articles, tuple(clusters), edges, summary, extras)


def is_exact(index: Index) -> bool:
    """True unless an ``add --fast`` placed articles since the last exact add."""
    return bool(index.meta("exact", True))


def story_id_records(index: Index) -> list[dict[str, Any]]:
    """One record per story: its stable id, when it was created, its cluster and story ids, its members."""
    records = []
    for story, created, cluster in index.db.execute("SELECT story, created, cluster FROM stories ORDER BY story"):
        data = json.loads(cluster)
        records.append({"story": story, "created_batch": created, "cluster_id": data["cluster_id"],
                        "story_id": "s" + data["cluster_id"][1:], "members": data["members"]})
    return records


def write_story_ids(index: Index, path: Path) -> None:
    """``story_ids.jsonl``: the stable id of every story, beside the files ``dedupe run`` writes."""
    atomic_write(path, (line(r) + "\n" for r in story_id_records(index)))


def placed_since_exact(index: Index) -> int:
    """How many indexed articles ``add --fast`` placed since the last exact add (0 in an exact index)."""
    return int(index.meta("placed", 0))


def stats(index: Index) -> dict[str, Any]:
    """Counts of the index: articles, stories by size, batches, merges and splits, whether the state is exact
    and how many articles ``add --fast`` placed since it was, and the file size."""
    with index.reading():
        sizes = Counter(n for (n,) in index.db.execute("SELECT COUNT(*) FROM members GROUP BY story"))
        events = dict(index.db.execute("SELECT kind, COUNT(*) FROM events GROUP BY kind").fetchall())
        last = index.db.execute("SELECT batch, added, skipped, seconds FROM batches ORDER BY batch DESC").fetchone()
        data = {
            "index": str(index.path),
            "articles": index.count("articles"),
            "stories": {"total": sum(sizes.values()), "by_size": {str(k): sizes[k] for k in sorted(sizes)}},
            "batches": index.count("batches"),
            "last_batch": dict(zip(("batch", "added", "skipped", "seconds"), last)) if last else None,
            "exact": is_exact(index),
            "placed": placed_since_exact(index),
            "merges": events.get("merge", 0),
            "splits": events.get("split", 0),
            "edges": index.meta("summary").get("edges", {}),
            "config": json.loads(dumps(index.meta("config"))),
        }
    data["bytes"] = index.path.stat().st_size
    return data
