"""The CLI's run reads its inputs as the run consumes them: no list of every article is held first."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import dedupe.cli.common
import dedupe.pipeline
from dedupe.cli import main
from dedupe.cli.common import read_input
from dedupe.engine import LocalEngine
from dedupe.errors import NoArticlesError
from dedupe.types import Article


def _options(path: Path, on_error: str = "fail") -> dict[str, object]:
    """The input options ``read_input`` reads, for one JSONL file and the default field names."""
    return {"inputs": (str(path),), "fmt": None, "on_error": on_error, "id_field": None, "text_field": None,
            "title_field": None, "source_field": None, "date_field": None, "url_field": None}


def _write(path: Path, records: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_a_lazy_read_yields_as_it_goes_and_fills_rejects_on_the_way(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.jsonl", [{"id": "a", "text": "one"}, {"id": "b"}, {"id": "c", "text": "two"}])
    articles, rejects = read_input(_options(path, "skip"), LocalEngine(1), lazy=True)
    assert not isinstance(articles, list) and rejects.read == 0
    iterator = iter(articles)
    assert next(iterator).id == "a" and rejects.read == 1
    assert [a.id for a in iterator] == ["c"] and (rejects.read, len(rejects)) == (3, 1)
    eager, _ = read_input(_options(path, "skip"), LocalEngine(1))
    assert [a.id for a in eager] == ["a", "c"]


def test_run_hands_the_reader_itself_to_the_pipeline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path / "a.jsonl", [{"id": "a", "text": "a storm hit the coast"}, {"id": "b", "text": "rain"}])
    yielded: list[str] = []
    read_before_prepare: list[int] = []
    real_read, real_prepare = dedupe.cli.common.read_articles, dedupe.pipeline.prepare

    def counting_read(*args: Any, **kwargs: Any) -> Iterator[Article]:
        for article in real_read(*args, **kwargs):
            yielded.append(article.id)
            yield article

    def noting_prepare(articles: Iterable[Article], spool: Any = None) -> tuple[Article, ...]:
        read_before_prepare.append(len(yielded))
        return real_prepare(articles, spool)

    monkeypatch.setattr(dedupe.cli.common, "read_articles", counting_read)
    monkeypatch.setattr(dedupe.pipeline, "prepare", noting_prepare)
    result = CliRunner().invoke(main, ["run", str(path), "-q", "--workers", "1", "--emit", "clusters"])
    assert result.exit_code == 0, result.output
    assert read_before_prepare == [0] and yielded == ["a", "b"]
    assert {a for line in result.output.splitlines() for a in json.loads(line)["members"]} == {"a", "b"}


def test_every_record_rejected_still_names_rejects_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.jsonl", [{"id": "a"}, {"id": "b"}])
    result = CliRunner().invoke(main, ["run", str(path), "-q", "--on-error", "skip", "-o", str(tmp_path / "out")])
    assert result.exit_code == NoArticlesError.exit_code
    assert "all 2 records were rejected" in result.output and (tmp_path / "out" / "rejects.jsonl").exists()
