"""What the workers of ``add --fast`` make of each new article ahead of its placement: fields, profile, signature.

Everything here depends on the index as it was at the add's start alone (the corpus weights are frozen for the
add, :mod:`dedupe.index.frozen`), so the engine's workers work it out for many articles at once while the
main process places the articles before (:mod:`dedupe.index.fast`): each article's fields and term sets (and,
with the frozen weights, its profile and salient keys), its signature, its fields and profile packed as a new
head stores them, and whether it is a copy of an article indexed before the add (then not extracted).
"""

from __future__ import annotations

import itertools
from collections.abc import Generator, Iterator, Sequence
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from dataclasses import replace
from functools import partial

import numpy as np

from ..config import Config
from ..engine import Engine, LocalEngine, forks, run_span, spans_of, task_pool
from ..furniture import strip_boilerplate
from ..match import extract_all
from ..pipeline import paused_gc
from ..signatures import signature_matrix
from ..types import Article, Fields
from .addseen import indexed_copies
from .check import Checker, Copy, Placement
from .checklinks import furniture_of
from .codec import article_key, fields_json, profile_json
from .frozen import Ahead, Frozen, term_sets
from .memory import all_frequencies
from .store import Index


def frozen_weights(index: Index, checker: Checker,
                   engine: Engine | None) -> tuple[Frozen | None, dict[str, dict[str, int]]]:
    """Every frequency of the index and each key's column (by kind letter), read before the workers are
    forked so that they weigh the articles: when the add reads every article's story first (or warms its
    checker) and has forked workers (else None and no column)."""
    if not (checker.warm or checker.stories_first) or not forks(engine) or "same_story" not in index.config.relations:
        return None, {}
    frequencies, columns = all_frequencies(index)
    return Frozen(frequencies, int(index.meta("documents")), index.config.block_keys, columns=columns), columns


#: How far below the main process the add's workers run. The main process places the articles one by one and is
#: the add's critical path (the workers idle at its end, bench/README, add22); on two cores, with the workers at
#: the same priority it gets ~2/3 of a core. ``add --fast`` of 1,000 into 99k, alternated with 0, quiet: wall
#: lower in 6 of 6 pairs, median ratio 0.95 (bench/README, "Session 22").
WORKER_NICE = 5


#: What the workers make of one article: its key (stripped), fields and term sets (None for a copy of an indexed
#: article, see :func:`work`), its signature (exact key, MinHash row, no shingle), its fields packed as stored,
#: its profile packed when weighed there, and its copy among the articles indexed before the add as
#: :func:`~dedupe.index.check.copy_of` finds it, in a 1-tuple (None when not looked for).
Worked = tuple[str, Ahead | None, tuple[np.ndarray, np.ndarray, bool], bytes | None, bytes | None,
               tuple[Copy | None] | None]


def work(articles: Sequence[Article], config: Config, frozen: Frozen | None = None, source: str | None = None,
         furniture: frozenset[str] = frozenset()) -> list[tuple[Worked, Article | None]]:
    """For each article (one unit of work), what a check makes of it whatever the index holds, beside the
    article stripped of the index's page ``furniture`` (None when that is the article itself): fields and term sets of
    the stripped text (with ``frozen``, the add's frequencies, its profile and salient keys too), signature of
    the article as read; and the fields as a new head stores them. With ``source`` (the index's path; in a
    forked worker only), an article that is a copy of an article indexed before the add (as
    :func:`~dedupe.index.check.copy_of` finds them) is not extracted: the placement finds it a copy too (its
    copies are looked for among the same articles and the add's), and a copy keeps no fields or profile.
    Without cyclic collection meanwhile (as the main process places)."""
    with paused_gc():
        pairs = [(article, strip_boilerplate(article, furniture)) for article in articles]
        worked = _worked(pairs, config, frozen, source)
        return [(made, None if cleaned is article else cleaned) for made, (article, cleaned) in zip(worked, pairs)]


