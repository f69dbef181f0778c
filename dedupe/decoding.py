"""Bytes to text: JSONL streamed a block at a time, each line decoded on its own; lone surrogates found and escaped.

A JSONL input is read so that memory holds one line at a time. Its records, line numbers and errors are exactly
those of decoding the whole file and splitting it (:func:`load.decode`, then ``formats.jsonl_records``): a UTF-8
byte-order mark is dropped (where the file starts, and where a line does: files joined by `cat`), CRLF and a lone
CR each end a line, and bytes that are not UTF-8 are kept as lone surrogates, so their record is refused and the
rest of the file is still read. A file starting with a UTF-16 byte-order mark, or holding a NUL byte in its first
8 KB (a binary file), is handed to the whole-file reader.

JSON values are parsed by orjson where that gives exactly what ``json.loads`` gives, by ``json`` elsewhere
(:func:`loads`, which the spools and the index read their lines with too).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import IO, Any

import orjson

from .errors import InputError
from .formats import JSONL_HINT, RawRecord, jsonl_records, load_json, repeated_key

#: Bytes read at once; a line may span any number of blocks.
BLOCK_BYTES = 1 << 20
#: How much of a file is looked at to tell text from binary (as :func:`load.decode` does).
SNIFF_BYTES = 8192
#: A JSON escape of a surrogate code point, the only way JSON text without bad bytes can make one.
SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

#: The whole-file decoder (``load.decode_checked``): bytes and label to text and its ``checked`` flag.
Decoder = Callable[[bytes, str], "tuple[str, bool]"]


def stream_jsonl(handle: IO[bytes], label: str, decode: Decoder) -> Iterator[RawRecord]:
    """The raw records of a JSONL byte stream, one line decoded at a time (``decode`` reads odd files whole)."""
    head = handle.read(SNIFF_BYTES)
    if head.startswith(UTF16_BOMS) or b"\x00" in head:
        text, checked = decode(head + handle.read(), label)
        yield from jsonl_records(text, label, checked)
        return
    blocks = itertools.chain([head.removeprefix(_UTF8_BOM)], iter(lambda: handle.read(BLOCK_BYTES), b""))
    number = 0
    for line in _byte_lines(blocks):
        for piece in line.split(b"\r") if b"\r" in line else (line,):
            number += 1
            record = line_record(piece, label, number)
            if record is not None:
                yield record


def line_record(data: bytes, label: str, number: int) -> RawRecord | None:
    """The record of one JSONL line (None for a blank one): its value parsed from the bytes by orjson when that
    gives what ``json.loads`` gives (see :func:`quick_loads`; such a value holds no lone surrogate, so
    the record is ``checked``; its line is decoded only if asked for, see :class:`LineRecord`), else by
    :func:`formats.load_json` as before, with its errors.

    orjson is tried first: what it reads is UTF-8 and not blank, which is what decoding the line first would
    have found before giving it the same bytes.
    """
    data = data.removeprefix(_UTF8_BOM)  # a file saved with one and joined to another by `cat`
    value = quick_loads(data)
    if value is not NOT_READ:
        error = repeated_key(data, value, label, number)
        return LineRecord(number, data, value) if error is None else RawRecord(number, data.decode(), value, error)
    text, strict = decode_line(data)
    if not text.strip():
        return None
    return load_json(text, label, number, JSONL_HINT, strict and not SURROGATE_ESCAPE.search(data))


class LineRecord(RawRecord):
    """The ``checked`` record of a JSONL line that orjson read, holding the line's bytes: ``raw`` decodes them on
    each access. Only a rejected record's ``raw`` is read (for ``rejects.jsonl``), so most lines are never decoded
    (0.3 CPU s per 100,000 articles of ~4 KB). Example: ``LineRecord(3, b'{"id": 1}', {"id": 1}).raw == '{"id": 1}'``.
    """

    def __init__(self, line: int, data: bytes, value: Any) -> None:
        vars(self).update(line=line, data=data, value=value, error=None, checked=True)  # frozen: not by setattr

    @property
    def raw(self) -> str:  # type: ignore[override]
        """The line as text (orjson read it, so it is UTF-8)."""
        return self.data.decode("utf-8")


def _byte_lines(blocks: Iterable[bytes]) -> Iterator[bytes]:
    """The lines of a byte stream given in blocks, without their LF (nor the CR of a CRLF); the last as it is."""
    parts: list[bytes] = []
    for block in blocks:
        end = block.find(b"\n")
        if end < 0:
            parts.append(block)
            continue
        parts.append(block[:end])
        yield b"".join(parts).removesuffix(b"\r")
        start = end + 1
        while (end := block.find(b"\n", start)) >= 0:  # find is a memchr; split reads byte by byte (~2x slower)
            yield block[start:end].removesuffix(b"\r")
            start = end + 1
        parts = [block[start:]]
    yield b"".join(parts)


def decode_line(data: bytes) -> tuple[str, bool]:
    """One line as text, and whether all its bytes were UTF-8 (else each bad one is kept as a lone surrogate)."""
    try:
        return data.decode("utf-8"), True
    except UnicodeDecodeError:
        return data.decode("utf-8", "surrogateescape"), False


def check_characters(record: Mapping[str, Any], file: str, line: int) -> None:
    """Raise InputError when a key or string holds a lone surrogate (a JSON escape such as \\ud800).

    Such a string is not text: it cannot be written back as UTF-8, so the record is refused here.
    """
    for key, value in record.items():
        for text in (str(key), *_strings(value)):
            code = _surrogate(text)
            if code is not None:
                byte = 0xDC80 <= code <= 0xDCFF  # a byte that was not UTF-8, kept as a lone surrogate
                raise InputError(_not_a_character(code), file=file, line=line,
                                 field=escape_surrogates(str(key)), hint="re-save the file as UTF-8" + (
                                     "." if byte else "; a \\ud800-\\udfff escape must be half of a pair."))


def _surrogate(text: str) -> int | None:
    """The first lone surrogate in ``text`` (the only code points UTF-8 cannot encode), or None."""
    if text.isascii():
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        return ord(text[error.start])
    return None


def _not_a_character(code: int) -> str:
    """Why a lone surrogate is refused: a byte that was not UTF-8, or a lone ``\\uXXXX`` escape."""
    if 0xDC80 <= code <= 0xDCFF:
        return f"holds the byte 0x{code - 0xDC00:02x}, which is not valid UTF-8."
    return f"holds a lone surrogate \\u{code:04x}, which is not a character."


def _strings(value: Any) -> Iterator[str]:
    """Every string inside a JSON value, keys of nested objects included (no recursion: any depth is fine)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, Mapping):
            stack.extend(str(key) for key in item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def escape_surrogates(text: str) -> str:
    """``text`` with lone surrogates written as escapes: bytes that were not UTF-8 as ``\\xff``, others ``\\ud800``."""
    if not _SURROGATE.search(text):
        return text
    return _SURROGATE.sub(lambda m: _escape(ord(m.group())), text)


def _escape(code: int) -> str:
    """One lone surrogate as an escape (``\\xNN`` for an undecodable byte kept by ``surrogateescape``)."""
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


#: orjson reads an integer beyond 64 bits as a float, whose magnitude is then at least this.
_BEYOND = 9e18
#: What :func:`quick_loads` gives for a text it leaves to ``json``.
NOT_READ = object()


def loads(data: str | bytes) -> Any:
    """A JSON value, equal to what ``json.loads`` gives: parsed by orjson (about three times faster; its
    floats are the correctly rounded ones, its objects keep their keys' order), again by ``json`` when
    orjson refuses the text (lone surrogates, NaN, Infinity) or its value holds a float of magnitude
    ``_BEYOND`` or more (which may be an integer literal beyond 64 bits, kept an ``int`` by ``json``).

    Example: ``loads(b'{"a":[1,2.5]}')`` -> ``{"a": [1, 2.5]}``.
    """
    value = quick_loads(data)
    if value is not NOT_READ:
        return value
    return json.loads(data.decode("utf-8", "surrogatepass") if isinstance(data, bytes) else data)


def quick_loads(data: str | bytes) -> Any:
    """:func:`loads`' value when orjson gives it, else :data:`NOT_READ` (orjson refused the text, or its value
    may differ from ``json``'s): the caller then parses with ``json``, and reports its errors.

    A value orjson gives holds no lone surrogate (it refuses one, escaped or as bytes that are not UTF-8).
    Example: ``quick_loads(b'[NaN]') is NOT_READ``.
    """
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError:
        return NOT_READ
    return NOT_READ if _huge(value) else value


#: Types of a parsed JSON value whose items need no look inside: strings, and numbers other than floats.
_FLAT = frozenset({str, int, bool, type(None)})
_NUMBERS = frozenset({float, int, bool})


def _huge(value: Any) -> bool:
    """Whether a parsed JSON value holds a float of magnitude ``_BEYOND`` or more, at any depth.

    A container's item types are taken first (one pass in C): one of only strings, integers, booleans and
    nulls (a mention, most of an article) holds none; one of only numbers (the weights of a profile) is
    looked over in one more pass in C, and walked only when that pass finds a large number (which may be an
    integer); only the others are walked item by item.
    """
    kind = type(value)
    if kind is float:
        return abs(value) >= _BEYOND
    if kind is not dict and kind is not list:
        return False
    items = value.values() if kind is dict else value
    kinds = set(map(type, items))
    if kinds <= _FLAT:
        return False
    if kinds <= _NUMBERS and max(map(abs, items)) < _BEYOND:
        return False
    return any(map(_huge, items))
