"""An index records the content-term rules its weights follow; a check refuses older ones, an add redoes them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from test_index import CONFIG

from dedupe import read_articles
from dedupe.cli import main
from dedupe.errors import IndexFileError
from dedupe.index import add, add_fast, create, open_index
from dedupe.index.check import Checker
from dedupe.profile import TERMS_VERSION


def _indexed(tmp_path: Path, seeds_dir: Path, count: int) -> tuple[Path, list]:
    """An index of the first ``count`` seeds, and all the seeds."""
    articles = list(read_articles([seeds_dir]))
    path = tmp_path / "s.db"
    with create(path, CONFIG) as index:
        add(index, articles[:count])
    return path, articles


def _as_older_terms(path: Path) -> None:
    """Make the index look built before the ``terms`` meta key existed (version 1)."""
    with open_index(path) as index, index.writing():
        index.db.execute("DELETE FROM meta WHERE key = 'terms'")


def test_a_new_index_records_the_current_rules(tmp_path: Path, seeds_dir: Path) -> None:
    path, _ = _indexed(tmp_path, seeds_dir, 3)
    with open_index(path) as index:
        assert index.terms_version() == TERMS_VERSION
    _as_older_terms(path)
    with open_index(path) as index:
        assert index.terms_version() == 1


def test_check_refuses_older_weights_and_names_the_fix(tmp_path: Path, seeds_dir: Path) -> None:
    path, articles = _indexed(tmp_path, seeds_dir, 3)
    _as_older_terms(path)
    with open_index(path) as index, pytest.raises(IndexFileError) as refused:
        Checker(index).check(articles[4])
    assert "content-term rules version 1" in refused.value.message
    assert f"dedupe index refresh --index {path}" in (refused.value.hint or "")
    result = CliRunner().invoke(main, ["check", str(seeds_dir / f"{articles[4].id}.txt"), "--index", str(path)])
    assert result.exit_code == IndexFileError.exit_code
    assert "index refresh" in result.output and str(path) in result.output


def test_refresh_brings_the_weights_up_to_date(tmp_path: Path, seeds_dir: Path) -> None:
    path, articles = _indexed(tmp_path, seeds_dir, 3)
    _as_older_terms(path)
    result = CliRunner().invoke(main, ["index", "refresh", "--index", str(path), "-q"])
    assert result.exit_code == 0, result.output
    with open_index(path) as index:
        assert index.terms_version() == TERMS_VERSION
        assert Checker(index).check(articles[4])["verdict"] != "indexed"


def test_a_fast_add_to_older_weights_is_made_exact(tmp_path: Path, seeds_dir: Path) -> None:
    path, articles = _indexed(tmp_path, seeds_dir, 3)
    _as_older_terms(path)
    with open_index(path) as index:
        report = add_fast(index, articles[3:])
        assert report.exact and index.terms_version() == TERMS_VERSION
    (tmp_path / "b").mkdir()
    fresh, _ = _indexed(tmp_path / "b", seeds_dir, 3)
    with open_index(fresh) as index:
        assert not add_fast(index, articles[3:]).exact
