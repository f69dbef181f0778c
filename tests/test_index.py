"""The incremental index gives the batch answers: built at once or in batches, exported like `dedupe run`."""

from __future__ import annotations

import json
import random
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import corpus_file

from dedupe import Config, read_articles, run
from dedupe.cli import main
from dedupe.index import add, create, open_index, stored_result
from dedupe.types import Article

CONFIG = Config(workers=1)


def dump(path: Path) -> list[tuple]:
    """Every row of every table of an index, in a fixed order (to compare states)."""
    with sqlite3.connect(path) as db:
        tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return [(t, *row) for t in tables for row in sorted(db.execute(f"SELECT * FROM {t}"), key=repr)]


def partition(clusters) -> list[tuple[str, ...]]:
    return sorted(tuple(c.members) for c in clusters)


def build_in_batches(path: Path, articles: list[Article], sizes: list[int], config: Config = CONFIG) -> list:
    """Add the articles in consecutive batches of the given sizes; return the add reports."""
    reports, start = [], 0
    with create(path, config) as index:
        for size in sizes:
            reports.append(add(index, articles[start : start + size]))
            start += size
    return reports


def test_seeds_in_one_go_and_in_batches_match_batch(seeds_dir: Path, tmp_path: Path) -> None:
    articles = list(read_articles([seeds_dir]))
    want = partition(run(articles, CONFIG).clusters)
    shuffled = random.Random(3).sample(articles, len(articles))
    for name, sizes in (("once", [5]), ("ones", [1] * 5), ("split", [2, 3])):
        build_in_batches(tmp_path / f"{name}.db", shuffled, sizes)
        with open_index(tmp_path / f"{name}.db") as index:
            assert partition(stored_result(index).clusters) == want, name


@pytest.mark.corpus
@pytest.mark.parametrize("config", [CONFIG, replace(CONFIG, max_candidates=3, capped_size=0)], ids=["default", "cap3"])
def test_shared_corpus_in_batches_matches_batch(tmp_path: Path, config: Config) -> None:
    articles = list(read_articles([corpus_file("ecbplus_dev")]))[:150]
    batch = run(articles, config)
    reports = build_in_batches(tmp_path / "ecb.db", articles[::-1], [50, 50, 50], config)
    with open_index(tmp_path / "ecb.db") as index:
        got = stored_result(index)
    assert partition(got.clusters) == partition(batch.clusters)
    assert [s["story_id"] for s in got.extras["stories"]] == [s.story_id for s in batch.extras["stories"]]
    assert any(r.events for r in reports[1:])  # later batches did merge stories: the ids rule was exercised


def test_export_writes_what_run_writes(runner: CliRunner, seeds_dir: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "seeds.db")
    first = runner.invoke(main, ["index", "build", str(seeds_dir / "000_5d8222f6e0b2183f.txt"),
                                 str(seeds_dir / "003_577a2c13b403c901.txt"), "--index", db, "--workers", "1"])
    assert first.exit_code == 0, first.stderr
    assert "batch 1: added 2 articles, 0 already indexed" in first.stderr
    again = runner.invoke(main, ["index", "add", str(seeds_dir), "--index", db])
    assert again.exit_code == 0, again.stderr
    assert "batch 2: added 3 articles, 2 already indexed; 4 stories" in again.stderr
    assert runner.invoke(main, ["index", "export", "--index", db, "-o", str(tmp_path / "exp"), "-q"]).exit_code == 0
    assert runner.invoke(main, ["run", str(seeds_dir), "-o", str(tmp_path / "run"), "-q"]).exit_code == 0
    written = sorted(p.name for p in (tmp_path / "run").iterdir())
    assert sorted(p.name for p in (tmp_path / "exp").iterdir()) == sorted([*written, "story_ids.jsonl"])
    for name in written:
        if name != "summary.json":
            assert (tmp_path / "exp" / name).read_bytes() == (tmp_path / "run" / name).read_bytes(), name
    summaries = [json.loads((tmp_path / d / "summary.json").read_text()) for d in ("exp", "run")]
    assert [{k: v for k, v in s.items() if k != "seconds"} for s in summaries] == [
        {k: v for k, v in summaries[1].items() if k != "seconds"}] * 2
    ids = [json.loads(line) for line in (tmp_path / "exp" / "story_ids.jsonl").read_text().splitlines()]
    assert [r["story"] for r in ids] == ["S000001", "S000002", "S000003", "S000004"]
    assert ids[1]["members"] == ["002_e6b19a311c7cd973", "003_577a2c13b403c901"]  # 003 came first: S000002 kept


