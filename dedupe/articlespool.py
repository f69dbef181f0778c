"""Article texts kept in a temporary file during a run: each article holds its text's place, read back on access."""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Mapping
from typing import Any

from .fieldspool import OffsetFile
from .types import Article

#: Stands, in a record held by a :class:`SpooledArticle`, for a value that is the article's text.
_TEXT = object()
#: A :class:`SpooledArticle` as :meth:`SpooledArticle.place` gives it: place, length, values, record entries.
Place = tuple[int, int, tuple[Any, ...], tuple[tuple[Any, ...], ...]]


class ArticleSpool:
    """The texts of many articles as UTF-8 in one temporary file (deleted when closed or collected).

    :meth:`keep` writes an article's text and returns a :class:`SpooledArticle` holding only its place; call
    :meth:`ready` after the last, before worker processes fork (they read the file too, see
    :class:`~dedupe.fieldspool.OffsetFile`). Example: ``spool.keep(article).text == article.text``.

    What every article repeats is held once here (``shared``): the record's keys (a JSON reader makes new key
    strings for every line) and sources; an origin ``FILE:LINE`` is held as its file's number and its line
    (:meth:`origin`), ~400 bytes less an article than the strings (a run holds every article to the end).
    """

    def __init__(self) -> None:
        self.file = OffsetFile()
        self.places = array("q")
        self.shared: dict[str, str] = {}
        self.files: list[str] = []
        self.numbers: dict[str, int] = {}
        self.origins, self.lines = array("i"), array("q")

    def keep(self, article: Article) -> SpooledArticle:
        """Write ``article``'s text; the same article, its text (and any record value equal to it) read back."""
        start, end = self.file.append(article.text.encode("utf-8", "surrogatepass"))
        self.places.extend((start, end))
        self._keep_origin(article.origin)
        return SpooledArticle.at(self, len(self.places) // 2 - 1, article)

    def _keep_origin(self, origin: str) -> None:
        """Hold the next article's origin: ``FILE:LINE`` as the file's number and the line, any other
        origin as a file of its own and line -1."""
        where, colon, line = origin.rpartition(":")
        number = int(line) if colon and line.isdecimal() and line.isascii() and str(int(line)) == line else -1
        where = where if number >= 0 else origin
        code = self.numbers.get(where)
        if code is None:
            code = self.numbers[where] = len(self.files)
            self.files.append(where)
        self.origins.append(code)
        self.lines.append(number)

    def origin(self, index: int) -> str:
        """The origin of the ``index``-th article kept, as it was given."""
        where, line = self.files[self.origins[index]], self.lines[index]
        return where if line < 0 else f"{where}:{line}"

    def share(self, text: str) -> str:
        """One string object for every equal ``text`` given (record keys, sources)."""
        return self.shared.setdefault(text, text)

    def text(self, index: int) -> str:
        """The text of the ``index``-th article kept."""
        data = self.file.read(self.places[2 * index], self.places[2 * index + 1])
        return data.decode("utf-8", "surrogatepass")

    def ready(self) -> None:
        """Flush what was kept, so worker processes forked from now on read it."""
        self.file.read(0, 0)

    def article(self, place: Place) -> SpooledArticle:
        """The article whose :meth:`SpooledArticle.place` is ``place``, reading its text from this spool (in a
        process forked from the one that kept it, the spool it inherited)."""
        index, length, values, held = place
        return SpooledArticle.built(self, index, length, values,
                                    {key: value[0] if value else _TEXT for key, *value in held})

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
        text, record, source = article.text, article.record, article.source
        shared = spool.share(source) if isinstance(source, str) else source
        return cls.built(spool, index, article.content_length,
                         (article.id, article.title, shared, article.published, article.url),
                         {spool.share(k): _TEXT if _is_text(v, text) else shared if v is source else v
                          for k, v in record.items()})

    @classmethod
    def built(cls, spool: ArticleSpool, index: int, length: int, values: tuple[Any, ...],
              held: dict[str, Any]) -> SpooledArticle:
        """The article at ``spool``'s ``index``-th place with its ``values`` (id, title, source, published, url)
        and the record's values but the text (``held``)."""
        article_id, title, source, published, url = values
        spooled = object.__new__(cls)
        spooled.__dict__.update(id=article_id, title=title, source=source, published=published, url=url,
                                spool=spool, index=index, length=length, held=held)
        return spooled

    def place(self) -> Place:
        """What rebuilds this article in a process that inherited its spool (:meth:`ArticleSpool.article`), as
        plain values (they encode as JSON): its place, length, id, title, source, published, url, and the record's
        entries (a 1-tuple ``(key,)`` for each value that is the text)."""
        values = tuple(self.__dict__[name] for name in ("id", "title", "source", "published", "url"))
        return (self.index, self.length, values,
                tuple((key,) if value is _TEXT else (key, value) for key, value in self.held.items()))

    @property  # type: ignore[override]
    def text(self) -> str:
        """The text, read back from the spool."""
        return self.spool.text(self.index)

    @property  # type: ignore[override]
    def origin(self) -> str:
        """Where the article was read, held by the spool (see :meth:`ArticleSpool.origin`)."""
        return self.spool.origin(self.index)

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

