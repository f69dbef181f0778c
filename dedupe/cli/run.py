"""`dedupe run`: read, cluster, and write the outputs or stream them to stdout; `dedupe report` re-renders reports."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

import click

from ..articlespool import drained
from ..engine import forks
from ..errors import InputError, NoArticlesError
from ..load import _label, expand_inputs
from ..output import (
    EMITTERS,
    dumps,
    iter_outputs,
    output_files,
    output_names,
    write_rejects,
)
from ..pipeline import Result, run
from ..records import Rejects
from ..report import write_reports
from ..report.views import counted
from .common import (
    Interrupted,
    config_options,
    engine_options,
    handle_errors,
    input_options,
    load_config,
    main,
    open_engine,
    progress_printer,
    read_input,
    show_rejects,
)

#: JSON lines written to stdout at once by ``--emit``.
EMIT_LINES = 512


@main.command("run")
@input_options
@config_options
@engine_options
@click.option("-o", "--output", "output", type=click.Path(file_okay=False), default=None,
              help="Directory for the output files (created if needed).")
@click.option("--emit", type=click.Choice(sorted(EMITTERS)), default=None,
              help="Write this JSONL to stdout (with -o: besides the files) [clusters without -o].")
@click.option("-q", "--quiet", is_flag=True, help="No progress or log lines on stderr.")
@handle_errors
def run_command(output: str | None, emit: str | None, quiet: bool, config_file: str | None, **kwargs: Any) -> None:
    """Cluster the articles in INPUT... and write the results.

    INPUT is a file, a directory (walked for .txt, .jsonl, .ndjson, .json, .csv) or - for stdin (JSONL).
    """
    config = load_config(config_file, threshold=kwargs.pop("threshold"), shingle_size=kwargs.pop("shingle_size"),
                         num_perm=kwargs.pop("num_perm"), relations=kwargs.pop("relations"),
                         workers=kwargs.pop("workers"))
    skip = output_files(output) if output is not None else ()  # a previous run's outputs are not inputs
    with open_engine(kwargs.pop("engine"), kwargs.pop("scheduler"), config.workers) as engine:
        articles, rejects = read_input(kwargs, engine, lazy=True, skip=skip)  # read as the run spools the texts
        stories = output is not None or emit in ("stories", "conflicts")  # else nobody reads them
        try:
            result = run(drained(articles) if isinstance(articles, list) else articles, config, progress_printer(quiet),
                         rejects=rejects, engine=engine, stories=stories,
                         details=False,  # no output reads the fields, profiles or ranks: each is freed when done
                         reports=output is not None,  # the merge workers render the reports' sections
                         output_dir=output)  # the stories spool there: stories.jsonl is renamed into place
        except NoArticlesError:
            if len(rejects):
                _all_rejected(rejects, output)
            _no_records(kwargs["inputs"], kwargs["fmt"], skip)
        ahead = forks(engine)  # workers may use the other cores: so may the reports' writers
    if output is not None:
        written = _write_files(result, output, release=emit not in ("deduped", "stories"),  # nothing else reads
                               ahead=ahead)
        if emit:
            _emit(result, emit)
        if not quiet:
            _log_summary(result, f"wrote {', '.join(p.name for p in written)} to {Path(output)}", output)
    else:
        show_rejects(rejects)
        _emit(result, emit or "clusters")
        if not quiet:
            _log_summary(result, f"wrote {emit or 'clusters'} to stdout", output)


def _no_records(inputs: tuple[str, ...], fmt: str | None, skip: Collection[str]) -> None:
    """No record at all was read: stop with a NoArticlesError naming the files read (the first five)."""
    files = [_label(path) for path, _ in expand_inputs(inputs, fmt, skip)]
    named = ", ".join(files[:5]) + (f" and {len(files) - 5} more" if len(files) > 5 else "")
    raise NoArticlesError(f"no articles to process: {named} {'holds' if len(files) == 1 else 'hold'} no records.",
                          hint="give files that hold articles (an empty file or a CSV header alone holds none).")


def _all_rejected(rejects: Rejects, output: str | None) -> None:
    """Every record was set aside: write rejects.jsonl (or list them on stderr), then stop with an InputError."""
    they = "they are" if len(rejects) != 1 else "it is"
    if output is not None:
        where = f"{they} listed in {write_rejects(rejects, output)}"
    else:
        show_rejects(rejects)
        where = f"{they} listed above"
    what = f"all {len(rejects)} records were rejected" if len(rejects) != 1 else "the one record was rejected"
    raise InputError(f"no articles to process: {what}; {where}.",
                     hint="correct those records (or map their fields with --*-field) and run again.")


def _write_files(result: Result, output: str, release: bool, ahead: bool = False) -> list[Path]:
    """Write the output files (``release``: each temporary file given up once written out; ``ahead``: the reports
    written by forked processes meanwhile; see ``output.iter_outputs``); on Ctrl-C or SIGTERM, say which were
    written and which were not."""
    written: list[Path] = []
    try:
        for path in iter_outputs(result, output, release=release, ahead=ahead):
            written.append(path)  # noqa: PERF402 - kept one by one: an interruption must know them
    except KeyboardInterrupt as interrupt:
        done = [path.name for path in written]
        missing = [name for name in output_names(result) if name not in done]
        wrote = f"wrote {', '.join(done)} to {output}; " if done else ""
        raise Interrupted.during(interrupt, f"{wrote}not written: {', '.join(missing)}. "
                                 "No file is half-written.") from None
    return written


def _emit(result: Result, what: str) -> None:
    """Stream one kind of record to stdout as JSON lines, :data:`EMIT_LINES` at a time (``click.echo`` flushes
    each call: a write per line cost ~0.3 s per 100,000 clusters)."""
    try:
        lines: list[str] = []
        for record in EMITTERS[what](result):
            lines.append(dumps(record))
            if len(lines) == EMIT_LINES:
                click.echo("\n".join(lines))
                lines.clear()
        if lines:
            click.echo("\n".join(lines))
    except KeyboardInterrupt as interrupt:
        raise Interrupted.during(interrupt, f"the {what} records on stdout are incomplete.") from None


def _log_summary(result: Result, action: str, output: str | None) -> None:
    """One line on stderr: what was read, set aside, found and written."""
    counts = result.summary
    edges = ", ".join(f"{n} {relation}" for relation, n in counts["edges"].items())
    edges = f"links found: {edges}" if edges else "no links"  # every link, between clusters too: not clusters
    read = f"read {counted(counts['articles']['read'], 'article')}"
    rejects: Rejects | None = result.extras.get("rejects")
    if rejects is not None and rejects.policy == "skip":
        where = f" (see {Path(output) / 'rejects.jsonl'})" if output is not None and len(rejects) else ""
        rejected = counts["articles"]["rejected"]
        read = f"read {counted(counts['articles']['read'], 'record')}, rejected {rejected}{where}"
    click.echo(f"dedupe: {read}; {counted(counts['clusters']['total'], 'cluster')} ({edges}); {action}", err=True)


@main.command("report")
@click.argument("directory", type=click.Path(file_okay=False, exists=True), metavar="DIR")
@click.option("-q", "--quiet", is_flag=True, help="No log line on stderr.")
@handle_errors
def report_command(directory: str, quiet: bool) -> None:
    """Re-render report.html, report.md and conflicts.csv from DIR/stories.jsonl."""
    written = write_reports(directory)
    if not quiet:
        click.echo(f"dedupe: wrote {', '.join(p.name for p in written)} to {directory}", err=True)
