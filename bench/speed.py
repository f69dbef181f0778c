"""Copy-detection speed, memory and quality: dedupe against a datasketch baseline, in the same run.

Usage: python bench/speed.py [--size 10000] [--repeat 3] [--workers 0] [--corpus DIR] [--full] [--only NAME]
                             [--engine dask]

Builds (once, cached under --cache) a corpus with ``bench/make_corpus.py``, then runs each contender
``--repeat`` times, each run in its own process so its memory is its own, and prints medians: seconds
per stage, articles per second, peak RSS (``wait4`` rusage: the largest single process of its tree),
peak memory of the whole process tree (``tree MB``: the sum of the processes' PSS, sampled every 0.2 s
from ``/proc``, so worker processes count and pages they share are not counted twice), the ratio to
the baseline (wall and CPU seconds: CPU is steadier on a shared machine), and pair precision/recall
of the copy groups against the planted labels.

Contenders: ``dedupe`` (``dedupe.run`` with relations exact + near_duplicate, as ``dedupe run
--relations exact,near_duplicate`` does, handed the reader's iterator: its ``load`` is ``run``'s reading), ``cli``
(that command itself, ``--emit clusters`` to a file, its import included), ``stages`` (the same detection called stage
by stage, a ``LocalEngine(N)`` running signatures, banding and the near-duplicate check as the pipeline does; networkx
components), ``baseline`` (``str.split`` shingles,
``MinHash.bulk`` with xxh32 as hash function, ``MinHashLSH`` with the same bands, networkx components).
``load`` is reading the JSONL (the tool's loader for dedupe, ``json.loads`` for the baseline). ``--full`` adds
``full``: the whole pipeline (``dedupe.run`` with every relation, then every output file and report written,
as ``dedupe run -o DIR`` does), scored against the planted stories. ``dedupe``, ``cli`` and ``full`` run with
``--workers`` processes, the baseline and ``stages`` with one. ``--engine dask`` adds ``dask`` (and
``full-dask``): the same runs on a Dask LocalCluster, reading included, with its start and close timed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

THRESHOLD, SHINGLE, NUM_PERM = 0.8, 5, 128


def _components(ids: list[str], pairs: object) -> list[int]:
    """A component number per id, from an iterable of id pairs (networkx)."""
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(ids)
    graph.add_edges_from(pairs)
    label = {}
    for number, members in enumerate(nx.connected_components(graph)):
        label.update(dict.fromkeys(members, number))
    return [label[i] for i in ids]


def _read_jsonl(path: Path) -> tuple[list[str], list[str]]:
    """Ids and texts of a JSONL corpus, read plainly."""
    ids, texts = [], []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            ids.append(record["id"])
            texts.append(record["text"])
    return ids, texts


def _split_shingles(text: str) -> set[bytes]:
    """The baseline's shingles: lower-cased ``str.split`` words, ``SHINGLE`` at a time."""
    words = text.lower().split()
    return {" ".join(words[i : i + SHINGLE]).encode("utf-8") for i in range(max(1, len(words) - SHINGLE + 1))}


def run_baseline(corpus: Path, workers: int, seconds: dict[str, float]) -> tuple[list[str], list[int]]:
    """The datasketch pipeline users write first: split, MinHash.bulk, MinHashLSH, components."""
    import xxhash
    from datasketch import MinHash, MinHashLSH

    from dedupe.candidates import lsh_params

    with _stage(seconds, "load"):
        ids, texts = _read_jsonl(corpus / "articles.jsonl")
    with _stage(seconds, "signatures"):
        minhashes = MinHash.bulk(map(_split_shingles, texts), num_perm=NUM_PERM, hashfunc=xxhash.xxh32_intdigest)
    with _stage(seconds, "lsh"):
        lsh = MinHashLSH(num_perm=NUM_PERM, params=lsh_params(THRESHOLD, NUM_PERM))
        pairs = []
        for key, minhash in zip(ids, minhashes):
            pairs.extend((key, other) for other in lsh.query(minhash))
            lsh.insert(key, minhash, check_duplication=False)
    with _stage(seconds, "cluster"):
        labels = _components(ids, pairs)
    return ids, labels


