"""Article texts kept in a temporary file during a run: each article holds its text's place, read back on access."""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Mapping
from typing import Any

from .fieldspool import OffsetFile
from .types import Article

#: Stands, in a record held by a :class:`SpooledArticle`, for a value that is the article's text.
_TEXT = object()


class ArticleSpool:
    """The texts of many articles as UTF-8 in one temporary file (deleted when closed or collected).

    :meth:`keep` writes an article's text and returns a :class:`SpooledArticle` holding only its place; call
    :meth:`ready` after the last, before worker processes fork (they read the file too, see
    :class:`~dedupe.fieldspool.OffsetFile`). Example: ``spool.keep(article).text == article.text``.
    """

    def __init__(self) -> None:
        self.file = OffsetFile()
        self.places = array("q")

    def keep(self, article: Article) -> SpooledArticle:
        """Write ``article``'s text; the same article, its text (and any record value equal to it) read back."""
        start, end = self.file.append(article.text.encode("utf-8", "surrogatepass"))
        self.places.extend((start, end))
        return SpooledArticle.at(self, len(self.places) // 2 - 1, article)

    def text(self, index: int) -> str:
        """The text of the ``index``-th article kept."""
        data = self.file.read(self.places[2 * index], self.places[2 * index + 1])
        return data.decode("utf-8", "surrogatepass")

    def ready(self) -> None:
        """Flush what was kept, so worker processes forked from now on read it."""
        self.file.read(0, 0)

    def close(self) -> None:
        """Delete the file; no kept article's text can be read after."""
        self.file.close()


class SpooledArticle(Article):
    """An :class:`Article` whose ``text`` is read back from an :class:`ArticleSpool` on each access.

    It reads, compares and hashes as the article it stands for; a copy made by ``dataclasses.replace``, a
    pickle or ``copy`` is a plain :class:`Article` holding its text. Values of ``record`` that were the text
    are read back with it; the record's other values stay in memory.
    """

    spool: ArticleSpool
    index: int
    length: int
    held: dict[str, Any]

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        """Built from field values (``dataclasses.replace``), it is a plain :class:`Article`."""
        return Article(*args, **kwargs)

    @classmethod
    def at(cls, spool: ArticleSpool, index: int, article: Article) -> SpooledArticle:
        """``article`` with its text read from ``spool``'s ``index``-th place."""
        text, record = article.text, article.record
        spooled = object.__new__(cls)
        spooled.__dict__.update(id=article.id, title=article.title, source=article.source,
                                published=article.published, url=article.url, origin=article.origin,
                                spool=spool, index=index, length=article.content_length,
                                held={k: _TEXT if _is_text(v, text) else v for k, v in record.items()})
        return spooled

    @property  # type: ignore[override]
    def text(self) -> str:
        """The text, read back from the spool."""
        return self.spool.text(self.index)

    @property
    def content_length(self) -> int:
        """``len(self.content)``, kept when the text was spooled (sizing work needs no text read back)."""
        return self.length

    @property  # type: ignore[override]
    def record(self) -> Mapping[str, Any]:
        """The record as read, its text values read back."""
        text = self.text if any(v is _TEXT for v in self.held.values()) else ""
        return {k: text if v is _TEXT else v for k, v in self.held.items()}

    def plain(self) -> Article:
        """The plain :class:`Article` (text and record in memory)."""
        return Article(self.id, self.text, self.title, self.source, self.published, self.url, self.origin,
                       self.record)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Article):
            return NotImplemented
        return self.plain() == (other.plain() if isinstance(other, SpooledArticle) else other)

    def __hash__(self) -> int:
        return hash(self.plain())

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled or copied, it is a plain :class:`Article`: the temporary file stays with this process."""
        return Article, (self.id, self.text, self.title, self.source, self.published, self.url, self.origin,
                         self.record)


def _is_text(value: Any, text: str) -> bool:
    """Whether a record's value is the article's text (the same string, or an equal one)."""
    return value is text or (isinstance(value, str) and len(value) == len(text) and value == text)


def drained(items: list[Any]) -> Iterator[Any]:
    """The items of ``items`` in order, each slot emptied (set to None) as it is handed out, so a consumer
    that keeps a lighter stand-in for each item lets the original go at once. Example:
    ``run(drained(articles), config, details=False)``."""
    for index in range(len(items)):
        item, items[index] = items[index], None
        yield item

