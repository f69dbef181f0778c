"""Each scoring and linkage default moved alone, every corpus re-clustered, halves and leave-one-corpus-out.

Usage: python bench/sweep.py [--data DIR] [--corpus NAME ...] [--generated DIR] [--factor F ...]
       [--setting NAME ...] [--json]

Each corpus is run once with default settings (``bench/pair_evidence.capture``: blocking and candidates as the
defaults make them); for each setting times each factor every scored pair is scored again
(``scoring.score_pairs``, so comparison weights, ``bias``, ``gap_weight``, ``rank_weight`` and
``specific_weight`` act) and the clusters made again as ``pipeline.cluster`` makes them (so ``link_threshold``,
``unscored_weight``, ``day_link_weight`` act). Headline-path links are kept as scored. A setting is a
``Config`` field or ``cmp:FIELD`` (that comparison's weight). Blocking is not re-run: moves that would change
the candidates are out of its reach.

Besides the whole corpus, each row gives the two *halves*: the gold stories in sorted order, even and odd
positions, each story whole, clustered from the same scores. A change is worth a look only when both halves
agree. The leave-one-corpus-out table picks, for each corpus held out, the move with the best mean ARI change
on the others that lowers none of them by more than 0.005, and prints what that move does to the corpus left out.
"""

from __future__ import annotations

import json
import statistics
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from pair_evidence import Captured, capture, chosen_corpora, cluster_ari, corpus_parser

from dedupe import Config, read_articles
from dedupe.scoring import score_pairs

SETTINGS = ("link_threshold", "bias", "gap_weight", "day_link_weight", "rank_weight", "specific_weight",
            "unscored_weight", "cmp:terms", "cmp:names", "cmp:headline", "cmp:dates", "cmp:numbers",
            "cmp:principal")
FACTORS = (0.9, 1.1)


def moved(config: Config, setting: str, factor: float) -> Config:
    """``config`` with ``setting`` (a field, or ``cmp:FIELD`` for a comparison's weight) times ``factor``."""
    if setting.startswith("cmp:"):
        name = setting[4:]
        comparisons = tuple(replace(c, weight=c.weight * factor) if c.field == name else c
                            for c in config.comparisons)
        return replace(config, comparisons=comparisons)
    value = getattr(config, setting)
    return replace(config, **{setting: type(value)(value * factor)})


def rescored(run: Captured, config: Config, field_rows: np.ndarray) -> np.ndarray:
    """The similarity values with every field-model row (``field_rows``) scored again under ``config``."""
    pairs = run.similarity.table.pairs()
    ranked = {pairs[row]: int(run.ranks[pairs[row]]) for row in np.flatnonzero(field_rows) if pairs[row] in run.ranks}
    found = {(s.a, s.b): s.score for s in score_pairs(run.profiles, ranked, config.comparisons, config.priors)}
    values = run.similarity.values.copy()
    for row in np.flatnonzero(field_rows):
        values[row] = round(found[pairs[row]], 6)
    return values


def field_model_rows(run: Captured, config: Config) -> np.ndarray:
    """The rows whose value the field model gives (the defaults' rescoring reproduces them)."""
    pairs = run.similarity.table.pairs()
    ranked = {pair: int(run.ranks[pair]) for pair in pairs if pair in run.ranks}
    found = {(s.a, s.b): s.score for s in score_pairs(run.profiles, ranked, config.comparisons, config.priors)}
    return np.array([pair in found and abs(found[pair] - value) <= 2e-6
                     for pair, value in zip(pairs, run.similarity.values, strict=True)], dtype=bool)


def halves(run: Captured) -> list[set[str]]:
    """The heads of the even- and of the odd-positioned gold stories (sorted), each copy group wholly inside."""
    stories = sorted(set(run.gold.values()))
    parts = [set(stories[0::2]), set(stories[1::2])]
    return [{h for h, group in run.by_head.items() if all(run.gold.get(m) in part for m in group)} for part in parts]


