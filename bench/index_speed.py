"""Time the incremental index: build, `check` latency (median, p95) and an add of new articles.

Usage: python bench/index_speed.py CORPUS.jsonl [--size 10000] [--add 1000] [--checks 200] [--index FILE] [--fast]
       [--no-exact] [--candidates K...] [--probes-at N]
CORPUS is a file written by bench/make_corpus.py. The index holds its first ``--size`` articles (an existing
``--index`` file is reused as it is, e.g. one grown by bench/index_build.py, and the corpus is then only
read from ``--probes-at``, default ``--size``); ``--checks`` of the next articles are checked one by one in one
process (as `dedupe check` serves stdin, its memory of the index warmed first; then again with the fields
extracted ahead, to show what extraction costs), then the ``--add`` articles after those are added in one batch.
``--candidates K...`` checks again with each candidate limit and counts the verdicts that stay the same.
With ``--fast`` the same articles are also added with ``add --fast`` to a copy of the index, and the two
results compared (pairwise F1 and adjusted Rand index of the fast clusters against the exact ones, which
are the batch clusters); ``--no-exact`` skips the exact add. Prints a table; run it under ``nice`` on a shared machine.
"""

from __future__ import annotations

import argparse
import itertools
import resource
import sqlite3
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dedupe import Config, read_articles
from dedupe.engine import LocalEngine
from dedupe.evaluate import score
from dedupe.extract import extract
from dedupe.furniture import strip_boilerplate
from dedupe.index import Checker, Index, add, add_fast, create, open_index
from dedupe.index.codec import article_key


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of the sorted values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


class Table(list):
    """Rows of a Markdown table, each printed as soon as it is added (long runs show progress)."""

    WIDTH = 46

    def __init__(self) -> None:
        super().__init__()
        print(f"| {'measure'.ljust(self.WIDTH)} | value |\n|{'-' * (self.WIDTH + 2)}|-------|", flush=True)

    def append(self, row: tuple[str, str]) -> None:
        super().append(row)
        print(f"| {row[0].ljust(self.WIDTH)} | {row[1]} |", flush=True)

    def extend(self, rows: list[tuple[str, str]]) -> None:
        for row in rows:
            self.append(row)


def verdict_of(answer: dict) -> tuple:
    """What a check decided: the verdict, the story, and the article copied."""
    return answer["verdict"], answer.get("story"), answer.get("of")


def timed_checks(checker: Checker, probes: list) -> tuple[list[tuple[float, float]], list[dict]]:
    """The wall and CPU seconds of each check, and its answer."""
    seconds, answers = [], []
    for article in probes:
        start, cpu = time.perf_counter(), time.process_time()
        answers.append(checker.check(article))
        seconds.append((time.perf_counter() - start, time.process_time() - cpu))
    return seconds, answers


def spread(seconds: list[tuple[float, float]]) -> str:
    """``median / p95`` in milliseconds of wall time, then of CPU time (steadier on a shared machine)."""
    wall, cpu = [s for s, _ in seconds], [c for _, c in seconds]
    return (f"{statistics.median(wall) * 1000:.1f} / {percentile(wall, 0.95) * 1000:.1f} ms "
            f"(CPU {statistics.median(cpu) * 1000:.1f} / {percentile(cpu, 0.95) * 1000:.1f} ms)")


def check_rows(rows: Table, index: Index, probes: list, limit: int | None) -> list[dict]:
    """Check every probe in one process (its memory warmed first); add the median and p95 rows, and for
    all candidates the same checks with the fields extracted ahead (what extraction costs); return the answers."""
    checker = Checker(index, limit=limit)
    start = time.perf_counter()
    heads = checker.stories.memory.warm()
    name = "check" if limit is None else f"check --candidates {limit}"
    if limit is None:
        rows.append((f"check start-up: read the index, decode {heads} heads", f"{time.perf_counter() - start:.1f} s"))
    seconds, answers = timed_checks(checker, probes)
    rows.append((f"{name} x{len(probes)}: median / p95", spread(seconds)))
    if limit is None:
        stories = checker.stories
        cleaned = [strip_boilerplate(a, stories.furniture) for a in probes]
        extraction = []
        for article in cleaned:
            start, cpu = time.perf_counter(), time.process_time()
            stories.prepared[article_key(article)] = extract(article)
            extraction.append((time.perf_counter() - start, time.process_time() - cpu))
        rows.append(("  of which extraction: median / p95", spread(extraction)))
        rows.append(("  check with fields extracted ahead", spread(timed_checks(checker, probes)[0])))
        with index.reading():
            counts = [len(stories.candidates(stories.profile(a)[0])) for a in probes[:30]]
        rows.append((f"candidates scored per check ({len(counts)} probes): median / max",
                     f"{statistics.median(counts):.0f} / {max(counts)}"))
    return answers


