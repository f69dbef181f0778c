"""quick_init: a frozen slotted dataclass built by its faster ``__init__`` equals one built by the dataclass's own."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dedupe.extract._counted import Counted
from dedupe.extract._datescan import Found
from dedupe.extract._numscan import Number
from dedupe.extract._quote_marks import Mark, Segment
from dedupe.extract._victims import Victim
from dedupe.quickinit import quick_init
from dedupe.types import Mention

# Mention's twin made by dataclasses alone: its generated __init__ is the reference.
_Plain = dataclasses.make_dataclass(
    "Mention",
    [(f.name, f.type, field(default=f.default)) for f in dataclasses.fields(Mention)],
    frozen=True,
    slots=True,
)


_QUICK = (Mention, Counted, Found, Number, Mark, Segment, Victim)
_VALUES = st.one_of(st.text(max_size=8), st.integers(), st.none(), st.booleans())


def test_every_hot_class_has_the_quick_init():
    for cls in _QUICK:
        assert cls.__init__.__code__.co_filename == "<string>"
        assert "_s_" in " ".join(cls.__init__.__code__.co_names), cls  # the slot setters, not object.__setattr__


@given(st.lists(_VALUES, min_size=3, max_size=8), st.booleans())
def test_mention_fields_are_the_arguments(values, by_name):
    names = [f.name for f in dataclasses.fields(Mention)][: len(values)]
    args = dict(zip(names, values, strict=True))
    quick = Mention(**args) if by_name else Mention(*values)
    plain = _Plain(**args)
    assert dataclasses.astuple(quick) == dataclasses.astuple(plain)
    assert repr(quick) == repr(plain)
    assert quick == Mention(*values) and hash(quick) == hash(Mention(*values))


@pytest.mark.parametrize("cls", _QUICK)
def test_each_class_takes_its_fields_in_order_and_its_defaults(cls):
    fields = dataclasses.fields(cls)
    required = [f for f in fields if f.default is dataclasses.MISSING]
    made = cls(*[f"v{i}" for i in range(len(required))])
    for index, item in enumerate(fields):
        expected = f"v{index}" if item.default is dataclasses.MISSING else item.default
        assert getattr(made, item.name) == expected
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, fields[0].name, "x")


def test_the_dataclass_errors_stay():
    with pytest.raises(TypeError):
        Mention("date", "2020")  # text missing
    with pytest.raises(TypeError):
        Mention("date", "2020", "2020", colour="red")
    with pytest.raises(TypeError):
        Mention("date", "2020", "2020", kind="number")  # given twice


def test_classes_it_cannot_build_are_refused():
    @dataclass(frozen=True)
    class NoSlots:
        a: int

    @dataclass(slots=True)
    class NotFrozen:
        a: int

    @dataclass(frozen=True, slots=True)
    class Factory:
        a: list = field(default_factory=list)

    @dataclass(frozen=True, slots=True)
    class Hidden:
        a: int
        b: int = field(default=0, init=False)

    for cls in (NoSlots, NotFrozen, Factory, Hidden):
        with pytest.raises(TypeError):
            quick_init(cls)
