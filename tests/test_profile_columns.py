"""Profiles held column-wise read back exactly as the profile objects they replace."""

from __future__ import annotations

import datetime as dt
import gc
import weakref
from itertools import islice

from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import read_articles
from dedupe.match import prepare_fields
from dedupe.profile import (
    ProfileBuilder,
    _dates,
    count_values,
    profile_of,
    profile_source,
    rarities,
    sizes_only,
)
from dedupe.profilecolumns import (
    CodeColumn,
    ProfileColumns,
    TextColumn,
    day_ordinals,
    field_of,
)
from dedupe.types import Article

_TEXT = st.text(st.characters(codec="utf-8") | st.sampled_from(["\ud800", "\udfff", "é", "\n"]), max_size=12)


@settings(max_examples=80, deadline=None)
@given(st.lists(_TEXT, max_size=20))
def test_text_column_gives_back_each_string(texts):
    column = TextColumn()
    for text in texts:
        column.append(text)
    assert [column[row] for row in range(len(column))] == texts


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(_TEXT, max_size=5), max_size=20))
def test_code_column_gives_back_each_run_in_order_and_numbers_each_string_once(runs):
    column = CodeColumn()
    for run in runs:
        column.append(run)
    assert [column.strings(row) for row in range(len(column))] == runs
    assert len(column.values) == len(set(column.values)) == len({text for run in runs for text in run})
    assert all(column.first(row) == run[0] for row, run in enumerate(runs) if run)


@given(st.lists(st.none() | st.dates(min_value=dt.date(1, 1, 1)), max_size=10))
def test_days_round_trip_through_ordinals(days):
    assert [dt.date.fromordinal(n) if n else None for n in day_ordinals(days)] == days


def _check_light_profiles(articles: list[Article]) -> ProfileColumns:
    """Assert that the builder's column-wise profiles equal those built one by one, field by field."""
    cleaned, fields = prepare_fields(articles)
    builder = ProfileBuilder()
    for article in cleaned:
        builder.add(profile_source(article, fields[article.id]))
    table = builder.table(cleaned)
    light = table.light
    assert isinstance(light, ProfileColumns) and list(light) == [a.id for a in cleaned]
    numbers = rarities([count_values(fields[a.id]) for a in cleaned])
    for row, article in enumerate(cleaned):
        want = profile_of(article, fields[article.id], dict(table.terms.row(row)), dict(table.names.row(row)),
                          numbers[row])
        got = light[article.id]
        assert got == want and table[article.id] == want
        assert list(got.numbers.items()) == list(want.numbers.items())  # the same order
        assert got.dates == _dates(fields[article.id]) and table.row(article.id) == row
    for field in ("headline", "day", "numbers", "dates", "outlet", "place"):
        assert list(field_of(light, light, field)) == [getattr(light[i], field) for i in light]
        assert list(field_of(dict(light.items()), light, field)) == list(field_of(light, light, field))
    return light


def test_light_profiles_of_the_seeds_equal_the_profiles_built_one_by_one(seeds_dir):
    _check_light_profiles(list(read_articles([seeds_dir])))


def test_light_profiles_with_dates_and_counts_equal_the_profiles_built_one_by_one(shared_data):
    light = _check_light_profiles(list(islice(read_articles([shared_data / "gva_incidents_dev" / "data.jsonl"]), 200)))
    assert sum(1 for p in light.values() if p.numbers) > 20 and sum(1 for p in light.values() if p.dates) > 20
    assert sum(1 for p in light.values() if p.day) > 20


def test_column_profiles_are_freed_without_the_cyclic_collector(seeds_dir):
    # a run pauses cyclic collection: a reference cycle would keep every profile column until the run ends
    light = _check_light_profiles(list(read_articles([seeds_dir])))
    gone = weakref.ref(light.kept)
    gc.disable()
    try:
        del light
        assert gone() is None
    finally:
        gc.enable()


def _seed_table(seeds_dir):
    """The seeds' profile table as a run builds it."""
    cleaned, fields = prepare_fields(list(read_articles([seeds_dir])))
    builder = ProfileBuilder()
    for article in cleaned:
        builder.add(profile_source(article, fields[article.id]))
    return builder.table(cleaned)


def test_sizes_only_keeps_every_row_s_size_and_the_other_fields_and_frees_the_weights(seeds_dir):
    table = _seed_table(seeds_dir)
    slim = sizes_only(table)
    for article_id in table:
        before, after = table.light[article_id], slim.light[article_id]
        assert len(after.terms) == len(before.terms) > 0
        assert dict(after.names.items()) == dict(before.names.items())
        assert (after.headline, after.dates, after.numbers) == (before.headline, before.dates, before.numbers)
    assert slim.names is table.names and len(table.terms.terms) > 0  # the old table is left as it was
    gone = weakref.ref(table.terms.matrix)
    gc.disable()  # as in a run: freed by reference counting alone
    try:
        del table, before, after
        assert gone() is None
    finally:
        gc.enable()


def test_sizes_only_leaves_a_plain_mapping_as_it_is() -> None:
    profiles: dict = {}
    assert sizes_only(profiles) is profiles
