"""Candidate pairs, same-story CPU and quality against planted labels, per corpus size and ``max_candidates``.

Usage: python bench/candidate_cap.py ARTICLES.jsonl GOLD.jsonl [--sizes 10000 20000] [--caps 0 50]

For each size N and cap M, a fresh process runs ``dedupe.run`` on the first N articles with
``max_candidates=M`` and prints one JSON line: candidate pairs (all, per article of the same-story stage),
and for the stage and its sub-steps (blocking, word cosines, neighbour ranks, pair scores) a triple of wall
seconds, this process's CPU seconds and its reaped workers' CPU seconds; then ARI and pair F1 of the
clusters against the gold ``story`` field (``bench/make_corpus.py`` writes it).
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
STEPS = ("same_story", "candidate_table", "table_cosines", "table_ranks", "table_scores")


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
        if name == "candidate_table":
            found["pairs"], found["heads"] = len(result), len(result.ids)
        return result
    return wrapper


def measure(articles_path: Path, gold_path: Path, size: int, cap: int) -> dict[str, Any]:
    """One run on the first ``size`` articles with ``max_candidates=cap``: the JSON row."""
    from dedupe import Config, match, run
    from dedupe.evaluate import labels_from_clusters, score
    from dedupe.load import read_articles

    found: dict[str, Any] = {}
    for name in STEPS:
        setattr(match, name, timed(getattr(match, name), name, found))
    with articles_path.open("rb") as handle:
        articles = list(read_articles(["-"], stdin=io.BytesIO(b"".join(islice(handle, size)))))
    with gold_path.open(encoding="utf-8") as handle:
        gold = {r["id"]: r["story"] for r in map(json.loads, islice(handle, size))}
    start = time.perf_counter()
    result = run(articles, replace(Config(), max_candidates=cap))
    wall = time.perf_counter() - start
    scores = score(labels_from_clusters([list(c.members) for c in result.clusters]), gold).as_dict()
    return {"articles": size, "max_candidates": cap, "wall": round(wall, 1), "ari": scores["ari"],
            "pair_f1": scores["pair_f1"], "pairs_per_head": round(found["pairs"] / max(found["heads"], 1), 1),
            **found}


def main() -> None:
    """Parse arguments; run each (size, cap) in a fresh process (or, with ``--one``, this one)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", type=Path)
    parser.add_argument("gold", type=Path)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 20000])
    parser.add_argument("--caps", type=int, nargs="+", default=[0, 50])
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.articles, args.gold, args.sizes[0], args.caps[0])), flush=True)
        return
    for size in args.sizes:
        for cap in args.caps:
            subprocess.run([sys.executable, __file__, str(args.articles), str(args.gold), "--sizes", str(size),
                            "--caps", str(cap), "--one"], check=True)


if __name__ == "__main__":
    main()
