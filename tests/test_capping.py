"""The candidate cap keeps the pairs a brute-force ranking keeps, whatever the order or numbering of the keys."""

from __future__ import annotations

import itertools
import math
import random
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import Config, capping, read_articles, run
from dedupe.blocking import blocked_codes
from dedupe.capping import best_candidates, key_matrix, shared_evidence, split_capped
from dedupe.errors import ConfigError

IDS = [f"a{i:02d}" for i in range(10)]
ROOT = Path(__file__).resolve().parents[1]
#: Each article's keys (few letters: many pairs share several, many evidence ties).
_KEYS = st.lists(st.lists(st.sampled_from("pqrstuv"), max_size=4, unique=True), min_size=1, max_size=len(IDS))


def _codes(keys: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
    positions = [row for row, row_keys in enumerate(keys) for _ in row_keys]
    codes = [ord(key) for row_keys in keys for key in row_keys]
    return np.array(positions, dtype=np.int64), np.array(codes, dtype=np.int64)


def brute_capped(keys: list[list[str]], max_block: int, count: int) -> list[tuple[int, int]]:
    """The rule written out: pairs sharing a used key, evidence summed per shared key, each article's
    candidates sorted by (-evidence, other), a pair kept when among either side's first ``count``."""
    holders = defaultdict(set)
    for row, row_keys in enumerate(keys):
        for key in row_keys:
            holders[key].add(row)
    used = {key: 1 / math.log(len(rows)) for key, rows in holders.items() if 2 <= len(rows) <= max_block}
    evidence = {}
    for a, b in itertools.combinations(range(len(keys)), 2):
        shared = [used[key] for key in set(keys[a]) & set(keys[b]) if key in used]
        if shared:
            evidence[(a, b)] = round(sum(shared), 9)
    ranked = defaultdict(list)
    for (a, b), value in evidence.items():
        ranked[a].append((-value, b))
        ranked[b].append((-value, a))
    best = {(a, other) for a, row in ranked.items() for _, other in sorted(row)[:count]}
    return sorted(pair for pair in evidence if count == 0 or pair in best or pair[::-1] in best)


def _capped_pairs(keys: list[list[str]], max_block: int, count: int,
                  positions: np.ndarray | None = None, codes: np.ndarray | None = None) -> list[tuple[int, int]]:
    if positions is None or codes is None:
        positions, codes = _codes(keys)
    ids = IDS[: len(keys)]
    table = split_capped(blocked_codes(positions, codes, len(ids), ids, max_block), positions, codes, max_block,
                         count)[0]
    return list(zip(table.left.tolist(), table.right.tolist()))


@settings(max_examples=80, deadline=None)
@given(_KEYS, st.integers(2, 6), st.integers(0, 4), st.sampled_from([1, 3, 1 << 21]))
def test_the_cap_keeps_the_pairs_a_brute_force_ranking_keeps(keys, max_block, count, per_product):
    capping.ROWS_PER_PRODUCT, before = per_product, capping.ROWS_PER_PRODUCT  # 1, 3: many products
    try:
        got = _capped_pairs(keys, max_block, count)
    finally:
        capping.ROWS_PER_PRODUCT = before
    expected = brute_capped(keys, max_block, count)
    assert got == expected
    assert count == 0 or len(got) <= count * len(keys)


@settings(max_examples=50, deadline=None)
@given(_KEYS, st.integers(2, 6), st.integers(1, 4), st.randoms(use_true_random=False))
def test_the_cap_does_not_depend_on_the_order_or_numbering_of_keys(keys, max_block, count, random):
    positions, codes = _codes(keys)
    order = list(range(len(positions)))
    random.shuffle(order)
    letters = list("pqrstuv")
    random.shuffle(letters)
    renumbered = np.array([letters.index(chr(code)) for code in codes.tolist()], dtype=np.int64)
    shuffled = _capped_pairs(keys, max_block, count, positions[order], renumbered[order])
    assert shuffled == _capped_pairs(keys, max_block, count)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7), st.integers(0, 3)), max_size=30), st.integers(1, 4))
def test_each_article_keeps_its_best_and_no_more_than_the_bound(rows, count):
    pairs = sorted({(min(a, b), max(a, b)): value for a, b, value in rows if a != b}.items())
    table = capping.PairTable(tuple(IDS[:8]), np.array([a for (a, _), _ in pairs], dtype=np.int32),
                              np.array([b for (_, b), _ in pairs], dtype=np.int32))
    kept = best_candidates(table, np.array([float(value) for _, value in pairs]), count)
    degree = np.bincount(np.r_[table.left[kept], table.right[kept]], minlength=8)
    full = np.bincount(np.r_[table.left, table.right], minlength=8)
    assert kept.sum() <= count * 8
    assert bool(np.all(degree >= np.minimum(full, count)))  # every article keeps at least its own best