def run_stages(corpus: Path, workers: int, seconds: dict[str, float]) -> tuple[list[str], list[int]]:
    """dedupe's copy detection called stage by stage (what the pipeline does with ``workers``)."""
    from dedupe import read_articles
    from dedupe.candidates import exact_edges, near_duplicate_edges
    from dedupe.engine import LocalEngine
    from dedupe.pipeline import prepare
    from dedupe.signatures import signature_matrix

    engine = LocalEngine(workers)
    with _stage(seconds, "load"):
        articles = prepare(read_articles([corpus / "articles.jsonl"]))
    with _stage(seconds, "signatures"):
        matrix = signature_matrix(articles, SHINGLE, NUM_PERM, 1, engine=engine)
    with _stage(seconds, "exact"):
        edges = exact_edges(matrix)
    with _stage(seconds, "near_duplicate"):
        edges += near_duplicate_edges(matrix, THRESHOLD, engine=engine)
    with _stage(seconds, "cluster"):
        ids = [a.id for a in articles]
        labels = _components(ids, ((e.a, e.b) for e in edges))
    return ids, labels


def _run_dedupe(relations: tuple[str, ...]) -> Callable[[Path, int, dict[str, float]], tuple[list[str], list[int]]]:
    def run_dedupe(corpus: Path, workers: int, seconds: dict[str, float]) -> tuple[list[str], list[int]]:
        """``dedupe.run`` in-process, as the CLI calls it: handed the reader's iterator, so reading is its ``read``
        stage (shown as ``load``; with several workers, signing starts while it reads); its own stage timings are
        reported. Copies only, it skips the stories as ``dedupe run --relations exact,near_duplicate --emit
        deduped`` does."""
        from dedupe import Config, read_articles, run

        result = run(read_articles([corpus / "articles.jsonl"]), Config(relations=relations, workers=workers),
                     stories="same_story" in relations)
        seconds.update(result.summary["seconds"])
        seconds["load"] = seconds.pop("read")
        if "same_story" in relations:
            from dedupe.output import write_outputs

            with tempfile.TemporaryDirectory() as out, _stage(seconds, "write"):
                write_outputs(result, out)
        label = {m: n for n, c in enumerate(result.clusters) for m in c.members}
        return list(label), list(label.values())

    return run_dedupe


def _run_dask(relations: tuple[str, ...]) -> Callable[[Path, int, dict[str, float]], tuple[list[str], list[int]]]:
    def run_dask(corpus: Path, workers: int, seconds: dict[str, float]) -> tuple[list[str], list[int]]:
        """``dedupe run --engine dask``: a LocalCluster of ``workers`` processes (0: one per core), the input
        read as partitions on it and every stage's tasks run on it; starting and closing it are timed too."""
        from dedupe import Config, run
        from dedupe.dask_engine import dask_engine
        from dedupe.load_parts import read_parts

        begin = time.perf_counter()
        with dask_engine(workers=workers) as engine:
            seconds["start"] = time.perf_counter() - begin
            with _stage(seconds, "load"):
                articles = list(read_parts([corpus / "articles.jsonl"], engine=engine, part_bytes=8 << 20))
            result = run(articles, Config(relations=relations), engine=engine, stories="same_story" in relations)
            begin = time.perf_counter()
        seconds["close"] = time.perf_counter() - begin
        seconds.update(result.summary["seconds"])
        label = {m: n for n, c in enumerate(result.clusters) for m in c.members}
        return list(label), list(label.values())

    return run_dask


def run_cli(corpus: Path, workers: int, seconds: dict[str, float]) -> tuple[list[str], list[int]]:
    """The command itself, in this process: ``dedupe run INPUT --relations exact,near_duplicate --emit clusters -q
    --workers N`` (its import timed as ``import``), stdout to a temporary file, the clusters read back from it."""
    import contextlib

    with _stage(seconds, "import"):
        from dedupe.cli import main
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "clusters.jsonl"
        with out.open("w", encoding="utf-8") as handle, contextlib.redirect_stdout(handle), _stage(seconds, "run"):
            main.main(["run", str(corpus / "articles.jsonl"), "--relations", "exact,near_duplicate", "--emit",
                       "clusters", "-q", "--workers", str(workers)], standalone_mode=False)
        with out.open(encoding="utf-8") as handle:
            label = {m: n for n, line in enumerate(handle) for m in json.loads(line)["members"]}
    return list(label), list(label.values())


