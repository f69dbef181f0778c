"""``bench/scale_loss.py``: pair counts by story bucket, pair type and false-pair kind against enumerating the pairs."""

from __future__ import annotations

import itertools

import pytest
from conftest import load_script
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe.evaluate import score


@pytest.fixture(scope="module")
def bench():
    """``bench/scale_loss.py`` as a module."""
    return load_script("bench/scale_loss.py")


#: Each article: (story 0-3, copy group 0-3 within the story, predicted cluster 0-3). As the generator makes them,
#: group 0 is the original's (the original and its copies), every other group a rewrite (with its copies, if any).
ARTICLES = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3), st.integers(0, 3)), min_size=2, max_size=16)


def planted(bench, rows, hot: frozenset[str]):
    """A Gold and a prediction from the drawn rows."""
    story = {f"a{n}": f"s{s}" for n, (s, _, _) in enumerate(rows)}
    group = {f"a{n}": f"s{s}g{g}" for n, (s, g, _) in enumerate(rows)}
    rewrites = frozenset(f"s{s}g{g}" for s, g, _ in rows if g > 0)
    predicted = {f"a{n}": f"c{c}" for n, (_, _, c) in enumerate(rows)}
    return bench.Gold(story, group, rewrites, hot), predicted


@settings(max_examples=80, deadline=None)
@given(ARTICLES, st.sets(st.integers(0, 3)))
def test_counts_match_the_pairs_enumerated(bench, rows, hot_numbers) -> None:
    gold, predicted = planted(bench, rows, frozenset(f"s{n}" for n in hot_numbers))
    row = bench.measure(gold, predicted)
    types = {t: [0, 0] for t in bench.TYPES}
    false = {"hot-hot": 0, "hot-other": 0, "other-other": 0}
    for a, b in itertools.combinations(sorted(gold.story), 2):
        together = predicted[a] == predicted[b]
        if gold.story[a] == gold.story[b]:
            kind = ("copies" if gold.group[a] == gold.group[b] else "rewrite-rewrite"
                    if {gold.group[a], gold.group[b]} <= gold.rewrites else "original-rewrite")
            types[kind][0] += 1
            types[kind][1] += together
        elif together:
            hot = sorted(gold.story[x] in gold.hot for x in (a, b))
            false[{(True, True): "hot-hot", (False, True): "hot-other"}.get(tuple(hot), "other-other")] += 1
    assert {t: row["types"][t]["pairs"] for t in bench.TYPES} == {t: n for t, (n, _) in types.items()}
    for kind, (n, kept) in types.items():
        assert row["types"][kind]["recall"] == (round(kept / n, 4) if n else None)
    assert {k: row["false"].get(k, 0) for k in false} == false
    assert row["gold_pairs"] == sum(n for n, _ in types.values())
    assert row["false_pairs"] == sum(false.values())
    # two formulas of one ARI: equal up to float rounding, so a value on a rounding edge (-0.03125) may round
    # either way
    assert abs(row["ari"] - score(predicted, gold.story).ari) <= 0.00005 + 1e-9
    assert sum(b["gold_pairs"] for b in row["buckets"].values()) == row["gold_pairs"]


def test_buckets_are_labelled_by_size_and_heat(bench) -> None:
    assert bench.bucket_of(2, False) == "2-3"
    assert bench.bucket_of(120, True) == "hot 51-200"
    assert bench.bucket_of(1300, True) == "hot 1001+"
