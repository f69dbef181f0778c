"""Time and memory of `dedupe run` on adversarial corpora, against the ceiling (a minute, 1 GB each).

Usage: python bench/adversarial.py [--case NAME ...] [--scale X] [--keep DIR] [--timeout S] [--max-memory GB]
                                  [--profile N]

Generates, in a temporary directory: one 50 MB article, 100,000 one-word articles and
10,000 identical articles; runs ``python cli.py run CORPUS -o OUT -q`` on each in a
subprocess and prints one row per case: wall time, peak RSS of the child (``os.wait4``),
the three slowest stages from ``summary.json`` (plus the time outside ``run()``: start-up,
reading and writing) and whether the ceiling holds. ``--scale 0.1``
makes every corpus ten times smaller (a quick smoke run). A child may not map more than
``--max-memory`` GB (default 6), so a runaway case fails with MemoryError instead of
starving the machine. ``--profile N`` runs each child under cProfile and prints its N
most expensive dedupe functions (cumulative seconds; profiling slows the run down).
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CEILING_SECONDS = 60.0
CEILING_MB = 1024.0
_SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "pe", "da", "gu", "shi", "ber", "tor", "len")


def words(rng: random.Random, count: int, vocabulary: int = 20_000) -> list[str]:
    """``count`` words drawn from a fixed vocabulary of made-up words (Zipf-like frequencies)."""
    vocab = ["".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 4))) for _ in range(vocabulary)]
    weights = [1.0 / (rank + 1) for rank in range(vocabulary)]
    return rng.choices(vocab, weights=weights, k=count)


def prose(rng: random.Random, megabytes: float) -> str:
    """Sentences of made-up words, about ``megabytes`` MB of text, with capitalised names and numbers."""
    target, parts, size = int(megabytes * 1_000_000), [], 0
    pool = words(rng, 400_000)
    while size < target:
        sentence = rng.sample(pool, rng.randint(8, 25))
        sentence[0] = sentence[0].capitalize()
        sentence[rng.randrange(len(sentence))] = f"{rng.randint(2, 9999)}"
        text = " ".join(sentence) + ". "
        parts.append(text)
        size += len(text)
    return "".join(parts)


def big_article(folder: Path, scale: float) -> Path:
    """One JSONL record whose text is 50 MB."""
    path = folder / "big_article.jsonl"
    record = {"id": "big", "title": "One very long article", "text": prose(random.Random(1), 50 * scale)}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return path


def tiny_articles(folder: Path, scale: float) -> Path:
    """100,000 one-word articles (many exact copies among them)."""
    path = folder / "tiny_articles.jsonl"
    rng = random.Random(2)
    vocab = words(rng, int(100_000 * scale))
    with path.open("w", encoding="utf-8") as handle:
        for index, word in enumerate(vocab):
            handle.write(json.dumps({"id": f"t{index:06d}", "text": word}) + "\n")
    return path


def identical_articles(folder: Path, scale: float) -> Path:
    """10,000 copies of one 300-word article, each under its own id."""
    path = folder / "identical_articles.jsonl"
    text = prose(random.Random(3), 0.002)
    with path.open("w", encoding="utf-8") as handle:
        for index in range(int(10_000 * scale)):
            handle.write(json.dumps({"id": f"copy{index:05d}", "source": f"outlet {index % 50}", "text": text}) + "\n")
    return path


CASES: dict[str, Callable[[Path, float], Path]] = {
    "50 MB article": big_article,
    "100k one-word articles": tiny_articles,
    "10k identical articles": identical_articles,
}


def run_case(corpus: Path, out: Path, timeout: float, max_memory_gb: float, profile: Path | None) -> dict[str, object]:
    """Run the CLI on one corpus; wall seconds, peak RSS (MB) of the child, exit code and summary."""
    command = [sys.executable, str(ROOT / "cli.py"), "run", str(corpus), "-o", str(out), "-q"]
    if profile is not None:
        command[1:1] = ["-m", "cProfile", "-o", str(profile)]
    limit = int(max_memory_gb * 2**30)

    def cap_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, preexec_fn=cap_memory)  # noqa: PLW1509
    deadline, status, usage = start + timeout, None, None
    while status is None:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid == 0:
            status = None
            if time.perf_counter() > deadline:
                child.kill()
            time.sleep(0.05)
    seconds = time.perf_counter() - start
    stderr = child.stderr.read().decode("utf-8", "replace") if child.stderr else ""
    summary_path = out / "summary.json"
    summary = json.loads(summary_path.read_text(encoding="utf-8")) if summary_path.exists() else {}
    return {"seconds": seconds, "rss_mb": usage.ru_maxrss / 1024 if usage else 0.0,
            "code": os.waitstatus_to_exitcode(status), "summary": summary, "stderr": stderr.strip()}


def print_profile(path: Path, top: int) -> None:
    """The ``top`` dedupe functions of a cProfile dump by cumulative time."""
    if not path.exists():
        return
    stats = pstats.Stats(str(path))
    rows = [(value[3], func) for func, value in stats.stats.items() if "/dedupe/" in func[0]]  # type: ignore[attr-defined]
    for cumulative, (file, line, name) in sorted(rows, reverse=True)[:top]:
        print(f"    {cumulative:8.1f} s  {Path(file).relative_to(ROOT)}:{line} {name}")


def row(name: str, corpus: Path, measured: dict[str, object]) -> str:
    """One table row: the case, its size, time, memory, verdict and the slowest stages."""
    seconds, rss = float(measured["seconds"]), float(measured["rss_mb"])  # type: ignore[arg-type]
    ok = measured["code"] == 0 and seconds < CEILING_SECONDS and rss < CEILING_MB
    summary: dict = measured["summary"]  # type: ignore[assignment]
    timings = summary.get("seconds", {})
    stages = sorted(timings.items(), key=lambda kv: -kv[1])[:3]
    slowest = ", ".join(f"{stage} {value:.1f}s" for stage, value in stages) or str(measured["stderr"])[-80:]
    if timings:  # start-up, reading and writing happen outside run() and its stage timers
        slowest += f"; outside run() {seconds - sum(timings.values()):.1f}s"
    size = corpus.stat().st_size / 1_000_000
    return (f"| {name:<24} | {size:>7.1f} MB | {seconds:>7.1f} s | {rss:>7.0f} MB | "
            f"{'ok' if ok else 'OVER (exit ' + str(measured['code']) + ')':<10} | {slowest} |")


def main(argv: list[str] | None = None) -> int:
    """Generate the corpora, run each, print the table; exit 1 when a case breaks the ceiling."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", action="append", choices=sorted(CASES), help="Run only this case (repeatable).")
    parser.add_argument("--scale", type=float, default=1.0, help="Corpus size factor [1.0].")
    parser.add_argument("--timeout", type=float, default=600.0, help="Kill a run after this many seconds [600].")
    parser.add_argument("--keep", type=Path, default=None, help="Generate into this directory and keep it.")
    parser.add_argument("--max-memory", type=float, default=6.0, help="Address-space cap per run, in GB [6].")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="Profile; print the N costliest functions.")
    args = parser.parse_args(argv)
    print(f"ceiling: under {CEILING_SECONDS:.0f} s and {CEILING_MB:.0f} MB peak RSS per case")
    print("| case                     |  input     |  wall     | peak RSS   | verdict    | slowest stages |")
    print("|---|---|---|---|---|---|")
    failed = 0
    with tempfile.TemporaryDirectory(prefix="dedupe-adversarial-") as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for name in args.case or list(CASES):
            corpus = CASES[name](folder, args.scale)
            profile = folder / f"{corpus.stem}.prof" if args.profile else None
            measured = run_case(corpus, folder / f"out-{corpus.stem}", args.timeout, args.max_memory, profile)
            line = row(name, corpus, measured)
            failed += "| ok " not in line
            print(line, flush=True)
            if profile is not None:
                print_profile(profile, args.profile)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
