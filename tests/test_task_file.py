"""Work written to a file reads back as the run's, holds none of the run's objects, and is what forked extraction
and merge workers are handed."""

from __future__ import annotations

import json
import os
from array import array
from functools import partial
from pathlib import Path

import pytest
from conftest import SEEDS

from dedupe import Config, fieldstream, merge, read_articles
from dedupe.articlespool import ArticleSpool, SpooledArticle
from dedupe.engine import LocalEngine
from dedupe.fieldspool import FieldSpool, OffsetFile
from dedupe.merge import cluster_work
from dedupe.pipeline import run
from dedupe.taskfile import TaskFile, article_tasks, merge_tasks
from dedupe.types import Article

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _spooled_run() -> tuple:
    """A run of the seeds (details kept), its articles spooled and its fields in a FieldSpool."""
    result = run(list(read_articles([SEEDS])), Config(workers=1))
    spool = ArticleSpool()
    articles = {a.id: spool.keep(a) for a in result.articles}
    spool.ready()
    return result, articles, result.extras["fields"]


def test_each_cluster_s_work_reads_back_as_built_from_the_run():
    result, articles, fields = _spooled_run()
    some = dict(list(fields.items())[:3])  # held fields (as a run's missing heads) beside spooled ones
    plain = result.articles[0]  # an article not in the spool is written whole
    articles[plain.id] = plain
    tasks = merge_tasks(result.clusters, articles, FieldSpool(fields), some)
    expected = [cluster_work(c, articles, fields) for c in result.clusters]
    assert len(tasks) == len(expected) > 3
    assert tasks[:] == expected and tasks[2] == expected[2] and tasks[-1] == expected[-1]
    assert tasks[1:4] == expected[1:4] and tasks[::2] == expected[::2] and tasks[3:3] == []
    for (_, got, got_fields), (_, want, want_fields) in zip(tasks[:], expected, strict=True):
        assert list(got_fields.items()) == list(want_fields.items())
        for back, article in zip(got, want, strict=True):
            assert type(back) is type(article)
            assert back.text == article.text and back.origin == article.origin
            assert list(back.record.items()) == list(article.record.items())


def test_article_tasks_read_back_as_the_articles():
    spool = ArticleSpool()
    articles = [spool.keep(a) for a in read_articles([SEEDS])]
    spool.ready()
    articles.insert(2, Article("plain", "Not spooled.", origin="x:1"))
    tasks = article_tasks(articles)
    assert tasks[:] == articles and tasks[1:3] == articles[1:3] and tasks[-1] == articles[-1]
    assert [vars(a) for a in tasks] == [vars(a) for a in articles]
    assert {type(value) for value in tasks.rebuild.keywords.values()} == {ArticleSpool}


def test_a_spooled_article_s_place_rebuilds_it():
    spool = ArticleSpool()
    text = "Body text.\nTwo lines."
    kept = spool.keep(Article("a1", text, title="T", source="S", published="2020-01-02", url="http://x/y",
                              origin="f.jsonl:7", record={"id": "a1", "text": text, "body": text, "n": 3}))
    back = spool.article(json.loads(json.dumps(kept.place())))
    assert isinstance(back, SpooledArticle) and back == kept and vars(back) == vars(kept)
    assert list(back.record.items()) == list(kept.record.items()) and back.origin == "f.jsonl:7"


def test_the_tasks_hold_none_of_the_run_s_objects():
    """What a worker inherits of the tasks is a file, flat offsets and the two spools: reading the work walks no
    article, cluster or fields object of the run (whose pages a forked worker would copy)."""
    result, articles, fields = _spooled_run()
    spooled = FieldSpool(fields)
    tasks = merge_tasks(result.clusters, articles, spooled, {})
    expected = [cluster_work(c, articles, fields) for c in result.clusters]
    assert {type(value) for value in vars(tasks).values()} == {OffsetFile, array, partial}
    assert {type(value) for value in tasks.rebuild.keywords.values()} == {FieldSpool, ArticleSpool}
    articles.clear()
    fields.clear()
    assert tasks[:] == expected


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork only")
def test_forked_workers_are_handed_task_files(monkeypatch):
    handed = []
    real = LocalEngine.map_chunks

    def recording(self, func, items, spans=None):
        handed.append(type(items))
        return real(self, func, items, spans)

    monkeypatch.setattr(LocalEngine, "map_chunks", recording)
    monkeypatch.setattr(merge, "MERGE_CHUNK", 1)  # a task per cluster: the workers, not this process, merge
    monkeypatch.setattr(fieldstream, "EXTRACT_CHUNK", 2)  # and extract
    articles = list(read_articles([FIXTURES / "stories_death_toll" / "input.jsonl"]))
    spooled = run(articles, Config(workers=2), engine=LocalEngine(2), details=False)
    assert handed.count(TaskFile) == 2 and handed[-1] is TaskFile  # extraction, then merge
    monkeypatch.setattr(LocalEngine, "map_chunks", real)
    held = run(articles, Config(workers=1))
    assert list(spooled.extras["stories"]) == held.extras["stories"]


@pytest.mark.parametrize("failing", ["extract", "merge"])
def test_a_failed_stage_still_deletes_its_task_file(monkeypatch, failing):
    """A stage's task file is closed when its workers fail too (it was left to the garbage collector)."""
    made, closed, real_close, real_map = [], [], TaskFile.close, LocalEngine.map_chunks

    def fails(self, func, items, spans=None):
        extracting = getattr(func, "func", None) is fieldstream.extract_encoded
        if isinstance(items, TaskFile) and extracting == (failing == "extract"):
            made.append(items)
            raise RuntimeError("a worker died")
        return real_map(self, func, items, spans)

    monkeypatch.setattr(LocalEngine, "map_chunks", fails)
    monkeypatch.setattr(TaskFile, "close", lambda self: closed.append(self) or real_close(self))
    articles = list(read_articles([FIXTURES / "stories_death_toll" / "input.jsonl"]))
    with pytest.raises(RuntimeError, match="a worker died"):
        run(articles, Config(workers=2), engine=LocalEngine(2), details=False)
    assert made and all(task in closed for task in made)
