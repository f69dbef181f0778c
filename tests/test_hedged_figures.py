"""One figure under several hedges, hedges that reconcile two figures, updates beside a conflict: real sentences.

Each case of ``fixtures/hedged_figures/`` (one file a case: its README says what each shows) is a story of reports
made of sentences from the labelled corpora, extracted and merged as a run merges a cluster. The rule
(``facts.compare_numbers``): a hedge says how exact a figure is, so one figure stated plainly and hedged is one value
of a conflict, not two; two figures disagree only when no value fits both ("at least 50" and 30 do, "at least 50"
and 60 do not).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dedupe.graph import cluster_id
from dedupe.merge import default_extract, merge_cluster
from dedupe.storytypes import Story
from dedupe.types import Article, Cluster

CASES = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "hedged_figures").glob("*.json"))


def load(path: Path) -> dict[str, Any]:
    """One case: ``about``, ``corpus``, ``reports`` (id, published, text), expected ``conflicts`` and ``updates``."""
    return json.loads(path.read_text(encoding="utf-8"))


def merged(reports: list[dict[str, Any]]) -> Story:
    """The story the reports make together, merged as a run merges a cluster."""
    articles = {r["id"]: Article(r["id"], r["text"], published=r["published"]) for r in reports}
    members = tuple(sorted(articles))
    return merge_cluster(Cluster(cluster_id(members), members, members[0]), articles, {}, default_extract)


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_number_conflicts_and_updates_of_real_sentences(path: Path) -> None:
    case = load(path)
    story = merged(case["reports"])
    assert {c.field: c.explanation for c in story.conflicts if c.field.startswith("number:")} == case["conflicts"]
    assert {u.field: u.explanation for u in story.updates} == case["updates"]


def test_the_folder_holds_every_kind_of_case() -> None:
    """Cases from three corpora, with and without conflicts and updates."""
    cases = [load(path) for path in CASES]
    assert len(cases) >= 8 and len({c["corpus"] for c in cases}) == 3
    assert any(c["conflicts"] for c in cases) and any(not c["conflicts"] for c in cases)
    assert any(c["updates"] for c in cases)


def test_one_value_keeps_every_source_with_its_own_words() -> None:
    """The plain and the hedged form of $1 million are one value, each source with the words it wrote; ecb-13_1ecb's
    "$US1 million ($1.52 million)" is the same figure with its conversion, no conflict (user19)."""
    story = merged(load(CASES[[p.stem for p in CASES].index("one_figure_plain_and_hedged")])["reports"])
    [fact] = [f for f in story.facts if f.about == "USD"]
    assert fact.value == "1000000" and not story.conflicts
    assert [(e.article_id, e.qualifier) for e in fact.evidence] == [
        ("ecb-13_13ecb", "an estimated"),
        ("ecb-13_1ecb", ""),
        ("ecb-13_7ecb", "an estimated"),
    ]
