"""Output files: JSONL records of clusters and deduplicated articles, the summary, written atomically."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from .articlespool import SpooledArticle
from .errors import OutputError
from .onereport import story_outline
from .outputahead import Filler, Spooled, WrittenAhead, atomic_write
from .outputspool import prepare_dir
from .pipeline import Result, paused_gc
from .records import Rejects
from .report import CONFLICTS_FILE, REPORT_STREAMS
from .report.html import SECTION_RENDERERS, section_of
from .storyfile import StoryFile, dumps, record_line
from .storytypes import Story

#: An output's text in pieces, or a :data:`Filler` writing its bytes.
Renderer = Callable[[Result], Iterable[str] | Filler]


def cluster_records(result: Result) -> Iterator[dict[str, Any]]:
    """One ``clusters.jsonl`` record per cluster, sorted by cluster id."""
    for cluster in result.clusters:
        yield cluster.as_dict()


def deduped_records(result: Result) -> Iterator[dict[str, Any]]:
    """The representative's record per cluster, plus ``cluster_id`` and ``duplicates`` (the other members)."""
    articles = result.by_id()
    for cluster in result.clusters:
        article = articles[cluster.representative]
        record = dict(article.record)
        record.setdefault("id", article.id)
        if record["id"] != article.id:
            record["id"] = article.id
        record["cluster_id"] = cluster.cluster_id
        record["duplicates"] = [m for m in cluster.members if m != article.id]
        yield record


def _jsonl(records: Callable[[Result], Iterable[dict[str, Any]]]) -> Renderer:
    """A renderer writing one JSON line per record."""
    def render(result: Result) -> Iterator[str]:
        for record in records(result):
            yield dumps(record) + "\n"
    return render


def _jsonl_bytes(records: Callable[[Result], Iterable[dict[str, Any]]]) -> Renderer:
    """A renderer writing one JSON line per record as :func:`~dedupe.storyfile.record_line` encodes it (the bytes
    of the text ``_jsonl`` writes)."""
    def render(result: Result) -> Filler:
        def fill(fd: int) -> None:
            with open(fd, "wb", buffering=WRITE_BYTES, closefd=False) as out:
                out.writelines(map(record_line, records(result)))
        return fill
    return render


def story_records(result: Result) -> Iterator[dict[str, Any]]:
    """One ``stories.jsonl`` record per story, sorted by story id."""
    stories = result.extras.get("stories", [])
    if isinstance(stories, StoryFile):
        yield from (stories.record(i) for i in range(len(stories)))
        return
    for story in stories:
        yield story.as_dict()


def _stories_jsonl(result: Result) -> Iterator[str]:
    """``stories.jsonl``: the lines of a :class:`StoryFile` as they were written, else one per Story."""
    stories = result.extras.get("stories", [])
    yield from stories.lines() if isinstance(stories, StoryFile) else _jsonl(story_records)(result)


def conflict_records(result: Result) -> Iterator[dict[str, Any]]:
    """One ``conflicts.jsonl`` record per conflict (updates stay inside their story)."""
    for conflict in result.extras.get("conflicts", []):
        yield conflict.as_dict()


def _report(name: str) -> Renderer:
    """A renderer for one editor report (report.html, report.md): the stories' outlines first, then each full
    story's section as the report reaches it (read back when the merge rendered it, else rendered from its
    record then), so the records are never all held at once."""
    def render(result: Result) -> Iterable[str] | Filler:
        stories: Sequence[Story] = result.extras.get("stories", [])
        if isinstance(stories, StoryFile):
            return partial(fill_report, name, stories)
        return REPORT_STREAMS[name]([story_outline(s) for s in stories],
                                    lambda i: section_of(name, stories[i].as_dict()))
    return render


def _conflicts_csv(result: Result) -> Iterator[str]:
    """``conflicts.csv``: one spreadsheet row per conflict, formulas neutralised."""
    yield CONFLICTS_FILE[1](list(conflict_records(result)))


def reject_records(result: Result) -> Iterator[dict[str, Any]]:
    """One ``rejects.jsonl`` record per record set aside by ``--on-error skip``, in input order."""
    for reject in result.extras.get("rejects") or ():
        yield reject.as_dict()


