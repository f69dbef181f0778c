"""The early signers as an executor for verification: candidate blocks verified without forking the grown parent.

After reading, the :class:`~dedupe.earlysign.EarlySigner`'s processes (forked while the parent was small) have
signed every text and kept its shingle hashes in the run's store; a block of candidate pairs needs only those (and
the texts of the few rows the store does not hold), so the signers verify it too: a pool forked from the ~1 GB
parent would pay for its start, a copy-on-write fault for every page it touches, and its shutdown.
"""

from __future__ import annotations

import collections
import itertools
import select
from collections.abc import Callable
from concurrent.futures import Executor, Future
from functools import partial
from typing import Any

from .earlysign import EarlySigner
from .signerprocess import Verify


class SignerPool(Executor):
    """An :class:`EarlySigner`'s signers as an executor for verification, so no worker is forked from the grown
    parent: ``submit(verify, pairs, places, texts)`` of the ``verify`` the signers were made with (see
    :data:`~dedupe.signerprocess.Verify`) sends the block to a signer with a free slot, which reads the shingle hashes
    it needs from the store. There is no thread: waiting on a future's ``result()`` sends the blocks that wait and
    takes the answers that come. Any other call, a block that raised in a signer or that a failed signer held, is
    run in this process."""

    def __init__(self, signer: EarlySigner) -> None:
        self.signer = signer
        self.waiting: collections.deque[_Call] = collections.deque()
        self.held: dict[int, _Call] = {}  # the blocks sent, by tag
        self.tags = itertools.count(1)

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        """Queue ``fn(*args, **kwargs)``: sent to a signer when it is the signers' ``verify`` (at once if one has a
        free slot), else run here."""
        call = _Call(self, partial(fn, **kwargs) if kwargs else fn, args)
        if _same_call(fn, self.signer.verify) and not kwargs and len(args) == 3:
            self.waiting.append(call)
            self._send()
        else:
            call.run_here()
        return call

    def _send(self) -> None:
        """Send the blocks waiting to signers with a free slot; run them here when no signer is left."""
        for signer in self.signer.signers:
            while self.waiting and signer.free:
                tag = -next(self.tags)
                if not signer.verify(tag, *self.waiting[0].args):
                    break
                self.held[tag] = self.waiting.popleft()
        if not any(signer.alive for signer in self.signer.signers):
            while self.waiting:
                self.waiting.popleft().run_here()

    def pump(self) -> None:
        """Wait for a signer's answer and take every answer ready; send the blocks waiting."""
        self._send()
        running = self.signer.running
        if not running:
            return
        ready = select.select([signer.answers for signer in running], [], [])[0]
        for signer in (s for s in running if s.answers in ready):
            held = [tag for tag, *_ in signer.batches]
            tag, found = signer.answer()
            if found is None:  # it failed: the blocks it held are verified here
                for lost in held:
                    self.held.pop(lost).run_here()
                continue
            call, (scores,) = self.held.pop(tag), found
            call.set_result(scores) if scores is not None else call.run_here()
        self._send()


def _same_call(fn: Callable[..., Any], verify: Verify | None) -> bool:
    """Whether ``fn`` is ``verify`` (or an equal ``functools.partial``)."""
    if fn is verify:
        return True
    return (isinstance(fn, partial) and isinstance(verify, partial) and fn.func is verify.func
            and fn.args == verify.args and fn.keywords == verify.keywords)


class _Call(Future):
    """A block of a :class:`SignerPool`: waiting on its result pumps the pool."""

    def __init__(self, pool: SignerPool, fn: Callable[..., Any], args: tuple) -> None:
        super().__init__()
        self.pool, self.fn, self.args = pool, fn, args

    def run_here(self) -> None:
        """Run the call in this process."""
        try:
            self.set_result(self.fn(*self.args))
        except BaseException as error:  # noqa: BLE001 - handed to whoever waits on it
            self.set_exception(error)

    def result(self, timeout: float | None = None) -> Any:
        while not self.done():
            self.pool.pump()
        return super().result(timeout)
