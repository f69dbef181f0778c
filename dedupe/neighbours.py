"""Shared-neighbour evidence before clustering: how far two articles' strongest partners agree beyond chance."""

from __future__ import annotations

import numpy as np
from scipy import sparse

from .pairtable import PairTable, PairValues

#: Pairs compared at a time (bounds the temporaries of the overlap and common-candidate counts).
_STEP_CELLS = 1 << 22


def neighbourhoods(table: PairTable, values: np.ndarray, size: int, floor: float) -> np.ndarray:
    """Each article of ``table.ids`` with its ``size`` strongest partners scoring ``floor`` or more (ties by the
    partner's id): an array of article rows, one line per article, itself first, padded with -1.

    Example: pairs (a, b) 0.9, (a, c) 0.5, (b, c) 0.2 with size 1 and floor 0.4 give a: [a, b], b: [b, a],
    c: [c, a].
    """
    hoods = np.full((len(table.ids), size + 1), -1, dtype=np.int64)
    hoods[:, 0] = np.arange(len(table.ids))
    strong = np.flatnonzero(values >= floor)
    article = np.concatenate((table.left[strong], table.right[strong])).astype(np.int64)
    other = np.concatenate((table.right[strong], table.left[strong])).astype(np.int64)
    order = np.lexsort((other, -np.concatenate((values[strong], values[strong])), article))
    article, other = article[order], other[order]
    starts = np.flatnonzero(np.r_[True, article[1:] != article[:-1]]) if len(article) else article
    place = np.arange(len(article)) - np.repeat(starts, np.diff(np.r_[starts, len(article)]))
    kept = place < size
    hoods[article[kept], 1 + place[kept]] = other[kept]
    return hoods


