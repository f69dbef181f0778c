"""Page furniture: what counts as furniture (by hash, as by string), what stripping keeps, how deep fields read."""

from __future__ import annotations

from collections import Counter, defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe.engine import LocalEngine
from dedupe.extract import MAX_CHARS
from dedupe.furniture import (
    BOILERPLATE_MIN_ARTICLES,
    boilerplate,
    count_furniture,
    paragraph_hash,
    paragraphs,
    strip_boilerplate,
)
from dedupe.match import prepare_fields
from dedupe.normalize import normalize_text
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


def counted_by_string(articles: list[Article]) -> frozenset[str]:
    """The obvious reference: every article's distinct normalised paragraphs counted as strings."""
    seen: Counter[str] = Counter()
    per_outlet: dict[str, Counter[str]] = defaultdict(Counter)
    for page in articles:
        distinct = {normalize_text(p) for p in paragraphs(page.text[:MAX_CHARS])}
        seen.update(distinct)
        if page.outlet:
            per_outlet[page.outlet.lower()].update(distinct)
    found = {p for p, n in seen.items() if n >= BOILERPLATE_MIN_ARTICLES}
    for counts in per_outlet.values():
        found.update(p for p, n in counts.items() if n >= 2)
    return frozenset(found)


PIECES = [NAV, STORY, "Related: Two dead after crash", "Subscribe now", "  Share  this\n", "Story {i}."]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(PIECES), max_size=6), st.sampled_from(["", "Echo", "echo", "Post"])),
                min_size=1, max_size=14))
def test_hashed_count_finds_what_the_string_count_finds(pages: list[tuple[list[str], str]]) -> None:
    articles = [article(str(i), "\n\n".join(p.format(i=i) for p in parts), source)
                for i, (parts, source) in enumerate(pages)]
    expected = counted_by_string(articles)
    assert boilerplate(articles) == expected
    furniture = count_furniture(articles)
    assert len(furniture) == len(expected)
    for page in articles:
        assert strip_boilerplate(page, furniture) == strip_boilerplate(page, expected)


def test_hashed_on_workers_as_here() -> None:
    pages = [article(f"{i:04d}", f"{NAV}\n\nStory {i % 7}.\n\nFooter {i % 3}", f"outlet{i % 4}") for i in range(700)]
    assert count_furniture(pages, LocalEngine(2)) == count_furniture(pages)
    assert boilerplate(pages, LocalEngine(2)) == counted_by_string(pages) != frozenset()


def test_furniture_holds_hashes_not_paragraphs() -> None:
    pages = [article(str(i), f"{NAV}\n\nStory {i}.", "Echo") for i in range(3)]
    furniture = count_furniture(pages)
    assert furniture.hashes == frozenset({paragraph_hash(normalize_text(NAV))})
    assert normalize_text(NAV) in furniture and "story 0." not in furniture and 7 not in furniture


TOUCHED_PIECES = [NAV, STORY, "SHARE THIS", "Share  this", "Subscribe now", "Story {i}.", "Story {i}. "]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(TOUCHED_PIECES), max_size=6), st.sampled_from(["", "Echo", "Post"])),
                min_size=1, max_size=14))
def test_touched_lists_the_articles_stripping_changes(pages: list[tuple[list[str], str]]) -> None:
    """``touched`` holds the articles with a furniture paragraph or a paragraph twice (after normalising), and
    stripping the others only joins their paragraphs again: the same text as reading each paragraph."""
    articles = [article(str(i), "\n".join(p.format(i=i) for p in parts), source)
                for i, (parts, source) in enumerate(pages)]
    expected = counted_by_string(articles)
    furniture = count_furniture(articles, touched=True)
    assert count_furniture(articles).touched is None
    for page in articles:
        keys = [normalize_text(p) for p in paragraphs(page.text[:MAX_CHARS])]
        needs = len(set(keys)) < len(keys) or any(key in expected for key in keys)
        assert (page.id in furniture.touched) == needs
        assert strip_boilerplate(page, furniture) == strip_boilerplate(page, expected)


def test_touched_on_workers_as_here() -> None:
    texts = {0: "Story {i}.\n\nStory {i}.", 1: NAV + "\n\nStory {i}."}
    pages = [article(f"{i:04d}", texts.get(i % 5, "Story {i}.\n\nFooter {i}").format(i=i), f"outlet{i % 4}")
             for i in range(700)]
    here = count_furniture(pages, touched=True)
    assert count_furniture(pages, LocalEngine(2), touched=True) == here
    assert here.touched == {page.id for i, page in enumerate(pages) if i % 5 < 2}
