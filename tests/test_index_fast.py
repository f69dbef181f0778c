"""`index add --fast` places articles as `check` does; `index refresh` brings back the batch answer."""

from __future__ import annotations

import gc
import json
import os
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from conftest import corpus_file
from test_index import CONFIG, dump, partition

from dedupe import read_articles, run
from dedupe.cli import main
from dedupe.engine import LocalEngine
from dedupe.errors import DuplicateIdError
from dedupe.index import (
    add,
    add_fast,
    addwork,
    create,
    fast,
    open_index,
    stats,
    stored_result,
)
from dedupe.index.fast import worth_warming
from dedupe.index.headline_check import HeadlineMemory
from dedupe.index.memory import HeadMemory
from dedupe.types import Article

HELD_OUT = "003_577a2c13b403c901"


def test_fast_add_places_rewrites_and_copies(seeds_dir: Path, tmp_path: Path) -> None:
    articles = list(read_articles([seeds_dir]))
    original = next(a for a in articles if a.id == "002_e6b19a311c7cd973")
    path = tmp_path / "fast.db"
    with create(path, CONFIG) as index:
        add(index, [a for a in articles if a.id != HELD_OUT])
        before = {c.members: c for c in stored_result(index).clusters}
        story = index.db.execute("SELECT story FROM members WHERE id = ?", (original.id,)).fetchone()[0]
        copy = replace(original, id="zz-copy", text=original.text.upper())
        report = add_fast(index, [copy, *articles])
        assert (report.added, report.skipped, report.events) == ((HELD_OUT, "zz-copy"), 4, ())
        rows = dict(index.db.execute("SELECT id, story FROM members").fetchall())
        assert rows[HELD_OUT] == rows["zz-copy"] == story
        after = stored_result(index)
        assert stats(index)["exact"] is False
    grown = next(c for c in after.clusters if original.id in c.members)
    assert grown.members == (original.id, HELD_OUT, "zz-copy")
    assert {(e.a, e.b, e.relation) for e in grown.edges} >= {(original.id, "zz-copy", "exact"),
                                                            (original.id, HELD_OUT, "same_story")}
    untouched = [c for c in after.clusters if original.id not in c.members]
    assert all(before[c.members] == c for c in untouched)
    assert after.summary["articles"]["clustered"] == 6
    snapshot = dump(path)
    with open_index(path) as index:
        assert add_fast(index, articles).added == ()
    assert dump(path) == snapshot


def test_refresh_gives_the_batch_answer(runner: CliRunner, seeds_dir: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "seeds.db")
    files = sorted(str(p) for p in seeds_dir.iterdir())
    assert runner.invoke(main, ["index", "build", *files[:2], "--index", db, "-q"]).exit_code == 0
    fast = runner.invoke(main, ["index", "add", *files[2:], "--index", db, "--fast", "--refresh-share", "1"])
    assert fast.exit_code == 0, fast.stderr
    assert "batch 2: added 3 articles" in fast.stderr and "placed (approximate)" in fast.stderr
    assert "approximate (add --fast placed 3 articles)" in runner.invoke(main, ["index", "stats", "--index", db]).stdout
    refreshed = runner.invoke(main, ["index", "refresh", "--index", db])
    assert refreshed.exit_code == 0, refreshed.stderr
    data = json.loads(runner.invoke(main, ["index", "stats", "--index", db, "--json"]).stdout)
    assert data["exact"] is True and data["placed"] == 0 and data["batches"] == 3
    with open_index(db) as index:
        assert partition(stored_result(index).clusters) == partition(run(list(read_articles([seeds_dir])),
                                                                         CONFIG).clusters)


def test_fast_add_refuses_a_repeated_id(seeds_dir: Path, tmp_path: Path) -> None:
    articles = list(read_articles([seeds_dir]))
    path = tmp_path / "fast.db"
    with create(path, CONFIG) as index:
        add(index, articles[:2])
    snapshot = dump(path)
    with open_index(path) as index, pytest.raises(DuplicateIdError):
        add_fast(index, [articles[3], replace(articles[3], text="Other words.")])
    assert dump(path) == snapshot


