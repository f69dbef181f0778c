"""Stable story ids: kept when a story keeps its members, the documented rule on merges and splits."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dedupe.index.persist import Event, assign, story_name


def parts(*groups: str) -> list[frozenset[str]]:
    return [frozenset(g) for g in groups]


def test_a_story_that_keeps_its_members_keeps_its_id() -> None:
    old = {"S000001": frozenset("ab"), "S000002": frozenset("c")}
    names, events, following = assign(old, parts("abx", "c", "y"), 3)
    assert names == ["S000001", "S000002", "S000003"]
    assert events == [] and following == 4


def test_merge_keeps_the_oldest_id() -> None:
    old = {"S000004": frozenset("a"), "S000002": frozenset("bc")}
    names, events, _ = assign(old, parts("abcz"), 5)
    assert names == ["S000002"]
    assert events == [Event("merge", "S000002", ("S000004",))]
    assert events[0].describe() == "merge S000002 <- S000004"


def test_split_keeps_the_id_on_the_part_with_most_old_members() -> None:
    old = {"S000001": frozenset("abc")}
    names, events, _ = assign(old, parts("a", "bc"), 2)
    assert names == ["S000002", "S000001"]
    assert events == [Event("split", "S000001", ("S000002",))]
    assert events[0].describe() == "split S000001 -> S000002"


def test_split_tie_goes_to_the_part_with_the_smallest_member() -> None:
    names, events, _ = assign({"S000001": frozenset("abcd")}, parts("cd", "ab"), 2)
    assert names == ["S000002", "S000001"]
    assert events == [Event("split", "S000001", ("S000002",))]


def test_fresh_ids_in_order_of_smallest_member() -> None:
    names, _, following = assign({}, parts("q", "b", "m"), 7)
    assert names == [story_name(9), story_name(7), story_name(8)]
    assert following == 10


@given(st.lists(st.integers(0, 5), min_size=1, max_size=12), st.lists(st.integers(0, 5), min_size=1, max_size=12))
def test_ids_are_unique_and_old_ids_survive_unless_merged(before: list[int], after: list[int]) -> None:
    members = [f"m{i:02d}" for i in range(min(len(before), len(after)))]
    old: dict[str, set[str]] = {}
    for member, label in zip(members, before):
        old.setdefault(story_name(label + 1), set()).add(member)
    new: dict[int, set[str]] = {}
    for member, label in zip(members, after):
        new.setdefault(label, set()).add(member)
    partition = [frozenset(v) for _, v in sorted(new.items())]
    names, events, _ = assign({k: frozenset(v) for k, v in old.items()}, partition, 100)
    assert len(set(names)) == len(names)
    merged = {other for e in events if e.kind == "merge" for other in e.others}
    assert set(old) - merged <= set(names)
    for story, group in old.items():
        whole = [i for i, part in enumerate(partition) if group <= part]
        if whole and story not in merged:
            assert names[whole[0]] == story
