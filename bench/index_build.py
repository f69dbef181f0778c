"""Build a large index in bounded memory: an exact build of the first articles, then ``add --fast`` in batches.

Usage: python bench/index_build.py CORPUS.jsonl --index FILE [--size 100000] [--exact 2000] [--batch 5000]
       [--workers 2]
The corpus is read as a stream (never whole). A new ``--index`` starts with an exact build of the first
``--exact`` articles (``dedupe index build``); then the next articles are added ``--batch`` at a time with
``add --fast`` (no refresh share: every batch is placed) until the index holds ``--size``. An existing file
is resumed where it stopped (each batch is one transaction, so a stopped run loses at most its last batch).
Prints one table row per step: articles after it, wall and CPU seconds, file size, and the peak resident
memory of this process and of its worker processes. Run it under ``nice`` on a shared machine.
"""

from __future__ import annotations

import argparse
import itertools
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dedupe import Config, read_articles
from dedupe.engine import LocalEngine
from dedupe.index import add, add_fast, create, open_index
from dedupe.types import Article


def peak_gb() -> str:
    """Peak resident memory of this process and of its largest finished child, in GB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1e6
    return f"{own:.2f} / {children:.2f} GB"


def batches(corpus: str, skip: int, first: int, size: int, batch: int) -> Iterator[list[Article]]:
    """After ``skip`` articles: the first batch up to ``first`` articles in all (when not reached yet), then
    batches of ``batch`` up to ``size`` in all."""
    stream = itertools.islice(read_articles([corpus]), skip, size)
    done = skip
    while done < size:
        count = first - done if done < first else batch
        part = list(itertools.islice(stream, min(count, size - done)))
        if not part:
            return
        done += len(part)
        yield part


def row(step: str, articles: int, start: float, cpu: float, path: Path) -> None:
    """Print one table row (flushed: the run is long)."""
    wall, used = time.perf_counter() - start, time.process_time() - cpu
    print(f"| {step} | {articles} | {wall:.1f} | {used:.1f} | {path.stat().st_size / 1e6:.0f} MB | {peak_gb()} |",
          flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("--index", required=True)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--exact", type=int, default=2_000)
    parser.add_argument("--batch", type=int, default=5_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    path, engine = Path(args.index), LocalEngine(args.workers)
    if not path.exists():
        create(path, Config(workers=args.workers)).close()
    with open_index(path) as index:
        held = index.count("articles")
    print("| step | articles after | wall s | CPU s (this process) | file | peak RSS (process / worker) |\n"
          "|---|---|---|---|---|---|", flush=True)
    for part in batches(args.corpus, held, args.exact, args.size, args.batch):
        start, cpu = time.perf_counter(), time.process_time()
        with open_index(path) as index:
            if index.count("articles") < args.exact:
                add(index, part, engine=engine)
                step = f"exact build of {len(part)}"
            else:
                add_fast(index, part, engine=engine)
                step = f"add --fast {len(part)}"
            held = index.count("articles")
        row(step, held, start, cpu, path)


if __name__ == "__main__":
    main()