def _summary(result: Result) -> Iterator[str]:
    """``summary.json``: counts and stage timings, pretty-printed."""
    yield json.dumps(result.summary, indent=2, ensure_ascii=False) + "\n"


#: Every file ``dedupe run -o DIR`` writes, by name; later stages register more.
OUTPUTS: dict[str, Renderer] = {
    "clusters.jsonl": _jsonl(cluster_records),
    "deduped.jsonl": _jsonl_bytes(deduped_records),
    "stories.jsonl": _stories_jsonl,
    "conflicts.jsonl": _jsonl(conflict_records),
    "report.html": _report("report.html"),
    "report.md": _report("report.md"),
    CONFLICTS_FILE[0]: _conflicts_csv,
    "summary.json": _summary,
}

#: Written beside the others when the run skips bad records (``Rejects("skip")``), even when none was bad; one an
#: earlier run left is deleted by a run that does not skip.
REJECTS_FILE = "rejects.jsonl"

#: What ``--emit`` can stream to stdout.
EMITTERS: dict[str, Callable[[Result], Iterable[dict[str, Any]]]] = {
    "clusters": cluster_records,
    "deduped": deduped_records,
    "stories": story_records,
    "conflicts": conflict_records,
}


def output_files(directory: str | os.PathLike[str]) -> frozenset[str]:
    """The real paths of every file a run may write into ``directory`` (``rejects.jsonl`` included): a walk of an
    input directory holding ``directory`` passes over them, so a second run does not read the first one's outputs."""
    return frozenset(os.path.realpath(os.path.join(directory, name)) for name in (*OUTPUTS, REJECTS_FILE))


def output_names(result: Result) -> list[str]:
    """The files ``write_outputs`` writes for this result, in order (``summary.json`` last)."""
    names = list(OUTPUTS)
    rejects: Rejects | None = result.extras.get("rejects")
    if rejects is not None and rejects.policy == "skip":
        names.insert(names.index("summary.json"), REJECTS_FILE)
    return names


def iter_outputs(result: Result, directory: str | os.PathLike[str], *, release: bool = False,
                 ahead: bool = False) -> Iterator[Path]:
    """Write the output files into ``directory`` one by one, yielding each path once it is in place.

    A caller that is interrupted knows exactly which files were written: those yielded. ``release`` (for a
    caller that writes the outputs once and reads the result no more, as ``dedupe run -o`` without ``--emit``)
    gives up each temporary file of the result as soon as the last output reading it is written, so the run's
    disk peaks lower (see :func:`release_after`); the spooled stories' lines are moved into ``stories.jsonl``.
    Lines spooled in ``directory`` itself (``pipeline.run(output_dir=...)``) are renamed into place, not copied.
    ``ahead`` (for a caller whose other cores are idle now, as ``dedupe run -o`` with worker processes) has
    spooled stories' reports (:data:`AHEAD`) written by forked processes while this one writes the files
    before them (see :class:`~dedupe.outputahead.WrittenAhead`): the same bytes, placed in the same order.
    """
    target = prepare_dir(directory)
    renderers: dict[str, Callable[[Result], Iterable[str] | Filler | Spooled]] = {
        **OUTPUTS, REJECTS_FILE: _jsonl(reject_records)}
    stories = result.extras.get("stories")
    if isinstance(stories, StoryFile) and OUTPUTS["stories.jsonl"] is _stories_jsonl:
        done = release and not stories.needs_lines()
        renderers["stories.jsonl"] = lambda _: Spooled(partial(stories.place, release=done),
                                                       partial(stories.write_lines, release=done))
    names = output_names(result)
    early = WrittenAhead()
    with paused_gc():  # also while the caller holds a yielded path: it only records it
        try:
            if ahead and isinstance(stories, StoryFile):
                _start_ahead(early, result, target)
            for name in names:
                path = target / name
                if name == "summary.json" and REJECTS_FILE not in names:
                    _remove_stale(target / REJECTS_FILE)
                chunks = renderers[name](result)
                _write(path, Spooled(early.place, chunks) if path in early and callable(chunks) else chunks)
                if release:
                    release_after(result, name)
                yield path
        finally:
            early.close()