CONTENDERS = {
    "baseline": run_baseline,
    "stages": run_stages,
    "dedupe": _run_dedupe(("exact", "near_duplicate")),
    "cli": run_cli,
    "full": _run_dedupe(("exact", "near_duplicate", "same_story")),
    "dask": _run_dask(("exact", "near_duplicate")),
    "full-dask": _run_dask(("exact", "near_duplicate", "same_story")),
}


class _stage:
    """``with _stage(seconds, name):`` adds the block's wall time to ``seconds[name]``."""

    def __init__(self, seconds: dict[str, float], name: str) -> None:
        self.seconds, self.name = seconds, name

    def __enter__(self) -> None:
        self.start = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.seconds[self.name] = self.seconds.get(self.name, 0.0) + time.perf_counter() - self.start


def child(name: str, corpus: Path, workers: int, out: Path) -> None:
    """Run one contender and write its timings and labels to ``out`` (JSON)."""
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    ids, labels = CONTENDERS[name](corpus, workers, seconds)
    seconds["total"] = time.perf_counter() - start
    out.write_text(json.dumps({"seconds": seconds, "ids": ids, "labels": labels}), encoding="utf-8")


def contenders(args: argparse.Namespace) -> list[tuple[str, str, int]]:
    """``(label, contender, workers)`` to run, the baseline first."""
    names = args.only or ["baseline", "stages", "dedupe"] + (["full"] if args.full else [])
    if args.engine == "dask" and not args.only:
        names += ["dask"] + (["full-dask"] if args.full else [])
    workers = args.workers or os.cpu_count() or 1
    rows = [(n, n, workers if n in ("dedupe", "cli", "full", "dask", "full-dask") else 1) for n in names]
    if "stages" in names and workers > 1:
        rows.insert(names.index("stages") + 1, (f"stages x{workers}", "stages", workers))
    return rows


def _children(pid: int) -> list[int]:
    """``pid`` and all its descendants, from ``/proc/PID/task/*/children`` (Linux); just ``pid`` elsewhere."""
    tree, todo = [], [pid]
    while todo:
        tree.append(todo.pop())
        for listing in Path(f"/proc/{tree[-1]}/task").glob("*/children"):
            try:
                todo.extend(int(child) for child in listing.read_text().split())
            except OSError:
                continue
    return tree


def _memory_kb(pid: int) -> int:
    """The proportional set size of one process (shared pages split among their users), in KB; 0 when gone."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeMemory(threading.Thread):
    """Samples the summed memory (PSS) of a process and its descendants; ``peak_mb`` is the largest sum."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.every, self.peak_mb, self.done = pid, every, 0.0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.every):
            total = sum(_memory_kb(p) for p in _children(self.pid)) / 1024
            self.peak_mb = max(self.peak_mb, total)


