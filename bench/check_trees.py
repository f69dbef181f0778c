"""Time ``dedupe check`` of the same probes on one index with two source trees, and compare their answers.

Usage: python bench/check_trees.py INDEX PROBES.jsonl --trees OLD_DIR NEW_DIR [--rounds 2] [--profile] [--random N]
Each tree runs in its own process (``PYTHONPATH`` = the tree), old and new alternated ``--rounds`` times: a
:class:`~dedupe.index.Checker` with its memory warmed (as ``dedupe check --warm``) checks every probe of
PROBES (JSONL, articles not in the index) one by one, as ``check -`` serves stdin. Reported per tree, CPU
time of the process (steadier than wall on a shared machine): the warm-up, each check (median / p95), the
scoring of its candidates alone (``StoryChecker.scores``, timed by wrapping it), the candidates scored per
check and the microseconds per candidate; how many answers are identical, as JSON, to the first tree's;
and the process's peak resident memory; then the CPU per check of some of its steps (``STEPS``).
``--profile`` prints the 25 costliest functions of the last tree's scoring (cProfile, by own time).
``--random N`` times the scoring alone of ``N`` heads drawn at random (the same for every tree) as
candidates of each probe, the candidate count of a far larger index; its "answers" are the scores. The
index file is only read, but open it on a copy: the trees may differ in what they expect of it.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of the sorted values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


#: Steps of a check timed on their own: (module, class or None, function name); a step a tree lacks is skipped.
STEPS = (("dedupe.index.check", None, "signature_matrix"), ("dedupe.index.check", "Checker", "_copy_of"),
         ("dedupe.index.story_check", "StoryChecker", "profile"), ("dedupe.index.story_check", None, "extract"),
         ("dedupe.index.story_check", "StoryChecker", "candidates"),
         ("dedupe.index.story_check", "HeadlineMemory", "too_far"),
         ("dedupe.index.story_check", None, "headline_verdict"), ("dedupe.index.memory", "HeadMemory", "owners"),
         ("dedupe.index.story_check", "StoryChecker", "links"), ("dedupe.index.story_check", "StoryChecker", "changes"),
         ("dedupe.index.story_check", "HeadMemory", "places"), ("dedupe.index.heads", None, "star_cosines"),
         ("dedupe.index.heads", None, "star_date_overlaps"), ("dedupe.index.heads", None, "star_rare_overlaps"),
         ("dedupe.index.heads", None, "star_texts"), ("dedupe.index.story_check", None, "star_scores"))


def time_steps() -> dict[str, float]:
    """Wrap each of ``STEPS`` in the tree on ``sys.path`` to add up its CPU seconds (``profile`` holds ``extract``)."""
    spent: dict[str, float] = {}
    for module, cls, name in STEPS:
        owner = importlib.import_module(module)
        owner = getattr(owner, cls, None) if cls else owner
        if owner is not None and hasattr(owner, name):
            spent[name] = 0.0
            setattr(owner, name, _timer(getattr(owner, name), name, spent))
    return spent


def _timer(plain, name: str, spent: dict[str, float]):
    """``plain`` adding its CPU seconds to ``spent[name]``."""

    def timed(*args, **kwargs):
        start = time.process_time()
        try:
            return plain(*args, **kwargs)
        finally:
            spent[name] += time.process_time() - start

    return timed


def worker(index_path: str, probes_path: str, out: str, profile: bool, sample: int) -> None:
    """Check every probe with the tree on ``sys.path``; write times, candidate counts and answers as JSON."""
    import cProfile
    import pstats

    from dedupe import read_articles
    from dedupe.index import Checker, open_index
    from dedupe.index.story_check import StoryChecker

    scoring: list[tuple[int, float]] = []
    plain = StoryChecker.scores
    profiler = cProfile.Profile() if profile else None

    def timed(self, found, candidates):  # wraps whatever signature the tree has
        start = time.process_time()
        if profiler:
            profiler.enable()
        result = plain(self, found, candidates)
        if profiler:
            profiler.disable()
        scoring.append((len(result), time.process_time() - start))
        return result

    StoryChecker.scores = timed
    spent = time_steps()
    probes = list(read_articles([probes_path]))
    with open_index(index_path) as index:
        checker = Checker(index, warm=True)
        start = time.process_time()
        with index.reading():
            heads = checker.stories.memory.warm()
        warm = time.process_time() - start
        cpu, counts, answers = [], [], []
        ids = sorted(pid for (pid,) in index.db.execute("SELECT id FROM profiles"))
        draw = random.Random(1)
        for article in probes:
            before = len(scoring)
            if sample:
                stories = checker.stories
                with index.reading():
                    found = stories.profile(article)[0]
                    start = time.process_time()
                    answers.append(
                        sorted(stories.scores(found, sorted(draw.sample(ids, min(sample, len(ids))))).items())
                    )
            else:
                start = time.process_time()
                answers.append(checker.check(article))
            cpu.append(time.process_time() - start)
            counts.append(scoring[before:])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
    Path(out).write_text(json.dumps({"heads": heads, "warm": warm, "cpu": cpu, "answers": answers,
                                     "scoring": counts, "peak": peak,
                                     "steps": {k: v / max(1, len(probes)) for k, v in spent.items()}}, sort_keys=True))
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def tree_parser(doc: str, articles: str) -> argparse.ArgumentParser:
    """The arguments of a script comparing source trees on one index: INDEX, the ``articles`` file, ``--trees``
    (default: this checkout), ``--rounds`` and the hidden ``--worker OUT`` of :func:`run_in_tree`."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("index")
    parser.add_argument(articles)
    parser.add_argument("--trees", nargs="+", default=[str(Path(__file__).resolve().parents[1])])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    return parser


