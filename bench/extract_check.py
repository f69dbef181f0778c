"""Check that two checkouts extract exactly the same fields from every article of a set of corpora.

Usage: python bench/extract_check.py --reference /work/main [CORPUS ...] [--limit 2000]

Runs :func:`dedupe.extract.extract` in two child processes, one with ``PYTHONPATH`` set to this
checkout and one to ``--reference``, on every article of each CORPUS (default: ``fixtures/seeds``,
every corpus in ``/work/shared/data`` and ``/tmp/corpus10k/articles.jsonl``), each read whole and
stripped of page furniture as ``dedupe run`` strips it, at most ``--limit`` articles a corpus. Each
child writes one JSON line per article (every field and mention); the lines are compared exactly.
Prints one row per corpus (articles, mentions, differing articles) and the first differences, and
exits 1 when any article differs.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path("/work/shared/data")


def default_corpora() -> list[Path]:
    """The seeds, every shared corpus and the generated 10k corpus (when present)."""
    corpora = [ROOT / "fixtures" / "seeds", *sorted(SHARED.glob("*/data.jsonl"))]
    generated = Path("/tmp/corpus10k/articles.jsonl")
    return corpora + ([generated] if generated.exists() else [])


def _name(path: Path) -> str:
    """A corpus's name: its folder's for a ``data.jsonl``, else the file's or folder's own."""
    return path.parent.name if path.name == "data.jsonl" else path.name


def dump(corpora: list[Path], limit: int, out: Path) -> None:
    """Write the fields of every article (raw, then stripped) of ``corpora`` to ``out``, one JSON line each."""
    from dedupe import read_articles
    from dedupe.extract import extract
    try:  # since earlymem (page furniture counted by hash)
        from dedupe.furniture import boilerplate, strip_boilerplate
    except ImportError:
        from dedupe.profile import boilerplate, strip_boilerplate

    with out.open("w", encoding="utf-8") as sink:
        for path in corpora:
            articles = list(islice(read_articles([path]), limit))
            furniture = boilerplate(articles)
            stripped = [strip_boilerplate(a, furniture) for a in articles]
            for version, batch in (("raw", articles), ("stripped", stripped)):
                for article in batch:
                    record = dataclasses.asdict(extract(article))
                    line = json.dumps([_name(path), version, record], ensure_ascii=False, sort_keys=True)
                    sink.write(line + "\n")


def run_child(checkout: Path, corpora: list[Path], limit: int, out: Path) -> subprocess.Popen:
    """Start a child process dumping the fields with ``checkout``'s code."""
    env = dict(os.environ, PYTHONPATH=str(checkout))
    args = [sys.executable, __file__, "--dump", str(out), "--limit", str(limit), *map(str, corpora)]
    return subprocess.Popen(args, env=env, cwd=checkout)


def compare(ours: Path, theirs: Path) -> Iterator[tuple[str, int, int, list[str]]]:
    """Per corpus: its name, articles, mentions and the first lines that differ."""
    rows: dict[str, list] = {}
    with ours.open(encoding="utf-8") as mine, theirs.open(encoding="utf-8") as ref:
        for left, right in zip(mine, ref, strict=True):
            name, version, record = json.loads(left)
            row = rows.setdefault(name, [0, 0, []])
            row[0] += 1
            row[1] += len(record["mentions"])
            if left != right:
                row[2].append(f"{name} {version} {record['article_id']}")
    for name, (count, mentions, diffs) in rows.items():
        yield name, count, mentions, diffs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpora", nargs="*", type=Path, help="corpora to read [seeds, shared data, corpus10k]")
    parser.add_argument("--reference", type=Path, default=Path("/work/main"), help="the other checkout")
    parser.add_argument("--limit", type=int, default=2000, help="articles read from each corpus [2000]")
    parser.add_argument("--dump", type=Path, help=argparse.SUPPRESS)  # child mode
    args = parser.parse_args(argv)
    corpora = [p.resolve() for p in args.corpora] or default_corpora()
    if args.dump:
        dump(corpora, args.limit, args.dump)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        ours, theirs = Path(tmp, "ours.jsonl"), Path(tmp, "theirs.jsonl")
        children = [run_child(ROOT, corpora, args.limit, ours),
                    run_child(args.reference.resolve(), corpora, args.limit, theirs)]
        if any(child.wait() for child in children):
            print("a child process failed", file=sys.stderr)
            return 2
        print("| corpus | articles (raw + stripped) | mentions | differing |\n|---|---|---|---|")
        failed = []
        for name, count, mentions, diffs in compare(ours, theirs):
            print(f"| {name} | {count} | {mentions} | {len(diffs)} |")
            failed.extend(diffs)
    for line in failed[:20]:
        print("differs:", line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
