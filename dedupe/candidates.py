"""Candidate pairs from exact hashes and MinHash LSH, each pair once with the smaller id first."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from datasketch import MinHashLSH

from .signatures import Signature, jaccard
from .types import Edge

#: The banding must catch a pair at the threshold with at least this probability.
TARGET_RECALL = 0.995


def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """Bands and rows so that a pair at ``threshold`` collides with probability >= TARGET_RECALL.

    Picks the most rows per band (fewest false candidates) that still reaches the target;
    a pair collides in a band with probability ``J ** rows``.
    """
    for rows in range(num_perm, 0, -1):
        bands = num_perm // rows
        if 1.0 - (1.0 - threshold**rows) ** bands >= TARGET_RECALL:
            return bands, rows
    return num_perm, 1


def exact_edges(signatures: Sequence[Signature]) -> list[Edge]:
    """Link each exact copy to the smallest id of its group (a star, not all pairs)."""
    groups: dict[str, list[str]] = defaultdict(list)
    for sig in signatures:
        groups[sig.exact].append(sig.article_id)
    edges = []
    for ids in groups.values():
        head, *rest = sorted(ids)
        edges.extend(Edge(head, other, "exact", 1.0) for other in rest)
    return edges


def lsh_pairs(signatures: Sequence[Signature], threshold: float, num_perm: int) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, that share an LSH band; exact copies are skipped.

    Only one member of each exact-copy group is indexed: copies share its edges.
    """
    bands, rows = lsh_params(threshold, num_perm)
    lsh = MinHashLSH(num_perm=num_perm, params=(bands, rows))
    first_of: dict[str, int] = {}
    pairs: set[tuple[int, int]] = set()
    for index, sig in enumerate(signatures):
        if sig.exact in first_of or not len(sig.shingles):
            continue
        first_of[sig.exact] = index
        for other in lsh.query(sig.minhash):
            pairs.add((other, index))
        lsh.insert(index, sig.minhash, check_duplication=False)
    return sorted(pairs)


def near_duplicate_edges(signatures: Sequence[Signature], threshold: float, num_perm: int) -> list[Edge]:
    """Verified near-duplicate edges: LSH candidates whose exact Jaccard is >= ``threshold``."""
    edges = []
    for i, j in lsh_pairs(signatures, threshold, num_perm):
        score = jaccard(signatures[i].shingles, signatures[j].shingles)
        if score >= threshold:
            a, b = sorted((signatures[i].article_id, signatures[j].article_id))
            edges.append(Edge(a, b, "near_duplicate", score))
    return edges


def pair_key(a: str, b: str) -> tuple[str, str]:
    """The canonical order of a pair of ids."""
    return (a, b) if a <= b else (b, a)


def unique_pairs(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Distinct canonical pairs, sorted; self-pairs dropped."""
    return sorted({pair_key(a, b) for a, b in pairs if a != b})


def blocked_pairs(keys: dict[str, list[str]], max_block: int) -> list[tuple[str, str]]:
    """Pairs of articles sharing a salient key, each once, smaller id first.

    ``keys`` maps article id -> its salient keys. A key held by more than ``max_block``
    articles is too common to mean one story and is skipped, so the work per article is
    bounded and the total grows near-linearly with the corpus.
    """
    postings: dict[str, list[str]] = defaultdict(list)
    for article_id in sorted(keys):
        for key in keys[article_id]:
            postings[key].append(article_id)
    pairs: set[tuple[str, str]] = set()
    for members in postings.values():
        if 2 <= len(members) <= max_block:
            pairs.update((a, b) for i, a in enumerate(members) for b in members[i + 1:])
    return sorted(pairs)
