"""Keys held by more than ``max_block`` articles: each holder paired with a few others, in an order hashed from the key.

A key held by ``n`` articles would pair ``n * (n - 1) / 2`` of them; past ``max_block`` holders blocking pairs nobody on
it. A story reprinted by hundreds of outlets shares only such keys, so its reports were never compared. Here each
holder of such a key is paired with the next ``links`` holders around a ring in an order hashed from the key's holders
(``n * links`` pairs), and the common keys weigh in every candidate's shared-key evidence (see :mod:`dedupe.capping`),
so a pair sharing many of them can outrank one rare key shared by chance.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from .signatures import sorted_unique

#: splitmix64's constants: a fixed, well-mixed hash of 64-bit integers.
_GOLDEN, _MIX1, _MIX2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
#: Candidate pairs whose hot-key evidence is summed at a time: bounds the gathered rows (~20 entries a pair).
PAIRS_PER_DOT = 1 << 16


def mix(values: np.ndarray) -> np.ndarray:
    """splitmix64 of each value (as uint64): equal inputs give equal outputs, near ones unrelated ones."""
    with np.errstate(over="ignore"):
        z = values.astype(np.uint64) + _GOLDEN
        z = (z ^ (z >> np.uint64(30))) * _MIX1
        z = (z ^ (z >> np.uint64(27))) * _MIX2
        return z ^ (z >> np.uint64(31))


def hot_groups(positions: np.ndarray, index: np.ndarray, holders: np.ndarray,
               max_block: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The holders of each key held by more than ``max_block`` articles, in the key's hashed order, as one array
    of positions, the size of each key's run and its key (ascending; keys numbered by ``index``, their holders
    counted in ``holders``).

    A key's order sorts its holders by ``mix(seed ^ mix(position))``, the seed a hash of the holders' number and
    summed positions: it depends on who holds the key, not on how keys or articles were numbered or ordered.
    """
    hot = (holders > max_block)[index]
    member, key = positions[hot].astype(np.int64), index[hot]
    order = np.lexsort((member, key))
    member, key = member[order], key[order]
    firsts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, dtype=np.int64)
    sizes = np.diff(np.r_[firsts, len(key)])
    with np.errstate(over="ignore"):
        summed = np.add.reduceat(member.astype(np.uint64), firsts) if len(firsts) else np.zeros(0, dtype=np.uint64)
        seeds = mix(summed ^ mix(sizes.astype(np.uint64)))
    run = np.repeat(np.arange(len(firsts)), sizes)
    ranks = mix(np.repeat(seeds, sizes) ^ mix(member.astype(np.uint64)))
    return member[np.lexsort((member, ranks, run))], sizes, key[firsts]


def ring_pairs(members: np.ndarray, sizes: np.ndarray, links: int) -> tuple[np.ndarray, np.ndarray]:
    """Each member of each run paired with the next ``links`` members of its run, around a ring (a run of ``n``
    makes at most ``n * links`` pairs), as sorted distinct ``(left, right)`` positions, ``left < right``.

    Example: one run ``[3, 0, 2, 1]`` and ``links`` 1 give (0, 2), (0, 3), (1, 2), (1, 3).
    """
    starts = np.repeat(np.cumsum(sizes) - sizes, sizes)
    place = np.arange(len(members)) - starts
    run_size = np.repeat(sizes, sizes)
    codes = [np.zeros(0, dtype=np.int64)]
    for step in range(1, links + 1):
        other = members[starts + (place + step) % run_size]
        keep = other != members  # a run shorter than the ring's step meets itself
        low, high = np.minimum(members, other)[keep], np.maximum(members, other)[keep]
        codes.append(sorted_unique(low * (1 << 32) + high))
    unique = sorted_unique(np.concatenate(codes))
    return unique >> 32, unique & 0xFFFFFFFF


