"""`add --fast` merges the stories it grew all at once (in workers when it has them) and writes its counts
at its end: the same rows, in the same order, as merging them one at a time; killed before its commit, it
leaves the index as it was."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import stalled_writer
from test_index import CONFIG

from dedupe import read_articles
from dedupe.engine import LocalEngine
from dedupe.extract import extract
from dedupe.graph import build_graph, make_clusters
from dedupe.index import add, add_fast, create, fast, open_index, remerge, stats
from dedupe.index.checklinks import story_inputs
from dedupe.index.codec import dumps, pack
from dedupe.index.update import cluster_from
from dedupe.merge import merge_cluster
from dedupe.types import Article


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


def _two_seeds_indexed(seeds_dir: Path, path: Path) -> list[Article]:
    """An index of two seeds at ``path``; the articles to add: the other seeds, a near and an exact copy of one."""
    articles = list(read_articles([seeds_dir]))
    original = next(a for a in articles if a.id == "002_e6b19a311c7cd973")
    with create(path, CONFIG) as index:
        add(index, articles[:2])
    return [
        *articles[2:],
        replace(original, id="zz-copy", text=original.text.upper()),
        replace(original, id="zz-exact"),
    ]


def _ids(extra: list[Article]) -> tuple[str, ...]:
    """The ids an add of ``extra`` (the five of :func:`_two_seeds_indexed`, all new) reports added, sorted."""
    assert len(extra) == 5
    return tuple(sorted(a.id for a in extra))


def _added_both_ways(tmp_path: Path, extra: list[Article], engine: LocalEngine | None,
                     monkeypatch: pytest.MonkeyPatch) -> list[list[tuple]]:
    """The rows of copies of ``base.db`` after ``add_fast`` of ``extra``: merging one story at a time in this
    process, then with :func:`remerge.remerge_all` on ``engine``."""
    states = []
    for name, used, merging in (("old.db", None, _one_at_a_time), ("new.db", engine, remerge.remerge_all)):
        monkeypatch.setattr(fast, "remerge_all", merging)
        (tmp_path / name).write_bytes((tmp_path / "base.db").read_bytes())
        with open_index(tmp_path / name) as index:
            assert add_fast(index, extra, engine=used).added == _ids(extra)
        states.append(_rows(tmp_path / name))
    return states


@pytest.mark.parametrize("engine", [None, LocalEngine(2)])
def test_grown_stories_are_merged_as_one_at_a_time(engine: LocalEngine | None, seeds_dir: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Merging every grown story at once, here or one story a task in worker processes, writes the rows,
    in the same order, that merging them one at a time wrote."""
    monkeypatch.setattr(remerge, "_CHUNK", 1)  # one story a task: the seeds' few stories still go to workers
    extra = _two_seeds_indexed(seeds_dir, tmp_path / "base.db")
    states = _added_both_ways(tmp_path, extra, engine, monkeypatch)
    assert states[0] == states[1]
    stories = [cluster_from(row[4]) for row in states[1] if row[0] == "stories"]
    assert any(any(m in {a.id for a in extra} for m in c.members) and len(c.members) > 2 for c in stories)


