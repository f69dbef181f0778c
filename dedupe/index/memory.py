"""What ``check`` keeps in memory between articles: postings, document frequencies, heads' weights and fields.

A long-lived ``dedupe check`` answers many articles against one state of the index. Reading the same
postings and decoding the same stored profiles for every article cost more than scoring them, so
:class:`HeadMemory` keeps what it read: the postings of each salient key and the frequency of each term
it was asked for, and each head's profile decoded on first use (or all of them, :meth:`HeadMemory.warm`),
its ``terms`` and ``names`` weights as arrays over one vocabulary.
:func:`one_to_many` then gives the cosines of one article with all its candidates at once, equal bit for
bit to :func:`dedupe.compare.cosine` (the products over the shorter side, in its order, added one by one).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import repeat
from typing import Any

import numpy as np

from ..compare import DateKeys, date_keys
from ..profile import Profile
from .codec import profile_from
from .store import Index

_BATCH = 500  # SQLite variables per IN (...) list
_WEIGHTED = ("terms", "names")


@dataclass(frozen=True)
class Row:
    """One weight dict as arrays: each key's column and weight, in the dict's iteration order."""

    columns: np.ndarray
    weights: np.ndarray
    places: np.ndarray | None = None  # each key's place (from 1) in the full dict, when keys were left out


class Vocabulary:
    """Columns for the keys of the rows kept, and two scratch arrays as wide as the vocabulary."""

    def __init__(self) -> None:
        self.columns: dict[str, int] = {}
        self.dense = np.zeros(0)
        self.place = np.zeros(0)

    def row(self, weights: Mapping[str, float], grow: bool = True) -> Row:
        """The row of a weight dict; keys not in the vocabulary are added (``grow``) or left out.

        Left-out keys keep the order of the others: an article's own key absent from every stored row
        adds nothing to a cosine, so the rows of articles being checked never grow the vocabulary.
        """
        if grow:
            columns = np.fromiter(map(self.columns.get, weights, repeat(-1)), dtype=np.int64, count=len(weights))
            if (columns < 0).any():  # keys seen for the first time: give them the next columns
                keys = list(weights)
                for place in np.flatnonzero(columns < 0).tolist():
                    columns[place] = self.columns.setdefault(keys[place], len(self.columns))
            return Row(columns, np.fromiter(weights.values(), np.float64, len(weights)))
        kept = [(self.columns[k], w, p) for p, (k, w) in enumerate(weights.items(), start=1) if k in self.columns]
        return Row(np.array([c for c, _, _ in kept], dtype=np.int64), np.array([w for _, w, _ in kept]),
                   np.array([p for _, _, p in kept], dtype=np.float64))

    def scratch(self) -> tuple[np.ndarray, np.ndarray]:
        """The two zeroed scratch arrays, widened to the vocabulary when it grew."""
        if len(self.dense) < len(self.columns):
            size = max(len(self.columns), 2 * len(self.dense))
            self.dense, self.place = np.zeros(size), np.zeros(size)
        return self.dense, self.place


def one_to_many(vocabulary: Vocabulary, mine: Row, size: int, mine_first: np.ndarray, others: Sequence[Row]) -> np.ndarray:
    """``compare.cosine`` of one dict (``mine``, ``size`` keys before any were left out) with each of
    ``others``, NaN where it is None; ``mine_first[i]`` says whether ``mine`` is the left argument.

    The sum runs over the shorter dict (the left one on a tie) in its iteration order, as ``cosine`` does.
    """
    lengths = np.fromiter((len(o.columns) for o in others), dtype=np.int64, count=len(others))
    if not size or not lengths.sum():
        return one_to_rows(vocabulary, mine, size, mine_first, (lengths, np.zeros(0, np.int64), np.zeros(0)))
    rows = lengths, np.concatenate([o.columns for o in others]), np.concatenate([o.weights for o in others])
    return one_to_rows(vocabulary, mine, size, mine_first, rows)


def one_to_rows(vocabulary: Vocabulary, mine: Row, size: int, mine_first: np.ndarray,
                rows: tuple[np.ndarray, np.ndarray, np.ndarray]) -> np.ndarray:
    """:func:`one_to_many` with the other rows end to end: ``(lengths, columns, weights)``."""
    lengths, columns, all_weights = rows
    out = np.full(len(lengths), np.nan)
    if not size or not len(lengths):
        return out
    dense, place = vocabulary.scratch()
    dense[mine.columns] = mine.weights
    place[mine.columns] = np.arange(1.0, len(mine.columns) + 1) if mine.places is None else mine.places
    mine_values = dense[columns]
    hits = np.flatnonzero(mine_values)  # the keys both sides hold: the only products that are not 0
    ends = np.cumsum(lengths)
    segment = np.searchsorted(ends, hits, side="right")
    products = all_weights[hits] * mine_values[hits]
    mine_small = (size < lengths) | ((size == lengths) & mine_first)
    order_key = np.where(mine_small[segment], place[columns[hits]], hits - (ends - lengths)[segment] + 1.0)
    dense[mine.columns] = 0.0
    place[mine.columns] = 0.0
    keep = products != 0.0  # a product that underflowed adds nothing
    out[:] = np.minimum(1.0, ordered_sums(segment[keep], order_key[keep], products[keep], len(lengths)))
    out[lengths == 0] = np.nan
    return out


def ordered_sums(segment: np.ndarray, order_key: np.ndarray, values: np.ndarray, count: int) -> np.ndarray:
    """For each segment ``0..count-1``, its values added one after another in ``order_key`` order (whole
    numbers from 0: places in a dict; equal keys in the order given).

    Example: ``ordered_sums(np.array([0, 0, 1]), np.array([2., 1., 1.]), np.array([.1, .2, .3]), 2)``
    is ``[.2 + .1, .3]`` (the sum of a segment without values is 0).
    """
    width = float(order_key.max(initial=0.0)) + 1.0
    order = np.argsort(segment * width + order_key, kind="stable")  # segment, then key: one sort, not two
    counts = np.bincount(segment, minlength=count)
    table = np.zeros((count, int(counts.max(initial=0)) + 1))
    firsts = np.r_[0, np.cumsum(counts)[:-1]]
    ordered_segments = segment[order]
    table[ordered_segments, np.arange(len(order)) - firsts[ordered_segments]] = values[order]
    return np.add.accumulate(table, axis=1)[:, -1]


@dataclass(frozen=True)
class Head:
    """A stored head as scoring reads it: its profile without weight dicts, and their rows."""

    profile: Profile
    rows: dict[str, Row]


class Joined:
    """The rows of one kind of the heads decoded by :meth:`HeadMemory.warm`, end to end, so that the rows of
    a check's candidates are gathered with one fancy index instead of joined one by one."""

    def __init__(self, heads: Mapping[str, Head], kind: str) -> None:
        rows = [head.rows[kind] for head in heads.values()]
        self.places = {pid: place for place, pid in enumerate(heads)}
        self.lengths = np.fromiter((len(r.columns) for r in rows), dtype=np.int64, count=len(rows))
        self.starts = np.cumsum(self.lengths) - self.lengths
        self.columns = np.concatenate([r.columns for r in rows]) if rows else np.zeros(0, np.int64)
        self.weights = np.concatenate([r.weights for r in rows]) if rows else np.zeros(0)
        for head, start, length in zip(heads.values(), self.starts.tolist(), self.lengths.tolist()):
            head.rows[kind] = Row(self.columns[start : start + length], self.weights[start : start + length])

    def gather(self, ids: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """``(lengths, columns, weights)`` of the rows of ``ids`` end to end; None when one is not here."""
        if not all(i in self.places for i in ids):
            return None
        places = np.fromiter(map(self.places.__getitem__, ids), dtype=np.int64, count=len(ids))
        lengths = self.lengths[places]
        shifts = self.starts[places] - (np.cumsum(lengths) - lengths)
        index = np.repeat(shifts, lengths) + np.arange(int(lengths.sum()))
        return lengths, self.columns[index], self.weights[index]


def lookup(index: Index, sql: str, values: Sequence[str], *head: Any) -> list[tuple]:
    """Rows of ``sql`` (with ``{}`` for the ``IN`` list) over all values, in slices SQLite accepts."""
    rows: list[tuple] = []
    ordered = sorted(set(values))
    for start in range(0, len(ordered), _BATCH):
        part = ordered[start : start + _BATCH]
        rows.extend(index.db.execute(sql.format(",".join("?" * len(part))), (*head, *part)))
    return rows


class HeadMemory:
    """One index state's postings, document frequencies and heads, each read on first use and kept."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.vocabulary = {kind: Vocabulary() for kind in _WEIGHTED}
        self.heads: dict[str, Head] = {}
        self._postings: dict[str, list[str]] = {}
        self._frequencies: dict[str, dict[str, int]] = {"t": {}, "n": {}, "c": {}}
        self._complete = False  # every frequency, posting, owner and head count read (by warm): none is missing
        self._dates: dict[str, DateKeys] = {}
        self._owners: dict[str, str] = {}
        self._head_counts: dict[str, int] = {}
        self.joined: dict[str, Joined] = {}  # built by warm(); heads taken in later are scored row by row

    def owners(self, ids: Iterable[str]) -> dict[str, str]:
        """The story of each indexed article."""
        wanted = set(ids)
        if self._complete:
            return {i: self._owners[i] for i in wanted}
        self._owners.update(lookup(self.index, "SELECT id, story FROM members WHERE id IN ({})",
                                   [i for i in wanted if i not in self._owners]))
        return {i: self._owners[i] for i in wanted}

    def head_counts(self, stories: Iterable[str]) -> dict[str, int]:
        """How many copy-group heads each story has."""
        wanted = set(stories)
        if self._complete:
            return {s: self._head_counts[s] for s in wanted}
        self._head_counts.update(lookup(self.index, "SELECT story, COUNT(*) FROM members WHERE id = head AND "
                                        "story IN ({}) GROUP BY story", [s for s in wanted if s not in self._head_counts]))
        return {s: self._head_counts[s] for s in wanted}

    def place(self, article_id: str, story: str, is_head: bool) -> None:
        """Note one membership ``add --fast`` just wrote: the article's story, and one more head in it if it is one."""
        self._owners[article_id] = story
        if is_head and (story in self._head_counts or self._complete):
            self._head_counts[story] = self._head_counts.get(story, 0) + 1

    def postings(self, keys: Iterable[str]) -> dict[str, list[str]]:
        """The heads holding each salient key."""
        wanted = set(keys)
        if self._complete:
            return {key: self._postings.get(key, []) for key in wanted}
        missing = [k for k in wanted if k not in self._postings]
        for key in missing:
            self._postings[key] = []
        for key, head in lookup(self.index, "SELECT key, id FROM postings WHERE key IN ({})", missing):
            self._postings[key].append(head)
        return {key: self._postings[key] for key in wanted}

    def frequencies(self, kind: str, terms: Iterable[str]) -> dict[str, int]:
        """The document frequency of each term of one kind (``t`` words, ``n`` names, ``c`` counts); 0 when
        unseen."""
        known = self._frequencies[kind]
        wanted = set(terms)
        if self._complete:
            return {term: known.get(term, 0) for term in wanted}
        missing = [t for t in wanted if t not in known]
        known.update(dict.fromkeys(missing, 0))
        known.update(lookup(self.index, "SELECT term, n FROM frequencies WHERE kind = ? AND term IN ({})", missing,
                            kind))
        return {term: known[term] for term in wanted}

    def remember(self, profile: Profile, keys: Sequence[str]) -> None:
        """Take in a head written while this memory is in use (by ``add --fast``, which writes its postings
        and counts to the index too: what was not read yet will be read with it)."""
        self.heads[profile.article_id] = self.head(profile)
        for key in keys:
            if key in self._postings or self._complete:
                self._postings.setdefault(key, []).append(profile.article_id)
        for kind, weights in (("t", profile.terms), ("n", profile.names), ("c", profile.numbers)):
            known = self._frequencies[kind]
            for term in weights:
                if term in known or self._complete:
                    known[term] = known.get(term, 0) + 1

    def head(self, profile: Profile) -> Head:
        """The :class:`Head` of a stored profile (its weights joined to the vocabulary)."""
        rows = {kind: self.vocabulary[kind].row(getattr(profile, kind)) for kind in _WEIGHTED}
        return Head(replace(profile, terms={}, names={}), rows)

    def date_keys(self, head: Head) -> DateKeys:
        """The head's dates prepared for ``keyed_date_overlap`` (once)."""
        found = self._dates.get(head.profile.article_id)
        if found is None:
            found = self._dates[head.profile.article_id] = date_keys(head.profile.dates)
        return found

    def get(self, ids: Sequence[str]) -> list[Head]:
        """The heads of ``ids`` (in order), decoding those not yet in memory."""
        missing = [i for i in ids if i not in self.heads]
        for pid, blob in lookup(self.index, "SELECT id, profile FROM profiles WHERE id IN ({})", missing):
            self.heads[pid] = self.head(profile_from(blob))
        return [self.heads[i] for i in ids]

    def warm(self) -> int:
        """Decode every stored head, read every document frequency, posting, story member and head count
        now (a long-lived checker pays once, then asks the index nothing more); how many heads."""
        frequencies: dict[str, dict[str, int]] = {"t": {}, "n": {}, "c": {}}
        for kind, term, n in self.index.db.execute("SELECT kind, term, n FROM frequencies"):
            frequencies.setdefault(kind, {})[term] = n
        postings: dict[str, list[str]] = {}
        for key, head in self.index.db.execute("SELECT key, id FROM postings"):
            postings.setdefault(key, []).append(head)
        self._frequencies, self._postings = frequencies, postings
        self._owners = dict(self.index.db.execute("SELECT id, story FROM members"))
        self._head_counts = dict(self.index.db.execute("SELECT story, COUNT(*) FROM members WHERE id = head "
                                                       "GROUP BY story"))
        self._complete = True
        for pid, blob in self.index.db.execute("SELECT id, profile FROM profiles"):
            if pid not in self.heads:
                self.heads[pid] = self.head(profile_from(blob))
        for head in self.heads.values():
            self.date_keys(head)
        self.joined = {kind: Joined(self.heads, kind) for kind in _WEIGHTED}  # the heads' rows become views
        return len(self.heads)

    def cosines(self, profile: Profile, kind: str, heads: Sequence[Head]) -> list[float | None]:
        """``compare.cosine`` of the article's ``kind`` weights with each head's (pairs ordered by id)."""
        weights = getattr(profile, kind)
        vocabulary = self.vocabulary[kind]
        mine = vocabulary.row(weights, grow=False)
        first = np.array([profile.article_id < h.profile.article_id for h in heads], dtype=bool)
        joined = self.joined.get(kind)
        rows = joined.gather([h.profile.article_id for h in heads]) if joined else None
        values = (one_to_many(vocabulary, mine, len(weights), first, [h.rows[kind] for h in heads]) if rows is None
                  else one_to_rows(vocabulary, mine, len(weights), first, rows))
        return [None if math.isnan(v) else v for v in values.tolist()]
