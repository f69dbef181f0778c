"""False conflicts and misread fields, from the labelled corpora's own sentences (each article's id beside it).

A part is no rival count ("Four people, including two juveniles"), a year alone dates background, the same
relative words ("Sunday", "tonight") read against two publication days are no two dates, a price a share is not
the deal's amount, a rounded figure agrees with the figure it rounds, a number's noun is a noun (not the "U" of
"U.S.", the "AK" of "AK - 47", a label's "Season 18" or a promo's "at 4 streaming live online"), and a quote said
twice over or given with its date is no changed quote.
"""

from __future__ import annotations

import pytest

from dedupe.extract.numbers import find_numbers
from dedupe.facts import AGREE, HARD
from dedupe.graph import cluster_id
from dedupe.merge import _is_stamp, default_extract, merge_cluster
from dedupe.report.views import conflict_view, shown_value
from dedupe.types import Article, Cluster
from dedupe.wording import compare_quotes


def conflicts(*reports: tuple[str, str, str | None]) -> dict[str, list[str]]:
    """The conflicts of a story of these (id, text, published) reports: each field and its values."""
    articles = {key: Article(key, text, published=published) for key, text, published in reports}
    members = tuple(sorted(articles))
    story = merge_cluster(Cluster(cluster_id(members), members, members[0]), articles, {}, default_extract)
    return {c.field: [v.value for v in c.values] for c in story.conflicts}


def counts(text: str) -> list[tuple[str, str]]:
    """(value, what it counts) of each number ``find_numbers`` reads in ``text``."""
    return [(m.value, m.about) for m in find_numbers(text)]


# --- a part of a count, or an increment to it, is no rival count ------------------------------------------------

@pytest.mark.parametrize(("first", "second", "field"), [
    (("gva-499422-1d8ad91727", ("Four people, including two juveniles, were shot and injured in a gusher of bullets "
      "at a southeast D.C. apartment complex Wednesday night."), "2016-02-04"),
     ("gva-499422-93f7ba3cae", ("Four people were shot and wounded Wednesday night, including two juveniles, during "
      "a incident on a residential block of Anacostia in Southeast Washington, D.C. police said."), "2016-02-03"),
     "number:injured"),
    (("gva-791884-3e590f5730", "One of the handguns was recovered in the vicinity of Randall Coffland.", "2017-03-10"),
     ("gva-791884-dd945fb165", ("Two handguns were found inside the home -- one in the closet and another near Randall "
      "Coffland, police said."), "2017-03-12"), "number:handguns"),
    (("ecb-18_9ecbplus", "The two other victims were being treated at Beaumont Hospital in Royal Oak.", None),
     ("ecb-18_4ecbplus", ("A spokeswoman for Beaumont Hospital in Royal Oak said the three victims were taken to the "
      "hospital but could not provide more details."), None), "number:victims"),
    (("as-5883-right", ("The number of confirmed dead at the site of the collapsed Florida condo building jumped to 60 "
      "overnight, with rescue workers pulling six more bodies from the rubble, officials said at a briefing Thursday "
      "morning."), "2021-07-08"),
     ("as-5883-center", ("At least 60 are confirmed dead and 80 unaccounted for after the search at the site of a "
      "collapsed Florida condominium building shifted from rescue to recovery overnight, Miami-Dade County Mayor "
      "Daniella Levine Cava said in a press conference Thursday morning."), "2021-07-08"), "number:killed"),
])
def test_a_part_is_no_rival_count(first: tuple, second: tuple, field: str) -> None:
    assert field not in conflicts(first, second)


def test_other_people_injured_are_still_all_the_injured() -> None:
    """gva-391263: "three other people were injured" (other than the woman killed) against "Four people were
    injured": a casualty count after "other" is whole, so the disagreement stays."""
    found = conflicts(
        ("gva-391263-842dcfb9e0", ("A woman was killed and three other people were injured when a fight escalated "
         "into a shooting Sunday night in Forest, authorities said."), "2015-08-10"),
        ("gva-391263-724e5795c8", "Four people were injured and one person was killed, police said.", "2015-08-10"))
    assert found["number:injured"] == ["3", "4"]


# --- dates: background years, the same relative words, a purpose's noun ------------------------------------------

