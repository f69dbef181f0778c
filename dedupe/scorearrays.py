"""Pair scores as arrays, equal bit for bit to ``compare``'s: ``combine``'s arithmetic and term specificity in bulk."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np
from rapidfuzz import fuzz

from .compare import (
    CEILINGS,
    SCORERS,
    Comparison,
    Priors,
    rank_score,
)
from .engine import Engine, forks, spans_of
from .pairtable import PairTable
from .profile import Profile, ProfileTable
from .profilecolumns import field_of
from .setcolumns import (
    DateColumn,
    PeopleColumn,
    RareColumn,
    date_column,
    date_overlaps,
    lead_nameds,
    people_column,
    rare_column,
    rare_overlaps,
)
from .specific import (
    column_frequencies,
    overlaps,
    row_totals,
    size_factor,
    specificities,
)
from .vectors import Weights, pair_cosines_shared, weight_matrix

#: The day of a profile without a publication date (real ordinals start at 1).
NO_DAY = 0
#: String scorers computed here from each article's lower-cased value (``compare.token_set``, ``token_sort``).
_FUZZ = {"token_set": fuzz.token_set_ratio, "token_sort": fuzz.token_sort_ratio}
#: Scorers of a tuple of strings computed here pair by pair from each article's value, kept once.
_TUPLES = frozenset({"principal_agree"})


@dataclass(frozen=True)
class ArticleColumns:
    """What array scoring reads of each article of a table (lists and arrays by row of its ``ids``), built once.

    ``days``: publication days as ordinals (``NO_DAY``: none); ``sizes``: per field, each article's
    number of values (0: the field is empty, so its scorers answer None); ``texts``: per string field
    a fuzzy scorer reads, the value lower-cased (None when blank); ``sums``: per field with a
    :data:`compare.CEILINGS` entry, the ``math.fsum`` of each article's weights; ``dates``: per date
    field, each article's :class:`DateKeys`; ``people``: per field ``compare.lead_named`` reads, its
    :class:`PeopleColumn`; ``tuples``: per field another scorer of :data:`_TUPLES` reads, each article's value.
    """

    days: np.ndarray
    sizes: dict[str, np.ndarray]
    texts: dict[str, list[str | None]]
    sums: dict[str, np.ndarray]
    dates: dict[str, DateColumn]
    rare: dict[str, RareColumn]
    people: dict[str, PeopleColumn]
    tuples: dict[str, list[tuple[str, ...]]]


def article_columns(light: Mapping[str, Profile], ids: Sequence[str],
                    comparisons: Sequence[Comparison]) -> ArticleColumns:
    """The :class:`ArticleColumns` of ``ids`` for ``comparisons``, read field by field (see
    :func:`~dedupe.profilecolumns.field_of`: column-wise profiles are never all built at once)."""
    days = np.fromiter((day.toordinal() if day else NO_DAY for day in field_of(light, ids, "day")), dtype=np.int64,
                       count=len(ids))
    fields = {c.field for c in comparisons}
    sizes = {f: np.fromiter(map(len, field_of(light, ids, f)), dtype=np.int64, count=len(ids)) for f in fields}
    texts = {c.field: [v.lower() if v.strip() else None for v in field_of(light, ids, c.field)]
             for c in comparisons if c.scorer in _FUZZ}
    sums = {c.field: np.fromiter((math.fsum(v.values()) for v in field_of(light, ids, c.field)), dtype=np.float64,
                                 count=len(ids))
            for c in comparisons if c.scorer == "rare_overlap"}
    dates = {c.field: date_column(field_of(light, ids, c.field)) for c in comparisons if c.scorer == "date_overlap"}
    rare = {c.field: rare_column(field_of(light, ids, c.field)) for c in comparisons if c.scorer == "rare_overlap"}
    people = {c.field: people_column(field_of(light, ids, c.field)) for c in comparisons if c.scorer == "lead_named"}
    tuples = {c.field: list(field_of(light, ids, c.field)) for c in comparisons if c.scorer in _TUPLES}
    return ArticleColumns(days, sizes, texts, sums, dates, rare, people, tuples)


def served_by_columns(comparison: Comparison) -> bool:
    """Whether :func:`pair_column` and :func:`ceiling_column` compute the comparison from the
    :class:`ArticleColumns` alone (they read no profile for it)."""
    ceiling = comparison.scorer not in CEILINGS or comparison.scorer == "rare_overlap"  # rare: from the sums
    columned = comparison.scorer in _FUZZ or comparison.scorer in _TUPLES
    return ceiling and (columned or comparison.scorer in ("date_overlap", "rare_overlap", "lead_named"))


def _answered(columns: ArticleColumns, field: str, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The rows whose two articles both have a value of ``field`` (the others' scorers answer None)."""
    sizes = columns.sizes[field]
    return np.flatnonzero((sizes[left] > 0) & (sizes[right] > 0))


