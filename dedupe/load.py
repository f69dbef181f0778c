"""Readers: files, directories and stdin in .txt, JSONL, JSON or CSV -> Article iterator."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from .errors import DuplicateIdError, InputError
from .records import FieldMap, to_article
from .types import Article

FORMATS: tuple[str, ...] = ("txt", "jsonl", "json", "csv")
EXTENSIONS: dict[str, str] = {".txt": "txt", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv"}
STDIN = "-"
_MARKER = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})(?:[ \t]+|\n|\Z)")
_HEADLINE_MAX_CHARS = 200
_HEADLINE_MAX_WORDS = 30

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

Record = tuple[int, Any]


def read_articles(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    format: str | None = None,
    fields: FieldMap | None = None,
    stdin: IO[bytes] | None = None,
) -> Iterator[Article]:
    """Yield every article in ``inputs`` (files, directories or ``-`` for stdin), in order.

    ``format`` forces one of :data:`FORMATS`; otherwise the extension decides (stdin is
    JSONL). Records without an id get ``FILE:LINE``; a repeated id raises
    :class:`DuplicateIdError` naming both places.
    """
    fields = fields or FieldMap()
    seen: dict[str, str] = {}
    for path, fmt in expand_inputs(inputs, format):
        for article in _read_path(path, fmt, fields, stdin):
            if article.id in seen:
                file, _, line = article.origin.rpartition(":")
                raise DuplicateIdError(
                    f"duplicate id {article.id!r}: first at {seen[article.id]}, again here.",
                    file=file, line=int(line), field="id",
                    hint="give every record its own id, or drop the ids to let dedupe number records FILE:LINE.",
                )
            seen[article.id] = article.origin
            yield article


def expand_inputs(inputs: Iterable[str | os.PathLike[str]], format: str | None) -> Iterator[tuple[str, str]]:
    """Each input file with its format; directories are walked in sorted order."""
    if format is not None and format not in FORMATS:
        raise InputError(f"unknown format {format!r}.", hint=f"use one of {', '.join(FORMATS)}.")
    for item in inputs:
        name = os.fspath(item)
        if name == STDIN:
            yield STDIN, format or "jsonl"
        elif os.path.isdir(name):
            for path in _walk(name):
                yield path, format or EXTENSIONS[Path(path).suffix.lower()]
        elif os.path.exists(name):
            yield name, format or _format_of(name)
        else:
            raise InputError("no such file or directory.", file=name, hint="check the path.")


def _format_of(path: str) -> str:
    """The format a file's extension names."""
    suffix = Path(path).suffix.lower()
    if suffix not in EXTENSIONS:
        raise InputError(
            f"cannot tell the format from the extension {suffix or '(none)'!r}.",
            file=path, hint=f"rename the file or pass --format ({', '.join(FORMATS)}).",
        )
    return EXTENSIONS[suffix]


def _walk(root: str) -> Iterator[str]:
    """Files with a known extension under ``root``, sorted, hidden ones skipped, following links once each."""
    visited: set[str] = set()
    for directory, subdirs, files in os.walk(root, followlinks=True):
        real = os.path.realpath(directory)
        if real in visited:
            subdirs[:] = []
            continue
        visited.add(real)
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        for name in sorted(files):
            if Path(name).suffix.lower() in EXTENSIONS and not name.startswith("."):
                yield os.path.join(directory, name)


def _read_path(path: str, fmt: str, fields: FieldMap, stdin: IO[bytes] | None) -> Iterator[Article]:
    """Decode one input and turn its records into articles."""
    label = "<stdin>" if path == STDIN else path
    data = (stdin or sys.stdin.buffer).read() if path == STDIN else _read_bytes(path)
    text = decode(data, label)
    records = {"txt": _txt_records, "jsonl": _jsonl_records, "json": _json_records, "csv": _csv_records}[fmt]
    for line, record in records(text, label):
        yield to_article(record, fields, label, line)


