"""Turn one raw record (a dict from JSON or CSV, or a parsed .txt file) into an Article, or a Reject."""

from __future__ import annotations

import datetime as dt
import re
import reprlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .decoding import check_characters, escape_surrogates
from .errors import InputError
from .types import Article, is_blank

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
    _plans: dict[tuple[Any, ...], tuple[tuple[str, tuple[Any, ...] | None], ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def lookup(self, record: Mapping[str, Any], name: str) -> tuple[str | None, Any]:
        """The record key used for article field ``name`` and its value."""
        chosen = getattr(self, name)
        if chosen is not None:
            return (chosen, record.get(chosen)) if chosen in record else (None, None)
        for key in ALIASES[name]:
            if record.get(key) is not None:
                return key, record[key]
        lowered = {str(k).lower(): k for k in record}
        for key in ALIASES[name]:
            if key in lowered and record[lowered[key]] is not None:
                return lowered[key], record[lowered[key]]
        return None, None

    def resolve(self, record: Mapping[str, Any]) -> dict[str, tuple[str | None, Any]]:
        """``lookup`` for every article field at once: name -> (record key, value).

        The keys to try for each field depend only on the record's keys, so they are worked out once per
        set of keys (records of one file share theirs, see :meth:`_plan`); the first holding a value wins.
        """
        keys = tuple(record)
        plan = self._plans.get(keys) or self._plan(keys)
        found: dict[str, tuple[str | None, Any]] = {}
        for name, candidates in plan:
            if candidates is None:
                found[name] = self.lookup(record, name)
                continue
            found[name] = (None, None)
            for key in candidates:
                if record[key] is not None:
                    found[name] = (key, record[key])
                    break
        return found

    def _plan(self, keys: tuple[Any, ...]) -> tuple[tuple[str, tuple[Any, ...] | None], ...]:
        """For each article field, the record keys ``lookup`` tries in its order (None: a chosen key); kept.

        Example: ``FieldMap()._plan(("Text", "id"))`` holds ``("text", ("Text",))`` and ``("id", ("id",))``.
        """
        present = set(keys)
        lowered = {str(key).lower(): key for key in keys}
        plan = tuple((name, None if getattr(self, name) is not None else
                      tuple(key for key in aliases if key in present) + tuple(lowered[key] for key in aliases
                                                                             if key in lowered))
                     for name, aliases in ALIASES.items())
        if len(self._plans) >= _PLANS:
            self._plans.clear()
        self._plans[keys] = plan
        return plan


#: Key sets whose lookup plan a FieldMap keeps.
_PLANS = 256


def to_article(
    record: Mapping[str, Any], fields: FieldMap, file: str, line: int, *, checked: bool = False
) -> Article:
    """Validate one record and build its Article; raise InputError naming file, line and field.

    ``checked`` says the record was read from text known to hold no lone surrogate (see
    ``RawRecord.checked``), so its strings need not be searched for one.
    """
    if type(record) is not dict and not isinstance(record, Mapping):
        raise InputError(
            f"expected a JSON object (one article), got {_kind(record)}.",
            file=file, line=line,
            hint="each line or array item must be an object such as {\"id\": ..., \"text\": ...}.",
        )
    if not checked:
        check_characters(record, file, line)
    found = fields.resolve(record)
    if fields.id is not None and found["id"][0] is None:
        raise InputError(
            f"the record has no '{fields.id}' field, which was named as the id field.",
            file=file, line=line, field=fields.id,
            hint=f"check the spelling of '{fields.id}' (--id-field), or leave the id field unset: a record "
                 "without an id then gets the id FILE:LINE.",
        )
    article_id = _id(found["id"][1], found["id"][0], file, line)
    text = _string(found, "text", file, line) or ""
    title = _string(found, "title", file, line)
    if is_blank(text) and is_blank(title or ""):
        text_key = fields.text or "text"
        raise InputError(
            "the article has no text and no title.",
            file=file, line=line, field=text_key,
            hint=f"give the record a non-empty '{text_key}' (or map another field with --text-field).",
        )
    date_key, raw_date = found["published"]
    return Article.of(
        id=article_id,
        text=text,
        title=title,
        source=_string(found, "source", file, line),
        published=parse_published(raw_date, file=file, line=line, field=date_key),
        url=_string(found, "url", file, line),
        origin=f"{file}:{line}",
        record=dict(record),
    )


_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother = 3, 40, 40


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


def _string(found: Mapping[str, tuple[str | None, Any]], name: str, file: str, line: int) -> str | None:
    """A text field's value: a string, or None when absent; anything else is an error."""
    key, value = found[name]
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(
            f"expected a string, got {_kind(value)} ({_preview(value)}).",
            file=file, line=line, field=key, hint=f"make '{key}' a string, or map another field to {name}.",
        )
    return value


def _preview(value: Any) -> str:
    """A short repr of a value for messages (nesting and length bounded)."""
    text = _SHORT.repr(value)
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


@dataclass(frozen=True)
class Reject:
    """A record set aside by ``--on-error skip``: where it is, what is wrong, and its raw text.

    Example: ``Reject(file="a.jsonl", line=2, field="text", reason="expected a string, got a
    list (['x']).", fix="make 'text' a string, ...", raw='{"id": "b", "text": ["x"]}')``.
    ``raw`` is the record's text as read (None when the file could not be read or decoded).
    """

    file: str | None
    line: int | None
    field: str | None
    reason: str
    fix: str | None
    raw: str | None

    @classmethod
    def from_error(cls, error: InputError, raw: str | None) -> Reject:
        """The reject for a record that raised ``error``."""
        return cls(error.file, error.line, error.field, error.message, error.hint,
                   None if raw is None else escape_surrogates(raw))

    def as_dict(self) -> dict[str, Any]:
        """One line of ``rejects.jsonl``."""
        return {"file": self.file, "line": self.line, "field": self.field, "reason": self.reason,
                "fix": self.fix, "raw": self.raw}

    def describe(self) -> str:
        """``FILE:LINE: field 'F': reason Fix: fix``, for a log line (as an InputError's message reads)."""
        place = f"{self.file}:{self.line}" if self.line is not None else f"{self.file}"
        fix = f" Fix: {self.fix}" if self.fix else ""
        return f"{place}: " + (f"field '{self.field}': " if self.field else "") + self.reason + fix


#: What ``--on-error`` accepts: stop at the first bad record, or set it aside and go on.
POLICIES: tuple[str, ...] = ("fail", "skip")


@dataclass
class Rejects:
    """The error policy of one read, the records it set aside, and how many records it saw.

    ``policy="fail"`` raises the first record's error; ``"skip"`` keeps a :class:`Reject`
    and goes on. ``read`` counts every record met (accepted or not), so that a run can
    check ``read == clustered + rejected``. Pass the same object to ``read_articles`` and
    ``run``. Example: ``Rejects("skip")`` after a read: ``read=10, items=[Reject(...)]``.
    """

    policy: str = "fail"
    items: list[Reject] = field(default_factory=list)
    read: int = 0

    def __post_init__(self) -> None:
        if self.policy not in POLICIES:
            raise ValueError(f"unknown error policy {self.policy!r}; use one of {', '.join(POLICIES)}")

    def reject(self, error: InputError, raw: str | None) -> None:
        """Raise ``error`` under ``fail``; keep it as a Reject under ``skip``."""
        if self.policy == "fail":
            raise error
        self.items.append(Reject.from_error(error, raw))

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Reject]:
        return iter(self.items)
