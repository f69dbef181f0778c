"""Average linkage's merging: clusters joined best link first, each merge redoing only links that can still join.

A merge works out again only the links of the merged cluster that can still reach the threshold.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .cappedlinks import CappedLinks
from .clusterdays import GroupDays, joined, timed_link

#: A link between two clusters: ``[total, weight, count, cut]``, the sum of their scored pairs' scores, those
#: pairs' weight, how many, and the weight of the pairs the cap left out between them (without weights, the weights
#: are counts). One list, held by both clusters' rows and updated in place as they merge.
Link = list
#: How far below the threshold a link's bound may be and still be worked out: far beyond float error.
BOUND_MARGIN = 1e-6


@dataclass(frozen=True)
class LinkRule:
    """A link's value from its :data:`Link` (see :func:`~dedupe.linkage.average_linkage`): between clusters of at
    most ``capped_above`` members together, every unscored pair weighs ``unscored`` as a 0; between larger ones a
    capped pair weighs ``capped_weight``, any other unscored pair ``silent``, and the two link only when their scored
    pairs number at least ``support`` times the smaller one's members (else -1). Values are rounded to 9 places.

    Example: ``LinkRule(0.6, 0.3, 0.3, 0.05, 0, 0.0).value(1, 2, 2.0, [0.9, 1.0, 1, 0])`` is ``0.9 / 1.3``, rounded.
    """

    threshold: float
    unscored: float
    silent: float
    capped_weight: float
    capped_above: int
    support: float

    def value(self, size: int, other: int, pairs: float, link: Link) -> float:
        """The link between clusters of ``size`` and ``other`` members whose weights multiply to ``pairs``."""
        total, weight, count, cut = link
        if size + other <= self.capped_above:
            return round(total / (weight + self.unscored * (pairs - weight - cut) + self.unscored * cut), 9)
        if count < self.support * min(size, other):
            return -1.0  # too few scored pairs to speak for the silence between two large groups
        return round(total / (weight + self.silent * (pairs - weight - cut) + self.capped_weight * cut), 9)

    def bound(self, pairs: float, link: Link) -> float:
        """No less than :meth:`value` at any sizes: every unscored pair at the least it can weigh. As two clusters
        grow apart (no scored pair added between them), it can only fall: the pairs they add weigh no less than 0."""
        total, weight, _, cut = link
        least = min(self.unscored, self.silent)
        return total / (weight + least * (pairs - weight - cut) + min(least, self.capped_weight) * cut)


@dataclass(frozen=True)
class TimeRule:
    """What time costs a link: each group's :class:`~dedupe.clusterdays.GroupDays` (numbered as the groups) and
    the log-odds ``weight`` lost per ``log(1 + days)`` between two clusters' nearest days (see
    :func:`~dedupe.clusterdays.timed_link`). It only lowers links, so a link's :meth:`LinkRule.bound` still bounds it.
    """

    days: Sequence[GroupDays]
    weight: float


def merge_all(groups: Sequence[frozenset[str]], mass: Sequence[float], links: dict[int, dict[int, Link]],
              hot: Iterable[tuple[int, int]], rule: LinkRule, counter: CappedLinks | None = None,
              time: TimeRule | None = None) -> list[frozenset[str]]:
    """Merge ``groups`` (numbered by position) best link first while the best is at ``rule.threshold`` or more,
    ties to the pair of smaller numbers (a merged cluster takes the next number); the clusters, those left first,
    then the merged ones in the order made. ``mass``: each group's total weight; ``links``: each group's row of
    links (both ways, one :data:`Link` each, changed in place) to the groups it has scored pairs with; ``hot``: the
    pairs ``(i, j)`` whose :meth:`LinkRule.bound` is near the threshold or above (at least those: the others are
    never rated); ``counter``: the capped pairs between groups (its groups numbered alike), merged along;
    ``time``: what time costs a link (None: nothing), each cluster's days the union of its groups'."""
    return Merging(groups, mass, links, hot, rule, counter, time).run()


class Merging:
    """The merging's state. A merged cluster keeps the slot (row, mass, capped rows) of the part with more links
    and takes a new number; its links are then worked out again only where the other part had links, and where
    their :meth:`LinkRule.bound` was near the threshold or above: every other link of the kept part gained unscored
    pairs only, so its bound fell, and its value stays below the threshold. Capped pairs are counted afresh. The heap
    holds ``(-value, number, number)`` only for values at the threshold or above, so the merges and their order are
    those of pushing every link after every merge (the former way), which would only have popped the others once
    nothing could merge."""

    def __init__(self, groups: Sequence[frozenset[str]], mass: Sequence[float], links: dict[int, dict[int, Link]],
                 hot: Iterable[tuple[int, int]], rule: LinkRule, counter: CappedLinks | None,
                 time: TimeRule | None = None) -> None:
        self.groups, self.links, self.rule, self.counter = groups, links, rule, counter
        self.days = list(time.days) if time is not None and time.weight else None  # each slot's days
        self.day_weight = time.weight if time is not None else 0.0
        self.mass, self.size = list(mass), [len(group) for group in groups]
        self.number = list(range(len(groups)))  # each slot's cluster number (a merged one takes a new number)
        self.slot = {number: number for number in range(len(groups))}  # the slot of each cluster still there
        self.parts: dict[int, list[int]] = {}  # the starting groups in each merged slot
        self.hot: dict[int, set[int]] = {}  # each slot's links whose bound is near the threshold or above
        self.floor = rule.threshold - BOUND_MARGIN
        self.heap: list[tuple[float, int, int]] = []
        for i, j in hot:
            self._rate(i, j, links[i][j])
        heapq.heapify(self.heap)

    def run(self) -> list[frozenset[str]]:
        """Merge until no link reaches the threshold; the clusters."""
        new = len(self.groups)
        while self.heap:
            _, i, j = heapq.heappop(self.heap)
            if i in self.slot and j in self.slot:
                self._merge(self.slot.pop(i), self.slot.pop(j), new)
                new += 1
        return self._clusters()

    def _rate(self, i: int, j: int, link: Link) -> None:
        """Work out the link of slots ``i`` and ``j`` again: mark it hot or not, push its value if high enough."""
        pairs = self.mass[i] * self.mass[j]
        if self.rule.bound(pairs, link) < self.floor:
            self.hot.get(i, set()).discard(j)
            self.hot.get(j, set()).discard(i)
            return
        self.hot.setdefault(i, set()).add(j)
        self.hot.setdefault(j, set()).add(i)
        value = self.rule.value(self.size[i], self.size[j], pairs, link)
        if self.days is not None and value >= self.rule.threshold:
            value = timed_link(value, self.days[i], self.days[j], self.day_weight)
        if value >= self.rule.threshold:
            first, second = sorted((self.number[i], self.number[j]))
            heapq.heappush(self.heap, (-value, first, second))

    def _merge(self, a: int, b: int, new: int) -> None:
        """Slots ``a`` and ``b`` become one cluster numbered ``new``, in the slot of the one with more links."""
        kept, gone = (a, b) if len(self.links[a]) >= len(self.links[b]) else (b, a)
        row, joining = self.links[kept], self.links.pop(gone)
        row.pop(gone, None)
        hot = self.hot.setdefault(kept, set())
        hot.discard(gone)
        self.hot.pop(gone, None)
        for other, link in joining.items():
            if other == kept:
                continue
            del self.links[other][gone]
            self.hot.get(other, set()).discard(gone)
            held = row.get(other)
            if held is None:
                row[other] = self.links[other][kept] = link
            else:  # sums of two, as the former way's, in either order
                held[0] += link[0]
                held[1] += link[1]
                held[2] += link[2]
        if self.counter is not None:
            self._count_capped(a, b, kept, row)
        self.mass[kept] = self.mass[a] + self.mass[b]
        if self.days is not None:
            self.days[kept] = joined(self.days[a], self.days[b])
        self.size[kept] += self.size[gone]
        self.number[kept], self.slot[new] = new, kept
        fewer, more = sorted((self.parts.pop(kept, [kept]), self.parts.pop(gone, [gone])), key=len)
        more.extend(fewer)
        self.parts[kept] = more
        for other in (hot | joining.keys()) - {kept}:
            self._rate(kept, other, row[other])

    def _count_capped(self, a: int, b: int, kept: int, row: dict[int, Link]) -> None:
        """Slots ``a`` and ``b`` (in the order popped) merged into ``kept``: the capped pairs between it and each
        cluster of its ``row``, counted afresh over its members' rows in the former way's order (so alike, bit for
        bit, with weights too)."""
        assert self.counter is not None
        self.counter.merge(a, b, kept)
        found = self.counter.counts(kept, list(row))
        for other, link in row.items():
            link[3] = found.get(other, 0)

    def _clusters(self) -> list[frozenset[str]]:
        """Each remaining cluster's members, in the order of their numbers."""
        order = sorted(self.slot.values(), key=self.number.__getitem__)
        return [frozenset().union(*(self.groups[k] for k in self.parts[slot])) if slot in self.parts
                else self.groups[slot] for slot in order]
