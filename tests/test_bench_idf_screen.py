"""``bench/idf_screen.py``'s weightings: what each promises about unrelated documents and corpus size."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import load_script
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe.corpusweights import tfidf_weights


@pytest.fixture(scope="module")
def screen():
    """``bench/idf_screen.py`` as a module."""
    return load_script("bench/idf_screen.py")


_WORDS = st.lists(st.lists(st.sampled_from(["fire", "crew", "storm", "dam"]), min_size=1, max_size=8),
                  min_size=1, max_size=8)
_OTHERS = st.lists(st.lists(st.sampled_from(["vote", "poll", "seat"]), min_size=1, max_size=5), min_size=1,
                   max_size=30)


def rows(documents: list[list[str]], idf) -> list[dict[str, float]]:
    """The weights of the first ``len(documents)`` rows of ``tfidf_weights``."""
    corpus = tfidf_weights(documents, idf)
    return [dict(corpus.row(i)) for i in range(len(corpus))]


@settings(max_examples=40, deadline=None)
@given(_WORDS, _OTHERS)
def test_a_fixed_scale_ignores_unrelated_documents(screen, documents, others) -> None:
    idf = screen.fixed(1000)
    assert rows(documents + others, idf)[:len(documents)] == rows(documents, idf)


def test_the_default_idf_moves_with_unrelated_documents_and_the_fixed_scale_does_not(screen) -> None:
    documents, others = [["storm", "dam", "dam"], ["storm", "crew"]], [["vote"]] * 50
    default = screen.VARIANTS["current"]().get("terms")
    assert default is None  # the shipped IDF
    shipped = rows(documents + others, screen.inverse_frequencies)[0]
    assert shipped["storm"] > rows(documents, screen.inverse_frequencies)[0]["storm"]  # a common word gains
    assert rows(documents + others, screen.fixed(10))[0] == rows(documents, screen.fixed(10))[0]


@given(st.integers(min_value=1, max_value=400), st.integers(min_value=1, max_value=5000))
def test_capped_is_log1p_up_to_the_cap_and_fixed_beyond(screen, df: int, documents: int) -> None:
    df = min(df, documents)
    frequency = np.array([df])
    capped = screen.capped(1000)(["w"], frequency, documents)
    want = screen.fixed(min(documents, 1000))(["w"], frequency, documents)
    assert capped.tolist() == want.tolist() and capped[0] > 0


@pytest.mark.parametrize("background", [False, True])
def test_every_variant_weighs_each_term_positively(screen, background: bool) -> None:
    if background:
        pytest.importorskip("wordfreq")  # the background variants read English word frequencies
    terms, frequency = ["the", "storm", "gaza", "benjamin netanyahu", "qxzvw"], np.array([900, 40, 12, 3, 1])
    chosen = {n: m for n, m in screen.VARIANTS.items() if n.startswith(("bg", "blend", "smooth")) == background}
    assert chosen
    for name, make in chosen.items():
        for idf in make().values():
            weights = idf(terms, frequency, 1000)
            assert weights.shape == (5,) and np.all(np.isfinite(weights)) and np.all(weights > 0), name
    if background:
        assert screen.background("qxzvw") == 0.0 and 0.9 < screen.background("the") <= 1.0
