"""Capping the blocked candidates: each article keeps only the pairs with the most shared-key evidence."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
from scipy import sparse

from .blocking import blocked_codes
from .cappedlinks import PairSpool
from .hotkeys import Rings, hot_groups, ring_pairs, shared_weight
from .pairtable import PairTable, even_ranges
from .signatures import sorted_unique

#: Key products (an article's keys' holders, summed) made at a time when the candidates are ranked: bounds the
#: temporaries of one range (~60 B a product, so ~60 MB), whatever the number of pairs.
PRODUCTS_PER_RANGE = 1 << 20


def key_matrix(positions: np.ndarray, keys: np.ndarray, size: int, max_block: int) -> sparse.csr_matrix:
    """Articles x used keys: entry ``(p, k)`` is the weight of key ``k`` when article ``p`` holds it, for the
    keys :func:`~dedupe.blocking.blocked_codes` pairs on (held by 2 to ``max_block`` of the ``size``
    articles). A key held by ``n`` articles weighs ``1 / log(n)``: rarer shared keys say more (Adamic-Adar).

    Example: positions ``[0, 1, 1, 2]``, keys ``[5, 5, 6, 6]`` give a 3 x 2 matrix, each entry ``1 / log 2``.
    """
    numbered, index = numbered_keys(keys)
    holders = np.bincount(index, minlength=len(numbered))
    used = ((holders >= 2) & (holders <= max_block))[index]  # looked up per distinct key: one byte a key
    weight = key_weight(holders[index[used]])
    return sparse.csr_matrix((weight, (positions[used], index[used])), shape=(size, len(numbered)))


def key_weight(holders: np.ndarray | int) -> np.ndarray:
    """The shared-key evidence a key held by ``holders`` articles gives a pair holding it: ``1 / log(holders)``
    (at least 2). Example: ``key_weight(np.array([2, 3]))`` is ``[1.4427, 0.9102]`` (rounded)."""
    return 1.0 / np.log(np.maximum(holders, 2))


def numbered_keys(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(keys, return_inverse=True)``: the distinct keys, sorted, and each key's place among them;
    for key codes (non-negative, at most a few times as many as the keys) counted instead of sorted, so no sorted
    copy, order and mask of every key are made (~33 bytes a key at their peak, 8 here: the places).

    Example: ``numbered_keys(np.array([7, 2, 7]))`` gives ``[2, 7]`` and ``[1, 0, 1]``.
    """
    if not len(keys) or int(keys.min()) < 0 or int(keys.max()) > 4 * len(keys) + 1024:
        return np.unique(keys, return_inverse=True)
    present = np.bincount(keys) > 0
    return np.flatnonzero(present).astype(keys.dtype), (np.cumsum(present) - 1)[keys]


