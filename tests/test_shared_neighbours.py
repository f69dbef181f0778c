"""Shared-neighbour evidence before clustering (neighbours.with_shared_neighbours), against brute-force oracles."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import Config
from dedupe.cli import main
from dedupe.errors import ConfigError
from dedupe.linkage import average_linkage
from dedupe.neighbours import (
    beyond_chance,
    closer_partners,
    common_candidates,
    neighbourhoods,
    third_parties,
    with_shared_neighbours,
)
from dedupe.pairtable import PairValues, table_of


def values_of(scores: dict[tuple[str, str], float]) -> PairValues:
    table = table_of(scores)
    return PairValues(table, np.array([scores[pair] for pair in table.pairs()], dtype=np.float64))


def oracle_hoods(scores: dict[tuple[str, str], float], size: int, floor: float) -> dict[str, set[str]]:
    """Each article with its ``size`` strongest partners at ``floor`` or more (ties by id), by brute force."""
    ids = sorted({i for pair in scores for i in pair})
    hoods = {}
    for me in ids:
        partners = [(-s, b if a == me else a) for (a, b), s in scores.items() if me in (a, b) and s >= floor]
        hoods[me] = {me} | {other for _, other in sorted(partners)[:size]}
    return hoods


def test_neighbourhoods_example_from_the_docstring():
    similarity = values_of({("a", "b"): 0.9, ("a", "c"): 0.5, ("b", "c"): 0.2})
    hoods = neighbourhoods(similarity.table, similarity.values, 1, 0.4)
    assert hoods.tolist() == [[0, 1], [1, 0], [2, 0]]


def test_a_bridge_between_two_cliques_loses():
    clique = {pair: 0.8 for pair in itertools.combinations("abc", 2)}
    other = {pair: 0.8 for pair in itertools.combinations("xyz", 2)}
    similarity = values_of({**clique, **other, ("c", "x"): 0.6})
    hoods = neighbourhoods(similarity.table, similarity.values, 5, 0.4)
    common, mine, yours = (dict(zip(similarity.table.pairs(), column.tolist()))
                           for column in third_parties(similarity.table, hoods))
    assert (common[("a", "b")], mine[("a", "b")], yours[("a", "b")]) == (1, 1, 1)  # c; a has c, b has c
    assert (common[("c", "x")], mine[("c", "x")], yours[("c", "x")]) == (0, 2, 2)  # {a, b} and {y, z}
    moved = with_shared_neighbours(similarity, 5, 0.4, 2.0, 0.3)
    # a and b have no candidate but c besides each other, so sharing c is what chance gives: no move;
    # c's and x's other partners share nothing though each had candidates to share: the bridge loses
    assert moved[("a", "b")] == 0.8 and round(moved[("c", "x")], 3) == round(1 / (1 + np.exp(0.6 - np.log(1.5))), 3)


def test_when_every_candidate_is_everyones_partner_nothing_moves():
    """A small corpus of one topic: all pairs compared and all strong, so every overlap is what chance gives."""
    scores = {pair: 0.5 + 0.1 * n for n, pair in enumerate(itertools.combinations("abcd", 2))}
    similarity = values_of({pair: min(score, 0.95) for pair, score in scores.items()})
    hoods = neighbourhoods(similarity.table, similarity.values, 5, 0.4)
    assert np.allclose(beyond_chance(similarity.table, hoods, 0.3), 0.0)
    assert np.array_equal(with_shared_neighbours(similarity, 5, 0.4, 3.0, 0.3).values, similarity.values)


def test_two_look_alike_stories_stay_apart_only_with_the_neighbour_evidence():
    first = {pair: 0.9 for pair in itertools.combinations(["a1", "a2", "a3"], 2)}
    second = {pair: 0.9 for pair in itertools.combinations(["b1", "b2", "b3"], 2)}
    cross = {(a, b): 0.62 for a in ["a1", "a2", "a3"] for b in ["b1", "b2", "b3"]}
    similarity = values_of({**first, **second, **cross})
    units = [frozenset({i}) for i in similarity.table.ids]
    assert len(average_linkage(units, similarity, 0.6, 0.3)) == 1
    moved = with_shared_neighbours(similarity, 2, 0.4, 2.0, 0.3)
    parts = average_linkage(units, moved, 0.6, 0.3)
    assert sorted(sorted(p) for p in parts) == [["a1", "a2", "a3"], ["b1", "b2", "b3"]]


def test_closer_partners_example_from_the_docstring():
    similarity = values_of({("a", "b"): 0.6, ("a", "x"): 0.9, ("b", "x"): 0.8, ("b", "y"): 0.7})
    columns = closer_partners(similarity.table, similarity.values, 0.4)
    counts = dict(zip(similarity.table.pairs(), zip(*(column.tolist() for column in columns))))
    assert counts[("a", "b")] == (1, 1, 2)  # a prefers x; b prefers x and y
    assert counts[("b", "y")] == (0, 1, 0)  # b prefers x to y; y has no other partner


def test_a_large_story_loses_less_with_adaptive_neighbourhoods():
    """Twelve reports of one story scoring 0.55-0.95 among themselves at random: top-k neighbourhoods are k of ten
    story-mates, so two reports share few and the story's pairs lose; the partners each prefers to the other
    grow with the story, so its pairs lose less (with scores this structureless the overlap is still only
    what chance gives, so they do lose some: neutral asks for more than chance)."""
    story = [f"s{n:02d}" for n in range(12)]
    rng = np.random.default_rng(7)
    scores = {pair: float(np.round(rng.uniform(0.55, 0.95), 3)) for pair in itertools.combinations(story, 2)}
    scores.update({(f"o{n:02d}", member): 0.2 for n in range(30) for member in story[:2]})
    similarity = values_of(scores)
    inside = np.array([a.startswith("s") and b.startswith("s") for a, b in similarity.table.pairs()])
    mean = {size: with_shared_neighbours(similarity, size, 0.4, 2.0, 0.3).values[inside].mean() for size in (0, 3, 5)}
    assert mean[3] < mean[5] < mean[0] < similarity.values[inside].mean()


@pytest.mark.parametrize("size", [2, 0])
def test_two_look_alike_stories_stay_apart_with_either_neighbourhood(size):
    first = {pair: 0.9 for pair in itertools.combinations(["a1", "a2", "a3"], 2)}
    second = {pair: 0.9 for pair in itertools.combinations(["b1", "b2", "b3"], 2)}
    cross = {(a, b): 0.62 for a in ["a1", "a2", "a3"] for b in ["b1", "b2", "b3"]}
    similarity = values_of({**first, **second, **cross})
    units = [frozenset({i}) for i in similarity.table.ids]
    parts = average_linkage(units, with_shared_neighbours(similarity, size, 0.4, 2.0, 0.3), 0.6, 0.3)
    assert sorted(sorted(p) for p in parts) == [["a1", "a2", "a3"], ["b1", "b2", "b3"]]


def test_weight_zero_changes_nothing_and_zero_and_one_stay():
    similarity = values_of({("a", "b"): 0.0, ("b", "c"): 1.0, ("a", "c"): 0.5})
    assert with_shared_neighbours(similarity, 5, 0.4, 0.0, 0.3) is similarity
    moved = with_shared_neighbours(similarity, 5, 0.4, 2.0, 0.3)
    assert moved[("a", "b")] == 0.0 and moved[("b", "c")] == 1.0


def test_off_by_default_and_validated():
    config = Config()
    assert (config.neighbours, config.neighbour_floor, config.neighbour_weight, config.neighbour_neutral) == (
        5, 0.4, 0.0, 0.3)
    with pytest.raises(ConfigError) as error:
        Config.from_dict({"neighbours": -1, "neighbour_floor": 1.5, "neighbour_weight": -1})
    message = str(error.value)
    assert "'neighbours' must be from 0 to 100" in message and "'neighbour_floor' must be from 0 to 1" in message
    assert "'neighbour_weight' must be from 0 to 100" in message


PAIRS = st.dictionaries(st.tuples(st.sampled_from("abcdefg"), st.sampled_from("abcdefg")).filter(lambda p: p[0] < p[1]),
                        st.sampled_from([0.1, 0.3, 0.45, 0.5, 0.7, 0.9]), min_size=1)


def oracle_shift(scores: dict[tuple[str, str], float], size: int, floor: float, neutral: float) -> list[float]:
    """:func:`beyond_chance` by brute force: other partners (top ``size``, or with ``size`` 0 those each side
    scores above the pair), candidates and the chance count, pair by pair."""
    hoods = oracle_hoods(scores, size, floor)
    candidates = {me: {b if a == me else a for a, b in scores if me in (a, b)} for me in hoods}
    shifts = []
    for a, b in sorted(scores):
        if size:
            mine, yours = hoods[a] - {a, b}, hoods[b] - {a, b}
        else:
            mine, yours = (
                oracle_closer(scores, a, scores[(a, b)], floor),
                oracle_closer(scores, b, scores[(a, b)], floor),
            )
        if not mine or not yours:
            shifts.append(0.0)
            continue
        shared = len(candidates[a] & candidates[b])
        expected = shared * len(mine) / len(candidates[a] - {b}) * len(yours) / len(candidates[b] - {a})
        chance = expected / (len(mine) + len(yours) - expected)
        overlap = len(mine & yours) / len(mine | yours)
        shifts.append((overlap - chance) - neutral * (1 - chance))
    return shifts


def oracle_closer(scores: dict[tuple[str, str], float], me: str, above: float, floor: float) -> set[str]:
    """The partners of ``me`` scoring ``floor`` or more and more than ``above``, by brute force."""
    return {b if a == me else a for (a, b), s in scores.items() if me in (a, b) and s >= floor and s > above}


@settings(max_examples=60, deadline=None)
@given(PAIRS, st.integers(1, 4), st.sampled_from([0.0, 0.4, 0.6]), st.sampled_from([0.0, 0.3]))
def test_shift_matches_brute_force(scores, size, floor, neutral):
    similarity = values_of(scores)
    hoods = neighbourhoods(similarity.table, similarity.values, size, floor)
    assert [set(row[row >= 0].tolist()) for row in hoods] == [
        {similarity.table.ids.index(m) for m in members}
        for _, members in sorted(oracle_hoods(scores, size, floor).items())
    ]
    assert np.allclose(beyond_chance(similarity.table, hoods, neutral), oracle_shift(scores, size, floor, neutral))


@settings(max_examples=60, deadline=None)
@given(PAIRS, st.sampled_from([0.0, 0.4, 0.6]), st.sampled_from([0.0, 0.3]))
def test_adaptive_neighbourhoods_match_brute_force(scores, floor, neutral):
    similarity = values_of(scores)
    counts = [(len(mine & yours), len(mine), len(yours)) for mine, yours in (
        (oracle_closer(scores, a, scores[(a, b)], floor), oracle_closer(scores, b, scores[(a, b)], floor))
        for a, b in similarity.table.pairs())]
    assert list(zip(*(c.tolist() for c in closer_partners(similarity.table, similarity.values, floor)))) == counts
    moved = with_shared_neighbours(similarity, 0, floor, 2.0, neutral).values
    inner = np.clip(similarity.values, 1e-12, 1 - 1e-12)
    expected = 1 / (
        1 + np.exp(np.log1p(-inner) - np.log(inner) - 2.0 * np.array(oracle_shift(scores, 0, floor, neutral)))
    )
    kept = (similarity.values <= 0) | (similarity.values >= 1)
    assert np.allclose(moved, np.where(kept, similarity.values, np.round(expected, 6)), atol=2e-6)


@settings(max_examples=60, deadline=None)
@given(PAIRS)
def test_common_candidates_match_brute_force(scores):
    similarity = values_of(scores)
    partners = {me: {b if a == me else a for a, b in scores if me in (a, b)} for me in similarity.table.ids}
    assert common_candidates(similarity.table).tolist() == [len(partners[a] & partners[b])
                                                            for a, b in similarity.table.pairs()]


def test_an_index_refuses_shared_neighbour_weight(tmp_path: Path) -> None:
    """``index build`` with ``neighbour_weight`` set fails with exit code 4 and writes no index: placing articles
    one by one cannot weigh neighbourhoods, so the index would answer unlike ``dedupe run``."""
    source = tmp_path / "one.jsonl"
    source.write_text('{"id": "a", "text": "One short article about a council vote."}\n', encoding="utf-8")
    config = tmp_path / "hoods.toml"
    config.write_text("neighbour_weight = 2\n", encoding="utf-8")
    path = tmp_path / "hoods.db"
    result = CliRunner().invoke(main, ["index", "build", str(source), "--index", str(path), "--config", str(config)])
    assert result.exit_code == 4, result.output
    assert "'neighbour_weight' must be 0 for an index" in result.stderr
    assert not path.exists()
