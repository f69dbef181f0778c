"""Cluster -> Story: ids, sources, facts with provenance, the representative, the seeds, golden stories."""

from __future__ import annotations

import json
import random
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import REPO, SEEDS

from dedupe import read_articles
from dedupe.extract import extract
from dedupe.graph import cluster_id
from dedupe.merge import REPRESENTATIVE_RULE, headline, merge_stories, story_id
from dedupe.pipeline import Result
from dedupe.types import Article, Cluster, Edge, Fields, Mention

HEARING = "A disciplinary hearing on 5 November found the officer guilty of gross misconduct."
SUSPENDED = "The officer was suspended from the force in {} 2018."


def mention(kind: str, value: str, sentence: str, about: str = "", subject: str = "") -> Mention:
    """A mention whose surface text is its value."""
    return Mention(kind, value, value, sentence, about, subject, start=0)


def result(articles: list[Article], groups: list[tuple[str, ...]], fields: dict[str, Fields],
           copies: tuple[tuple[str, str], ...] = ()) -> Result:
    """A Result with one cluster per group (representative: its smallest id) and the given copy edges."""
    clusters = []
    for group in groups:
        members = tuple(sorted(group))
        edges = tuple(Edge(a, b, "near_duplicate", 0.9) for a, b in copies if a in members)
        clusters.append(Cluster(cluster_id(members), members, members[0], edges))
    ordered = tuple(sorted(articles, key=lambda a: a.id))
    return Result(ordered, tuple(sorted(clusters, key=lambda c: c.cluster_id)), (), {}, {"fields": fields})


def no_extract(article: Article) -> Fields:
    """An extractor that must not be called."""
    raise AssertionError(f"extract called for {article.id}")


@pytest.fixture
def story_parts() -> tuple[list[Article], dict[str, Fields]]:
    """Three articles: a and its copy c (no fields of its own), and b, a rewrite."""
    articles = [
        Article("a", "Long text " * 30, title="Officer sacked", source="Gazette", published="2020-11-21",
                url="https://gazette.example/a"),
        Article("b", "Shorter text", title="Officer fired", published="2020-11-19",
                url="https://www.bbc.example/news/b"),
        Article("c", "Long text " * 30, title="Officer sacked", published="2020-11-22", url=None),
    ]
    fields = {
        "a": Fields("a", mentions=(mention("date", "2020-11-05", HEARING, "hearing"),
                                   mention("date", "2018-10", SUSPENDED.format("October"), "suspended"),
                                   mention("person", "Jim Nye", "Jim Nye said so."))),
        "b": Fields("b", mentions=(mention("date", "2020-11-05", HEARING, "appeared"),
                                   mention("date", "2018-11", SUSPENDED.format("November"), "suspended"))),
    }
    return articles, fields


def test_story_id_is_stable_and_derived_from_members() -> None:
    assert story_id(["b", "a"]) == story_id(["a", "b"]) == "s" + cluster_id(["a", "b"])[1:]
    assert story_id(["a"]) != story_id(["a", "b"])


def test_sources_outlets_and_copies(story_parts) -> None:
    articles, fields = story_parts
    [story], _ = merge_stories(result(articles, [("a", "b", "c")], fields, copies=(("a", "c"),)), no_extract)
    sources = {s.id: s for s in story.sources}
    assert sources["a"].outlet == "Gazette"
    assert sources["b"].outlet == "bbc.example"
    assert sources["c"].outlet == "" and sources["c"].copy_of == "a" and sources["a"].copy_of is None
    assert [s.id for s in story.sources] == ["b", "a", "c"]  # by publication


def test_facts_count_independent_reports(story_parts) -> None:
    articles, fields = story_parts
    [story], conflicts = merge_stories(result(articles, [("a", "b", "c")], fields, copies=(("a", "c"),)), no_extract)
    facts = {(f.kind, f.value): f for f in story.facts}
    hearing = facts[("date", "2020-11-05")]
    assert hearing.about == "appeared / hearing"
    assert [e.article_id for e in hearing.evidence] == ["a", "b", "c"]
    assert hearing.corroboration == 2 and not hearing.single_source
    person = facts[("person", "Jim Nye")]
    assert person.corroboration == 1 and person.single_source  # a and its copy c are one report
    assert [e.sentence for e in hearing.evidence] == [HEARING] * 3
    [conflict] = conflicts
    assert conflict.field == "date:suspended"
    assert [[e.article_id for e in v.evidence] for v in conflict.values] == [["a", "c"], ["b"]]


