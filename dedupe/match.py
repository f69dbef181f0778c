"""Same-story stage: strip boilerplate, extract fields, block on salient keys, score the pairs."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from .blocking import key_codes, salient_codes
from .cappedlinks import PairSpool
from .capping import capped_tables
from .clusterdays import text_days
from .compare import PairScore
from .config import Config
from .engine import Engine, LocalEngine, spans_of
from .extract import extract
from .fieldstream import EXTRACT_CHUNK, spooled_profiles
from .furniture import count_furniture, strip_boilerplate
from .headlines import HeadlineLinks, headline_story, joined_edges
from .pairtable import PairTable, PairValues, sorted_in, table_of, table_ranks
from .profile import (
    Profile,
    ProfileTable,
    build_profiles,
    light_profiles,
    salient_keys,
    sizes_only,
)
from .profilecolumns import field_of
from .scorearrays import table_specific
from .scoring import (
    article_inputs,
    input_scores,
    pair_cosines_of,
    score_pairs,
    table_cosines,
)
from .types import Article, Edge, Fields, Mention


def extract_all(articles: Sequence[Article]) -> list[Fields]:
    """The fields of each article, in order (one unit of work for an engine), strings shared (see :func:`compact`)."""
    return [compact(extract(article)) for article in articles]


def compact(fields: Fields) -> Fields:
    """The same fields with one string object per distinct sentence, value and text among the mentions.

    An article's ~50 mentions come from ~20 sentences, each mention holding its own copy; shared, they
    take a third less memory, and a worker's results keep the sharing when pickled back (a run holds
    the fields of every article until the stories are merged).
    """
    shared: dict[str, str] = {}
    mentions = tuple(
        Mention(m.kind, shared.setdefault(m.value, m.value), shared.setdefault(m.text, m.text),
                shared.setdefault(m.sentence, m.sentence), m.about, m.subject, m.qualifier, m.start)
        for m in fields.mentions
    )
    return replace(fields, mentions=mentions)


def prepare_fields(articles: Sequence[Article], progress: Callable[[str, int, int], None] | None = None,
                   engine: Engine | None = None) -> tuple[list[Article], dict[str, Fields]]:
    """Articles stripped of page furniture, and the fields extracted from each (by ``engine``).

    Furniture is found and stripped in the first ``MAX_CHARS`` characters of each text, as the
    index does: that is all extraction reads.
    """
    furniture = count_furniture(articles, engine, touched=True)
    cleaned = [strip_boilerplate(a, furniture) for a in articles]
    fields: dict[str, Fields] = {}
    spans = spans_of(len(cleaned), EXTRACT_CHUNK)
    chunks = (engine or LocalEngine()).map_chunks(extract_all, cleaned, spans)
    for (start, end), chunk in zip(spans, chunks, strict=True):  # strict: the pool closes at once
        fields.update(zip((a.id for a in cleaned[start:end]), chunk))
        if progress:
            progress("extract", end, len(cleaned))
    return cleaned, fields


def profiles_for(articles: Sequence[Article], progress: Callable[[str, int, int], None] | None = None,
                 engine: Engine | None = None) -> tuple[ProfileTable, dict[str, Fields]]:
    """Profiles (corpus-wide weights) and fields of every article."""
    cleaned, fields = prepare_fields(articles, progress, engine)
    return build_profiles(cleaned, fields), fields


def candidate_table(profiles: Mapping[str, Profile], config: Config) -> PairTable:
    """Rewrite candidates: articles that share one of their most salient names or terms, as a table
    (for a :class:`ProfileTable`, the keys are chosen on its matrices: see :mod:`dedupe.blocking`), each
    article keeping its ``max_candidates`` best by shared-key evidence (see :mod:`dedupe.capping`)."""
    return candidate_tables(profiles, config)[0]


def candidate_tables(profiles: Mapping[str, Profile], config: Config) -> tuple[PairTable, PairSpool]:
    """:func:`candidate_table`, and the blocked pairs its cap left out, spooled (empty without a cap)."""
    ids = sorted(profiles)
    if isinstance(profiles, ProfileTable):
        positions, keys = salient_codes(profiles, ids, config.block_keys)
    else:
        light = light_profiles(profiles)
        positions, keys = key_codes([salient_keys(light[pid], config.block_keys) for pid in ids])
    return capped_tables(positions, keys, ids, config.max_block, config.max_candidates, config.hot_links)


def candidate_pairs(profiles: Mapping[str, Profile], config: Config) -> list[tuple[str, str]]:
    """Rewrite candidates: articles that share one of their most salient names or terms, smaller id first."""
    return candidate_table(profiles, config).pairs()


def neighbour_ranks(profiles: Mapping[str, Profile], pairs: list[tuple[str, str]],
                    words: Sequence[float | None] | None = None) -> dict[tuple[str, str], int]:
    """For each candidate pair, the worse of the two ranks each holds among the other's candidates.

    Candidates are ranked by word cosine (ties by id); a pair of mutual nearest
    candidates gets 1. ``words`` may give the pairs' word cosines (in order), else they
    are computed. Example: ``{("002", "003"): 1}``.
    """
    words = pair_cosines_of(profiles, pairs) if words is None else words
    table = table_of(pairs)
    cosine = dict(zip(pairs, words))
    ranks = table_ranks(table, np.array([np.nan if cosine[p] is None else cosine[p] for p in table.pairs()]))
    rank_of = dict(zip(table.pairs(), ranks.tolist()))
    return {pair: rank_of[pair] for pair in pairs}


def score_all(profiles: Mapping[str, Profile], ranks: dict[tuple[str, str], int], config: Config,
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
    headline-only articles (see :mod:`dedupe.headlines`), each to start clustering as one unit; ``capped``: the
    blocked pairs the candidate cap left unscored (neither scored by the headline path nor held too far apart
    by it), which clustering weighs apart from pairs sharing no key, in a temporary file (empty without a cap).
    ``similarity`` and ``ranks`` are read-only mappings over arrays (no Python object per pair). ``days``: the
    whole days each article's text gives (see :func:`~dedupe.clusterdays.text_days`; absent: none), for clustering.
    """

    edges: list[Edge]
    similarity: PairValues
    fields: Mapping[str, Fields]
    profiles: Mapping[str, Profile]
    ranks: PairValues
    groups: list[frozenset[str]] = field(default_factory=list)
    capped: PairSpool | None = None
    days: Mapping[str, tuple[int, ...]] = field(default_factory=dict)


