"""Where a whole `dedupe run -o` spends its time: wall, parent CPU and workers' CPU per stage and output file.

Usage: python bench/run_stages.py ARTICLES.jsonl [--workers 2] [--out DIR] [--profile FILE]

Runs ``dedupe run ARTICLES -o DIR -q`` in this process (the CLI command itself, so the same reading, engine and
writing), with the pipeline's stage timer and each output file's writing wrapped to record wall seconds, this
process's CPU seconds and its reaped workers' CPU seconds (the engine's pools are shut down, so reaped, at the
end of each stage that uses them), and the same-story stage's sub-steps as ``bench/story_stages.py`` times them
(indented rows, nested in ``same_story``). Prints one JSON line: ``{stage: [wall, parent_cpu, workers_cpu]}`` with
``write:<file>`` rows, ``total`` and the parent's max RSS in MB. ``--profile FILE`` writes a cProfile of the
parent (workers are not profiled) for ``python -m pstats``.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import resource
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

Row = list[float]


def _now() -> tuple[float, float, float]:
    """Wall clock, this process's CPU and its reaped children's CPU (user + sys)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter(), own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime


class Recorder:
    """Sums ``[wall, parent_cpu, workers_cpu]`` per row name, in the order rows first appear."""

    def __init__(self) -> None:
        self.rows: dict[str, Row] = {}

    @contextmanager
    def timed(self, name: str) -> Iterator[None]:
        start = _now()
        try:
            yield
        finally:
            row = self.rows.setdefault(name, [0.0, 0.0, 0.0])
            for i, (a, b) in enumerate(zip(start, _now(), strict=True)):
                row[i] += b - a


def instrument(recorder: Recorder) -> None:
    """Route the pipeline's stage timer and the output writer through ``recorder``."""
    from dedupe import output, pipeline

    original_stage = pipeline._Timer.stage
    original_write = output._write

    @contextmanager
    def stage(self: pipeline._Timer, name: str) -> Iterator[None]:
        with recorder.timed(name), original_stage(self, name):
            yield

    def write(path: Path, chunks: object) -> None:
        with recorder.timed(f"write:{path.name}"):
            original_write(path, chunks)

    pipeline._Timer.stage = stage  # type: ignore[method-assign]
    output._write = write  # type: ignore[assignment]


def run(articles: Path, out: Path, workers: int, profile: Path | None) -> dict[str, object]:
    """Run ``dedupe run`` on ``articles`` into ``out``; the per-stage rows, total and max RSS."""
    import story_stages

    from dedupe.cli import main

    recorder, steps = Recorder(), story_stages.Recorder()
    instrument(recorder)
    story_stages.instrument(steps)  # the same-story stage's sub-steps, as bench/story_stages.py times them
    args = ["run", str(articles), "-o", str(out), "-q", "--workers", str(workers)]
    profiler = cProfile.Profile() if profile else None
    with recorder.timed("total"):
        if profiler:
            profiler.enable()
        try:
            main.main(args, standalone_mode=False)
        finally:
            if profiler:
                profiler.disable()
                profiler.dump_stats(str(profile))
    rows: dict[str, object] = {name: [round(v, 2) for v in row] for name, row in recorder.rows.items()}
    rows.update({f"  {name}": [round(v, 2) for v in row] for name, row in steps.seconds.items()})
    rows.update(steps.counts)
    rows["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("articles", type=Path, help="a JSONL corpus (e.g. one from bench/make_corpus.py)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes [2]")
    parser.add_argument("--out", type=Path, default=Path("/tmp/run_stages_out"), help="output directory")
    parser.add_argument("--profile", type=Path, default=None, help="write a cProfile of the parent here")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.articles, args.out, args.workers, args.profile)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
