"""Page furniture: what counts as furniture, what stripping keeps, and how deep fields read."""

from __future__ import annotations

from dedupe.extract import MAX_CHARS
from dedupe.match import prepare_fields
from dedupe.profile import BOILERPLATE_MIN_ARTICLES, boilerplate, strip_boilerplate
from dedupe.types import Article

NAV = "Home | News | Sport | Weather | Contact us"
STORY = "The council approved the new bridge over the River Exe on Tuesday, officials said."


def article(aid: str, text: str, source: str = "") -> Article:
    """An article with only the fields these tests read."""
    return Article(id=aid, text=text, title=f"Headline {aid}", source=source)


def test_paragraph_repeated_by_one_outlet_is_furniture() -> None:
    pages = [article("a", f"{NAV}\n\nStory one is here.", "Echo"), article("b", f"{NAV}\n\nStory two.", "Echo")]
    assert boilerplate(pages) == frozenset({"home | news | sport | weather | contact us"})


def test_paragraph_in_two_outlets_is_not_furniture() -> None:
    pages = [article("a", f"{NAV}\n\nStory one.", "Echo"), article("b", f"{NAV}\n\nStory two.", "Post")]
    assert boilerplate(pages) == frozenset()


def test_paragraph_in_many_outlets_is_furniture() -> None:
    pages = [article(str(i), f"{NAV}\n\nStory {i}.", f"outlet{i}") for i in range(BOILERPLATE_MIN_ARTICLES)]
    assert len(boilerplate(pages)) == 1
    stripped = strip_boilerplate(pages[0], boilerplate(pages))
    assert stripped.text == "Story 0."


def test_strip_drops_repeated_paragraphs_and_keeps_order() -> None:
    page = article("a", f"First.\n\n{STORY}\n\nSecond.\n\n{STORY}")
    assert strip_boilerplate(page, frozenset()).text == f"First.\n\n{STORY}\n\nSecond."


def test_only_the_extraction_depth_is_read() -> None:
    paragraphs = [f"Paragraph {i}: {STORY}" for i in range(MAX_CHARS // len(STORY) * 3)]
    page = article("a", "\n\n".join(paragraphs))
    kept = strip_boilerplate(page, frozenset()).text
    assert MAX_CHARS - len(paragraphs[-1]) - 2 <= len(kept) <= MAX_CHARS
    assert page.text.startswith(kept)
    deep = article("b", page.text + f"\n\n{NAV}", "Echo")
    assert boilerplate([deep, article("c", NAV, "Echo")]) == frozenset()


def test_batch_strips_as_the_index_does() -> None:
    """Batch fields read the text the index's stripping gives, for a text longer than MAX_CHARS."""
    filler = "\n\n".join(f"Line {i} of the council minutes about the bridge." for i in range(MAX_CHARS // 60))
    long_page = article("long", f"{NAV}\n\n{filler}\n\n{STORY}\n\n{filler}", "Echo")
    other = article("short", f"{NAV}\n\nA different story.", "Echo")
    furniture = boilerplate([long_page, other])
    cleaned, _ = prepare_fields([long_page, other])
    assert cleaned == [strip_boilerplate(long_page, furniture), strip_boilerplate(other, furniture)]
    assert cleaned[1].text == "A different story."
    assert not cleaned[0].text.startswith(NAV)
