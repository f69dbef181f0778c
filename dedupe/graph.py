"""A networkx graph of scored, typed edges, cut into clusters that resist chaining."""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Callable, Iterable, Sequence

import networkx as nx

from .types import RELATIONS, Cluster, Edge

COPY_RELATIONS = frozenset({"exact", "near_duplicate"})
_STRENGTH = {relation: rank for rank, relation in enumerate(RELATIONS)}


def build_graph(ids: Iterable[str], edges: Iterable[Edge]) -> nx.Graph:
    """Every article as a node; per pair the strongest relation (exact > near_duplicate > same_story)."""
    graph = nx.Graph()
    graph.add_nodes_from(ids)
    for edge in edges:
        current = graph.get_edge_data(edge.a, edge.b)
        if current is None or _stronger(edge, current):
            graph.add_edge(edge.a, edge.b, relation=edge.relation, score=edge.score)
    return graph


def _stronger(edge: Edge, current: dict) -> bool:
    """True when ``edge`` should replace the edge data already on the graph."""
    rank, other = _STRENGTH[edge.relation], _STRENGTH[current["relation"]]
    return rank < other or (rank == other and edge.score > current["score"])


def copy_groups(graph: nx.Graph) -> list[frozenset[str]]:
    """Connected components over copy edges (exact, near_duplicate): copies always stay together."""
    copies = nx.Graph()
    copies.add_nodes_from(graph.nodes)
    copies.add_edges_from((a, b) for a, b, d in graph.edges(data=True) if d["relation"] in COPY_RELATIONS)
    return [frozenset(c) for c in nx.connected_components(copies)]


def average_linkage(
    groups: Sequence[frozenset[str]],
    similarity: dict[tuple[str, str], float],
    threshold: float,
) -> list[frozenset[str]]:
    """Merge groups bottom-up while the average pairwise similarity between two stays >= threshold.

    ``similarity`` holds scores of article pairs (either order); a pair it lacks counts
    as 0, so a cluster only grows by joining a group that is close to *all* of it: a
    chain of weak links A-B-C does not pull A and C together. Ties merge in a fixed
    order (by the groups' smallest ids), so the result does not depend on input order.
    """
    clusters: dict[int, frozenset[str]] = dict(enumerate(sorted(groups, key=min)))
    links = _group_links(clusters, similarity)
    heap = [(-_link(total, clusters, i, j), i, j) for i, row in links.items() for j, total in row.items() if i < j]
    heapq.heapify(heap)
    next_id = len(clusters)
    while heap:
        negative, i, j = heapq.heappop(heap)
        if -negative < threshold:
            break
        if i not in clusters or j not in clusters:
            continue
        clusters[next_id] = clusters.pop(i) | clusters.pop(j)
        merged = _merge_rows(links, i, j, next_id)
        for other, total in merged.items():
            heapq.heappush(heap, (-_link(total, clusters, other, next_id), other, next_id))
        next_id += 1
    return list(clusters.values())


def _group_links(
    clusters: dict[int, frozenset[str]], similarity: dict[tuple[str, str], float]
) -> dict[int, dict[int, float]]:
    """For each pair of groups with any scored pair between them, the sum of those scores."""
    owner = {member: index for index, group in clusters.items() for member in group}
    links: dict[int, dict[int, float]] = {index: {} for index in clusters}
    for (a, b), score in similarity.items():
        i, j = owner.get(a), owner.get(b)
        if i is not None and j is not None and i != j:
            links[i][j] = links[i].get(j, 0.0) + score
            links[j][i] = links[j].get(i, 0.0) + score
    return links


def _merge_rows(links: dict[int, dict[int, float]], i: int, j: int, new: int) -> dict[int, float]:
    """Fold the link rows of groups i and j into a new row ``new``; return that row."""
    row: dict[int, float] = {}
    for old in (i, j):
        for other, total in links.pop(old).items():
            links[other].pop(old, None)
            if other not in (i, j):
                row[other] = row.get(other, 0.0) + total
    links[new] = row
    for other, total in row.items():
        links[other][new] = total
    return row


def _link(total: float, clusters: dict[int, frozenset[str]], i: int, j: int) -> float:
    """Average linkage: the sum of pair scores over the number of pairs."""
    return round(total / (len(clusters[i]) * len(clusters[j])), 9)


def cluster_id(members: Iterable[str]) -> str:
    """A stable id from the sorted members: same members, same id, whatever the input order."""
    digest = hashlib.sha1("\n".join(sorted(members)).encode("utf-8")).hexdigest()
    return f"c{digest[:15]}"


def make_clusters(
    partition: Iterable[Iterable[str]],
    graph: nx.Graph,
    tiebreak: Callable[[str], tuple],
) -> list[Cluster]:
    """Clusters (sorted by id) from a partition, each with its internal edges and representative.

    The representative is the member with the highest total edge score inside the
    cluster (the most central); ``tiebreak(id)`` orders the rest (smaller first).
    """
    result = []
    for part in partition:
        members = tuple(sorted(part))
        sub = graph.subgraph(members)
        edges = tuple(sorted(
            (Edge(*sorted((a, b)), d["relation"], d["score"]) for a, b, d in sub.edges(data=True)),
            key=lambda e: (e.a, e.b),
        ))
        centrality = {m: sum(d["score"] for _, _, d in sub.edges(m, data=True)) for m in members}
        representative = min(members, key=lambda m: (-round(centrality[m], 9), tiebreak(m)))
        result.append(Cluster(cluster_id(members), members, representative, edges))
    return sorted(result, key=lambda c: c.cluster_id)
