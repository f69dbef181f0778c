"""How IDF weightings carry across corpus size and mix: same-story ARI as given, in the union, subsampled.

Usage: python bench/idf_screen.py [--data DIR] [--variant NAME ...] [--json]

Each labelled full-text corpus is extracted once (page furniture found per corpus); then, for each IDF
variant, the same-story stage alone (``bench/errors.py``'s ARI, copy detection and the headline path left
out) is scored on every corpus as given, on ``bench/degrade.py``'s ``sub25`` / ``sub50`` subsamples (median
of ``SUBSAMPLE_SEEDS``) and inside the union of all five corpora (uci's headlines included, so the union has
their document frequencies). A screen, not the release figure: ``bench/degrade.py`` runs the whole pipeline.
The ``bg`` variants read English word frequencies from ``wordfreq`` (``pip install wordfreq``).
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from degrade import SUBSAMPLE_SEEDS, SUBSAMPLES, markdown, subsample
from quality import DEFAULT_DATA

from dedupe import Config, read_articles
from dedupe.corpusweights import InverseFrequency, inverse_frequencies
from dedupe.evaluate import labels_from_clusters, score
from dedupe.linkage import average_linkage
from dedupe.match import candidate_pairs, neighbour_ranks, prepare_fields, score_all
from dedupe.pipeline import prepare
from dedupe.profile import build_profiles
from dedupe.types import Article, Fields

FULL_TEXT = ("wikinews_clusters", "ecbplus_dev", "gva_incidents_dev", "allsides_roundups")
MIXED_IN = ("uci_news_aggregator_sample",)
WORDS_PER_ARTICLE = 400  # turns a word's share of English text into the chance an article holds it

Prepared = tuple[list[Article], list[Article], dict[str, Fields]]  # articles, stripped articles, fields


@cache
def background(term: str) -> float:
    """The chance that an English article of ``WORDS_PER_ARTICLE`` words holds ``term`` (a phrase: its
    words together), from ``wordfreq``'s frequency; 0 for a term it does not know."""
    from wordfreq import word_frequency

    return -math.expm1(-word_frequency(term, "en") * WORDS_PER_ARTICLE)


def fixed(scale: float) -> InverseFrequency:
    """``log(1 + scale / df)``: the corpus size replaced by a constant, so unrelated documents change nothing."""
    return lambda terms, df, n: np.log1p(scale / df)


def capped(cap: int) -> InverseFrequency:
    """``log(1 + min(N, cap) / df)``: the corpus size counted up to ``cap`` documents."""
    return lambda terms, df, n: np.log1p(min(n, cap) / df)


def with_background(scale: float) -> InverseFrequency:
    """``log(1 + scale / (df + scale * p_bg))``: a fixed-size English background corpus added to the counts."""
    return lambda terms, df, n: np.log1p(scale / (df + scale * np.array([background(t) for t in terms])))


def blended(alpha: float) -> InverseFrequency:
    """``(1 - alpha)`` of the corpus IDF plus ``alpha`` of the background's ``-log p_bg`` (a geometric blend)."""
    def idf(terms: list[str], df: np.ndarray, n: int) -> np.ndarray:
        prior = -np.log(np.maximum([background(t) for t in terms], 1e-7))
        return (1 - alpha) * inverse_frequencies(terms, df, n) + alpha * prior
    return idf


def smoothed(scale: float) -> InverseFrequency:
    """``log((N + scale) / (df + scale * p_bg))``: the background as a prior of ``scale`` pseudo-documents."""
    def idf(terms: list[str], df: np.ndarray, n: int) -> np.ndarray:
        prior = np.maximum([background(t) for t in terms], 1.0 / (n + scale))
        return np.log((n + scale) / (df + scale * prior))
    return idf


def sharpened(power: float) -> InverseFrequency:
    """The corpus IDF raised to ``power``: more contrast between rare and common terms."""
    return lambda terms, df, n: inverse_frequencies(terms, df, n) ** power


def both(idf: InverseFrequency) -> dict[str, InverseFrequency]:
    """The same IDF for words and names."""
    return {"terms": idf, "names": idf}


VARIANTS: dict[str, Callable[[], dict[str, InverseFrequency]]] = {
    "current": dict,
    "fixed1k": lambda: both(fixed(1000)), "fixed3k": lambda: both(fixed(3000)),
    "fixed10k": lambda: both(fixed(10000)), "fixed1k_terms": lambda: {"terms": fixed(1000)},
    "fixed1k_names": lambda: {"names": fixed(1000)},
    "capped3k": lambda: both(capped(3000)), "log1p": lambda: both(capped(2**62)),
    "bg1k": lambda: both(with_background(1000)), "bg3k": lambda: both(with_background(3000)),
    "bg3k_terms": lambda: {"terms": with_background(3000), "names": fixed(3000)},
    "blend50": lambda: both(blended(0.5)), "blend50_terms": lambda: {"terms": blended(0.5)},
    "smooth3k": lambda: both(smoothed(3000)), "sharp125": lambda: both(sharpened(1.25)),
}


