"""Average linkage of copy groups over their scored pairs: clusters that grow only by groups close to all of them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from .cappedlinks import Adjacency, CappedLinks, Pairs
from .clusterdays import NO_DAYS, GroupDays, joined_all
from .config import Config
from .graph import HeadGroups
from .linkmerge import BOUND_MARGIN, Link, LinkRule, TimeRule, merge_all
from .pairtable import PairTable, PairValues, even_ranges, stable_order, table_of
from .signatures import sorted_unique


def average_link(total: Any, count: Any, pairs: Any, unscored_weight: float, capped: Any = 0,
                 capped_weight: float = 0.0) -> Any:
    """The average link of two groups: the ``total`` of their ``count`` scored pairs over all ``pairs``
    of them, an unscored pair weighing ``unscored_weight``, except the ``capped`` ones (blocked, then left out
    by the cap), which weigh ``capped_weight`` (floats or numpy arrays alike; with no capped pair the sum is
    the one without them, bit for bit)."""
    return total / (count + unscored_weight * (pairs - count - capped) + capped_weight * capped)


def average_linkage(
    groups: Sequence[frozenset[str]],
    similarity: Mapping[tuple[str, str], float],
    threshold: float,
    unscored_weight: float = 1.0,
    capped: Pairs | None = None,
    capped_weight: float = 0.0,
    capped_above: int = 0,
    *,
    silent_weight: float | None = None,
    support: float = 0.0,
    capped_adjacency: Adjacency | None = None,
    weights: Mapping[str, float] | None = None,
    days: Mapping[str, GroupDays] | None = None,
    day_weight: float = 0.0,
) -> list[frozenset[str]]:
    """Merge groups bottom-up while the average pairwise similarity between two stays >= threshold.

    ``similarity`` holds the scores of the article pairs that were compared (either
    order; a :class:`pairtable.PairValues` is read as arrays). A pair never compared counts
    as a score of 0 with weight ``unscored_weight`` (1.0: like a compared pair that scored 0;
    smaller: blocking's silence is weaker evidence than a low score). The pairs of ``capped`` (blocked,
    then left out by :mod:`dedupe.capping`'s cap; a table or their spool) count so too, except between two groups of
    more than ``capped_above`` members together, where they weigh ``capped_weight``: between small groups each
    member's best candidates have room for the others, so a pair the cap left out was outranked (weak
    evidence against, as before); a story of many reports cannot have every pair among its members'
    best, so there the cap's silence says little. ``silent_weight`` (when given) is what every other unscored pair
    weighs between groups of more than ``capped_above`` members together, and two such groups link only when their
    scored pairs number at least ``support`` times the smaller group's members (see :func:`joined_pieces`, the
    second pass that uses them); ``capped_adjacency``: ``cappedlinks.adjacency(capped)`` when already made.
    ``weights`` (when given) weighs each id's pairs by its weight (absent: 1), a pair by the product of its two
    ids' weights: the pipeline gives a head its copy group's articles (see :func:`head_weights`), so the link is
    the average over article pairs, not head pairs; the cap's rules still count heads. ``days`` (when given with a
    ``day_weight``) gives ids their :class:`~dedupe.clusterdays.GroupDays` (absent: none); a link then loses
    ``day_weight`` log-odds per ``log(1 + days)`` between the two clusters' nearest days when both have a
    publication day (see :func:`~dedupe.clusterdays.timed_link`). A cluster only grows by
    joining a group that is close to *all* of it: a
    chain of weak links A-B-C does not pull A and C together. Ties merge in a fixed order (by the
    groups' smallest ids), so the result does not depend on input order.
    """
    clusters: dict[int, frozenset[str]] = dict(enumerate(sorted(groups, key=min)))
    scored = as_pair_values(similarity)
    counter = (CappedLinks(capped, clusters, linked_groups(clusters, scored.table), capped_adjacency, weights)
               if capped is not None and len(capped) else None)
    silent = unscored_weight if silent_weight is None else silent_weight
    mass = [group_mass(group, weights) for group in clusters.values()]
    links, hot = _group_links(clusters, scored, threshold, min(unscored_weight, silent), counter,
                              min(capped_weight, unscored_weight, silent), weights)
    rule = LinkRule(threshold, unscored_weight, silent, capped_weight, capped_above, support)
    time = TimeRule([days_of(group, days) for group in clusters.values()], day_weight) if days and day_weight else None
    return merge_all(list(clusters.values()), mass, links, hot, rule, counter, time)


def days_of(group: frozenset[str], days: Mapping[str, GroupDays]) -> GroupDays:
    """The days of a group: its ids' :class:`~dedupe.clusterdays.GroupDays` joined (sorted ids, for one order)."""
    return joined_all(days.get(member, NO_DAYS) for member in sorted(group))


def joined_pieces(clusters: Sequence[frozenset[str]], similarity: Mapping[tuple[str, str], float], config: Config,
                  capped: Pairs, capped_adjacency: Adjacency | None = None,
                  weights: Mapping[str, float] | None = None,
                  days: Mapping[str, GroupDays] | None = None) -> list[frozenset[str]]:
    """The second pass of average linkage, over the first pass's ``clusters``: a story with more reports than the
    cap (``config.max_candidates``) cannot have its pairs among its members' best, and one whose common keys are
    outranked by rarer ones shares no usable key between many of its pairs, so the first pass leaves it in pieces.
    Between two clusters of more than ``config.capped_size`` heads together, every unscored pair now weighs
    ``config.capped_weight`` (the cap's silence), provided their scored pairs number at least
    ``config.piece_support`` times the smaller one's heads (so a few strong pairs cannot join two large clusters);
    smaller clusters link as in the first pass, so no link between them reaches the threshold again.
    ``capped_adjacency``: the first pass's ``cappedlinks.adjacency(capped)``, when kept; ``weights`` and ``days``:
    the first pass's (``days`` weighing ``config.day_link_weight``).

    Example: pieces of 12 and 20 heads with 40 scored pairs averaging 0.9 and 200 unscored pairs link at
    ``36 / (40 + 0.05 * 200) = 0.72`` (the first pass: ``36 / (40 + 0.3 * 200) = 0.36``).
    """
    return average_linkage(clusters, similarity, config.link_threshold, config.unscored_weight, capped,
                           config.capped_weight, config.capped_size, silent_weight=config.capped_weight,
                           support=config.piece_support, capped_adjacency=capped_adjacency, weights=weights,
                           days=days, day_weight=config.day_link_weight)


def head_weights(by_head: Mapping[str, frozenset[str]], power: float) -> dict[str, float] | None:
    """Each head's weight in average linkage: its copy group's article count to the ``power`` (None at 0: every
    head weighs 1, the average is over head pairs; 1: over article pairs). Only heads of two or more articles
    are listed (a lone head weighs 1 at any power).

    Example: ``head_weights({"a": frozenset({"a", "b", "c", "d"}), "e": frozenset({"e"})}, 0.5)`` is ``{"a": 2.0}``.
    """
    if power == 0:
        return None
    groups = by_head.groups if isinstance(by_head, HeadGroups) else by_head  # those of two or more, kept apart
    return {head: float(len(group)) ** power for head, group in groups.items() if len(group) > 1}


def group_mass(group: frozenset[str], weights: Mapping[str, float] | None) -> float:
    """The total weight of a group's ids (its size without ``weights``: an int, so the sums stay those of counts)."""
    return len(group) if weights is None else sum(weights.get(m, 1.0) for m in sorted(group))


#: How far below the threshold a group's best starting link may be and still take part in merging:
#: far beyond float error, so a group left out could never have merged.
ACTIVE_MARGIN = 1e-6
#: Scored pairs between groups summed at a time when average linkage starts: bounds the sort's temporaries.
LINK_ROWS_PER_BLOCK = 1 << 22


def as_pair_values(similarity: Mapping[tuple[str, str], float]) -> PairValues:
    """The similarity as a :class:`PairValues` (itself when it is one), rows in sorted pair order."""
    if isinstance(similarity, PairValues):
        return similarity
    table = table_of(similarity)
    return PairValues(table, np.array([similarity[pair] for pair in table.pairs()], dtype=np.float64))


def _group_links(clusters: dict[int, frozenset[str]], similarity: PairValues, threshold: float,
                 unscored_weight: float, capped: CappedLinks | None = None,
                 capped_weight: float = 0.0, weights: Mapping[str, float] | None = None,
                 ) -> tuple[dict[int, dict[int, Link]], list[tuple[int, int]]]:
    """For each pair of groups with compared pairs between them: the sum of those scores (added in sorted
    pair order), their count and the count of ``capped`` pairs; only among the groups that have a starting
    link near ``threshold`` or above, the capped pairs weighing ``capped_weight`` (the least they ever weigh).
    Also the pairs ``(i, j)``, ``i < j``, whose own link is near ``threshold`` or above with every unscored pair
    at those least weights (:meth:`~dedupe.linkmerge.LinkRule.bound`): the only ones the merging must rate.
    A group whose every such link is below it never merges: with the capped pairs at that fixed weight, merging
    two groups gives a link to a third that lies between (or, counting unscored pairs, below) their two links
    (each part of the sum and of the weights adds up), and a capped pair weighing more only lowers a link."""
    table = similarity.table
    owner = _owners(clusters, table)
    sizes = np.array([group_mass(clusters[i], weights) for i in range(len(clusters))], dtype=np.float64)
    rows = row_weights(table.ids, weights)
    active = _active_groups(table, similarity.values, owner, sizes, threshold, unscored_weight, capped,
                            capped_weight, rows)
    owner[(owner >= 0) & ~active[np.maximum(owner, 0)]] = -1  # a link with an inactive group is never read
    links: dict[int, dict[int, Link]] = {index: {} for index in np.flatnonzero(active).tolist()}
    a, b, totals, masses, counts = _group_sums(table, similarity.values, owner, len(clusters), rows)
    cut = capped.starting(a, b) if capped is not None else np.zeros(len(a), dtype=np.int64)
    for i, j, total, mass, count, left_out in zip(a.tolist(), b.tolist(), totals.tolist(), masses.tolist(),
                                                  counts.tolist(), cut.tolist()):
        links[i][j] = links[j][i] = [total, mass, count, left_out]
    hot = (average_link(totals, masses, sizes[a] * sizes[b], unscored_weight, cut, capped_weight)
           >= threshold - BOUND_MARGIN)
    return links, list(zip(a[hot].tolist(), b[hot].tolist()))


def row_weights(ids: Sequence[str], weights: Mapping[str, float] | None) -> np.ndarray | None:
    """Each id's weight (absent: 1) as an array over ``ids``; None without ``weights``."""
    return None if weights is None else np.array([weights.get(i, 1.0) for i in ids], dtype=np.float64)


def _owners(clusters: Mapping[int, frozenset[str]], table: PairTable) -> np.ndarray:
    """Each of the table's article rows' group (int32; -1: in none)."""
    owner = np.full(len(table.ids), -1, dtype=np.int32)
    row_of = {article_id: row for row, article_id in enumerate(table.ids)}
    for index, group in clusters.items():
        owner[[row_of[m] for m in group if m in row_of]] = index
    return owner


def linked_groups(clusters: Mapping[int, frozenset[str]], table: PairTable) -> np.ndarray:
    """The pairs of groups ``i < j`` with pairs of ``table`` (the scored pairs) between them, as sorted keys
    ``i * len(clusters) + j``: the only pairs of starting groups whose capped counts linkage reads."""
    owner, found = _owners(clusters, table), [np.zeros(0, dtype=np.int64)]
    for left, right in table.chunks():
        low, high = owner[left].astype(np.int64), owner[right].astype(np.int64)
        linked = (low >= 0) & (high >= 0) & (low != high)
        low, high = low[linked], high[linked]
        found.append(sorted_unique(np.minimum(low, high) * len(clusters) + np.maximum(low, high)))
    return sorted_unique(np.concatenate(found))


def _group_sums(table: PairTable, values: np.ndarray, owner: np.ndarray, groups: int,
                rows: np.ndarray | None = None) -> tuple[np.ndarray, ...]:
    """For each pair of groups ``i < j`` (``owner`` gives each article row's group, -1: none) with scored pairs
    between them, sorted by ``(i, j)``: ``i``, ``j``, the sum of those scores added in pair order, their weight
    (each pair weighing the product of its rows' ``rows``; without them, the count) and their count. Done for
    ranges of ``i`` holding about ``LINK_ROWS_PER_BLOCK`` pairs at a time, which bounds the sort's temporaries;
    each range's group pairs come in order, so the result is that of one sort."""
    kinds = (np.int32, np.int32, float, int if rows is None else float, int)
    parts: list[tuple[np.ndarray, ...]] = [tuple(np.zeros(0, dtype=t) for t in kinds)]
    parts.extend(_range_sums(table, values, owner, groups, exact=True, rows=rows))
    return tuple(np.concatenate(column) for column in zip(*parts))


def _active_groups(table: PairTable, values: np.ndarray, owner: np.ndarray, sizes: np.ndarray,
                   threshold: float, unscored_weight: float, capped: CappedLinks | None = None,
                   capped_weight: float = 0.0, rows: np.ndarray | None = None) -> np.ndarray:
    """Which groups have a starting link at ``threshold - ACTIVE_MARGIN`` or above, range by range, holding
    no more than one range's sums at a time (the sums are added by numpy here: a difference in the last bits
    lies far inside ``ACTIVE_MARGIN``, and a group within it can never merge either way); ``sizes``: each group's
    weight, ``rows``: each article row's (None: 1)."""
    active = np.zeros(len(sizes), dtype=bool)
    for a, b, totals, masses, _ in _range_sums(table, values, owner, len(sizes), exact=False, rows=rows):
        cut = capped.starting(a, b) if capped is not None else 0
        strong = (average_link(totals, masses, sizes[a] * sizes[b], unscored_weight, cut, capped_weight)
                  >= threshold - ACTIVE_MARGIN)
        active[a[strong]] = active[b[strong]] = True
    return active


def _range_sums(table: PairTable, values: np.ndarray, owner: np.ndarray, groups: int,
                exact: bool, rows: np.ndarray | None = None) -> Iterator[tuple[np.ndarray, ...]]:
    """``_group_sums``' columns for one range of ``i`` at a time; ``exact``: each sum added in pair order
    (else by ``np.add.reduceat``, which may differ in the last bits)."""
    low = owner[table.left]
    high = owner[table.right]
    np.minimum(low, high, out=low)  # in place: two int32 arrays of the pairs held, no more
    np.maximum(owner[table.left], high, out=high)
    low[low == high] = -1  # pairs inside one group, or of an article in no group: not a link
    held = np.bincount(low[low >= 0], minlength=groups)
    for first, last in even_ranges(held, LINK_ROWS_PER_BLOCK):
        held_rows = np.flatnonzero((low >= first) & (low < last))
        order = stable_order(low[held_rows].astype(np.int64) * groups + high[held_rows], groups * groups)  # a
        # pair of groups' scores stay in pair order (as np.lexsort((high, low)) gives, in a fifth of the time)
        held_rows = held_rows[order]
        del order
        a, b, scores = low[held_rows], high[held_rows], values[held_rows]
        starts = np.flatnonzero(np.r_[True, (a[1:] != a[:-1]) | (b[1:] != b[:-1])]) if len(a) else a
        counts = np.diff(np.r_[starts, len(a)])
        if rows is None:
            yield a[starts], b[starts], _sums(scores, starts, counts, exact), counts, counts
            continue
        weight = rows[table.left[held_rows]] * rows[table.right[held_rows]]
        yield (a[starts], b[starts], _sums(scores * weight, starts, counts, exact),
               _sums(weight, starts, counts, exact), counts)


def _sums(scores: np.ndarray, starts: np.ndarray, counts: np.ndarray, exact: bool) -> np.ndarray:
    """The sum of each run of ``scores`` (runs start at ``starts``, ``counts`` long); ``exact``: added one by
    one in order, as a Python float."""
    if not exact:
        return np.add.reduceat(scores, starts) if len(starts) else scores[:0].copy()
    totals = scores[starts].copy()
    for at, count in zip(np.flatnonzero(counts > 1).tolist(), counts[counts > 1].tolist()):
        total = 0.0
        for score in scores[starts[at] : starts[at] + count].tolist():
            total += score
        totals[at] = total
    return totals
