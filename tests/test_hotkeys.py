"""Keys held by more than ``max_block`` articles: bounded ring pairs, order-free, and their evidence in the cap."""

from __future__ import annotations

import itertools
import math
from collections import defaultdict

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from test_pieces import clusters_of, stories, together

from dedupe import Config, capping
from dedupe.capping import capped_tables, ring_table
from dedupe.hotkeys import hot_groups, ring_pairs

#: Each article's keys: few letters, so some are held by more than a small ``max_block``.
_KEYS = st.lists(st.lists(st.sampled_from("pqrstuv"), max_size=4, unique=True), min_size=1, max_size=30)


def _codes(keys: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    positions = [row for row, row_keys in enumerate(keys) for _ in row_keys]
    return np.array(positions, dtype=np.int64), np.array([ord(k) for row in keys for k in row], dtype=np.int64)


def _holders(keys: list[list[str]]) -> dict[str, set[int]]:
    found = defaultdict(set)
    for row, row_keys in enumerate(keys):
        for key in row_keys:
            found[key].add(row)
    return found


def _ring(keys: list[list[str]], max_block: int, links: int, positions=None, codes=None) -> list[tuple[int, int]]:
    if positions is None:
        positions, codes = _codes(keys)
    pairs = ring_table(positions, codes, [f"a{i:03d}" for i in range(len(keys))], max_block, links)
    return list(zip(pairs.left.tolist(), pairs.right.tolist()))


@settings(max_examples=80, deadline=None)
@given(_KEYS, st.integers(2, 6), st.integers(1, 4))
def test_a_key_of_many_holders_pairs_each_with_a_few_of_them(keys, max_block, links) -> None:
    holders = _holders(keys)
    hot = {key: rows for key, rows in holders.items() if len(rows) > max_block}
    pairs = _ring(keys, max_block, links)
    assert pairs == sorted(set(pairs)) and all(a < b for a, b in pairs)  # each pair once, smaller first
    assert all(any({a, b} <= rows for rows in hot.values()) for a, b in pairs)  # only holders of one hot key
    assert len(pairs) <= sum(len(rows) * links for rows in hot.values())  # n * links, not n^2 / 2
    degree = defaultdict(set)
    for a, b in pairs:
        degree[a].add(b)
        degree[b].add(a)
    for rows in hot.values():  # around the ring, each holder meets the next and the previous ``links``
        assert all(len(degree[row] & rows) >= min(2 * links, len(rows) - 1) for row in rows)


@settings(max_examples=50, deadline=None)
@given(_KEYS, st.integers(2, 5), st.integers(1, 3), st.randoms(use_true_random=False))
def test_ring_pairs_do_not_depend_on_the_order_or_numbering_of_keys(keys, max_block, links, random) -> None:
    positions, codes = _codes(keys)
    order = list(range(len(positions)))
    random.shuffle(order)
    letters = list("pqrstuv")
    random.shuffle(letters)
    renumbered = np.array([100 + letters.index(chr(code)) for code in codes.tolist()], dtype=np.int64)
    assert _ring(keys, max_block, links, positions[order], renumbered[order]) == _ring(keys, max_block, links)


def test_a_ring_is_the_hashed_order_closed() -> None:
    members, sizes = np.array([3, 0, 2, 1]), np.array([4])
    left, right = ring_pairs(members, sizes, 1)
    assert list(zip(left.tolist(), right.tolist())) == [(0, 2), (0, 3), (1, 2), (1, 3)]
    left, right = ring_pairs(members, sizes, 3)  # a ring of 4 meets everyone with 2 steps
    assert len(left) == 6
    index = np.array([0] * 5 + [1] * 2)
    found, runs, keys = hot_groups(np.array([0, 1, 2, 3, 4, 0, 1]), index, np.bincount(index), 3)
    assert (
        sorted(found.tolist()) == [0, 1, 2, 3, 4] and runs.tolist() == [5] and keys.tolist() == [0]
    )  # the key of 2 holders is not hot


def brute_hot_capped(keys: list[list[str]], max_block: int, count: int,
                     ring: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The rule written out: candidates share a key held by 2 to ``max_block`` or are ``ring`` pairs; evidence
    sums ``1 / log(holders)`` over every key both hold (any number of holders from 2); each article's candidates
    sorted by (-evidence, other), a pair kept when among either side's first ``count``; the rest left out."""
    holders = _holders(keys)
    weight = {key: 1 / math.log(len(rows)) for key, rows in holders.items() if len(rows) >= 2}
    candidates = set(ring) | {(a, b) for a, b in itertools.combinations(range(len(keys)), 2)
                              if any(2 <= len(holders[k]) <= max_block for k in set(keys[a]) & set(keys[b]))}
    evidence = {}
    for a, b in candidates:
        normal = [weight[k] for k in sorted(set(keys[a]) & set(keys[b]), key=ord) if len(holders[k]) <= max_block]
        hot = [weight[k] for k in sorted(set(keys[a]) & set(keys[b]), key=ord) if len(holders[k]) > max_block]
        evidence[(a, b)] = round(sum(normal) + sum(hot), 9)
    ranked = defaultdict(list)
    for (a, b), value in evidence.items():
        ranked[a].append((-value, b))
        ranked[b].append((-value, a))
    best = {(a, other) for a, row in ranked.items() for _, other in sorted(row)[:count]}
    kept = sorted(pair for pair in candidates if pair in best or pair[::-1] in best)
    return kept, sorted(candidates - set(kept))


@settings(max_examples=80, deadline=None)
@given(_KEYS, st.integers(2, 6), st.integers(1, 4), st.integers(1, 3), st.sampled_from([1, 3, 1 << 20]))
def test_the_cap_ranks_ring_pairs_with_every_shared_key(keys, max_block, count, links, per_range) -> None:
    positions, codes = _codes(keys)
    ids = [f"a{i:03d}" for i in range(len(keys))]
    capping.PRODUCTS_PER_RANGE, before = per_range, capping.PRODUCTS_PER_RANGE  # 1, 3: many ranges
    try:
        kept, left_out = capped_tables(positions, codes, ids, max_block, count, links)
    finally:
        capping.PRODUCTS_PER_RANGE = before
    expected = brute_hot_capped(keys, max_block, count, _ring(keys, max_block, links))
    assert (kept.pairs(), left_out.table().pairs()) == tuple([(ids[a], ids[b]) for a, b in p] for p in expected)
    everything, none = capped_tables(positions, codes, ids, max_block, 0, links)
    assert everything.pairs() == sorted(kept.pairs() + left_out.table().pairs()) and not len(none)


def test_a_large_story_sharing_only_common_keys_becomes_whole() -> None:
    articles, gold = stories(2, 30)  # names held by 30 reports and most sentences by 7+, past max_block 6
    plain = Config(workers=1, max_block=6, max_candidates=8, hot_links=0)
    before, after = clusters_of(articles, plain), clusters_of(articles, plain.replace(hot_links=2))
    assert together(before, gold)[1] == together(after, gold)[1] == 0  # no cluster spans two stories
    assert len(before) > 2  # plain blocking leaves the stories in pieces
    assert sorted(map(sorted, after)) == sorted(sorted(a for a in gold if gold[a] == s) for s in set(gold.values()))