def test_grown_stories_of_one_report_go_straight_to_their_records(seeds_dir: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A grown story of one report (a new article alone, or with its copies) is merged by
    ``onereport.one_report_record``, the others by ``merge_cluster``: every row is the one merging each
    from scratch with ``merge_cluster`` wrote."""
    extra = _two_seeds_indexed(seeds_dir, tmp_path / "base.db")
    taken = {"record": 0, "story": 0}
    for name, function in (("record", remerge.one_report_record), ("story", remerge.merge_cluster)):
        def counted(*args, name=name, function=function):
            taken[name] += 1
            return function(*args)
        monkeypatch.setattr(remerge, function.__name__, counted)
    states = []
    for name, merging in (("old.db", _one_at_a_time), ("new.db", remerge.remerge_all)):
        monkeypatch.setattr(fast, "remerge_all", merging)
        (tmp_path / name).write_bytes((tmp_path / "base.db").read_bytes())
        with open_index(tmp_path / name) as index:
            assert add_fast(index, extra).added == _ids(extra)
        states.append(_rows(tmp_path / name))
    assert states[0] == states[1]
    assert taken["record"] > 0 and taken["story"] > 0


def test_stories_grown_again_are_merged_again(seeds_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With one article a part, the stories merged on the pool while the next parts are placed (each part's
    handed over at once) include some that grow again later: they are merged again, and every row is the one
    merging once at the end writes."""
    monkeypatch.setattr(fast, "_PART", 1)
    monkeypatch.setattr(remerge, "_CHUNK", 1)
    monkeypatch.setattr(remerge, "BACKLOG", 10**6)  # every part's stories handed over at once, busy or not
    again = []
    real = remerge.EarlyMerges.rows

    def counted(self, added, edges):
        found = real(self, added, edges)
        again.append(self.again)
        return found

    monkeypatch.setattr(remerge.EarlyMerges, "rows", counted)
    extra = _two_seeds_indexed(seeds_dir, tmp_path / "base.db")
    states = []
    for name, used in (("end.db", None), ("early.db", LocalEngine(2))):
        (tmp_path / name).write_bytes((tmp_path / "base.db").read_bytes())
        with open_index(tmp_path / name) as index:
            assert add_fast(index, extra, engine=used).added == _ids(extra)
        states.append(_rows(tmp_path / name))
    assert again and again[0] > 0  # some story grew in two parts
    assert states[0] == states[1]


FAST_WRITER = """
import sys, time
from pathlib import Path
from dedupe import read_articles
from dedupe.engine import LocalEngine
from dedupe.index import add_fast, fast, open_index, remerge
remerge._CHUNK = 1
def stalled(*args):
    remerge.remerge_all(*args)
    Path(sys.argv[2]).write_text("writing")
    time.sleep(120)
fast.remerge_all = stalled
with open_index(sys.argv[1]) as index:
    add_fast(index, list(read_articles([sys.argv[3]])), engine=LocalEngine(2))
"""


def test_a_fast_add_killed_after_its_last_writes_leaves_the_index_as_it_was(seeds_dir: Path,
                                                                            tmp_path: Path) -> None:
    """Killed after the stories were merged in workers and the counts written, before the commit: the
    index is as it was, readers meanwhile read the old state, and the add done again, then once more,
    writes what one add writes."""
    path, marker = tmp_path / "two.db", tmp_path / "marker"
    with create(path, CONFIG) as index:
        add(index, list(read_articles([seeds_dir]))[:2])
    before = _rows(path)
    with stalled_writer(FAST_WRITER, marker, str(path), str(marker), str(seeds_dir)), open_index(path) as index:
        assert stats(index)["articles"] == 2  # readers work while the writer holds its transaction
    assert _rows(path) == before
    with open_index(path) as index:
        assert len(add_fast(index, list(read_articles([seeds_dir]))).added) == 3
    after = _rows(path)
    with open_index(path) as index:
        assert add_fast(index, list(read_articles([seeds_dir]))).added == ()
    assert _rows(path) == after


def test_workers_read_the_indexed_members_themselves(seeds_dir: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """With worker processes, the main process hands each grown story only what the add wrote (the texts of the
    articles it received, the fields of those heading their copy group); the worker reads its stored row and
    its indexed members from the index as it was before the add, and merges what the one-at-a-time merge did."""
    monkeypatch.setattr(remerge, "_CHUNK", 1)
    extra = _two_seeds_indexed(seeds_dir, tmp_path / "base.db")
    handed = tmp_path / "handed.txt"
    completed = remerge._completed

    def noting(grown):
        with handed.open("a") as out:
            out.write(f"{grown.source is not None} {grown.row is None} {' '.join(sorted(grown.articles))}\n")
        full = completed(grown)
        with handed.open("a") as out:
            out.write(f"read {len(full.articles) - len(grown.articles)} {full.row is not None}\n")
        return full

    monkeypatch.setattr(remerge, "_completed", noting)
    states = _added_both_ways(tmp_path, extra, LocalEngine(2), monkeypatch)
    assert states[0] == states[1]
    lines = handed.read_text().splitlines()
    given = [line.split() for line in lines if not line.startswith("read")]
    assert given and all(lazy == "True" and unread == "True" and set(ids) <= {a.id for a in extra}
                         for lazy, unread, *ids in given)
    assert any(int(line.split()[1]) > 0 and line.split()[2] == "True" for line in lines if line.startswith("read"))


def test_grown_stories_are_held_while_the_pool_is_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    """``EarlyMerges`` hands grown stories to the pool only while fewer than ``BACKLOG`` of its tasks (those
    submitted before it, then its merges) are unfinished: a story growing in several parts while the workers
    extract is merged once, when they are done; one growing after it was handed over is merged again; ``rows``
    merges what is still held and gives each story's last merge."""
    from concurrent.futures import Future

    submitted: list[list[str]] = []

    class Pool:
        def submit(self, function, chunk):
            submitted.append([grown.story for grown, _ in chunk])
            done: Future = Future()
            done.set_result([(grown.story, len(grown.added)) for grown, _ in chunk])
            return done

    monkeypatch.setattr(remerge, "grown_stories", lambda index, added, edges, lazy=False: [
        remerge.Grown(story, None, tuple(added[story]), (), {}, {}) for story in sorted(added)])
    monkeypatch.setattr(remerge, "BACKLOG", 1)
    extracting: Future = Future()
    merges = remerge.EarlyMerges(None, Pool(), 1, [extracting])
    merges.grew({"b": ["1"]}, {}, ["b"])
    merges.grew({"b": ["1", "2"], "a": ["3"]}, {}, ["b", "a"])
    assert submitted == [] and merges.unfinished() == 1
    extracting.set_result([])
    merges.grew({"b": ["1", "2"], "a": ["3"], "c": ["4"]}, {}, ["c"])
    assert submitted == [["a", "b", "c"]] and merges.again == 0
    merges.grew({"b": ["1", "2", "5"], "a": ["3"], "c": ["4"]}, {}, ["b"])
    assert submitted[1:] == [["b"]] and merges.again == 1
    rows = merges.rows({"b": ["1", "2", "5"], "a": ["3"], "c": ["4"], "d": ["6"]}, {})
    assert submitted[2:] == [["d"]]
    assert rows == [("a", 1), ("b", 3), ("c", 1), ("d", 1)]
