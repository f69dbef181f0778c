"""Stories larger than the candidate cap: the pieces each gold story comes out in, with and without the second pass.

Usage: python bench/hot_stories.py ARTICLES.jsonl GOLD.jsonl [--limit N] [--max-block 100] [--hot-links 8]
[--support 0 1 2]

Runs ``dedupe.run`` (default settings but ``max_block`` and ``hot_links``, no merge) on the first N articles, takes the
arguments of ``pipeline.cluster`` and clusters them again once per ``piece_support`` given (0: the first pass alone).
Prints one JSON line per value: ARI, pair precision and recall against the gold ``story`` field
(``bench/make_corpus.py`` writes it), the CPU seconds and the rise of the peak RSS over the state before
clustering (the kernel's high-water mark is reset first), and per bucket of gold story size (reports: 1, 2-3,
4-10, 11-50, 51-200, 201+) the stories, the mean pieces per story and the mean share of a story in its largest piece.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import replace
from itertools import islice
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: The lower bounds of the story-size buckets (reports).
BUCKETS = (1, 2, 4, 11, 51, 201)


def peak_mb(reset: bool = False) -> int:
    """This process's peak RSS in MB (Linux ``VmHWM``), after resetting it when ``reset``."""
    if reset:
        Path("/proc/self/clear_refs").write_text("5")
    status = Path("/proc/self/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmHWM")).split()[1]) // 1024


def pieces(members: list[list[str]], gold: dict[str, str]) -> dict[str, list[float]]:
    """Per size bucket: stories, mean pieces, mean share in the largest piece."""
    cluster_of = {m: k for k, group in enumerate(members) for m in group}
    stories: dict[str, list[int]] = defaultdict(list)
    for article, story in gold.items():
        stories[story].append(cluster_of[article])
    found: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for parts in stories.values():
        counts = Counter(parts)
        bucket = max(b for b in BUCKETS if len(parts) >= b)
        found[bucket].append((len(counts), counts.most_common(1)[0][1] / len(parts)))
    return {str(b): [len(v), round(sum(p for p, _ in v) / len(v), 2), round(sum(s for _, s in v) / len(v), 3)]
            for b, v in sorted(found.items())}


def rows(call: tuple, gold: dict[str, str], supports: list[float]) -> list[dict[str, Any]]:
    """Cluster the captured arguments once per support value: one row each."""
    from dedupe import pipeline
    from dedupe.evaluate import labels_from_clusters, score

    articles, graph, by_head, similarity, config, groups, capped = call
    found = []
    for support in supports:
        before, start = peak_mb(reset=True), time.process_time()
        clusters = pipeline.cluster(articles, graph, by_head, similarity, replace(config, piece_support=support),
                                    groups, capped)
        cpu, rise = time.process_time() - start, peak_mb() - before
        members = [list(c.members) for c in clusters]
        scores = score(labels_from_clusters(members), gold).as_dict()
        found.append({"piece_support": support, "ari": round(scores["ari"], 4),
                      "pair_precision": round(scores["pair_precision"], 4),
                      "pair_recall": round(scores["pair_recall"], 4), "clusters": len(members),
                      "cluster_cpu": round(cpu, 1), "cluster_peak_rise_mb": rise, "pieces": pieces(members, gold)})
    return found


class Caught(Exception):
    """Raised in place of clustering, once its arguments are taken."""


def main() -> None:
    """Parse arguments, run once, cluster again per support value."""
    from dedupe import Config, pipeline, run

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", type=Path)
    parser.add_argument("gold", type=Path)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--support", type=float, nargs="+", default=[0.0, 2.0])
    parser.add_argument("--max-block", type=int, default=Config().max_block)
    parser.add_argument("--hot-links", type=int, default=Config().hot_links)
    args = parser.parse_args()
    from dedupe.load import read_articles

    calls: list[tuple] = []
    original = pipeline.cluster

    def caught(*call: Any) -> Any:
        calls.append(call)
        raise Caught

    pipeline.cluster = caught  # type: ignore[assignment]
    with args.articles.open("rb") as handle:
        articles = list(read_articles(["-"], stdin=io.BytesIO(b"".join(islice(handle, args.limit)))))
    with args.gold.open(encoding="utf-8") as handle:
        gold = {r["id"]: r["story"] for r in map(json.loads, islice(handle, args.limit))}
    try:
        run(articles, Config(max_block=args.max_block, hot_links=args.hot_links), stories=False, details=False)
    except Caught:
        pass
    pipeline.cluster = original  # type: ignore[assignment]
    for row in rows(calls[0], gold, args.support):
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
