"""A lone article's story line written straight from its mentions is the record path's line, byte for byte, and its
outline; the merge workers take that path for every cluster of one article and the record path for the others."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import SEEDS
from hypothesis import example, given, settings
from hypothesis import strategies as st
from test_one_report import cluster_work

from dedupe import onereport, read_articles, storyfile
from dedupe.graph import cluster_id
from dedupe.merge import copy_heads
from dedupe.onereport import lone_story, one_report_record
from dedupe.report.views import outline
from dedupe.storyfile import dumps, merged_lines
from dedupe.types import Article, Cluster, Fields, Mention

#: Text full of what an encoder must get right: quotes, backslashes, control characters, non-ASCII, separators.
TEXT = st.text(st.sampled_from(list('ab "\\,:\n\x01\u00e9\u2019\u2028\u4e2d\U0001f600')), max_size=8)
SHORT = st.sampled_from(["", "killed", "age", "aged", "suspended", "Leeds", "at least"]) | TEXT
QUOTES = ["The behaviour was unacceptable and will be tolerated by the force",
          "The behaviour was unacceptable and will not be tolerated by the force",
          "the behaviour was unacceptable and will be tolerated by the Force", "We will appeal the ruling today",
          "We will appeal the ruling today, he said", "Yes"]
SENTENCES = st.sampled_from(["He was suspended in 2018.", "Between 20 and 30 people were hurt.", "",
                             'She said "no" \\ twice.\u2019']) | TEXT
MENTION = st.one_of(
    st.builds(Mention, kind=st.just("date"), value=st.sampled_from(["2018-10", "2018-11", "2020-11-05", "--11"]) | TEXT,
              text=TEXT, sentence=SENTENCES, about=SHORT | st.none(), subject=SHORT | st.none(), qualifier=SHORT,
              start=st.integers(-1, 30)),
    st.builds(Mention, kind=st.just("number"), value=st.sampled_from(["20", "30", "3"]), text=TEXT, sentence=SENTENCES,
              about=SHORT, subject=SHORT, qualifier=SHORT, start=st.integers(-1, 30)),
    st.builds(Mention, kind=st.sampled_from(["person", "place", "organisation", "event", "topic"]),
              value=st.sampled_from(["Jim Nye", "jim nye", "JIM NYE", "Leeds"]) | TEXT, text=TEXT, sentence=SENTENCES,
              about=SHORT | st.none(), subject=SHORT | st.none(), qualifier=SHORT, start=st.integers(-1, 30)),
    st.builds(Mention, kind=st.just("quote"), value=st.sampled_from(QUOTES) | TEXT, text=TEXT, sentence=SENTENCES,
              about=SHORT, subject=st.sampled_from(["", "Jim Nye", "Nye", "Ann Nye", "jim  NYE"]), qualifier=SHORT,
              start=st.integers(0, 3)),
)
ARTICLE = st.builds(
    Article,
    id=st.sampled_from(["a", "b\u00e9", 'q"\\']),
    text=st.sampled_from(["", "Some text."]) | TEXT,
    title=st.none() | SHORT,
    source=st.sampled_from(["", "Gazette", "Le Monde\u2019s"]),
    url=st.none() | st.just('https://example.com/x?a="1"'),
    published=st.none() | st.sampled_from(["2020-11-19", "2020-11-19T10:00:00"]),
)


def record_line(cluster: Cluster, article: Article, fields: dict[str, Fields]) -> tuple[bytes, Any]:
    """The line and outline of the record path (``onereport.one_report_record``), as the merge workers wrote it."""
    record = one_report_record(cluster, copy_heads(cluster), {article.id: article}, fields)
    return (dumps(record) + "\n").encode("utf-8", "surrogatepass"), outline(record)


#: Two wordings of one quote at one place, the longer first: grouped in the order of their values, the shorter leads
#: the group and is the fact's source.
TIED = [Mention("quote", QUOTES[4], "q", "s.", subject="Jim Nye", start=2),
        Mention("quote", QUOTES[3], "q", "s.", subject="Jim Nye", start=2)]


@settings(max_examples=500, deadline=None)
@given(ARTICLE, st.lists(MENTION, max_size=14), st.booleans())
@example(Article("a", "x"), TIED, True)
def test_a_lone_articles_line_is_the_record_paths(article: Article, mentions: list[Mention], known: bool) -> None:
    cluster = Cluster(cluster_id([article.id]), (article.id,), article.id, ())
    fields = {article.id: Fields(article.id, headline="A head.", mentions=tuple(mentions))} if known else {}
    story = lone_story(cluster, article, fields)
    expected = record_line(cluster, article, fields)
    if story is None:  # a lone surrogate: the record path writes it
        assert any("\ud800" <= c <= "\udfff" for m in mentions for c in (m.value + m.text + m.sentence + m.about))
        return
    assert story == expected


def test_a_lone_surrogate_goes_to_the_record_path() -> None:
    article = Article("a", "x")
    cluster = Cluster(cluster_id(["a"]), ("a",), "a", ())
    fields = {"a": Fields("a", mentions=(Mention("person", "Jim \ud800", "Jim", "Jim.", start=0),))}
    assert lone_story(cluster, article, fields) is None
    line, *_ = merged_lines([(cluster, (article,), fields)])[0]
    assert line == record_line(cluster, article, fields)[0]


@settings(max_examples=200, deadline=None)
@given(st.lists(cluster_work(), min_size=1, max_size=4))
def test_merged_lines_equal_the_record_paths(work: list) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(storyfile, "lone_story", lambda *args: None)
        expected = merged_lines(work, sections=True)
    assert merged_lines(work, sections=True) == expected


def test_lone_articles_take_the_line_path(monkeypatch: pytest.MonkeyPatch) -> None:
    articles = sorted(read_articles([SEEDS]), key=lambda a: a.id)
    work = [(Cluster(cluster_id([a.id]), (a.id,), a.id, ()), (a,), {}) for a in articles]
    taken = []
    monkeypatch.setattr(storyfile, "lone_story", lambda *args: taken.append(args[1].id) or onereport.lone_story(*args))
    monkeypatch.setattr(onereport, "one_report_record", lambda *args: pytest.fail("a lone article took the records"))
    lines = merged_lines(work, sections=True)
    assert taken == [a.id for a in articles] and all(not sections for *_, sections in lines)
    monkeypatch.undo()
    assert lines == merged_lines(work, sections=True)
    for (cluster, members, fields), (line, summary, _, _) in zip(work, lines, strict=True):
        assert (line, summary) == record_line(cluster, members[0], fields)
