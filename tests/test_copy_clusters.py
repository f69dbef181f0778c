"""Copy-only clusters without a graph (copystage.copy_clusters) against the networkx path (pipeline.cluster)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import Article, Config
from dedupe.copystage import Lone, copy_clusters, lone_clusters, strongest
from dedupe.graph import build_graph, copy_groups
from dedupe.pipeline import _tiebreak, cluster
from dedupe.signatures import SignatureMatrix
from dedupe.types import Edge
from dedupe.verify import row_components

_EDGES = st.lists(st.tuples(st.integers(0, 29), st.integers(0, 29), st.sampled_from(["exact", "near_duplicate"]),
                            st.sampled_from([0.8, 0.85, 0.9, 1.0])), max_size=40)


def _articles(count: int, lengths: list[int]) -> tuple[Article, ...]:
    """``count`` articles sorted by id, texts of a few lengths (ties in the tiebreak's first key), some dated."""
    return tuple(Article(f"a{k:02d}", "x" * lengths[k % len(lengths)], published="2024-01-0" + str(k % 3 + 1)
                         if k % 4 else None) for k in range(count))


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(count=st.integers(1, 30), found=_EDGES, lengths=st.lists(st.integers(1, 4), min_size=1, max_size=3))
def test_copy_clusters_equal_the_graph_clusters(count: int, found: list, lengths: list[int]) -> None:
    """Any copy edges (repeated pairs, both relations on one pair): the same clusters, edges, representatives
    and heads as building the graph and clustering it."""
    articles = _articles(count, lengths)
    ids = [a.id for a in articles]
    edges = [Edge(*sorted((ids[i], ids[j])), relation, score) for i, j, relation, score in found
             if i < count and j < count and i != j]
    graph = build_graph(ids, edges)
    by_head = {min(group): group for group in copy_groups(graph)}
    expected = cluster(articles, graph, by_head, {}, Config(relations=("exact", "near_duplicate")))
    clusters, heads = copy_clusters(ids, edges, _tiebreak(articles))
    assert clusters == expected
    assert heads == {m: head for head, group in by_head.items() for m in group}


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(count=st.integers(1, 30), keys=st.lists(st.integers(0, 40), min_size=30, max_size=30),
       candidates=st.lists(st.tuples(st.integers(0, 29), st.integers(0, 29), st.booleans()), max_size=30))
def test_clusters_made_ahead_for_articles_alone_change_nothing(count: int, keys: list[int],
                                                               candidates: list[tuple[int, int, bool]]) -> None:
    """Exact groups (rows of one key, each linked to the group's first) and near-duplicate edges among some of the
    candidate pairs: the lone clusters made ahead from the candidates give the same clusters and heads."""
    articles = _articles(count, [1, 2])
    ids = [a.id for a in articles]
    first = {}
    edges = [Edge(ids[first.setdefault(keys[k], k)], ids[k], "exact", 1.0) for k in range(count)
             if first.setdefault(keys[k], k) != k]
    pairs = np.array([(i, j) for i, j, _ in candidates if i < j < count], dtype=np.int64).reshape(-1, 2)
    edges += [Edge(ids[i], ids[j], "near_duplicate", 0.9) for i, j, kept in candidates if i < j < count and kept]
    exact = np.array([[key, 0] for key in keys[:count]], dtype=np.uint64)
    matrix = SignatureMatrix(tuple(ids), ids, exact, np.zeros((count, 4), np.uint32), np.zeros(count, bool), 5, 1)
    lone = Lone()
    lone_clusters(lone, matrix, pairs)
    assert copy_clusters(ids, edges, _tiebreak(articles), lone) == copy_clusters(ids, edges, _tiebreak(articles))
    assert all(len(c.members) == 1 for c in lone.clusters)


def test_strongest_keeps_the_first_of_equals() -> None:
    """Per pair: exact over near_duplicate, then the higher score; of two equal edges the first."""
    first, same = Edge("a", "b", "near_duplicate", 0.9), Edge("a", "b", "near_duplicate", 0.9)
    kept = strongest([first, same, Edge("a", "c", "near_duplicate", 0.8), Edge("a", "c", "exact", 1.0)])
    assert kept[0] is first
    assert kept[1] == Edge("a", "c", "exact", 1.0)


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(pairs=st.lists(st.tuples(st.integers(0, 49), st.integers(0, 49)), max_size=60))
def test_row_components_are_the_components_smallest_rows(pairs: list[tuple[int, int]]) -> None:
    """Against a slow, obvious union of sets: each row labelled with its component's smallest row."""
    groups = [{k} for k in range(50)]
    for i, j in pairs:
        if groups[i] is not groups[j]:
            merged = groups[i] | groups[j]
            for k in merged:
                groups[k] = merged
    first = np.array([i for i, _ in pairs], dtype=np.int64)
    second = np.array([j for _, j in pairs], dtype=np.int64)
    assert row_components(50, first, second).tolist() == [min(group) for group in groups]


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(st.lists(st.integers(0, 5), min_size=1, max_size=12), st.sampled_from(["lose", "double", "extra", "none"]))
def test_check_partition_refuses_a_lost_doubled_or_unknown_member(labels: list[int], fault: str) -> None:
    import pytest

    from dedupe.errors import AccountingError
    from dedupe.pipeline import check_partition
    from dedupe.types import Cluster

    articles = _articles(len(labels), [3])
    groups: dict[int, list[str]] = {}
    for article, label in zip(articles, labels):
        groups.setdefault(label, []).append(article.id)
    parts = list(groups.values())
    if fault == "lose":
        parts[0] = parts[0][1:]
    elif fault == "double":
        parts.append(parts[0][:1])
    elif fault == "extra":
        parts[-1] = [*parts[-1], "stranger"]
    clusters = [Cluster(f"c{k}", tuple(part), part[0]) for k, part in enumerate(parts) if part]
    if fault == "none":
        check_partition(articles, clusters)
    else:  # the same number of members as ids can still be wrong: one lost and one doubled, say
        with pytest.raises(AccountingError):
            check_partition(articles, clusters)
    if len(articles) > 1:  # one lost and another doubled: the count is right, the members are not
        swapped = [Cluster("c", tuple(a.id for a in articles[1:]) + (articles[1].id,), articles[1].id)]
        with pytest.raises(AccountingError):
            check_partition(articles, swapped)
