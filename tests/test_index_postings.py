"""The postings are indexed by key and id (schema version 6): holders read from the index alone, as before."""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from test_index import CONFIG, dump
from test_index_headstore import _without_timings, indexes, old_postings_index

from dedupe import read_articles
from dedupe.cli import main
from dedupe.index import add, add_fast, create, open_index
from dedupe.index.check import Checker
from dedupe.index.memory import HeadMemory
from dedupe.index.store import POSTINGS_INDEX, SCHEMA_VERSION

_HOLDERS = "SELECT key, id FROM postings WHERE key IN (?, ?)"


def test_a_new_index_reads_holders_from_the_postings_index_alone(tmp_path: Path) -> None:
    with create(tmp_path / "new.db", CONFIG):
        pass
    assert ("postings_key_id", POSTINGS_INDEX) in indexes(tmp_path / "new.db")
    with sqlite3.connect(tmp_path / "new.db") as db:
        plan = " ".join(row[-1] for row in db.execute("EXPLAIN QUERY PLAN " + _HOLDERS, ("a", "b")))
    assert "COVERING INDEX postings_key_id" in plan


def test_upgrade_indexes_the_postings_of_a_version_5_index(seeds_dir: Path, tmp_path: Path) -> None:
    """A version 5 index (postings indexed by key alone) is refused with a hint; ``index upgrade`` changes no
    row, gives it a new index's indexes, and it answers checks and takes ``add --fast`` as a new index does."""
    articles = list(read_articles([seeds_dir]))
    path, old = tmp_path / "s.db", tmp_path / "v5.db"
    with create(path, CONFIG) as index:
        add(index, articles[:3])
    old.write_bytes(path.read_bytes())
    with sqlite3.connect(old) as db:
        old_postings_index(db)
        db.execute("UPDATE meta SET value = '5' WHERE key = 'version'")
    refused = CliRunner().invoke(main, ["check", str(seeds_dir), "--index", str(old)])
    assert refused.exit_code != 0 and "schema version 5" in refused.output and "index upgrade" in refused.output
    result = CliRunner().invoke(main, ["index", "upgrade", "--index", str(old)])
    assert result.exit_code == 0 and f"schema version {SCHEMA_VERSION}, upgraded from version 5" in result.output
    assert dump(old) == dump(path) and indexes(old) == indexes(path)
    with open_index(old) as upgraded, open_index(path) as fresh:
        assert [Checker(upgraded).check(a) for a in articles[3:]] == [Checker(fresh).check(a) for a in articles[3:]]
        add_fast(upgraded, articles[3:])
        add_fast(fresh, articles[3:])
    assert _without_timings(dump(old)) == _without_timings(dump(path))


_KEYS = st.sampled_from([f"k{n}" for n in range(6)])
_IDS = st.sampled_from([f"a{n:02d}" for n in range(12)])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_KEYS, _IDS), max_size=40), st.lists(_KEYS, max_size=6), st.integers(1, 8))
def test_holders_are_every_posting_of_each_key_held_by_fewer_than_the_limit(rows: list[tuple[str, str]],
                                                                           keys: list[str], limit: int) -> None:
    """``HeadMemory.postings`` against the table read row by row: each asked key held by fewer than ``limit``
    heads gives all its holders (repeats kept; none for a key nobody holds), the others are left out; in whatever
    order the index gives them."""
    with tempfile.TemporaryDirectory() as folder, create(Path(folder) / "p.db", CONFIG) as index:
        index.db.executemany("INSERT INTO postings (key, id) VALUES (?, ?)", rows)
        found = HeadMemory(index).postings(keys, limit)
    every: dict[str, list[str]] = {}
    for key, holder in rows:
        every.setdefault(key, []).append(holder)
    want = {key: sorted(every.get(key, [])) for key in set(keys) if len(every.get(key, [])) < limit}
    assert {key: sorted(held) for key, held in found.items()} == want
