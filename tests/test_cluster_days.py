"""Time in average linkage (``day_link_weight``): the days a cluster was published on and tells of, read from
real reports' sentences (gva_incidents_dev), what a gap between two clusters' days costs their link, and ``dedupe
check``'s mirror of it."""

from __future__ import annotations

import math
from functools import partial
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import Article, Config, read_articles
from dedupe.clusterdays import (
    GroupDays,
    day_ordinal,
    head_days,
    joined,
    least_gap,
    text_days,
    timed_link,
)
from dedupe.errors import ConfigError
from dedupe.extract import extract
from dedupe.graph import build_graph
from dedupe.index import add, create, open_index
from dedupe.index.story_check import StoryChecker
from dedupe.match import told_days
from dedupe.pipeline import cluster
from dedupe.profile import build_profiles

# Two Baltimore reports of two shootings a day apart (gva 815752 and 815906, two incidents).
SATURDAY = Article("b1", "Two men were killed and three men and a 14-year-old boy were wounded in three separate "
                   "shootings Saturday, Baltimore police said.", published="2017-04-08")
SUNDAY = Article("b2", "Three people were shot, one fatally, on Sunday evening in Baltimore, police said.",
                 published="2017-04-09")
# A report of a shooting and its follow-up 17 days later (gva 518022, one incident), which names the day.
SHOT = Article("k1", "Police say a 3-year-old boy accidentally shot his mother in the head on Saturday.",
               published="2016-02-20")
NO_CHARGES = Article("k2", "The shooting happened Feb. 20 as the 26-year-old was cleaning an SUV at their home in "
                     "Kentwood, near Grand Rapids.", published="2016-03-08")
# An undated report of a vigil (gva 368727's follow-up): the day it names is months before the other's.
VIGIL = Article("v1", "Friends and family of 7-year-old Amari Brown hold a candlelight vigil at the home of his mom, "
                "Amber Hailey, on July 5, 2015.")


def _clusters(first: Article, second: Article, link: float, weight: float = 0.66) -> int:
    """How many clusters the pipeline makes of two reports whose pair scores ``link``, their text days read as
    a run reads them (extracted, profiled)."""
    articles = tuple(sorted((first, second), key=lambda a: a.id))
    profiles = build_profiles(articles, {a.id: extract(a) for a in articles})
    graph = build_graph((a.id for a in articles), [])
    by_head = {a.id: frozenset((a.id,)) for a in articles}
    similarity = {(articles[0].id, articles[1].id): link}
    return len(cluster(articles, graph, by_head, similarity, Config(day_link_weight=weight), told=told_days(profiles)))


def test_two_shootings_a_day_apart_are_held_apart() -> None:
    """Saturday's and Sunday's shootings, published on those days: one day between the clusters' nearest days
    costs ``0.66 * log(2)`` log-odds, so a link of 0.68 falls to 0.57 (0.75 to 0.66)."""
    assert _clusters(SATURDAY, SUNDAY, 0.68, weight=0.0) == 1
    assert _clusters(SATURDAY, SUNDAY, 0.68) == 2
    assert _clusters(SATURDAY, SUNDAY, 0.75) == 1  # stronger evidence still joins them


def test_a_follow_up_that_names_the_day_is_not_held_apart() -> None:
    """Published 17 days after the shooting, the follow-up names its day ("Feb. 20"): the clusters meet on it."""
    assert told_days(build_profiles((NO_CHARGES,), {"k2": extract(NO_CHARGES)})) == {"k2": (day_ordinal("2016-02-20"),)}
    assert _clusters(SHOT, NO_CHARGES, 0.62) == 1


def test_an_undated_report_is_never_held_apart_by_the_days_it_names() -> None:
    """The vigil's report has no publication day; the day it names (a year before the other report) may be
    any day of the story's, so it does not weigh."""
    assert told_days(build_profiles((VIGIL,), {"v1": extract(VIGIL)})) == {"v1": (day_ordinal("2015-07-05"),)}
    assert _clusters(VIGIL, NO_CHARGES, 0.62) == 1