def _common(table: PairTable, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Per row of ``table``: how many articles the left article's line of ``first`` and the right article's line
    of ``second`` have in common (rows of -1 are padding)."""
    common = np.empty(len(table), dtype=np.int64)
    step = max(1, _STEP_CELLS // (first.shape[1] * second.shape[1]))
    for start in range(0, len(table), step):
        a, b = first[table.left[start : start + step]], second[table.right[start : start + step]]
        common[start : start + len(a)] = ((a[:, :, None] == b[:, None, :]) & (a[:, :, None] >= 0)).sum(axis=(1, 2))
    return common


def third_parties(table: PairTable, hoods: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row of ``table``: the partners the two articles have in common among their :func:`neighbourhoods`
    other than the pair itself, and how many such partners each side has (left, right).

    Example: with neighbourhoods a: [a, b, x], b: [b, a, x, y], the pair (a, b) has 1 in common, 1 and 2.
    """
    partners = hoods[:, 1:]
    held = (partners >= 0).sum(axis=1)
    left_holds = (partners[table.left] == table.right[:, None]).any(axis=1)
    right_holds = (partners[table.right] == table.left[:, None]).any(axis=1)
    return _common(table, partners, partners), held[table.left] - left_holds, held[table.right] - right_holds


def common_candidates(table: PairTable) -> np.ndarray:
    """For each row of ``table``, how many articles are paired in ``table`` with both of its articles.

    Example: pairs (a, b), (a, c), (b, c), (c, d) give (a, b): 1 (c), (a, c): 1 (b), (b, c): 1 (a), (c, d): 0.
    """
    count = len(table.ids)
    rows = np.concatenate((table.left, table.right))
    cols = np.concatenate((table.right, table.left))
    adjacency = sparse.csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(count, count))
    common = np.empty(len(table), dtype=np.int64)
    step = max(1, _STEP_CELLS // 64)
    for start in range(0, len(table), step):
        left, right = table.left[start : start + step], table.right[start : start + step]
        common[start : start + len(left)] = np.asarray(adjacency[left].multiply(adjacency[right]).sum(axis=1)).ravel()
    return common


def closer_partners(table: PairTable, values: np.ndarray, floor: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row (a, b) of ``table``: the adaptive neighbourhoods, each article's partners scoring ``floor`` or more
    that it scores *above* the pair's own score. Returns how many such partners the two have in common and how
    many each side has (left, right), as :func:`third_parties` does for top-``k`` neighbourhoods.

    A neighbourhood of no fixed size: inside a story of any size, the reports an article prefers to a story-mate
    are story-mates too, and the other article prefers the same ones; two look-alike stories each prefer their own.
    Example: scores (a, b) 0.6, (a, x) 0.9, (b, x) 0.8, (b, y) 0.7, floor 0.4: for (a, b), a prefers {x} and b
    prefers {x, y}: 1 in common, 1 and 2.
    """
    count = len(table.ids)
    strong = np.flatnonzero(values >= floor)
    rows = np.concatenate((table.left[strong], table.right[strong]))
    cols = np.concatenate((table.right[strong], table.left[strong]))
    scores = sparse.csr_matrix((np.concatenate((values[strong], values[strong])), (rows, cols)), shape=(count, count))
    common, mine, yours = (np.zeros(len(table), dtype=np.int64) for _ in range(3))
    step = max(1, _STEP_CELLS // 64)
    for start in range(0, len(table), step):
        part = slice(start, start + step)
        left, right, own = scores[table.left[part]], scores[table.right[part]], values[part]
        mine[part], yours[part] = _above(left, own), _above(right, own)
        common[part] = _above(left.minimum(right), own)
    return common, mine, yours


def _above(matrix: sparse.csr_matrix, own: np.ndarray) -> np.ndarray:
    """Per row of ``matrix``: its stored values greater than that row's ``own`` value."""
    row = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    return np.bincount(row[matrix.data > own[row]], minlength=matrix.shape[0])


def beyond_chance(table: PairTable, hoods: np.ndarray, neutral: float) -> np.ndarray:
    """For each row of ``table``, how far its two articles' other partners (:func:`third_parties` of the
    top-``k`` ``hoods``) overlap beyond chance: :func:`overlap_beyond_chance`."""
    return overlap_beyond_chance(table, *third_parties(table, hoods), neutral)


def overlap_beyond_chance(table: PairTable, common: np.ndarray, mine: np.ndarray, yours: np.ndarray,
                          neutral: float) -> np.ndarray:
    """For each row of ``table``, how far its two articles' other partners overlap beyond chance, less
    ``neutral`` of the room chance leaves: ``(J - C) - neutral * (1 - C)``, ``J`` the Jaccard of the two sets of
    other partners (``common`` in common, ``mine`` and ``yours`` on each side) and ``C`` the Jaccard they would
    have if each article had drawn its partners at random among its own candidates (the articles ``table``
    pairs it with, the other article left out).

    With ``d`` an article's other candidates and ``s`` its other partners, each of the ``t`` candidates the two
    share is a partner of both with probability ``(s_a / d_a) * (s_b / d_b)``, so the count in common expected
    by chance is ``t * s_a * s_b / (d_a * d_b)``. ``C`` is near 0 among many candidates and 1 when every
    candidate is a partner of both (a small corpus of one topic), where the overlap then says nothing. A pair
    one of whose articles has no other partner gets 0: nothing is known of its neighbourhood.
    """
    candidates = np.bincount(np.concatenate((table.left, table.right)), minlength=len(table.ids)) - 1
    drawn, drawn_too = mine / np.maximum(candidates[table.left], 1), yours / np.maximum(candidates[table.right], 1)
    expected = common_candidates(table) * drawn * drawn_too
    known = (mine > 0) & (yours > 0)
    union = np.where(known, mine + yours, 1)
    overlap = common / (union - common)
    chance = expected / (union - expected)
    return np.where(known, (overlap - chance) - neutral * (1.0 - chance), 0.0)


def with_shared_neighbours(similarity: PairValues, size: int, floor: float, weight: float,
                           neutral: float) -> PairValues:
    """The similarity with each pair's log-odds moved by ``weight`` times :func:`overlap_beyond_chance`: two reports of
    one story are close to the same other reports of it, while two look-alike stories (another strike, another
    patch) each have their strongest partners in their own story; but when every candidate is everyone's
    partner the overlap is what chance gives and the pair does not move (the move ``weight * ((J - C) - neutral
    * (1 - C))`` is ``weight * (1 - C) * (K - neutral)``, ``K = (J - C) / (1 - C)`` the overlap beyond chance as
    Cohen's kappa corrects agreement). Neighbourhoods are :func:`neighbourhoods` of ``size`` and ``floor``, or
    with ``size`` 0 the adaptive :func:`closer_partners` (a pair's articles' partners each scores above the
    pair). Scores of 0 and 1 stay; ``weight`` 0 gives the similarity unchanged.

    Example: among many candidates (``C`` near 0), a pair at 0.6 whose other partners are the same (``J`` 1),
    weight 2, neutral 0.3 rises to 0.86; when all its candidates are partners of both (``C`` 1) it stays at 0.6.
    """
    values = similarity.values
    if not weight or not len(values):
        return similarity
    table = similarity.table
    counts = (closer_partners(table, values, floor) if size == 0
              else third_parties(table, neighbourhoods(table, values, size, floor)))
    shift = weight * overlap_beyond_chance(table, *counts, neutral)
    inner = np.clip(values, 1e-12, 1.0 - 1e-12)
    moved = 1.0 / (1.0 + np.exp(np.log1p(-inner) - np.log(inner) - shift))
    return PairValues(table, np.where((values <= 0.0) | (values >= 1.0), values, np.round(moved, 6)))
