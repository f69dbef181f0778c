"""The index file: a SQLite database in WAL mode, its schema, and one transaction per change."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self

from ..config import Config
from ..errors import ConfigError, IndexFileError
from ..profile import TERMS_VERSION

#: Bumped when the schema changes; an index of another version is refused with a hint to rebuild it (or,
#: from version 2, to upgrade it: :mod:`dedupe.index.headstore`).
SCHEMA_VERSION = 6
#: Marks a meta lookup given no default (``None`` is a value one may ask for).
_NO_DEFAULT = object()
#: The versions :func:`dedupe.index.headstore.upgrade` converts from.
UPGRADABLE = (2, 3, 4, 5)
_BATCH = 500  # SQLite variables per IN (...) list
#: Seconds a reader or a second writer waits for a lock before giving up.
BUSY_SECONDS = 30.0
# Settings added after indexes were first built, with the value that gives an index stored without them the
# clusters it was built with (absent from its stored settings, the default would re-cluster it on the next add).
_UNSTORED = {"copy_weight": 0.0, "day_link_weight": 0.0}

_TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE articles (
    id TEXT PRIMARY KEY, batch INTEGER NOT NULL, article TEXT NOT NULL,
    exact BLOB NOT NULL, minhash BLOB NOT NULL, empty INTEGER NOT NULL, content BLOB NOT NULL);
CREATE INDEX articles_exact ON articles (exact);
CREATE TABLE fields (id TEXT PRIMARY KEY, key TEXT NOT NULL, fields BLOB NOT NULL);
CREATE TABLE bands (band INTEGER NOT NULL, key INTEGER NOT NULL, id TEXT NOT NULL);
CREATE INDEX bands_key ON bands (band, key);
CREATE TABLE profiles (id TEXT PRIMARY KEY, profile BLOB NOT NULL);
CREATE TABLE postings (key TEXT NOT NULL, id TEXT NOT NULL);
{postings_index};
{frequencies};
{heads};
CREATE TABLE furniture (paragraph TEXT PRIMARY KEY);
CREATE TABLE stories (
    story TEXT PRIMARY KEY, created INTEGER NOT NULL, cluster TEXT NOT NULL, record BLOB NOT NULL);
CREATE TABLE members (id TEXT PRIMARY KEY, story TEXT NOT NULL, head TEXT NOT NULL);
CREATE INDEX members_story ON members (story);
CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, batch INTEGER NOT NULL, kind TEXT NOT NULL, story TEXT NOT NULL,
    others TEXT NOT NULL);
CREATE TABLE batches (batch INTEGER PRIMARY KEY, added INTEGER NOT NULL, skipped INTEGER NOT NULL,
    seconds REAL NOT NULL);
"""
#: A term's document frequency; ``col`` is its column in the ``heads`` rows (kept when the row is updated).
FREQUENCIES = """CREATE TABLE {name} (
    col INTEGER PRIMARY KEY, kind TEXT NOT NULL, term TEXT NOT NULL, n INTEGER NOT NULL, UNIQUE (kind, term))"""
#: Each head's comparison values as fixed-width bytes (:mod:`dedupe.index.headstore`).
HEADS = """CREATE TABLE heads (
    id TEXT PRIMARY KEY, day INTEGER NOT NULL, total REAL NOT NULL, headline TEXT NOT NULL, place TEXT NOT NULL,
    dates TEXT NOT NULL, lengths BLOB NOT NULL, columns BLOB NOT NULL, weights BLOB NOT NULL, people TEXT NOT NULL,
    principal TEXT NOT NULL)"""
#: The postings' index: its holders are read from it alone, without a visit to each row (since version 6; the
#: index of earlier versions, ``postings_key``, held the key only).
POSTINGS_INDEX = "CREATE INDEX postings_key_id ON postings (key, id)"
SCHEMA = _TABLES.format(frequencies=FREQUENCIES.format(name="frequencies"), heads=HEADS,
                        postings_index=POSTINGS_INDEX)


def _connect(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), WAL journal, foreign to other threads."""
    connection = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    return connection


def create(path: str | os.PathLike[str], config: Config) -> Index:
    """A new, empty index at ``path`` holding ``config``; IndexFileError when the file exists, ConfigError
    when ``config`` asks for a batch-only setting (``neighbour_weight``)."""
    target = Path(path)
    if config.neighbour_weight:
        problem = ("'neighbour_weight' must be 0 for an index: `check` and `add` place articles one by one "
                   "and cannot weigh shared neighbourhoods, so batch and incremental answers would differ")
        raise ConfigError([problem])
    if target.exists():
        raise IndexFileError("the index file already exists.", file=str(target),
                             hint="use `dedupe index add` to add to it, or choose another --index file.")
    try:
        connection = _connect(target)
    except sqlite3.Error as error:
        raise IndexFileError(f"cannot create the index ({error}).", file=str(target),
                             hint="check that the directory exists and is writable.") from None
    index = Index(target, connection)
    with index.writing():
        for statement in SCHEMA.split(";"):
            if statement.strip():
                connection.execute(statement)
        index.set_meta(version=SCHEMA_VERSION, config=config.to_dict(), generation=0, next_story=1, summary={},
                       terms=TERMS_VERSION)
    return index


def remove_index(path: str | os.PathLike[str]) -> None:
    """Delete an index file and its WAL companions (``-wal``, ``-shm``) if present."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{os.fspath(path)}{suffix}").unlink(missing_ok=True)


def open_index(path: str | os.PathLike[str]) -> Index:
    """The index at ``path``; IndexFileError when it is missing, not an index, or of another version."""
    index, version = open_any(path)
    if version != SCHEMA_VERSION:
        index.close()
        hint = "rebuild the index with `dedupe index build`."
        if version in UPGRADABLE:
            hint = f"convert it in place with `dedupe index upgrade --index {index.path}` (one transaction), or " + hint
        raise IndexFileError(f"index schema version {version}, this dedupe reads {SCHEMA_VERSION}.",
                             file=str(index.path), hint=hint)
    return index


