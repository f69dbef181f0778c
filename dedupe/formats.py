"""Record readers, one per format: decoded text -> RawRecord items (a parsed value, or the error of a bad one)."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InputError, json_problem

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

_MARKER = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})(?:[ \t]+|\n|\Z)")
_HEADLINE_MAX_CHARS = 200
_HEADLINE_MAX_WORDS = 30
JSONL_HINT = "each line must be one complete JSON object."
#: A CSV's first line that is not blank (its header).
_HEADER_LINE = re.compile(r"\n*([^\n]*)")
#: A byte-order mark as text: dropped where a file starts, and where a JSONL line does (files joined by `cat`).
BOM = "\ufeff"


@dataclass(frozen=True)
class RawRecord:
    """One record as found in an input: the line it starts on, its raw text, and its value or error.

    Example: ``RawRecord(line=3, raw='{"id": "a", "text": "..."}', value={"id": "a", "text": "..."})``;
    a line that is not JSON gives ``RawRecord(line=4, raw="{bad", error=InputError(...))``.
    ``raw`` is None when the file could not be read or decoded at all. ``checked`` is True when the
    record's text (its line, for JSONL; else its file) is known to hold neither undecoded bytes nor
    ``\\ud800``-``\\udfff`` escapes, so no string of the record can hold a lone surrogate.
    """

    line: int | None
    raw: str | None
    value: Any = None
    error: InputError | None = None
    checked: bool = False


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


def txt_records(text: str, label: str, checked: bool = False) -> Iterator[RawRecord]:
    """One record: the whole file, its id the file's stem."""
    yield RawRecord(1, text, {"id": Path(label).stem, **parse_txt(text)}, checked=checked)


