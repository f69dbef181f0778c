"""Headline-only path: articles without body text blocked, scored and grouped on their headlines alone."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
from scipy import sparse

from .normalize import readable, tokens
from .profile import STOPWORDS
from .signatures import sorted_unique
from .types import Article, Edge

#: Louvain's random seed: fixed, so the communities are the same from run to run.
LOUVAIN_SEED = 1
#: The day of an article without a publication date: its headline blocks only with other undated ones, and
#: no window holds it apart from any day (:func:`within_window`).
NO_DAY = -(10**9)
_PAIRS_PER_BLOCK = 200_000


def headline_of(article: Article) -> str | None:
    """The headline when it is all the article has (no body text), else None; misread as Latin-1 or cp1252, decoded
    again (:func:`~dedupe.normalize.readable`).

    Example: ``headline_of(Article(id="a", text="", title="Storm hits coast"))`` is ``"Storm hits coast"``.
    """
    if article.text.strip() or not (article.title or "").strip():
        return None
    return readable(article.title)


def headline_terms(headline: str) -> frozenset[str]:
    """The headline's content words: lower-cased, possessive ``'s`` and plural ``s`` dropped, no stop words,
    digits or single letters.

    Example: ``headline_terms("Obama's visit to Berlin")`` is ``frozenset({"obama", "visit", "berlin"})``.
    """
    terms = set()
    for word in tokens(headline):
        word = word.removesuffix("'s")
        if len(word) > 1 and word not in STOPWORDS and not word.isdigit():
            terms.add(_singular(word))
    return frozenset(terms)


def _singular(word: str) -> str:
    """A plural's final ``s`` dropped (``games`` -> ``game``; not ``ss``, ``us``, ``is`` or short words)."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")) else word


@dataclass(frozen=True)
class Headlines:
    """The headline-only articles of a run as a matrix.

    ``ids`` in order (one row each); ``days`` each row's publication day as an ordinal (``NO_DAY`` when
    unknown); ``weights`` rows x terms, a term's IDF where the headline has it; ``present`` the same
    as 0/1; ``mass`` each row's total weight.
    """

    ids: tuple[str, ...]
    days: np.ndarray
    weights: sparse.csr_matrix
    present: sparse.csr_matrix
    mass: np.ndarray


def day_ordinal(day: str | None) -> int:
    """A ``YYYY-MM-DD`` day as a proleptic ordinal; ``NO_DAY`` when missing or not a date."""
    try:
        return dt.date.fromisoformat(day).toordinal() if day else NO_DAY
    except ValueError:
        return NO_DAY


def within_window(day_a: int, day_b: int, window: int) -> bool:
    """Whether two days (ordinals) may be at most ``window`` apart. An unknown day (``NO_DAY``) says nothing
    about the gap, so it holds no pair apart. Example: ``within_window(NO_DAY, 738000, 1)`` is True."""
    if NO_DAY in (day_a, day_b):
        return True
    return abs(day_a - day_b) <= window


def headline_matrix(articles: Sequence[Article], frequencies: Mapping[str, int] | None = None,
                    documents: int | None = None, terms: Mapping[str, frozenset[str]] | None = None) -> Headlines:
    """The :class:`Headlines` of the articles that have only a headline, with IDF over those headlines, or
    over ``documents`` headlines whose term document ``frequencies`` are given (``check`` against an index).
    ``terms`` gives the :func:`headline_terms` of articles already split (by id; the others are split here).

    Example: ``headline_matrix(heads, {"storm": 3, "coast": 1}, 40)`` weighs ``storm`` ``log(41 / 3)``.
    """
    known = terms or {}
    chosen = [(a, known[a.id] if a.id in known else headline_terms(h)) for a in articles
              if (h := headline_of(a)) is not None]
    df = Counter(term for _, terms in chosen for term in terms)
    counts, total = (df, len(chosen)) if frequencies is None or documents is None else (frequencies, documents)
    column = {term: index for index, term in enumerate(sorted(df))}
    idf = np.array([math.log((total + 1) / counts[term]) for term in sorted(df)])
    rows = [row for row, (_, terms) in enumerate(chosen) for _ in terms]
    cols = [column[term] for _, terms in chosen for term in sorted(terms)]
    shape = (len(chosen), len(column))
    present = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
    weights = present @ sparse.diags(idf) if len(column) else present
    return Headlines(tuple(a.id for a, _ in chosen), np.array([day_ordinal(a.day) for a, _ in chosen], dtype=np.int64),
                     sparse.csr_matrix(weights), present, np.asarray(weights.sum(axis=1)).ravel())


