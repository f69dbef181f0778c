"""The headline path of ``check``: a headline-only article scored against the indexed headline-only heads.

As in a batch run (:mod:`dedupe.headlines`), the article's candidates are the headline-only heads sharing
one of its headline terms and published within ``headline_window`` days (a term held by more than
``headline_max_block`` of them in that window is skipped), each scored with the IDF-weighted Jaccard of
:func:`~dedupe.headlines.headline_scores`. The IDF reads the document frequencies of the indexed
headline-only heads counting the article itself, as a batch run over them and the article would. The best
candidate at ``headline_floor`` or above gives the verdict, its score calibrated as the batch edges are.
"""

from __future__ import annotations

import bisect
import functools
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..config import Config
from ..headlines import (
    NO_DAY,
    calibrated,
    day_ordinal,
    headline_matrix,
    headline_of,
    headline_scores,
    headline_terms,
    within_window,
)
from ..types import Article
from .codec import article_from
from .store import Index


@functools.cache
def _spaces() -> str:
    """Every character ``str.strip`` drops (an article whose text is only these has no body); built on first use."""
    return "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())

_HEADS = ("SELECT a.article FROM articles a JOIN members m ON m.id = a.id WHERE m.id = m.head "
          "AND trim(json_extract(a.article, '$.text'), ?) = '' ORDER BY a.id")


@dataclass(frozen=True)
class HeadlineVerdict:
    """The headline path's answer: each candidate's weighted Jaccard (``scores``), and the best candidate at
    the floor or above (``best``, None when there is none) with its calibrated score (``score``, see
    :func:`rescaled`)."""

    scores: dict[str, float]
    best: str | None
    score: float | None


class HeadlineMemory:
    """The index's headline-only heads, their days and headline terms, and each term's heads in order of day
    (their count is the term's document frequency); read once per index state, on the first headline-only
    article checked."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.articles: dict[str, Article] = {}
        self.days: dict[str, int] = {}
        self.terms: dict[str, frozenset[str]] = {}
        self.postings: dict[str, tuple[list[int], list[str]]] = {}  # term -> (days ascending, heads)
        self.loaded = False
        self._placed: Counter[str] = Counter()  # the headline terms of the heads ``add --fast`` placed
        self._placed_heads = 0

    def load(self) -> None:
        """Read every indexed headline-only head (once)."""
        if not self.loaded:
            for (text,) in self.index.db.execute(_HEADS, (_spaces(),)):
                self.remember(article_from(text))
            self.loaded = True

    def remember(self, article: Article, placed: bool = False) -> None:
        """Take in a headline-only head; others are ignored. ``add --fast`` calls this with ``placed`` for
        each head it writes: a candidate from then on, left out of the document frequencies (frozen at the
        add's start, as the field model's are)."""
        headline = headline_of(article)
        if headline is None or article.id in self.articles:
            return
        day = day_ordinal(article.day)
        self.articles[article.id], self.days[article.id] = article, day
        self.terms[article.id] = terms = headline_terms(headline)
        if placed:
            self._placed.update(terms)
            self._placed_heads += 1
        for term in terms:
            days, heads = self.postings.setdefault(term, ([], []))
            place = bisect.bisect_right(days, day)
            days.insert(place, day)
            heads.insert(place, article.id)

    def held(self, term: str) -> int:
        """How many headline-only heads hold the term (its document frequency among them), those placed
        by the running ``add --fast`` left out."""
        return len(self.postings.get(term, ((), ()))[0]) - self._placed[term]

    @property
    def documents(self) -> int:
        """How many headline-only heads the frequencies count (those placed by the running add left out)."""
        return len(self.articles) - self._placed_heads

    def too_far(self, article: Article, ids: Sequence[str], window: int) -> set[str]:
        """Those of ``ids`` that a headline alone cannot link to the article (a headline-only article): the
        headline-only heads published more than ``window`` days from it, as batch drops such field scores."""
        self.load()
        day = day_ordinal(article.day)
        return {i for i in ids if i in self.days and not within_window(day, self.days[i], window)}

    def candidates(self, article: Article, terms: frozenset[str], window: int, max_block: int) -> list[str]:
        """The heads a batch run would pair with the article, sorted: per term, as
        :func:`dedupe.headlines.headline_candidates` blocks, each span of ``window`` days starting on a
        holder's day (the article's included) that holds the article and at most ``max_block`` holders."""
        day, found = day_ordinal(article.day), set()
        for term in terms:
            found.update(self._blocked(term, day, article.id, window, max_block))
        return sorted(found)

    def _blocked(self, term: str, day: int, own: str, window: int, max_block: int) -> set[str]:
        """The holders of ``term`` sharing a small enough span with an article of ``day`` (id ``own``)."""
        days, heads = self.postings.get(term, ([], []))
        first = bisect.bisect_left(days, day if day == NO_DAY else day - window)
        starts = {d for d in days[first : bisect.bisect_right(days, day)]} | {day}
        found: set[str] = set()
        for start in starts:  # a span [start, start + window] holding the article's day
            end = start if start == NO_DAY else start + window
            span = [h for h in heads[bisect.bisect_left(days, start) : bisect.bisect_right(days, end)] if h != own]
            if len(span) + 1 <= max_block:
                found.update(span)
        return found


def headline_verdict(memory: HeadlineMemory, article: Article, config: Config) -> HeadlineVerdict | None:
    """The headline path's verdict for the article; None when it has a body (the field model's case).

    Example: "Nimbus phone recalled" against an indexed "Nimbus recalls phone" of the same day scores the
    weighted Jaccard of {nimbus, phone, recalled} and {nimbus, recall, phone}.
    """
    headline = headline_of(article)
    if headline is None:
        return None
    memory.load()
    terms = headline_terms(headline)
    others = memory.candidates(article, terms, config.headline_window, config.headline_max_block)
    scores = headline_pair_scores(memory, article, terms, others)
    strong = [(s, c) for c, s in scores.items() if s >= config.headline_floor]
    if not strong:
        return HeadlineVerdict(scores, None, None)
    score, best = min(strong, key=lambda row: (-row[0], row[1]))  # ties: the smallest id
    return HeadlineVerdict(scores, best, rescaled({best: score}, config)[best])


def rescaled(scores: dict[str, float], config: Config) -> dict[str, float]:
    """Weighted Jaccards on the story score scale, as the batch headline edges are (see
    :func:`~dedupe.headlines.calibrated`). Example: ``{"a": 0.3}`` -> ``{"a": 0.75}`` with the defaults."""
    values = calibrated(np.array(list(scores.values())), config.headline_floor, config.story_threshold)
    return dict(zip(scores, values.tolist()))


def headline_pair_scores(memory: HeadlineMemory, article: Article, terms: frozenset[str],
                         others: Sequence[str]) -> dict[str, float]:
    """The weighted Jaccard of the article with each of ``others``, IDF over the indexed headline-only heads
    and the article, each pair in id order as a batch run scores it."""
    if not others:
        return {}
    rows = [article, *(memory.articles[o] for o in others)]
    known = {article.id: terms, **{o: memory.terms[o] for o in others}}
    frequencies = {t: memory.held(t) + (t in terms) for held in known.values() for t in held}
    matrix = headline_matrix(rows, frequencies, memory.documents + 1, known)
    pairs = np.array([[0, i] if article.id < o else [i, 0] for i, o in enumerate(others, start=1)], dtype=np.int64)
    return dict(zip(others, headline_scores(matrix, pairs).tolist()))