def test_text_days_keep_whole_days_only() -> None:
    """A range counts by its first day; a week, month or year (or a yearless day) not at all."""
    dates = {"2015-07-04/2015-07-05", "2015-07-05", "2016-W12", "2015-07", "2011", "--11-05", "2015-02-30"}
    assert text_days(dates) == (day_ordinal("2015-07-04"), day_ordinal("2015-07-05"))
    assert day_ordinal("2016-03-28T10:00:00") == day_ordinal("2016-03-28")


def test_head_days_join_a_heads_publication_day_with_its_text_days() -> None:
    found = head_days([("a", "2016-03-08"), ("c", None), ("d", None)], {"a": (5,), "c": (7,)})
    assert found == {"a": GroupDays(True, (5, day_ordinal("2016-03-08"))), "c": GroupDays(False, (7,))}


def test_timed_link_lowers_by_the_log_of_the_least_gap() -> None:
    dated, later = GroupDays(True, (10,)), GroupDays(True, (13, 40))
    expected = 1 / (1 + math.exp(-(math.log(4) - 0.66 * math.log(4))))
    assert timed_link(0.8, dated, later, 0.66) == round(expected, 9)
    assert timed_link(0.8, dated, GroupDays(True, (40, 10)[1:]), 0.66) == 0.8  # they meet on a day
    assert timed_link(0.8, dated, GroupDays(False, (400,)), 0.66) == 0.8  # undated: no gap
    assert timed_link(1.0, dated, later, 0.66) == 1.0
    assert timed_link(0.8, dated, later, 0.0) == 0.8


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.sets(st.integers(0, 60), min_size=1), st.sets(st.integers(0, 60), min_size=1))
def test_least_gap_is_the_brute_force_minimum(a: set[int], b: set[int]) -> None:
    assert least_gap(tuple(sorted(a)), tuple(sorted(b))) == min(abs(x - y) for x in a for y in b)
    assert joined(GroupDays(True, tuple(sorted(a))), GroupDays(False, tuple(sorted(b)))) == GroupDays(
        True, tuple(sorted(a | b)))


def test_day_link_weight_is_validated() -> None:
    with pytest.raises(ConfigError, match="day_link_weight"):
        Config(day_link_weight=-1)
    assert Config().day_link_weight == 0.66


def test_check_weighs_a_storys_days_as_batch_clustering_does(seeds_dir: Path, tmp_path: Path) -> None:
    """``dedupe check`` mirrors the rule for an article meeting a story: the story's days are its heads'
    (seed 002: published 21 November 2020, telling of "5 November"), and its link with the article loses what the
    gap costs when the article is published; an article published two days earlier that names no day of the
    story's links lower, one naming 5 November does not, nor does an undated one."""
    articles = [a for a in read_articles([seeds_dir]) if not a.id.startswith("003")]
    story_head = next(a for a in articles if a.id.startswith("002"))
    with create(tmp_path / "s.db", Config(workers=1)) as index:
        add(index, articles)
    with open_index(tmp_path / "s.db") as index:
        checker = StoryChecker(index, index.config)
        story = checker.memory.owners([story_head.id])[story_head.id]
        fields = {story_head.id: extract(story_head)}
        batch = head_days([(story_head.id, story_head.day)], told_days(build_profiles((story_head,), fields)))
        assert checker.memory.story_days([story]) == {story: batch[story_head.id]}
        fifth, earlier = day_ordinal("2020-11-05"), day_ordinal("2020-11-19")
        links = partial(checker.links, {story_head.id: 0.9}, {story_head.id: story})
        expected = 1 / (1 + math.exp(-(math.log(9) - 0.66 * math.log(3))))
        assert links() == [(0.9, story)]
        assert links(days=GroupDays(True, (earlier,))) == [(round(expected, 9), story)]
        assert links(days=GroupDays(True, (fifth, earlier))) == [(0.9, story)]
        assert links(days=GroupDays(False, (earlier - 400,))) == [(0.9, story)]