def test_fast_add_over_the_share_recomputes_exactly(seeds_dir: Path, tmp_path: Path) -> None:
    """``refresh_share`` bounds what ``--fast`` leaves approximate: an add that would place more than that
    share of the index (counting earlier placements) is an exact add, and gives the batch answer."""
    articles = list(read_articles([seeds_dir]))
    path = tmp_path / "share.db"
    with create(path, CONFIG) as index:
        add(index, articles[:3])
        before = partition(stored_result(index).clusters)
        placed = add_fast(index, [articles[3]], refresh_share=0.25)  # 1 of 4 placed: within the share
        assert placed.exact is False and stats(index)["exact"] is False
        old = {a.id for a in articles[:3]}  # the articles of the last exact add keep their partition
        kept = sorted(t for t in (tuple(m for m in c if m in old) for c in partition(stored_result(index).clusters))
                      if t)
        assert kept == before
        over = add_fast(index, [articles[4]], refresh_share=0.25)  # 2 of 5 would be placed: recompute
        assert over.exact is True and stats(index)["exact"] is True
        assert partition(stored_result(index).clusters) == partition(run(articles, CONFIG).clusters)
        assert add_fast(index, [articles[0]], refresh_share=0.0).added == ()  # nothing new: nothing to do


def _fast_state(source: Path, target: Path, articles: list, warm: bool,
                engine: LocalEngine | None = None) -> list[tuple]:
    """Every row of a copy of the index after ``add_fast`` of the articles (batch timings zeroed)."""
    target.write_bytes(source.read_bytes())
    with open_index(target) as index:
        report = add_fast(index, articles, warm=warm, engine=engine)
        assert report.added and report.exact is False
        index.db.execute("UPDATE batches SET seconds = 0")
        index.db.commit()
    return dump(target)


@pytest.mark.parametrize("corpus", ["seeds", "ecbplus_dev"])
def test_fast_add_warmed_writes_what_cold_writes(corpus: str, seeds_dir: Path, tmp_path: Path) -> None:
    """With every head read first, ``add --fast`` leaves the same index, row for row (memberships, stories
    and their facts, postings, frequencies, the merges/splits log), though each placed head changes what
    later placements of the same add read: the warmed memory is kept in step with what is written. So
    does an add whose fields are extracted by worker processes."""
    if corpus == "seeds":
        articles = list(read_articles([seeds_dir]))
        original = next(a for a in articles if a.id == "002_e6b19a311c7cd973")
        base, extra = articles[:2], [*articles[2:], replace(original, id="zz-copy", text=original.text.upper())]
    else:
        articles = list(read_articles([corpus_file(corpus)]))[:200]
        base, extra = articles[:100], articles[100:]
    with create(tmp_path / "base.db", CONFIG) as index:
        add(index, base)
    cold = _fast_state(tmp_path / "base.db", tmp_path / "cold.db", extra, warm=False)
    warm = _fast_state(tmp_path / "base.db", tmp_path / "warm.db", extra, warm=True)
    assert warm == cold
    workers = _fast_state(tmp_path / "base.db", tmp_path / "workers.db", extra, warm=True, engine=LocalEngine(2))
    assert workers == cold  # fields extracted in workers while the articles before them are placed
    members = {row[1:] for row in cold if row[0] == "members"}
    heads = {(story, head) for _, story, head in members}
    added = {a.id for a in extra}
    grown = {story for i, story, _ in members if i in added} & {story for i, story, _ in members if i not in added}
    assert grown, "no added article joined an indexed story"
    assert len({head for _, head in heads if head in added}) >= 2, "too few new heads to read back"


