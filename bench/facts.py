"""Fact extraction against the Gun Violence Archive: killed/injured counts and ages, precision and recall.

For every article of ``gva_incidents_dev`` the extracted facts are compared with the
GVA record of its incident (``incidents.jsonl``, joined on ``cluster``):

* a **count** is a distinct value an article states for ``killed`` or ``injured``
  (``Mention.about``; the hedge is ignored). It *matches* when it equals the record's
  ``num_killed`` / ``num_injured``. Precision = matching counts / counts stated.
  Recall = (article, kind) pairs whose record count is above 0 and that the article
  states / all such pairs (an article that never gives the count is a miss).
* **counts, victims too** is the same with a second accepted value: the count of the
  record's *victims* killed (injured), leaving out suspects, whom reports often do not
  count ("shot his wife, then himself": one killed, the record says two).
* an **age** is a distinct value an article states with ``about == "age"``. It matches
  when some participant of the incident has that age. Precision = matching ages /
  ages stated; recall = (article, participant age) pairs found / all such pairs.

Usage: ``python bench/facts.py [--data DIR] [--sample N] [--limit N]``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dedupe import Article
from dedupe.extract import extract

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
CORPUS = "gva_incidents_dev"
COUNTS = {"killed": "num_killed", "injured": "num_injured"}
TARGETS = {"counts": (0.85, 0.60), "counts, victims too": (0.85, 0.60)}


@dataclass
class Tally:
    """Matches and totals for one kind of fact, with the disagreements seen."""

    stated: int = 0
    correct: int = 0
    expected: int = 0
    found: int = 0
    wrong: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    missed: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Matching facts / facts stated."""
        return self.correct / self.stated if self.stated else 0.0

    @property
    def recall(self) -> float:
        """Record facts found / record facts expected."""
        return self.found / self.expected if self.expected else 0.0


def load(data: Path, limit: int | None = None) -> tuple[list[Article], dict[str, dict]]:
    """The corpus's articles (those with an incident record) and the records by cluster."""
    folder = data / CORPUS
    records = {}
    with open(folder / "incidents.jsonl", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            records[record["cluster"]] = record
    articles = []
    with open(folder / "data.jsonl", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["cluster"] in records:
                articles.append(Article(id=row["id"], text=row.get("text") or "", title=row.get("title"),
                                        source=row.get("source"), published=row.get("published"),
                                        url=row.get("url"), record={"cluster": row["cluster"]}))
    return articles[:limit] if limit else articles, records


def record_ages(record: dict) -> set[str]:
    """The participants' ages in a GVA record, as canonical decimal strings."""
    ages = set()
    for participant in record.get("participants") or []:
        age = str(participant.get("age") or "").strip()
        if age.isdigit():
            ages.add(str(int(age)))
    return ages


def victims(record: dict, status: str) -> int:
    """How many of the record's victims (not suspects) have ``status`` (``Killed``, ``Injured``)."""
    return sum(1 for p in record.get("participants") or []
               if p.get("type") == "Victim" and status in str(p.get("status") or "").split(", "))


def accepted(record: dict, about: str, lenient: bool) -> set[str]:
    """The record's count for ``about`` (and, when lenient, its victims-only count) as strings."""
    values = {str(int(record.get(COUNTS[about]) or 0))}
    if lenient:
        values.add(str(victims(record, about.capitalize())))
    return values


def stated(article: Article) -> Iterator[tuple[str, str, str]]:
    """(about, value, sentence) of each killed/injured count and age the article states, first mention each."""
    seen = set()
    for mention in extract(article).mentions:
        if mention.kind != "number" or mention.about not in (*COUNTS, "age"):
            continue
        key = (mention.about, mention.value)
        if key not in seen:
            seen.add(key)
            yield mention.about, mention.value, " ".join(mention.sentence.split())


def score(articles: Sequence[Article], records: dict[str, dict]) -> dict[str, Tally]:
    """Count (strict and victims-too) and age tallies over the articles."""
    tallies = {"counts": Tally(), "counts, victims too": Tally(), "ages": Tally()}
    for article in articles:
        record = records[article.record["cluster"]]
        facts = list(stated(article))
        values = {(about, value) for about, value, _ in facts}
        for name, lenient in (("counts", False), ("counts, victims too", True)):
            _score_counts(tallies[name], article.id, record, facts, values, lenient)
        _score_ages(tallies["ages"], article.id, record, facts, values)
    return tallies


def _score_counts(tally: Tally, article: str, record: dict, facts: list[tuple[str, str, str]],
                  values: set[tuple[str, str]], lenient: bool) -> None:
    """Add one article's killed and injured counts to a tally."""
    for about, value, sentence in facts:
        if about in COUNTS:
            truth = accepted(record, about, lenient)
            tally.stated += 1
            tally.correct += value in truth
            if value not in truth:
                tally.wrong.append((article, about, value, "/".join(sorted(truth)), sentence))
    for about in COUNTS:
        truth = accepted(record, about, lenient) - {"0"}
        if truth:
            tally.expected += 1
            if any((about, v) in values for v in truth):
                tally.found += 1
            else:
                tally.missed.append((article, about, "/".join(sorted(truth))))


def _score_ages(tally: Tally, article: str, record: dict, facts: list[tuple[str, str, str]],
                values: set[tuple[str, str]]) -> None:
    """Add one article's ages to a tally."""
    ages = record_ages(record)
    for about, value, sentence in facts:
        if about == "age":
            tally.stated += 1
            tally.correct += value in ages
            if value not in ages:
                tally.wrong.append((article, about, value, ",".join(sorted(ages, key=int)) or "-", sentence))
    for age in sorted(ages):
        tally.expected += 1
        if ("age", age) in values:
            tally.found += 1
        else:
            tally.missed.append((article, "age", age))


def report(tallies: dict[str, Tally], articles: int, sample: int, seed: int = 7) -> str:
    """The figures, against the targets, and a sample of disagreements."""
    lines = [f"{CORPUS}: {articles} articles with a GVA record", ""]
    lines.append(f"{'facts':<20}{'stated':>8}{'correct':>9}{'precision':>11}{'expected':>10}{'found':>7}{'recall':>8}")
    for name, tally in tallies.items():
        target = TARGETS.get(name)
        goal = f"   target P>={target[0]:.2f} R>={target[1]:.2f}" if target else ""
        lines.append(f"{name:<20}{tally.stated:>8}{tally.correct:>9}{tally.precision:>11.3f}{tally.expected:>10}"
                     f"{tally.found:>7}{tally.recall:>8.3f}{goal}")
    rng = random.Random(seed)
    for name, tally in tallies.items():
        lines += ["", f"{name}: sample of wrong values (article, about, extracted, record, sentence)"]
        for article, about, value, truth, sentence in rng.sample(tally.wrong, min(sample, len(tally.wrong))):
            lines.append(f"  {article}  {about}={value}  record={truth}  | {sentence[:160]}")
        lines += [f"{name}: sample of misses (article, about, record value not stated)"]
        for article, about, truth in rng.sample(tally.missed, min(sample, len(tally.missed))):
            lines.append(f"  {article}  {about}={truth}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder holding gva_incidents_dev/")
    parser.add_argument("--sample", type=int, default=12, help="disagreements to list per kind")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N articles")
    args = parser.parse_args(argv)
    if not (args.data / CORPUS / "incidents.jsonl").is_file():
        print(f"error: {args.data / CORPUS} not found; pass --data DIR", file=sys.stderr)
        return 2
    articles, records = load(args.data, args.limit)
    print(report(score(articles, records), len(articles), args.sample))
    return 0


if __name__ == "__main__":
    sys.exit(main())
