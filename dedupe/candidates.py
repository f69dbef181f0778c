"""Candidate pairs from exact keys and MinHash LSH banding, each pair once with the smaller id first.

Banding is done with numpy on the signature matrix: per band, each row's ``r`` values are combined
into one 64-bit key, the keys are sorted, and rows with equal keys (a bucket) become candidates.
Exact copies are grouped first and only one row of each group is banded. In a bucket, each member is
paired with at most the bucket's first ``MAX_LINKS`` members, so a bucket of 10,000 look-alike texts
yields ~160,000 pairs, not 50 million. The cost in recall: two members of such a bucket that are both
outside its first ``MAX_LINKS`` are not compared through that band; they still meet through any other
band they share in a smaller bucket, and still end in one cluster when both are near-duplicates of
one of the bucket's first members. Every candidate is verified with the exact shingle Jaccard.
"""

from __future__ import annotations

import math
import weakref
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from functools import partial

import numpy as np

from .engine import Engine, LocalEngine, spans_of
from .signatures import SignatureMatrix, sorted_unique
from .types import Edge
from .verify import pair_scores

#: The banding must catch a pair at the threshold with at least this probability.
TARGET_RECALL = 0.995
#: In a band bucket, each member is paired with at most this many of the bucket's first members
#: (all pairs for buckets up to ``MAX_LINKS + 1``), so a huge bucket costs linear, not quadratic, work.
MAX_LINKS = 16
#: A candidate whose MinHash estimate lies this many standard errors below the threshold is dropped
#: before the exact check (a pair at the threshold falls that low with probability ~1e-9).
ESTIMATE_SIGMAS = 6.0
_PAIRS_PER_BLOCK = 20_000
_U64 = np.uint64
#: Each matrix's exact heads, found once (:func:`exact_heads`).
_heads: weakref.WeakKeyDictionary[SignatureMatrix, np.ndarray] = weakref.WeakKeyDictionary()


def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """Bands and rows so that a pair at ``threshold`` collides with probability >= TARGET_RECALL.

    Picks the most rows per band (fewest false candidates) that still reaches the target;
    a pair collides in a band with probability ``J ** rows``.
    """
    for rows in range(num_perm, 0, -1):
        bands = num_perm // rows
        if 1.0 - (1.0 - threshold**rows) ** bands >= TARGET_RECALL:
            return bands, rows
    return num_perm, 1


def exact_heads(matrix: SignatureMatrix) -> np.ndarray:
    """For each row, the first row with the same exact key (the row itself when it is the first); read-only, found
    once per matrix (the exact edges, the banding and the lone clusters all ask)."""
    heads = _heads.get(matrix)
    if heads is None:
        keys, heads = matrix.exact, np.arange(len(matrix))
        if len(keys):
            order = np.lexsort((keys[:, 1], keys[:, 0]))
            ordered = keys[order]
            first = np.r_[True, (ordered[1:] != ordered[:-1]).any(axis=1)]
            heads[order] = order[first][np.cumsum(first) - 1]
        heads.flags.writeable = False
        _heads[matrix] = heads
    return heads


def exact_edges(signatures: SignatureMatrix) -> list[Edge]:
    """Link each exact copy to the smallest id of its group (a star, not all pairs)."""
    matrix = signatures
    heads = exact_heads(matrix)
    copies = np.flatnonzero(heads != np.arange(len(heads)))
    groups: dict[int, list[int]] = defaultdict(list)
    for row, head in zip(copies.tolist(), heads[copies].tolist()):
        groups[head].append(row)
    edges = []
    for head, rows in groups.items():
        first, *rest = sorted(matrix.ids[row] for row in [head, *rows])
        edges.extend(Edge(first, other, "exact", 1.0) for other in rest)
    return edges


