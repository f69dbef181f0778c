"""Output files written atomically, some ahead of their turn by forked processes while this one writes the others."""

from __future__ import annotations

import os
import signal
import tempfile
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path
from typing import NamedTuple, NoReturn

from .outputspool import umask

#: Fills an output's empty temporary file itself, given its descriptor (bytes already on disk, copied or moved).
Filler = Callable[[int], None]


class Spooled(NamedTuple):
    """An output whose bytes are already in a file: ``place(path)`` renames that file onto ``path`` when it can
    (True), else changes nothing (False) and ``fill`` copies them."""

    place: Callable[[Path], bool]
    fill: Filler


def atomic_write(path: Path, chunks: Iterable[str] | Filler) -> None:
    """Write to a temporary file beside ``path``, then rename: readers never see half a file. ``chunks`` is the
    text, or a :data:`Filler` that writes the bytes into the temporary file's descriptor."""
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in the with block below
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False, newline="\n"
    )
    try:
        with handle:
            if callable(chunks):
                chunks(handle.fileno())
            else:
                handle.file.writelines(chunks)  # the file itself: the wrapper's write costs a Python call a chunk
            handle.flush()
            os.fsync(handle.fileno())
        _publish(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def _publish(name: str, path: Path) -> None:
    """Give the written temporary file ``name`` the permissions a new file gets and rename it onto ``path``."""
    os.chmod(name, 0o666 & ~umask())
    os.replace(name, path)


class WrittenAhead:
    """Outputs written ahead of their turn, each by a process forked for it, while this process writes the ones
    before them (the two cores of a machine both at work where one was: at 100k the reports take ~5.5 s of the
    ~9.5 s of writing, all in one process before).

    :meth:`start` forks a process that fills a temporary file beside the output's path, syncs it and exits; at
    the output's turn :meth:`place` waits for it and renames the file onto the path (the same bytes, the same
    order of files appearing, as writing it then). A process that failed (any error: a full disk, an article
    holding a lone surrogate) leaves nothing placed: :meth:`place` answers False and the caller writes the output
    itself, so the error is raised as it would have been. :meth:`close` stops and reaps every process not yet
    placed and deletes its file (a run interrupted, or an error in another output). Systems without ``os.fork``
    start nothing: each output is written at its turn.
    """

    def __init__(self) -> None:
        self.children: dict[Path, tuple[int, str]] = {}  # path -> (process id, temporary file)

    def start(self, path: Path, fill: Filler) -> None:
        """Fork a process writing ``fill``'s bytes into a temporary file beside ``path`` (nothing when this
        system cannot fork, or the file or the process cannot be made: the output is then written at its turn)."""
        if not hasattr(os, "fork"):  # pragma: no cover - every system the CLI forks workers on has it
            return
        try:
            fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        except OSError:
            return
        try:
            pid = os.fork()
        except OSError:
            os.close(fd)
            Path(name).unlink(missing_ok=True)
            return
        if pid == 0:
            _fill_and_exit(fd, fill)
        os.close(fd)
        self.children[path] = (pid, name)

    def __contains__(self, path: object) -> bool:
        return path in self.children

    def place(self, path: Path) -> bool:
        """Wait for the process writing ``path``; rename its file onto ``path`` if it wrote it all (True), else
        delete the file and answer False (nothing changed: the caller writes the output)."""
        pid, name = self.children.pop(path)
        if _reaped(pid):
            try:
                _publish(name, path)
                return True
            except OSError:
                pass
        Path(name).unlink(missing_ok=True)
        return False

    def close(self) -> None:
        """Stop every process not yet placed, reap it and delete its file."""
        while self.children:
            _, (pid, name) = self.children.popitem()
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            _reaped(pid)
            Path(name).unlink(missing_ok=True)


def _fill_and_exit(fd: int, fill: Filler) -> NoReturn:
    """In the forked process: write the output into ``fd``, sync it and exit (status 0 once all is on disk, else
    1); no finaliser of the parent's objects, no exit handler and no buffered output of the parent runs."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C reaches the whole group: end at once, unreported
        fill(fd)
        os.fsync(fd)
        code = 0
    finally:
        os._exit(code)


def _reaped(pid: int) -> bool:
    """Wait for process ``pid`` to end; whether it exited with status 0."""
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return False
    return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
