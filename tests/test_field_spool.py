"""Fields spooled to a file read back equal, in forked workers too, and merge into the same stories."""

from __future__ import annotations

import json
import os

import orjson
import pytest
from conftest import SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import Config, merge, read_articles
from dedupe.engine import LocalEngine
from dedupe.fieldspool import (
    ClusterWorks,
    FieldSpool,
    fields_from,
    fields_line,
    fields_record,
)
from dedupe.match import prepare_fields
from dedupe.merge import merge_stories
from dedupe.pipeline import run
from dedupe.types import Fields, Mention

_TEXT = st.text(st.characters(exclude_categories=()), max_size=12)  # lone surrogates and newlines included
_MENTION = st.builds(Mention, st.sampled_from(["date", "number", "person", "quote"]), _TEXT, _TEXT,
                     st.sampled_from(["", "A sentence.", "Another one\n said \u201cso\u201d."]), _TEXT, _TEXT,
                     _TEXT, st.integers(-1, 10**6))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.builds(Fields, st.text(min_size=1, max_size=8), _TEXT, _TEXT, _TEXT,
                          st.lists(_MENTION, max_size=6).map(tuple)), max_size=5))
def test_spooled_fields_read_back_equal(many):
    fields = {f.article_id: f for f in many}
    spool = FieldSpool(fields)
    assert len(spool) == len(fields) and list(spool) == list(fields)
    assert all(spool[i] == f for i, f in fields.items())
    assert all(fields_from(fields_record(f)) == f for f in many)
    assert "no such id" not in spool


@settings(max_examples=200, deadline=None)
@given(
    st.builds(Fields, st.text(min_size=1, max_size=8), _TEXT, _TEXT, _TEXT, st.lists(_MENTION, max_size=6).map(tuple))
)
def test_a_spool_line_reads_back_as_the_json_module_s_line(fields):
    plain = (json.dumps(fields_record(fields), ensure_ascii=False) + "\n").encode("utf-8", "surrogatepass")
    line = fields_line(fields)
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    assert json.loads(line.decode("utf-8", "surrogatepass")) == json.loads(plain.decode("utf-8", "surrogatepass"))


def test_orjson_writes_the_line_unless_a_lone_surrogate_is_in_it():
    fine = Fields(
        "a", "Fire \u201cdowntown\u201d\x00\t\u2028", "", "", (Mention("quote", "\U0001f600", "x", start=2**40),)
    )
    assert fields_line(fine) == orjson.dumps(fields_record(fine), option=orjson.OPT_APPEND_NEWLINE)
    odd = Fields("b", "caf\udce9", "", "")
    assert fields_line(odd) == ('["b", "caf\udce9", "", "", [], []]\n').encode("utf-8", "surrogatepass")
    assert fields_from(json.loads(fields_line(odd).decode("utf-8", "surrogatepass"))) == odd


def test_mentions_of_one_sentence_share_its_string():
    _, fields = prepare_fields(list(read_articles([SEEDS])))
    spool = FieldSpool(fields)
    for article_id, found in fields.items():
        back = spool[article_id]
        assert back == found
        by_text = {m.sentence: m.sentence for m in back.mentions}
        assert all(m.sentence is by_text[m.sentence] for m in back.mentions)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork only")
def test_forked_readers_do_not_share_a_position():
    _, fields = prepare_fields(list(read_articles([SEEDS])))
    spool = FieldSpool(fields)
    ids = list(fields)
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports through its exit code
        os._exit(0 if all(spool[i] == fields[i] for i in ids * 20) else 1)
    assert all(spool[i] == fields[i] for i in reversed(ids * 20))
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_work_is_built_per_slice_and_merges_the_same(monkeypatch):
    monkeypatch.setattr(merge, "MERGE_CHUNK", 1)  # a chunk per cluster: the forked workers read the spool
    held = run(list(read_articles([SEEDS])), Config(workers=1))
    calls = []
    works = ClusterWorks(held.clusters, lambda c: calls.append(c.cluster_id) or c.cluster_id)
    assert works[1:3] == [c.cluster_id for c in held.clusters[1:3]] == calls
    spooled = held.extras.copy()
    held.extras = {**held.extras, "fields": FieldSpool(held.extras["fields"])}
    stories, conflicts = merge_stories(held, engine=LocalEngine(2))
    assert stories == spooled["stories"] and conflicts == spooled["conflicts"]


def test_a_lone_surrogate_comes_back_as_read():
    """The loader keeps bytes that are not UTF-8 as lone surrogates; the spool must return them unchanged."""
    fields = Fields("a", "Head\udcff", "", "", (Mention("quote", "x\ud800y", "x\ud800y", "He said \ud800.", "", "", "",
                                                        0),))
    assert FieldSpool({"a": fields})["a"] == fields


def test_a_line_added_again_replaces_the_old_one_in_place():
    spool = FieldSpool()
    first, second = Fields("a", "A", "", "", ()), Fields("a", "A again", "", "Paris", ())
    spool.add("a", fields_line(first))
    spool.add("b", fields_line(first))
    spool.add("a", fields_line(second))
    spool.ready()
    assert list(spool) == ["a", "b"] and len(spool) == 2
    assert spool["a"] == second and spool["b"].headline == "A"
