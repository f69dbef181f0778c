"""Candidate pairs as index arrays: blocking, neighbour ranks, pair mappings and average linkage over them."""

from __future__ import annotations

import itertools
from collections import defaultdict

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import blocking, linkage, pairtable
from dedupe.blocking import blocked_table
from dedupe.cappedlinks import CappedLinks
from dedupe.linkage import average_linkage
from dedupe.match import neighbour_ranks
from dedupe.pairtable import (
    PairTable,
    PairValues,
    rounded_keys,
    table_of,
)

IDS = [f"a{i:02d}" for i in range(12)]


def brute_pairs(keys: dict[str, list[str]], max_block: int) -> list[tuple[str, str]]:
    """Every pair sharing a key held by 2..max_block articles, by a double loop."""
    holders = defaultdict(set)
    for article_id, article_keys in keys.items():
        for key in article_keys:
            holders[key].add(article_id)
    return sorted({(a, b) for members in holders.values() if len(members) <= max_block
                   for a, b in itertools.combinations(sorted(members), 2)})


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(IDS), st.lists(st.sampled_from("pqrstu"), max_size=3, unique=True), min_size=1),
       st.integers(2, 6), st.sampled_from([1, 5, 1 << 24]))
def test_blocked_table_finds_the_pairs_a_double_loop_finds(keys: dict[str, list[str]], max_block: int,
                                                           per_pass: int) -> None:
    ids = sorted(keys)
    blocking.CODES_PER_PASS, before = per_pass, blocking.CODES_PER_PASS  # 1 and 5: many passes over first articles
    try:
        table = blocked_table(ids, [keys[i] for i in ids], max_block)
    finally:
        blocking.CODES_PER_PASS = before
    assert table.pairs() == brute_pairs(keys, max_block)
    assert table.left.dtype == np.int32 and bool(np.all(table.left < table.right))


def brute_ranks(pairs: list[tuple[str, str]], words: list[float | None]) -> dict[tuple[str, str], int]:
    """The rank rule written out: each article's candidates sorted by rounded cosine, then id."""
    rows = defaultdict(list)
    for (a, b), word in zip(pairs, words):
        rows[a].append((-round(word or 0.0, 9), b))
        rows[b].append((-round(word or 0.0, 9), a))
    rank = {(a, other): r for a, row in rows.items() for r, (_, other) in enumerate(sorted(row), 1)}
    return {(a, b): max(rank[(a, b)], rank[(b, a)]) for a, b in pairs}


@settings(max_examples=80, deadline=None)
@given(st.sets(st.tuples(st.sampled_from(IDS), st.sampled_from(IDS)).filter(lambda p: p[0] < p[1]), min_size=1),
       st.data(), st.sampled_from([1, 3, 7, 1 << 21]))
def test_table_ranks_follow_the_rank_rule(pair_set: set[tuple[str, str]], data: st.DataObject, per_block: int) -> None:
    pairs = sorted(pair_set)
    words = data.draw(st.lists(st.one_of(st.none(), st.sampled_from([0.0, 0.1, 0.3, 0.3000000001, 0.7])),
                               min_size=len(pairs), max_size=len(pairs)))
    before = pairtable.RANK_ROWS_PER_BLOCK, pairtable.ROWS_PER_STEP
    pairtable.RANK_ROWS_PER_BLOCK = pairtable.ROWS_PER_STEP = per_block  # small: many blocks and key steps
    try:
        assert neighbour_ranks({}, pairs, words) == brute_ranks(pairs, words)
    finally:
        pairtable.RANK_ROWS_PER_BLOCK, pairtable.ROWS_PER_STEP = before


#: Halves of the ninth decimal and their float neighbours: where rounding in float goes wrong.
_NEAR_HALVES = st.integers(0, 10**9).map(lambda n: (n + 0.5) / 1e9).flatmap(
    lambda v: st.sampled_from([v, float(np.nextafter(v, 0)), float(np.nextafter(v, 1))]))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.floats(-1.0, 1.0), _NEAR_HALVES), max_size=30))
def test_rounded_keys_order_and_tie_as_round(values) -> None:
    keys = rounded_keys(np.array(values, dtype=np.float64), 9).tolist()
    assert keys == [round(round(v, 9) * 1e9) for v in values]  # round(v, 9) is the nearest float to key / 1e9


