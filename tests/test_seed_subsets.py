"""Every subset of the seeds (two articles or more) clusters as its gold: 002 with 003, the other cases apart.

A corpus of a few articles on one topic is where corpus-wide evidence (word rarities, shared neighbours) is
weakest, so each subset is a corpus of its own here, with the default settings and with the shared-neighbour
evidence turned on (top-5 and adaptive neighbourhoods).
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest
from conftest import SEED_IDS, SEEDS

from dedupe import Config, read_articles, run

SAME_CASE = {"002_e6b19a311c7cd973", "003_577a2c13b403c901"}
SUBSETS = [subset for size in range(2, len(SEED_IDS) + 1) for subset in itertools.combinations(SEED_IDS, size)]
SETTINGS = {"default": Config(workers=1), "neighbours": replace(Config(workers=1), neighbour_weight=2.0),
            "adaptive": replace(Config(workers=1), neighbour_weight=2.0, neighbours=0)}


def gold(subset: tuple[str, ...]) -> set[frozenset[str]]:
    """The gold clusters of a subset of the seeds: the one shared case together, every other seed alone."""
    together = frozenset(SAME_CASE & set(subset))
    return {together} - {frozenset()} | {frozenset({seed}) for seed in subset if seed not in SAME_CASE}


@pytest.fixture(scope="module")
def seeds() -> dict:
    return {article.id: article for article in read_articles([SEEDS])}


def test_gold_of_a_subset() -> None:
    assert gold(SEED_IDS[:3]) == {frozenset({SEED_IDS[0]}), frozenset({SEED_IDS[1]}), frozenset({SEED_IDS[2]})}
    assert frozenset(SAME_CASE) in gold(SEED_IDS) and len(gold(SEED_IDS)) == 4


@pytest.mark.parametrize("setting", sorted(SETTINGS))
@pytest.mark.parametrize("subset", SUBSETS, ids=lambda subset: "+".join(seed[:3] for seed in subset))
def test_every_subset_clusters_as_its_gold(seeds: dict, subset: tuple[str, ...], setting: str) -> None:
    result = run([seeds[seed] for seed in subset], SETTINGS[setting], stories=False)
    assert {frozenset(c.members) for c in result.clusters} == gold(subset)
