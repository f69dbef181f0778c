"""Where the same-story stage's time goes: wall, parent CPU and workers' CPU per sub-step, with pair counts.

Usage: python bench/story_stages.py ARTICLES.jsonl [MORE.jsonl ...] [--limit N] [--workers 2] [--repeat 1]

For each corpus (its first ``--limit`` articles, default all) it runs, in a fresh process, what ``dedupe run
-o`` runs up to the same-story stage (texts spooled, signatures, copies) and then ``match.same_story`` as
``dedupe run`` calls it (fields spooled, no ranks kept) on a :class:`LocalEngine` of ``--workers``. Each
sub-step the stage calls (furniture count, extraction in the workers, profiles, blocking, word cosines,
neighbour ranks, the headline path, the pair batch, pair scoring, edges) is wrapped where the stage looks it
up and timed: wall seconds, this process's CPU seconds and its reaped workers' CPU seconds. The table gives,
per corpus, the median of ``--repeat`` runs of each figure, then the candidate pairs (all, per article,
scored) and the stage's totals. Sub-steps nest (the pair batch is part of scoring): the rows marked ``(in
...)`` are not to be added to the others.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from itertools import islice
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: (module, attribute, row name) of every sub-step timed, where ``same_story`` (or its callee) looks it up;
#: attributes the code under test lacks are skipped, so one script measures old and new commits.
STEPS: tuple[tuple[str, str, str], ...] = (
    ("dedupe.fieldstream", "count_furniture", "furniture count (in extraction)"),
    ("dedupe.match", "spooled_profiles", "extraction + profiles"),
    ("dedupe.fieldstream", "ProfileBuilder.table", "profile table (in extraction)"),
    ("dedupe.match", "candidate_table", "blocking"),
    ("dedupe.match", "candidate_tables", "blocking (with the candidate cap)"),
    ("dedupe.match", "table_cosines", "word cosines"),
    ("dedupe.match", "table_specific", "word cosines + specificity"),
    ("dedupe.match", "table_ranks", "neighbour ranks"),
    ("dedupe.match", "headline_story", "headline path"),
    ("dedupe.match", "near_enough", "headline window mask"),
    ("dedupe.match", "table_scores", "pair scores"),
    ("dedupe.match", "input_scores", "pair scores (from the articles' inputs)"),
    ("dedupe.match", "article_inputs", "scoring inputs per article"),
    ("dedupe.scoring", "_table_batch", "pair batch: name cosines, date keys (in scores)"),
    ("dedupe.match", "with_edges", "similarity + headline edges"),
    ("dedupe.match", "joined_edges", "joined edges"),
)


def _cpu() -> tuple[float, float]:
    """CPU seconds (user + sys) of this process and of its reaped children."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


