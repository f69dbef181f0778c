"""Near-duplicate oracle: dedupe's copy clusters against brute-force exact Jaccard over all pairs."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from dedupe import Article, Config, Result, read_articles, run
from dedupe.signatures import jaccard, shingle_hashes

CORPORA = ("ecbplus_dev", "gva_incidents_dev")
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
COPIES = Config(relations=("exact", "near_duplicate"))
#: Near-duplicate edges this far below the threshold count as false links.
SLACK = 0.1

Pair = tuple[str, str]


@dataclass
class OracleReport:
    """How one run of dedupe compares with brute force on one corpus.

    ``missed`` are brute-force pairs (Jaccard >= threshold) split across clusters;
    ``bad_edges`` are near-duplicate edges whose Jaccard is below threshold - SLACK.
    Example: ``OracleReport(corpus="ecbplus_dev", articles=772, pairs=12, recovered=12, ...)``.
    """

    corpus: str
    articles: int
    pairs: int
    recovered: int
    edges: int
    missed: list[tuple[Pair, float]] = field(default_factory=list)
    bad_edges: list[tuple[Pair, float]] = field(default_factory=list)
    dedupe_seconds: float = 0.0
    brute_seconds: float = 0.0

    @property
    def recall(self) -> float:
        """Share of brute-force pairs that dedupe put in one cluster (1.0 when there are none)."""
        return self.recovered / self.pairs if self.pairs else 1.0


def shared_counts(sets: Sequence[np.ndarray]) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """For each document i: the documents j > i sharing a shingle with it, and how many they share.

    An inverted index (shingle hash -> documents) over the shingles found in more than one
    document; a document's row of intersection sizes is a bincount of its postings.
    """
    count = len(sets)
    hashes = np.concatenate([np.asarray(s, dtype=np.uint32) for s in sets]) if count else np.empty(0, np.uint32)
    docs = np.repeat(np.arange(count), [len(s) for s in sets])
    order = np.lexsort((docs, hashes))
    hashes, docs = hashes[order], docs[order]
    starts = np.flatnonzero(np.r_[True, hashes[1:] != hashes[:-1]]) if len(hashes) else np.empty(0, int)
    ends = np.r_[starts[1:], len(hashes)]
    shared = ends - starts > 1
    postings = {int(hashes[s]): docs[s:e] for s, e in zip(starts[shared], ends[shared])}
    for i, own in enumerate(sets):
        lists = [postings[h] for h in own.tolist() if h in postings]
        if not lists:
            continue
        others = np.concatenate(lists)
        counts = np.bincount(others[others > i], minlength=count)
        partners = np.flatnonzero(counts)
        yield i, partners, counts[partners]


def brute_force_pairs(articles: Sequence[Article], shingle_size: int, floor: float) -> dict[Pair, float]:
    """Every pair (smaller id first) whose exact shingle Jaccard is >= ``floor``, with that Jaccard."""
    sets = [shingle_hashes(a.content, shingle_size) for a in articles]
    sizes = np.array([len(s) for s in sets])
    pairs: dict[Pair, float] = {}
    for i, partners, shared in shared_counts(sets):
        scores = shared / (sizes[i] + sizes[partners] - shared)
        for j, score in zip(partners[scores >= floor].tolist(), scores[scores >= floor].tolist()):
            a, b = sorted((articles[i].id, articles[j].id))
            pairs[(a, b)] = score
    empty = [a.id for a, s in zip(articles, sets) if not len(s)]
    pairs.update({(a, b): 1.0 for k, a in enumerate(empty) for b in empty[k + 1:]})
    return pairs


def timed(function: Callable[[], object], runs: int) -> tuple[object, float]:
    """The last result of calling ``function`` ``runs`` times, and the median seconds per call."""
    seconds, result = [], None
    for _ in range(max(1, runs)):
        start = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - start)
    return result, statistics.median(seconds)


def compare(corpus: str, articles: Sequence[Article], config: Config = COPIES, runs: int = 1) -> OracleReport:
    """Run dedupe and brute force on ``articles`` and compare their pairs and edges."""
    result, dedupe_seconds = timed(lambda: run(articles, config), runs)
    floor = config.threshold - SLACK
    truth, brute_seconds = timed(lambda: brute_force_pairs(articles, config.shingle_size, floor), runs)
    assert isinstance(result, Result) and isinstance(truth, dict)
    where = {member: c.cluster_id for c in result.clusters for member in c.members}
    wanted = {pair: score for pair, score in truth.items() if score >= config.threshold}
    missed = sorted((pair, score) for pair, score in wanted.items() if where[pair[0]] != where[pair[1]])
    edges = [e for e in result.edges if e.relation == "near_duplicate"]
    by_id = {a.id: a for a in articles}
    scored = (((e.a, e.b), _jaccard(by_id[e.a], by_id[e.b], config.shingle_size)) for e in edges)
    bad = sorted((pair, score) for pair, score in scored if score < floor)
    return OracleReport(corpus, len(articles), len(wanted), len(wanted) - len(missed), len(edges), missed, bad,
                        dedupe_seconds, brute_seconds)


def _jaccard(a: Article, b: Article, size: int) -> float:
    """Exact Jaccard of two articles' shingles."""
    return jaccard(shingle_hashes(a.content, size), shingle_hashes(b.content, size))


def load(data: Path, corpus: str) -> list[Article]:
    """The articles of ``DATA/CORPUS/data.jsonl``."""
    return list(read_articles([data / corpus / "data.jsonl"]))


HEADER = ("corpus", "articles", "pairs>=thr", "recovered", "recall", "near-dup edges", "edges<thr-0.1",
          "dedupe s", "brute s")


def table(reports: Sequence[OracleReport]) -> str:
    """A plain-text table, one row per corpus."""
    rows = [HEADER] + [(r.corpus, str(r.articles), str(r.pairs), str(r.recovered), f"{r.recall:.4f}", str(r.edges),
                        str(len(r.bad_edges)), f"{r.dedupe_seconds:.2f}", f"{r.brute_seconds:.2f}")
                       for r in reports]
    widths = [max(len(row[k]) for row in rows) for k in range(len(HEADER))]
    return "\n".join("  ".join(cell.rjust(w) if k else cell.ljust(w) for k, (cell, w) in enumerate(zip(row, widths)))
                     for row in rows)


def main(argv: Sequence[str] | None = None) -> int:
    """``python bench/oracle.py [--data DIR] [--runs N] [--corpus NAME]...``; exit 1 when a check fails."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"corpora folder [{DEFAULT_DATA}]")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per corpus; medians are shown [3]")
    parser.add_argument("--corpus", action="append", choices=CORPORA, help="corpus to check [all]")
    args = parser.parse_args(argv)
    reports = [compare(name, load(args.data, name), COPIES, args.runs) for name in args.corpus or CORPORA]
    print(f"threshold {COPIES.threshold}, {COPIES.shingle_size}-word shingles, {COPIES.num_perm} permutations")
    print(table(reports))
    for report in reports:
        for (a, b), score in report.missed:
            print(f"missed: {report.corpus} {a} {b} jaccard={score:.4f}")
        for (a, b), score in report.bad_edges:
            print(f"false edge: {report.corpus} {a} {b} jaccard={score:.4f}")
    return 1 if any(r.missed or r.bad_edges for r in reports) else 0


if __name__ == "__main__":
    sys.exit(main())
