"""Verification in the early signers (dedupe.verify.SignerPool): the scores of this process, whatever the signers do.

A signer is made to fail for real (it raises, or is killed) while it signs or verifies; the scores and edges must
still be complete and equal to the serial path's, and a block the signers lose is verified here from the matrix.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from dedupe import Config, copystage, earlysign, run, signerprocess, verify
from dedupe.candidates import BandKeys, near_duplicate_edges
from dedupe.earlysign import EarlySigner
from dedupe.engine import LocalEngine
from dedupe.pipeline import prepare
from dedupe.shinglestore import ShingleStore
from dedupe.signatures import Contents, SignatureMatrix, signature_matrix, sketcher
from dedupe.types import Article
from dedupe.verify import SignerPool, pair_scores, verifier

_TEXTS = ["storm hits the coast again today and tomorrow", "storm hits the coast again today and tomorrow too",
          "a quiet day at the coast with no storm at all", "a quiet day at the coast with no storm at all, really"]
_PAIRS = np.array([[i, j] for i in range(20) for j in range(i + 1, 20)])  # 190 pairs: 24 blocks of 8


def _articles() -> list[Article]:
    return [Article(id=f"a{n:02d}", text=f"{text} {n // 4}") for n, text in enumerate(_TEXTS * 5)]


@pytest.fixture(autouse=True)
def deadline() -> Iterator[None]:
    """A test that waits on the signers for a minute fails (a block lost and never answered would hang it)."""

    def expired(*_: object) -> None:
        raise TimeoutError("waited a minute on the signers")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, 60)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of a few texts and blocks of a few pairs, so a short input takes many of each."""
    monkeypatch.setattr(earlysign, "LEAST_TEXTS", 2)
    monkeypatch.setattr(earlysign, "MOST_TEXTS", 3)
    monkeypatch.setattr(earlysign, "LOOK_EVERY", 1)
    monkeypatch.setattr(earlysign, "REST_TEXTS", 3)
    monkeypatch.setattr(verify, "PAIRS_PER_BLOCK", 8)


