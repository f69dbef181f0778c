"""Term specificity: how few documents hold each term, and the specificity two articles' terms share.

A term held by ``df`` documents weighs ``1 / max(df - 1, 1)``: a term only the two articles of a pair share
weighs 1, one a hundred share about 0.01. A pair's *overlap* is the weight of its shared terms over the
smaller side's total (at most 1). :func:`dedupe.compare.combine` adds it as same-story evidence for pairs
published on one day (or with a day unknown), weighed by :func:`size_factor` (a few documents say little
about which terms are rare).

Every path that scores pairs (``compare.score_pair``, the batch arrays, the index's ``check``) must give the
same float, whatever order it adds the weights in. So each weight is held as an integer, ``SCALE // max(df -
1, 1)``: integer sums are exact in any order (an article's total stays far below ``2**53``, so it is exact in
a float64 too), and the overlap is one division of two exact integers, the same float on every path.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import numpy as np

#: The weight of a term held by at most two documents (weights are ``SCALE // max(df - 1, 1)``, at least 1).
SCALE = 1 << 30


def specificity(df: int) -> int:
    """A term's weight (scaled by :data:`SCALE`) when ``df`` documents hold it.

    Example: ``specificity(2)`` is ``SCALE``; ``specificity(5)`` is ``SCALE // 4``.
    """
    return max(SCALE // max(df - 1, 1), 1)


def specificities(df: np.ndarray) -> np.ndarray:
    """:func:`specificity` of every document frequency, as int64."""
    return np.maximum(SCALE // np.maximum(np.asarray(df, dtype=np.int64) - 1, 1), 1)


def size_factor(documents: int, prior: float) -> float:
    """How much of the evidence's weight a corpus of ``documents`` earns: ``documents / (documents + prior)``
    (1 without a prior).

    Example: ``size_factor(3, 10)`` is ``3 / 13``, about 0.23; ``size_factor(772, 10)`` about 0.99.
    """
    return documents / (documents + prior) if prior else 1.0


def ratio(shared: int, left: int, right: int) -> float:
    """The overlap of a pair sharing ``shared`` of totals ``left`` and ``right`` (scaled integers)."""
    return min(1.0, shared / min(left, right))


def specific_overlap(a: Collection[str], b: Collection[str], frequencies: Mapping[str, int]) -> float | None:
    """The specificity the two term sets (or weight dicts' keys) share over the smaller side's total; None
    when a side has no term. ``frequencies`` gives each term's document frequency.

    Example: with ``frequencies`` ``{"dam": 2, "crew": 3, "storm": 3}``, ``{"dam", "crew"}`` and
    ``{"dam", "storm"}`` share 1 of the smaller total 1.5: 0.667.
    """
    if not a or not b:
        return None
    shared = sum(specificity(frequencies[term]) for term in a if term in b)
    return ratio(shared, total(a, frequencies), total(b, frequencies))


def total(terms: Collection[str], frequencies: Mapping[str, int]) -> int:
    """The scaled specificity of a term set."""
    return sum(specificity(frequencies[term]) for term in terms)


#: Entries read at once when counting or summing a whole corpus's matrix (bounds the temporary copies).
ENTRIES = 1 << 22


def column_frequencies(indices: np.ndarray, width: int) -> np.ndarray:
    """The document frequency of each of ``width`` columns, given a CSR matrix's column ``indices`` (each
    row holding a column once), counted :data:`ENTRIES` at a time."""
    counts = np.zeros(width, dtype=np.int64)
    for start in range(0, len(indices), ENTRIES):
        counts += np.bincount(indices[start : start + ENTRIES], minlength=width)
    return counts


def row_totals(weights: np.ndarray, indices: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """Each CSR row's sum of ``weights[column]`` (int64, exact), about :data:`ENTRIES` entries at a time.

    Example: weights ``[4, 1]``, rows ``{0, 1}`` and ``{1}`` (indices ``[0, 1, 1]``, indptr ``[0, 2, 3]``)
    give ``[5, 1]``.
    """
    rows = len(indptr) - 1
    out = np.zeros(rows, dtype=np.int64)
    start = 0
    while start < rows:
        stop = max(start + 1, int(np.searchsorted(indptr, indptr[start] + ENTRIES, side="right")) - 1)
        stop = min(stop, rows)
        first, last = int(indptr[start]), int(indptr[stop])
        sums = np.r_[0, np.cumsum(weights[indices[first:last]])]
        out[start:stop] = sums[indptr[start + 1 : stop + 1] - first] - sums[indptr[start:stop] - first]
        start = stop
    return out


def overlaps(shared: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """:func:`ratio` of every row (NaN where a side's total is 0: it has no term)."""
    smaller = np.minimum(left, right)
    out = np.full(len(shared), np.nan)
    held = smaller > 0
    out[held] = np.minimum(1.0, shared[held] / smaller[held])
    return out


def specific_logodds(weight: float, prior: float, documents: int, overlap: float | None,
                     gap: int | None) -> tuple[float, float]:
    """What the evidence adds to a pair's log-odds and to its perfect match's: ``w * overlap`` and ``w``
    with ``w = weight * size_factor(documents, prior)`` when the gap is 0 or unknown and both sides have
    terms, else nothing (``(0.0, 0.0)``)."""
    if not weight or overlap is None or (gap is not None and gap > 0):
        return 0.0, 0.0
    scaled = weight * size_factor(documents, prior)
    return scaled * overlap, scaled
