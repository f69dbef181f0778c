"""Where an exact ``index build`` spends its main process's time: cumulative seconds of each add phase (cProfile).

Usage: PYTHONPATH=TREE python bench/add_phases.py INPUT.jsonl --index NEW.db [--limit N] [--workers 2]

Builds a new index from the first ``--limit`` articles of INPUT under :mod:`cProfile` (the main process only:
work done in the engine's workers shows as the time the main process waits for it) and prints, for each
function of :data:`PHASES` that the tree has, its calls and cumulative wall seconds in the main process, then the
20 functions of the tree with the most own time. Works on trees before and after the streaming add (a phase a
tree lacks is skipped), so ``PYTHONPATH`` picks the tree to measure.
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import pstats
import sys
import time
from pathlib import Path

#: ``(module file suffix, function name)`` of the phases reported, in the order an add runs them.
PHASES = (
    ("index/update.py", "split_new"),
    ("index/update.py", "stored_articles"),
    ("index/update.py", "cached_engine"),
    ("index/persist.py", "save_articles"),
    ("pipeline.py", "run"),
    ("pipeline.py", "copy_edges"),
    ("match.py", "same_story"),
    ("fieldstream.py", "spooled_profiles"),
    ("match.py", "profiles_for"),
    ("profile.py", "build_profiles"),
    ("index/persist.py", "save_profiles"),
    ("scoring.py", "table_cosines"),
    ("scoring.py", "input_scores"),
    ("pipeline.py", "cluster"),
    ("merge.py", "merge_stories"),
    ("storyfile.py", "spool_stories"),
    ("index/persist.py", "save_fields"),
    ("index/persist.py", "save_stories"),
    ("index/persist.py", "save_derived"),
    ("furniture.py", "boilerplate"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input")
    parser.add_argument("--index", required=True)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    from dedupe import Config, read_articles
    from dedupe.index import add, create

    articles = list(itertools.islice(read_articles([args.input]), args.limit))
    Path(args.index).unlink(missing_ok=True)
    profiler = cProfile.Profile()
    start = time.perf_counter()
    with create(args.index, Config(workers=args.workers)) as index:
        profiler.enable()
        add(index, articles)
        profiler.disable()
    print(f"{len(articles)} articles, {time.perf_counter() - start:.1f} s wall", file=sys.stderr)
    stats = pstats.Stats(profiler)
    table = stats.stats  # type: ignore[attr-defined]
    for suffix, name in PHASES:
        for (path, _, function), (_, calls, _, cumulative, _) in table.items():
            if function == name and path.endswith(suffix):
                print(f"{suffix}:{name:<18} calls {calls:>5}  cumulative {cumulative:8.1f} s")
    stats.sort_stats("tottime").print_stats("dedupe", 20)


if __name__ == "__main__":
    main()
