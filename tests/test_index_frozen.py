"""`add --fast` weighs every article with the frequencies of its start: a profile depends on the index
alone, not on the other articles of the add or their order; the counts are written for later checks."""

from __future__ import annotations

import random
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from conftest import SEEDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_index import CONFIG
from test_index_fast import _fast_state

from dedupe import read_articles
from dedupe.engine import LocalEngine
from dedupe.index import add, create, fast, open_index
from dedupe.index.codec import profile_from
from dedupe.index.rows import Vocabulary
from dedupe.index.story_check import StoryChecker
from dedupe.types import Article


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Article], dict]:
    """An index of two seeds; the articles to add (the other seeds and a copy of one); the profile a check
    on that index makes of each of them."""
    articles = list(read_articles([SEEDS]))
    original = next(a for a in articles if a.id == "002_e6b19a311c7cd973")
    extra = [*articles[2:], replace(original, id="zz-copy", text=original.text.upper()),
             replace(articles[3], id="zz-rewrite", text=articles[3].text.replace(".", "!", 3))]
    path = tmp_path_factory.mktemp("frozen") / "base.db"
    with create(path, CONFIG) as index:
        add(index, articles[:2])
    with open_index(path) as index:
        checker = StoryChecker(index, index.config)
        alone = {a.id: checker.profile(a)[0] for a in extra}
    return path, extra, alone


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                HealthCheck.too_slow])
@given(st.randoms(use_true_random=False), st.integers(1, 5))
def test_a_placed_profile_depends_on_the_index_alone(base: tuple[Path, list[Article], dict],
                                                     shuffle: random.Random, size: int) -> None:
    """Whatever other articles an add holds, in any order, each new head is stored with the profile a check
    of it alone against the index at the add's start gives (its words' weights, names, counts)."""
    path, extra, alone = base
    chosen = shuffle.sample(extra, min(size, len(extra)))
    with tempfile.TemporaryDirectory() as folder:  # a file of its own for each example
        rows = _fast_state(path, Path(folder) / "some.db", chosen, warm=False)
    stored = {row[1]: profile_from(row[2]) for row in rows if row[0] == "profiles"}
    placed = [a.id for a in chosen if a.id in stored]
    assert placed, "no added article became a head"
    assert all(stored[i] == alone[i] for i in placed)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.randoms(use_true_random=False))
def test_fast_add_writes_the_same_in_any_input_order(base: tuple[Path, list[Article], dict],
                                                     shuffle: random.Random) -> None:
    """The articles are placed in id order, with weights that no placement changes: the index written,
    row for row (stories, merges and splits, frequencies), does not depend on the order they came in."""
    path, extra, _ = base
    with tempfile.TemporaryDirectory() as folder:  # files of their own for each example
        first = _fast_state(path, Path(folder) / "first.db", extra, warm=False)
        assert _fast_state(path, Path(folder) / "shuffled.db", shuffle.sample(extra, len(extra)), warm=True) == first


def test_a_later_check_reads_the_counts_written(base: tuple[Path, list[Article], dict], tmp_path: Path) -> None:
    """The frequencies and document count an add kept at their start are written at its end: a check after
    it weighs with every head counted, and weighs a new head's words otherwise than the add did."""
    path, extra, alone = base
    rows = _fast_state(path, tmp_path / "after.db", extra, warm=False)
    heads = [row[1] for row in rows if row[0] == "profiles" and row[1] in alone]
    with open_index(path) as index:
        before = {(k, t): n for k, t, n in index.db.execute("SELECT kind, term, n FROM frequencies")}
        documents = int(index.meta("documents"))
    with open_index(tmp_path / "after.db") as index:
        later = StoryChecker(index, index.config)
        assert later.documents == documents + len(heads)
        for letter, kind in (("t", "terms"), ("n", "names"), ("c", "numbers")):
            held = {term for i in heads for term in getattr(alone[i], kind)}
            expected = {t: before.get((letter, t), 0) + sum(t in getattr(alone[i], kind) for i in heads) for t in held}
            assert later.memory.frequencies(letter, held) == expected
        probe = next(a for a in extra if a.id in heads)
        assert later.profile(replace(probe, id="zz-probe"))[0].terms != alone[probe.id].terms