def measure(name: str, corpus: Path, workers: int) -> dict:
    """One run of a contender in a fresh process: its report plus wall seconds, peak RSS of its largest
    process (``wait4``) and peak memory of its whole process tree (PSS, sampled), in MB."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        command = [sys.executable, __file__, "--child", name, "--corpus", str(corpus),
                   "--workers", str(workers), "--report", str(out)]
        start = time.perf_counter()
        process = subprocess.Popen(command)
        sampler = TreeMemory(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        sampler.done.set()
        if status:
            raise SystemExit(f"{name} failed with status {status}")
        report = json.loads(out.read_text(encoding="utf-8"))
    report.update(wall=wall, cpu=usage.ru_utime + usage.ru_stime, rss_mb=usage.ru_maxrss / 1024,
                  tree_mb=sampler.peak_mb)
    return report


def pair_scores(gold: dict[str, str], ids: list[str], labels: list[int]) -> tuple[float, float]:
    """Pair precision and recall of predicted groups against gold groups."""
    def pairs(counts: Counter) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    predicted = dict(zip(ids, labels))
    both = pairs(Counter((gold[i], predicted[i]) for i in gold))
    found, wanted = pairs(Counter(predicted[i] for i in gold)), pairs(Counter(gold.values()))
    return (both / found if found else 1.0), (both / wanted if wanted else 1.0)


def ensure_corpus(args: argparse.Namespace) -> Path:
    """The corpus folder: ``--corpus``, or one generated under ``--cache`` for ``--size``."""
    if args.corpus:
        return args.corpus
    folder = args.cache / f"corpus-{args.size}-seed{args.seed}"
    if not (folder / "gold.jsonl").is_file():
        subprocess.run([sys.executable, str(ROOT / "bench" / "make_corpus.py"), str(folder),
                        "--size", str(args.size), "--seed", str(args.seed)], check=True)
    return folder


def table(rows: list[tuple[str, dict]], articles: int, baseline: dict | None) -> str:
    """One line per contender: median stage seconds, totals, throughput, RSS, ratio, quality."""
    stages = sorted({s for _, r in rows for s in r["seconds"] if s != "total"})
    header = ["contender", *stages, "total s", "wall s", "cpu s", "art/s", "peak MB", "tree MB", "x baseline",
              "x cpu", "precision", "recall"]
    lines = [header]
    for name, r in rows:
        ratio = baseline["wall"] / r["wall"] if baseline else float("nan")
        cpu = baseline["cpu"] / r["cpu"] if baseline else float("nan")
        lines.append([name, *(f"{r['seconds'].get(s, 0):.2f}" for s in stages), f"{r['seconds']['total']:.2f}",
                      f"{r['wall']:.2f}", f"{r['cpu']:.2f}", f"{articles / r['wall']:,.0f}", f"{r['rss_mb']:,.0f}",
                      f"{r['tree_mb']:,.0f}", f"{ratio:.2f}", f"{cpu:.2f}", f"{r['precision']:.4f}",
                      f"{r['recall']:.4f}"])
    widths = [max(len(line[k]) for line in lines) for k in range(len(header))]
    return "\n".join("  ".join(c.rjust(w) if k else c.ljust(w) for k, (c, w) in enumerate(zip(line, widths)))
                     for line in lines)


def median_report(runs: list[dict]) -> dict:
    """Medians over repeated runs of one contender (quality is deterministic: taken from the first)."""
    stages = {s for r in runs for s in r["seconds"]}
    return {"seconds": {s: statistics.median(r["seconds"].get(s, 0.0) for r in runs) for s in stages},
            "wall": statistics.median(r["wall"] for r in runs),
            "cpu": statistics.median(r["cpu"] for r in runs),
            "rss_mb": statistics.median(r["rss_mb"] for r in runs),
            "tree_mb": statistics.median(r["tree_mb"] for r in runs),
            "precision": runs[0]["precision"], "recall": runs[0]["recall"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10_000, help="articles in the generated corpus [10000]")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed [1]")
    parser.add_argument("--repeat", type=int, default=3, help="runs per contender; medians are shown [3]")
    parser.add_argument("--workers", type=int, default=0,
                        help="processes for dedupe, cli and full, and for a second 'stages' row [0: one per core]")
    parser.add_argument("--corpus", type=Path, help="an existing corpus folder (articles.jsonl, gold.jsonl)")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "newsdedupe-bench",
                        help="where generated corpora are kept [TMP/newsdedupe-bench]")
    parser.add_argument("--only", action="append", choices=sorted(CONTENDERS), help="contenders to run")
    parser.add_argument("--full", action="store_true", help="also time the whole pipeline (all relations)")
    parser.add_argument("--engine", choices=["local", "dask"], default="local",
                        help="dask: also run dedupe (and with --full the whole pipeline) on a Dask LocalCluster of "
                        "--workers processes (one per core when --workers is 1) [local]")
    parser.add_argument("--child", choices=sorted(CONTENDERS), help=argparse.SUPPRESS)
    parser.add_argument("--report", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.corpus, args.workers, args.report)
        return 0
    corpus = ensure_corpus(args)
    gold = {}
    with (corpus / "gold.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            gold[record["id"]] = (record["copy_group"], record["story"])
    rows = []
    for label, name, workers in contenders(args):
        truth = {i: g[1] if name.startswith("full") else g[0] for i, g in gold.items()}
        runs = []
        for _ in range(args.repeat):
            report = measure(name, corpus, workers)
            report["precision"], report["recall"] = pair_scores(truth, report["ids"], report["labels"])
            runs.append(report)
        rows.append((label, median_report(runs)))
    baseline = dict(rows).get("baseline")
    print(f"{len(gold):,} articles from {corpus}; threshold {THRESHOLD}, {SHINGLE}-word shingles, {NUM_PERM} "
          f"permutations; medians of {args.repeat} runs; quality: copy groups (full: stories)")
    print(table(rows, len(gold), baseline))
    return 0


if __name__ == "__main__":
    sys.exit(main())