def pair_column(columns: ArticleColumns, light: Mapping[str, Profile], ids: Sequence[str], left: np.ndarray,
                right: np.ndarray, comparison: Comparison) -> np.ndarray:
    """One comparison's value for rows ``left[i], right[i]`` of ``ids`` (NaN where the scorer gives None):
    pair by pair in Python, but only where both sides have the field, from each article's prepared values."""
    field, scorer = comparison.field, comparison.scorer
    out = np.full(len(left), np.nan)
    if scorer in _FUZZ:
        texts, ratio = columns.texts[field], _FUZZ[scorer]
        known = [row for row, (a, b) in enumerate(zip(left.tolist(), right.tolist()))
                 if texts[a] is not None and texts[b] is not None]
        out[known] = [ratio(texts[a], texts[b]) / 100.0 for a, b in zip(left[known].tolist(), right[known].tolist())]
        return out
    rows = _answered(columns, field, left, right)
    pairs = zip(left[rows].tolist(), right[rows].tolist())
    if scorer == "date_overlap":
        out[rows] = date_overlaps(columns.dates[field], left[rows], right[rows])
        return out
    if scorer == "rare_overlap":
        out[rows] = rare_overlaps(columns.rare[field], left[rows], right[rows])
        return out
    if scorer == "lead_named":
        out[rows] = lead_nameds(columns.people[field], left[rows], right[rows])
        return out
    score = SCORERS[scorer]
    if scorer in _TUPLES:
        kept = columns.tuples[field]
        values = [score(kept[a], kept[b]) for a, b in pairs]
    else:
        values = [score(getattr(light[ids[a]], field), getattr(light[ids[b]], field)) for a, b in pairs]
    out[rows] = [np.nan if value is None else value for value in values]
    return out


def ceiling_column(columns: ArticleColumns, light: Mapping[str, Profile], ids: Sequence[str], left: np.ndarray,
                   right: np.ndarray, comparison: Comparison) -> np.ndarray | None:
    """``compare.ceiling_of`` for each row (None: 1 for every row), ``rare_ceiling`` from each side's sum."""
    if comparison.scorer not in CEILINGS:
        return None
    if comparison.scorer == "rare_overlap":
        sums = columns.sums[comparison.field]
        return np.minimum(np.minimum(1.0, sums[left]), sums[right])
    ceiling, field = CEILINGS[comparison.scorer], comparison.field
    return np.array([ceiling(getattr(light[ids[a]], field), getattr(light[ids[b]], field))
                     for a, b in zip(left.tolist(), right.tolist())], dtype=np.float64)


def by_value(values: np.ndarray, func: Callable[[int], float]) -> np.ndarray:
    """``func`` of every value, called once per distinct value (as a Python int): the same floats as calling it
    on each. Example: ``by_value(np.array([3, 1, 3]), math.log1p)`` is ``[log1p(3), log1p(1), log1p(3)]``."""
    distinct, inverse = np.unique(values, return_inverse=True)
    return np.array([func(value) for value in distinct.tolist()], dtype=np.float64)[inverse.reshape(-1)]


def combined_scores(values: Sequence[np.ndarray], ceilings: Sequence[np.ndarray | None],
                    comparisons: Sequence[Comparison], priors: Priors, gaps: np.ndarray, ranks: np.ndarray,
                    words: np.ndarray, specific: np.ndarray | None = None, documents: int = 0) -> np.ndarray:
    """``compare.combine(...).score`` of every row: each comparison's ``values`` (NaN: None) and ``ceilings``,
    the publication ``gaps`` in days (negative: unknown), neighbour ``ranks``, word cosines (NaN: 0) and
    specificity overlaps among ``documents`` profiles (NaN: None; None: not computed).

    Every sum and product is done in ``combine``'s order on float64, so each score is the same float; the
    logarithms come from ``math`` once per distinct gap and rank, and the sigmoid and rounding per row.
    """
    z, perfect = np.full(len(ranks), priors.bias), np.full(len(ranks), priors.bias)
    for comparison, value, ceiling in zip(comparisons, values, ceilings, strict=True):
        given = ~np.isnan(value)
        z = np.where(given, z + comparison.weight * (value - comparison.neutral), z)
        top = 1.0 if ceiling is None else ceiling
        perfect = np.where(given, perfect + comparison.weight * (top - comparison.neutral), perfect)
    known = gaps >= 0
    gap_logodds = np.zeros(len(gaps))
    gap_logodds[known] = by_value(gaps[known], lambda gap: -priors.gap_weight * math.log1p(gap))
    rank_logodds = by_value(ranks, lambda rank: priors.rank_weight * rank_score(rank)) * np.nan_to_num(words, nan=0.0)
    z = z + (gap_logodds + rank_logodds)
    perfect = perfect + priors.rank_weight
    z, perfect = with_specific(z, perfect, priors, specific, documents, gaps)
    ratio = np.minimum(1.0, sigmoids(z) / sigmoids(perfect))
    return np.array([round(value, 6) for value in ratio.tolist()], dtype=np.float64)


