"""Sub-events of one running story as conflict evidence: a finer place, the headline's action words, the lede's toll.

Usage: python bench/event_conflicts.py [--data DIR] [--corpus NAME ...] [--generated DIR] [--variant NAME ...]
       [--weight W ...]

Each corpus is run once with default settings (``bench/pair_evidence.capture``); every scored pair's log-odds
are rebuilt from its parts with the term specificity the defaults add (:func:`default_log_odds`, which reproduces
the run's scores), ``-weight`` is added where a variant finds a conflict, and the clusters are made again as
``pipeline.cluster`` makes them. Each row gives the ARI of the whole corpus and of its two halves (even / odd
gold stories, ``bench/sweep.halves``) per weight, and how often the variant fires on the pairs scoring at least
``link_threshold``: gold pairs against other pairs (a conflict worth having fires on the second, not the first).

Variants (a conflict needs a value on both sides; anything else is no evidence):

- ``place_head``: the places below country level (not a country, a region or an alias of one) named in each
  headline are disjoint ("Odessa" / "Slavyansk", "Homs" / "Aleppo");
- ``place_lede``: the same over headline and lede;
- ``action``: the headline words written in lower case that are neither stop words nor part of a name (the
  headline's action and its object, "storm police headquarters" / "clashes regain control", one ending cut)
  are disjoint;
- ``toll``: the death tolls the lede gives are disjoint.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pair_evidence import (
    Captured,
    _logistic,
    capture,
    chosen_corpora,
    cluster_ari,
    corpus_parser,
    log_odds,
    overlaps,
    size_factor,
)
from sweep import halves

from dedupe import Config, read_articles
from dedupe.extract import _gazetteer, _geo, _lexicon
from dedupe.types import Fields

_WORD = re.compile(r"[A-Za-z][a-z]+")
_STOP = _lexicon.words("""the a an of in on at to for and or but with from by as is are was were be been has have had
    will would after over into its his her their this that new says said say than more about up out off amid""")
_ENDINGS = ("ing", "ed", "es", "s")
#: Whether one pair's fields conflict: True / False / None (no evidence).
Conflict = Callable[[Fields, Fields], "bool | None"]


def coarse_places() -> frozenset[str]:
    """Countries, regions and their aliases, lower case: places too wide to tell two events apart."""
    names = {*_gazetteer.countries(), *_gazetteer.regions(), *_geo.PLACE_ALIASES.values(), *_geo.PLACE_ALIASES}
    return frozenset(name.lower() for name in names)


def fine_places(fields: Fields, coarse: frozenset[str], lede: bool) -> frozenset[str]:
    """The places below country level the headline (with ``lede``: and the lede) names, lower case."""
    text = f"{fields.headline}\n{fields.lede}" if lede else fields.headline
    return frozenset(m.value.lower() for m in fields.of("place") if m.value.lower() not in coarse and m.value in text)


def action_words(fields: Fields) -> frozenset[str]:
    """The headline's lower-case words that are not stop words nor part of a name, one ending cut.

    Example: "Pro-Russia militants storm Odessa police headquarters" gives ``{"militant", "storm", "police",
    "headquarter"}``.
    """
    kinds = ("person", "place", "organisation")
    named = {w.lower() for m in fields.mentions if m.kind in kinds for w in m.value.split()}
    return frozenset(_cut(w.lower()) for w in _WORD.findall(fields.headline)
                     if w[0].islower() and w.lower() not in _STOP and w.lower() not in named)


def _cut(word: str) -> str:
    """``word`` less its first ending of :data:`_ENDINGS` when four letters stay."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def lede_tolls(fields: Fields) -> frozenset[str]:
    """The death tolls (``killed`` counts) the lede gives."""
    return frozenset(m.value for m in fields.of("number") if m.about == "killed" and m.start < len(fields.lede))


