"""Average linkage over article pairs: each head weighed by its copy group's articles, a screen of the forms.

Usage: python bench/copy_weights.py [--data DIR] [--corpus NAME ...] [--generated DIR] [--form NAME ...]
       [--sub SHARE ...] [--seeds N] [--seed-subsets]

Each corpus is run once with default settings (``pipeline.run``, what ``pipeline.cluster`` reads kept, as
``bench/pair_evidence`` captures it); its clusters are then made again exactly as ``pipeline.cluster`` makes them,
with each head's pairs weighed by a function of the number of articles its copy group holds (``--form``, see
``FORMS``; ``heads``: weight 1, the run's own clusters). ``--sub`` also scores seeded subsamples keeping that share
of the gold stories whole (the run's scores re-clustered, not recomputed: an approximation), the median over
``--seeds`` seeds. ``--seed-subsets`` runs every subset of two or more of the seeds on its own and prints those
whose clusters differ between the forms. One JSON row a corpus: its copy groups and each form's ARI.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import pair_evidence as screens

from dedupe import Config
from dedupe import pipeline as stages
from dedupe.evaluate import labels_from_clusters, score
from dedupe.graph import starting_units
from dedupe.linkage import average_linkage, joined_pieces
from dedupe.pairtable import PairTable, PairValues
from dedupe.types import Article

#: Each form: a copy group's weight from its article count.
FORMS: dict[str, Callable[[int], float]] = {
    "heads": lambda n: 1.0,
    "articles": float,
    "sqrt": math.sqrt,
    "log": lambda n: 1.0 + math.log(n),
    "cap4": lambda n: float(min(n, 4)),
    "log2": lambda n: max(1.0, math.log2(n)),
    "half": lambda n: max(1.0, n / 2),
}


def capture(articles: Iterable[Article], gold: dict[str, str], config: Config) -> screens.Captured:
    """Run the pipeline on ``articles`` (no stories, no details) and keep what re-clustering reads."""
    kept: dict[str, Any] = {}
    with screens.clustering_inputs(kept):
        stages.run(articles, config, stories=False, details=False)
    similarity = kept["similarity"]
    if not isinstance(similarity, PairValues):
        similarity = PairValues(PairTable((), np.zeros(0, np.int32), np.zeros(0, np.int32)), np.zeros(0))
    return screens.Captured(dict(kept["by_head"]), kept["groups"], similarity, kept["capped"], {}, similarity, gold,
                            days=kept["days"])


def clusters_of(run: screens.Captured, config: Config, form: str, kept: set[str] | None = None) -> list[list[str]]:
    """The clusters ``pipeline.cluster`` makes of the heads ``kept`` (all: None), heads weighed by ``form``."""
    by_head = {h: g for h, g in run.by_head.items() if kept is None or h in kept}
    weigh = FORMS[form]
    weights = None if form == "heads" else {h: weigh(len(g)) for h, g in by_head.items()}
    table, capped = run.similarity.table, run.capped
    inside = np.array([kept is None or i in kept for i in table.ids], dtype=bool)
    rows = inside[table.left] & inside[table.right] if len(table) else np.zeros(0, dtype=bool)
    similarity = PairValues(PairTable(table.ids, table.left[rows], table.right[rows]), run.similarity.values[rows])
    if capped is not None:
        both = inside[capped.left] & inside[capped.right]
        capped = PairTable(capped.ids, capped.left[both], capped.right[both])
    groups = [g for g in run.groups if kept is None or g <= kept]
    units = starting_units(by_head, groups)
    merged = (average_linkage(units, similarity, config.link_threshold, config.unscored_weight, capped,
                              config.capped_weight, config.capped_size, weights=weights, days=run.days,
                              day_weight=config.day_link_weight) if len(similarity) else units)
    if capped is not None and len(capped) and config.piece_support > 0:
        merged = joined_pieces(merged, similarity, config, capped, weights=weights, days=run.days)
    return [sorted(frozenset().union(*(by_head[h] for h in part))) for part in merged]


def ari(run: screens.Captured, config: Config, form: str, kept: set[str] | None = None) -> float:
    """The ARI of :func:`clusters_of` against the run's gold."""
    clusters = clusters_of(run, config, form, kept)
    members = {m for c in clusters for m in c}
    return score(labels_from_clusters(clusters), {a: s for a, s in run.gold.items() if a in members}).ari


def copy_stats(by_head: Mapping[str, frozenset[str]]) -> dict[str, int]:
    """How many copy groups of two or more articles, the articles they hold, and the largest."""
    sizes = [len(g) for g in by_head.values() if len(g) > 1]
    return {"head_count": len(by_head), "copy_groups": len(sizes), "in_copy_groups": sum(sizes),
            "largest": max(sizes, default=1)}


def measure(name: str, articles: list[Article], gold: dict[str, str], config: Config,
            args: argparse.Namespace) -> dict[str, Any]:
    """One corpus's row: copy groups, each form's ARI, and each form's subsample medians."""
    run = capture(articles, gold, config)
    row: dict[str, Any] = {"corpus": name, **copy_stats(run.by_head)}
    row.update({form: round(ari(run, config, form), 4) for form in args.form})
    for share in args.sub:
        samples = [screens.subsample(run, share, seed) for seed in range(1, args.seeds + 1)]
        for form in args.form:
            row[f"{form} sub{share}"] = round(statistics.median(ari(run, config, form, s) for s in samples), 4)
    return row


def seed_subsets(config: Config, args: argparse.Namespace) -> list[dict[str, Any]]:
    """Every subset of two or more seeds as a corpus of its own: those whose clusters differ between forms."""
    changed = []
    for subset, gold in screens.seed_sets():
        run = capture(subset, gold, config)
        found = {form: sorted(map(tuple, clusters_of(run, config, form))) for form in args.form}
        if len({json.dumps(c) for c in found.values()}) > 1:
            changed.append({"seeds": sorted(gold), **found})
    return changed


def main() -> None:
    """Parse arguments, measure every corpus, print one JSON row each."""
    parser = screens.corpus_parser(__doc__.splitlines()[0])
    parser.add_argument("--form", action="append", choices=sorted(FORMS), default=None)
    parser.add_argument("--sub", type=float, action="append", default=[], help="share of gold stories kept")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--seed-subsets", action="store_true", help="the seed subsets whose clusters change")
    args = parser.parse_args()
    args.form = args.form or list(FORMS)
    screens.print_rows(Config(), args, seed_subsets, measure)


if __name__ == "__main__":
    main()
