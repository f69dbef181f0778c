"""The stored head rows score as the profiles they were written from; `index upgrade` converts an old index."""

from __future__ import annotations

import dataclasses
import math
import random
import sqlite3
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import corpus_file
from hypothesis import given, settings
from hypothesis import strategies as st
from test_index import CONFIG, dump
from test_index_heads import COMPARISONS, profiles

from dedupe import read_articles
from dedupe.cli import main
from dedupe.errors import IndexFileError
from dedupe.index import add, add_fast, create, fast, open_index
from dedupe.index.check import Checker
from dedupe.index.codec import profile_from
from dedupe.index.heads import HeadTable
from dedupe.index.headstore import KINDS, all_columns, head_row, heads_from, upgrade
from dedupe.index.store import HEADS, POSTINGS_INDEX
from dedupe.index.story_check import StoryChecker
from dedupe.profile import Profile


@settings(max_examples=120, deadline=None)
@given(st.data(), st.integers(1, 7), st.integers(0, 3), st.randoms(use_true_random=False))
def test_stored_heads_give_the_values_their_profiles_give(data: st.DataObject, count: int, later: int,
                                                          shuffle: random.Random) -> None:
    """Heads written as ``heads`` rows under any numbering of their keys (and read back at once, then one
    by one) give every comparison, ceiling and gap the float the same heads taken in as profiles give."""
    heads = [data.draw(profiles(f"h{n}")) for n in range(count + later)]
    me = data.draw(profiles(data.draw(st.sampled_from(["a", "h3x", "z"]))))
    columns: dict[str, dict[str, int]] = {}
    for kind, _ in KINDS:
        keys = sorted({k for p in [*heads, me] for k in getattr(p, kind)})
        numbers = shuffle.sample(range(1, 3 * len(keys) + 2), len(keys))
        columns[kind] = dict(zip(keys, numbers))
    own, stored = HeadTable(), HeadTable()
    own.extend(heads)
    rows = [head_row(p, columns) for p in heads]
    stored.extend_stored(heads_from(rows[:count]))
    for row in rows[count:]:
        stored.extend_stored(heads_from([row]))
    for kind, _ in KINDS:  # what a check learns of the article's keys from the frequencies table
        stored.vocabulary[kind].learn({k: c for k, c in columns[kind].items() if k in getattr(me, kind)})
    others = data.draw(st.lists(st.sampled_from([h.article_id for h in heads]), unique=True))
    first = np.array([me.article_id < o for o in others], dtype=bool)
    for comparison in COMPARISONS:
        want = own.column(comparison, me, own.places_of(others), first)
        got = stored.column(comparison, me, stored.places_of(others), first)
        assert want is not None and got is not None
        assert [None if math.isnan(v) else v for v in got.tolist()] == [
            None if math.isnan(v) else v for v in want.tolist()]
        assert (stored.ceilings(comparison, me, stored.places_of(others)).tolist()
                == own.ceilings(comparison, me, own.places_of(others)).tolist())
    assert stored.gaps(me, stored.places_of(others)).tolist() == own.gaps(me, own.places_of(others)).tolist()


def test_a_table_takes_heads_of_one_numbering_only() -> None:
    """Keys numbered by the table and by the index would share columns: a table refuses the second kind."""
    table = HeadTable()
    table.extend([Profile("h", "Storm", "", "", None, {"storm": 1.0}, {}, frozenset(), {})])
    with pytest.raises(ValueError, match="numbered"):
        table.extend_stored(heads_from([]))


def _stored_rows(path: Path) -> tuple[list[tuple], list[tuple]]:
    """The ``heads`` rows, and those :func:`head_row` gives each stored profile with the frequencies' columns."""
    with open_index(path) as index:
        columns = all_columns(index)
        want = [head_row(profile_from(blob), columns)
                for (blob,) in index.db.execute("SELECT profile FROM profiles ORDER BY id")]
        got = index.db.execute("SELECT * FROM heads ORDER BY id").fetchall()
        numbered = index.db.execute("SELECT COUNT(*) FROM frequencies WHERE col != rowid").fetchone()[0]
    assert numbered == 0
    return got, want


