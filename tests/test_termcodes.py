"""Terms numbered in workers and sent once: counted as adding each document's counter counts them."""

from __future__ import annotations

import itertools
import os
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import fieldstream
from dedupe.corpusweights import TermCounts
from dedupe.fieldstream import TermCoder, TermDecoder, coder_for, new_run
from dedupe.vectors import sorted_rows

_WORDS = st.sampled_from(["fire", "crew", "port", "ship", "a", "b", "c", "d", "e"])
_DOCUMENT = st.dictionaries(_WORDS, st.sampled_from([1, 2, 3, 255, 256, 70_000]), max_size=6).map(Counter)


def _held(counted: TermCounts) -> tuple[list[str], list[int], list[int], list[int]]:
    return list(counted.columns), counted.keys.tolist(), counted.counts.tolist(), counted.sizes.tolist()


@settings(max_examples=80, deadline=None)
@given(documents=st.lists(_DOCUMENT, max_size=30), cuts=st.lists(st.integers(0, 30), max_size=6),
       workers=st.lists(st.integers(0, 2), min_size=8, max_size=8))
def test_chunks_numbered_by_lasting_coders_count_as_each_document_added(documents, cuts, workers):
    """Chunks handed to three workers (each worker's in order, read back in order) give the columns, entries and
    weights of adding every document in turn."""
    bounds = sorted({0, len(documents), *(min(c, len(documents)) for c in cuts)})
    coders = [TermCoder((1, worker, "terms")) for worker in range(3)]
    decoded, plain = TermCounts(), TermCounts()
    decoder = TermDecoder(decoded)
    for n, (start, end) in enumerate(itertools.pairwise(bounds)):
        decoder.add(coders[workers[n % len(workers)]].code(documents[start:end]))
    for document in documents:
        plain.add(document)
    assert _held(decoded) == _held(plain)
    assert decoded.counts.typecode == plain.counts.typecode
    ours, theirs = decoded.weights(), plain.weights()
    assert [list(ours.row(i).items()) for i in range(len(ours))] == [
        list(theirs.row(i).items()) for i in range(len(theirs))]


def test_a_coder_sends_each_term_once():
    coder = TermCoder(None)
    first = coder.code([Counter("abca"), Counter("cd")])
    second = coder.code([Counter("dab"), Counter("e")])
    assert (first.base, first.new, second.base, second.new) == (0, ["a", "b", "c", "d"], 4, ["e"])
    assert np.frombuffer(second.keys, dtype=np.int32).tolist() == [3, 0, 1, 4]
    assert np.frombuffer(first.counts, dtype=first.code).tolist() == [2, 1, 1, 1, 1]


def test_chunks_out_of_order_are_refused():
    coder = TermCoder((1, 1, "terms"))
    first, second = coder.code([Counter("ab")]), coder.code([Counter("bc")])
    decoder = TermDecoder(TermCounts())
    with pytest.raises(ValueError, match="out of order"):
        decoder.add(second)
    decoder.add(first)
    decoder.add(second)
    with pytest.raises(ValueError, match="out of order"):
        decoder.add(second)


def test_lasting_coders_per_run_and_kind(monkeypatch):
    monkeypatch.setattr(fieldstream, "_coders", {})
    run = new_run()
    terms, names = coder_for(run, "terms"), coder_for(run, "names")
    assert terms is not names and coder_for(run, "terms") is terms and coder_for(run, "names") is names
    assert coder_for(None, "terms") is not coder_for(None, "terms")
    later = new_run()
    assert later != run and coder_for(later, "terms") is not terms
    assert list(fieldstream._coders) == [(later, os.getpid(), "terms")]  # the earlier run's coders went


def test_a_coder_past_its_bound_starts_a_new_generation_and_counts_stay_the_same(monkeypatch):
    """A worker's lasting coder that has numbered ``MAX_TERMS`` terms is replaced at the next chunk by a new one
    under a new token (its memory stays bounded); the parent, meeting a new token, counts as before."""
    monkeypatch.setattr(fieldstream, "_coders", {})
    monkeypatch.setattr(fieldstream, "MAX_TERMS", 3)
    run = new_run()
    chunks = [[Counter("abca")], [Counter("cde")], [Counter("efa"), Counter("g")], [Counter("ab")]]
    decoded, plain = TermCounts(), TermCounts()
    decoder, tokens = TermDecoder(decoded), []
    for chunk in chunks:
        coder = coder_for(run, "terms")
        tokens.append(coder.token)
        decoder.add(coder.code(chunk))
        for document in chunk:
            plain.add(document)
    assert [token[3] for token in tokens] == [0, 1, 2, 3]  # each chunk left its coder at 3 terms or more
    assert len({token[:3] for token in tokens}) == 1 and len(fieldstream._coders) == 1
    assert _held(decoded) == _held(plain)


def test_wide_counts_widen_and_spool():
    plain, decoded = TermCounts(spooled=True), TermCounts(spooled=True)
    documents = [Counter({"fire": 3, "crew": 300}), Counter({"fire": 70_000})]
    for document in documents:
        plain.add(document)
    TermDecoder(decoded).add(TermCoder(None).code(documents))
    assert decoded.counts.typecode == "i" and _held(decoded) == _held(plain)


@settings(max_examples=80, deadline=None)
@given(rows=st.lists(st.lists(st.integers(0, 50) | st.integers(0, 2**61), unique=True, max_size=6), max_size=8))
def test_rows_sorted_by_column_as_lexsort_sorts_them(rows):
    sizes = np.array([len(r) for r in rows], dtype=np.int64)
    columns = np.array([c for r in rows for c in r], dtype=np.int64)
    values = np.arange(len(columns), dtype=np.float64)
    row_of = np.repeat(np.arange(len(rows)), sizes)
    order = np.lexsort((columns, row_of))
    got = sorted_rows(sizes, columns, values)
    assert got[0].tolist() == columns[order].tolist() and got[1].tolist() == values[order].tolist()
    assert got[2].tolist() == (np.arange(len(columns)) - np.r_[0, np.cumsum(sizes)][row_of] + 1)[order].tolist()