def test_workers_weigh_when_every_story_is_read_first(base: tuple[Path, list[Article], dict], tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """An add reading every article's story first, with forked workers, hands them every frequency of its start: they
    make each profile and its salient keys (the main process weighs none) and the index written is the one
    an add weighing in the main process writes, row for row."""
    path, extra, _ = base
    cold = _fast_state(path, tmp_path / "cold.db", extra, warm=False)
    weighed: list[str] = []
    real = StoryChecker.weighed
    monkeypatch.setattr(StoryChecker, "weighed", lambda self, cleaned, ahead: weighed.append(cleaned.id)
                        or real(self, cleaned, ahead))
    monkeypatch.setattr(fast, "WARM_HEADS_PER_ARTICLE", 0)  # never warm: two heads
    monkeypatch.setattr(fast, "READ_STORIES_PER_ARTICLE", 1)
    assert _fast_state(path, tmp_path / "workers.db", extra, warm=None, engine=LocalEngine(2)) == cold
    assert weighed == []
    assert _fast_state(path, tmp_path / "main.db", extra, warm=None) == cold  # no workers: weighed here
    assert sorted(weighed) == sorted(a.id for a in extra)


def test_workers_look_up_the_columns_of_each_profiles_words(base: tuple[Path, list[Article], dict], tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The workers that weigh the articles also look up the columns of each profile's terms and names (the
    index's, at the add's start): the main process's word and name cosines take them, looking up only the keys
    without one, and the index written is the cold add's, row for row."""
    path, extra, _ = base
    cold = _fast_state(path, tmp_path / "cold.db", extra, warm=False)
    given_ahead: list[bool] = []
    real = Vocabulary.row
    monkeypatch.setattr(Vocabulary, "row", lambda self, weights, grow=True, known=None: given_ahead.append(
        known is not None) or real(self, weights, grow, known))
    monkeypatch.setattr(fast, "WARM_HEADS_PER_ARTICLE", 0)
    monkeypatch.setattr(fast, "READ_STORIES_PER_ARTICLE", 1)
    assert _fast_state(path, tmp_path / "workers.db", extra, warm=None, engine=LocalEngine(2)) == cold
    assert given_ahead and all(given_ahead)


def test_a_row_from_columns_looked_up_ahead_is_the_row_looked_up_here() -> None:
    """``Vocabulary.row(known=...)``: the columns given are taken, those given as -1 looked up (a key the
    vocabulary learned since: its column; one it never held: left out), the same row as looking every key up."""
    vocabulary = Vocabulary()
    vocabulary.learn({"storm": 4, "coast": 9, "flood": 2})
    weights = {"coast": 0.5, "surge": 0.25, "storm": 0.125, "levee": 0.0625}
    ahead = np.array([9, -1, 4, -1])
    vocabulary.learn({"levee": 11})  # after the columns were looked up
    got, plain = vocabulary.row(weights, grow=False, known=ahead), vocabulary.row(weights, grow=False)
    assert got.columns.tolist() == plain.columns.tolist() == [9, 4, 11]
    assert got.weights.tolist() == plain.weights.tolist() == [0.5, 0.125, 0.0625]
    assert ahead.tolist() == [9, -1, 4, -1]  # not changed


def test_add_workers_run_below_the_main_process() -> None:
    """``task_pool(nice=N)`` lowers its workers' priority by N and leaves the caller's as it was (``add --fast``
    passes ``addwork.WORKER_NICE``)."""
    import os

    from dedupe.engine import LocalEngine, task_pool
    from dedupe.index.addwork import WORKER_NICE

    mine = os.nice(0)
    with task_pool(LocalEngine(2), [0, 1], nice=WORKER_NICE) as pool:
        assert pool is not None
        theirs = set(pool.map(os.nice, [0, 0, 0, 0]))
    assert WORKER_NICE > 0
    assert theirs == {min(mine + WORKER_NICE, 19)}
    assert os.nice(0) == mine


def test_new_heads_keys_are_counted_with_the_workers_columns(base: tuple[Path, list[Article], dict], tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """With forked workers that weigh the articles, each new head's keys are counted with the columns the workers
    looked up (``UnwrittenCounts.count(ahead=...)``, no dict look-up a key), and the index written is the cold
    add's, row for row."""
    from dedupe.index.addseen import UnwrittenCounts

    path, extra, _ = base
    cold = _fast_state(path, tmp_path / "cold.db", extra, warm=False)
    given: list[bool] = []
    real = UnwrittenCounts.count
    monkeypatch.setattr(UnwrittenCounts, "count", lambda self, profile, known, complete=False, **more:
                        given.append(more.get("ahead") is not None) or real(self, profile, known, complete, **more))
    monkeypatch.setattr(fast, "WARM_HEADS_PER_ARTICLE", 0)
    monkeypatch.setattr(fast, "READ_STORIES_PER_ARTICLE", 1)
    assert _fast_state(path, tmp_path / "workers.db", extra, warm=None, engine=LocalEngine(2)) == cold
    assert given and all(given)


def test_counting_with_columns_looked_up_ahead_gives_the_columns_looked_up_here(
        base: tuple[Path, list[Article], dict]) -> None:
    """``UnwrittenCounts.count(ahead=...)``: a key with a column at the add's start takes it, one given -1 takes
    the column it got since (a key counted earlier in the add), else the next new column; the same columns,
    the same new rows and counts as looking every key up."""
    from types import SimpleNamespace

    from dedupe.index.addseen import UnwrittenCounts
    from dedupe.index.memory import all_frequencies

    path, _, _ = base
    with open_index(path) as index:
        _, by_letter = all_frequencies(index)
        known = {"terms": dict(by_letter["t"]), "names": dict(by_letter["n"]), "numbers": dict(by_letter["c"])}
        old_term, old_name = next(iter(known["terms"])), next(iter(known["names"]))
        first = SimpleNamespace(terms={old_term: 0.5, "zz-new-word": 0.5}, names={"zz new name": 1.0}, numbers={})
        second = SimpleNamespace(terms={"zz-other": 0.25, "zz-new-word": 0.5, old_term: 0.25},
                                 names={old_name: 0.5, "zz new name": 0.5}, numbers={"zz-9": 1.0})

        def ahead_of(profile: SimpleNamespace) -> dict[str, np.ndarray]:
            return {kind: np.array([known[kind].get(key, -1) for key in getattr(profile, kind)], dtype=np.int64)
                    for kind in ("terms", "names", "numbers")}

        plain, given = UnwrittenCounts(index), UnwrittenCounts(index)
        for profile in (first, second):
            expected = plain.count(profile, known, complete=True)
            got = given.count(profile, known, complete=True, ahead=ahead_of(profile))
            assert got == expected
            assert all(list(got[kind]) == list(getattr(profile, kind)) for kind in got)  # in the profile's order
        assert got["terms"]["zz-new-word"] > max(known["terms"].values())  # new, numbered once, in the first
        assert given.new == plain.new and given.added == plain.added and given.cols == plain.cols


def test_workers_send_no_fields_back_once_weighed(base: tuple[Path, list[Article], dict]) -> None:
    """A worker that weighs an article sends back its profile and its fields packed as stored, not its fields
    nor its term sets (the main process places with the profile and stores the packed form; unpickling the
    fields was most of unpickling the work); one that does not weigh it sends both."""
    from dedupe.index.addwork import work
    from dedupe.index.codec import fields_from
    from dedupe.index.frozen import Frozen
    from dedupe.index.memory import all_frequencies

    path, extra, _ = base
    with open_index(path) as index:
        config = index.config
        frequencies, columns = all_frequencies(index)
        frozen = Frozen(frequencies, int(index.meta("documents")), config.block_keys, columns=columns)
    weighed, plain = work(extra, config, frozen), work(extra, config)
    assert len(weighed) == len(plain) == len(extra)
    for (made, _), (kept, _) in zip(weighed, plain):
        assert made[1] is not None and made[1].weighed is not None and kept[1].weighed is None
        assert made[1].fields is None and made[1].sets == {}
        assert kept[1].fields is not None and kept[1].sets
        assert made[3] == kept[3] and fields_from(made[3]) == kept[1].fields