def test_extract_is_used_for_articles_without_fields(story_parts) -> None:
    articles, fields = story_parts
    called = []

    def extract(article: Article) -> Fields:
        called.append(article.id)
        return Fields(article.id)

    merge_stories(result(articles, [("a", "b", "c")], {"a": fields["a"]}, copies=(("a", "c"),)), extract)
    assert called == ["b"]  # c is a copy of a: it takes a's fields
    called.clear()
    merge_stories(result(articles, [("a", "b", "c")], {}, copies=(("a", "c"),)), extract)
    assert called == ["a", "b"]  # once per copy group, for its head


def test_representative_states_most_corroborated_facts(story_parts) -> None:
    articles, fields = story_parts
    fields = {**fields, "b": Fields("b", mentions=fields["b"].mentions + (mention("person", "Jim Nye", "Nye."),))}
    [story], _ = merge_stories(result(articles, [("a", "b")], fields), no_extract)
    assert story.representative == "a"  # both state 2 corroborated facts: the cluster's representative wins
    fields["a"] = Fields("a", mentions=fields["a"].mentions[:2])
    fields["b"] = Fields("b", mentions=fields["b"].mentions + (mention("place", "Exeter", "In Exeter."),))
    articles.append(Article("d", "x", published="2020-11-30"))
    fields["d"] = Fields("d", mentions=(mention("place", "Exeter", "Exeter."), mention("person", "Jim Nye", "Nye.")))
    [story], _ = merge_stories(result(articles, [("a", "b", "d")], fields), no_extract)
    assert story.representative == "b"
    assert story.representative_rule == REPRESENTATIVE_RULE


def test_singletons_have_no_conflicts(story_parts) -> None:
    articles, fields = story_parts
    stories, conflicts = merge_stories(result(articles, [("a",), ("b",), ("c",)], fields), lambda a: Fields(a.id))
    assert conflicts == [] and all(not s.conflicts and not s.updates for s in stories)
    assert all(f.single_source for s in stories for f in s.facts)
    assert [s.story_id for s in stories] == sorted(s.story_id for s in stories)


def test_records_are_json(story_parts) -> None:
    articles, fields = story_parts
    [story], [conflict] = merge_stories(result(articles, [("a", "b")], fields), no_extract)
    record = json.loads(json.dumps(story.as_dict()))
    assert set(record) == {"story_id", "cluster_id", "headline", "representative", "representative_rule",
                           "sources", "counts", "facts", "conflicts", "updates"}
    assert record["counts"] == {"sources": 2, "independent": 2, "facts": 4, "corroborated": 1, "conflicts": 1,
                                "updates": 0}
    assert record["conflicts"] == [conflict.as_dict()]
    assert set(record["facts"][0]) == {"kind", "about", "subject", "value", "corroboration", "single_source",
                                       "sources"}
    assert set(conflict.as_dict()["values"][0]["sources"][0]) == {"id", "outlet", "published", "value",
                                                                  "qualifier", "about", "subject", "text", "sentence"}


# --- the seeds, through the real extractor --------------------------------------------------------

def seed_result() -> Result:
    """The five seeds; 002 and 003 (one story) in one cluster, the rest singletons."""
    articles = sorted(read_articles([SEEDS]), key=lambda a: a.id)
    story = tuple(a.id for a in articles if a.id[:3] in ("002", "003"))
    groups = [story] + [(a.id,) for a in articles if a.id not in story]
    return result(articles, groups, {})


def test_seed_story_conflicts_and_corroboration() -> None:
    stories, conflicts = merge_stories(seed_result())
    [story] = [s for s in stories if len(s.sources) == 2]
    by_field = {c.field: c for c in story.conflicts}
    suspended = by_field["date:suspended"]
    assert [v.value for v in suspended.values] == ["2018-10", "2018-11"]
    assert [v.evidence[0].article_id[:3] for v in suspended.values] == ["002", "003"]
    assert "October 2018" in suspended.values[0].evidence[0].sentence
    assert "November 2018" in suspended.values[1].evidence[0].sentence
    [quote] = [c for c in story.conflicts if c.kind == "quote_discrepancy"]
    assert quote.field == "quote:Jim Nye" and "negation" in quote.explanation
    assert "will be tolerated" in quote.values[0].evidence[0].sentence
    assert "will not be tolerated" in quote.values[1].evidence[0].sentence
    [hearing] = [f for f in story.facts if f.kind == "date" and f.value == "2020-11-05"]
    assert hearing.corroboration == 2 and {e.article_id[:3] for e in hearing.evidence} == {"002", "003"}
    assert len(conflicts) == 2
    assert all(not s.conflicts for s in stories if len(s.sources) == 1)


