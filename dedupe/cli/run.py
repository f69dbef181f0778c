"""`dedupe run`: read, cluster, and write the outputs or stream them to stdout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..output import EMITTERS, dumps, write_outputs
from ..pipeline import Result, run
from .common import (
    config_options,
    handle_errors,
    input_options,
    load_config,
    main,
    progress_printer,
    read_all,
)


@main.command("run")
@input_options
@config_options
@click.option("-o", "--output", "output", type=click.Path(file_okay=False), default=None,
              help="Directory for the output files (created if needed).")
@click.option("--emit", type=click.Choice(sorted(EMITTERS)), default=None,
              help="Without -o: write this JSONL to stdout [clusters].")
@click.option("-q", "--quiet", is_flag=True, help="No progress or log lines on stderr.")
@handle_errors
def run_command(output: str | None, emit: str | None, quiet: bool, config_file: str | None, **kwargs: Any) -> None:
    """Cluster the articles in INPUT... and write the results.

    INPUT is a file, a directory (walked for .txt, .jsonl, .json, .csv) or - for stdin.
    """
    config = load_config(config_file, threshold=kwargs.pop("threshold"), shingle_size=kwargs.pop("shingle_size"),
                         num_perm=kwargs.pop("num_perm"), relations=kwargs.pop("relations"))
    articles = read_all(kwargs)
    result = run(articles, config, progress_printer(quiet))
    if output is not None:
        written = write_outputs(result, output)
        if emit:
            _emit(result, emit)
        if not quiet:
            _log_summary(result, f"wrote {', '.join(p.name for p in written)} to {Path(output)}")
    else:
        _emit(result, emit or "clusters")
        if not quiet:
            _log_summary(result, f"wrote {emit or 'clusters'} to stdout")


def _emit(result: Result, what: str) -> None:
    """Stream one kind of record to stdout as JSON lines."""
    for record in EMITTERS[what](result):
        click.echo(dumps(record))


def _log_summary(result: Result, action: str) -> None:
    """One line on stderr: what was read, found and written."""
    counts = result.summary
    edges = ", ".join(f"{n} {relation}" for relation, n in counts["edges"].items()) or "no links"
    click.echo(f"dedupe: read {counts['articles']['read']} articles; {counts['clusters']['total']} clusters "
               f"({edges}); {action}", err=True)
