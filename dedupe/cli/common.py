"""Shared pieces of the command line: the group, option decorators, error handling, reading."""

from __future__ import annotations

import functools
import gc
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

import click

from .. import __version__
from ..config import Config
from ..engine import Engine, LocalEngine
from ..errors import DedupeError
from ..load import FORMATS, read_articles
from ..load_parts import read_parts
from ..pipeline import Progress
from ..records import POLICIES, FieldMap, Rejects
from ..types import Article

#: Exit code after Ctrl-C (128 + SIGINT); SIGTERM exits with 128 + 15 = 143.
EXIT_INTERRUPTED = 128 + signal.SIGINT


class Interrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM while a command ran; ``note`` says what was and was not written.

    Example: ``Interrupted(signal.SIGTERM, "wrote clusters.jsonl to out; not written: summary.json.")``.
    """

    def __init__(self, signum: int = signal.SIGINT, note: str = "") -> None:
        super().__init__(signum, note)
        self.signum = signum
        self.note = note

    @classmethod
    def during(cls, interrupt: KeyboardInterrupt, note: str) -> Interrupted:
        """The same interruption (Ctrl-C or SIGTERM) with a note on what it left undone."""
        return cls(getattr(interrupt, "signum", signal.SIGINT), note)

    def describe(self) -> str:
        """``Interrupted (Ctrl-C): NOTE`` for stderr."""
        name = "Ctrl-C" if self.signum == signal.SIGINT else signal.Signals(self.signum).name
        return f"Interrupted ({name}): {self.note or 'stopped before writing any output.'}"


def _interrupt_handler(owner: int) -> Callable[[int, object], None]:
    """A SIGTERM handler that unwinds process ``owner`` like Ctrl-C does, so temporary files are removed.

    A forked worker inherits the handler: there the signal keeps its default effect (end quietly).
    """
    def handle(signum: int, frame: object) -> None:
        if os.getpid() != owner:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise Interrupted(signum)
    return handle


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """While the block runs, SIGTERM raises :class:`Interrupted` (main thread only; the old handler comes back)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _interrupt_handler(os.getpid()))
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def handle_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into one-line messages on stderr and their exit codes; Ctrl-C and SIGTERM too."""
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with terminate_as_interrupt():
            try:
                return command(*args, **kwargs)
            except DedupeError as error:
                _clear_progress()
                click.echo(f"Error: {error.describe()}", err=True)
                sys.exit(error.exit_code)
            except KeyboardInterrupt as interrupt:
                stopped = interrupt if isinstance(interrupt, Interrupted) else Interrupted.during(interrupt, "")
                _clear_progress()
                click.echo(stopped.describe(), err=True)
                code = 128 + stopped.signum
                del stopped
        _close_dropped_work()
        sys.exit(code)
    return wrapper


def _close_dropped_work() -> None:
    """After an interruption, with its traceback gone: close the work it left unfinished (a worker pool's
    generator stops its pool) now, in this thread. Left to the collector at exit, a pool's generator may be closed
    in the pool's own manager thread, whose shutdown cannot join itself ("Exception ignored ... cannot join")."""
    gc.collect()


def _clear_progress() -> None:
    """On a terminal, wipe a progress line that may be half drawn, so a message starts on a clean line."""
    if sys.stderr.isatty():
        click.echo("\r\x1b[K", err=True, nl=False)


def input_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """INPUT arguments, --format and the field-mapping options, shared by every command that reads."""
    options = [
        click.argument("inputs", nargs=-1, required=True, metavar="INPUT..."),
        click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
                     help="Input format (default: by extension; stdin is JSONL)."),
        click.option("--on-error", "on_error", type=click.Choice(POLICIES), default="fail", show_default=True,
                     help="On a bad record: stop with an error (fail), or set it aside and go on (skip: listed "
                     "in rejects.jsonl with `run -o`, else on stderr)."),
    ]
    command = field_options(command)  # listed after the options above
    for option in reversed(options):
        command = option(command)
    return command