def run_in_tree(script: str, tree: str, args: list[str]) -> dict:
    """``script`` with ``args`` and ``--worker OUT`` in its own process on ``tree``; the JSON it wrote to OUT."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = handle.name
    command = [sys.executable, script, *args, "--worker", out]
    subprocess.run(command, check=True, env={**os.environ, "PYTHONPATH": str(Path(tree).resolve())})
    result = json.loads(Path(out).read_text())
    os.unlink(out)
    return result


def run_tree(tree: str, index: str, probes: str, profile: bool, sample: int) -> dict:
    """One worker process on ``tree``; its JSON result."""
    return run_in_tree(__file__, tree, [index, probes, "--random", str(sample), *(["--profile"] if profile else [])])


def summary(tree: str, result: dict, reference: dict) -> str:
    """One Markdown row: a tree's warm-up, check and scoring CPU, candidates, us per candidate, answers."""
    ms = [c * 1000 for c in result["cpu"]]
    scored = [sum(n for n, _ in calls) for calls in result["scoring"]]
    seconds = [sum(s for _, s in calls) * 1000 for calls in result["scoring"]]
    per = sum(seconds) * 1000 / max(1, sum(scored))
    same = sum(json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
               for a, b in zip(result["answers"], reference["answers"]))
    return (f"| {tree} | {result['heads']} | {result['warm']:.1f} s | {statistics.median(ms):.1f} / "
            f"{percentile(ms, 0.95):.1f} ms | {statistics.median(seconds):.1f} / {percentile(seconds, 0.95):.1f} ms | "
            f"{statistics.median(scored):.0f} / {max(scored)} | {per:.1f} us | {same} of {len(ms)} | "
            f"{result['peak']:.2f} GB |")


def main() -> None:
    parser = tree_parser(__doc__, "probes")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--random", type=int, default=0, help="score N random heads per probe, not a check")
    args = parser.parse_args()
    if args.worker:
        worker(args.index, args.probes, args.worker, args.profile, args.random)
        return
    print("| tree | heads | warm-up CPU | check CPU median / p95 | scoring CPU median / p95 | candidates "
          "median / max | us per candidate | answers as the first tree's | peak RSS |\n"
          "|---|---|---|---|---|---|---|---|---|",
          flush=True)
    reference, steps = None, []
    for round_ in range(args.rounds):
        for number, tree in enumerate(args.trees):
            last = round_ == args.rounds - 1 and number == len(args.trees) - 1
            result = run_tree(tree, args.index, args.probes, args.profile and last, args.random)
            reference = reference or result
            print(summary(tree, result, reference), flush=True)
            steps.append(f"{tree}: " + ", ".join(f"{k} {v * 1000:.2f} ms" for k, v in result["steps"].items()))
    print("\nCPU per check of some steps (profile holds extract):\n" + "\n".join(steps))


if __name__ == "__main__":
    main()
