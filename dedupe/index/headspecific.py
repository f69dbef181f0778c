"""Term specificity of one checked article with many stored heads: each head's own total kept between checks.

A check counts the article among the documents (:meth:`~dedupe.index.heads.HeadTable.specific`): each term
column weighs ``specificity(df)``, one the article holds ``specificity(df + 1)``. The document frequencies
are those of one index state (an ``add --fast`` writes its counts at its end), so a head's total with every
column at ``df`` never changes while its table is in use: :class:`HeadTotals` works it out once a head, on
first use. A check then reads only the columns the head shares with the article (:func:`shared_sums`): their
``specificity(df + 1)`` (the shared part) and what counting the article adds to the head's total, each a sum
of integers below ``2**53``, so exact in any order: the same integers as summing every column at check time.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

# the C loop behind scipy's sparse matrix-vector product, called without building a matrix each time
from scipy.sparse import _sparsetools

from ..specific import specificities
from .rows import Joined, Vocabulary, rows_of

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
