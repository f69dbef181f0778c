"""``index add --fast``: place each new article where ``check`` says and commit, without re-running the corpus.

Approximate by design (opt-in): the new articles are placed one by one, in id order, each as
:class:`~dedupe.index.check.Checker` answers for it (a copy joins its original's story; a rewrite joins
the story with the best average link; anything else starts a story); only the stories that received
articles are merged again. Nothing already indexed moves: no merge or split happens, the indexed
articles keep their weights and ranks, and the page furniture stays as it was. The index is marked
*approximate* until a plain ``add`` or ``index refresh`` recomputes everything as batch does.
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from collections.abc import Generator, Iterator, Sequence
from contextlib import contextmanager

from ..engine import Engine, spans_of
from ..furniture import strip_boilerplate
from ..match import extract_all
from ..pipeline import prepare
from ..profile import salient_keys
from ..types import Article, Edge, Fields
from .cache import Sketch
from .check import Checker, Placement
from .codec import article_from, article_key, fields_json, profile_json
from .counts import UnwrittenCounts
from .export import placed_since_exact
from .headstore import write_one
from .ids import story_name
from .persist import insert_article
from .remerge import remerge_all
from .store import Index, lookup
from .story_check import Found, furniture_of
from .update import AddReport, add, next_batch, split_new

WARM_HEADS_PER_ARTICLE = 4  # break-even between 1 per 8 and 1 per 2.7 at 8,047 heads (bench/README.md)


def add_fast(index: Index, articles: Sequence[Article], limit: int | None = None,
             engine: Engine | None = None, *, refresh_share: float | None = None,
             warm: bool | None = None) -> AddReport:
    """Add the articles by placing each (see the module docstring), in one transaction.

    ``limit`` caps the candidates each placement scores, as ``Checker(limit=...)`` does; ``engine``
    extracts the new articles' fields ahead (in worker processes when it has several). With a
    ``refresh_share``, an add that would leave more than that share of the indexed articles placed
    (since the last exact state) is made an exact :func:`~dedupe.index.update.add` instead. ``warm``:
    read every head before the first placement (``Checker(warm=True)``), or not; None decides by
    :func:`worth_warming`. The index written is the same either way.
    """
    start = time.perf_counter()
    with index.writing():
        known = {i: article_from(t) for i, t in lookup(index, "SELECT id, article FROM articles WHERE id IN ({})",
                                                        [a.id for a in articles])}
        new, skipped = split_new(known, articles)
        if not new:
            return AddReport(0, (), skipped, (), index.count("stories"), round(time.perf_counter() - start, 3))
        if refresh_share is None or not _over_share(index, new, refresh_share):
            warmed = worth_warming(index, len(new)) if warm is None else warm
            return _place_all(index, new, skipped, Checker(index, limit=limit, warm=warmed), engine, start)
    return add(index, articles, engine=engine)


def _over_share(index: Index, new: Sequence[Article], share: float) -> bool:
    """Whether placing the new articles would leave more than ``share`` of the index placed."""
    unseen = len({a.id for a in new})
    return placed_since_exact(index) + unseen > share * (index.count("articles") + unseen)


def worth_warming(index: Index, count: int) -> bool:
    """Whether placing ``count`` articles costs less with every head read first: at least one article
    per ``WARM_HEADS_PER_ARTICLE`` stored heads (bench/fast_warm.py measures both ways)."""
    return count * WARM_HEADS_PER_ARTICLE >= index.count("profiles")


def _place_all(index: Index, new: Sequence[Article], skipped: int, checker: Checker, engine: Engine | None,
               start: float) -> AddReport:
    """Place the new articles one by one, merge the stories that grew, record the batch (inside the add's
    transaction)."""
    batch = next_batch(index)
    number = int(index.meta("next_story"))
    ordered = prepare(new)  # sorted by id; a repeated id is a DuplicateIdError
    joined: dict[str, list[Edge]] = defaultdict(list)
    added: dict[str, list[str]] = defaultdict(list)
    counts = UnwrittenCounts(index)  # the new heads' document frequencies, written after the last placement
    with _extract_ahead(index, ordered, engine) as fields:
        for article in ordered:
            for key, found in itertools.islice(fields, 1):  # this article's fields, extracted in a worker
                checker.stories.prepared[key] = found
            placed = checker.place(article, details=False)
            story = placed.answer["story"] or story_name(number)
            number += placed.answer["story"] is None
            edge = _record(index, checker, counts, article, placed, story, batch)
            added[story].append(article.id)
            if edge is not None:
                joined[story].append(edge)
    counts.write()
    remerge_all(index, added, joined, batch, engine)
    seconds = round(time.perf_counter() - start, 3)
    index.db.execute("INSERT INTO batches (batch, added, skipped, seconds) VALUES (?, ?, ?, ?)",
                     (batch, len(new), skipped, seconds))
    index.set_meta(next_story=number, generation=index.meta("generation") + 1, exact=False,
                   placed=placed_since_exact(index) + len(new))
    return AddReport(batch, tuple(sorted(a.id for a in new)), skipped, (), index.count("stories"), seconds,
                     exact=False)


@contextmanager
def _extract_ahead(index: Index, articles: Sequence[Article],
                   engine: Engine | None) -> Iterator[Iterator[tuple[str, Fields]]]:
    """The fields of the articles (stripped of the index's furniture) extracted on ``engine``, in order, each
    with its :func:`~dedupe.index.codec.article_key`: the workers go on extracting while the articles
    before are placed (and the checker's memory warmed). Nothing without an engine or the same-story
    relation. The workers are stopped on leaving, whatever was read."""
    if engine is None or "same_story" not in index.config.relations:
        yield iter(())
        return
    cleaned = [strip_boilerplate(a, furniture_of(index)) for a in articles]
    chunks = engine.map_chunks(extract_all, cleaned, spans_of(len(cleaned), 16))
    try:
        yield zip(map(article_key, cleaned), itertools.chain.from_iterable(chunks))
    finally:
        if isinstance(chunks, Generator):
            chunks.close()


def _record(index: Index, checker: Checker, counts: UnwrittenCounts, article: Article, placed: Placement,
            story: str, batch: int) -> Edge | None:
    """Store one placed article (signature, membership, and for a new head what check reads, its document
    frequencies kept in ``counts``); its link."""
    assert placed.sketch is not None
    sigs = placed.sketch
    config = checker.config
    insert_article(index, article, Sketch(sigs.exact[0].tobytes(), sigs.hashvalues[0], bool(sigs.empty[0])),
                   batch, config)
    answer = placed.answer
    if answer["verdict"] in ("exact", "near_duplicate"):
        head = index.db.execute("SELECT head FROM members WHERE id = ?", (answer["of"],)).fetchone()[0]
        index.db.execute("INSERT INTO members (id, story, head) VALUES (?, ?, ?)", (article.id, story, head))
        checker.stories.memory.place(article.id, story, is_head=False)
        return Edge(*sorted((article.id, answer["of"])), answer["verdict"], answer["score"])
    index.db.execute("INSERT INTO members (id, story, head) VALUES (?, ?, ?)", (article.id, story, article.id))
    checker.stories.memory.place(article.id, story, is_head=True)
    if placed.found is None:
        return None
    _save_head(index, checker, counts, article, placed.found)
    return placed.found.edge


def _save_head(index: Index, checker: Checker, counts: UnwrittenCounts, article: Article, found: Found) -> None:
    """Store a new head's fields, profile, salient keys and row, and count its keys in ``counts``, so later
    checks find it; its headline is remembered from the text as read (as batch and a reload judge
    headline-only articles)."""
    profile, article_id = found.profile, found.profile.article_id
    index.db.execute("INSERT OR REPLACE INTO fields (id, key, fields) VALUES (?, ?, ?)",
                     (article_id, article_key(found.cleaned), fields_json(found.fields)))
    index.db.execute("INSERT INTO profiles (id, profile) VALUES (?, ?)", (article_id, profile_json(profile)))
    keys = salient_keys(profile, checker.config.block_keys)
    index.db.executemany("INSERT INTO postings (key, id) VALUES (?, ?)", [(key, article_id) for key in keys])
    memory = checker.stories.memory
    memory.unwritten = counts  # the memory's later reads add what is not written yet
    columns = counts.count(profile, memory.columns())
    memory.remember(profile, write_one(index, profile, columns), columns, keys)
    checker.stories.headlines.remember(article)
    checker.stories.documents += 1
    index.set_meta(documents=checker.stories.documents)

