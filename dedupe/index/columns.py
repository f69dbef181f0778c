"""One article's date overlaps, count overlaps and headline scores with many heads at once, as arrays.

Each function gives, for the heads whose rows are gathered, the value the scorer of :mod:`dedupe.compare`
gives the pair (NaN where it gives None), the same float: date overlaps are ratios of whole numbers (one
division, as in Python), count overlaps of the few heads sharing three counts or more with the article are
summed by ``math.fsum`` as :func:`~dedupe.compare.rare_overlap` sums them, and headline scores come from
rapidfuzz's bulk ``process.cdist`` (see :func:`star_texts`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from itertools import chain
from operator import itemgetter

import numpy as np
from rapidfuzz import fuzz, process

from .rows import Joined, Row, Vocabulary

#: The rapidfuzz scorers behind ``compare.token_sort`` and ``compare.token_set`` (``/ 100`` each).
_SCORERS = {"token_sort": fuzz.token_sort_ratio, "token_set": fuzz.token_set_ratio}
TEXT_SCORERS = tuple(_SCORERS)


class DateStarts:
    """Ids for date starts (the part of an ISO value before ``/``) and all their prefixes, and for each id
    the ids of its prefixes by length (``prefixes[i, n]`` is the id of the first ``n`` characters, -1
    past the end), so "one start begins with the other" is an array look-up."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.prefixes = np.full((0, 1), -1, dtype=np.int64)
        self._marks = np.zeros(0, dtype=bool)

    def scratch(self) -> np.ndarray:
        """A zeroed mark per id (give it back zeroed)."""
        if len(self._marks) < len(self.ids):
            self._marks = np.zeros(len(self.prefixes), dtype=bool)
        return self._marks

    def rows(self, starts: Sequence[Sequence[str]]) -> tuple[np.ndarray, Row]:
        """The id of each date start (the part of a value before ``/``; new starts and prefixes get ids) of
        many heads, as :meth:`~dedupe.index.rows.Vocabulary.rows` gives rows: each head's count, and the ids
        end to end (weights unused)."""
        lengths = np.fromiter(map(len, starts), dtype=np.int64, count=len(starts))
        ids = list(map(self.ids.get, chain.from_iterable(starts)))
        if None in ids:  # new starts get ids in order of first appearance, as one by one
            every = list(chain.from_iterable(starts))
            for place in [n for n, i in enumerate(ids) if i is None]:
                ids[place] = self._id(every[place])
        return lengths, Row(np.array(ids, dtype=np.int64), np.ones(len(ids)))

    def _id(self, start: str) -> int:
        """The id of a start, giving it and its prefixes ids when first seen."""
        found = self.ids.get(start)
        if found is not None:
            return found
        chain = [self.ids.setdefault(start[:n], len(self.ids)) for n in range(len(start) + 1)]
        rows = len(self.prefixes) if len(self.ids) <= len(self.prefixes) else max(len(self.ids), 2 * len(self.prefixes))
        width = max(len(start) + 1, self.prefixes.shape[1])
        if rows > len(self.prefixes) or width > self.prefixes.shape[1]:
            grown = np.full((rows, width), -1, dtype=np.int64)
            grown[: len(self.prefixes), : self.prefixes.shape[1]] = self.prefixes
            self.prefixes = grown
        for n, known in enumerate(chain):
            self.prefixes[known, : n + 1] = chain[: n + 1]
        return chain[-1]


def star_date_overlaps(starts: DateStarts, mine: Sequence[str], joined: Joined, places: np.ndarray) -> np.ndarray:
    """``compare.date_overlap`` of the article's dates (their starts ``mine``) with each head's.

    A value agrees with another when one start begins with the other (``keyed_date_overlap``); for each
    of the article's values, the heads' values it agrees with are marked, so both sides' counts of agreed
    values are bin counts per head; the overlap is the larger of the two shares.
    """
    count = len(places)
    gathered = joined.gather(places)
    if not mine or not count:
        return np.full(count, np.nan)
    ids = joined.columns[gathered.index]
    rows = gathered.rows
    theirs_agreed = np.zeros(len(ids), dtype=bool)
    mine_agreed = np.zeros(count)
    for start in mine:
        agree = _agreeing(starts, start, ids)
        theirs_agreed |= agree
        mine_agreed += np.bincount(rows[agree], minlength=count) > 0
    theirs = np.bincount(rows, weights=theirs_agreed, minlength=count)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.maximum(mine_agreed / len(mine), theirs / gathered.lengths)
    out[gathered.lengths == 0] = np.nan
    return out