def same_story(
    articles: Sequence[Article], config: Config, progress: Callable[[str, int, int], None] | None = None,
    engine: Engine | None = None, *, spool_fields: bool = False, keep_ranks: bool = True,
    keep_profiles: bool = True, on_profiles: Callable[[Mapping[str, Profile]], None] | None = None,
) -> StoryLinks:
    """Extract, block and score the articles (one per copy group) into same-story links.

    ``spool_fields`` writes the fields to a temporary file (a :class:`~dedupe.fieldspool.FieldSpool`) as the
    extraction workers hand them back (see :func:`~dedupe.fieldstream.spooled_profiles`), so this process never
    holds them; ``StoryLinks.fields`` then reads them back. Without ``keep_ranks`` the ranks of the candidate
    pairs are freed once the pairs to score are chosen, and ``StoryLinks.ranks`` is empty. Without
    ``keep_profiles`` the profiles are freed once the word cosines are computed and what scoring reads of them
    is taken (the neighbour ranks and the scoring workers then run without them), and ``StoryLinks.profiles``
    is empty. ``on_profiles`` is handed the profiles as soon as they are built (the index stores them then,
    before they are freed).
    """
    if spool_fields:
        fields, profiles = spooled_profiles(articles, progress, engine)
    else:
        profiles, fields = profiles_for(articles, progress, engine)
    if on_profiles is not None:
        on_profiles(profiles)
    days = told_days(profiles) if config.day_link_weight else {}
    table, left_out = candidate_tables(profiles, config)
    specific, documents = None, 0
    if config.specific_weight:
        words, specific, documents = table_specific(profiles, table, engine)
    else:
        words = table_cosines(profiles, table, engine=engine)
    if not keep_profiles:  # the term weights' last reader is done; scoring reads only each row's size
        profiles = sizes_only(profiles)
    inputs = article_inputs(profiles, table.ids, config.comparisons, slim=not keep_profiles)
    if not keep_profiles:
        profiles = {}  # the matrices and profile objects go: what scoring reads is in ``inputs``
    ranks = table_ranks(table, words)
    headlines = headline_story(articles, config.headline_floor, config.story_threshold,
                               window=config.headline_window, neighbours=config.headline_neighbours,
                               max_block=config.headline_max_block)
    kept = near_enough(table, headlines)  # too far: never scored
    scored, scored_ranks, scored_words = table.take(kept), ranks[kept], words[kept]
    scored_specific = None if specific is None else specific[kept]
    del words, specific  # scoring reads only the kept rows
    none = PairTable(table.ids, table.left[:0], table.right[:0])
    all_ranks = PairValues(table, ranks) if keep_ranks else PairValues(none, ranks[:0])
    del table, ranks, kept
    scores = input_scores(inputs, scored, scored_ranks, scored_words, config.comparisons, config.priors, engine,
                          scored_specific, documents)
    del scored_ranks, scored_words, scored_specific, inputs
    strong = np.flatnonzero(scores >= config.story_threshold)
    edges = [Edge(a, b, "same_story", score)
             for (a, b), score in zip(scored.take(strong).pairs(), scores[strong].tolist())]
    similarity = with_edges(scored, scores, headlines.edges)
    still_out = unscored(left_out, headlines, similarity.table)
    left_out.close()
    return StoryLinks(joined_edges(edges, headlines.edges), similarity, fields, profiles, all_ranks, headlines.groups,
                      still_out, days)


