"""Amounts converted in brackets, ranges and tokenised numbers, read from the corpora's own sentences.

Each sentence is quoted from a labelled corpus (its article id beside it). A conversion ("€3.6m (£3.1m)") is one
amount, not two; a range ("aged 20 to 27", "between 60 and 100 rioters") is two bounds of one count as merging
compares them (``numbers.as_compared``), never a plain figure; ECB+'s tokenised "31, 000" is 31,000, not 0.
"""

from __future__ import annotations

import re

import pytest

from dedupe.extract import extract
from dedupe.extract.numbers import as_compared, find_numbers
from dedupe.graph import cluster_id
from dedupe.merge import default_extract, merge_cluster
from dedupe.types import Article, Cluster


def money(text: str) -> list[tuple[str, str]]:
    """The amounts of money ``find_numbers`` reads in ``text``, as (currency, value)."""
    return [(m.about, m.value) for m in find_numbers(text) if m.about.isupper()]


@pytest.mark.parametrize(("article", "text", "expected"), [
    ("as-5649-left", "A local notary signed the deal. Purchase price: €3.6m (£3.1m). For this, the buyer got a lu",
     [("EUR", "3600000")]),
    ("ecb-13_1ecb", "Damage to the church was estimated at $US1 million ($1.52 million), authorities said.",
     [("USD", "1000000")]),
    ("wn-9b589957667a",
     "They may have to pay a fine of up to €10 million ($12.9 million) if the court's ruling is upheld.",
     [("EUR", "10000000")]),
    ("wn-b5bff30c032f", "For that, David Stern, then the NBA commissioner, fined him $25 million ($A26.98 million).",
     [("USD", "25000000")]),
    ("wn-faaf8a4c8ed4", "He said the US would send $47m (£28m) in aid to Gaza", [("USD", "47000000")]),
])
def test_a_conversion_in_brackets_is_not_a_second_amount(article: str, text: str, expected: list) -> None:
    assert money(text) == expected, article


@pytest.mark.parametrize(("article", "text", "expected"), [
    ("uci-5077", "UPDATE 1-Fannie, Freddie could send $179.2 bln to taxpayers -White House", ("USD", "179200000000")),
    ("uci-4608", "UPDATE 1-Colorado reaps $2.1 mln from first month of recreational pot sales", ("USD", "2100000")),
    ("uci-4531", "Colorado Makes $3.5-Million In January Pot Revenue", ("USD", "3500000")),
    ("ecb-8_2ecbplus", "110 - billion ($143 - billion) EU and IMF debt bailout at the weekend.",
     ("USD", "143000000000")),
])
def test_an_amount_keeps_its_scale(article: str, text: str, expected: tuple[str, str]) -> None:
    assert money(text)[-1] == expected, article


def compared(text: str) -> list[tuple[str, str, str, str]]:
    """The number mentions of ``text`` as merging compares them: (value, about, subject, qualifier)."""
    fields = extract(Article("x", text))
    return [(m.value, m.about, m.subject, m.qualifier) for m in as_compared(fields.mentions) if m.kind == "number"]


@pytest.mark.parametrize(("article", "text", "expected"), [
    ("gva-624046-b74a6973fe", ("Warren County Sheriff Martin Pace tells news outlets that four men, aged 20 to "
     "27, were shot outside a convenience store about 2:15 a.m. Sunday."),
     [("4", "men", "", ""), ("20", "age", "men", "at least"), ("27", "age", "men", "at most")]),
    ("ecb-19_8ecbplus", "Between 60 and 100 rioters gathered around Church and Snyder Ave.",
     [("60", "rioters", "", "at least"), ("100", "rioters", "", "at most")]),
    ("gva-311348-8f86fa9c81", "Around 30 to 40 people were at the park when it happened.",
     [("30", "people", "", "around"), ("40", "people", "", "at most")]),
    ("ecb-20_2ecbplus", ("Iranians are still haunted by harrowing images of the world's worst disaster in December "
     "2003, in which more than 31, 000 people were killed in the ancient city of Bam."),
     [("31000", "killed", "", "more than")]),
    ("ecb-16_5ecbplus", "Deputies said that Orozco is 5 - foot - 8, 135 pounds, with tattoos on his chin.",
     [("5", "", "", ""), ("8", "", "", ""), ("135", "pounds", "", "")]),
    ("gva-480470-bd492f950c", ("The suspect is described as a black female, approximately 5’6, 135 pounds, 30-35 "
     "years of age."), [("5", "", "", "approximately"), ("6", "", "", ""), ("135", "pounds", "", "")]),
])
def test_ranges_and_split_numbers_as_compared(article: str, text: str, expected: list) -> None:
    assert compared(text) == expected, article


