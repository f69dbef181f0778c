"""The index's JSON reader gives what ``json.loads`` gives; story records packed by orjson are the bytes ``json`` packs;
many weight dicts become rows as one by one."""

from __future__ import annotations

import json
import math
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import Config, decoding, read_articles
from dedupe.index import add, codec, create
from dedupe.index.codec import dumps, loads, pack, pack_record, pack_story, unpack
from dedupe.index.rows import Vocabulary
from dedupe.storyline import CHECKED

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


@settings(max_examples=300, deadline=None)
@given(_VALUES)
def test_pack_record_writes_what_pack_writes(value: Any) -> None:
    assert pack_record(value) == pack(value)


@pytest.mark.parametrize("value", [[1.5e-05], {"w": float("nan")}, [float("inf")], ("a", "b"), {"a": ["\ud800"]},
                                   [2**70], {"n": None, "t": True, "s": "\u2028\n\x7f\x1f\"\\"}])
def test_pack_record_writes_what_pack_writes_where_orjson_alone_differs(value: Any) -> None:
    assert pack_record(value) == pack(value)


def test_pack_record_writes_floats_of_every_decade_as_pack_does() -> None:
    for decade in range(-325, 309):
        for mantissa in (1.0, 1.5, 6.348594800499268, 9.999999999999998):
            value = mantissa * 10.0**decade if decade > -308 else 5e-324 * 10 ** (decade + 324)
            assert pack_record({"x": [value, -value]}) == pack({"x": [value, -value]}), value


def test_story_records_are_packed_by_orjson(seeds_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every stored record of the seeds reads back as packed, without the slower path."""
    with create(tmp_path / "seeds.db", Config(workers=1)) as index:
        add(index, list(read_articles([seeds_dir])))
    with sqlite3.connect(tmp_path / "seeds.db") as db:
        blobs = [blob for (blob,) in db.execute("SELECT record FROM stories")]
    assert blobs

    def refused(value: Any) -> bytes:
        raise AssertionError("the record went to json")

    monkeypatch.setattr(codec, "pack", refused)
    assert [pack_record(unpack(blob)) for blob in blobs] == blobs


#: What a story record holds (``Story.as_dict``): strings (lone surrogates included), counts, booleans, None.
_STORY_VALUES = st.recursive(st.none() | st.booleans() | st.integers(min_value=0, max_value=2**63 - 1) | _TEXT,
                             lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
                             max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_TEXT, _STORY_VALUES, max_size=6))
def test_pack_story_writes_what_pack_writes(record: dict[str, Any]) -> None:
    assert pack_story(record) == pack(record)


def test_a_story_record_with_a_float_is_refused_one_time_in_checked() -> None:
    """orjson writes 1e-05 as 0.00001 where json writes 1e-05: pack_story walks one record in CHECKED for a float,
    as the merge workers do (storyline.no_floats), and raises."""
    with pytest.raises(TypeError, match="float"):
        for _ in range(CHECKED):
            pack_story({"sources": [{"score": 1e-05}]})


def test_stories_are_packed_without_reading_them_back(seeds_dir: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Every stored story record of the seeds packs by orjson to the stored bytes, read back by nothing."""
    with create(tmp_path / "seeds.db", Config(workers=1)) as index:
        add(index, list(read_articles([seeds_dir])))
    with sqlite3.connect(tmp_path / "seeds.db") as db:
        blobs = [blob for (blob,) in db.execute("SELECT record FROM stories")]
    records = [unpack(blob) for blob in blobs]
    assert records

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the record was read back or went to json")

    monkeypatch.setattr(codec, "pack", refused)
    monkeypatch.setattr(codec.orjson, "loads", refused)
    assert [pack_story(record) for record in records] == blobs


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


def _huge_walked(value: Any) -> bool:
    """What ``decoding._huge`` answers, walked item by item (the reference)."""
    if type(value) is float:
        return abs(value) >= decoding._BEYOND
    if isinstance(value, dict):
        return any(_huge_walked(v) for v in value.values())
    if isinstance(value, list):
        return any(_huge_walked(v) for v in value)
    return False


@settings(max_examples=300, deadline=None)
@given(_VALUES)
def test_huge_finds_every_huge_float_at_any_depth(value: Any) -> None:
    parsed = json.loads(dumps(value))
    assert decoding._huge(parsed) is _huge_walked(parsed)
    assert (
        decoding._huge([parsed, 1e19]) and decoding._huge({"a": [{"b": -1e19}]}) and not decoding._huge({"a": [[], {}]})
    )


def test_huge_integers_among_numbers_are_not_huge_floats() -> None:
    assert not decoding._huge({"": 9000000000000000000, "0": 0.0})
    assert not decoding._huge([2**70, 0.5, 1])
    assert decoding._huge([2**70, 0.5, -9.5e18])
    assert codec.loads(b'{"a": 123456789012345678901234567890, "b": 0.25}') == {
        "a": 123456789012345678901234567890, "b": 0.25}
