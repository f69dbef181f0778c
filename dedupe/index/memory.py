"""What ``check`` keeps in memory between articles: postings, document frequencies, and the heads as arrays.

A long-lived ``dedupe check`` answers many articles against one state of the index. Reading the same
postings and stored heads for every article cost more than scoring them, so :class:`HeadMemory` keeps
what it read: the postings of each salient key, the frequency and column of each term it was asked for,
and each head's stored row read on first use (or all of them, :meth:`HeadMemory.warm`) into one
:class:`~dedupe.index.heads.HeadTable`, from which a check's candidates are scored all at once.
"""


from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from itertools import repeat

import numpy as np
import orjson

from ..clusterdays import GroupDays, joined_all, own_days, text_days
from ..profile import Profile
from .heads import HeadTable
from .headstore import KIND_OF, KINDS, Columns, HeadRows, read_all, read_some
from .store import Index, lookup

_CHUNK = 5_000  # stored heads read at once when warming
#: Room made for every stored head's keys when first reading heads (all, or some on first use), over the keys a
#: head of the first read (room not written to is never mapped, so a generous margin costs address space only;
#: too little costs copies: reading 30,107 heads on first use in groups of ~37 cost 0.35 s in copies without it)
_ROOM = 1.25

#: Something of each term, by kind letter (``t``, ``n``, ``c``) and term.
ByKind = dict[str, dict[str, int]]


def all_frequencies(index: Index) -> tuple[ByKind, ByKind]:
    """Every document frequency in the index, and every column, by kind letter and term."""
    frequencies: ByKind = {"t": {}, "n": {}, "c": {}}
    columns: ByKind = {"t": {}, "n": {}, "c": {}}
    for kind, term, n, col in index.db.execute("SELECT kind, term, n, col FROM frequencies"):
        frequencies.setdefault(kind, {})[term] = n
        columns.setdefault(kind, {})[term] = col
    return frequencies, columns


