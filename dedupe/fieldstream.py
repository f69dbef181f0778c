"""Fields extracted straight into a spool: workers strip, extract and encode; the parent keeps what profiles read."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import NamedTuple

from .engine import Engine, LocalEngine, forks, spans_of
from .extract import extract
from .fieldspool import FieldSpool, fields_line
from .furniture import Furniture, count_furniture, strip_boilerplate
from .profile import ProfileBuilder, ProfileSource, ProfileTable, profile_source
from .taskfile import article_tasks
from .termcodes import CodedCounts, TermDecoder, coder_for, new_run
from .types import Article

#: Articles per unit of work, as ``match.prepare_fields`` takes them.
EXTRACT_CHUNK = 64

#: One article extracted: its fields' spool line and what its profile reads.
Extracted = tuple[bytes, ProfileSource]

#: What a profile keeps of a :class:`ProfileSource` besides its counted terms and names (as
#: :meth:`~dedupe.profilecolumns.KeptColumns.add` takes them): headline, place, dates, counts, people, principal.
Kept = tuple[str, str, frozenset[str], frozenset[str], tuple[str, ...], tuple[str, ...]]


class ExtractedChunk(NamedTuple):
    """A chunk of articles as an extraction worker hands it back: each article's spool line and kept values, and
    the chunk's terms and names as numbers (see :class:`~dedupe.termcodes.CodedCounts`)."""

    lines: list[bytes]
    kept: list[Kept]
    terms: CodedCounts
    names: CodedCounts


def chunk_of(extracted: Sequence[Extracted], run: int | None = None) -> ExtractedChunk:
    """The articles' lines and sources as one :class:`ExtractedChunk`, their terms numbered by this process's
    lasting coders for ``run`` (see :func:`~dedupe.termcodes.coder_for`; numbered for this chunk alone when None)."""
    sources = [source for _, source in extracted]
    kept = [(s.headline, s.place, s.dates, s.counts, s.people, s.principal) for s in sources]
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
    chunks = engine.map_chunks(partial(extract_encoded, furniture, run=run), items, spans)
    for (start, end), chunk in zip(spans, chunks, strict=True):  # strict: the pool closes at once
        for article, line, kept in zip(articles[start:end], chunk.lines, chunk.kept, strict=True):
            spool.add(article.id, line)
            builder.kept.add(*kept)
        terms.add(chunk.terms)
        names.add(chunk.names)
        if progress:
            progress("extract", end, len(articles))
    spool.ready()
    return spool, builder.table(articles)
