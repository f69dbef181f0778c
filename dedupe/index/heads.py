"""The heads a checker holds, by place, as arrays; one article's comparison values and specificities with many of them.

:class:`HeadTable` keeps each head taken in (its stored row read from the index on first use or all at
once, or placed by ``add --fast``) at the next *place*: its ``terms`` and ``names`` weights, its counts and date starts
as rows end to end (:class:`~dedupe.index.rows.Joined`), its day, the total rarity of its counts, its
headline and place lower-cased (and their words sorted), its people (lead first) and principal.
:meth:`HeadTable.column` then gives a comparison's values for the article and every candidate at once, each the float
:mod:`dedupe.compare`'s scorer gives the pair; scorers or fields it does not know (a custom config) are left to
:func:`dedupe.scoring.field_values`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np
from scipy.sparse import _sparsetools

from ..compare import CEILINGS, Comparison, lead_named, principal_agree
from ..profile import Profile
from ..specific import overlaps, specificities
from .columns import (
    TEXT_SCORERS,
    DateStarts,
    sorted_words,
    star_date_overlaps,
    star_rare_overlaps,
    star_texts,
)
from .headstore import HeadRows
from .rows import Joined, Vocabulary, room, rows_of, star_cosines

WEIGHTED = ("terms", "names")
_TEXTS = ("headline", "place")


class HeadTable:
    """Every head in memory at its place (0, 1, ... in the order taken in); see the module docstring.

    Filled either from profiles (:meth:`extend`, the vocabularies numbering keys as first seen) or from
    stored heads (:meth:`extend_stored`, whose rows carry the index's columns), never both.
    """

    def __init__(self) -> None:
        self.places: dict[str, int] = {}
        self.vocabulary = {kind: Vocabulary() for kind in (*WEIGHTED, "numbers")}
        self.joined = {kind: Joined() for kind in (*WEIGHTED, "numbers", "dates")}
        self.starts = DateStarts()
        self.days = np.zeros(0, np.int64)  # the day's ordinal, 0 without one
        self.totals = np.zeros(0)  # math.fsum of the counts' rarities
        self.written: dict[str, list[str]] = {field: [] for field in _TEXTS}  # as stored, by place
        # what a text comparison reads of each, made for a field when one first compares it (see texts_of):
        self.texts: dict[str, list[str]] = {field: [] for field in _TEXTS}  # lower-cased
        self.sorted_texts: dict[str, list[str]] = {field: [] for field in _TEXTS}  # as columns.sorted_words
        self.blank = {field: np.zeros(0, bool) for field in _TEXTS}
        self.plain = {field: np.zeros(0, bool) for field in _TEXTS}  # lower-cased text is ASCII
        self.people: list[tuple[str, ...]] = []
        self.principals: list[tuple[str, ...]] = []
        self._numbering: str | None = None  # "own" or "index", fixed by the first heads taken in
        self._totals = HeadTotals()  # each head's term-specificity total, see specific

    def __len__(self) -> int:
        return len(self.places)

    def extend(self, profiles: Sequence[Profile]) -> None:
        """Take in the heads of profiles (none already here), at the next places, numbering their keys."""
        self._numbered("own")
        rows = {kind: self.vocabulary[kind].rows([getattr(p, kind) for p in profiles])
                for kind in (*WEIGHTED, "numbers")}
        self._take(HeadRows([p.article_id for p in profiles],
                            np.array([p.day.toordinal() if p.day else 0 for p in profiles], dtype=np.int64),
                            np.array([math.fsum(p.numbers.values()) for p in profiles]),
                            [p.headline for p in profiles], [p.place for p in profiles],
                            [[value.split("/")[0] for value in p.dates] for p in profiles], rows,
                            [p.people for p in profiles], [p.principal for p in profiles]))

    def extend_stored(self, heads: HeadRows) -> None:
        """Take in stored heads (none already here), at the next places; their rows hold the index's columns."""
        self._numbered("index")
        for kind in (*WEIGHTED, "numbers"):
            self.vocabulary[kind].widen(heads.rows[kind][1].columns)
        self._take(heads)

    def reserve(self, heads: int, keys: Mapping[str, int]) -> None:
        """Make room for ``heads`` more heads holding ``keys[kind]`` more keys of each weighted kind (or counts),
        so that taking them in copies none of the rows already held."""
        for kind, more in keys.items():
            joined = self.joined[kind]
            joined.reserve(joined.count + heads, joined.used + more)

    def _numbered(self, numbering: str) -> None:
        """Refuse heads numbered otherwise than those already taken in."""
        if self._numbering not in (None, numbering):
            raise ValueError(f"a head table numbered by {self._numbering!r} cannot take heads numbered by "
                             f"{numbering!r}")
        self._numbering = numbering

    def _take(self, heads: HeadRows) -> None:
        """Put the heads at the next places."""
        start, count = len(self), len(self) + len(heads.ids)
        for kind in (*WEIGHTED, "numbers"):
            self.joined[kind].extend_joined(*heads.rows[kind])
        self.joined["dates"].extend_joined(*self.starts.rows(heads.dates))
        self.days, self.totals = room(self.days, count), room(self.totals, count)
        self.days[start:count], self.totals[start:count] = heads.days, heads.totals
        self.written["headline"].extend(heads.headlines)
        self.written["place"].extend(heads.places)
        self.people.extend(heads.people)
        self.principals.extend(heads.principals)
        self.places.update(zip(heads.ids, range(start, count)))

    def texts_of(self, field: str) -> None:
        """Bring what a text comparison reads of a field (lower-cased, sorted words, blank, ASCII) up to
        every head taken in: made only for the fields a comparison reads (the default ones read the headline,
        not the place), for the heads taken in since it was last asked."""
        written, start, count = self.written[field], len(self.texts[field]), len(self)
        if start == count:
            return
        lowered = [text.lower() for text in written[start:]]
        self.texts[field].extend(lowered)
        self.sorted_texts[field].extend(map(sorted_words, lowered))
        self.blank[field], self.plain[field] = room(self.blank[field], count), room(self.plain[field], count)
        self.blank[field][start:count] = [not text.strip() for text in written[start:]]
        self.plain[field][start:count] = [text.isascii() for text in lowered]

    def places_of(self, ids: Sequence[str]) -> np.ndarray:
        """The places of the heads ``ids`` (all in the table), in order."""
        return np.fromiter(map(self.places.__getitem__, ids), dtype=np.int64, count=len(ids))

    def column(self, comparison: Comparison, profile: Profile, places: np.ndarray,
               mine_first: np.ndarray, ahead: Mapping[str, np.ndarray] | None = None) -> np.ndarray | None:
        """The comparison's value for the article (``profile``) with each head at ``places`` (NaN: None),
        the pair in id order (``mine_first``: the article is the left one); None when its scorer and field
        are not among those computed here. ``ahead``: the index's columns of the profile's weighed keys,
        by field, looked up ahead (:attr:`~dedupe.index.frozen.Ahead.columns`)."""
        field, scorer = comparison.field, comparison.scorer
        if scorer == "cosine" and field in WEIGHTED:
            weights = getattr(profile, field)
            vocabulary = self.vocabulary[field]
            mine = vocabulary.row(weights, grow=False, known=None if ahead is None else ahead.get(field))
            return star_cosines(self.joined[field], vocabulary, mine, len(weights), mine_first, places)
        if scorer == "date_overlap" and field == "dates":
            return star_date_overlaps(self.starts, [value.split("/")[0] for value in profile.dates],
                                      self.joined["dates"], places)
        if scorer == "rare_overlap" and field == "numbers":
            return star_rare_overlaps(profile.numbers, self.vocabulary["numbers"], self.joined["numbers"], places,
                                      None if ahead is None else ahead.get("numbers"))
        if scorer == "lead_named" and field == "people":
            return self._by_head(lead_named, profile.people, self.people, places)
        if scorer == "principal_agree" and field == "principal":
            return self._by_head(principal_agree, profile.principal, self.principals, places)
        if scorer in TEXT_SCORERS and field in _TEXTS:
            self.texts_of(field)
            return star_texts(scorer, getattr(profile, field), places, self.texts[field], self.sorted_texts[field],
                              self.plain[field], self.blank[field])
        return None

    @staticmethod
    def _by_head(scorer: Callable[[tuple[str, ...], tuple[str, ...]], float | None], mine: tuple[str, ...],
                 theirs: list[tuple[str, ...]], places: np.ndarray) -> np.ndarray:
        """``scorer`` (``compare.lead_named``, ``principal_agree``) of the article's value (``mine``) with each
        head's at ``places`` (NaN: None); nothing to compare for an article without one."""
        out = np.full(len(places), np.nan)
        if mine:
            for row, place in enumerate(places.tolist()):
                value = scorer(mine, theirs[place])
                if value is not None:
                    out[row] = value
        return out

    def specific(self, profile: Profile, places: np.ndarray, frequencies: Callable[[np.ndarray], np.ndarray],
                 own: Mapping[str, int], ahead: Mapping[str, np.ndarray] | None = None) -> np.ndarray:
        """The term-specificity overlap of the article (``profile``) with each head at ``places`` (NaN: a side
        has no term), the article counted among the documents: ``frequencies`` gives the document frequency
        of columns of this table (0: none yet), ``own`` that of each of the article's terms (before it is
        counted); a column the article holds counts one more document. The sums are integers (see
        :mod:`dedupe.specific`), so the float is ``compare.score_pair``'s given the same frequencies. Each
        head's total at ``df`` is kept while the same ``frequencies`` are given (:class:`HeadTotals`): they
        must give the same values meanwhile, as one index state's do. ``ahead``: as for :meth:`column`."""
        terms, vocabulary = self.joined["terms"], self.vocabulary["terms"]
        mine = vocabulary.row(profile.terms, grow=False, known=None if ahead is None else ahead.get("terms")).columns
        shared, added = shared_sums(terms, vocabulary, mine, frequencies, places)
        totals = self._totals.of(terms, places, frequencies) + added
        counted = np.fromiter(map(own.__getitem__, profile.terms), dtype=np.int64, count=len(profile.terms)) + 1
        mine_total = int(specificities(counted).sum())
        return overlaps(shared, np.full(len(places), mine_total, dtype=np.int64), totals)

    def ceilings(self, comparison: Comparison, profile: Profile, places: np.ndarray) -> np.ndarray | None:
        """The best value the comparison's scorer can give each pair (``compare.ceiling_of``): 1 for most,
        the smaller total rarity (at most 1) for count overlaps; None for a ceiling not computed here."""
        if comparison.scorer not in CEILINGS:
            return np.ones(len(places))
        if comparison.scorer == "rare_overlap" and comparison.field == "numbers":
            return np.minimum(min(1.0, math.fsum(profile.numbers.values())), self.totals[places])
        return None

    def gaps(self, profile: Profile, places: np.ndarray) -> np.ndarray:
        """The publication gap in days of the article with each head; -1 where either has no day."""
        days = self.days[places]
        if profile.day is None:
            return np.full(len(places), -1, dtype=np.int64)
        return np.where(days > 0, np.abs(days - profile.day.toordinal()), -1)


# Term specificity of one checked article with many stored heads: each head's own total kept between checks.
#
# A check counts the article among the documents (:meth:`~dedupe.index.heads.HeadTable.specific`): each term
# column weighs ``specificity(df)``, one the article holds ``specificity(df + 1)``. The document frequencies
# are those of one index state (an ``add --fast`` writes its counts at its end), so a head's total with every
# column at ``df`` never changes while its table is in use: :class:`HeadTotals` works it out once a head, on
# first use. A check then reads only the columns the head shares with the article (:func:`shared_sums`): their
# ``specificity(df + 1)`` (the shared part) and what counting the article adds to the head's total, each a sum
# of integers below ``2**53``, so exact in any order: the same integers as summing every column at check time.
#: The document frequency of each of some term columns (``HeadMemory.column_frequencies``).
Frequencies = Callable[[np.ndarray], np.ndarray]


class HeadTotals:
    """Each head's specificity total (scaled integers, every column at its ``df``), by place, worked out on
    first use and kept while the same ``frequencies`` are given (they are those of one index state); other
    frequencies start afresh."""

    def __init__(self) -> None:
        self.totals = np.zeros(0, np.int64)
        self.known = np.zeros(0, bool)
        self.frequencies: Frequencies | None = None

    def of(self, joined: Joined, places: np.ndarray, frequencies: Frequencies) -> np.ndarray:
        """The totals of the heads at ``places`` (rows of ``joined``), in order.

        Example: a head holding two columns of ``df`` 2 and 5 totals ``SCALE + SCALE // 4``.
        """
        if frequencies != self.frequencies:  # a bound method is equal to the same object's same method
            self.totals, self.known, self.frequencies = np.zeros(0, np.int64), np.zeros(0, bool), frequencies
        if len(self.known) < joined.count:
            size = max(joined.count, 2 * len(self.known))
            self.totals = np.concatenate([self.totals, np.zeros(size - len(self.totals), np.int64)])
            self.known = np.concatenate([self.known, np.zeros(size - len(self.known), bool)])
        missing = np.unique(places[~self.known[places]])
        if len(missing):
            gathered = joined.gather(missing)
            weights = specificities(frequencies(joined.columns[gathered.index]))
            sums = np.r_[0, np.cumsum(weights)]
            self.totals[missing] = np.diff(sums[np.r_[0, gathered.ends]])
            self.known[missing] = True
        return self.totals[places]


def shared_sums(joined: Joined, vocabulary: Vocabulary, mine: np.ndarray, frequencies: Frequencies,
                places: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each head at ``places``, over the columns it shares with the article (``mine``: the article's
    columns, each once): the sum of ``specificity(df + 1)`` (what they share, the article counted) and of
    ``specificity(df + 1) - specificity(df)`` (what counting the article adds to the head's total), int64.

    Both are sums over each head's row of a vector spread over the vocabulary (zero off ``mine``), by
    scipy's ``csr_matvec``; the terms are integers below ``2**31`` and the sums below ``2**53``, so the
    float64 sums are exact.
    """
    count = len(places)
    shared, added = np.zeros(count), np.zeros(count)
    if not count or not len(mine):
        return shared.astype(np.int64), added.astype(np.int64)
    df = frequencies(mine)
    counted, plain = specificities(df + 1), specificities(df)
    indptr, columns, _ = rows_of(joined, places)
    ones = np.ones(len(columns))
    width = vocabulary.width
    dense = vocabulary.scratch()
    dense[mine] = counted
    _sparsetools.csr_matvec(count, width, indptr, columns, ones, dense[:width], shared)
    dense[mine] = counted - plain
    _sparsetools.csr_matvec(count, width, indptr, columns, ones, dense[:width], added)
    dense[mine] = 0.0
    return shared.astype(np.int64), added.astype(np.int64)
