"""``check``'s scores of one article against many candidates equal the batch's pair-by-pair ``combine``."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe.compare import DEFAULT_COMPARISONS, Priors, ceiling_of, combine, sigmoid
from dedupe.index.star import gap_logodds, logistic, star_ranks, star_scores
from dedupe.match import neighbour_ranks
from dedupe.profile import Profile

DAYS = st.one_of(st.none(), st.dates(dt.date(2024, 1, 1), dt.date(2024, 3, 1)))
NUMBERS = st.dictionaries(st.sampled_from(["killed:1", "age:41", "hurt:22", "cost:5"]),
                          st.floats(0.01, 1.0), max_size=3)
VALUE = st.one_of(st.none(), st.floats(0.0, 1.0))
IDS = st.lists(st.text("abcdefgh", min_size=1, max_size=3), min_size=1, max_size=25, unique=True)


def profile(article_id: str, day: dt.date | None, numbers: dict[str, float]) -> Profile:
    """A profile with what ``combine`` reads besides the comparison values: its id, day and counts."""
    return Profile(article_id, "", "", "", day, {}, {}, frozenset(), numbers)


@settings(max_examples=80, deadline=None)
@given(st.data(), IDS, DAYS, NUMBERS)
def test_star_scores_equal_combine(data: st.DataObject, ids: list[str], day: dt.date | None,
                                   numbers: dict[str, float]) -> None:
    me = profile("d", day, numbers)
    ids = [i for i in ids if i != me.article_id]
    if data.draw(st.booleans()):  # as check passes them: in id order (ties of rank then keep that order)
        ids = sorted(ids)
    others = [profile(i, data.draw(DAYS), data.draw(NUMBERS)) for i in ids]
    words = data.draw(st.lists(VALUE, min_size=len(ids), max_size=len(ids)))
    values = [data.draw(st.lists(VALUE, min_size=len(ids), max_size=len(ids))) for _ in DEFAULT_COMPARISONS]
    priors = Priors()
    pairs = [(me.article_id, i) if me.article_id < i else (i, me.article_id) for i in ids]
    batch_ranks = neighbour_ranks({}, pairs, words)
    ranks = star_ranks(ids, nullable(words))
    assert ranks.tolist() == [batch_ranks[pair] for pair in pairs]
    light = {me.article_id: me, **{o.article_id: o for o in others}}
    expected = [combine(light[a], light[b], DEFAULT_COMPARISONS, priors, [column[n] for column in values], ranks[n],
                        words[n] or 0.0).score for n, (a, b) in enumerate(pairs)]
    ceilings = [np.array([ceiling_of(c, light[a], light[b]) for a, b in pairs]) for c in DEFAULT_COMPARISONS]
    gaps = np.array([abs((me.day - o.day).days) if me.day and o.day else -1 for o in others], dtype=np.int64)
    got = star_scores(DEFAULT_COMPARISONS, priors, [nullable(v) for v in values], ceilings, gaps, ranks,
                      nullable(words))
    assert got == expected


def nullable(values: list[float | None]) -> np.ndarray:
    """The values as an array, None as NaN."""
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)

def test_star_ranks_order_by_word_cosine_then_id() -> None:
    assert star_ranks(["b", "c", "a"], np.array([0.2, 0.7, 0.2])).tolist() == [3, 1, 2]
    assert star_ranks(["a", "b", "c"], np.array([0.2, 0.7, 0.2])).tolist() == [2, 1, 3]
    assert star_ranks(["x"], np.array([np.nan])).tolist() == [1]


@given(st.lists(st.lists(st.one_of(st.integers(-1, 300), st.integers(-1, 1 << 17)), max_size=12), max_size=4),
       st.sampled_from([0.35, 0.8, 1.0]))
def test_gap_logodds_equal_combines_one_by_one(asked: list[list[int]], weight: float) -> None:
    """Each gap's log-odds is ``combine``'s float (0.0 without a day), whatever was asked before (the table
    grows as longer gaps come, and gaps past it are computed apart)."""
    for gaps in asked:
        got = gap_logodds(weight, np.array(gaps, dtype=np.int64))
        assert got.tolist() == [0.0 if gap < 0 else -weight * math.log1p(gap) for gap in gaps]


@given(st.lists(st.floats(-800.0, 800.0), max_size=20))
def test_logistic_equals_sigmoid(values: list[float]) -> None:
    assert logistic(np.array(values, dtype=np.float64)).tolist() == [sigmoid(v) for v in values]


@given(st.lists(st.tuples(st.sampled_from([0.0, 0.25, 0.1234567885, 0.7]), st.integers(0, 40)), min_size=1,
                max_size=30), st.booleans())
def test_star_ranks_round_near_cosines_as_the_batch(words: list[tuple[float, int]], in_order: bool) -> None:
    """Cosines within a few 1e-10 of each other (and of a rounding boundary) rank as ``neighbour_ranks``
    ranks them, rounded to 9 places, ties by id."""
    values = [base + step * 1e-10 for base, step in words]
    ids = [f"c{n:02d}" for n in range(len(values))]
    if not in_order:
        ids.reverse()
    pairs = [(i, "zz") for i in ids]
    batch = neighbour_ranks({}, pairs, values)
    assert star_ranks(ids, np.array(values)).tolist() == [batch[pair] for pair in pairs]
