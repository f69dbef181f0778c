"""CPU seconds of the merge workers' work (merge, stories.jsonl line, report sections), in one process.

Usage: python bench/merge_cpu.py ARTICLES.jsonl [--limit 3000] [--repeat 3] [--save FILE | --load FILE]

Runs the pipeline up to clustering on the first ``--limit`` articles (2 workers, ``stories=False``), builds each
cluster's unit of work as ``merge.cluster_work`` gives it, then times ``storyfile.merged_lines(work,
sections=True)`` (what a merge worker of ``dedupe run -o`` runs on its chunks) ``--repeat`` times with
``time.process_time`` and the cyclic collector paused, as the run pauses it. Prints one JSON line: the tree's
``dedupe`` path, the seconds of each repeat, their median and a digest of every line, outline, conflict and packed
section, so two trees are compared on the same bytes. ``--save`` pickles the work (the pipeline's part is the
same in two trees whose outputs are), ``--load`` times a saved one: alternate two trees on one saved file.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import pickle
import sys
import time
from itertools import islice
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def merge_work(path: Path, limit: int) -> list[Any]:
    """Each cluster's unit of work for the first ``limit`` articles of ``path``."""
    from dedupe import Config, pipeline, read_articles
    from dedupe.engine import LocalEngine
    from dedupe.merge import cluster_work, missing_fields

    result = pipeline.run(list(islice(read_articles([path]), limit)), Config(workers=2), stories=False)
    articles, known = {a.id: a for a in result.articles}, dict(result.extras["fields"])
    known.update(missing_fields(result.clusters, articles, known, LocalEngine(1)))
    return [cluster_work(c, articles, known) for c in result.clusters]


def timed(work: list[Any], repeat: int) -> dict[str, Any]:
    """The seconds of each ``merged_lines`` over ``work`` and the digest of the last one's output."""
    import dedupe
    from dedupe.storyfile import merged_lines

    gc.disable()
    seconds, out = [], []
    for _ in range(repeat):
        start = time.process_time()
        out = merged_lines(work, sections=True)
        seconds.append(round(time.process_time() - start, 3))
    digest = hashlib.sha256()
    for line, summary, conflicts, sections in out:
        digest.update(line if isinstance(line, bytes) else line.encode("utf-8", "surrogatepass"))  # bytes since merge14
        digest.update(repr((summary, conflicts)).encode("utf-8", "surrogatepass"))
        for section in sections:
            digest.update(section)
    return {"tree": dedupe.__file__, "clusters": len(work), "seconds": seconds,
            "median": sorted(seconds)[len(seconds) // 2], "digest": digest.hexdigest()[:16]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", type=Path)
    parser.add_argument("--limit", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--save", type=Path)
    parser.add_argument("--load", type=Path)
    args = parser.parse_args()
    if args.load:
        work = pickle.loads(args.load.read_bytes())
    else:
        work = merge_work(args.articles, args.limit)
        if args.save:
            args.save.write_bytes(pickle.dumps(work))
    print(json.dumps(timed(work, args.repeat)))


if __name__ == "__main__":
    main()
