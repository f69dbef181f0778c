"""JSONL read as a stream: the bytes a block at a time, each line decoded on its own, so memory holds one line.

The records, their line numbers and their errors are exactly those of decoding the whole file and splitting it
(:func:`load.decode` then ``formats.jsonl_records``): a UTF-8 byte-order mark is dropped, CRLF and a lone CR each
end a line, and a line holding bytes that are not UTF-8 is still read, with those bytes kept as lone surrogates
so the record is refused and the rest of the file is not. A file starting with a UTF-16 byte-order mark, or
holding a NUL byte in its first 8 KB (a binary file), is handed to the whole-file reader.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import IO

from .formats import JSONL_HINT, RawRecord, jsonl_records, load_json

#: Bytes read at once; a line may span any number of blocks.
BLOCK_BYTES = 1 << 20
#: How much of a file is looked at to tell text from binary (as :func:`load.decode` does).
SNIFF_BYTES = 8192
#: A JSON escape of a surrogate code point, the only way JSON text without bad bytes can make one.
SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

#: The whole-file decoder (``load.decode_checked``): bytes and label to text and its ``checked`` flag.
Decoder = Callable[[bytes, str], "tuple[str, bool]"]


def stream_jsonl(handle: IO[bytes], label: str, decode: Decoder) -> Iterator[RawRecord]:
    """The raw records of a JSONL byte stream, one line decoded at a time (``decode`` reads odd files whole)."""
    head = handle.read(SNIFF_BYTES)
    if head.startswith(_UTF16_BOMS) or b"\x00" in head:
        text, checked = decode(head + handle.read(), label)
        yield from jsonl_records(text, label, checked)
        return
    blocks = itertools.chain([head.removeprefix(_UTF8_BOM)], iter(lambda: handle.read(BLOCK_BYTES), b""))
    number = 0
    for line in _byte_lines(blocks):
        for piece in line.split(b"\r") if b"\r" in line else (line,):
            number += 1
            text, checked = decode_line(piece)
            if text.strip():
                yield load_json(text, label, number, JSONL_HINT, checked)


def _byte_lines(blocks: Iterable[bytes]) -> Iterator[bytes]:
    """The lines of a byte stream given in blocks, without their LF (nor the CR of a CRLF); the last as it is."""
    parts: list[bytes] = []
    for block in blocks:
        if b"\n" not in block:
            parts.append(block)
            continue
        first, *middle, last = block.split(b"\n")
        parts.append(first)
        yield b"".join(parts).removesuffix(b"\r")
        for line in middle:
            yield line.removesuffix(b"\r")
        parts = [last]
    yield b"".join(parts)


def decode_line(data: bytes) -> tuple[str, bool]:
    """One line as text, and whether no string in it can hold a lone surrogate (see ``RawRecord.checked``)."""
    try:
        return data.decode("utf-8"), not SURROGATE_ESCAPE.search(data)
    except UnicodeDecodeError:
        return data.decode("utf-8", "surrogateescape"), False

