"""The same gold pairs in a generated corpus and in a larger one that holds it: candidate, score and cluster in each.

Usage: python bench/scale_pairs.py SMALL_DIR LARGE_DIR [--limit N] [--save FILE] [--json]

``bench/make_corpus.py`` with one seed writes the same first articles whatever ``--size`` (a 10k corpus is the
first 10,000 articles of the 100k one, ids padded to another width). Each corpus is run once with default
settings (``pipeline.run``, what clustering reads kept, as ``bench/loss_causes.py`` does). Then every pair of
heads that both runs hold among the small corpus's articles, the gold pairs (one story, not one copy group) and
the false pairs either run scores ``story_threshold`` or more, gets in each run a *status*: scored (and its
score), blocked and left out by the candidate cap, never a candidate; and whether the run's clusters put it
together, and the salient keys it shares (:class:`scale_hot.KeyView`). Printed: per class of gold pair (hot story
or not, original-rewrite or rewrite-rewrite) those together in the small run and apart in the large one, by
their status there; the share of salient keys past ``max_block`` in each run; every head pair of the large run's
hot stories (:func:`scale_hot.hot_pairs`); the false pairs' statuses crossed (small run x large run); and for the
pairs scored in both the mean change of each evidence's log-odds (terms, names, headline, ..., gap, rank,
specificity), by whether the pair crossed ``link_threshold``. ``--limit N``: only the first N articles of the large
corpus, for a quick look; ``--save FILE``: one JSON line per pair.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations, islice
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from loss_causes import partition
from pair_evidence import Captured, clustering_inputs
from scale_hot import KeyView, hot_pairs
from scale_loss import Gold, read_gold

from dedupe import Config, read_articles
from dedupe import pipeline as stages
from dedupe.compare import score_pair
from dedupe.scorearrays import frequencies_of

Pair = tuple[int, int]
PARTS = ("terms", "names", "headline", "dates", "numbers", "people", "principal", "gap", "rank", "specific")


@dataclass
class Seen:
    """What one run did with each pair of interest (pairs of article numbers, smaller first)."""

    status: dict[Pair, str]
    score: dict[Pair, float]
    together: dict[Pair, bool]
    parts: dict[Pair, dict[str, float]]
    heads: int
    keys: dict[Pair, dict[str, float]]
    past: float = 0.0


def number(article_id: str) -> int:
    """The article's number (``a00042`` and ``a000042`` are one article)."""
    return int(article_id[1:])


def capture(folder: Path, limit: int | None, config: Config) -> Captured:
    """Run the first ``limit`` articles of a generated corpus, keeping what clustering read and the profiles
    as the run holds them (no dict copy: a 100k corpus's would not fit)."""
    with (folder / "gold.jsonl").open(encoding="utf-8") as handle:
        gold = {r["id"]: r["story"] for r in map(json.loads, islice(handle, limit))}
    articles = islice(read_articles([str(folder / "articles.jsonl")]), limit)
    kept: dict[str, Any] = {}
    with clustering_inputs(kept):
        result = stages.run(articles, config, stories=False, details=True)
    return Captured(kept["by_head"], kept["groups"], kept["similarity"], kept["capped"], result.extras["profiles"],
                    result.extras["ranks"], gold, days=kept["days"])


def pairs_of_interest(run: Captured, within: int, config: Config) -> tuple[set[Pair], set[Pair]]:
    """Gold head pairs of different copy groups among the first ``within`` articles, and false head pairs there
    scored ``story_threshold`` or more (article numbers of the heads)."""
    stories: dict[str, list[int]] = defaultdict(list)
    for head in run.by_head:
        if number(head) < within:
            stories[run.gold[head]].append(number(head))
    gold = {p for members in stories.values() for p in combinations(sorted(members), 2)}
    strong = np.flatnonzero(run.similarity.values >= config.story_threshold)
    false = {tuple(sorted((number(a), number(b)))) for a, b in run.similarity.table.take(strong).pairs()
             if number(a) < within and number(b) < within and run.gold[a] != run.gold[b]}
    return gold, false