def checks(rows: Table, index: Index, probes: list, limits: list[int]) -> None:
    """Check the probes with all candidates, then with each limit; rows for times, verdicts, agreement."""
    answers = check_rows(rows, index, probes, None)
    counts = Counter(a["verdict"] for a in answers)
    rows.append(("check verdicts", ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))))
    for limit in limits:
        limited = check_rows(rows, index, probes, limit)
        same = sum(verdict_of(a) == verdict_of(b) for a, b in zip(answers, limited))
        rows.append((f"check --candidates {limit}: same verdict", f"{same}/{len(probes)}"))


def labels(index: Index) -> dict[str, str]:
    """Article id -> story id, for every indexed article."""
    return dict(index.db.execute("SELECT id, story FROM members").fetchall())


def fast_rows(path: Path, extra: list, exact: dict[str, str] | None, workers: int) -> list[tuple[str, str]]:
    """Time ``add --fast`` of the same articles on a copy of the index, and its agreement with the exact
    add (when it ran)."""
    with open_index(path) as index:
        start, cpu = time.perf_counter(), time.process_time()
        add_fast(index, extra, engine=LocalEngine(workers))
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        found = labels(index)
    path.unlink()
    rows = [
        (f"add --fast {len(extra)}", f"{elapsed:.1f} s, CPU {cpu:.1f} s ({cpu / len(extra) * 1000:.1f} ms per article)")
    ]
    if exact is not None:
        agreement = score(found, exact)
        new = score({k: v for k, v in found.items() if k in {a.id for a in extra}}, exact)
        rows += [("fast vs exact, all articles: pair F1 / ARI", f"{agreement.pair_f1:.4f} / {agreement.ari:.4f}"),
                 ("fast vs exact, added articles: pair F1 / ARI", f"{new.pair_f1:.4f} / {new.ari:.4f}")]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--add", type=int, default=1_000)
    parser.add_argument("--checks", type=int, default=200)
    parser.add_argument("--index", default=None)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--fast", action="store_true")
    parser.add_argument("--no-exact", action="store_true", help="with --fast: skip the exact add")
    parser.add_argument("--candidates", type=int, nargs="*", default=[])
    parser.add_argument("--probes-at", type=int, default=None, help="corpus place of the first probe (default --size)")
    args = parser.parse_args()
    path = Path(args.index or f"/tmp/index_speed_{args.size}.db")
    at = args.size if args.probes_at is None else args.probes_at
    first = at if path.exists() else 0  # an existing index: the articles before the probes are not read
    articles = list(itertools.islice(read_articles([args.corpus]), first, at + args.checks + args.add))
    base = articles[: args.size - first]
    probes, extra = articles[at - first : at - first + args.checks], articles[at - first + args.checks :]
    rows = Table()
    if not path.exists():
        start = time.perf_counter()
        with create(path, Config(workers=args.workers)) as index:
            add(index, base, engine=LocalEngine(args.workers))
        rows.append((f"build {len(base)} articles", f"{time.perf_counter() - start:.1f} s"))
    with open_index(path) as index:
        rows.append(("index articles / file size", f"{index.count('articles')} / {path.stat().st_size / 1e6:.0f} MB"))
        checks(rows, index, probes, args.candidates)
        if extra and args.fast:
            with sqlite3.connect(path.with_suffix(".fast.db")) as copy:
                index.db.backup(copy)
        exact = None
        if extra and not (args.fast and args.no_exact):
            start = time.perf_counter()
            report = add(index, extra, engine=LocalEngine(args.workers))
            elapsed = time.perf_counter() - start
            rows.append(
                (
                    f"add {len(report.added)} to {index.count('articles') - len(report.added)}",
                    f"{elapsed:.1f} s ({len(report.events)} merges/splits)",
                )
            )
            exact = labels(index)
    if extra and args.fast:
        rows.extend(fast_rows(path.with_suffix(".fast.db"), extra, exact, args.workers))
    rows.append(
        ("peak resident memory of this process", f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6:.2f} GB")
    )


if __name__ == "__main__":
    main()
