"""JSON forms of what the index keeps per article: the article, its fields, its profile, stored records."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import json
import re
import zlib
from collections.abc import Mapping
from typing import Any

import orjson
import xxhash

from ..decoding import loads
from ..profile import Profile
from ..storyline import CHECKED, no_floats
from ..types import Article, Fields, Mention


def dumps(value: Any) -> str:
    """Compact JSON, keys in their order (records read back keep their field order), UTF-8 kept."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def article_json(article: Article) -> str:
    """An article as JSON, record included: :func:`article_from` reads it back equal."""
    data = {name: getattr(article, name) for name in ("id", "text", "title", "source", "published", "url", "origin")}
    data["record"] = dict(article.record)
    return dumps(data)


def article_from(text: str) -> Article:
    """The article stored by :func:`article_json`."""
    return Article(**loads(text))


def article_key(article: Article) -> str:
    """A digest of everything extraction may read of an article (not its origin or raw record).

    Example: ``article_key(Article("a", "Text."))`` -> 32 hex digits; equal keys, equal fields.
    """
    parts = [article.id, article.text, article.title, article.source, article.published, article.url]
    return xxhash.xxh3_128_hexdigest(dumps(parts).encode("utf-8", "surrogatepass"))


def content_key(content: str) -> bytes:
    """A digest of a text to sign (what the signature stage reads of an article)."""
    return xxhash.xxh3_128_digest(content.encode("utf-8", "surrogatepass"))


def pack(value: Any) -> bytes:
    """A JSON value as zlib-compressed UTF-8 (fields, profiles and stories are large and repetitive)."""
    return zlib.compress(dumps(value).encode("utf-8", "surrogatepass"), 1)


#: orjson writes the floats of magnitude 1e-9 to 1e-4 otherwise than ``json`` (``0.000015`` for ``1.5e-05``,
#: ``1e-7`` for ``1e-07``), every other finite float alike: a text holding neither form holds none of those
#: (either may also occur inside a string, which costs only the slower path).
_SMALL_FLOAT = b"0.0000"
_SHORT_EXPONENT = re.compile(rb"e-[0-9]")


def pack_record(value: Any) -> bytes:
    """:func:`pack` of a record (a story, fields, a profile), the same bytes, faster: written by orjson when the text
    holds no float orjson writes otherwise (``_SMALL_FLOAT``, ``_SHORT_EXPONENT``) and reads back equal to ``value``,
    else by :func:`pack`. orjson writes strings as ``json`` does with ``ensure_ascii=False`` (the same escapes,
    UTF-8 else), keys in their order, ``true``, ``false``, ``null``, integers and other floats alike; it refuses
    lone surrogates, integers beyond 64 bits and keys that are not strings, and writes NaN and infinities as
    ``null`` (then the text does not read back equal; nor does a tuple's). The records of
    :meth:`~dedupe.storytypes.Story.as_dict` hold lists, strings, integers, booleans and None."""
    try:
        text = orjson.dumps(value)
    except orjson.JSONEncodeError:
        return pack(value)
    if _SMALL_FLOAT in text or any(text[m.start() - 1 : m.start()].isdigit() for m in _SHORT_EXPONENT.finditer(text)):
        return pack(value)
    return zlib.compress(text, 1) if orjson.loads(text) == value else pack(value)


#: Story records packed by :func:`pack_story` in this process, for its float check.
_PACKED = itertools.count()


def pack_story(record: Mapping[str, Any]) -> bytes:
    """:func:`pack` of a story record (:meth:`~dedupe.storytypes.Story.as_dict`, ``one_report_record``), the same
    bytes: written by orjson with no float scan and no read-back, which :func:`pack_record` needs for any value.
    A story record holds dicts with string keys, lists, strings, counts, booleans and None, which orjson
    writes as ``json`` does (see :func:`pack_record`; ``dumps(record)`` of ``stories.jsonl`` relies on the same,
    :func:`~dedupe.storyline.story_line`); a record orjson refuses (a lone surrogate) goes through
    :func:`pack`. The read-back and scan were ~0.5 s of the workers' CPU for the 102 MB of story records an
    ``add --fast`` of 1,000 into 99,000 writes (bench/README.md, add21). A float would be written otherwise than
    ``json`` writes it: one record in :data:`~dedupe.storyline.CHECKED` is walked for one (the first among them),
    as the merge workers walk theirs, and ``TypeError`` raised."""
    if next(_PACKED) % CHECKED == 0:
        no_floats(record)
    try:
        return zlib.compress(orjson.dumps(record), 1)
    except orjson.JSONEncodeError:
        return pack(record)


def unpack(blob: bytes) -> Any:
    """The value stored by :func:`pack`."""
    return loads(zlib.decompress(blob))


_FIELD_NAMES = tuple(f.name for f in dataclasses.fields(Fields))
_MENTION_NAMES = tuple(f.name for f in dataclasses.fields(Mention))


def fields_json(fields: Fields) -> bytes:
    """Extracted fields, packed (what ``dataclasses.asdict`` gives, built without its deep copies)."""
    data = {name: getattr(fields, name) for name in _FIELD_NAMES}
    data["mentions"] = [{name: getattr(m, name) for name in _MENTION_NAMES} for m in fields.mentions]
    return pack_record(data)


def fields_from(blob: bytes) -> Fields:
    """The fields stored by :func:`fields_json`."""
    data = unpack(blob)
    names = _MENTION_NAMES  # as fields_json writes them: by position (faster), else by name
    data["mentions"] = tuple(Mention(*m.values()) if tuple(m) == names else Mention(**m) for m in data["mentions"])
    return Fields(**data)


def profile_json(profile: Profile) -> bytes:
    """A profile, packed (date sets as sorted lists, the day as ISO text)."""
    data = {f.name: getattr(profile, f.name) for f in dataclasses.fields(profile)}
    data["day"] = profile.day.isoformat() if profile.day else None
    data["dates"], data["numbers"] = sorted(profile.dates), dict(profile.numbers)
    data["people"], data["principal"] = list(profile.people), list(profile.principal)  # as JSON writes tuples
    return pack_record(data)


def profile_from(blob: bytes) -> Profile:
    """The profile stored by :func:`profile_json`."""
    data = unpack(blob)
    data["day"] = dt.date.fromisoformat(data["day"]) if data["day"] else None
    data["dates"] = frozenset(data["dates"])
    data["people"] = tuple(data.get("people", ()))  # an index stored before people were kept: none
    data["principal"] = tuple(data.get("principal", ()))  # nor principals (before schema version 5)
    return Profile(**data)


class StoredRecord(dict):
    """A record kept as JSON (a story, a conflict) that writers read through ``as_dict()`` like the dataclasses."""

    def as_dict(self) -> dict[str, Any]:
        """The record itself."""
        return dict(self)

    @property
    def story_id(self) -> str:
        """For a stored conflict: its story's id (what the run summary counts)."""
        return str(self["story_id"])

    @property
    def kind(self) -> str:
        """For a stored conflict: its kind."""
        return str(self["kind"])
