"""A story's line by orjson with json's separators put back: the bytes ``json`` writes, or None when orjson refuses."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import storyfile
from dedupe.storyfile import dumps
from dedupe.storyline import no_floats, spaced, story_line

#: Text full of what :func:`spaced` must tell apart: separators, quotes and backslashes inside strings.
_CHARS = st.sampled_from(list(',:"\\{}[] \n\tab\u00e9\u2019\x01\x0f\x00\u4e2d\U0001f600'))
_TEXT = st.one_of(st.text(_CHARS, max_size=12), st.text(max_size=12))
_LEAF = st.one_of(st.none(), st.booleans(), st.integers(-(2**63), 2**64 - 1), _TEXT)
_VALUE = st.recursive(_LEAF, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                      st.dictionaries(_TEXT, inner, max_size=4)), max_leaves=20)


def expected(record: Any) -> bytes:
    """The line as the json encoder writes it (the oracle)."""
    return (dumps(record) + "\n").encode("utf-8", "surrogatepass")


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(_TEXT, _VALUE, max_size=6))
def test_story_line_is_json_bytes(record: dict[str, Any]) -> None:
    assert story_line(record) == expected(record)


def test_escaped_backslashes_and_quotes() -> None:
    for text in ['\\', '\\"', '"\\', '\\\\",', '\\":', 'a\\\\', '",":', "\\,\\:"]:
        record = {text: [text, {"k": text, text: 1}], "n": None}
        assert story_line(record) == expected(record)
    assert spaced(b'{"a,b":[1,":"]}') == b'{"a,b": [1, ":"]}'


def test_a_record_holding_a_float_is_refused_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    """orjson writes some floats otherwise than json ("0.00001" for 1e-05): a story record holding one stops the merge
    workers (each chunk's first record is checked) instead of reaching stories.jsonl in orjson's form."""
    assert story_line({"a": 1e-05}) != expected({"a": 1e-05})
    for record in ({"a": 1e-05}, {"a": [{"b": [1, 0.5]}]}, {"a": {"b": float("nan")}}):
        with pytest.raises(TypeError, match="float"):
            no_floats(record)
    no_floats({"a": [1, True, None, "0.5", {"b": -3}], "c": 2**63})
    record = {"story_id": "s1", "counts": {"sources": 2, "score": 0.25}}
    monkeypatch.setattr(storyfile, "merged_records", lambda work: iter([(record, None, ())]))
    with pytest.raises(TypeError, match="0.25"):
        storyfile.merged_lines([(None, (), None)])


def test_refused_records_go_back_to_json() -> None:
    assert story_line({"a": "\ud800"}) is None  # a lone surrogate: the caller writes it with surrogatepass
    assert story_line({"a": 2**64}) is None
    assert story_line({1: "a"}) is None
