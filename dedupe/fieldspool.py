"""Extracted fields spooled to a temporary file once profiles are built; merging reads each back by offset."""

from __future__ import annotations

import json
import os
import tempfile
from array import array
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, BinaryIO, overload

import orjson

from .decoding import loads
from .errors import OutputError
from .types import Cluster, Fields, Mention


class OffsetFile:
    """Byte records appended to a temporary file and read back by place; the file is deleted when closed or
    collected.

    Reads use ``os.pread`` where the system has it, so they move no shared file position and processes forked
    after a record was written read it too. A temporary directory that cannot be written (full, read-only)
    raises :class:`~dedupe.errors.OutputError`. Example: ``OffsetFile().append(b"line\\n")`` is ``(0, 5)``.
    ``handle``, when given, is the empty file to use instead (open for reading and writing, in binary).
    """

    def __init__(self, handle: BinaryIO | None = None) -> None:
        try:
            self.handle = handle if handle is not None else tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the object
        except OSError as error:
            raise _spool_error(error) from error
        self.end, self.flushed = 0, 0

    def append(self, data: bytes) -> tuple[int, int]:
        """Write one record at the end; return its ``(start, end)`` byte offsets."""
        try:
            self.handle.write(data)
        except OSError as error:
            raise _spool_error(error) from error
        start, self.end = self.end, self.end + len(data)
        return start, self.end

    def read(self, start: int, end: int) -> bytes:
        """The bytes from ``start`` to ``end`` (written records are flushed first)."""
        if self.flushed < self.end:
            try:
                self.handle.flush()
            except OSError as error:
                raise _spool_error(error) from error
            self.flushed = self.end
        if hasattr(os, "pread"):
            return os.pread(self.handle.fileno(), end - start, start)
        self.handle.seek(start)  # pragma: no cover - systems without pread do not fork workers either
        return self.handle.read(end - start)  # pragma: no cover

    def copy_to(self, fd: int) -> None:
        """Write the whole file, block by block, into the file open at ``fd`` (from its current position)."""
        for start in range(0, self.end, MOVE_BLOCK):
            write_all(fd, self.read(start, min(start + MOVE_BLOCK, self.end)))

    def move_to(self, fd: int) -> None:
        """Write the whole file into the empty file open at ``fd``, at the same offsets, giving the space back
        as it goes: blocks are copied from the end, this file cut short after each, so the two together never
        hold much more than one copy. Nothing can be read after; an error midway leaves both files partial."""
        self.read(0, 0)  # flush
        os.ftruncate(fd, self.end)  # a sparse file the size of the whole: each block fills its place
        for start in reversed(range(0, self.end, MOVE_BLOCK)):
            write_all(fd, self.read(start, min(start + MOVE_BLOCK, self.end)), at=start)
            self.handle.truncate(start)
            self.end = self.flushed = start

    def close(self) -> None:
        """Delete the file; nothing can be read after."""
        self.handle.close()


#: The bytes :meth:`OffsetFile.copy_to` and :meth:`OffsetFile.move_to` copy at a time.
MOVE_BLOCK = 1 << 22


def write_all(fd: int, data: bytes | memoryview, at: int | None = None) -> None:
    """Write all of ``data`` to the file open at ``fd``, from its position, or from offset ``at`` when given
    (``os.write`` and ``os.pwrite`` may write less than asked)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) if at is None else os.pwrite(fd, view, at + len(data) - len(view)):]


def _spool_error(error: OSError) -> OutputError:
    """The typed error for a temporary file that cannot be written."""
    return OutputError(f"cannot write a temporary file ({error.strerror or error}).", file=tempfile.gettempdir(),
                       hint="free some space there, or set TMPDIR to a directory with room: a run keeps its "
                            "fields, stories, word counts and left-out candidate pairs in temporary files while "
                            "it works.")


def fields_record(fields: Fields) -> list[Any]:
    """The JSON shape of one article's fields: headline, lede, place, its distinct sentences, and each mention
    as ``[kind, value, text, sentence number, about, subject, qualifier, start]``."""
    sentences: dict[str, int] = {}
    mentions = [[m.kind, m.value, m.text, sentences.setdefault(m.sentence, len(sentences)), m.about, m.subject,
                 m.qualifier, m.start] for m in fields.mentions]
    return [fields.article_id, fields.headline, fields.lede, fields.place, list(sentences), mentions]


def fields_line(fields: Fields) -> bytes:
    """One article's fields as a spool line: its :func:`fields_record` as JSON, UTF-8 (lone surrogates kept).

    Written by orjson (~8 times faster than ``json.dumps``; the line reads back as the same values), by ``json``
    for the fields orjson refuses: a string with a lone surrogate, which ``surrogatepass`` keeps.
    """
    record = fields_record(fields)
    try:
        return orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)
    except orjson.JSONEncodeError:
        return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8", "surrogatepass")


def fields_from(record: Sequence[Any]) -> Fields:
    """The Fields of a :func:`fields_record` (mentions of one sentence share its string)."""
    article_id, headline, lede, place, sentences, mentions = record
    return Fields(article_id, headline, lede, place,
                  tuple(Mention(k, v, t, sentences[s], a, sub, q, start) for k, v, t, s, a, sub, q, start in mentions))


class FieldSpool(Mapping[str, Fields]):
    """Fields by article id, kept as JSON lines in a temporary file (deleted when closed or collected).

    Only each article's place in the file stays in memory (its row and two offsets in an array, ~90 bytes an
    article where a dict of tuples costs ~200); ``spool[article_id]`` reads and rebuilds its
    Fields on each read. Reads do not move a shared file position (``os.pread`` where the system has it),
    so worker processes forked after the spool was written read it too.
    Lines may also be added one at a time (:meth:`add`), as extraction workers hand them back.
    Example: ``FieldSpool(fields)["a.jsonl:3"].headline``.
    """

    def __init__(self, fields: Mapping[str, Fields] | None = None) -> None:
        self.file = OffsetFile()
        self.rows: dict[str, int] = {}
        self.bounds = array("q")
        for article_id, found in (fields or {}).items():
            self.add(article_id, fields_line(found))
        self.ready()

    def add(self, article_id: str, line: bytes) -> None:
        """Append one article's :func:`fields_line` (call :meth:`ready` after the last, before workers fork)."""
        start, end = self.file.append(line)
        row = self.rows.setdefault(article_id, len(self.rows))
        if row < len(self.bounds) // 2:  # added again: the new line replaces the old
            self.bounds[2 * row : 2 * row + 2] = array("q", (start, end))
        else:
            self.bounds.extend((start, end))

    def ready(self) -> None:
        """Flush what was added, so worker processes forked from now on read it."""
        self.file.read(0, 0)

    def __getitem__(self, article_id: str) -> Fields:
        return self.at(*self.place(article_id))

    def place(self, article_id: str) -> tuple[int, int]:
        """Where ``article_id``'s line is in the file: its ``(start, end)`` offsets."""
        row = self.rows[article_id]
        return self.bounds[2 * row], self.bounds[2 * row + 1]

    def at(self, start: int, end: int) -> Fields:
        """The Fields of the line at ``start:end`` (a :meth:`place`; read in a process forked after the spool was
        written, it needs nothing else of the spool: not the row of an id). Parsed by orjson where that gives what
        ``json.loads`` gives (:func:`~dedupe.decoding.loads`)."""
        return fields_from(loads(self.file.read(start, end)))

    def __contains__(self, article_id: object) -> bool:
        return article_id in self.rows

    def __iter__(self) -> Iterator[str]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def close(self) -> None:
        """Delete the file; the fields cannot be read after."""
        self.file.close()


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
