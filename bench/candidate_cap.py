"""Candidate pairs, same-story CPU and quality against planted labels, per corpus size and ``max_candidates``.

Usage: python bench/candidate_cap.py ARTICLES.jsonl GOLD.jsonl [--sizes 10000 20000] [--caps 0 50]
       [--weights 0 0.1 old]

For each size N and cap M, a fresh process runs ``dedupe.run`` on the first N articles with
``max_candidates=M`` and prints one JSON line: candidate pairs (all, per article of the same-story stage),
and for the stage and its sub-steps (blocking with the cap, word cosines, neighbour ranks, pair scores) a triple of wall
seconds, this process's CPU seconds and its reaped workers' CPU seconds; then ARI and pair F1 of the
clusters against the gold ``story`` field (``bench/make_corpus.py`` writes it), and this process's peak RSS
(taken before any re-clustering). With ``--weights``, the same
run's scored pairs are clustered again with each ``capped_weight`` given (``old``: the capped pairs counted as
pairs sharing no key, as before ``capped_weight`` existed; ``W@A``: weight W between groups of more than A heads
together, instead of the run's ``capped_size``), and the row gains each one's ARI and CPU seconds.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from itertools import islice
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: The stage and the sub-steps it looks up in ``dedupe.match``, timed where it looks them up.
STEPS = ("same_story", "candidate_tables", "table_cosines", "table_ranks", "input_scores")


def clocks() -> tuple[float, float, float]:
    """Wall seconds, this process's CPU seconds and its reaped children's CPU seconds."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter(), own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def timed(function: Callable[..., Any], name: str, found: dict[str, Any]) -> Callable[..., Any]:
    """``function`` recording its three clocks in ``found[name]`` (and a candidate table's size)."""
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        before = clocks()
        result = function(*args, **kwargs)
        found[name] = [round(b - a, 1) for a, b in zip(before, clocks())]
        if name == "candidate_tables":
            found["pairs"], found["heads"], found["capped_out"] = len(result[0]), len(result[0].ids), len(result[1])
        return result
    return wrapper


def ari_of(clusters: Any, gold: dict[str, str]) -> float:
    """The ARI of clusters against the gold labels."""
    from dedupe.evaluate import labels_from_clusters, score

    return score(labels_from_clusters([list(c.members) for c in clusters]), gold).as_dict()["ari"]


def reclustered(call: tuple, gold: dict[str, str], weights: list[str]) -> dict[str, Any]:
    """Cluster the captured arguments of ``pipeline.cluster`` again with each capped weight: ARI, CPU seconds."""
    from dedupe import pipeline

    articles, graph, by_head, similarity, config, groups, capped = call
    row: dict[str, Any] = {}
    linkage = pipeline.average_linkage
    for weight in weights:
        before = clocks()[1]
        above = int(weight.split("@")[1]) if "@" in weight else config.capped_size
        pipeline.average_linkage = lambda *args, above=above: linkage(*args[:6], above)  # type: ignore[misc]
        changed = replace(config, capped_weight=0.0 if weight == "old" else float(weight.split("@")[0]))
        clusters = pipeline.cluster(articles, graph, by_head, similarity, changed, groups,
                                    None if weight == "old" else capped)
        pipeline.average_linkage = linkage
        row[f"ari_w{weight}"], row[f"cluster_cpu_w{weight}"] = ari_of(clusters, gold), round(clocks()[1] - before, 1)
    return row


def measure(articles_path: Path, gold_path: Path, size: int, cap: int, weights: list[str]) -> dict[str, Any]:
    """One run on the first ``size`` articles with ``max_candidates=cap``: the JSON row."""
    from dedupe import Config, match, pipeline, run
    from dedupe.evaluate import labels_from_clusters, score
    from dedupe.load import read_articles

    found: dict[str, Any] = {}
    for name in STEPS:
        setattr(match, name, timed(getattr(match, name), name, found))
    calls: list[tuple] = []
    clustering = pipeline.cluster
    pipeline.cluster = lambda *args: calls.append(args) or clustering(*args)  # type: ignore[assignment]
    with articles_path.open("rb") as handle:
        articles = list(read_articles(["-"], stdin=io.BytesIO(b"".join(islice(handle, size)))))
    with gold_path.open(encoding="utf-8") as handle:
        gold = {r["id"]: r["story"] for r in map(json.loads, islice(handle, size))}
    start = time.perf_counter()
    result = run(articles, replace(Config(), max_candidates=cap))
    wall = time.perf_counter() - start
    scores = score(labels_from_clusters([list(c.members) for c in result.clusters]), gold).as_dict()
    pipeline.cluster = clustering  # type: ignore[assignment]
    return {"articles": size, "max_candidates": cap, "wall": round(wall, 1), "ari": scores["ari"],
            "pair_f1": scores["pair_f1"], "pairs_per_head": round(found["pairs"] / max(found["heads"], 1), 1),
            "cluster_seconds": round(result.summary["seconds"].get("cluster", 0.0), 1),
            "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024), **found,
            **(reclustered(calls[0], gold, weights) if weights else {})}


def main() -> None:
    """Parse arguments; run each (size, cap) in a fresh process (or, with ``--one``, this one)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", type=Path)
    parser.add_argument("gold", type=Path)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 20000])
    parser.add_argument("--caps", type=int, nargs="+", default=[0, 50])
    parser.add_argument("--weights", nargs="*", default=[], help="capped weights to cluster again with (or old)")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.articles, args.gold, args.sizes[0], args.caps[0], args.weights)), flush=True)
        return
    for size in args.sizes:
        for cap in args.caps:
            subprocess.run([sys.executable, __file__, str(args.articles), str(args.gold), "--sizes", str(size),
                            "--caps", str(cap), "--weights", *args.weights, "--one"], check=True)


if __name__ == "__main__":
    main()
