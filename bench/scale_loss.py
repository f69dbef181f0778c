"""Why the generated corpora's ARI falls with size: a run's pair errors by gold story size and pair type.

Usage: python bench/scale_loss.py CORPUS_DIR RUN_DIR [RUN_DIR ...] [--prefix N] [--hot-from DIR] [--json]

``CORPUS_DIR`` holds ``gold.jsonl`` as ``bench/make_corpus.py`` writes it (``id, kind, story, copy_group,
source_id``); each ``RUN_DIR`` a ``dedupe run -o`` output (``clusters.jsonl``). For each run, over the articles
it clustered (``--prefix N``: only the first N of the gold file, which is how a 10k corpus sits inside a 100k
one of the same seed):

* the ARI and pair precision / recall;
* the gold pairs and the missed ones per story-size bucket (reports in the story: 2-3, 4-10, 11-50, 51-200,
  201-1000, 1001+), with the *hot* stories apart (the generator sends a fifth of its copies and rewrites to its
  first 50 originals, so they grow with the corpus), and the ARI if that bucket's pairs alone were right;
* the gold pairs by type: copies of one original (one ``copy_group``), an original's copy group with a rewrite
  of it, and two rewrites of one original (which share only the original's sentences both happened to keep);
* the false pairs by the two stories' kinds (hot or not), and the ARI with all of them right;
* the ARI of the run on the articles of non-hot stories alone.

Pairs are counted from contingency tables (story x cluster, copy group x cluster), never enumerated.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import islice, pairwise
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from loss_causes import ari_of_counts

from dedupe.evaluate import score

#: The generator's hot originals (``bench/make_corpus.py``'s ``HOT``).
HOT = 50
#: Lower bounds of the story-size buckets (reports).
BUCKETS = (2, 4, 11, 51, 201, 1001)
TYPES = ("copies", "original-rewrite", "rewrite-rewrite")


@dataclass(frozen=True)
class Gold:
    """The planted labels of a corpus: each article's story and copy group, which groups are rewrites, and
    which stories are hot."""

    story: dict[str, str]
    group: dict[str, str]
    rewrites: frozenset[str]
    hot: frozenset[str]


def read_gold(path: Path, prefix: int | None = None, hot_from: Path | None = None) -> Gold:
    """The :class:`Gold` of the first ``prefix`` rows of ``gold.jsonl`` (all: None); the hot stories those of
    ``hot_from`` (another ``gold.jsonl``: the whole corpus a subsample was drawn from), else of ``path``."""
    story, group, rewrites, originals = {}, {}, set(), []
    with path.open(encoding="utf-8") as handle:
        for row in map(json.loads, islice(handle, prefix)):
            story[row["id"]], group[row["id"]] = row["story"], row["copy_group"]
            if row["kind"] == "rewrite":
                rewrites.add(row["copy_group"])
            elif row["kind"] == "original":
                originals.append(row["id"])
    hot = frozenset(originals[:HOT]) if hot_from is None else read_gold(hot_from, None).hot
    return Gold(story, group, frozenset(rewrites), hot)


def read_clusters(run: Path) -> dict[str, str]:
    """Each article's cluster id in a run's ``clusters.jsonl``."""
    with (run / "clusters.jsonl").open(encoding="utf-8") as handle:
        return {m: r["cluster_id"] for r in map(json.loads, handle) for m in r["members"]}


def pairs(n: int) -> int:
    """Unordered pairs of ``n`` items."""
    return n * (n - 1) // 2


def bucket_of(size: int, hot: bool) -> str:
    """A story's bucket label: its size range, ``hot`` marked."""
    low = max(b for b in BUCKETS if size >= b)
    high = {b: n - 1 for b, n in pairwise(BUCKETS)}.get(low)
    return f"{'hot ' if hot else ''}{low}-{high}" if high else f"{'hot ' if hot else ''}{low}+"


def type_counts(members: Iterable[str], gold: Gold, predicted: Mapping[str, str]) -> dict[str, tuple[int, int]]:
    """One story's gold pairs by type: (pairs, of them together in ``predicted``)."""
    by_group: dict[str, Counter[str]] = defaultdict(Counter)
    for m in members:
        by_group[gold.group[m]][predicted[m]] += 1
    sizes = {g: sum(c.values()) for g, c in by_group.items()}
    original = [g for g in by_group if g not in gold.rewrites]
    rewrite = [g for g in by_group if g in gold.rewrites]
    copies = (sum(pairs(n) for n in sizes.values()),
              sum(pairs(n) for c in by_group.values() for n in c.values()))
    left = Counter[str]()
    for g in original:
        left.update(by_group[g])
    right = Counter[str]()
    for g in rewrite:
        right.update(by_group[g])
    cross = (sum(sizes[g] for g in original) * sum(sizes[g] for g in rewrite),
             sum(n * right[c] for c, n in left.items()))
    total = (pairs(sum(sizes.values())), sum(pairs(n) for n in (left + right).values()))
    return {"copies": copies, "original-rewrite": cross,
            "rewrite-rewrite": (total[0] - copies[0] - cross[0], total[1] - copies[1] - cross[1])}


