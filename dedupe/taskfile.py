"""Work written to a temporary file before workers fork, so they read it instead of the run's objects."""

from __future__ import annotations

import json
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import Any, overload

from .articlespool import ArticleSpool, SpooledArticle
from .fieldspool import FieldSpool, OffsetFile, fields_from, fields_record
from .types import Article, Cluster, Edge, Fields

#: One cluster's work as :func:`merge_tasks` writes it: the cluster (id, members, representative, edges as
#: ``[a, b, relation, score]``), each member's article (see :func:`article_record`) and its known fields (each after
#: its id: ``start, end`` in the :class:`FieldSpool`, or the Fields' :func:`~dedupe.fieldspool.fields_record`).
ClusterRecord = tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...]]


class TaskFile(Sequence[Any]):
    """Records (JSON values) written to a temporary file when the object is made, one line each, each read back and
    rebuilt (``rebuild``) on access; a slice is read in one piece.

    Why: a worker forked from a run holds the run's objects in pages it shares with its parent, and reading an
    object writes its reference count, which copies the whole page into the worker. A merge worker building
    its clusters' work from the run's mappings copied nearly every page of them (~2.5 KB an article a worker
    over a 1M merge, both workers together as much again as the parent held). A worker reading this file
    touches a file, a flat array of offsets and ``rebuild`` (which should hold no more than the spools). Make
    it before the workers fork (the parent walks its objects then, when no page is shared) and hand it to the
    engine as its items. Example: ``TaskFile(["a", "b"], str.upper)[1:]`` is ``["B"]``.
    """

    def __init__(self, records: Iterable[Any], rebuild: Callable[[Any], Any]) -> None:
        self.file = OffsetFile()
        self.bounds = array("q")
        self.rebuild = rebuild
        for record in records:
            self.bounds.extend(self.file.append(json.dumps(record, separators=(",", ":")).encode("ascii") + b"\n"))
        self.file.read(0, 0)  # flushed: workers forked from now on read it

    def __len__(self) -> int:
        return len(self.bounds) // 2

    @overload
    def __getitem__(self, index: int) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...

    def __getitem__(self, index: int | slice) -> Any:
        rows = range(len(self))[index]
        if isinstance(rows, int):
            return self._read(rows, rows + 1)[0]
        if rows.step != 1:
            return [self[row] for row in rows]
        return self._read(rows.start, rows.stop)

    def _read(self, first: int, stop: int) -> list[Any]:
        """Records ``first`` to ``stop`` (exclusive), rebuilt."""
        if first >= stop:
            return []
        start = self.bounds[2 * first]
        data = self.file.read(start, self.bounds[2 * stop - 1])
        return [self.rebuild(json.loads(line)) for line in data.splitlines()]

    def close(self) -> None:
        """Delete the file; nothing can be read after."""
        self.file.close()


def texts_of(articles: Iterable[Article]) -> ArticleSpool | None:
    """The spool of the first spooled article among ``articles`` (a run's articles share one), else None."""
    return next((a.spool for a in articles if isinstance(a, SpooledArticle)), None)


def article_record(article: Article, texts: ArticleSpool | None) -> Any:
    """What a task file holds of ``article``: its place when its text is in ``texts``, else the article's values
    (text and record included) under ``"article"``."""
    if isinstance(article, SpooledArticle) and article.spool is texts:
        return article.place()
    return {"article": [article.id, article.text, article.title, article.source, article.published, article.url,
                        article.origin, dict(article.record)]}


def article_from(record: Any, texts: ArticleSpool | None) -> Article:
    """The article an :func:`article_record` stands for."""
    if isinstance(record, dict):
        return Article(*record["article"])
    assert texts is not None
    return texts.article(record)


def closed(items: object) -> None:
    """Delete ``items``' file when it is a :class:`TaskFile` (a list of tasks holds none)."""
    if isinstance(items, TaskFile):
        items.close()


def article_tasks(articles: Sequence[Article]) -> TaskFile:
    """``articles`` as a :class:`TaskFile`: what an extraction worker reads (``tasks[a:b] == articles[a:b]``)."""
    texts = texts_of(articles)
    return TaskFile((article_record(a, texts) for a in articles), partial(article_from, texts=texts))


def merge_tasks(clusters: Iterable[Cluster], articles: Mapping[str, Article], spool: FieldSpool,
                fields: Mapping[str, Fields]) -> TaskFile:
    """``merge.cluster_work`` of each cluster as a :class:`TaskFile`, ``articles`` by id; the members' fields
    from ``fields`` (held) first, else ``spool``."""
    texts = texts_of(articles.values())

    def record(cluster: Cluster) -> ClusterRecord:
        members = tuple(article_record(articles[m], texts) for m in cluster.members)
        known = tuple((m, fields_record(fields[m])) if m in fields else (m, *spool.place(m))
                      for m in cluster.members if m in fields or m in spool)
        edges = [(e.a, e.b, e.relation, e.score) for e in cluster.edges]
        return (cluster.cluster_id, cluster.members, cluster.representative, edges), members, known

    return TaskFile(map(record, clusters), partial(cluster_work, texts=texts, spool=spool))


def cluster_work(record: ClusterRecord, texts: ArticleSpool | None,
                 spool: FieldSpool) -> tuple[Cluster, tuple[Article, ...], dict[str, Fields]]:
    """The ``merge.cluster_work`` a :func:`merge_tasks` record stands for."""
    (cluster_id, ids, representative, edges), members, known = record
    cluster = Cluster(cluster_id, tuple(ids), representative, tuple(Edge(*edge) for edge in edges))
    return (cluster, tuple(article_from(m, texts) for m in members),
            {f[0]: fields_from(f[1]) if len(f) == 2 else spool.at(f[1], f[2]) for f in known})
