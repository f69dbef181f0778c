"""Resident memory per pipeline step of ``dedupe run``: where the peak of a whole run comes from.

Usage: python bench/stage_memory.py ARTICLES.jsonl [--limit 2000] [--workers 2] [--stop-after STEP]
       [--trace N] [--trim]

Reads the first ``--limit`` articles, runs ``dedupe.pipeline.run`` with ``--workers`` processes and
writes every output file to a temporary folder, as ``dedupe run -o`` does (fields, profiles and ranks
dropped before writing). Around each step (the stages, the same-story stage's own steps, each output
file) it resets the process's peak resident size (``/proc/self/clear_refs``, Linux) and prints a
table: the parent's resident MB after the step, its peak during the step, and the step's seconds.
The last rows give the parent's peak over the whole run, the largest worker's, and the CPU time of all of them.

The articles are handed to the run as ``dedupe run`` does (read as the run spools them). ``--stop-after STEP``
ends the run after the first call of that step (e.g. ``spooled_profiles``: only the early steps), ``--trace N``
adds the ``N`` largest holders of Python memory after each step (``tracemalloc`` by line: slow, use a small
input), and ``--trim`` a column of the resident size after ``malloc_trim(0)`` (glibc; a diagnostic of how much
of the resident memory is freed heap the allocator keeps, not something a run does).
"""

from __future__ import annotations

import argparse
import ctypes
import functools
import importlib
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from itertools import islice
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: (module, function) of every step measured, where the pipeline looks the function up.
STEPS: tuple[tuple[str, str], ...] = (
    ("dedupe.pipeline", "prepare"),
    ("dedupe.pipeline", "signature_matrix"),
    ("dedupe.pipeline", "copy_edges"),
    ("dedupe.pipeline", "exact_edges"),
    ("dedupe.pipeline", "near_duplicate_edges"),
    ("dedupe.fieldstream", "boilerplate"),  # page furniture counted, before extraction
    ("dedupe.fieldstream", "count_furniture"),  # since it is counted by hash (earlymem)
    ("dedupe.match", "prepare_fields"),
    ("dedupe.match", "build_profiles"),
    ("dedupe.match", "candidate_pairs"),  # before the pair tables (commit 39773e7)
    ("dedupe.match", "pair_cosines_of"),
    ("dedupe.match", "neighbour_ranks"),
    ("dedupe.match", "candidate_table"),  # since
    ("dedupe.match", "candidate_tables"),  # with the pairs the cap left out (capcluster)
    ("dedupe.match", "table_cosines"),
    ("dedupe.match", "table_ranks"),
    ("dedupe.match", "headline_story"),
    ("dedupe.match", "pair_scores"),
    ("dedupe.match", "table_scores"),
    ("dedupe.match", "article_inputs"),  # what scoring reads of the profiles, taken before they go (scoremem)
    ("dedupe.match", "input_scores"),  # pair scores from it
    ("dedupe.match", "FieldSpool"),  # since the fields are spooled (issue #5, 2026-11-23)
    ("dedupe.match", "spooled_profiles"),  # since they are spooled as extracted (memstream)
    ("dedupe.match", "unscored"),  # the left-out pairs filtered for clustering
    ("dedupe.pipeline", "cluster"),
    ("dedupe.pipeline", "average_linkage"),
    ("dedupe.linkage", "CappedLinks"),  # the left-out pairs' counts between groups
    ("dedupe.merge", "merge_stories"),
    ("dedupe.storyfile", "spool_stories"),  # since the stories are spooled
)


def _status(key: str) -> float:
    """A ``/proc/self/status`` size (``VmRSS``, ``VmHWM``) in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> None:
    """Start a new peak: ``VmHWM`` becomes the current resident size."""
    Path("/proc/self/clear_refs").write_text("5")


class Stopped(Exception):
    """Raised after the step named by ``--stop-after``: the run ends there."""


def _trimmed() -> float:
    """The resident MB after glibc's ``malloc_trim(0)`` returned the free heap it can (NaN elsewhere)."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        return float("nan")
    return _status("VmRSS")


def _holders(count: int) -> str:
    """The ``count`` source lines holding the most traced memory, as ``file:line MB``."""
    stats = tracemalloc.take_snapshot().statistics("lineno")[:count]
    return "; ".join(f"{Path(s.traceback[0].filename).name}:{s.traceback[0].lineno} {s.size / 2**20:,.0f}"
                     for s in stats)


