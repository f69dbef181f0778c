"""A mention pickles as its values (the extraction workers send tens of thousands) and reads back equal; fields packed
for the index read back equal, their mentions by position or, stored otherwise, by name."""

from __future__ import annotations

import dataclasses
import pickle
import zlib

import orjson
from hypothesis import given
from hypothesis import strategies as st

from dedupe.index.codec import fields_from, fields_json
from dedupe.types import Fields, Mention

_TEXT = st.text(max_size=12)
MENTIONS = st.builds(Mention, kind=st.sampled_from(["date", "number", "person", "quote"]), value=_TEXT, text=_TEXT,
                     sentence=_TEXT, about=_TEXT, subject=_TEXT, qualifier=_TEXT, start=st.integers(-1, 10**6))


@given(MENTIONS, st.integers(0, pickle.HIGHEST_PROTOCOL))
def test_a_mention_pickles_back_equal(mention: Mention, protocol: int) -> None:
    back = pickle.loads(pickle.dumps(mention, protocol=protocol))
    assert type(back) is Mention and back == mention and hash(back) == hash(mention)


@given(MENTIONS)
def test_a_mention_reduces_to_every_field_in_order(mention: Mention) -> None:
    """A field added to ``Mention`` but not to ``__reduce__`` would be lost (or shift the others) on the way."""
    made, values = mention.__reduce__()
    assert made is Mention
    assert values == tuple(getattr(mention, f.name) for f in dataclasses.fields(Mention))


@given(st.lists(MENTIONS, max_size=5))
def test_fields_with_mentions_pickle_back_equal(mentions: list[Mention]) -> None:
    fields = Fields("a1", headline="Storm", mentions=tuple(mentions))
    assert pickle.loads(pickle.dumps(fields, protocol=pickle.HIGHEST_PROTOCOL)) == fields


@given(st.lists(MENTIONS, max_size=5), st.randoms(use_true_random=False))
def test_fields_read_back_equal_whatever_order_their_mentions_were_stored_in(mentions: list[Mention], rnd) -> None:
    fields = Fields("a1", headline="Storm", place="Oslo", mentions=tuple(mentions))
    assert fields_from(fields_json(fields)) == fields
    stored = orjson.loads(zlib.decompress(fields_json(fields)))
    for mention in stored["mentions"]:  # keys in another order, and a default left out (an older writer)
        items = list(mention.items())
        rnd.shuffle(items)
        mention.clear()
        mention.update((k, v) for k, v in items if not (k == "qualifier" and v == ""))
    assert fields_from(zlib.compress(orjson.dumps(stored))) == fields
