"""`dedupe report DIR`: re-render the editor reports from a run's stories.jsonl."""

from __future__ import annotations

import click

from ..report import write_reports
from .common import handle_errors, main


@main.command("report")
@click.argument("directory", type=click.Path(file_okay=False, exists=True), metavar="DIR")
@click.option("-q", "--quiet", is_flag=True, help="No log line on stderr.")
@handle_errors
def report_command(directory: str, quiet: bool) -> None:
    """Re-render report.html, report.md and conflicts.csv from DIR/stories.jsonl."""
    written = write_reports(directory)
    if not quiet:
        click.echo(f"dedupe: wrote {', '.join(p.name for p in written)} to {directory}", err=True)
