"""Fact extraction against the Gun Violence Archive: killed/injured counts and ages, precision and recall.

The articles of ``gva_incidents_dev`` go through the pipeline's own first stage,
``dedupe.match.prepare_fields`` over the whole corpus (page furniture stripped, fields
extracted), so the benchmark measures what the tool extracts. Each article with a GVA
record (``incidents.jsonl``, joined on ``cluster``) is then compared with it:

* **counts**: the article's casualty summary (``dedupe.extract.casualties``: at most
  one ``killed`` and one ``injured`` count per article, the hedge ignored). A count
  *matches* when it equals the record's ``num_killed`` / ``num_injured``.
  Precision = matching counts / counts stated. Recall = (article, kind) pairs whose
  record count is above 0 and that the article's summary gives / all such pairs (an
  article that states no count is a miss).
* **counts, victims too** (variant): as *counts*, with a second accepted value: the
  number of the record's *victims* killed (injured), suspects left out, whom reports
  often do not count ("shot his wife, then himself": one killed, the record says two).
* **counts, every mention** (variant, the mention level): every distinct value the
  article's number mentions give for ``killed`` or ``injured`` is a count stated;
  matching and recall as for *counts*. It shows how noisy the raw mentions are.
* **ages**: a distinct value an article's mentions state with ``about == "age"``. It
  matches when some participant of the incident has that age. Precision = matching
  ages / ages stated; recall = (article, participant age) pairs found / all such pairs.

Usage: ``python bench/facts.py [--data DIR] [--sample N] [--limit N]``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dedupe import Article
from dedupe.extract.casualties import casualties
from dedupe.match import prepare_fields
from dedupe.types import Fields

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
CORPUS = "gva_incidents_dev"
COUNTS = {"killed": "num_killed", "injured": "num_injured"}
TARGETS = {"counts": (0.85, 0.60)}

#: (about, value, sentence) of one fact an article states.
Stated = tuple[str, str, str]


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


def load(data: Path) -> tuple[list[Article], dict[str, dict]]:
    """Every article of the corpus (page furniture is found across all of them) and the records by cluster."""
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
            articles.append(Article(id=row["id"], text=row.get("text") or "", title=row.get("title"),
                                    source=row.get("source"), published=row.get("published"),
                                    url=row.get("url"), record={"cluster": row["cluster"]}))
    return articles, records


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


def summary(fields: Fields) -> list[Stated]:
    """The article's casualty summary: at most one killed and one injured count."""
    return [(about, m.value, " ".join(m.sentence.split())) for about, m in casualties(fields).items()]


def mentioned(fields: Fields, kinds: Sequence[str]) -> list[Stated]:
    """Each distinct (about, value) of the article's number mentions about one of ``kinds``, first mention each."""
    seen, facts = set(), []
    for mention in fields.of("number"):
        if mention.about in kinds and (mention.about, mention.value) not in seen:
            seen.add((mention.about, mention.value))
            facts.append((mention.about, mention.value, " ".join(mention.sentence.split())))
    return facts


def score(articles: Sequence[Article], fields: dict[str, Fields], records: dict[str, dict]) -> dict[str, Tally]:
    """Count (summary, victims-too, every-mention) and age tallies over the articles with a record."""
    tallies = {"counts": Tally(), "counts, victims too": Tally(), "counts, every mention": Tally(), "ages": Tally()}
    for article in articles:
        record = records.get(article.record["cluster"])
        if record is None:
            continue
        stated = summary(fields[article.id])
        _score_counts(tallies["counts"], article.id, record, stated, lenient=False)
        _score_counts(tallies["counts, victims too"], article.id, record, stated, lenient=True)
        _score_counts(tallies["counts, every mention"], article.id, record, mentioned(fields[article.id], COUNTS),
                      lenient=False)
        _score_ages(tallies["ages"], article.id, record, mentioned(fields[article.id], ("age",)))
    return tallies


def _score_counts(tally: Tally, article: str, record: dict, facts: list[Stated], lenient: bool) -> None:
    """Add one article's killed and injured counts to a tally."""
    values = {(about, value) for about, value, _ in facts}
    for about, value, sentence in facts:
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


def _score_ages(tally: Tally, article: str, record: dict, facts: list[Stated]) -> None:
    """Add one article's ages to a tally."""
    ages = record_ages(record)
    values = {value for _, value, _ in facts}
    for _, value, sentence in facts:
        tally.stated += 1
        tally.correct += value in ages
        if value not in ages:
            tally.wrong.append((article, "age", value, ",".join(sorted(ages, key=int)) or "-", sentence))
    for age in sorted(ages):
        tally.expected += 1
        if age in values:
            tally.found += 1
        else:
            tally.missed.append((article, "age", age))


def report(tallies: dict[str, Tally], articles: int, seconds: float, sample: int, seed: int = 7) -> str:
    """The figures, against the targets, and a sample of disagreements."""
    lines = [f"{CORPUS}: {articles} articles with a GVA record; fields prepared in {seconds:.1f} s", ""]
    lines.append(f"{'facts':<22}{'stated':>8}{'correct':>9}{'precision':>11}{'expected':>10}{'found':>7}{'recall':>8}")
    for name, tally in tallies.items():
        target = TARGETS.get(name)
        goal = f"   target P>={target[0]:.2f} R>={target[1]:.2f}" if target else ""
        lines.append(f"{name:<22}{tally.stated:>8}{tally.correct:>9}{tally.precision:>11.3f}{tally.expected:>10}"
                     f"{tally.found:>7}{tally.recall:>8.3f}{goal}")
    rng = random.Random(seed)
    for name, tally in tallies.items():
        if not sample:
            break
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
    articles, records = load(args.data)
    started = time.perf_counter()
    cleaned, fields = prepare_fields(articles)
    seconds = time.perf_counter() - started
    scored = [a for a in cleaned if a.record["cluster"] in records][: args.limit]
    print(report(score(scored, fields, records), len(scored), seconds, args.sample))
    return 0


if __name__ == "__main__":
    sys.exit(main())
