"""Number mentions on sentences from the seeds and the shared corpora: counts, casualties, ages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe.extract._stems import Stems
from dedupe.extract.casualties import casualties, elsewhere
from dedupe.extract.numbers import find_numbers
from dedupe.normalize import fold
from dedupe.types import Fields

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"
DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def found(text: str) -> list[tuple[str, str, str, str]]:
    """``(value, about, subject, qualifier)`` of every number mention, in text order."""
    return [(m.value, m.about, m.subject, m.qualifier) for m in find_numbers(text)]


SEED_CASES = [
    (
        "002",
        (
            "The allegations included that the officer had taken contact details of two vulnerable women, from "
            "a police system and contacted them using his personal phone number."
        ),
        [("2", "women", "", "")],
    ),
    (
        "004",
        (
            "\u201cThe messages sent included the sending of eight photographs of your penis, five of which were "
            "taken whilst on duty.\u201d"
        ),
        [("8", "photographs", "", ""), ("5", "photographs", "", "")],
    ),
    (
        "004",
        (
            "\u201cHowever, since I have considered the seriousness of this breach of the standards of professional "
            "behaviour as high, this final written warning shall be in place for a period of two years.\u201d"
        ),
        [("2", "years", "", "")],
    ),
    (
        "002",
        (
            "Reports of concern can be reported to Devon and Cornwall Police by calling 101 or emailing [email "
            "protected] devonandcornwall.pnn.police.uk ."
        ),
        [],
    ),
    ("003", "The officer was first suspended in November 2018.", []),
]


@pytest.mark.parametrize(("seed", "sentence", "expected"), SEED_CASES)
def test_seed_sentences(seed: str, sentence: str, expected: list) -> None:
    assert found(sentence) == expected


@pytest.mark.parametrize(("seed", "sentence"), [(case[0], case[1]) for case in SEED_CASES])
def test_seed_sentences_are_in_the_seeds(seed: str, sentence: str) -> None:
    """The seed cases are copied, not invented: each sentence occurs in its seed file."""
    text = next(SEEDS.glob(f"{seed}_*.txt")).read_text(encoding="utf-8")
    assert fold(sentence) in fold(text)


# Single sentences from gva_incidents_dev (shooting reports) and wikinews_clusters.
CASUALTY_CASES = [
    (
        "(WDRB) -- Two people are dead and two others critically injured after a man opens fire.",
        [("2", "killed", "", ""), ("2", "injured", "", "")],
    ),
    (
        "Two victims remain hospitalized in critical condition and another was treated and released.",
        [("2", "injured", "", "")],
    ),
    (
        (
            "Stockton police have called in the state Department of Justice after a series of weekend shootings "
            "left five people dead."
        ),
        [("5", "killed", "", "")],
    ),
    (
        (
            "Tietsort's sister says she and her brother have forgiven Tyler, who investigators say went on a "
            "fifteen-minute shooting rampage that killed one and injured three before shooting himself."
        ),
        [("15", "minute", "", ""), ("1", "killed", "", ""), ("3", "injured", "", "")],
    ),
    (
        (
            "One man and one women were killed, and six more men were wounded in five separate shooting "
            "incidents across Philadelphia in the span of about six hours Tuesday."
        ),
        [
            ("1", "man", "", ""),
            ("2", "killed", "", ""),  # the list "One man and one women"
            ("1", "women", "", ""),
            ("6", "injured", "", ""),
            ("5", "incidents", "", ""),
            ("6", "hours", "", "about"),
        ],
    ),
    ("EARLIER | Four people were injured in a shooting overnight in Westport.", [("4", "injured", "", "")]),
    (
        "Police identified on Tuesday a Vallejo man gunned down in a shooting that wounded four others.",
        [("4", "injured", "", "")],
    ),
    (
        (
            "The incident, in which the death toll rose almost hourly, represents the single worst loss of life "
            "in the District since an airliner plunged into the Potomac River in 1982, killing 78."
        ),
        [("78", "killed", "", "")],
    ),
    # One victim, no numeral: counts as 1.
    (
        "A 12-year-old boy was found dead from a gunshot wound Saturday evening in Cooper County, MO.",
        [("1", "killed", "", ""), ("12", "age", "boy", "")],
    ),
    (
        (
            "A sixteen year old girl is dead following a shooting around 10:30 Monday night at the Huntington "
            "Falls Apartments in Ardmore."
        ),
        [("1", "killed", "", ""), ("16", "age", "girl", "")],
    ),
    (
        (
            "Officers were called to the home around 5 p.m. Thursday, and found a 3-year-old boy who had been "
            "shot in the head."
        ),
        [("1", "shot", "", ""), ("3", "age", "boy", "")],
    ),
    (
        (
            "A security guard fatally shot Earnest Sneed and Seth Easley after they tried to rob him at gunpoint, "
            "according to police."
        ),
        [("2", "killed", "", "")],
    ),
]

CONSTRUCTED_CASES = [
    # The brief's phrasings, short.
    ("At least 22 dead after the storm.", [("22", "killed", "", "at least")]),
    ("Two men were shot, one fatally.", [("2", "shot", "", ""), ("1", "killed", "", "")]),
    (
        "It was a shooting that left one dead and three injured.",
        [("1", "killed", "", ""), ("3", "injured", "", "")],
    ),
    (
        "The gunman went on a rampage, killing two and injuring five.",
        [("2", "killed", "", ""), ("5", "injured", "", "")],
    ),
    ("A man was killed on Sunday.", [("1", "killed", "", "")]),
    ("One person was shot dead in the attack.", [("1", "killed", "", "")]),
    (
        "Twenty-three people were hurt and a dozen were hospitalized.",
        [("23", "injured", "", ""), ("12", "injured", "", "")],
    ),
    ("The city has three hundred officers.", [("300", "officers", "", "")]),
    # "no less than" is a lower bound, the opposite of "less than" (sentences from wikinews and ecbplus).
    (
        "AFP reported that at least six Palestinians were killed in no less than 20 Israeli strikes in Gaza.",
        [("6", "killed", "", "at least"), ("20", "strikes", "", "no less than")],
    ),
    (
        "Robert Buck's mental state was specifically assessed on no fewer than eight documented occasions.",
        [("8", "occasions", "", "no fewer than")],
    ),
    ("The fine carries a maximum of 50 points.", [("50", "points", "", "a maximum of")]),
    ("As many as 50 people were killed in the blast.", [("50", "killed", "", "as many as")]),
]


@pytest.mark.parametrize(("sentence", "expected"), CASUALTY_CASES + CONSTRUCTED_CASES)
def test_casualties(sentence: str, expected: list) -> None:
    assert found(sentence) == expected


# Sentences and headlines from gva_incidents_dev: lists of victims, victims named without a
# count ("at least" one), ages that are no counts, shooters and things that are no victims.
GVA_CASES = [
    (
        (
            "CHICAGO (STMW) \u2013 Three men and a teenager were hurt in a drive-by shooting in the Washington Park "
            "neighborhood on the South Side late Friday."
        ),
        [("3", "men", "", ""), ("4", "injured", "", "")],
    ),
    (
        (
            "MINNEAPOLIS (WCCO) \u2014 Authorities say a shooting in south Minneapolis that left a father and two "
            "children dead last month was a murder-suicide."
        ),
        [("3", "killed", "", ""), ("2", "children", "", ""), ("2", "killed", "", "at least")],
    ),
    (
        (
            "Police said six people, three men and three women, were shot by an unknown man on Lorenz Boulevard near "
            "West Street."
        ),
        [("6", "people", "", ""), ("6", "shot", "", ""), ("3", "men", "", ""), ("3", "women", "", "")],
    ),
    (
        "East Harlem gunplay leaves 3 men, 1 woman wounded",
        [("3", "men", "", ""), ("4", "injured", "", ""), ("1", "woman", "", "")],
    ),
    (
        (
            "Killeen police spokeswoman Carroll Smith said Kysha D. Edmond-Gray, 42, and Deanna Louise Buster, 38, "
            "both of Killeen, were killed in the 400 block of Gilmer Street."
        ),
        [("2", "killed", "", ""), ("42", "age", "Kysha D. Edmond-Gray", ""), ("38", "age", "Deanna Louise Buster", "")],
    ),
    (
        "Arrest made in East Westwood shooting that killed 1, injured 3",
        [("1", "killed", "", ""), ("3", "injured", "", "")],
    ),
    ("Mark McCracken says Knowles was pronounced dead at the scene.", [("1", "killed", "Knowles", "at least")]),
    ("He died Thursday night at UK Hospital.", [("1", "killed", "he", "at least")]),
    (
        "An Opelousas teen hospitalized after a weekend shooting has died.",
        [("1", "injured", "", ""), ("1", "killed", "", "at least")],
    ),
    (
        (
            "Overman said Troyer\u2019s 12-year-old cousin was holding a black powder revolver when Troyer grabbed the "
            "gun by the barrel and it discharged into Troyer\u2019s chest, killing him instantly."
        ),
        [("12", "age", "cousin", ""), ("1", "killed", "him", "at least")],
    ),
    # Ages written between commas are no counts.
    (
        "The victim, 16, was pronounced dead at the scene.",
        [("1", "killed", "The victim", "at least"), ("16", "age", "victim", "")],
    ),
    ("There they found a man, 26, dead from gunshot injuries.", [("1", "killed", "", ""), ("26", "age", "man", "")]),
    # Shooters, shots that missed and things are no victims.
    (
        (
            "Two Pittsburgh police officers who shot and killed a Larimer homeowner 10 days ago returned to work "
            "Tuesday even as the investigation into the shooting continues."
        ),
        [("2", "police", "", ""), ("1", "killed", "", "")],
    ),
    ("Another juvenile was with them, and said an unknown man shot at them from behind a car.", []),
    (
        (
            "Police said a total of five rounds were shot during the incident and the handgun was brought to school "
            "from her home."
        ),
        [("5", "rounds", "", "")],
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), GVA_CASES)
def test_gva_casualties(sentence: str, expected: list) -> None:
    assert found(sentence) == expected


def summary(headline: str, body: str) -> dict[str, str]:
    """The casualty summary of an article made of ``headline`` and ``body``, as ``{about: value}``."""
    fields = Fields(article_id="t", headline=headline, lede=body, mentions=tuple(find_numbers(body)))
    return {about: mention.value for about, mention in casualties(fields).items()}


# (headline, body, summary): real headlines and ledes from gva_incidents_dev.
SUMMARY_CASES = [
    # "shot" with no outcome is injured; "one fatally" makes one of them dead.
    (
        "",
        "Three people were shot, one fatally, on Sunday evening in Baltimore, police said.",
        {"killed": "1", "injured": "2"},
    ),
    (
        "Teenage boy shot in Durham",
        "The juvenile was taken to Duke Hospital with non-life threatening injuries, police said.",
        {"injured": "1"},
    ),
    # A victim shot in a sentence that tells of a death is the dead.
    ("", "An Opelousas teen hospitalized after a weekend shooting has died.", {"killed": "1"}),
    # The headline's count comes first; a list counts all its members.
    (
        "East Harlem gunplay leaves 3 men, 1 woman wounded",
        (
            "A broad daylight burst of gunfire in East Harlem Wednesday pierced the calm of an otherwise routine "
            "summer afternoon and left three men and a woman wounded, including one critically, authorities said."
        ),
        {"injured": "4"},
    ),
    # A shooter's suicide adds one dead to the count of his victims.
    (
        "",
        (
            "Ali Syed, a 20-year-old community college student, has been identified as the gunman who killed three "
            "people and then himself in Orange County, Calif., Tuesday, the Los Angeles Times reports."
        ),
        {"killed": "4"},
    ),
    (
        "",
        (
            "(AP) - Avoyelles Parish authorities say a 28-year-old Effie man shot his 7-year-old daughter to death "
            "and then killed himself."
        ),
        {"killed": "2"},
    ),
    # Round-ups of several incidents state no count.
    (
        "4 killed, 11 wounded in city shootings Tuesday",
        (
            "Four people were killed and at least 11 others were wounded in shootings Tuesday across the city\u2019s "
            "South and West sides."
        ),
        {},
    ),
    # Statistics are skipped.
    (
        "",
        (
            "At least eight children have been wounded or killed this year in accidental or unintentional shootings "
            "in Philadelphia."
        ),
        {},
    ),
]


@pytest.mark.parametrize(("headline", "body", "expected"), SUMMARY_CASES)
def test_casualty_summary(headline: str, body: str, expected: dict) -> None:
    assert summary(headline, body) == expected


def test_stems_are_found_once_at_word_starts() -> None:
    stems = Stems("Two were shot. He died, a third was shot; gunshots rang out.")
    assert stems.at("shot") == [9, 36]
    assert stems.each(("died", "shot")) == [18, 9, 36]


def test_statistics_are_elsewhere() -> None:
    assert elsewhere(
        "The Minneapolis Police Department calculates that there have been 131 people wounded or killed by "
        "gunshots in the city so far this year."
    )
    assert not elsewhere("Three people were shot, one fatally, on Sunday evening in Baltimore, police said.")


AGE_CASES = [
    (
        "KING Family members confirm Sarai Lara, 16, was killed in the Cascade Mall shootings in Burlington, Wash.",
        [("1", "killed", "Sarai Lara", "at least"), ("16", "age", "Sarai Lara", "")],
    ),
    (
        (
            "Family members say Sarai Lara, a 16-year-old Mount Vernon High School sophomore and cancer survivor, "
            "died when the gunman opened fire on Friday."
        ),
        [("16", "age", "Sarai Lara", "")],
    ),
    (
        (
            "Karlus Robinson, 37, Latay Darden, 29, Darold Lews, 27, and Leon Hamlin, 26, remain hospitalized, "
            "but are all expected to recover."
        ),
        [
            ("4", "injured", "", ""),
            ("37", "age", "Karlus Robinson", ""),
            ("29", "age", "Latay Darden", ""),
            ("27", "age", "Darold Lews", ""),
            ("26", "age", "Leon Hamlin", ""),
        ],
    ),
    (
        (
            "Kentucky State Police believe 40-year-old Barry Moore shot and killed his ex-wife, 43-year-old "
            "Pamela Moore."
        ),
        [
            ("40", "age", "Barry Moore", ""),
            ("1", "killed", "his ex-wife", "at least"),
            ("43", "age", "Pamela Moore", ""),
        ],
    ),
    (
        (
            "Preliminary autopsy results show that the two children, 5-year-old Thomas Horn and 11-year-old "
            "Corinne Horn, both died from gunshot wounds."
        ),
        [("2", "children", "", ""), ("5", "age", "Thomas Horn", ""), ("11", "age", "Corinne Horn", "")],
    ),
    (
        "The wounded men, ages 18, 21 and 35, were reported in stable condition at Temple University Hospital.",
        [("18", "age", "men", ""), ("21", "age", "men", ""), ("35", "age", "men", "")],
    ),
    (
        (
            "Upon arrival First Responders found that 6 year old Victoria Irene Whitehurst, of Pinetown, died "
            "from a fatal accidental gunshot wound."
        ),
        [("6", "age", "Victoria Irene Whitehurst", "")],
    ),
    (
        (
            "The infant was shot while a 24-year-old man was playing in the front lawn of a home in the 18000 "
            "block of Winthrop with three children, among them the 6-month-old who was killed."
        ),
        [
            ("1", "shot", "The infant", "at least"),
            ("24", "age", "man", ""),
            ("3", "children", "", ""),
            ("1", "killed", "the 6-month-old", "at least"),
            ("6", "age_months", "", ""),
        ],
    ),
    ("A woman aged 33 died.", [("1", "killed", "", ""), ("33", "age", "woman", "")]),  # constructed
]


@pytest.mark.parametrize(("sentence", "expected"), AGE_CASES)
def test_ages(sentence: str, expected: list) -> None:
    assert found(sentence) == expected


COUNT_CASES = [
    (
        (
            "School leaders handed out more than 600 Chrome Books to 8th graders county wide as the first step "
            "in the district's technology initiative."
        ),
        [("600", "books", "", "more than")],
    ),
    (
        (
            "HP will cut about 9,000 jobs in its enterprise services division as a result, but over the same time "
            "period, the company expects to add about 6,000 employees to its sales and delivery teams."
        ),
        [("9000", "jobs", "", "about"), ("6000", "employees", "", "about")],
    ),
    (
        (
            "The Palo Alto, Calif. based company has about 300,000 employees and last month, announced its second "
            "quarter profit climbed 28% to $2.2 billion, boosted by growing demand for personal computers."
        ),
        [("300000", "employees", "", "about"), ("28", "percent", "", ""), ("2200000000", "USD", "", "")],
    ),
    (
        "Rescue teams have helped more than 2,000 people stranded in flooded regions, a navy release said.",
        [("2000", "people", "", "more than")],
    ),
    (
        (
            "Baumgartner had already broken one record, before he even leapt: the previous highest altitude for "
            "a manned balloon flight was 113,740 feet, set in 1961."
        ),
        [("1", "record", "", ""), ("113740", "feet", "", "")],
    ),
    (
        "The 154-page report is based on interviews conducted in Libya with 14 former detainees.",
        [("154", "page", "", ""), ("14", "detainees", "", "")],
    ),
    (
        "The city has 1.5 million residents and paid \u00a3300 in fines.",
        [("1500000", "residents", "", ""), ("300", "GBP", "", "")],
    ),
    (
        "Turnout was 45 percent, up from 40.5% in 2015.",
        [("45", "percent", "", ""), ("40.5", "percent", "", "")],
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), COUNT_CASES)
def test_counts(sentence: str, expected: list) -> None:
    assert found(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        # Times, dates, ordinals, ids, phone numbers, street numbers: no counts.
        "Officers responded to the shooting at the University Drive business around 12:40 a.m.",
        "The officer was suspended from the force in October 2018, following the allegations.",
        "On 5 November, PC J appeared at a misconduct hearing.",
        "Anyone with information is asked to call Crime Stoppers at 1-800-222-8477.",
        "He was taken to the 8th floor, then driven along Route 66 past the 1200 block of Main Street.",
        "No one was hurt and the one who fled was caught.",
        # A magnitude, an emergency number and a photo gallery's counter count nothing (gva, ecbplus, wikinews).
        "A magnitude 6 quake can cause severe damage.",
        "A magnitude 7.2 quake in Kobe shook the city.",
        "Officers responded to 911 calls from other employees inside the building.",
        "The jury heard the 999 call and a 911 dispatcher's account.",
        "Image 3 of 11 Caption Close",
        "Photo: Bexar County Sheriff's Office Image 1 of / 9 Caption Close",
    ],
)
def test_no_number(sentence: str) -> None:
    assert find_numbers(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # What a magnitude or a gallery counter sits next to still counts.
        ("The magnitude 7.2 earthquake killed more than 1,400 residents.", [("1400", "killed", "", "more than")]),
        ("Image 3 of 11 Jacquay Howard, 31, is a suspect.", [("31", "age", "Jacquay Howard", "")]),
        ("He called 911 after 3 people were shot.", [("3", "shot", "", "")]),
        ("The team won 3 of 5 games.", [("3", "", "", ""), ("5", "games", "", "")]),
    ],
)
def test_counts_beside_measures(sentence: str, expected: list) -> None:
    assert found(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # A list of ages keeps whose they are: "ages 6 and 16" are both the sons' (ecbplus, gva: no conflict then).
        ("He is also survived by two sons, ages 6 and 16.",
         [("2", "sons", "", ""), ("6", "age", "sons", ""), ("16", "age", "sons", "")]),
    ],
)
def test_a_list_of_ages_keeps_its_subject(sentence: str, expected: list) -> None:
    assert found(sentence) == expected


def test_mention_fields() -> None:
    text = "Police said. At least 22 people were killed."
    (mention,) = find_numbers(text)
    assert (mention.kind, mention.text, mention.value, mention.about) == ("number", "22", "22", "killed")
    assert text[mention.start : mention.start + 2] == "22"
    assert mention.sentence == "At least 22 people were killed."


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            list("0123456789 ,.-$%aA") + [" one ", " two ", "-year-old ", " killed ", " man ", " aged "]
        ),
        max_size=30,
    )
)
def test_never_fails_and_offsets_hold(pieces: list[str]) -> None:
    """Any text: no exception, a canonical value, and every mention's text at its offset."""
    text = "".join(pieces)
    for mention in find_numbers(text):
        assert text[mention.start : mention.start + len(mention.text)] == mention.text
        assert mention.value == mention.value.strip() and "e" not in mention.value.lower()


