"""The copy-detection stage: signatures (the early signers', else a pool's), copy edges, and copy-only clusters."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from functools import partial
from operator import attrgetter
from typing import TYPE_CHECKING

import numpy as np

from .candidates import BandKeys, exact_edges, exact_heads, near_duplicate_edges
from .config import Config
from .earlysign import EarlySigner, Known
from .engine import Engine, LocalEngine, forks, task_pool
from .graph import cluster_id
from .shinglestore import ShingleStore
from .signatures import Contents, SignatureMatrix, signature_matrix, sketcher
from .types import RELATIONS, Article, Cluster, Edge
from .verify import SignerPool, row_components, verifier

if TYPE_CHECKING:
    from .pipeline import Progress, _Timer


def shingle_store(engine: Engine) -> AbstractContextManager[ShingleStore | None]:
    """A :class:`~dedupe.shinglestore.ShingleStore` where the processes that sign keep the shingle hashes for
    verification, when ``engine`` forks workers; else None, as when the temporary files cannot be made
    (verification then shingles the candidates' texts again). One file for each process that can sign at once: the
    early signers (one per core; they live until copy detection ends) and the workers of a pool that signs when
    no signer could be started, and two spare for a worker replaced."""
    if not forks(engine):
        return nullcontext()
    assert isinstance(engine, LocalEngine)
    try:
        return ShingleStore(early_signers(engine) + engine.processes + 2)
    except OSError:
        return nullcontext()


def early_signer(config: Config, engine: Engine,
                 store: ShingleStore | None = None) -> AbstractContextManager[EarlySigner | None]:
    """An :class:`EarlySigner` when ``engine`` forks workers, else None: one signer per core, all but one signing
    while this process reads, all of them signing the rest after; with a ``store``, they keep the shingle hashes
    there and verify the candidates too."""
    if not forks(engine):
        return nullcontext()
    assert isinstance(engine, LocalEngine)
    sketch = sketcher(config.shingle_size, config.num_perm, config.seed, None if store is None else store.key)
    verify = None if store is None else verifier(config.shingle_size, store.key)
    return EarlySigner(sketch, early_signers(engine), engine.processes - 1, verify)


def early_signers(engine: LocalEngine) -> int:
    """How many signer processes are forked before reading: one per core. All cores but the one reading sign while
    the articles are read, and every core signs what is left after."""
    return engine.processes


def copy_edges(ordered: tuple[Article, ...], config: Config, progress: Progress, engine: Engine,
               timer: _Timer, known: Known | None = None, store: ShingleStore | None = None,
               alone: Lone | None = None) -> list[Edge]:
    """Signatures (those ``known`` already, from :func:`early_signer`, not again), then the exact and
    near-duplicate edges; the signatures (~1 KB an article, read by no later stage) are freed on return.

    When the engine forks workers, the early signers (forked before reading, while this process was small) sign
    what reading left and, with a ``store`` (where the texts' shingle hashes are kept as they are signed, and
    read back to verify the candidates instead of hashing their texts again), verify the candidates: no worker
    is forked from the ~1 GB parent, whose every text page a worker touches costs a copy-on-write fault. Without a
    signer or a store, one pool signs what is left and verifies (:func:`~dedupe.engine.task_pool`, sharing the
    articles' contents). ``alone``, when given, is filled while the
    candidates are verified with the clusters of the articles no copy edge can reach (see
    :func:`~dedupe.copystage.lone_clusters`), for :func:`~dedupe.copystage.copy_clusters`.
    """
    signing = known is not None and known.signing()  # asked once: a signer may die meanwhile
    signers = known.signer if signing and store is not None else None
    contents = Contents(ordered)
    with task_pool(engine, contents) if signers is None else SignerPool(signers, contents) as pool:
        banding = pool is not None and "near_duplicate" in config.relations  # band keys computed as rows come
        keys = BandKeys(len(ordered), config.threshold, config.num_perm) if banding else None
        with timer.stage("signatures"):
            sigs = signature_matrix(ordered, config.shingle_size, config.num_perm, config.seed, engine=engine,
                                    progress=lambda done, total: progress("signatures", done, total), known=known,
                                    signing=signing, pool=pool, store=None if store is None else store.key,
                                    on_rows=None if keys is None else keys.add)
        edges: list[Edge] = []
        with timer.stage("exact"):
            if "exact" in config.relations:
                edges.extend(exact_edges(sigs))
        with timer.stage("near_duplicate"):
            if "near_duplicate" in config.relations:
                meanwhile = None if alone is None else partial(lone_clusters, alone, sigs)
                edges.extend(near_duplicate_edges(sigs, config.threshold, engine=engine, pool=pool,
                                                  meanwhile=meanwhile, keys=keys))
    return edges


# Clusters of a run that links copies only: the copy edges' connected components, found without a graph. With no
# same-story links, ``pipeline.cluster`` gives each copy group (a connected component of the exact and
# near-duplicate edges) its own cluster, its representative chosen by the tiebreak alone (no member has a
# same-story score). ``copy_clusters`` makes the same clusters from arrays of row numbers: at 100,000 articles,
# building the networkx graph, its components and each cluster's edges from it took ~1.5 CPU s in the parent.
_STRENGTH = {relation: rank for rank, relation in enumerate(RELATIONS)}
_cluster_id = attrgetter("cluster_id")


def strongest(edges: Sequence[Edge]) -> list[Edge]:
    """Per pair, the edge the graph keeps (:func:`graph.add_edges`): the strongest relation, then the higher score,
    the first given on a tie; in the order the pairs first appear."""
    kept: dict[tuple[str, str], Edge] = {}
    for edge in edges:
        current = kept.get((edge.a, edge.b))
        if current is None or _stronger(edge, current):
            kept[edge.a, edge.b] = edge
    return list(kept.values())


def _stronger(edge: Edge, current: Edge) -> bool:
    """True when ``edge`` replaces ``current`` for their pair."""
    rank, other = _STRENGTH[edge.relation], _STRENGTH[current.relation]
    return rank < other or (rank == other and edge.score > current.score)


class Lone:
    """Clusters of the articles no copy edge can reach, made ahead (:func:`lone_clusters`): their ``rows`` (in the
    pipeline's order), ``clusters`` (sorted by id), each article alone, as :func:`copy_clusters` makes it, and
    ``heads`` (each its own)."""

    def __init__(self) -> None:
        self.rows = np.empty(0, dtype=np.int64)
        self.clusters: list[Cluster] = []
        self.heads: dict[str, str] = {}


def lone_clusters(lone: Lone, matrix: SignatureMatrix, pairs: np.ndarray) -> None:
    """Fill ``lone`` with the rows of ``matrix`` in no candidate pair (``pairs``, row pairs) and in no exact-copy
    group, and their clusters: made while other processes verify the candidates (most articles of a run are
    alone, and this process would only wait)."""
    heads = exact_heads(matrix)
    copies = np.flatnonzero(heads != np.arange(len(heads)))
    free = np.ones(len(matrix), dtype=bool)
    for linked in (np.asarray(pairs, dtype=np.int64).ravel(), copies, heads[copies]):
        free[linked] = False
    lone.rows = np.flatnonzero(free)
    alone = [matrix.ids[row] for row in lone.rows.tolist()]
    lone.heads = dict(zip(alone, alone))
    lone.clusters = sorted((Cluster(cluster_id((one,)), (one,), one) for one in alone), key=_cluster_id)


def copy_clusters(ids: Sequence[str], edges: Sequence[Edge], tiebreak: Callable[[str], tuple],
                  lone: Lone | None = None) -> tuple[list[Cluster], dict[str, str]]:
    """The clusters :func:`pipeline.cluster` makes when ``edges`` are all copy edges, and each article's head.

    ``ids`` must be sorted and distinct (the pipeline's order). Clusters are sorted by id, members sorted,
    each with its internal edges sorted by pair and its representative the smallest member by ``tiebreak``;
    ``heads`` maps every id to its copy group's smallest id. Example: ids ``("a", "b", "c")``, one exact edge
    ``a``-``c`` -> clusters ``(a, c)`` and ``(b,)``, heads ``{"a": "a", "b": "b", "c": "a"}``. ``lone`` holds
    the clusters of articles no edge reaches made ahead (:func:`lone_clusters`), taken as they are.
    """
    kept = strongest(edges)
    row = {article_id: k for k, article_id in enumerate(ids)}
    first = np.array([row[e.a] for e in kept], dtype=np.int64)
    second = np.array([row[e.b] for e in kept], dtype=np.int64)
    label = row_components(len(ids), first, second)
    order = np.argsort(label, kind="stable")  # rows (ids in order) of each component together
    if lone is not None and len(lone.rows):
        made = np.zeros(len(ids), dtype=bool)
        made[lone.rows] = True
        order = order[~made[order]]
    bounds = np.flatnonzero(np.r_[True, label[order][1:] != label[order][:-1], True]) if len(order) else np.zeros(1)
    inside: dict[int, list[Edge]] = {}
    for edge, group in zip(kept, label[first].tolist()):
        inside.setdefault(group, []).append(edge)
    clusters, heads = [], {}
    rows = order.tolist()
    for start, end in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        if end == start + 1:  # most articles: alone, no edge, its own head and representative
            alone = ids[rows[start]]
            heads[alone] = alone
            clusters.append(Cluster(cluster_id((alone,)), (alone,), alone))
            continue
        members = tuple(ids[k] for k in rows[start:end])
        heads.update(dict.fromkeys(members, members[0]))
        found = inside.get(rows[start], [])
        clusters.append(Cluster(cluster_id(members), members, min(members, key=tiebreak),
                                tuple(sorted(found, key=lambda e: (e.a, e.b)))))
    clusters.sort(key=_cluster_id)
    if lone is not None and lone.clusters:
        heads.update(lone.heads)
        clusters = lone.clusters + clusters
        clusters.sort(key=_cluster_id)  # two sorted runs: merged
    return clusters, heads
