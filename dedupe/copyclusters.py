"""Clusters of a run that links copies only: the copy edges' connected components, found without a graph.

With no same-story links, :func:`pipeline.cluster` gives each copy group (a connected component of the exact and
near-duplicate edges) its own cluster, its representative chosen by the tiebreak alone (no member has a same-story
score). :func:`copy_clusters` makes the same clusters from arrays of row numbers: at 100,000 articles, building the
networkx graph, its components and each cluster's edges from it took ~1.5 CPU s, all in the parent process.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter

import numpy as np

from .candidates import exact_heads
from .graph import cluster_id
from .signatures import SignatureMatrix
from .types import RELATIONS, Cluster, Edge
from .verify import row_components

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