# --- golden stories: fixtures/stories_<case>/ -----------------------------------------------------

CASES = sorted(path.parent for path in (REPO / "fixtures").glob("stories_*/expected_stories.json"))


def golden_result(case: Path, shuffle: bool = False) -> Result:
    """The case's articles clustered by their ``story`` field (merging is tested, not clustering)."""
    articles = list(read_articles([case / "input.jsonl"]))
    if shuffle:
        random.Random(7).shuffle(articles)
    groups: dict[str, list[str]] = defaultdict(list)
    for article in articles:
        groups[article.record["story"]].append(article.id)
    return result(articles, [tuple(g) for g in groups.values()], {})


def test_there_are_golden_cases() -> None:
    assert {"stories_death_toll", "stories_quote_and_dates", "stories_singleton"} <= {c.name for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_golden_stories(case: Path, request: pytest.FixtureRequest) -> None:
    stories, conflicts = merge_stories(golden_result(case))
    actual = {"expected_stories.json": [s.as_dict() for s in stories],
              "expected_conflicts.json": [c.as_dict() for c in conflicts]}
    for name, records in actual.items():
        if request.config.getoption("--update-golden"):
            (case / name).write_text(json.dumps(records, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        assert records == json.loads((case / name).read_text(encoding="utf-8")), name


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_golden_stories_ignore_input_order(case: Path) -> None:
    first = [s.as_dict() for s in merge_stories(golden_result(case))[0]]
    assert [s.as_dict() for s in merge_stories(golden_result(case, shuffle=True))[0]] == first


def test_merging_in_worker_processes_gives_the_same_stories(story_parts, monkeypatch) -> None:
    from dedupe.engine import LocalEngine

    monkeypatch.setattr("dedupe.merge.MERGE_CHUNK", 1)  # one cluster per task: both workers get one
    articles, fields = story_parts
    run = result(articles, [("a", "c"), ("b",)], fields, copies=(("a", "c"),))
    here = merge_stories(run, no_extract)
    assert merge_stories(run, engine=LocalEngine(1)) == here
    assert merge_stories(run, engine=LocalEngine(2)) == here


@pytest.mark.parametrize(("text", "expected"), [
    # ecbplus_dev ecb-16_11ecbplus, ecb-30_2ecbplus, ecb-10_20ecbplus: untitled pages opening with their date or time
    ("THURSDAY, JUNE 30, 2005\nRIP LA County Sheriff Deputy Jerry Ortiz\nAnother peace officer has been gunned down.",
     "RIP LA County Sheriff Deputy Jerry Ortiz"),
    ("August 17, 2011\nUndersea internet cables severed near Egyptian coast line\nHave you experienced any problems?",
     "Undersea internet cables severed near Egyptian coast line"),
    ("8:24am:\nAccording to Michael Silverman of the Boston Herald, the Red Sox made an offer to Mark Teixeira.\n",
     "According to Michael Silverman of the Boston Herald, the Red Sox made an offer to Mark Teixeira."),
    # a headline holding a date among other words is a headline
    ("March 4 protest draws thousands\nThousands marched on Saturday.", "March 4 protest draws thousands"),
    # ecb-34_1ecbplus: a press release under its masthead, department and release stamp
    (("THE WHITE HOUSE\nOffice of the Press Secretary\nFOR IMMEDIATE RELEASE July 13, 2009\n"
     "President Obama Announces Nominee for Surgeon General\nToday, President Barack Obama announced his intent."),
     "President Obama Announces Nominee for Surgeon General"),
    # ecb-35_5ecb: a short all-capitals headline saying what happened is a headline, not a label
    ("CHARGERS' RECEIVER ARRESTED\nSan Diego Chargers wide receiver Vincent Jackson was arrested yesterday.",
     "CHARGERS' RECEIVER ARRESTED"),
])
def test_a_story_headline_skips_the_date_line_or_label_an_untitled_page_opens_with(text: str, expected: str) -> None:
    article = Article(id="a", text=text)
    assert headline(article, extract(article)) == expected
