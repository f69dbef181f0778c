"""Text misread as Latin-1 or cp1252 before it reached us ("mojibake"): decoded again for what extraction, profiles
and the headline path read, kept as read in what is stored and written out."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import Config, run
from dedupe.engine import LocalEngine
from dedupe.extract import extract
from dedupe.furniture import strip_boilerplate
from dedupe.headlines import headline_of
from dedupe.index import add, create, open_index
from dedupe.merge import merge_stories
from dedupe.normalize import _CP1252_HIGH, readable
from dedupe.normalize import _MISREAD as _SIGN
from dedupe.people import principal_person
from dedupe.types import Article

# Sentences as they are in the shared corpora (wikinews' nytimes.com and bbc pages, a gva report).
_MISREAD = [
    ("Venezuela's Hugo ChÃ¡vez has once again defied his doubters by winning a new term of office.",
     "Venezuela's Hugo Chávez has once again defied his doubters by winning a new term of office."),
    ("KIEV, Ukraine â\x80\x94 Ukraineâ\x80\x99s security forces pressed their assault on Saturday.",
     "KIEV, Ukraine — Ukraine’s security forces pressed their assault on Saturday."),
    ("U.S. Expands Sanctions, Adding Holdings of Russians in Putinâ\x80\x99s Financial Circle",
     "U.S. Expands Sanctions, Adding Holdings of Russians in Putin’s Financial Circle"),
    ("It bought the firm for Â£24m, saving most of JJB's Â£45m debt.",
     "It bought the firm for £24m, saving most of JJB's £45m debt."),
    ("He said he didn\x92t realize it. \x93He said he was fine,\x94 she said.",
     "He said he didn’t realize it. “He said he was fine,” she said."),
]


@pytest.mark.parametrize(("misread", "meant"), _MISREAD)
def test_misread_sentences_are_decoded_again(misread: str, meant: str) -> None:
    assert readable(misread) == meant


@pytest.mark.parametrize("text", ["plain ASCII text", "A café’s naïve résumé – “fine”, São Paulo, Zürich.",
                                  "강남스타일 passed a billion views", "Â is a letter; 1,000 € a month"])
def test_correct_text_is_left_alone(text: str) -> None:
    assert readable(text) is text


def readable_by_one_search(text: str) -> str:
    """The plain rule :func:`readable` follows: misread lines (a match of ``normalize._MISREAD``) decoded by ftfy, each
    line searched for a match from its first character."""
    if text.isascii() or _SIGN.search(text) is None:
        return text
    from ftfy import fix_encoding

    return "\n".join(fix_encoding(line) if _SIGN.search(line) else line for line in text.split("\n"))


# Every kind of character the signs of misreading are made of, and neighbours of their ranges.
_SIGN_PIECES = ["a", " ", "\n", "\x7f", "\x80", "\x93", "\x9f", "\xa0", "\xa1", "\xbf", "\xc0", "\xc1", "\xc2",
                "\xc3", "\xe2", "\xf4", "\xf5", "\xff", "\u2019", "\u201c", "\u0100", "Ã¡", "â€™", *_CP1252_HIGH]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_SIGN_PIECES), max_size=24).map("".join))
def test_the_first_sign_scan_finds_what_one_search_finds(text: str) -> None:
    """:func:`readable` looks for a sign only from the first character one can start with: the same answers."""
    assert readable(text) == readable_by_one_search(text)


_CHAVEZ = Article(id="a", title="ChÃ¡vez wins a new term",
                  text="Venezuela's Hugo ChÃ¡vez won the presidential election on Sunday. ChÃ¡vez thanked his "
                       "supporters. The opposition said ChÃ¡vez had used state money.")


def test_extraction_and_the_principal_read_the_decoded_text() -> None:
    fields = extract(strip_boilerplate(_CHAVEZ, frozenset()))
    assert "Hugo Chávez" in fields.values("person") and "Hugo Chã" not in fields.values("person")
    assert fields.headline == "Chávez wins a new term"
    assert principal_person(fields)[0] == "chávez"


def test_the_headline_path_reads_the_decoded_title() -> None:
    assert headline_of(Article(id="h", title="Ukraineâ\x80\x99s prime minister visits Odessa", text="")) == \
        "Ukraine’s prime minister visits Odessa"


def test_what_is_stored_and_written_keeps_the_text_as_read(tmp_path: Path) -> None:
    """The run's articles and an index keep the text as read, so adding the record again changes nothing."""
    other = Article(id="b", title="Storm hits coast", text="A storm hit the coast on Sunday. Homes were flooded.")
    result = run([_CHAVEZ, other], Config())
    assert result.by_id()["a"].text == _CHAVEZ.text and result.by_id()["a"].title == _CHAVEZ.title
    path = tmp_path / "misread.db"
    with create(path, Config()) as index:
        add(index, [_CHAVEZ, other])
    with open_index(path) as index:
        report = add(index, [_CHAVEZ])
    assert (report.added, report.skipped) == ((), 1)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_run_of_copies_only_merges_facts_of_the_decoded_text(workers: int) -> None:
    """Without same-story detection no field is extracted before merging; the merge extracts the heads as a full
    run reads them (misread text decoded), in this process or in workers."""
    other = Article(id="c", title="Storm hits coast", text="Mayor Ann Bell said homes were flooded on Sunday.")
    config = Config(relations=("exact", "near_duplicate"), workers=workers)
    stories, _ = merge_stories(run([_CHAVEZ, other], config), engine=LocalEngine(workers))
    people = {f.value: f for s in stories for f in s.facts if f.kind == "person"}
    assert "Hugo Chávez" in people and not any("Chã" in name for name in people)
