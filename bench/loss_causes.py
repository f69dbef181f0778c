"""Where a corpus loses ARI, by cause: blocking, pair scores or clustering, each wrong pair counted and priced.

Usage: python bench/loss_causes.py [--data DIR] [--corpus NAME ...] [--generated DIR] [--json]

Each corpus is run once with default settings (``pipeline.run``, what clustering reads kept, as
``bench/pair_evidence.py`` does). Every article pair the run gets wrong is one *kind*, by its heads' pair:

* a gold pair split: never a candidate / blocked but left out by the candidate cap / scored under 0.5 /
  scored 0.5 to ``link_threshold`` / scored at or above it and still cut apart by average linkage;
* a false pair merged: its own score at or above ``link_threshold`` (a side undated, dated 0-2 days apart, dated
  3 or more days apart) / scored 0.5 to the threshold / chained (under 0.5 or never scored).

"ARI if right" is the ARI with that kind's pairs alone right: ARI depends only on the four pair counts, so this
is exact for each kind alone (kinds do not add up exactly). The *oracles* re-cluster the same candidates with:
every score right (1 for a gold pair, 0 for any other); only the false pairs set to 0; only the gold pairs set
to 1; every gold head pair made a candidate and scored as ``compare.score_pair`` scores it (no rank: what
blocking costs, given the scores); and each ``link_threshold`` from 0.45 to 0.7 (what a cut alone gives).
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from pair_evidence import Captured, capture, chosen_corpora, cluster_ari, corpus_parser

from dedupe import Config, read_articles
from dedupe.compare import score_pair
from dedupe.graph import starting_units
from dedupe.linkage import average_linkage, joined_pieces
from dedupe.pairtable import PairTable, PairValues
from dedupe.scorearrays import frequencies_of

THRESHOLDS = (0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
PairCounts = tuple[int, int, int, int]  # together in both, only predicted, only gold, apart in both


def ari_of_counts(tp: int, fp: int, fn: int, tn: int) -> float:
    """The adjusted Rand index from the four pair counts (1.0 when both partitions are one trivial kind).

    Example: ``ari_of_counts(1, 0, 0, 2)`` is 1.0 (articles a, b together and c alone in both).
    """
    denominator = (tp + fn) * (fn + tn) + (tp + fp) * (fp + tn)
    return 1.0 if denominator == 0 else 2.0 * (tp * tn - fn * fp) / denominator


def pair_counts(predicted: Mapping[str, object], gold: Mapping[str, object]) -> PairCounts:
    """(tp, fp, fn, tn) over every pair of the articles ``gold`` labels."""
    ids = sorted(gold)
    tp = fp = fn = 0
    for a, b in itertools.combinations(ids, 2):
        same_gold, same_predicted = gold[a] == gold[b], predicted[a] == predicted[b]
        tp += same_gold and same_predicted
        fp += same_predicted and not same_gold
        fn += same_gold and not same_predicted
    return tp, fp, fn, len(ids) * (len(ids) - 1) // 2 - tp - fp - fn


def partition(run: Captured, values: np.ndarray, config: Config, table: PairTable | None = None) -> dict[str, int]:
    """Each article's cluster number after average linkage and its second pass over ``values`` (as
    ``pipeline.cluster``; ``table``: other pairs than the run's)."""
    similarity = PairValues(run.similarity.table if table is None else table, values)
    merged = average_linkage(starting_units(run.by_head, run.groups), similarity, config.link_threshold,
                             config.unscored_weight, run.capped, config.capped_weight, config.capped_size,
                             days=run.days, day_weight=config.day_link_weight)
    if run.capped is not None and len(run.capped) and config.piece_support > 0:
        merged = joined_pieces(merged, similarity, config, run.capped, days=run.days)
    return {m: n for n, part in enumerate(merged) for h in part for m in run.by_head[h]}