def test_a_range_of_ages_is_no_count_of_people_shot() -> None:
    """gva's Warren County story: "four men, aged 20 to 27, were shot" read 27 shot, against another report's
    "Four people shot" (gva-624046-e9c42c8834); the range is now the men's ages, and the story has no conflict."""
    reports = {
        "gva-624046-b74a6973fe": "Warren County Sheriff Martin Pace tells news outlets that four men, aged 20 to 27, "
                                 "were shot outside a convenience store about 2:15 a.m. Sunday.",
        "gva-624046-e9c42c8834": "RELATED: Four people shot outside Warren County store, 3 arrested",
    }
    articles = {key: Article(key, text) for key, text in reports.items()}
    members = tuple(sorted(articles))
    story = merge_cluster(Cluster(cluster_id(members), members, members[0]), articles, {}, default_extract)
    assert [c.field for c in story.conflicts] == []


def test_a_calibre_is_no_count() -> None:
    """gva-775531-4406703f1f: "one live 9 mm round" read 9 rounds against another report's "one live round"."""
    text = "At the brothers' apartment, police found five 9 mm shell casings and one live 9 mm round."
    assert "9" not in [m.value for m in find_numbers(text)]


def test_split_money_keeps_its_currency() -> None:
    """ecb-13_5ecbplus: "They pumped another $600, 000 in state money into Mat Maid" is $600,000, not $600 and 0."""
    text = "They pumped another $600, 000 in state money into Mat Maid, which lost money."
    assert [(v, about) for v, about, _, _ in compared(text)] == [("600000", "USD")]


@pytest.mark.parametrize(("text", "expected"), [
    # ECB+'s tokenised decimal point: before a scale word, or cents (ecb-8_3ecbplus), is one amount ...
    ("The deal was worth $2. 6 - million.", [("2600000", "USD")]),
    ("helping drive the euro below $1. 29 for the first time in over a year.", [("1.29", "USD")]),
    # ... but a sentence ending on an amount does not swallow the next sentence's count
    ("It cost $5. 3 people were hurt.", [("5", "USD"), ("3", "injured")]),
])
def test_a_split_decimal_point_only_in_cents_or_before_a_scale_word(text: str, expected: list) -> None:
    assert [(m.value, m.about) for m in find_numbers(text)] == expected


@pytest.mark.parametrize(("article", "text", "expected"), [
    # a weight: a weight or height told before it, or a substance after it
    ("gva-695963-13cfb256b8", "Fritch is described as a white female, 5 feet 1 inch tall and weighing 135 pounds.",
     ("135", "pounds")),
    ("gva-617607-3be1ea26fb", "He is 5 feet 9 inches tall and weighs 130 pounds.", ("130", "pounds")),
    ("gva-143951-44c1e0ab5d", "Police pulled over a vehicle and discovered approximately 300 pounds of marijuana.",
     ("300", "pounds")),
    # money: no weight told, a price's word before it, a scale word
    ("wn-cb99a9865dd6", "He picked up two of the six nominations for the prize, worth 20,000 pounds ($32,710).",
     ("20000", "GBP")),
    ("ecb-24_13ecb", "Armed robbers stole gems worth 85 million euros (74 million pounds) from luxury jewellers.",
     ("74000000", "GBP")),
])
def test_pounds_after_a_bare_number_weigh_or_pay_by_context(article: str, text: str, expected: tuple) -> None:
    assert (expected[0], expected[1]) in [(m.value, m.about) for m in find_numbers(text)], article


@pytest.mark.parametrize(("article", "text", "expected"), [
    ("ecb-19_8ecbplus", ("Two plainclothes NYPD officers shot and killed a 16 - year - old Brooklyn resident after "
     "police say he pointed a gun at officers on Saturday"), ("16", "age", "resident")),
    ("ecb-8_1ecbplus", ("\"I don't know how I'm going to get by,\" said 61 - year - old Anargyros Bizianis, a "
     "municipal worker in the Athens suburb"), ("61", "age", "Anargyros Bizianis")),
    ("ecb-13_14ecbplus", "A 57 - year - old Wasilla woman has been indicted by a federal grand jury.",
     ("57", "age", "woman")),
])
def test_an_age_whose_hyphens_a_tokeniser_split_is_an_age(article: str, text: str, expected: tuple) -> None:
    """ECB+ writes "a 16 - year - old": extraction reads it as "a 16-year-old" is read, for scores and merging."""
    assert expected in [(m.value, m.about, m.subject) for m in find_numbers(text)], article
    assert expected in [(v, about, subject) for v, about, subject, _ in compared(text)], article


