"""``bench/degrade.py``: the variants change only the field they name, and the union is scored per corpus."""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import load_script
from hypothesis import given
from hypothesis import strategies as st

from dedupe import read_articles
from dedupe.types import Article


@pytest.fixture(scope="module")
def degrade():
    """``bench/degrade.py`` as a module."""
    return load_script("bench/degrade.py")


SEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "seeds"


@pytest.fixture(scope="module")
def seeds() -> list:
    """The seed articles, the first with a title, source and URL added so every variant has something to remove."""
    articles = sorted(read_articles([str(SEEDS)]), key=lambda a: a.id)
    first = replace(articles[0], title="Officer barred after misconduct hearing", source="Daily Echo",
                    url="https://echo.example/2020/11/21/barred")
    return [first, *articles[1:]]


def test_lede_keeps_line_breaks_and_stops_after_the_last_word(degrade) -> None:
    text = "Two officers were sacked.\nThe hearing found gross misconduct on 5 November."
    assert degrade.lede(text, 6) == "Two officers were sacked.\nThe hearing"
    assert degrade.lede(text, 60) == text
    assert degrade.lede("", 3) == ""


@given(st.text(alphabet=st.sampled_from("ab \n\t."), max_size=80), st.integers(min_value=1, max_value=12))
def test_lede_is_a_prefix_with_the_first_words(degrade, text: str, words: int) -> None:
    cut = degrade.lede(text, words)
    assert text.startswith(cut)
    assert cut.split() == text.split()[:words]


def test_each_variant_removes_only_its_field(degrade, seeds) -> None:
    variants = {name: make(seeds) for name, make in degrade.VARIANTS.items()}
    assert variants["given"] == seeds
    assert seeds[0].day == "2020-11-21" and seeds[0].outlet == "Daily Echo" and seeds[2].day == "2020-11-21"
    assert all(a.day is None and (a.title, a.outlet, a.text) == (b.title, b.outlet, b.text)
               for a, b in zip(variants["undated"], seeds))
    assert all(a.title is None and (a.text, a.day) == (b.text, b.day) for a, b in zip(variants["untitled"], seeds))
    assert [a.outlet for a in variants["no_outlet"]] == [""] * len(seeds)
    assert [a.day for a in variants["no_outlet"]] == [None] + [b.day for b in seeds[1:]]  # the URL day goes too
    assert all(a.text.split() == b.text.split()[:60] and a.title == b.title for a, b in zip(variants["lede"], seeds))
    assert [(a.id, a.text, a.title) for a in variants["titles_only"]] == [(b.id, "", b.title) for b in seeds if b.title]


@given(st.dictionaries(st.sampled_from("abcdefgh"), st.tuples(st.sampled_from("xyz"), st.sampled_from("pq")),
                       min_size=1))
def test_cross_pairs_counts_pairs_joining_two_corpora(degrade, rows: dict[str, tuple[str, str]]) -> None:
    predicted = {article: label for article, (label, _) in rows.items()}
    corpus_of = {article: corpus for article, (_, corpus) in rows.items()}
    slow = sum(1 for x, y in itertools.combinations(sorted(rows), 2)
               if predicted[x] == predicted[y] and corpus_of[x] != corpus_of[y])
    assert degrade.cross_pairs(predicted, corpus_of) == slow


def test_union_scores_each_corpus_inside_the_union(degrade, seeds, tmp_path: Path) -> None:
    gold = json.loads((SEEDS.parent / "seeds_gold.json").read_text(encoding="utf-8"))
    found = []
    for name, part in (("first", seeds[:2]), ("second", seeds[2:])):
        path = tmp_path / f"{name}.jsonl"
        lines = [json.dumps({"id": a.id, "title": a.title, "text": a.text, "published": a.published}) for a in part]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        found.append((name, [str(path)], {a.id: gold[a.id] for a in part}))
    rows = {row["corpus"]: row for row in degrade.union_rows(found, degrade.Config())}
    assert rows["second"]["alone_ari"] == rows["second"]["union_ari"] == 1.0
    assert rows["second"]["union_p"] == rows["second"]["union_r"] == 1.0
    assert rows["union"]["cross"] == 0 and rows["union"]["union_ari"] == 1.0
    table = degrade.markdown(["corpus", "ARI"], ["corpus", "union_ari"], list(rows.values()))
    assert re.search(r"^\| union \| 1\.000 \|$", table, re.MULTILINE)


def _labelled(stories: list[int]) -> list:
    """One article per entry, its gold story the entry (an entry below 0: no gold story)."""
    return [Article(id=f"a{i:03d}", text="t", record={"cluster": f"s{s}"} if s >= 0 else {})
            for i, s in enumerate(stories)]


@given(st.lists(st.integers(min_value=-1, max_value=6), min_size=1, max_size=30),
       st.sampled_from([0.25, 0.5]), st.integers(min_value=0, max_value=5))
def test_subsample_keeps_whole_stories_by_seed(degrade, stories: list[int], share: float, seed: int) -> None:
    articles = _labelled(stories)
    kept = degrade.subsample(articles, share, seed)
    story = {a.id: a.record.get("cluster") or a.id for a in articles}
    chosen = {story[a.id] for a in kept}
    assert kept == [a for a in articles if story[a.id] in chosen]  # whole stories, in order
    assert len(chosen) == max(1, round(share * len(set(story.values()))))
    assert degrade.subsample(list(reversed(articles)), share, seed) == list(reversed(kept))


def test_subsample_rows_give_the_median_of_the_seeds(degrade, seeds, monkeypatch) -> None:
    runs = iter([{"ari": a, "pair_precision": 1.0, "pair_recall": 0.5, "articles": n}
                 for a, n in ((0.9, 3), (0.2, 2), (0.5, 4))])
    monkeypatch.setattr(degrade, "measure_articles", lambda *args: (next(runs), {}))
    row = degrade.subsample_row("seeds", seeds, {}, 0.5, degrade.Config())
    assert (row["ari"], row["articles"], row["seeds_ari"]) == (0.5, 3, [0.9, 0.2, 0.5])
