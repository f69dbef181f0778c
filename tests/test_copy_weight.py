"""Heads weighed by their copy groups' articles in average linkage (``copy_weight``): the weights, the pipeline's
clustering of a star of rewrites around a reprinted wire report, and the setting's validation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import Article, Config
from dedupe.errors import ConfigError
from dedupe.graph import HeadGroups, build_graph, copy_groups, heads_of
from dedupe.linkage import head_weights
from dedupe.pipeline import cluster
from dedupe.types import Edge


def test_head_weights_are_group_sizes_to_the_power() -> None:
    by_head = {"a": frozenset("abcd"), "e": frozenset("e"), "f": frozenset("fg")}
    assert head_weights(by_head, 1.0) == {"a": 4.0, "f": 2.0}
    assert head_weights(by_head, 0.5) == {"a": 2.0, "f": 2.0 ** 0.5}
    assert head_weights(by_head, 0.0) is None  # each head once: the average over head pairs


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(st.lists(st.frozensets(st.sampled_from("abcdefghij"), min_size=1), max_size=6), st.sampled_from([0.5, 1.0]))
def test_head_weights_of_head_groups_equal_those_of_the_dict(sets: list[frozenset[str]], power: float) -> None:
    seen: set[str] = set()
    groups = []
    for found in sets:  # disjoint groups
        if found - seen:
            groups.append(frozenset(found - seen))
            seen |= found
    plain = {min(g): g for g in groups}
    assert head_weights(HeadGroups(heads_of(groups)), power) == head_weights(plain, power)


def _star(reprints: int, rewrites: int) -> tuple[tuple[Article, ...], list[Edge], dict[tuple[str, str], float]]:
    """A wire report ``w00`` reprinted ``reprints`` times (exact copies) and rewrites each scoring 0.9 with it
    alone (their pairs with each other unscored)."""
    copies = [f"w{k:02d}" for k in range(reprints + 1)]
    others = [f"r{k:02d}" for k in range(rewrites)]
    articles = tuple(Article(i, "text " + i) for i in sorted(copies + others))
    edges = [Edge("w00", c, "exact", 1.0) for c in copies[1:]]
    return articles, edges, {("r" + r[1:], "w00"): 0.9 for r in others}


@pytest.mark.parametrize("power, pieces", [(1.0, 1), (0.5, 1), (0.0, 5)])
def test_the_pipeline_keeps_a_star_around_a_reprinted_report_whole(power: float, pieces: int) -> None:
    """Over head pairs (``copy_weight`` 0) the 20 reprints count once and the star comes apart: {w, r, r} then
    each further rewrite's average falls to 0.9 / (1 + 0.3 * 3) < 0.6; over article pairs it stays whole."""
    articles, edges, similarity = _star(20, 6)
    graph = build_graph((a.id for a in articles), edges)
    by_head = {min(group): group for group in copy_groups(graph)}
    clusters = cluster(articles, graph, by_head, similarity, Config(copy_weight=power))
    assert len(clusters) == pieces
    assert sum(len(c.members) for c in clusters) == 27


def test_copy_weight_is_validated() -> None:
    with pytest.raises(ConfigError, match="'copy_weight' must be from 0"):
        Config(copy_weight=1.5)
    with pytest.raises(ConfigError, match="'copy_weight' must be a number"):
        Config.from_dict({"copy_weight": "articles"})
    assert Config.from_dict({"copy_weight": 0}).copy_weight == 0