class HeadMemory:
    """One index state's postings, document frequencies and heads, each read on first use and kept."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.table = HeadTable()
        self._postings: dict[str, list[str]] = {}
        self._crowded: set[str] = set()  # keys found held by ``limit`` heads or more (their holders not read)
        self._frequencies: dict[str, dict[str, int]] = {"t": {}, "n": {}, "c": {}}
        self._complete = False  # every frequency, posting, owner and head count read (by warm): none is missing
        self._all_frequencies = False  # every frequency read (by warm or know_frequencies)
        self._all_stories = False  # every owner and head count read (by warm or read_stories)
        self._owners: dict[str, str] = {}
        self._head_counts: dict[str, int] = {}
        self._groups: dict[str, dict[str, int]] = {}  # story -> each head's copy group's article count
        self._days: dict[str, GroupDays] = {}  # story -> its heads' days (see story_days)
        self._by_column = np.full(0, -1, np.int64)  # the frequency of each ``t`` column read so far (-1: not read)
        self._roomy = False  # room made in the table for every stored head (see _make_room)
        self._taken_keys: list[Sequence[str]] = []  # the salient keys of each head taken in by remember, in turn

    def owners(self, ids: Iterable[str]) -> dict[str, str]:
        """The story of each indexed article."""
        wanted = set(ids)
        if self._all_stories:
            return dict(zip(wanted, map(self._owners.__getitem__, wanted)))
        self._owners.update(lookup(self.index, "SELECT id, story FROM members WHERE id IN ({})",
                                   [i for i in wanted if i not in self._owners]))
        return {i: self._owners[i] for i in wanted}

    def owner_map(self, ids: Iterable[str]) -> Mapping[str, str]:
        """A mapping holding the story of each of ``ids`` (indexed articles), and perhaps of others: once every
        owner is read (:meth:`read_stories`), the memory's own, so a check with hundreds of candidates, which
        reads the owners of the few it links, looks up no others (``add --fast``: ~0.3 s of 1,000 placements
        at 99k, bench/README.md, add19); else :meth:`owners`."""
        return self._owners if self._all_stories else self.owners(ids)

    def head_counts(self, stories: Iterable[str]) -> dict[str, int]:
        """How many copy-group heads each story has."""
        wanted = set(stories)
        if self._all_stories:
            return {s: self._head_counts[s] for s in wanted}
        unknown = [s for s in wanted if s not in self._head_counts]
        self._head_counts.update(lookup(self.index, "SELECT story, COUNT(*) FROM members WHERE id = head AND "
                                        "story IN ({}) GROUP BY story", unknown))
        return {s: self._head_counts[s] for s in wanted}

    def group_sizes(self, stories: Iterable[str]) -> dict[str, dict[str, int]]:
        """Each story's heads, and how many articles each one's copy group holds (what ``copy_weight`` weighs)."""
        wanted = set(stories)
        if not self._all_stories:
            missing = [s for s in wanted if s not in self._groups]
            self._groups.update((s, {}) for s in missing)
            for story, head, count in lookup(self.index, "SELECT story, head, COUNT(*) FROM members WHERE story IN "
                                             "({}) GROUP BY story, head", missing):
                self._groups[story][head] = count
        return {s: self._groups[s] for s in wanted}

    def story_days(self, stories: Iterable[str]) -> dict[str, GroupDays]:
        """Each story's days as batch clustering reads a cluster's (:func:`dedupe.pipeline.cluster_days`): its
        heads' publication days and the whole days their texts give, joined; read from ``heads`` on first use."""
        wanted = set(stories)
        missing = [s for s in wanted if s not in self._days]
        found: dict[str, list[GroupDays]] = {s: [] for s in missing}
        for story, day, dates in lookup(self.index, "SELECT m.story, h.day, h.dates FROM members m JOIN heads h "
                                        "ON h.id = m.id WHERE m.story IN ({})", missing):
            found[story].append(own_days(day, text_days(orjson.loads(dates))))
        for story, days in found.items():
            self._days[story] = joined_all(days)
        return {s: self._days[s] for s in wanted}

    @property
    def frequencies_read(self) -> bool:
        """Whether every ``frequencies`` row is in memory (:meth:`know_frequencies`), with its column in
        :meth:`columns`: a key it lacks has no row in the table."""
        return self._all_frequencies

    @property
    def stories_read(self) -> bool:
        """Whether every owner and head count is in memory (:meth:`read_stories`): none is looked up."""
        return self._all_stories

    def place(self, article_id: str, story: str, head: str) -> None:
        """Note one membership ``add --fast`` just wrote: the article's story, and one more head in it if it is
        one (``head`` the article itself), else one more article in ``head``'s copy group."""
        self._owners[article_id] = story
        self._days.pop(story, None)  # a new head's days are read with the story's next time
        if head == article_id and (story in self._head_counts or self._all_stories):
            self._head_counts[story] = self._head_counts.get(story, 0) + 1
        if story in self._groups or self._all_stories:
            sizes = self._groups.setdefault(story, {})
            sizes[head] = sizes.get(head, 0) + 1

    def postings(self, keys: Iterable[str], limit: int) -> dict[str, list[str]]:
        """The heads holding each salient key held by fewer than ``limit`` heads (blocking's ``max_block``,
        the same in every call); the others' holders are counted in the index, not read, and left out."""
        wanted = set(keys)
        if self._complete:
            return {key: held for key in wanted if len(held := self._postings.get(key, [])) < limit}
        missing = [k for k in wanted if k not in self._postings and k not in self._crowded]
        self._crowded.update(key for key, n in lookup(self.index, "SELECT key, COUNT(*) FROM postings WHERE key IN "
                                                      "({}) GROUP BY key", missing) if n >= limit)
        missing = [k for k in missing if k not in self._crowded]
        for key in missing:
            self._postings[key] = []
        for key, head in lookup(self.index, "SELECT key, id FROM postings WHERE key IN ({})", missing):
            self._postings[key].append(head)
        return {key: held for key in wanted if key in self._postings and len(held := self._postings[key]) < limit}

    def frequencies(self, kind: str, terms: Iterable[str]) -> dict[str, int]:
        """The document frequency of each term of one kind (``t`` words, ``n`` names, ``c`` counts); 0 when
        unseen. Those the ``frequencies`` table held when read: ``add --fast`` writes its counts at its end,
        so throughout an add they are the ones at its start (the weights it places with are frozen)."""
        known = self._frequencies[kind]
        wanted = set(terms)
        if self._all_frequencies:
            return {term: known.get(term, 0) for term in wanted}
        missing = [t for t in wanted if t not in known]
        known.update(dict.fromkeys(missing, 0))
        found = lookup(self.index, "SELECT term, n, col FROM frequencies WHERE kind = ? AND term IN ({})", missing,
                       kind)
        known.update((term, n) for term, n, _ in found)
        self.table.vocabulary[KIND_OF[kind]].learn({term: col for term, _, col in found})
        return {term: known[term] for term in wanted}

    def column_frequencies(self, columns: np.ndarray) -> np.ndarray:
        """The document frequency of each term column (``t``; a term first counted by this add: 0), read on
        first use (or all at once with :meth:`know_frequencies`) and kept, as :meth:`frequencies` does."""
        top = int(columns.max(initial=-1)) + 1
        if top > len(self._by_column):
            grown = np.full(max(top, 2 * len(self._by_column)), -1, np.int64)
            grown[: len(self._by_column)] = self._by_column
            self._by_column = grown
        found = self._by_column[columns]
        if (found >= 0).all():
            return found
        missing = np.unique(columns[found < 0])
        self._by_column[missing] = 0
        if not self._all_frequencies:
            rows = lookup(self.index, "SELECT col, n FROM frequencies WHERE kind = 't' AND col IN ({})",
                          missing.tolist())
            if rows:
                read = np.array(rows, dtype=np.int64)
                self._by_column[read[:, 0]] = read[:, 1]
        return self._by_column[columns]

    def know_frequencies(self, frequencies: Mapping[str, Mapping[str, int]],
                         columns: Mapping[str, Mapping[str, int]]) -> None:
        """Take in every document frequency and column of the index, as :func:`all_frequencies` reads them
        (``add --fast`` reads them before forking its workers); :meth:`frequencies` then reads none."""
        self._frequencies = {letter: dict(frequencies.get(letter, {})) for letter in KIND_OF}
        terms, columns_t = frequencies.get("t", {}), columns.get("t", {})
        self._by_column = np.full(max(columns_t.values(), default=-1) + 1, -1, np.int64)
        for term, col in columns_t.items():
            self._by_column[col] = terms.get(term, 0)
        for letter, kind in KIND_OF.items():
            self.table.vocabulary[kind].learn(columns.get(letter, {}))
        self._all_frequencies = True

    def remember(self, profile: Profile, head: HeadRows, columns: Columns, keys: Sequence[str]) -> None:
        """Take in a head written while this memory is in use (by ``add --fast``, which writes its postings
        to the index too): its profile, its stored row and its keys' columns (see
        :meth:`~dedupe.index.addseen.UnwrittenCounts.count`), its salient keys. Document frequencies are not
        counted: they stay those at the add's start (see :meth:`frequencies`)."""
        self.table.extend_stored(head)
        self._taken_keys.append(keys)
        for key in keys:
            if key in self._postings or self._complete:
                self._postings.setdefault(key, []).append(profile.article_id)
        for kind, _ in KINDS:
            self.table.vocabulary[kind].learn(columns[kind])  # a term first counted now has a column now

    @property
    def taken(self) -> int:
        """How many heads :meth:`remember` took in so far."""
        return len(self._taken_keys)

    def keys_taken_since(self, taken: int, keys: frozenset[str]) -> bool:
        """Whether a head :meth:`remember` took in after the first ``taken`` holds one of ``keys``."""
        return any(not keys.isdisjoint(held) for held in self._taken_keys[taken:])

    def columns(self) -> Columns:
        """The ``frequencies`` columns read so far, by kind (every one after :meth:`warm`)."""
        return {kind: vocabulary.columns for kind, vocabulary in self.table.vocabulary.items()}

    def places(self, ids: Sequence[str]) -> np.ndarray:
        """The places in :attr:`table` of the heads ``ids`` (in order), reading those not yet in memory."""
        found = np.fromiter(map(self.table.places.get, ids, repeat(-1)), dtype=np.int64, count=len(ids))
        if (found >= 0).all():
            return found
        self.read([i for i, place in zip(ids, found.tolist()) if place < 0])
        return self.table.places_of(ids)

    def read(self, ids: Iterable[str]) -> None:
        """Read the stored heads among ``ids`` not yet in memory, all at once (``add --fast`` reads those a part's
        placements will score before placing it: one query and one intake instead of one a placement)."""
        missing = [i for i in ids if i not in self.table.places]
        if missing:
            heads = read_some(self.index, missing)
            if self._all_stories:  # a large add (it read every story first) reads many heads on first use
                self._make_room(heads)
            self.table.extend_stored(heads)

    def _make_room(self, heads: HeadRows) -> None:
        """The first time heads are read (all of them, or on first use by a large add): room in the table for
        every stored head, as many keys a head as ``heads`` hold and more (``_ROOM``), so that taking heads in
        copies none already held. A cold ``check`` reads few heads, and grows the table by doubling."""
        if self._roomy or not heads.ids:
            return
        stored, each = self.index.count("heads"), _ROOM / len(heads.ids)
        self.table.reserve(stored, {kind: math.ceil(each * stored * int(lengths.sum()))
                                    for kind, (lengths, _) in heads.rows.items()})
        self._roomy = True

    def warm(self) -> int:
        """Read every stored head, document frequency (with its column), posting, story member and head
        count now (a long-lived checker pays once, then asks the index nothing more); how many heads."""
        if not self._all_frequencies:
            self.know_frequencies(*all_frequencies(self.index))
        postings: dict[str, list[str]] = {}
        for key, head in self.index.db.execute("SELECT key, id FROM postings"):
            postings.setdefault(key, []).append(head)
        self._postings = postings
        self.read_stories()
        self._complete = True
        return self.read_heads()

    def read_stories(self) -> None:
        """Read the story and copy-group head of every indexed article in one pass over ``members`` (a large
        add meets most of them: looking them up part by part cost more), counting each story's heads and each
        copy group's articles as they come; :meth:`owners`, :meth:`head_counts` and :meth:`group_sizes` then
        ask the index nothing. (Three queries, two of them grouping, cost 2.3x the CPU of this pass at 99k
        articles: bench/README.md, add18.)"""
        owners: dict[str, str] = {}
        heads: dict[str, int] = {}
        groups: dict[str, dict[str, int]] = {}
        for article_id, story, head in self.index.db.execute("SELECT id, story, head FROM members"):
            owners[article_id] = story
            sizes = groups.get(story)
            if sizes is None:
                sizes = groups[story] = {}
            sizes[head] = sizes.get(head, 0) + 1
            if article_id == head:
                heads[story] = heads.get(story, 0) + 1
        self._owners, self._head_counts, self._groups = owners, heads, groups
        self._all_stories = True

    def read_heads(self) -> int:
        """Read every stored head not yet in memory now, in one pass over the table (what a check then
        scores is the same, whatever the order heads were read in); how many heads are in memory."""
        for heads in read_all(self.index, _CHUNK, skip=self.table.places):
            self._make_room(heads)
            self.table.extend_stored(heads)
        return len(self.table)