def _bucket_pairs(keys: np.ndarray) -> np.ndarray:
    """Index pairs ``i < j`` sharing a key, each member linked to at most ``MAX_LINKS`` first members.

    Only the keys held by more than one row are ordered (stably, so a bucket's first members are its first rows):
    in most bands nearly every key is a row's own.
    """
    order = np.argsort(keys)
    ordered = keys[order]
    same = ordered[1:] == ordered[:-1]
    shared = np.zeros(len(keys), dtype=bool)
    shared[1:] = same
    shared[:-1] |= same
    members = np.sort(order[shared])
    order = members[np.argsort(keys[members], kind="stable")]
    ordered = keys[order]
    first = np.r_[True, ordered[1:] != ordered[:-1]]
    bucket = np.cumsum(first) - 1
    starts = np.flatnonzero(first)
    position = np.arange(len(order)) - starts[bucket]
    sizes = np.diff(np.r_[starts, len(order)])
    found = []
    for head in range(min(MAX_LINKS, int(sizes.max(initial=1)) - 1)):
        later = np.flatnonzero(position > head)
        found.append(order[starts[bucket[later]] + head].astype(_U64) << _U64(32) | order[later].astype(_U64))
    return sorted_unique(np.concatenate(found)) if found else np.empty(0, dtype=_U64)


#: Rows per banding task: ``(rows, num_perm)`` uint32 in, ``(rows, bands)`` uint64 keys out.
_ROWS_PER_TASK = 16_384


