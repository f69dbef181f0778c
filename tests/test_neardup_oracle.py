"""Acceptance oracle: on real corpora, copy clusters agree with brute-force exact Jaccard over all pairs."""

from __future__ import annotations

import itertools
from types import ModuleType

import pytest
from conftest import corpus_file, load_script

from dedupe.signatures import jaccard, shingle_hashes

pytestmark = pytest.mark.corpus

CORPORA = ("ecbplus_dev", "gva_incidents_dev")


@pytest.fixture(scope="module")
def oracle() -> ModuleType:
    """``bench/oracle.py`` as a module."""
    return load_script("bench/oracle.py")


@pytest.fixture(scope="module", params=CORPORA)
def report(request: pytest.FixtureRequest, oracle: ModuleType) -> object:
    """dedupe (copies only) against brute force on one corpus, computed once per module."""
    path = corpus_file(request.param)
    return oracle.compare(request.param, oracle.load(path.parents[1], request.param))


def test_oracle_is_not_vacuous(report: object) -> None:
    assert report.pairs > 0
    assert report.edges > 0


def test_every_pair_above_threshold_shares_a_cluster(report: object) -> None:
    assert report.missed == []
    assert report.recovered == report.pairs


def test_no_near_duplicate_edge_far_below_threshold(report: object) -> None:
    assert report.bad_edges == []


def test_brute_force_matches_naive_all_pairs(oracle: ModuleType) -> None:
    path = corpus_file("gva_incidents_dev")
    articles = oracle.load(path.parents[1], "gva_incidents_dev")[:250]
    sets = {a.id: shingle_hashes(a.content, 5) for a in articles}
    naive = {}
    for a, b in itertools.combinations(sorted(sets), 2):
        score = jaccard(sets[a], sets[b])
        if score >= 0.02:
            naive[(a, b)] = score
    assert len(naive) >= 50
    assert oracle.brute_force_pairs(articles, 5, 0.02) == naive
