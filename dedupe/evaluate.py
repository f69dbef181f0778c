"""Clustering quality against gold labels: pairwise and B-cubed precision/recall/F1 and ARI."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .errors import InputError, json_problem
from .types import Article


@dataclass(frozen=True)
class Scores:
    """Quality of a predicted clustering against a gold one, all in 0..1 (ARI in -1..1)."""

    pair_precision: float
    pair_recall: float
    pair_f1: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    ari: float
    articles: int

    def as_dict(self) -> dict[str, float]:
        """Rounded values for JSON and tables."""
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def _pairs(n: int) -> int:
    """Number of unordered pairs among n items."""
    return n * (n - 1) // 2


def _f1(precision: float, recall: float) -> float:
    """Harmonic mean, 0 when both are 0."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score(predicted: Mapping[str, str], gold: Mapping[str, str]) -> Scores:
    """Compare two labelings of the same items (item id -> cluster label).

    Only items present in both are counted. Pairwise scores count item pairs put
    together; B-cubed averages per-item precision and recall; ARI is the adjusted Rand
    index (Hubert and Arabie), 1.0 for identical partitions and about 0 for chance.
    """
    items = sorted(set(predicted) & set(gold))
    joint = Counter((predicted[i], gold[i]) for i in items)
    pred_sizes = Counter(predicted[i] for i in items)
    gold_sizes = Counter(gold[i] for i in items)
    together_both = sum(_pairs(n) for n in joint.values())
    together_pred = sum(_pairs(n) for n in pred_sizes.values())
    together_gold = sum(_pairs(n) for n in gold_sizes.values())
    precision = together_both / together_pred if together_pred else 1.0
    recall = together_both / together_gold if together_gold else 1.0
    b_precision, b_recall = _bcubed(items, joint, pred_sizes, gold_sizes, predicted, gold)
    return Scores(
        pair_precision=precision,
        pair_recall=recall,
        pair_f1=_f1(precision, recall),
        bcubed_precision=b_precision,
        bcubed_recall=b_recall,
        bcubed_f1=_f1(b_precision, b_recall),
        ari=_ari(together_both, together_pred, together_gold, _pairs(len(items))),
        articles=len(items),
    )


def _bcubed(
    items: list[str],
    joint: Counter,
    pred_sizes: Counter,
    gold_sizes: Counter,
    predicted: Mapping[str, str],
    gold: Mapping[str, str],
) -> tuple[float, float]:
    """B-cubed precision and recall, averaged over items."""
    if not items:
        return 1.0, 1.0
    precision = recall = 0.0
    for item in items:
        shared = joint[(predicted[item], gold[item])]
        precision += shared / pred_sizes[predicted[item]]
        recall += shared / gold_sizes[gold[item]]
    return precision / len(items), recall / len(items)


def _ari(index: int, pred: int, gold: int, total: int) -> float:
    """Adjusted Rand index from pair counts."""
    if total == 0:
        return 1.0
    expected = pred * gold / total
    maximum = (pred + gold) / 2
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)


def labels_from_clusters(clusters: Mapping[str, list[str]] | list[list[str]]) -> dict[str, str]:
    """Item -> label from a list of member lists (label = the list's index) or a label -> members map."""
    groups = clusters.items() if isinstance(clusters, Mapping) else enumerate(clusters)
    return {member: str(label) for label, members in groups for member in members}


LEVELS: tuple[tuple[str, frozenset[str]], ...] = (
    ("exact", frozenset({"exact"})),
    ("+near_duplicate", frozenset({"exact", "near_duplicate"})),
    ("+same_story", frozenset({"exact", "near_duplicate", "same_story"})),
)


def gold_from_records(articles: Iterable[Article], field: str) -> dict[str, str]:
    """Article id -> gold label from each record's ``field`` (records without one are left out)."""
    gold = {}
    for article in articles:
        value = article.record.get(field)
        if value is not None and value != "":
            gold[article.id] = str(value)
    return gold


def read_clusters(directory: str | Path) -> list[dict[str, Any]]:
    """The records of a run's ``clusters.jsonl``."""
    path = Path(directory) / "clusters.jsonl"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise InputError(f"cannot read the run's clusters ({error.strerror}).", file=str(path),
                         hint="point at a directory written by `dedupe run -o DIR`.") from None
    records = []
    for number, line in enumerate(lines, start=1):
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as error:
            raise InputError(f"not valid JSON ({json_problem(error)}).", file=str(path), line=number,
                             hint="re-create it with `dedupe run -o DIR`.") from None
    return records


def _components(members: list[str], edges: list[dict[str, Any]], relations: frozenset[str]) -> list[list[str]]:
    """Connected components of a cluster's members over edges of the given relations."""
    parent = {m: m for m in members}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for edge in edges:
        if edge["relation"] in relations and edge["a"] in parent and edge["b"] in parent:
            parent[find(edge["a"])] = find(edge["b"])
    groups: dict[str, list[str]] = {}
    for member in members:
        groups.setdefault(find(member), []).append(member)
    return list(groups.values())


def evaluate_clusters(clusters: list[dict[str, Any]], gold: Mapping[str, str]) -> dict[str, Any]:
    """Overall scores, scores per relation level (copies only, then + rewrites), and edge precision."""
    overall = score(labels_from_clusters([c["members"] for c in clusters]), gold)
    levels = {}
    for name, relations in LEVELS:
        parts = [part for c in clusters for part in _components(c["members"], c["edges"], relations)]
        levels[name] = score(labels_from_clusters(parts), gold).as_dict()
    edges: dict[str, list[int]] = {}
    for cluster in clusters:
        for edge in cluster["edges"]:
            if edge["a"] in gold and edge["b"] in gold:
                right = edges.setdefault(edge["relation"], [0, 0])
                right[0] += gold[edge["a"]] == gold[edge["b"]]
                right[1] += 1
    edge_precision = {r: {"edges": n, "precision": round(ok / n, 4)} for r, (ok, n) in sorted(edges.items())}
    return {"overall": overall.as_dict(), "levels": levels, "edge_precision": edge_precision,
            "unlabelled": sum(len(c["members"]) for c in clusters) - overall.articles}
