"""Clustering quality against gold labels: pairwise and B-cubed precision/recall/F1 and ARI."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass


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