def _span_pairs(members: np.ndarray, days: np.ndarray, window: int,
               max_block: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Row pairs (left rows, right rows) among one term's ``members`` published within ``window``
    days of each other; a span of days holding more than ``max_block`` members is skipped."""
    order = np.lexsort((members, days[members]))
    members, member_days = members[order], days[members][order]
    starts = np.flatnonzero(np.r_[True, member_days[1:] != member_days[:-1]])
    for start in starts:
        end = np.searchsorted(member_days, member_days[start] + window, side="right")
        if 2 <= end - start <= max_block:
            left, right = np.triu_indices(end - start, 1)
            yield members[start:end][left], members[start:end][right]


def headline_candidates(headlines: Headlines, window: int, max_block: int) -> np.ndarray:
    """Row pairs ``(i, j)``, ``i < j``, sharing a headline term and published within ``window`` days
    (undated articles pair only with undated ones), each once, sorted.

    A term is a key per span of days: one shared by more than ``max_block`` headlines in a span
    is too common there to mean one story, so the work stays near-linear. Example: ``[[0, 3], [1, 2]]``.
    """
    by_term = headlines.present.tocsc()
    found = [np.zeros(0, dtype=np.int64)]
    count = len(headlines.ids)
    for term in range(by_term.shape[1]):
        members = by_term.indices[by_term.indptr[term]:by_term.indptr[term + 1]].astype(np.int64)
        if len(members) >= 2:
            for left, right in _span_pairs(members, headlines.days, window, max_block):
                found.append(np.minimum(left, right) * count + np.maximum(left, right))
    codes = sorted_unique(np.concatenate(found))
    return np.stack([codes // max(count, 1), codes % max(count, 1)], axis=1)


def headline_scores(headlines: Headlines, pairs: np.ndarray) -> np.ndarray:
    """IDF-weighted Jaccard of each pair's headline terms: the weight of the shared terms over the weight
    of all the terms either has (1.0 for the same terms, 0.0 for none shared).

    Example: "Storm hits coast" against "Storm batters coast" shares storm and coast.
    """
    scores = np.zeros(len(pairs))
    for start in range(0, len(pairs), _PAIRS_PER_BLOCK):
        left, right = pairs[start:start + _PAIRS_PER_BLOCK, 0], pairs[start:start + _PAIRS_PER_BLOCK, 1]
        shared = np.asarray(headlines.weights[left].multiply(headlines.present[right]).sum(axis=1)).ravel()
        union = headlines.mass[left] + headlines.mass[right] - shared
        scores[start:start + len(left)] = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)
    return scores


def nearest(pairs: np.ndarray, scores: np.ndarray, neighbours: int, floor: float) -> np.ndarray:
    """Indices (sorted) of the pairs scoring at least ``floor`` that are among the ``neighbours`` best of
    either side (ties by the other row, so the choice does not depend on input order)."""
    strong = np.flatnonzero(scores >= floor)
    rows = np.concatenate([pairs[strong, 0], pairs[strong, 1]])
    others = np.concatenate([pairs[strong, 1], pairs[strong, 0]])
    which = np.concatenate([strong, strong])
    order = np.lexsort((others, -np.round(np.concatenate([scores[strong]] * 2), 9), rows))
    rows, which = rows[order], which[order]
    first = np.searchsorted(rows, rows, side="left")
    return sorted_unique(which[np.arange(len(rows)) - first < neighbours])


def communities(ids: Sequence[str], pairs: np.ndarray, weights: np.ndarray) -> list[frozenset[str]]:
    """Louvain communities (fixed seed) of the graph whose edges are ``pairs`` of rows weighted by
    ``weights``; only communities of two or more articles are returned, sorted by their smallest id.

    Nodes and edges enter the graph in row order, and rows are in id order, so the communities do
    not depend on the input order.
    """
    graph = nx.Graph()
    graph.add_nodes_from(sorted({int(row) for row in pairs.ravel()}))
    graph.add_weighted_edges_from((int(i), int(j), float(w)) for (i, j), w in zip(pairs, weights))
    found = nx.community.louvain_communities(graph, weight="weight", resolution=1.0, seed=LOUVAIN_SEED)
    groups = [frozenset(ids[row] for row in community) for community in found if len(community) > 1]
    return sorted(groups, key=min)


@dataclass(frozen=True)
class HeadlineLinks:
    """What the headline path hands on: ``edges`` (``same_story``, the kept nearest pairs, scores calibrated
    so that ``floor`` maps to ``story_threshold``) and ``groups``, the communities of headline-only articles."""

    edges: list[Edge]
    groups: list[frozenset[str]]
    days: dict[str, int]
    window: int

    def too_far(self, a: str, b: str) -> bool:
        """True when both articles have only a headline and were published more than ``window`` days apart:
        a headline alone cannot link them. An undated side is not too far (its day is unknown, not distant)."""
        if a not in self.days or b not in self.days:
            return False
        return not within_window(self.days[a], self.days[b], self.window)


def calibrated(scores: np.ndarray, floor: float, story_threshold: float) -> np.ndarray:
    """Weighted Jaccard mapped onto the story score scale: ``floor`` becomes ``story_threshold``, 1.0 stays 1.0
    (linear below, capped at 1.0). Example: with floor 0.2 and threshold 0.5, 0.3 becomes 0.75."""
    return np.minimum(1.0, scores * (story_threshold / floor))


def headline_story(articles: Sequence[Article], floor: float, story_threshold: float, *, window: int,
                   neighbours: int, max_block: int) -> HeadlineLinks:
    """Block, score and group the articles that have only a headline (others are left to the field model)."""
    headlines = headline_matrix(articles)
    pairs = headline_candidates(headlines, window, max_block)
    scores = headline_scores(headlines, pairs)
    kept = nearest(pairs, scores, neighbours, floor)
    pairs, scores = pairs[kept], scores[kept]
    ids = headlines.ids
    edges = [Edge(ids[i], ids[j], "same_story", round(float(s), 4))
             for (i, j), s in zip(pairs.tolist(), calibrated(scores, floor, story_threshold))]
    days = dict(zip(ids, headlines.days.tolist()))
    return HeadlineLinks(edges, communities(ids, pairs, scores), days, window)


def joined_edges(model: Iterable[Edge], headline: Iterable[Edge]) -> list[Edge]:
    """One edge per pair from the field model's and the headline path's edges: the higher score wins."""
    best: dict[tuple[str, str], Edge] = {}
    for edge in (*model, *headline):
        if (edge.a, edge.b) not in best or edge.score > best[(edge.a, edge.b)].score:
            best[(edge.a, edge.b)] = edge
    return [best[pair] for pair in sorted(best)]


def headline_account(articles: Sequence[Article], a: str, b: str, floor: float,
                     window: int) -> dict[str, object] | None:
    """How the headline path sees articles ``a`` and ``b`` (ids among ``articles``, the run's compared heads),
    for ``dedupe explain``; None unless both have only a headline.

    ``headline_path`` says whether the headline path judges such a pair at all (both dated, or both undated);
    a dated and an undated headline are left to the field model.

    Example: ``{"shared_terms": ["nimbus"], "headline_score": 0.31, "headline_floor": 0.2, "within_window": True,
    "headline_path": True}``.
    """
    headlines = headline_matrix(articles)
    row = {article_id: index for index, article_id in enumerate(headlines.ids)}
    if a not in row or b not in row:
        return None
    day_a, day_b = int(headlines.days[row[a]]), int(headlines.days[row[b]])
    terms = [headline_terms(headline_of(x) or "") for x in articles if x.id in (a, b)]
    score = float(headline_scores(headlines, np.array([[row[a], row[b]]], dtype=np.int64))[0])
    within = within_window(day_a, day_b, window)
    undated = (day_a == NO_DAY) + (day_b == NO_DAY)
    return {"shared_terms": sorted(terms[0] & terms[-1]), "headline_score": round(score, 4),
            "headline_floor": floor, "within_window": within, "headline_path": undated != 1}
