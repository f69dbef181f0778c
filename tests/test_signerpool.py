"""Verification in the early signers (dedupe.signerpool): the scores a forked pool or this process gives."""

from __future__ import annotations

import numpy as np
import pytest

from dedupe import earlysign, signerpool
from dedupe.candidates import near_duplicate_edges
from dedupe.earlysign import EarlySigner
from dedupe.engine import LocalEngine
from dedupe.pipeline import prepare
from dedupe.shinglestore import ShingleStore
from dedupe.signatures import signature_matrix, sketcher
from dedupe.signerpool import SignerPool
from dedupe.types import Article
from dedupe.verify import pair_scores, verifier

_TEXTS = ["storm hits the coast again today and tomorrow", "storm hits the coast again today and tomorrow too",
          "a quiet day at the coast with no storm at all", "a quiet day at the coast with no storm at all, really"]


def _articles() -> list[Article]:
    return [Article(id=f"a{n:02d}", text=f"{text} {n // 4}") for n, text in enumerate(_TEXTS * 5)]


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(earlysign, "LEAST_TEXTS", 2)
    monkeypatch.setattr(earlysign, "MOST_TEXTS", 3)
    monkeypatch.setattr(earlysign, "LOOK_EVERY", 1)
    monkeypatch.setattr(earlysign, "REST_TEXTS", 3)


def _here(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The calls a SignerPool runs in this process, recorded."""
    ran: list[object] = []
    run_here = signerpool._Call.run_here

    def record(call: signerpool._Call) -> None:
        ran.append(call)
        run_here(call)

    monkeypatch.setattr(signerpool._Call, "run_here", record)
    return ran


@pytest.mark.parametrize("key", ["store", "another"])
def test_the_signers_verify_the_candidates_as_this_process_would(small_batches: None, monkeypatch: pytest.MonkeyPatch,
                                                                key: str) -> None:
    # "another": the signers read no store, so they lack texts and every block is verified here instead
    ran = _here(monkeypatch)
    with ShingleStore() as store:
        verify = verifier(5, store.key if key == "store" else "no such store")
        with EarlySigner(sketcher(5, 16, 1, store.key), 2, 1, verify) as signer:
            ordered = prepare(signer.reading(iter(_articles())))
            pool = SignerPool(signer)
            kept = signature_matrix(ordered, 5, 16, 1, engine=LocalEngine(2), known=signer.known(ordered),
                                    pool=pool, store=store.key)
            monkeypatch.setattr(pool, "submit", _only(pool.submit, verifier(5, store.key)))
            edges = near_duplicate_edges(kept, 0.5, engine=LocalEngine(2), pool=pool)
            pairs = np.array([[0, 1], [2, 3], [0, 2], [4, 5]])
            scores = pair_scores(kept, pairs, pool=pool)
    plain = signature_matrix(ordered, 5, 16, 1)
    assert edges == near_duplicate_edges(plain, 0.5) and any(e.relation == "near_duplicate" for e in edges)
    assert np.array_equal(scores, pair_scores(plain, pairs))
    assert (len(ran) == 0) == (key == "store")


def _only(submit: object, verify: object) -> object:
    """``submit``, checking that each block goes with the signers' kind of verify."""
    def checked(fn: object, *args: object) -> object:
        assert signerpool._same_call(fn, verify)  # type: ignore[arg-type]
        return submit(fn, *args)  # type: ignore[operator]
    return checked


def test_any_other_call_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    ran = _here(monkeypatch)
    with EarlySigner(sketcher(5, 16, 1), 1, verify=verifier(5, None)) as signer:
        assert SignerPool(signer).submit(sum, [1, 2]).result() == 3
    assert len(ran) == 1
