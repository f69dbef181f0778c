"""``dedupe check`` and ``index add --fast`` on headline-only articles: the headline path, as batch scores it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import Config
from dedupe.cli import main
from dedupe.headlines import (
    headline_candidates,
    headline_matrix,
    headline_scores,
    headline_terms,
)
from dedupe.index import Checker, add, create, open_index
from dedupe.index.headline_check import (
    HeadlineMemory,
    headline_pair_scores,
    headline_verdict,
)
from dedupe.pipeline import run
from dedupe.types import Article

HEADS = [
    ("recall-1", "Nimbus recalls X200 phone over battery fires", "2024-05-02"),
    ("recall-2", "Battery fires force Nimbus X200 phone recall", "2024-05-02"),
    ("recall-3", "Nimbus X200 recall widens after more battery fires", "2024-05-03"),
    ("bridge-1", "Riverton council approves budget for new bridge", "2024-05-02"),
    ("bridge-2", "Riverton bridge budget wins council approval", "2024-05-03"),
    ("other-1", "Heatwave grips southern Europe", "2024-05-02"),
    ("other-2", "Stocks close higher on tech rally", "2024-05-03"),
]
JOINS = Article(id="recall-4", text="", title="Nimbus X200 phone owners told to stop charging after fires",
                published="2024-05-03")
ALONE = Article(id="bakery-1", text="", title="Local bakery wins national bread award", published="2024-05-03")


def line(article_id: str, title: str, day: str) -> str:
    return json.dumps({"id": article_id, "title": title, "text": "", "source": article_id, "published": day})


@pytest.fixture
def headline_index(runner: CliRunner, tmp_path: Path) -> Path:
    """An index of the handmade headline-only articles, whose field-model links (average linkage) must reach
    0.95: on so few headlines the field model links them generously, and the verdicts below must come from
    the headline path (on a large corpus the field model rarely links two headlines)."""
    source = tmp_path / "heads.jsonl"
    source.write_text("\n".join(line(*row) for row in HEADS) + "\n", encoding="utf-8")
    config = tmp_path / "strict.toml"
    config.write_text("link_threshold = 0.95\n", encoding="utf-8")
    path = tmp_path / "heads.db"
    result = runner.invoke(main, ["index", "build", str(source), "--index", str(path), "--config", str(config),
                                  "-q"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return path


def check(runner: CliRunner, index: Path, *articles: Article) -> list[dict]:
    """``dedupe check -`` answers for the articles, as JSON."""
    lines = [line(a.id, a.title or "", a.published or "") for a in articles]
    result = runner.invoke(main, ["check", "--index", str(index)], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.stderr
    return [json.loads(answer) for answer in result.stdout.splitlines()]


def indexed(runner: CliRunner, index: Path, row: tuple[str, str, str]) -> dict:
    """``check``'s answer for one of ``HEADS`` (already indexed)."""
    [answer] = check(runner, index, Article(id=row[0], text="", title=row[1], published=row[2]))
    return answer


def test_check_joins_a_headline_to_its_story(runner: CliRunner, headline_index: Path) -> None:
    recall, bridge = indexed(runner, headline_index, HEADS[0]), indexed(runner, headline_index, HEADS[3])
    assert recall["verdict"] == "indexed" and bridge["story"] != recall["story"]
    joins, alone = check(runner, headline_index, JOINS, ALONE)
    assert (joins["verdict"], joins["story"]) == ("same_story", recall["story"])
    assert joins["score"] >= 0.5 and joins["candidates"][0]["story"] == recall["story"]
    assert (alone["verdict"], alone["story"]) == ("new_story", None)


def test_a_headline_outside_the_window_starts_a_story(runner: CliRunner, headline_index: Path) -> None:
    late = Article(id="recall-9", text="", title=JOINS.title, published="2024-06-20")
    [answer] = check(runner, headline_index, late)
    assert answer["verdict"] == "new_story" and answer["candidates"] == []


def test_check_scores_as_the_batch_headline_scorer(headline_index: Path) -> None:
    heads = [Article(id=i, text="", title=t, published=d) for i, t, d in HEADS]
    batch = headline_matrix([*heads, JOINS])
    row = {article_id: index for index, article_id in enumerate(batch.ids)}
    with open_index(headline_index) as index:
        verdict = headline_verdict(HeadlineMemory(index), JOINS, index.config)
    assert verdict is not None and {"recall-1", "recall-2", "recall-3"} <= set(verdict.scores)
    for other, score in verdict.scores.items():
        pair = np.array([sorted((row[other], row[JOINS.id]))], dtype=np.int64)
        assert score == float(headline_scores(batch, pair)[0])