def test_pair_values_is_a_read_only_mapping() -> None:
    table = table_of([("b", "c"), ("a", "c"), ("a", "b")])
    assert table.pairs() == [("a", "b"), ("a", "c"), ("b", "c")]
    values = PairValues(table, np.array([0.5, 0.25, 1.0]))
    assert values[("a", "c")] == 0.25 and values.get(("c", "a")) is None and len(values) == 3
    assert dict(values) == {("a", "b"): 0.5, ("a", "c"): 0.25, ("b", "c"): 1.0}
    with pytest.raises(KeyError):
        values[("a", "z")]
    assert PairTable(("a",), np.zeros(0, np.int32), np.zeros(0, np.int32)).row("a", "a") is None


def naive_linkage(groups: list[frozenset[str]], similarity: dict[tuple[str, str], float], threshold: float,
                  weight: float) -> list[frozenset[str]]:
    """Average linkage without heap or pruning: merge the best linked pair (ties: smallest ids) while >= threshold."""
    clusters = dict(enumerate(sorted(groups, key=min)))
    while True:
        best = None
        for i, j in itertools.combinations(sorted(clusters), 2):
            scores = [s for (a, b), s in similarity.items()
                      if (a in clusters[i] and b in clusters[j]) or (a in clusters[j] and b in clusters[i])]
            if scores:
                pairs = len(clusters[i]) * len(clusters[j])
                value = round(sum(scores) / (len(scores) + weight * (pairs - len(scores))), 9)
                if best is None or (-value, i, j) < best:
                    best = (-value, i, j)
        if best is None or -best[0] < threshold:
            return list(clusters.values())
        _, i, j = best
        merged = max(clusters) + 1  # taken before the pops: the last two clusters may be merging
        clusters[merged] = clusters.pop(i) | clusters.pop(j)


@settings(max_examples=80, deadline=None)
@given(st.dictionaries(st.tuples(st.sampled_from(IDS[:8]), st.sampled_from(IDS[:8])).filter(lambda p: p[0] < p[1]),
                       st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]), max_size=20),
       st.sampled_from([0.5, 0.75]), st.sampled_from([0.0, 0.5, 1.0]))
def test_average_linkage_over_arrays_matches_the_naive_merge(similarity: dict[tuple[str, str], float],
                                                             threshold: float, weight: float) -> None:
    groups = [frozenset({"a00", "a01"}), *(frozenset({i}) for i in IDS[2:8])]
    table = table_of(similarity)
    arrays = PairValues(table, np.array([similarity[p] for p in table.pairs()]))
    want = sorted(map(sorted, naive_linkage(groups, similarity, threshold, weight)))
    assert sorted(map(sorted, average_linkage(groups, similarity, threshold, weight))) == want
    assert sorted(map(sorted, average_linkage(groups, arrays, threshold, weight))) == want


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.tuples(st.sampled_from(IDS), st.sampled_from(IDS)).filter(lambda p: p[0] < p[1]),
                       st.floats(0.0, 1.0), max_size=40),
       st.sampled_from([1, 2, 5]))
def test_group_links_in_blocks_equal_those_of_one_sort(similarity: dict[tuple[str, str], float],
                                                        per_block: int) -> None:
    clusters = dict(enumerate([frozenset({"a00", "a01", "a02"}), frozenset({"a03", "a04"}),
                               *(frozenset({i}) for i in IDS[5:])]))
    table = table_of(similarity)
    arrays = PairValues(table, np.array([similarity[p] for p in table.pairs()]))
    whole = linkage._group_links(clusters, arrays, 0.0, 0.5)  # threshold 0: every link kept
    linkage.LINK_ROWS_PER_BLOCK, before = per_block, linkage.LINK_ROWS_PER_BLOCK  # many ranges of groups
    try:
        assert linkage._group_links(clusters, arrays, 0.0, 0.5) == whole
    finally:
        linkage.LINK_ROWS_PER_BLOCK = before


