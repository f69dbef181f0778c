"""The local engine: results in input order whatever the worker count; a dead worker is an error, not a hang."""

from __future__ import annotations

import os
from collections.abc import Sequence

import pytest

from dedupe.engine import LocalEngine, flat_map, spans_of
from dedupe.errors import EngineError
from dedupe.pipeline import paused_gc


def squares(items: Sequence[int]) -> list[int]:
    """One unit of work: the squares of a chunk."""
    return [i * i for i in items]


def dies_on_seven(items: Sequence[int]) -> list[int]:
    """A worker killed mid-run (as the out-of-memory killer would): the process exits without a word."""
    if 7 in items:
        os._exit(9)
    return list(items)


class Knot:
    """An object in a reference cycle with itself; counts how many live in this process."""

    alive = 0

    def __init__(self) -> None:
        Knot.alive += 1
        self.me = self

    def __del__(self) -> None:
        Knot.alive -= 1


def leaves_cycles(items: Sequence[int]) -> list[int]:
    """A task that leaves garbage only a cyclic collection frees; answers how many such objects it found alive
    from earlier tasks of the same worker."""
    before = Knot.alive
    for _ in items:
        Knot()
    return [before]


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_results_come_back_in_input_order(workers: int) -> None:
    items = list(range(1000))
    assert flat_map(LocalEngine(workers), squares, items, spans_of(len(items), 7)) == [i * i for i in items]


def test_spans_cover_the_items_once() -> None:
    assert spans_of(5, 2) == [(0, 2), (2, 4), (4, 5)]
    assert spans_of(0, 3) == []


def test_a_dead_worker_raises_instead_of_hanging() -> None:
    with pytest.raises(EngineError, match="a worker process died") as caught:
        flat_map(LocalEngine(2), dies_on_seven, list(range(40)), spans_of(40, 2))
    assert caught.value.hint == "run again with --workers 1, or split the input into smaller runs."


def test_workers_forked_while_collection_is_paused_free_each_task_s_cycles() -> None:
    items = list(range(60))
    with paused_gc():  # as in a run: the workers inherit the pause
        found = flat_map(LocalEngine(2), leaves_cycles, items, spans_of(len(items), 5))
    assert found == [0] * 12