def with_specific(z: np.ndarray, perfect: np.ndarray, priors: Priors, specific: np.ndarray | None, documents: int,
                  gaps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``z`` and ``perfect`` with ``compare.combine``'s specificity log-odds added where they count (the
    overlap known, the gap 0 or unknown, i.e. below 1), the same floats."""
    if not priors.specific_weight or specific is None:
        return z, perfect
    scaled = priors.specific_weight * size_factor(documents, priors.specific_prior)
    counted = ~np.isnan(specific) & (gaps < 1)
    return np.where(counted, z + scaled * np.nan_to_num(specific), z), np.where(counted, perfect + scaled, perfect)


def sigmoids(z: np.ndarray) -> np.ndarray:
    """``compare.sigmoid`` of every value, the same floats: ``math.exp`` per value, the rest as it does it.

    Example: ``sigmoids(np.array([0.0, -1.0]))`` is ``[0.5, exp(-1) / (1 + exp(-1))]``.
    """
    e = np.fromiter(map(math.exp, (-np.abs(z)).tolist()), dtype=np.float64, count=len(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def pair_gaps(columns: ArticleColumns, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Days between the two articles' publication dates (-1 where either has none)."""
    days = columns.days
    gaps = np.abs(days[left] - days[right])
    gaps[(days[left] == NO_DAY) | (days[right] == NO_DAY)] = -1
    return gaps


#: Pairs per task when an engine computes them (as ``scoring.PAIR_CHUNK``).
PAIR_CHUNK = 20_000


@dataclass(frozen=True)
class CorpusSpecificity:
    """The terms matrix of a corpus read for specificity: ``matrix`` and ``rows`` (the matrix row of each id
    asked for), ``weights`` (:func:`~dedupe.specific.specificity` of each column's document frequency, over
    every profile of the corpus), ``totals`` (each matrix row's scaled total) and ``documents`` (profiles)."""

    matrix: Weights
    rows: np.ndarray
    weights: np.ndarray
    totals: np.ndarray
    documents: int


def corpus_specificity(profiles: Mapping[str, Profile], ids: Sequence[str]) -> CorpusSpecificity:
    """The :class:`CorpusSpecificity` of ``ids`` among all ``profiles``: a :class:`ProfileTable`'s own terms
    matrix (nothing copied), else one built from every profile's terms."""
    corpus = profiles.corpus("terms") if isinstance(profiles, ProfileTable) else None
    if corpus is not None:
        matrix = corpus.matrix
        rows = np.fromiter(map(profiles.row, ids), dtype=np.int64, count=len(ids))
    else:
        every = list(profiles)
        place = {article_id: row for row, article_id in enumerate(every)}
        matrix = weight_matrix([profiles[i].terms for i in every])
        rows = np.fromiter(map(place.__getitem__, ids), dtype=np.int64, count=len(ids))
    pattern = matrix.positions
    weights = specificities(column_frequencies(pattern.indices, pattern.shape[1]))
    return CorpusSpecificity(matrix, rows, weights, row_totals(weights, pattern.indices, pattern.indptr), len(profiles))


def frequencies_of(profiles: Mapping[str, Profile]) -> dict[str, int]:
    """Each term's document frequency among the profiles (what ``compare.score_pair`` reads)."""
    corpus = profiles.corpus("terms") if isinstance(profiles, ProfileTable) else None
    if corpus is not None:
        pattern = corpus.matrix.positions
        found = column_frequencies(pattern.indices, pattern.shape[1]).tolist()
        return dict(zip(corpus.terms, found))
    return dict(Counter(term for article_id in profiles for term in profiles[article_id].terms))


def table_specific(profiles: Mapping[str, Profile], table: PairTable,
                   engine: Engine | None = None) -> tuple[np.ndarray, np.ndarray, int]:
    """The word cosine of every row of ``table`` (NaN: None) as ``scoring.table_cosines`` gives it, each row's
    specificity overlap (NaN: a side has no term) and the corpus's documents, the first two from the same
    products (chunk by chunk on ``engine`` when its workers fork)."""
    inputs = corpus_specificity(profiles, table.ids)
    spans = spans_of(len(table), PAIR_CHUNK)
    words, shared = np.empty(len(table)), np.zeros(len(table), dtype=np.int64)
    if engine is None or not forks(engine) or len(spans) < 2:
        chunks = (_span_words(inputs, table, range(start, end)) for start, end in spans)
    else:
        chunks = engine.map_chunks(partial(_span_words, inputs, table), range(len(table)), spans)
    for (start, end), (cosines, sums) in zip(spans, chunks, strict=True):
        words[start:end], shared[start:end] = cosines, sums
    totals = inputs.totals[inputs.rows]
    return words, overlaps(shared, totals[table.left], totals[table.right]), inputs.documents


def _span_words(inputs: CorpusSpecificity, table: PairTable, span: range) -> tuple[np.ndarray, np.ndarray]:
    """The word cosines and shared specificity of the table's rows ``span`` (a unit of work for an engine)."""
    cosines, shared = pair_cosines_shared(inputs.matrix, table.left[span.start : span.stop],
                                          table.right[span.start : span.stop], inputs.rows, inputs.weights)
    assert shared is not None
    return cosines, shared
