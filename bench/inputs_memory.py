"""What scoring's article inputs cost the parent: ``scoring.article_inputs`` alone on synthetic profiles.

Usage: python bench/inputs_memory.py [--articles 1000000] [--tree PATH] [--trace]

Builds ``--articles`` profiles from synthetic sources (60 content words from 50,000, 8 names from 5,000, a
~50-character headline, 0-4 event dates, 0-2 counts: no extraction, so a million take a few minutes), then
runs ``article_inputs`` (default comparisons, ``slim``, as ``dedupe run`` does) with the process's peak
resident size reset (``/proc/self/clear_refs``, Linux) and prints its resident MB before, the peak above that
during the step and what it still holds after. ``--tree`` imports ``dedupe`` from another checkout (to compare
two commits on the same load); ``--trace`` adds ``tracemalloc``'s peak (slow, and its own memory adds to the
resident figures).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _status(key: str) -> float:
    """A ``/proc/self/status`` size (``VmRSS``, ``VmHWM``) in MB."""
    return int(Path("/proc/self/status").read_text().split(key + ":")[1].split()[0]) / 1024


def synthetic_profiles(count: int, seed: int = 5) -> Any:
    """A :class:`~dedupe.profile.ProfileTable` of ``count`` synthetic articles (ids ``a0000000`` on)."""
    from dedupe.profile import ProfileBuilder, ProfileSource
    from dedupe.types import Article

    rng = random.Random(seed)
    words = [f"w{i}" for i in range(50_000)]
    dates = [f"2019-{m:02d}-{d:02d}" for m in range(1, 13) for d in range(1, 29)] + [f"20{y}" for y in range(10, 25)]
    counts = [f"{kind}:{value}" for kind in ("killed", "injured", "age") for value in range(100)]
    builder, articles = ProfileBuilder(), []
    for index in range(count):
        builder.add(ProfileSource(Counter(rng.choices(words, k=60)), Counter(rng.choices(words[:5000], k=8)),
                                  f"Headline number {index} about {rng.choice(words)} and {rng.choice(words)}",
                                  "place", frozenset(rng.sample(dates, rng.randint(0, 4))),
                                  frozenset(rng.sample(counts, rng.randint(0, 2)))))
        articles.append(Article(f"a{index:07d}", "", title="t", source="s", published="2019-05-05"))
    return builder.table(articles)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1_000_000, help="synthetic articles [1000000]")
    parser.add_argument("--tree", type=Path, default=ROOT, help="the checkout whose dedupe is measured [this one]")
    parser.add_argument("--trace", action="store_true", help="add tracemalloc's peak")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.tree.resolve()))
    from dedupe.config import Config
    from dedupe.scoring import article_inputs

    table = synthetic_profiles(args.articles)
    ids = sorted(table)
    if args.trace:
        tracemalloc.start()
    Path("/proc/self/clear_refs").write_text("5")
    before, started = _status("VmRSS"), time.perf_counter()
    inputs = article_inputs(table, ids, Config().comparisons, slim=True)
    seconds, traced = time.perf_counter() - started, tracemalloc.get_traced_memory()[1]
    print(f"{args.articles:,} articles ({args.tree}): RSS before {before:,.0f} MB, peak during "
          f"+{_status('VmHWM') - before:,.0f} MB, after +{_status('VmRSS') - before:,.0f} MB, {seconds:.1f} s"
          + (f", traced peak {traced / 2**20:,.0f} MB" if args.trace else ""))
    del inputs
    return 0


if __name__ == "__main__":
    sys.exit(main())