def load_json(text: str, label: str, line: int, hint: str, checked: bool = False) -> RawRecord:
    """One JSON value parsed from ``text``, or the error saying why it is not JSON."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        where = f"column {error.colno}" if error.lineno == 1 else f"line {error.lineno}"
        message = f"not valid JSON ({json_problem(error, where)})."
    except RecursionError:
        message = "not valid JSON here (nested too deeply to read)."
    except ValueError as error:  # e.g. an integer of more than 4,300 digits
        message = f"cannot read this JSON ({error})."
    else:
        return RawRecord(line, text, value, repeated_key(text, value, label, line), checked)
    return RawRecord(line, text, error=InputError(message, file=label, line=line, hint=hint))


def repeated_key(data: str | bytes, value: Any, label: str, line: int) -> InputError | None:
    """The error of a JSON object ``data`` (parsed: ``value``) that gives one key twice with different values, which
    JSON reading keeps only the last of, so the record would lose the other without a word; None when no key is
    repeated, or only with the same value.

    Quick test first: each key written without space before its colon (as ``json.dumps`` and most writers do) makes
    one ``":`` of the text, so a text holding as many as the value has keys (nested ones too) repeats none (~3.6 us a
    4 KB line). Otherwise (a repeat, a ``\\":`` quoted in a string, a space before a colon) it is parsed again
    keeping every pair: only the record's own keys are judged. (A repeat goes unseen only in a text mixing keys with
    and without a space before the colon, as many with as there are repeats less quoted ``\\":``.)
    """
    if type(value) is not dict or data.count(b'":' if isinstance(data, bytes) else '":') == _key_count(value):
        return None
    pairs: list[list[tuple[str, Any]]] = []
    try:
        json.loads(data, object_pairs_hook=lambda items: pairs.append(items) or dict(items))  # the record's come last
    except RecursionError:  # nested deeper than ``json`` reads (orjson read it): left as read
        return None
    first: dict[str, Any] = {}
    for key, item in pairs[-1]:
        if key in first and first[key] != item:
            return InputError(f"given twice, with different values ({_shown(first[key])} then {_shown(item)}); "
                              "JSON keeps only the last.", file=label, line=line, field=key,
                              hint="give each field once: rename one of the keys, or join the values.")
        first.setdefault(key, item)
    return None


def _key_count(value: Any) -> int:
    """How many keys a parsed JSON value's objects hold, at any depth."""
    count, stack = 0, [value]
    while stack:
        item = stack.pop()
        if type(item) is dict:
            count += len(item)
            stack.extend(v for v in item.values() if type(v) is dict or type(v) is list)
        elif type(item) is list:
            stack.extend(v for v in item if type(v) is dict or type(v) is list)
    return count


def _shown(value: Any) -> str:
    """A value as JSON, shortened for a message."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


def jsonl_records(text: str, label: str, checked: bool = False) -> Iterator[RawRecord]:
    """One record per non-blank line; a byte-order mark opening a line is dropped (files saved with one, joined)."""
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removeprefix(BOM)
        if line.strip():
            yield load_json(line, label, number, JSONL_HINT, checked)


def json_records(text: str, label: str, checked: bool = False) -> Iterator[RawRecord]:
    """The items of a top-level JSON array (or one object), each with the line it starts on.

    A syntax error inside the array ends the file: the rest of it becomes one bad record.
    """
    position = _skip_space(text, 0)
    if text[position:position + 1] != "[":
        yield from _json_document(text, label, checked)
        return
    decoder = json.JSONDecoder()
    position = _skip_space(text, position + 1)
    while position < len(text) and text[position] != "]":
        line = text.count("\n", 0, position) + 1
        try:
            item, end = decoder.raw_decode(text, position)
        except (ValueError, RecursionError) as error:
            at = error.lineno if isinstance(error, json.JSONDecodeError) else line
            message = f"not valid JSON ({json_problem(error)})." if isinstance(error, json.JSONDecodeError) else (
                "not valid JSON here (nested too deeply, or a number too long, to read).")
            yield _broken(text, label, position, at, message, "fix the JSON syntax at that line.")
            return
        raw = text[position:end]
        yield RawRecord(line, raw, item, repeated_key(raw, item, label, line), checked)
        position = _skip_space(text, end)
        if text[position:position + 1] == ",":
            position = _skip_space(text, position + 1)
        elif text[position:position + 1] != "]":
            yield _broken(text, label, position, text.count("\n", 0, position) + 1,
                          "not valid JSON (expected ',' or ']' between array items).", "fix the JSON syntax.")
            return
    yield from _array_end(text, label, position)


def _broken(text: str, label: str, position: int, line: int, message: str, hint: str) -> RawRecord:
    """The rest of a JSON file from ``position`` as one bad record."""
    return RawRecord(line, text[position:], error=InputError(message, file=label, line=line, hint=hint))


def _array_end(text: str, label: str, position: int) -> Iterator[RawRecord]:
    """Nothing when the array closes at ``position`` with only white space after it; else one bad record."""
    if position >= len(text):
        yield _broken(text, label, position, text.count("\n") + 1,
                      "not valid JSON (the array is not closed with ']').", "fix the JSON syntax.")
        return
    rest = _skip_space(text, position + 1)
    if rest < len(text):
        yield _broken(text, label, rest, text.count("\n", 0, rest) + 1,
                      "not valid JSON (extra data after the array's closing ']').",
                      "put every article in the one top-level array.")


def _json_document(text: str, label: str, checked: bool) -> Iterator[RawRecord]:
    """A file holding one JSON value (a pretty-printed object), or else JSON lines."""
    if not text.strip():
        return
    single = load_json(text, label, text.count("\n", 0, _skip_space(text, 0)) + 1, JSONL_HINT, checked)
    if single.error is None:
        yield single
    else:
        yield from jsonl_records(text, label, checked)


def _skip_space(text: str, position: int) -> int:
    """The index of the next non-space character."""
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def _delimiter(text: str) -> str:
    """The CSV's separator: a comma, or a semicolon or tab when the header line holds one and no comma (as Excel
    saves CSV where the decimal mark is a comma: ``id;title;text``)."""
    header = _HEADER_LINE.match(text).group(1)  # type: ignore[union-attr]  # matches any text; copies one line
    if "," in header:
        return ","
    return next((mark for mark in (";", "\t") if mark in header), ",")


def csv_records(text: str, label: str, checked: bool = False) -> Iterator[RawRecord]:
    """One record per CSV row (quoted newlines allowed; blank lines skipped); a ragged row is a bad record. Values
    are separated by commas, or as the header line shows (:func:`_delimiter`)."""
    lines = text.split("\n")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    header: list[str] | None = None
    start = 1
    try:
        for row in reader:
            raw = "\n".join(lines[start - 1:reader.line_num])
            if not row:
                pass
            elif header is None:
                header = row
            elif len(row) != len(header):
                yield RawRecord(start, raw, error=InputError(
                    f"the row has {len(row)} values but the header has {len(header)} columns.", file=label,
                    line=start, hint="quote values that contain commas, and give every row as many values "
                    "as the header."))
            else:
                twice = _repeated_column(header, row, label, start) if len(set(header)) < len(header) else None
                yield RawRecord(start, raw, dict(zip(header, row)), twice, checked)
            start = reader.line_num + 1
    except csv.Error as error:
        yield RawRecord(start, "\n".join(lines[start - 1:]), error=InputError(
            f"not valid CSV ({error}).", file=label, line=start, hint="fix the CSV at that line."))


def _repeated_column(header: list[str], row: list[str], label: str, line: int) -> InputError | None:
    """The error of a row whose header names one column twice and gives the two different values (a record keeps only
    the last); None when no column is named twice, or the row gives such columns one value."""
    first: dict[str, str] = {}
    for name, value in zip(header, row):
        if name in first and first[name] != value:
            return InputError(f"the header names this column twice and the row gives it two values "
                              f"({_shown(first[name])} then {_shown(value)}); only the last would be kept.",
                              file=label, line=line, field=name, hint="rename one of the two columns in the header.")
        first.setdefault(name, value)
    return None


#: The reader of each format.
READERS: dict[str, Callable[[str, str, bool], Iterator[RawRecord]]] = {
    "txt": txt_records,
    "jsonl": jsonl_records,
    "json": json_records,
    "csv": csv_records,
}