def open_any(path: str | os.PathLike[str]) -> tuple[Index, Any]:
    """The index at ``path`` whatever its schema version, and that version (None when it has none);
    IndexFileError when it is missing or not an index."""
    target = Path(path)
    if not target.is_file():
        raise IndexFileError("no index file here.", file=str(target),
                             hint="create one with `dedupe index build INPUT... --index FILE`.")
    try:
        connection = _connect(target)
        row = connection.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
    except sqlite3.DatabaseError as error:
        raise IndexFileError(f"not a dedupe index ({error}).", file=str(target),
                             hint="give the file written by `dedupe index build`.") from None
    return Index(target, connection), json.loads(row[0]) if row else None


def lookup(index: Index, sql: str, values: Sequence[str], *head: Any) -> list[tuple]:
    """Rows of ``sql`` (with ``{}`` for the ``IN`` list) over all values, in slices SQLite accepts; ``head``
    are the parameters before the list."""
    return lookup_in(index.db, sql, values, *head)


def lookup_in(db: sqlite3.Connection, sql: str, values: Sequence[str], *head: Any) -> list[tuple]:
    """:func:`lookup` on a connection."""
    rows: list[tuple] = []
    ordered = sorted(set(values))
    for start in range(0, len(ordered), _BATCH):
        part = ordered[start : start + _BATCH]
        rows.extend(db.execute(sql.format(",".join("?" * len(part))), (*head, *part)))
    return rows


@contextmanager
def page_cache(db: sqlite3.Connection, kib: int) -> Iterator[None]:
    """SQLite's page cache of ``db`` at ``kib`` KiB while the block runs, as it was after. (Mapping the file in
    memory as well saved ~0.4 s of 19 CPU s at 1,000 into 99k, for +0.55 GB of resident memory and a crash
    (SIGBUS) instead of an error on an I/O fault: not done, bench/README.md, add17.)"""
    (before,) = db.execute("PRAGMA cache_size").fetchone()
    db.execute(f"PRAGMA cache_size = {-int(kib)}")
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size = {int(before)}")


_READERS: dict[str, sqlite3.Connection] = {}  # this process's own connections for reading, by path (see reader)


def reader(path: str) -> sqlite3.Connection:
    """This process's own connection to the index at ``path``, opened on first use and kept, for a worker of
    ``add --fast`` reading what the index held before the add (a connection inherited from the parent must not
    be used; it sees nothing of the add before it commits). Only in workers, which end with the add: kept
    open, it would read a file replaced meanwhile at the same path as the old one."""
    db = _READERS.get(path)
    if db is None:
        db = _READERS[path] = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None,
                                              check_same_thread=False)
    return db


@contextmanager
def _transaction(connection: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception (a killed process leaves no trace)."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


class Index:
    """An open index file: reads at any time, writes inside :meth:`writing` (one transaction)."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self.db = connection

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """One write transaction: everything inside is committed together or not at all.

        Taken with ``BEGIN IMMEDIATE``, so a second writer waits (up to ``BUSY_SECONDS``) while
        readers keep reading the last committed state (WAL).
        """
        try:
            with _transaction(self.db):
                yield
        except sqlite3.OperationalError as error:
            raise IndexFileError(f"the index cannot be written ({error}).", file=str(self.path),
                                 hint="another `dedupe index add` may hold it; retry when it has finished.") from None

    @contextmanager
    def reading(self) -> Iterator[None]:
        """A read transaction: every query inside sees one committed state."""
        self.db.execute("BEGIN")
        try:
            yield
        finally:
            self.db.execute("COMMIT")

    def meta(self, key: str, default: Any = _NO_DEFAULT) -> Any:
        """One value of the meta table (stored as JSON); ``default`` when the key is absent, if given, else KeyError."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        if row is not None:
            return json.loads(row[0])
        if default is _NO_DEFAULT:
            raise KeyError(key)
        return default

    def set_meta(self, **values: Any) -> None:
        """Set meta values (inside :meth:`writing`)."""
        self.db.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                            [(k, json.dumps(v)) for k, v in values.items()])

    def terms_version(self) -> int:
        """The :data:`~dedupe.profile.TERMS_VERSION` the stored profiles and frequencies were made with."""
        return int(self.meta("terms", 1))

    def terms_current(self) -> bool:
        """Whether the stored profiles and frequencies follow this dedupe's content-term rules."""
        return self.terms_version() == TERMS_VERSION

    def require_current_terms(self) -> None:
        """IndexFileError when the stored profiles and frequencies follow other content-term rules than this
        dedupe's: a check against them would weigh a new article's words otherwise than a batch run does."""
        if not self.terms_current():
            version = self.terms_version()
            raise IndexFileError(
                f"the index's word weights follow content-term rules version {version}, this dedupe uses "
                f"{TERMS_VERSION} (figures written in digits count since version 2).", file=str(self.path),
                hint=f"recompute them with `dedupe index refresh --index {self.path}` (exact, one transaction).")

    @property
    def config(self) -> Config:
        """The settings the index was built with (every add and check uses them); a setting added since it
        was built takes the value that keeps its clusters (``copy_weight`` and ``day_link_weight`` 0)."""
        return Config.from_dict({**_UNSTORED, **self.meta("config")})

    def count(self, table: str) -> int:
        """Rows in one of the index's tables."""
        if table not in {"articles", "stories", "events", "batches", "profiles", "heads"}:
            raise ValueError(f"unknown table {table!r}")
        return int(self.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
