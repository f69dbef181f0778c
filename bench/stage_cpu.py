"""CPU seconds per pipeline stage, in one process: steady figures on a busy machine, to compare commits.

Usage: python bench/stage_cpu.py ARTICLES.jsonl [--limit 2000]

Runs ``dedupe.pipeline.run`` with ``workers=1`` (everything in this process) on the first ``--limit``
articles, with the pipeline's stage timer reading ``time.process_time`` instead of the wall clock, then
writes every output file and report to a temporary folder, and prints one JSON line: CPU seconds per
stage, ``write`` and ``total``. Wall time on a shared machine depends on the other users' load; CPU
time of a single process does not (much), so two commits can be compared run against run.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import types
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def stage_cpu(path: Path, limit: int) -> dict[str, float]:
    """CPU seconds of each stage (and of writing the outputs) for the first ``limit`` articles of ``path``."""
    from dedupe import Config, pipeline, read_articles
    from dedupe.output import write_outputs

    pipeline.time = types.SimpleNamespace(perf_counter=time.process_time)  # the stage timer reads CPU time
    articles = list(islice(read_articles([path]), limit))
    start = time.process_time()
    result = pipeline.run(articles, Config(workers=1))
    seconds = dict(result.summary["seconds"])
    written = time.process_time()
    with tempfile.TemporaryDirectory() as out:
        write_outputs(result, out)
    seconds["write"] = round(time.process_time() - written, 3)
    seconds["total"] = round(time.process_time() - start, 3)
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("articles", type=Path, help="a JSONL corpus (e.g. one from bench/make_corpus.py)")
    parser.add_argument("--limit", type=int, default=2000, help="articles read from the start [2000]")
    args = parser.parse_args(argv)
    print(json.dumps(stage_cpu(args.articles, args.limit)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
