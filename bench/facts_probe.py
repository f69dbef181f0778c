"""How often the extracted casualty counts and ages match the Gun Violence Archive records.

Usage: ``python bench/facts_probe.py [../shared/data/gva_incidents_dev]``. Each article is
matched to its incident through the ``cluster`` field. Per article the predicted count
of ``killed`` (``injured``) is the largest such count it states; ``injured`` falls back
to people ``shot`` minus the killed when no injured count is written. Ages are compared
as sets of values. Prints precision and recall.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from dedupe.extract.numbers import find_numbers
from dedupe.types import Mention

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "gva_incidents_dev"


def _largest(mentions: list[Mention], about: str) -> int | None:
    """The largest count of ``about`` among the mentions, or None."""
    values = [int(float(m.value)) for m in mentions if m.about == about]
    return max(values) if values else None


def _predict(mentions: list[Mention]) -> tuple[int | None, int | None, set[str]]:
    """Killed, injured and the set of ages one article states."""
    killed = _largest(mentions, "killed")
    injured = _largest(mentions, "injured")
    shot = _largest(mentions, "shot")
    if injured is None and shot is not None and shot > (killed or 0):
        injured = shot - (killed or 0)
    return killed, injured, {m.value for m in mentions if m.about == "age"}


class Tally:
    """Counts for one field: predictions made, right, and gold facts to find."""

    def __init__(self) -> None:
        self.predicted = self.correct = self.gold = self.found = 0

    def count(self, predicted: int | None, gold: int) -> None:
        """Score one article's count: a prediction is right when it equals the gold count."""
        self.predicted += predicted is not None
        self.correct += predicted is not None and predicted == gold
        self.gold += gold > 0
        self.found += gold > 0 and predicted == gold

    def line(self, name: str) -> str:
        """``name: precision P (right/predicted), recall R (found/gold)``."""
        precision = self.correct / max(self.predicted, 1)
        recall = self.found / max(self.gold, 1)
        return (
            f"{name:8} precision {precision:.3f} ({self.correct}/{self.predicted})  "
            f"recall {recall:.3f} ({self.found}/{self.gold} articles with a non-zero count)"
        )


def main(folder: Path) -> None:
    """Run the probe over ``folder`` and print the figures."""
    incidents = {}
    for line in (folder / "incidents.jsonl").open():
        record = json.loads(line)
        incidents[record["cluster"]] = record
    killed, injured = Tally(), Tally()
    ages = {"predicted": 0, "correct": 0, "gold": 0, "found": 0}
    started, articles = time.process_time(), 0
    for line in (folder / "data.jsonl").open():
        article = json.loads(line)
        incident = incidents.get(article["cluster"])
        if incident is None:
            continue
        articles += 1
        got_killed, got_injured, got_ages = _predict(find_numbers(article["text"]))
        killed.count(got_killed, incident["num_killed"])
        injured.count(got_injured, incident["num_injured"])
        gold_ages = {p["age"] for p in incident["participants"] if p.get("age")}
        ages["predicted"] += len(got_ages)
        ages["correct"] += len(got_ages & gold_ages)
        ages["gold"] += len(gold_ages)
        ages["found"] += len(got_ages & gold_ages)
    seconds = time.process_time() - started
    print(f"{articles} articles matched to incidents, {articles / seconds:.0f} articles/s")
    print(killed.line("killed"))
    print(injured.line("injured"))
    print(
        f"{'ages':8} precision {ages['correct'] / max(ages['predicted'], 1):.3f} "
        f"({ages['correct']}/{ages['predicted']})  recall {ages['found'] / max(ages['gold'], 1):.3f} "
        f"({ages['found']}/{ages['gold']} participant ages)"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
