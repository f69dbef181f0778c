"""Conflicts and updates from hand-built claims: granularity, hedged numbers, quotes, time, conservatism."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from dedupe.conflicts import find_conflicts
from dedupe.facts import (
    AGREE,
    HARD,
    SAME,
    SOFT,
    UNKNOWN,
    Claim,
    compare_dates,
    compare_numbers,
)
from dedupe.merge import build_facts
from dedupe.types import Mention
from dedupe.wording import (
    QUOTE_MIN_WORDS,
    QUOTE_SIMILARITY,
    align_quotes,
    compare_quotes,
    context_overlap,
    meaning_change,
    similarity_bound,
    unrepeated,
    words,
)

SUSPENDED_A = "The officer was suspended from the force in October 2018, following the allegations."
SUSPENDED_B = "The officer was first suspended in November 2018."


def claim(article: str, kind: str, value: str, sentence: str, *, about: str = "", subject: str = "",
          qualifier: str = "", published: str | None = "2024-03-04", group: str | None = None,
          text: str = "") -> Claim:
    """One claim of a test article (its own independent report unless ``group`` says otherwise)."""
    mention = Mention(kind, value, text or value, sentence, about, subject, qualifier, start=0)
    return Claim(article, group or article, f"outlet-{article}", published, mention)


def conflicts_of(*claims: Claim) -> tuple[list, list]:
    """find_conflicts over the claims, with facts built as merge builds them."""
    return find_conflicts("s-test", claims, build_facts(claims))


# --- dates: compared at the granularity both give -------------------------------------------------

@pytest.mark.parametrize(("a", "b", "verdict"), [
    ("2018", "2018-10", AGREE),
    ("2018-10", "2018-10-05", AGREE),
    ("2018-10", "2018-11", HARD),
    ("2018", "2019-01", HARD),
    ("2020-11-05", "2020-11-05", SAME),
    ("2020-11-05", "2020-11-06", SOFT),
    ("2020-11-05", "2020-11-09", HARD),
    ("--11-05", "2020-11-05", AGREE),
    ("--11-05", "2020-12-05", HARD),
    ("--11", "--11-05", AGREE),
    ("2024-04-03/2024-04-04", "2024-04-04", AGREE),
    ("2024-04-03/2024-04-04", "2024-04", AGREE),
    ("2020-W46", "2020-11-12", AGREE),
    ("2020-W46", "2020-11-20", HARD),
    ("sometime", "2020", UNKNOWN),
])
def test_compare_dates(a: str, b: str, verdict: str) -> None:
    assert compare_dates(a, b) == verdict
    assert compare_dates(b, a) == verdict


def test_month_conflict_with_both_evidence_sentences() -> None:
    conflicts, updates = conflicts_of(
        claim("002", "date", "2018-10", SUSPENDED_A, about="suspended", text="October 2018"),
        claim("003", "date", "2018-11", SUSPENDED_B, about="suspended", text="November 2018"),
    )
    assert updates == []
    [conflict] = conflicts
    assert (conflict.kind, conflict.severity, conflict.field) == ("date_conflict", "hard", "date:suspended")
    assert [(v.value, [e.article_id for e in v.evidence]) for v in conflict.values] == [
        ("2018-10", ["002"]), ("2018-11", ["003"])]
    assert [v.evidence[0].sentence for v in conflict.values] == [SUSPENDED_A, SUSPENDED_B]
    assert "2018-10" in conflict.explanation and "2018-11" in conflict.explanation


def test_one_sentence_read_on_two_days_is_no_conflict() -> None:
    """gva: a page republished weeks later resolves "on Friday" to another Friday; its words are the same."""
    arrested = "Jacquay Howard, 21, was arrested in Houston on Friday after more than a month on the run."
    conflicts, updates = conflicts_of(
        claim("a", "date", "2015-02-20", arrested, about="arrested", published="2015-02-21", text="Friday"),
        claim("b", "date", "2015-03-06", arrested, about="arrested", published="2015-03-07", text="Friday"),
    )
    assert (conflicts, updates) == ([], [])
    others, _ = conflicts_of(
        claim("a", "date", "2015-02-20", arrested, about="arrested", published="2015-02-21", text="Friday"),
        claim("b", "date", "2015-03-06", arrested.replace("on Friday", "last week"), about="arrested",
              published="2015-03-07", text="last week"),
    )
    assert [c.field for c in others] == ["date:arrested"]


def test_year_and_month_agree() -> None:
    conflicts, _ = conflicts_of(
        claim("a", "date", "2018", "The officer was suspended in 2018.", about="suspended"),
        claim("b", "date", "2018-10", SUSPENDED_A, about="suspended"),
    )
    assert conflicts == []


def test_adjacent_days_are_soft() -> None:
    conflicts, _ = conflicts_of(
        claim("a", "date", "2021-03-01", "The bridge collapsed on 1 March after heavy rain.", about="collapsed"),
        claim("b", "date", "2021-03-02", "The bridge collapsed on 2 March after heavy rain.", about="collapsed"),
    )
    assert [(c.kind, c.severity) for c in conflicts] == [("date_conflict", "soft")]


def test_dates_of_reporting_verbs_are_not_compared() -> None:
    conflicts, _ = conflicts_of(
        claim("a", "date", "2024-03-04", "The fire service said on Monday the bakery was lost.", about="said",
              text="Monday"),
        claim("b", "date", "2024-03-06", "The fire service said on Wednesday the bakery was lost.", about="lost",
              text="Wednesday"),
    )
    assert conflicts == []


def test_dates_in_unrelated_sentences_are_not_compared() -> None:
    conflicts, _ = conflicts_of(
        claim("a", "date", "1946", "After the war, he returned to college, graduating in 1946.", about="returned"),
        claim("b", "date", "1950", "He returned to Dakota Wesleyan University in 1950 as a professor.",
              about="returned"),
    )
    assert conflicts == []


def test_a_report_with_two_values_for_a_field_takes_no_part() -> None:
    conflicts, _ = conflicts_of(
        claim("a", "date", "2018-10", SUSPENDED_A, about="suspended"),
        claim("a", "date", "2020-01", "The officer was suspended again in January 2020.", about="suspended"),
        claim("b", "date", "2018-11", SUSPENDED_B, about="suspended"),
    )
    assert conflicts == []


# --- numbers: a hedge that admits the other figure reconciles it ----------------------------------

@pytest.mark.parametrize(("a", "qa", "b", "qb", "verdict"), [
    ("22", "at least", "23", "", AGREE),
    ("30", "", "42", "", HARD),
    ("22", "at least", "20", "", HARD),
    ("22", "at least", "22", "", SAME),
    ("50", "more than", "50", "", SAME),
    ("50", "about", "50", "at least", SAME),
    ("30", "about", "33", "", AGREE),
    ("30", "about", "42", "", HARD),
    ("30", "nearly", "29", "", AGREE),
    ("30", "up to", "45", "", HARD),
    ("many", "", "3", "", UNKNOWN),
])
def test_compare_numbers(a: str, qa: str, b: str, qb: str, verdict: str) -> None:
    assert compare_numbers(a, qa, b, qb) == verdict
    assert compare_numbers(b, qb, a, qa) == verdict


def killed(article: str, value: str, *, qualifier: str = "", published: str | None = "2024-03-04") -> Claim:
    """A death-toll claim in a sentence about one explosion."""
    sentence = f"{qualifier} {value} people were killed when a gas explosion tore through a bakery.".strip()
    return claim(article, "number", value, sentence, about="killed", qualifier=qualifier, published=published)


def test_hard_number_conflicts_and_hedges_that_reconcile() -> None:
    hard, _ = conflicts_of(killed("a", "30"), killed("b", "42"))
    hedged, _ = conflicts_of(killed("a", "22", qualifier="at least"), killed("b", "20"))
    reconciled = conflicts_of(killed("a", "22", qualifier="at least"), killed("b", "23"))
    assert [(c.kind, c.severity) for c in hard] == [("number_conflict", "hard")]
    assert [v.label for v in hedged[0].values] == ["20", "at least 22"]
    assert reconciled == ([], [])


def test_rising_toll_in_a_later_report_is_an_update() -> None:
    conflicts, updates = conflicts_of(killed("a", "3", published="2024-03-04"),
                                      killed("b", "5", published="2024-03-06T09:30:00"))
    assert conflicts == []
    [update] = updates
    assert (update.kind, update.severity) == ("update", "none")
    assert [v.value for v in update.values] == ["3", "5"]
    assert "later reports update" in update.explanation


def test_falling_toll_or_same_time_is_a_conflict() -> None:
    falling, updates = conflicts_of(killed("a", "5", published="2024-03-04"), killed("b", "3", published="2024-03-06"))
    same_day, _ = conflicts_of(killed("a", "3", published="2024-03-04"), killed("b", "5", published="2024-03-04"))
    unknown, _ = conflicts_of(killed("a", "3", published=None), killed("b", "5", published="2024-03-06"))
    assert updates == []
    assert [len(found) for found in (falling, same_day, unknown)] == [1, 1, 1]


def age(article: str, value: str, published: str) -> Claim:
    """The age of a named person."""
    return claim(article, "number", value, f"Jo Reid, {value}, was charged.", about="age", subject="Jo Reid",
                 published=published)


def test_age_a_year_later_is_an_update() -> None:
    conflicts, updates = conflicts_of(age("a", "33", "2019-02-01"), age("b", "34", "2020-03-01"))
    assert conflicts == [] and [u.field for u in updates] == ["number:age:Jo Reid"]


def test_age_differences_without_time_to_explain_them() -> None:
    soft, _ = conflicts_of(age("a", "33", "2019-02-01"), age("b", "34", "2019-02-01"))
    hard, _ = conflicts_of(age("a", "33", "2019-02-01"), age("b", "36", "2019-06-01"))
    assert [c.severity for c in soft] == ["soft"]
    assert [c.severity for c in hard] == ["hard"]


SHOT_A = "A six-year-old boy shot his four-year-old brother with a handgun he found in a bedroom."
SHOT_B = "A 4-year-old boy was shot by his 6-year-old brother with a handgun found in a bedroom."


def unnamed_age(article: str, value: str, subject: str, sentence: str) -> Claim:
    """The age of a person a common noun names ("boy")."""
    return claim(article, "number", value, sentence, about="age", subject=subject, text=f"{value}-year-old")


def test_two_people_of_one_noun_whose_ages_a_report_tells_do_not_clash() -> None:
    both_told, _ = conflicts_of(
        unnamed_age("a", "6", "boy", SHOT_A), unnamed_age("a", "4", "brother", SHOT_A),
        unnamed_age("b", "4", "boy", SHOT_B), unnamed_age("b", "6", "brother", SHOT_B),
    )
    one_told, _ = conflicts_of(
        unnamed_age("a", "6", "boy", SHOT_A), unnamed_age("a", "4", "brother", SHOT_A),
        unnamed_age("b", "4", "boy", SHOT_B),
    )
    other_age, _ = conflicts_of(
        unnamed_age("a", "6", "boy", SHOT_A), unnamed_age("a", "35", "mother", SHOT_A),
        unnamed_age("b", "4", "boy", SHOT_B),
    )
    assert both_told == [] and one_told == []
    assert [c.field for c in other_age] == ["number:age:boy"]


def test_counts_of_vague_units_are_not_compared() -> None:
    conflicts, _ = conflicts_of(
        claim("a", "number", "5", "Five people were arrested at the rally in Glasgow.", about="people"),
        claim("b", "number", "150", "Around 150 people attended the rally in Glasgow.", about="people"),
    )
    assert conflicts == []


def test_copies_never_conflict_with_each_other() -> None:
    conflicts, _ = conflicts_of(
        killed("a", "30"),
        claim(
            "b",
            "number",
            "42",
            "42 people were killed when a gas explosion tore through a bakery.",
            about="killed",
            group="a",
        ),
    )
    assert conflicts == []


# --- quotes: negation, numbers and names change meaning; paraphrase does not ----------------------

NYE = ("The officer's behaviour was absolutely unacceptable, damaging to our reputation and will be tolerated by "
       "Devon and Cornwall Police or the communities we serve")


def quote(article: str, words: str, speaker: str = "Jim Nye") -> Claim:
    """A full quote by a speaker."""
    return claim(article, "quote", words, f'"{words}."', about="full", subject=speaker)


def test_negation_is_a_quote_discrepancy() -> None:
    conflicts, _ = conflicts_of(quote("002", NYE), quote("003", NYE.replace("will be", "will not be")))
    [conflict] = conflicts
    assert (conflict.kind, conflict.severity, conflict.field) == ("quote_discrepancy", "hard", "quote:Jim Nye")
    assert "negation" in conflict.explanation and "'not'" in conflict.explanation
    assert [v.evidence[0].article_id for v in conflict.values] == ["002", "003"]


@pytest.mark.parametrize(("a", "b", "reason"), [
    ("Three people were hurt in the blast", "Four people were hurt in the blast", "number"),
    ("We found 3 bodies in the house today", "We found bodies in the house today", "number"),
    ("Ask Smith about the plan for today", "Ask Jones about the plan for today", "name"),
    ("I won't back down from this fight", "I will back down from this fight", "negation"),
    ("He gave himself up just after 6 p.m.", "He gave himself up just after 6:30 p.m.", "number"),
    ("He gave himself up just after 6 p.m.", "He gave himself up just after 7:00 p.m.", "number"),
    # gva's "We received a call at 6:29 ..." against the same words timed to the second: 6:00:29 is not 6:29
    ("We received a call at 6:29 that we had a shooting at the Petco store",
     "We received a call at 6:00:29 that we had a shooting at the Petco store", "number"),
])
def test_meaning_changes(a: str, b: str, reason: str) -> None:
    verdict, found, _ = compare_quotes(a, b)
    assert found == reason and verdict in (HARD, SOFT)


@pytest.mark.parametrize(("a", "b"), [
    ("approached the police for support", "at a time when they had approached the police for help and support"),
    ("This conduct will be tolerated by no one on this council",
     "This conduct will not be tolerated by anyone on this council"),
    ("I'm doing the show because 16million people watch it", "I'm doing the show because 16 million people watch it"),
    ("real change from day one, he said to us", "real change from Day 1, he said to us"),
    ("We will find who did this and we will never stop", "We will find whoever did this and we will not stop"),
    # one time written two ways (ecbplus: Tim Fanning's "just after 6 p.m." and "just after 6:00 p.m.")
    ("gave himself up to police just after 6 p.m.", "gave himself up to police just after 6:00 p.m."),
])
def test_paraphrases_are_not_discrepancies(a: str, b: str) -> None:
    assert compare_quotes(a, b)[0] in (SAME, AGREE)


def test_quotes_of_different_speakers_or_one_report_are_not_compared() -> None:
    others, _ = conflicts_of(quote("002", NYE), quote("003", NYE.replace("will be", "will not be"), "Ann Bell"))
    one_report, _ = conflicts_of(quote("002", NYE), quote("002", NYE.replace("will be", "will not be")))
    assert others == [] and one_report == []


def test_surname_matches_full_name() -> None:
    conflicts, _ = conflicts_of(quote("002", NYE), quote("003", NYE.replace("will be", "will not be"), "Nye"))
    assert [c.kind for c in conflicts] == ["quote_discrepancy"]


def test_context_overlap_ignores_the_event_word() -> None:
    assert context_overlap(SUSPENDED_A, SUSPENDED_B, ignore="suspended") == 1.0
    assert context_overlap("He returned to college.", "He returned to Paris.", ignore="returned") == 0.0


# --- properties -----------------------------------------------------------------------------------

values = st.one_of(
    st.integers(1990, 2030).map(str),
    st.tuples(st.integers(1990, 2030), st.integers(1, 12)).map(lambda t: f"{t[0]}-{t[1]:02d}"),
    st.tuples(st.integers(1990, 2030), st.integers(1, 12), st.integers(1, 28)).map(
        lambda t: f"{t[0]}-{t[1]:02d}-{t[2]:02d}"),
)


@given(values, values)
def test_date_comparison_is_symmetric(a: str, b: str) -> None:
    assert compare_dates(a, b) == compare_dates(b, a)
    assert compare_dates(a, a) == SAME


@given(st.integers(0, 500), st.sampled_from(["", "at least", "about", "up to", "nearly"]),
       st.integers(0, 500), st.sampled_from(["", "at least", "about", "up to", "more than"]))
def test_number_comparison_is_symmetric(a: int, qa: str, b: int, qb: str) -> None:
    assert compare_numbers(str(a), qa, str(b), qb) == compare_numbers(str(b), qb, str(a), qa)
    assert compare_numbers(str(a), qa, str(a), qb) == SAME


@given(st.lists(st.sampled_from(["2018-10", "2018-11", "2018", "2019-05"]), min_size=1, max_size=5))
def test_a_single_report_never_conflicts_with_itself(found: list[str]) -> None:
    claims = [claim("only", "date", v, SUSPENDED_A, about="suspended") for v in found]
    assert conflicts_of(*claims) == ([], [])


def _compare_quotes_by_alignment(a: str, b: str) -> str:
    """The verdict of ``compare_quotes`` computed the slow, obvious way: always align (words said twice in a row
    read once, as ``compare_quotes`` reads them), then decide."""
    a, b = unrepeated(a), unrepeated(b)
    if a.lower() == b.lower():
        return SAME
    score, only_a, only_b = align_quotes(a, b)
    if score < QUOTE_SIMILARITY or min(len(words(a)), len(words(b))) < QUOTE_MIN_WORDS:
        return UNKNOWN
    reason, _ = meaning_change(only_a, only_b)
    return AGREE if not reason else SOFT if reason == "name" else HARD


_QUOTE_WORDS = st.lists(st.sampled_from(["we", "will", "not", "tolerate", "this", "behaviour", "Nye", "22",
                                         "never", "the", "force", "two", "Reid", "is", "it"]), max_size=12)


@given(_QUOTE_WORDS, _QUOTE_WORDS)
@example(["we", "will", "not", "Nye", "Reid", "tolerate", "this", "behaviour"],
         ["we", "will", "not", "tolerate", "this", "behaviour", "the", "force", "it", "is"])  # the bound reached
def test_similarity_bound_is_never_below_the_alignment_score(a: list[str], b: list[str]) -> None:
    assert similarity_bound(words(" ".join(a)), words(" ".join(b))) >= align_quotes(" ".join(a), " ".join(b))[0]


@given(_QUOTE_WORDS, _QUOTE_WORDS)
@example(["we", "will", "not", "tolerate", "this", "behaviour", "Nye"],
         ["we", "will", "not", "tolerate", "this", "behaviour", "Reid"])  # a name changed: soft
@example(["we", "will", "not", "tolerate", "this", "behaviour"], ["we", "will", "tolerate", "this", "behaviour"])
def test_compare_quotes_matches_the_aligning_reference(a: list[str], b: list[str]) -> None:
    assert compare_quotes(" ".join(a), " ".join(b))[0] == _compare_quotes_by_alignment(" ".join(a), " ".join(b))


def test_quotes_sharing_few_words_are_unknown_without_alignment() -> None:
    assert similarity_bound(words("we will act now on it"), words("they may act later on this")) < QUOTE_SIMILARITY
    assert compare_quotes("we will act now on it", "they may act later on this")[0] == UNKNOWN
