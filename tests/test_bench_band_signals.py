"""``bench/band_signals.py``'s readers of a story's evidence, on sentences of the shared corpora (one adapted)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import load_script

from dedupe.extract import extract
from dedupe.types import Article


@pytest.fixture(scope="module")
def band():
    """``bench/band_signals.py`` as a module."""
    return load_script("bench/band_signals.py")


def fields_of(text: str, title: str | None = None):
    """The fields of an undated article holding ``text``."""
    return extract(Article(id="x", title=title, text=text))


def test_text_day_is_the_latest_day_outside_future_sentences(band) -> None:
    text = ("Howard Andrew Williams was born Dec. 3, 1927, in Wall Lake, Iowa. "
            "The documents were found by Human Rights Watch researchers on September 3, 2011, in the offices "
            "of former Libyan intelligence chief Moussa Koussa. "
            "The Academy Awards will be broadcast live on Oscar Sunday, March 2, 2014, on the ABC Television Network.")
    assert band.text_day(fields_of(text)) == dt.date(2011, 9, 3)


def test_text_day_ignores_months_and_years(band) -> None:
    assert band.text_day(fields_of("He was suspended in October 2018 and left in 2019.")) is None


def test_event_words_meet_across_inflections_and_nouns(band) -> None:
    one = fields_of("San Diego Chargers receiver Vincent Jackson was arrested on suspicion of drunk driving on "
                    "Tuesday morning, five days before a key NFL playoff game.",
                    title="Chargers receiver arrested for DUI")
    two = fields_of("Chargers defensive tackle Jamal Williams was arrested on suspicion of drunken driving, the "
                    "team's second such arrest in less than a month.",
                    title="Chargers lineman Jamal Williams faces DUI charges")
    assert "arrest" in band.event_words(one)
    assert "arrest" in band.event_words(two)
    assert not {"jackson", "williams"} & set(band.lead_words(one) + band.lead_words(two))


def test_lead_person_and_quoted_runs(band) -> None:
    text = ('"Hackers are already exploiting this so I hope Microsoft produces a full patch within a few days," '
            'said Graham Cluley of Sophos. The fact that Microsoft is rushing out a patch so quickly indicates '
            'the threat is serious, said Paul Henry, security and forensic analyst at Lumension. '
            'Graham Cluley added that users should update.')
    fields = fields_of(text)
    lead, named = band.lead_person(fields)
    assert lead == "Graham Cluley" and "Paul Henry" in named
    assert "microsoft produces a full patch" in band.quoted_runs(fields)
    assert band.cut("killing") == "kill" and band.cut("kills") == "kill" and band.cut("bus") == "bus"
