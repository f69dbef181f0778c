"""Extraction's records are slotted, not frozen, and behave as the frozen ones did; place-less runs read no verb."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import field

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dedupe.extract import (
    _classify,
    _datescan,
    _groups,
    _numscan,
    _phrase,
    _quote_marks,
    _victims,
)
from dedupe.extract._runs import Run

_RECORDS = (_phrase.Counted, _datescan.Found, _groups.Group, _numscan.Number, _quote_marks.Mark,
            _quote_marks.Segment, _victims.Victim)
_VALUES = st.one_of(st.text(max_size=6), st.integers(-5, 5), st.none(), st.booleans())


def _frozen_twin(record: type) -> type:
    """``record`` as the frozen dataclass it was before (the reference for equality, hash and repr)."""
    fields = [(f.name, f.type, field(default=f.default) if f.default is not dataclasses.MISSING else field())
              for f in dataclasses.fields(record)]
    return dataclasses.make_dataclass(record.__name__, fields, frozen=True)


@pytest.mark.parametrize("record", _RECORDS, ids=lambda record: f"{record.__module__}.{record.__name__}")
def test_records_have_slots_and_no_frozen_init(record):
    assert "__slots__" in vars(record) and not hasattr(record(*_first_values(record)), "__dict__")
    assert not record.__dataclass_params__.frozen  # the generated __init__ sets slots, no object.__setattr__


def _first_values(record: type) -> list:
    """One value for each field without a default."""
    return [0 for f in dataclasses.fields(record) if f.default is dataclasses.MISSING]


@given(st.sampled_from(_RECORDS), st.lists(_VALUES, min_size=10, max_size=10), st.data())
def test_records_equal_hash_and_show_as_the_frozen_ones(record, values, data):
    names = [f.name for f in dataclasses.fields(record)]
    values = values[: data.draw(st.integers(len(_first_values(record)), len(names)))]
    ours, twin = record(*values), _frozen_twin(record)(*values)
    assert dataclasses.astuple(ours) == dataclasses.astuple(twin)
    assert repr(ours) == repr(twin)
    assert hash(ours) == hash(twin) and ours == record(*values)
    assert pickle.loads(pickle.dumps(ours)) == ours
    changed = dataclasses.replace(ours, **{names[0]: "x"})
    assert dataclasses.astuple(changed) == dataclasses.astuple(dataclasses.replace(twin, **{names[0]: "x"}))


def test_a_run_without_a_place_reads_no_verb_after_it(monkeypatch):
    text = "The man met Bob Smith said he was fine. He lives in Paris, said Ann Lee."
    calls = []
    original = _classify._says

    def counted(text: str, end: int) -> bool:
        calls.append(end)
        return original(text, end)

    monkeypatch.setattr(_classify, "_says", counted)
    start = text.index("Bob")
    found = _classify.classify(text, Run(["Bob", "Smith"], [start, start + 4]))
    assert found.kind == "person" and calls == []  # "said" after it makes a person by speaks(), not _says
    paris = text.index("Paris")
    assert _classify.classify(text, Run(["Paris"], [paris])).kind == "place"