def measure(gold: Gold, predicted: Mapping[str, str]) -> dict[str, Any]:
    """The run's counts by bucket, type and false-pair kind, with the ARI if each part were right."""
    ids = [i for i in gold.story if i in predicted]
    stories: dict[str, list[str]] = defaultdict(list)
    for i in ids:
        stories[gold.story[i]].append(i)
    clusters: dict[str, Counter[str]] = defaultdict(Counter)
    for i in ids:
        clusters[predicted[i]][gold.story[i]] += 1
    buckets: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    types: dict[str, list[int]] = {t: [0, 0] for t in TYPES}
    for story, members in stories.items():
        if len(members) < 2:
            continue
        row = buckets[bucket_of(len(members), story in gold.hot)]
        row[0] += 1
        for kind, (n, together) in type_counts(members, gold, predicted).items():
            types[kind][0] += n
            types[kind][1] += together
            row[1] += n
            row[2] += n - together
    false = false_pairs(clusters, gold.hot)
    tp = sum(pairs(n) for c in clusters.values() for n in c.values())
    fn = sum(pairs(len(m)) for m in stories.values()) - tp
    fp = sum(false.values())
    counts = (tp, fp, fn, pairs(len(ids)) - tp - fp - fn)
    base = ari_of_counts(*counts)
    return {"articles": len(ids), "ari": round(base, 4), "precision": round(tp / max(tp + fp, 1), 4),
            "recall": round(tp / max(tp + fn, 1), 4), "gold_pairs": tp + fn, "false_pairs": fp,
            "buckets": {b: {"stories": s, "gold_pairs": n, "missed": m, "recall": round(1 - m / n, 4),
                            "gain": round(ari_of_counts(tp + m, fp, fn - m, counts[3]) - base, 4)}
                        for b, (s, n, m) in sorted(buckets.items(), key=lambda kv: _order(kv[0]))},
            "types": {t: {"pairs": n, "recall": round(k / n, 4) if n else None} for t, (n, k) in types.items()},
            "false": dict(false), "all false right": round(ari_of_counts(tp, 0, fn, counts[3] + fp) - base, 4),
            "ari without hot stories": round(without_hot(gold, predicted, ids), 4)}


def _order(label: str) -> tuple[bool, int]:
    """Sort key of a bucket label: non-hot first, then by size."""
    return label.startswith("hot"), int(label.split()[-1].split("-")[0].rstrip("+"))


def false_pairs(clusters: Mapping[str, Counter[str]], hot: frozenset[str]) -> Counter[str]:
    """Pairs put together from two gold stories, by the stories' kinds (``hot-hot``, ``hot-other``,
    ``other-other``)."""
    found: Counter[str] = Counter()
    for parts in clusters.values():
        hot_n = sum(n for s, n in parts.items() if s in hot)
        other_n = sum(parts.values()) - hot_n
        found["hot-hot"] += pairs(hot_n) - sum(pairs(n) for s, n in parts.items() if s in hot)
        found["other-other"] += pairs(other_n) - sum(pairs(n) for s, n in parts.items() if s not in hot)
        found["hot-other"] += hot_n * other_n
    return found


def without_hot(gold: Gold, predicted: Mapping[str, str], ids: list[str]) -> float:
    """The ARI on the articles of non-hot stories alone."""
    kept = [i for i in ids if gold.story[i] not in gold.hot]
    return score({i: predicted[i] for i in kept}, {i: gold.story[i] for i in kept}).ari


def print_row(name: str, row: Mapping[str, Any]) -> None:
    """One run as markdown tables."""
    print(f"\n{name}: {row['articles']} articles, ARI {row['ari']}, pair P / R {row['precision']} / "
          f"{row['recall']}; gold pairs {row['gold_pairs']}, false pairs {row['false_pairs']} "
          f"({', '.join(f'{k} {v}' for k, v in row['false'].items())}; all right +{row['all false right']}); "
          f"ARI without hot stories {row['ari without hot stories']}\n")
    print("| stories | n | gold pairs | missed | recall | ARI if right |\n|---|---|---|---|---|---|")
    for label, b in row["buckets"].items():
        print(f"| {label} | {b['stories']} | {b['gold_pairs']:,} | {b['missed']:,} | {b['recall']:.4f} | "
              f"+{b['gain']:.4f} |")
    print("\n| gold pair type | pairs | recall |\n|---|---|---|")
    for kind, t in row["types"].items():
        print(f"| {kind} | {t['pairs']:,} | {t['recall']} |")


def main() -> None:
    """Parse arguments, measure each run, print its tables (or one JSON row each)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="folder with gold.jsonl")
    parser.add_argument("runs", type=Path, nargs="+", help="dedupe run -o folders")
    parser.add_argument("--prefix", type=int, default=None, help="only the first N articles of the gold")
    parser.add_argument("--hot-from", type=Path, default=None,
                        help="the whole corpus's folder, for a subsample (its first 50 originals are hot)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    gold = read_gold(args.corpus / "gold.jsonl", args.prefix, args.hot_from and args.hot_from / "gold.jsonl")
    for run in args.runs:
        row = measure(gold, read_clusters(run))
        print(json.dumps({"run": str(run), **row})) if args.json else print_row(str(run), row)


if __name__ == "__main__":
    main()
