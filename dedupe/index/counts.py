"""The document frequencies an ``add --fast`` counts as it places heads, written to ``frequencies`` once at its end.

Each head placed by ``add --fast`` adds one to the count of each of its terms, names and counts, and a key
seen for the first time gets a new ``frequencies`` row, whose ``col`` is the one more than the largest
(what SQLite gives an ``INTEGER PRIMARY KEY`` left to it). Writing those ~300 upserts a head as it is placed
cost about 6 ms a head; :class:`UnwrittenCounts` keeps them instead, numbering new keys as the upserts
would have, in the order they would have run (kinds in :data:`~dedupe.index.headstore.KINDS` order, keys
in the profile's order), and :meth:`UnwrittenCounts.write` stores them in two statements: the same rows,
with the same ``col``, as the upserts wrote. Until then the checker's memory adds :meth:`UnwrittenCounts.of`
to what it reads from the table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ..profile import Profile
from .headstore import KINDS, Columns
from .store import Index, lookup


class UnwrittenCounts:
    """The document frequencies counted since the add began, not yet written (see the module docstring)."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.next_col = int(index.db.execute("SELECT COALESCE(MAX(col), 0) + 1 FROM frequencies").fetchone()[0])
        self.added: Counter[tuple[str, str]] = Counter()  # (kind letter, key) -> heads counted since the start
        self.cols: dict[tuple[str, str], int] = {}  # the column of each counted key
        self.new: dict[tuple[str, str], int] = {}  # the keys without a row before the add, by column (in order)

    def count(self, profile: Profile, known: Columns) -> dict[str, dict[str, int]]:
        """Count one new head's keys; their columns by kind (``known``: the columns already read, by kind),
        a key without a row getting the next column.

        Example: with columns up to 41 in ``frequencies``, a first head with terms ``{"storm": .8}`` (a
        row, column 7) and ``{"flood": .6}`` (none) gets ``{"terms": {"storm": 7, "flood": 42}, ...}``.
        """
        columns: dict[str, dict[str, int]] = {}
        for kind, letter in KINDS:
            keys = list(getattr(profile, kind))
            have = known.get(kind, {})
            found = {key: self.cols.get((letter, key), have.get(key)) for key in keys}
            found.update(lookup(self.index, "SELECT term, col FROM frequencies WHERE kind = ? AND term IN ({})",
                                [key for key, col in found.items() if col is None], letter))
            for key in keys:
                if found[key] is None:
                    found[key] = self.next_col
                    self.new[(letter, key)] = self.next_col
                    self.next_col += 1
                self.cols[(letter, key)] = found[key]
                self.added[(letter, key)] += 1
            columns[kind] = found  # type: ignore[assignment]  # every key has its column now
        return columns

    def of(self, letter: str, keys: Iterable[str]) -> dict[str, int]:
        """How many heads counted since the start hold each of the keys of one kind (those counted at all)."""
        added = self.added
        return {key: added[(letter, key)] for key in keys if (letter, key) in added}

    def write(self) -> None:
        """Store the counts: one more per counted head on each existing row, and the new rows at their columns."""
        db = self.index.db
        new = self.new
        db.executemany("UPDATE frequencies SET n = n + ? WHERE col = ?",
                       [(n, self.cols[key]) for key, n in self.added.items() if key not in new])
        db.executemany("INSERT INTO frequencies (col, kind, term, n) VALUES (?, ?, ?, ?)",
                       [(col, letter, key, self.added[(letter, key)]) for (letter, key), col in new.items()])
        self.added.clear()
        self.cols.clear()
        self.new.clear()
