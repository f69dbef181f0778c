"""A story record's ``stories.jsonl`` line by orjson, with the separators ``json`` writes put back by numpy."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import numpy as np
import orjson


def dumps(value: Any) -> str:
    """One compact, deterministic JSON line (UTF-8 text kept as is): ``json.dumps(value, ensure_ascii=False,
    separators=(", ", ": "))``, without its check for circular references (records hold none; a story's line
    encodes ~2,000 lists and dicts, each of which the check would enter in a table and take out)."""
    return ENCODER.encode(value)


#: The encoder :func:`dumps` calls (its ``encode``), for callers that encode parts of a record.
ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "), check_circular=False)


#: What :func:`spaced` writes in place of a separator before widening it: control characters, which orjson never
#: writes raw (it escapes every one below 0x20 in a string).
_COMMA_MARK, _COLON_MARK = b"\x01", b"\x0f"
_QUOTE, _COMMA, _COLON, _BACKSLASH = 34, 44, 58, 92
#: A separator's byte less this is its mark: a comma's 44 - 43 is ``\x01``, a colon's 58 - 43 is ``\x0f``.
_TO_MARK = 43


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

    A byte is inside a string when an odd number of unescaped quotes come before it (their running parity,
    :func:`_string_bounds`). The separators outside strings are marked with a control character, then each mark is
    replaced by its separator and a space (two ``bytes.replace``: no Python work per separator). Example:
    ``spaced(b'{"a,b":[1,":"]}')`` is ``b'{"a,b": [1, ":"]}'``.
    """
    at, kind, bounds = _string_bounds(compact)
    inside = np.bitwise_xor.accumulate(bounds)  # after an odd number of bounds
    separator = np.flatnonzero(~inside & ((kind == _COMMA) | (kind == _COLON)))
    line = np.frombuffer(compact, np.uint8).copy()
    line[at[separator]] = kind[separator] - _TO_MARK  # a comma's mark, or a colon's
    return line.tobytes().replace(_COMMA_MARK, b", ").replace(_COLON_MARK, b": ")


def _string_bounds(compact: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where ``compact`` has a quote, comma, colon or backslash, which of the four each is, and which are the
    quotes that open or close a string.

    In orjson's output a backslash only starts an escape (``\\\\``, ``\\"``, ``\\n``, ``\\u00XX``): when no
    backslash is escaped (most lines: escaped quotes are common, escaped backslashes rare), a quote is escaped
    exactly when a backslash comes just before it. Otherwise the escaped backslashes are first set apart (replaced
    by two NULs, which leave every place where it is) and the rule holds again.
    """
    data = np.frombuffer(compact, np.uint8)
    at = np.flatnonzero((data == _QUOTE) | (data == _COMMA) | (data == _COLON) | (data == _BACKSLASH))
    kind = data[at]
    bounds = kind == _QUOTE
    slash = np.flatnonzero(kind == _BACKSLASH)
    if slash.size:
        after = slash + 1  # a backslash is inside a string: its closing quote comes after it
        escaped = after[at[after] == at[slash] + 1]  # what a backslash escapes, where it is a quote or a backslash
        if (kind[escaped] == _BACKSLASH).any():
            return _string_bounds(compact.replace(b"\\\\", b"\0\0"))
        bounds[escaped] = False
    return at, kind, bounds
