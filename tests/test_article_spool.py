"""Articles whose texts wait in a temporary file read, compare, copy and pickle as the articles they stand for."""

from __future__ import annotations

import copy
import dataclasses
import json
import os
import pickle

import pytest
from conftest import SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import read_articles
from dedupe.articlespool import ArticleSpool, SpooledArticle, drained
from dedupe.pipeline import run
from dedupe.types import Article

_TEXT = st.text(st.characters(exclude_categories=()), max_size=30)  # lone surrogates and newlines included


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_TEXT, st.booleans(), st.none() | _TEXT), max_size=5))
def test_spooled_articles_read_back_as_written(drawn):
    articles = [Article(f"a{i}", text, title=title, origin=f"f:{i}",
                        record={"id": f"a{i}", "body": text if in_record else "other", "n": i})
                for i, (text, in_record, title) in enumerate(drawn)]
    spool = ArticleSpool()
    kept = [spool.keep(article) for article in articles]
    for article, back in zip(articles, kept):
        assert isinstance(back, SpooledArticle) and "text" not in vars(back)
        assert back.text == article.text and back.content == article.content
        assert back.content_length == len(back.content) == article.content_length
        assert list(back.record.items()) == list(article.record.items())
        assert back == article and article == back and hash(back) == hash(article)
        assert back.origin == article.origin and back.title == article.title


_ORIGIN = _TEXT | st.builds(lambda where, line: f"{where}:{line}", _TEXT, st.integers(0, 10**12)) | st.sampled_from(
    ["", ":", "f:", "f:007", "f:-1", "f:+3", "a:b:12", "f:\u0663", "f:12 ", "f:1_0"])


@settings(max_examples=100, deadline=None)
@given(st.lists(_ORIGIN, max_size=6))
def test_origins_read_back_as_given(origins):
    spool = ArticleSpool()
    kept = [spool.keep(Article(f"a{i}", "text", origin=origin)) for i, origin in enumerate(origins)]
    assert [back.origin for back in kept] == origins
    assert all("origin" not in vars(back) for back in kept)


def test_record_keys_and_sources_are_held_once():
    records = [json.loads(f'{{"id": "a{i}", "source": "outlet"}}') for i in range(3)]  # each line its own keys
    assert len({id(key) for record in records for key in record}) == 6
    spool = ArticleSpool()
    kept = [spool.keep(Article(r["id"], "text", source=r["source"], record=r)) for r in records]
    assert len({id(key) for back in kept for key in back.held}) == 2
    assert len({id(back.source) for back in kept} | {id(back.held["source"]) for back in kept}) == 1
    assert [back.record for back in kept] == records


def test_copies_and_pickles_are_plain_articles():
    article = Article("x", "He said \u201cso\u201d.\n\nMore.", title="T", record={"id": "x", "text": "He"})
    back = ArticleSpool().keep(article)
    for made in (dataclasses.replace(back, text="short"), pickle.loads(pickle.dumps(back)), copy.copy(back)):
        assert type(made) is Article
    assert pickle.loads(pickle.dumps(back)) == article
    assert dataclasses.replace(back, text="short").title == "T"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork only")
def test_forked_workers_read_the_texts():
    articles = list(read_articles([SEEDS]))
    spool = ArticleSpool()
    kept = [spool.keep(a) for a in articles]
    spool.ready()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports through its exit code
        os._exit(0 if all(k.text == a.text for k, a in zip(kept, articles)) else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_drained_empties_each_slot_as_it_hands_it_out():
    items = ["a", "b", "c"]
    seen = []
    for item in drained(items):
        seen.append((item, list(items)))
    assert [item for item, _ in seen] == ["a", "b", "c"] and items == [None, None, None]
    assert seen[1][1] == [None, None, "c"]  # handed out: its slot is empty already


def test_a_run_without_details_holds_spooled_articles_equal_to_the_input():
    articles = sorted(read_articles([SEEDS]), key=lambda a: a.id)
    result = run(iter(articles), details=False)
    assert all(isinstance(a, SpooledArticle) for a in result.articles)
    assert list(result.articles) == articles
