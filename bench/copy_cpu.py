"""CPU seconds of copy detection's stages, for one or more source trees of dedupe, runs interleaved.

Usage: python bench/copy_cpu.py --corpus /tmp/corpus10k [--tree DIR ...] [--repeat 5]

Each run is a fresh process that imports ``dedupe`` from one ``--tree`` (default: this checkout) and
times, in CPU seconds of that process: ``load`` (``read_articles`` and ``pipeline.prepare``), ``json``
(``json.loads`` of the same lines, as the baseline reads them), ``signatures`` (``signature_matrix``,
one process, its tables built on the first call as in a real run), ``signatures_again`` (the same call
again: without the one-time tables) and ``near_duplicate``
(``near_duplicate_edges``). The trees' runs alternate, so a busy machine slows them alike; the table
shows medians and the ratio of each tree's figures to the first tree's. Outputs are checked equal
across trees (a digest of the signature matrix and of the edges).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("load", "json", "signatures", "signatures_again", "near_duplicate")

CHILD = r"""
import hashlib, json, sys, time
sys.path.insert(0, sys.argv[1])
from dedupe import read_articles
from dedupe.candidates import near_duplicate_edges
from dedupe.pipeline import prepare
from dedupe.signatures import signature_matrix

path, seconds = sys.argv[2], {}
clock = time.process_time
start = clock()
articles = prepare(read_articles([path]))
seconds["load"] = clock() - start
with open(path, "rb") as handle:
    lines = handle.read().splitlines()
start = clock()
records = [json.loads(line) for line in lines if line.strip()]
seconds["json"] = clock() - start
start = clock()
matrix = signature_matrix(articles, 5, 128, 1)
seconds["signatures"] = clock() - start
start = clock()
signature_matrix(articles, 5, 128, 1)
seconds["signatures_again"] = clock() - start
start = clock()
edges = near_duplicate_edges(matrix, 0.8)
seconds["near_duplicate"] = clock() - start
digest = hashlib.sha256(matrix.hashvalues.tobytes() + matrix.exact.tobytes() + matrix.empty.tobytes())
digest.update(repr([(e.a, e.b, e.score) for e in edges]).encode())
print(json.dumps({"seconds": seconds, "digest": digest.hexdigest()}))
"""


def run_once(tree: Path, corpus: Path) -> dict:
    """One fresh process's stage CPU seconds and output digest for ``tree``."""
    out = subprocess.run([sys.executable, "-c", CHILD, str(tree), str(corpus / "articles.jsonl")],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def table(trees: list[Path], runs: dict[Path, list[dict]]) -> str:
    """Median CPU seconds per stage and tree, and each tree's ratio to the first tree."""
    medians = {tree: {s: statistics.median(r["seconds"][s] for r in runs[tree]) for s in STAGES} for tree in trees}
    first = medians[trees[0]]
    lines = [
        "| tree | " + " | ".join(STAGES) + " | load / json | signatures vs first |",
        "|---" * (len(STAGES) + 3) + "|",
    ]
    for tree in trees:
        m = medians[tree]
        lines.append(f"| {tree} | " + " | ".join(f"{m[s]:.3f}" for s in STAGES)
                     + f" | {m['load'] / m['json']:.2f}x | {first['signatures'] / m['signatures']:.2f}x |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True, help="a folder holding articles.jsonl")
    parser.add_argument("--tree", type=Path, action="append", help="a dedupe source tree [this checkout]")
    parser.add_argument("--repeat", type=int, default=5, help="runs per tree; medians are shown [5]")
    args = parser.parse_args(argv)
    trees = args.tree or [ROOT]
    runs: dict[Path, list[dict]] = {tree: [] for tree in trees}
    for _ in range(args.repeat):
        for tree in trees:
            runs[tree].append(run_once(tree, args.corpus))
    digests = {r["digest"] for found in runs.values() for r in found}
    print(f"{args.corpus}: CPU seconds, medians of {args.repeat} runs per tree, runs interleaved; "
          f"outputs {'identical' if len(digests) == 1 else 'DIFFER'} across trees")
    print(table(trees, runs))
    return 0 if len(digests) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
