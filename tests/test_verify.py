"""Candidate verification against the obvious per-pair Jaccard, in any pair order and any number of workers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import Article, verify
from dedupe.engine import LocalEngine
from dedupe.signatures import jaccard, shingle_hashes, signature_matrix

FAST = settings(max_examples=60, deadline=None, derandomize=True, database=None)
WORDS = ["rain", "falls", "on", "the", "plain", "in", "spain", "mainly", "again"]
contents = st.lists(st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join), min_size=2, max_size=9)


def matrix_of(texts: list[str]):  # type: ignore[no-untyped-def]
    articles = [Article(id=f"{k:03d}", text=text) for k, text in enumerate(texts)]
    return signature_matrix(articles, 2, 16, 1)


@FAST
@given(contents, st.data())
def test_scores_equal_per_pair_jaccard_in_input_order(texts: list[str], data: st.DataObject) -> None:
    matrix = matrix_of(texts)
    index = st.integers(0, len(texts) - 1)
    pairs = np.array(data.draw(st.lists(st.tuples(index, index), max_size=20)), dtype=np.int64).reshape(-1, 2)
    expected = [jaccard(shingle_hashes(texts[i], 2), shingle_hashes(texts[j], 2)) for i, j in pairs.tolist()]
    assert verify.pair_scores(matrix, pairs).tolist() == expected


@FAST
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=40))
def test_together_is_an_order_keeping_linked_rows_adjacent(links: list[tuple[int, int]]) -> None:
    pairs = np.array(links, dtype=np.int64).reshape(-1, 2)
    order = verify.together(pairs)
    assert sorted(order.tolist()) == list(range(len(pairs)))
    groups = {k: {k} for k in range(31)}
    for i, j in links:  # slow union: every row's group is the union of the groups it is linked to
        merged = groups[i] | groups[j]
        for row in merged:
            groups[row] = merged
    labels = [min(groups[i]) for i, _ in pairs[order].tolist()]
    assert labels == sorted(labels)


def test_workers_give_the_same_scores_as_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [" ".join(WORDS[k % 9 :] + WORDS[: k % 9]) for k in range(40)] * 3
    matrix = matrix_of(texts)
    pairs = np.array([(i, j) for i in range(0, 120, 7) for j in range(i + 1, 120, 5)], dtype=np.int64)
    monkeypatch.setattr(verify, "PAIRS_PER_BLOCK", 16)  # several blocks, so both workers get some
    alone = verify.pair_scores(matrix, pairs).tolist()
    assert verify.pair_scores(matrix, pairs, engine=LocalEngine(2)).tolist() == alone
    assert len(set(alone)) > 1


_HASHES = st.sets(st.integers(0, 2**32 - 1), max_size=40)


@FAST
@given(_HASHES, _HASHES, _HASHES)
def test_jaccard_equals_the_ratio_of_python_sets(shared: set[int], only_a: set[int], only_b: set[int]) -> None:
    a, b = shared | only_a, shared | (only_b - only_a)
    as_array = [np.array(sorted(s), dtype=np.uint32) for s in (a, b)]
    expected = len(a & b) / len(a | b) if a | b else 1.0
    assert jaccard(*as_array) == expected == jaccard(*as_array[::-1])


def test_one_pool_signs_and_verifies_as_the_engine_and_this_process_do() -> None:
    """The pool a run forks once (``task_pool`` sharing the contents) gives the same matrix, scores and edges."""
    from dedupe.candidates import near_duplicate_edges
    from dedupe.engine import task_pool
    from dedupe.signatures import Contents

    story = " ".join(f"w{k}" for k in range(60))
    articles = [Article(f"{i:03d}", story + f" end{i}" * (i % 3)) for i in range(40)]
    articles += [Article(f"{i:03d}", f"other words {i} " * 20) for i in range(40, 700)]
    pairs = np.array([[0, 1], [2, 5], [0, 39], [40, 41], [3, 3]], dtype=np.int64)
    with task_pool(LocalEngine(2), Contents(articles)) as pool:
        assert pool is not None
        pooled = signature_matrix(articles, 5, 128, 1, pool=pool)
        scores = verify.pair_scores(pooled, pairs, pool=pool)
        edges = near_duplicate_edges(pooled, 0.8, pool=pool)
    plain = signature_matrix(articles, 5, 128, 1)
    assert np.array_equal(pooled.hashvalues, plain.hashvalues) and np.array_equal(pooled.exact, plain.exact)
    assert np.array_equal(pooled.empty, plain.empty)
    assert scores.tolist() == verify.pair_scores(plain, pairs).tolist()
    assert edges == near_duplicate_edges(plain, 0.8, engine=LocalEngine(2)) and len(edges) > 100