def seen(run: Captured, wanted: Iterable[Pair], config: Config) -> Seen:
    """Each wanted pair's status, score, togetherness and evidence in ``run``."""
    name = {number(h): h for h in run.by_head}
    cluster = partition(run, run.similarity.values, config)
    frequencies = frequencies_of(run.profiles) if config.specific_weight else None
    found = Seen({}, {}, {}, {}, len(run.by_head), {})
    keyed = KeyView(run, config)
    found.past = keyed.past
    for pair in wanted:
        if pair[0] not in name or pair[1] not in name:
            found.status[pair] = "a side not a head"
            continue
        a, b = name[pair[0]], name[pair[1]]
        found.together[pair] = cluster[a] == cluster[b]
        found.keys[pair] = keyed.of(a, b)
        row = run.similarity.table.row(a, b)
        if row is None:
            capped = run.capped is not None and run.capped.row(a, b) is not None
            found.status[pair] = "left out by the cap" if capped else "never a candidate"
            continue
        found.status[pair], found.score[pair] = "scored", float(run.similarity.values[row])
        rank = int(run.ranks[(a, b)]) if (a, b) in run.ranks else None
        scored = score_pair(run.profiles[a], run.profiles[b], config.comparisons, config.priors, rank, frequencies,
                            len(run.profiles))
        found.parts[pair] = {**{f: scored.parts[f][1] for f in scored.parts}, "gap": scored.gap_logodds,
                             "rank": scored.rank_logodds, "specific": scored.specific_logodds,
                             "check": abs(scored.score - found.score[pair])}
    return found


def pair_classes(gold: Gold, pairs: Iterable[Pair]) -> dict[Pair, str]:
    """Each gold head pair's class: its story hot or not, and original-rewrite or rewrite-rewrite."""
    width = len(next(iter(gold.story))) - 1
    def name(n: int) -> str:
        return f"a{n:0{width}d}"
    found = {}
    for pair in pairs:
        a, b = map(name, pair)
        kind = "rewrite-rewrite" if gold.group[a] in gold.rewrites and gold.group[b] in gold.rewrites \
            else "original-rewrite"
        found[pair] = f"{'hot' if gold.story[a] in gold.hot else 'other'} {kind}"
    return found


def losses(small: Seen, large: Seen, labels: Mapping[Pair, str]) -> dict[str, dict[str, Any]]:
    """Per class: the gold pairs, those together in the small run, and of these the ones apart in the large run
    by their status there; with the median evidence and bar (see :class:`KeyView`) of the ones left out by the cap."""
    out: dict[str, dict[str, Any]] = {}
    for label in sorted(set(labels.values())):
        members = [p for p, c in labels.items() if c == label]
        joined = [p for p in members if small.together.get(p)]
        lost = [p for p in joined if not large.together.get(p)]
        row: dict[str, Any] = {"pairs": len(members), "together small": len(joined), "apart large": len(lost)}
        row.update(Counter(_status(large, p) for p in lost))
        capped = [p for p in lost if large.status[p] == "left out by the cap"]
        for run, name in ((small, "small"), (large, "large")):
            for field in ("evidence", "bar", "usable", "holders"):
                row[f"{field} {name}"] = float(np.median([run.keys[p][field] for p in capped])) if capped else None
        out[label] = row
    return out


def _status(run: Seen, pair: Pair) -> str:
    """A pair's status, a score split at 0.6."""
    status = run.status[pair]
    return (f"scored {'>=' if run.score[pair] >= 0.6 else '<'} 0.6" if status == "scored" else status)


def records(small: Seen, large: Seen, labels: Mapping[Pair, str], pairs: Iterable[Pair]) -> list[dict[str, Any]]:
    """One record per pair: its class (``false`` when not a gold pair) and what each run did with it."""
    def view(run: Seen, p: Pair) -> dict[str, Any]:
        return {"status": run.status.get(p), "score": run.score.get(p), "together": run.together.get(p),
                "parts": run.parts.get(p), "keys": run.keys.get(p)}
    return [{"pair": p, "class": labels.get(p, "false"), "small": view(small, p), "large": view(large, p)}
            for p in sorted(pairs)]


def crossed(small: Seen, large: Seen, pairs: Iterable[Pair]) -> dict[str, int]:
    """Pairs counted by (status in the small run, status in the large run), with togetherness."""
    def label(run: Seen, pair: Pair) -> str:
        status = run.status[pair]
        if status == "scored":
            status = "scored >= 0.6" if run.score[pair] >= 0.6 else "scored < 0.6"
        return f"{status}, {'together' if run.together.get(pair) else 'apart'}"
    return dict(Counter(f"{label(small, p)} -> {label(large, p)}" for p in pairs).most_common())


def shifts(small: Seen, large: Seen, pairs: Iterable[Pair]) -> dict[str, dict[str, float]]:
    """For pairs scored in both runs, grouped by how they sit against 0.6 in each: count, mean score in each, and
    each evidence's mean log-odds change (large minus small)."""
    groups: dict[str, list[Pair]] = defaultdict(list)
    for p in pairs:
        if p in small.parts and p in large.parts:
            groups[f"{'>=' if small.score[p] >= 0.6 else '<'} 0.6 -> "
                   f"{'>=' if large.score[p] >= 0.6 else '<'} 0.6"].append(p)
    out = {}
    for label, members in sorted(groups.items()):
        row = {"pairs": len(members), "small score": _mean(small.score[p] for p in members),
               "large score": _mean(large.score[p] for p in members)}
        row.update({part: _mean(large.parts[p].get(part, 0.0) - small.parts[p].get(part, 0.0) for p in members)
                    for part in PARTS})
        row["rescored off by"] = max(max(small.parts[p]["check"], large.parts[p]["check"]) for p in members)
        out[label] = row
    return out


