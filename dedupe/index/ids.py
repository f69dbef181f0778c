"""Stable story ids: map a new partition onto the stories the index already had, recording merges and splits.

The rule (also in the README, "Incremental index"):

- Story ids are ``S`` and a number (``S000042``), given in increasing order, so a smaller number is an
  older story. They are never reused.
- Each old story's *heir* is the new cluster holding most of its old members (ties: the cluster holding
  its smallest old member).
- A new cluster that is the heir of one old story keeps that story's id, whatever articles joined it:
  adding articles never renames a story that keeps its members.
- A new cluster that is the heir of several old stories is a **merge**: the oldest (smallest number)
  keeps its id, the others are recorded as merged into it.
- An old story whose members end in several new clusters is a **split**: its heir keeps the id (unless a
  merge gives that cluster an older one), the other parts are recorded with their ids.
- A cluster that is no old story's heir gets a fresh id; fresh ids go out in the order of the clusters'
  smallest member ids.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    """One change of story identity in an add.

    ``kind`` is ``merge`` (``story`` survives, ``others`` were merged into it) or ``split`` (``story`` lost
    members to the stories ``others``). Example: ``Event("merge", "S000003", ("S000007",))``.
    """

    kind: str
    story: str
    others: tuple[str, ...]

    def describe(self) -> str:
        """One line for the log: ``merge S000003 <- S000007`` or ``split S000002 -> S000009, S000010``."""
        arrow = "<-" if self.kind == "merge" else "->"
        return f"{self.kind} {self.story} {arrow} {', '.join(self.others)}"


def story_name(number: int) -> str:
    """The id of story number ``number``: ``story_name(42) == "S000042"``."""
    return f"S{number:06d}"


def story_number(name: str) -> int:
    """The number inside a story id: ``story_number("S000042") == 42``."""
    return int(name[1:])


def _heirs(old: Mapping[str, frozenset[str]], parts: Sequence[frozenset[str]]) -> dict[str, list[int]]:
    """For each old story, the indexes of the parts holding its members, its heir first."""
    owner = {member: story for story, members in old.items() for member in members}
    holding: dict[str, list[tuple[int, str, int]]] = defaultdict(list)
    for index, part in enumerate(parts):
        counts = Counter(owner[m] for m in part if m in owner)
        for story, count in counts.items():
            smallest = min(m for m in part if owner.get(m) == story)
            holding[story].append((-count, smallest, index))
    return {story: [index for _, _, index in sorted(found)] for story, found in holding.items()}


def assign(
    old: Mapping[str, frozenset[str]], parts: Sequence[frozenset[str]], next_number: int
) -> tuple[list[str], list[Event], int]:
    """The id of each part (in order), the merges and splits, and the next fresh number.

    ``old`` maps each existing story id to its members; ``parts`` is the new partition (every old
    member is in exactly one part). Example: with ``old = {"S000001": {"a"}, "S000002": {"b"}}`` and
    ``parts = [{"a", "b", "c"}]`` the answer is ``(["S000001"], [Event("merge", "S000001",
    ("S000002",))], next_number)``.
    """
    heirs = _heirs(old, parts)
    claims: dict[int, list[str]] = defaultdict(list)
    for story, indexes in heirs.items():
        claims[indexes[0]].append(story)
    names: list[str] = [""] * len(parts)
    events: list[Event] = []
    for index in sorted(range(len(parts)), key=lambda i: min(parts[i])):
        if claims[index]:
            keep, *merged = sorted(claims[index], key=story_number)
            names[index] = keep
            if merged:
                events.append(Event("merge", keep, tuple(merged)))
        else:
            names[index] = story_name(next_number)
            next_number += 1
    for story in sorted(heirs, key=story_number):
        if len(heirs[story]) > 1:
            events.append(Event("split", story, tuple(names[i] for i in heirs[story][1:])))
    return names, events, next_number
