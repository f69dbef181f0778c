"""Date mentions on sentences from the seeds and the shared corpora: values, events, ranges."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe.extract.dates import date_spans, find_dates
from dedupe.normalize import fold

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"


def found(text: str, published: str | None) -> list[tuple[str, str, str, str]]:
    """``(value, text, about, qualifier)`` of every date mention, in text order."""
    return [(m.value, m.text, m.about, m.qualifier) for m in find_dates(text, published)]


# Sentences copied from the seeds (fixtures/seeds/00N_*.txt) with their publication dates.
SEED_CASES = [
    (
        "002",
        (
            "On 5 November, PC J, a serving police officer with Devon and Cornwall Police, appeared at a "
            "misconduct hearing which determined that his actions amounted to gross misconduct by breaching the "
            "standard of professional behaviour expected from a police officer."
        ),
        "2020-11-21",
        [("2020-11-05", "5 November", "appeared", "")],
    ),
    (
        "002",
        (
            "These proceedings took place following an IOPC independent investigation into allegations which "
            "were reported in 2018."
        ),
        "2020-11-21",
        [("2018", "2018", "reported", "")],
    ),
    (
        "002",
        "The officer was suspended from the force in October 2018, following the allegations.",
        "2020-11-21",
        [("2018-10", "October 2018", "suspended", "")],
    ),
    (
        "003",
        "The officer was first suspended in November 2018.",
        "2020-11-19",
        [("2018-11", "November 2018", "suspended", "")],
    ),
    (
        "003",
        (
            'On 5 November a Devon and Cornwall Police disciplinary hearing concluded the officer "used that '
            "person's personal contact information in order to pursue a personal relationship\"."
        ),
        "2020-11-19",
        [("2020-11-05", "5 November", "hearing", "")],
    ),
    (
        "003",
        (
            "An Independent Office for Police Conduct (IOPC) investigation concluded in May 2019 the officer "
            "had a case to answer for gross misconduct."
        ),
        "2020-11-19",
        [("2019-05", "May 2019", "concluded", "")],
    ),
    (
        "000",
        (
            "Warwickshire Police said the PC was dismissed for multiple breaches of professional standards "
            "following a hearing at Stratford police station on 3rd and 4th April."
        ),
        None,
        [("--04-03/--04-04", "3rd and 4th April", "hearing", "")],
    ),
    (
        "000",
        (
            "Warwickshire Police said the PC was dismissed for multiple breaches of professional standards "
            "following a hearing at Stratford police station on 3rd and 4th April."
        ),
        "2024-04-12",
        [("2024-04-03/2024-04-04", "3rd and 4th April", "hearing", "")],
    ),
    (
        "000",
        (
            "The officer was originally suspended in 2020 and a referral was made to the Independent Office "
            "for Police Conduct (IOPC) as part of a larger investigation involving the officer and other parties, "
            "Warwickshire Police said."
        ),
        None,
        [("2020", "2020", "suspended", "")],
    ),
    (
        "000",
        (
            "Following the conclusion of the investigation in early 2023, Warwickshire Police said it conducted "
            "a further investigation which ended in December last year and led to last week\u2019s hearing."
        ),
        "2024-04-12",
        [
            ("2023", "early 2023", "concluded", "early"),
            ("2023-12", "December last year", "ended", ""),
            ("2024-W14", "last week", "hearing", ""),
        ],
    ),
    (
        "004",
        (
            "\u201cBetween 25th January 2024 and 20th January 2025 (inclusive) you engaged in inappropriate "
            "sexual communications on your Metropolitan Police Service (MPS) work mobile phone\u201d, the "
            "senior officer wrote in his ruling."
        ),
        None,
        [("2024-01-25/2025-01-20", "25th January 2024 and 20th January 2025", "engaged", "")],
    ),
    (
        "004",
        (
            "The PC, who was granted anonymity in the misconduct proceedings, sent the lewd messages over the "
            "course of a year between January 2024 and January 2025."
        ),
        None,
        [("2024-01/2025-01", "January 2024 and January 2025", "sent", "")],
    ),
    (
        "001",
        (
            "The officer resigned earlier this month, with a one-day accelerated misconduct hearing being held "
            "on Thursday, and finding that the officer had breached the standards of professional behaviour."
        ),
        "2024-03-23",
        [("2024-03", "earlier this month", "resigned", ""), ("2024-03-21", "Thursday", "held", "")],
    ),
]


@pytest.mark.parametrize(("seed", "sentence", "published", "expected"), SEED_CASES)
def test_seed_sentences(seed: str, sentence: str, published: str | None, expected: list) -> None:
    assert found(sentence, published) == expected


@pytest.mark.parametrize(("seed", "sentence"), [(case[0], case[1]) for case in SEED_CASES])
def test_seed_sentences_are_in_the_seeds(seed: str, sentence: str) -> None:
    """The seed cases are copied, not invented: each sentence occurs in its seed file."""
    text = next(SEEDS.glob(f"{seed}_*.txt")).read_text(encoding="utf-8")
    assert fold(sentence) in fold(text)


def test_whole_seed_with_its_dateline() -> None:
    """Seed 002 carries its publication date in a header; every date in it resolves."""
    text = next(SEEDS.glob("002_*.txt")).read_text(encoding="utf-8")
    assert [(m.value, m.about) for m in find_dates(text, "2020-11-21")] == [
        ("2020-11-05", "appeared"),
        ("2018", "reported"),
        ("2018-10", "suspended"),
    ]


CORPUS_CASES = [
    # wikinews_clusters
    (
        "An e-petition calling for a pardon received 37,404 signatures when it was closed in November last year.",
        "2013-12-24",
        [("2012-11", "November last year", "closed", "")],
    ),
    (
        (
            "Last week, the army confirmed that up to five members of its 502nd Infantry Regiment were being "
            "investigated in connection with the incident at Mahmoudiya."
        ),
        "2006-07-03",
        [("2006-W26", "Last week", "confirmed", "")],
    ),
    (
        "In late May, North Korea fired a short-range surface-to-ship missile off its east coast.",
        "2006-06-07",
        [("2006-05", "late May", "fired", "late")],
    ),
    (
        (
            "Yogyakarta is near the Mount Merapi volcano, which threatened to erupt earlier this month, forcing "
            "thousands of people to be evacuated."
        ),
        "2006-05-27",
        [("2006-05", "earlier this month", "threatened", "")],
    ),
    (
        (
            "The NLD, which has been mostly suppressed since its election landslide in 1990, boycotted elections "
            "a year ago because of strict laws that prevented many of its members from taking part."
        ),
        "2011-11-21",
        [("1990", "1990", "elected", ""), ("2010", "a year ago", "boycotted", "")],
    ),
    (
        (
            "In an extraordinary performance, Ayatollah Ali Khamenei inflamed the divisions that have rent "
            "Iran\u2019s streets since last weekend\u2019s election."
        ),
        "2009-06-19",
        [("2009-06-13/2009-06-14", "last weekend", "elected", "")],
    ),
    (
        "The games are set for March 7 to March 16.",
        None,
        [("--03-07/--03-16", "March 7 to March 16", "", "")],
    ),
    (
        "Israel's Operation Cast Lead in 2008-2009 began with a week of air attacks and shelling.",
        None,
        [("2008/2009", "2008-2009", "began", "")],
    ),
    (
        "Reggie Kumar reports live from Pasadena for Today in LA on Sunday, July 13, 2014.",
        "2014-07-13",
        [("2014-07-13", "Sunday, July 13, 2014", "", "")],
    ),
    # gva_incidents_dev
    (
        (
            "Jones was shot and killed Saturday evening outside his home, one of eight weekend shootings that "
            "Louisville Metro Police are investigating."
        ),
        "2015-07-06",
        [("2015-07-04", "Saturday", "killed", "")],
    ),
    (
        "Police identified on Tuesday a Vallejo man gunned down in a shooting that wounded four others.",
        "2013-02-12",
        [("2013-02-12", "Tuesday", "identified", "")],
    ),
    (
        "She is expected to appear in court on Tuesday.",
        "2016-05-23",
        [("2016-05-24", "Tuesday", "expected", "")],
    ),
    (
        (
            "State Highway Patrol Sgt. Lloyd Lowry and Cumberland County Sheriff's Office Cpl. David Hathcock were "
            "killed during a traffic stop on Interstate 95 on Sept. 23, 1997."
        ),
        "2014-07-30",
        [("1997-09-23", "Sept. 23, 1997", "killed", "")],
    ),
]


@pytest.mark.parametrize(("sentence", "published", "expected"), CORPUS_CASES)
def test_corpus_sentences(sentence: str, published: str | None, expected: list) -> None:
    assert found(sentence, published) == expected


@pytest.mark.parametrize(
    ("sentence", "published", "value"),
    [
        # A yearless date takes the year nearest publication, the past preferred ...
        ("On 5 November a hearing concluded.", "2020-11-21", "2020-11-05"),
        ("On 5 November a hearing concluded.", "2021-01-10", "2020-11-05"),
        # ... unless the sentence is about the future, or the date is only days ahead.
        ("The trial will begin on 3 January.", "2020-12-28", "2021-01-03"),
        ("The trial begins on 25 November.", "2020-11-21", "2020-11-25"),
        # Without a publication date the year stays unknown: ISO 8601 --MM-DD and --MM.
        ("On 5 November a hearing concluded.", None, "--11-05"),
        ("He was suspended in May and sacked.", None, "--05"),
        # Relative days, weeks, months and years.
        ("He died yesterday.", "2020-11-21T09:30:00Z", "2020-11-20"),
        ("It happened three days ago.", "2020-12-28", "2020-12-25"),
        ("He was charged two weeks ago.", "2020-12-28", "2020-W51"),
        ("He was elected last year.", "2020-12-28", "2019"),
        ("He was charged last month.", "2020-01-05", "2019-12"),
        ("The attack happened last December.", "2020-12-28", "2019-12"),
        ("The attack happened last December.", "2021-01-15", "2020-12"),
        ("He died last Thursday.", "2020-11-18", "2020-11-12"),
        ("He will appear next Tuesday.", "2020-11-18", "2020-11-24"),
        ("Tickets sell out every day from Monday to Friday.", "2020-04-01", "2020-03-30/2020-04-03"),
        ("The festival ran from 1 to 3 May.", "2020-06-10", "2020-05-01/2020-05-03"),
        ("Crime fell between 2010 and 2014.", None, "2010/2014"),
        ("The plan was approved in mid-2019.", None, "2019"),
    ],
)
def test_resolution(sentence: str, published: str | None, value: str) -> None:
    assert [m.value for m in find_dates(sentence, published)] == [value]


@pytest.mark.parametrize(
    "sentence",
    [
        # Numbers that are not dates: counts, phone numbers, ids.
        "Rescue teams have helped more than 2,000 people stranded in flooded regions, a navy release said.",
        "Reports of concern can be reported to Devon and Cornwall Police by calling 101 or emailing.",
        "The 154-page report is based on interviews conducted in Libya with 14 former detainees.",
        "Kentucky State Police believe 40-year-old Barry Moore shot and killed his ex-wife.",
        # "May" the name and "a year" the duration are no dates.
        'But she has come in for criticism, with Home Secretary Theresa May saying: "Frankly, I think not."',
        "He sent the lewd messages over the course of a year.",
        # A month or weekday name inside a longer word is neither (gva, allsides, ecbplus): a place, a title,
        # a holiday, and a plural weekday, which is a habit.
        "Sheriff Talks About Infant Shooting Investigation - WJBF-TV ABC 6 Augusta-Aiken",
        "Photo from the scene of a child shooting in Augusta, Georgia.",
        "Over the past year, public interest in Juneteenth has significantly grown.",
        "She was flown to a hospital in Juneau, the state capital.",
        "The suspect was found in Maywood.",
        "Services are held Sundays at 8 and 10:30.",
        "In Mayor Michael Bloomberg's view the plan works.",
        # A bare year needs a preposition or a month: "in 2000 people" counts people.
        "Police said 1999 cases were closed and in 2000 people died.",
    ],
)
def test_no_date(sentence: str) -> None:
    assert find_dates(sentence, "2020-11-21") == []


def test_a_month_after_a_place_named_like_one() -> None:
    assert [(m.value, m.text) for m in find_dates("Police in Augusta said on 12 August", "2015-08-20")] == [
        ("2015-08-12", "12 August")]


def test_relative_dates_need_a_publication_date() -> None:
    assert find_dates("He was arrested yesterday and charged on Thursday.", None) == []


def test_a_year_is_not_a_day() -> None:
    """A year keeps the year granularity; a month the month granularity."""
    (year,) = find_dates("The force sacked a different officer in 2019.", "2020-11-19")
    (month,) = find_dates("He was suspended in October 2018.", "2020-11-19")
    assert (year.value, month.value) == ("2019", "2018-10")


def test_mention_fields() -> None:
    text = "Police said. The officer was suspended in October 2018, following the allegations."
    (mention,) = find_dates(text, None)
    assert mention.kind == "date"
    assert text[mention.start : mention.start + len(mention.text)] == "October 2018"
    assert mention.sentence == "The officer was suspended in October 2018, following the allegations."


def test_date_spans_cover_unresolved_dates() -> None:
    text = "He was arrested yesterday, on 5 November."
    assert [text[s:e] for s, e in date_spans(text)] == ["yesterday", "5 November"]


# Words and figures dates are written with, and some noise: characters drawn one by one almost never spell a date.
_DATE_PIECES = ["5", "21", "3rd", "4th", "2019", "2020-11-05", "October", "Nov.", "May", "Monday", "Thursday",
                "yesterday", "last week", "this week", "two weeks ago", "last weekend", "early", "late", "mid-",
                "on", "in", "from", "to", "between", "and", "will", "suspended", "was", "the", "a", "-", ",", ".",
                "/", "0", "99", "J", "\n"]
_DATE_TEXT = st.lists(st.sampled_from(_DATE_PIECES), max_size=16).map(" ".join)
_ISO = r"(?:\d{4}(?:-\d\d(?:-\d\d)?)?|\d{4}-W\d\d|--\d\d(?:-\d\d)?)"


@settings(max_examples=200, deadline=None)
@given(_DATE_TEXT, st.sampled_from(["2020-11-21", "2021-01-01T09:30:00", None]))
def test_never_fails_and_offsets_hold(text: str, published: str | None) -> None:
    """Any text: no exception, every mention's text sits at its start offset inside a span of
    :func:`date_spans`, its value is ISO 8601 (a day, month, year or week, or an interval of two), and without a
    publication day it has a year only when one is written."""
    spans = date_spans(text)
    for mention in find_dates(text, published):
        assert text[mention.start : mention.start + len(mention.text)] == mention.text
        assert (mention.start, mention.start + len(mention.text)) in spans
        assert re.fullmatch(f"{_ISO}(?:/{_ISO})?", mention.value), mention.value
        if published is None:  # nothing to resolve against: a year only where one is written
            assert mention.value.startswith("--") or re.search(r"\d{4}", mention.text), mention
