"""Time `index add --fast` with its memory of the index read on first use (cold) and warmed first, same articles.

Usage: python bench/fast_warm.py INDEX.db ARTICLES.jsonl [--counts 25 100 400] [--work DIR]
INDEX.db is never written: for each count of articles (the first ones of ARTICLES.jsonl, which must not be
in the index) it is copied twice into ``--work``, the articles added to one copy cold and to the other
warmed (``add_fast(..., warm=False / True)``, one process, no workers, so the CPU time holds the
extraction too), and the two copies compared table by table (every row but the batches' timings). Also
times the warm-up alone. Prints a table (CPU of this process); run it under ``nice`` on a shared machine.
"""

from __future__ import annotations

import argparse
import itertools
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dedupe import read_articles
from dedupe.index import Checker, add_fast, open_index

_COMPARED = ("members", "stories", "events", "postings", "frequencies", "profiles", "fields", "articles", "meta")


def rows_of(path: Path) -> list[tuple]:
    """The compared tables' rows, sorted (the batches table holds timings, so it is left out)."""
    with sqlite3.connect(path) as db:
        return [(t, *row) for t in _COMPARED for row in sorted(db.execute(f"SELECT * FROM {t}"), key=repr)]


def copy_index(source: Path, target: Path) -> None:
    """A fresh copy of the index file (SQLite's backup, so a file mid-write is never copied)."""
    target.unlink(missing_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def timed_add(path: Path, articles: list, warm: bool) -> float:
    """CPU seconds of ``add_fast`` of the articles to the index at ``path``."""
    with open_index(path) as index:
        start = time.process_time()
        add_fast(index, articles, warm=warm)
        return time.process_time() - start


def warm_up(path: Path) -> tuple[int, float]:
    """How many heads the index has and the CPU seconds of warming a checker's memory of them."""
    with open_index(path) as index, index.reading():
        start = time.process_time()
        heads = Checker(index).stories.memory.warm()
        return heads, time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index")
    parser.add_argument("articles")
    parser.add_argument("--counts", type=int, nargs="+", default=[25, 100, 400])
    parser.add_argument("--work", default="/tmp/fast_warm")
    args = parser.parse_args()
    work, source = Path(args.work), Path(args.index)
    work.mkdir(parents=True, exist_ok=True)
    extra = list(itertools.islice(read_articles([args.articles]), max(args.counts)))
    heads, seconds = warm_up(source)
    print(f"index {source.name}: {heads} heads, warm-up {seconds:.2f} s CPU")
    print("| articles | cold CPU s (ms an article) | warm CPU s (ms an article) | warm / cold | same index |")
    print("|---|---|---|---|---|")
    for count in args.counts:
        cpu, states = {}, {}
        for warm in (False, True):
            path = work / f"{'warm' if warm else 'cold'}.db"
            copy_index(source, path)
            cpu[warm] = timed_add(path, extra[:count], warm)
            states[warm] = rows_of(path)
        print(f"| {count} | {cpu[False]:.1f} ({cpu[False] / count * 1000:.1f}) | {cpu[True]:.1f} "
              f"({cpu[True] / count * 1000:.1f}) | {cpu[True] / cpu[False]:.2f} | {states[False] == states[True]} |",
              flush=True)


if __name__ == "__main__":
    main()
