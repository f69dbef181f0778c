"""``dedupe index upgrade``: convert an index of schema version 2 to 5 to the current one in place, in one transaction.

Version 3 adds the ``heads`` table (:mod:`dedupe.index.headstore`) and a ``col`` to each ``frequencies``
row; version 4 a ``people`` column to ``heads``; version 5 a ``principal`` column; version 6 indexes the
postings by key and id (:data:`~dedupe.index.store.POSTINGS_INDEX`, no row changes). The upgrade keeps every
other table as it is, rowids included (the version is updated in its meta row): each frequency row's ``col``
is its old rowid (so the rows read in rowid order are unchanged, and later upserts number new terms as
before), and each stored profile is decoded once to write its head's row. The people and principals of heads
stored before the version that added them are left empty, as their stored profiles hold none: the index's
config, written when it was built, has no comparison reading them. An index is refused (``IndexFileError``) when it is of another version; a
process killed during the upgrade leaves the index as it was.
"""

from __future__ import annotations

import json
import os

from ..errors import IndexFileError
from .codec import profile_from
from .headstore import all_columns, write_all
from .store import (
    FREQUENCIES,
    HEADS,
    POSTINGS_INDEX,
    SCHEMA_VERSION,
    UPGRADABLE,
    Index,
    open_any,
)

_CHUNK = 5_000  # profiles decoded and written at once


def upgrade(path: str | os.PathLike[str]) -> int:
    """Convert the index at ``path`` from version 2 to 5 (see the module docstring); the version it had (the
    current one: nothing done)."""
    index, version = open_any(path)
    with index:
        if version == SCHEMA_VERSION:
            return version
        if version not in UPGRADABLE:
            known = " or ".join(map(str, UPGRADABLE))
            raise IndexFileError(f"index schema version {version}: only version {known} can be upgraded.",
                                 file=str(index.path), hint="rebuild the index with `dedupe index build`.")
        with index.writing():
            if version == 2:
                _number_frequencies(index)
                _write_heads(index)
            elif version < 5:
                if version == 3:
                    index.db.execute("ALTER TABLE heads ADD COLUMN people TEXT NOT NULL DEFAULT '[]'")
                index.db.execute("ALTER TABLE heads ADD COLUMN principal TEXT NOT NULL DEFAULT '[]'")
            index.db.execute("DROP INDEX IF EXISTS postings_key")
            index.db.execute(POSTINGS_INDEX)
            index.db.execute("UPDATE meta SET value = ? WHERE key = 'version'", (json.dumps(SCHEMA_VERSION),))
    return version


def _number_frequencies(index: Index) -> None:
    """Rebuild ``frequencies`` with a ``col`` per row, its old rowid."""
    index.db.execute(FREQUENCIES.format(name="frequencies_numbered"))
    index.db.execute("INSERT INTO frequencies_numbered (col, kind, term, n) "
                     "SELECT rowid, kind, term, n FROM frequencies ORDER BY rowid")
    index.db.execute("DROP TABLE frequencies")
    index.db.execute("ALTER TABLE frequencies_numbered RENAME TO frequencies")


def _write_heads(index: Index) -> None:
    """Create ``heads`` and write every stored profile's row."""
    index.db.execute(HEADS)
    columns = all_columns(index)
    cursor = index.db.execute("SELECT profile FROM profiles ORDER BY id")
    while blobs := cursor.fetchmany(_CHUNK):
        write_all(index, [profile_from(blob) for (blob,) in blobs], columns)