class Recorder:
    """Per row name: wall, parent CPU and workers' CPU seconds summed over calls; and counts by name."""

    def __init__(self) -> None:
        self.seconds: dict[str, list[float]] = {}
        self.counts: dict[str, int] = {}

    def wrap(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        """``func``, its calls timed into row ``name``."""
        @functools.wraps(func)
        def call(*args: Any, **kwargs: Any) -> Any:
            wall, (own, children) = time.perf_counter(), _cpu()
            try:
                return func(*args, **kwargs)
            finally:
                now_own, now_children = _cpu()
                row = self.seconds.setdefault(name, [0.0, 0.0, 0.0])
                row[0] += time.perf_counter() - wall
                row[1] += now_own - own
                row[2] += now_children - children
        return call


def instrument(recorder: Recorder) -> None:
    """Wrap every sub-step of :data:`STEPS` that exists in the code under test; count the pairs."""
    for module_name, attribute, name in STEPS:
        owner: Any = importlib.import_module(module_name)
        *path, last = attribute.split(".")
        for part in path:
            owner = getattr(owner, part, None)
        if owner is not None and hasattr(owner, last):
            setattr(owner, last, recorder.wrap(name, getattr(owner, last)))
    match = importlib.import_module("dedupe.match")
    for attribute, count in (("candidate_table", "candidate pairs"), ("table_scores", "scored pairs")):
        if hasattr(match, attribute):
            setattr(match, attribute, _counting(recorder, count, getattr(match, attribute)))


def _counting(recorder: Recorder, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """``func``, the length of what it returns added to count ``name``."""
    @functools.wraps(func)
    def call(*args: Any, **kwargs: Any) -> Any:
        out = func(*args, **kwargs)
        recorder.counts[name] = recorder.counts.get(name, 0) + len(out)
        return out
    return call


def measure(path: Path, limit: int | None, workers: int) -> dict[str, Any]:
    """One run of the same-story stage on the first ``limit`` articles of ``path``, as ``dedupe run -o``."""
    from dedupe import Config, read_articles
    from dedupe.articlespool import ArticleSpool
    from dedupe.engine import LocalEngine
    from dedupe.graph import build_graph, copy_groups
    from dedupe.match import same_story
    from dedupe.pipeline import _Timer, copy_edges, paused_gc, prepare

    recorder = Recorder()
    instrument(recorder)
    config, engine = Config(workers=workers), LocalEngine(workers)
    with paused_gc():
        ordered = prepare(islice(read_articles([path]), limit), ArticleSpool())
        edges = copy_edges(ordered, config, lambda *_: None, engine, _Timer())
        heads = {min(group) for group in copy_groups(build_graph((a.id for a in ordered), edges))}
        links = recorder.wrap("same_story, whole stage", same_story)(
            tuple(a for a in ordered if a.id in heads), config, None, engine, spool_fields=True, keep_ranks=False)
    recorder.counts.update(articles=len(ordered), heads=len(heads), edges=len(links.edges))
    return {"seconds": recorder.seconds, "counts": recorder.counts,
            "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _one(path: Path, limit: int | None, workers: int) -> dict[str, Any]:
    """:func:`measure` in a fresh interpreter (clean imports, memory and child accounting)."""
    command = [sys.executable, __file__, str(path), "--workers", str(workers), "--json"]
    if limit:
        command += ["--limit", str(limit)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def table(runs: dict[str, list[dict[str, Any]]]) -> str:
    """The Markdown table: per sub-step and corpus, median wall / parent CPU / workers' CPU seconds."""
    names = list(runs)
    lines = ["| sub-step | " + " | ".join(f"{n}: wall / parent CPU / workers CPU (s)" for n in names) + " |",
             "|---|" + "---|" * len(names)]
    rows = [name for *_, name in STEPS] + ["same_story, whole stage"]
    for row in rows:
        cells = []
        for name in names:
            found = [run["seconds"][row] for run in runs[name] if row in run["seconds"]]
            cells.append(" / ".join(f"{statistics.median(f[i] for f in found):.1f}" for i in range(3))
                         if found else "-")
        if any(cell != "-" for cell in cells):
            lines.append(f"| {row} | " + " | ".join(cells) + " |")
    for count in ("articles", "heads", "candidate pairs", "scored pairs", "edges"):
        lines.append(f"| {count} | " + " | ".join(f"{runs[n][0]['counts'].get(count, 0):,}" for n in names) + " |")
    lines.append("| candidate pairs per head | " + " | ".join(
        f"{runs[n][0]['counts'].get('candidate pairs', 0) / max(1, runs[n][0]['counts']['heads']):.1f}"
        for n in names) + " |")
    lines.append("| parent max RSS (MB) | " + " | ".join(
        f"{statistics.median(r['maxrss_mb'] for r in runs[n]):,.0f}" for n in names) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("articles", type=Path, nargs="+", help="JSONL corpora (e.g. from bench/make_corpus.py)")
    parser.add_argument("--limit", type=int, default=None, help="articles read from the start of each [all]")
    parser.add_argument("--workers", type=int, default=2, help="worker processes [2]")
    parser.add_argument("--repeat", type=int, default=1, help="runs per corpus, alternating; medians [1]")
    parser.add_argument("--json", action="store_true", help="one run of the first corpus, as a JSON line")
    args = parser.parse_args(argv)
    if args.json:
        print(json.dumps(measure(args.articles[0], args.limit, args.workers)))
        return 0
    runs: dict[str, list[dict[str, Any]]] = {}
    for _ in range(args.repeat):
        for path in args.articles:
            runs.setdefault(path.parent.name + "/" + path.name, []).append(_one(path, args.limit, args.workers))
    print(table(runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
