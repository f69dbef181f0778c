"""Term counts spooled to temporary files weigh exactly as counts held in memory."""

from __future__ import annotations

from array import array
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import corpusweights
from dedupe.corpusweights import CorpusWeights, TermCounts
from dedupe.countstore import CountSpool

#: Documents as term -> count, counts reaching every width a spool holds (one byte, two, four).
_DOCUMENTS = st.lists(st.dictionaries(st.sampled_from(["fire", "crew", "storm", "dam", "x", "y", "z"]),
                                      st.one_of(st.integers(1, 9), st.integers(1, 70_000)), max_size=7),
                      max_size=25)


def counted(documents: list[dict[str, int]], spooled: bool) -> TermCounts:
    """The documents added to a new :class:`TermCounts`."""
    counts = TermCounts(spooled=spooled)
    for document in documents:
        counts.add(Counter(document))
    return counts


def same_weights(one: CorpusWeights, other: CorpusWeights) -> None:
    """Assert two weighings are equal: vocabulary, every array bit for bit and its type."""
    assert one.terms == other.terms and one.columns == other.columns
    for a, b in ((one.matrix.weights, other.matrix.weights), (one.matrix.positions, other.matrix.positions)):
        for name in ("data", "indices", "indptr"):
            x, y = getattr(a, name), getattr(b, name)
            assert x.dtype == y.dtype and x.tobytes() == y.tobytes()
    assert one.matrix.sizes.tobytes() == other.matrix.sizes.tobytes()


@settings(max_examples=60, deadline=None)
@given(_DOCUMENTS, st.integers(1, 9), st.integers(1, 9), st.integers(1, 5))
def test_spooled_counts_weigh_as_held_ones(documents, per_write, per_read, per_block):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(corpusweights, "ENTRIES_PER_WRITE", per_write)
        patch.setattr(corpusweights, "ENTRIES_PER_READ", per_read)
        patch.setattr(corpusweights, "DOCUMENTS_PER_BLOCK", per_block)
        spooled = counted(documents, spooled=True).weights()
    same_weights(spooled, counted(documents, spooled=False).weights())


def test_a_spool_holds_what_was_written_and_widens_what_it_holds():
    spool = CountSpool()
    spool.write(array("i", [3, 1]), array("B", [2, 255]))
    spool.write(array("i", [7]), array("H", [300]))
    keys, counts = spool.read(0, 3)
    assert keys.tolist() == [3, 1, 7] and counts.tolist() == [2, 255, 300] and counts.dtype == np.uint16
    spool.write(array("i", [0]), array("i", [2**31 - 1]))
    assert spool.read(1, 4)[1].tolist() == [255, 300, 2**31 - 1] and spool.entries == 4


def test_a_spool_refuses_runs_of_two_lengths():
    with pytest.raises(ValueError, match="2 keys for 1 counts"):
        CountSpool().write(array("i", [1, 2]), array("B", [1]))


def test_only_the_sizes_stay_in_memory_once_written(monkeypatch):
    monkeypatch.setattr(corpusweights, "ENTRIES_PER_WRITE", 4)
    counts = counted([{"a": 1, "b": 2}, {"c": 1, "a": 3}, {"d": 1}], spooled=True)
    assert len(counts.keys) == 1 and len(counts.sizes) == 3 and counts.spool is not None
    assert counts.spool.entries == 4
