"""Same-story stage: strip boilerplate, extract fields, block on salient keys, score the pairs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from .candidates import blocked_pairs
from .compare import PairScore
from .config import Config
from .engine import Engine, LocalEngine, spans_of
from .extract import extract
from .headlines import headline_story, joined_edges
from .profile import (
    Profile,
    boilerplate,
    build_profiles,
    salient_keys,
    strip_boilerplate,
)
from .scoring import pair_cosines_of, pair_scores, score_pairs
from .types import Article, Edge, Fields


def extract_all(articles: Sequence[Article]) -> list[Fields]:
    """The fields of each article, in order (one unit of work for an engine)."""
    return [extract(article) for article in articles]


def prepare_fields(articles: Sequence[Article], progress: Callable[[str, int, int], None] | None = None,
                   engine: Engine | None = None) -> tuple[list[Article], dict[str, Fields]]:
    """Articles stripped of page furniture, and the fields extracted from each (by ``engine``).

    Furniture is found and stripped in the first ``MAX_CHARS`` characters of each text, as the
    index does: that is all extraction reads.
    """
    furniture = boilerplate(articles)
    cleaned = [strip_boilerplate(a, furniture) for a in articles]
    fields: dict[str, Fields] = {}
    spans = spans_of(len(cleaned), 64)
    chunks = (engine or LocalEngine()).map_chunks(extract_all, cleaned, spans)
    for (start, end), chunk in zip(spans, chunks, strict=True):  # strict: the pool closes at once
        fields.update(zip((a.id for a in cleaned[start:end]), chunk))
        if progress:
            progress("extract", end, len(cleaned))
    return cleaned, fields


def profiles_for(articles: Sequence[Article], progress: Callable[[str, int, int], None] | None = None,
                 engine: Engine | None = None) -> tuple[dict[str, Profile], dict[str, Fields]]:
    """Profiles (corpus-wide weights) and fields of every article."""
    cleaned, fields = prepare_fields(articles, progress, engine)
    return build_profiles(cleaned, fields), fields


def candidate_pairs(profiles: dict[str, Profile], config: Config) -> list[tuple[str, str]]:
    """Rewrite candidates: articles that share one of their most salient names or terms."""
    keys = {pid: salient_keys(p, config.block_keys) for pid, p in profiles.items()}
    return blocked_pairs(keys, config.max_block)


def neighbour_ranks(profiles: dict[str, Profile], pairs: list[tuple[str, str]],
                    words: Sequence[float | None] | None = None) -> dict[tuple[str, str], int]:
    """For each candidate pair, the worse of the two ranks each holds among the other's candidates.

    Candidates are ranked by word cosine (ties by id); a pair of mutual nearest
    candidates gets 1. ``words`` may give the pairs' word cosines (in order), else they
    are computed. Example: ``{("002", "003"): 1}``.
    """
    neighbours: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for (a, b), word in zip(pairs, pair_cosines_of(profiles, pairs) if words is None else words):
        closeness = word or 0.0
        neighbours[a].append((-round(closeness, 9), b))
        neighbours[b].append((-round(closeness, 9), a))
    rank_of: dict[tuple[str, str], int] = {}
    for article_id, row in neighbours.items():
        for rank, (_, other) in enumerate(sorted(row), start=1):
            rank_of[(article_id, other)] = rank
    return {(a, b): max(rank_of[(a, b)], rank_of[(b, a)]) for a, b in pairs}


def score_all(profiles: dict[str, Profile], ranks: dict[tuple[str, str], int], config: Config,
              words: Mapping[tuple[str, str], float | None] | None = None) -> list[PairScore]:
    """The combined score of every candidate pair, sorted by pair (as ``score_pair`` gives it, computed in
    bulk); ``words`` may give the pairs' word cosines."""
    return score_pairs(profiles, ranks, config.comparisons, config.priors, words)


@dataclass(frozen=True)
class StoryLinks:
    """What the same-story stage hands on.

    ``edges``: pairs scoring at least ``story_threshold``; ``similarity``: every scored
    pair (what clustering reads); ``fields`` and
    ``profiles``: per article id, for merging and for ``dedupe explain``; ``ranks``: each
    candidate pair's neighbourhood rank (see :func:`neighbour_ranks`); ``groups``: the communities of
    headline-only articles (see :mod:`dedupe.headlines`), each to start clustering as one unit.
    """

    edges: list[Edge]
    similarity: dict[tuple[str, str], float]
    fields: dict[str, Fields]
    profiles: dict[str, Profile]
    ranks: dict[tuple[str, str], int]
    groups: list[frozenset[str]] = field(default_factory=list)


def same_story(
    articles: Sequence[Article], config: Config, progress: Callable[[str, int, int], None] | None = None,
    engine: Engine | None = None,
) -> StoryLinks:
    """Extract, block and score the articles (one per copy group) into same-story links."""
    profiles, fields = profiles_for(articles, progress, engine)
    pairs = candidate_pairs(profiles, config)
    words = pair_cosines_of(profiles, pairs)
    ranks = neighbour_ranks(profiles, pairs, words)
    headlines = headline_story(articles, config.headline_floor, config.story_threshold,
                               window=config.headline_window, neighbours=config.headline_neighbours,
                               max_block=config.headline_max_block)
    scored = {pair: rank for pair, rank in ranks.items() if not headlines.too_far(*pair)}  # too far: never scored
    scores = pair_scores(profiles, scored, config.comparisons, config.priors, dict(zip(pairs, words)), engine)
    edges = [Edge(a, b, "same_story", score) for a, b, score in scores if score >= config.story_threshold]
    similarity = {(a, b): score for a, b, score in scores}
    for edge in headlines.edges:
        similarity[(edge.a, edge.b)] = max(similarity.get((edge.a, edge.b), 0.0), edge.score)
    return StoryLinks(joined_edges(edges, headlines.edges), similarity, fields, profiles, ranks, headlines.groups)