def test_fast_add_places_a_headline_in_its_story(runner: CliRunner, headline_index: Path, tmp_path: Path) -> None:
    source = tmp_path / "new.jsonl"
    source.write_text(line(JOINS.id, JOINS.title or "", JOINS.published or "") + "\n", encoding="utf-8")
    before = indexed(runner, headline_index, HEADS[0])
    result = runner.invoke(main, ["index", "add", str(source), "--index", str(headline_index), "--fast"],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    [after] = check(runner, headline_index, JOINS)
    assert (after["verdict"], after["story"]) == ("indexed", before["story"])


WORDS = ["nimbus", "phone", "recall", "fires", "riverton", "bridge", "council", "budget", "storm", "coast"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=5), min_size=2, max_size=8))
def test_pair_scores_equal_batch_scores(titles: list[list[str]]) -> None:
    articles = [Article(id=f"h{n}", text="", title=" ".join(words), published="2024-05-02")
                for n, words in enumerate(titles)]
    *indexed, new = articles
    memory = HeadlineMemory(None)  # type: ignore[arg-type]  # loaded by hand: no index read
    memory.loaded = True
    for article in indexed:
        memory.remember(article)
    terms = headline_terms(new.title or "")
    others = memory.candidates(new, terms, window=1, max_block=100)
    batch = headline_matrix(articles)
    row = {article_id: index for index, article_id in enumerate(batch.ids)}
    scores = headline_pair_scores(memory, new, terms, others)
    assert set(scores) == set(others)
    for other, score in scores.items():
        pair = np.array([sorted((row[other], row[new.id]))], dtype=np.int64)
        assert score == float(headline_scores(batch, pair)[0])
    assert set(others) == {a.id for a in indexed if headline_terms(a.title or "") & terms}


DAYS = ["2024-05-01", "2024-05-02", "2024-05-03", "2024-05-05", "", "not a day"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4), st.sampled_from(DAYS)),
                min_size=2, max_size=12), st.integers(0, 3), st.integers(1, 6))
def test_candidates_equal_a_scan_of_every_head(heads: list[tuple[list[str], str]], window: int,
                                               max_block: int) -> None:
    articles = [Article(id=f"h{n:02d}", text="", title=" ".join(words), published=day or None)
                for n, (words, day) in enumerate(heads)]
    *indexed, new = articles
    memory = HeadlineMemory(None)  # type: ignore[arg-type]  # loaded by hand: no index read
    memory.loaded = True
    for article in reversed(indexed):  # not in order of day: the postings keep their own order
        memory.remember(article)
    terms = headline_terms(new.title or "")
    batch = headline_matrix(articles)
    pairs = headline_candidates(batch, window, max_block).tolist()
    expected = {batch.ids[i] for pair in pairs if batch.ids.index(new.id) in pair for i in pair} - {new.id}
    assert memory.candidates(new, terms, window, max_block) == sorted(expected)


def test_candidates_keep_a_span_batch_keeps() -> None:
    """Two holders a day before and two a day after: each one-day span holds three with the article."""
    days = ["2024-01-04", "2024-01-04", "2024-01-06", "2024-01-06"]
    heads = [Article(id=f"s{n}", text="", title="Storm hits coast", published=day) for n, day in enumerate(days)]
    new = Article(id="new", text="", title="Storm hits coast", published="2024-01-05")
    memory = HeadlineMemory(None)  # type: ignore[arg-type]  # loaded by hand: no index read
    memory.loaded = True
    for head in heads:
        memory.remember(head)
    terms = headline_terms(new.title or "")
    assert memory.candidates(new, terms, window=1, max_block=3) == ["s0", "s1", "s2", "s3"]
    assert memory.candidates(new, terms, window=1, max_block=2) == []


def test_check_links_a_dated_and_an_undated_headline_as_batch_does(tmp_path: Path) -> None:
    dated = Article(id="ferry-1", text="", title="Harbour ferry strike ends after talks with union",
                    published="2024-05-06")
    undated = Article(id="ferry-2", text="", title="Union talks end the harbour ferry strike")
    others = [
        Article(id=f"vote-{n}", text="", title=f"Council budget vote on the {word}", published=f"2024-05-0{n + 1}")
        for n, word in enumerate(["rail", "flood", "river", "zoo", "panda", "bridge"])
    ]
    config = Config(workers=1)
    [batch] = [c.members for c in run([*others, dated, undated], config).clusters if "ferry-1" in c.members]
    assert set(batch) == {"ferry-1", "ferry-2"}
    for new, held in ((undated, dated), (dated, undated)):
        with create(tmp_path / f"{new.id}.db", config) as index:
            add(index, [*others, held])
            answer = Checker(index).check(new)
            assert answer["verdict"] == "same_story", answer
            assert {c["story"] for c in answer["candidates"][:1]} == {answer["story"]}
