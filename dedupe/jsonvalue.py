"""JSON values parsed by orjson where that gives exactly what ``json.loads`` gives, by ``json`` elsewhere."""

from __future__ import annotations

import json
from typing import Any

import orjson

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
