"""`dedupe check` verdicts, streaming from stdin, and an add killed mid-transaction (readers go on meanwhile)."""

from __future__ import annotations

import itertools
import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import corpus_file, stalled_writer
from hypothesis import given, settings
from hypothesis import strategies as st
from test_index import CONFIG, dump

from dedupe import read_articles, run
from dedupe.cli import main
from dedupe.extract import extract
from dedupe.index import Checker, add, create, open_index, stats
from dedupe.index.story_check import StoryChecker

HELD_OUT = "003_577a2c13b403c901"  # the rewrite of 002 (same story, other words)


@pytest.fixture
def four(seeds_dir: Path, tmp_path: Path) -> Path:
    """An index of the seeds but 003."""
    path = tmp_path / "four.db"
    with create(path, CONFIG) as index:
        add(index, [a for a in read_articles([seeds_dir]) if a.id != HELD_OUT])
    return path


def seed(seeds_dir: Path, article_id: str):
    return next(a for a in read_articles([seeds_dir]) if a.id == article_id)


def test_a_placement_without_details_lists_no_candidates_and_answers_alike(four: Path, seeds_dir: Path) -> None:
    """``place(details=False)`` (what ``add --fast`` asks) leaves out the facts, conflicts and best candidates,
    and gives the same verdict, story, score and link as a check with them."""
    rewrite = seed(seeds_dir, HELD_OUT)
    with open_index(four) as index, index.reading():
        full, bare = Checker(index).place(rewrite), Checker(index).place(rewrite, details=False)
    assert full.answer["candidates"] and bare.answer["candidates"] == []
    assert bare.answer["facts"] == {"adds": [], "corroborates": 0} and bare.answer["conflicts"] == []
    kept = ("id", "verdict", "story", "score")
    assert [bare.answer[k] for k in kept] == [full.answer[k] for k in kept] and bare.answer["verdict"] == "same_story"
    assert full.found is not None and bare.found is not None and bare.found.edge == full.found.edge


def _facts_of_the_batch_story(seeds_dir: Path, article_id: str) -> dict:
    """The oracle for a checked article's ``facts``: in the story ``run`` merges from all the seeds, the facts
    only that article states (``adds``) and how many of its facts others state too (``corroborates``)."""
    [story] = [s.as_dict() for s in run(list(read_articles([seeds_dir])), CONFIG).extras["stories"]
               if any(source["id"] == article_id for source in s.as_dict()["sources"])]
    mine = [f for f in story["facts"] if any(source["id"] == article_id for source in f["sources"])]
    alone = [{key: f[key] for key in ("kind", "about", "subject", "value")} for f in mine if len(f["sources"]) == 1]
    assert alone and len(alone) < len(mine)  # the seeds' rewrite both adds facts and corroborates some
    return {"adds": alone, "corroborates": len(mine) - len(alone)}


def test_verdicts(four: Path, seeds_dir: Path) -> None:
    rewrite, original = seed(seeds_dir, HELD_OUT), seed(seeds_dir, "002_e6b19a311c7cd973")
    before = dump(four)
    with open_index(four) as index:
        checker = Checker(index)
        story = checker.story_of(original.id)
        same = checker.check(rewrite)
        assert (same["verdict"], same["story"]) == ("same_story", story)
        assert same["candidates"][0]["id"] == original.id and same["score"] >= index.config.link_threshold
        assert {"date:suspended", "quote:Jim Nye"} <= {c["field"] for c in same["conflicts"]}
        assert all(c["new"] for c in same["conflicts"])
        assert same["facts"] == _facts_of_the_batch_story(seeds_dir, rewrite.id)
        exact = checker.check(replace(original, id="copy", text=original.text.upper()))
        assert (exact["verdict"], exact["of"], exact["story"]) == ("exact", original.id, story)
        near = checker.check(replace(original, id="near", text=original.text.rsplit(".", 2)[0] + "."))
        assert (near["verdict"], near["of"], near["story"]) == ("near_duplicate", original.id, story)
        assert 0.8 <= near["score"] < 1
        other = checker.check(replace(original, id="other", title="Harvest festival",
                                      text="The village harvest festival drew record crowds to the green, "
                                           "where bakers showed loaves and the brass band played."))
        assert other["verdict"] == "new_story" and other["story"] is None
        assert checker.check(original) == {"id": original.id, "verdict": "indexed", "story": story}
    assert dump(four) == before


