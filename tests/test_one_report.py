"""Stories of one report merged straight to their records equal the Story path's records, outlines and conflicts;
the merge workers' lines come encoded; the shared-words count and the JSON line's encoder equal what they replace."""

from __future__ import annotations

import json
from collections import Counter
from itertools import pairwise

import pytest
from conftest import SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import onereport, read_articles
from dedupe.engine import LocalEngine
from dedupe.graph import cluster_id
from dedupe.merge import merge_all, merge_work
from dedupe.onereport import merged_records, one_report, story_outline
from dedupe.pipeline import Result
from dedupe.storyfile import StoryFile, dumps, merged_lines
from dedupe.types import Article, Cluster, Edge, Fields, Mention
from dedupe.wording import shared_count

QUOTES = ["The behaviour was unacceptable and will be tolerated by the force",
          "The behaviour was unacceptable and will not be tolerated by the force",
          "The behaviour was unacceptable and will be tolerated by this force", "We will appeal the ruling today"]
MENTIONS = st.one_of(
    st.builds(Mention, kind=st.just("date"), value=st.sampled_from(["2018-10", "2018-11", "2020-11-05"]),
              text=st.just("October 2018"), sentence=st.sampled_from(["He was suspended in 2018.", "A hearing."]),
              about=st.sampled_from(["", "suspended", "hearing"]), start=st.integers(0, 40)),
    st.builds(Mention, kind=st.just("number"), value=st.sampled_from(["3", "4"]), text=st.just("three"),
              sentence=st.just("Three were killed."), about=st.sampled_from(["killed", "age"]),
              subject=st.sampled_from(["", "Jo Reid"]), qualifier=st.sampled_from(["", "at least"]),
              start=st.integers(0, 40)),
    st.builds(Mention, kind=st.sampled_from(["person", "place", "organisation"]),
              value=st.sampled_from(["Jim Nye", "jim nye", "Leeds"]), text=st.just("x"), sentence=st.just("x."),
              start=st.integers(0, 40)),
    st.builds(Mention, kind=st.just("quote"), value=st.sampled_from(QUOTES), text=st.just("q"),
              sentence=st.sampled_from(QUOTES), subject=st.sampled_from(["", "Jim Nye", "Nye", "Ann Nye"]),
              start=st.integers(0, 40)),
)
IDS = ["a", "b", "c"]


@st.composite
def cluster_work(draw: st.DrawFn) -> tuple[Cluster, tuple[Article, ...], dict[str, Fields]]:
    """One cluster's work: up to three articles, copy edges among some, fields for the heads and maybe copies."""
    ids = IDS[: draw(st.integers(1, 3))]
    articles = tuple(Article(i, "text " * draw(st.integers(1, 3)), title=draw(st.sampled_from([None, "", "Fire"])),
                             source=draw(st.sampled_from(["Gazette", ""])),
                             published=draw(st.sampled_from([None, "2020-11-19", "2020-11-21"]))) for i in ids)
    copies = tuple(Edge(a, b, "near_duplicate", 0.9) for a, b in pairwise(ids)
                   if draw(st.booleans()))
    copied = {e.b for e in copies}  # each a copy (of a smaller id): may have no fields of its own
    fields = {i: Fields(i, mentions=tuple(draw(st.lists(MENTIONS, max_size=8))))
              for i in ids if i not in copied or draw(st.booleans())}
    cluster = Cluster(cluster_id(ids), tuple(ids), draw(st.sampled_from(ids)), copies)
    return cluster, articles, fields


def story_path(work: list) -> list:
    """What the merge workers made before records: each Story's dict, outline and conflicts."""
    return [(s.as_dict(), story_outline(s), s.conflicts) for s in merge_all(work)]


@settings(max_examples=300, deadline=None)
@given(st.lists(cluster_work(), min_size=1, max_size=3))
def test_records_equal_the_story_paths(work: list) -> None:
    records = list(merged_records(work))
    assert records == story_path(work)
    assert [dumps(r) for r, _, _ in records] == [dumps(s) for s, _, _ in story_path(work)]


def test_one_report_stories_take_the_record_path(monkeypatch: pytest.MonkeyPatch) -> None:
    work = [(Cluster(cluster_id(["a", "b"]), ("a", "b"), "a", (Edge("a", "b", "exact", 1.0),)),
             (Article("a", "one two"), Article("b", "one two")),
             {"a": Fields("a", mentions=(Mention("date", "2018-10", "October 2018", "In October 2018.",
                                                 "suspended", start=3),))})]
    assert one_report({"a": "a", "b": "a"}) and not one_report({"a": "a", "b": "b"})
    expected = story_path(work)
    monkeypatch.setattr(onereport, "merge_cluster", lambda *args: pytest.fail("a story of one report built objects"))
    assert list(merged_records(work)) == expected
    record = expected[0][0]
    assert [s["id"] for s in record["facts"][0]["sources"]] == ["a", "b"] and record["counts"]["independent"] == 1


def test_the_seeds_records_equal_the_story_paths() -> None:
    articles = tuple(sorted(read_articles([SEEDS]), key=lambda a: a.id))
    story = tuple(a.id for a in articles if a.id[:3] in ("002", "003"))
    groups = [story] + [(a.id,) for a in articles if a.id not in story]
    clusters = tuple(sorted((Cluster(cluster_id(g), g, g[0], ()) for g in groups), key=lambda c: c.cluster_id))
    work = merge_work(Result(articles, clusters, (), {}, {"fields": {}}), LocalEngine(1))
    assert list(merged_records(work)) == story_path(work)
    lines = merged_lines(work, sections=True)
    assert [line for line, *_ in lines] == [(dumps(s) + "\n").encode() for s, _, _ in story_path(work)]
    assert sum(1 for *_, conflicts, _ in lines if conflicts) == 1  # 002 and 003 are two reports that disagree


def test_story_file_keeps_a_line_given_as_text_or_bytes() -> None:
    stories = StoryFile()
    summary = story_outline(merge_all([(Cluster("c1", ("a",), "a", ()), (Article("a", "x"),), {})])[0])
    stories.add('{"x": "é"}\n', summary)
    stories.add('{"x": "é"}\n'.encode(), summary)
    assert stories.line(0) == stories.line(1) == '{"x": "é"}\n'
    stories.close()


@given(st.lists(st.sampled_from("abcde"), max_size=12), st.lists(st.sampled_from("abcxy"), max_size=12))
def test_shared_count_is_the_intersections_total(a: list[str], b: list[str]) -> None:
    assert shared_count(Counter(a), Counter(b)) == (Counter(a) & Counter(b)).total()


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4))


@given(JSON)
def test_dumps_is_the_json_modules_line(value: object) -> None:
    assert dumps(value) == json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