def band_keys(block: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """The ``(bands, n)`` band keys of a block of ``n`` MinHash rows (one unit of work for an engine): per band,
    the polynomial of its ``rows`` values mod 2**64. The block is transposed once, so each key is summed over
    whole columns (a band's few values of each row, read in place, cost ~3x more)."""
    columns = np.ascontiguousarray(np.asarray(block).T)
    keys = np.empty((bands, columns.shape[1]), dtype=_U64)
    scratch = np.empty(columns.shape[1], dtype=_U64)
    for band in range(bands):
        keys[band] = columns[band * rows]
        for k in range(1, rows):
            np.multiply(columns[band * rows + k], _U64(pow(0x9E3779B97F4A7C15, k, 1 << 64)), out=scratch)
            keys[band] += scratch
    return keys


class BandKeys:
    """The band keys of every row of a matrix being signed, computed block by block as its rows come
    (:func:`signature_matrix`'s ``on_rows``: while other processes sign the rest, this process would only wait);
    :func:`lsh_pairs` takes them instead of computing them after. Example: ``keys = BandKeys(n, 0.8, 128)``, then
    ``signature_matrix(..., on_rows=keys.add)`` and ``lsh_pairs(matrix, 0.8, keys=keys)``."""

    def __init__(self, count: int, threshold: float, num_perm: int) -> None:
        self.bands, self.rows = lsh_params(threshold, num_perm)
        self.keys = np.empty((self.bands, count), dtype=_U64)
        self.done = np.zeros(count, dtype=bool)

    def add(self, where: np.ndarray, block: np.ndarray) -> None:
        """Compute the band keys of the MinHash rows ``block``, rows ``where`` of the matrix."""
        if len(where):
            self.keys[:, where] = band_keys(block, self.bands, self.rows)
            self.done[where] = True


def _bucket_pairs_of(band_rows: np.ndarray) -> list[np.ndarray]:
    """``_bucket_pairs`` of each band's keys, one band per row of ``band_rows`` (one unit of work for an engine)."""
    return [_bucket_pairs(np.ascontiguousarray(keys)) for keys in band_rows]


class _RowsOf(Sequence[np.ndarray]):
    """Rows ``index`` of ``table`` as a sequence; a slice is gathered only when asked for (no copy of the whole)."""

    def __init__(self, table: np.ndarray, index: np.ndarray) -> None:
        self.table, self.index = table, index

    def __len__(self) -> int:
        return len(self.index)

    def __getitem__(self, where):  # type: ignore[no-untyped-def]
        return self.table[self.index[where]]


def lsh_pairs(signatures: SignatureMatrix, threshold: float, num_perm: int | None = None, *,
              engine: Engine | None = None, keys: BandKeys | None = None) -> np.ndarray:
    """Row pairs ``(i, j)``, ``i < j``, sharing an LSH band, as an ``(m, 2)`` array sorted by ``(i, j)``.

    Only the first row of each exact-copy group is banded (copies share its edges), and rows
    without a shingle are left out. ``num_perm``, when given, must match the matrix. ``engine``
    runs the two partitioned steps: the band keys of each block of rows, then the buckets of
    each band; the pairs never depend on the engine. ``keys``, when it holds every row's band keys for these bands,
    spares the first step.
    """
    matrix = signatures
    if num_perm is not None and num_perm != matrix.num_perm:
        raise ValueError(f"num_perm {num_perm} does not match the signatures' {matrix.num_perm}.")
    engine = engine or LocalEngine()
    bands, rows = lsh_params(threshold, matrix.num_perm)
    heads = np.flatnonzero((exact_heads(matrix) == np.arange(len(matrix))) & ~matrix.empty)
    if keys is not None and (keys.bands, keys.rows) == (bands, rows) and keys.done.all():
        found_keys = keys.keys[:, heads]
    else:
        found_keys = _keys_of(matrix.hashvalues, heads, bands, rows, engine)
    pairs = np.empty(0, dtype=_U64)
    per_task = max(1, _ROWS_PER_TASK // max(1, len(heads)))  # a few small bands share one task
    for found in engine.map_chunks(_bucket_pairs_of, found_keys, spans_of(bands, per_task)):
        pairs = sorted_unique(np.concatenate([pairs, *found]))
    found = np.stack([heads[(pairs >> _U64(32)).astype(np.int64)], heads[(pairs & _U64(0xFFFFFFFF)).astype(np.int64)]],
                     axis=1)
    return found.reshape(-1, 2)


def _keys_of(hashvalues: np.ndarray, heads: np.ndarray, bands: int, rows: int, engine: Engine) -> np.ndarray:
    """The ``(bands, len(heads))`` band keys of the rows ``heads``, blocks of rows run by ``engine``."""
    keys = np.empty((bands, len(heads)), dtype=_U64)
    blocks = spans_of(len(heads), _ROWS_PER_TASK)
    sketches = engine.map_chunks(partial(band_keys, bands=bands, rows=rows), _RowsOf(hashvalues, heads), blocks)
    for (start, end), block in zip(blocks, sketches, strict=True):  # strict: the engine finishes (and closes)
        keys[:, start:end] = block
    return keys


def plausible(matrix: SignatureMatrix, pairs: np.ndarray, threshold: float) -> np.ndarray:
    """The pairs whose MinHash estimate is within ``ESTIMATE_SIGMAS`` standard errors of the threshold."""
    floor = threshold - ESTIMATE_SIGMAS * math.sqrt(threshold * (1 - threshold) / matrix.num_perm)
    keep = np.zeros(len(pairs), dtype=bool)
    for start in range(0, len(pairs), _PAIRS_PER_BLOCK):
        block = pairs[start : start + _PAIRS_PER_BLOCK]
        same = matrix.hashvalues[block[:, 0]] == matrix.hashvalues[block[:, 1]]
        keep[start : start + len(block)] = same.mean(axis=1) >= floor
    return pairs[keep]


def near_duplicate_edges(signatures: SignatureMatrix, threshold: float, num_perm: int | None = None, *,
                         engine: Engine | None = None, pool: Executor | None = None,
                         meanwhile: Callable[[np.ndarray], object] | None = None,
                         keys: BandKeys | None = None) -> list[Edge]:
    """Verified near-duplicate edges: LSH candidates whose exact Jaccard is >= ``threshold`` (verified in forked
    workers by ``engine``, or in ``pool`` when given, the one that signed; see :mod:`dedupe.verify`).
    ``meanwhile(pairs)`` is handed the candidate row pairs while they are verified (see ``verify.pair_scores``);
    ``keys``, the band keys computed as the rows were signed (see :class:`BandKeys`).

    With a local engine the banding runs in this process: at 100,000 articles it takes ~0.4 CPU s here, against
    ~0.25 s here plus ~0.43 s in two pools of forked workers (each pool forks the whole parent), and was no faster
    in wall time. Any other engine (a Dask cluster) runs it as partitions, as issue #5 and the README promise.
    """
    matrix = signatures
    banding = None if engine is None or isinstance(engine, LocalEngine) else engine
    pairs = plausible(matrix, lsh_pairs(matrix, threshold, num_perm, engine=banding, keys=keys), threshold)
    made: dict[int, Edge] = {}  # by index in pairs, made as each block's scores come (later blocks still verified)

    def make(where: np.ndarray, scores: np.ndarray) -> None:
        kept = scores >= threshold
        for k, (i, j), score in zip(where[kept].tolist(), pairs[where[kept]].tolist(), scores[kept].tolist()):
            a, b = sorted((matrix.ids[i], matrix.ids[j]))
            made[k] = Edge(a, b, "near_duplicate", score)

    pair_scores(matrix, pairs, engine=engine, pool=pool, on_block=make,
                meanwhile=None if meanwhile is None else partial(meanwhile, pairs))
    return [made[k] for k in sorted(made)]
