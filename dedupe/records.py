"""Turn one raw record (a dict from JSON or CSV, or a parsed .txt file) into an Article."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .errors import InputError
from .types import Article

#: Field names recognised without mapping, in order of preference.
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "_id", "doc_id", "article_id", "uuid", "guid", "key"),
    "text": ("text", "body", "content", "article", "full_text", "story", "maintext", "description"),
    "title": ("title", "headline", "head", "heading", "subject"),
    "source": ("source", "publisher", "outlet", "source_name", "site", "publication", "domain"),
    "published": ("published", "date", "published_at", "publish_date", "pubdate", "datetime",
                  "date_published", "timestamp", "created_at", "time"),
    "url": ("url", "link", "href", "uri", "permalink", "source_url"),
}


@dataclass(frozen=True)
class FieldMap:
    """Which record field feeds each article field; None means "try the usual names".

    Example: ``FieldMap(text="story_body", id="guid")``.
    """

    id: str | None = None
    text: str | None = None
    title: str | None = None
    source: str | None = None
    published: str | None = None
    url: str | None = None

    def lookup(self, record: Mapping[str, Any], name: str) -> tuple[str | None, Any]:
        """The record key used for article field ``name`` and its value."""
        chosen = getattr(self, name)
        if chosen is not None:
            return (chosen, record.get(chosen)) if chosen in record else (None, None)
        for key in ALIASES[name]:
            if key in record and record[key] is not None:
                return key, record[key]
        lowered = {str(k).lower(): k for k in record}
        for key in ALIASES[name]:
            if key in lowered and record[lowered[key]] is not None:
                return lowered[key], record[lowered[key]]
        return None, None


def to_article(record: Mapping[str, Any], fields: FieldMap, file: str, line: int) -> Article:
    """Validate one record and build its Article; raise InputError naming file, line and field."""
    if not isinstance(record, Mapping):
        raise InputError(
            f"expected a JSON object (one article), got {_kind(record)}.",
            file=file, line=line, hint="each line or array item must be an object such as {\"id\": ..., \"text\": ...}.",
        )
    id_key, raw_id = fields.lookup(record, "id")
    article_id = _id(raw_id, id_key, file, line)
    text = _string(fields, record, "text", file, line) or ""
    title = _string(fields, record, "title", file, line)
    if not text.strip() and not (title or "").strip():
        text_key = fields.text or "text"
        raise InputError(
            "the article has no text and no title.",
            file=file, line=line, field=text_key,
            hint=f"give the record a non-empty '{text_key}' (or map another field with --text-field).",
        )
    date_key, raw_date = fields.lookup(record, "published")
    return Article(
        id=article_id,
        text=text,
        title=title,
        source=_string(fields, record, "source", file, line),
        published=parse_published(raw_date, file=file, line=line, field=date_key),
        url=_string(fields, record, "url", file, line),
        origin=f"{file}:{line}",
        record=dict(record),
    )


def _kind(value: Any) -> str:
    """A short name for a JSON value's type, for error messages."""
    names = {list: "a list", dict: "an object", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__)


def _id(raw: Any, key: str | None, file: str, line: int) -> str:
    """The record's id as a string, or the stable ``FILE:LINE`` id when it has none."""
    if raw is None or raw == "":
        return f"{file}:{line}"
    if isinstance(raw, bool) or not isinstance(raw, (str, int)):
        raise InputError(
            f"expected a string or a whole number for the id, got {_kind(raw)}.",
            file=file, line=line, field=key, hint="use a unique string id per record, or leave it out.",
        )
    return str(raw).strip() or f"{file}:{line}"


def _string(fields: FieldMap, record: Mapping[str, Any], name: str, file: str, line: int) -> str | None:
    """A text field's value: a string, or None when absent; anything else is an error."""
    key, value = fields.lookup(record, name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(
            f"expected a string, got {_kind(value)} ({_preview(value)}).",
            file=file, line=line, field=key, hint=f"make '{key}' a string, or map another field to {name}.",
        )
    return value


def _preview(value: Any) -> str:
    """A short repr of a value for messages."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")


def parse_published(raw: Any, *, file: str = "", line: int = 0, field: str | None = None) -> str | None:
    """Normalise a publication date to ISO 8601 (``2020-11-21`` or a full datetime).

    ISO dates and datetimes are read as they are; other written dates ("Mon, 10 Mar
    2014 16:52:50 GMT", "21 November 2020") go through ``dateparser``. Unreadable
    dates raise InputError.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if not isinstance(raw, str):
        raise InputError(
            f"expected a date string, got {_kind(raw)} ({_preview(raw)}).",
            file=file, line=line, field=field, hint="write dates as ISO 8601 text, e.g. \"2020-11-21\".",
        )
    parsed = _parse_date_text(raw.strip())
    if parsed is None:
        raise InputError(
            f"cannot read {raw.strip()[:60]!r} as a date.",
            file=file, line=line, field=field,
            hint="write dates as ISO 8601, e.g. \"2020-11-21\" or \"2020-11-21T09:30:00Z\", or leave the field empty.",
        )
    return parsed


@lru_cache(maxsize=65536)
def _parse_date_text(text: str) -> str | None:
    """ISO text for a written date, or None when it is not a date."""
    if _ISO.match(text):
        try:
            value = dt.datetime.fromisoformat(text)
        except ValueError:
            return None
        return text[:10] if len(text) == 10 else value.isoformat()
    import dateparser  # imported late: it is slow to import and rarely needed

    value = dateparser.parse(text, languages=["en"], settings={"STRICT_PARSING": True})
    if value is None:
        return None
    return value.date().isoformat() if value.time() == dt.time() and value.tzinfo is None else value.isoformat()
