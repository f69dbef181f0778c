"""CPU of an extraction worker's tasks, as a run's worker does them: strip, extract, encode, profile, collect.

Usage: python bench/worker_cpu.py [CORPUS] [--limit 20000] [--report 5000]

The first ``--limit`` articles of CORPUS (default ``/tmp/corpus100k/articles.jsonl``) go through
``engine.run_span`` in this process, in tasks of ``fieldstream.EXTRACT_CHUNK`` articles, with collection paused as
in a run's forked worker: each task is ``fieldstream.extract_encoded`` then the collection the checkout's
``run_span`` does after a task. One line every ``--report`` articles gives CPU milliseconds per 1,000 articles so
far (``time.process_time``): the whole task, the cyclic collections alone (timed by ``gc.callbacks``), and the
parts of ``extract_encoded`` timed on their own afterwards over the last ``--parts`` articles (strip, extract,
encode, profile). Run it from each checkout in turn (``cd TREE && PYTHONPATH=TREE python ...``, the script copied
outside both) and read the ratios: the machine is shared.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


class CollectionClock:
    """CPU seconds spent in cyclic collections since it was started (a ``gc.callbacks`` entry)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._started = 0.0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = time.process_time()
        else:
            self.seconds += time.process_time() - self._started


def per_thousand(seconds: float, articles: int) -> float:
    """CPU milliseconds per 1,000 articles."""
    return 1e6 * seconds / max(1, articles)


def parts(articles: Sequence, furniture: object) -> dict[str, float]:
    """CPU ms per 1,000 articles of each part of ``extract_encoded``, each timed over all ``articles``."""
    from dedupe.extract import extract
    from dedupe.fieldspool import fields_line
    from dedupe.furniture import strip_boilerplate
    from dedupe.profile import profile_source

    cleaned = [strip_boilerplate(a, furniture) for a in articles]
    fields = [extract(a) for a in cleaned]
    steps: dict[str, Callable[[int], object]] = {
        "strip": lambda i: strip_boilerplate(articles[i], furniture),
        "extract": lambda i: extract(cleaned[i]),
        "encode": lambda i: fields_line(fields[i]),
        "profile": lambda i: profile_source(cleaned[i], fields[i]),
    }
    out = {}
    for name, step in steps.items():
        start = time.process_time()
        for index in range(len(articles)):
            step(index)
        out[name] = per_thousand(time.process_time() - start, len(articles))
    return out


def run(corpus: Path, limit: int, report: int, last: int) -> None:
    """Print the table (see the module docstring)."""
    from dedupe import engine, read_articles
    from dedupe.fieldstream import EXTRACT_CHUNK, extract_encoded, new_run
    from dedupe.furniture import count_furniture

    articles = list(islice(read_articles([corpus]), limit))
    furniture = count_furniture(articles, None)
    gc.collect()
    gc.freeze()  # what a worker inherits is frozen (engine._share)
    gc.disable()  # a run's workers inherit the parent's pause
    clock = CollectionClock()
    gc.callbacks.append(clock)
    engine._shared = (articles, partial(extract_encoded, furniture, run=new_run()))  # terms numbered as a worker does
    print("| articles | task CPU ms/1k | of which collections | collection share |")
    print("|---|---|---|---|")
    spent = 0.0
    for start, end in engine.spans_of(len(articles), EXTRACT_CHUNK):
        began = time.process_time()
        engine.run_span((start, end))
        spent += time.process_time() - began
        if end % report < EXTRACT_CHUNK or end == len(articles):
            print(f"| {end:,} | {per_thousand(spent, end):,.0f} | {per_thousand(clock.seconds, end):,.0f} "
                  f"| {100 * clock.seconds / max(spent, 1e-9):.1f}% |", flush=True)
    gc.callbacks.remove(clock)
    tail = articles[-last:]
    print("\nparts over the last", len(tail), "articles (CPU ms/1k):",
          ", ".join(f"{name} {value:,.0f}" for name, value in parts(tail, furniture).items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", type=Path, default=Path("/tmp/corpus100k/articles.jsonl"))
    parser.add_argument("--limit", type=int, default=20_000, help="articles read from the start [20000]")
    parser.add_argument("--report", type=int, default=5_000, help="a line every this many articles [5000]")
    parser.add_argument("--parts", type=int, default=1_000, help="articles the parts are timed on [1000]")
    args = parser.parse_args(argv)
    run(args.corpus, args.limit, args.report, args.parts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
