"""Reading as partitions: each input file, or line-aligned byte range of a large JSONL file, read by an engine.

The records come back in input order and are accepted, rejected and checked for repeated ids on the
caller's side exactly as :func:`load.read_articles` does, so the articles, their ``FILE:LINE`` ids, the
rejects and ``Rejects.read`` are the same whatever the engine and the partition size. A worker opens
the files itself: on a cluster, every worker must see the inputs at the same paths (a shared
filesystem); a worker that cannot find one stops the read with an :class:`InputError` saying so.
Standard input is read in this process.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import platform
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from functools import partial
from typing import IO

from .decoding import SNIFF_BYTES
from .engine import Engine, LocalEngine
from .errors import InputError
from .formats import READERS, RawRecord
from .load import (
    STDIN,
    _label,
    _read_bytes,
    check_new_id,
    decode_checked,
    expand_inputs,
    raw_records,
    record_article,
)
from .records import FieldMap, Rejects
from .types import Article

#: A JSONL file larger than this is read as several byte ranges of about this size.
PART_BYTES = 32 << 20
#: What a worker hands back per record: its line, its raw text and its Article, or the InputError it raised.
Outcome = tuple[int | None, str | None, Article | InputError]


@dataclass(frozen=True)
class Part:
    """One unit of reading: a whole input (``end`` None), or bytes ``start:end`` of a JSONL file.

    ``path`` is absolute (a worker's working directory is not the caller's); ``label`` is the input as
    given, for ids and messages; ``first_line`` is the range's first line number in the whole file.
    Example: ``Part("/data/big.jsonl", "big.jsonl", "jsonl", 33554467, 67108901, first_line=18211)``.
    """

    path: str
    label: str
    fmt: str
    start: int = 0
    end: int | None = None
    first_line: int = 1

    @classmethod
    def of(cls, path: str, fmt: str) -> Part:
        """The whole input ``path`` (as given) in format ``fmt``."""
        return cls(path if path == STDIN else os.path.abspath(path), _label(path), fmt)


def read_parts(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    engine: Engine | None = None,
    format: str | None = None,
    fields: FieldMap | None = None,
    stdin: IO[bytes] | None = None,
    rejects: Rejects | None = None,
    part_bytes: int = PART_BYTES,
    skip: Collection[str] = (),
) -> Iterator[Article]:
    """The articles of ``inputs`` as :func:`load.read_articles` yields them, read as partitions by ``engine``.

    Takes the same arguments, plus ``engine`` (default: this process) and ``part_bytes``.
    """
    engine, fields = engine or LocalEngine(), fields or FieldMap()
    policy = rejects if rejects is not None else Rejects()
    parts, stop = _plan(inputs, format, engine, part_bytes, skip)
    remote = [part for part in parts if part.path != STDIN]
    results = engine.map_chunks(partial(read_outcomes, fields=fields), remote, _singles(len(remote)))
    seen: dict[str, str] = {}
    with closing(results):
        for part in parts:
            outcomes = read_outcomes([part], fields, stdin) if part.path == STDIN else next(results)
            yield from _accepted(outcomes, part.label, seen, policy)
    if stop is not None:
        raise stop


def _accepted(outcomes: list[Outcome], label: str, seen: dict[str, str], policy: Rejects) -> Iterator[Article]:
    """The articles of one part's outcomes; bad records and repeated ids go to ``policy``, in order."""
    for line, raw, value in outcomes:
        policy.read += 1
        try:
            if isinstance(value, InputError):
                raise value
            assert line is not None
            check_new_id(value, seen, label, line)
        except InputError as error:
            policy.reject(error, raw)
            continue
        seen[value.id] = value.origin
        yield value


def _plan(inputs: Iterable[str | os.PathLike[str]], format: str | None, engine: Engine,
          part_bytes: int, skip: Collection[str] = ()) -> tuple[list[Part], InputError | None]:
    """The parts of every input, in order, and the InputError that stopped the listing (raised after them)."""
    parts: list[Part] = []
    try:
        for path, fmt in expand_inputs(inputs, format, skip):
            parts.extend(_split(path, fmt, engine, part_bytes))
    except InputError as error:
        return parts, error
    return parts, None