def load(path: Path) -> Prepared:
    """A corpus's articles (sorted by id), the same stripped of page furniture, and their fields."""
    articles = list(prepare(read_articles([str(path)])))
    cleaned, fields = prepare_fields(articles)
    return articles, cleaned, fields


def gold_of(articles: list[Article]) -> dict[str, str]:
    """Article id -> gold story, for the articles that have one."""
    return {a.id: str(a.record["cluster"]) for a in articles if a.record.get("cluster")}


def predict(cleaned: list[Article], fields: dict[str, Fields], idf: dict[str, InverseFrequency],
            config: Config) -> dict[str, str]:
    """The same-story stage's clusters (article id -> label) with ``idf`` weighting the profiles."""
    profiles = build_profiles(cleaned, fields, idf=idf)
    ranks = neighbour_ranks(profiles, candidate_pairs(profiles, config))
    similarity = {(s.a, s.b): s.score for s in score_all(profiles, ranks, config)}
    parts = average_linkage([frozenset({a.id}) for a in cleaned], similarity, config.link_threshold,
                            config.unscored_weight)
    return labels_from_clusters([sorted(p) for p in parts])


def subsampled_ari(corpus: Prepared, share: float, idf: dict[str, InverseFrequency], config: Config) -> float:
    """The median same-story ARI over ``SUBSAMPLE_SEEDS`` of one share of a corpus's gold stories."""
    articles, cleaned, fields = corpus
    aris = []
    for seed in SUBSAMPLE_SEEDS:
        kept = subsample(articles, share, seed)
        ids = {a.id for a in kept}
        aris.append(score(predict([a for a in cleaned if a.id in ids], fields, idf, config), gold_of(kept)).ari)
    return statistics.median(aris)


def screen(corpora: dict[str, Prepared], idf: dict[str, InverseFrequency], config: Config) -> dict[str, float]:
    """``{corpus: ARI, corpus/sub25: ..., corpus/union: ...}`` of one variant."""
    out = {}
    for name in FULL_TEXT:
        articles, cleaned, fields = corpora[name]
        out[name] = score(predict(cleaned, fields, idf, config), gold_of(articles)).ari
        for variant, share in SUBSAMPLES.items():
            out[f"{name}/{variant}"] = subsampled_ari(corpora[name], share, idf, config)
    cleaned = sorted((a for corpus in corpora.values() for a in corpus[1]), key=lambda a: a.id)
    fields = {i: f for corpus in corpora.values() for i, f in corpus[2].items()}
    predicted = predict(cleaned, fields, idf, config)
    for name in FULL_TEXT:
        gold = gold_of(corpora[name][0])
        out[f"{name}/union"] = score({i: predicted[i] for i in gold}, gold).ari
    return out


def table_rows(results: dict[str, dict[str, float]]) -> list[dict[str, object]]:
    """One row per variant: ARI as given per corpus and its mean, then each union and subsample ARI."""
    rows = []
    for variant, out in results.items():
        row: dict[str, object] = {"variant": variant, **{k: round(v, 3) for k, v in out.items()}}
        row["mean"] = round(statistics.mean(out[c] for c in FULL_TEXT), 3)
        rows.append(row)
    return rows


def main() -> None:
    """Parse arguments, screen every variant asked for, print the table (or JSON)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--variant", action="append", default=[], choices=list(VARIANTS))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    corpora = {name: load(args.data / name / "data.jsonl") for name in (*FULL_TEXT, *MIXED_IN)
               if (args.data / name / "data.jsonl").exists()}
    missing = [name for name in FULL_TEXT if name not in corpora]
    if missing:
        raise SystemExit(f"corpora not found in {args.data}: {', '.join(missing)}")
    results = {v: screen(corpora, VARIANTS[v](), Config()) for v in args.variant or list(VARIANTS)}
    if args.json:
        print(json.dumps(results, indent=2))
        return
    keys = [*FULL_TEXT, "mean", *(f"{c}/{s}" for s in ("union", *SUBSAMPLES) for c in FULL_TEXT)]
    print(markdown(["variant", *keys], ["variant", *keys], table_rows(results)))


if __name__ == "__main__":
    main()
