"""Peak resident memory of the candidate cap (``capping.capped_tables``) on synthetic salient codes.

Usage: PYTHONPATH=TREE python bench/blocking_memory.py [--articles 400000] [--keys 20]

Makes ``--keys`` key codes an article (Pareto-distributed over 80,000 codes, so a few are common and skipped by
``max_block``), as ``blocking.salient_codes`` gives them (positions ascending), then runs ``capped_tables`` with the
default ``max_block`` (100) and ``max_candidates`` (50) and prints the process's peak RSS before and after it
(``ru_maxrss``) and its CPU seconds: blocking's own temporaries, without extracting a corpus. Run it once per tree
(``PYTHONPATH`` decides which ``dedupe`` is imported) and compare.
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np

from dedupe.capping import capped_tables


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=400_000)
    parser.add_argument("--keys", type=int, default=20)
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    keys = np.minimum((rng.pareto(1.1, size=args.articles * args.keys) * 50).astype(np.int64), 79_999)
    positions = np.repeat(np.arange(args.articles, dtype=np.int64), args.keys)
    ids = [f"a{i:07d}" for i in range(args.articles)]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.process_time()
    table, _ = capped_tables(positions, keys, ids, 100, 50)
    seconds = time.process_time() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{args.articles:,} articles, {len(table):,} pairs kept: peak RSS {before / 1024:.0f} MB before, "
          f"{peak / 1024:.0f} MB after (+{(peak - before) / 1024:.0f} MB), {seconds:.1f} s CPU")


if __name__ == "__main__":
    main()
