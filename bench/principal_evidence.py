"""Who and when as conflict evidence: each corpus's clusters re-made with a principal-person or a year conflict.

Usage: python bench/principal_evidence.py [--data DIR] [--corpus NAME ...] [--generated DIR] [--variant NAME ...]
       [--weight W ...] [--specific W ...]

Each corpus is run once with default settings less the ``principal`` comparison (what main scored before it),
then every scored pair's log-odds are re-made with ``-weight`` added where a variant finds a conflict, plus
term specificity on one day at each ``--specific`` weight (``bench/pair_evidence.py``), and the clusters made
again as ``pipeline.cluster`` makes them (both passes). Weight 0 and specificity 0 reproduce that run's ARI.

Variants (a conflict needs a value on both sides; anything else is no evidence):

- ``years``: the years of the dates each text writes with a year ("May 23, 2005", "late 2007") are disjoint;
- ``years_undated``: the same, only for pairs with a side of unknown publication day;
- ``lead``: the people each text names most (at least twice, surnames) differ;
- ``lead_dominant``: the same, each named at least three times and twice as often as anyone else;
- ``headline_lead``: each side's lead (:func:`dedupe.people.lead_people`) is in its own headline, they differ,
  and neither is a word of the other's headline (needs only what profiles already held);
- ``principal``: :func:`dedupe.people.principal_agree` gives 0 (the comparison built into the defaults).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pair_evidence import (
    DEFAULT_DATA,
    Captured,
    _logistic,
    capture,
    cluster_ari,
    generated,
    log_odds,
    overlaps,
)
from quality import corpora

from dedupe import Config, read_articles
from dedupe.normalize import tokens
from dedupe.people import principal_agree, surname
from dedupe.types import Fields

_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
#: Whether one pair conflicts: (run, a, b, gap in days or -1) -> True / False / None (no evidence).
Conflict = Callable[[Captured, str, str, int], "bool | None"]


def written_years(fields: Fields) -> frozenset[str]:
    """The years of the dates a text writes with a year (not those resolved from the publication day).

    Example: "in late 2007" and "on August 16, 2011" give ``{"2007", "2011"}``; "on Tuesday" gives none.
    """
    years = set()
    for mention in fields.of("date"):
        if mention.value[:1].isdigit() and _YEAR.search(mention.text):
            years.update(part[:4] for part in mention.value.split("/") if part[:4].isdigit())
    return frozenset(years)


def most_named(fields: Fields, least: int, dominant: bool) -> str | None:
    """The surname a text names most, at least ``least`` times (``dominant``: and twice as often as the next)."""
    ranked = Counter(surname(m.value) for m in fields.of("person") if surname(m.value)).most_common()
    ranked.sort(key=lambda item: (-item[1], item[0]))
    if not ranked or ranked[0][1] < least:
        return None
    if dominant and len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]:
        return None
    return ranked[0][0]


def _years(run: Captured, a: str, b: str, gap: int) -> bool | None:
    left, right = written_years(run.fields[a]), written_years(run.fields[b])
    return left.isdisjoint(right) if left and right else None


def _lead(least: int, dominant: bool) -> Conflict:
    def conflict(run: Captured, a: str, b: str, gap: int) -> bool | None:
        left, right = most_named(run.fields[a], least, dominant), most_named(run.fields[b], least, dominant)
        return left != right if left and right else None
    return conflict


def _headline_lead(run: Captured, a: str, b: str, gap: int) -> bool | None:
    sides = []
    for pid in (a, b):
        words, people = set(tokens(run.profiles[pid].headline)), run.profiles[pid].people
        sides.append((people[0], words) if people and people[0] in words else None)
    if None in sides:
        return None
    (left, left_words), (right, right_words) = sides
    return left != right and left not in right_words and right not in left_words


def _principal(run: Captured, a: str, b: str, gap: int) -> bool | None:
    agree = principal_agree(run.profiles[a].principal, run.profiles[b].principal)
    return None if agree is None else agree == 0.0


VARIANTS: dict[str, Conflict] = {
    "years": _years, "years_undated": lambda run, a, b, gap: _years(run, a, b, gap) if gap < 0 else None,
    "lead": _lead(2, False), "lead_dominant": _lead(3, True), "headline_lead": _headline_lead,
    "principal": _principal,
}


def conflicts(run: Captured, gaps: np.ndarray, variant: str) -> np.ndarray:
    """1.0 where the variant finds a conflict in a scored pair, else 0."""
    found = VARIANTS[variant]
    return np.array([1.0 if found(run, a, b, int(gap)) else 0.0
                     for (a, b), gap in zip(run.similarity.table.pairs(), gaps.tolist())])


def rescored(run: Captured, parts: tuple[np.ndarray, ...], overlap: np.ndarray, conflict: np.ndarray,
             weight: float, specific: float) -> np.ndarray:
    """The similarity values with ``-weight`` log-odds where ``conflict`` and specificity on one day added."""
    z, z_perfect, gaps = parts
    day = (gaps <= 0) & ~np.isnan(overlap)
    moved = z - weight * conflict + np.where(day, specific * np.nan_to_num(overlap), 0.0)
    perfect = z_perfect + np.where(day, specific, 0.0)
    counted = ~np.isnan(z) & ((weight * conflict != 0) | (day & (specific != 0)))
    scores = np.minimum(1.0, _logistic(np.where(counted, moved, 0.0)) / _logistic(np.where(counted, perfect, 0.0)))
    return np.where(counted, np.round(scores, 6), run.similarity.values)


def measure(name: str, inputs: list[str], gold: dict[str, str], config: Config,
            args: argparse.Namespace) -> list[dict[str, object]]:
    """One row per variant and specificity weight: the ARI at each conflict weight."""
    run = capture(list(read_articles(inputs)), gold, config)
    parts, overlap = log_odds(run, config), overlaps(run)
    rows = []
    for variant in args.variant:
        conflict = conflicts(run, parts[2], variant)
        for specific in args.specific:
            aris = {f"w{w}": round(cluster_ari(run, rescored(run, parts, overlap, conflict, w, specific), config), 4)
                    for w in args.weight}
            rows.append({"corpus": name, "variant": variant, "specific": specific,
                         "conflicts": int(conflict.sum()), **aris})
    return rows


def main() -> None:
    """Parse arguments, measure every corpus, print one JSON row per corpus, variant and specificity weight."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--corpus", action="append", default=[])
    parser.add_argument("--generated", type=Path, action="append", default=[], help="a folder with gold.jsonl")
    parser.add_argument("--variant", action="append", choices=sorted(VARIANTS), default=None)
    parser.add_argument("--weight", type=float, action="append", default=None)
    parser.add_argument("--specific", type=float, action="append", default=None)
    args = parser.parse_args()
    args.variant = args.variant or list(VARIANTS)
    args.weight = args.weight or [0.0, 1.0, 2.0, 4.0]
    args.specific = args.specific or [0.0]
    defaults = Config(specific_weight=0.0)  # the specificity is added here (--specific), as pair_evidence does
    config = dataclasses.replace(defaults, comparisons=tuple(c for c in defaults.comparisons if c.field != "principal"))
    for name, inputs, gold in [*corpora(args.data, args.corpus), *map(generated, args.generated)]:
        for row in measure(name, inputs, gold, config, args):
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
