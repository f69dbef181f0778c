"""A seeded subsample of a generated corpus: a share of its gold stories kept whole, or a share of its articles.

Usage: python bench/scale_subsample.py CORPUS_DIR OUT_DIR [--share 0.1] [--seed 1] [--articles]
(score it with ``bench/scale_loss.py OUT_DIR RUN_DIR --hot-from CORPUS_DIR``)

By stories (the default) the generator's hot stories (its first 50 originals, ``bench/scale_loss.py``) and the
others are sampled apart, each at ``share``, so the subsample holds ``share`` of each kind whatever the draw:
a 10% subsample of a 100k corpus has about the 10k corpus's articles but the 100k corpus's story sizes (five hot
stories of ~120 reports, not fifty of ~12). ``--articles`` keeps ``share`` of the articles instead (stories
thinned: the 100k's hot stories come out at the 10k's sizes, its small stories mostly alone). Writes
``OUT_DIR/articles.jsonl`` and ``OUT_DIR/gold.jsonl`` in the corpus's order.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from scale_loss import read_gold


def kept_ids(folder: Path, share: float, seed: int, by_articles: bool) -> set[str]:
    """The ids a subsample keeps."""
    gold = read_gold(folder / "gold.jsonl")
    rng = random.Random(seed)
    if by_articles:
        return {i for i in sorted(gold.story) if rng.random() < share}
    stories = sorted(set(gold.story.values()))
    chosen: set[str] = set()
    for kind in (sorted(s for s in stories if s in gold.hot), sorted(s for s in stories if s not in gold.hot)):
        chosen.update(rng.sample(kind, round(len(kind) * share)))
    return {i for i, s in gold.story.items() if s in chosen}


def write(folder: Path, out: Path, kept: set[str]) -> int:
    """Copy the kept rows of both files; return how many articles were kept."""
    out.mkdir(parents=True, exist_ok=True)
    for name in ("articles.jsonl", "gold.jsonl"):
        with (folder / name).open(encoding="utf-8") as source, (out / name).open("w", encoding="utf-8") as target:
            target.writelines(line for line in source if json.loads(line)["id"] in kept)
    return len(kept)


def main() -> None:
    """Parse arguments, write the subsample."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--share", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--articles", action="store_true", help="keep a share of the articles, not of the stories")
    args = parser.parse_args()
    count = write(args.corpus, args.out, kept_ids(args.corpus, args.share, args.seed, args.articles))
    print(f"wrote {count} articles to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
