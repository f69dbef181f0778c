"""An engine that remembers per-article work: signatures and fields come from the index, only new work runs.

The batch pipeline sends its per-article work through an :class:`~dedupe.engine.Engine`: the signature
sketches (``signatures._sketch_task`` over article texts) and the field extraction (``match.extract_all`` over
articles stripped of boilerplate). :class:`CachedEngine` answers the items it has seen from what the
index stored, runs the rest on the inner engine, and keeps what it ran so the index can store it. Both
functions are pure, and a cached answer is keyed on everything its function reads (the text to sign;
every field of the stripped article), so a run through this engine gives exactly the batch results.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..engine import Engine, LocalEngine, span_list, spans_of
from ..match import extract_all
from ..signatures import _sketch_task
from ..types import Article, Fields
from .codec import article_key, content_key, fields_from


@dataclass(frozen=True)
class Sketch:
    """One text's signature pieces: its 16-byte exact key, MinHash row, and whether it has no shingle."""

    exact: bytes
    row: np.ndarray
    empty: bool


@dataclass
class CachedEngine:
    """Answers sketches (by text digest) and fields (by :func:`codec.article_key`) from caches.

    ``sketches`` and ``fields`` start with what the index holds (fields may be their stored bytes, read
    when first needed); whatever ``inner`` computes is added, and its keys listed in ``new_sketches`` /
    ``new_fields``.
    """

    inner: Engine = field(default_factory=LocalEngine)
    sketches: dict[bytes, Sketch] = field(default_factory=dict)
    fields: dict[str, Fields | bytes] = field(default_factory=dict)
    new_sketches: set[bytes] = field(default_factory=set)
    new_fields: set[str] = field(default_factory=set)

    def map_chunks(self, func: Callable[[Sequence[Any]], Any], items: Sequence[Any],
                   spans: Sequence[tuple[int, int]] | None = None) -> Iterator[Any]:
        """Like the inner engine's, with cached answers for signature sketches and extraction."""
        spans = span_list(items, spans)
        if func is extract_all:
            self._fill_fields(items)
            for start, end in spans:
                yield [self.fields_of(article_key(a)) for a in items[start:end]]
        elif getattr(func, "func", None) is _sketch_task:
            self._fill_sketches(func, items)
            for start, end in spans:
                yield self._sketch_chunk(items[start:end])
        else:
            yield from self.inner.map_chunks(func, items, spans)

    def fields_of(self, key: str) -> Fields:
        """The fields cached under ``key`` (parsed from JSON on first use)."""
        found = self.fields[key]
        if isinstance(found, bytes):
            found = self.fields[key] = fields_from(found)
        return found

    def _fill_fields(self, articles: Sequence[Article]) -> None:
        """Extract (on the inner engine) the articles whose key is not cached."""
        missing = {article_key(a): a for a in articles if article_key(a) not in self.fields}
        todo = list(missing.values())
        chunks = self.inner.map_chunks(extract_all, todo, spans_of(len(todo), 64))
        for keys, chunk in zip(_chunked(list(missing), 64), chunks):
            self.fields.update(zip(keys, chunk))
        self.new_fields.update(missing)

    def _fill_sketches(self, func: Callable[[Sequence[str]], Any], texts: Sequence[str]) -> None:
        """Sketch (on the inner engine) the texts whose digest is not cached."""
        missing = {content_key(t): t for t in texts if content_key(t) not in self.sketches}
        todo = list(missing.values())
        keys = list(missing)
        done = 0
        for exact, rows, empty in self.inner.map_chunks(func, todo, spans_of(len(todo), 64)):
            for k in range(len(rows)):
                self.sketches[keys[done + k]] = Sketch(exact[16 * k : 16 * k + 16], rows[k], bool(empty[k]))
            done += len(rows)
        self.new_sketches.update(missing)

    def _sketch_chunk(self, texts: Sequence[str]) -> tuple[bytes, np.ndarray, np.ndarray]:
        """What ``_sketch_task`` returns for these texts, from the cache."""
        found = [self.sketches[content_key(t)] for t in texts]
        rows = np.array([s.row for s in found], dtype=np.uint32).reshape(len(found), -1)
        return b"".join(s.exact for s in found), rows, np.array([s.empty for s in found], dtype=bool)


def _chunked(items: list[Any], size: int) -> Iterator[list[Any]]:
    """Consecutive slices of ``size`` items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
