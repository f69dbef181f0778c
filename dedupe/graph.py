"""A networkx graph of scored, typed edges: copy groups, starting units, and the clusters a partition makes."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from .types import RELATIONS, Cluster, Edge

if TYPE_CHECKING:  # networkx is imported by the functions that build a graph: a run linking copies only builds none
    import networkx as nx

COPY_RELATIONS = frozenset({"exact", "near_duplicate"})
_STRENGTH = {relation: rank for rank, relation in enumerate(RELATIONS)}


def build_graph(ids: Iterable[str], edges: Iterable[Edge]) -> nx.Graph:
    """Every article as a node; per pair the strongest relation (exact > near_duplicate > same_story)."""
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(ids)
    add_edges(graph, edges)
    return graph


class Adjacency:
    """The adjacency of a graph as :func:`build_graph` makes it (``adj``: each node's neighbours, in the order
    networkx keeps them, with the pair's edge data, one dict for both ends), without networkx: what
    :func:`make_clusters` reads of one cluster's graph. ``add --fast`` merges each grown story again from its
    members and edges, thousands of them for a big story (networkx's bookkeeping was ~0.1 of its ~3.4 s)."""

    def __init__(self, ids: Iterable[str]) -> None:
        self.adj: dict[str, dict[str, dict]] = {node: {} for node in ids}

    def get_edge_data(self, a: str, b: str) -> dict | None:
        """The data of the edge ``a``-``b``, None without one."""
        return self.adj.get(a, {}).get(b)

    def add_edge(self, a: str, b: str, **data: object) -> None:
        """Add the edge ``a``-``b`` (and either node it lacks), or update its data, as ``nx.Graph.add_edge``."""
        for node in (a, b):
            if node not in self.adj:
                self.adj[node] = {}
        found = self.adj[a].get(b, {})
        found.update(data)
        self.adj[a][b] = found
        self.adj[b][a] = found


def add_edges(graph: nx.Graph | Adjacency, edges: Iterable[Edge]) -> None:
    """Add edges to the graph, keeping per pair the strongest relation (then the higher score)."""
    for edge in edges:
        current = graph.get_edge_data(edge.a, edge.b)
        if current is None or _stronger(edge, current):
            graph.add_edge(edge.a, edge.b, relation=edge.relation, score=edge.score)


def _stronger(edge: Edge, current: dict) -> bool:
    """True when ``edge`` should replace the edge data already on the graph."""
    rank, other = _STRENGTH[edge.relation], _STRENGTH[current["relation"]]
    return rank < other or (rank == other and edge.score > current["score"])


def copy_groups(graph: nx.Graph) -> list[frozenset[str]]:
    """Connected components over copy edges (exact, near_duplicate): copies always stay together."""
    import networkx as nx

    copies = nx.Graph()
    copies.add_nodes_from(graph.nodes)
    copies.add_edges_from((a, b) for a, b, d in graph.edges(data=True) if d["relation"] in COPY_RELATIONS)
    return [frozenset(c) for c in nx.connected_components(copies)]


def heads_of(groups: Iterable[frozenset[str]]) -> dict[str, str]:
    """Each article's copy group head (the group's smallest id), groups in the order given.

    Example: ``heads_of([frozenset({"b", "a"})])`` is ``{"a": "a", "b": "a"}`` in some order of the members.
    """
    return {member: head for head, group in ((min(group), group) for group in groups) for member in group}


class HeadGroups(Mapping[str, frozenset[str]]):
    """Each head's copy group, read from ``heads`` (article -> head) without a frozenset held per lone head:
    only groups of two or more are kept; a lone head's ``{head}`` is made on each read (~270 bytes an
    article less than a dict of frozensets; iteration follows ``heads``).

    Example: ``HeadGroups({"a": "a", "b": "a", "c": "c"})["c"]`` is ``frozenset({"c"})``.
    """

    def __init__(self, heads: Mapping[str, str]) -> None:
        self.heads = heads
        members: dict[str, list[str]] = {}
        for member, head in heads.items():
            if member != head:
                members.setdefault(head, [head]).append(member)
        self.groups = {head: frozenset(group) for head, group in members.items()}
        self.count = sum(1 for member, head in heads.items() if member == head)

    def __getitem__(self, head: str) -> frozenset[str]:
        group = self.groups.get(head)
        if group is not None:
            return group
        if self.heads.get(head) == head:
            return frozenset((head,))
        raise KeyError(head)

    def __contains__(self, head: object) -> bool:
        return self.heads.get(head) == head  # type: ignore[call-overload]

    def __iter__(self) -> Iterator[str]:
        return (member for member, head in self.heads.items() if member == head)

    def __len__(self) -> int:
        return self.count


def starting_units(heads: Iterable[str], groups: Sequence[frozenset[str]]) -> list[frozenset[str]]:
    """The starting units of average linkage: each headline community as one unit, every other head alone.

    Example: ``starting_units(["a", "b", "c"], [frozenset({"a", "b"})])`` is ``[{"a", "b"}, {"c"}]``.
    """
    grouped = {member for group in groups for member in group}
    return [*groups, *(frozenset({head}) for head in sorted(heads) if head not in grouped)]


def cluster_id(members: Iterable[str]) -> str:
    """A stable id from the sorted members: same members, same id, whatever the input order."""
    digest = hashlib.sha1("\n".join(sorted(members)).encode("utf-8")).hexdigest()
    return f"c{digest[:15]}"


def make_clusters(
    partition: Iterable[Iterable[str]],
    graph: nx.Graph | Adjacency,
    tiebreak: Callable[[str], tuple],
) -> list[Cluster]:
    """Clusters (sorted by id) from a partition, each with its internal edges and representative.

    The representative is the member with the highest total same-story score inside the
    cluster (the most central rewrite; copy edges do not count, so no copy wins just for
    being the one its group is linked through); ``tiebreak(id)`` orders the rest
    (smaller first: the pipeline uses longest text, then earliest publication, then id).
    """
    result = []
    for part in partition:
        members = tuple(sorted(part))
        edges, centrality = _inside(members, graph)
        representative = min(members, key=lambda m: (-round(centrality[m], 9), tiebreak(m)))
        result.append(Cluster(cluster_id(members), members, representative, edges))
    return sorted(result, key=lambda c: c.cluster_id)


def _inside(members: tuple[str, ...], graph: nx.Graph | Adjacency) -> tuple[tuple[Edge, ...], dict[str, float]]:
    """The edges among ``members`` (sorted) and each member's total same-story score to the others.

    Read straight from the adjacency (a subgraph view costs more than the work for a small cluster); each
    member's scores are added in its adjacency order, as a subgraph view would give them.
    """
    inside = set(members)
    edges: list[Edge] = []
    centrality = dict.fromkeys(members, 0.0)
    for a in members:
        for b, data in graph.adj[a].items():
            if b not in inside:
                continue
            if a < b:
                edges.append(Edge(a, b, data["relation"], data["score"]))
            if data["relation"] not in COPY_RELATIONS:
                centrality[a] += data["score"]
    return tuple(sorted(edges, key=lambda e: (e.a, e.b))), centrality