def test_readding_changes_nothing(seeds_dir: Path, tmp_path: Path) -> None:
    articles = list(read_articles([seeds_dir]))
    path = tmp_path / "seeds.db"
    build_in_batches(path, articles, [5])
    before = dump(path)
    with open_index(path) as index:
        report = add(index, articles[::-1])
    assert (report.batch, report.added, report.skipped) == (0, (), 5)
    assert dump(path) == before


def test_same_id_other_content_is_refused(runner: CliRunner, seeds_dir: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "seeds.db")
    assert runner.invoke(main, ["index", "build", str(seeds_dir), "--index", db, "-q"]).exit_code == 0
    before = dump(Path(db))
    changed = tmp_path / "changed.jsonl"
    changed.write_text(json.dumps({"id": "002_e6b19a311c7cd973", "text": "Something else entirely."}) + "\n")
    result = runner.invoke(main, ["index", "add", str(changed), "--index", db])
    assert result.exit_code == 3
    assert "id '002_e6b19a311c7cd973' is already in the index with other content" in result.stderr
    assert dump(Path(db)) == before


def test_index_file_errors(runner: CliRunner, seeds_dir: Path, tmp_path: Path) -> None:
    missing = runner.invoke(main, ["index", "stats", "--index", str(tmp_path / "none.db")])
    assert missing.exit_code == 6
    assert "no index file here" in missing.stderr
    junk = tmp_path / "junk.db"
    junk.write_text("not sqlite at all, just some text that is long enough to be a header" * 20)
    not_index = runner.invoke(main, ["index", "stats", "--index", str(junk)])
    assert (not_index.exit_code, not_index.stdout) == (6, "")
    assert not_index.stderr == (f"Error: {junk}: not a dedupe index (file is not a database). "
                                "Fix: give the file written by `dedupe index build`.\n")
    db = str(tmp_path / "seeds.db")
    assert runner.invoke(main, ["index", "build", str(seeds_dir), "--index", db, "-q"]).exit_code == 0
    before = dump(Path(db))
    exists = runner.invoke(main, ["index", "build", str(seeds_dir), "--index", db])
    assert exists.exit_code == 6
    assert "the index file already exists" in exists.stderr
    assert dump(Path(db)) == before  # refusing to build over an index leaves it whole (it deleted it before)
    (tmp_path / "nw.toml").write_text("neighbour_weight = 2\n", encoding="utf-8")
    batch_only = runner.invoke(main, ["index", "build", str(seeds_dir), "--index", db, "--config",
                                      str(tmp_path / "nw.toml")])
    assert batch_only.exit_code == 4 and "'neighbour_weight' must be 0" in batch_only.stderr
    assert dump(Path(db)) == before


def test_stats(runner: CliRunner, seeds_dir: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "seeds.db")
    assert runner.invoke(main, ["index", "build", str(seeds_dir), "--index", db, "-q"]).exit_code == 0
    data = json.loads(runner.invoke(main, ["index", "stats", "--index", db, "--json"]).stdout)
    assert data["articles"] == 5
    assert data["stories"] == {"total": 4, "by_size": {"1": 3, "2": 1}}
    assert data["batches"] == 1 and data["merges"] == data["splits"] == 0
    text = runner.invoke(main, ["index", "stats", "--index", db]).stdout
    assert "articles: 5 in 1 batches" in text
    assert "stories:  4 (3 of 1, 1 of 2)" in text


def test_interrupted_build_leaves_no_file(runner: CliRunner, seeds_dir: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(index, articles, *args):
        index.db.execute("INSERT INTO meta (key, value) VALUES ('x', '1')")  # the file exists by now
        raise KeyboardInterrupt

    monkeypatch.setattr("dedupe.cli.index.add", interrupted)
    result = runner.invoke(main, ["index", "build", str(seeds_dir), "--index", str(tmp_path / "x.db")])
    assert (result.exit_code, result.stdout) == (130, "")
    assert result.stderr == "Interrupted (Ctrl-C): stopped before writing any output.\n"
    assert not list(tmp_path.glob("x.db*"))


def test_every_index_command_is_documented() -> None:
    from conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Incremental index", 1)[1].split("\n## ", 1)[0]
    index_group = main.commands["index"]
    for name in index_group.commands:  # type: ignore[attr-defined]
        assert f"`dedupe index {name} " in section, name
    assert "`dedupe check [ARTICLE...] --index FILE [--candidates K] [--warm]`" in section


def test_an_index_stored_without_copy_weight_keeps_its_clusters(seeds_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with create(path, CONFIG) as index:
        assert index.config.copy_weight == CONFIG.copy_weight == 1.0  # a new index holds the setting
        stored = index.meta("config")
        del stored["copy_weight"]  # as written by a version without the setting
        with index.writing():
            index.set_meta(config=stored)
    with open_index(path) as index:
        assert index.config.copy_weight == 0.0
        assert replace(index.config, copy_weight=1.0) == CONFIG
