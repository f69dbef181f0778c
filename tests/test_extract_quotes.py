"""Quotations and their speakers, on the seeds and on sentences from real articles."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from conftest import corpus_file
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import read_articles
from dedupe.extract import extract, with_quotes
from dedupe.extract.entities import find_entities
from dedupe.extract.quotes import find_quotes
from dedupe.types import Mention

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"


def seed(prefix: str) -> str:
    """The text of the seed whose file name starts with ``prefix``."""
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def quotes(text: str) -> list[Mention]:
    """The quotes of ``text``, speakers taken from its own entities."""
    return find_quotes(text, find_entities(text))


def triples(text: str) -> list[tuple[str, str, str]]:
    """``(about, subject, value)`` of every quote, in text order."""
    return [(q.about, q.subject, q.value) for q in quotes(text)]


TOLERATED = (
    "The officer's behaviour was absolutely unacceptable, damaging to our reputation and will "
    "{}be tolerated by Devon and Cornwall Police or the communities we serve"
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("002", ("full", "Jim Nye", TOLERATED.format(""))),
        (
            "002",
            (
                "full",
                "Jim Nye",
                "Devon and Cornwall Police take all reports of abuse of position very seriously",
            ),
        ),
        ("003", ("full", "Jim Nye", TOLERATED.format("not "))),
        ("003", ("partial", "Jim Nye", "take all reports of abuse of position very seriously")),
        ("003", ("scare", "Jim Nye", "took advantage")),
        ("003", ("partial", "Jim Nye", "approached the police for support")),
        (
            "003",
            (
                "full",
                "Jim Nye",
                "This type of behaviour has undoubtedly eroded the women's trust and confidence in policing",
            ),
        ),
        (
            "003",
            (
                "partial",
                "Catrin Evans",
                "failed to fulfil his public duty by carrying out investigations into the crimes reported",
            ),
        ),
        ("003", ("partial", "", "pursue inappropriate relationships")),
        ("003", ("partial", "Police", "exchanged a considerable number of sexually explicit messages")),
        (
            "001",
            (
                "full",
                "Sally Blaiklock",
                ("We expect all of our officers, staff and volunteers to act with the highest level of integrity "
                 "and professional behaviour, both on and off duty"),
            ),
        ),
        ("000", ("partial", "", "unacceptable risk to their identity being revealed")),
    ],
)
def test_seed_quotes(name: str, expected: tuple[str, str, str]) -> None:
    assert expected in triples(seed(name))


def test_headline_and_subheading_quotes_are_dropped() -> None:
    values = [value for _, _, value in triples(seed("003"))]
    assert "explicit messages" not in values
    assert "Abuse of position" not in values
    assert not [v for _, _, v in triples(seed("001")) if v.startswith("would have been dismissed")]


def test_multi_paragraph_quote_keeps_its_speaker() -> None:
    """Seed 000: five paragraphs, mixed straight and curly marks, one closing mark."""
    found = [q for q in quotes(seed("000")) if q.about == "full"]
    assert [q.subject for q in found] == ["Paul Thompson"] * 5
    assert [q.value.split(",")[0][:30] for q in found] == [
        "We welcome this decision and a",
        "We will always seek out and in",
        "We understand behaviour of thi",
        "However",
        "We hope the public can take co",
    ]
    assert found[0].sentence.startswith("Det Supt Paul Thompson said: \u201cWe welcome")
    assert found[-1].text.endswith("accordingly.\u201d")


def test_continued_paragraph_after_dcc() -> None:
    """Seed 002: three paragraphs by Jim Nye, then ``DCC Nye continued: ...``."""
    found = quotes(seed("002"))
    assert {q.subject for q in found} == {"Jim Nye"}
    assert len(found) == 6
    assert found[1].value.startswith("The vast majority of our officers and staff")


def test_quote_offsets_and_surface() -> None:
    text = seed("003")
    for quote in quotes(text):
        assert quote.kind == "quote"
        assert text[quote.start : quote.start + len(quote.text)] == quote.text
    partial = next(q for q in quotes(text) if q.value.startswith("take all reports"))
    assert partial.text == '"take all reports of abuse of position very seriously"'
    assert partial.sentence.startswith("Deputy Chief Constable Jim Nye said the force")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # wikinews, BBC: nested single quotes inside a double-quoted sentence
            (
                "While answering a question about equality in the workplace, Mr Romney said that he had "
                "sought out female employees as governor of Massachusetts.\n\n"
                "\"I went to a number of women's groups and said, 'Can you help us find folks?' and they "
                'brought us whole binders full of women," Mr Romney said.'
            ),
            [
                (
                    "full",
                    "Romney",
                    (
                        "I went to a number of women's groups and said, 'Can you help us find folks?' and "
                        "they brought us whole binders full of women"
                    ),
                )
            ],
        ),
        (  # ecbplus: nested quote, speaker after; next line's quote has the same speaker
            (
                "\u201cThey asked, 'How about if it had been 50 people?' \u201d Howard said.\n"
                "\u201cAnd the three people said it wouldn't make any difference at all.\u201d\n"
                "The two female jurors spoke publicly at a news conference Saturday."
            ),
            [
                ("full", "Howard", "They asked, 'How about if it had been 50 people?'"),
                ("full", "Howard", "And the three people said it wouldn't make any difference at all"),
            ],
        ),
        (  # wikinews, Reuters: "he said" after a sentence naming the speaker; a partial quote
            (
                "Homs provincial governor Talal Barazi told Reuters 80 percent of the fighters had left "
                'and the centre of Homs would be "declared a secure city" and reconstruction would '
                'commence.\n\n"We hope to finish the operation today," he said.'
            ),
            [
                ("partial", "Talal Barazi", "declared a secure city"),
                ("full", "Talal Barazi", "We hope to finish the operation today"),
            ],
        ),
        (  # ecbplus: one sentence a line; the quote runs on over lines to its closing mark
            (
                "\u201cYou'll be pleased to know that I'm not going to lecture too much this morning,\u201d "
                "Bodiford said.\n"
                "\u201cI'm not going to express outrage.\n"
                "The jury has spoken and I respect the jury.\u201d\n"
                "Nichols was convicted of overpowering a sheriff's deputy."
            ),
            [
                (
                    "full",
                    "Bodiford",
                    "You'll be pleased to know that I'm not going to lecture too much this morning",
                ),
                ("full", "Bodiford", "I'm not going to express outrage"),
                ("full", "Bodiford", "The jury has spoken and I respect the jury"),
            ],
        ),
        (  # ecbplus, tokenised: the closing mark faces the wrong way
            (
                "\"She wasn't just a receptionist....\n"
                "She was our mom and the grandmother of our children, \"Kafoury's son, Charlie, said "
                "after the hearing."
            ),
            [
                ("full", "Charlie", "She wasn't just a receptionist"),
                ("full", "Charlie", "She was our mom and the grandmother of our children"),
            ],
        ),
        (  # wikinews, CNN: a partial quote after "he said" in a reporting sentence
            (
                "Rep. Ike Skelton, D-Missouri, the Armed Services Committee's chairman, ordered several "
                'protesters arrested for interrupting what he said "may be the most important hearing of '
                'the year."'
            ),
            [("partial", "Ike Skelton", "may be the most important hearing of the year")],
        ),
        (  # wikinews, SMH: two apostrophes used as a double quote
            (
                "Representatives from various minority community groups warned on Tuesday that the "
                "Abbott government would be ''licensing the public humiliation of people because of their "
                "race'' if it changed certain sections of the Racial Discrimination Act."
            ),
            [("partial", "", "licensing the public humiliation of people because of their race")],
        ),
        (  # gva, KTVU: no space after the full stop, "said X" after the quote
            (
                "The teenager grew up in San Jose.\"I always tell Alexis, 'Please come home.' I just feel "
                "she's safer at home in San Jose,\" said Douglas tearfully."
            ),
            [
                ("full", "Douglas", "I always tell Alexis, 'Please come home.'"),
                ("full", "Douglas", "I just feel she's safer at home in San Jose"),
            ],
        ),
        (  # gva, WCIV: sentences glued with no space; "said X" after each quote
            (
                "She tweeted \u201cI really wanna show face at the block party, but I don\u2019t wanna to "
                "lose my life man.\u201dTaylor, who did not want her last name identified, was at the "
                "party. She said Morgan used to be a cheerleader.\u201cShe was very outgoing and a bubbly "
                "person,\u201d said Taylor.Shalay Simmons, who lives nearby, also was at the party."
            ),
            [
                (
                    "full",
                    "",
                    "I really wanna show face at the block party, but I don't wanna to lose my life man",
                ),
                ("full", "Taylor", "She was very outgoing and a bubbly person"),
            ],
        ),
        (  # wikinews, Guardian: a partial quote right after "X said"
            'However, political rival Antonio Di Pietro said "the truth has been exposed".',
            [("partial", "Antonio Di Pietro", "the truth has been exposed")],
        ),
        (  # gva: "according to" names the source after the quote
            (
                'Their mother was outside while they "were inside with the grandfather playing," '
                "according to Ward."
            ),
            [("partial", "Ward", "were inside with the grandfather playing")],
        ),
        (  # wikinews, BBC: the subject of "says", not the nearer object
            (
                "Meanwhile French President Nicolas Sarkozy calls Mr Brown to congratulate him on his new "
                'job and says he wants them "to work very closely", according to Mr Sarkozy\'s spokesman.'
            ),
            [("partial", "Nicolas Sarkozy", "to work very closely")],
        ),
        (  # wikinews, BBC: "X told the BBC:" and a scare quote in an apposition
            (
                'Former chief inspector of schools, Sir Mike Tomlinson, who is "positive" about the '
                'changes, told the BBC: "As a teacher, I remember that system well."'
            ),
            [
                ("scare", "", "positive"),
                ("full", "Mike Tomlinson", "As a teacher, I remember that system well"),
            ],
        ),
        (  # wikinews, Daily Mail: British single quotes around a partial quote
            (
                "Astonishingly, the Mid-Bedfordshire MP justified her appearance on the show by saying "
                "she \u2018mostly works seven days a week\u2019 and ministers are often out of the country."
            ),
            [("partial", "", "mostly works seven days a week")],
        ),
    ],
)
def test_quotes_in_real_sentences(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert triples(text) == expected


def test_speaker_from_an_organisation_when_no_person_is_named() -> None:
    text = (
        'Fars news agency said on its website that its news item "was extracted from the Onion '
        'website" on Friday.'
    )
    assert triples(text) == [("partial", "Fars news agency", "was extracted from the Onion website")]


def test_apostrophes_are_not_quotes() -> None:
    text = "The officers' union said the officer's phone held the women's messages from the '90s."
    assert quotes(text) == []


@pytest.mark.parametrize(
    "text", ["", '"', "\u201c\u201d", "''", "'a'", '"unclosed quote at the end', "\n\n\u201c\n"]
)
def test_degenerate_texts(text: str) -> None:
    for quote in quotes(text):
        assert text[quote.start : quote.start + len(quote.text)] == quote.text


# Quote marks, words of reported speech and punctuation, joined as written (a mark against its word).
_QUOTE_PIECES = ['"', "'", "\u201c", "\u201d", "\u2018", "\u2019", "We ", "will ", "not  ", "tolerate", " this",
                 "said ", " said", "Jim Nye ", "He ", "the police ", "told reporters", ". ", ", ", ": ", "\n", "\n\n",
                 "Abuse of position", " it was ", "a b", "C."]
_QUOTE_NOISE = st.lists(st.sampled_from(_QUOTE_PIECES), max_size=30).map("".join)
# Random pieces seldom close a quote: splice a real one in between them.
_REAL_QUOTES = [
    '"We will not tolerate this," said Jim Nye.',
    "He said the police were 'shocked' by it.",
    "Jim Nye said: \u201cWe will not  tolerate this. It was wrong.\u201d",
    "the \u2018Abuse of position\u2019 ",
]


@settings(max_examples=200, deadline=None)
@given(_QUOTE_NOISE | st.tuples(_QUOTE_NOISE, st.sampled_from(_REAL_QUOTES), _QUOTE_NOISE).map("".join)
       | st.text(alphabet=st.sampled_from(list("ab C.,:'\u2019\u2018\"\u201c\u201d\n said He")), max_size=150))
def test_any_text_gives_well_formed_quotes(text: str) -> None:
    """Any text: quotes in text order, each one's surface at its offset, its value folded (ASCII quote marks,
    single spaces, no white space at either end)."""
    found = quotes(text)
    for quote in found:
        assert quote.about in ("full", "partial", "scare")
        assert quote.value and quote.value == quote.value.strip()
        assert "  " not in quote.value and not set(quote.value) & set("\u201c\u201d\u2018\u2019\n")
        assert text[quote.start : quote.start + len(quote.text)] == quote.text
    assert [q.start for q in found] == sorted(q.start for q in found)


@pytest.mark.parametrize("name", ["wikinews_clusters", "gva_incidents_dev"])
def test_quotes_added_later_give_the_fields_extract_gives(seeds_dir: Path, name: str) -> None:
    """``with_quotes`` of the fields extracted without quotes is ``extract`` itself, mention for mention
    (the seeds and the first 150 articles of a corpus: quotes with speakers, without, none)."""
    articles = [*read_articles([seeds_dir]), *itertools.islice(read_articles([corpus_file(name)]), 150)]
    quoted = 0
    for article in articles:
        whole = extract(article)
        assert with_quotes(extract(article, quotes=False), article) == whole
        quoted += bool(whole.of("quote"))
    assert quoted > 10
