"""Fit the same-story evidence weights on the labelled corpora, and check them leaving each corpus out.

Usage: python bench/fit_weights.py [--data DIR] [--corpus NAME ...]

For every candidate pair the pipeline scores, it records each comparison's score (and
whether both sides had the field), ln(1 + publication gap) and the neighbour-rank term,
then fits a logistic regression (Newton's method, L2 penalty) in which every corpus
weighs the same and positives and negatives are balanced. It prints the fitted weights
in the form the config takes (weight, neutral; bias, gap_weight, rank_weight) and a
leave-one-corpus-out table: each corpus clustered with weights fitted on the others.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dedupe import Config, read_articles
from dedupe.compare import SCORERS, Comparison, cosine, rank_score
from dedupe.evaluate import labels_from_clusters, score
from dedupe.linkage import average_linkage
from dedupe.match import candidate_pairs, neighbour_ranks, profiles_for, score_all
from dedupe.pipeline import prepare

DEFAULT_DATA = ROOT.parent / "shared" / "data"
CORPORA = ("wikinews_clusters", "ecbplus_dev", "allsides_roundups", "gva_incidents_dev", "uci_news_aggregator_sample")


@dataclasses.dataclass
class Corpus:
    """A corpus's articles, gold labels, profiles, candidate ranks and pair features."""

    name: str
    ids: list[str]
    gold: dict[str, str]
    profiles: dict
    ranks: dict
    pairs: list[tuple[str, str]]
    features: np.ndarray
    labels: np.ndarray


def features(corpus_profiles: dict, ranks: dict, comparisons: tuple[Comparison, ...]) -> tuple[list, np.ndarray]:
    """Per pair: (score, present) per comparison, ln(1 + gap), rank term."""
    pairs, rows = sorted(ranks), []
    for a, b in pairs:
        pa, pb = corpus_profiles[a], corpus_profiles[b]
        row = []
        for comparison in comparisons:
            value = SCORERS[comparison.scorer](getattr(pa, comparison.field), getattr(pb, comparison.field))
            row += [value or 0.0, 0.0 if value is None else 1.0]
        gap = abs((pa.day - pb.day).days) if pa.day and pb.day else None
        row += [math.log1p(gap) if gap is not None else 0.0,
                rank_score(ranks[(a, b)]) * (cosine(pa.terms, pb.terms) or 0.0)]
        rows.append(row)
    return pairs, np.array(rows)


def load(name: str, data: Path, config: Config) -> Corpus:
    """Read, profile and featurise one corpus."""
    articles = prepare(read_articles([str(data / name / "data.jsonl")]))
    gold = {a.id: str(a.record.get("cluster")) for a in articles}
    profiles, _ = profiles_for(articles)
    ranks = neighbour_ranks(profiles, candidate_pairs(profiles, config))
    pairs, x = features(profiles, ranks, config.comparisons)
    y = np.array([1.0 if gold[a] == gold[b] else 0.0 for a, b in pairs])
    return Corpus(name, [a.id for a in articles], gold, profiles, ranks, pairs, x, y)


def fit(corpora: list[Corpus], l2: float = 1e-3, steps: int = 50) -> np.ndarray:
    """Balanced, corpus-weighted logistic regression by Newton's method; last weight is the bias."""
    xs, ys, ws = [], [], []
    for corpus in corpora:
        positives = max(corpus.labels.sum(), 1.0)
        negatives = max(len(corpus.labels) - corpus.labels.sum(), 1.0)
        xs.append(np.hstack([corpus.features, np.ones((len(corpus.labels), 1))]))
        ys.append(corpus.labels)
        ws.append(np.where(corpus.labels == 1, 0.5 / positives, 0.5 / negatives))
    x, y, w = np.vstack(xs), np.concatenate(ys), np.concatenate(ws)
    beta = np.zeros(x.shape[1])
    penalty = np.eye(x.shape[1]) * 2 * l2
    penalty[-1, -1] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ beta)))
        gradient = x.T @ (w * (p - y)) + penalty @ beta
        hessian = (x * (w * p * (1 - p))[:, None]).T @ x + penalty
        beta -= np.linalg.solve(hessian, gradient)
    return beta


def to_config(beta: np.ndarray, base: Config) -> Config:
    """The fitted weights as a config: weight and neutral per comparison, bias, gap and rank weights."""
    comparisons = []
    for index, comparison in enumerate(base.comparisons):
        weight, present = beta[2 * index], beta[2 * index + 1]
        neutral = min(1.0, max(0.0, -present / weight)) if weight > 1e-6 else 0.0
        comparisons.append(Comparison(comparison.field, comparison.scorer, round(max(weight, 0.0), 2),
                                      round(neutral, 2)))
    n = len(base.comparisons)
    return base.replace(comparisons=tuple(comparisons), bias=round(float(beta[-1]), 2),
                        gap_weight=round(max(0.0, -float(beta[2 * n])), 2),
                        rank_weight=round(max(0.0, float(beta[2 * n + 1])), 2))


def ari(corpus: Corpus, config: Config) -> float:
    """The corpus's ARI when clustered with ``config`` (copy detection left out)."""
    scores = score_all(corpus.profiles, corpus.ranks, config)
    similarity = {(s.a, s.b): s.score for s in scores}
    units = [frozenset({i}) for i in corpus.ids]
    parts = average_linkage(units, similarity, config.link_threshold, config.unscored_weight)
    return score(labels_from_clusters([sorted(p) for p in parts]), corpus.gold).ari


def main() -> None:
    """Fit on all corpora, print the weights, then the leave-one-corpus-out table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--corpus", action="append", default=[])
    args = parser.parse_args()
    base = Config()
    corpora = [load(name, args.data, base) for name in (args.corpus or CORPORA)
               if (args.data / name / "data.jsonl").exists()]
    fitted = to_config(fit(corpora), base)
    print("fitted on all:", {k: fitted.to_dict()[k] for k in ("bias", "gap_weight", "rank_weight")})
    for comparison in fitted.comparisons:
        print(f"  {comparison.field:<9} {comparison.scorer:<13} weight {comparison.weight:<6}"
              f" neutral {comparison.neutral}")
    print(f"\n{'corpus':<28} {'defaults':>9} {'fit on all':>11} {'left out':>9}")
    for corpus in corpora:
        others = to_config(fit([c for c in corpora if c is not corpus]), base)
        print(f"{corpus.name:<28} {ari(corpus, base):>9.3f} {ari(corpus, fitted):>11.3f} {ari(corpus, others):>9.3f}")


if __name__ == "__main__":
    main()
