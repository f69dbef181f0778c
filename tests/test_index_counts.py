"""`add --fast` counts its heads' document frequencies in memory and writes them at its end: the rows the
per-head upserts wrote; in between, reads see the counts of the add's start (its weights are frozen)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe.config import Config
from dedupe.index import Index, create
from dedupe.index.addseen import UnwrittenCounts
from dedupe.index.headstore import KIND_OF, KINDS
from dedupe.index.memory import HeadMemory

_KEYS = st.sampled_from(["storm", "coast", "flood", "mayor", "12", "7", "x", "y"])
_HEAD = st.fixed_dictionaries({kind: st.dictionaries(_KEYS, st.just(0.5), max_size=5) for kind, _ in KINDS})
_UPSERT = ("INSERT INTO frequencies (kind, term, n) VALUES (?, ?, 1) "
           "ON CONFLICT (kind, term) DO UPDATE SET n = n + 1")


def _upsert(db, head: dict[str, dict[str, float]]) -> dict[str, dict[str, int]]:
    """What ``add --fast`` did per head before: one upsert per key; the keys' columns read back."""
    db.executemany(_UPSERT, [(letter, key) for kind, letter in KINDS for key in head[kind]])
    return {
        kind: {
            key: db.execute("SELECT col FROM frequencies WHERE kind = ? AND term = ?", (letter, key)).fetchone()[0]
            for key in head[kind]
        }
        for kind, letter in KINDS
    }


def _rows(db) -> list[tuple]:
    return db.execute("SELECT rowid, col, kind, term, n FROM frequencies ORDER BY rowid").fetchall()


def _two_tables(folder: Path, before: list[tuple[str, str, int]], gap: bool) -> tuple[Index, Index]:
    """Two new indexes in ``folder`` holding the ``frequencies`` rows ``before`` (the first deleted when ``gap``)."""
    tables = tuple(create(folder / name, Config()) for name in ("mine.db", "theirs.db"))
    for index in tables:
        index.db.executemany("INSERT INTO frequencies (kind, term, n) VALUES (?, ?, ?)", before)
        if gap and before:
            index.db.execute("DELETE FROM frequencies WHERE col = (SELECT MIN(col) FROM frequencies)")
    return tables[0], tables[1]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("tnc"), _KEYS, st.integers(1, 9)), unique_by=lambda r: r[:2]),
       st.lists(_HEAD, max_size=6), st.lists(st.tuples(st.sampled_from("tnc"), st.lists(_KEYS)), max_size=6),
       st.booleans())
def test_unwritten_counts_write_what_the_upserts_wrote(before: list[tuple[str, str, int]],
                                                       heads: list[dict[str, dict[str, float]]],
                                                       reads: list[tuple[str, list[str]]], gap: bool) -> None:
    """From any ``frequencies`` table (its first row deleted or not), counting heads one by one gives the
    columns the upserts gave, a memory reading terms between heads sees the counts the table held at the
    start, and the rows written at the end are the upserts' rows, rowid for rowid."""
    with tempfile.TemporaryDirectory() as folder:
        mine, theirs = _two_tables(Path(folder), before, gap)
        start = {(kind, term): n for kind, term, n in mine.db.execute("SELECT kind, term, n FROM frequencies")}
        with mine.writing(), theirs.writing():
            counts = UnwrittenCounts(mine)
            known: dict[str, dict[str, int]] = {kind: {} for kind, _ in KINDS}
            for n, head in enumerate(heads):
                found = counts.count(SimpleNamespace(**head), known)  # type: ignore[arg-type]
                assert found == _upsert(theirs.db, head)
                for kind, _ in KINDS:
                    known[kind].update(found[kind])
                if n < len(reads):
                    memory = HeadMemory(mine)  # a memory reading these terms for the first time
                    letter, terms = reads[n]
                    assert memory.frequencies(letter, terms) == {t: start.get((letter, t), 0) for t in terms}
            counts.write()
            assert _rows(mine.db) == _rows(theirs.db)
        mine.close()
        theirs.close()


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("tnc"), _KEYS, st.integers(1, 9)), unique_by=lambda r: r[:2]),
       st.lists(_HEAD, max_size=6), st.booleans())
def test_counts_given_every_column_look_nothing_up_and_write_what_the_upserts_wrote(
        before: list[tuple[str, str, int]], heads: list[dict[str, dict[str, float]]], gap: bool) -> None:
    """Given every row's column first (``complete``, as ``add --fast`` after reading every frequency), counting
    heads asks the table nothing and gives the columns and rows the upserts gave."""
    with tempfile.TemporaryDirectory() as folder:
        mine, theirs = _two_tables(Path(folder), before, gap)
        known: dict[str, dict[str, int]] = {kind: {} for kind, _ in KINDS}
        for col, letter, term in mine.db.execute("SELECT col, kind, term FROM frequencies"):
            known[KIND_OF[letter]][term] = col
        with mine.writing(), theirs.writing():
            counts = UnwrittenCounts(mine)
            asked: list[str] = []
            mine.db.set_trace_callback(asked.append)
            for head in heads:
                found = counts.count(SimpleNamespace(**head), known, complete=True)  # type: ignore[arg-type]
                assert found == _upsert(theirs.db, head)
                for kind, _ in KINDS:
                    known[kind].update(found[kind])
            mine.db.set_trace_callback(None)
            assert asked == []
            counts.write()
            assert _rows(mine.db) == _rows(theirs.db)
        mine.close()
        theirs.close()