def test_a_year_alone_is_background() -> None:
    """ecb-2: a Tony in 2004 and an Emmy in 2005 are two awards, not two dates of one."""
    found = conflicts(
        ("ecb-2_3ecb", "He won a Tony Award in 2004 for his role in the musical \u201cThe Boy from Oz.\u201d", None),
        ("ecb-2_4ecb", ("He won an Emmy in 2005 for hosting the 58th annual Tony Awards in 2004, when he also took a "
         "best-actor Tony for his performance in the musical \u201cThe Boy From Oz."), None))
    assert "date:won" not in found


@pytest.mark.parametrize(("first", "second", "field"), [
    (("gva-616948-918585eee4", "\"Our community has suffered a great loss tonight,\" she added.", "2016-07-30"),
     ("gva-616948-d1daa08846", ("\"Our community has suffered a great loss tonight,\" Mukilteo Mayor Jennifer "
      "Gregerson said."), "2016-07-31"), "date:suffered"),
    (("gva-311348-f01260ab88", "Jaquise Lewis, 17, was shot and killed at Los Altos Skate Park on Sunday.",
      "2015-03-25"),
     ("gva-311348-ba2c421ccb", "Lewis was shot and killed at an Albuquerque skate park Sunday night.", "2015-03-30"),
     "date:killed"),
    (("gva-519541-731f2d986d", "Brittany celebrated her young daughter's birthday two days ago.", "2016-03-10"),
     ("gva-519541-eff74f9b2a", ("Jessica Shelton said Brittany Powell just celebrated her other daughter's birthday "
      "on Tuesday."), "2016-03-19"), "date:celebrated"),
    (("gva-519541-63e08bbbb6", ("Twenty-five-year-old Lamont Powell was arrested in Pittsburgh Tuesday, a week after "
      "he didn't show up for trial in Washington County."), "2016-07-05"),
     ("gva-519541-d744c089bd", ("A warrant was issued for his arrest last week after Powell failed to show up for his "
      "trial on unrelated drug charges in Washington County."), "2016-07-05"), "date:arrested"),
])
def test_a_date_read_against_the_wrong_day_or_event_is_no_conflict(first: tuple, second: tuple, field: str) -> None:
    assert field not in conflicts(first, second)


def test_two_weekdays_of_one_day_still_clash() -> None:
    """Two reports of one day naming two days for one arrest still disagree."""
    found = conflicts(
        ("a", "Police arrested Josh Herrington for obstruction of justice on Monday in Bryan.", "2017-01-18"),
        ("b", "Police arrested Josh Herrington for obstruction of justice on Tuesday in Bryan.", "2017-01-18"))
    assert found["date:arrested"] == ["2017-01-16", "2017-01-17"]


# --- money: a price a share, a rounding, a figure cut by an ellipsis ----------------------------------------------

@pytest.mark.parametrize(("first", "second"), [
    (("uci-5392", "Men's Wearhouse Confirms $65/Share Purchase of Jos.", "2014-03-11"),
     ("uci-5308", "Men's Wearhouse buying Jos A Bank for $1.8 billion", "2014-03-11")),
    (("uci-768", "Chiquita and Fyffes merge in $1 billion deal", "2014-03-10"),
     ("uci-748", "Chiquita, Fyffes Agree to $1.07 Billion Merger Deal -- 4th Update", "2014-03-10")),
    (("uci-5242", "High-frequency trading firm Virtu Financial files for an IPO that could raise $250  ...",
      "2014-03-11"),
     ("uci-5249", "Virtu Financial (VIRT) Files $100M IPO", "2014-03-11")),
])
def test_amounts_that_are_not_rival_figures(first: tuple, second: tuple) -> None:
    assert "number:USD" not in conflicts(first, second)


def test_a_hedged_round_figure_still_clashes() -> None:
    """as-5824: "nearly $1 trillion" is below a trillion, so "$1.2 trillion" disagrees with it (no rounding)."""
    found = conflicts(
        ("as-5824-left", "The Senate has voted to begin work on a nearly $1 trillion national infrastructure plan.",
         "2021-07-29"),
        ("as-5824-right", ("The Senate voted to advance President Biden's $1.2 trillion infrastructure package on "
         "Wednesday."), "2021-07-29"))
    assert found["number:USD"] == ["1000000000000", "1200000000000"]


