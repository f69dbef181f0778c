"""The head table's term specificity with each head's total kept between checks: equal to the overlap of the sets."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe.index.heads import HeadTable, HeadTotals
from dedupe.index.rows import Joined, Row
from dedupe.profile import Profile
from dedupe.specific import SCALE, specific_overlap

_TERMS = st.dictionaries(st.sampled_from("abcdefghijklmn"), st.floats(0.01, 1.0), max_size=7)
_FREQUENCIES = st.dictionaries(st.sampled_from("abcdefghijklmnopq"), st.integers(0, 9))


def _profile(article_id: str, terms: dict[str, float]) -> Profile:
    return Profile(article_id, "", "", "", None, terms, {}, frozenset(), {})


def _frequencies(table: HeadTable, stored: dict[str, int]):
    """A ``column_frequencies`` of the table's term columns (those it will number too): ``stored``'s counts."""
    def frequencies(columns: np.ndarray) -> np.ndarray:
        term_of = {column: term for term, column in table.vocabulary["terms"].columns.items()}
        return np.array([stored.get(term_of[c], 0) for c in columns.tolist()], dtype=np.int64)
    return frequencies


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.lists(_TERMS, min_size=1, max_size=4), min_size=1, max_size=3),
    st.lists(_TERMS, min_size=1, max_size=4),
    st.lists(_FREQUENCIES, min_size=1, max_size=2),
    st.data(),
)
def test_overlaps_with_totals_kept_equal_the_sets_overlap(parts: list[list[dict[str, float]]],
                                                          articles: list[dict[str, float]],
                                                          stored: list[dict[str, int]], data: st.DataObject) -> None:
    """Heads taken in part by part between checks, several articles checked on one table, candidates in any
    order (repeated too), and the frequencies changed once: every overlap is ``specific_overlap`` of the term
    sets with the index's frequencies, the article counted (one more for each of its terms). It fails when a
    kept total is stale (other frequencies, a head taken in since) or the article's count is left out of it."""
    table = HeadTable()
    heads: list[Profile] = []
    counters = [_frequencies(table, counts) for counts in stored]  # each kept: the same callable, the same values
    for n, part in enumerate(parts):
        made = [_profile(f"h{n}_{m}", terms) for m, terms in enumerate(part)]
        table.extend(made)
        heads.extend(made)
        for m, terms in enumerate(articles):
            counts, frequencies = stored[(n + m) % len(stored)], counters[(n + m) % len(stored)]
            chosen = data.draw(st.lists(st.sampled_from(range(len(heads))), min_size=1, max_size=8))
            me = _profile(f"a{m}", terms)
            own = {term: counts.get(term, 0) for term in terms}
            found = table.specific(me, table.places_of([heads[c].article_id for c in chosen]), frequencies, own)
            counted = {**{t: counts.get(t, 0) for h in heads for t in h.terms}, **{t: k + 1 for t, k in own.items()}}
            want = [specific_overlap(me.terms, heads[c].terms, counted) for c in chosen]
            assert [None if math.isnan(v) else v for v in found.tolist()] == want


def test_head_totals_worked_out_once_and_afresh_for_other_frequencies() -> None:
    """A total is read from the frequencies once a head; other frequencies start afresh."""
    joined = Joined()
    joined.extend([Row(np.array([0, 1], np.int32), np.ones(2)), Row(np.array([1], np.int32), np.ones(1))])
    asked: list[list[int]] = []

    def frequencies(columns: np.ndarray) -> np.ndarray:
        asked.append(sorted(columns.tolist()))
        return np.array([2, 5])[columns]

    totals = HeadTotals()
    assert totals.of(joined, np.array([1, 0, 1]), frequencies).tolist() == [SCALE // 4, SCALE + SCALE // 4, SCALE // 4]
    assert totals.of(joined, np.array([0]), frequencies).tolist() == [SCALE + SCALE // 4]
    assert asked == [[0, 1, 1]]
    assert totals.of(joined, np.array([0]), lambda columns: np.array([9, 3])[columns]).tolist() == [
        SCALE // 8 + SCALE // 2
    ]
