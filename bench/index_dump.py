"""A digest of each table of an index file, to show two builds stored the same rows (timings left out).

Usage: python bench/index_dump.py INDEX.db > a.txt   (then ``diff a.txt b.txt``)

One line per table: its name, its row count, a digest of its rows in rowid order (rowid included, so rows
written in another order differ) and a digest of its rows sorted (the same rows in any order agree). The
seconds an add took (``batches.seconds``) and the stage timings of ``meta.summary`` are blanked. The file is
opened read-only.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
from collections.abc import Iterator
from typing import Any


def rows(db: sqlite3.Connection, table: str) -> Iterator[list[Any]]:
    """The rows of ``table`` (rowid first) in rowid order, timings blanked."""
    columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
    for row in db.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid"):
        values = list(row)
        if table == "batches":
            values[columns.index("seconds") + 1] = None
        if table == "meta" and values[1] == "summary":
            summary = json.loads(values[2])
            summary.pop("seconds", None)
            values[2] = json.dumps(summary)
        yield values


def digests(path: str) -> Iterator[str]:
    """One line per table: name, rows, digest in rowid order, digest of the sorted rows (without rowid)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
        ordered, count = hashlib.sha256(), 0
        for values in rows(db, table):
            ordered.update(repr(values).encode())
            count += 1
        unordered = hashlib.sha256()
        for text in sorted(repr(values[1:]) for values in rows(db, table)):
            unordered.update(text.encode())
        yield f"{table} {count} {ordered.hexdigest()[:16]} {unordered.hexdigest()[:16]}"
    db.close()


if __name__ == "__main__":
    print("\n".join(digests(sys.argv[1])))
