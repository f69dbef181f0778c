"""Fields extracted straight into a spool: workers strip, extract and encode; the parent keeps what profiles read."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from .engine import Engine, LocalEngine, forks, spans_of
from .extract import extract
from .fieldspool import FieldSpool, fields_line
from .furniture import Furniture, count_furniture, strip_boilerplate
from .profile import ProfileBuilder, ProfileSource, ProfileTable, profile_source
from .taskfile import article_tasks
from .types import Article

#: Articles per unit of work, as ``match.prepare_fields`` takes them.
EXTRACT_CHUNK = 64

#: One article as an extraction worker hands it back: its fields' spool line and what its profile reads.
Extracted = tuple[bytes, ProfileSource]


def extract_encoded(furniture: Furniture | frozenset[str], articles: Sequence[Article]) -> list[Extracted]:
    """Each article stripped of ``furniture``, its fields extracted and encoded as a :class:`FieldSpool` line,
    with its :class:`ProfileSource` (one unit of work for an engine: bytes and counters pickle back far
    cheaper than the fields' objects, and leave none behind in the process that receives them)."""
    out: list[Extracted] = []
    for article in articles:
        cleaned = strip_boilerplate(article, furniture)
        fields = extract(cleaned)
        out.append((fields_line(fields), profile_source(cleaned, fields)))
    return out


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
    spans = spans_of(len(articles), EXTRACT_CHUNK)
    items = article_tasks(articles) if forks(engine) else articles  # read by the workers: see TaskFile
    chunks = engine.map_chunks(partial(extract_encoded, furniture), items, spans)
    for (start, end), chunk in zip(spans, chunks, strict=True):  # strict: the pool closes at once
        for article, (line, source) in zip(articles[start:end], chunk, strict=True):
            spool.add(article.id, line)
            builder.add(source)
        if progress:
            progress("extract", end, len(articles))
    spool.ready()
    return spool, builder.table(articles)
