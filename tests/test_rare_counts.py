"""Count evidence weighted by rarity: the scorer's invariants, common vs rare counts, and check's rarities."""

from __future__ import annotations

import json
import math
from pathlib import Path

from click.testing import CliRunner
from conftest import corpus_file
from hypothesis import given, settings
from hypothesis import strategies as st
from test_index import CONFIG

from dedupe import read_articles
from dedupe.cli import main
from dedupe.compare import (
    DEFAULT_COMPARISONS,
    Comparison,
    Priors,
    rare_ceiling,
    rare_overlap,
    score_pair,
)
from dedupe.index import add, create
from dedupe.index.codec import profile_from
from dedupe.index.story_check import StoryChecker
from dedupe.profile import Profile, rarities, rarity

_COUNTS = st.dictionaries(st.sampled_from(["killed:1", "killed:22", "injured:3", "age:41"]),
                          st.floats(min_value=0.0, max_value=1.0), max_size=4)


def _profile(article_id: str, numbers: dict[str, float]) -> Profile:
    """A profile holding only counts (and one shared word, so the terms comparison answers)."""
    return Profile(article_id, "", "", "", None, {"fire": 1.0}, {}, frozenset(), numbers)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(_COUNTS, _COUNTS)
def test_rare_overlap_is_symmetric_and_bounded_by_its_ceiling(a: dict, b: dict) -> None:
    value = rare_overlap(a, b)
    assert value == rare_overlap(b, a)
    if not a or not b:
        assert value is None
        return
    assert 0.0 <= value <= rare_ceiling(a, b) <= 1.0
    assert rare_ceiling(a, b) == rare_ceiling(b, a)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(_COUNTS.filter(bool))
def test_an_article_reaches_its_own_ceiling(a: dict) -> None:
    assert rare_overlap(a, a) == rare_ceiling(a, a) == min(1.0, math.fsum(a.values()))
    assert score_pair(_profile("x", a), _profile("x", a), DEFAULT_COMPARISONS, Priors()).score == 1.0


def test_rarity_runs_from_one_for_a_unique_value_towards_zero_for_a_common_one() -> None:
    assert rarity(1, 9) == 1.0
    assert math.isclose(rarity(5, 9), math.log(2) / math.log(10))
    assert rarity(9, 9) < rarity(5, 9) < rarity(2, 9) < 1.0


def test_a_shared_common_count_says_little_and_a_shared_rare_one_much() -> None:
    """``killed:1`` in 40 of 100 articles, ``killed:22`` in 2: sharing the second is stronger evidence."""
    documents = [frozenset({"killed:1"})] * 40 + [frozenset({"killed:22"})] * 2 + [frozenset()] * 58
    found = rarities(documents)
    common, rare = found[0], found[40]
    assert rare_overlap(common, common) < 0.25
    assert rare_overlap(rare, rare) > 0.8
    numbers = (Comparison("terms", "cosine", 7.2, 0.0), Comparison("numbers", "rare_overlap", 3.0, 0.03))
    score = {name: score_pair(_profile("a", counts), _profile("b", counts), numbers, Priors())
             for name, counts in (("common", common), ("rare", rare))}
    assert score["common"].parts["numbers"][1] < 1.0
    assert score["rare"].parts["numbers"][1] > 2.0
    # The plain overlap cannot tell them apart: both pairs share their only count.
    plain = (numbers[0], Comparison("numbers", "overlap", 3.0, 0.03))
    assert {score_pair(_profile("a", c), _profile("b", c), plain, Priors()).parts["numbers"][0]
            for c in (common, rare)} == {1.0}


def test_check_gives_a_new_article_the_rarities_an_add_would(tmp_path: Path) -> None:
    """The article's counts are as rare as :func:`rarities` makes them over the stored heads and itself."""
    articles = list(read_articles([corpus_file("ecbplus_dev")]))[:160]
    with create(tmp_path / "ecb.db", CONFIG) as index:
        add(index, articles[:120])
        stored = [profile_from(blob) for (blob,) in index.db.execute("SELECT profile FROM profiles")]
        assert any(p.numbers for p in stored)
        stories = StoryChecker(index, index.config)
        checked = 0
        for article in articles[120:]:
            profile, _, _ = stories.profile(article)
            want = rarities([*(frozenset(p.numbers) for p in stored), frozenset(profile.numbers)])[-1]
            assert profile.numbers == want
            checked += bool(want)
    assert checked > 5


def test_explain_shows_each_count_with_its_rarity(tmp_path: Path) -> None:
    """``dedupe explain`` lists the counts with their rarity and the rarity-weighted comparison."""
    texts = {"a": "Fire in Leeds\n\nThree people were killed in a fire at a warehouse in Leeds on Tuesday.\n",
             "b": "Leeds warehouse blaze\n\nThree people were killed when a warehouse in Leeds caught fire.\n",
             "c": "Storm hits Devon\n\nOne person was killed as a storm hit Devon.\n"}
    for name, text in texts.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["explain", "a", "b", str(tmp_path), "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    (numbers,) = [part for part in report["comparisons"] if part["field"] == "numbers"]
    assert numbers["scorer"] == "rare_overlap"
    assert numbers["score"] == round(rarity(2, 3), 4)
    assert report["fields"]["a"]["numbers"] == [f"killed:3 (rarity {rarity(2, 3):.2f})"]
    assert report["shared"]["numbers"] == ["killed:3"]