# --- what a number counts -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("article", "text", "expected"), [
    ("gva-375022-c46d24a4f2", "Hours before the Tennessee shooting, police said four U.S. Marines had been targeted.",
     [("4", "marines")]),
    ("ecb-12_2ecbplus", ("During the operation, six AK - 47 rifles, 12 magazines and about 300 rounds of ammunition "
     "were found and confiscated."), [("6", "rifles"), ("12", "magazines"), ("300", "rounds")]),
    ("ecb-12_7ecbplus", "The Navy confiscated 14 AK-47 rifles from the boat.", [("14", "rifles")]),
    ("gva-763313-45c525d1b3", ("Click here to watch KSLA News 12 Now at 4 streaming live online for the latest on "
     "this story."), [("4", "")]),
    ("uci-208", "UPDATE 1-Mt. Gox files for US bankruptcy to halt class action", []),
    ("uci-2678", "'The Bachelor' Season 18 Finale Spoilers: Who Will Juan Pablo Galavis Choose", []),
    ("uci-3954", "The Voice 2014 Season 6 Spoilers: Week 3 Blind Auditions Sneak Peek (VIDEO)", []),
    ("uci-4477", "UniCredit posts shock 2013 loss of \u00a311.66 billion after writedowns", [("11660000000", "GBP")]),
    ("uci-4595", "Colorado made $3.5mn in pot tax in first month", [("3500000", "USD")]),
])
def test_what_a_number_counts(article: str, text: str, expected: list) -> None:
    assert counts(text) == expected, article


def test_listicles_count_nothing_comparable() -> None:
    """uci: "The 7 Things That True Detective Was About" and "20 Things Inside Woody Harrelson's Mouth"."""
    found = conflicts(("uci-3113", "Seitz: The 7 Things That True Detective Was About", "2014-03-11"),
                      ("uci-3099", "20 Things Inside Woody Harrelson's Mouth on True Detective", "2014-03-11"))
    assert "number:things" not in found


# --- what the reports show ----------------------------------------------------------------------------------------

def test_an_updated_stamp_with_a_time_zone_is_no_headline() -> None:
    """ecb-12_1ecbplus opens with "Updated: November 11, 2011 20:09 IST" above its headline."""
    assert _is_stamp("Updated: November 11, 2011 20:09 IST")
    assert not _is_stamp("Navy foils Somali pirate attack off Gulf of Aden")


def test_a_count_of_four_digits_is_written_with_its_separator() -> None:
    """ecb-20_3ecbplus: "injured more than 1, 400" shows as "more than 1,400"; a date's year stays as it is."""
    view = conflict_view({"kind": "number_conflict", "field": "number:injured",
                          "explanation": "Sources give incompatible figures for injured: 50 (1 source) vs more than "
                                         "1400 (1 source).",
                          "values": [{"value": "1400", "label": "more than 1400", "sources": []}]})
    assert view["values"][0]["label"] == "more than 1,400"
    assert "more than 1,400 (1 source)" in view["explanation"]
    assert shown_value({"kind": "number", "value": "1400"}) == "1,400"
    assert shown_value({"kind": "date", "value": "2004"}) == "2004"


# --- quotes: a repetition or an added date is no changed meaning --------------------------------------------------

@pytest.mark.parametrize(("article", "first", "second"), [
    ("as-5997", ("I'll be meeting with President Putin in a couple of weeks in Geneva, making it clear that we will "
     "not, we will not stand by and let him abuse those rights"),
     ("I'll be meeting with [Russian] President [Vladimir] Putin in a couple weeks in Geneva making it clear that we "
     "will not stand by and let him abuse those rights")),
    ("wn-57fc784446fe", ("It is with great sadness that I confirm a serving Strathclyde Police officer died today in "
     "an incident where a firearm was discharged at Baird Street police office"),
     ("It is with great sadness that I have to tell you that a serving Strathclyde Police officer died today, Monday, "
     "5 November, in an incident where a firearm was discharged at Baird Street police office")),
])
def test_a_repetition_or_an_added_date_is_no_quote_discrepancy(article: str, first: str, second: str) -> None:
    assert compare_quotes(first, second)[0] == AGREE, article


def test_a_changed_day_is_still_a_quote_discrepancy() -> None:
    verdict, reason, _ = compare_quotes(
        "A serving Strathclyde Police officer died today, Monday, 5 November, at Baird Street police office",
        "A serving Strathclyde Police officer died today, Monday, 6 November, at Baird Street police office")
    assert (verdict, reason) == (HARD, "number")