class Recorder:
    """Rows of (step, resident MB after, peak MB during, seconds, extra columns); the peak of the whole run.

    ``stop`` names the step after which :class:`Stopped` is raised; ``trace`` the holders listed per
    step (tracing starts at once); ``trim`` adds the resident MB after ``malloc_trim``.
    """

    def __init__(self, stop: str | None = None, trace: int = 0, trim: bool = False) -> None:
        self.rows: list[tuple[str, float, float, float, list[str]]] = []
        self.peak = 0.0
        self.started = time.perf_counter()
        self.last = self.started
        self.stop, self.trace, self.trim = stop, trace, trim
        if trace:
            tracemalloc.start()
            os.register_at_fork(after_in_child=tracemalloc.stop)  # workers run at full speed, untraced

    def begin(self) -> None:
        self.peak = max(self.peak, _status("VmHWM"))
        _reset_peak()
        self.last = time.perf_counter()

    def end(self, name: str, note: str = "") -> None:
        high, seconds, resident = _status("VmHWM"), time.perf_counter() - self.last, _status("VmRSS")
        step, name = name, f"{name} ({note})" if note else name
        self.peak = max(self.peak, high)
        extra = [f"{_trimmed():,.0f}"] if self.trim else []
        if self.trace:
            extra.append(f"{tracemalloc.get_traced_memory()[0] / 2**20:,.0f}: {_holders(self.trace)}")
        self.rows.append((name, resident, high, seconds, extra))
        print(f"{name}: {resident:,.0f} MB after, {high:,.0f} MB peak", *extra, file=sys.stderr, flush=True)
        _reset_peak()
        self.last = time.perf_counter()
        if step == self.stop:  # the step's own name: a row's note (its pairs) does not hide it
            raise Stopped(name)


def _wrapped(recorder: Recorder, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """``func``, recording one row named ``name`` per call."""
    @functools.wraps(func)
    def call(*args: Any, **kwargs: Any) -> Any:
        recorder.begin()
        note = ""
        try:
            out = func(*args, **kwargs)
            note = _note(out)
            return out
        finally:
            recorder.end(name, note)
    return call


def _note(out: Any) -> str:
    """The number of pairs of a step that returns a pair table or a score array, else nothing."""
    if hasattr(out, "left") and hasattr(out, "right"):
        return f"{len(out.left):,} pairs"
    if name_of(out) == "ndarray":
        return f"{len(out):,} rows"
    return ""


def name_of(value: Any) -> str:
    """The name of a value's type."""
    return type(value).__name__


def instrument(recorder: Recorder) -> None:
    """Wrap every step of ``STEPS`` that exists in the code under test."""
    for module_name, attribute in STEPS:
        module = importlib.import_module(module_name)
        if hasattr(module, attribute):
            setattr(module, attribute, _wrapped(recorder, attribute, getattr(module, attribute)))


def measure(path: Path, limit: int, workers: int, recorder: Recorder) -> Recorder:
    """Run and write the first ``limit`` articles of ``path``, recording every step."""
    from dedupe import Config, pipeline, read_articles
    from dedupe.output import iter_outputs

    instrument(recorder)
    given = islice(read_articles([path]), limit)  # as `dedupe run` hands them: read as the run spools them
    try:
        result = pipeline.run(given, Config(workers=workers), details=False)
    except Stopped:
        return recorder
    with tempfile.TemporaryDirectory() as out:
        recorder.begin()
        for written in iter_outputs(result, out):
            recorder.end("write " + written.name)
    return recorder


def table(recorder: Recorder, limit: int) -> str:
    """The Markdown table of the recorded rows and the totals."""
    extra = (["RSS after malloc_trim (MB)"] if recorder.trim else []) + (["traced MB: top holders (MB)"]
                                                                       if recorder.trace else [])
    lines = ["| " + " | ".join(["step", "RSS after (MB)", "peak during (MB)", "seconds", *extra]) + " |",
             "|" + "---|" * (4 + len(extra))]
    lines += [f"| {name} | {after:,.0f} | {high:,.0f} | {secs:.2f} |" + "".join(f" {e} |" for e in more)
              for name, after, high, secs, more in recorder.rows]
    children, own = resource.getrusage(resource.RUSAGE_CHILDREN), resource.getrusage(resource.RUSAGE_SELF)
    workers = children.ru_maxrss / 1024
    cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    total = time.perf_counter() - recorder.started
    lines.append(f"| whole run, parent | | {recorder.peak:,.0f} | {total:.2f} |")
    lines.append(f"| largest worker | | {workers:,.0f} | |")
    lines.append(f"| parent peak per article (KB) | | {recorder.peak * 1024 / max(1, limit):,.1f} | |")
    lines.append(f"| CPU, user + sys, parent and workers (s) | | | {cpu:,.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("articles", type=Path, help="a JSONL corpus (e.g. one from bench/make_corpus.py)")
    parser.add_argument("--limit", type=int, default=2000, help="articles read from the start [2000]")
    parser.add_argument("--workers", type=int, default=2, help="worker processes [2]")
    parser.add_argument("--stop-after", metavar="STEP", help="end the run after this step (e.g. spooled_profiles)")
    parser.add_argument("--trace", type=int, default=0, metavar="N", help="list the N largest holders per step")
    parser.add_argument("--trim", action="store_true", help="add the resident MB after malloc_trim(0)")
    args = parser.parse_args(argv)
    recorder = Recorder(args.stop_after, args.trace, args.trim)
    measure(args.articles, args.limit, args.workers, recorder)
    print(table(recorder, args.limit))
    return 0


if __name__ == "__main__":
    sys.exit(main())
