"""Extracted fields spooled to a temporary file once profiles are built; merging reads each back by offset."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, overload

from .types import Cluster, Fields, Mention


def fields_record(fields: Fields) -> list[Any]:
    """The JSON shape of one article's fields: headline, lede, place, its distinct sentences, and each mention
    as ``[kind, value, text, sentence number, about, subject, qualifier, start]``."""
    sentences: dict[str, int] = {}
    mentions = [[m.kind, m.value, m.text, sentences.setdefault(m.sentence, len(sentences)), m.about, m.subject,
                 m.qualifier, m.start] for m in fields.mentions]
    return [fields.article_id, fields.headline, fields.lede, fields.place, list(sentences), mentions]


def fields_from(record: Sequence[Any]) -> Fields:
    """The Fields of a :func:`fields_record` (mentions of one sentence share its string)."""
    article_id, headline, lede, place, sentences, mentions = record
    return Fields(article_id, headline, lede, place,
                  tuple(Mention(k, v, t, sentences[s], a, sub, q, start) for k, v, t, s, a, sub, q, start in mentions))


class FieldSpool(Mapping[str, Fields]):
    """Fields by article id, kept as JSON lines in a temporary file (deleted when closed or collected).

    Only each article's place in the file stays in memory; ``spool[article_id]`` reads and rebuilds its
    Fields on each read. Reads do not move a shared file position (``os.pread`` where the system has it),
    so worker processes forked after the spool was written read it too.
    Example: ``FieldSpool(fields)["a.jsonl:3"].headline``.
    """

    def __init__(self, fields: Mapping[str, Fields]) -> None:
        self.handle = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the object
        self.places: dict[str, tuple[int, int]] = {}
        end = 0
        for article_id, found in fields.items():
            data = (json.dumps(fields_record(found), ensure_ascii=False) + "\n").encode("utf-8", "surrogatepass")
            self.handle.write(data)
            self.places[article_id] = (end, end + len(data))
            end += len(data)
        self.handle.flush()

    def __getitem__(self, article_id: str) -> Fields:
        start, end = self.places[article_id]
        if hasattr(os, "pread"):
            data = os.pread(self.handle.fileno(), end - start, start)
        else:  # pragma: no cover - systems without pread do not fork workers either
            self.handle.seek(start)
            data = self.handle.read(end - start)
        return fields_from(json.loads(data.decode("utf-8", "surrogatepass")))

    def __contains__(self, article_id: object) -> bool:
        return article_id in self.places

    def __iter__(self) -> Iterator[str]:
        return iter(self.places)

    def __len__(self) -> int:
        return len(self.places)

    def close(self) -> None:
        """Delete the file; the fields cannot be read after."""
        self.handle.close()


class ClusterWorks(Sequence[Any]):
    """``merge.cluster_work`` of each cluster, built when a slice of them is read (by an engine, for one chunk),
    so the fields of every cluster are never all read back at once."""

    def __init__(self, clusters: Sequence[Cluster], build: Any) -> None:
        self.clusters, self.build = clusters, build

    def __len__(self) -> int:
        return len(self.clusters)

    @overload
    def __getitem__(self, index: int) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self.build(cluster) for cluster in self.clusters[index]]
        return self.build(self.clusters[index])
