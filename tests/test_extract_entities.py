"""Named entities and the main place, on the seeds and on sentences from real articles."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe.extract.entities import find_entities
from dedupe.extract.places import dateline, main_place

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"


def seed(prefix: str) -> str:
    """The text of the seed whose file name starts with ``prefix``."""
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def triples(text: str) -> set[tuple[str, str, str]]:
    """``(kind, value, about)`` of every entity found in ``text``."""
    return {(m.kind, m.value, m.about) for m in find_entities(text)}


def values(text: str, kind: str) -> list[str]:
    """The values of one kind, in text order, repeats kept."""
    return [m.value for m in find_entities(text) if m.kind == kind]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("002", ("person", "Jim Nye", "Deputy Chief Constable")),
        ("002", ("person", "Jim Nye", "DCC")),
        ("002", ("organisation", "Devon and Cornwall Police", "")),
        ("002", ("person", "PC J", "PC")),
        ("003", ("person", "Jim Nye", "Deputy Chief Constable")),
        ("003", ("organisation", "Devon and Cornwall Police", "")),
        ("003", ("organisation", "IOPC", "Independent Office for Police Conduct")),
        ("003", ("organisation", "CPS", "Crown Prosecution Service")),
        ("003", ("person", "Catrin Evans", "regional director")),
        ("000", ("person", "Paul Thompson", "Det Supt")),
        ("000", ("person", "Claire Armes", "Assistant Chief Constable")),
        ("000", ("organisation", "Warwickshire Police", "")),
        ("000", ("organisation", "College of Policing", "")),
        ("000", ("place", "Stratford", "")),
        ("000", ("organisation", "IOPC", "Independent Office for Police Conduct")),
        ("001", ("organisation", "NPCC", "National Police Chief\u2019s Council")),
        ("001", ("person", "Sally Blaiklock", "Acting Assistant Chief Constable")),
        ("001", ("organisation", "Professional Standards Department", "")),
    ],
)
def test_seed_entities(name: str, expected: tuple[str, str, str]) -> None:
    assert expected in triples(seed(name))


def test_seed_002_names_no_one_else() -> None:
    text = seed("002")
    assert sorted(set(values(text, "person"))) == ["Jim Nye", "PC J"]
    # The IOPC is never defined in 002: the acronym stands alone.
    assert ("organisation", "IOPC", "") in triples(text)


def test_seed_000_all_caps_lead_is_not_a_name() -> None:
    found = find_entities(seed("000"))
    assert not [m for m in found if "SERVING" in m.text]
    assert found[0].value == "Warwickshire Police"


def test_mentions_point_into_the_text() -> None:
    text = seed("003")
    mentions = find_entities(text)
    for mention in mentions:
        assert text[mention.start : mention.start + len(mention.text)] == mention.text
        assert mention.text in mention.sentence
    spans = [(m.start, m.start + len(m.text)) for m in mentions]
    names = ["Devon and Cornwall Police", "IOPC", "Jim Nye", "Catrin Evans", "Crown Prosecution Service"]
    places = [found.start() for name in names for found in re.finditer(re.escape(name), text)]
    assert len(places) >= len(names)  # each name is in the text
    assert all(any(start <= at < end for start, end in spans) for at in places)  # and found where it is


def test_surface_and_sentence_of_a_titled_person() -> None:
    text = seed("003")
    nye = next(m for m in find_entities(text) if m.value == "Jim Nye")
    assert nye.text == "Deputy Chief Constable Jim Nye"
    assert nye.sentence.startswith("Deputy Chief Constable Jim Nye said the force")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # wikinews, Reuters: lower-case role before a name
            "Homs provincial governor Talal Barazi told Reuters 80 percent of the fighters had left.",
            {
                ("place", "Homs", ""),
                ("person", "Talal Barazi", "provincial governor"),
                ("organisation", "Reuters", ""),
            },
        ),
        (  # wikinews, CNN: an abbreviated rank and a place acronym
            "Gen. David Petraeus, U.S. commander in Iraq, reports on progress to Congress on Monday.",
            {
                ("person", "David Petraeus", "Gen."),
                ("place", "United States", ""),
                ("place", "Iraq", ""),
                ("organisation", "Congress", ""),
            },
        ),
        (  # wikinews, Guardian
            (
                "Governor Jerry Brown, a Democrat, signed the bill into law on Saturday, "
                "according to the San Francisco Chronicle."
            ),
            {("person", "Jerry Brown", "Governor"), ("organisation", "San Francisco Chronicle", "")},
        ),
        (  # wikinews, Reuters: a lower-case particle inside a name
            (
                "They were driven to rebel-held territory under a deal agreed between the insurgents "
                "and forces loyal to President Bashar al-Assad."
            ),
            {("person", "Bashar al-Assad", "President")},
        ),
        (  # wikinews, CNN: possessive before a role
            (
                "Rep. Ike Skelton, D-Missouri, the Armed Services Committee's chairman, ordered several "
                "protesters arrested."
            ),
            {("person", "Ike Skelton", "Rep."), ("organisation", "Armed Services Committee", "")},
        ),
        (  # ecbplus: AP state abbreviation after a county
            (
                "A judge in Fulton County, Ga., sentenced Brian Nichols Saturday to multiple life prison "
                "sentences for his deadly 2005 rampage at Fulton Courthouse."
            ),
            {
                ("place", "Fulton County", ""),
                ("place", "Georgia", ""),
                ("person", "Brian Nichols", ""),
            },
        ),
        (  # ecbplus: titles after an organisation, a role, a possessive, an acronym
            (
                "Nichols was convicted of overpowering a sheriff's deputy before killing Superior Court "
                "Judge Rowland Barnes, court reporter Julie Ann Brandau, Sheriff's Deputy Sgt. Hoyt "
                "Teasley and U.S. Customs Agent David Wilhelm."
            ),
            {
                ("organisation", "Superior Court", ""),
                ("person", "Rowland Barnes", "Superior Court Judge"),
                ("person", "Julie Ann Brandau", "court reporter"),
                ("person", "Hoyt Teasley", "Sheriff's Deputy Sgt."),
                ("place", "United States", ""),
                ("person", "David Wilhelm", "Customs Agent"),
            },
        ),
        (  # gva: rank after a lower-case place word
            "The toddler was hospitalized in critical condition, said Detroit police Sgt. Cassandra Lewis.",
            {("place", "Detroit", ""), ("person", "Cassandra Lewis", "Sgt.")},
        ),
        (  # gva: "and" between two people, "of" before an organisation
            (
                "The two injured officers \u2014 identified in the affidavit as Sean Stewart and Jimmy "
                "Hampton of the Wellston Police Department \u2014 were responding."
            ),
            {
                ("person", "Sean Stewart", ""),
                ("person", "Jimmy Hampton", ""),
                ("organisation", "Wellston Police Department", ""),
            },
        ),
        (  # seed 001: possessive between two organisations
            (
                "The investigation by Staffordshire Police's Professional Standards Department found that "
                "the former police constable contacted sex workers."
            ),
            {
                ("organisation", "Staffordshire Police", ""),
                ("organisation", "Professional Standards Department", ""),
            },
        ),
        (  # wikinews, NYT: a title with "of", an initial, an acronym before it
            (
                "U.S. Secretary of State John F. Kerry is working to support Egyptian mediation efforts "
                "and is prepared to travel to the region after additional consultations, Obama said."
            ),
            {
                ("place", "United States", ""),
                ("person", "John F. Kerry", "Secretary of State"),
                ("person", "Obama", ""),
            },
        ),
        (  # wikinews, Guardian: "Di" is a particle here, not a Detective Inspector
            'However, political rival Antonio Di Pietro said "the truth has been exposed".',
            {("person", "Antonio Di Pietro", "")},
        ),
        (  # wikinews, AFP: a dateline in capitals is one place, title-cased
            (
                "GAZA CITY \u2014 It\u2019s the holy month of Ramadan, when people throughout the Muslim "
                "world meet with friends and family, buy presents for loved ones and break a day-long fast "
                "each evening amid colorful street scenes."
            ),
            {("place", "Gaza City", "")},
        ),
        (  # gva: an age before a name outweighs the street word "Lane"
            "Police say 17-year-old Thomas Lane, a senior at Lorenzo Walker Technical High School, was shot.",
            {("person", "Thomas Lane", ""), ("organisation", "Lorenzo Walker Technical High School", "")},
        ),
        (  # gva: ages after names in a list separated by semicolons
            (
                "Besides the girl, whose name was not released by police, victims were Tramarceia Ruffins, "
                "22; Mary Davis, Trevonte Carter and Shontae Armstrong, ages not available; Gerod Ward, 18; "
                "and Oshaye Collins, 21."
            ),
            {
                ("person", "Tramarceia Ruffins", ""),
                ("person", "Mary Davis", ""),
                ("person", "Gerod Ward", ""),
                ("person", "Oshaye Collins", ""),
            },
        ),
        (  # wikinews, Reuters: sentence-initial common words are not names
            "Mortar bombs were fired on protests in Homs and the revolution became armed.",
            {("place", "Homs", "")},
        ),
        (  # gva, NBC Washington: a Title Case headline line
            (
                "Police Arrest Man Accused in Shooting Death of 3-Year-Old Girl\n"
                "After a 38-day manhunt, police arrested a man."
            ),
            set(),
        ),
        (  # wikinews, Reuters: "for the ... of" after an organisation head word, defined acronym
            (
                "The verification of Syria's declaration on its poison gas arsenal has been overseen by "
                "a joint team of the United Nations and the Organization for the Prohibition of Chemical "
                "Weapons (OPCW), the global chemical arms watchdog."
            ),
            {
                ("place", "Syria", ""),
                ("organisation", "United Nations", ""),
                ("organisation", "OPCW", "Organization for the Prohibition of Chemical Weapons"),
            },
        ),
        (  # wikinews, Reuters: a dateline left without its dash, capitals then a place name
            (
                "DHAKA Bangladesh said on Thursday a child infected with bird flu, the country's first "
                "reported human case of the virus, had recovered."
            ),
            {("place", "Dhaka", ""), ("place", "Bangladesh", "")},
        ),
        (  # seed 002: a title-only run before a comma, then the name
            (
                "Deputy Chief Constable, Jim Nye said: \u201cDevon and Cornwall Police take all reports of "
                "abuse of position very seriously."
            ),
            {
                ("person", "Jim Nye", "Deputy Chief Constable"),
                ("organisation", "Devon and Cornwall Police", ""),
            },
        ),
    ],
)
def test_entities_in_real_sentences(text: str, expected: set[tuple[str, str, str]]) -> None:
    assert triples(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # ecbplus: the surname later in the article is the same person
            (
                "Superior Court Judge James Bodiford sentenced Brian Nichols on Saturday.\n"
                "\u201cThe jury has spoken and I respect the jury,\u201d Bodiford said.\n"
                "Nichols was convicted of overpowering a sheriff's deputy."
            ),
            ["James Bodiford", "Brian Nichols", "James Bodiford", "Brian Nichols"],
        ),
        pytest.param(  # wikinews: Mr + surname, and a longer spelling of the same name
            (
                "It was brought on behalf of Emad Hassan. Lawyers for Emad Abdullah Hassan say "
                "Mr Hassan has been force-fed."
            ),
            ["Emad Abdullah Hassan", "Emad Abdullah Hassan", "Emad Abdullah Hassan"],
            marks=pytest.mark.skipif(
                importlib.util.find_spec("gender_guesser") is None,
                reason="needs the international given-name list: pip install 'newsdedupe[intl]'",
            ),
        ),
    ],
)
def test_short_references_resolve_to_the_full_name(text: str, expected: list[str]) -> None:
    assert values(text, "person") == expected


@pytest.mark.parametrize(
    ("lead", "expected"),
    [  # the openings of articles in the shared corpora
        ("CAIRO (Reuters) - At least four tanks deployed outside the Egyptian presidential", "Cairo"),
        ("WASHINGTON (CNN) -- The 30,000 additional troops deployed to Iraq in January", "Washington"),
        ("NEW YORK \u2014 Big Bird has never been so hot.", "New York"),
        ("SIOUX FALLS, S.D. \u2014 George S. McGovern, a proud liberal", "Sioux Falls, South Dakota"),
        ("NEWTOWN, CT (RNN) - At least 28 people are dead, including 20 children", "Newtown, Connecticut"),
        ("KANSAS CITY, Kan. -- Fans who came to Kansas Speedway on Sunday", "Kansas City, Kansas"),
        (
            "PORT-AU-PRINCE, Haiti \u2014 The Caribbean death toll from Hurricane Sandy",
            "Port-au-Prince, Haiti",
        ),
        ("New Delhi (CNN) -- Flooding in southern India in the wake of a tropical cyclone", "New Delhi"),
        ("MUSKEGON, Mich (May 2, 2014) \u2013 A longtime Muskegon pastor", "Muskegon, Michigan"),
        ("Detroit \u2014 A 4-year-old boy shot himself in the abdomen", "Detroit"),
        ("KIEV (Reuters) - Armed separatists in the eastern Ukrainian city of Slaviansk", "Kyiv"),
        ("Tony Benn \u2013 the lodestar for the Labour left for decades, orator", ""),
        ("FILE - In a Sept. 15, 1987 file photo, Pope John Paul II walks", ""),
        ("A huge audience -- an estimated 67.2 million people -- watched", ""),
        ("Petraeus: Troop withdrawals by year's end\nGen. David Petraeus reports on progress", ""),
        ("A SERVING police officer has been sacked after they were found", ""),
    ],
)
def test_dateline(lead: str, expected: str) -> None:
    assert dateline(lead) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("000", "Warwickshire"),
        ("001", "Staffordshire"),
        ("002", "Devon and Cornwall"),
        ("003", "Devon and Cornwall"),
    ],
)
def test_main_place_of_the_seeds(name: str, expected: str) -> None:
    text = seed(name)
    assert main_place(text, find_entities(text)) == expected


def test_main_place_prefers_the_dateline_then_the_lede() -> None:
    dated = "TEL AVIV (Reuters) - An Israeli court on Monday sentenced an Israeli Arab in Jerusalem."
    assert main_place(dated, find_entities(dated)) == "Tel Aviv"
    lede = (  # wikinews, Reuters
        "After holding the Old City of Homs for nearly two years, close to 1,200 rebel fighters "
        'boarded buses which took them out of the "capital of the revolution" in convoys on '
        "Wednesday and Thursday, activists said.\n\n"
        "They were driven to rebel-held territory outside the city under a deal agreed between the "
        "insurgents and forces loyal to President Bashar al-Assad.\n\n"
        "Homs provincial governor Talal Barazi told Reuters 80 percent of the fighters had left."
    )
    assert main_place(lede, find_entities(lede)) == "Homs"
    assert main_place("No places at all here.", []) == ""


@pytest.mark.parametrize("text", ["", "   ", "the end.", "\u201c", "''", "A", "U.S.", "Mr", "-- ()"])
def test_degenerate_texts(text: str) -> None:
    found = find_entities(text)
    assert all(text[m.start : m.start + len(m.text)] == m.text for m in found)


# Name words, titles, joiners and punctuation: characters drawn one by one almost never spell a name.
_NAME_PIECES = ["Jim", "Nye", "Nye's", "Reid\u2019s", "Mr", "Mr.", "Deputy", "Chief", "Constable", "DCC", "Police",
                "Devon", "and", "Cornwall", "of", "the", "The", "said", "He", "Warwickshire", "BBC", "London", "New",
                "York", "City", "Council", "Ab", "Cd", "(", ")", ".", ",", "-", "'", "\u201c", "\u201d", "\n", "Ef"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_NAME_PIECES), max_size=24).map(" ".join)
       | st.text(alphabet=st.sampled_from(list("Ab Cd.Ef,'\u2019\"\u201c\u201d\n-()Mr Police of and")), max_size=120))
def test_any_text_gives_well_formed_mentions(text: str) -> None:
    """Any text: well-formed mentions in text order, each one's surface text at its offset."""
    found = find_entities(text)
    for mention in found:
        assert mention.kind in ("person", "organisation", "place")
        assert mention.value and mention.text and mention.text == mention.text.strip()
        assert text[mention.start : mention.start + len(mention.text)] == mention.text
    assert [m.start for m in found] == sorted(m.start for m in found)
