"""The Dask engine: chunks of per-article work run as tasks on a Dask cluster (the only module importing dask).

``dask`` is imported when an engine is opened, never at import time, so the rest of dedupe works
without it. A task ships the function by reference (``dedupe.signatures._sketch_task`` and the like), so
every worker needs the same newsdedupe version installed as the client.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType
from typing import Any, TypeVar

from .engine import span_list
from .errors import EngineError

Item = TypeVar("Item")
Out = TypeVar("Out")

#: Seconds to wait for a scheduler given by address before giving up.
CONNECT_TIMEOUT = 10.0
#: A chunk larger than this (bytes, as ``dask.sizeof`` estimates) is scattered to the cluster before its task.
SCATTER_BYTES = 1 << 20
_POLL_SECONDS = 5.0
INSTALL_HINT = "install it with: pip install 'newsdedupe[dask]' (on this machine and on every worker)."
_WORKER_HINT = ("check that every worker has the same newsdedupe version installed, enough memory, "
                "and sees the inputs at the same paths.")


@dataclass(frozen=True)
class DaskEngine:
    """A ``distributed.Client``'s cluster: each chunk is one task; at most ``window`` tasks wait at once.

    ``window`` 0 means twice the cluster's threads. Results come back in input order, so every
    stage gives exactly what the local engine gives.
    Example: ``with dask_engine("tcp://10.0.0.5:8786") as engine: run(articles, engine=engine)``.
    """

    client: Any
    window: int = 0

    def map_chunks(self, func: Callable[[Sequence[Item]], Out], items: Sequence[Item],
                   spans: Sequence[tuple[int, int]] | None = None) -> Iterator[Out]:
        """``func(items[a:b])`` for each span, run on the cluster, yielded in order."""
        spans = span_list(items, spans)
        window = self.window or 2 * max(1, sum(self.client.nthreads().values()))
        pending: deque[Any] = deque()
        try:
            for start, end in spans:
                pending.append(self._submit(func, items[start:end]))
                if len(pending) >= window:
                    yield self._result(pending.popleft())
            while pending:
                yield self._result(pending.popleft())
        finally:
            if pending:
                self.client.cancel(list(pending))

    def ensure_workers(self) -> None:
        """Return when the cluster has a worker; EngineError when none joins within :data:`CONNECT_TIMEOUT`."""
        if self.client.nthreads():
            return
        try:
            self.client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
        except TimeoutError:
            raise EngineError(f"the Dask cluster has no workers (none joined within {CONNECT_TIMEOUT:g} s, "
                              "or they all left).", hint="start workers with 'dask worker SCHEDULER'; "
                              + _WORKER_HINT) from None

    def _result(self, future: Any) -> Any:
        """A task's result; a library error raised in the task comes back as itself, a lost worker as EngineError.

        While it waits, the cluster is checked every few seconds: with no worker left, nothing would ever finish.
        """
        from distributed import KilledWorker

        while True:
            try:
                return future.result(timeout=_POLL_SECONDS)
            except TimeoutError:
                self.ensure_workers()
            except (KilledWorker, ImportError, OSError, RuntimeError) as error:
                raise EngineError(f"a task failed on the Dask cluster ({type(error).__name__}: {error}).",
                                  hint=_WORKER_HINT) from error

    def _submit(self, func: Callable[[Sequence[Item]], Out], chunk: Sequence[Item]) -> Any:
        """One task for one chunk; a large chunk travels to a worker ahead of the task."""
        from dask.sizeof import sizeof

        if sizeof(chunk) > SCATTER_BYTES:
            [chunk] = self.client.scatter([chunk], hash=False)
        return self.client.submit(func, chunk, pure=False)


def _distributed() -> ModuleType:
    """The ``distributed`` module, or an EngineError saying how to install it."""
    try:
        import distributed
    except ImportError:
        raise EngineError("--engine dask needs Dask's 'distributed' package, which is not installed.",
                          hint=INSTALL_HINT) from None
    return distributed


@contextmanager
def dask_engine(scheduler: str | None = None, workers: int = 0, *,
                timeout: float | None = None) -> Iterator[DaskEngine]:
    """A :class:`DaskEngine` on the scheduler at ``scheduler``, or on a new local cluster of ``workers`` processes.

    ``workers`` 0 means one per core (one thread each); it is ignored for an existing cluster,
    which has its own workers. The client, and a local cluster, are closed when the block ends,
    also on errors and Ctrl-C. An address that answers nothing within ``timeout`` seconds
    (default :data:`CONNECT_TIMEOUT`) is an :class:`EngineError`.
    """
    distributed = _distributed()
    if scheduler:
        with _connect(distributed, scheduler, timeout or CONNECT_TIMEOUT) as client:
            engine = DaskEngine(client)
            engine.ensure_workers()
            yield engine
        return
    count = workers or os.cpu_count() or 1
    with _sigint_held():
        cluster = distributed.LocalCluster(n_workers=count, threads_per_worker=1, processes=True,
                                           dashboard_address=":0", silence_logs=logging.ERROR)
    with cluster, distributed.Client(cluster) as client:
        yield DaskEngine(client)


@contextmanager
def _sigint_held() -> Iterator[None]:
    """SIGINT ignored while a local cluster starts: its worker processes inherit that, and keep it.

    Ctrl-C in a terminal signals the whole process group; this way it reaches dedupe only, which
    closes the cluster, instead of every worker printing a traceback. (A Ctrl-C during the start
    itself, a few seconds, is not seen: press it again.)
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _connect(distributed: ModuleType, address: str, timeout: float) -> Any:
    """A client of the scheduler at ``address``, or an EngineError saying why there is none."""
    try:
        return distributed.Client(address, timeout=timeout)
    except (OSError, ValueError) as error:
        raise EngineError(f"cannot reach the Dask scheduler at {address!r} ({error}).",
                          hint="start it with 'dask scheduler' and give its address, e.g. "
                          "--scheduler tcp://HOST:8786; check that this machine can reach that port.") from None
