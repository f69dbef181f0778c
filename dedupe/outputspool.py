"""The output directory made ready, and spools made in it under a hidden name, renamed onto their output file."""

from __future__ import annotations

import os
import re
import tempfile
import weakref
from pathlib import Path

from .errors import OutputError
from .fieldspool import OffsetFile


def prepare_dir(path: str | os.PathLike[str]) -> Path:
    """Create the output directory if needed and check that it is writable."""
    directory = Path(path)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot create the output directory ({error.strerror}).", file=str(directory),
                          hint="choose another -o directory, or fix its permissions.") from None
    if not os.access(directory, os.W_OK | os.X_OK):
        raise OutputError("the output directory is not writable.", file=str(directory),
                          hint="choose another -o directory, or fix its permissions.")
    return directory


def spool_pattern(name: str) -> re.Pattern[str]:
    """The names of output ``name``'s spools, ``.NAME.spool.XXXXXXXX.tmp`` (8 characters of ``tempfile``'s
    random names), and no other: the only files a run deletes that it did not make."""
    return re.compile(rf"\.{re.escape(name)}\.spool\.[a-z0-9_]{{8}}\.tmp")


def sweep_spools(directory: Path, name: str) -> list[Path]:
    """Delete the spools of output ``name`` in ``directory`` (those a run killed midway, by SIGKILL or the
    out-of-memory killer, left behind); return their paths. Every other file stays as it was. A spool deleted
    from under a run still at work (two runs into one directory) costs that run only its rename: it copies."""
    pattern, swept = spool_pattern(name), []
    with os.scandir(directory) as entries:
        for entry in entries:
            if pattern.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                Path(entry.path).unlink(missing_ok=True)
                swept.append(Path(entry.path))
    return swept


class OutputSpool(OffsetFile):
    """An :class:`~dedupe.fieldspool.OffsetFile` made in ``directory`` (created if needed, as
    :func:`prepare_dir` does) as ``.NAME.spool.XXXXXXXX.tmp``, the spools of ``name`` a killed run left there
    deleted first; renamed onto the output file ``NAME`` once it holds that file's bytes (:meth:`place`): on the
    same file system as the output, the rename is atomic and copies nothing. Until placed, the file is deleted
    when closed or collected (or when the process exits), as an unnamed one is; only a process killed outright
    leaves it, for the next run to sweep.
    Example: ``OutputSpool(Path("out"), "stories.jsonl")`` writes ``out/.stories.jsonl.spool.k3v9_x0a.tmp``.
    """

    def __init__(self, directory: Path, name: str) -> None:
        prepare_dir(directory)
        try:
            sweep_spools(directory, name)
            fd, path = tempfile.mkstemp(dir=directory, prefix=f".{name}.spool.", suffix=".tmp")
        except OSError as error:
            raise OutputError(f"cannot write a temporary file in the output directory ({error.strerror}).",
                              file=str(directory), hint="free some space there, or check its permissions.") from None
        super().__init__(os.fdopen(fd, "w+b"))
        self.path = Path(path)
        self._delete = weakref.finalize(self, _unlink, self.path, os.getpid())

    def place(self, target: Path) -> bool:
        """Rename the file onto ``target`` (as :func:`dedupe.output.atomic_write` renames its temporary file:
        flushed, synced to disk, given the permissions a new file gets); False, and nothing changed, when it
        cannot (placed already, another file system, any error). Its bytes still read after (by descriptor)."""
        if not self._delete.alive:
            return False
        try:
            self.handle.flush()
            os.fsync(self.handle.fileno())
            os.chmod(self.path, 0o666 & ~umask())
            os.replace(self.path, target)
        except OSError:
            return False
        self._delete.detach()
        return True

    def close(self) -> None:
        """Close the file; deleted unless it was placed."""
        super().close()
        self._delete()


def _unlink(path: Path, owner: int) -> None:
    """Delete ``path``, when called in the process that made it (not in a worker forked since)."""
    if os.getpid() == owner:
        path.unlink(missing_ok=True)


def umask() -> int:
    """The process umask (read by setting it and putting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
