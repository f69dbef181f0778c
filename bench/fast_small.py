"""Index a corpus's first articles exactly, add the next with ``add --fast`` or an exact ``add``, save the stories.

Usage: python bench/fast_small.py CORPUS BASE ADDED OUT.json --mode fast|exact [--workers 2]
Writes ``OUT.json`` (``{id: story}`` of every indexed article, for ``bench/fast_agree.py``) and ``OUT.json.added``
(the ids added, one JSON object a line); the index is ``OUT.db`` (replaced). Run it with ``PYTHONPATH`` set to
the tree to measure: the exact add gives the batch partition whatever the tree.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from dedupe import read_articles
from dedupe.config import Config
from dedupe.engine import LocalEngine
from dedupe.index import add, add_fast, create, open_index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("base", type=int)
    parser.add_argument("added", type=int)
    parser.add_argument("out")
    parser.add_argument("--mode", choices=("fast", "exact"), default="fast")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    articles = list(read_articles([args.corpus]))[: args.base + args.added]
    path = Path(args.out).with_suffix(".db")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    with create(path, Config(workers=1)) as index:
        add(index, articles[: args.base])
    with open_index(path) as index:
        extra = articles[args.base :]
        if args.mode == "fast":
            add_fast(index, extra, engine=LocalEngine(args.workers))
        else:
            add(index, extra)
        Path(args.out).write_text(json.dumps(dict(index.db.execute("SELECT id, story FROM members"))))
    Path(f"{args.out}.added").write_text("".join(json.dumps({"id": a.id}) + "\n" for a in extra))


if __name__ == "__main__":
    main()
