"""Writing one add's state into the index as the run goes, and stable story ids: merges and splits recorded."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import xxhash

from ..candidates import lsh_params
from ..config import Config
from ..engine import Engine
from ..errors import AccountingError
from ..furniture import boilerplate
from ..pipeline import Result
from ..profile import Profile, light_profiles, salient_keys
from ..storyfile import StoryFile
from ..storytypes import Story
from ..types import Article, Cluster
from .cache import NewFields, Sketch
from .codec import (
    article_json,
    content_key,
    dumps,
    loads,
    pack_record,
    profile_json,
)
from .headstore import KIND_OF, KINDS, write_all
from .store import Index

_lsh_params = cache(lsh_params)  # ~0.1 ms a call, once per article stored


def band_keys(row: np.ndarray, config: Config) -> list[tuple[int, int]]:
    """``(band, key)`` of a MinHash row's LSH bands for the near-duplicate threshold (a signed 64-bit key each).

    Two rows share a key in a band exactly when (up to 64-bit hash collisions) their values in that band
    are equal: the banding of :func:`dedupe.candidates.lsh_params`.
    """
    bands, rows = _lsh_params(config.threshold, config.num_perm)
    return [(band, xxhash.xxh3_64_intdigest(row[band * rows : (band + 1) * rows].tobytes()) - (1 << 63))
            for band in range(bands)]


#: Rows written per ``executemany`` while streaming articles and profiles (bounds what is held at once).
ROWS = 1024


def save_articles(index: Index, articles: Sequence[Article], sketches: Iterable[Sketch], batch: int,
                  config: Config) -> None:
    """Insert the new articles (in order) with their signatures (one sketch per article, in the same order),
    and their LSH band keys, a slice of ``ROWS`` at a time."""
    sketches = iter(sketches)
    for start in range(0, len(articles), ROWS):
        part = [(a, next(sketches)) for a in articles[start : start + ROWS]]
        index.db.executemany(_INSERT_ARTICLE, [article_row(a, s, batch) for a, s in part])
        index.db.executemany("INSERT INTO bands (band, key, id) VALUES (?, ?, ?)",
                             [(band, key, a.id) for a, s in part if not s.empty
                              for band, key in band_keys(s.row, config)])


_INSERT_ARTICLE = ("INSERT INTO articles (id, batch, article, exact, minhash, empty, content) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)")


def article_row(article: Article, sketch: Sketch, batch: int) -> tuple:
    """The ``articles`` row of one article and its signature."""
    return (article.id, batch, article_json(article), sketch.exact, sketch.row.tobytes(), sketch.empty,
            content_key(article.content))


def insert_article(index: Index, article: Article, sketch: Sketch, batch: int, config: Config) -> None:
    """Insert one article, its signature and (when it has shingles) its LSH band keys."""
    index.db.execute(_INSERT_ARTICLE, article_row(article, sketch, batch))
    if not sketch.empty:
        index.db.executemany("INSERT INTO bands (band, key, id) VALUES (?, ?, ?)",
                             [(band, key, article.id) for band, key in band_keys(sketch.row, config)])


def start_fields(index: Index) -> None:
    """Open the temporary table that collects the fields extracted in this add (see :func:`keep_fields`)."""
    index.db.execute("CREATE TEMP TABLE IF NOT EXISTS new_fields (key TEXT PRIMARY KEY, id TEXT NOT NULL, "
                     "fields BLOB NOT NULL)")
    index.db.execute("DELETE FROM temp.new_fields")


def keep_fields(index: Index, rows: Sequence[NewFields]) -> None:
    """Hold some fields extracted in this add (``(id, key, packed)`` rows) until :func:`save_fields`."""
    index.db.executemany("INSERT OR IGNORE INTO temp.new_fields (id, key, fields) VALUES (?, ?, ?)", rows)


def save_fields(index: Index) -> None:
    """Store the fields extracted in this add (one set per article: the one of its current stripped text), in
    key order, and drop the temporary table."""
    index.db.execute("INSERT OR REPLACE INTO fields (id, key, fields) "
                     "SELECT id, key, fields FROM temp.new_fields ORDER BY key")
    index.db.execute("DROP TABLE temp.new_fields")


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
    heads = result.extras.get("heads", {})
    index.db.execute("DELETE FROM stories")
    index.db.execute("DELETE FROM members")
    records = story_records(result.extras.get("stories", []), result.clusters)
    index.db.executemany(
        "INSERT INTO stories (story, created, cluster, record) VALUES (?, ?, ?, ?)",
        ((name, created.get(name, batch), dumps(cluster.as_dict()), pack_record(record))
         for name, cluster, record in zip(names, result.clusters, records, strict=True)))
    index.db.executemany("INSERT INTO members (id, story, head) VALUES (?, ?, ?)",
                         ((m, name, heads.get(m, m)) for name, cluster in zip(names, result.clusters)
                          for m in cluster.members))
    index.db.executemany("INSERT INTO events (batch, kind, story, others) VALUES (?, ?, ?, ?)",
                         [(batch, e.kind, e.story, dumps(list(e.others))) for e in events])
    index.set_meta(next_story=next_number)
    return events


def story_records(stories: Sequence[Story], clusters: Sequence[Cluster]) -> Iterator[dict[str, Any]]:
    """The record of each cluster's story, in the clusters' order, read one at a time (a :class:`StoryFile`
    gives its stored lines back without rebuilding each Story)."""
    if len(stories) != len(clusters):
        raise AccountingError(f"{len(clusters)} clusters but {len(stories)} stories.",
                              hint="this is a bug in dedupe; please report it with the input.")
    for place, cluster in enumerate(clusters):
        record = loads(stories.line(place)) if isinstance(stories, StoryFile) else stories[place].as_dict()
        if record["cluster_id"] != cluster.cluster_id:  # both sorted: stories by "s" + the cluster id's tail
            raise AccountingError(f"story {record['story_id']} is not cluster {cluster.cluster_id}'s.",
                                  hint="this is a bug in dedupe; please report it with the input.")
        yield record


def clear_derived(index: Index) -> None:
    """Empty what ``check`` reads (profiles, salient-key postings, document frequencies, heads, furniture)
    before an add writes it again."""
    for table in ("profiles", "heads", "postings", "frequencies", "furniture"):
        index.db.execute(f"DELETE FROM {table}")


def save_profiles(index: Index, profiles: Mapping[str, Profile], config: Config) -> None:
    """Store the profiles with their salient-key postings, the document frequencies of their keys and their
    ``heads`` rows (after :func:`clear_derived`), building one profile's dicts at a time."""
    ids = sorted(profiles)
    counts: dict[str, Counter[str]] = {letter: Counter() for _, letter in KINDS}
    for start in range(0, len(ids), ROWS):
        part = [profiles[pid] for pid in ids[start : start + ROWS]]
        index.db.executemany("INSERT INTO profiles (id, profile) VALUES (?, ?)",
                             [(p.article_id, profile_json(p)) for p in part])
        index.db.executemany("INSERT INTO postings (key, id) VALUES (?, ?)",
                             [(key, p.article_id) for p in part for key in salient_keys(p, config.block_keys)])
        for profile in part:
            for kind, letter in KINDS:
                counts[letter].update(getattr(profile, kind).keys())  # one per profile holding the key
    ordered = [(letter, term, counts[letter][term]) for letter in sorted(counts) for term in sorted(counts[letter])]
    del counts  # each term's column is its place in this order, from 1
    index.db.executemany("INSERT INTO frequencies (col, kind, term, n) VALUES (?, ?, ?, ?)",
                         ((col, *row) for col, row in enumerate(ordered, start=1)))
    columns: dict[str, dict[str, int]] = {kind: {} for kind, _ in KINDS}
    for col, (letter, term, _) in enumerate(ordered, start=1):
        columns[KIND_OF[letter]][term] = col
    del ordered
    light = light_profiles(profiles)
    write_all(index, (light[pid] for pid in ids), columns)


