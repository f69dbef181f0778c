"""Blocking recall and time of the headline-only path against the field model's blocking, on one corpus.

Usage: python bench/headline_blocking.py [--data DIR] [--corpus NAME] [--titles-only] [--repeat N]
Prints, for the field model's candidates, the headline candidates, their union and the headline links kept
(nearest pairs above ``headline_floor``): pairs, the share of gold same-cluster pairs they hold (recall) and the
share of them that are gold pairs (precision); then the median seconds of each headline step over N repeats.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from quality import DEFAULT_DATA, gold_labels

from dedupe import Config, read_articles
from dedupe.headlines import (
    communities,
    headline_candidates,
    headline_matrix,
    headline_scores,
    nearest,
)
from dedupe.match import candidate_pairs, profiles_for

Pairs = set[tuple[str, str]]


def gold_pairs(gold: dict[str, str], ids: set[str]) -> Pairs:
    """Every pair of articles (smaller id first) that gold puts in one cluster."""
    members: dict[str, list[str]] = {}
    for article_id in sorted(ids & set(gold)):
        members.setdefault(gold[article_id], []).append(article_id)
    return {(a, b) for group in members.values() for i, a in enumerate(group) for b in group[i + 1:]}


def row(name: str, found: Pairs, gold: Pairs) -> tuple[str, int, float, float]:
    """(name, pairs, recall of gold pairs, precision) of one candidate set."""
    hits = len(found & gold)
    return name, len(found), round(hits / max(len(gold), 1), 3), round(hits / max(len(found), 1), 3)


def timed(step: Callable[[], object], repeat: int) -> tuple[object, float]:
    """The step's result and its median wall seconds over ``repeat`` runs."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - start)
    return result, round(statistics.median(times), 3)


def main() -> None:
    """Measure and print both tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--corpus", default="uci_news_aggregator_sample")
    parser.add_argument("--titles-only", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    path = args.data / args.corpus / "data.jsonl"
    articles = list(read_articles([str(path)]))
    if args.titles_only:
        articles = [replace(a, text="") for a in articles if (a.title or "").strip()]
    articles.sort(key=lambda a: a.id)
    config = Config(workers=1)
    gold = gold_pairs(gold_labels(path), {a.id for a in articles})
    model = set(candidate_pairs(profiles_for(articles)[0], config))
    matrix, t_matrix = timed(lambda: headline_matrix(articles), args.repeat)
    pairs, t_pairs = timed(lambda: headline_candidates(matrix, config.headline_window, config.headline_max_block),
                           args.repeat)
    scores, t_scores = timed(lambda: headline_scores(matrix, pairs), args.repeat)
    kept, t_nearest = timed(lambda: nearest(pairs, scores, config.headline_neighbours, config.headline_floor),
                            args.repeat)
    _, t_groups = timed(lambda: communities(matrix.ids, pairs[kept], scores[kept]), args.repeat)
    ids = matrix.ids
    headline = {(ids[i], ids[j]) for i, j in pairs.tolist()}
    links = {(ids[i], ids[j]) for i, j in pairs[kept].tolist()}
    print(f"{args.corpus}: {len(articles)} articles, {len(ids)} headline-only, {len(gold)} gold pairs")
    print(f"{'candidates':<22}{'pairs':>10}{'recall':>9}{'precision':>11}")
    for name, found in (("field model", model), ("headline", headline), ("union", model | headline),
                        ("headline links kept", links)):
        print("{:<22}{:>10}{:>9}{:>11}".format(*row(name, found, gold)))
    print(f"\nmedian seconds of {args.repeat}: matrix {t_matrix}, candidates {t_pairs}, scores {t_scores}, "
          f"nearest {t_nearest}, communities {t_groups}")


if __name__ == "__main__":
    main()