def _worked(pairs: Sequence[tuple[Article, Article]], config: Config, frozen: Frozen | None,
            source: str | None = None) -> list[Worked]:
    """What :func:`work` makes of the pairs."""
    sigs = signature_matrix([raw for raw, _ in pairs], config.shingle_size, config.num_perm, config.seed,
                            engine=LocalEngine(1))
    looked = [None] * len(pairs) if source is None else indexed_copies([raw for raw, _ in pairs], sigs, config,
                                                                         source)
    kept = [n for n, copy in enumerate(looked) if copy is None or copy[0] is None]
    fields = dict(zip(kept, extract_all([pairs[n][1] for n in kept])))
    worked: list[Worked] = []
    for n, (_, cleaned) in enumerate(pairs):
        sig = (sigs.exact[n], sigs.hashvalues[n], bool(sigs.empty[n]))
        if n not in fields:
            worked.append((article_key(cleaned), None, sig, None, None, looked[n]))
            continue
        ahead = _ahead(cleaned, fields[n], frozen)
        worked.append((article_key(cleaned), sent(ahead), sig, fields_json(fields[n]),
                       profile_json(ahead.weighed[0]) if ahead.weighed else None, looked[n]))
    return worked


def sent(ahead: Ahead) -> Ahead:
    """What goes back to the main process of an article's work: once weighed, not its fields (it stores them
    as packed here, and its placement reads only the profile) nor its term sets (weighed already).
    Unpickling the fields was ~70% of unpickling the work, in the main process (bench/README.md, add23)."""
    return ahead if ahead.weighed is None else replace(ahead, fields=None, sets={})


def _ahead(cleaned: Article, fields: Fields, frozen: Frozen | None) -> Ahead:
    """What :func:`work` makes of one stripped article's fields, weighed when ``frozen`` is given."""
    ahead = Ahead(fields, term_sets(cleaned, fields))
    return ahead if frozen is None else frozen.weighed(cleaned, ahead)


@contextmanager
def work_ahead(index: Index, articles: Sequence[Article], engine: Engine | None, frozen: Frozen | None = None,
               tasks: list[Future] | None = None
               ) -> Iterator[tuple[dict[str, Article], Iterator[Worked], Executor | None]]:
    """The articles stripped of furniture (by id; each there once its work is read), what :func:`work` makes of them on
    ``engine``, in order (the workers go on while the articles before are placed, and the checker's memory warmed), and
    the pool of worker processes doing it, which takes other tasks after those (None without one; its tasks for the
    articles go into ``tasks``, when given). Nothing without an engine or the same-story
    relation. The workers strip the articles too, so they start on them at once (stripping 1,000 articles in
    the main process first cost ~0.4 s before any worker began: bench/README.md, add19). The workers are
    stopped on leaving, whatever was read."""
    config = index.config
    if engine is None or "same_story" not in config.relations:
        yield {}, iter(()), None
        return
    cleaned: dict[str, Article] = {}
    spans = spans_of(len(articles), 16)
    task = partial(work, config=config, frozen=frozen, source=str(index.path) if forks(engine) else None,
                   furniture=furniture_of(index))
    with task_pool(engine, articles, task, nice=WORKER_NICE) as pool:
        if pool is None:
            chunks = engine.map_chunks(task, articles, spans)
            try:
                yield cleaned, _noted(itertools.chain.from_iterable(chunks), articles, cleaned), None
            finally:
                if isinstance(chunks, Generator):
                    chunks.close()
            return
        futures = [pool.submit(run_span, span) for span in spans]
        if tasks is not None:
            tasks.extend(futures)
        yield cleaned, _noted(itertools.chain.from_iterable(f.result() for f in futures), articles, cleaned), pool


def _noted(results: Iterator[tuple[Worked, Article | None]], articles: Sequence[Article],
           cleaned: dict[str, Article]) -> Iterator[Worked]:
    """The work on each article in order, its stripped text noted in ``cleaned`` as it is read."""
    for article, (made, stripped) in zip(articles, results):
        cleaned[article.id] = stripped or article
        yield made


def packed(made: Worked | None, placed: Placement) -> tuple[bytes | None, bytes | None]:
    """The fields and profile of a placed article as a worker packed them (None for each it did not): the
    profile only when it is the very one the placement stores (weighed in that worker)."""
    if made is None:
        return None, None
    ahead, fields, profile = made[1], made[3], made[4]
    same = placed.found is not None and ahead is not None and ahead.weighed is not None and \
        ahead.weighed[0] is placed.found.profile
    return fields, profile if same else None
