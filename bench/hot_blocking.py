"""The candidate cap with and without ring pairs of keys held by more than ``max_block`` (``hot_links``): cost, pairs.

Usage: python bench/hot_blocking.py ARTICLES.jsonl GOLD.jsonl CODES.npz [--links 0 2 4] [--limit N]

Runs ``dedupe.run`` (defaults) on the first N articles up to the candidate cap and saves the salient codes it would
cap (``positions``, ``keys``, ``ids``) to CODES (reused when it exists), then for each ``hot_links`` value runs
``capping.capped_tables`` in a fresh process and prints one JSON line: CPU seconds, the rise of the peak RSS over the
state before it (the kernel's high-water mark is reset first), the pairs kept and left out, how many of each join two
reports of one gold ``story`` (``bench/make_corpus.py`` writes it), and the hot keys (held by more than ``max_block``)
with their holders.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import time
from itertools import islice
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


class Caught(Exception):
    """Raised in place of the cap, once its arguments are saved."""


def save_codes(articles: Path, codes: Path, limit: int | None) -> None:
    """Run the pipeline up to the cap on the first ``limit`` articles; save the codes it would cap."""
    from dedupe import Config, match, run
    from dedupe.load import read_articles

    def caught(positions: np.ndarray, keys: np.ndarray, ids: list[str], *_: object) -> None:
        np.savez(codes, positions=positions, keys=keys, ids=np.array(ids))
        raise Caught

    match.capped_tables = caught  # type: ignore[assignment]
    with articles.open("rb") as handle:
        loaded = list(read_articles(["-"], stdin=io.BytesIO(b"".join(islice(handle, limit)))))
    try:
        run(loaded, Config(), stories=False, details=False)
    except Caught:
        pass


def measure(codes: Path, gold_path: Path, links: int) -> dict[str, object]:
    """One ``capped_tables`` call at the default settings and ``hot_links``, timed, with its pairs counted."""
    from bench.hot_stories import peak_mb
    from dedupe import Config
    from dedupe.capping import capped_tables, numbered_keys

    saved = np.load(codes)
    positions, keys, ids = saved["positions"], saved["keys"], saved["ids"].tolist()
    config = Config()
    before, start = peak_mb(reset=True), time.process_time()
    kept, left_out = capped_tables(positions, keys, ids, config.max_block, config.max_candidates, links)
    cpu, rise = time.process_time() - start, peak_mb() - before
    with gold_path.open(encoding="utf-8") as handle:
        story_of = {r["id"]: r["story"] for r in map(json.loads, handle)}
    numbered = np.unique([story_of[i] for i in ids], return_inverse=True)[1]
    spooled = left_out.table()
    holders = np.bincount(numbered_keys(keys)[1])
    hot = holders > config.max_block
    return {"hot_links": links, "cpu": round(cpu, 2), "peak_rise_mb": rise, "kept": len(kept),
            "kept_same_story": int((numbered[kept.left] == numbered[kept.right]).sum()), "left_out": len(spooled),
            "left_out_same_story": int((numbered[spooled.left] == numbered[spooled.right]).sum()),
            "articles": len(ids), "hot_keys": int(hot.sum()), "hot_holders": int(holders[hot].sum())}


def main() -> None:
    """Parse arguments, save the codes once, measure each ``hot_links`` in its own process."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", type=Path)
    parser.add_argument("gold", type=Path)
    parser.add_argument("codes", type=Path)
    parser.add_argument("--links", type=int, nargs="+", default=[0, 2, 4])
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)  # the child's single measurement
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(measure(args.codes, args.gold, args.one)), flush=True)
        return
    if not args.codes.exists():
        save_codes(args.articles, args.codes, args.limit)
    for links in args.links:
        subprocess.run([sys.executable, __file__, str(args.articles), str(args.gold), str(args.codes),
                        "--one", str(links)], check=True, cwd=ROOT)


if __name__ == "__main__":
    main()
