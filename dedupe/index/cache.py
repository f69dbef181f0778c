"""An engine that remembers per-article work: signatures and fields come from the index, only new work runs.

The batch pipeline sends its per-article work through an :class:`~dedupe.engine.Engine`: the signature
sketches (``signatures._sketch`` or ``_sketch_task`` over article texts) and the field extraction
(``fieldstream.extract_encoded`` over articles, or ``match.extract_all`` over articles stripped of boilerplate).
:class:`CachedEngine` answers the items it has seen from what the index stored, runs the rest on the inner engine, and
hands what it ran to the index as it goes. Both functions are pure, and a cached answer is keyed on everything its
function reads (the text to sign; every field of the stripped article), so a run through this engine gives exactly the
batch results.

Nothing is held for the whole run: the stored sketches are read when the signature stage starts and let go
when it ends, and the stored fields are read a window of articles at a time, by id, and decoded in the
workers (:func:`fields_or_stored`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np

from ..engine import Engine, LocalEngine, span_list
from ..extract import extract
from ..fieldspool import fields_line
from ..fieldstream import Extracted, chunk_of, extract_encoded
from ..furniture import Furniture, strip_boilerplate
from ..match import compact, extract_all
from ..profile import profile_source
from ..signatures import _sketch, _sketch_task
from ..types import Article, Fields
from .codec import article_key, content_key, fields_from, fields_json

#: Articles whose stored fields are read (and whose chunks one pool of workers runs) at a time.
WINDOW = 4096

#: An article to extract with its stored fields (key and packed bytes), or ``None, None`` when none are stored.
Work = tuple[Article, str | None, bytes | None]
#: Fields extracted anew in a worker: their key and packed form (None for fields that were stored).
Fresh = tuple[str, bytes] | None
#: Fields extracted in this add: article id, key (:func:`codec.article_key` of the stripped article), packed.
NewFields = tuple[str, str, bytes]


@dataclass(frozen=True)
class Sketch:
    """One text's signature pieces: its 16-byte exact key, MinHash row, and whether it has no shingle."""

    exact: bytes
    row: np.ndarray
    empty: bool


def fields_or_stored(work: Work) -> tuple[Fields, Fresh]:
    """The fields of an article (already stripped): the stored ones when their key is the article's, else
    extracted now, with their key and packed form to store (else None)."""
    article, key, blob = work
    now = article_key(article)
    if blob is not None and now == key:
        return fields_from(blob), None
    fields = compact(extract(article))
    return fields, (now, fields_json(fields))


def encoded_or_stored(furniture: Furniture | frozenset[str], items: Sequence[Work]) -> list[tuple[Extracted, Fresh]]:
    """What :func:`~dedupe.fieldstream.extract_encoded` makes of each article (its line and profile source, which
    :class:`CachedEngine` packs into one chunk), from its stored fields where they still hold, with the key and
    packed fields of those extracted anew (else None): one unit of work for an engine."""
    out = []
    for article, key, blob in items:
        cleaned = strip_boilerplate(article, furniture)
        fields, new = fields_or_stored((cleaned, key, blob))
        out.append(((fields_line(fields), profile_source(cleaned, fields)), new))
    return out


def all_or_stored(items: Sequence[Work]) -> list[tuple[Fields, Fresh]]:
    """What :func:`~dedupe.match.extract_all` gives each article, from its stored fields where they still hold,
    with the key and packed fields of those extracted anew (else None): one unit of work for an engine."""
    return [fields_or_stored(item) for item in items]


