"""What real text the pairs a run links share in a generated corpus: same-story links by gold, against chance.

Usage: python bench/scale_text.py CORPUS_DIR RUN_DIR [--sample 20000] [--seed 1] [--data DIR] [--json]

``bench/make_corpus.py`` builds every article from sentences of the labelled corpora, so two articles of
different gold stories can share real sentences by chance, and more of them as a corpus grows past the pool's
size. For every same-story link a run kept (``clusters.jsonl``'s edges) and for a seeded sample of random pairs
of different gold stories, this counts the sentences the two texts share verbatim (after the generator's own
splitting and spacing, lower-cased, so case and spacing copies still match) and the *source records* they share
(labelled-corpus articles both drew a sentence from, the same sentence or not: two pieces of one real report name
the same people and places). Printed per group (gold links, false links, random different-story pairs): pairs,
mean shared sentences, and the share with 0, 1, 2, 3-5, 6+ shared sentences and with a shared source record.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dedupe.normalize import sentences

DEFAULT_DATA = ROOT.parent / "shared" / "data"
BINS = ((0, 0), (1, 1), (2, 2), (3, 5), (6, 10**9))


def key(sentence: str) -> str:
    """A sentence as compared: words single-spaced, lower-cased, curly quotes made straight."""
    return " ".join(sentence.split()).lower().replace("\u2019", "'").replace("\u201c", '"')


def source_records(data: Path) -> dict[str, int]:
    """Each pool sentence's (first) source record, numbered over every corpus in a fixed order."""
    found: dict[str, int] = {}
    record = 0
    for path in sorted(data.glob("*/data.jsonl")):
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                for sentence in sentences(json.loads(line).get("text") or ""):
                    found.setdefault(key(sentence), record)
                record += 1
    return found


def read_corpus(folder: Path) -> tuple[dict[str, frozenset[str]], dict[str, str]]:
    """Each article's sentence keys, and its gold story."""
    with (folder / "gold.jsonl").open(encoding="utf-8") as handle:
        story = {r["id"]: r["story"] for r in map(json.loads, handle)}
    texts = {}
    with (folder / "articles.jsonl").open(encoding="utf-8") as handle:
        for row in map(json.loads, handle):
            texts[row["id"]] = frozenset(map(key, sentences(row["text"])))
    return texts, story


def run_links(run: Path) -> list[tuple[str, str, float]]:
    """The same-story links of a run's clusters."""
    with (run / "clusters.jsonl").open(encoding="utf-8") as handle:
        return [(e["a"], e["b"], e["score"]) for r in map(json.loads, handle) for e in r.get("edges", [])
                if e["relation"] == "same_story"]


def random_pairs(story: Mapping[str, str], count: int, seed: int) -> list[tuple[str, str]]:
    """``count`` seeded random pairs of articles of different gold stories."""
    ids, rng, found = sorted(story), random.Random(seed), []
    while len(found) < count:
        a, b = rng.sample(ids, 2)
        if story[a] != story[b]:
            found.append((a, b))
    return found


def summary(pairs: Iterable[tuple[str, str]], texts: Mapping[str, frozenset[str]],
            sources: Mapping[str, int]) -> dict[str, Any]:
    """Pairs, mean shared sentences, the share in each bin of shared sentences and with a source record shared."""
    shared, records = [], 0
    for a, b in pairs:
        shared.append(len(texts[a] & texts[b]))
        left = {sources.get(s) for s in texts[a]} - {None}
        records += bool(left & {sources.get(s) for s in texts[b]})
    n = max(len(shared), 1)
    bins = Counter(next(f"{lo}-{hi}" if hi != lo else str(lo) for lo, hi in BINS if lo <= k <= hi) for k in shared)
    return {"pairs": len(shared), "mean shared sentences": round(sum(shared) / n, 3),
            **{f"{lo}-{hi}" if hi != lo else str(lo): round(bins[f"{lo}-{hi}" if hi != lo else str(lo)] / n, 4)
               for lo, hi in BINS},
            "a source record shared": round(records / n, 4)}


def measure(folder: Path, run: Path, sample: int, seed: int, data: Path) -> dict[str, dict[str, Any]]:
    """The three groups' summaries (gold links, false links, random different-story pairs)."""
    texts, story = read_corpus(folder)
    sources = source_records(data)
    links = run_links(run)
    gold = [(a, b) for a, b, _ in links if story[a] == story[b]]
    false = [(a, b) for a, b, _ in links if story[a] != story[b]]
    return {"gold links": summary(gold, texts, sources), "false links": summary(false, texts, sources),
            "random different-story pairs": summary(random_pairs(story, sample, seed), texts, sources)}


def print_table(name: str, rows: Mapping[str, Mapping[str, Any]], columns: Sequence[str]) -> None:
    """The groups as one markdown table."""
    print(f"\n{name}\n\n| pairs | " + " | ".join(columns) + " |\n" + "|---" * (len(columns) + 1) + "|")
    for label, row in rows.items():
        print(f"| {label} | " + " | ".join(str(row[c]) for c in columns) + " |")


def main() -> None:
    """Parse arguments, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("run", type=Path)
    parser.add_argument("--sample", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = measure(args.corpus, args.run, args.sample, args.seed, args.data)
    if args.json:
        print(json.dumps({"corpus": str(args.corpus), "run": str(args.run), **rows}))
    else:
        print_table(f"{args.corpus} / {args.run}", rows, list(next(iter(rows.values()))))


if __name__ == "__main__":
    main()
