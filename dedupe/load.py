"""Readers: files, directories and stdin in .txt, JSONL, JSON or CSV -> Article iterator; bad records rejected."""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from typing import IO

from .decoding import (
    SNIFF_BYTES,
    SURROGATE_ESCAPE,
    UTF16_BOMS,
    escape_surrogates,
    stream_jsonl,
)
from .errors import DuplicateIdError, InputError
from .formats import READERS, RawRecord, parse_txt
from .records import FieldMap, Rejects, to_article
from .types import Article

__all__ = ["EXTENSIONS", "FORMATS", "STDIN", "decode", "expand_inputs", "parse_txt", "raw_records", "read_articles"]

FORMATS: tuple[str, ...] = tuple(READERS)
EXTENSIONS: dict[str, str] = {".txt": "txt", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv"}
STDIN = "-"
_UNDECODED = re.compile("[\udc80-\udcff]")


def read_articles(
    inputs: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    format: str | None = None,
    fields: FieldMap | None = None,
    stdin: IO[bytes] | None = None,
    rejects: Rejects | None = None,
    skip: Collection[str] = (),
) -> Iterator[Article]:
    """Yield every article in ``inputs`` (files, directories or ``-`` for stdin, or one of them), in order.

    ``format`` forces one of :data:`FORMATS`; otherwise the extension decides (stdin is
    JSONL). Records without an id get ``FILE:LINE``; a repeated id is a
    :class:`DuplicateIdError` naming both places. A bad record goes to ``rejects``: by
    default (or with ``Rejects("fail")``) its InputError is raised; with
    ``Rejects("skip")`` it is kept there and reading goes on. ``rejects.read`` counts
    every record met. A directory's walk passes over the files in ``skip`` (real paths: the
    outputs of the run reading them, when they are written inside an input directory).
    """
    fields = fields or FieldMap()
    policy = rejects if rejects is not None else Rejects()
    seen: dict[str, str] = {}
    for path, fmt in expand_inputs(inputs, format, skip):
        label = _label(path)
        for record in raw_records(path, fmt, stdin):
            policy.read += 1
            try:
                article = _accept(record, fields, label, seen)
            except InputError as error:
                policy.reject(error, record.raw)
                continue
            seen[article.id] = article.origin
            yield article


def _accept(record: RawRecord, fields: FieldMap, label: str, seen: dict[str, str]) -> Article:
    """The article of one raw record; InputError when the record is bad or its id was seen before."""
    article = record_article(record, fields, label)
    assert record.line is not None
    check_new_id(article, seen, label, record.line)
    return article


def record_article(record: RawRecord, fields: FieldMap, label: str) -> Article:
    """The article of one raw record, its id not yet checked against others; InputError when it is bad."""
    if record.error is not None:
        raise record.error
    assert record.line is not None
    if not record.checked:  # (a checked record's raw text is not read: a line's is decoded only when asked for)
        assert record.raw is not None
        _check_bytes(record.raw, label, record.line)
    return to_article(record.value, fields, label, record.line, checked=record.checked)


def check_new_id(article: Article, seen: dict[str, str], label: str, line: int) -> None:
    """Raise DuplicateIdError when ``article``'s id is in ``seen`` (id -> where it was first read)."""
    if article.id in seen:
        raise DuplicateIdError(
            f"duplicate id {article.id!r}: first at {seen[article.id]}, again here.",
            file=label, line=line, field="id",
            hint="give every record its own id, or drop the ids to let dedupe number records FILE:LINE.",
        )


def _check_bytes(raw: str, label: str, line: int) -> None:
    """Raise InputError at the first byte of ``raw`` that was not UTF-8 (kept as a lone surrogate)."""
    found = None if raw.isascii() else _UNDECODED.search(raw)
    if found:
        raise InputError(f"not valid UTF-8: byte 0x{ord(found.group()) - 0xDC00:02x} cannot be decoded.",
                         file=label, line=line + raw.count("\n", 0, found.start()), hint="re-save the file as UTF-8.")


def _label(path: str) -> str:
    """How a path is shown in messages, ids and outputs (``<stdin>``; undecodable name bytes escaped)."""
    return "<stdin>" if path == STDIN else escape_surrogates(path)


def expand_inputs(inputs: Iterable[str | os.PathLike[str]] | str | os.PathLike[str], format: str | None,
                  skip: Collection[str] = ()) -> Iterator[tuple[str, str]]:
    """Each input file with its format; directories are walked in sorted order, passing over the files whose real
    paths are in ``skip`` (a file named as an input is read whatever ``skip`` says)."""
    if format is not None and format not in FORMATS:
        raise InputError(f"unknown format {format!r}.", hint=f"use one of {', '.join(FORMATS)}.")
    if isinstance(inputs, (str, os.PathLike)):  # one path, not the letters of one
        inputs = [inputs]
    for item in inputs:
        name = os.fspath(item)
        if name == STDIN:
            yield STDIN, format or "jsonl"
        elif os.path.isdir(name):
            found = False
            for path in _walk(name, skip):
                found = True
                yield path, format or EXTENSIONS[Path(path).suffix.lower()]
            if not found:
                raise InputError("the directory holds no input files.", file=_label(name),
                                 hint="check the path; dedupe reads .txt, .jsonl, .ndjson, .json and .csv files "
                                 "(hidden ones are skipped).")
        elif os.path.exists(name):
            yield name, format or _format_of(name)
        else:
            raise InputError("no such file or directory.", file=_label(name), hint="check the path.")


def _format_of(path: str) -> str:
    """The format a file's extension names."""
    suffix = Path(path).suffix.lower()
    if suffix not in EXTENSIONS:
        raise InputError(
            f"cannot tell the format from the extension {escape_surrogates(suffix) or '(none)'!r}.",
            file=_label(path), hint=f"rename the file or pass --format ({', '.join(FORMATS)}).",
        )
    return EXTENSIONS[suffix]


def _walk(root: str, skip: Collection[str] = ()) -> Iterator[str]:
    """Files with a known extension under ``root``, sorted, hidden ones and those in ``skip`` (real paths) passed
    over, following links once each."""
    visited: set[str] = set()
    for directory, subdirs, files in os.walk(root, followlinks=True, onerror=_unlistable):
        real = os.path.realpath(directory)
        if real in visited:
            subdirs[:] = []
            continue
        visited.add(real)
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        for name in sorted(files):
            if Path(name).suffix.lower() in EXTENSIONS and not name.startswith("."):
                path = os.path.join(directory, name)
                if not skip or os.path.realpath(path) not in skip:
                    yield path


def _unlistable(error: OSError) -> None:
    """Raise InputError for a directory that cannot be listed (os.walk would skip it silently)."""
    raise InputError(f"cannot list the directory ({error.strerror}).", file=_label(str(error.filename)),
                     hint="check that you may read it, or leave it out of the input.")


def raw_records(path: str, fmt: str, stdin: IO[bytes] | None = None) -> Iterator[RawRecord]:
    """The raw records of one input; a file that cannot be read or decoded is one bad record."""
    label = _label(path)
    if fmt == "jsonl":
        yield from _jsonl_stream(path, label, stdin)
        return
    try:
        data = (stdin or sys.stdin.buffer).read() if path == STDIN else _read_bytes(path, label)
        text, checked = decode_checked(data, label)
    except InputError as error:
        yield RawRecord(error.line, None, error=error)
        return
    yield from READERS[fmt](text, label, checked)


def _jsonl_stream(path: str, label: str, stdin: IO[bytes] | None) -> Iterator[RawRecord]:
    """The raw records of a JSONL input read as a stream (see :mod:`dedupe.decoding`); a read error ends it
    with one bad record."""
    try:
        with contextlib.ExitStack() as stack:
            handle = stack.enter_context(open(path, "rb")) if path != STDIN else stdin or sys.stdin.buffer
            yield from stream_jsonl(handle, label, decode_checked)
    except OSError as error:
        yield RawRecord(None, None, error=_unreadable(error, label))
    except InputError as error:
        yield RawRecord(error.line, None, error=error)


def _read_bytes(path: str, label: str) -> bytes:
    """A file's bytes, or an InputError saying why it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise _unreadable(error, label) from None


def _unreadable(error: OSError, label: str) -> InputError:
    """The error of a file that cannot be read (to the end)."""
    return InputError(f"cannot read the file ({error.strerror}).", file=label,
                      hint="check that it exists and that you may read it.")


def decode(data: bytes, label: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM) or UTF-16 with a BOM; CRLF becomes LF.

    Bytes that are not UTF-8 are kept as lone surrogates (``surrogateescape``), so the
    record holding one is refused and the rest of the file is still read. A NUL byte
    in the first 8 KB of a file without a UTF-16 BOM means a binary file.
    """
    return _decode(data, label)[0]


def decode_checked(data: bytes, label: str, *, start: bool = True) -> tuple[str, bool]:
    """:func:`decode`'s text (``start=False``: of a byte range inside a file, no mark or sniffing), and
    whether it cannot hold a lone surrogate: every byte decoded as UTF-8 and no JSON escape makes one (the
    escape is looked for in the bytes, so UTF-16 text is never taken as checked)."""
    text, strict = _decode(data, label) if start else _utf8(data, "utf-8")
    if not start and "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, strict and not SURROGATE_ESCAPE.search(data)


def _decode(data: bytes, label: str) -> tuple[str, bool]:
    """:func:`decode`'s text, and whether every byte decoded as UTF-8 (no surrogate stands for a bad byte)."""
    if data.startswith(UTF16_BOMS):
        encoding = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
        try:
            text = data[2:].decode(encoding)
        except UnicodeDecodeError as error:
            line = data[2:2 + error.start].decode(encoding, "replace").count("\n") + 1
            raise InputError(f"not valid UTF-16 ({error.reason} at byte {error.start + 2}).", file=label,
                             line=line, hint="re-save the file as UTF-8.") from None
        strict = False  # the escape search reads the bytes, which UTF-16 text does not spell as UTF-8
    elif b"\x00" in data[:SNIFF_BYTES]:
        raise InputError("looks like a binary file (it holds NUL bytes), not text.", file=label,
                         hint="remove it from the input, or convert it to UTF-8 text.")
    else:
        text, strict = _utf8(data)
    return (text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text), strict


def _utf8(data: bytes, codec: str = "utf-8-sig") -> tuple[str, bool]:
    """UTF-8 bytes (a BOM dropped by default) as text, and whether all of them decoded; bad bytes become
    surrogates."""
    try:
        return data.decode(codec), True
    except UnicodeDecodeError:
        return data.decode(codec, "surrogateescape"), False