def kind_of(run: Captured, pair: tuple[str, str], same_gold: bool, score: float | None, config: Config) -> str:
    """The kind of one wrong pair of heads (see the module doc)."""
    capped = run.capped is not None and run.capped.row(*pair) is not None
    cut = config.link_threshold
    if same_gold:
        if score is None:
            return "split: blocked, left out by the cap" if capped else "split: never a candidate"
        return ("split: scored < 0.5" if score < 0.5 else f"split: scored 0.5-{cut}" if score < cut
                else f"split: scored >= {cut}, cut by linkage")
    if score is None or score < 0.5:
        return "merge: chained (pair < 0.5 or unscored)"
    if score < cut:
        return f"merge: pair scored 0.5-{cut}"
    days = [run.profiles[h].day for h in pair]
    if None in days:
        return f"merge: pair >= {cut}, a side undated"
    gap = abs((days[0] - days[1]).days)
    return f"merge: pair >= {cut}, dated {'0-2' if gap <= 2 else '3+'} days apart"


def kinds(run: Captured, predicted: Mapping[str, int], config: Config) -> tuple[PairCounts, Counter[str]]:
    """The run's pair counts and its wrong article pairs counted by kind."""
    head_of = {m: h for h, group in run.by_head.items() for m in group}
    scores = dict(zip(run.similarity.table.pairs(), run.similarity.values.tolist()))
    gold = run.gold
    alone = isolated(run)
    found: Counter[str] = Counter()
    for a, b in itertools.combinations(sorted(gold), 2):
        same_gold = gold[a] == gold[b]
        if same_gold != (predicted[a] == predicted[b]):
            heads = tuple(sorted((head_of[a], head_of[b])))
            found[kind_of(run, heads, same_gold, scores.get(heads), config)] += 1
            if same_gold and alone & set(heads):
                found["(any split with a side that no story-mate scores 0.5 with)"] += 1
    return pair_counts(predicted, gold), found


def isolated(run: Captured) -> set[str]:
    """Heads of a gold story of two or more heads none of whose story-mates scores 0.5 or more with them (scored
    or not): reports the story's other reports do not resemble, such as background pieces."""
    best: dict[str, float] = defaultdict(float)
    for (a, b), value in zip(run.similarity.table.pairs(), run.similarity.values.tolist()):
        if run.gold.get(a, a) == run.gold.get(b, b):
            best[a], best[b] = max(best[a], value), max(best[b], value)
    sizes = Counter(run.gold.get(h, h) for h in run.by_head)
    return {h for h in run.by_head if sizes[run.gold.get(h, h)] > 1 and best[h] < 0.5}


def priced(counts: PairCounts, found: Counter[str]) -> list[dict[str, Any]]:
    """Each kind with its pairs and the ARI gained if they alone were right, largest gain first."""
    tp, fp, fn, tn = counts
    base = ari_of_counts(*counts)
    rows = []
    for kind, n in found.items():
        fixed = (tp, fp - n, fn, tn + n) if kind.startswith("merge") else (tp + n, fp, fn - n, tn)
        rows.append({"kind": kind, "pairs": n, "gain": round(ari_of_counts(*fixed) - base, 4)})
    return sorted(rows, key=lambda r: (-r["gain"], r["kind"]))


def with_gold_candidates(run: Captured, config: Config) -> tuple[PairTable, np.ndarray, int]:
    """The run's scored pairs plus every gold head pair blocking missed, scored by ``compare.score_pair``."""
    stories: dict[str, list[str]] = defaultdict(list)
    for head in run.by_head:
        stories[run.gold.get(head, head)].append(head)
    known = set(run.similarity.table.pairs())
    counted = (None, 0) if not config.specific_weight else (frequencies_of(run.profiles), len(run.profiles))
    extra = {pair: score_pair(run.profiles[pair[0]], run.profiles[pair[1]], config.comparisons, config.priors, None,
                              *counted).score
             for heads in stories.values() for pair in itertools.combinations(sorted(heads), 2) if pair not in known}
    rows = sorted([*zip(run.similarity.table.pairs(), run.similarity.values.tolist()), *extra.items()])
    ids = tuple(sorted({i for pair, _ in rows for i in pair} | set(run.similarity.table.ids)))
    place = {i: n for n, i in enumerate(ids)}
    table = PairTable(ids, np.array([place[a] for (a, _), _ in rows], dtype=np.int64),
                      np.array([place[b] for (_, b), _ in rows], dtype=np.int64))
    return table, np.array([value for _, value in rows]), len(extra)