def disjoint(values: Callable[[Fields], frozenset[str]]) -> Conflict:
    """A conflict when both sides give values and share none (each article's values read once)."""
    read: dict[str, frozenset[str]] = {}

    def conflict(a: Fields, b: Fields) -> bool | None:
        for fields in (a, b):
            if fields.article_id not in read:
                read[fields.article_id] = values(fields)
        left, right = read[a.article_id], read[b.article_id]
        return left.isdisjoint(right) if left and right else None
    return conflict


def variants() -> dict[str, Conflict]:
    """Every variant by name (see the module doc)."""
    coarse = coarse_places()
    return {"place_head": disjoint(lambda f: fine_places(f, coarse, False)),
            "place_lede": disjoint(lambda f: fine_places(f, coarse, True)),
            "action": disjoint(action_words), "toll": disjoint(lede_tolls)}


def default_log_odds(run: Captured, config: Config) -> tuple[np.ndarray, np.ndarray]:
    """``z`` and ``z_perfect`` of every scored pair with the defaults' term specificity (one day or a day
    unknown) added, so that ``sigmoid(z) / sigmoid(z_perfect)`` is the run's score; NaN ``z``: a headline link."""
    z, z_perfect, gaps = log_odds(run, config)
    factor = config.specific_weight * size_factor(len(run.profiles), config.specific_prior)
    overlap = overlaps(run)
    day = ~np.isnan(z) & ~np.isnan(overlap) & (gaps <= 0)
    return np.where(day, z + factor * np.nan_to_num(overlap), z), np.where(day, z_perfect + factor, z_perfect)


def with_conflict(run: Captured, parts: tuple[np.ndarray, np.ndarray], fired: np.ndarray, weight: float) -> np.ndarray:
    """The similarity values with ``-weight`` log-odds where ``fired`` (rows the field model scored)."""
    z, z_perfect = parts
    if weight == 0:
        return run.similarity.values
    hit = fired & ~np.isnan(z)
    scores = np.minimum(1.0, _logistic(np.where(hit, z - weight, 0.0)) / _logistic(np.where(hit, z_perfect, 0.0)))
    return np.where(hit, np.round(scores, 6), run.similarity.values)


def measure(name: str, run: Captured, config: Config, variant: str, weights: list[float]) -> dict[str, object]:
    """One corpus's row for one variant: fires on gold / other pairs at or above the link threshold, ARIs."""
    found = variants()[variant]  # fresh, so each run's articles are read anew
    pairs = run.similarity.table.pairs()
    fired = np.array([a in run.fields and b in run.fields and bool(found(run.fields[a], run.fields[b]))
                      for a, b in pairs], dtype=bool)
    gold = np.array([run.gold.get(a) is not None and run.gold.get(a) == run.gold.get(b) for a, b in pairs])
    parts = default_log_odds(run, config)
    high = (run.similarity.values >= config.link_threshold) & ~np.isnan(parts[0])
    row: dict[str, object] = {"corpus": name, "variant": variant,
                              "fires_gold": f"{int((high & fired & gold).sum())}/{int((high & gold).sum())}",
                              "fires_other": f"{int((high & fired & ~gold).sum())}/{int((high & ~gold).sum())}"}
    kept = halves(run)
    for weight in weights:
        values = with_conflict(run, parts, fired, weight)
        row[f"w{weight}"] = [round(cluster_ari(run, values, config, part), 4) for part in (None, *kept)]
    return row


def main() -> None:
    """Parse arguments, measure every corpus, print one JSON row per corpus and variant."""
    parser = corpus_parser(__doc__.splitlines()[0])
    parser.add_argument("--variant", action="append", choices=sorted(variants()), default=None)
    parser.add_argument("--weight", type=float, action="append", default=None)
    args = parser.parse_args()
    config = Config()
    for name, inputs, gold in chosen_corpora(args):
        run = capture(list(read_articles(inputs)), gold, config)
        for variant in args.variant or list(variants()):
            print(json.dumps(measure(name, run, config, variant, args.weight or [0.0, 0.5, 1.0, 2.0])), flush=True)


if __name__ == "__main__":
    main()