@dataclass
class CachedEngine:
    """Answers sketches (by text digest) and fields (by article id and :func:`codec.article_key`) from the index.

    ``sketches()`` reads every stored sketch (called when the signature stage starts; they are let go when it
    ends); ``stored(ids)`` reads the stored ``(key, packed fields)`` of some article ids; ``keep(rows)`` is handed
    the fields the inner engine extracted, as :data:`NewFields` rows, a chunk at a time. Sketches the inner
    engine computes are listed in ``new_sketches`` (kept until the engine is dropped).
    """

    inner: Engine = field(default_factory=LocalEngine)
    sketches: Callable[[], dict[bytes, Sketch]] = dict
    stored: Callable[[Sequence[str]], Mapping[str, tuple[str, bytes]]] = lambda ids: {}
    keep: Callable[[list[NewFields]], None] = lambda rows: None
    new_sketches: dict[bytes, Sketch] = field(default_factory=dict)

    def map_chunks(self, func: Callable[[Sequence[Any]], Any], items: Sequence[Any],
                   spans: Sequence[tuple[int, int]] | None = None) -> Iterator[Any]:
        """Like the inner engine's, with cached answers for signature sketches and extraction."""
        spans = span_list(items, spans)
        if func is extract_all:
            for chunk in self._fields(all_or_stored, items, spans):
                yield [fields for fields, _ in chunk]
        elif getattr(func, "func", None) is extract_encoded:
            for chunk in self._fields(partial(encoded_or_stored, func.args[0]), items, spans):  # type: ignore[attr-defined]
                yield chunk_of([extracted for extracted, _ in chunk])
        elif getattr(func, "func", None) in (_sketch, _sketch_task):  # one batch, or a task of batches: same shape
            known = self.sketches()
            self._fill_sketches(func, items, known)
            for start, end in spans:
                yield self._sketch_chunk(items[start:end], known)
        else:
            yield from self.inner.map_chunks(func, items, spans)

    def _fields(self, func: Callable[[Sequence[Work]], list[tuple[Any, Fresh]]], articles: Sequence[Article],
                spans: list[tuple[int, int]]) -> Iterator[list[tuple[Any, Fresh]]]:
        """``func`` over each span's work, a window of spans at a time (their stored fields read for it); the
        fields extracted anew go to ``keep``."""
        for window in _windows(spans, WINDOW):
            first, last = window[0][0], window[-1][1]
            part = articles[first:last]
            found = self.stored([a.id for a in part])
            work = [(a, *found.get(a.id, (None, None))) for a in part]
            local = [(start - first, end - first) for start, end in window]
            for (start, end), chunk in zip(local, self.inner.map_chunks(func, work, local), strict=True):
                new = [(a.id, *fresh) for a, (_, fresh) in zip(part[start:end], chunk, strict=True) if fresh]
                if new:
                    self.keep(new)
                yield chunk

    def _fill_sketches(self, func: Callable[[Sequence[str]], Any], texts: Sequence[str],
                       known: dict[bytes, Sketch]) -> None:
        """Sketch (on the inner engine) the texts whose digest is not in ``known``; add them to it."""
        missing = {content_key(t): t for t in texts if content_key(t) not in known}
        todo, keys, done = list(missing.values()), list(missing), 0
        for exact, rows, empty in self.inner.map_chunks(func, todo, span_list(todo, None)):
            for k in range(len(rows)):
                sketch = Sketch(exact[16 * k : 16 * k + 16], rows[k], bool(empty[k]))
                known[keys[done + k]] = self.new_sketches[keys[done + k]] = sketch
            done += len(rows)

    @staticmethod
    def _sketch_chunk(texts: Sequence[str], known: dict[bytes, Sketch]) -> tuple[bytes, np.ndarray, np.ndarray]:
        """What ``_sketch`` (or ``_sketch_task``) returns for these texts, from ``known``."""
        found = [known[content_key(t)] for t in texts]
        rows = np.array([s.row for s in found], dtype=np.uint32).reshape(len(found), -1)
        return b"".join(s.exact for s in found), rows, np.array([s.empty for s in found], dtype=bool)


def _windows(spans: list[tuple[int, int]], size: int) -> Iterator[list[tuple[int, int]]]:
    """Consecutive runs of spans covering about ``size`` items each (at least one span a run)."""
    window: list[tuple[int, int]] = []
    for span in spans:
        window.append(span)
        if span[1] - window[0][0] >= size:
            yield window
            window = []
    if window:
        yield window
