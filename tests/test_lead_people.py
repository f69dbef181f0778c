"""The lead person of an article and the ``lead_named`` evidence: each report's protagonist named in the other."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dedupe.compare import (
    DEFAULT_COMPARISONS,
    Comparison,
    Priors,
    lead_named,
    score_pair,
)
from dedupe.extract import extract
from dedupe.people import lead_people, surname
from dedupe.profile import Profile
from dedupe.types import Article


def _people(text: str) -> tuple[str, ...]:
    return lead_people(extract(Article(id="x", text=text)))


def test_the_lead_is_the_person_named_most_and_the_others_follow_sorted() -> None:
    text = ("San Diego Chargers receiver Vincent Jackson was arrested early Sunday on suspicion of drunk driving. "
            "Jackson was pulled over near the stadium, police said. Coach Norv Turner said the team was aware. "
            "Jackson is expected to play against the Steelers.")
    assert _people(text) == ("jackson", "turner")


def test_a_generation_is_not_a_surname() -> None:
    assert surname("Norris Greenhouse Jr.") == "greenhouse"
    assert surname("Martin Luther King III") == "king"
    assert surname("Jr.") is None


def test_no_lead_when_no_person_is_named_twice() -> None:
    text = ("Fire crews tackled a blaze at a supermarket in Wellington on Sunday. "
            "Station manager Mark Hill said nobody was hurt.")
    assert _people(text) == ()


def test_a_tie_goes_to_the_shorter_name() -> None:
    text = ("Anna Lee met Tom Fairweather in Leeds. Later Anna Lee and Tom Fairweather "
            "signed the agreement.")
    assert _people(text) == ("lee", "fairweather")


def test_lead_named_needs_each_lead_on_the_other_side() -> None:
    assert lead_named(("jackson", "turner"), ("jackson",)) == 1.0
    assert lead_named(("jackson",), ("williams", "jackson")) == 0.0  # Williams is not named on the left
    assert lead_named(("jackson", "williams"), ("williams", "jackson")) == 1.0
    assert lead_named((), ("jackson",)) is None and lead_named(("jackson",), ()) is None


_PEOPLE = st.lists(st.sampled_from(["jackson", "williams", "felt", "reid", "cheeks"]), max_size=4, unique=True).map(
    tuple
)


@given(_PEOPLE, _PEOPLE)
def test_lead_named_is_symmetric_and_one_against_itself(a: tuple[str, ...], b: tuple[str, ...]) -> None:
    assert lead_named(a, b) == lead_named(b, a)
    assert lead_named(a, a) == (1.0 if a else None)


def _profile(article_id: str, people: tuple[str, ...]) -> Profile:
    return Profile(article_id, "Player arrested on suspicion of DUI", "san diego", "", None,
                   {"arrested": 0.8, "dui": 0.6}, {"chargers": 1.0}, frozenset(), {}, people)


def test_a_shared_protagonist_raises_the_pair_score_and_a_stranger_does_not() -> None:
    """Two reports whose leads name each other score higher than the same reports about two players;
    an article still scores 1.0 against itself."""
    same = score_pair(_profile("a", ("jackson",)), _profile("b", ("jackson", "turner")), DEFAULT_COMPARISONS, Priors())
    other = score_pair(_profile("a", ("jackson",)), _profile("b", ("williams",)), DEFAULT_COMPARISONS, Priors())
    assert same.parts["people"][0] == 1.0 and other.parts["people"][0] == 0.0
    assert same.score > other.score
    me = _profile("a", ("jackson",))
    assert score_pair(me, me, DEFAULT_COMPARISONS, Priors()).score == 1.0


def test_the_people_comparison_is_data() -> None:
    comparison = Comparison.from_dict({"field": "people", "scorer": "lead_named", "weight": 0.3, "neutral": 0.0})
    assert comparison in DEFAULT_COMPARISONS and comparison.to_dict()["field"] == "people"
