"""Blocking on a whole profile table at once: each article's salient keys as numbers, and the pairs sharing one."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .corpusweights import CorpusWeights
from .pairtable import PairTable, even_ranges, upper_pairs
from .profile import ProfileTable
from .signatures import sorted_unique

#: Articles whose keys are chosen at a time: bounds the temporary arrays (a few MB).
ARTICLES_PER_BLOCK = 4096
#: Pair codes (a pair sharing k keys counted k times) made at a time: bounds blocking's temporaries (~64 MB of codes,
#: ~250 MB with the sort's copies; at 100k articles the profiles are held beside them).
CODES_PER_PASS = 1 << 23


def _rank_of(corpus: CorpusWeights) -> np.ndarray:
    """Each column's place among the columns' strings in sorted order (how ``salient_keys`` breaks ties)."""
    ranks = np.empty(len(corpus.terms), dtype=np.int64)
    ranks[sorted(range(len(corpus.terms)), key=corpus.terms.__getitem__)] = np.arange(len(corpus.terms))
    return ranks


def _entries(corpus: CorpusWeights, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The weights of matrix ``rows``, flat: each entry's index into ``rows``, column and weight."""
    matrix = corpus.matrix
    indptr = matrix.positions.indptr
    starts, sizes = indptr[rows].astype(np.int64), np.diff(indptr)[rows].astype(np.int64)
    owner = np.repeat(np.arange(len(rows), dtype=np.int64), sizes)
    at = starts[owner] + np.arange(len(owner), dtype=np.int64) - (np.cumsum(sizes) - sizes)[owner]
    return owner, matrix.positions.indices[at].astype(np.int64), matrix.weights_at(at, rows[owner])


def salient_codes(profiles: ProfileTable, ids: Sequence[str], count: int) -> tuple[np.ndarray, np.ndarray]:
    """For each of ``ids`` (by position), the keys ``profile.salient_keys(profile, count)`` gives it, as
    ``(positions, keys)``: a name's key is its column in the names matrix, a term's the names' width
    plus its column. The same choice: heaviest first, ties by the key's string, names (``n:``) before terms.

    Example: ``salient_codes(profiles, ["001"], 20)`` gives 20 keys of position 0 when it has that many.
    """
    width = len(profiles.names.terms)
    name_rank, term_rank = _rank_of(profiles.names), _rank_of(profiles.terms)
    most = len(ids) * max(count, 0)  # filled in place: no pieces held beside their concatenation
    positions, keys, filled = np.empty(most, dtype=np.int64), np.empty(most, dtype=np.int64), 0
    for first in range(0, len(ids), ARTICLES_PER_BLOCK):
        block = ids[first : first + ARTICLES_PER_BLOCK]
        rows = np.array([profiles.row(i) for i in block], dtype=np.int64)
        names, terms = _entries(profiles.names, rows), _entries(profiles.terms, rows)
        owner, weight = np.r_[names[0], terms[0]], np.r_[names[2], terms[2]]
        near = np.flatnonzero(weight >= _floors(names, terms, len(block), count)[owner])  # the top and its ties
        ties = np.r_[name_rank[names[1]], width + term_rank[terms[1]]][near]  # n: keys sort before t: keys
        order = near[np.lexsort((ties, -weight[near], owner[near]))]
        owner, key = owner[order], np.r_[names[1], width + terms[1]][order]
        place = np.arange(len(owner)) - np.searchsorted(owner, owner, side="left")
        kept = place < count
        end = filled + int(np.count_nonzero(kept))
        positions[filled:end], keys[filled:end], filled = owner[kept] + first, key[kept], end
    return positions[:filled], keys[:filled]


