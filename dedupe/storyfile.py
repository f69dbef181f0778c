"""Stories spooled to a temporary file as they are merged: outlines held, each full record read back by offset."""

from __future__ import annotations

import json
import os
import re
import zlib
from collections.abc import Iterator, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

import orjson

from . import merge
from .engine import Engine, spans_of
from .fieldspool import OffsetFile, write_all
from .onereport import lone_story, merged_records
from .outputspool import OutputSpool
from .report.html import SECTION_RENDERERS, section_of, story_sections
from .report.views import Outline, single_source
from .storyline import CHECKED, ENCODER, dumps, no_floats, story_line
from .storytypes import Conflict, ConflictValue, Evidence, Fact, Source, Story
from .taskfile import closed

if TYPE_CHECKING:  # the pipeline calls spool_stories: import its Result for type checking only
    from .pipeline import Result

#: One merged story as the merge workers hand it back: its ``stories.jsonl`` line (UTF-8), outline, conflicts and report
#: sections (``report.html.story_sections``, each packed by :func:`pack_section`; empty when not asked for, or
#: for a single-source story).
Merged = tuple[bytes, Outline, tuple[Conflict, ...], tuple[bytes, ...]]


#: A string value at least this long is encoded by orjson in :func:`record_line` (a shorter one costs more to set
#: apart than it saves).
LONG_TEXT = 256


def record_line(record: Mapping[str, Any]) -> bytes:
    """``dumps(record) + "\\n"`` of a dict, as UTF-8 (strict, as a text file writes it), its long string values (an
    article's text) encoded by orjson, whose JSON string is ``json``'s without ``ensure_ascii`` byte for byte
    (every code point checked) and ~9 times faster, and never decoded to text; the items between them by ``json``
    as before (deduped.jsonl at 100k: 240 MB of texts). A long value orjson refuses (a lone surrogate): ``json``
    for the whole record. Example: ``record_line({"a": 1})`` is ``b'{"a": 1}\\n'``.
    """
    pieces: list[bytes] = []
    run: dict[Any, Any] = {}
    for key, value in record.items():
        if type(value) is not str or len(value) < LONG_TEXT or type(key) is not str:
            run[key] = value
            continue
        try:
            text = orjson.dumps(value)
        except orjson.JSONEncodeError:
            return (dumps(record) + "\n").encode("utf-8")
        if run:
            pieces.append(ENCODER.encode(run)[1:-1].encode("utf-8"))
            run = {}
        pieces.append(ENCODER.encode(key).encode("utf-8") + b": " + text)
    if not pieces:
        return (dumps(record) + "\n").encode("utf-8")
    if run:
        pieces.append(ENCODER.encode(run)[1:-1].encode("utf-8"))
    return b"{" + b", ".join(pieces) + b"}\n"


#: A lone surrogate as ``surrogatepass`` encodes it (UTF-8 itself never has 0xED before 0xA0 to 0xBF).
_SURROGATE = re.compile(b"\xed[\xa0-\xbf]")


def pack_section(text: str) -> bytes:
    """A report section as a :class:`StoryFile` keeps it: UTF-8, zlib-compressed (fast level: on a generated
    corpus both reports' sections shrink ~13 times, and a run's disk peaks while they wait)."""
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)