def test_every_add_writes_a_head_row_per_profile(seeds_dir: Path, tmp_path: Path) -> None:
    """After an exact add and after ``add --fast``, each stored profile has its head row, and no other row."""
    articles = list(read_articles([seeds_dir]))
    with create(tmp_path / "s.db", CONFIG) as index:
        add(index, articles[:3])
        got, want = _stored_rows(tmp_path / "s.db")
        assert got == want and len(got) >= 2
        add_fast(index, articles[3:])
    got, want = _stored_rows(tmp_path / "s.db")
    assert got == want and len(got) > len(articles[:3])


def test_a_placed_head_is_scored_as_a_fresh_read_scores_it(tmp_path: Path) -> None:
    """A checker that placed heads (cold: each read on first use) scores later articles as one reading
    the index afresh: a term the memory had looked up as unseen, first counted by a placed head, gets that
    head's column (fails when ``HeadMemory.remember`` does not learn the new columns). The profiles are
    the fresh checker's: the placing one weighs with the frequencies of the add's start (frozen). Without the
    term specificity, which reads each checker's own frequencies and document count at check time."""
    articles = list(read_articles([corpus_file("ecbplus_dev")]))[:230]
    with create(tmp_path / "e.db", replace(CONFIG, specific_weight=0.0)) as index:
        add(index, articles[:100])
    with open_index(tmp_path / "e.db") as index, index.writing():
        checker = Checker(index)
        fast._place_all(index, articles[100:200], 0, checker, None, 0.0)
        used, fresh = checker._stories, StoryChecker(index, index.config)
        assert used is not None
        compared = 0
        for probe in articles[200:]:
            used.profile(probe)  # as placing does: the article's terms read (and their columns learned)
            profile, _, _ = fresh.profile(probe)
            candidates = fresh.candidates(profile)
            assert used.scores(profile, candidates) == fresh.scores(profile, candidates)
            compared += len(candidates)
    assert compared > 100


def _as_version_2(path: Path) -> None:
    """Turn a current index into what version 2 wrote: no ``heads``, ``frequencies`` without ``col``."""
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE heads")
        db.execute("CREATE TABLE old (kind TEXT NOT NULL, term TEXT NOT NULL, n INTEGER NOT NULL, "
                   "PRIMARY KEY (kind, term))")
        db.execute("INSERT INTO old (rowid, kind, term, n) SELECT col, kind, term, n FROM frequencies")
        db.execute("DROP TABLE frequencies")
        db.execute("ALTER TABLE old RENAME TO frequencies")
        old_postings_index(db)
        db.execute("UPDATE meta SET value = '2' WHERE key = 'version'")


def old_postings_index(db: sqlite3.Connection) -> None:
    """Index the postings as versions before 6 did: by key only."""
    db.execute("DROP INDEX postings_key_id")
    db.execute("CREATE INDEX postings_key ON postings (key)")


def indexes(path: Path) -> list[tuple[str, str]]:
    """The name and SQL of every index of the index file at ``path`` (SQLite's own included)."""
    with sqlite3.connect(path) as db:
        return sorted(db.execute("SELECT name, COALESCE(sql, '') FROM sqlite_master WHERE type = 'index'"))