def field_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The --*-field options mapping record fields to an article's (every command that reads articles)."""
    for name in reversed(("id", "text", "title", "date", "source", "url")):
        command = click.option(f"--{name}-field", f"{name}_field", metavar="NAME", default=None,
                               help=f"Record field holding the article's {name}.")(command)
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
        click.option("--workers", type=int, default=None, metavar="N",
                     help="Processes for signatures and field extraction; 0 = one per core [0]."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


ENGINES: tuple[str, ...] = ("local", "dask")


def engine_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--engine and --scheduler: where reading, signatures, banding and extraction run."""
    options = [
        click.option("--engine", "engine", type=click.Choice(ENGINES), default="local", show_default=True,
                     help="Run the per-article work here (local) or on a Dask cluster (dask; pip install "
                     "'newsdedupe[dask]')."),
        click.option("--scheduler", default=None, metavar="ADDRESS",
                     help="With --engine dask: the scheduler of an existing cluster, e.g. tcp://host:8786 "
                     "[a local cluster of --workers processes]."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@contextmanager
def open_engine(kind: str, scheduler: str | None, workers: int) -> Iterator[Engine]:
    """The engine named by --engine, open while the block runs (a Dask client and cluster are closed after)."""
    if kind == "local":
        if scheduler:
            raise click.UsageError("--scheduler needs --engine dask.")
        yield LocalEngine(workers)
        return
    from ..dask_engine import dask_engine

    with dask_engine(scheduler, workers) as engine:
        yield engine


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


def read_input(kwargs: dict[str, Any], engine: Engine | None = None, *, lazy: bool = False,
               skip: Collection[str] = ()) -> tuple[Iterable[Article], Rejects]:
    """Every article named by the input options, and the records set aside under ``--on-error``.

    With an engine other than the local one, the files are read as partitions by that engine. With ``lazy``
    and the local engine, the articles are read as the caller iterates (so a run that keeps its texts on disk
    never holds them all), and ``rejects`` fills as it goes. Directories are walked passing over ``skip``.
    """
    rejects = Rejects(kwargs["on_error"])
    local = engine is None or isinstance(engine, LocalEngine)
    read = read_articles if local else partial(read_parts, engine=engine)
    articles = read(kwargs["inputs"], format=kwargs["fmt"], fields=field_map(kwargs), rejects=rejects, skip=skip)
    return (articles if lazy and local else list(articles)), rejects


def read_all(kwargs: dict[str, Any]) -> list[Article]:
    """Every article named by the input options; records skipped under ``--on-error skip`` are listed on stderr."""
    articles, rejects = read_input(kwargs)
    show_rejects(rejects)
    return articles


def show_rejects(rejects: Rejects) -> None:
    """One ``Skipped: FILE:LINE: ...`` line on stderr per record set aside."""
    for reject in rejects:
        click.echo(f"Skipped: {reject.describe()}", err=True)


def progress_printer(quiet: bool) -> Progress | None:
    """A progress callback drawing one line on stderr, or None when quiet or not a terminal."""
    if quiet or not sys.stderr.isatty():
        return None
    return _ProgressLine()


class _ProgressLine:
    """Draws ``stage: done/total (pct%) rate/s, ETA`` on one stderr line; a stage ends with a newline."""

    def __init__(self) -> None:
        self.stage, self.started = "", 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage != self.stage:
            self.stage, self.started = stage, now
        click.echo(f"\r{_progress_text(stage, done, total, now - self.started)}\033[K", err=True, nl=False)
        if done >= total:
            click.echo("", err=True)


def _progress_text(stage: str, done: int, total: int, elapsed: float) -> str:
    """``extract: 2,000/10,000 (20%) 180/s, about 44 s left`` (rate and ETA once a second has passed)."""
    text = f"{stage}: {done:,}/{total:,} ({100 * done // max(total, 1)}%)"
    if elapsed < 1 or not done:
        return text
    rate = done / elapsed
    if done >= total:
        return f"{text} in {elapsed:.0f} s"
    return f"{text} {rate:,.0f}/s, about {(total - done) / rate:.0f} s left"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dedupe")
def main() -> None:
    """Find news articles that tell the same story, cluster them, and merge each story."""