def test_shared_evidence_sums_the_weights_of_shared_keys() -> None:
    positions, codes = _codes([["p", "q"], ["p", "q"], ["p"]])
    table = blocked_codes(positions, codes, 3, IDS[:3], 10)
    evidence = shared_evidence(table, key_matrix(positions, codes, 3, 10))
    assert table.pairs() == [("a00", "a01"), ("a00", "a02"), ("a01", "a02")]
    assert evidence == pytest.approx([1 / math.log(3) + 1 / math.log(2), 1 / math.log(3), 1 / math.log(3)])


def test_max_candidates_is_validated() -> None:
    assert Config(max_candidates=0).max_candidates == 0
    with pytest.raises(ConfigError, match="'max_candidates' must be from 0"):
        Config(max_candidates=-1)


def test_capped_weight_and_size_are_validated() -> None:
    assert Config(capped_weight=0, capped_size=0).capped_weight == 0
    with pytest.raises(ConfigError, match="'capped_weight' must be from 0 to 1"):
        Config(capped_weight=1.5)
    with pytest.raises(ConfigError, match="'capped_size' must be from 0 to 10000"):
        Config(capped_size=-1)


def test_split_gives_the_kept_rows_and_the_rest() -> None:
    positions, codes = _codes([["p", "q"], ["p", "q"], ["p"], ["p", "r"], ["r"]])
    table = blocked_codes(positions, codes, 5, IDS[:5], 10)
    kept, left_out = capping.split_capped(table, positions, codes, 10, 1)
    assert kept.pairs() == split_capped(table, positions, codes, 10, 1)[0].pairs()
    assert sorted(kept.pairs() + left_out.pairs()) == table.pairs() and left_out.pairs()
    assert capping.split_capped(table, positions, codes, 10, 0)[0] is table
    assert not len(capping.split_capped(table, positions, codes, 10, 0)[1])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_capped_runs_cluster_alike_in_any_order(seed: int) -> None:
    articles = list(read_articles([str(ROOT / "fixtures" / "seeds"), str(ROOT / "fixtures" / "headlines_topics" /
                                                                          "input.jsonl")]))
    shuffled = articles[:]
    random.Random(seed).shuffle(shuffled)
    config = Config(workers=1, max_candidates=2, capped_size=0)
    first, second = run(articles, config, stories=False), run(shuffled, config, stories=False)
    assert first.clusters == second.clusters


def _best_at_once(table: capping.PairTable, evidence: np.ndarray, count: int) -> np.ndarray:
    """Each row's place among both its articles' candidates, from one sort of every (row, side) entry."""
    rows = len(table)
    owner = np.concatenate((table.left, table.right)).astype(np.int64)
    order = np.lexsort((np.concatenate((table.right, table.left)), -np.concatenate((evidence, evidence)), owner))
    owned = owner[order]
    place = np.empty(2 * rows, dtype=np.int64)
    place[order] = np.arange(2 * rows) - np.searchsorted(owned, owned, side="left")
    return np.minimum(place[:rows], place[rows:]) < count


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7), st.integers(0, 3)), max_size=30),
       st.integers(1, 4), st.integers(1, 12))
def test_ranking_in_blocks_keeps_what_one_sort_keeps(rows, count, per_block):
    pairs = sorted({(min(a, b), max(a, b)): value for a, b, value in rows if a != b}.items())
    table = capping.PairTable(tuple(IDS[:8]), np.array([a for (a, _), _ in pairs], dtype=np.int32),
                              np.array([b for (_, b), _ in pairs], dtype=np.int32))
    evidence = np.array([float(value) for _, value in pairs])
    blocked = best_candidates(table, evidence, count, per_block=per_block)
    assert np.array_equal(blocked, _best_at_once(table, evidence, count))


@settings(max_examples=150, deadline=None)
@given(_KEYS, st.integers(2, 6), st.integers(0, 4), st.sampled_from([1, 5, 1 << 22]), st.randoms())
def test_pairs_and_evidence_at_once_equal_blocking_then_evidence(keys, max_block, count, per_product, rnd):
    positions, codes = _codes(keys)
    order = list(range(len(positions)))
    rnd.shuffle(order)  # the keys in any order, as the salient keys come
    positions, codes = positions[order], codes[order]
    ids = IDS[: len(keys)]
    table = blocked_codes(positions, codes, len(ids), ids, max_block)
    want = shared_evidence(table, key_matrix(positions, codes, len(ids), max_block))
    capping.TERMS_PER_PRODUCT, before = per_product, capping.TERMS_PER_PRODUCT  # 1, 5: many products
    try:
        got_table, got = capping.blocked_evidence(positions, codes, ids, max_block)
        kept, left_out = capping.capped_tables(positions, codes, ids, max_block, count)
    finally:
        capping.TERMS_PER_PRODUCT = before
    assert got_table.ids == table.ids and got_table.left.dtype == table.left.dtype == np.int32
    assert np.array_equal(got_table.left, table.left) and np.array_equal(got_table.right, table.right)
    assert got.tobytes() == want.tobytes()  # the same floats, bit for bit
    old_kept, old_left_out = split_capped(table, positions, codes, max_block, count)
    for new, old in ((kept, old_kept), (left_out, old_left_out)):
        assert new.pairs() == old.pairs() and new.left.dtype == old.left.dtype
