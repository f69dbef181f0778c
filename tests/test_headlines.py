"""The headline-only path on handmade headlines: terms, blocking, scores, nearest links, communities."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import Article, Config
from dedupe.errors import ConfigError
from dedupe.explain import explain_pair
from dedupe.graph import starting_units
from dedupe.headlines import (
    NO_DAY,
    calibrated,
    communities,
    headline_candidates,
    headline_matrix,
    headline_of,
    headline_scores,
    headline_story,
    headline_terms,
    joined_edges,
    nearest,
    within_window,
)
from dedupe.match import same_story
from dedupe.pipeline import run
from dedupe.types import Edge

WORDS = ("storm", "coast", "mayor", "bridge", "strike", "rail", "vote", "budget", "flood", "river", "zoo", "panda")
PROPERTY = settings(max_examples=60, deadline=None, derandomize=True, database=None)


def headline(article_id: str, title: str, day: str | None = "2024-05-01") -> Article:
    """A headline-only article."""
    return Article(id=article_id, text="", title=title, published=day)


def slow_candidates(articles: list[Article], window: int, max_block: int) -> set[tuple[str, str]]:
    """Brute force: pairs sharing a term whose day span (within ``window`` of the span's first day) is small enough."""
    terms = {a.id: headline_terms(a.title or "") for a in articles}
    day = {a.id: a.published for a in articles}
    found = set()
    for term in set().union(*terms.values()):
        holders = [a for a in articles if term in terms[a.id]]
        for first in {day[a.id] for a in holders}:
            span = [a.id for a in holders if _within(day[a.id], first, window)]
            if len(span) <= max_block:
                found.update(tuple(sorted(p)) for p in itertools.combinations(span, 2))
    return found


def _within(day: str | None, first: str | None, window: int) -> bool:
    """True when ``day`` is ``first`` or up to ``window`` days after it (undated only with undated)."""
    if day is None or first is None:
        return day is None and first is None
    return 0 <= int(day[-2:]) - int(first[-2:]) <= window


def slow_score(articles: list[Article], a: str, b: str) -> float:
    """Weighted Jaccard with the IDF computed the obvious way."""
    terms = {x.id: headline_terms(x.title or "") for x in articles}
    df = {t: sum(t in ts for ts in terms.values()) for t in set().union(*terms.values())}
    idf = {t: math.log((len(articles) + 1) / n) for t, n in df.items()}
    shared = sum(idf[t] for t in terms[a] & terms[b])
    union = sum(idf[t] for t in terms[a] | terms[b])
    return shared / union if union else 0.0


@st.composite
def headline_sets(draw: st.DrawFn) -> list[Article]:
    """Up to 12 headline-only articles of pool words, on days 1-5 of a month or undated."""
    size = draw(st.integers(2, 12))
    days = st.sampled_from([None, "2024-05-01", "2024-05-02", "2024-05-03", "2024-05-05"])
    return [headline(f"h{n:02d}", " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=5))),
                     draw(days)) for n in range(size)]


def test_headline_of_only_without_body() -> None:
    assert headline_of(headline("a", "Storm hits coast")) == "Storm hits coast"
    assert headline_of(Article(id="b", text="The storm hit the coast on Monday.", title="Storm hits coast")) is None
    assert headline_of(Article(id="c", text="", title="   ")) is None
    assert headline_of(Article(id="d", text="  \n ", title="Rail strike called off")) == "Rail strike called off"


def test_headline_terms_drop_stop_words_numbers_and_possessives() -> None:
    assert headline_terms("The Mayor's 2 plans for a new bridge, in 2024") == {"mayor", "plan", "bridge"}
    assert headline_terms("A and the") == frozenset()


def test_headline_terms_fold_plurals_only() -> None:
    assert headline_terms("Games and sanctions") == headline_terms("game sanction") == {"game", "sanction"}
    assert headline_terms("Bus crisis: boss quits") == {"bus", "crisis", "boss", "quit"}
    assert headline_terms("Gas leak") == {"gas", "leak"}


@PROPERTY
@given(headline_sets(), st.integers(0, 2), st.integers(2, 6))
def test_candidates_match_brute_force(articles: list[Article], window: int, max_block: int) -> None:
    matrix = headline_matrix(articles)
    pairs = headline_candidates(matrix, window, max_block)
    found = {(matrix.ids[i], matrix.ids[j]) for i, j in pairs.tolist()}
    assert found == slow_candidates(articles, window, max_block)
    assert all(i < j for i, j in pairs.tolist())


@PROPERTY
@given(headline_sets())
def test_scores_match_reference_are_symmetric_and_one_for_self(articles: list[Article]) -> None:
    matrix = headline_matrix(articles)
    rows = np.array([(i, j) for i in range(len(articles)) for j in range(len(articles))], dtype=np.int64)
    scores = headline_scores(matrix, rows).reshape(len(articles), len(articles))
    assert np.allclose(scores, scores.T)
    for i, a in enumerate(articles):
        assert scores[i, i] == pytest.approx(1.0)
        for j, b in enumerate(articles):
            assert scores[i, j] == pytest.approx(slow_score(articles, a.id, b.id))
    assert calibrated(np.array([1.0]), 0.2, 0.5)[0] == 1.0


def test_window_and_undated_articles() -> None:
    articles = [
        headline("a", "Panda born at city zoo", "2024-05-01"),
        headline("b", "City zoo panda born", "2024-05-02"),
        headline("c", "Zoo panda cub", "2024-05-09"),
        headline("d", "Panda cub named", None),
        headline("e", "Zoo names panda", None),
    ]
    matrix = headline_matrix(articles)
    pairs = {(matrix.ids[i], matrix.ids[j]) for i, j in headline_candidates(matrix, 1, 10).tolist()}
    assert pairs == {("a", "b"), ("d", "e")}


@PROPERTY
@given(st.integers(738_000, 740_000), st.integers(-5, 5), st.integers(0, 3))
def test_an_unknown_day_holds_no_pair_apart(day: int, shift: int, window: int) -> None:
    assert within_window(day, day + shift, window) == (abs(shift) <= window)
    assert within_window(NO_DAY, day, window) and within_window(day, NO_DAY, window)
    assert within_window(NO_DAY, NO_DAY, window)


def test_only_two_known_days_put_headlines_too_far_apart() -> None:
    articles = [headline("vote-1", "Ukraine rebels ignore Putin call to delay self-rule vote", "2014-05-08"),
                headline("vote-2", "Ukraine rebels defy Putin call to delay referendum", None),
                headline("vote-3", "Putin calls for delay to Ukraine referendum", "2014-05-20")]
    links = headline_story(articles, 0.2, 0.5, window=1, neighbours=15, max_block=200)
    assert links.too_far("vote-1", "vote-3")
    assert not links.too_far("vote-1", "vote-2") and not links.too_far("vote-2", "vote-3")
    scored = same_story(articles, Config(workers=1)).similarity
    assert ("vote-1", "vote-2") in scored and ("vote-2", "vote-3") in scored  # the field model compares them
    assert ("vote-1", "vote-3") not in scored


def test_common_term_in_a_window_is_not_a_key() -> None:
    articles = [headline(f"x{n}", f"Budget vote {word}") for n, word in enumerate(["rail", "flood", "river"])]
    matrix = headline_matrix(articles)
    assert headline_candidates(matrix, 1, 2).tolist() == []
    assert len(headline_candidates(matrix, 1, 3)) == 3


def test_nearest_keeps_the_best_links_of_each_side_above_the_floor() -> None:
    pairs = np.array([[0, 1], [0, 2], [0, 3], [1, 2]])
    scores = np.array([0.9, 0.5, 0.1, 0.3])
    assert nearest(pairs, scores, 1, 0.2).tolist() == [0, 1]
    assert nearest(pairs, scores, 2, 0.2).tolist() == [0, 1, 3]
    assert nearest(pairs, scores, 5, 0.95).tolist() == []


def test_communities_split_two_stories_and_leave_the_rest() -> None:
    ids = ("a", "b", "c", "d", "e", "f", "g")
    pairs = np.array([[0, 1], [0, 2], [1, 2], [3, 4], [3, 5], [4, 5], [2, 3]])
    weights = np.array([0.8, 0.7, 0.9, 0.8, 0.6, 0.7, 0.21])
    assert communities(ids, pairs, weights) == [frozenset("abc"), frozenset("def")]


def test_headline_story_groups_a_story_told_in_many_headlines() -> None:
    titles = ["Titan rocket launch delayed by storm", "Storm delays Titan rocket launch",
              "Storm pushes back Titan rocket launch", "Rocket launch: Titan waits out storm",
              "Mayor unveils budget for bridge repairs", "Bridge repairs top mayor's budget",
              "Budget sets aside money for bridge, says mayor", "Zoo welcomes panda cub"]
    articles = [headline(f"h{n}", title) for n, title in enumerate(titles)]
    config = Config()
    links = headline_story(articles, config.headline_floor, config.story_threshold, window=1, neighbours=15,
                           max_block=200)
    assert links.groups == [frozenset({"h0", "h1", "h2", "h3"}), frozenset({"h4", "h5", "h6"})]
    assert all(e.a < e.b and config.story_threshold <= e.score <= 1.0 for e in links.edges)
    assert not any("h7" in (e.a, e.b) for e in links.edges)


def test_articles_with_a_body_are_left_to_the_field_model() -> None:
    articles = [headline("a", "Rail strike called off"), headline("b", "Rail strike is called off"),
                Article(id="c", text="The rail strike was called off late on Monday.", title="Rail strike called off")]
    links = headline_story(articles, 0.2, 0.5, window=1, neighbours=15, max_block=200)
    assert links.groups == [frozenset({"a", "b"})]
    assert [(e.a, e.b) for e in links.edges] == [("a", "b")]


def test_joined_edges_keep_the_higher_score_per_pair() -> None:
    model = [Edge("a", "b", "same_story", 0.6), Edge("c", "d", "same_story", 0.9)]
    joined = joined_edges(model, [Edge("a", "b", "same_story", 0.8), Edge("c", "d", "same_story", 0.7)])
    assert joined == [Edge("a", "b", "same_story", 0.8), Edge("c", "d", "same_story", 0.9)]


def test_units_start_from_communities() -> None:
    assert starting_units(["c", "a", "b"], [frozenset({"a", "b"})]) == [frozenset({"a", "b"}), frozenset({"c"})]


@pytest.mark.parametrize("key,value", [("headline_floor", 0.0), ("headline_window", -1),
                                       ("headline_neighbours", 0), ("headline_max_block", 1)])
def test_headline_settings_are_validated(key: str, value: float) -> None:
    with pytest.raises(ConfigError, match=key):
        Config().replace(**{key: value})


def test_explain_credits_a_dated_and_an_undated_headline_to_the_field_model() -> None:
    dated = headline("ferry-1", "Harbour ferry strike ends after talks with union", "2024-05-06")
    undated = headline("ferry-2", "Union talks end the harbour ferry strike", None)
    others = [headline(f"vote-{n}", f"Council budget vote on the {word}", f"2024-05-0{n + 1}")
              for n, word in enumerate(["rail", "flood", "river", "zoo", "panda", "bridge"])]
    config = Config(workers=1)
    result = run([dated, undated, *others], config)
    links = headline_story([dated, undated, *others], config.headline_floor, config.story_threshold,
                           window=config.headline_window, neighbours=config.headline_neighbours,
                           max_block=config.headline_max_block)
    assert not [e for e in links.edges if {e.a, e.b} == {"ferry-1", "ferry-2"}]  # never blocked by headline
    report = explain_pair(result, "ferry-1", "ferry-2", config)
    assert report["headline"]["within_window"] and not report["headline"]["headline_path"]
    assert not report["why"].startswith("headlines only")
    assert report["why"].startswith("combined field score")
