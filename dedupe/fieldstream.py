"""Fields extracted straight into a spool: workers strip, extract and encode, and send counted terms as numbers."""

from __future__ import annotations

import itertools
import os
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

import numpy as np

from .corpusweights import COUNT_CODES, TermCounts
from .engine import Engine, LocalEngine, forks, spans_of
from .extract import extract
from .fieldspool import FieldSpool, fields_line
from .furniture import Furniture, count_furniture, strip_boilerplate
from .profile import Kept, ProfileBuilder, ProfileSource, ProfileTable, profile_source
from .taskfile import article_tasks, closed
from .types import Article

#: Articles per unit of work, as ``match.prepare_fields`` takes them.
EXTRACT_CHUNK = 64

#: One article extracted: its fields' spool line and what its profile reads.
Extracted = tuple[bytes, ProfileSource]

class ExtractedChunk(NamedTuple):
    """A chunk of articles as an extraction worker hands it back: each article's spool line and kept values, and
    the chunk's terms and names as numbers (see :class:`~dedupe.fieldstream.CodedCounts`)."""

    lines: list[bytes]
    kept: list[Kept]
    terms: CodedCounts
    names: CodedCounts


def chunk_of(extracted: Sequence[Extracted], run: int | None = None) -> ExtractedChunk:
    """The articles' lines and sources as one :class:`ExtractedChunk`, their terms numbered by this process's
    lasting coders for ``run`` (see :func:`~dedupe.fieldstream.coder_for`; numbered for this chunk alone when None)."""
    sources = [source for _, source in extracted]
    kept = [s.kept() for s in sources]
    return ExtractedChunk([line for line, _ in extracted], kept, coder_for(run, "terms").code(s.terms for s in sources),
                          coder_for(run, "names").code(s.names for s in sources))


def extract_encoded(furniture: Furniture | frozenset[str], articles: Sequence[Article],
                    run: int | None = None) -> ExtractedChunk:
    """Each article stripped of ``furniture``, its fields extracted and encoded as a :class:`FieldSpool` line,
    with its :class:`ProfileSource`, as one :class:`ExtractedChunk` (one unit of work for an engine: bytes and
    numbers pickle back far cheaper than the fields' objects or counters of strings, and leave none behind in
    the process that receives them). ``run`` as for :func:`chunk_of`: a run's forked workers pass one."""
    out: list[Extracted] = []
    for article in articles:
        cleaned = strip_boilerplate(article, furniture)
        fields = extract(cleaned)
        out.append((fields_line(fields), profile_source(cleaned, fields)))
    return chunk_of(out, run)


def spooled_profiles(articles: Sequence[Article], progress: Callable[[str, int, int], None] | None = None,
                     engine: Engine | None = None) -> tuple[FieldSpool, ProfileTable]:
    """The fields of ``articles`` in a :class:`FieldSpool` and their profiles, as ``match.profiles_for`` gives
    them (the same profiles, the same fields read back), without holding the fields or the stripped texts.

    Each chunk the engine hands back is written to the spool and counted into the profiles at once, so this
    process never holds more than one chunk of fields (as bytes). Workers the engine forks read the articles
    from a :class:`~dedupe.taskfile.TaskFile`, not the objects they inherit. Example:
    ``spool, profiles = spooled_profiles(articles); spool[articles[0].id].headline``.
    """
    engine = engine or LocalEngine()
    # the articles stripping must read paragraph by paragraph: local workers inherit the set, an engine shipping the
    # function with each task (Dask) goes without it
    furniture = count_furniture(articles, engine, touched=isinstance(getattr(engine, "inner", engine), LocalEngine))
    spool, builder = FieldSpool(), ProfileBuilder()
    terms, names = TermDecoder(builder.terms), TermDecoder(builder.names)
    spans = spans_of(len(articles), EXTRACT_CHUNK)
    items = article_tasks(articles) if forks(engine) else articles  # read by the workers: see TaskFile
    # forked workers are handed their chunks in order and keep numbering terms across them (see TermDecoder)
    run = new_run() if forks(engine) else None
    try:
        chunks = engine.map_chunks(partial(extract_encoded, furniture, run=run), items, spans)
        for (start, end), chunk in zip(spans, chunks, strict=True):  # strict: the pool closes at once
            for article, line, kept in zip(articles[start:end], chunk.lines, chunk.kept, strict=True):
                spool.add(article.id, line)
                builder.kept.add(*kept)
            terms.add(chunk.terms)
            names.add(chunk.names)
            if progress:
                progress("extract", end, len(articles))
    finally:  # the task file goes with the extraction, whether it ends or fails
        closed(items)
    spool.ready()
    return spool, builder.table(articles)


# Counted terms sent from extraction workers as numbers: a worker numbers its terms, sends each new one once.
#: Who numbered a chunk's terms: ``(run, process id, kind, generation)`` of a worker's lasting :class:`TermCoder`,
#: or ``None`` for terms numbered afresh for that chunk alone.
Token = tuple[int, int, str, int] | None
#: Terms a lasting coder numbers before the next chunk starts a new one (a new token, so numbers from 0 again):
#: a worker's memory for the numbering stays bounded (~100 MB) on a corpus of a large vocabulary; the parent keeps
#: 4 bytes a term of each coder it met.
MAX_TERMS = 1 << 20

