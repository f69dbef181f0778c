"""The bulk scoring path gives exactly what the pair-by-pair scorers give: cosines, date overlaps, PairScores."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from dedupe import Config, read_articles, scoring, vectors
from dedupe.compare import DEFAULT_COMPARISONS, Priors, cosine, date_overlap, score_pair
from dedupe.engine import LocalEngine
from dedupe.match import candidate_pairs, neighbour_ranks, profiles_for, score_all
from dedupe.pairtable import table_of
from dedupe.scorearrays import frequencies_of
from dedupe.vectors import pair_cosines, weight_matrix

_WEIGHTS = st.dictionaries(st.sampled_from("abcdefghij"), st.floats(1e-6, 1.0), max_size=8)


@settings(max_examples=60, deadline=None)
@given(st.lists(_WEIGHTS, min_size=1, max_size=6), st.data())
def test_pair_cosines_equal_cosine_bit_for_bit(rows, data):
    pairs = data.draw(st.lists(st.tuples(st.integers(0, len(rows) - 1), st.integers(0, len(rows) - 1)), max_size=12))
    left = np.array([a for a, _ in pairs], dtype=np.int64)
    right = np.array([b for _, b in pairs], dtype=np.int64)
    got = pair_cosines(weight_matrix(rows), left, right).tolist()
    want = [cosine(rows[a], rows[b]) for a, b in pairs]
    assert [None if math.isnan(g) else g for g in got] == want


def test_pair_cosines_follow_the_shorter_side_order():
    # the same products summed in another order may differ in the last bit: the order must be cosine's
    # (0.1 + 0.2) + 0.3 != (0.3 + 0.2) + 0.1; the matrix's columns run w, z, y, x
    rows = [{"w": 0.5, "z": 1.0, "y": 1.0, "x": 1.0}, {"x": 0.1, "y": 0.2, "z": 0.3}]
    got = pair_cosines(weight_matrix(rows), np.array([0, 1]), np.array([1, 0])).tolist()
    assert got == [cosine(rows[0], rows[1]), cosine(rows[1], rows[0])] == [0.1 + 0.2 + 0.3] * 2



_KEYS = [f"k{i}" for i in range(60)]


@st.composite
def _long_rows(draw: st.DrawFn) -> list[dict[str, float]]:
    """Rows of 0-40 keys out of 60, each in its own drawn order, with weights of full precision over six orders of
    magnitude (where the summation order shows in the last bits)."""
    rows = []
    random = np.random.default_rng(draw(st.integers(0, 2**32)))
    for _ in range(draw(st.integers(1, 8))):
        keys = draw(st.lists(st.sampled_from(_KEYS), unique=True, max_size=40))
        rows.append(dict(zip(keys, (10.0 ** random.uniform(-6, 0, len(keys))).tolist(), strict=True)))
    return rows


@settings(max_examples=80, deadline=None)
@given(_long_rows(), st.data(), st.booleans(), st.integers(1, 5))
def test_pair_cosines_of_long_rows_in_runs_equal_cosine(rows, data, by_left, batch):
    """Many shared keys, each row in its own order; pairs by their left row (as a table gives them: one scratch
    write a run) or in any order, batches cutting the runs: every value is ``cosine``'s, bit for bit."""
    pick = st.lists(st.tuples(st.integers(0, len(rows) - 1), st.integers(0, len(rows) - 1)), min_size=1, max_size=20)
    pairs = sorted(data.draw(pick)) if by_left else data.draw(pick)
    left = np.array([a for a, _ in pairs], dtype=np.int64)
    right = np.array([b for _, b in pairs], dtype=np.int64)
    old = vectors.PAIRS_PER_BATCH
    vectors.PAIRS_PER_BATCH = batch
    try:
        got = pair_cosines(weight_matrix(rows), left, right).tolist()
    finally:
        vectors.PAIRS_PER_BATCH = old
    assert [None if math.isnan(g) else g for g in got] == [cosine(rows[a], rows[b]) for a, b in pairs]


def test_pair_cosines_add_products_that_underflow():
    # 1e-200 * 1e-200 is 0.0: the pair still shares the key, and cosine adds the zero with the others
    rows = [{"a": 1e-200, "b": 0.5, "c": 0.25}, {"c": 0.5, "a": 1e-200, "b": 0.75}, {"d": 1.0}, {}]
    left, right = np.array([0, 0, 1, 2, 3, 0]), np.array([1, 2, 0, 0, 0, 0])
    got = pair_cosines(weight_matrix(rows), left, right).tolist()
    want = [cosine(rows[a], rows[b]) for a, b in zip(left.tolist(), right.tolist())]
    assert [None if math.isnan(g) else g for g in got] == want == [
        0.0 + 0.5 * 0.75 + 0.25 * 0.5, 0.0, 0.5 * 0.25 + 0.0 + 0.75 * 0.5, 0.0, None, 0.0 + 0.5 * 0.5 + 0.25 * 0.25]