def _floors(names: tuple[np.ndarray, ...], terms: tuple[np.ndarray, ...], rows: int, count: int) -> np.ndarray:
    """Per row, the ``count``-th heaviest weight among its names and terms (-inf when it has fewer): no key
    lighter than it is salient, so only the keys at least as heavy need sorting."""
    name_sizes = np.bincount(names[0], minlength=rows)
    sizes = name_sizes + np.bincount(terms[0], minlength=rows)
    width = int(sizes.max(initial=0))
    if count <= 0 or count > width:
        return np.full(rows, np.inf if count <= 0 else -np.inf)
    dense = np.full((rows, width), -np.inf)
    for (owner, _, weight), offset in ((names, np.zeros(rows, dtype=np.int64)), (terms, name_sizes)):
        firsts = np.searchsorted(owner, owner, side="left")
        dense[owner, np.arange(len(owner)) - firsts + offset[owner]] = weight
    return np.partition(dense, width - count, axis=1)[:, width - count]


def blocked_codes(positions: np.ndarray, keys: np.ndarray, size: int, ids: Sequence[str],
                  max_block: int) -> PairTable:
    """Pairs of positions sharing a key, each once, sorted: a key held by more than ``max_block`` articles
    is skipped. ``size`` is the number of ``ids``.

    A pair sharing several keys is made once per key; the pairs are made and deduplicated in passes over
    ranges of their first article (see :func:`_passes`), so no more than ``CODES_PER_PASS`` wait at once.
    """
    order = np.lexsort((positions, keys))
    positions, keys = positions[order], keys[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else keys
    sizes = np.diff(np.r_[starts, len(keys)])
    chosen = (sizes >= 2) & (sizes <= max_block)
    starts, sizes = starts[chosen], sizes[chosen]
    lefts, rights = [np.zeros(0, dtype=np.int32)], [np.zeros(0, dtype=np.int32)]
    firsts, lasts = positions[starts], positions[starts + sizes - 2]  # a group's last member is no pair's first
    for low, high in _passes(positions, starts, sizes, size):
        codes, held = [], (firsts < high) & (lasts >= low)
        for start, members in zip(starts[held].tolist(), sizes[held].tolist()):
            group = positions[start : start + members]
            codes.append(upper_pairs(group, size, *np.searchsorted(group, [low, high]).tolist()))
        unique = sorted_unique(np.concatenate(codes)) if codes else np.zeros(0, dtype=np.int64)
        lefts.append((unique // size).astype(np.int32))
        rights.append((unique % size).astype(np.int32))
    return PairTable(tuple(ids), np.concatenate(lefts), np.concatenate(rights))


def blocked_table(ids: Sequence[str], keys: Sequence[Sequence[str]], max_block: int) -> PairTable:
    """Pairs of articles sharing a salient key, each once, rows sorted by pair: :func:`blocked_codes` of
    the keys numbered. ``ids`` are sorted and ``keys[i]`` are the salient keys of ``ids[i]``.

    Example: ids ``("a", "b")`` with keys ``[["t:x"], ["t:x"]]`` give the one pair (a, b).
    """
    return blocked_codes(*key_codes(keys), len(ids), ids, max_block)


def key_codes(keys: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
    """String keys numbered, as ``(positions, keys)`` of :func:`salient_codes`: ``keys[i]`` are row ``i``'s.

    Example: ``[["t:x"], ["t:x", "n:y"]]`` gives positions ``[0, 1, 1]`` and keys ``[0, 0, 1]``.
    """
    number: dict[str, int] = {}
    positions = [row for row, row_keys in enumerate(keys) for _ in row_keys]
    codes = [number.setdefault(key, len(number)) for row_keys in keys for key in row_keys]
    return np.array(positions, dtype=np.int64), np.array(codes, dtype=np.int64)


def _passes(positions: np.ndarray, starts: np.ndarray, sizes: np.ndarray, size: int) -> list[tuple[int, int]]:
    """Ranges ``[low, high)`` of first articles, in order, each the first of about ``CODES_PER_PASS`` pair
    codes (repeats counted) of the groups ``positions[start : start + size]``."""
    member = np.repeat(np.arange(len(starts)), sizes)
    place = np.arange(len(member)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    made = np.bincount(positions[np.repeat(starts, sizes) + place], weights=np.repeat(sizes, sizes) - 1 - place,
                       minlength=size)  # codes each article is the first of
    return even_ranges(made, CODES_PER_PASS)
