"""What an ``add --fast`` has seen as it places: copies among indexed and recorded articles, and heads' counts.

The indexed ones are searched in the workers, on their own connections; the recorded ones in the main process,
in memory.

:func:`~dedupe.index.check.copy_of` on the index as it stands during the add (its articles and those the
add recorded) is the exact copy of smallest id, else the near-duplicate (sharing an LSH band) of best
shingle Jaccard, ties by id, at the threshold. Both are the best of the two parts: the workers find each
article's best among the indexed articles (:func:`indexed_copies`; a copy found there is not extracted), and
:class:`AddedCopies` its best among the add's articles and the answer of the two.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

import numpy as np

from ..config import Config
from ..profile import Profile
from ..signatures import SignatureMatrix, jaccard, shingle_sets
from ..types import Article
from .check import Copy, copy_of
from .headstore import KINDS, Columns
from .persist import band_keys
from .store import Index, lookup, reader


def one_row(article: Article, config: Config, exact: np.ndarray, row: np.ndarray, empty: bool) -> SignatureMatrix:
    """The one-row signature of an article from its exact key, MinHash row and empty flag."""
    return SignatureMatrix((article.id,), (article.content,), exact[None], row[None], np.array([empty]),
                           config.shingle_size, config.seed)


def indexed_copies(articles: Sequence[Article], sigs: SignatureMatrix, config: Config,
                    source: str) -> list[tuple[Copy | None]]:
    """Each article's copy among the articles the index at ``source`` held before the add (what this
    process's own connection sees: the add commits at its end), as :func:`~dedupe.index.check.copy_of` finds it."""
    db = reader(source)
    return [(copy_of(db, config, article, one_row(article, config, sigs.exact[n], sigs.hashvalues[n],
                                                  bool(sigs.empty[n]))),) for n, article in enumerate(articles)]


class AddedCopies:
    """The articles an ``add --fast`` recorded so far (their exact keys and LSH band keys, their texts), to
    find an article's copies among them in memory: with the copy a worker found among the articles indexed
    before the add (``copy_of`` on its own connection), what :func:`~dedupe.index.check.copy_of` on the
    index as it stands would answer."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.exact: dict[bytes, str] = {}  # the smallest id recorded with each exact key
        self.bands: dict[tuple[int, int], list[str]] = defaultdict(list)  # ids recorded with each (band, key)
        self.texts: dict[str, str] = {}  # the content of each recorded article holding bands

    def note(self, article: Article, sigs: SignatureMatrix | None) -> None:
        """Take in an article just recorded with its signature (an article already indexed has none)."""
        if sigs is None:
            return
        self.exact.setdefault(sigs.exact[0].tobytes(), article.id)
        if not sigs.empty[0]:
            for key in band_keys(sigs.hashvalues[0], self.config):
                self.bands[key].append(article.id)
            self.texts[article.id] = article.content

    def copy_of(self, article: Article, sigs: SignatureMatrix, indexed: Copy | None) -> Copy | None:
        """``copy_of`` the whole index: the exact copy of smallest id, else the near-duplicate of best
        Jaccard (ties by id) at ``threshold``, among the articles indexed before the add (``indexed``, as
        ``copy_of`` found it there: an exact copy, else a near-duplicate at the threshold, else None) and
        those recorded since."""
        config = self.config
        if "exact" in config.relations:
            found = (indexed[1] if indexed is not None and indexed[0] == "exact" else None,
                     self.exact.get(sigs.exact[0].tobytes()))
            exact = [i for i in found if i is not None]
            if exact:
                return "exact", min(exact), 1.0
        if "near_duplicate" not in config.relations or sigs.empty[0]:
            return None
        best = [] if indexed is None else [(-indexed[2], indexed[1])]
        candidates = sorted({i for key in band_keys(sigs.hashvalues[0], config) for i in self.bands.get(key, ())})
        if candidates:
            mine, *theirs = shingle_sets([article.content, *(self.texts[c] for c in candidates)], config.shingle_size)
            best.extend((-jaccard(mine, other), c) for c, other in zip(candidates, theirs))
        if not best:
            return None
        score, other = min(best)
        return ("near_duplicate", other, -score) if -score >= config.threshold else None


# The document frequencies an ``add --fast`` counts as it places heads, written to ``frequencies`` once at its end.
#
# Each head placed by ``add --fast`` adds one to the count of each of its terms, names and counts, and a key
# seen for the first time gets a new ``frequencies`` row, whose ``col`` is the one more than the largest
# (what SQLite gives an ``INTEGER PRIMARY KEY`` left to it). Writing those ~300 upserts a head as it is placed
# cost about 6 ms a head; :class:`UnwrittenCounts` keeps them instead, numbering new keys as the upserts
# would have, in the order they would have run (kinds in :data:`~dedupe.index.headstore.KINDS` order, keys
# in the profile's order), and :meth:`UnwrittenCounts.write` stores them in two statements: the same rows,
# with the same ``col``, as the upserts wrote. Until then the table holds the counts of the add's start,
# which are the ones the add weighs every article with (its weights are frozen, see :mod:`dedupe.index.fast`).
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
            # the index's columns from the workers (-1: none), else none yet; a key without one from those read
            found = dict(zip(keys, ahead[kind].tolist())) if ahead is not None else dict.fromkeys(keys, -1)
            for key, col in found.items():
                if col < 0:
                    found[key] = have[key] if key in have else cols.get(key)  # type: ignore[assignment]
            unknown = [key for key, col in found.items() if col is None]
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
