"""Screen candidate same-story evidence on the pairs the current scores leave in doubt.

Usage: python bench/band_signals.py [--data DIR] [--corpus NAME ...] [--low 0.35] [--high 0.85]

For each labelled corpus (same-story stage, default settings), the *band* is the candidate pairs
whose current score lies from ``--low`` to ``--high``: the pairs a new comparison would have to
sort out. For them it prints

* the pair AUC of two "what happened" word cosines (TF-IDF over the corpus): event words of the
  headline and lede (past tenses and event nouns, as the date extractor reads them, suffixes cut)
  and every content word of the headline and lede that is not part of a name;
* for yes/no signals (the same outlet on different days, a shared five-word run of quoted words,
  the lead person of one side named in the other), how many band pairs have the signal and the
  share of them in one gold story, beside the same for band pairs without it;

and, for every candidate pair with a publication day on one side only, the share of gold pairs by
gap to the latest whole day the undated side's text gives (a stand-in day read from the text).
A signal worth adding separates the band on every corpus in the same direction.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from errors import pair_auc

from dedupe import Config, read_articles
from dedupe.compare import cosine
from dedupe.extract._events import _EVENT_NOUNS, _NOT_VERBS, IRREGULAR
from dedupe.match import candidate_pairs, neighbour_ranks, prepare_fields, score_all
from dedupe.normalize import tokens
from dedupe.pipeline import prepare
from dedupe.profile import STOPWORDS, Profile, build_profiles, tfidf
from dedupe.types import Fields

DEFAULT_DATA = ROOT.parent / "shared" / "data"
CORPORA = ("wikinews_clusters", "ecbplus_dev", "allsides_roundups", "gva_incidents_dev")
_SUFFIXES = ("ings", "ing", "ed", "es", "s")
_GAPS = ((0, "0"), (2, "1-2"), (30, "3-30"), (365, "31-365"), (10**9, ">365"))


def cut(word: str) -> str:
    """``word`` with one inflection cut off, so "killed", "kills" and "killing" meet.

    Example: ``cut("killing")`` is ``"kill"``.
    """
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def name_words(fields: Fields) -> set[str]:
    """The words of every name the article mentions."""
    return {w for m in fields.mentions if m.kind in ("person", "organisation", "place") for w in tokens(m.value)}


def lead_words(fields: Fields) -> list[str]:
    """Content words of headline and lede, lower-cased, names and stop words left out."""
    names = name_words(fields)
    found = tokens(f"{fields.headline}\n{fields.lede}")
    return [w for w in found if len(w) > 2 and not w.isdigit() and w not in STOPWORDS and w not in names]


def event_words(fields: Fields) -> list[str]:
    """The past tenses and event nouns among :func:`lead_words`, as the date extractor reads them."""
    out = []
    for word in lead_words(fields):
        if word in _EVENT_NOUNS:
            out.append(cut(_EVENT_NOUNS[word]))
        elif word in IRREGULAR or (len(word) >= 4 and word.endswith("ed") and word not in _NOT_VERBS):
            out.append(cut(word))
    return out


def quoted_runs(fields: Fields, size: int = 5) -> frozenset[str]:
    """Every run of ``size`` words inside the article's quotes."""
    runs = set()
    for mention in fields.of("quote"):
        words = tokens(mention.value)
        runs.update(" ".join(words[i : i + size]) for i in range(len(words) - size + 1))
    return frozenset(runs)


def lead_person(fields: Fields) -> tuple[str, frozenset[str]] | None:
    """The most-mentioned person (the first on a tie) and every person named; None without people."""
    people = [m.value for m in fields.of("person")]
    if not people:
        return None
    counts = collections.Counter(people)
    return max(people, key=lambda p: (counts[p], -people.index(p))), frozenset(people)


def text_day(fields: Fields) -> dt.date | None:
    """The latest whole day the article's dates give, sentences about the future left out."""
    future = ("will ", "next ", " due ", "scheduled", "expected to")
    days = [end for m in fields.of("date") if not any(w in m.sentence.lower() for w in future)
            for end in m.value.split("/") if len(end) == 10 and end[:4].isdigit()]
    return dt.date.fromisoformat(max(days)) if days else None


