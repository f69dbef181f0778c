"""The index's JSON reader gives what ``json.loads`` gives; many weight dicts become rows as one by one."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe.index.codec import dumps, loads
from dedupe.index.rows import Vocabulary

_NUMBERS = st.one_of(
    st.integers(),  # beyond 64 bits too: orjson reads those as floats
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),  # json writes NaN and Infinity, orjson refuses them
    st.floats(min_value=-1e-3, max_value=1e-3),  # long fractions, like small weights
    st.floats(min_value=1e17, max_value=1e21),
)
_TEXT = st.text(st.characters(codec=None, exclude_categories=("Cn",)), max_size=8)  # lone surrogates included
_VALUES = st.recursive(st.none() | st.booleans() | _NUMBERS | _TEXT,
                       lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
                       max_leaves=20)


def same(a: Any, b: Any) -> bool:
    """Equal values of equal types, dict keys in the same order, floats bit for bit (NaN equal to NaN)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    return bool(a == b)


@settings(max_examples=200, deadline=None)
@given(_VALUES)
def test_loads_reads_what_json_reads(value: Any) -> None:
    text = dumps(value)
    expected = json.loads(text)
    assert same(loads(text), expected)
    assert same(loads(text.encode("utf-8", "surrogatepass")), expected)


def test_loads_keeps_what_orjson_alone_would_change() -> None:
    assert same(loads(b'{"n":[123456789012345678901234567890,-9999999999999999999]}'),
                {"n": [123456789012345678901234567890, -9999999999999999999]})
    assert same(loads(b"[NaN, 1e19, 0.00012345678901234567]"), [math.nan, 1e19, 0.00012345678901234567])
    assert loads('"\ud800"'.encode("utf-8", "surrogatepass")) == "\ud800"


_WEIGHTS = st.lists(st.dictionaries(st.sampled_from("abcdefghij"), st.floats(0, 1), max_size=6), max_size=6)


@settings(max_examples=100, deadline=None)
@given(_WEIGHTS, _WEIGHTS)
def test_many_rows_at_once_are_the_rows_one_by_one(before: list[dict], dicts: list[dict]) -> None:
    one, many = Vocabulary(), Vocabulary()
    for weights in before:
        one.row(weights)
        many.row(weights)
    rows = [one.row(weights) for weights in dicts]
    lengths, joined = many.rows(dicts)
    assert lengths.tolist() == [len(d) for d in dicts]
    assert np.array_equal(joined.columns, np.concatenate([r.columns for r in rows]) if rows else [])
    assert np.array_equal(joined.weights, np.concatenate([r.weights for r in rows]) if rows else [])
    assert many.columns == one.columns