def test_a_split_age_is_read_where_its_digits_stand_twice() -> None:
    """The count and the age share their digits: each is read where it stands (merging once read split ages from
    the sentence alone, and so read neither here)."""
    text = "Police said 16 people were hurt when a 16 - year - old Brooklyn resident opened fire on Saturday."
    read = [(m.value, m.about, m.subject) for m in find_numbers(text)]
    assert ("16", "injured", "") in read and ("16", "age", "resident") in read


@pytest.mark.parametrize(("article", "text"), [
    ("ecb-21_13ecbplus", ("A 59 - year - old woman was killed in a hit - and - run crash while visiting a former "
     "neighbor to welcome his new daughter - in - law to the family Friday evening.")),
    ("ecb-21_7ecbplus",
     "Police say a 59 - year - old woman died after being struck by a vehicle in Queens Friday night."),
    ("ecb-16_10ecbplus", ("The 35 - year - old deputy was killed on June 24, while investigating an attack in which "
     "Orozco shot a man in the back while doing yard work at a Hawaiian Gardens home four days earlier.")),
    ("ecb-18_6ecbplus", ("Anthony LaCalamita III was found guilty of first - degree murder and assault with intent to "
     "murder in the shotgun slaying of 63 - year - old Madeline Kafoury.")),
    ("ecb-19_1ecbplus", ("Hostility has been mounting this week in East Flatbush, Brooklyn, after two plainclothes "
     "police officers fatally shot 16 - year - old Kimani Gray after he allegedly pointed a revolver at them.")),
])
def test_a_victim_whose_age_a_tokeniser_split_counts_as_the_joined_form(article: str, text: str) -> None:
    """ECB+'s "a 59 - year - old woman was killed" counted no one killed, "a 59-year-old woman was killed" 1: the
    victim readers share one age pattern (``_people.AGE``), which reads the split hyphens as joined ones."""
    joined = re.sub(r"([0-9]) - (year) - old", r"\1-\2-old", text)
    split = [(m.value, m.about, m.subject, m.qualifier) for m in find_numbers(text)]
    assert split == [(m.value, m.about, m.subject, m.qualifier) for m in find_numbers(joined)], article
    assert ("1", "killed") in [(value, about) for value, about, _, _ in split], article


@pytest.mark.parametrize(("article", "text", "expected"), [
    ("gva-629446-9487f10d03", ("A 17-month-old was injured in one incident, but it's not known if the toddler's "
     "injuries were caused by shrapnel or broken glass."), ("1", "injured")),
    ("gva-280675-a189317bf1", "A 9-month-old died from a gunshot wound to the head Monday morning.", ("1", "killed")),
])
def test_a_victim_named_by_an_age_in_months_counts(article: str, text: str, expected: tuple) -> None:
    """"A 17-month-old was injured" counts one injured as "A 17-year-old was injured" does."""
    assert expected in [(m.value, m.about) for m in find_numbers(text)], article


@pytest.mark.parametrize(("article", "text", "figure"), [
    ("gva-676663-0f0461c9bf", ("Paul Elen, 64, who was visiting his brother in the neighborhood, said he \u201cheard "
     "about 15, 20 shots.\u201d"), "20"),
    ("ecb-23_10ecbplus", ("Robert Buckley, 32, fell about 2, 000 feet while climbing to a small hut on Mount Sefton in "
     "the Aoraki - Mount Cook national park on Saturday."), "2000"),
])
def test_a_list_of_ages_goes_on_only_from_an_age(article: str, text: str, figure: str) -> None:
    """"ages 18, 21 and 35" gives each an age; a number after another that is no age does not ("15, 20 shots"
    after "Paul Elen, 64,"; "2, 000 feet" after "Robert Buckley, 32,": a false age conflict, 32 vs 2000)."""
    ages = [m.value for m in as_compared(find_numbers(text)) if m.about == "age"]
    assert figure not in ages and ages[0] in ("64", "32"), article
    assert [m.value for m in find_numbers("Four men, ages 18, 21 and 35, were shot.") if m.about == "age"] == \
        ["18", "21", "35"]


@pytest.mark.parametrize(("article", "text", "figure"), [
    ("gva-501349-5ec051987a", "Two 15-year-olds were also wounded in the shooting.", "15"),
    ("wn-fc4bbce8d52e", ("And, above all, what set him on a path to go classroom-by-classroom, massacring 6- and "
     "7-year-olds?"), "7"),
])
def test_ages_in_the_plural_are_ages(article: str, text: str, figure: str) -> None:
    """"two 15-year-olds" gives the age 15 as "a 15-year-old" does (it counted "year")."""
    assert (figure, "age") in [(m.value, m.about) for m in find_numbers(text)], article


