"""Engines: where per-article work runs, in this process or in worker processes, with results in input order."""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from .errors import EngineError

Item = TypeVar("Item")
Out = TypeVar("Out")

#: Items per task unless the caller says otherwise: big enough to pay for a task, small enough to balance.
CHUNK = 256
#: How often a worker looks whether its parent is still there.
PARENT_CHECK_SECONDS = 1.0
#: A worker that collects after its tasks (see :func:`run_span`) walks all its objects after every this many tasks,
#: only those made since its last collection after the others.
FULL_COLLECTION_TASKS = 16


class Engine(Protocol):
    """Runs a function over consecutive chunks of a sequence and yields each chunk's result in order.

    ``func`` must be picklable (a module-level function or a ``functools.partial`` of one) and must
    not depend on which process runs it: every engine gives the same results as running it here.
    """

    def map_chunks(self, func: Callable[[Sequence[Item]], Out], items: Sequence[Item],
                   spans: Sequence[tuple[int, int]] | None = None) -> Iterator[Out]:
        """``func(items[a:b])`` for each span ``(a, b)`` (default: spans of ``CHUNK`` items), in order."""
        ...


def spans_of(count: int, size: int = CHUNK) -> list[tuple[int, int]]:
    """Consecutive ``(start, end)`` spans of at most ``size`` covering ``range(count)``."""
    return [(start, min(start + size, count)) for start in range(0, count, max(1, size))]


def span_list(items: Sequence[Any], spans: Sequence[tuple[int, int]] | None) -> list[tuple[int, int]]:
    """The spans an engine runs: those given, else spans of ``CHUNK`` items (every engine's default)."""
    return list(spans if spans is not None else spans_of(len(items)))


_shared: tuple[Sequence[Any], Callable[[Sequence[Any]], Any] | None] = ((), None)
_collections = itertools.count(1)  # this worker's collections after a task, counted
#: Whether this process froze what it inherited (a worker, see _share). ``gc.get_freeze_count`` walks every frozen
#: object to count them (~30 ms for 3 million), which ``paused_gc`` asked at the end of every task of an
#: ``add --fast`` worker (~6% of the workers' CPU at 1,000 into 99k, bench/README.md, add19).
_froze = False


def _share(items: Sequence[Any], func: Callable[[Sequence[Any]], Any] | None, parent: int, nice: int = 0) -> None:
    """Worker initialiser: the items and function every task slices (inherited, not pickled, under fork);
    ``nice`` (> 0) lowers the worker's scheduling priority by that much (see :func:`task_pool`).

    Workers ignore Ctrl-C: the parent gets it, stops the pool and reports it once. What the worker inherits is
    frozen out of cyclic garbage collection (``gc.freeze``): a collection here never walks, nor copies the pages
    of, the parent's objects. A worker ends when its ``parent`` (a pid) is gone (killed, say
    by the out-of-memory killer or a SIGKILL mid-add): the pool's pipes stay open among the workers, so nothing
    else would end them.
    """
    global _shared, _froze
    _shared = (items, func)
    if nice > 0:
        os.nice(nice)
    gc.freeze()
    _froze = True
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_end_with, args=(parent,), name="end-with-parent", daemon=True).start()


def _end_with(parent: int) -> None:
    """A worker's watch: exit this process once ``parent`` is no longer its parent."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def run_span(span: tuple[int, int]) -> Any:
    """``func(items[start:end])`` inside a worker (of :meth:`LocalEngine.map_chunks` or :func:`task_pool`).

    A worker forked while the parent paused collection (:func:`paused_gc`) inherits the pause,
    so the reference cycles a task leaves (jinja2's rendering makes some for every story) would pile up for the
    worker's life (1.3 GB a worker over 100k stories); they are collected after each task instead (see
    :func:`collect_after_task`).
    """
    items, func = _shared
    assert func is not None
    result = func(items[span[0] : span[1]])
    if not gc.isenabled():
        collect_after_task()
    return result


def collect_after_task() -> int:
    """Collect the cycles a task left; the generation collected (1, or 2 every ``FULL_COLLECTION_TASKS``-th call).

    A task's cycles are in the young generations (collection is paused: all it made is in generation 0), so a
    young collection finds them and walks only what the task made and left. Walking every object after each
    task cost an extraction worker ~16 ms a task of 64 articles once its word and run caches had grown (7% of its
    CPU over the first 12,000 articles of corpus100k, growing with the caches); an object that outlives its task and
    is dropped, in a cycle, later is collected by the next full walk, at most ``FULL_COLLECTION_TASKS`` tasks on.
    """
    generation = 2 if next(_collections) % FULL_COLLECTION_TASKS == 0 else 1
    gc.collect(generation)
    return generation


@contextmanager
def paused_gc() -> Iterator[None]:
    """Cyclic garbage collection paused for the block (reference counting still frees everything else).

    A run allocates millions of small, long-lived records (mentions, facts, evidence); every full collection
    walks all of them again, a fifth of a run's CPU time. The stages make almost no reference cycles, so nothing
    piles up; collection resumes (as it was) after, with what the block made in the oldest generation, as if it had
    survived collections: else the first allocation after walks it all (0.1 s at 100,000 articles). A process that
    froze objects itself (``gc.freeze``) keeps them frozen and its young objects young (a worker that froze
    what it inherited is known without counting them).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if not _froze and not gc.get_freeze_count():
                gc.freeze()  # every tracked object moved to the permanent generation, then all to the oldest
                gc.unfreeze()
            gc.enable()


