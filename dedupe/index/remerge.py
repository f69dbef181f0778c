"""Merging again the stories an ``add --fast`` grew: their inputs read at once, merged on the add's engine.

Each story that received articles is merged from scratch with :func:`~dedupe.merge.merge_cluster` (its
members, its old edges and the new links), as one story at a time did before. The stories do not depend on
one another: a story's merge reads only its own members' articles and the fields of those that head their
copy group, all written by the time the article joining it is recorded. So :func:`remerge_all` reads what
every story needs in a few queries (the stored texts, not decoded), hands the stories to the engine's workers
in chunks (decoding, merging and packing there), and writes the records in the order of the story ids, each
row as :func:`merged_row` makes it. With a pool of workers (:class:`EarlyMerges`) the stories a part of the
add grew are merged while the next parts are placed (held while the pool is busy, so that a story growing in
several parts is merged fewer times), and merged again if they grow again; the main process then reads only
what the add wrote, and each worker the stored rest on its own connection (:func:`_completed`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass

from ..engine import Engine, spans_of
from ..extract import extract
from ..graph import Adjacency, add_edges, make_clusters
from ..merge import copy_heads, merge_cluster
from ..onereport import one_report, one_report_record
from ..pipeline import paused_gc
from ..types import Article, Edge, Fields
from .codec import article_from, dumps, fields_from, pack_story
from .store import Index, lookup, lookup_in, reader
from .update import cluster_from

_CHUNK = 32  # stories merged per task


@dataclass(frozen=True)
class Grown:
    """One story to merge again: its id, its stored row (cluster text and creating batch; None for a new
    story), the articles it received, their links, and its members' stored texts (articles, and the fields
    of those heading their copy group)."""

    story: str
    row: tuple[str, int] | None
    added: tuple[str, ...]
    edges: tuple[Edge, ...]
    articles: Mapping[str, str]
    fields: Mapping[str, bytes]
    source: str | None = None  # read the rest from the index at this path, as it was before the add (_completed)


def merged_row(grown: Grown, batch: int) -> tuple[str, int, str, bytes]:
    """The ``stories`` row of a grown story merged from scratch: ``(story, created, cluster, record)``; a story
    of one report (most of those an add makes: a new article alone, or with its copies) straight to its record
    (:func:`~dedupe.onereport.one_report_record`, the same record as ``merge_cluster``'s)."""
    old = cluster_from(grown.row[0]) if grown.row else None
    members = sorted({*(old.members if old else ()), *grown.added})
    articles: dict[str, Article] = {i: article_from(t) for i, t in grown.articles.items()}
    known: dict[str, Fields] = {i: fields_from(t) for i, t in grown.fields.items()}
    graph = Adjacency(members)
    add_edges(graph, [*(old.edges if old else ()), *grown.edges])
    [cluster] = make_clusters([members], graph, lambda m: (-len(articles[m].content), articles[m].published or "~",
                                                           m))
    heads = copy_heads(cluster)
    record = one_report_record(cluster, heads, articles, known, extract) if one_report(heads) else \
        merge_cluster(cluster, articles, known, extract).as_dict()
    return grown.story, grown.row[1] if grown.row else batch, dumps(cluster.as_dict()), pack_story(record)


def _merged_rows(chunk: Sequence[tuple[Grown, int]]) -> list[tuple[str, int, str, bytes]]:
    """The rows of a chunk of grown stories (run in a worker; without cyclic collection meanwhile, which
    walked the objects the worker inherited: 0.27 of 3.95 s at 1,000 into 99k, bench/README.md, add15)."""
    with paused_gc():
        return [merged_row(_completed(grown), batch) for grown, batch in chunk]


def _completed(grown: Grown) -> Grown:
    """A grown story holding only what the add wrote (the articles it received, the fields of those heading
    their copy group; see :meth:`EarlyMerges.grew`) with the rest read from the index at ``grown.source`` on
    this process's own connection, which sees it as it was before the add (the add commits at its end, and
    changes no indexed member, story row or field before): its row and its indexed members' texts and fields.
    As it is without a source."""
    if grown.source is None:
        return grown
    db = reader(grown.source)
    found = db.execute("SELECT cluster, created FROM stories WHERE story = ?", (grown.story,)).fetchone()
    old = [m for m in cluster_from(found[0]).members if m not in grown.articles] if found else []
    texts, fields = _texts_and_fields(db, old)
    return Grown(grown.story, found, grown.added, grown.edges, {**texts, **grown.articles}, {**fields, **grown.fields})


def _texts_and_fields(db: sqlite3.Connection, ids: Sequence[str]) -> tuple[dict[str, str], dict[str, bytes]]:
    """The stored texts of the articles ``ids``, and the stored fields of those among them heading their copy
    group (the only ones a merge reads), as ``db`` sees them."""
    texts = dict(lookup_in(db, "SELECT id, article FROM articles WHERE id IN ({})", ids))
    fields = dict(lookup_in(db, "SELECT f.id, f.fields FROM fields f JOIN members m ON m.id = f.id "
                                "WHERE m.id = m.head AND f.id IN ({})", ids))
    return texts, fields


def grown_stories(index: Index, added: Mapping[str, Sequence[str]],
                  edges: Mapping[str, Sequence[Edge]], lazy: bool = False) -> list[Grown]:
    """Each story in ``added`` (story -> the articles it received; ``edges``: their links), in id order,
    with what its merge reads, read for all of them at once; ``lazy``: only what the add wrote (the texts of
    the articles received, the fields of those heading their copy group), the rest left to the worker that
    merges it (:func:`_completed`)."""
    if lazy:
        texts, fields = _texts_and_fields(index.db, [m for ids in added.values() for m in ids])
        return [Grown(story, None, tuple(added[story]), tuple(edges.get(story, ())),
                      {m: texts[m] for m in added[story]}, {m: fields[m] for m in added[story] if m in fields},
                      str(index.path)) for story in sorted(added)]
    rows = {story: (cluster, created) for story, cluster, created in lookup(
        index, "SELECT story, cluster, created FROM stories WHERE story IN ({})", list(added))}
    members = {story: sorted({*(cluster_from(rows[story][0]).members if story in rows else ()), *ids})
               for story, ids in added.items()}
    texts, fields = _texts_and_fields(index.db, [m for ids in members.values() for m in ids])
    return [Grown(story, rows.get(story), tuple(added[story]), tuple(edges.get(story, ())),
                  {m: texts[m] for m in members[story] if m in texts},
                  {m: fields[m] for m in members[story] if m in fields}) for story in sorted(added)]


#: Grown stories are handed to the pool only while fewer of its tasks than this are unfinished (the extraction's,
#: then the merges'), else held until a later part: a story merged while it still grows is merged again, and a
#: merge queued behind the extraction would wait for it anyway. Merging every part's stories at once merged ~9 of
#: ~990 stories two or three times at 1,000 into 99k, ~0.76 of ~4.4 s of the merges' CPU (bench/README.md, add23).
BACKLOG = 2


class EarlyMerges:
    """Grown stories merged on a pool of workers while the add goes on: :meth:`grew` after each part placed
    (those it grew, each read when handed to the pool, as :func:`grown_stories` reads it; held while the pool
    has ``BACKLOG`` unfinished tasks or more: ``ahead``, the tasks submitted before, and the merges); a story
    that grows again after it was handed over is merged again, from scratch. Passed to :func:`remerge_all` as
    its engine, it gives the rows merged early, merging there only what was not merged since its last article
    joined it."""

    def __init__(self, index: Index, pool: Executor, batch: int, ahead: Sequence[Future] = ()) -> None:
        self.index, self.pool, self.batch = index, pool, batch  # the pool's workers read the indexed members
        self.merged: dict[str, tuple[Future, int, int]] = {}  # story -> (its chunk, place in it, articles added)
        self.again = 0  # stories merged more than once (they grew in several parts)
        self.ahead = ahead
        self.tasks: list[Future] = []  # the merges handed to the pool, a chunk each
        self.held: set[str] = set()  # stories grown since they were last handed over, not handed over yet

    def grew(self, added: Mapping[str, Sequence[str]], edges: Mapping[str, Sequence[Edge]],
             stories: Iterable[str]) -> None:
        """Take note of ``stories`` (grown since they were last merged; ``added`` and ``edges`` as for
        :func:`remerge_all`, so far), and hand every story held so far to the pool unless it is busy."""
        self.held.update(stories)
        if self.unfinished() < BACKLOG:
            self._merge(added, edges, self.held)

    def unfinished(self) -> int:
        """How many of the pool's tasks (``ahead``, then the merges) have not finished."""
        self.tasks = [task for task in self.tasks if not task.done()]
        return sum(not task.done() for task in self.ahead) + len(self.tasks)

    def _merge(self, added: Mapping[str, Sequence[str]], edges: Mapping[str, Sequence[Edge]],
               stories: Iterable[str]) -> None:
        """Merge ``stories`` on the pool, ``_CHUNK`` a task."""
        wanted = sorted(set(stories))
        self.held.difference_update(wanted)
        self.again += sum(story in self.merged for story in wanted)
        work = [(grown, self.batch) for grown in grown_stories(self.index, {s: added[s] for s in wanted}, edges,
                                                               lazy=True)]
        for start in range(0, len(work), _CHUNK):
            chunk = work[start : start + _CHUNK]
            future = self.pool.submit(_merged_rows, chunk)
            self.tasks.append(future)
            for place, (grown, _) in enumerate(chunk):
                self.merged[grown.story] = (future, place, len(grown.added))

    def rows(self, added: Mapping[str, Sequence[str]],
             edges: Mapping[str, Sequence[Edge]]) -> list[tuple[str, int, str, bytes]]:
        """The row of every story in ``added``, in story id order; those not merged with all their articles
        (held, or grown since) are merged now."""
        self._merge(added, edges, [s for s in added if s not in self.merged or self.merged[s][2] != len(added[s])])
        return [self.merged[story][0].result()[self.merged[story][1]] for story in sorted(added)]


def remerge_all(index: Index, added: Mapping[str, Sequence[str]], edges: Mapping[str, Sequence[Edge]], batch: int,
                engine: Engine | EarlyMerges | None = None) -> None:
    """Merge again every story that received articles (``added``: story -> ids; ``edges``: their links) and
    store the records, in story id order; the merges on ``engine`` (here without one), or those of
    :class:`EarlyMerges` (the others merged there)."""
    if isinstance(engine, EarlyMerges):
        rows = engine.rows(added, edges)
    else:
        work = [(grown, batch) for grown in grown_stories(index, added, edges)]
        rows = _merged_rows(work) if engine is None else [
            row for part in engine.map_chunks(_merged_rows, work, spans_of(len(work), _CHUNK)) for row in part]
    index.db.executemany("INSERT OR REPLACE INTO stories (story, created, cluster, record) VALUES (?, ?, ?, ?)", rows)