def _agreeing(starts: DateStarts, start: str, ids: np.ndarray) -> np.ndarray:
    """Which of the starts ``ids`` begin ``start`` or begin with it."""
    own = [starts.ids[start[:n]] for n in range(len(start) + 1) if start[:n] in starts.ids]
    marks = starts.scratch()
    marks[own] = True
    agree = marks[ids]  # the head's start is a prefix of this one
    marks[own] = False
    if start in starts.ids and len(start) < starts.prefixes.shape[1]:
        agree |= starts.prefixes[ids, len(start)] == starts.ids[start]  # this start is a prefix of the head's
    return agree


def star_rare_overlaps(mine: Mapping[str, float], vocabulary: Vocabulary, joined: Joined,
                       places: np.ndarray, known: np.ndarray | None = None) -> np.ndarray:
    """``compare.rare_overlap`` of the article's counts with the counts of each head at ``places`` (rows over
    ``vocabulary`` in ``joined``; ``known``: the counts' columns looked up ahead, see ``Vocabulary.row``).

    The scorer is ``min(1, fsum(shared keys' smaller rarities))``. A head sharing no count gets 0.0 (the
    sum of nothing); one sharing one or two gets that value or the sum of the two, which IEEE addition
    rounds exactly as ``fsum`` does (both give the exact sum correctly rounded); the rare heads sharing
    three or more get ``math.fsum`` of their smaller rarities (exact, so in any order: the same float).
    """
    count = len(places)
    gathered = joined.gather(places)
    out = np.full(count, np.nan)
    row = vocabulary.row(mine, grow=False, known=known)
    if not mine:
        return out
    out[gathered.lengths > 0] = 0.0
    dense = vocabulary.scratch()
    dense[row.columns] = row.weights
    theirs = dense[joined.columns[gathered.index]]  # the article's rarity where the head holds the count
    dense[row.columns] = 0.0
    hits = np.flatnonzero(theirs)
    rows = np.searchsorted(gathered.ends, hits, side="right")
    least = np.minimum(theirs[hits], joined.weights[gathered.index[hits]])
    out[rows] = np.minimum(1.0, np.bincount(rows, weights=least, minlength=count)[rows])
    for many in np.flatnonzero(np.bincount(rows, minlength=count) > 2).tolist():
        out[many] = min(1.0, math.fsum(least[rows == many].tolist()))
    return out


def sorted_words(text: str) -> str:
    """The words of a text sorted and joined by single spaces: what ``fuzz.token_sort_ratio`` compares
    (rapidfuzz's reference implementation sorts ``str.split()`` and joins with ``" "``, then takes ``ratio``)."""
    return " ".join(sorted(text.split()))


def star_texts(scorer: str, mine: str, places: np.ndarray, lowered: Sequence[str], words: Sequence[str],
               plain: np.ndarray, blank: np.ndarray) -> np.ndarray:
    """``compare.token_sort`` or ``compare.token_set`` of the text ``mine`` with the text of each head at
    ``places``: its text ``lowered``, as :func:`sorted_words` (``words``), whether that is ASCII (``plain``)
    and blank (``blank``), all by place. NaN where either text is blank.

    All pairs are scored by ``process.cdist`` with the scorer ``compare`` calls; for ``token_sort`` of two
    ASCII texts, ``fuzz.ratio`` of their sorted words instead, which is how rapidfuzz defines
    ``token_sort_ratio`` (its reference implementation sorts ``str.split()``), so each head's words are
    sorted once, not once per pair. Beyond ASCII its compiled scorer splits on fewer spaces than
    ``str.split`` (not on U+00A0, U+0085), so those pairs keep ``token_sort_ratio``. Both scorers are
    symmetric: the pair's order does not matter.
    """
    out = np.full(len(places), np.nan)
    if not mine.strip() or not len(places):
        return out
    query = mine.lower()
    fast = plain[places] if scorer == "token_sort" and query.isascii() else np.zeros(len(places), dtype=bool)
    for chosen, text, bulk, theirs in ((fast, sorted_words(query), fuzz.ratio, words),
                                       (~fast, query, _SCORERS[scorer], lowered)):
        rows = np.flatnonzero(chosen)
        if len(rows):
            found = [theirs[int(places[rows[0]])]] if len(rows) == 1 else itemgetter(*places[rows].tolist())(theirs)
            out[rows] = process.cdist([text], found, scorer=bulk, dtype=np.float64)[0] / 100.0
    out[blank[places]] = np.nan
    return out