def _mean(values: Iterable[float]) -> float:
    """The mean, rounded to 4 places."""
    listed = list(values)
    return round(sum(listed) / len(listed), 4) if listed else float("nan")


def compare(small_dir: Path, large_dir: Path, limit: int | None, config: Config) -> dict[str, Any]:
    """Both runs' views of the small corpus's gold pairs and strong false pairs."""
    small_run = capture(small_dir, None, config)
    within = len(small_run.gold)
    gold_s, false_s = pairs_of_interest(small_run, within, config)
    large_run = capture(large_dir, limit, config)
    gold_l, false_l = pairs_of_interest(large_run, within, config)
    hot = hot_pairs(large_run, read_gold(large_dir / "gold.jsonl", limit))
    wanted = gold_s | gold_l | false_s | false_l
    small = seen(small_run, wanted, config)
    del small_run
    large = seen(large_run, wanted, config)
    del large_run
    gold = gold_s & gold_l
    labels = pair_classes(read_gold(small_dir / "gold.jsonl"), gold)
    return {
        "heads": [small.heads, large.heads],
        "gold pairs": len(gold),
        "keys past max_block": [small.past, large.past],
        "hot stories, large run": hot,
        "gold losses": losses(small, large, labels),
        "records": records(small, large, labels, wanted),
        "gold score shifts": shifts(small, large, gold),
        "false pairs": [len(false_s), len(false_l)],
        "false statuses": crossed(small, large, (false_s | false_l) & set(small.status) & set(large.status)),
        "false score shifts": shifts(small, large, false_s | false_l),
    }


def print_tables(row: Mapping[str, Any]) -> None:
    """The comparison as markdown tables."""
    statuses = ("left out by the cap", "never a candidate", "scored < 0.6", "scored >= 0.6", "a side not a head")
    print("| gold head pairs | pairs | together (small) | of them apart (large) | " + " | ".join(statuses)
          + " | cap losses: evidence / bar, small -> large | usable keys / median holders, small -> large |")
    print("|---" * (9 + len(statuses) - 4) + "|")
    for label, r in row["gold losses"].items():
        print(f"| {label} | {r['pairs']} | {r['together small']} | {r['apart large']} | "
              + " | ".join(str(r.get(s, 0)) for s in statuses)
              + f" | {r['evidence small']} / {r['bar small']} -> {r['evidence large']} / {r['bar large']}"
              f" | {r['usable small']} / {r['holders small']} -> {r['usable large']} / {r['holders large']} |")
    print(f"heads small / large: {row['heads']}; gold head pairs in both: {row['gold pairs']}; false pairs "
          f"scored >= story_threshold small / large: {row['false pairs']}")
    print(
        f"\nshare of salient key entries whose key is held past max_block, small / large: {row['keys past max_block']}"
    )
    print(f"\nhot stories in the large run: {json.dumps(row['hot stories, large run'])}")
    for key in ("false statuses",):
        print(f"\n| {key}: small run -> large run | pairs |\n|---|---|")
        for label, n in row[key].items():
            print(f"| {label} | {n} |")
    for key in ("gold score shifts", "false score shifts"):
        print(f"\n| {key} | pairs | small | large | " + " | ".join(PARTS) + " | rescored off by |")
        print("|---" * (5 + len(PARTS)) + "|")
        for label, r in row[key].items():
            print(f"| {label} | {r['pairs']} | {r['small score']} | {r['large score']} | "
                  + " | ".join(f"{r[p]:+.3f}" for p in PARTS) + f" | {r['rescored off by']:.1e} |")


def main() -> None:
    """Parse arguments, run both corpora, print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("small", type=Path)
    parser.add_argument("large", type=Path)
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles of the large corpus")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--save", type=Path, default=None, help="one JSON line per pair to this file")
    args = parser.parse_args()
    row = compare(args.small, args.large, args.limit, Config())
    if args.save:
        with args.save.open("w", encoding="utf-8") as handle:
            handle.writelines(json.dumps(r) + "\n" for r in row["records"])
    del row["records"]
    print(json.dumps(row)) if args.json else print_tables(row)


if __name__ == "__main__":
    main()