def _links_of_all_sums(clusters: dict[int, frozenset[str]], similarity: PairValues, threshold: float,
                       weight: float, capped: frozenset[tuple[str, str]] = frozenset(),
                       capped_weight: float = 0.0) -> dict[int, dict[int, linkage.Link]]:
    """The starting links as one pass gives them: every group pair summed (the ``capped`` pairs between them
    counted by a double loop), then those between groups with a strong enough link kept (the reference for the
    two-pass ``_group_links``)."""
    owner = np.full(len(similarity.table.ids), -1, dtype=np.int32)
    row_of = {article_id: row for row, article_id in enumerate(similarity.table.ids)}
    for index, group in clusters.items():
        owner[[row_of[m] for m in group if m in row_of]] = index
    i, j, totals, masses, counts = linkage._group_sums(similarity.table, similarity.values, owner, len(clusters))
    assert (masses == counts).all()  # without weights, the pairs' weight is their count
    cut = np.array([sum((x, y) in capped or (y, x) in capped for x in clusters[a] for y in clusters[b])
                    for a, b in zip(i.tolist(), j.tolist())], dtype=np.int64)
    sizes = np.array([len(clusters[k]) for k in range(len(clusters))], dtype=np.float64)
    strong = (linkage.average_link(totals, counts, sizes[i] * sizes[j], weight, cut, capped_weight)
              >= threshold - linkage.ACTIVE_MARGIN)
    active = set(i[strong].tolist()) | set(j[strong].tolist())
    links: dict[int, dict[int, linkage.Link]] = {k: {} for k in sorted(active)}
    for a, b, total, count, left_out in zip(i.tolist(), j.tolist(), totals.tolist(), counts.tolist(), cut.tolist()):
        if a in active and b in active:
            links[a][b] = links[b][a] = [total, count, count, left_out]
    return links


@settings(max_examples=80, deadline=None)
@given(st.dictionaries(st.tuples(st.sampled_from(IDS), st.sampled_from(IDS)).filter(lambda p: p[0] < p[1]),
                       st.sampled_from([0.1, 0.3, 0.55, 0.6, 0.7, 0.9, 1.0]), max_size=40),
       st.sampled_from([0.3, 0.6]), st.sampled_from([0.0, 0.5, 1.0]), st.sampled_from([1, 3, 1 << 22]))
def test_group_links_of_active_groups_equal_those_of_all_sums(similarity: dict[tuple[str, str], float],
                                                              threshold: float, weight: float,
                                                              per_block: int) -> None:
    clusters = dict(enumerate([frozenset({"a00", "a01", "a02"}), frozenset({"a03", "a04"}),
                               *(frozenset({i}) for i in IDS[5:])]))
    table = table_of(similarity)
    arrays = PairValues(table, np.array([similarity[p] for p in table.pairs()]))
    want = _links_of_all_sums(clusters, arrays, threshold, weight)
    linkage.LINK_ROWS_PER_BLOCK, before = per_block, linkage.LINK_ROWS_PER_BLOCK
    try:
        assert linkage._group_links(clusters, arrays, threshold, weight)[0] == want
    finally:
        linkage.LINK_ROWS_PER_BLOCK = before


@settings(max_examples=80, deadline=None)
@given(st.dictionaries(st.tuples(st.sampled_from(IDS), st.sampled_from(IDS)).filter(lambda p: p[0] < p[1]),
                       st.sampled_from([0.1, 0.3, 0.55, 0.6, 0.7, 0.9, 1.0]), max_size=40),
       st.sets(st.tuples(st.sampled_from(IDS), st.sampled_from(IDS)).filter(lambda p: p[0] < p[1]), max_size=40),
       st.sampled_from([0.3, 0.6]), st.sampled_from([0.0, 0.05, 0.3]), st.sampled_from([1, 3, 1 << 22]))
def test_group_links_with_capped_pairs_equal_those_of_all_sums(similarity: dict[tuple[str, str], float],
                                                               capped: set[tuple[str, str]], threshold: float,
                                                               capped_weight: float, per_block: int) -> None:
    clusters = dict(enumerate([frozenset({"a00", "a01", "a02"}), frozenset({"a03", "a04"}),
                               *(frozenset({i}) for i in IDS[5:])]))
    capped = frozenset(capped - set(similarity))
    table = table_of(similarity)
    arrays = PairValues(table, np.array([similarity[p] for p in table.pairs()]))
    counter = CappedLinks(table_of(sorted(capped)), clusters) if capped else None
    want = _links_of_all_sums(clusters, arrays, threshold, 0.3, capped, capped_weight)
    linkage.LINK_ROWS_PER_BLOCK, before = per_block, linkage.LINK_ROWS_PER_BLOCK
    try:
        assert linkage._group_links(clusters, arrays, threshold, 0.3, counter, capped_weight)[0] == want
    finally:
        linkage.LINK_ROWS_PER_BLOCK = before
