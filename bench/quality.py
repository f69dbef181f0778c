"""Clustering quality with default settings on every labelled corpus and the seeds, as one table.

Usage: python bench/quality.py [--data DIR] [--corpus NAME ...] [--config FILE] [--titles-only]
       [--max-candidates M] [--json]
Reads ../shared/data beside the checkout by default; corpora without gold clusters are skipped.
``--titles-only`` empties every text (records without a title are left out), to see the headline-only path
on corpora whose gold is known. ``--config`` measures the settings of a TOML file (as ``dedupe run --config``)
instead of the defaults.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dedupe import Config, read_articles, run
from dedupe.evaluate import labels_from_clusters, score
from dedupe.types import Article

DEFAULT_DATA = ROOT.parent / "shared" / "data"
COLUMNS = ("ari", "pair_precision", "pair_recall", "pair_f1", "bcubed_f1")


def gold_labels(path: Path) -> dict[str, str]:
    """Article id -> gold cluster from a data.jsonl (articles without one are left out)."""
    labels = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record.get("cluster"):
                labels[str(record["id"])] = record["cluster"]
    return labels


def titles_only_of(articles: list[Article]) -> list[Article]:
    """The articles with a title, each with its text emptied: the headline-only path."""
    return [replace(a, text="") for a in articles if (a.title or "").strip()]


def measure(name: str, inputs: list[str], gold: dict[str, str], config: Config,
            titles_only: bool = False) -> dict[str, object] | None:
    """Run dedupe on one corpus (with ``titles_only``: its headlines alone) and score its clusters against
    gold; None (with a line on stderr) when ``titles_only`` leaves no article, as for a corpus without titles."""
    articles = list(read_articles(inputs))
    if titles_only:
        articles = titles_only_of(articles)
        if not articles:
            print(f"{name}: skipped, no record has a title", file=sys.stderr)
            return None
    return measure_articles(name, articles, gold, config)[0]


def measure_articles(name: str, articles: list[Article], gold: dict[str, str],
                     config: Config) -> tuple[dict[str, object], dict[str, str]]:
    """Run dedupe on ``articles`` and score the clusters against gold: the table row, and the predicted
    labels (article id -> cluster) for callers that score parts of the run."""
    start = time.perf_counter()
    result = run(articles, config)
    seconds = time.perf_counter() - start
    predicted = labels_from_clusters([list(c.members) for c in result.clusters])
    scores = score(predicted, gold).as_dict()
    row = {"corpus": name, "articles": len(articles), "clusters": len(result.clusters),
           **{k: scores[k] for k in COLUMNS}, "articles_per_s": round(len(articles) / seconds, 1),
           "seconds": round(seconds, 2)}
    return row, predicted


def corpora(data: Path, only: list[str]) -> list[tuple[str, list[str], dict[str, str]]]:
    """(name, inputs, gold) for the seeds and every corpus in ``data`` that has gold clusters."""
    found = []
    seeds_gold = json.loads((ROOT / "fixtures" / "seeds_gold.json").read_text(encoding="utf-8"))
    seeds_gold.pop("_comment", None)
    found.append(("seeds", [str(ROOT / "fixtures" / "seeds")], seeds_gold))
    for folder in sorted(p for p in data.iterdir() if (p / "data.jsonl").exists()) if data.exists() else []:
        gold = gold_labels(folder / "data.jsonl")
        if gold:
            found.append((folder.name, [str(folder / "data.jsonl")], gold))
    return [c for c in found if not only or c[0] in only]


def settings(path: Path | None) -> Config:
    """The settings of a TOML file, or the defaults without one."""
    return Config() if path is None else Config.from_toml(path)


def print_table(rows: list[dict[str, object]]) -> None:
    """A fixed-width table of the measured rows."""
    headers = ["corpus", "articles", "clusters", *COLUMNS, "articles_per_s"]
    widths = [max(len(h), *(len(str(r[h])) for r in rows)) for h in headers]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths)))
    for row in rows:
        print("  ".join(str(row[h]).ljust(w) for h, w in zip(headers, widths)))


def main() -> None:
    """Parse arguments, measure every corpus, print the table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--corpus", action="append", default=[])
    parser.add_argument("--config", type=Path, help="a TOML file of settings (default: the defaults)")
    parser.add_argument("--titles-only", action="store_true", help="empty every text: headlines alone")
    parser.add_argument("--max-candidates", type=int, default=None, help="override the config's cap")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    config = settings(args.config)
    if args.max_candidates is not None:
        config = replace(config, max_candidates=args.max_candidates)
    chosen = corpora(args.data, args.corpus)
    missing = sorted(set(args.corpus) - {name for name, _, _ in chosen})
    if missing:
        parser.error(f"no labelled corpus named {', '.join(missing)} under {args.data} (a folder holding data.jsonl "
                     f"with gold clusters); found: {', '.join(name for name, _, _ in corpora(args.data, []))}. "
                     "Fix: pass --data DIR, or one of the names found.")
    measured = (measure(name, inputs, gold, config, args.titles_only) for name, inputs, gold in chosen)
    rows = [row for row in measured if row is not None]
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        print_table(rows)


if __name__ == "__main__":
    main()