@dataclass(frozen=True)
class LocalEngine:
    """This machine: ``workers`` processes (0 means one per core; 1 runs everything in this process)."""

    workers: int = 1

    @property
    def processes(self) -> int:
        """How many processes really run (at least one)."""
        return self.workers or os.cpu_count() or 1

    def map_chunks(self, func: Callable[[Sequence[Item]], Out], items: Sequence[Item],
                   spans: Sequence[tuple[int, int]] | None = None) -> Iterator[Out]:
        """``func`` over each span of ``items``; in worker processes when there are several spans and workers.

        A worker that dies (killed by the system, say for want of memory) raises :class:`EngineError`
        instead of leaving the run waiting for its result.
        """
        spans = span_list(items, spans)
        if self.processes <= 1 or len(spans) <= 1:
            yield from (func(items[a:b]) for a, b in spans)
            return
        context = multiprocessing.get_context("fork" if _can_fork() else None)
        pool = ProcessPoolExecutor(min(self.processes, len(spans)), mp_context=context,
                                   initializer=_share, initargs=(items, func, os.getpid()))
        try:
            yield from pool.map(run_span, spans)
        except BrokenProcessPool as error:
            raise _died() from error
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _died() -> EngineError:
    """The error of a pool whose worker died."""
    return EngineError("a worker process died before finishing its articles (killed by the system, perhaps for "
                       "want of memory).", hint="run again with --workers 1, or split the input into smaller runs.")


def shared_items() -> Sequence[Any]:
    """Inside a worker of :func:`task_pool` (or :meth:`LocalEngine.map_chunks`): the items it inherited."""
    return _shared[0]


@contextmanager
def task_pool(engine: Engine | None, items: Sequence[Any], func: Callable[[Sequence[Any]], Any] | None = None,
              nice: int = 0) -> Iterator[ProcessPoolExecutor | None]:
    """The engine's worker processes, forked once and taking tasks as they come: :func:`run_span` over a span
    of ``items`` (which they inherit with ``func``, unpickled) or any other picklable call, in the order
    submitted; None when the engine does not fork workers (see :func:`forks`). Shut down on leaving. A call
    other than :func:`run_span` reads the items with :func:`shared_items`.

    One pool for work that only becomes known as the caller goes (``add --fast`` merges the stories a part
    grew while the next parts are placed), where :meth:`LocalEngine.map_chunks` forks a pool per call.
    ``nice`` (> 0) runs the workers that much below this process's priority, for a caller whose own work is the
    critical path and whose workers can wait (``add --fast``: the main process places every article in turn).
    """
    if engine is None or not forks(engine):
        yield None
        return
    assert isinstance(engine, LocalEngine)
    pool = ProcessPoolExecutor(engine.processes, mp_context=multiprocessing.get_context("fork"),
                               initializer=_share, initargs=(items, func, os.getpid(), nice))
    try:
        yield pool
    except BrokenProcessPool as error:
        raise _died() from error
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def forks(engine: Engine) -> bool:
    """Whether ``engine`` runs chunks in forked workers, which inherit the function and items unpickled."""
    return isinstance(engine, LocalEngine) and engine.processes > 1 and _can_fork()


def _can_fork() -> bool:
    """Whether this system can start processes by fork."""
    return "fork" in multiprocessing.get_all_start_methods()


def flat_map(engine: Engine, func: Callable[[Sequence[Item]], list[Out]], items: Sequence[Item],
             spans: Sequence[tuple[int, int]] | None = None) -> list[Out]:
    """The concatenated per-chunk lists: one result per item, in input order."""
    return list(itertools.chain.from_iterable(engine.map_chunks(func, items, spans)))