def save_derived(index: Index, result: Result, config: Config, engine: Engine | None = None) -> None:
    """Store the page furniture of the heads whose profiles :func:`save_profiles` stored (found by ``engine``),
    and how many there are (the document count of the frequencies)."""
    documents = index.count("profiles")
    if documents:
        heads = sorted(set(result.extras.get("heads", {}).values()))
        by_id = result.by_id()
        furniture = boilerplate([by_id[pid] for pid in heads], engine)
        index.db.executemany("INSERT INTO furniture (paragraph) VALUES (?)", [(p,) for p in sorted(furniture)])
    index.set_meta(documents=documents)


# Stable story ids: map a new partition onto the stories the index already had, recording merges and splits.
#
# The rule (also in the README, "Incremental index"):
#
# - Story ids are ``S`` and a number (``S000042``), given in increasing order, so a smaller number is an
#   older story. They are never reused.
# - Each old story's *heir* is the new cluster holding most of its old members (ties: the cluster holding
#   its smallest old member).
# - A new cluster that is the heir of one old story keeps that story's id, whatever articles joined it:
#   adding articles never renames a story that keeps its members.
# - A new cluster that is the heir of several old stories is a **merge**: the oldest (smallest number)
#   keeps its id, the others are recorded as merged into it.
# - An old story whose members end in several new clusters is a **split**: its heir keeps the id (unless a
#   merge gives that cluster an older one), the other parts are recorded with their ids.
# - A cluster that is no old story's heir gets a fresh id; fresh ids go out in the order of the clusters'
#   smallest member ids.
@dataclass(frozen=True)
class Event:
    """One change of story identity in an add.

    ``kind`` is ``merge`` (``story`` survives, ``others`` were merged into it) or ``split`` (``story`` lost
    members to the stories ``others``). Example: ``Event("merge", "S000003", ("S000007",))``.
    """

    kind: str
    story: str
    others: tuple[str, ...]

    def describe(self) -> str:
        """One line for the log: ``merge S000003 <- S000007`` or ``split S000002 -> S000009, S000010``."""
        arrow = "<-" if self.kind == "merge" else "->"
        return f"{self.kind} {self.story} {arrow} {', '.join(self.others)}"


