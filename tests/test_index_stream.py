"""An exact add stores, as it streams, what the batch pipeline with every detail kept would give."""

from __future__ import annotations

import sqlite3
from collections import Counter
from functools import cache, partial
from pathlib import Path

import pytest
from conftest import corpus_file
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_index import CONFIG

from dedupe import read_articles, run
from dedupe.engine import LocalEngine
from dedupe.fieldstream import extract_encoded
from dedupe.furniture import count_furniture, strip_boilerplate
from dedupe.index import add, create
from dedupe.index.cache import CachedEngine
from dedupe.index.codec import (
    article_key,
    fields_from,
    fields_json,
    profile_json,
    unpack,
)
from dedupe.index.headstore import KIND_OF
from dedupe.match import extract_all
from dedupe.types import Article


@cache
def forty() -> list[Article]:
    """The first 40 articles of a labelled corpus (the test is skipped without it)."""
    return list(read_articles([corpus_file("ecbplus_dev")]))[:40]


def stored(path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute(sql).fetchall()


def test_stored_profiles_and_frequencies_are_the_batch_profiles(seeds_dir: Path, tmp_path: Path) -> None:
    """The profiles stored while the run goes are those ``run`` keeps with details; each key's frequency is the
    number of stored profiles holding it (not the sum of its weights)."""
    articles = list(read_articles([seeds_dir]))
    with create(tmp_path / "i.db", CONFIG) as index:
        add(index, list(articles))
    profiles = run(articles, CONFIG).extras["profiles"]
    rows = stored(tmp_path / "i.db", "SELECT id, profile FROM profiles ORDER BY rowid")
    assert rows == [(pid, profile_json(profiles[pid])) for pid in sorted(profiles)]
    held: Counter[tuple[str, str]] = Counter()
    for profile in profiles.values():
        for kind in ("terms", "names", "numbers"):
            held.update((kind, key) for key in getattr(profile, kind))
    frequencies = stored(tmp_path / "i.db", "SELECT col, kind, term, n FROM frequencies ORDER BY col")
    assert {(KIND_OF[kind], term): n for _, kind, term, n in frequencies} == held
    assert [col for col, *_ in frequencies] == list(range(1, len(held) + 1))
    assert stored(tmp_path / "i.db", "SELECT value FROM meta WHERE key = 'documents'") == [(str(len(profiles)),)]


def test_an_add_keeps_the_fields_it_can_and_extracts_the_rest(seeds_dir: Path, tmp_path: Path) -> None:
    """A second add stores fields only for the new article (and any whose stripped text changed)."""
    articles = sorted(read_articles([seeds_dir]), key=lambda a: a.id)
    with create(tmp_path / "i.db", CONFIG) as index:
        add(index, articles[:4])
        before = dict(stored(tmp_path / "i.db", "SELECT id, fields FROM fields"))
        add(index, articles[4:])
    after = dict(stored(tmp_path / "i.db", "SELECT id, fields FROM fields"))
    assert set(after) == {a.id for a in articles}
    assert {i: after[i] for i in before} == before
    assert fields_from(after[articles[4].id]).article_id == articles[4].id


@pytest.mark.corpus
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kept=st.sets(st.integers(0, 39)), stale=st.sets(st.integers(0, 39)), window=st.sampled_from([1, 7, 64]))
def test_cached_extraction_answers_as_the_inner_engine(kept: set[int], stale: set[int], window: int,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the cache, ``extract_encoded`` and ``extract_all`` give what they give on a plain engine, whatever
    fields are stored (some under a stale key) and however the work is windowed; the fields handed to ``keep``
    are exactly those of the articles without usable stored fields, packed as the index stores them."""
    monkeypatch.setattr("dedupe.index.cache.WINDOW", window)
    articles = forty()
    furniture = count_furniture(articles)
    cleaned = [strip_boilerplate(a, furniture) for a in articles]
    plain = extract_all(cleaned)
    store = {cleaned[n].id: ("0" * 32 if n in stale else article_key(cleaned[n]), fields_json(plain[n]))
             for n in kept}
    kept_rows: list[tuple[str, str, bytes]] = []
    cache = CachedEngine(LocalEngine(1), stored=lambda ids: {i: store[i] for i in ids if i in store},
                         keep=kept_rows.extend)
    func = partial(extract_encoded, furniture)
    spans = [(0, 5), (5, 6), (6, 40)]
    assert list(cache.map_chunks(func, articles, spans)) == list(LocalEngine(1).map_chunks(func, articles, spans))
    fresh = [n for n in range(len(articles)) if n not in kept or n in stale]
    assert kept_rows == [(cleaned[n].id, article_key(cleaned[n]), fields_json(plain[n])) for n in fresh]
    kept_rows.clear()
    assert [f for chunk in cache.map_chunks(extract_all, cleaned) for f in chunk] == plain
    assert [row[0] for row in kept_rows] == [cleaned[n].id for n in fresh]


def test_stored_fields_read_back_equal(seeds_dir: Path) -> None:
    """What the cache decodes is what was stored: packed fields read back to equal fields."""
    for article in read_articles([seeds_dir]):
        fields = extract_all([article])[0]
        assert fields_from(fields_json(fields)) == fields
        assert unpack(fields_json(fields))["article_id"] == article.id


def test_cache_signs_what_it_has_not_seen(seeds_dir: Path) -> None:
    """Sketches not among the stored ones are computed and listed as new; the rows equal the plain engine's."""
    from dedupe.signatures import signature_matrix

    articles: list[Article] = list(read_articles([seeds_dir]))
    plain = signature_matrix(articles, 5, 128, 1)
    cache = CachedEngine(LocalEngine(1))
    cached = signature_matrix(articles, 5, 128, 1, engine=cache)
    assert (cached.hashvalues == plain.hashvalues).all() and (cached.exact == plain.exact).all()
    assert len(cache.new_sketches) == len({a.content for a in articles})
