"""The document frequencies an ``add --fast`` counts as it places heads, written to ``frequencies`` once at its end.

Each head placed by ``add --fast`` adds one to the count of each of its terms, names and counts, and a key
seen for the first time gets a new ``frequencies`` row, whose ``col`` is the one more than the largest
(what SQLite gives an ``INTEGER PRIMARY KEY`` left to it). Writing those ~300 upserts a head as it is placed
cost about 6 ms a head; :class:`UnwrittenCounts` keeps them instead, numbering new keys as the upserts
would have, in the order they would have run (kinds in :data:`~dedupe.index.headstore.KINDS` order, keys
in the profile's order), and :meth:`UnwrittenCounts.write` stores them in two statements: the same rows,
with the same ``col``, as the upserts wrote. Until then the table holds the counts of the add's start,
which are the ones the add weighs every article with (its weights are frozen, see :mod:`dedupe.index.fast`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import numpy as np

from ..profile import Profile
from .headstore import KINDS, Columns
from .store import Index, lookup


class UnwrittenCounts:
    """The document frequencies counted since the add began, not yet written (see the module docstring)."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.next_col = int(index.db.execute("SELECT COALESCE(MAX(col), 0) + 1 FROM frequencies").fetchone()[0])
        self.added: dict[str, Counter[str]] = {letter: Counter() for _, letter in KINDS}  # heads counted, by key
        self.cols: dict[str, dict[str, int]] = {letter: {} for _, letter in KINDS}  # each counted key's column
        self.new: dict[tuple[str, str], int] = {}  # the keys without a row before the add, by column (in order)

    def count(self, profile: Profile, known: Columns, complete: bool = False,
              ahead: Mapping[str, np.ndarray] | None = None) -> dict[str, dict[str, int]]:
        """Count one new head's keys; their columns by kind (``known``: the columns already read, by kind;
        ``complete``: it holds every row of ``frequencies``, so a key it lacks is not looked up there;
        ``ahead``: each key's column in the index at the add's start, -1 for none, by kind in the profile's
        order, as ``add --fast``'s workers looked them up, which ``known`` then holds too), a key without a row
        getting the next column.

        Example: with columns up to 41 in ``frequencies``, a first head with terms ``{"storm": .8}`` (a
        row, column 7) and ``{"flood": .6}`` (none) gets ``{"terms": {"storm": 7, "flood": 42}, ...}``.
        """
        columns: dict[str, dict[str, int]] = {}
        for kind, letter in KINDS:
            keys = getattr(profile, kind)
            cols = self.cols[letter]
            have = known.get(kind, {})
            if ahead is None:
                found = {key: have[key] if key in have else cols.get(key) for key in keys}
                unknown = [key for key, col in found.items() if col is None]
            else:  # the index's columns from the workers; the keys it had none for, as above
                found = dict(zip(keys, ahead[kind].tolist()))
                unknown = [key for key, col in found.items() if col < 0]
                for key in unknown:
                    found[key] = have[key] if key in have else cols.get(key)  # type: ignore[assignment]
                unknown = [key for key in unknown if found[key] is None]
            if unknown and not complete:
                found.update(lookup(self.index, "SELECT term, col FROM frequencies WHERE kind = ? AND term IN ({})",
                                    unknown, letter))
            for key in unknown:
                if found[key] is None:
                    found[key] = self.new[(letter, key)] = self.next_col
                    self.next_col += 1
            cols.update(found)  # type: ignore[arg-type]  # every key has its column now
            self.added[letter].update(keys.keys())
            columns[kind] = found  # type: ignore[assignment]
        return columns

    def write(self) -> None:
        """Store the counts: one more per counted head on each existing row, and the new rows at their columns."""
        new = self.new
        self.index.db.executemany("UPDATE frequencies SET n = n + ? WHERE col = ?",
                                  [(n, self.cols[letter][key]) for letter, added in self.added.items()
                                   for key, n in added.items() if (letter, key) not in new])
        self.index.db.executemany("INSERT INTO frequencies (col, kind, term, n) VALUES (?, ?, ?, ?)",
                                  [(col, letter, key, self.added[letter][key]) for (letter, key), col in new.items()])
        for _, letter in KINDS:
            self.added[letter].clear()
            self.cols[letter].clear()
        new.clear()
