"""The merge workers' short paths give what the general ones give: one-claim facts, Markdown escaping."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from dedupe.facts import Claim
from dedupe.merge import grouped_fact, single_fact
from dedupe.report.markdown import escape
from dedupe.types import Mention

_ACTIVE = re.compile(r"([\\`*_\[\]<>#|~&])")
_LEADING = re.compile(r"^(?:([-+=>])|(\d+)([.)]))")
_AUTOLINK = re.compile(r"(?<=[A-Za-z0-9])(:)(?=//)|(?<=\bwww)(\.)|(@)(?=\w)", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def reference_escape(text: object) -> str:
    """Markdown escaping as four regular-expression passes, the form ``escape`` had before its short paths."""
    if text is None:
        return ""
    flat = _SPACE.sub(" ", str(text)).strip()
    flat = _ACTIVE.sub(r"\\\1", flat)
    flat = _AUTOLINK.sub(lambda m: "\\" + m.group(0), flat)
    return _LEADING.sub(lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), flat)


#: Text rich in what escaping acts on: white space of every kind, Markdown's characters, links, list starts.
PIECES = st.sampled_from(["www", "WwW", ".", "://", "http", "@", "a", "9", "12", ")", "-", "+", "=", ">", "#", "|",
                          "`", "*", "_", "[", "]", "<", "&", "\\", "~", " ", "\t", "\n", "\x1c", "\xa0", "\u2028",
                          "\u3000", "\x85", "K", "\u212a", "é", "x.y", "e@x"])
MARKDOWN_TEXT = st.one_of(st.text(), st.lists(PIECES, max_size=12).map("".join))


@given(MARKDOWN_TEXT)
def test_escape_equals_the_four_passes(text: str) -> None:
    assert escape(text) == reference_escape(text)


def test_escape_of_values_that_are_not_text() -> None:
    for value in (None, 3, 0, 2.5, "", "- item", "12. point", "mail me@host or www.site.org, http://x"):
        assert escape(value) == reference_escape(value)


WORDS = st.text(alphabet="abc é", max_size=6)
MENTIONS = st.builds(Mention, kind=st.sampled_from(["date", "number", "person", "organisation", "place", "quote"]),
                     value=WORDS, text=WORDS, sentence=WORDS, about=WORDS, subject=WORDS, qualifier=WORDS,
                     start=st.integers(-1, 50))
CLAIMS = st.builds(Claim, article_id=WORDS, group=WORDS, outlet=WORDS, published=st.none() | WORDS,
                   mention=MENTIONS)


@given(CLAIMS)
def test_a_single_claims_fact_equals_the_grouped_fact_of_it(claim: Claim) -> None:
    assert single_fact(claim) == grouped_fact([claim])