class StoryFile(Sequence[Story]):
    """The stories of a run in story-id order, each kept as its ``stories.jsonl`` line in a temporary file.

    Only the :class:`Outline` of each story and its place in the file stay in memory; ``stories[i]`` reads
    the line back and rebuilds the :class:`Story` (on each read), ``record(i)`` gives its dict. A story's report
    sections, when added with it, wait in one more temporary file per report (``section(name, i)``), so each
    can be given up on its own (:meth:`release`). The files are deleted when the object is closed or collected.
    With a ``directory`` (where ``stories.jsonl`` will be written), the lines are spooled there, in an
    :class:`~dedupe.outputspool.OutputSpool` that :meth:`place` renames onto ``stories.jsonl``; else in ``TMPDIR``.
    Example: ``[s.headline for s in result.extras["stories"]]``.
    """

    def __init__(self, directory: str | os.PathLike[str] | None = None) -> None:
        self.file = OffsetFile() if directory is None else OutputSpool(Path(directory), "stories.jsonl")
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.outlines: list[Outline] = []
        self.section_files: dict[str, OffsetFile] = {}
        self.sections: list[tuple[int, ...]] = []  # per story: each section's start and end, in SECTION_RENDERERS

    def add(self, line: str | bytes, summary: Outline, sections: Sequence[str | bytes] = ()) -> None:
        """Append one story's line (a JSON record ending in a newline: text, or its UTF-8 bytes), its outline and its
        report sections (in the order of ``report.html.SECTION_RENDERERS``, or none; each text, or bytes of
        :func:`pack_section`)."""
        start, end = self.file.append(line if isinstance(line, bytes) else line.encode("utf-8", "surrogatepass"))
        self.starts.append(start)
        self.ends.append(end)
        self.outlines.append(summary)
        places: list[int] = []
        for name, text in zip(SECTION_RENDERERS, sections, strict=False):
            if name not in self.section_files:
                self.section_files[name] = OffsetFile()
            places.extend(self.section_files[name].append(text if isinstance(text, bytes) else pack_section(text)))
        self.sections.append(tuple(places))

    def sort(self) -> list[int]:
        """Put the stories in story-id order; return the order of the stories as added (indices)."""
        order = sorted(range(len(self.outlines)), key=lambda i: self.outlines[i].story_id)
        self.starts, self.ends = [self.starts[i] for i in order], [self.ends[i] for i in order]
        self.outlines = [self.outlines[i] for i in order]
        self.sections = [self.sections[i] for i in order]
        return order

    def section(self, name: str, index: int) -> str:
        """Report ``name``'s section of story ``index``: as added, else rendered from its record now."""
        data = self._stored(name, index)
        return section_of(name, self.record(index)) if data is None else data.decode("utf-8", "surrogatepass")

    def section_bytes(self, name: str, index: int) -> bytes:
        """:meth:`section` as UTF-8, a pre-rendered one as decompressed (neither decoded nor encoded again: ~0.6 s of
        the parent's CPU on the 100k run's 0.9 GB report.html). Raises UnicodeEncodeError on a lone surrogate, as
        writing the text to a UTF-8 file would."""
        data = self._stored(name, index)
        if data is None:
            return section_of(name, self.record(index)).encode("utf-8")
        if b"\xed" in data and _SURROGATE.search(data):  # kept by surrogatepass: the text's encoding refuses it
            data.decode("utf-8", "surrogatepass").encode("utf-8")
        return data

    def _stored(self, name: str, index: int) -> bytes | None:
        """Report ``name``'s section of story ``index`` as added (UTF-8, surrogates passed), None when none was."""
        places = self.sections[index]
        if not places:
            return None
        at = 2 * list(SECTION_RENDERERS).index(name)
        return zlib.decompress(self.section_files[name].read(places[at], places[at + 1]))

    def in_file_order(self) -> bool:
        """Whether the file holds the lines alone, in story-id order, end to end (as :func:`spool_stories`
        writes them: the merge follows the clusters, whose ids order the stories'), so it is ``stories.jsonl``
        byte for byte."""
        return (self.file.end == (self.ends[-1] if self.ends else 0)
                and all(start == end for start, end in zip(self.starts[1:], self.ends, strict=False))
                and (not self.starts or self.starts[0] == 0))

    def write_lines(self, fd: int, release: bool = False) -> None:
        """Write every line, in order, into the empty file open at ``fd``: the temporary file's bytes copied as
        they are when :meth:`in_file_order`, else line by line. ``release`` gives the space back as it goes
        (see :meth:`~dedupe.fieldspool.OffsetFile.move_to`): the lines cannot be read after."""
        if self.in_file_order():
            self.file.move_to(fd) if release else self.file.copy_to(fd)
        else:
            for index in range(len(self)):
                write_all(fd, self.line(index).encode("utf-8", "surrogatepass"))
        if release:
            self.file.close()

    def place(self, path: Path, release: bool = False) -> bool:
        """Rename the lines' file onto ``path`` (``stories.jsonl``) when it is that file byte for byte
        (:meth:`in_file_order`) and an :class:`~dedupe.outputspool.OutputSpool` not yet placed; False, nothing
        changed, when it cannot (:meth:`write_lines` copies then). The lines still read after, unless
        ``release`` (the file is closed once placed)."""
        if not (isinstance(self.file, OutputSpool) and self.in_file_order() and self.file.place(path)):
            return False
        if release:
            self.file.close()
        return True

    def needs_lines(self) -> bool:
        """Whether a report would read a story's line: a full story (not :func:`single_source`) with no
        sections added."""
        return any(not places and not single_source(summary) for places, summary in zip(self.sections, self.outlines,
                                                                                          strict=True))

    def release(self, name: str) -> None:
        """Delete report ``name``'s sections file (once that report is written); its sections cannot be read
        after."""
        spool = self.section_files.pop(name, None)
        if spool is not None:
            spool.close()

    def line(self, index: int) -> str:
        """Story ``index``'s line of ``stories.jsonl``, newline included."""
        return self.file.read(self.starts[index], self.ends[index]).decode("utf-8", "surrogatepass")

    def lines(self) -> Iterator[str]:
        """Every line, in order."""
        return (self.line(i) for i in range(len(self)))

    def record(self, index: int) -> dict[str, Any]:
        """Story ``index`` as the dict ``Story.as_dict()`` gives."""
        return json.loads(self.line(index))

    def __len__(self) -> int:
        return len(self.outlines)

    @overload
    def __getitem__(self, index: int) -> Story: ...

    @overload
    def __getitem__(self, index: slice) -> list[Story]: ...

    def __getitem__(self, index: int | slice) -> Story | list[Story]:
        if isinstance(index, slice):
            return [story_from(self.record(i)) for i in range(len(self))[index]]
        return story_from(self.record(range(len(self))[index]))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled (or deep-copied), the stories become a plain list: the temporary file stays with this object."""
        return list, (list(self),)

    def close(self) -> None:
        """Delete the files; the stories cannot be read after."""
        self.file.close()
        for name in list(self.section_files):
            self.release(name)


def merged_lines(work: Sequence[Any], sections: bool = False) -> list[Merged]:
    """Merge each cluster of ``work`` (see ``merge.merge_all``) into its line, outline, conflicts and, with
    ``sections``, its report sections, packed (one unit of work for an engine: text pickles back far cheaper than
    a Story, and the reports' rendering and its compression are spread over the workers with the merging). The
    line comes encoded, as the story file keeps it: bytes pickle as they are, where text would be encoded here,
    decoded by the parent and encoded again (~25 KB a story). A lone article's line is written straight from its
    mentions (:func:`~dedupe.onereport.lone_story`: no sections, it has none); any other story's from its record
    (``onereport.merged_records``), by orjson (:func:`~dedupe.storyline.story_line`), else by ``json``."""
    lone = [lone_story(cluster, members[0], fields) if len(members) == 1 else None
            for cluster, members, fields in work]
    records = merged_records([item for item, story in zip(work, lone, strict=True) if story is None])
    out: list[Merged] = []
    made = 0
    for story in lone:
        if story is not None:
            out.append((story[0], story[1], (), ()))
            continue
        record, summary, conflicts = next(records)
        if made % CHECKED == 0:
            no_floats(record)  # a story record holds no floats, or story_line would write them otherwise than json
        made += 1
        line = story_line(record) or (dumps(record) + "\n").encode("utf-8", "surrogatepass")
        out.append((line, summary, conflicts,
                    tuple(map(pack_section, story_sections(record, summary))) if sections else ()))
    return out


def spool_stories(result: Result, engine: Engine, sections: bool = False,
                  directory: str | os.PathLike[str] | None = None) -> tuple[StoryFile, list[Conflict]]:
    """``merge.merge_stories`` with the stories written to a :class:`StoryFile` as the engine hands them back,
    so no run holds every story; the conflicts (by story, then field) are returned as a list. ``sections``
    renders the reports' story sections in the merge workers too (for a run that writes the reports);
    ``directory`` is where the lines are spooled (the output directory), as for :class:`StoryFile`."""
    work = merge.merge_work(result, engine)
    stories, found = StoryFile(directory), []
    try:
        for chunk in engine.map_chunks(partial(merged_lines, sections=sections), work,
                                       spans_of(len(work), merge.MERGE_CHUNK)):
            for line, summary, conflicts, texts in chunk:
                stories.add(line, summary, texts)
                found.append(conflicts)
    finally:  # the task file goes with the merge, whether it ends or fails
        closed(work)
    return stories, [c for i in stories.sort() for c in found[i]]


def _evidence(record: Mapping[str, Any]) -> Evidence:
    """The Evidence of one ``sources`` entry of a fact or conflict value."""
    return Evidence(record["id"], record["outlet"], record["published"], record["value"], record["text"],
                    record["sentence"], record["about"], record["subject"], record["qualifier"])


def _conflict(record: Mapping[str, Any]) -> Conflict:
    """The Conflict of one ``Conflict.as_dict()`` record."""
    values = tuple(ConflictValue(v["value"], v["label"], tuple(_evidence(e) for e in v["sources"]))
                   for v in record["values"])
    return Conflict(record["conflict_id"], record["story_id"], record["field"], record["kind"], record["severity"],
                    values, record["explanation"])


def story_from(record: Mapping[str, Any]) -> Story:
    """The Story whose ``as_dict()`` is ``record`` (a ``stories.jsonl`` line, parsed)."""
    facts = tuple(Fact(f["kind"], f["about"], f["subject"], f["value"], tuple(_evidence(e) for e in f["sources"]),
                       f["corroboration"]) for f in record["facts"])
    return Story(record["story_id"], record["cluster_id"], record["headline"], record["representative"],
                 record["representative_rule"], tuple(Source(**s) for s in record["sources"]), facts,
                 tuple(_conflict(c) for c in record["conflicts"]), tuple(_conflict(u) for u in record["updates"]))
