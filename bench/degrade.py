"""How the default settings degrade when a field a corpus usually has is missing: one markdown table.

Usage: python bench/degrade.py [--data DIR] [--corpus NAME ...] [--variant NAME ...] [--config FILE] [--json]

Each labelled corpus is run with default settings as given and as in-memory variants (nothing is written):
``undated`` (``published`` removed and ``url`` emptied, as URL days stand in for dates), ``untitled``,
``no_outlet`` (``source`` and ``url`` removed), ``lede`` (text cut to its first 60 words) and ``titles_only``
(text emptied, records without a title left out, as ``bench/quality.py --titles-only``). The ``union``
variant runs every labelled corpus at once (gold: corpus name + cluster) and scores each corpus's articles
within it, beside the corpus run alone; ``cross`` counts predicted pairs joining two corpora. The
``sub25`` and ``sub50`` variants keep a seeded random quarter or half of each corpus's gold stories, each story
whole (articles without a gold story count as stories of one), once per seed in ``SUBSAMPLE_SEEDS``; the row
gives the median of the seeds' ARIs (and of their pair P and R), so a corpus smaller than ours is seen.
``--config`` runs the settings of a TOML file instead of the defaults (``--variant sub25 --variant sub50``:
subsamples of an opt-in setting).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from quality import DEFAULT_DATA, corpora, measure_articles, settings, titles_only_of

from dedupe import Config, read_articles
from dedupe.evaluate import score
from dedupe.types import Article

CORPORA = ("wikinews_clusters", "ecbplus_dev", "gva_incidents_dev", "allsides_roundups")
LEDE_WORDS = 60
SUBSAMPLE_SEEDS = (1, 2, 3)
SUBSAMPLES = {"sub25": 0.25, "sub50": 0.5}


def lede(text: str, words: int = LEDE_WORDS) -> str:
    """The text up to the end of its ``words``-th word, line breaks kept.

    Example: ``lede("One two.\\nThree four", 3)`` is ``"One two.\\nThree"``.
    """
    ends = [match.end() for match in re.finditer(r"\S+", text)]
    return text if len(ends) <= words else text[: ends[words - 1]]


def subsample(articles: list[Article], share: float, seed: int) -> list[Article]:
    """The articles of a seeded random ``share`` of the gold stories (``cluster`` of each record), each story
    kept whole, in their order; an article without a gold story is a story of its own.

    Example: ``subsample(articles, 0.5, 1)`` keeps half the stories, the same half for seed 1 every time.
    """
    story = {a.id: str(a.record.get("cluster") or f"article:{a.id}") for a in articles}
    stories = sorted(set(story.values()))
    kept = set(random.Random(seed).sample(stories, max(1, round(share * len(stories))) if stories else 0))
    return [a for a in articles if story[a.id] in kept]


VARIANTS: dict[str, Callable[[list[Article]], list[Article]]] = {
    "given": lambda articles: articles,
    "undated": lambda articles: [replace(a, published=None, url=None) for a in articles],
    "untitled": lambda articles: [replace(a, title=None) for a in articles],
    "no_outlet": lambda articles: [replace(a, source=None, url=None) for a in articles],
    "lede": lambda articles: [replace(a, text=lede(a.text)) for a in articles],
    "titles_only": titles_only_of,
}


def subsample_row(name: str, articles: list[Article], gold: dict[str, str], share: float,
                  config: Config) -> dict[str, object]:
    """The median ARI, pair P and pair R (and articles) over ``SUBSAMPLE_SEEDS`` of one share of a corpus."""
    runs = [measure_articles(name, subsample(articles, share, seed), gold, config)[0] for seed in SUBSAMPLE_SEEDS]
    median = {k: statistics.median(r[k] for r in runs) for k in ("ari", "pair_precision", "pair_recall")}
    return {"corpus": name, "articles": int(statistics.median(r["articles"] for r in runs)), **median,
            "seeds_ari": [r["ari"] for r in runs]}


def variant_rows(name: str, inputs: list[str], gold: dict[str, str], variants: list[str],
                 config: Config) -> list[dict[str, object]]:
    """One row per variant of one corpus, each with its ARI change against the corpus as given (for a
    subsample, the median of its seeds' ARIs less the given ARI)."""
    articles = list(read_articles(inputs))
    rows = []
    for variant in variants:
        if variant in SUBSAMPLES:
            rows.append({**subsample_row(name, articles, gold, SUBSAMPLES[variant], config), "variant": variant})
            continue
        changed = VARIANTS[variant](articles)
        row = measure_articles(name, changed, gold, config)[0] if changed else {"corpus": name, "articles": 0}
        rows.append({**row, "variant": variant})
    given = next((r["ari"] for r in rows if r["variant"] == "given"), None)
    for row in rows:
        row["ari_change"] = None if given is None or "ari" not in row else round(row["ari"] - given, 4)
    return rows


def cross_pairs(predicted: dict[str, str], corpus_of: dict[str, str]) -> int:
    """Pairs of articles put in one predicted cluster that come from two different corpora."""
    sizes = Counter(predicted[a] for a in corpus_of)
    within = Counter((predicted[a], corpus_of[a]) for a in corpus_of)
    together = sum(n * (n - 1) // 2 for n in sizes.values())
    return together - sum(n * (n - 1) // 2 for n in within.values())


def union_rows(found: list[tuple[str, list[str], dict[str, str]]], config: Config,
               measured: dict[str, dict[str, object]] | None = None) -> list[dict[str, object]]:
    """Every corpus run alone and inside the union of all of them: its ARI and pair P/R both ways.
    ``measured`` may give corpora's rows as given (by name), which are then not run alone again."""
    articles, gold, corpus_of, alone = [], {}, {}, dict(measured or {})
    for name, inputs, corpus_gold in found:
        own = list(read_articles(inputs))
        if name not in alone:
            alone[name] = measure_articles(name, own, corpus_gold, config)[0]
        articles.extend(own)
        gold.update({i: f"{name}:{label}" for i, label in corpus_gold.items()})
        corpus_of.update({a.id: name for a in own})
    if len(corpus_of) != len(articles):
        raise SystemExit("article ids repeat across corpora: the union cannot be scored")
    whole, predicted = measure_articles("union", articles, gold, config)
    rows = []
    for name, _, corpus_gold in found:
        inside = score({i: predicted[i] for i in corpus_of if corpus_of[i] == name}, corpus_gold).as_dict()
        rows.append({"corpus": name, "alone_ari": alone[name]["ari"], "union_ari": inside["ari"],
                     "alone_p": alone[name]["pair_precision"], "union_p": inside["pair_precision"],
                     "alone_r": alone[name]["pair_recall"], "union_r": inside["pair_recall"]})
    rows.append({"corpus": "union", "alone_ari": None, "union_ari": whole["ari"], "alone_p": None,
                 "union_p": whole["pair_precision"], "alone_r": None, "union_r": whole["pair_recall"],
                 "cross": cross_pairs(predicted, corpus_of)})
    return rows


def cell(value: object, signed: bool = False) -> str:
    """A table cell: floats to three places (with a sign when ``signed``), None as a dash."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:+.3f}" if signed else f"{value:.3f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def markdown(headers: list[str], keys: list[str], rows: list[dict[str, object]]) -> str:
    """A markdown table of ``rows`` (``keys`` in order, missing keys as a dash, changes signed)."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(cell(row.get(k), k.endswith("change")) for k in keys) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    """Parse arguments, run every variant of every corpus asked for, print the tables (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--corpus", action="append", default=[])
    parser.add_argument("--variant", action="append", default=[], choices=[*VARIANTS, *SUBSAMPLES, "union"])
    parser.add_argument("--config", type=Path, help="a TOML file of settings (default: the defaults)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    config = settings(args.config)
    variants = args.variant or [*VARIANTS, *SUBSAMPLES, "union"]
    found = [c for c in corpora(args.data, []) if c[0] != "seeds"]
    chosen = [c for c in found if c[0] in (args.corpus or CORPORA)]
    rows = [r for c in chosen for r in variant_rows(*c, [v for v in variants if v != "union"], config)]
    given = {str(r["corpus"]): r for r in rows if r["variant"] == "given"}
    union = union_rows(found, config, given) if "union" in variants else []
    if args.json:
        print(json.dumps({"variants": rows, "union": union}, indent=2))
        return
    if rows:
        print(markdown(["corpus", "variant", "articles", "ARI", "ARI change", "pair P", "pair R"],
                       ["corpus", "variant", "articles", "ari", "ari_change", "pair_precision", "pair_recall"], rows))
    if union:
        print()
        print(markdown(["corpus", "ARI alone", "ARI in union", "pair P alone", "pair P in union", "pair R alone",
                        "pair R in union", "cross-corpus pairs"],
                       ["corpus", "alone_ari", "union_ari", "alone_p", "union_p", "alone_r", "union_r", "cross"],
                       union))


if __name__ == "__main__":
    main()