def _split(path: str, fmt: str, engine: Engine, part_bytes: int) -> list[Part]:
    """A large UTF-8 JSONL file as line-aligned byte ranges (line numbers counted by ``engine``); else one part."""
    size = os.path.getsize(path) if path != STDIN and os.path.isfile(path) else 0
    if fmt != "jsonl" or size <= part_bytes or not _plain_utf8(path):
        return [Part.of(path, fmt)]
    cuts = _cuts(path, size, part_bytes)
    whole = Part.of(path, fmt)
    ranges = [dataclasses.replace(whole, start=start, end=end) for start, end in itertools.pairwise(cuts)]
    counts = list(engine.map_chunks(count_breaks, ranges, _singles(len(ranges))))
    first_lines = itertools.accumulate(counts, initial=1)
    return [dataclasses.replace(part, first_line=line) for part, line in zip(ranges, first_lines)]


def _singles(count: int) -> list[tuple[int, int]]:
    """One span per part: each part is one task."""
    return [(k, k + 1) for k in range(count)]


def _plain_utf8(path: str) -> bool:
    """True when the file starts with neither a UTF-16 mark nor a NUL byte in its first 8 KB (it can be cut)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return False
    return not head.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" not in head


def _cuts(path: str, size: int, part_bytes: int) -> list[int]:
    """Byte offsets ``0 < ... < size``, each just after a newline, about ``part_bytes`` apart."""
    cuts = [0]
    with open(path, "rb") as handle:
        while cuts[-1] + part_bytes < size:
            handle.seek(cuts[-1] + part_bytes)
            rest = handle.readline()
            if not rest.endswith(b"\n"):
                break
            cuts.append(handle.tell())
    return cuts + [size] if cuts[-1] < size else cuts


def count_breaks(parts: Sequence[Part]) -> int:
    """Line breaks in a byte range as :func:`load.decode` reads them (CRLF, CR and LF each end one line)."""
    data = _range_bytes(parts[0])
    return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")


def read_outcomes(parts: Sequence[Part], fields: FieldMap, stdin: IO[bytes] | None = None) -> list[Outcome]:
    """Every record of one part as ``(line, raw, Article or InputError)`` (one unit of work for an engine)."""
    part = parts[0]
    label = part.label
    outcomes: list[Outcome] = []
    for record in _records(part, stdin):
        try:
            outcomes.append((record.line, record.raw, record_article(record, fields, label)))
        except InputError as error:
            outcomes.append((record.line, record.raw, error))
    return outcomes


def _records(part: Part, stdin: IO[bytes] | None) -> Iterator[RawRecord]:
    """The raw records of a part, numbered by their line in the whole file."""
    if part.path == STDIN:
        yield from raw_records(STDIN, part.fmt, stdin)
        return
    if not os.path.exists(part.path):
        raise InputError(f"not found on the worker {platform.node()!r} (as {part.path}).", file=part.label,
                         hint="every worker must see the inputs at the same paths (a shared filesystem), "
                         "or run with --engine local.")
    try:
        data = _read_bytes(part.path, part.label) if part.end is None else _range_bytes(part)
        text, checked = decode_checked(data, part.label, start=part.start == 0)
    except InputError as error:
        yield RawRecord(error.line, None, error=error)
        return
    for record in READERS[part.fmt](text, part.label, checked):
        yield _shifted(record, part.first_line - 1)


def _range_bytes(part: Part) -> bytes:
    """The bytes ``start:end`` of a part's file."""
    assert part.end is not None
    try:
        with open(part.path, "rb") as handle:
            handle.seek(part.start)
            return handle.read(part.end - part.start)
    except OSError as error:
        raise InputError(f"cannot read the file ({error.strerror}).", file=part.label,
                         hint="check that it exists and that you may read it.") from None


def _shifted(record: RawRecord, lines: int) -> RawRecord:
    """``record`` moved down by ``lines`` lines (a byte range's numbering made the whole file's)."""
    if not lines or record.line is None:
        return record
    error = record.error
    if error is not None and error.line is not None:
        error = InputError(error.message, file=error.file, line=error.line + lines, field=error.field, hint=error.hint)
    return dataclasses.replace(record, line=record.line + lines, error=error)