def test_a_count_whose_verb_takes_a_count_as_object_is_no_casualty() -> None:
    """ecb-19_1ecbplus: "two ... officers fatally shot 16 - year - old Kimani Gray" names the shooters, not two dead
    (a false hard conflict, killed 1 vs 2, in its story). Merging reads any count after the verb as its object,
    in words or figures; a count of times is none. Same-story scores read the same (``find_numbers``)."""
    text = ("Hostility has been mounting this week in East Flatbush, Brooklyn, after two plainclothes police officers "
            "fatally shot 16 - year - old Kimani Gray after he allegedly pointed a revolver at them on Saturday night.")
    for victim in ("16 - year - old Kimani Gray", "12 people", "five men"):
        read = [(v, about) for v, about, _, _ in compared(text.replace("16 - year - old Kimani Gray", victim))]
        assert ("2", "killed") not in read and ("2", "plainclothes") in read, victim
    for times in ("12", "3"):
        shot = text.replace("fatally shot 16 - year - old Kimani Gray", f"were shot {times} times")
        assert ("2", "shot") in [(v, about) for v, about, _, _ in compared(shot)], times
        assert ("2", "shot") in [(m.value, m.about) for m in find_numbers(shot)], times  # as same-story scores read it


@pytest.mark.parametrize(("article", "text", "expected"), [
    ("ecb-23_2ecbplus",
     "Yesterday, a 36 - year - old Australian climber died after falling about 150 metres at Mt Cook.",
     ("36", "age", "climber")),
    ("gva-375322-afa8bab1e5", "Finally, a 52-year-old man was shot in the abdomen around 10:20 p.m. Tuesday.",
     ("52", "age", "man")),
    ("ecb-33_4ecb", ("Emotional testimony and at times lies are what jurors heard Tuesday in the trial of Jermayne "
     "Timmons, the teen accused of shooting and killing 10-year-old Kathina Thomas last May in Albany."),
     ("10", "age", "Kathina Thomas")),
    ("gva-358499-27e7372cb2", ("At around the same time in the 2900 block of Mosher Street, officers found a "
     "34-year-old man suffering from gunshot wounds to his back and neck."), ("34", "age", "man")),
    ("gva-306048-af848081e2", "4-year-old girl still in 'grave' condition following shooting - wave3.",
     ("4", "age", "girl")),
    ("gva-385824-d794d8a2f3", "One, 21, is in critical condition with gunshot wounds in his back and chest.",
     ("21", "age", "")),
])
def test_an_age_is_of_a_person_not_of_a_stray_word(article: str, text: str, expected: tuple) -> None:
    """Whose an age is: not a word that opens a sentence without naming anyone ("Yesterday", "Finally", "One"),
    nor one past the phrase that names the person ("last May", "suffering from", "still in")."""
    assert expected in [(v, about, subject) for v, about, subject, _ in compared(text)], article


@pytest.mark.parametrize(("article", "text", "expected"), [
    ("as-6099-right", ("The campaign collected more than 1.6 million verified signatures, according to the secretary "
     "of state’s office."), ("1600000", "signatures", "more than")),
    ("as-5889-left", ("Gov. Andrew M. Cuomo declared a new state of emergency around gun violence and committed almost "
     "$139 million to reverse the trend of rising shootings and murders across the state."),
     ("139000000", "USD", "almost")),
    ("as-5749-center", ("U.S. officials said only China can help solve questions about the true origins of the virus "
     "that has now killed 4.6 million people worldwide."), ("4600000", "killed", "")),
])
def test_a_scaled_figure_keeps_its_hedge_and_its_verb(article: str, text: str, expected: tuple) -> None:
    """A figure with a scale word ("1.6 million") is read as any other: its hedge before it ("more than 1.6
    million" reconciles 1,626,042: no conflict) and the casualty verb before it ("killed 4.6 million people")."""
    assert expected in [(m.value, m.about, m.qualifier) for m in as_compared(find_numbers(text))], article


def test_a_noun_phrase_ends_at_a_blank_line() -> None:
    """wn-f3df9a4d281f lists airlines' telephone numbers, each paragraph its own line; the next paragraph's first word
    ("Passengers tell of disruption") is not what the last number counts. On one line it would be."""
    listed = "British Med Airlines:\n\n0870 850 9850\n\nPassengers tell of disruption at Heathrow."
    assert [(m.value, m.about) for m in find_numbers(listed)][-1] == ("9850", "")
    assert [(m.value, m.about) for m in find_numbers(listed.replace("\n\n", " "))][-1] == ("9850", "passengers")
