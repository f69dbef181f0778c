"""The candidate cap keeps the pairs a brute-force ranking keeps, whatever the order or numbering of the keys."""

from __future__ import annotations

import itertools
import math
import random
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from dedupe import Config, capping, match, read_articles, run
from dedupe.blocking import blocked_codes
from dedupe.cappedlinks import spooled
from dedupe.capping import Evidence, capped_tables, key_matrix
from dedupe.errors import ConfigError
from dedupe.headlines import HeadlineLinks

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


def _split(keys: list[list[str]], max_block: int, count: int, positions: np.ndarray | None = None,
           codes: np.ndarray | None = None) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The kept and the left-out pairs of ``capped_tables``, as position pairs."""
    if positions is None or codes is None:
        positions, codes = _codes(keys)
    kept, left_out = capped_tables(positions, codes, [f"a{i:03d}" for i in range(len(keys))], max_block, count)
    return tuple(list(zip(t.left.tolist(), t.right.tolist())) for t in (kept, left_out.table()))  # type: ignore


def _capped_pairs(keys: list[list[str]], max_block: int, count: int,
                  positions: np.ndarray | None = None, codes: np.ndarray | None = None) -> list[tuple[int, int]]:
    return _split(keys, max_block, count, positions, codes)[0]


def brute_blocked(keys: list[list[str]], max_block: int) -> list[tuple[int, int]]:
    """Every pair sharing a key held by 2 to ``max_block`` articles, by a double loop."""
    holders = Counter(key for row_keys in keys for key in set(row_keys))
    return [(a, b) for a, b in itertools.combinations(range(len(keys)), 2)
            if any(2 <= holders[key] <= max_block for key in set(keys[a]) & set(keys[b]))]


@settings(max_examples=80, deadline=None)
@given(_KEYS, st.integers(2, 6), st.integers(0, 4), st.sampled_from([1, 3, 1 << 20]))
def test_the_cap_keeps_the_pairs_a_brute_force_ranking_keeps(keys, max_block, count, per_range):
    capping.PRODUCTS_PER_RANGE, before = per_range, capping.PRODUCTS_PER_RANGE  # 1, 3: many ranges
    try:
        kept, left_out = _split(keys, max_block, count)
    finally:
        capping.PRODUCTS_PER_RANGE = before
    assert kept == brute_capped(keys, max_block, count)
    assert left_out == sorted(set(brute_blocked(keys, max_block)) - set(kept))
    assert count == 0 or len(kept) <= count * len(keys)


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


def test_evidence_sums_the_weights_of_shared_keys_the_same_from_either_side() -> None:
    positions, codes = _codes([["p", "q"], ["p", "q"], ["p"]])
    rows = Evidence(key_matrix(positions, codes, 3, 10)).rows()
    article, candidate, evidence = (np.concatenate(column) for column in zip(*rows))
    assert list(zip(article.tolist(), candidate.tolist())) == [(0, 1), (0, 2), (1, 0), (1, 2), (2, 0), (2, 1)]
    both, one = 1 / math.log(3) + 1 / math.log(2), 1 / math.log(3)
    assert evidence == pytest.approx([both, one, both, one, one, one])
    assert evidence[0] == evidence[2]


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
    kept, left_out = capped_tables(positions, codes, IDS[:5], 10, 1)
    assert sorted(kept.pairs() + left_out.table().pairs()) == table.pairs() and len(left_out)
    everything, none = capped_tables(positions, codes, IDS[:5], 10, 0)
    assert everything.pairs() == table.pairs() and not len(none)


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


#: Many articles, keys from a larger alphabet drawn unevenly (common and rare keys, many evidence ties).
_MANY_KEYS = st.lists(st.lists(st.integers(0, 40).map(lambda n: chr(ord("A") + n * n // 40)), max_size=6,
                               unique=True), min_size=2, max_size=60)


@settings(max_examples=40, deadline=None)
@given(_MANY_KEYS, st.integers(2, 30), st.integers(1, 6), st.sampled_from([1, 7, 50, 1 << 20]))
def test_ranges_split_the_pairs_as_one_sort_of_the_whole_table_does(keys, max_block, count, per_range):
    """Against the one-table form: every blocked pair, its evidence, one sort of all (pair, side) entries,
    a pair kept when placed within ``count`` on either side, the rest left out."""
    positions, codes = _codes(keys)
    ids = tuple(f"a{i:03d}" for i in range(len(keys)))
    table = blocked_codes(positions, codes, len(ids), ids, max_block)
    weights = key_matrix(positions, codes, len(ids), max_block).toarray()
    shared = [round(float(np.sum(np.minimum(weights[a], weights[b]))), 9)
              for a, b in zip(table.left.tolist(), table.right.tolist())]
    best = _best_at_once(table, np.array(shared, dtype=np.float64), count)
    capping.PRODUCTS_PER_RANGE, before = per_range, capping.PRODUCTS_PER_RANGE
    try:
        kept, left_out = capped_tables(positions, codes, ids, max_block, count)
    finally:
        capping.PRODUCTS_PER_RANGE = before
    assert kept.pairs() == table.take(best).pairs()
    assert left_out.table().pairs() == table.take(~best).pairs()
    assert left_out.table().left.dtype == np.int32 and kept.left.dtype == np.int32


_PAIRS = st.sets(st.tuples(st.integers(0, 9), st.integers(0, 9)).filter(lambda p: p[0] < p[1]), max_size=30)


@settings(max_examples=60, deadline=None)
@given(_PAIRS, _PAIRS, st.integers(1, 5))
def test_the_left_out_pairs_handed_on_are_those_not_scored(left_out, scored, per_step):
    def table(pairs: set[tuple[int, int]]) -> capping.PairTable:
        rows = sorted(pairs)
        return capping.PairTable(tuple(IDS), np.array([a for a, _ in rows], dtype=np.int32),
                                 np.array([b for _, b in rows], dtype=np.int32))

    spool = spooled(IDS, table(left_out).chunks(per_step))  # many chunks
    assert spool.table().pairs() == table(left_out).pairs()
    kept = match.unscored(spool, HeadlineLinks([], [], {}, 3), table(scored))
    assert kept.table().pairs() == table(left_out - scored).pairs()


@given(st.lists(st.one_of(st.integers(0, 40), st.integers(0, 10**6), st.integers(-5, 5)), max_size=60))
def test_numbered_keys_are_np_unique(keys):
    codes = np.array(keys, dtype=np.int64)
    numbered, index = capping.numbered_keys(codes)
    expected = np.unique(codes, return_inverse=True)
    for got, want in zip((numbered, index), expected, strict=True):
        assert got.dtype == want.dtype and got.tobytes() == want.tobytes()


@given(_KEYS, st.integers(2, 5))
def test_key_matrix_is_the_matrix_of_the_sorted_distinct_keys(keys, max_block):
    positions, codes = _codes(keys)
    codes = codes * 3 + 1  # codes with gaps, as the names' and terms' columns leave
    numbered, index = np.unique(codes, return_inverse=True)
    holders = np.bincount(index, minlength=len(numbered))
    used = (holders[index] >= 2) & (holders[index] <= max_block)
    weight = 1.0 / np.log(np.maximum(holders[index[used]], 2))
    want = sparse.csr_matrix((weight, (positions[used], index[used])), shape=(len(keys), len(numbered)))
    got = key_matrix(positions, codes, len(keys), max_block)
    assert got.shape == want.shape
    for name in ("data", "indices", "indptr"):
        a, b = getattr(got, name), getattr(want, name)
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes()
