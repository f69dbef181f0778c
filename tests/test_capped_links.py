"""Counts of the pairs the candidate cap left out, between groups that merge: against a double loop."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import cappedlinks
from dedupe.cappedlinks import CappedLinks, adjacency, spooled
from dedupe.pairtable import stable_order, table_of

IDS = [f"a{i:02d}" for i in range(10)]


def brute_counts(pairs: set[tuple[str, str]], groups: dict[int, frozenset[str]], group: int) -> dict[int, int]:
    """For each other group with pairs of ``pairs`` to ``group``: how many (a double loop)."""
    found = {}
    for other, members in groups.items():
        count = sum((min(x, y), max(x, y)) in pairs for x in groups[group] for y in members)
        if other != group and count:
            found[other] = count
    return found


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(st.sets(st.tuples(st.sampled_from(IDS), st.sampled_from(IDS)).filter(lambda p: p[0] < p[1]), min_size=1,
               max_size=30), st.randoms(use_true_random=False))
def test_counts_follow_merges(pairs: set[tuple[str, str]], rng: random.Random) -> None:
    members = IDS[:8] + ["z99"]  # z99 is in no pair; a08 and a09 are in no group
    groups = dict(enumerate(frozenset({m}) for m in members))
    counter = CappedLinks(table_of(sorted(pairs)), groups)
    first, second = (list(column) for column in zip(*itertools.combinations(range(len(members)), 2)))
    starting = counter.starting(np.array(first), np.array(second)).tolist()
    assert starting == [brute_counts(pairs, groups, a).get(b, 0) for a, b in zip(first, second)]
    while len(groups) > 1:
        i, j = rng.sample(sorted(groups), 2)
        kept = rng.choice((i, j))  # the merged group keeps one of the two numbers
        groups[kept] = groups.pop(i) | groups.pop(j)
        counter.merge(i, j, kept)
        assert counter.counts(kept) == brute_counts(pairs, groups, kept)
        among = rng.sample(sorted(set(groups) - {kept}), len(groups) // 2)
        assert counter.counts(kept, among) == {g: n for g, n in brute_counts(pairs, groups, kept).items() if g in among}


def test_counts_of_a_star() -> None:
    groups = {0: frozenset({"a", "b"}), 1: frozenset({"c"}), 2: frozenset({"d"})}
    counter = CappedLinks(table_of([("a", "c"), ("b", "c"), ("c", "d")]), groups)
    assert counter.counts(0) == {1: 2} and counter.counts(1) == {0: 2, 2: 1}


@settings(max_examples=60, deadline=None)
@given(st.sets(st.tuples(st.sampled_from(IDS), st.sampled_from(IDS)).filter(lambda p: p[0] < p[1]), min_size=1,
               max_size=30), st.lists(st.integers(0, 3), min_size=len(IDS), max_size=len(IDS)), st.integers(1, 7))
def test_starting_counts_in_passes_match_a_double_loop(pairs, labels, per_pass) -> None:
    from dedupe import cappedlinks

    grouped: dict[int, set[str]] = {}
    for article, label in zip(IDS, labels):
        grouped.setdefault(label, set()).add(article)
    groups = {index: frozenset(members) for index, members in enumerate(grouped.values())}
    saved = cappedlinks.PAIRS_PER_PASS
    cappedlinks.PAIRS_PER_PASS = per_pass  # several passes, a group pair's pairs spread over them
    try:
        counter = CappedLinks(table_of(sorted(pairs)), groups)
    finally:
        cappedlinks.PAIRS_PER_PASS = saved
    combos = list(itertools.combinations(sorted(groups), 2))
    if not combos:
        return
    first, second = (np.array(column) for column in zip(*combos))
    starting = counter.starting(first, second).tolist()
    assert starting == [brute_counts(pairs, groups, a).get(b, 0) for a, b in combos]


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(st.sets(st.tuples(st.sampled_from(IDS), st.sampled_from(IDS)).filter(lambda p: p[0] < p[1]), max_size=30),
       st.integers(1, 7))
def test_the_adjacency_made_in_passes_lists_each_rows_neighbours_in_table_order(pairs, per_pass) -> None:
    table = table_of(sorted(pairs) or [("a00", "a01")])
    cappedlinks.PAIRS_PER_PASS, before = per_pass, cappedlinks.PAIRS_PER_PASS
    try:
        bounds, neighbours = adjacency(table)
    finally:
        cappedlinks.PAIRS_PER_PASS = before
    rows = list(zip(table.left.tolist(), table.right.tolist()))
    for row in range(len(table.ids)):
        expected = [b for a, b in rows if a == row] + [a for a, b in rows if b == row]
        assert neighbours[bounds[row] : bounds[row + 1]].tolist() == expected
    assert bounds[-1] == 2 * len(table) and neighbours.dtype == table.right.dtype


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), max_size=40), st.integers(1, 7))
def test_the_adjacency_of_pairs_in_any_order_lists_each_rows_neighbours_in_spool_order(pairs, per_pass) -> None:
    spool = spooled(
        IDS, [(np.array([a for a, _ in pairs], dtype=np.int32), np.array([b for _, b in pairs], dtype=np.int32))]
    )
    cappedlinks.PAIRS_PER_PASS, before = per_pass, cappedlinks.PAIRS_PER_PASS
    try:
        bounds, neighbours = adjacency(spool)
    finally:
        cappedlinks.PAIRS_PER_PASS = before
    for row in range(len(IDS)):
        expected = [b for a, b in pairs if a == row] + [a for a, b in pairs if b == row]
        assert neighbours[bounds[row] : bounds[row + 1]].tolist() == expected


@pytest.mark.parametrize("bound", [1, 10, 1 << 40, 1 << 62])
def test_stable_order_is_the_stable_argsort(bound: int) -> None:
    rng = np.random.default_rng(bound % 1000)
    for size in (0, 1, 2, 7, 1000):
        for keys in (rng.integers(0, min(bound, 5), size), rng.integers(0, bound, size), np.arange(size) % bound):
            assert stable_order(keys, bound).tolist() == np.argsort(keys, kind="stable").tolist()


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(st.sets(st.tuples(st.sampled_from(IDS), st.sampled_from(IDS)).filter(lambda p: p[0] < p[1]), min_size=1,
               max_size=30), st.lists(st.integers(0, 80), max_size=20))
def test_starting_counts_limited_to_linked_groups_answer_those_alike(pairs, linked) -> None:
    groups = dict(enumerate(frozenset({m}) for m in IDS))
    wanted = np.unique(np.array(linked, dtype=np.int64))
    full, limited = CappedLinks(table_of(sorted(pairs)), groups), CappedLinks(table_of(sorted(pairs)), groups, wanted)
    first, second = wanted // len(groups), wanted % len(groups)
    ordered = first < second
    first, second = first[ordered], second[ordered]
    assert limited.starting(first, second).tolist() == full.starting(first, second).tolist()
    assert len(limited.keys) <= len(wanted)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.tuples(st.sampled_from(IDS), st.sampled_from(IDS)).filter(lambda p: p[0] < p[1]),
                       st.sampled_from([0.2, 0.5, 0.62, 0.8, 1.0]), min_size=1, max_size=30),
       st.sets(st.tuples(st.sampled_from(IDS), st.sampled_from(IDS)).filter(lambda p: p[0] < p[1]), min_size=1,
               max_size=30), st.integers(0, 4))
def test_both_linkage_passes_on_one_shared_adjacency_cluster_as_on_their_own(similarity, capped, capped_size) -> None:
    from dedupe.config import Config
    from dedupe.linkage import average_linkage, joined_pieces

    table = table_of(sorted(capped - set(similarity)) or [("a00", "a01")])
    config = Config(capped_size=capped_size, piece_support=0.5)
    units = [frozenset({i}) for i in IDS]
    shared = adjacency(table)
    for given_adjacency in (None, shared):
        first = average_linkage(units, similarity, 0.55, 0.3, table, 0.05, capped_size,
                                capped_adjacency=given_adjacency)
        second = joined_pieces(first, similarity, config, table, given_adjacency)
        if given_adjacency is None:
            want = (sorted(map(sorted, first)), sorted(map(sorted, second)))
    assert (sorted(map(sorted, first)), sorted(map(sorted, second))) == want
