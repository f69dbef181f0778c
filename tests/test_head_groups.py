"""Copy groups read through each article's head answer as the dict of frozensets they replace."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dedupe.graph import HeadGroups, heads_of

#: Disjoint copy groups over a few ids (a partition of a subset of them).
_GROUPS = st.lists(st.sampled_from([f"a{i}" for i in range(12)]), unique=True).flatmap(
    lambda ids: st.lists(st.integers(0, 3), min_size=len(ids), max_size=len(ids)).map(
        lambda labels: [frozenset(i for i, label in zip(ids, labels) if label == n) for n in range(4)]
    ).map(lambda groups: [g for g in groups if g]))


@given(_GROUPS)
def test_head_groups_read_as_the_dict_of_groups(groups):
    by_head = {min(group): group for group in groups}
    heads = heads_of(groups)
    assert heads == {m: head for head, group in by_head.items() for m in group}
    assert list(heads) == [m for group in by_head.values() for m in group]  # the order a run keeps in extras['heads']
    grouped = HeadGroups(heads)
    assert len(grouped) == len(by_head) and sorted(grouped) == sorted(by_head)
    assert all(grouped[head] == group and head in grouped for head, group in by_head.items())
    assert all(member not in grouped for member, head in heads.items() if member != head)


def test_a_member_that_is_not_a_head_is_missing():
    grouped = HeadGroups(heads_of([frozenset({"a", "b"}), frozenset({"c"})]))
    assert grouped["c"] == frozenset({"c"}) and grouped["a"] == frozenset({"a", "b"})
    assert "x" not in grouped and len(grouped.groups) == 1
    with pytest.raises(KeyError):
        grouped["b"]
