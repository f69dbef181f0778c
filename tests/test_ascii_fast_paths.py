"""Tokens, figures and content terms read an ASCII text in ASCII mode: the same as the Unicode patterns give."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from dedupe.normalize import (
    _FIGURE,
    _WORD,
    _YEAR,
    figures,
    fold,
    folded_figures,
    folded_tokens,
    tokens,
)
from dedupe.profile import STOPWORDS, content_terms
from dedupe.types import Article

# ASCII letters, digits and the marks figures read, the separators Unicode calls white space and ASCII mode
# does not (``\x1c``-``\x1f``), and a few characters that are not ASCII (folded or not).
_ASCII = st.text(alphabet=list("aZ_09 1,.:/-'\t\n\x1c\x1f\x0b"), max_size=60)
_ANY = st.text(alphabet=list("aZ_09 1,.:/-'\x1c\u2019\u201c\u00e9\u0663\uff11\u212a\u00b2"), max_size=60)


def _plain_tokens(text: str) -> list[str]:
    """``normalize.tokens`` as first written: the Unicode pattern whatever the text."""
    return _WORD.findall(fold(text).lower())


def _plain_figures(text: str) -> list[str]:
    """``normalize.figures`` as first written."""
    found = (match.group().replace(",", "") for match in _FIGURE.finditer(fold(text)))
    return [figure for figure in found if not _YEAR.fullmatch(figure)]


@given(st.one_of(_ASCII, _ANY))
@example("A 5.6 magnitude quake at 2:30 in 2008 killed 1,000; 31-24, ie7 and 9/11 \x1c12\x1f 7")
@example("\u0663\u0664 and \uff11\uff12 and 3\u0663")
@settings(max_examples=500, deadline=None)
def test_tokens_and_figures_match_the_unicode_patterns(text: str) -> None:
    assert tokens(text) == _plain_tokens(text) == folded_tokens(fold(text))
    assert figures(text) == _plain_figures(text) == folded_figures(fold(text))


@given(st.one_of(_ASCII, _ANY), st.one_of(st.none(), _ANY))
@example("The mayor said 12 of the 2,500 homes were hit in 2019 a b c", "Fire: 3 dead")
@settings(max_examples=300, deadline=None)
def test_content_terms_are_the_plain_filter(text: str, title: str | None) -> None:
    joined = f"{title or ''}\n{text}"
    words = [t for t in _plain_tokens(joined) if len(t) > 1 and t not in STOPWORDS and not t.isdigit()]
    assert content_terms(Article(id="a", text=text, title=title)) == words + _plain_figures(joined)


# Apostrophes leading, trailing, doubled and alone, next to the characters an ASCII text's runs split at.
_APOSTROPHES = st.text(alphabet=list("ab9Z'' _-.\x1c\t\n"), max_size=40)


@given(_APOSTROPHES)
@example("'tis o''neil rock'n'roll ''' a_b officer's 'x' y'")
@settings(max_examples=500, deadline=None)
def test_ascii_tokens_by_runs_are_the_pattern_tokens(text: str) -> None:
    """An ASCII text is tokenised by ``translate`` and ``split``, a run with an apostrophe by the pattern."""
    assert folded_tokens(text) == _WORD.findall(text.lower())
