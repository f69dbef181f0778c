"""Average linkage's merging (linkmerge) against the former way, which worked out every link after every merge."""

from __future__ import annotations

import heapq
import itertools
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe.cappedlinks import CappedLinks
from dedupe.linkage import _group_links, as_pair_values, average_linkage, group_mass
from dedupe.linkage import linked_groups as linked
from dedupe.linkmerge import LinkRule
from dedupe.pairtable import PairTable, table_of


def former_linkage(groups: list[frozenset[str]], similarity: dict[tuple[str, str], float], threshold: float,
                   unscored: float, capped: PairTable | None, capped_weight: float, capped_above: int,
                   silent_weight: float | None, support: float, weights: dict[str, float] | None,
                   ) -> list[frozenset[str]]:
    """The merging as it was: every link of a merged cluster summed from both rows, its capped pairs counted
    afresh, its value pushed (below the threshold too), the loop ending at the first value below it."""
    clusters = dict(enumerate(sorted(groups, key=min)))
    scored = as_pair_values(similarity)
    counter = (CappedLinks(capped, clusters, linked(clusters, scored.table), None, weights)
               if capped is not None else None)
    silent = unscored if silent_weight is None else silent_weight
    mass = {index: group_mass(group, weights) for index, group in clusters.items()}
    found, _ = _group_links(clusters, scored, threshold, min(unscored, silent), counter,
                            min(capped_weight, unscored, silent), weights)
    links = {i: {j: tuple(link) for j, link in row.items()} for i, row in found.items()}
    slot = {index: index for index in clusters}  # the counter's number of each cluster

    def link(i: int, j: int, total: float, weight: float, count: int, cut: float) -> float:
        small, large = sorted((len(clusters[i]), len(clusters[j])))
        pairs = mass[i] * mass[j]
        if small + large <= capped_above:
            return round(total / (weight + unscored * (pairs - weight - cut) + unscored * cut), 9)
        if count < support * small:
            return -1.0
        return round(total / (weight + silent * (pairs - weight - cut) + capped_weight * cut), 9)

    heap = [(-link(i, j, *tc), i, j) for i, row in links.items() for j, tc in row.items() if i < j]
    heap = [entry for entry in heap if -entry[0] >= threshold]
    heapq.heapify(heap)
    new = len(clusters)
    while heap:
        negative, i, j = heapq.heappop(heap)
        if -negative < threshold:
            break
        if i not in clusters or j not in clusters:
            continue
        clusters[new] = clusters.pop(i) | clusters.pop(j)
        mass[new] = mass.pop(i) + mass.pop(j)
        row: dict[int, tuple] = {}
        for old in (i, j):
            for other, (total, weight, count, _) in links.pop(old).items():
                links[other].pop(old, None)
                if other not in (i, j):
                    before = row.get(other, (0.0, 0, 0, 0))
                    row[other] = (before[0] + total, before[1] + weight, before[2] + count, 0)
        if counter is not None:
            counter.merge(slot[i], slot[j], slot[i])
            slot[new] = slot.pop(i)
            del slot[j]
            cut = counter.counts(slot[new])
            row = {other: (*sums[:3], cut.get(slot[other], 0)) for other, sums in row.items()}
        links[new] = row
        for other, tc in row.items():
            links[other][new] = tc
            heapq.heappush(heap, (-link(other, new, *tc), other, new))
        new += 1
    return list(clusters.values())


@st.composite
def tied_problems(draw: st.DrawFn) -> tuple:
    """Groups of ids, scores from a few values (ties abound), capped pairs, weights (whole or not), a threshold."""
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    ids = [f"n{i:02d}" for i in range(draw(st.integers(2, 16)))]
    rng.shuffle(ids)
    cuts = sorted(rng.sample(range(1, len(ids)), rng.randint(0, len(ids) // 2)))
    groups = [frozenset(ids[a:b]) for a, b in zip([0, *cuts], [*cuts, len(ids)])]
    density, values = draw(st.sampled_from([0.3, 0.6, 0.9])), [0.3, 0.5, 0.6, 0.75, 0.9, 1.0]
    similarity, capped = {}, []
    for pair in itertools.combinations(sorted(ids), 2):
        if rng.random() < density:
            similarity[pair] = rng.choice(values)
        elif rng.random() < 0.6:
            capped.append(pair)
    power = draw(st.sampled_from([None, 1.0, 0.5]))
    weights = None if power is None else {m: float(rng.choice([1, 2, 3, 7])) ** power for m in ids
                                          if rng.random() < 0.5}
    return groups, similarity, capped, weights, draw(st.sampled_from([0.3, 0.5, 0.6]))


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(tied_problems(), st.sampled_from([0, 2, 5]), st.sampled_from([None, 0.05]), st.sampled_from([0.0, 1.0]),
       st.sampled_from([0.0, 0.05, 0.3]))
def test_merging_gives_the_former_clusters_in_the_former_order(problem: tuple, above: int, silent: float | None,
                                                               support: float, capped_weight: float) -> None:
    groups, similarity, capped, weights, threshold = problem
    table = table_of(capped) if capped else None
    args = (groups, similarity, threshold, 0.3, table, capped_weight, above)
    want = former_linkage(*args, silent, support, weights)
    assert average_linkage(*args, silent_weight=silent, support=support, weights=weights) == want


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.floats(0.0, 50.0), st.integers(1, 20), st.integers(0, 20), st.floats(0.0, 1.0), st.floats(0.0, 1.0),
       st.integers(0, 4), st.integers(0, 20),
       st.sampled_from([(0.3, 0.3, 0.05, 11, 0.0), (0.3, 0.05, 0.05, 11, 2.0), (0.5, 0.2, 0.4, 3, 1.0)]))
def test_a_links_bound_holds_at_any_size_and_falls_as_clusters_grow_apart(
        mean: float, count: int, spare: int, capped_share: float, more: float, grown: int, grown_capped: int,
        weights: tuple) -> None:
    """The bound is no less than the value (rounded to 9 places) at any sizes, and only falls when a merge adds
    unscored pairs (some capped) between two clusters: the merging leaves links that fell short unrated."""
    unscored, silent, capped_weight, above, support = weights
    rule = LinkRule(0.6, unscored, silent, capped_weight, above, support)
    pairs = float(count + spare)  # every pair weighing 1: the scored ones, then the unscored
    link = [mean * count / 50.0, float(count), count, float(round(spare * capped_share))]
    bound = rule.bound(pairs, link)
    for size, other in itertools.product(range(1, 25), repeat=2):
        assert rule.value(size, other, pairs, link) <= bound + 5e-10
    extra = float(grown + round(more * 10))  # the pairs a merge adds between them, none scored
    apart = [*link[:3], link[3] + min(extra, float(grown_capped))]
    assert rule.bound(pairs + extra, apart) <= bound
