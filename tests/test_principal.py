"""The principal person of an article (who its headline is about) and the ``principal_agree`` evidence."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from dedupe.cli import main
from dedupe.compare import DEFAULT_COMPARISONS, Priors, score_pair
from dedupe.extract import extract
from dedupe.people import principal_agree, principal_person
from dedupe.profile import Profile
from dedupe.types import Article

_JACKSON = ("San Diego Chargers receiver Vincent Jackson was arrested early Sunday on suspicion of drunk driving. "
            "Jackson was pulled over near the stadium, police said. Coach Norv Turner said Jackson would play.")
_WILLIAMS = ("Chargers nose tackle Jamal Williams was arrested on suspicion of drunken driving early Sunday. "
             "Williams was stopped by the California Highway Patrol. It was the second arrest of a Charger this "
             "season after Vincent Jackson. Williams was released on bail.")


def _principal(title: str, text: str) -> tuple[str, ...]:
    return principal_person(extract(Article(id="x", title=title, text=text)))


def test_the_principal_is_the_headline_person_the_text_names_most() -> None:
    """"Vincent Jackson" and "Jackson" are one person, named three times; the headline's words follow."""
    got = _principal("Chargers' Jackson arrested on suspicion of DUI", _JACKSON)
    words = got[1:got.index("", 1)]
    assert got[0] == "jackson" and set(words) == {"chargers", "jackson", "arrested", "on", "suspicion", "of", "dui"}
    assert list(words) == sorted(words)
    assert got[got.index("", 1) + 1:] == ("jackson",)  # the people named three times or more (Turner once)


def test_no_principal_when_the_most_named_person_is_not_in_the_headline() -> None:
    """A quoted official named throughout is not who the story is about."""
    text = ("Police Chief Eliot Isaac said the shooting began after a fight. Isaac said two men were held. "
            "Isaac asked witnesses to come forward.")
    assert _principal("Two charged in deadly nightclub shooting", text) == ()


def test_no_principal_when_the_headline_person_is_named_fewer_than_three_times() -> None:
    text = "Coach Maurice Cheeks was fired on Saturday. The team said Cheeks had been told after practice."
    assert _principal("76ers fire coach Cheeks", text) == ()


def test_principals_agree_when_either_is_in_the_other_headline() -> None:
    jackson = _principal("Chargers' Jackson arrested on suspicion of DUI", _JACKSON)
    williams = _principal("Chargers' Jamal Williams arrested on DUI suspicion", _WILLIAMS)
    assert williams[0] == "williams"
    assert principal_agree(jackson, williams) == 0.0  # two players' arrests: different people
    both = _principal("Williams arrested weeks after Jackson", _WILLIAMS)
    assert principal_agree(jackson, both) == 1.0  # the second headline names the first principal
    assert principal_agree(jackson, ()) is None and principal_agree((), williams) is None


_BLAIR = ("Tony Blair resigned as prime minister on Wednesday and Gordon Brown took office. Blair went to the "
          "palace first. Brown then met the Queen. Blair said Brown would be a great prime minister.")
_BROWN = ("Gordon Brown became prime minister on Wednesday after Tony Blair resigned. Brown met the Queen after "
          "Blair had left the palace. Brown thanked Blair and named his cabinet.")


def test_two_actors_each_named_throughout_both_reports_agree() -> None:
    """A resignation and the successor, each leading one report: each report names both three times or more."""
    blair = _principal("Blair resigns as prime minister", _BLAIR)
    brown = _principal("Brown is UK's new prime minister", _BROWN)
    assert (blair[0], brown[0]) == ("blair", "brown")
    assert principal_agree(blair, brown) == 1.0


def test_a_principal_named_often_on_one_side_only_still_conflicts() -> None:
    """The Williams report names Jackson once (an earlier arrest): two players, two events."""
    jackson = _principal("Chargers' Jackson arrested on suspicion of DUI", _JACKSON)
    williams = _principal("Chargers' Jamal Williams arrested on DUI suspicion", _WILLIAMS + " Jackson. Jackson.")
    assert "jackson" in williams[williams.index("", 1):] and "williams" not in jackson
    assert principal_agree(jackson, williams) == 0.0
    assert principal_agree(("blair", "blair", "resigns"), ("brown", "brown", "new")) == 0.0  # kept before


_PRINCIPALS = st.one_of(st.just(()), st.builds(
    lambda lead, words, often: (lead, *sorted({lead, *words}), "", *sorted({lead, *often})),
    st.sampled_from(["jackson", "williams", "cheeks"]),
    st.lists(st.sampled_from(["jackson", "williams", "cheeks", "fired", "arrested"]), max_size=3),
    st.lists(st.sampled_from(["jackson", "williams", "cheeks"]), max_size=2)))


@given(_PRINCIPALS, _PRINCIPALS)
def test_principal_agree_is_symmetric_and_one_against_itself(a: tuple[str, ...], b: tuple[str, ...]) -> None:
    assert principal_agree(a, b) == principal_agree(b, a)
    assert principal_agree(a, a) == (1.0 if a else None)


def _profile(article_id: str, principal: tuple[str, ...]) -> Profile:
    """A profile of an arrest report whose principal is ``principal`` (and no lead)."""
    return Profile(article_id=article_id, headline="Player arrested", place="", outlet="", day=None,
                   terms={"arrested": 1.0}, names={}, dates=frozenset(), numbers={}, principal=principal)


@given(_PRINCIPALS, _PRINCIPALS)
def test_pair_scores_stay_symmetric_and_one_against_itself(a: tuple[str, ...], b: tuple[str, ...]) -> None:
    left, right = _profile("a", a), _profile("b", b)
    assert score_pair(left, right, DEFAULT_COMPARISONS, Priors()).score == \
        score_pair(right, left, DEFAULT_COMPARISONS, Priors()).score
    assert score_pair(left, left, DEFAULT_COMPARISONS, Priors()).score == 1.0


def test_a_conflict_costs_its_weight_and_agreement_costs_nothing() -> None:
    weight = next(c.weight for c in DEFAULT_COMPARISONS if c.field == "principal")
    jackson, williams = ("jackson", "arrested", "jackson"), ("williams", "arrested", "williams")
    conflict = score_pair(_profile("a", jackson), _profile("b", williams), DEFAULT_COMPARISONS, Priors())
    agree = score_pair(_profile("a", jackson), _profile("b", jackson), DEFAULT_COMPARISONS, Priors())
    none = score_pair(_profile("a", jackson), _profile("b", ()), DEFAULT_COMPARISONS, Priors())
    assert conflict.parts["principal"] == (0.0, -weight)
    assert agree.parts["principal"] == (1.0, 0.0) and agree.score == none.score
    assert conflict.score < agree.score


def test_explain_shows_the_principals_and_why(tmp_path: Path) -> None:
    records = [{"id": "a", "title": "Chargers' Jackson arrested on suspicion of DUI", "text": _JACKSON},
               {"id": "b", "title": "Chargers' Jamal Williams arrested on DUI suspicion", "text": _WILLIAMS}]
    path = tmp_path / "two.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = CliRunner().invoke(main, ["explain", "a", "b", str(path), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["fields"]["a"]["principal"] == "jackson" and report["fields"]["b"]["principal"] == "williams"
    part = next(p for p in report["comparisons"] if p["field"] == "principal")
    assert part["score"] == 0.0 and part["logodds"] < 0
    assert "different people (jackson / williams" in report["why"]
