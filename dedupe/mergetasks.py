"""The merge's work written to a temporary file before its workers fork: they read it, not the run's objects."""

from __future__ import annotations

import pickle
from array import array
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, overload

from .articlespool import ArticleSpool, SpooledArticle
from .fieldspool import FieldSpool, OffsetFile
from .types import Article, Cluster, Fields

#: One cluster's work as :class:`MergeTasks` writes it: the cluster, each member's article (a
#: :meth:`SpooledArticle.place`, or the article itself) and its known fields (``(id, start, end)`` in the
#: :class:`FieldSpool`, or the Fields themselves, each after its id).
Record = tuple[Cluster, tuple[Any, ...], tuple[Any, ...]]


class MergeTasks(Sequence[Any]):
    """``merge.cluster_work`` of each cluster (a sequence: ``tasks[a:b]``), each written once, pickled, to a
    temporary file when the object is made, and rebuilt from it on each read.

    Why: a worker forked from a run holds the run's articles and clusters in pages it shares with its parent,
    and reading an object writes its reference count, which copies the whole page into the worker. A merge
    worker building its clusters' work from the run's mappings copied nearly every page of them (each worker:
    ~2.5 KB an article over a 1M merge). A worker reading this file touches none of them: the texts and fields
    are read from the spools by place, the rest rebuilt from the record. Make the tasks before forking (the
    parent walks the run's objects then, when no page is shared) and hand them to the engine as its items.
    Example: ``MergeTasks(result.clusters, result.by_id(), spool, {})[0]``, the first cluster's work.
    """

    def __init__(self, clusters: Iterable[Cluster], articles: Mapping[str, Article], spool: FieldSpool,
                 fields: Mapping[str, Fields]) -> None:
        """``articles`` by id; the members' fields from ``fields`` (held) first, else ``spool``."""
        self.file = OffsetFile()
        self.bounds = array("q")
        self.fields = spool
        self.texts: ArticleSpool | None = None
        for cluster in clusters:
            members = tuple(self._article(articles[m]) for m in cluster.members)
            known = tuple((m, fields[m]) if m in fields else (m, *spool.place(m))
                          for m in cluster.members if m in fields or m in spool)
            self.bounds.extend(self.file.append(pickle.dumps((cluster, members, known), pickle.HIGHEST_PROTOCOL)))
        self.file.read(0, 0)  # flushed: workers forked from now on read it

    def _article(self, article: Article) -> Any:
        """What the file holds of ``article``: its place, when its text is in the spool every such article
        shares, else the article itself (pickled whole)."""
        if isinstance(article, SpooledArticle) and self.texts in (None, article.spool):
            self.texts = article.spool
            return article.place()
        return article

    def __len__(self) -> int:
        return len(self.bounds) // 2

    @overload
    def __getitem__(self, index: int) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...

    def __getitem__(self, index: int | slice) -> Any:
        """The work of one cluster, or a list for a slice (read from the file in one piece)."""
        rows = range(len(self))[index]
        if isinstance(rows, int):
            return self._work(self._records(rows, rows + 1)[0])
        if rows.step != 1:
            return [self[row] for row in rows]
        return [self._work(record) for record in self._records(rows.start, rows.stop)]

    def _records(self, first: int, stop: int) -> list[Record]:
        """The records of clusters ``first`` to ``stop`` (exclusive), unpickled."""
        if first >= stop:
            return []
        start = self.bounds[2 * first]
        data = self.file.read(start, self.bounds[2 * stop - 1])
        return [pickle.loads(data[self.bounds[2 * row] - start : self.bounds[2 * row + 1] - start])
                for row in range(first, stop)]

    def _work(self, record: Record) -> tuple[Cluster, tuple[Article, ...], dict[str, Fields]]:
        """The ``merge.cluster_work`` a record stands for."""
        cluster, members, known = record
        articles = tuple(m if isinstance(m, Article) else self._spool().article(m) for m in members)
        fields = {f[0]: f[1] if len(f) == 2 else self.fields.at(f[1], f[2]) for f in known}
        return cluster, articles, fields

    def _spool(self) -> ArticleSpool:
        """The spool of the articles written as places."""
        assert self.texts is not None
        return self.texts

    def close(self) -> None:
        """Delete the file; nothing can be read after."""
        self.file.close()
