"""Claim's and Evidence's own ``__init__`` (each field through its slot's setter) build what the dataclasses' generated
ones build."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
from dataclasses import field
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dedupe.facts import CLAIM_FIELDS, Claim
from dedupe.storytypes import EVIDENCE_FIELDS, Evidence


def _twin(cls: type) -> type:
    """The class made by ``dataclasses`` alone: its generated ``__init__`` is the reference."""
    return dataclasses.make_dataclass(
        cls.__name__,
        [(f.name, f.type, field(default=f.default)) for f in dataclasses.fields(cls)],
        frozen=True,
        slots=True,
    )


_CASES = [(Claim, CLAIM_FIELDS, "set_article_id"), (Evidence, EVIDENCE_FIELDS, "set_id")]
_VALUES = st.one_of(st.text(max_size=8), st.integers(), st.none(), st.booleans())


@pytest.mark.parametrize(("cls", "names", "setter"), _CASES)
def test_the_init_takes_the_fields_in_order_with_their_defaults(cls: type, names: tuple[str, ...], setter: str) -> None:
    assert names == tuple(f.name for f in dataclasses.fields(cls))
    ours = inspect.signature(cls.__init__).parameters
    theirs = inspect.signature(_twin(cls).__init__).parameters
    assert [(p.name, p.default, p.kind) for p in ours.values()] == [
        (p.name, p.default, p.kind) for p in theirs.values()
    ]
    assert setter in cls.__init__.__code__.co_freevars  # the slot setters, not the generated __init__


@pytest.mark.parametrize(("cls", "names", "setter"), _CASES)
@given(data=st.data(), by_name=st.booleans())
def test_fields_are_the_arguments(cls: type, names: tuple[str, ...], setter: str, data: Any, by_name: bool) -> None:
    required = sum(1 for f in dataclasses.fields(cls) if f.default is dataclasses.MISSING)
    values = data.draw(st.lists(_VALUES, min_size=required, max_size=len(names)))
    args = dict(zip(names, values, strict=False))
    made = cls(**args) if by_name else cls(*values)
    plain = _twin(cls)(**args)
    assert dataclasses.astuple(made) == dataclasses.astuple(plain)
    assert repr(made) == repr(plain)
    assert made == cls(*values) and hash(made) == hash(cls(*values))
    assert pickle.loads(pickle.dumps(made)) == made


@pytest.mark.parametrize(("cls", "names", "setter"), _CASES)
def test_the_dataclass_errors_stay(cls: type, names: tuple[str, ...], setter: str) -> None:
    values = ["x"] * len(names)
    with pytest.raises(TypeError):
        cls(*values[:4])  # one missing
    with pytest.raises(TypeError):
        cls(*values, colour="red")
    with pytest.raises(TypeError):
        cls(*values, **{names[0]: "y"})  # given twice
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(cls(*values), names[1], "y")
