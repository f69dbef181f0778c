"""The local engine: results in input order whatever the worker count; a dead worker is an error, not a hang."""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import time
import weakref
from collections.abc import Sequence
from pathlib import Path

import pytest

from dedupe.engine import (
    FULL_COLLECTION_TASKS,
    LocalEngine,
    collect_after_task,
    flat_map,
    spans_of,
)
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


def pauses_without_counting(items: Sequence[int]) -> list[tuple[int, bool, bool]]:
    """A task pausing collection in a worker that froze what it inherited: answers how many times resuming
    counted the frozen objects, whether collection runs again and whether they are still frozen."""
    counted = []
    count = gc.get_freeze_count
    gc.get_freeze_count = lambda: counted.append(1) or count()  # type: ignore[assignment]
    try:
        with paused_gc():
            [[] for _ in items]
    finally:
        gc.get_freeze_count = count  # type: ignore[assignment]
    return [(len(counted), gc.isenabled(), gc.get_freeze_count() > 0)]


def test_workers_resume_collection_without_counting_what_they_froze() -> None:
    """``gc.get_freeze_count`` walks every frozen object (a worker of ``add --fast`` froze its whole inherited
    heap); a worker resuming collection after a paused task knows it froze them without counting them, and
    keeps them frozen."""
    items = list(range(40))
    assert flat_map(LocalEngine(2), pauses_without_counting, items, spans_of(len(items), 10)) == [(0, True, True)] * 4


def test_workers_forked_while_collection_is_paused_free_each_task_s_cycles() -> None:
    items = list(range(60))
    with paused_gc():  # as in a run: the workers inherit the pause
        found = flat_map(LocalEngine(2), leaves_cycles, items, spans_of(len(items), 5))
    assert found == [0] * 12


def test_a_cycle_dropped_after_its_task_is_freed_by_the_next_full_collection() -> None:
    with paused_gc():
        kept = Knot()
        collect_after_task()  # it outlives its task: in the oldest generation now
        dropped = weakref.ref(kept)
        del kept
        generations = []
        while dropped() is not None and len(generations) <= FULL_COLLECTION_TASKS:
            generations.append(collect_after_task())
    assert dropped() is None
    assert generations[-1] == 2 and set(generations[:-1]) <= {1}


def test_one_collection_in_full_collection_tasks_walks_everything() -> None:
    with paused_gc():
        generations = [collect_after_task() for _ in range(3 * FULL_COLLECTION_TASKS)]
    assert generations.count(2) == 3 and set(generations) == {1, 2}


def test_what_a_paused_block_made_resumes_in_the_oldest_generation() -> None:
    with paused_gc():
        made = [[] for _ in range(2_000)]  # more than a young collection's threshold
    young = {id(o) for generation in (0, 1) for o in gc.get_objects(generation=generation)}
    assert not any(id(o) in young for o in made)  # no young collection walks them at the next allocation
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    frozen = [[]]
    gc.freeze()  # a process that froze objects itself (as the workers do) keeps them frozen
    try:
        with paused_gc():
            made = [[] for _ in range(10)]
        assert gc.get_freeze_count() >= 1 and id(made[0]) not in {id(o) for o in gc.get_objects(generation=2)}
    finally:
        gc.unfreeze()
    del frozen


_STUCK_POOL = """
import os, sys, time
from dedupe.engine import FULL_COLLECTION_TASKS, LocalEngine, collect_after_task, flat_map, spans_of

def stuck(items):
    open(os.path.join(sys.argv[1], str(os.getpid())), "w").close()
    time.sleep(600)
    return list(items)

flat_map(LocalEngine(2), stuck, list(range(4)), spans_of(4, 1))
"""


def _gone(pid: int) -> bool:
    """Whether process ``pid`` has ended (exited, or a zombie waiting to be reaped)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] in "ZX"
    except FileNotFoundError:
        return True


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states from /proc (Linux)")
def test_workers_end_when_their_parent_is_killed(tmp_path: Path) -> None:
    parent = subprocess.Popen([sys.executable, "-c", _STUCK_POOL, str(tmp_path)],
                              env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    deadline = time.monotonic() + 60
    while len(list(tmp_path.iterdir())) < 2:
        assert parent.poll() is None and time.monotonic() < deadline, "the workers never started their tasks"
        time.sleep(0.05)
    workers = [int(path.name) for path in tmp_path.iterdir()]
    parent.send_signal(signal.SIGKILL)
    parent.wait(timeout=30)
    deadline = time.monotonic() + 30  # a worker looks every PARENT_CHECK_SECONDS; 30 s only bounds a stuck test
    while not all(_gone(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = [pid for pid in workers if not _gone(pid)]
    for pid in alive:  # leave no process behind, whatever the outcome
        os.kill(pid, signal.SIGKILL)
    assert alive == []