_RUNS = itertools.count(1)


@dataclass(frozen=True)
class CodedCounts:
    """Several documents' term counts (``Counter``s, terms in first-seen order) as numbers.

    ``keys`` holds each entry's term number (int32), ``counts`` its count (array type code ``code``), ``sizes``
    each document's number of entries (int32). Terms are numbered from 0 in first-seen order by the coder named
    ``token``; ``new`` are the terms it numbered for these documents, ``base`` to ``base + len(new) - 1``. A
    worker's lasting coder sends a term once per run: over the first 10k articles of the generated corpus, 84k
    strings for 2.4M entries (a late chunk of 64 articles ~100, where its counters held ~19,000).
    Example: ``TermCoder(None).code([Counter("abca")])`` has ``new == ["a", "b", "c"]`` and keys ``0, 1, 2``.
    """

    token: Token
    base: int
    new: list[str]
    keys: bytes
    counts: bytes
    code: str
    sizes: bytes


class TermCoder:
    """Numbers terms in first-seen order, across all the documents it codes (see :class:`CodedCounts`)."""

    def __init__(self, token: Token) -> None:
        self.token, self.numbers = token, {}

    def code(self, documents: Iterable[Mapping[str, int]]) -> CodedCounts:
        """The documents' counts as numbers; the terms not seen before in ``new``."""
        numbers: dict[str, int] = self.numbers
        base, keys, counts, sizes, known = len(numbers), array("i"), [], array("i"), numbers.get
        for document in documents:
            found = list(map(known, document))  # ~17% faster than a setdefault per term
            if None in found:
                for at, term in enumerate(document):
                    if found[at] is None:
                        found[at] = numbers[term] = len(numbers)
            keys.extend(found)
            counts.extend(document.values())
            sizes.append(len(document))
        new = list(itertools.islice(reversed(numbers), len(numbers) - base))[::-1]
        top = max(counts, default=0)
        code = next((code for code, largest in COUNT_CODES if largest >= top), COUNT_CODES[-1][0])
        return CodedCounts(self.token, base, new, keys.tobytes(), array(code, counts).tobytes(), code,
                           sizes.tobytes())


#: This process's lasting coders, by run, process id and kind (those of an earlier run, or of the process it was
#: forked from, go; one past ``MAX_TERMS`` is replaced by its next generation).
_coders: dict[tuple[int, int, str], TermCoder] = {}


def coder_for(run: int | None, kind: str) -> TermCoder:
    """The coder of this process for ``run`` and ``kind`` (``"terms"``, ``"names"``), lasting across chunks;
    a new one for each call when ``run`` is None.

    A lasting coder is only right where each process is handed its chunks in order and the chunks are read back
    in order (a :class:`~dedupe.engine.LocalEngine`'s forked workers): :class:`TermDecoder` checks it.
    """
    if run is None:
        return TermCoder(None)
    key = (run, os.getpid(), kind)
    coder = _coders.get(key)
    if coder is None and any(known[:2] != key[:2] for known in _coders):
        _coders.clear()
    if coder is None or len(coder.numbers) >= MAX_TERMS:
        generation = 0 if coder is None else coder.token[3] + 1
        coder = _coders[key] = TermCoder((*key, generation))
    return coder


def new_run() -> int:
    """A number for one run's lasting coders (distinct within this process)."""
    return next(_RUNS)


class TermDecoder:
    """Adds :class:`CodedCounts` to a :class:`~dedupe.corpusweights.TermCounts`, chunk by chunk in document order,
    as its ``add`` would have counted each document: the same columns, numbered in the same first-seen order.

    A worker's new terms in a chunk hold every term the whole corpus sees first there (the worker saw the others in
    its earlier chunks, which come earlier), in first-seen order: numbering them in turn gives each its column.
    Each coder's numbers map to columns through an int32 array (4 bytes a term it sent).
    """

    def __init__(self, counted: TermCounts) -> None:
        self.counted = counted
        self.columns: dict[Token, array] = {}

    def add(self, coded: CodedCounts) -> None:
        """Count the chunk's documents (``ValueError`` when its coder's chunks come out of order)."""
        known = array("i") if coded.token is None else self.columns.setdefault(coded.token, array("i"))
        if coded.base != len(known):
            raise ValueError(f"terms numbered from {coded.base} after {len(known)}: chunks out of order")
        columns = self.counted.columns
        known.extend([columns.setdefault(t, len(columns)) for t in coded.new])
        local = np.frombuffer(coded.keys, dtype=np.int32)
        keys = np.frombuffer(known, dtype=np.int32)[local] if len(known) else local
        self.counted.add_columns(keys, np.frombuffer(coded.counts, dtype=coded.code),
                                 np.frombuffer(coded.sizes, dtype=np.int32))
