"""The year of a date written without one: a date that bounds a period is no past event's day, and a past tense
that is a noun after a determiner ("a third shot") is no event. Real sentences from allsides and gva."""

from __future__ import annotations

import pytest

from dedupe.extract._events import event_word
from dedupe.extract.dates import find_dates

# A date after "through", "until", "beginning" ... is the end or start of a period: a past tense near it (the
# verb of the clause, "funded", "issued") does not make it last year's day. Each resolved to the year before
# (the past-tense weight) without the rule.
SPANS = [
    (("The stopgap bill includes language to keep the government funded through Dec. 3 in addition to disaster "
     "relief funding and funding to aid with the resettlement of Afghan refugees."), "2021-09-30", "2021-12-03"),
    (("Days after a national eviction moratorium expired, the Biden administration on Tuesday issued a new, more "
     "limited freeze that remains in effect through Oct. 3."), "2021-08-04", "2021-10-03"),
    ("Facebook has until Oct. 4 to respond to the FTC\u2019s amended complaint.", "2021-08-19", "2021-10-04"),
    (("The World Health Organization called on Wednesday for a moratorium on coronavirus vaccine booster shots "
     "until the end of September, so that vaccine supplies can be focused on helping all countries vaccinate at "
     "least 10 percent of their populations."), "2021-08-04", "2021-09"),
    (("Americans who are eligible can receive a third shot beginning Sept. 20, pending authorization from the U.S. "
     "Food and Drug Administration, which is expected in the coming weeks, according to a statement from the "
     "Department of Health and Human Services and other administration medical experts."), "2021-08-18",
     "2021-09-20"),
]

# The same words where the period is past: the nearest day still wins, and a bare weekday stays the last one.
PAST_SPANS = [
    ("A medical crew took him to UPMC Presbyterian, where he remained until early May.", "2016-06-25", "2016-05"),
    (("By 11:30 p.m. on Monday, the Gun Violence Archive reported 189 people killed and 516 injured in shootings "
     "over the course of a 72-hour period starting Friday."), "2021-07-06", "2021-07-02"),
    (("The Treasury Department said Monday that 39 million families are set to receive monthly child payments "
     "beginning on July 15."), "2021-05-17", "2021-07-15"),
]


@pytest.mark.parametrize(("sentence", "published", "value"), SPANS + PAST_SPANS)
def test_a_date_bounding_a_period(sentence: str, published: str, value: str) -> None:
    assert value in [m.value for m in find_dates(sentence, published)]


def test_no_year_without_a_publication_day() -> None:
    (mention,) = find_dates(SPANS[0][0], None)
    assert mention.value == "--12-03"


def _about(sentence: str, date_text: str) -> str:
    start = sentence.index(date_text)
    return event_word(sentence, start, start + len(date_text))


# "shot", "bit" after a determiner (with an ordinal between or not) are nouns: the date's event is elsewhere.
NOUNS = [
    (("Americans who are eligible can receive a third shot beginning Sept. 20, pending authorization from the U.S. "
     "Food and Drug Administration, which is expected in the coming weeks."), "Sept. 20", "expected"),
    (("Police surrounded a home on Treva Road in Sandston Saturday night after a shot rang out in a detached "
     "garage on the backside of the property."), "Saturday", "rang"),
    (("Judy Nitura, an employee at the Beef Jerky Store on 3rd Street, said she heard a shot this morning but "
     "wasn't sure if it was a serious issue."), "this morning", "heard"),
    ("Hurricane Ida arrived in Louisiana Sunday every bit as ornery as advertised: 150 mph winds.", "Sunday",
     "arrived"),
]
# The same words as verbs and participles stay events ("those" and "each" come before a participle too).
VERBS = [
    ("One of those shot was in critical condition Wednesday afternoon.", "Wednesday", "shot"),
    (("By early this morning, three of those shot -- a 21-year-old man and two boys, ages 16 and 17 -- were in good "
     "condition, according to police."), "this morning", "shot"),
    ("His supporters stormed Congress in Washington DC on 6 January in a failed bid...", "6 January", "failed"),
    ("Gigante carried out an attempted hit on the boss of the family, Frank Costello, in 1957.", "1957",
     "attempted"),
]


@pytest.mark.parametrize(("sentence", "date_text", "about"), NOUNS + VERBS)
def test_a_past_tense_after_a_determiner_is_a_noun(sentence: str, date_text: str, about: str) -> None:
    assert _about(sentence, date_text) == about