def told_days(profiles: Mapping[str, Profile]) -> dict[str, tuple[int, ...]]:
    """The whole days each profile's dates give (see :func:`~dedupe.clusterdays.text_days`), for the profiles
    that give one."""
    ids = list(profiles)
    found = zip(ids, field_of(light_profiles(profiles), ids, "dates"))
    return {article_id: days for article_id, dates in found if dates and (days := text_days(dates))}


def unscored(pairs: PairSpool, headlines: HeadlineLinks, scored: PairTable) -> PairSpool:
    """The pairs of ``pairs`` (sorted pairs the cap left out) that are not in ``scored`` and that the headline
    path does not hold too far apart: the pairs only the cap kept from being scored (``scored`` has the same
    ids), spooled again, read and filtered a chunk at a time."""
    kept = PairSpool(pairs.ids)
    dated = _dated(pairs.ids, headlines)
    for left, right in pairs.chunks():
        span = slice(*np.searchsorted(scored.left, [left[0], left[-1] + 1]).tolist())
        keys = left.astype(np.int64) * len(pairs.ids) + right
        known = scored.left[span].astype(np.int64) * len(scored.ids) + scored.right[span]  # sorted, as the pairs
        chosen = near_enough(PairTable(pairs.ids, left, right), headlines, dated) & ~sorted_in(keys, known)
        kept.append(left[chosen], right[chosen])
    return kept


def near_enough(table: PairTable, headlines: HeadlineLinks, dated: np.ndarray | None = None) -> np.ndarray:
    """A mask of the rows of ``table`` that the headline path does not hold ``too_far`` apart (``dated``: which
    of the table's ids have a headline day, when already known)."""
    kept = np.ones(len(table), dtype=bool)
    dated = _dated(table.ids, headlines) if dated is None else dated
    for row in np.flatnonzero(dated[table.left] & dated[table.right]).tolist():
        kept[row] = not headlines.too_far(table.ids[table.left[row]], table.ids[table.right[row]])
    return kept


def _dated(ids: Sequence[str], headlines: HeadlineLinks) -> np.ndarray:
    """Which of ``ids`` the headline path knows a day of (only those can be held too far apart)."""
    return np.array([article_id in headlines.days for article_id in ids], dtype=bool)


def with_edges(table: PairTable, scores: np.ndarray, edges: Sequence[Edge]) -> PairValues:
    """The scored rows with the headline edges added (a pair in both keeps the higher score)."""
    extra: dict[tuple[str, str], float] = {}
    for edge in edges:
        extra[(edge.a, edge.b)] = max(extra.get((edge.a, edge.b), 0.0), edge.score)
    for pair, row in ((pair, table.row(*pair)) for pair in list(extra)):
        if row is not None:
            scores[row] = max(scores[row].item(), extra.pop(pair))
    if not extra:
        return PairValues(table, scores)
    index = {article_id: row for row, article_id in enumerate(table.ids)}
    left = np.r_[table.left, np.array([index[a] for a, _ in extra], dtype=np.int32)]
    right = np.r_[table.right, np.array([index[b] for _, b in extra], dtype=np.int32)]
    order = np.lexsort((right, left))
    values = np.r_[scores, np.array(list(extra.values()), dtype=np.float64)]
    return PairValues(PairTable(table.ids, left[order], right[order]), values[order])
