"""`dedupe index build|add|refresh|upgrade|stats|export` and `dedupe check`: the incremental index's commands."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import click

from ..articlespool import drained
from ..decoding import decode_line
from ..engine import LocalEngine
from ..errors import InputError
from ..formats import BOM, load_json
from ..index import (
    AddReport,
    Checker,
    add,
    add_fast,
    create,
    open_index,
    stats,
    stored_result,
)
from ..index.headstore import upgrade
from ..index.store import SCHEMA_VERSION, remove_index
from ..index.update import write_story_ids
from ..load import FORMATS
from ..output import dumps, write_outputs
from ..records import FieldMap, to_article
from ..report.views import counted
from ..types import Article
from .common import (
    Interrupted,
    config_options,
    field_map,
    field_options,
    handle_errors,
    input_options,
    load_config,
    main,
    progress_printer,
    read_all,
)

_INDEX = click.option("--index", "index_file", type=click.Path(dir_okay=False), required=True, metavar="FILE",
                      help="The index file (SQLite).")
_QUIET = click.option("-q", "--quiet", is_flag=True, help="No progress or log lines on stderr.")
#: ``--workers`` of `index add` and `refresh`: the range the ``workers`` setting allows (a negative count ran serially).
_WORKERS = click.IntRange(0, 256)


@main.group("index")
def index_group() -> None:
    """An on-disk index that grows by adds and keeps story ids stable (see README, "Incremental index")."""


@index_group.command("build")
@input_options
@config_options
@_INDEX
@_QUIET
@handle_errors
def build_command(index_file: str, quiet: bool, config_file: str | None, **kwargs: Any) -> None:
    """Create a new index from the articles in INPUT... (the settings are kept in the index)."""
    config = load_config(config_file, threshold=kwargs.pop("threshold"), shingle_size=kwargs.pop("shingle_size"),
                         num_perm=kwargs.pop("num_perm"), relations=kwargs.pop("relations"),
                         workers=kwargs.pop("workers"))
    articles = read_all(kwargs)
    index = create(index_file, config)  # refuses an existing file, which must then stay as it is
    try:
        with index:
            report = add(index, drained(articles), progress_printer(quiet))  # each article goes once stored
    except BaseException:
        remove_index(index_file)  # a build that did not finish leaves no file behind
        raise
    _log_add(report, quiet)


@index_group.command("add")
@input_options
@_INDEX
@click.option("--workers", type=_WORKERS, default=None, metavar="N",
              help="Processes for new articles; 0 = one per core.")
@click.option("--fast", is_flag=True, help="Place each new article as `check` would, without recomputing the "
              "corpus (approximate until the next plain add or `index refresh`).")
@click.option("--refresh-share", type=click.FloatRange(0, 1), default=0.2, show_default=True, metavar="SHARE",
              help="With --fast: recompute exactly instead when more than SHARE of the indexed articles would "
              "then be placed by --fast since the last exact state.")
@_QUIET
@handle_errors
def add_command(index_file: str, workers: int | None, fast: bool, refresh_share: float, quiet: bool,
                **kwargs: Any) -> None:
    """Add the articles in INPUT... to the index in one transaction; print each story merge and split."""
    with open_index(index_file) as index:  # a missing index is said before the input is read
        articles = read_all(kwargs)
        engine = LocalEngine(index.config.workers if workers is None else workers)
        if fast:
            report = add_fast(index, articles, engine=engine, refresh_share=refresh_share)
        else:
            report = add(index, drained(articles), progress_printer(quiet), engine)
    _log_add(report, quiet, f"; recomputed exactly, as more than {refresh_share:g} of the index would have been "
             "placed by --fast" if fast and report.exact and report.added else "")


@index_group.command("refresh")
@_INDEX
@click.option("--workers", type=_WORKERS, default=None, metavar="N", help="Processes for extraction; 0 = one per core.")
@_QUIET
@handle_errors
def refresh_command(index_file: str, workers: int | None, quiet: bool) -> None:
    """Recompute every story as `dedupe run` would (after `add --fast`); print each merge and split."""
    with open_index(index_file) as index:
        engine = LocalEngine(index.config.workers if workers is None else workers)
        report = add(index, [], progress_printer(quiet), engine, refresh=True)
    _log_add(report, quiet)


@index_group.command("upgrade")
@_INDEX
@_QUIET
@handle_errors
def upgrade_command(index_file: str, quiet: bool) -> None:
    """Convert an index written by an older dedupe (schema version 2 to 5) in place, in one transaction."""
    was = upgrade(index_file)
    if not quiet:
        done = "already current" if was == SCHEMA_VERSION else f"upgraded from version {was}"
        click.echo(f"dedupe: {index_file}: schema version {SCHEMA_VERSION}, {done}", err=True)


def _log_add(report: AddReport, quiet: bool, note: str = "") -> None:
    """Each merge and split on stdout (one line each), and a summary line on stderr (ending with ``note``)."""
    for event in report.events:
        click.echo(event.describe())
    if not quiet:
        batch = f"batch {report.batch}: " if report.batch else "nothing new: "
        click.echo(f"dedupe: {batch}added {counted(len(report.added), 'article')}, {report.skipped} already indexed; "
                   f"{counted(report.stories, 'story', 'stories')}; {len(report.events)} merges/splits; "
                   f"{report.seconds:.2f}s{'' if report.exact or not report.batch else '; placed (approximate)'}{note}",
                   err=True)


@index_group.command("stats")
@_INDEX
@click.option("--json", "as_json", is_flag=True, help="Print the counts as one JSON object.")
@handle_errors
def stats_command(index_file: str, as_json: bool) -> None:
    """Counts of the index: articles, stories by size, batches, merges and splits."""
    with open_index(index_file) as index:
        data = stats(index)
    if as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    sizes = ", ".join(f"{n} of {size}" for size, n in data["stories"]["by_size"].items())
    click.echo(f"index:    {data['index']} ({data['bytes']:,} bytes)")
    click.echo(f"articles: {data['articles']} in {data['batches']} batches")
    click.echo(f"stories:  {data['stories']['total']} ({sizes or 'none'})")
    click.echo(f"changes:  {data['merges']} merges, {data['splits']} splits")
    state = ("exact (as dedupe run)" if data["exact"] else
             f"approximate (add --fast placed {data['placed']} articles): run index refresh")
    click.echo(f"state:    {state}")


@index_group.command("export")
@_INDEX
@click.option("-o", "--output", "output", type=click.Path(file_okay=False), required=True,
              help="Directory for the output files (created if needed).")
@_QUIET
@handle_errors
def export_command(index_file: str, output: str, quiet: bool) -> None:
    """Write the files `dedupe run -o DIR` writes for the indexed articles, and story_ids.jsonl."""
    with open_index(index_file) as index:
        result = stored_result(index)
        written = write_outputs(result, output)
        write_story_ids(index, Path(output) / "story_ids.jsonl")
    if not quiet:
        click.echo(f"dedupe: wrote {', '.join(p.name for p in written)}, story_ids.jsonl to {output}", err=True)


@main.command("check")
@click.argument("inputs", nargs=-1, metavar="[ARTICLE...]")
@_INDEX
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Format of the ARTICLE files (default: by extension).")
@click.option("--candidates", "limit", type=click.IntRange(min=0), default=None, metavar="K",
              help="Score only the K indexed articles with the most shared-key evidence, as a batch run's cap "
              "keeps an article's best (0: every one) [the index's max_candidates].")
@click.option("--warm", is_flag=True, help="Read every indexed head before the first article (a slower start, "
              "faster checks after: for a long-running `check -`).")
@field_options
@handle_errors
def check_command(inputs: tuple[str, ...], index_file: str, fmt: str | None, limit: int | None, warm: bool,
                  **fields: str | None) -> None:
    """Say what the index would make of each article, without changing it: one JSON line per article.

    Without ARTICLE (or with -), JSONL records are read from stdin and each is answered as soon as it is
    read, so one process can serve an ingest stream.
    """
    with open_index(index_file) as index:
        checker = Checker(index, limit=limit, warm=warm)
        if inputs and inputs != ("-",):
            for article in read_all({"inputs": inputs, "fmt": fmt, "on_error": "fail", **fields}):
                click.echo(dumps(checker.check(article)))
            return
        answered = 0
        try:
            for line, answer in _stream(sys.stdin.buffer, checker, field_map(fields)):
                click.echo(dumps(answer) if answer is not None else dumps({"line": line, "error": "blank line"}))
                sys.stdout.flush()
                answered += 1
        except KeyboardInterrupt as interrupt:
            raise Interrupted.during(interrupt, f"answered {answered} line{'' if answered == 1 else 's'}; "
                                     "the index is unchanged.") from None


def _stream(stream: IO[bytes], checker: Checker, fields: FieldMap) -> Iterator[tuple[int, dict[str, Any] | None]]:
    """``(line number, verdict)`` for each JSONL line of ``stream``; a bad line gets an error record. Lines are read
    as bytes and decoded one by one, bytes that are not UTF-8 kept as lone surrogates (the record is then refused,
    naming the byte), whatever the locale: a text stdin in a strict UTF-8 locale stopped the process on such a
    byte, losing the articles after it."""
    for number, data in enumerate(stream, start=1):
        raw = decode_line(data)[0]
        if not raw.strip():
            continue
        try:
            article = _article(raw, number, fields)
        except InputError as error:
            yield number, {"line": number, "error": error.describe()}
            continue
        yield number, checker.check(article)


def _article(raw: str, number: int, fields: FieldMap) -> Article:
    """The article of one stdin line, its fields mapped by ``fields``; InputError when it is not a JSON object of an
    article (read as `dedupe run -` reads a line: :func:`~dedupe.formats.load_json`)."""
    record = load_json(raw.removeprefix(BOM), "<stdin>", number, "send one JSON object per line.")
    if record.error is not None:
        raise record.error
    if not isinstance(record.value, dict):
        raise InputError("expected a JSON object.", file="<stdin>", line=number, hint="send one object per line.")
    return to_article(record.value, fields, "<stdin>", number)
