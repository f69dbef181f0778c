"""Memory and CPU of blocking + capping alone, on synthetic salient keys: the kept and left-out pair counts.

Usage: python bench/capping_memory.py [--articles 20000] [--keys 20] [--vocabulary 5000] [--seed 3]
       [--max-block 100] [--cap 50] [--save FILE.npz]

Each article draws ``--keys`` keys uniformly from ``--vocabulary`` (a key then has ~articles x keys /
vocabulary holders), and the pairs sharing a key held by 2 to ``--max-block`` articles are split by the cap
as ``dedupe run`` splits them. Prints the pair counts, the CPU seconds of the split and the process's peak
resident MB (``ru_maxrss``, taken before ``--save`` reads a spool back; the keys and imports take ~40 MB). Runs on any
tree: with ``capping.capped_tables`` (streamed, branch capblock) or the older ``blocked_codes`` + ``split_capped`` (one
table); ``--save`` writes the kept and left-out pairs, to compare two trees' outputs with ``numpy``.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dedupe import capping
from dedupe.blocking import blocked_codes


def synthetic_keys(articles: int, keys: int, vocabulary: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``(positions, keys)`` as ``blocking.salient_codes`` gives them: each article's distinct keys."""
    rng = np.random.default_rng(seed)
    codes = np.unique(np.repeat(np.arange(articles), keys) * vocabulary + rng.integers(0, vocabulary, articles * keys))
    return codes // vocabulary, codes % vocabulary


def split(positions: np.ndarray, keys: np.ndarray, ids: list[str], max_block: int, cap: int) -> tuple:
    """The kept pairs (a table) and the left-out ones (a table, or their spool), by whichever API the tree has."""
    if hasattr(capping, "capped_tables"):
        return capping.capped_tables(positions, keys, ids, max_block, cap)
    table = blocked_codes(positions, keys, len(ids), ids, max_block)  # the one-table form (before capblock)
    return capping.split_capped(table, positions, keys, max_block, cap)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--keys", type=int, default=20, help="keys an article draws [20]")
    parser.add_argument("--vocabulary", type=int, default=5000, help="distinct keys [5000]")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--max-block", type=int, default=100)
    parser.add_argument("--cap", type=int, default=50, help="max_candidates [50]")
    parser.add_argument("--save", type=Path, help="write the pairs to this .npz")
    args = parser.parse_args(argv)
    positions, keys = synthetic_keys(args.articles, args.keys, args.vocabulary, args.seed)
    ids = [f"{i:08d}" for i in range(args.articles)]
    started = time.process_time()
    kept, left_out = split(positions, keys, ids, args.max_block, args.cap)
    cpu = time.process_time() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before a spool is read back to save it
    if args.save:
        out = left_out.table() if hasattr(left_out, "table") else left_out
        np.savez(args.save, kept_left=kept.left, kept_right=kept.right, out_left=out.left, out_right=out.right)
    print(f"kept {len(kept):,} pairs, left out {len(left_out):,}; split CPU {cpu:.1f} s; "
          f"peak RSS {peak:,.0f} MB ({peak * 1024 / args.articles:,.1f} KB an article)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
