"""Figures (numbers written in digits) as content terms: extraction on real sentences, and what they do to a pair."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from dedupe.normalize import figures
from dedupe.profile import build_profiles, content_terms
from dedupe.types import Article, Fields


def test_amounts_keep_their_digits_and_drop_the_separators():
    # ecbplus_dev: a film's takings and a trial's cost
    text = (
        "Nov. 26 opening with a total box office take of $43 million; the trial has already cost more than $2 million"
    )
    assert figures(text) == ["26", "43", "2"]
    assert figures("Nichols, 37, was an $80,000-a-year computer system expert") == ["37", "80000"]


def test_a_magnitude_a_score_and_a_time_are_figures():
    assert figures("A 5.6 magnitude earthquake hit an island off southern Iran") == ["5.6"]
    assert figures("a 5.6-magnitude quake") == ["5.6"]
    assert figures("Colts Clinch Playoff Berth With 31-24 Victory Against Jaguars") == ["31-24"]
    assert figures("THURSDAY, DECEMBER 3, 2009, 9:36 AM") == ["3", "9:36"]


def test_years_and_dates_written_in_digits_are_left_to_date_extraction():
    # seeds: the years of a case's history are dates, not figures
    assert figures("The officer was originally suspended in 2020 and a referral was made") == []
    assert figures("Reuters Sep 18, 2013, 02:31pm") == ["18"]
    assert figures("on 2013-09-18, after 9/11 and before 12/25/2008") == []
    assert figures("between 25th January 2024 and 20th January 2025 (inclusive)") == []


def test_digits_inside_words_are_not_figures():
    assert figures("IE7 users, the 10th patch, an mp3 and a 1.5m fine") == []


def test_content_terms_hold_the_words_then_the_figures():
    article = Article(id="a", text="Rewards totaling $30,000 are offered; call 101.", title="Reward offered")
    assert content_terms(article) == ["reward", "offered", "rewards", "totaling", "offered", "call", "30000", "101"]


@given(st.text(alphabet="0123456789 .,:-/$aZ\n", max_size=60))
def test_every_figure_is_written_in_the_text_and_none_is_a_year(text):
    folded = text.replace(",", "")
    for figure in figures(text):
        assert figure in folded
        assert not re.fullmatch(r"(?:1[89]|20)\d\d", figure)
        assert figure[0].isdigit() and figure[-1].isdigit()


def _pair_cosine(first: str, second: str) -> float:
    """The terms cosine of two one-sentence articles, in a corpus of the two and a third unrelated one."""
    articles = [Article(id=str(i), text=text, published="2008-12-01") for i, text in
                enumerate([first, second, "Council approves the budget for the new library on Main Street."])]
    profiles = build_profiles(articles, {a.id: Fields(article_id=a.id) for a in articles})
    shared = profiles["0"].terms.keys() & profiles["1"].terms.keys()
    return sum(profiles["0"].terms[key] * profiles["1"].terms[key] for key in shared)


def test_a_shared_figure_draws_two_reports_closer_than_a_different_one():
    report = "A 5.6 magnitude earthquake hit the island, injuring 40 people."
    same_event = "The 5.6 magnitude earthquake on the island injured 40 people."
    other_event = "A 6.1 magnitude earthquake hit the island, injuring 15 people."
    assert _pair_cosine(report, same_event) > _pair_cosine(report, other_event)