class Evidence:
    """Each article's candidates (the articles sharing a used key with it, and its ring pairs) and their
    shared-key evidence, made for ranges of articles at a time, so the pairs are never all held.

    The evidence of a pair is the summed weight of the keys both hold (see :func:`key_matrix`), plus, given ``rings``
    (a :class:`~dedupe.hotkeys.Rings`), the weights of the keys held by more than ``max_block`` that both hold,
    rounded to 9 decimals. Row ``a`` of ``matrix @ binary.T`` adds the shared keys in the order of ``a``'s keys, which
    is the order of the key numbers, the same from either side: a pair's evidence is the same float from both rows.
    """

    def __init__(self, matrix: sparse.csr_matrix, rings: Rings | None = None) -> None:
        matrix.sort_indices()
        self.matrix, self.rings = matrix, rings
        binary = matrix.copy()
        binary.data[:] = 1.0
        self.holders = binary.T.tocsr()
        made = np.bincount(np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr)),
                           weights=np.diff(self.holders.indptr)[matrix.indices], minlength=matrix.shape[0])
        if rings is not None:
            made = made + rings.made()
        self.ranges = even_ranges(made, PRODUCTS_PER_RANGE)  # products each article's row makes

    def rows(self) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Per range of articles, in order: ``(article, candidate, evidence)``, one entry per candidate of each
        article of the range, sorted by article then candidate (positions as int32).

        Example: with keys ``[[5], [5], [5, 6], [6]]`` the first range starts ``([0, 0, 1, 1, 2, ...],
        [1, 2, 0, 2, 0, ...], ...)``.
        """
        for low, high in self.ranges:
            product = self.matrix[low:high] @ self.holders
            product.sort_indices()
            article = np.repeat(np.arange(low, high, dtype=np.int32), np.diff(product.indptr))
            candidate = product.indices.astype(np.int32, copy=False)
            other = candidate != article
            article, candidate, shared = article[other], candidate[other], product.data[other]
            if self.rings is not None:
                article, candidate, shared = _with_rings(self.rings, low, high, article, candidate, shared)
            yield article, candidate, np.round(shared, 9)


def _with_rings(rings: Rings, low: int, high: int, article: np.ndarray, candidate: np.ndarray,
                shared: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The candidates of articles ``low`` to ``high`` (sorted by article then candidate, with their evidence
    ``shared``) and these articles' ring pairs, each once, sorted; every one's evidence plus the summed weights
    of the commoner keys both hold."""
    ring_article, ring_other = rings.partners(low, high)
    size = rings.weights.shape[0]
    codes = np.r_[article.astype(np.int64) * size + candidate, ring_article * size + ring_other]
    unique, first = np.unique(codes, return_index=True)
    blocked = first < len(article)
    article, candidate = (unique // size).astype(np.int32), (unique % size).astype(np.int32)
    value = np.zeros(len(unique))
    value[blocked] = shared[first[blocked]]  # a ring pair sharing no used key has none of their evidence
    return article, candidate, value + shared_weight(rings.weights, rings.binary, article, candidate)


def ring_table(positions: np.ndarray, keys: np.ndarray, ids: Sequence[str], max_block: int,
               links: int) -> PairTable:
    """The ring pairs of the keys held by more than ``max_block`` articles (see :mod:`dedupe.hotkeys`), as a
    table: each holder with its key's next ``links`` holders, each pair once, sorted."""
    _, index = numbered_keys(keys)
    members, sizes, _ = hot_groups(positions, index, np.bincount(index), max_block)
    left, right = ring_pairs(members, sizes, links)
    return PairTable(tuple(ids), left.astype(np.int32), right.astype(np.int32))


def nth_best(evidence: Evidence, size: int, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Per article, its ``count``-th best candidate by evidence (most first, ties by the smaller position) as
    ``(evidence, position)``, ``(-inf, size)`` for an article with fewer candidates.

    A candidate ``(e, p)`` of article ``a`` is among its ``count`` best when ``(-e, p) <= (-value[a], at[a])``.
    """
    value, at = np.full(size, -np.inf), np.full(size, size, dtype=np.int32)
    for article, candidate, shared in evidence.rows():
        last = _nth_packed(article, shared, count)
        if last is None:
            order = np.lexsort((-shared, article))  # rows come sorted by article then candidate: ties keep that order
            owned = article[order]
            place = np.arange(len(order), dtype=np.int64) - np.searchsorted(owned, owned, side="left")
            del owned
            last = order[place == count - 1]
        value[article[last]], at[article[last]] = shared[last], candidate[last]
    return value, at


def _nth_packed(article: np.ndarray, shared: np.ndarray, count: int) -> np.ndarray | None:
    """The entries :func:`nth_best` takes of one range (rows sorted by article then candidate): each article's
    ``count``-th by evidence, most first, ties in row order; None when the evidence is not 9-decimal rounded
    under 2**40 / 1e9 or the range's articles and evidence do not fit 63 bits.

    Each evidence is the integer ``k`` of ``k / 1e9`` (checked exact, so ``k`` orders and ties as the floats do),
    packed under its article into one int64 and those sorted (no lexsort of two keys, no argsort): an article's
    ``count``-th packed value gives its ``count``-th evidence; those better are counted, and the rest taken in
    row order among the entries with that evidence.
    """
    if not len(article):
        return np.zeros(0, dtype=np.int64)
    scaled = np.rint(shared * 1e9)
    first = int(article[0])
    if (scaled.min() < 0 or scaled.max() >= 2**40 or (int(article[-1]) - first).bit_length() > 23
            or not np.array_equal(scaled / 1e9, shared)):
        return None
    packed = ((article - first).astype(np.int64) << 40) | (2**40 - 1 - scaled.astype(np.int64))
    ordered = np.sort(packed)  # an article's entries sort within its own rows' span
    starts = np.flatnonzero(np.r_[True, article[1:] != article[:-1]])
    sizes = np.diff(np.r_[starts, len(article)])
    full = sizes >= count  # the articles with a count-th candidate
    wanted, need = np.full(len(starts), -1, dtype=np.int64), np.zeros(len(starts), dtype=np.int64)
    wanted[full] = ordered[starts[full] + count - 1]
    need[full] = count - (np.searchsorted(ordered, wanted[full]) - starts[full])  # minus the better ones
    tied = packed == np.repeat(wanted, sizes)
    ties = np.cumsum(tied)
    rank = ties - np.repeat(np.r_[0, ties][starts], sizes)  # place among the article's tied entries, from 1
    return np.flatnonzero(tied & (rank == np.repeat(need, sizes)))


def _among_best(shared: np.ndarray, candidate: np.ndarray, value: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Whether each ``candidate`` with evidence ``shared`` lies within its article's best (``value`` and ``at``
    are the article's :func:`nth_best`, per entry)."""
    return (shared > value) | ((shared == value) & (candidate <= at))


def capped_tables(positions: np.ndarray, keys: np.ndarray, ids: Sequence[str], max_block: int,
                  count: int, hot_links: int = 0) -> tuple[PairTable, PairSpool]:
    """The pairs of :func:`~dedupe.blocking.blocked_codes` (articles sharing a key held by 2 to ``max_block``;
    ``positions`` and ``keys`` as :func:`~dedupe.blocking.salient_codes` gives them) and, when ``hot_links`` > 0,
    the ring pairs of the keys held by more than ``max_block`` (each holder with ``hot_links`` others, see
    :mod:`dedupe.hotkeys`; those keys then weigh in every candidate's evidence) that are among either
    article's ``count`` best candidates by shared-key evidence (most first, ties by the other article's id), and
    the others: the blocked pairs the cap left out, in a temporary file (a :class:`~dedupe.cappedlinks.PairSpool`,
    8 bytes a pair). Both sorted by pair; ``count`` 0 keeps every pair (and the spool is empty).

    Never holds the uncapped pairs: a first pass over ranges of articles finds each one's ``count``-th best
    candidate (:func:`nth_best`), a second makes the pairs again, range by range, keeps a pair when it lies
    within either side's best and spools the others. At most ``count`` pairs are kept per article as the
    better-placed side.
    Example: with ``count=1`` a star's centre keeps its best leaf, and every leaf keeps the centre.
    """
    size, left_out = len(ids), PairSpool(ids)
    if count <= 0:
        blocked = blocked_codes(positions, keys, size, ids, max_block)
        return (joined_tables(blocked, ring_table(positions, keys, ids, max_block, hot_links)) if hot_links > 0
                else blocked), left_out
    rings = None
    if hot_links > 0:
        _, index = numbered_keys(keys)
        rings = Rings(positions, index, np.bincount(index), size, max_block, hot_links)
    evidence = Evidence(key_matrix(positions, keys, size, max_block), rings)
    value, at = nth_best(evidence, size, count)
    kept: list[tuple[np.ndarray, np.ndarray]] = [(np.zeros(0, dtype=np.int32),) * 2]
    for article, candidate, shared in evidence.rows():
        upper = candidate > article
        article, candidate, shared = article[upper], candidate[upper], shared[upper]
        best = (_among_best(shared, candidate, value[article], at[article])
                | _among_best(shared, article, value[candidate], at[candidate]))
        kept.append((article[best], candidate[best]))
        left_out.append(article[~best], candidate[~best])
    return PairTable(tuple(ids), *(np.concatenate(column) for column in zip(*kept))), left_out  # type: ignore


def joined_tables(first: PairTable, second: PairTable) -> PairTable:
    """The pairs of both tables (over the same ids), each once, sorted."""
    size = len(first.ids)
    codes = sorted_unique(np.r_[first.left.astype(np.int64) * size + first.right,
                            second.left.astype(np.int64) * size + second.right])
    return PairTable(first.ids, (codes // size).astype(np.int32), (codes % size).astype(np.int32))
