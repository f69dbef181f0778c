"""Term specificity as extra same-story evidence: each corpus's clusters re-made with it added to the pair log-odds.

Usage: python bench/pair_evidence.py [--data DIR] [--corpus NAME ...] [--generated DIR] [--weight W ...]
       [--any-day] [--prior N] [--sub SHARE ...] [--seeds N] [--recompute] [--seed-subsets]

Each corpus is run once with default settings (``pipeline.run``, what ``average_linkage`` reads kept); every
scored pair's log-odds are recomputed from its parts (``scoring.score_pairs``), the evidence is added, and the
clusters are made again exactly as ``pipeline.cluster`` makes them. Weight 0 reproduces the run's ARI.

The evidence: two reports of one event share words that few other articles hold. Each term weighs
``1 / max(df - 1, 1)`` (``df``: articles, one per copy group, holding it; the resource-allocation index of link
prediction), and a pair scores the weight of its shared terms over the smaller side's total (``specific_overlap``:
1.0 against itself). It adds ``weight * overlap`` log-odds (and ``weight`` to the perfect match's), only for pairs
published on one day or with a day unknown (``--any-day``: every pair): reports days apart share the running
story's words (a bill's name, a building's), which its follow-ups keep. ``--sub`` also scores seeded subsamples
keeping that share of the gold stories whole (scores not recomputed for the subset, an approximation, unless
``--recompute``: then each subsample is run through the pipeline on its own).

``--prior N`` weighs the evidence by ``documents / (documents + N)`` (``documents``: the run's profiles): in a
corpus of three articles every shared word has ``df`` 2 or 3, so every shared word looks "specific"; a few
documents say little about which words are rare (:func:`size_factor`). ``--seed-subsets`` runs every subset of two
or more of the seeds as a corpus of its own and prints those whose clusters change at some weight.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from quality import corpora

from dedupe import Config, read_articles
from dedupe import pipeline as stages
from dedupe.clusterdays import GroupDays
from dedupe.compare import ceiling_of
from dedupe.evaluate import labels_from_clusters, score
from dedupe.graph import starting_units
from dedupe.linkage import average_linkage, joined_pieces
from dedupe.pairtable import PairTable, PairValues
from dedupe.profile import Profile
from dedupe.scoring import score_pairs
from dedupe.types import Article, Fields

DEFAULT_DATA = ROOT.parent / "shared" / "data"
WEIGHTS = (0.0, 0.5, 1.0, 1.5)


def term_weights(terms: Sequence[Mapping[str, float]]) -> dict[str, float]:
    """Each term's specificity: ``1 / max(df - 1, 1)`` over the documents' term sets.

    Example: ``term_weights([{"dam": 1.0}, {"dam": 0.5, "crew": 0.5}])`` is ``{"dam": 1.0, "crew": 1.0}``.
    """
    df = Counter(term for weights in terms for term in weights)
    return {term: 1.0 / max(count - 1, 1) for term, count in df.items()}


def specific_overlap(a: Mapping[str, float], b: Mapping[str, float], weights: Mapping[str, float]) -> float | None:
    """The specificity the two term sets share over the smaller side's total (None when a side has none).

    Example: with ``weights`` ``{"dam": 1.0, "crew": 0.5, "storm": 0.5}``, ``{"dam", "crew"}`` and
    ``{"dam", "storm"}`` share 1.0 of the smaller total 1.5: 0.667.
    """
    if not a or not b:
        return None
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    shared = sum(weights[term] for term in sorted(small) if term in large)
    total = min(sum(weights[term] for term in sorted(a)), sum(weights[term] for term in sorted(b)))
    return min(1.0, shared / total)


@dataclass
class Captured:
    """What clustering read in one run, with the profiles, ranks and gold needed to re-score its pairs (and the
    heads' fields, for evidence read from them)."""

    by_head: dict[str, frozenset[str]]
    groups: list[frozenset[str]]
    similarity: PairValues
    capped: PairTable | None
    profiles: dict[str, Profile]
    ranks: PairValues
    gold: dict[str, str]
    fields: dict[str, Fields] = field(default_factory=dict)
    days: dict[str, GroupDays] = field(default_factory=dict)


@contextmanager
def clustering_inputs(kept: dict[str, Any]) -> Iterator[None]:
    """While open, ``pipeline.cluster`` records its inputs in ``kept`` (the capped pairs as a table)."""
    original = stages.cluster

    def recording(articles, graph, by_head, similarity, config, groups=(), capped=None, told=None):
        table = capped.table() if capped is not None and len(capped) else None
        days = stages.cluster_days(articles, by_head, told) if told is not None else {}
        kept.update(by_head=by_head, groups=list(groups), similarity=similarity, capped=table, days=days)
        return original(articles, graph, by_head, similarity, config, groups, table if table is not None else capped,
                        told)

    stages.cluster = recording
    try:
        yield
    finally:
        stages.cluster = original


def capture(articles: Iterable[Article], gold: dict[str, str], config: Config) -> Captured:
    """Run the pipeline on ``articles`` and keep what re-clustering needs."""
    kept: dict[str, Any] = {}
    with clustering_inputs(kept):
        result = stages.run(articles, config, stories=False, details=True)
    return Captured(kept["by_head"], kept["groups"], kept["similarity"], kept["capped"],
                    dict(result.extras["profiles"]), result.extras["ranks"], gold, dict(result.extras["fields"]),
                    kept["days"])


def log_odds(run: Captured, config: Config) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per scored pair (similarity rows): ``z``, ``z_perfect`` and the publication gap in days (-1: unknown);
    NaN ``z`` where the field model is not the score's source (a headline-path link)."""
    table = run.similarity.table
    pairs = table.pairs()
    ranked = {pair: int(run.ranks[pair]) for pair in pairs if pair in run.ranks}
    scored = {(s.a, s.b): s for s in score_pairs(run.profiles, ranked, config.comparisons, config.priors)}
    z, z_perfect, gaps = np.full(len(pairs), np.nan), np.zeros(len(pairs)), np.full(len(pairs), -1)
    for row, pair in enumerate(pairs):
        found = scored.get(pair)
        if found is None or abs(found.score - run.similarity.values[row]) > 2e-6:
            continue
        a, b = run.profiles[pair[0]], run.profiles[pair[1]]
        answered = [c for c in config.comparisons if found.parts[c.field][0] is not None]
        z[row] = config.priors.bias + sum(found.parts[c.field][1] for c in answered) + found.gap_logodds \
            + found.rank_logodds
        z_perfect[row] = config.priors.bias + sum(c.weight * (ceiling_of(c, a, b) - c.neutral) for c in answered) \
            + config.priors.rank_weight
        gaps[row] = -1 if found.gap_days is None else found.gap_days
    return z, z_perfect, gaps


def size_factor(documents: int, prior: float) -> float:
    """How much of the evidence's weight a corpus of ``documents`` profiles earns: ``documents / (documents +
    prior)`` (1 without a prior).

    Example: ``size_factor(3, 10)`` is ``3 / 13``, about 0.23; ``size_factor(772, 10)`` about 0.99.
    """
    return documents / (documents + prior) if prior else 1.0


def overlaps(run: Captured) -> np.ndarray:
    """:func:`specific_overlap` of every scored pair (NaN: None), weights over the run's profiles."""
    terms = {pid: profile.terms for pid, profile in run.profiles.items()}
    weights = term_weights(list(terms.values()))
    found = [specific_overlap(terms.get(a, {}), terms.get(b, {}), weights) for a, b in run.similarity.table.pairs()]
    return np.array([np.nan if value is None else value for value in found])


def with_evidence(run: Captured, parts: tuple[np.ndarray, np.ndarray, np.ndarray], overlap: np.ndarray,
                  weight: float, any_day: bool) -> np.ndarray:
    """The similarity values with ``weight * overlap`` log-odds added where it counts (see the module doc)."""
    z, z_perfect, gaps = parts
    if weight == 0:
        return run.similarity.values
    counted = ~np.isnan(z) & ~np.isnan(overlap) & (any_day | (gaps <= 0))
    moved = np.where(counted, z + weight * np.nan_to_num(overlap), 0.0)
    perfect = np.where(counted, z_perfect + weight, 0.0)
    scores = np.minimum(1.0, _logistic(moved) / _logistic(perfect))
    return np.where(counted, np.round(scores, 6), run.similarity.values)


def _logistic(z: np.ndarray) -> np.ndarray:
    """The logistic function of each value."""
    return 1.0 / (1.0 + np.exp(-z))


def cluster_ari(run: Captured, values: np.ndarray, config: Config, kept: set[str] | None = None) -> float:
    """The ARI of average linkage over ``values`` and its second pass (as ``pipeline.cluster``), on the articles
    ``kept`` (all: None)."""
    by_head = {h: g for h, g in run.by_head.items() if kept is None or h in kept}
    table, capped = run.similarity.table, run.capped
    inside = np.array([kept is None or i in kept for i in table.ids], dtype=bool)
    rows = inside[table.left] & inside[table.right]
    similarity = PairValues(PairTable(table.ids, table.left[rows], table.right[rows]), values[rows])
    if capped is not None:
        both = inside[capped.left] & inside[capped.right]
        capped = PairTable(capped.ids, capped.left[both], capped.right[both])
    groups = [g for g in run.groups if kept is None or g <= kept]
    merged = average_linkage(starting_units(by_head, groups), similarity, config.link_threshold,
                             config.unscored_weight, capped, config.capped_weight, config.capped_size,
                             days=run.days, day_weight=config.day_link_weight)
    if capped is not None and len(capped) and config.piece_support > 0:
        merged = joined_pieces(merged, similarity, config, capped, days=run.days)
    members = {m for g in by_head.values() for m in g}
    clusters = [sorted(frozenset().union(*(by_head[h] for h in part))) for part in merged]
    return score(labels_from_clusters(clusters), {a: s for a, s in run.gold.items() if a in members}).ari


def chosen_stories(gold: Mapping[str, str], share: float, seed: int) -> set[str]:
    """A seeded random ``share`` of the gold stories."""
    stories = sorted(set(gold.values()))
    return set(random.Random(seed).sample(stories, int(len(stories) * share)))


def subsample(run: Captured, share: float, seed: int) -> set[str]:
    """The heads of the :func:`chosen_stories`, each story whole (copy groups wholly inside them)."""
    chosen = chosen_stories(run.gold, share, seed)
    return {h for h, group in run.by_head.items() if all(run.gold.get(m) in chosen for m in group)}


def weighed(
    run: Captured, config: Config, args: argparse.Namespace, kept: set[str] | None = None
) -> dict[float, float]:
    """The ARI at each weight of ``args`` (on the heads ``kept``; all: None)."""
    parts, overlap = log_odds(run, config), overlaps(run)
    factor = size_factor(len(run.profiles), args.prior)
    return {weight: cluster_ari(run, with_evidence(run, parts, overlap, weight * factor, args.any_day), config, kept)
            for weight in args.weight}


def measure(name: str, articles: list[Article], gold: dict[str, str], config: Config,
            args: argparse.Namespace) -> dict[str, Any]:
    """One corpus's row: the ARI at each weight, and the subsamples' medians (with ``args.recompute``, each
    subsample run through the pipeline on its own articles, so its frequencies and blocking are its own)."""
    run = capture(articles, gold, config)
    row: dict[str, Any] = {"corpus": name, **{f"w{w}": round(ari, 4) for w, ari in weighed(run, config, args).items()}}
    for share in args.sub:
        found: dict[float, list[float]] = {weight: [] for weight in args.weight}
        for seed in range(1, args.seeds + 1):
            if args.recompute:
                chosen = chosen_stories(gold, share, seed)
                part = capture([a for a in articles if gold.get(a.id) in chosen], gold, config)
                aris = weighed(part, config, args)
            else:
                aris = weighed(run, config, args, subsample(run, share, seed))
            for weight, ari in aris.items():
                found[weight].append(ari)
        row.update({f"w{w} sub{share}": round(statistics.median(values), 4) for w, values in found.items()})
    return row


def generated(folder: Path) -> tuple[str, list[str], dict[str, str]]:
    """A generated corpus (``articles.jsonl`` with ``gold.jsonl``, field ``story``) as (name, inputs, gold)."""
    with (folder / "gold.jsonl").open(encoding="utf-8") as handle:
        gold = {str(r["id"]): r["story"] for r in map(json.loads, handle)}
    return folder.name, [str(folder / "articles.jsonl")], gold


def seed_sets() -> Iterator[tuple[tuple[Article, ...], dict[str, str]]]:
    """Every subset of two or more of the seeds (by id), with its gold."""
    seeds = ROOT / "fixtures" / "seeds"
    gold = json.loads((ROOT / "fixtures" / "seeds_gold.json").read_text(encoding="utf-8"))
    gold.pop("_comment", None)
    articles = sorted(read_articles([str(seeds)]), key=lambda a: a.id)
    for size in range(2, len(articles) + 1):
        for subset in itertools.combinations(articles, size):
            yield subset, {a.id: gold[a.id] for a in subset}


def seed_subsets(config: Config, args: argparse.Namespace) -> list[dict[str, Any]]:
    """Every subset of two or more of the seeds run as a corpus of its own: one row for each whose clusters
    (ARI against the seeds' gold) change at some weight."""
    changed = []
    for subset, gold in seed_sets():
        aris = weighed(capture(subset, gold, config), config, args)
        if len(set(aris.values())) > 1:
            changed.append({"seeds": sorted(gold), **{f"w{w}": round(ari, 4) for w, ari in aris.items()}})
    return changed


def corpus_parser(description: str) -> argparse.ArgumentParser:
    """A parser with the corpus options the screens share: ``--data``, ``--corpus`` and ``--generated``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--corpus", action="append", default=[])
    parser.add_argument("--generated", type=Path, action="append", default=[], help="a folder with gold.jsonl")
    return parser


def chosen_corpora(args: argparse.Namespace) -> list[tuple[str, list[str], dict[str, str]]]:
    """(name, inputs, gold) of every labelled corpus and generated folder the parsed arguments name."""
    return [*corpora(args.data, args.corpus), *map(generated, args.generated)]


def main() -> None:
    """Parse arguments, measure every corpus, print one JSON row each."""
    parser = corpus_parser(__doc__.splitlines()[0])
    parser.add_argument("--weight", type=float, action="append", default=None)
    parser.add_argument("--any-day", action="store_true", help="count the evidence whatever the gap")
    parser.add_argument("--prior", type=float, default=0.0, help="weigh by documents / (documents + PRIOR)")
    parser.add_argument("--sub", type=float, action="append", default=[], help="share of gold stories kept")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--recompute", action="store_true", help="run each subsample through the pipeline")
    parser.add_argument("--seed-subsets", action="store_true", help="the seed subsets whose clusters change")
    args = parser.parse_args()
    args.weight = args.weight or list(WEIGHTS)
    config = Config(specific_weight=0.0)  # the evidence is added here, on top of a run without it
    print_rows(config, args, seed_subsets, measure)


def print_rows(config: Config, args: argparse.Namespace, subsets: Any, measured: Any) -> None:
    """A screen's output: with ``args.seed_subsets``, the rows of ``subsets(config, args)`` and their count; else
    ``measured(name, articles, gold, config, args)`` of every corpus the arguments name, one JSON line each."""
    if args.seed_subsets:
        changed = subsets(config, args)
        for row in changed:
            print(json.dumps(row), flush=True)
        print(json.dumps({"seed_subsets_changed": len(changed)}))
        return
    for name, inputs, gold in chosen_corpora(args):
        print(json.dumps(measured(name, list(read_articles(inputs)), gold, config, args)), flush=True)


if __name__ == "__main__":
    main()
