"""Profiles held as one corpus matrix give exactly the weights, order and reads of a dict per article."""

from __future__ import annotations

import math
import pickle
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import corpusweights, read_articles
from dedupe.compare import cosine
from dedupe.config import Config
from dedupe.corpusweights import tfidf_weights
from dedupe.match import candidate_table, profiles_for
from dedupe.profile import ProfileTable, salient_keys, tfidf
from dedupe.scoring import pair_cosines_of, table_cosines


def dict_tfidf(documents: list[list[str]]) -> list[dict[str, float]]:
    """The definition, one dict per document (what profiles held before the matrix)."""
    df: Counter[str] = Counter()
    for terms in documents:
        df.update(set(terms))
    idf = {t: math.log((len(documents) + 1) / n) for t, n in df.items()}
    vectors = []
    for terms in documents:
        weights = {t: (1.0 + math.log(n)) * idf[t] for t, n in Counter(terms).items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors.append({t: w / norm for t, w in weights.items() if w > 0})
    return vectors


_DOCUMENTS = st.lists(st.lists(st.sampled_from(["fire", "crew", "storm", "dam", "x", "y"]),
                               max_size=30), max_size=12)


@settings(max_examples=80, deadline=None)
@given(_DOCUMENTS)
def test_matrix_rows_equal_the_dicts_bit_for_bit_and_in_order(documents):
    want = dict_tfidf(documents)
    corpus = tfidf_weights(iter(documents))  # read once, as a generator
    assert [corpus.row(i).items() for i in range(len(corpus))] == [list(w.items()) for w in want]
    assert tfidf(documents) == want


def test_blocks_of_documents_join_up(monkeypatch):
    # three documents a block: the empty ones and the block edges must not shift a row
    monkeypatch.setattr(corpusweights, "DOCUMENTS_PER_BLOCK", 3)
    documents = [["a", "b", "a"], [], ["c"], ["b", "c", "d"], [], [], ["a"], ["e", "e", "d"]]
    corpus = tfidf_weights(documents)
    assert [dict(corpus.row(i)) for i in range(len(documents))] == dict_tfidf(documents)
    assert corpus.matrix.sizes.tolist() == [2, 0, 1, 3, 0, 0, 1, 2]


def test_a_row_reads_like_its_dict():
    documents = [["storm", "dam", "storm", "river"], ["river", "bridge"], []]
    row, want = tfidf_weights(documents).row(0), dict_tfidf(documents)[0]
    assert list(row) == list(want) == ["storm", "dam", "river"]
    assert row == want and len(row) == 3 and row["dam"] == want["dam"]
    assert "bridge" not in row and "nowhere" not in row and row.get("bridge", -1.0) == -1.0
    with pytest.raises(KeyError):
        row["bridge"]
    assert row.values() == list(want.values())
    copied = pickle.loads(pickle.dumps(row))
    assert type(copied) is dict and list(copied.items()) == list(want.items())
    assert repr(row) == repr(want)


def test_profile_table_reads_give_the_dicts_and_views_score_the_same(seeds_dir):
    profiles, _ = profiles_for(list(read_articles([seeds_dir])), engine=None)
    assert isinstance(profiles, ProfileTable)
    ids = sorted(profiles)
    first = profiles[ids[0]]
    assert type(first.terms) is dict and type(first.names) is dict
    light = profiles.light[ids[0]]
    assert dict(light.terms) == first.terms and list(light.terms) == list(first.terms)
    assert salient_keys(light, 8) == salient_keys(first, 8)
    pairs = [(a, b) for a in ids[:4] for b in ids[:4] if a < b]
    by_dict = {pid: profiles[pid] for pid in ids}
    for field in ("terms", "names"):
        assert pair_cosines_of(profiles, pairs, field) == [cosine(getattr(by_dict[a], field),
                                                                  getattr(by_dict[b], field)) for a, b in pairs]
    table = candidate_table(profiles, Config())
    assert np.array_equal(table_cosines(profiles, table), table_cosines(by_dict, table), equal_nan=True)


def test_a_pickled_table_is_a_dict_of_the_same_profiles(seeds_dir):
    profiles, _ = profiles_for(list(read_articles([seeds_dir])), engine=None)
    copied = pickle.loads(pickle.dumps(profiles))
    assert type(copied) is dict and copied == dict(profiles.items())
    table = candidate_table(copied, Config())
    assert np.array_equal(table_cosines(copied, table), table_cosines(profiles, table), equal_nan=True)


@settings(max_examples=40, deadline=None)
@given(_DOCUMENTS)
def test_a_given_idf_reads_each_term_with_its_frequency_and_weighs_it(documents):
    seen = {}

    def plain(terms, frequency, total):
        seen.update(zip(terms, frequency.tolist()), total=total)
        return np.full(len(terms), 2.0)

    corpus = tfidf_weights(documents, plain)
    df = Counter(t for terms in documents for t in set(terms))
    assert seen == {**df, "total": len(documents)} if documents else seen == {"total": 0}
    for index, terms in enumerate(documents):  # a constant IDF leaves the normalised sublinear TF
        raw = {t: 1.0 + math.log(n) for t, n in Counter(terms).items()}
        norm = math.sqrt(sum(w * w for w in raw.values()))
        assert dict(corpus.row(index)) == pytest.approx({t: w / norm for t, w in raw.items()})


def test_build_profiles_takes_an_idf_per_field(seeds_dir):
    from dedupe.match import prepare_fields
    from dedupe.profile import build_profiles

    cleaned, fields = prepare_fields(list(read_articles([seeds_dir])))
    default = build_profiles(cleaned, fields)
    flat = build_profiles(cleaned, fields, idf={"names": lambda terms, df, n: np.ones(len(terms))})
    ids = sorted(default)
    assert [default[i].terms for i in ids] == [flat[i].terms for i in ids]
    assert [default[i].names for i in ids] != [flat[i].names for i in ids]
    assert [set(default[i].names) for i in ids] == [set(flat[i].names) for i in ids]


def test_places_fit_the_rows_and_keep_their_order():
    """Places are uint16 while every row has fewer than 65,536 keys, float32 beyond, in both the order is the dict's."""
    small = tfidf_weights([["b", "a", "b"], ["c"]])
    assert small.matrix.positions.dtype == np.uint16 and list(small.row(0)) == ["b", "a"]
    wide = [f"t{n}" for n in range(70_000)][::-1]
    large = tfidf_weights([wide, ["t5"]])
    assert large.matrix.positions.dtype == np.float32 and list(large.row(0)) == wide