def flags(fields: dict[str, Fields], profiles: dict[str, Profile]) -> dict[str, Callable[[str, str], bool | None]]:
    """The yes/no signals, each answering None when a side lacks what it reads."""
    quotes = {i: quoted_runs(f) for i, f in fields.items()}
    leads = {i: lead_person(f) for i, f in fields.items()}

    def outlet(a: str, b: str) -> bool | None:
        pa, pb = profiles[a], profiles[b]
        if not (pa.outlet and pb.outlet and pa.day and pb.day):
            return None
        return pa.outlet == pb.outlet and pa.day != pb.day

    def quote(a: str, b: str) -> bool | None:
        return bool(quotes[a] & quotes[b]) if quotes[a] and quotes[b] else None

    def lead(a: str, b: str) -> bool | None:
        la, lb = leads[a], leads[b]
        return (la[0] in lb[1] or lb[0] in la[1]) if la and lb else None

    return {"same outlet, other day": outlet, "shared quoted words": quote, "lead person named": lead}


def gap_label(days: int) -> str:
    """The bucket of a gap in days."""
    return next(label for top, label in _GAPS if days <= top)


def inferred_gaps(pairs: Iterable[tuple[str, str]], gold: dict[str, str], profiles: dict[str, Profile],
                  fields: dict[str, Fields]) -> collections.Counter:
    """(gap bucket, same story) counts of the pairs dated on one side only, the other side's day read from its text."""
    counts: collections.Counter = collections.Counter()
    for a, b in pairs:
        pa, pb = profiles[a], profiles[b]
        if bool(pa.day) == bool(pb.day):
            continue
        dated, undated = (pa, b) if pa.day else (pb, a)
        guess = text_day(fields[undated])
        if guess is not None and dated.day is not None:
            counts[(gap_label(abs((dated.day - guess).days)), gold[a] == gold[b])] += 1
    return counts


def screen(name: str, data: Path, config: Config, low: float, high: float) -> None:
    """Print the band's signals for one corpus."""
    articles = prepare(read_articles([str(data / name / "data.jsonl")]))
    gold = {a.id: str(a.record.get("cluster")) for a in articles}
    cleaned, fields = prepare_fields(articles)
    profiles = build_profiles(cleaned, fields)
    ranks = neighbour_ranks(profiles, candidate_pairs(profiles, config))
    band = [(s.a, s.b) for s in score_all(profiles, ranks, config) if low <= s.score <= high]
    labels = [gold[a] == gold[b] for a, b in band]
    print(f"{name}: {len(band)} band pairs, {sum(labels)} in one story")
    ids = sorted(fields)
    for title, words in (("event words", event_words), ("headline+lede words", lead_words)):
        vectors = dict(zip(ids, tfidf([words(fields[i]) for i in ids])))
        values = [cosine(vectors[a], vectors[b]) or 0.0 for a, b in band]
        print(f"  {title:<24} AUC {pair_auc(np.array(labels, dtype=bool), np.array(values)):.3f}")
    for title, signal in flags(fields, profiles).items():
        seen = collections.Counter((signal(a, b), y) for (a, b), y in zip(band, labels))
        cells = [f"{answer}: {seen[(answer, True)] + seen[(answer, False)]:>5} pairs, "
                 f"{seen[(answer, True)] / max(seen[(answer, True)] + seen[(answer, False)], 1):.2f} same"
                 for answer in (True, False)]
        print(f"  {title:<24} " + "  |  ".join(cells))
    gaps = inferred_gaps(ranks, gold, profiles, fields)
    row = [f"{label} {gaps[(label, True)]}/{gaps[(label, True)] + gaps[(label, False)]}" for _, label in _GAPS]
    print("  one side undated, gap to its text day (same story / pairs): " + ", ".join(row))


def main() -> None:
    """Parse arguments and screen every corpus asked for."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--corpus", action="append", default=[])
    parser.add_argument("--low", type=float, default=0.35)
    parser.add_argument("--high", type=float, default=0.85)
    args = parser.parse_args()
    for name in args.corpus or CORPORA:
        if (args.data / name / "data.jsonl").exists():
            screen(name, args.data, Config(), args.low, args.high)


if __name__ == "__main__":
    main()