def test_profile_matches_batch_profile(four: Path, seeds_dir: Path) -> None:
    """The weights check gives an article are those the batch gives it once it is in the corpus."""
    articles = list(read_articles([seeds_dir]))
    batch = run(articles, CONFIG).extras["profiles"][HELD_OUT]
    with open_index(four) as index:
        profile, _, _ = StoryChecker(index, index.config).profile(seed(seeds_dir, HELD_OUT))
    assert profile.terms.keys() == batch.terms.keys()
    assert all(abs(profile.terms[t] - batch.terms[t]) < 1e-12 for t in batch.terms)
    assert all(abs(profile.names[t] - batch.names[t]) < 1e-12 for t in batch.names)
    assert list(profile.numbers) == list(batch.numbers)
    assert replace(profile, terms={}, names={}, numbers={}) == replace(batch, terms={}, names={}, numbers={})


def test_a_check_finds_quotes_only_for_a_same_story_verdict(four: Path, seeds_dir: Path) -> None:
    """A check (``details``) extracts quotes only for the facts of a ``same_story`` verdict; the fields
    of every placement are still ``extract``'s, quotes included, with or without details."""
    others = list(itertools.islice(read_articles([corpus_file("wikinews_clusters")]), 12))
    with open_index(four) as index:
        checker = Checker(index)
        for article in [seed(seeds_dir, HELD_OUT), *others]:
            for details in (True, False):
                found = checker.place(article, details).found
                assert found is not None and found.quoted == (not details or found.edge is not None)
                assert found.fields == extract(found.cleaned)
        assert sum(bool(extract(a).of("quote")) for a in others) > 3


def test_links_at_a_floor_are_those_above_it(four: Path, seeds_dir: Path) -> None:
    """Links skip the stories whose best score is below the floor: the same links as all of them, floored."""
    with open_index(four) as index:
        stories = StoryChecker(index, index.config)
        heads = sorted(i for (i,) in index.db.execute("SELECT id FROM members WHERE id = head"))
        owner = stories.memory.owners(heads)
        offsets = st.sampled_from([-0.2, -1.1e-9, -6e-10, -4e-10, -1e-10, 0.0, 1e-10, 0.2])  # around the floor

        @settings(max_examples=200, deadline=None, derandomize=True, database=None)
        @given(st.sampled_from([0.3, 0.5, 0.7]), st.lists(st.one_of(offsets, st.floats(-0.3, 0.3)),
                                                         min_size=len(heads), max_size=len(heads)),
               st.sets(st.integers(0, len(heads) - 1), min_size=1))
        def floored(floor: float, values: list[float], scored: set[int]) -> None:
            scores = {heads[i]: floor + values[i] for i in sorted(scored)}
            everything = stories.links(scores, owner)
            assert stories.links(scores, owner, floor) == [link for link in everything if link[0] >= floor]

        floored()


def test_a_story_link_weighs_each_head_by_its_copies(seeds_dir: Path, tmp_path: Path) -> None:
    """The check's link with a story is over article pairs (``copy_weight`` 1): a head reprinted once more weighs
    2 against the story's other head; over head pairs (0) each head once."""
    articles = list(read_articles([seeds_dir]))
    original = seed(seeds_dir, "002_e6b19a311c7cd973")
    with create(tmp_path / "c.db", CONFIG) as index:
        add(index, [*articles, replace(original, id="002_reprint")])
    with open_index(tmp_path / "c.db") as index:
        heads = StoryChecker(index, index.config).memory
        story = heads.owners([original.id])[original.id]
        assert heads.group_sizes([story]) == {story: {original.id: 2, HELD_OUT: 1}}
        owner = {original.id: story}
        weighed = StoryChecker(index, index.config.replace(copy_weight=1.0)).links({original.id: 0.9}, owner)
        assert weighed == [(round(1.8 / (2 + 0.3 * 1), 9), story)]
        once = StoryChecker(index, index.config.replace(copy_weight=0.0)).links({original.id: 0.9}, owner)
        assert once == [(round(0.9 / (1 + 0.3 * 1), 9), story)]


