"""CPU milliseconds per article of field extraction, whole and per extractor, on one or more corpora.

Usage: python bench/extract_speed.py [CORPUS ...] [--limit 500] [--repeats 3]

Each CORPUS is a JSONL file or a folder the loader reads (default: the first ``--limit`` articles of
``/tmp/corpus10k/articles.jsonl``, ``../shared/data/gva_incidents_dev`` and
``../shared/data/wikinews_clusters``). The articles are stripped of page furniture as ``dedupe run``
strips them, then each extractor runs over all of them, ``--repeats`` times; the table gives the median
CPU milliseconds per article (``time.process_time``, this process only) for:

* ``extract``: :func:`dedupe.extract.extract`, everything an article costs;
* ``entities``, ``dates``, ``numbers``, ``quotes`` (given the article's people), ``place``: each
  extractor alone, the shared per-text caches emptied before each so it pays its own sentence split.

The sum of the parts exceeds ``extract`` by the work the extractors share. Timings on a shared machine
are noisy: compare two commits by running each in turn, and read ratios within one run.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_CORPORA = (
    Path("/tmp/corpus10k/articles.jsonl"),
    ROOT.parent / "shared" / "data" / "gva_incidents_dev",
    ROOT.parent / "shared" / "data" / "wikinews_clusters",
)
#: Fall back to the shared data folder of the main checkout when run from a worktree.
SHARED = Path("/work/shared/data")


def corpus_path(path: Path) -> Path:
    """``path`` (its ``data.jsonl`` for a shared corpus's folder, not the label files beside it), or
    the same corpus under ``/work/shared/data`` when ``path`` does not exist."""
    if not path.exists() and (SHARED / path.name).exists():
        path = SHARED / path.name
    return path / "data.jsonl" if (path / "data.jsonl").exists() else path


def load(path: Path, limit: int) -> list:
    """The first ``limit`` articles of ``path``, stripped of furniture as ``dedupe run`` strips them."""
    from dedupe import read_articles
    try:  # since earlymem (page furniture counted by hash)
        from dedupe.furniture import boilerplate, strip_boilerplate
    except ImportError:
        from dedupe.profile import boilerplate, strip_boilerplate

    articles = list(islice(read_articles([path]), limit))
    furniture = boilerplate(articles)
    return [strip_boilerplate(a, furniture) for a in articles]


def _clear() -> None:
    """Empty the per-text caches the extractors share (the sentence split of the last texts)."""
    from dedupe.extract import _text

    for name in ("_sentences", "lowered"):
        cache = getattr(_text, name, None)
        if cache is not None and hasattr(cache, "cache_clear"):
            cache.cache_clear()


def extractors() -> dict[str, Callable]:
    """Name -> a function of one article running that extractor."""
    from dedupe.extract import (
        extract,
        find_dates,
        find_entities,
        find_numbers,
        find_quotes,
        main_place,
    )

    def quotes(article) -> object:
        people = [m for m in find_entities(article.content) if m.kind == "person"]
        _clear()
        return find_quotes(article.content, people)

    return {
        "extract": extract,
        "entities": lambda a: find_entities(a.content),
        "dates": lambda a: find_dates(a.content, a.day),
        "numbers": lambda a: find_numbers(a.content),
        "quotes (+entities)": quotes,
        "place (+entities)": lambda a: main_place(a.content, find_entities(a.content)),
    }


def cpu_ms(func: Callable, articles: Sequence, repeats: int) -> float:
    """Median over ``repeats`` of the CPU milliseconds per article ``func`` takes."""
    runs = []
    for _ in range(repeats):
        gc.collect()
        spent = 0.0
        for article in articles:
            _clear()
            start = time.process_time()
            func(article)
            spent += time.process_time() - start
        runs.append(1000 * spent / max(1, len(articles)))
    return statistics.median(runs)


def table(corpora: Sequence[Path], limit: int, repeats: int) -> str:
    """A Markdown table: one row per extractor, one column per corpus."""
    funcs = extractors()
    columns, header = [], ["extractor (CPU ms/article)"]
    for path in corpora:
        articles = load(corpus_path(path), limit)
        words = sum(len(a.content.split()) for a in articles) / max(1, len(articles))
        header.append(f"{path.name} ({len(articles)}, {words:.0f} words)")
        columns.append({name: cpu_ms(func, articles, repeats) for name, func in funcs.items()})
    lines = ["| " + " | ".join(header) + " |", "|---" * len(header) + "|"]
    for name in funcs:
        lines.append(f"| {name} | " + " | ".join(f"{column[name]:.2f}" for column in columns) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpora", nargs="*", type=Path, help="JSONL files or folders [corpus10k, gva, wikinews]")
    parser.add_argument("--limit", type=int, default=500, help="articles read from the start of each [500]")
    parser.add_argument("--repeats", type=int, default=3, help="runs per extractor; the median is shown [3]")
    args = parser.parse_args(argv)
    gc.disable()  # as during a run (pipeline.run pauses the cyclic collector)
    print(table(args.corpora or DEFAULT_CORPORA, args.limit, args.repeats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