def hot_matrix(positions: np.ndarray, index: np.ndarray, holders: np.ndarray, size: int,
               max_block: int) -> sparse.csr_matrix:
    """Articles x keys: entry ``(p, k)`` is ``1 / log(n)`` when article ``p`` holds key ``k`` and ``n``, its
    holders, exceed ``max_block`` (the weight :func:`~dedupe.capping.key_matrix` gives the keys it pairs on)."""
    hot = (holders > max_block)[index]
    weight = 1.0 / np.log(holders[index[hot]])
    matrix = sparse.csr_matrix((weight, (positions[hot], index[hot])), shape=(size, len(holders)))
    matrix.sort_indices()
    return matrix


def ones_like(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    """``matrix`` with every entry 1, sharing its index arrays (no copy of them)."""
    return sparse.csr_matrix((np.ones(len(matrix.data)), matrix.indices, matrix.indptr), shape=matrix.shape, copy=False)


class Rings:
    """The keys held by more than ``max_block`` of ``size`` articles: their weights (:func:`hot_matrix`) and their
    rings (:func:`hot_groups`), from which each range of articles' ring pairs are made when asked for, so no pair
    is held between ranges (about 36 bytes a holder of such a key, whatever ``links``).

    Example: with ``max_block`` 2 and ``links`` 1, each of the 4 holders of a key is paired with 2 of the others.
    """

    def __init__(self, positions: np.ndarray, index: np.ndarray, holders: np.ndarray, size: int, max_block: int,
                 links: int) -> None:
        self.links = links
        self.weights = hot_matrix(positions, index, holders, size, max_block)
        self.binary = ones_like(self.weights)
        members, sizes, run_keys = hot_groups(positions, index, holders, max_block)
        self.members = members.astype(np.int32)
        starts = np.cumsum(sizes) - sizes
        self.run_start, self.run_size = starts, sizes
        # each entry of ``weights`` (article, key): its key's run and its place in the whole ring array
        rows = np.repeat(np.arange(size, dtype=np.int64), np.diff(self.weights.indptr))
        entry = rows * len(holders) + self.weights.indices
        run = np.repeat(np.arange(len(sizes)), sizes)
        ringed = members * len(holders) + run_keys[run]
        order = np.argsort(ringed)
        self.entry_run = run[order][np.searchsorted(ringed[order], entry)].astype(np.int32)
        self.entry_place = order[np.searchsorted(ringed[order], entry)].astype(np.int64)

    def made(self) -> np.ndarray:
        """Per article, the ring pairs it is made part of (repeats counted): what ranging must bound."""
        return 2.0 * self.links * np.diff(self.weights.indptr)

    def partners(self, low: int, high: int) -> tuple[np.ndarray, np.ndarray]:
        """The ring pairs of articles ``low`` to ``high``, as ``(article, other)`` (int64, in no order, a pair
        made once per key and direction it comes from)."""
        first, last = self.weights.indptr[low], self.weights.indptr[high]
        article = np.repeat(np.arange(low, high, dtype=np.int64), np.diff(self.weights.indptr[low : high + 1]))
        run = self.entry_run[first:last]
        start, size = self.run_start[run], self.run_size[run]
        place = self.entry_place[first:last] - start
        found = [np.zeros(0, dtype=np.int64)]
        for step in range(1, self.links + 1):
            for signed in (step, -step):
                found.append(self.members[start + (place + signed) % size].astype(np.int64))
        other = np.concatenate(found)
        article = np.tile(article, 2 * self.links)
        keep = other != article
        return article[keep], other[keep]


def shared_weight(hot: sparse.csr_matrix, binary: sparse.csr_matrix, article: np.ndarray,
                  candidate: np.ndarray) -> np.ndarray:
    """Per pair ``(article[i], candidate[i])``, the summed weights (``hot``'s) of the keys both hold (``binary``:
    ``hot`` with every entry 1), added in the order of the key numbers: the same float from either side."""
    found = [np.zeros(0)]
    for start in range(0, len(article), PAIRS_PER_DOT):
        left, right = hot[article[start : start + PAIRS_PER_DOT]], binary[candidate[start : start + PAIRS_PER_DOT]]
        both = sparse.csr_matrix(left.multiply(right))
        both.sort_indices()
        rows = np.repeat(np.arange(both.shape[0]), np.diff(both.indptr))
        found.append(np.bincount(rows, weights=both.data, minlength=both.shape[0]))
    return np.concatenate(found)