def _corpus_text() -> str:
    """Titles and texts of the shared corpora the cases are copied from, white space folded."""
    texts = []
    for name in ("gva_incidents_dev", "wikinews_clusters"):
        with open(DATA / name / "data.jsonl", encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                texts += [row.get("title") or "", row.get("text") or ""]
    return " ".join(" ".join(text.split()) for text in texts)


@pytest.mark.skipif(not (DATA / "gva_incidents_dev").is_dir(), reason="shared corpora not present")
def test_corpus_sentences_are_real() -> None:
    """The corpus cases are copied, not invented: each sentence occurs in the shared corpora."""
    corpus = _corpus_text()
    sentences = [case[0] for case in CASUALTY_CASES + GVA_CASES + AGE_CASES[:-1]]
    sentences += [text for case in SUMMARY_CASES for text in case[:2] if text]
    missing = [s for s in sentences if " ".join(s.split()) not in corpus]
    assert missing == []


def test_every_hedge_a_bound_is_read_by_extraction() -> None:
    from dedupe.extract._counted import HEDGES
    from dedupe.facts import _AT_LEAST, _AT_MOST, _NEARLY, number_range

    assert (_AT_LEAST | _AT_MOST | _NEARLY) <= set(HEDGES)  # no bound the extractor never writes
    assert number_range("50", "as many as") == (float("-inf"), 50.0)
