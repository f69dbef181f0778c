"""Blocking on a profile table's matrices chooses the keys ``salient_keys`` chooses, and the same pairs."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import Config, blocking
from dedupe.blocking import salient_codes
from dedupe.match import candidate_table
from dedupe.profile import ProfileBuilder, ProfileSource, salient_keys
from dedupe.types import Article

#: Few words and small counts: many weights tie, which is where the choice is hardest to reproduce.
_COUNTS = st.dictionaries(st.sampled_from(["fire", "crew", "bay", "dam", "flood", "a1", "zed"]),
                          st.integers(1, 3), max_size=6).map(Counter)
_SOURCE = st.builds(ProfileSource, terms=_COUNTS, names=_COUNTS, headline=st.just(""), place=st.just(""),
                    dates=st.just(frozenset()), counts=st.just(frozenset()))


def _table(sources):
    builder = ProfileBuilder()
    for source in sources:
        builder.add(source)
    return builder.table([Article(id=f"a{index:02d}", text="") for index in range(len(sources))])


@settings(max_examples=50, deadline=None)
@given(st.lists(_SOURCE, min_size=1, max_size=12), st.integers(0, 8))
def test_salient_codes_are_the_salient_keys(sources, count):
    profiles = _table(sources)
    ids = sorted(profiles)
    positions, keys = salient_codes(profiles, ids, count)
    width = len(profiles.names.terms)
    got = [set() for _ in ids]
    for position, key in zip(positions.tolist(), keys.tolist()):
        got[position].add("n:" + profiles.names.terms[key] if key < width else "t:" + profiles.terms.terms[key - width])
    assert got == [set(salient_keys(profiles.light[i], count)) for i in ids]
    assert len(positions) == sum(len(keys) for keys in got)  # no key twice


@settings(max_examples=25, deadline=None)
@given(
    st.lists(_SOURCE, min_size=2, max_size=12),
    st.integers(1, 6),
    st.integers(2, 6),
    st.sampled_from([1, 5, 1 << 24]),
    st.integers(0, 3),
)
def test_a_table_blocks_into_the_pairs_of_its_dicts(sources, count, max_block, per_pass, cap):
    profiles = _table(sources)
    config = Config(block_keys=count, max_block=max_block, max_candidates=cap)
    blocking.CODES_PER_PASS, before = per_pass, blocking.CODES_PER_PASS  # 1 and 5: many passes over first articles
    try:
        fast = candidate_table(profiles, config)
    finally:
        blocking.CODES_PER_PASS = before
    slow = candidate_table({i: profiles[i] for i in profiles}, config)  # plain dicts: salient_keys per profile
    assert fast.pairs() == slow.pairs()
    assert fast.left.dtype == fast.right.dtype == slow.left.dtype
