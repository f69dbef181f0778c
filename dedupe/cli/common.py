"""Shared pieces of the command line: the group, option decorators, error handling, reading."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import click

from .. import __version__
from ..config import Config
from ..errors import DedupeError
from ..load import FORMATS, read_articles
from ..pipeline import Progress
from ..records import FieldMap

EXIT_INTERRUPTED = 130


def handle_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into one-line messages on stderr and their exit codes."""
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except DedupeError as error:
            click.echo(f"Error: {error.describe()}", err=True)
            sys.exit(error.exit_code)
        except KeyboardInterrupt:
            click.echo("Interrupted: no output file was left half-written; files not yet written were skipped.",
                       err=True)
            sys.exit(EXIT_INTERRUPTED)
    return wrapper


def input_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """INPUT arguments, --format and the field-mapping options, shared by every command that reads."""
    options = [
        click.argument("inputs", nargs=-1, required=True, metavar="INPUT..."),
        click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
                     help="Input format (default: by extension; stdin is JSONL)."),
    ]
    for name in ("id", "text", "title", "date", "source", "url"):
        options.append(click.option(f"--{name}-field", f"{name}_field", metavar="NAME", default=None,
                                    help=f"Record field holding the article's {name}."))
    for option in reversed(options):
        command = option(command)
    return command


def config_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--config and the most used settings, shared by run, explain and eval."""
    options = [
        click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None,
                     help="TOML file of settings (see README, Configuration)."),
        click.option("--threshold", type=float, default=None, help="Near-duplicate shingle Jaccard [0.8]."),
        click.option("--shingle-size", type=int, default=None, help="Words per shingle [5]."),
        click.option("--num-perm", type=int, default=None, help="MinHash permutations [128]."),
        click.option("--relations", default=None, metavar="LIST",
                     help="Relations to detect, comma-separated [exact,near_duplicate,same_story]."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def load_config(config_file: str | None, **overrides: Any) -> Config:
    """The config file (if any) with command-line settings on top."""
    config = Config.from_toml(config_file) if config_file else Config()
    changes = {k: v for k, v in overrides.items() if v is not None}
    if not changes:
        return config
    merged = config.to_dict() | changes
    return Config.from_dict(merged)


def field_map(kwargs: dict[str, Any]) -> FieldMap:
    """The FieldMap from --*-field options."""
    return FieldMap(id=kwargs["id_field"], text=kwargs["text_field"], title=kwargs["title_field"],
                    source=kwargs["source_field"], published=kwargs["date_field"], url=kwargs["url_field"])


def read_all(kwargs: dict[str, Any]) -> list:
    """Read every article named by the input options."""
    return list(read_articles(kwargs["inputs"], format=kwargs["fmt"], fields=field_map(kwargs)))


def progress_printer(quiet: bool) -> Progress | None:
    """A progress callback drawing one line on stderr, or None when quiet or not a terminal."""
    if quiet or not sys.stderr.isatty():
        return None

    def show(stage: str, done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        click.echo(f"\r{stage}: {done}/{total}", err=True, nl=False)
        click.echo(end, err=True, nl=False)
    return show


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dedupe")
def main() -> None:
    """Find news articles that tell the same story, cluster them, and merge each story."""