#: The outputs ``iter_outputs(ahead=True)`` has forked processes write: the reports of spooled stories, which
#: read only the stories' outlines and their sections' files (none of what an earlier output releases).
AHEAD = ("report.html", "report.md")


def _start_ahead(early: WrittenAhead, result: Result, target: Path) -> None:
    """Start writing each of :data:`AHEAD` that :data:`OUTPUTS` renders as a :data:`Filler`."""
    for name in AHEAD:
        chunks = OUTPUTS[name](result) if name in OUTPUTS else None
        if callable(chunks):
            early.start(target / name, chunks)


def release_after(result: Result, name: str) -> None:
    """Give up the temporary files no output after ``name`` reads: the articles' texts once ``deduped.jsonl``
    is written (:class:`~dedupe.articlespool.ArticleSpool`), a report's sections once that report is (the
    stories' lines go as they are moved into ``stories.jsonl``). The result cannot be read again after."""
    stories = result.extras.get("stories")
    if name == "deduped.jsonl" and result.articles and isinstance(result.articles[0], SpooledArticle):
        result.articles[0].spool.close()
    if isinstance(stories, StoryFile) and name in SECTION_RENDERERS:
        stories.release(name)


def _write(path: Path, chunks: Iterable[str] | Filler | Spooled) -> None:
    """``atomic_write`` (or a :class:`Spooled` file renamed into place), with an OSError turned into an
    OutputError naming the file."""
    try:
        if isinstance(chunks, Spooled):
            if chunks.place(path):
                return
            chunks = chunks.fill
        atomic_write(path, chunks)
    except OSError as error:
        raise OutputError(f"cannot write the file ({error.strerror}).", file=str(path),
                          hint="check free space and permissions of the output directory.") from None


def _remove_stale(path: Path) -> None:
    """Delete an output an earlier run left that this run does not write (``rejects.jsonl`` of a run that skipped
    records, beside the outputs of one that did not): it would list records as rejected that this run read."""
    try:
        path.unlink(missing_ok=True)
    except OSError as error:
        raise OutputError(f"cannot remove an earlier run's file ({error.strerror}).", file=str(path),
                          hint="delete it, or write into another directory.") from None


def write_rejects(rejects: Rejects, directory: str | os.PathLike[str]) -> Path:
    """Write ``rejects.jsonl`` alone (for a run in which every record was rejected); return its path."""
    path = prepare_dir(directory) / REJECTS_FILE
    _write(path, (dumps(reject.as_dict()) + "\n" for reject in rejects))
    return path


def write_outputs(result: Result, directory: str | os.PathLike[str], *, release: bool = False,
                  ahead: bool = False) -> list[Path]:
    """Write every output file into ``directory``; return their paths in order.

    ``rejects.jsonl`` is among them when the result was read with ``Rejects("skip")``; ``release`` and ``ahead``
    as for :func:`iter_outputs`.
    """
    return list(iter_outputs(result, directory, release=release, ahead=ahead))


# A spooled run's report files written as bytes: the sections the merge rendered copied in without a decoding.
#: Bytes of an output gathered before they are written (a write a section would cost ~19k system calls at 100k).
WRITE_BYTES = 1 << 20


def fill_report(name: str, stories: StoryFile, fd: int) -> None:
    """Write report ``name`` of spooled ``stories`` into the empty file open at ``fd``: its stream's text, encoded,
    and each full story's section as the bytes :meth:`~dedupe.storyfile.StoryFile.section_bytes` gives, where the
    stream asked for it (the stream is handed ``""`` for it, and yields nothing it writes before that section after
    asking, as both streams do). The same bytes as writing the text, without decoding each section and encoding it
    again (report.html: 0.9 GB at 100k, ~10% of its CPU).
    """
    asked: list[int] = []

    def section(index: int) -> str:
        asked.append(index)
        return ""

    with open(fd, "wb", buffering=WRITE_BYTES, closefd=False) as out:
        for chunk in REPORT_STREAMS[name](stories.outlines, section):
            out.writelines(stories.section_bytes(name, index) for index in asked)
            asked.clear()
            out.write(chunk.encode("utf-8"))
        out.writelines(stories.section_bytes(name, index) for index in asked)
