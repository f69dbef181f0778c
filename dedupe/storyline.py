"""A story record's ``stories.jsonl`` line by orjson, with the separators ``json`` writes put back by numpy."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import orjson

#: What :func:`spaced` writes in place of a separator before widening it: control characters, which orjson never
#: writes raw (it escapes every one below 0x20 in a string).
_COMMA_MARK, _COLON_MARK = b"\x01", b"\x0f"
_QUOTE, _COMMA, _COLON, _BACKSLASH = 34, 44, 58, 92


def story_line(record: Mapping[str, Any]) -> bytes | None:
    """``(storyfile.dumps(record) + "\\n")`` as UTF-8, the bytes ``stories.jsonl`` holds, for a record of strings,
    ints, bools, None, lists and dicts with string keys (a story record: its numbers are counts; a float would be
    written as orjson writes it, not as ``json``: ``0.00001`` for ``1e-05``, ``1e-7`` for ``1e-07``, ``null`` for
    ``NaN``; the merge workers check records with :func:`no_floats`). None when orjson refuses the record (a lone
    surrogate, an int past 64 bits, a key that is no string): the caller encodes it with ``json`` then.

    orjson writes a record's strings as ``json`` (``ensure_ascii=False``) does, byte for byte, about 10 times faster
    than the ``json`` encoder, which makes and joins a string object for each of a story's ~1,700 keys and values
    (the line was 35-45% of the merge workers' CPU at 100k). Only its separators differ: ``,`` and ``:`` without
    the space after (:func:`spaced`). Example: ``story_line({"a": [1, 2]})`` is ``b'{"a": [1, 2]}\\n'``.
    """
    try:
        raw = orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)
    except orjson.JSONEncodeError:
        return None
    return spaced(raw)


def no_floats(record: Mapping[str, Any] | list[Any]) -> None:
    """Raise ``TypeError`` when ``record`` holds a float anywhere (:func:`story_line` would write it otherwise than
    ``json``). A walk of every value, ~30 us for a story record of ~20 KB: the merge workers walk one record in
    :data:`CHECKED` (each chunk's first), as a float would come from a field every story has; a byte check of
    every line in :func:`spaced` cost ~2.5% of their CPU."""
    for value in record.values() if isinstance(record, dict) else record:
        kind = type(value)
        if kind is float:
            raise TypeError(f"a story record holds the float {value!r}: story_line writes floats otherwise than json;"
                            " write such records with storyfile.dumps")
        if kind is dict or kind is list:
            no_floats(value)


#: How often the merge workers check a record with :func:`no_floats`: one in this many, each chunk's first among them.
CHECKED = 64


def spaced(compact: bytes) -> bytes:
    """Compact JSON as orjson writes it with a space after each ``,`` and ``:`` outside its strings.

    A byte is inside a string when an odd number of unescaped quotes come before it (their running parity). In
    orjson's output a backslash only starts an escape (``\\\\``, ``\\"``, ``\\n``, ``\\u00XX``): once the escaped
    backslashes are set apart, a quote is escaped exactly when a backslash comes just before it. The separators
    outside strings are marked with a control character, then each mark is replaced by its separator and a space
    (two ``bytes.replace``: no Python work per separator). Example: ``spaced(b'{"a,b":[1,":"]}')`` is
    ``b'{"a,b": [1, ":"]}'``.
    """
    scan = compact.replace(b"\\\\", b"\0\0") if b"\\\\" in compact else compact
    data = np.frombuffer(scan, np.uint8)
    at = np.flatnonzero((data == _QUOTE) | (data == _COMMA) | (data == _COLON) | (data == _BACKSLASH))
    kind = data[at]
    bounds = kind == _QUOTE  # the quotes that open or close a string
    bounds[1:] &= (kind[:-1] != _BACKSLASH) | (at[:-1] + 1 != at[1:])
    inside = np.bitwise_xor.accumulate(bounds)  # after an odd number of bounds
    separator = ~inside & ((kind == _COMMA) | (kind == _COLON))
    line = bytearray(compact)
    np.frombuffer(line, np.uint8)[at[separator]] = np.where(kind[separator] == _COMMA, _COMMA_MARK[0],
                                                            _COLON_MARK[0]).astype(np.uint8)
    return bytes(line).replace(_COMMA_MARK, b", ").replace(_COLON_MARK, b": ")