def story_name(number: int) -> str:
    """The id of story number ``number``: ``story_name(42) == "S000042"``."""
    return f"S{number:06d}"


def story_number(name: str) -> int:
    """The number inside a story id: ``story_number("S000042") == 42``."""
    return int(name[1:])


def _heirs(old: Mapping[str, frozenset[str]], parts: Sequence[frozenset[str]]) -> dict[str, list[int]]:
    """For each old story, the indexes of the parts holding its members, its heir first."""
    owner = {member: story for story, members in old.items() for member in members}
    holding: dict[str, list[tuple[int, str, int]]] = defaultdict(list)
    for index, part in enumerate(parts):
        counts = Counter(owner[m] for m in part if m in owner)
        for story, count in counts.items():
            smallest = min(m for m in part if owner.get(m) == story)
            holding[story].append((-count, smallest, index))
    return {story: [index for _, _, index in sorted(found)] for story, found in holding.items()}


def assign(
    old: Mapping[str, frozenset[str]], parts: Sequence[frozenset[str]], next_number: int
) -> tuple[list[str], list[Event], int]:
    """The id of each part (in order), the merges and splits, and the next fresh number.

    ``old`` maps each existing story id to its members; ``parts`` is the new partition (every old
    member is in exactly one part). Example: with ``old = {"S000001": {"a"}, "S000002": {"b"}}`` and
    ``parts = [{"a", "b", "c"}]`` the answer is ``(["S000001"], [Event("merge", "S000001",
    ("S000002",))], next_number)``.
    """
    heirs = _heirs(old, parts)
    claims: dict[int, list[str]] = defaultdict(list)
    for story, indexes in heirs.items():
        claims[indexes[0]].append(story)
    names: list[str] = [""] * len(parts)
    events: list[Event] = []
    for index in sorted(range(len(parts)), key=lambda i: min(parts[i])):
        if claims[index]:
            keep, *merged = sorted(claims[index], key=story_number)
            names[index] = keep
            if merged:
                events.append(Event("merge", keep, tuple(merged)))
        else:
            names[index] = story_name(next_number)
            next_number += 1
    for story in sorted(heirs, key=story_number):
        if len(heirs[story]) > 1:
            events.append(Event("split", story, tuple(names[i] for i in heirs[story][1:])))
    return names, events, next_number
