"""`add --fast` merges the stories it grew all at once (in workers when it has them): the same rows, in the
same order, as merging them one at a time."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from test_index import CONFIG

from dedupe import read_articles
from dedupe.engine import LocalEngine
from dedupe.extract import extract
from dedupe.graph import build_graph, make_clusters
from dedupe.index import add, add_fast, create, fast, open_index, remerge
from dedupe.index.codec import dumps, pack
from dedupe.index.export import cluster_from
from dedupe.index.story_check import story_inputs
from dedupe.merge import merge_cluster


def _rows(path: Path) -> list[tuple]:
    """Every row of every table in rowid order (the order they were written in; batch timings left out)."""
    with sqlite3.connect(path) as db:
        tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND name NOT IN ('batches', 'sqlite_sequence') ORDER BY name")]
        return [(t, *row) for t in tables for row in db.execute(f"SELECT rowid, * FROM {t} ORDER BY rowid")]


def _one_at_a_time(index, added, edges, batch, engine=None) -> None:
    """What ``add --fast`` did before: each grown story, in id order, read, merged from scratch and written."""
    for story in sorted(added):
        row = index.db.execute("SELECT cluster, created FROM stories WHERE story = ?", (story,)).fetchone()
        old = cluster_from(row[0]) if row else None
        members = sorted({*(old.members if old else ()), *added[story]})
        articles, known = story_inputs(index, members)
        graph = build_graph(members, [*(old.edges if old else ()), *edges.get(story, ())])
        [cluster] = make_clusters([members], graph, lambda m, a=articles: (-len(a[m].content),
                                                                           a[m].published or "~", m))
        merged = merge_cluster(cluster, articles, known, extract)
        index.db.execute("INSERT OR REPLACE INTO stories (story, created, cluster, record) VALUES (?, ?, ?, ?)",
                         (story, row[1] if row else batch, dumps(cluster.as_dict()), pack(merged.as_dict())))


@pytest.mark.parametrize("engine", [None, LocalEngine(2)])
def test_grown_stories_are_merged_as_one_at_a_time(engine: LocalEngine | None, seeds_dir: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Merging every grown story at once, here or one story a task in worker processes, writes the rows,
    in the same order, that merging them one at a time wrote."""
    monkeypatch.setattr(remerge, "_CHUNK", 1)  # one story a task: the seeds' few stories still go to workers
    articles = list(read_articles([seeds_dir]))
    original = next(a for a in articles if a.id == "002_e6b19a311c7cd973")
    extra = [*articles[2:], replace(original, id="zz-copy", text=original.text.upper()),
             replace(original, id="zz-exact")]
    with create(tmp_path / "base.db", CONFIG) as index:
        add(index, articles[:2])
    states = []
    for name, used, merging in (("old.db", None, _one_at_a_time), ("new.db", engine, remerge.remerge_all)):
        monkeypatch.setattr(fast, "remerge_all", merging)
        (tmp_path / name).write_bytes((tmp_path / "base.db").read_bytes())
        with open_index(tmp_path / name) as index:
            assert add_fast(index, extra, engine=used).added
        states.append(_rows(tmp_path / name))
    assert states[0] == states[1]
    stories = [cluster_from(row[4]) for row in states[1] if row[0] == "stories"]
    assert any(any(m in {a.id for a in extra} for m in c.members) and len(c.members) > 2 for c in stories)
