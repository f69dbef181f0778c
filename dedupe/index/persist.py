"""Writing one add's state into the index: articles and their signatures, fields, stories, and what check reads."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import xxhash

from ..candidates import lsh_params
from ..config import Config
from ..furniture import boilerplate
from ..pipeline import Result
from ..profile import salient_keys
from ..types import Article
from .cache import CachedEngine, Sketch
from .codec import article_json, content_key, dumps, fields_json, pack, profile_json
from .headstore import KIND_OF, KINDS, write_all
from .ids import Event, assign
from .store import Index


def band_keys(row: np.ndarray, config: Config) -> list[tuple[int, int]]:
    """``(band, key)`` of a MinHash row's LSH bands for the near-duplicate threshold (a signed 64-bit key each).

    Two rows share a key in a band exactly when (up to 64-bit hash collisions) their values in that band
    are equal: the banding of :func:`dedupe.candidates.lsh_params`.
    """
    bands, rows = lsh_params(config.threshold, config.num_perm)
    return [(band, xxhash.xxh3_64_intdigest(row[band * rows : (band + 1) * rows].tobytes()) - (1 << 63))
            for band in range(bands)]


def save_articles(index: Index, articles: Sequence[Article], cache: CachedEngine, batch: int,
                  config: Config) -> None:
    """Insert the new articles with their signatures, and their LSH band keys."""
    for article in articles:
        insert_article(index, article, cache.sketches[content_key(article.content)], batch, config)


def insert_article(index: Index, article: Article, sketch: Sketch, batch: int, config: Config) -> None:
    """Insert one article, its signature and (when it has shingles) its LSH band keys."""
    index.db.execute("INSERT INTO articles (id, batch, article, exact, minhash, empty, content) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)", (article.id, batch, article_json(article), sketch.exact,
                                                      sketch.row.tobytes(), sketch.empty, content_key(article.content)))
    if not sketch.empty:
        index.db.executemany("INSERT INTO bands (band, key, id) VALUES (?, ?, ?)",
                             [(band, key, article.id) for band, key in band_keys(sketch.row, config)])


def save_fields(index: Index, cache: CachedEngine) -> None:
    """Store the fields extracted in this add (one set per article: the one of its current stripped text)."""
    found = ((key, cache.fields_of(key)) for key in sorted(cache.new_fields))
    rows = ((fields.article_id, key, fields_json(fields)) for key, fields in found)
    index.db.executemany("INSERT OR REPLACE INTO fields (id, key, fields) VALUES (?, ?, ?)", rows)


def old_stories(index: Index) -> dict[str, frozenset[str]]:
    """The members of each story before this add."""
    members: dict[str, set[str]] = {}
    for article_id, story in index.db.execute("SELECT id, story FROM members"):
        members.setdefault(story, set()).add(article_id)
    return {story: frozenset(ids) for story, ids in members.items()}


def save_stories(index: Index, result: Result, batch: int) -> list[Event]:
    """Replace the stories with the result's, under stable ids; record and return the merges and splits."""
    created = dict(index.db.execute("SELECT story, created FROM stories").fetchall())
    names, events, next_number = assign(old_stories(index), [frozenset(c.members) for c in result.clusters],
                                        index.meta("next_story"))
    stories = {story.cluster_id: story for story in result.extras.get("stories", [])}
    heads = result.extras.get("heads", {})
    index.db.execute("DELETE FROM stories")
    index.db.execute("DELETE FROM members")
    index.db.executemany(
        "INSERT INTO stories (story, created, cluster, record) VALUES (?, ?, ?, ?)",
        ((name, created.get(name, batch), dumps(cluster.as_dict()), pack(stories[cluster.cluster_id].as_dict()))
         for name, cluster in zip(names, result.clusters)))
    index.db.executemany("INSERT INTO members (id, story, head) VALUES (?, ?, ?)",
                         ((m, name, heads.get(m, m)) for name, cluster in zip(names, result.clusters)
                          for m in cluster.members))
    index.db.executemany("INSERT INTO events (batch, kind, story, others) VALUES (?, ?, ?, ?)",
                         [(batch, e.kind, e.story, dumps(list(e.others))) for e in events])
    index.set_meta(next_story=next_number)
    return events


def save_derived(index: Index, result: Result, config: Config) -> None:
    """Replace what ``check`` reads: profiles, salient-key postings, document frequencies, page furniture."""
    for table in ("profiles", "heads", "postings", "frequencies", "furniture"):
        index.db.execute(f"DELETE FROM {table}")
    profiles = result.extras.get("profiles") or {}
    index.db.executemany("INSERT INTO profiles (id, profile) VALUES (?, ?)",
                         ((pid, profile_json(p)) for pid, p in sorted(profiles.items())))
    index.db.executemany("INSERT INTO postings (key, id) VALUES (?, ?)",
                         ((key, pid) for pid, p in sorted(profiles.items())
                          for key in salient_keys(p, config.block_keys)))
    counts: Counter[tuple[str, str]] = Counter()
    for profile in profiles.values():
        counts.update(("t", term) for term in profile.terms)
        counts.update(("n", name) for name in profile.names)
        counts.update(("c", count) for count in profile.numbers)
    ordered = sorted(counts.items())  # each term's column is its place in this order, from 1
    index.db.executemany("INSERT INTO frequencies (col, kind, term, n) VALUES (?, ?, ?, ?)",
                         ((col, kind, term, n) for col, ((kind, term), n) in enumerate(ordered, start=1)))
    columns: dict[str, dict[str, int]] = {kind: {} for kind, _ in KINDS}
    for col, ((letter, term), _) in enumerate(ordered, start=1):
        columns[KIND_OF[letter]][term] = col
    write_all(index, (p for _, p in sorted(profiles.items())), columns)
    by_id = result.by_id()
    furniture = boilerplate([by_id[pid] for pid in sorted(profiles)]) if profiles else frozenset()
    index.db.executemany("INSERT INTO furniture (paragraph) VALUES (?)", [(p,) for p in sorted(furniture)])
    index.set_meta(documents=len(profiles))