def test_workers_pack_the_profiles_they_weigh(seeds_dir: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """When the workers weigh the articles (every head read first, worker processes), they also pack the
    profile each new head stores: the main process packs none, and the index is the one an add packing
    them in the main process writes, row for row."""
    articles = list(read_articles([seeds_dir]))
    with create(tmp_path / "base.db", CONFIG) as index:
        add(index, articles[:2])
    cold = _fast_state(tmp_path / "base.db", tmp_path / "cold.db", articles[2:], warm=False)
    assert sum(row[0] == "profiles" for row in cold) > 2  # the add stored new heads
    packing: list[int] = []
    real = fast.profile_json
    monkeypatch.setattr(fast, "profile_json", lambda profile: packing.append(os.getpid()) or real(profile))
    workers = _fast_state(tmp_path / "base.db", tmp_path / "workers.db", articles[2:], warm=True,
                          engine=LocalEngine(2))
    assert workers == cold
    assert os.getpid() not in packing


def test_fast_add_warms_only_a_large_add(seeds_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Left to decide, ``add --fast`` reads every head first for at least one article per
    ``WARM_HEADS_PER_ARTICLE`` stored heads, and decodes heads on first use for fewer."""
    rule = fast.WARM_HEADS_PER_ARTICLE
    assert worth_warming(SimpleNamespace(count=lambda table: 8 * rule), 8)  # type: ignore[arg-type]
    assert not worth_warming(SimpleNamespace(count=lambda table: 8 * rule), 7)  # type: ignore[arg-type]
    warmed: list[int] = []
    real = HeadMemory.warm
    monkeypatch.setattr(HeadMemory, "warm", lambda self: warmed.append(1) or real(self))
    articles = list(read_articles([seeds_dir]))
    with create(tmp_path / "s.db", CONFIG) as index:
        add(index, articles[:1])
        heads = index.count("profiles")
        assert heads == 1 and not worth_warming(index, 0) and worth_warming(index, 1)
        add_fast(index, articles[1:3])
        assert warmed == [1]
        monkeypatch.setattr(fast, "WARM_HEADS_PER_ARTICLE", 1)  # the seeds hold too few heads for the real rule
        assert index.count("profiles") > 1 and not worth_warming(index, 1)
        add_fast(index, articles[3:4])
        assert warmed == [1]
        assert index.count("articles") == 4



def test_fast_add_reading_stories_first_writes_what_cold_writes(seeds_dir: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Left to decide, an add short of warming but with at least one article per
    ``READ_STORIES_PER_ARTICLE`` heads reads every article's story first, no head (each is read on first use:
    a placement scores only its ``max_candidates`` best), and writes what a cold add writes, row for row."""
    articles = list(read_articles([seeds_dir]))
    original = next(a for a in articles if a.id == "002_e6b19a311c7cd973")
    extra = [*articles[2:], replace(original, id="zz-copy", text=original.text.upper())]
    with create(tmp_path / "base.db", CONFIG) as index:
        add(index, articles[:2])
    cold = _fast_state(tmp_path / "base.db", tmp_path / "cold.db", extra, warm=False)
    read: list[str] = []
    heads, stories = HeadMemory.read_heads, HeadMemory.read_stories
    monkeypatch.setattr(HeadMemory, "read_heads", lambda self: read.append("heads") or heads(self))
    monkeypatch.setattr(HeadMemory, "read_stories", lambda self: read.append("stories") or stories(self))
    monkeypatch.setattr(fast, "WARM_HEADS_PER_ARTICLE", 0)  # never warm: the seeds hold few heads
    monkeypatch.setattr(fast, "READ_STORIES_PER_ARTICLE", 1)
    for engine in (None, LocalEngine(2)):
        assert _fast_state(tmp_path / "base.db", tmp_path / "first.db", extra, warm=None, engine=engine) == cold
        assert read == ["stories"]
        read.clear()
    monkeypatch.setattr(fast, "READ_STORIES_PER_ARTICLE", 0)
    assert _fast_state(tmp_path / "base.db", tmp_path / "late.db", extra, warm=None) == cold
    assert read == []

FURNITURE = "Sign up for our morning newsletter to get every story first."


def test_fast_add_remembers_a_headline_from_the_text_as_read(seeds_dir: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """An article whose text is only page furniture is not headline-only as read (batch and a reload judge
    the text as it came), though stripping the furniture leaves only its title: the headline memory
    ``add --fast`` keeps while placing must hold the headline-only heads a reload finds, no more."""
    pages = [Article(id=f"page-{n}", title=f"Council meeting {n}", published=f"2024-05-0{n}",
                     text=f"The council met on day {n} to discuss {topic}.\n\n{FURNITURE}")
             for n, topic in enumerate(["roads", "schools", "parks", "water", "housing"], start=1)]
    only_furniture = Article(id="zz-furniture", title="Harbour ferry strike ends", text=FURNITURE,
                             published="2024-05-06")
    headline = Article(id="zz-headline", title="Harbour ferry strike ends after talks", text="",
                       published="2024-05-06")
    kept: list[HeadlineMemory] = []
    plain = HeadlineMemory.remember

    def remember(self: HeadlineMemory, article: Article, placed: bool = False) -> None:
        kept.append(self)
        plain(self, article, placed)

    with create(tmp_path / "furniture.db", CONFIG) as index:
        add(index, [*read_articles([seeds_dir]), *pages])
        assert index.db.execute("SELECT COUNT(*) FROM furniture").fetchone()[0] == 1
        monkeypatch.setattr(HeadlineMemory, "remember", remember)
        add_fast(index, [only_furniture, headline])
        monkeypatch.undo()
        fresh = HeadlineMemory(index)
        fresh.load()
    [memory] = {id(m): m for m in kept}.values()
    assert memory.loaded and headline.id in fresh.articles and only_furniture.id not in fresh.articles
    assert set(memory.articles) == set(fresh.articles)


def test_fast_add_places_with_a_larger_page_cache_and_restores_it(seeds_dir: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """While placing, the index's connection has a larger page cache, as it was after; the file is not mapped
    in memory."""
    articles = list(read_articles([seeds_dir]))
    seen: list[tuple[int, int]] = []
    record = fast._record

    def pragmas(index) -> tuple[int, int]:
        return index.db.execute("PRAGMA cache_size").fetchone()[0], index.db.execute("PRAGMA mmap_size").fetchone()[0]

    def noted(index, *args, **kwargs):
        seen.append(pragmas(index))
        return record(index, *args, **kwargs)

    monkeypatch.setattr(fast, "_record", noted)
    with create(tmp_path / "fast.db", CONFIG) as index:
        add(index, articles[:2])
        before = pragmas(index)
        add_fast(index, articles[2:])
        assert seen and {cache for cache, _ in seen} == {-fast.PAGE_CACHE_KIB} != {before[0]}
        assert before[1] == 0 and {mapped for _, mapped in seen} == {0}
        assert pragmas(index) == before


def test_fast_add_reads_heads_first_and_places_without_collection(seeds_dir: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """With worker processes, ``add --fast`` reads every head before it awaits the first extraction (the
    workers extract meanwhile), places and records with cyclic garbage collection paused in the main
    process while the workers, forked before, collect as usual; collection resumes after, and the index is
    the one a cold add writes, row for row."""
    articles = list(read_articles([seeds_dir]))
    with create(tmp_path / "base.db", CONFIG) as index:
        add(index, articles[:2])
    cold = _fast_state(tmp_path / "base.db", tmp_path / "cold.db", articles[2:], warm=False)
    events: list[tuple[str, bool]] = []
    in_workers = tmp_path / "workers.txt"
    record, ahead, work, read_heads = fast._record, fast.work_ahead, addwork.work, HeadMemory.read_heads

    def recording(*args, **kwargs):
        events.append(("record", gc.isenabled()))
        return record(*args, **kwargs)

    def working(pairs, *args, **kwargs):
        with in_workers.open("a") as out:
            out.write(f"{os.getpid()} {gc.isenabled()}\n")
        return work(pairs, *args, **kwargs)

    @contextmanager
    def watched(*args, **kwargs):
        with ahead(*args, **kwargs) as (cleaned, worked, pool):
            def results():
                for item in worked:
                    events.append(("result", gc.isenabled()))
                    yield item
            yield cleaned, results(), pool

    monkeypatch.setattr(
        HeadMemory, "read_heads", lambda self: events.append(("heads", gc.isenabled())) or read_heads(self)
    )
    monkeypatch.setattr(fast, "_record", recording)
    monkeypatch.setattr(fast, "work_ahead", watched)
    monkeypatch.setattr(addwork, "work", working)
    assert gc.isenabled()
    assert _fast_state(tmp_path / "base.db", tmp_path / "workers.db", articles[2:], warm=True,
                       engine=LocalEngine(2)) == cold
    assert gc.isenabled()
    assert [name for name, _ in events[:2]] == ["heads", "result"] and "record" in dict(events)
    assert not any(enabled for _, enabled in events)
    lines = [line.split() for line in in_workers.read_text().splitlines()]
    assert lines and str(os.getpid()) not in {pid for pid, _ in lines} and {on for _, on in lines} == {"True"}


def test_workers_strip_the_articles(seeds_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With worker processes, the articles are stripped of furniture (and repeated paragraphs) in the workers,
    never in the main process, which places each with the stripped text its worker hands back: the index is
    the one a cold add (stripping in the main process) writes, row for row, an article that loses a repeated
    paragraph included."""
    articles = list(read_articles([seeds_dir]))
    first, other = articles[3], articles[4]
    lead = first.text.split("\n\n")[0]
    repeated = replace(first, id="zz-repeat", text=f"{lead}\n\n{other.text}\n\n{lead}")
    extra = [*articles[2:], repeated]
    with create(tmp_path / "base.db", CONFIG) as index:
        add(index, articles[:2])
    cold = _fast_state(tmp_path / "base.db", tmp_path / "cold.db", extra, warm=False)
    stripping = tmp_path / "stripping.txt"
    strip = addwork.strip_boilerplate

    def noted(article, furniture):
        stripped = strip(article, furniture)
        with stripping.open("a") as out:
            out.write(f"{os.getpid()} {article.id} {stripped is not article}\n")
        return stripped

    monkeypatch.setattr(addwork, "strip_boilerplate", noted)
    assert _fast_state(tmp_path / "base.db", tmp_path / "workers.db", extra, warm=True,
                       engine=LocalEngine(2)) == cold
    lines = [line.split() for line in stripping.read_text().splitlines()]
    assert {article_id for _, article_id, _ in lines} == {a.id for a in extra}
    assert str(os.getpid()) not in {pid for pid, _, _ in lines}
    assert ["zz-repeat", "True"] in [line[1:] for line in lines]


def test_workers_skip_extracting_copies_of_indexed_articles(seeds_dir: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A forked worker does not extract an article that is an exact or near-duplicate copy of an article indexed
    before the add (the placement finds it a copy, and a copy keeps no fields or profile); a copy of an article
    of the same add, or anything else, is extracted. The index is the one an add extracting every article
    writes, row for row."""
    articles = list(read_articles([seeds_dir]))
    original = next(a for a in articles if a.id == "002_e6b19a311c7cd973")
    base = [a for a in articles if a.id != HELD_OUT]
    held = next(a for a in articles if a.id == HELD_OUT)
    words = original.text.split()
    near = " ".join(words[:-1] + ["tomorrow."])  # one word changed at the end: a near-duplicate
    held_words = held.text.split()
    extra = [held, replace(original, id="000-first", text=original.text.lower()),
             replace(original, id="zz-copy", text=original.text.upper()), replace(original, id="zz-near", text=near),
             replace(held, id="zz-held-copy", text=held.text.upper()),
             replace(held, id="zz-held-near", text=" ".join(held_words[:-1] + ["tomorrow."]))]
    with create(tmp_path / "base.db", CONFIG) as index:
        add(index, base)
    cold = _fast_state(tmp_path / "base.db", tmp_path / "cold.db", extra, warm=False)
    extracted = tmp_path / "extracted.txt"
    real = addwork.extract_all

    def noting(cleaned, *args, **kwargs):
        with extracted.open("a") as out:
            out.writelines(f"{a.id}\n" for a in cleaned)
        return real(cleaned, *args, **kwargs)

    monkeypatch.setattr(addwork, "extract_all", noting)
    workers = _fast_state(tmp_path / "base.db", tmp_path / "workers.db", extra, warm=True, engine=LocalEngine(2))
    assert workers == cold
    made = {a.id for a in extra} - {HELD_OUT}
    copies = {row[1]: row[3] for row in workers if row[0] == "members" and row[1] in made}
    assert copies == {"000-first": original.id, "zz-copy": original.id, "zz-near": original.id,
                      "zz-held-copy": HELD_OUT, "zz-held-near": HELD_OUT}
    clusters = [json.loads(row[3]) for row in workers if row[0] == "stories"]
    edges = {(e["a"], e["b"], e["relation"]) for c in clusters for e in c["edges"]}
    assert ("000-first", "zz-copy", "exact") in edges  # the smaller id of two exact copies, one new, one indexed
    assert sorted(extracted.read_text().split()) == sorted([HELD_OUT, "zz-held-copy", "zz-held-near"])


def test_a_parts_candidates_are_read_before_it_is_placed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An add reading heads on first use (every story read first) splits each part's articles' candidates as
    the cap does and reads the heads they keep for the whole part at once, before placing it: a placement then
    reads a head only when a head placed since changed its split; each placement splits its candidates again
    only then. The index is the one a cold add writes, row for row."""
    from dedupe.index import memory, story_check

    articles = list(read_articles([corpus_file("ecbplus_dev")]))[:200]
    with create(tmp_path / "base.db", CONFIG) as index:
        add(index, articles[:100])
    extra = articles[100:]
    cold = _fast_state(tmp_path / "base.db", tmp_path / "cold.db", extra, warm=False)
    monkeypatch.setattr(fast, "WARM_HEADS_PER_ARTICLE", 0)  # never warm
    monkeypatch.setattr(fast, "READ_STORIES_PER_ARTICLE", 1)  # every story first, heads on first use
    monkeypatch.setattr(fast, "_PART", 16)
    reads: list[str] = []
    splits: list[str] = []
    placing = [False]
    real_read, real_split, real_place = memory.read_some, story_check.capped_split, fast.Checker.place

    def read(index, ids):
        reads.append("placing" if placing[0] else "part")
        return real_read(index, ids)

    def split(held, cap):
        splits.append("placing" if placing[0] else "part")
        return real_split(held, cap)

    def place(self, *args, **kwargs):
        placing[0] = True
        try:
            return real_place(self, *args, **kwargs)
        finally:
            placing[0] = False

    monkeypatch.setattr(memory, "read_some", read)
    monkeypatch.setattr(story_check, "capped_split", split)
    monkeypatch.setattr(fast.Checker, "place", place)
    assert _fast_state(tmp_path / "base.db", tmp_path / "parts.db", extra, warm=None) == cold
    parts = -(-len(extra) // 16)
    assert 0 < reads.count("part") <= parts
    assert reads.count("placing") <= splits.count("placing")  # only after a head placed since changed a split
    assert 0 < splits.count("placing") < splits.count("part")  # some placements take the part's split


def test_a_split_kept_is_taken_until_a_head_taken_in_holds_one_of_its_keys(seeds_dir: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """``StoryChecker.ranked(keep=True)`` keeps the article's split for its next call, which takes it without
    splitting again, unless a head the memory took in since holds one of the keys the split read; a head
    holding none of them (or only keys held too widely to be read) changes nothing."""
    from dedupe.index import story_check
    from dedupe.index.story_check import StoryChecker

    articles = list(read_articles([seeds_dir]))
    held_out = articles.pop(2)  # seed 002: with max_block 2, one of its keys is held too widely to be read
    with create(tmp_path / "base.db", replace(CONFIG, max_block=2)) as index:
        add(index, articles)
    with open_index(tmp_path / "base.db") as index:
        checker = StoryChecker(index, index.config)
        profile = checker.profile(held_out)[0]
        keys = checker.keyed.get(profile.article_id) or story_check.salient_keys(profile, index.config.block_keys)
        first = checker.ranked(profile, keep=True)
        calls: list[int] = []
        real = story_check.capped_split
        monkeypatch.setattr(story_check, "capped_split", lambda held, cap: calls.append(1) or real(held, cap))
        assert checker.ranked(profile) is first and calls == []  # taken
        assert checker.ranked(profile) == first and calls == [1]  # taken once only
        checker.ranked(profile, keep=True)
        checker.memory._taken_keys.append(["zz-no-such-key"])  # a head taken in, holding none of its keys
        assert checker.ranked(profile) == first and calls == [1, 1]
        held = checker.memory.postings(keys, index.config.max_block)
        crowded = [key for key in keys if key not in held]
        assert crowded  # a key held by max_block heads or more: left out, as it stays whatever heads are taken in
        checker.ranked(profile, keep=True)
        checker.memory._taken_keys.append([crowded[0]])
        assert checker.ranked(profile) == first and calls == [1, 1, 1]
        calls.pop()
        checker.ranked(profile, keep=True)
        checker.memory._taken_keys.append([next(iter(held))])  # one holding a key the split read
        assert checker.ranked(profile) == first and calls == [1, 1, 1, 1]