def test_shared_entries_and_ordered_sums_as_documented():
    pattern = sparse.csr_matrix(([1.0, 2.0, 1.0, 2.0], [0, 2, 2, 3], [0, 2, 4]), shape=(2, 4))
    found = vectors.shared_entries(pattern, np.array([0, 1, 0]), np.array([1, 0, 0]))
    assert [a.tolist() for a in found] == [[0, 1, 2, 2], [1, 2, 0, 1], [2, 1, 0, 1], [2, 2, 0, 2]]
    sums = vectors.ordered_sums(np.array([0, 0, 2]), np.array([2, 1, 1]), np.array([0.1, 0.2, 0.3]), 3)
    assert sums.tolist() == [0.2 + 0.1, 0.0, 0.3]
    none = np.empty(0, dtype=np.int64)
    assert [len(a) for a in vectors.shared_entries(pattern, none, none)] == [0, 0, 0, 0]


def _naive_date_overlap(a: frozenset[str], b: frozenset[str]) -> float | None:
    """The definition: x agrees with y when one's start (before ``/``) begins with the other's."""
    if not a or not b:
        return None

    def agree(x: str, y: str) -> bool:
        x, y = x.split("/")[0], y.split("/")[0]
        return x.startswith(y) or y.startswith(x)

    share_a = sum(1 for x in a if any(agree(x, y) for y in b)) / len(a)
    share_b = sum(1 for y in b if any(agree(x, y) for x in a)) / len(b)
    return max(share_a, share_b)


_DATE = st.sampled_from(["2018", "2018-10", "2018-10-05", "2018-11", "2020-11-05", "2020", "2018-W41", "",
                         "2018-10-05/2018-10-07", "2019/2020", "20", "2"])


@settings(max_examples=200, deadline=None)
@given(st.frozensets(_DATE, max_size=5), st.frozensets(_DATE, max_size=5))
def test_date_overlap_matches_its_definition(a, b):
    assert date_overlap(a, b) == _naive_date_overlap(a, b)


def test_score_all_equals_score_pair_on_the_seeds(seeds_dir):
    config = Config(workers=1)
    profiles, _ = profiles_for(list(read_articles([seeds_dir])), engine=None)
    pairs = candidate_pairs(profiles, config) or list(itertools.combinations(sorted(profiles), 2))
    ranks = neighbour_ranks(profiles, pairs)
    counted = (frequencies_of(profiles), len(profiles))  # what the term specificity reads
    want = [score_pair(profiles[a], profiles[b], DEFAULT_COMPARISONS, Priors(), rank, *counted)
            for (a, b), rank in sorted(ranks.items())]
    assert score_all(profiles, ranks, config) == want
    every = {pair: 3 for pair in itertools.combinations(sorted(profiles), 2)}
    assert score_all(profiles, every, config) == [
        score_pair(profiles[a], profiles[b], DEFAULT_COMPARISONS, Priors(), 3, *counted) for a, b in sorted(every)]


@dataclass(frozen=True)
class _CountingEngine(LocalEngine):
    """A LocalEngine that notes the length of each chunk its workers return."""

    chunks: list[int] = field(default_factory=list)

    def map_chunks(self, func, items, spans=None):
        for chunk in super().map_chunks(func, items, spans):
            self.chunks.append(len(chunk))
            yield chunk


def test_scoring_on_two_processes_equals_scoring_here(seeds_dir, monkeypatch):
    monkeypatch.setattr(scoring, "PAIR_CHUNK", 3)  # the seeds' ten pairs make four chunks
    config = Config(workers=1)
    profiles, _ = profiles_for(list(read_articles([seeds_dir])), engine=None)
    every = list(itertools.combinations(sorted(profiles), 2))
    ranks = neighbour_ranks(profiles, every)
    engine = _CountingEngine(2)
    here = scoring.score_pairs(profiles, ranks, config.comparisons, config.priors)
    assert scoring.score_pairs(profiles, ranks, config.comparisons, config.priors, engine=engine) == here
    table = table_of(ranks)
    rank_values = np.array([ranks[pair] for pair in table.pairs()])
    scores = scoring.table_scores(profiles, table, rank_values, None, config.comparisons, config.priors, engine)
    assert list(zip(table.pairs(), scores.tolist())) == [((s.a, s.b), s.score) for s in here]
    assert engine.chunks == [3, 3, 3, 1] * 2