def test_check_streams_stdin(runner: CliRunner, four: Path, seeds_dir: Path) -> None:
    rewrite = seed(seeds_dir, HELD_OUT)
    lines = [json.dumps({"id": "x1", "title": rewrite.title, "text": rewrite.text, "published": rewrite.published}),
             "not json", '{"id": "x2", "text": "t", "n": ' + "9" * 5000 + "}", ""]
    result = runner.invoke(main, ["check", "--index", str(four)], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a.get("verdict") for a in answers] == ["same_story", None, None]
    assert answers[1]["line"] == 2 and "not valid JSON" in answers[1]["error"]
    assert answers[2]["line"] == 3 and "cannot read this JSON" in answers[2]["error"]  # a traceback before
    files = runner.invoke(main, ["check", str(seeds_dir / f"{HELD_OUT}.txt"), "--index", str(four)])
    assert json.loads(files.stdout)["verdict"] == "same_story"
    limited = runner.invoke(main, ["check", str(seeds_dir / f"{HELD_OUT}.txt"), "--index", str(four),
                                   "--candidates", "1"])
    assert [c["id"] for c in json.loads(limited.stdout)["candidates"]] == ["002_e6b19a311c7cd973"]


def test_check_warm_answers_as_cold(runner: CliRunner, four: Path, seeds_dir: Path) -> None:
    """``--warm`` reads every head first: the same answers, line for line (the seeds, 003 not indexed)."""
    lines = "".join(json.dumps({"id": f"p-{a.id}", "title": a.title, "text": a.text, "published": a.published})
                    + "\n" for a in read_articles([seeds_dir]))
    cold = runner.invoke(main, ["check", "--index", str(four)], input=lines)
    warm = runner.invoke(main, ["check", "--index", str(four), "--warm"], input=lines)
    assert cold.exit_code == warm.exit_code == 0, warm.stderr
    assert warm.stdout == cold.stdout
    verdicts = {
        answer["id"]: (answer["verdict"], answer.get("of")) for answer in map(json.loads, cold.stdout.splitlines())
    }
    indexed = {a.id for a in read_articles([seeds_dir])} - {HELD_OUT}
    # each indexed seed is an exact copy of itself; the held-out rewrite is a new source for 002's story
    assert verdicts == {f"p-{i}": ("exact", i) for i in indexed} | {f"p-{HELD_OUT}": ("same_story", None)}


WRITER = """
import sys, time
from pathlib import Path
from dedupe import read_articles
from dedupe.index import open_index, update
original = update.save_derived
def stalled(*args):
    original(*args)
    Path(sys.argv[2]).write_text("writing")
    time.sleep(120)
update.save_derived = stalled
with open_index(sys.argv[1]) as index:
    update.add(index, list(read_articles([sys.argv[3]])))
"""


def test_killed_add_leaves_the_index_as_it_was(four: Path, seeds_dir: Path, tmp_path: Path) -> None:
    before = dump(four)
    marker = tmp_path / "marker"
    with stalled_writer(WRITER, marker, str(four), str(marker), str(seeds_dir)), open_index(four) as index:
        assert stats(index)["articles"] == 4  # readers work while the writer holds its transaction
        assert Checker(index).check(seed(seeds_dir, HELD_OUT))["verdict"] == "same_story"
    assert dump(four) == before
    with open_index(four) as index:
        assert add(index, list(read_articles([seeds_dir]))).added == (HELD_OUT,)


def test_a_running_checker_sees_a_committed_add(seeds_dir: Path, tmp_path: Path) -> None:
    articles = list(read_articles([seeds_dir]))
    path = tmp_path / "three.db"
    with create(path, CONFIG) as index:
        add(index, [a for a in articles if a.id in {"000_5d8222f6e0b2183f", "001_fafa6f8612fe896a",
                                                    "004_350e1cf566aa1f74"}])
    rewrite = seed(seeds_dir, HELD_OUT)
    with open_index(path) as reader, open_index(path) as writer:
        checker = Checker(reader)
        assert checker.check(rewrite)["verdict"] == "new_story"
        before = checker.stories
        add(writer, [seed(seeds_dir, "002_e6b19a311c7cd973")])
        answer = checker.check(rewrite)
        assert (answer["verdict"], answer["candidates"][0]["id"]) == ("same_story", "002_e6b19a311c7cd973")
        assert checker.stories is not before  # furniture, frequencies and profiles were read again
        assert checker.stories.documents == 4
