"""Shingle hashes kept from signing (dedupe.shinglestore): read back, they are the sets verification would compute."""

from __future__ import annotations

import os
import random
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedupe import earlysign
from dedupe.candidates import near_duplicate_edges
from dedupe.earlysign import EarlySigner
from dedupe.engine import LocalEngine, task_pool
from dedupe.pipeline import prepare
from dedupe.shinglesets import shingle_sets
from dedupe.shinglestore import NOT_KEPT, ShingleStore, keep, kept_sets
from dedupe.signatures import Contents, signature_matrix, sketcher
from dedupe.tokenhash import Batch
from dedupe.types import Article

_WORDS = st.lists(st.sampled_from(["Storm", "hits", "the", "coast", "ÉTÉ", "naïve", "…", "x'y", "  ", "\n", "42"]),
                  max_size=30).map(" ".join)


def _never(rows: list[int]) -> list[np.ndarray]:
    raise AssertionError(f"rows {rows} were shingled again")


@settings(max_examples=30, deadline=None)
@given(texts=st.lists(_WORDS, min_size=1, max_size=12), size=st.sampled_from([1, 3, 5]))
def test_kept_hashes_read_back_as_the_shingle_sets(texts: list[str], size: int) -> None:
    with ShingleStore() as store:
        keep(store.key, np.arange(7, dtype=np.uint32), np.array([7]))  # something before: places are offsets
        places = keep(store.key, *Batch.of(texts).shingles(size))
        found = kept_sets(store.key, places, list(range(len(texts))), _never)
    assert [s.tolist() for s in found] == [s.tolist() for s in shingle_sets(texts, size)]


def test_texts_not_kept_are_shingled_again() -> None:
    texts = ["storm hits the coast again today", "the coast"]
    with ShingleStore() as store:
        places = keep(store.key, *Batch.of(texts[:1]).shingles(5))
        asked: list[list[int]] = []

        def shingle(rows: list[int]) -> list[np.ndarray]:
            asked.append(rows)
            return shingle_sets([texts[row] for row in rows], 5)

        found = kept_sets(store.key, np.array([places[0], NOT_KEPT]), [0, 1], shingle)
    assert asked == [[1]]
    assert [s.tolist() for s in found] == [s.tolist() for s in shingle_sets(texts, 5)]


def test_a_closed_store_keeps_nothing() -> None:
    store = ShingleStore()
    store.close()
    places = keep(store.key, *Batch.of(["storm hits the coast"]).shingles(5))
    assert places.tolist() == [list(NOT_KEPT)]


def test_the_files_have_no_name_and_each_process_takes_its_own(monkeypatch: pytest.MonkeyPatch,
                                                                tmp_path: Path) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    texts = ["storm hits the coast again today", "a quiet day at the coast with no storm"]
    with ShingleStore(files=2) as store:
        mine = keep(store.key, *Batch.of(texts[:1]).shingles(3))
        child = os.fork()
        if child == 0:  # a forked signer: the parent holds file 0, so it takes file 1; a third finds none free
            theirs = keep(store.key, *Batch.of(texts[1:]).shingles(3))
            os._exit(0 if theirs[0, 0] == 1 and theirs[0, 2] > 0 and os.listdir(tmp_path) == [] else 1)
        assert os.waitstatus_to_exitcode(os.waitpid(child, 0)[1]) == 0
        assert os.listdir(tmp_path) == []  # nothing a process killed outright could leave behind
        theirs = np.array([[1, 0, len(Batch.of(texts[1:]).shingles(3)[0])]])  # the child's answer: file 1, from 0
        found = kept_sets(store.key, np.concatenate([mine, theirs]), [0, 1], _never)
    assert mine[0, 0] == 0
    assert [s.tolist() for s in found] == [s.tolist() for s in shingle_sets(texts, 3)]


def _articles(texts: Sequence[str]) -> list[Article]:
    ids = [f"a{n:03d}" for n in range(len(texts))]
    random.Random(len(texts)).shuffle(ids)
    return [
        Article(id=i, text=t or "title only", title="t", origin=f"x:{n}") for n, (i, t) in enumerate(zip(ids, texts))
    ]


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(_WORDS, min_size=1, max_size=25))
def test_signers_and_pool_keep_every_row_and_verification_reads_them(monkeypatch: pytest.MonkeyPatch,
                                                                      texts: list[str]) -> None:
    monkeypatch.setattr(earlysign, "LEAST_TEXTS", 2)
    monkeypatch.setattr(earlysign, "MOST_TEXTS", 3)
    monkeypatch.setattr(earlysign, "LOOK_EVERY", 1)
    articles = _articles(texts)
    engine = LocalEngine(2)
    with ShingleStore() as store, EarlySigner(sketcher(5, 16, 1, store.key), 1) as signer:
        ordered = prepare(signer.reading(iter(articles)))
        with task_pool(engine, Contents(ordered)) as pool:
            kept = signature_matrix(ordered, 5, 16, 1, engine=engine, known=signer.known(ordered), pool=pool,
                                    store=store.key)
            edges = near_duplicate_edges(kept, 0.5, engine=engine, pool=pool)
        assert kept.places is not None and (kept.places[:, 2] >= 0).all()
        assert [s.tolist() for s in kept.shingles(range(len(ordered)))] == [
            s.tolist() for s in shingle_sets([a.content for a in ordered], 5)]
    plain = signature_matrix(ordered, 5, 16, 1)
    assert np.array_equal(kept.hashvalues, plain.hashvalues) and np.array_equal(kept.exact, plain.exact)
    assert edges == near_duplicate_edges(plain, 0.5)


def test_a_run_without_room_for_the_store_verifies_as_before(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from dedupe import Config, run

    texts = ["storm hits the coast again today and tomorrow", "storm hits the coast again today and tomorrow too",
             "a quiet day at the coast with no storm at all"] * 3
    articles = [Article(id=f"a{n}", text=f"{t} {n // 3}") for n, t in enumerate(texts)]
    config = Config(relations=("exact", "near_duplicate"), workers=2, threshold=0.5)
    expected = run(articles, config, stories=False)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "missing"))
    found = run(articles, config, stories=False)
    assert found.edges == expected.edges and found.clusters == expected.clusters
    assert any(e.relation == "near_duplicate" for e in found.edges)


@pytest.mark.parametrize("workers", [2, 3, 4, 8])
def test_a_run_has_a_file_for_every_process_that_signs(workers: int) -> None:
    from dedupe import Config
    from dedupe.copystage import early_signer, shingle_store

    engine = LocalEngine(workers)
    with shingle_store(engine) as store:
        signer = early_signer(Config(), engine, store)  # not entered: no signer forked
        assert isinstance(store, ShingleStore) and isinstance(signer, EarlySigner)
        # the early signers live until copy detection ends, so they and the pool's workers all hold a file at once
        assert len(store.files) >= signer.count + engine.processes
