"""Publication days imputed for undated articles from their strongest dated partners: a screen, not a default.

Usage: python bench/day_imputation.py [--data DIR] [--corpus NAME ...] [--generated DIR] [--floor F ...]
       [--factor X ...] [--drop SHARE] [--one-real] [--sub SHARE ...] [--seeds N]

An undated report gives no publication-gap evidence, so two follow-ups of one ongoing event a week apart score as
if published together when either lacks a day. Here each undated head takes the day of its best-scoring dated
partner scoring ``floor`` or more (ties: the earlier day), and every scored pair with an undated side whose two
days are now known loses ``factor * gap_weight * log(1 + gap)`` log-odds (the gap prior scaled down, since an
imputed day is a guess); the clusters are made again as ``pipeline.cluster`` makes them (``bench/pair_evidence``'s
capture and re-clustering). ``--drop`` first removes the day and URL of a seeded share of the articles (to see
what imputation recovers where the days are known); ``--one-real`` counts only pairs one side of which has a day
of its own (two guessed days are not compared); ``--sub`` scores approximate subsamples keeping that share of
the gold stories whole (imputed from their own pairs; scores not recomputed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import zlib
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import pair_evidence as screens

from dedupe import Config, read_articles
from dedupe.types import Article


def imputed_days(run: screens.Captured, values: np.ndarray, floor: float, rows: np.ndarray) -> dict[str, dt.date]:
    """Each undated head's imputed day: its best dated partner's among the ``rows`` scoring ``floor`` or more.

    Example: an undated head scoring 0.9 with a head of 3 May and 0.8 with one of 9 May takes 3 May.
    """
    table = run.similarity.table
    days = [run.profiles[i].day if i in run.profiles else None for i in table.ids]
    best: dict[int, tuple[float, int]] = {}
    chosen = rows & (values >= floor)
    for left, right, value in zip(table.left[chosen].tolist(), table.right[chosen].tolist(), values[chosen].tolist()):
        for head, other in ((left, right), (right, left)):
            if days[head] is None and days[other] is not None:
                key = (value, -days[other].toordinal())
                if head not in best or key > best[head]:
                    best[head] = key
    return {table.ids[head]: dt.date.fromordinal(-ordinal) for head, (_, ordinal) in best.items()}


def with_imputed_days(run: screens.Captured, parts: tuple[np.ndarray, np.ndarray, np.ndarray], floor: float,
                      factor: float, kept: set[str] | None = None, one_real: bool = False) -> np.ndarray:
    """The run's similarity values with the imputed gaps' log-odds taken off (see the module doc; ``one_real``:
    only where one side's day is its own)."""
    z, z_perfect, gaps = parts
    table, values = run.similarity.table, run.similarity.values
    inside = np.array([kept is None or i in kept for i in table.ids], dtype=bool)
    rows = inside[table.left] & inside[table.right]
    imputed = imputed_days(run, values, floor, rows)
    ordinals = np.array([(run.profiles[i].day or imputed.get(i) or dt.date.min).toordinal() for i in table.ids])
    known = ordinals > dt.date.min.toordinal()
    counted = rows & (gaps < 0) & ~np.isnan(z) & known[table.left] & known[table.right]
    if one_real:
        own = np.array([run.profiles[i].day is not None for i in table.ids], dtype=bool)
        counted &= own[table.left] | own[table.right]
    gap = np.abs(ordinals[table.left] - ordinals[table.right])
    moved = z - factor * Config().priors.gap_weight * np.log1p(gap)
    scores = np.round(np.minimum(1.0, screens._logistic(moved) / screens._logistic(z_perfect)), 6)
    return np.where(counted & (gap > 0), scores, values)


def undated(articles: list[Article], share: float) -> list[Article]:
    """The articles with the day and URL of a seeded ``share`` of them (by a hash of the id) removed."""
    dropped = int(share * 1000)
    return [replace(a, published=None, url=None) if zlib.crc32(a.id.encode()) % 1000 < dropped else a
            for a in articles]


def measure(name: str, articles: list[Article], gold: dict[str, str], args: argparse.Namespace) -> dict[str, object]:
    """One corpus's ARI without imputation and at each floor and factor, as given and subsampled (medians)."""
    # screened on the defaults before the term specificity (log_odds leaves it out)
    config = Config(specific_weight=0.0)
    run = screens.capture(undated(articles, args.drop) if args.drop else articles, gold, config)
    parts = screens.log_odds(run, config)
    settings = [(None, 0.0)] + [(f, x) for f in args.floor for x in args.factor]
    samples = {"given": [None]} | {f"sub{s}": [screens.subsample(run, s, seed) for seed in range(1, args.seeds + 1)]
                                   for s in args.sub}
    row: dict[str, object] = {"corpus": name, "drop": args.drop}
    for label, kept_sets in samples.items():
        for floor, factor in settings:
            found = [screens.cluster_ari(run, run.similarity.values if floor is None else
                                 with_imputed_days(run, parts, floor, factor, kept, args.one_real), config, kept)
                     for kept in kept_sets]
            row[f"{label} {'off' if floor is None else f'{floor}x{factor}'}"] = round(statistics.median(found), 4)
    return row


def main() -> None:
    """Parse arguments, measure every corpus, print one JSON row each."""
    parser = screens.corpus_parser(__doc__.splitlines()[0])
    parser.add_argument("--floor", type=float, action="append", default=None)
    parser.add_argument("--factor", type=float, action="append", default=None)
    parser.add_argument("--drop", type=float, default=0.0, help="share of articles whose day and URL are removed")
    parser.add_argument("--sub", type=float, action="append", default=[], help="share of gold stories kept")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--one-real", action="store_true", help="only pairs with one side's own day")
    args = parser.parse_args()
    args.floor, args.factor = args.floor or [0.6, 0.7], args.factor or [0.5, 1.0]
    for name, inputs, gold in screens.chosen_corpora(args):
        print(json.dumps(measure(name, list(read_articles(inputs)), gold, args)), flush=True)


if __name__ == "__main__":
    main()
