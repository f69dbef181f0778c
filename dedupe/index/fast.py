"""``index add --fast``: place each new article where ``check`` says and commit, without re-running the corpus.

Approximate by design (opt-in): the new articles are placed one by one, in id order, each as
:class:`~dedupe.index.check.Checker` answers for it (a copy joins its original's story; a rewrite joins
the story with the best average link; anything else starts a story); only the stories that received
articles are merged again. Nothing already indexed moves: no merge or split happens, the indexed
articles keep their weights and ranks, and the page furniture stays as it was. The index is marked
*approximate* until a plain ``add`` or ``index refresh`` recomputes everything as batch does. On an index
whose weights follow older content-term rules (:meth:`~dedupe.index.store.Index.require_current_terms`),
the add is an exact one, which recomputes them.

The corpus weights are frozen for the whole add: every article is weighed with the document frequencies
and document count of the index at the add's start (headline-only articles with the headline frequencies
of its start), and the new heads' counts are written at its end (:mod:`dedupe.index.addseen`), for the
next add or check. So an article's profile, salient keys and indexed candidates depend on the index alone,
and are worked out for many articles at once (:mod:`dedupe.index.frozen`, ``_PART`` at a time, while the
engine's workers extract the next ones, :mod:`dedupe.index.addwork`); what stays sequential is the placing,
since the heads placed before an article (in id order) are candidates for it and copies are found among the
articles before it. The grown stories are merged on the engine (:mod:`dedupe.index.remerge`): with worker
processes, on the same pool as the extraction, those each part grew while the next parts are placed. The
workers also look for each article's copies among the articles indexed before the add (on their own
connections): a copy is not extracted, and the placement looks for copies only among the add's articles,
in memory (:class:`AddedCopies`).
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import Future
from functools import partial

import numpy as np

from ..engine import Engine
from ..pipeline import paused_gc, prepare
from ..profile import salient_keys
from ..types import Article, Edge
from .addseen import AddedCopies, UnwrittenCounts, one_row
from .addwork import frozen_weights, packed, work_ahead
from .cache import Sketch
from .check import Checker, Placement
from .checklinks import Found
from .codec import article_from, article_key, fields_json, profile_json
from .frozen import profile_batch
from .headstore import write_one
from .persist import insert_article, story_name
from .remerge import EarlyMerges, remerge_all
from .store import Index, lookup, page_cache
from .update import AddReport, add, next_batch, placed_since_exact, split_new

WARM_HEADS_PER_ARTICLE = 4  # break-even between 1 per 8 and 1 per 2.7 at 8,047 heads (bench/README.md)
#: Read every article's story and every frequency first (not the heads) from one article per this many heads;
#: heads are read on first use: scoring each article's ``max_candidates`` best, 1,000 articles meet 30,107 of
#: 78,985 heads, read on first use in ~0.7 s of CPU against 1.5-1.9 s for all in one pass (bench/README.md, add21)
READ_STORIES_PER_ARTICLE = 100
_PART = 64  # articles profiled together (four of the workers' chunks); the workers go on meanwhile
#: SQLite's page cache while placing (KiB; its default is 2,000): each part reads the holders of its keys
#: at random through ``postings`` and its key index (~90 MB at 99k articles), one read of the file a row
#: when the pages do not stay; at 99k, 128 MiB cut the main process's system CPU by ~1.2 s (bench/README.md)
PAGE_CACHE_KIB = 128 * 1024


def add_fast(index: Index, articles: Sequence[Article], limit: int | None = None,
             engine: Engine | None = None, *, refresh_share: float | None = None,
             warm: bool | None = None) -> AddReport:
    """Add the articles by placing each (see the module docstring), in one transaction.

    ``limit`` caps the candidates each placement scores, as ``Checker(limit=...)`` does; ``engine``
    extracts the new articles' fields ahead (in worker processes when it has several). With a
    ``refresh_share``, an add that would leave more than that share of the indexed articles placed
    (since the last exact state) is made an exact :func:`~dedupe.index.update.add` instead. ``warm``:
    read every head before the first placement (``Checker(warm=True)``), or not; None decides by
    :func:`worth_warming`, and short of that reads every article's story (and, with forked workers, every
    frequency) first from one article per ``READ_STORIES_PER_ARTICLE`` stored heads, each head on first use.
    The index written is the same either way.
    """
    start = time.perf_counter()
    with index.writing():
        known = {i: article_from(t) for i, t in lookup(index, "SELECT id, article FROM articles WHERE id IN ({})",
                                                        [a.id for a in articles])}
        new, skipped = split_new(known, articles)
        if not new:
            return AddReport(0, (), skipped, (), index.count("stories"), round(time.perf_counter() - start, 3))
        # an index weighed by older content-term rules gets the exact add, which recomputes its weights
        if index.terms_current() and (refresh_share is None or not _over_share(index, new, refresh_share)):
            warmed = worth_warming(index, len(new)) if warm is None else warm
            first = warm is None and len(new) * READ_STORIES_PER_ARTICLE >= index.count("profiles")
            checker = Checker(index, limit=limit, warm=warmed, stories_first=first)
            with page_cache(index.db, PAGE_CACHE_KIB):
                return _place_all(index, new, skipped, checker, engine, start)
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
    recorded = AddedCopies(index.config)  # the articles recorded so far, to find copies among them in memory
    config = index.config
    heads = 0
    frozen, columns = frozen_weights(index, checker, engine)
    extracting: list[Future] = []  # the workers' tasks for the articles: merges wait while they keep them busy
    with work_ahead(index, ordered, engine, frozen, extracting) as (cleaned, worked, pool), paused_gc():
        merges = None if pool is None else EarlyMerges(index, pool, batch, extracting)
        stories = checker.stories  # reads the index (every story, if so decided) while the workers extract;
        if frozen and not checker.warm:  # the same checker until this add commits (warm read them itself)
            stories.memory.know_frequencies(frozen.frequencies, columns)
        for first in range(0, len(ordered), _PART):
            part = ordered[first : first + _PART]
            made = list(itertools.islice(worked, len(part)))
            for key, ahead, *_ in made:
                if ahead is not None:
                    stories.prepared[key] = ahead
            copies = {a.id for a, work in zip(part, made) if work[1] is None}  # copies of indexed articles
            profile_batch(stories, [a for a in part if a.id not in copies], cleaned)
            grown = set()
            for article, work in itertools.zip_longest(part, made):
                sigs = None if work is None else one_row(article, config, *work[2])
                looked = None if work is None or work[5] is None else partial(recorded.copy_of, indexed=work[5][0])
                placed = checker.place(article, details=False, sigs=sigs, copies=looked)
                recorded.note(article, placed.sketch)
                story = placed.answer["story"] or story_name(number)
                number += placed.answer["story"] is None
                edge = _record(index, checker, counts, article, placed, (story, batch), packed(work, placed))
                heads += placed.found is not None  # a new head (copies have none)
                added[story].append(article.id)
                grown.add(story)
                if edge is not None:
                    joined[story].append(edge)
            if merges is not None:
                merges.grew(added, joined, grown)  # merged while the next parts are placed
        counts.write()
        if heads:
            index.set_meta(documents=stories.documents + heads)
        remerge_all(index, added, joined, batch, merges or engine)
    seconds = round(time.perf_counter() - start, 3)
    index.db.execute("INSERT INTO batches (batch, added, skipped, seconds) VALUES (?, ?, ?, ?)",
                     (batch, len(new), skipped, seconds))
    index.set_meta(next_story=number, generation=index.meta("generation") + 1, exact=False,
                   placed=placed_since_exact(index) + len(new))
    return AddReport(batch, tuple(sorted(a.id for a in new)), skipped, (), index.count("stories"), seconds,
                     exact=False)


def _record(index: Index, checker: Checker, counts: UnwrittenCounts, article: Article, placed: Placement,
            where: tuple[str, int], packed: tuple[bytes | None, bytes | None]) -> Edge | None:
    """Store one placed article in its story and batch (``where``): signature, membership, and for a new head
    what check reads (its fields and profile as packed by a worker, each when given), its document
    frequencies kept in ``counts``; its link."""
    story, batch = where
    ahead = checker.stories.columns_ahead.pop(article.id, None)  # its keys' columns, as a worker looked them up
    assert placed.sketch is not None
    sigs = placed.sketch
    config = checker.config
    insert_article(index, article, Sketch(sigs.exact[0].tobytes(), sigs.hashvalues[0], bool(sigs.empty[0])),
                   batch, config)
    answer = placed.answer
    if answer["verdict"] in ("exact", "near_duplicate"):
        head = index.db.execute("SELECT head FROM members WHERE id = ?", (answer["of"],)).fetchone()[0]
        index.db.execute("INSERT INTO members (id, story, head) VALUES (?, ?, ?)", (article.id, story, head))
        checker.stories.memory.place(article.id, story, head)
        return Edge(*sorted((article.id, answer["of"])), answer["verdict"], answer["score"])
    index.db.execute("INSERT INTO members (id, story, head) VALUES (?, ?, ?)", (article.id, story, article.id))
    checker.stories.memory.place(article.id, story, article.id)
    if placed.found is None:
        return None
    _save_head(index, checker, counts, article, placed.found, packed, ahead if packed[1] is not None else None)
    return placed.found.edge


def _save_head(index: Index, checker: Checker, counts: UnwrittenCounts, article: Article, found: Found,
               packed: tuple[bytes | None, bytes | None], ahead: dict[str, np.ndarray] | None = None) -> None:
    """Store a new head's fields, profile, salient keys and row, and count its keys in ``counts`` (``ahead``:
    their columns in the index at the add's start, as a worker looked them up), so later checks find it; its
    headline is remembered from the text as read (as batch and a reload judge headline-only articles)."""
    profile, article_id = found.profile, found.profile.article_id
    index.db.execute("INSERT OR REPLACE INTO fields (id, key, fields) VALUES (?, ?, ?)",
                     (article_id, article_key(found.cleaned), packed[0] or fields_json(found.fields)))
    index.db.execute("INSERT INTO profiles (id, profile) VALUES (?, ?)",
                     (article_id, packed[1] or profile_json(profile)))
    keys = checker.stories.keyed.pop(article_id, None) or salient_keys(profile, checker.config.block_keys)
    index.db.executemany("INSERT INTO postings (key, id) VALUES (?, ?)", [(key, article_id) for key in keys])
    stories = checker.stories
    columns = counts.count(profile, stories.memory.columns(), complete=stories.memory.frequencies_read,
                           ahead=ahead)
    stories.memory.remember(profile, write_one(index, profile, columns), columns, keys)
    stories.headlines.remember(article, placed=True)

