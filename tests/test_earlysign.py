"""Signing while reading (dedupe.earlysign): the same matrix as signing after, whatever the signers did."""

from __future__ import annotations

import os
import random
import signal
import tempfile
from collections.abc import Sequence
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedupe import earlysign, signatures, signerprocess
from dedupe.candidates import BandKeys, lsh_pairs
from dedupe.earlysign import EarlySigner
from dedupe.engine import LocalEngine, task_pool
from dedupe.pipeline import prepare
from dedupe.signatures import Contents, SignatureMatrix, signature_matrix, sketcher
from dedupe.types import Article

_WORDS = st.lists(st.sampled_from(["Storm", "hits", "the", "coast", "ÉTÉ", "naïve", "…", "x'y", "  ", "\n", "42"]),
                  max_size=30).map(" ".join)


def _articles(texts: Sequence[str]) -> list[Article]:
    """Articles of these texts under shuffled ids, so read order and id order differ."""
    ids = [f"a{n:03d}" for n in range(len(texts))]
    random.Random(len(texts)).shuffle(ids)
    return [
        Article(id=i, text=t or "title only", title="t", origin=f"x:{n}") for n, (i, t) in enumerate(zip(ids, texts))
    ]


def _same(one: SignatureMatrix, other: SignatureMatrix) -> bool:
    return (one.ids == other.ids and np.array_equal(one.exact, other.exact)
            and np.array_equal(one.hashvalues, other.hashvalues) and np.array_equal(one.empty, other.empty))


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of a few texts, looked at after every article, so a short input takes several batches."""
    monkeypatch.setattr(earlysign, "LEAST_TEXTS", 2)
    monkeypatch.setattr(earlysign, "MOST_TEXTS", 3)
    monkeypatch.setattr(earlysign, "LOOK_EVERY", 1)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])  # fixed settings
@given(texts=st.lists(_WORDS, min_size=1, max_size=25), workers=st.sampled_from([1, 2]))
def test_signing_while_reading_gives_the_matrix_of_signing_after(small_batches: None, texts: list[str],
                                                                 workers: int) -> None:
    articles = _articles(texts)
    with EarlySigner(sketcher(5, 16, 1), 2) as signer:
        ordered = prepare(signer.reading(iter(articles)))
        early = signature_matrix(ordered, 5, 16, 1, engine=LocalEngine(workers), known=signer.known(ordered))
    assert _same(early, signature_matrix(ordered, 5, 16, 1))


def _fails_on_storms(texts: Sequence[str]) -> tuple[bytes, np.ndarray, np.ndarray]:
    """A sketch that fails (in the signer) for a batch holding "Storm"."""
    if any("Storm" in text for text in texts):
        raise RuntimeError("a signer failing")
    return sketcher(5, 16, 1)(texts)


def test_rows_a_failed_signer_left_are_signed_after(small_batches: None) -> None:
    articles = _articles(["Storm hits the coast"] * 3 + ["the coast"] * 9)
    with EarlySigner(_fails_on_storms, 1) as signer:
        ordered = prepare(signer.reading(iter(articles)))
        known = signer.known(ordered)
        early = signature_matrix(ordered, 5, 16, 1, known=known)
    assert not signer.signers
    assert _same(early, signature_matrix(ordered, 5, 16, 1))


def test_signers_end_when_reading_fails(small_batches: None) -> None:
    def broken() -> object:
        yield from _articles(["one text", "another one", "a third", "a fourth"])
        raise OSError("the disk went away")

    with pytest.raises(OSError), EarlySigner(sketcher(5, 16, 1), 2) as signer:
        pids = [s.pid for s in signer.signers]
        prepare(signer.reading(broken()))  # type: ignore[arg-type]
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # reaped: not a child any more


def _slow(texts: Sequence[str]) -> tuple[bytes, np.ndarray, np.ndarray]:
    """A sketch far slower than reading, so texts wait for the signer."""
    import time

    time.sleep(0.2)
    return sketcher(5, 16, 1)(texts)


def test_texts_waiting_for_a_slow_signer_are_bounded_and_let_go(small_batches: None) -> None:
    articles = _articles([f"text number {n} of the storm" for n in range(40)])
    most = 0
    with EarlySigner(_slow, 1) as signer:
        reading = signer.reading(iter(articles))
        ordered = prepare(article for article in reading if (most := max(most, len(signer.pending))) >= 0)
        early = signature_matrix(ordered, 5, 16, 1, known=signer.known(ordered))
    assert most <= earlysign.MOST_TEXTS + 1  # one article read past the bound before it is looked at
    assert signer.pending == [] and signer.ids == []
    assert _same(early, signature_matrix(ordered, 5, 16, 1))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(_WORDS, min_size=1, max_size=25), pooled=st.booleans())
def test_band_keys_computed_as_rows_come_give_the_same_pairs(small_batches: None, texts: list[str],
                                                             pooled: bool) -> None:
    articles = _articles(texts + texts[:3])  # some exact copies
    engine = LocalEngine(2)
    with EarlySigner(sketcher(5, 16, 1), 1) as signer:
        ordered = prepare(signer.reading(iter(articles)))
        keys = BandKeys(len(ordered), 0.5, 16)
        with task_pool(engine if pooled else None, Contents(ordered)) as pool:
            early = signature_matrix(ordered, 5, 16, 1, engine=engine, known=signer.known(ordered), pool=pool,
                                     on_rows=keys.add)
    assert keys.done.all()
    assert np.array_equal(lsh_pairs(early, 0.5, keys=keys), lsh_pairs(signature_matrix(ordered, 5, 16, 1), 0.5))


def test_a_signer_has_the_next_batch_waiting_while_it_signs_one(small_batches: None) -> None:
    articles = _articles([f"text number {n} of the storm" for n in range(40)])
    most = 0
    with EarlySigner(_slow, 1) as signer:
        reading = signer.reading(iter(articles))
        ordered = prepare(a for a in reading if (most := max(most, len(signer.signers[0].batches))) >= 0)
        early = signature_matrix(ordered, 5, 16, 1, known=signer.known(ordered))
    assert most == signerprocess.SLOTS == 2  # sent while it was still on the one before
    assert _same(early, signature_matrix(ordered, 5, 16, 1))


def _slow_then_fails(texts: Sequence[str]) -> tuple[bytes, np.ndarray, np.ndarray]:
    """A sketch that fails in the signer for every batch, once the next batch is there too."""
    import time

    time.sleep(0.2)
    raise RuntimeError("a signer failing")


def test_every_row_a_failed_signer_left_is_signed_after_in_its_place(monkeypatch: pytest.MonkeyPatch) -> None:
    # two batches sent while reading hold every row (read order is not id order); both are lost: all signed after
    monkeypatch.setattr(earlysign, "LEAST_TEXTS", 2)
    monkeypatch.setattr(earlysign, "MOST_TEXTS", 2)
    monkeypatch.setattr(earlysign, "LOOK_EVERY", 1)
    articles = _articles([f"text {n} of the storm" for n in range(4)])
    assert [a.id for a in articles] != sorted(a.id for a in articles)
    with EarlySigner(_slow_then_fails, 1) as signer:
        ordered = prepare(signer.reading(iter(articles)))
        known = signer.known(ordered)
        assert known.promised(len(ordered)).all()
        early = signature_matrix(ordered, 5, 16, 1, known=known)
    assert _same(early, signature_matrix(ordered, 5, 16, 1))


def test_the_signers_sign_what_reading_left_without_forking_workers(small_batches: None,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(earlysign, "REST_TEXTS", 3)
    articles = _articles([f"text number {n} of the storm" for n in range(40)])
    with EarlySigner(_slow, 2, while_reading=1) as signer:
        ordered = prepare(signer.reading(iter(articles)))
        assert not signer.signers[1].batches  # the second signer waited for the reading to end
        known = signer.known(ordered)
        assert not known.promised(len(ordered)).all()
        monkeypatch.setattr(signatures, "_sketch_rows", None)  # nothing is signed by an engine, a pool or here
        keys = BandKeys(len(ordered), 0.5, 16)
        early = signature_matrix(ordered, 5, 16, 1, engine=LocalEngine(2), known=known, on_rows=keys.add)
        monkeypatch.undo()
    assert keys.done.all()
    assert _same(early, signature_matrix(ordered, 5, 16, 1))


def test_rows_a_signer_failing_after_reading_left_are_signed_after(small_batches: None,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(earlysign, "LEAST_TEXTS", 1000)  # nothing sent while reading: the storms go after
    monkeypatch.setattr(earlysign, "REST_TEXTS", 2)
    articles = _articles(["the coast"] * 9 + ["Storm hits the coast"] * 3)
    with EarlySigner(_fails_on_storms, 2) as signer:
        ordered = prepare(signer.reading(iter(articles)))
        early = signature_matrix(ordered, 5, 16, 1, known=signer.known(ordered))
        assert not all(s.alive for s in signer.signers)
    assert _same(early, signature_matrix(ordered, 5, 16, 1))


def test_rows_a_signer_held_when_a_send_found_it_gone_are_signed_after(monkeypatch: pytest.MonkeyPatch) -> None:
    # the signer dies holding a batch and the next send finds it gone (no answer read, so its batch is still held):
    # no signer is left to sign the rest, and the rows of the batch it held are signed after, in their places
    monkeypatch.setattr(earlysign, "LEAST_TEXTS", 1000)  # nothing sent while reading: the batch is sent here
    articles = _articles([f"text {n} of the storm" for n in range(6)])
    with EarlySigner(_slow, 1) as signer:
        ordered = prepare(signer.reading(iter(articles)))
        gone = signer.signers[0]
        assert gone.send(0, [article.content for article in articles[:3]])  # read positions 0-2
        os.kill(gone.pid, signal.SIGKILL)
        os.waitid(os.P_PID, gone.pid, os.WEXITED | os.WNOWAIT)  # dead, not reaped: leaving the signer reaps it
        assert not gone.send(3, [article.content for article in articles[3:]]) and gone.batches
        known = signer.known(ordered)
        assert not known.signing() and known.promised(len(ordered)).sum() == 3
        early = signature_matrix(ordered, 5, 16, 1, known=known)
    assert _same(early, signature_matrix(ordered, 5, 16, 1))


@settings(max_examples=30, deadline=None, derandomize=True, database=None)
@given(st.lists(st.binary(max_size=40), max_size=1_300), st.integers(0, 64), st.booleans())
def test_parts_written_without_joining_are_the_joined_bytes(parts: list[bytes], at: int, short: bool) -> None:
    """A batch is written part by part (``os.pwritev``, a few hundred buffers a call); the file then holds what
    writing them joined would, from ``at`` on, also when the system writes less than asked."""
    real = os.pwritev

    def partial(fd: int, buffers: list[bytes], offset: int) -> int:  # at most 7 bytes a call
        data = b"".join(buffers)[:7]
        return real(fd, [data], offset)

    with tempfile.TemporaryFile() as handle, mock.patch.object(os, "pwritev", partial if short else real):
        written = signerprocess._write_parts(handle.fileno(), parts, at)
        assert written == sum(map(len, parts))
        assert os.pread(handle.fileno(), written + 10, at) == b"".join(parts)
