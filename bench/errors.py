"""Where the same-story stage loses quality: blocking recall, oracle and threshold ARIs, the largest errors.

Usage: python bench/errors.py [--data DIR] [--corpus NAME ...] [--show N] [--variant NAME]

For each labelled corpus (same-story stage only, no copy detection, default settings):

* blocking recall: the share of gold same-story pairs that ever become candidates;
* the ARI of the current scores, of *oracle* scores (1 for a gold pair, 0 for any other candidate:
  what perfect scoring would give with the current blocking and clustering), and of the current
  scores under the best single ``link_threshold`` (what calibration alone could give);
* the pair AUC of the scores on candidates;
* the ``--show`` largest false merges (predicted clusters mixing gold stories) and false splits
  (gold stories cut apart), with ids, outlets, days and titles to read with ``dedupe explain A B``.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from degrade import VARIANTS

from dedupe import Config, read_articles
from dedupe.evaluate import labels_from_clusters, score
from dedupe.linkage import average_linkage
from dedupe.match import candidate_pairs, neighbour_ranks, profiles_for, score_all
from dedupe.pipeline import prepare
from dedupe.types import Article

DEFAULT_DATA = ROOT.parent / "shared" / "data"
CORPORA = ("wikinews_clusters", "ecbplus_dev", "allsides_roundups", "gva_incidents_dev")
THRESHOLDS = tuple(round(0.2 + 0.05 * step, 2) for step in range(15))


def gold_pairs(gold: dict[str, str]) -> set[tuple[str, str]]:
    """Every pair of articles (smaller id first) that gold puts in one story."""
    members: dict[str, list[str]] = defaultdict(list)
    for article_id, label in gold.items():
        members[label].append(article_id)
    return {tuple(sorted(pair)) for ids in members.values() for pair in itertools.combinations(ids, 2)}


def cluster_ari(ids: list[str], similarity: dict, gold: dict[str, str], threshold: float, config: Config) -> float:
    """The ARI of average linkage over ``similarity`` at ``threshold``."""
    parts = average_linkage([frozenset({i}) for i in ids], similarity, threshold, config.unscored_weight)
    return score(labels_from_clusters([sorted(p) for p in parts]), gold).ari


def pair_auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """The area under the ROC curve of ``scores`` for boolean ``labels`` (ties counted by mean rank)."""
    values, inverse = np.unique(scores, return_inverse=True)
    counts = np.bincount(inverse, minlength=len(values))
    ranks = (np.cumsum(counts) - (counts - 1) / 2.0)[inverse]  # mean rank over ties
    positives = labels.sum()
    negatives = len(labels) - positives
    return float((ranks[labels].sum() - positives * (positives + 1) / 2) / max(positives * negatives, 1))


def stage_losses(ids: list[str], similarity: dict, gold: dict[str, str], config: Config) -> dict[str, float]:
    """Blocking recall, ARIs (current, oracle, best threshold) and pair AUC of one corpus."""
    positives = gold_pairs(gold)
    oracle = {pair: 1.0 if pair in positives else 0.0 for pair in similarity}
    best = max((cluster_ari(ids, similarity, gold, t, config), t) for t in THRESHOLDS)
    labels = np.array([pair in positives for pair in similarity])
    return {"gold_pairs": len(positives), "candidates": len(similarity),
            "blocking_recall": len(positives & set(similarity)) / max(len(positives), 1),
            "ari": cluster_ari(ids, similarity, gold, config.link_threshold, config),
            "oracle_ari": cluster_ari(ids, oracle, gold, config.link_threshold, config),
            "best_threshold_ari": best[0], "best_threshold": best[1],
            "pair_auc": pair_auc(labels, np.array(list(similarity.values())))}


def wrong_pairs(members: list[str], label_of: dict[str, object]) -> int:
    """Pairs of ``members`` that ``label_of`` puts apart."""
    sizes = Counter(label_of[m] for m in members).values()
    return (len(members) ** 2 - sum(n * n for n in sizes)) // 2


def describe(article: Article) -> str:
    """One line to recognise an article by."""
    return f"{article.id}  {article.day or '-'}  {article.outlet or '-'}  {(article.title or article.text)[:70]!r}"


def show_errors(parts: list[frozenset[str]], gold: dict[str, str], articles: dict[str, Article], count: int) -> None:
    """Print the ``count`` largest false merges and false splits."""
    predicted = {member: index for index, part in enumerate(parts) for member in part}
    stories: dict[str, list[str]] = defaultdict(list)
    for article_id, label in gold.items():
        stories[label].append(article_id)
    merges = sorted(parts, key=lambda p: (-wrong_pairs(sorted(p), gold), min(p)))[:count]
    print(f"  false merges: {sum(wrong_pairs(sorted(p), gold) for p in parts)} wrong pairs in all; largest:")
    for part in (p for p in merges if wrong_pairs(sorted(p), gold)):
        print(f"    cluster of {len(part)}, {wrong_pairs(sorted(part), gold)} wrong pairs:")
        for member in sorted(part, key=lambda m: (gold[m], m)):
            print(f"      {gold[member][:40]:<40}  {describe(articles[member])}")
    splits = sorted(stories, key=lambda s: (-wrong_pairs(stories[s], predicted), s))[:count]
    print(f"  false splits: {sum(wrong_pairs(m, predicted) for m in stories.values())} missed pairs in all; largest:")
    for story in (s for s in splits if wrong_pairs(stories[s], predicted)):
        print(
            f"    {story[:60]}: {len(stories[story])} articles, {wrong_pairs(stories[story], predicted)} missed pairs:"
        )
        for member in sorted(stories[story], key=lambda m: (predicted[m], m)):
            print(f"      piece {predicted[member]:<5} {describe(articles[member])}")


def analyse(name: str, data: Path, config: Config, count: int, variant: str = "given") -> None:
    """Measure and print one corpus (as changed by one of ``bench/degrade.py``'s variants)."""
    articles = prepare(VARIANTS[variant](list(read_articles([str(data / name / "data.jsonl")]))))
    gold = {a.id: str(a.record.get("cluster")) for a in articles}
    profiles, _ = profiles_for(articles)
    ranks = neighbour_ranks(profiles, candidate_pairs(profiles, config))
    similarity = {(s.a, s.b): s.score for s in score_all(profiles, ranks, config)}
    ids = [a.id for a in articles]
    losses = stage_losses(ids, similarity, gold, config)
    print(f"{name}: {len(ids)} articles, {losses['gold_pairs']} gold pairs, {losses['candidates']} candidates")
    print(f"  blocking recall {losses['blocking_recall']:.3f}; pair AUC on candidates {losses['pair_auc']:.3f}")
    print(f"  ARI {losses['ari']:.3f}; with oracle scores {losses['oracle_ari']:.3f}; "
          f"best link_threshold {losses['best_threshold']} gives {losses['best_threshold_ari']:.3f}")
    if count:
        parts = average_linkage([frozenset({i}) for i in ids], similarity, config.link_threshold,
                                config.unscored_weight)
        show_errors(parts, gold, {a.id: a for a in articles}, count)


def main() -> None:
    """Parse arguments and analyse every corpus asked for."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--corpus", action="append", default=[])
    parser.add_argument("--show", type=int, default=3, help="largest false merges and splits to list")
    parser.add_argument("--variant", default="given", choices=list(VARIANTS),
                        help="a field removed first, as in bench/degrade.py")
    args = parser.parse_args()
    for name in args.corpus or CORPORA:
        if (args.data / name / "data.jsonl").exists():
            analyse(name, args.data, Config(), args.show, args.variant)


if __name__ == "__main__":
    main()
