"""Mention's own ``__init__`` (each field through its slot's setter) builds what the generated dataclass one builds."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
from dataclasses import field

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dedupe.types import MENTION_FIELDS, Mention

# Mention's twin made by dataclasses alone: its generated __init__ is the reference.
_Plain = dataclasses.make_dataclass(
    "Mention",
    [(f.name, f.type, field(default=f.default)) for f in dataclasses.fields(Mention)],
    frozen=True,
    slots=True,
)
_VALUES = st.one_of(st.text(max_size=8), st.integers(), st.none(), st.booleans())


def test_the_init_takes_the_fields_in_order_with_their_defaults():
    assert MENTION_FIELDS == tuple(f.name for f in dataclasses.fields(Mention))
    ours = inspect.signature(Mention.__init__).parameters
    theirs = inspect.signature(_Plain.__init__).parameters
    assert [(p.name, p.default, p.kind) for p in ours.values()] == [
        (p.name, p.default, p.kind) for p in theirs.values()
    ]
    assert "set_kind" in Mention.__init__.__code__.co_freevars  # the slot setters, not the generated __init__


@given(st.lists(_VALUES, min_size=3, max_size=8), st.booleans())
def test_mention_fields_are_the_arguments(values, by_name):
    args = dict(zip(MENTION_FIELDS, values, strict=False))
    made = Mention(**args) if by_name else Mention(*values)
    plain = _Plain(**args)
    assert dataclasses.astuple(made) == dataclasses.astuple(plain)
    assert repr(made) == repr(plain)
    assert made == Mention(*values) and hash(made) == hash(Mention(*values))
    assert pickle.loads(pickle.dumps(made)) == made


def test_the_dataclass_errors_stay():
    with pytest.raises(TypeError):
        Mention("date", "2020")  # text missing
    with pytest.raises(TypeError):
        Mention("date", "2020", "2020", colour="red")
    with pytest.raises(TypeError):
        Mention("date", "2020", "2020", kind="number")  # given twice
    with pytest.raises(dataclasses.FrozenInstanceError):
        Mention("date", "2020", "2020").value = "2021"  # type: ignore[misc]