def oracles(run: Captured, config: Config) -> dict[str, float]:
    """The ARIs of the oracles of the module doc."""
    values = run.similarity.values
    same = np.array([run.gold.get(a, a) == run.gold.get(b, b) for a, b in run.similarity.table.pairs()], dtype=bool)
    found = {"as run": cluster_ari(run, values, config),
             "every score right": cluster_ari(run, same.astype(np.float64), config),
             "false pairs 0, gold pairs as scored": cluster_ari(run, np.where(same, values, 0.0), config),
             "gold pairs 1, false pairs as scored": cluster_ari(run, np.where(same, 1.0, values), config)}
    table, scores, added = with_gold_candidates(run, config)
    found[f"every gold pair a candidate ({added} added)"] = ari_of(run, partition(run, scores, config, table))
    for threshold in THRESHOLDS:
        found[f"link_threshold {threshold}"] = cluster_ari(run, values, dataclasses.replace(config,
                                                                                           link_threshold=threshold))
    return {k: round(v, 4) for k, v in found.items()}


def ari_of(run: Captured, predicted: Mapping[str, int]) -> float:
    """The ARI of a partition against the run's gold."""
    return ari_of_counts(*pair_counts(predicted, run.gold))


def measure(name: str, inputs: list[str], gold: dict[str, str], config: Config) -> dict[str, Any]:
    """One corpus's kinds, with their prices, and its oracles."""
    run = capture(read_articles(inputs), gold, config)
    counts, found = kinds(run, partition(run, run.similarity.values, config), config)
    tp, fp, fn, tn = counts
    return {"corpus": name, "ari": round(ari_of_counts(*counts), 4), "gold_pairs": tp + fn, "false_pairs": fp,
            "heads": len(run.by_head), "isolated_heads": len(isolated(run)),
            "missed_pairs": fn, "kinds": priced(counts, found),
            "all merges right": round(ari_of_counts(tp, 0, fn, tn + fp) - ari_of_counts(*counts), 4),
            "all splits right": round(ari_of_counts(tp + fn, fp, 0, tn) - ari_of_counts(*counts), 4),
            "oracles": oracles(run, config)}


def print_row(row: dict[str, Any]) -> None:
    """One corpus as markdown tables."""
    print(f"\n{row['corpus']}: ARI {row['ari']}; gold pairs {row['gold_pairs']}, missed {row['missed_pairs']}, "
          f"false {row['false_pairs']}; heads {row['heads']}, of them no story-mate scoring 0.5 with them "
          f"{row['isolated_heads']}; all merges right +{row['all merges right']}, all splits right "
          f"+{row['all splits right']}\n\n| kind | pairs | ARI if right |\n|---|---|---|")
    for kind in row["kinds"]:
        print(f"| {kind['kind']} | {kind['pairs']} | +{kind['gain']:.4f} |")
    print("\n| oracle | ARI |\n|---|---|")
    for label, value in row["oracles"].items():
        print(f"| {label} | {value:.4f} |")


def main() -> None:
    """Parse arguments, measure every corpus, print its tables (or one JSON row each)."""
    parser = corpus_parser(__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="one JSON row per corpus")
    args = parser.parse_args()
    config = Config()
    for name, inputs, gold in chosen_corpora(args):
        row = measure(name, inputs, gold, config)
        print(json.dumps(row), flush=True) if args.json else print_row(row)


if __name__ == "__main__":
    main()
