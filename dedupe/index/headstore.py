"""The ``heads`` table: each head's comparison values as fixed-width bytes; ``index upgrade``, which writes it.

A head's terms, names and counts are stored as the ``col`` of each key's row in ``frequencies`` (int32)
and its weight (float64), the three kinds end to end in the profile dicts' order (``lengths`` says how
many of each); beside them its day's ordinal, the ``fsum`` of its counts' rarities, its headline and
place as written, its date starts, its people, lead first, and its principal then its headline's words (JSON). Reading
many heads is then a few ``b"".join`` and ``np.frombuffer`` calls (:func:`heads_from`), where decoding the stored
profiles (zlib, JSON, and mapping every key to a column) cost about 0.45 ms a head. Written beside every stored
profile, by ``add`` (:func:`write_all`), ``add --fast`` (:func:`write_one`) and ``index upgrade``.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
import orjson

from ..errors import IndexFileError
from ..profile import Profile
from .codec import dumps, profile_from
from .rows import Row
from .store import (
    FREQUENCIES,
    HEADS,
    POSTINGS_INDEX,
    SCHEMA_VERSION,
    UPGRADABLE,
    Index,
    lookup,
    open_any,
)

#: The weighted kinds of a head, each with its ``frequencies.kind`` letter, in their stored order.
KINDS = (("terms", "t"), ("names", "n"), ("numbers", "c"))
#: The weighted kind of each ``frequencies.kind`` letter.
KIND_OF = {letter: kind for kind, letter in KINDS}
_COLUMNS = np.dtype("<i4")
_WEIGHTS = np.dtype("<f8")
_SELECT = "SELECT id, day, total, headline, place, dates, lengths, columns, weights, people, principal FROM heads"
_INSERT = ("INSERT INTO heads (id, day, total, headline, place, dates, lengths, columns, weights, people, principal) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")

#: Columns of keys, by kind (``terms``, ``names``, ``numbers``) and key.
Columns = Mapping[str, Mapping[str, int]]


@dataclass(frozen=True)
class HeadRows:
    """Some heads' stored values, in order: ids, day ordinals (0: none), count rarity totals, headlines and
    places as written, date starts, each kind's row lengths and rows end to end (``rows[kind]``), people
    (lead first) and principals (then the headline's words)."""

    ids: list[str]
    days: np.ndarray
    totals: np.ndarray
    headlines: list[str]
    places: list[str]
    dates: list[list[str]]
    rows: dict[str, tuple[np.ndarray, Row]]
    people: list[tuple[str, ...]]
    principals: list[tuple[str, ...]]


def head_row(profile: Profile, columns: Columns) -> tuple:
    """The ``heads`` row of one profile, its keys' columns taken from ``columns``.

    Example: a profile with terms ``{"storm": .8, "coast": .6}`` (columns 4 and 9), no names or counts,
    stores lengths ``[2, 0, 0]``, columns ``[4, 9]`` and weights ``[.8, .6]``.
    """
    dicts = [getattr(profile, kind) for kind, _ in KINDS]
    lengths = np.array([len(d) for d in dicts], dtype=_COLUMNS)
    total = int(lengths.sum())
    keyed = np.fromiter((columns[kind][key] for (kind, _), d in zip(KINDS, dicts) for key in d), _COLUMNS, total)
    weights = np.fromiter(chain.from_iterable(d.values() for d in dicts), _WEIGHTS, total)
    return (profile.article_id, profile.day.toordinal() if profile.day else 0, math.fsum(profile.numbers.values()),
            profile.headline, profile.place, dumps(sorted(v.split("/")[0] for v in profile.dates)),
            lengths.tobytes(), keyed.tobytes(), weights.tobytes(), dumps(list(profile.people)),
            dumps(list(profile.principal)))


def heads_from(rows: Sequence[tuple]) -> HeadRows:
    """The heads of ``heads`` rows (as :data:`_SELECT` reads them), every kind's rows split out at once."""
    lengths = np.frombuffer(b"".join(r[6] for r in rows), _COLUMNS).reshape(len(rows), len(KINDS)).astype(np.int64)
    columns = np.frombuffer(b"".join(r[7] for r in rows), _COLUMNS)
    weights = np.frombuffer(b"".join(r[8] for r in rows), _WEIGHTS)
    kind_of = np.repeat(np.tile(np.arange(len(KINDS), dtype=np.int8), len(rows)), lengths.ravel())
    split = {}
    for n, (kind, _) in enumerate(KINDS):
        chosen = kind_of == n
        split[kind] = (lengths[:, n].copy(), Row(columns[chosen], weights[chosen]))
    return HeadRows([r[0] for r in rows], np.array([r[1] for r in rows], dtype=np.int64),
                    np.array([r[2] for r in rows], dtype=np.float64), [r[3] for r in rows], [r[4] for r in rows],
                    [orjson.loads(r[5]) for r in rows], split, [tuple(orjson.loads(r[9])) for r in rows],
                    [tuple(orjson.loads(r[10])) for r in rows])


def read_some(index: Index, ids: Sequence[str]) -> HeadRows:
    """The stored heads ``ids`` (those stored; in no particular order)."""
    return heads_from(lookup(index, _SELECT + " WHERE id IN ({})", ids))


def read_all(index: Index, chunk: int, skip: Container[str] = ()) -> Iterator[HeadRows]:
    """Every stored head but those ``skip`` holds, ``chunk`` rows at a time."""
    cursor = index.db.execute(_SELECT)
    while rows := cursor.fetchmany(chunk):
        yield heads_from([r for r in rows if r[0] not in skip])


def all_columns(index: Index) -> dict[str, dict[str, int]]:
    """The column of every key in ``frequencies``, by kind."""
    columns: dict[str, dict[str, int]] = {kind: {} for kind, _ in KINDS}
    for col, letter, term in index.db.execute("SELECT col, kind, term FROM frequencies"):
        columns[KIND_OF[letter]][term] = col
    return columns


def write_one(index: Index, profile: Profile, columns: Columns) -> HeadRows:
    """Store one new head's row, its keys' columns in ``columns``; the head as read back."""
    row = head_row(profile, columns)
    index.db.execute(_INSERT, row)
    return heads_from([row])


def write_all(index: Index, profiles: Iterable[Profile], columns: Columns) -> None:
    """Store the rows of many heads, their keys' columns in ``columns``."""
    index.db.executemany(_INSERT, (head_row(p, columns) for p in profiles))


# ``dedupe index upgrade``: convert an index of schema version 2 to 5 to the current one in place, in one transaction.
#
# Version 3 adds the ``heads`` table (:mod:`dedupe.index.headstore`) and a ``col`` to each ``frequencies``
# row; version 4 a ``people`` column to ``heads``; version 5 a ``principal`` column; version 6 indexes the
# postings by key and id (:data:`~dedupe.index.store.POSTINGS_INDEX`, no row changes). The upgrade keeps every
# other table as it is, rowids included (the version is updated in its meta row): each frequency row's ``col``
# is its old rowid (so the rows read in rowid order are unchanged, and later upserts number new terms as
# before), and each stored profile is decoded once to write its head's row. The people and principals of heads
# stored before the version that added them are left empty, as their stored profiles hold none: the index's
# config, written when it was built, has no comparison reading them. An index is refused (``IndexFileError``) when
# it is of another version; a process killed during the upgrade leaves the index as it was.
_CHUNK = 5_000  # profiles decoded and written at once


def upgrade(path: str | os.PathLike[str]) -> int:
    """Convert the index at ``path`` from version 2 to 5 (see the module docstring); the version it had (the
    current one: nothing done)."""
    index, version = open_any(path)
    with index:
        if version == SCHEMA_VERSION:
            return version
        if version not in UPGRADABLE:
            known = " or ".join(map(str, UPGRADABLE))
            raise IndexFileError(f"index schema version {version}: only version {known} can be upgraded.",
                                 file=str(index.path), hint="rebuild the index with `dedupe index build`.")
        with index.writing():
            if version == 2:
                _number_frequencies(index)
                _write_heads(index)
            elif version < 5:
                if version == 3:
                    index.db.execute("ALTER TABLE heads ADD COLUMN people TEXT NOT NULL DEFAULT '[]'")
                index.db.execute("ALTER TABLE heads ADD COLUMN principal TEXT NOT NULL DEFAULT '[]'")
            index.db.execute("DROP INDEX IF EXISTS postings_key")
            index.db.execute(POSTINGS_INDEX)
            index.db.execute("UPDATE meta SET value = ? WHERE key = 'version'", (json.dumps(SCHEMA_VERSION),))
    return version


def _number_frequencies(index: Index) -> None:
    """Rebuild ``frequencies`` with a ``col`` per row, its old rowid."""
    index.db.execute(FREQUENCIES.format(name="frequencies_numbered"))
    index.db.execute("INSERT INTO frequencies_numbered (col, kind, term, n) "
                     "SELECT rowid, kind, term, n FROM frequencies ORDER BY rowid")
    index.db.execute("DROP TABLE frequencies")
    index.db.execute("ALTER TABLE frequencies_numbered RENAME TO frequencies")


def _write_heads(index: Index) -> None:
    """Create ``heads`` and write every stored profile's row."""
    index.db.execute(HEADS)
    columns = all_columns(index)
    cursor = index.db.execute("SELECT profile FROM profiles ORDER BY id")
    while blobs := cursor.fetchmany(_CHUNK):
        write_all(index, [profile_from(blob) for (blob,) in blobs], columns)