def aris(run: Captured, values: np.ndarray, config: Config, parts: list[set[str]]) -> list[float]:
    """The ARI of the whole corpus and of each half, clustered from ``values`` under ``config``."""
    return [round(cluster_ari(run, values, config, kept), 4) for kept in (None, *parts)]


def corpus_rows(name: str, run: Captured, config: Config, settings: list[str],
                factors: list[float]) -> Iterator[dict]:
    """One row per (setting, factor) for one corpus, as each is measured: whole / halves ARI and their changes from
    the defaults (the first row: the defaults)."""
    rows_field = field_model_rows(run, config)
    parts = halves(run)
    base = aris(run, run.similarity.values, config, parts)
    yield {"corpus": name, "setting": "defaults", "factor": 1.0, "ari": base}
    for setting in settings:
        for factor in factors:
            other = moved(config, setting, factor)
            values = rescored(run, other, rows_field) if _scores_move(setting) else run.similarity.values
            found = aris(run, values, other, parts)
            yield {"corpus": name, "setting": setting, "factor": factor, "ari": found,
                   "change": [round(f - b, 4) for f, b in zip(found, base, strict=True)]}


def _scores_move(setting: str) -> bool:
    """Whether ``setting`` reaches the pair scores (else only the clustering)."""
    return setting not in ("link_threshold", "unscored_weight", "day_link_weight", "capped_weight")


def loco(rows: list[dict]) -> list[dict]:
    """For each corpus held out: the move best on the others' mean (none lowered by more than 0.005)."""
    changes: dict[tuple[str, float], dict[str, float]] = {}
    for row in rows:
        if "change" in row:
            changes.setdefault((row["setting"], row["factor"]), {})[row["corpus"]] = row["change"][0]
    names = sorted({row["corpus"] for row in rows})
    picked = []
    for held in names:
        best, best_mean = None, 0.0
        for move, by in changes.items():
            others = [by[n] for n in names if n != held and n in by]
            if others and min(others) >= -0.005 and statistics.mean(others) > best_mean:
                best, best_mean = move, statistics.mean(others)
        picked.append({"held_out": held, "move": best, "others_mean": round(best_mean, 4),
                       "held_out_change": None if best is None else changes[best].get(held)})
    return picked


def markdown(rows: list[dict]) -> str:
    """The rows as one markdown table: a line per setting, a column per corpus, cells whole (half / half)."""
    names = list(dict.fromkeys(row["corpus"] for row in rows))
    moves = list(dict.fromkeys((row["setting"], row["factor"]) for row in rows))
    cell = {(row["corpus"], row["setting"], row["factor"]): row for row in rows}
    lines = ["| setting x factor | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for setting, factor in moves:
        texts = []
        for name in names:
            row = cell.get((name, setting, factor))
            numbers = row and (row["ari"] if setting == "defaults" else row["change"])
            texts.append("·" if not row else f"{numbers[0]:+.4f} ({numbers[1]:+.3f} / {numbers[2]:+.3f})"
                         if setting != "defaults" else f"{numbers[0]:.4f} ({numbers[1]:.3f} / {numbers[2]:.3f})")
        lines.append(f"| {setting} x{factor} | " + " | ".join(texts) + " |")
    return "\n".join(lines)


def main() -> None:
    """Parse arguments, sweep every corpus, print the table (or JSON rows) and the leave-one-out choices."""
    parser = corpus_parser(__doc__.splitlines()[0])
    parser.add_argument("--factor", type=float, action="append", default=None)
    parser.add_argument("--setting", action="append", default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    config = Config()
    rows: list[dict] = []
    for name, inputs, gold in chosen_corpora(args):
        run = capture(list(read_articles(inputs)), gold, config)
        for row in corpus_rows(name, run, config, args.setting or list(SETTINGS), args.factor or list(FACTORS)):
            rows.append(row)
            if args.json:
                print(json.dumps(row), flush=True)
    if not args.json:
        print(markdown(rows))
    for pick in loco(rows):
        print(json.dumps(pick))


if __name__ == "__main__":
    main()
