"""Capping the blocked candidates: each article keeps only the pairs with the most shared-key evidence."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse

from .blocking import blocked_codes
from .pairtable import PairTable, even_ranges

#: Pair rows whose evidence is computed at a time: bounds the sparse product's temporaries (~100 MB).
ROWS_PER_PRODUCT = 1 << 21
#: Terms of the sparse products (a pair counted once per key it shares) made at a time by
#: :func:`blocked_evidence`: bounds the products' arrays (~16 bytes a term) and their temporaries.
TERMS_PER_PRODUCT = 1 << 22
#: (row, side) entries ranked at a time when choosing each article's best candidates (~100 MB of temporaries).
ENTRIES_PER_BLOCK = 1 << 21


def key_matrix(positions: np.ndarray, keys: np.ndarray, size: int, max_block: int) -> sparse.csr_matrix:
    """Articles x used keys: entry ``(p, k)`` is the weight of key ``k`` when article ``p`` holds it, for the
    keys :func:`~dedupe.blocking.blocked_codes` pairs on (held by 2 to ``max_block`` of the ``size``
    articles). A key held by ``n`` articles weighs ``1 / log(n)``: rarer shared keys say more (Adamic-Adar).

    Example: positions ``[0, 1, 1, 2]``, keys ``[5, 5, 6, 6]`` give a 3 x 2 matrix, each entry ``1 / log 2``.
    """
    numbered, index = np.unique(keys, return_inverse=True)
    holders = np.bincount(index, minlength=len(numbered))
    used = (holders[index] >= 2) & (holders[index] <= max_block)
    weight = 1.0 / np.log(np.maximum(holders[index[used]], 2))
    return sparse.csr_matrix((weight, (positions[used], index[used])), shape=(size, len(numbered)))


def shared_evidence(table: PairTable, matrix: sparse.csr_matrix) -> np.ndarray:
    """For each row of ``table`` (pairs sharing a key of ``matrix``), the summed weight of the keys both
    articles hold (float64, in row order), rounded to 9 decimals so that the order of the sum (which
    follows the keys' numbering) never changes a tie.

    The pairs' first articles are taken in ranges of about ``ROWS_PER_PRODUCT`` rows; within a range the
    product of its articles' rows by the binary matrix holds exactly the table's rows there, in order.
    """
    evidence = np.empty(len(table), dtype=np.float64)
    binary = matrix.copy()
    binary.data[:] = 1.0
    bounds = np.searchsorted(table.left, np.arange(matrix.shape[0] + 1))
    edges = np.unique(np.r_[np.searchsorted(bounds, np.arange(0, len(table), ROWS_PER_PRODUCT), "right") - 1,
                            matrix.shape[0]])
    for low, high in zip(edges[:-1].tolist(), edges[1:].tolist()):
        product = (matrix[low:high] @ binary.T).tocoo()
        rows, cols = product.row.astype(np.int64) + low, product.col.astype(np.int64)
        upper = cols > rows
        rows, cols, values = rows[upper], cols[upper], product.data[upper]
        order = np.lexsort((cols, rows))
        span = slice(bounds[low], bounds[high])
        if len(order) != span.stop - span.start or not np.array_equal(cols[order], table.right[span]):
            raise ValueError("the table's pairs are not those sharing a key of the matrix")
        evidence[span] = values[order]
    return np.round(evidence, 9)


def best_candidates(table: PairTable, evidence: np.ndarray, count: int,
                    per_block: int = ENTRIES_PER_BLOCK) -> np.ndarray:
    """A mask of the rows that are among the ``count`` best candidates of either of their articles: most
    ``evidence`` first, ties by the other article's id. ``count`` 0 keeps every row.

    At most ``count`` rows are kept per article as the better-placed side, so at most ``count x articles``
    rows in all. Example: with ``count=1`` a star's centre keeps its best leaf, and every leaf keeps the centre.
    Articles are ranked in ranges holding about ``per_block`` (row, side) entries, so the sort's temporaries
    stay bounded whatever the table's size.
    """
    rows = len(table)
    kept = np.zeros(rows, dtype=bool)
    if count <= 0 or not rows:
        kept[:] = True
        return kept
    sides = np.bincount(np.r_[table.left, table.right], minlength=len(table.ids))
    for low, high in even_ranges(sides, per_block):
        _best_block(table, evidence, count, low, high, kept)
    return kept


def _best_block(table: PairTable, evidence: np.ndarray, count: int, low: int, high: int, kept: np.ndarray) -> None:
    """Mark in ``kept`` the rows among the ``count`` best candidates of one of the articles ``low:high``: the
    rows whose left article is one of them (consecutive, the table being sorted by it), then the others."""
    left, right = table.left, table.right
    mine = np.arange(*np.searchsorted(left, [low, high]).tolist(), dtype=np.int64)
    theirs = np.flatnonzero((right >= low) & (right < high))
    rows = np.concatenate((mine, theirs))
    owner = np.concatenate((left[mine], right[theirs]))
    other = np.concatenate((right[mine], left[theirs]))
    order = np.lexsort((other, -evidence[rows], owner))
    del other
    owned = owner[order]
    del owner
    place = np.arange(len(order), dtype=np.int64) - np.searchsorted(owned, owned, side="left")
    kept[rows[order[place < count]]] = True


def blocked_evidence(positions: np.ndarray, keys: np.ndarray, ids: Sequence[str],
                     max_block: int) -> tuple[PairTable, np.ndarray]:
    """:func:`~dedupe.blocking.blocked_codes`' table and :func:`shared_evidence` of it, from one pass of sparse
    products: the pairs sharing a key are the products' entries, so they are not also made and deduplicated.

    Each range of articles (about ``TERMS_PER_PRODUCT`` products' terms, counted from the keys' holders) is multiplied
    by the binary matrix of the articles from its first on (a pair's first article is its smaller), so the
    products hold each pair about once; the sums run over the first article's keys in the same order as in
    :func:`shared_evidence`, so every value is the same float.
    """
    size = len(ids)
    matrix = key_matrix(positions, keys, size, max_block)
    binary = matrix.copy()
    binary.data[:] = 1.0
    terms = binary @ np.diff(binary.T.tocsr().indptr).astype(np.float64)  # per article: the products' terms
    lefts, rights, values = [np.zeros(0, dtype=np.int32)], [np.zeros(0, dtype=np.int32)], [np.zeros(0)]
    for low, high in even_ranges(terms, TERMS_PER_PRODUCT):
        product = (matrix[low:high] @ binary[low:].T).tocoo()
        rows, cols = product.row.astype(np.int64), product.col.astype(np.int64)
        upper = cols > rows
        rows, cols, found = rows[upper] + low, cols[upper] + low, product.data[upper]
        order = np.lexsort((cols, rows))
        lefts.append(rows[order].astype(np.int32))
        rights.append(cols[order].astype(np.int32))
        values.append(found[order])
    table = PairTable(tuple(ids), np.concatenate(lefts), np.concatenate(rights))
    return table, np.round(np.concatenate(values), 9)


def capped_tables(positions: np.ndarray, keys: np.ndarray, ids: Sequence[str], max_block: int,
                  count: int) -> tuple[PairTable, PairTable]:
    """:func:`split_capped` of the :func:`~dedupe.blocking.blocked_codes` table of ``positions`` and ``keys``
    (``ids`` sorted), its pairs and their evidence made at once by :func:`blocked_evidence` when ``count`` caps
    them. Example: ``kept, left_out = capped_tables(positions, keys, ids, 200, 50)``."""
    if count <= 0:
        return split_capped(blocked_codes(positions, keys, len(ids), ids, max_block), positions, keys, max_block,
                            count)
    table, evidence = blocked_evidence(positions, keys, ids, max_block)
    kept = best_candidates(table, evidence, count)
    del evidence
    return table.take(kept), table.take(~kept)


def split_capped(table: PairTable, positions: np.ndarray, keys: np.ndarray, max_block: int,
                 count: int) -> tuple[PairTable, PairTable]:
    """The rows of ``table`` (made by :func:`~dedupe.blocking.blocked_codes` from ``positions`` and ``keys``)
    among either article's ``count`` best candidates by shared-key evidence (all when ``count`` is 0), and the
    other rows of ``table``: the blocked pairs the cap left out (empty when ``count`` is 0). Clustering counts
    the latter apart from pairs that share no key (see :class:`~dedupe.cappedlinks.CappedLinks`)."""
    if count <= 0:
        return table, table.take(np.zeros(0, dtype=np.int64))
    evidence = shared_evidence(table, key_matrix(positions, keys, len(table.ids), max_block))
    kept = best_candidates(table, evidence, count)
    del evidence
    return table.take(kept), table.take(~kept)