def test_upgrade_converts_a_version_2_index(seeds_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A version 2 index is refused with a hint to upgrade; ``index upgrade`` (a killed one changes nothing)
    gives every row the current code writes, and the upgraded index takes ``add --fast`` as a new one."""
    articles = list(read_articles([seeds_dir]))
    path, old = tmp_path / "s.db", tmp_path / "old.db"
    with create(path, CONFIG) as index:
        add(index, articles[:3])
    current = dump(path)
    old.write_bytes(path.read_bytes())
    _as_version_2(old)
    with pytest.raises(IndexFileError) as refused:
        open_index(old)
    assert "schema version 2" in refused.value.message and "dedupe index upgrade" in (refused.value.hint or "")
    before = dump(old)
    with monkeypatch.context() as patched:
        patched.setattr("dedupe.index.headstore.write_all", _killed)
        with pytest.raises(KeyboardInterrupt):
            upgrade(old)
    assert dump(old) == before
    keys = _meta_rowids(old)
    result = CliRunner().invoke(main, ["index", "upgrade", "--index", str(old)])
    assert result.exit_code == 0 and "upgraded from version 2" in result.output
    assert dump(old) == current and _meta_rowids(old) == keys and indexes(old) == indexes(path)
    again = CliRunner().invoke(main, ["index", "upgrade", "--index", str(old)])
    assert again.exit_code == 0 and "already current" in again.output
    with open_index(old) as index:
        add_fast(index, articles[3:])
    with open_index(path) as index:
        add_fast(index, articles[3:])
    assert _without_timings(dump(old)) == _without_timings(dump(path))


def test_upgrade_adds_people_to_a_version_3_index(seeds_dir: Path, tmp_path: Path) -> None:
    """A version 3 index (heads without people) is refused with a hint to upgrade; ``index upgrade`` adds the
    column, empty for the heads already stored (their profiles, stored by version 3, name none), and the
    upgraded index answers checks."""
    articles = list(read_articles([seeds_dir]))
    path = tmp_path / "v3.db"
    with create(path, CONFIG) as index:
        add(index, articles[:3])
    _downgraded_then_upgraded(path, 3, "people", "principal")
    with sqlite3.connect(path) as db:
        assert {people for (people,) in db.execute("SELECT people FROM heads")} == {"[]"}
    with open_index(path) as index:
        assert Checker(index).check(articles[3])["id"] == articles[3].id


def test_upgrade_adds_principals_to_a_version_4_index(seeds_dir: Path, tmp_path: Path) -> None:
    """A version 4 index (heads without principals) is refused with a hint to upgrade; ``index upgrade`` adds
    the column, empty for the heads already stored, keeps their people, and the upgraded index answers checks
    as the index did before (its config, stored by version 4, has no comparison reading principals)."""
    articles = list(read_articles([seeds_dir]))
    path = tmp_path / "v4.db"
    with create(path, dataclasses.replace(CONFIG, comparisons=CONFIG.comparisons[:-1])) as index:
        add(index, articles[:3])
        before = Checker(index).check(articles[3])
    with sqlite3.connect(path) as db:
        people = sorted(db.execute("SELECT id, people FROM heads"))
    _downgraded_then_upgraded(path, 4, "principal")
    with sqlite3.connect(path) as db:
        assert {principal for (principal,) in db.execute("SELECT principal FROM heads")} == {"[]"}
        assert sorted(db.execute("SELECT id, people FROM heads")) == people
    with open_index(path) as index:
        assert Checker(index).check(articles[3]) == before


def _downgraded_then_upgraded(path: Path, version: int, *columns: str) -> None:
    """Make the index at ``path`` look written by ``version`` (its heads without ``columns``), check it is refused
    with a hint to upgrade, and upgrade it with ``dedupe index upgrade``."""
    with sqlite3.connect(path) as db:
        for column in columns:
            db.execute(f"ALTER TABLE heads DROP COLUMN {column}")
        old_postings_index(db)
        db.execute("UPDATE meta SET value = ? WHERE key = 'version'", (str(version),))
    with pytest.raises(IndexFileError) as refused:
        open_index(path)
    assert f"schema version {version}" in refused.value.message
    assert "dedupe index upgrade" in (refused.value.hint or "")
    result = CliRunner().invoke(main, ["index", "upgrade", "--index", str(path)])
    assert result.exit_code == 0 and f"upgraded from version {version}" in result.output
    assert ("postings_key_id", POSTINGS_INDEX) in indexes(path)
    assert "postings_key" not in dict(indexes(path))


def test_upgrade_refuses_other_files(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / "v1.db") as db:
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute("INSERT INTO meta VALUES ('version', '1')")
    result = CliRunner().invoke(main, ["index", "upgrade", "--index", str(tmp_path / "v1.db")])
    assert result.exit_code == IndexFileError.exit_code and "only version 2" in result.output
    missing = CliRunner().invoke(main, ["index", "upgrade", "--index", str(tmp_path / "none.db")])
    assert missing.exit_code == IndexFileError.exit_code and "no index file" in missing.output
    assert HEADS.startswith("CREATE TABLE heads")


def _killed(*args: object) -> None:
    raise KeyboardInterrupt


def _without_timings(rows: list[tuple]) -> list[tuple]:
    return [row[:-1] if row[0] == "batches" else row for row in rows]


def _meta_rowids(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT rowid, key FROM meta ORDER BY rowid").fetchall()