def _read_bytes(path: str) -> bytes:
    """A file's bytes, or an InputError saying why it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise InputError(f"cannot read the file ({error.strerror}).", file=path,
                         hint="check that it exists and that you may read it.") from None


def decode(data: bytes, label: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM) or UTF-16 with a BOM; CRLF becomes LF."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
        if b"\x00" in data[:8192]:
            raise InputError("looks like a binary file (it holds NUL bytes), not text.", file=label,
                             hint="remove it from the input, or convert it to UTF-8 text.")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            f"not valid {encoding.split('-sig')[0].upper()}: byte 0x{data[error.start]:02x} cannot be decoded.",
            file=label, line=line, hint="re-save the file as UTF-8.",
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_txt(raw: str) -> dict[str, Any]:
    """Split a seed-format .txt article into published date, headline and text.

    The format: an optional leading `` date YYYY-MM-DD`` marker, then an optional
    headline line (kept only when it looks like one: short, no final full stop, more
    text after it), then the body.
    """
    published = None
    marker = _MARKER.match(raw)
    if marker:
        published, raw = marker.group(1), raw[marker.end():]
    body = raw.strip()
    first, newline, rest = body.partition("\n")
    title = None
    if newline and rest.strip() and _looks_like_headline(first.strip()):
        title, body = first.strip(), rest.strip()
    return {"title": title, "text": body, "published": published}


def _looks_like_headline(line: str) -> bool:
    """True for a short line without a final full stop."""
    return (
        0 < len(line) <= _HEADLINE_MAX_CHARS
        and len(line.split()) <= _HEADLINE_MAX_WORDS
        and not line.endswith((".", ",", ";", ":"))
    )


def _txt_records(text: str, label: str) -> Iterator[Record]:
    """One record: the whole file, its id the file's stem."""
    yield 1, {"id": Path(label).stem, **parse_txt(text)}


def _jsonl_records(text: str, label: str) -> Iterator[Record]:
    """One record per non-blank line."""
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as error:
            raise InputError(f"not valid JSON ({error.msg} at column {error.colno}).", file=label, line=number,
                             hint="each line must be one complete JSON object.") from None


def _json_records(text: str, label: str) -> Iterator[Record]:
    """The items of a top-level JSON array (or one object), each with the line it starts on."""
    decoder = json.JSONDecoder()
    position = _skip_space(text, 0)
    if text[position:position + 1] != "[":
        yield from _json_document(text, label)
        return
    position = _skip_space(text, position + 1)
    while position < len(text) and text[position] != "]":
        line = text.count("\n", 0, position) + 1
        try:
            item, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            raise InputError(f"not valid JSON ({error.msg}).", file=label, line=error.lineno,
                             hint="fix the JSON syntax at that line.") from None
        yield line, item
        position = _skip_space(text, position)
        if text[position:position + 1] == ",":
            position = _skip_space(text, position + 1)
        elif text[position:position + 1] != "]":
            raise InputError("not valid JSON (expected ',' or ']' between array items).",
                             file=label, line=text.count("\n", 0, position) + 1, hint="fix the JSON syntax.")
    _check_array_end(text, label, position)


def _check_array_end(text: str, label: str, position: int) -> None:
    """Raise unless the array closes at ``position`` with nothing but white space after it."""
    if position >= len(text):
        raise InputError("not valid JSON (the array is not closed with ']').", file=label,
                         line=text.count("\n") + 1, hint="fix the JSON syntax.")
    rest = _skip_space(text, position + 1)
    if rest < len(text):
        raise InputError("not valid JSON (extra data after the array's closing ']').", file=label,
                         line=text.count("\n", 0, rest) + 1, hint="put every article in the one top-level array.")


def _json_document(text: str, label: str) -> Iterator[Record]:
    """A file holding one JSON value (a pretty-printed object), or else JSON lines."""
    if not text.strip():
        return
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        yield from _jsonl_records(text, label)
        return
    yield text.count("\n", 0, _skip_space(text, 0)) + 1, value


def _skip_space(text: str, position: int) -> int:
    """The index of the next non-space character."""
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _csv_records(text: str, label: str) -> Iterator[Record]:
    """One record per CSV row (quoted newlines allowed; blank lines skipped); ragged rows are errors."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    start = 1
    for row in reader:
        if not row:
            start = reader.line_num + 1
            continue
        if header is None:
            header = row
        elif len(row) != len(header):
            raise InputError(f"the row has {len(row)} values but the header has {len(header)} columns.",
                             file=label, line=start, hint="quote values that contain commas, and give every row "
                             "as many values as the header.")
        else:
            yield start, dict(zip(header, row))
        start = reader.line_num + 1