def _first(flag: Path | None) -> bool:
    """True once over all processes for a ``flag`` file (made by the first to ask); always True without one."""
    if flag is None:
        return True
    try:
        os.close(os.open(flag, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True


def _fail(how: str) -> None:
    """Fail as a signer can: raise, or be killed outright."""
    if how == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    raise RuntimeError("a signer failing")


def _failing_verify(monkeypatch: pytest.MonkeyPatch, how: str, flag: Path | None,
                    when: Callable[[np.ndarray], bool] = lambda pairs: bool((pairs == 0).any())) -> list[int]:
    """Make the signers fail (``how``) on the blocks ``when`` picks (once when ``flag`` is given); patched before
    the signers fork and before any ``verifier`` is made, so theirs and pair_scores' are the same. Returns the list of
    the block sizes ``_scores_at`` is called with in this process (it never should be)."""
    parent, real, here = os.getpid(), verify._scores_at, []

    def scores_at(pairs: np.ndarray, places: np.ndarray | None, texts: dict[int, str] | None = None, *, size: int,
                  store: str | None = None) -> np.ndarray:
        if os.getpid() == parent:
            here.append(len(pairs))
        elif when(pairs) and _first(flag):
            _fail(how)
        return real(pairs, places, texts, size=size, store=store)

    monkeypatch.setattr(verify, "_scores_at", scores_at)
    return here


def _recorded_fallbacks(monkeypatch: pytest.MonkeyPatch) -> list[np.ndarray]:
    """The blocks this process verifies from the matrix (``verify.block_scores``), recorded."""
    done: list[np.ndarray] = []
    real = verify.block_scores

    def block_scores(matrix: SignatureMatrix, pairs: np.ndarray) -> np.ndarray:
        done.append(pairs)
        return real(matrix, pairs)

    monkeypatch.setattr(verify, "block_scores", block_scores)
    return done


def _verified_by_signers(make_sketch: Callable[[str], Callable[..., tuple]] | None = None) -> tuple:
    """Sign the articles in two early signers keeping the store (``make_sketch(store key)`` their sketch when given),
    verify every pair and the near-duplicates in a SignerPool; the matrix, scores, edges and which signers live."""
    with ShingleStore() as store:
        sketch = sketcher(5, 16, 1, store.key) if make_sketch is None else make_sketch(store.key)
        with EarlySigner(sketch, 2, 1, verifier(5, store.key)) as signer:
            ordered = prepare(signer.reading(iter(_articles())))
            keys = BandKeys(len(ordered), 0.5, 16)
            with SignerPool(signer, Contents(ordered)) as pool:
                kept = signature_matrix(ordered, 5, 16, 1, engine=LocalEngine(2), known=signer.known(ordered),
                                        pool=pool, store=store.key, on_rows=keys.add)
                assert keys.done.all()  # every row signed, and handed on as copy detection does
                scores = pair_scores(kept, _PAIRS, pool=pool)
                edges = near_duplicate_edges(kept, 0.5, engine=LocalEngine(2), pool=pool, keys=keys)
            alive = [s.alive for s in signer.signers]
    return ordered, kept, scores, edges, alive


def _serial(ordered: tuple[Article, ...]) -> tuple[np.ndarray, list]:
    plain = signature_matrix(ordered, 5, 16, 1)
    return pair_scores(plain, _PAIRS), near_duplicate_edges(plain, 0.5)


def test_the_signers_verify_every_block_as_this_process_would(small_blocks: None,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    here = _failing_verify(monkeypatch, "raise", None, lambda pairs: False)  # never fails: records this process
    fallbacks = _recorded_fallbacks(monkeypatch)
    ordered, _, scores, edges, alive = _verified_by_signers()
    assert not here and not fallbacks and all(alive)
    monkeypatch.undo()
    expected_scores, expected_edges = _serial(ordered)
    assert np.array_equal(scores, expected_scores)
    assert edges == expected_edges and any(e.relation == "near_duplicate" for e in edges)


@pytest.mark.parametrize("how", ["raise", "kill"])
@pytest.mark.parametrize("once", [True, False])
def test_blocks_a_signer_fails_to_verify_are_verified_here_from_the_matrix(small_blocks: None, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch, how: str,
                                                                         once: bool) -> None:
    # the blocks holding row 0 fail in the signers (only the first one when once): a raise loses that block, a kill
    # every block the signer held (and, when every signer is killed, every block still waiting)
    here = _failing_verify(monkeypatch, how, tmp_path / "flag" if once else None)
    fallbacks = _recorded_fallbacks(monkeypatch)
    ordered, _, scores, edges, alive = _verified_by_signers()
    monkeypatch.undo()
    assert here == []  # the lost blocks go straight to the matrix, not through the signers' verify run here
    assert fallbacks and any((block == 0).any() for block in fallbacks)
    assert len(fallbacks) <= signerprocess.SLOTS or not once  # one failure loses at most the blocks one signer held
    assert alive.count(False) == (0 if how == "raise" else 1 if once else 2)
    expected_scores, expected_edges = _serial(ordered)
    assert np.array_equal(scores, expected_scores)
    assert edges == expected_edges and any(e.relation == "near_duplicate" for e in edges)


def _killed_on_really(flag: Path, sketch: Callable[..., tuple]) -> Callable[..., tuple]:
    """``sketch``, its signer killed on the first batch holding "really"."""

    def sketch_or_die(texts: list[str]) -> tuple:
        if any("really" in text for text in texts) and _first(flag):
            _fail("kill")
        return sketch(texts)

    return sketch_or_die


def test_rows_a_killed_signer_left_are_signed_here_and_verified_with_their_texts(
    small_blocks: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a signer killed while signing (after reading, so the rows it held are lost, not sent again): they are signed
    # here, where nothing keeps their shingles, so their texts go to the signers with each block; none falls back
    monkeypatch.setattr(earlysign, "LEAST_TEXTS", 1000)
    here = _failing_verify(monkeypatch, "raise", None, lambda pairs: False)
    fallbacks = _recorded_fallbacks(monkeypatch)
    killed = tmp_path / "flag"
    ordered, kept, scores, edges, alive = _verified_by_signers(lambda key: _killed_on_really(killed,
                                                                                             sketcher(5, 16, 1, key)))
    monkeypatch.undo()
    assert alive.count(False) == 1 and not here and not fallbacks
    assert kept.places is not None and (kept.places[:, 2] < 0).any()  # rows signed here: texts sent to verify
    plain = signature_matrix(ordered, 5, 16, 1)
    assert np.array_equal(kept.hashvalues, plain.hashvalues) and np.array_equal(kept.exact, plain.exact)
    expected_scores, expected_edges = _serial(ordered)
    assert np.array_equal(scores, expected_scores) and edges == expected_edges


def test_a_run_whose_signers_are_killed_signing_and_verifying_finds_what_one_process_finds(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    articles = _articles()
    config = Config(relations=("exact", "near_duplicate"), workers=1, threshold=0.5)
    expected = run(articles, config, stories=False)
    _failing_verify(monkeypatch, "kill", tmp_path / "verify")
    fallbacks = _recorded_fallbacks(monkeypatch)
    monkeypatch.setattr(verify, "PAIRS_PER_BLOCK", 8)
    monkeypatch.setattr(earlysign, "REST_TEXTS", 3)
    monkeypatch.setattr(copystage, "sketcher", lambda *sizes: _killed_on_really(tmp_path / "sign", sketcher(*sizes)))
    found = run(articles, Config(relations=("exact", "near_duplicate"), workers=2, threshold=0.5), stories=False)
    assert (tmp_path / "verify").exists() and (tmp_path / "sign").exists()  # a signer died at each
    assert fallbacks
    assert found.edges == expected.edges and found.clusters == expected.clusters
    assert any(e.relation == "near_duplicate" for e in found.edges)


def test_the_pool_takes_no_other_call(small_blocks: None) -> None:
    # what the signers were not forked with cannot run in them, nor here (this process lacks a worker's texts)
    with (
        ShingleStore() as store,
        EarlySigner(sketcher(5, 16, 1, store.key), 1, verify=verifier(5, store.key)) as signer,
    ):
        ordered = prepare(signer.reading(iter(_articles())))
        with SignerPool(signer, Contents(ordered)) as pool:
            kept = signature_matrix(ordered, 5, 16, 1, known=signer.known(ordered), pool=pool, store=store.key)
            places = kept.places[np.unique(_PAIRS[:3])] if kept.places is not None else None
            with pytest.raises(TypeError, match="verify they were forked with"):
                pool.submit(verifier(5, "another store"), _PAIRS[:3], places)
            with pytest.raises(TypeError):
                pool.submit(sum, [1, 2])
            assert np.array_equal(pool.submit(verifier(5, store.key), _PAIRS[:3], places).result(),
                                  pair_scores(signature_matrix(ordered, 5, 16, 1), _PAIRS[:3]))


def _open_descriptors() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts descriptors in /proc")
def test_a_signer_that_cannot_fork_leaves_no_descriptor_open(monkeypatch: pytest.MonkeyPatch) -> None:
    before = _open_descriptors()

    def no_fork() -> int:
        raise BlockingIOError("no process to be had")

    monkeypatch.setattr(os, "fork", no_fork)
    with EarlySigner(sketcher(5, 16, 1), 2) as signer:
        assert signer.signers == []  # no signer: the pool signs everything
    assert _open_descriptors() == before


def test_signers_forked_before_an_interrupt_are_ended(monkeypatch: pytest.MonkeyPatch) -> None:
    forks, real_fork = [], os.fork

    def fork_then_interrupt() -> int:
        if forks:
            raise KeyboardInterrupt
        forks.append(pid := real_fork())
        return pid

    monkeypatch.setattr(os, "fork", fork_then_interrupt)
    with pytest.raises(KeyboardInterrupt), EarlySigner(sketcher(5, 16, 1), 3):
        pass
    monkeypatch.undo()
    assert len(forks) == 1
    with pytest.raises(ChildProcessError):
        os.waitpid(forks[0], os.WNOHANG)  # reaped: not a child any more
