"""Field comparisons declared as data; every scorer maps two field values to 0..1 (or None)."""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz

from .people import lead_named, principal_agree
from .specific import specific_logodds, specific_overlap

if TYPE_CHECKING:
    from .profile import Profile

#: A scorer takes two field values and returns 0..1, or None when either side is missing.
Scorer = Callable[[Any, Any], "float | None"]


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float | None:
    """Dot product of two L2-normalised sparse vectors; None when either is empty.

    The products are added one by one over the shorter side (``a`` on a tie) in its
    iteration order, the order ``vectors.pair_cosines`` reproduces for batches.
    """
    if not a or not b:
        return None
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    total = 0.0
    for key, weight in small.items():
        total += weight * large.get(key, 0.0)
    return min(1.0, total)


def token_set(a: str, b: str) -> float | None:
    """rapidfuzz ``token_set_ratio`` of two strings, lower-cased, as 0..1."""
    if not a.strip() or not b.strip():
        return None
    return fuzz.token_set_ratio(a.lower(), b.lower()) / 100.0


def token_sort(a: str, b: str) -> float | None:
    """rapidfuzz ``token_sort_ratio`` of two strings, lower-cased, as 0..1."""
    if not a.strip() or not b.strip():
        return None
    return fuzz.token_sort_ratio(a.lower(), b.lower()) / 100.0


def same(a: str, b: str) -> float | None:
    """1.0 when two non-empty strings are equal (or one contains the other as a word run), else 0."""
    if not a or not b:
        return None
    return 1.0 if a == b or f" {a} " in f" {b} " or f" {b} " in f" {a} " else 0.0


@dataclass(frozen=True)
class DateKeys:
    """A date set prepared for :func:`keyed_date_overlap`: each value's start (the part before ``/``)
    with its prefixes, and the starts and prefixes of the whole set.

    Two values agree at the granularity both give (``2018`` agrees with ``2018-10``) when one start
    begins with the other: ``x`` agrees with some value of a set when ``x`` is among the set's
    prefixes, or one of ``x``'s prefixes is among the set's starts.
    """

    starts: tuple[str, ...]
    own_prefixes: tuple[frozenset[str], ...]
    heads: frozenset[str]
    prefixes: frozenset[str]


def date_keys(dates: frozenset[str]) -> DateKeys:
    """The :class:`DateKeys` of a set of ISO date values."""
    starts = tuple(value.split("/")[0] for value in dates)
    own = tuple(frozenset(start[:n] for n in range(len(start) + 1)) for start in starts)
    return DateKeys(starts, own, frozenset(starts), frozenset().union(*own))


def _agreeing(a: DateKeys, b: DateKeys) -> int:
    """How many of ``a``'s values some value of ``b`` agrees with."""
    return sum(1 for start, own in zip(a.starts, a.own_prefixes) if start in b.prefixes or not own.isdisjoint(b.heads))


def keyed_date_overlap(a: DateKeys, b: DateKeys) -> float | None:
    """:func:`date_overlap` of two prepared sets."""
    if not a.starts or not b.starts:
        return None
    return max(_agreeing(a, b) / len(a.starts), _agreeing(b, a) / len(b.starts))


def date_overlap(a: frozenset[str], b: frozenset[str]) -> float | None:
    """The larger share of one side's dates that the other side agrees with; None when either is empty."""
    if not a or not b:
        return None
    return keyed_date_overlap(date_keys(a), date_keys(b))


def overlap(a: Collection[str], b: Collection[str]) -> float | None:
    """Overlap coefficient |A & B| / min(|A|, |B|) of two key sets (or dicts' keys); None when either is empty."""
    if not a or not b:
        return None
    return len(set(a) & set(b)) / min(len(a), len(b))


def rare_overlap(a: Mapping[str, float], b: Mapping[str, float]) -> float | None:
    """The rarity the two sides share, capped at 1: the sum over common keys of the smaller weight.

    The weights are :func:`dedupe.profile.rarity` values, so a count most articles give
    (``killed:1``) adds little and one few give (``killed:22``) nearly 1. The best a pair can
    reach is :func:`rare_ceiling`. None when either side is empty.

    Example: ``rare_overlap({"killed:1": 0.2, "age:41": 0.9}, {"killed:1": 0.2})`` is ``0.2``.
    """
    if not a or not b:
        return None
    return min(1.0, math.fsum(min(a[key], b[key]) for key in a.keys() & b.keys()))


def rare_ceiling(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """The most :func:`rare_overlap` can give a pair: the rarity of the smaller side, all of it shared."""
    return min(1.0, math.fsum(a.values()), math.fsum(b.values()))


SCORERS: dict[str, Scorer] = {
    "cosine": cosine,
    "token_set": token_set,
    "token_sort": token_sort,
    "same": same,
    "date_overlap": date_overlap,
    "overlap": overlap,
    "rare_overlap": rare_overlap,
    "lead_named": lead_named,
    "principal_agree": principal_agree,
}
#: The best value a scorer can give a pair, when it is not 1 (a pair's perfect match is scored with it).
CEILINGS: dict[str, Callable[[Any, Any], float]] = {"rare_overlap": rare_ceiling}
FIELDS = ("terms", "names", "headline", "place", "dates", "numbers", "people", "principal")


@dataclass(frozen=True)
class Comparison:
    """One comparison of a profile field, as evidence for or against "same story".

    Example: ``Comparison(field="names", scorer="cosine", weight=2.3, neutral=0.36)``:
    a names cosine above 0.36 argues for the same story, below it against, with
    ``weight`` log-odds per unit of score. A scorer answering None (a side lacks the
    field) gives no evidence either way.
    """

    field: str
    scorer: str
    weight: float = 1.0
    neutral: float = 0.0

    def __post_init__(self) -> None:
        if self.field not in FIELDS:
            raise ValueError(f"unknown field {self.field!r} (fields: {', '.join(FIELDS)})")
        if self.scorer not in SCORERS:
            raise ValueError(f"unknown scorer {self.scorer!r} (scorers: {', '.join(SCORERS)})")
        for name in ("weight", "neutral"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
                raise ValueError(f"{name} must be a number from 0 to 100, got {value!r}")
        if self.neutral > 1:
            raise ValueError(f"neutral must be from 0 to 1, got {self.neutral!r}")

    def to_dict(self) -> dict[str, Any]:
        """A plain dict, as written in a TOML config."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Comparison:
        """Build from a TOML table; unknown or missing keys are a ValueError."""
        if not isinstance(data, Mapping):
            raise TypeError("each comparison must be a table with field, scorer, weight and neutral")
        unknown = set(data) - {"field", "scorer", "weight", "neutral"}
        if unknown:
            raise ValueError(f"unknown key(s) {sorted(unknown)}")
        if "field" not in data or "scorer" not in data:
            raise ValueError("each comparison needs 'field' and 'scorer'")
        return cls(**data)


#: Fitted once, jointly, on five labelled corpora of different kinds (see README, "How the
#: defaults were set"); not tuned per corpus.
DEFAULT_COMPARISONS: tuple[Comparison, ...] = (
    Comparison("terms", "cosine", 7.2, 0.0),
    Comparison("names", "cosine", 2.3, 0.22),
    Comparison("headline", "token_sort", 4.4, 0.0),
    Comparison("dates", "date_overlap", 2.1, 0.0),
    Comparison("numbers", "rare_overlap", 4.0, 0.03),
    Comparison("people", "lead_named", 0.3, 0.0),
    Comparison("principal", "principal_agree", 2.0, 1.0),  # screened, not fitted (bench/README, quality12)
)


@dataclass(frozen=True)
class Priors:
    """The non-field evidence settings: prior, publication gap, neighbourhood rank, term specificity.

    ``bias`` is the log-odds before any evidence; ``gap_weight`` the log-odds lost per ``log(1 + days)``
    between publication dates; ``rank_weight`` the log-odds gained, per unit of word cosine, when the two
    articles are each other's closest candidates (see :func:`rank_score`): being nearest neighbours only
    counts when they are also close. ``specific_weight`` the log-odds gained per unit of term-specificity
    overlap (:mod:`dedupe.specific`) on one day or a day unknown, times ``documents / (documents +
    specific_prior)`` (0: off).
    """

    bias: float = -3.45
    gap_weight: float = 0.66
    rank_weight: float = 4.6
    specific_weight: float = 1.0
    specific_prior: float = 10.0


@dataclass(frozen=True)
class PairScore:
    """The score of a pair and the evidence it came from (for ``dedupe explain``).

    ``parts`` maps each comparison's field to ``(score or None, log-odds contribution)``; ``score`` is the
    probability-like combined score relative to a perfect match on the same fields, so an article scores
    exactly 1.0 against itself. ``specific`` is the term-specificity overlap (None: a side has no term, or
    not computed), ``specific_logodds`` what it added (0.0 a day or more apart, or at weight 0).
    """

    a: str
    b: str
    score: float
    parts: Mapping[str, tuple[float | None, float]]
    gap_days: int | None
    gap_logodds: float
    rank: int | None
    rank_logodds: float
    specific: float | None = None
    specific_logodds: float = 0.0


def rank_score(rank: int | None) -> float | None:
    """1 for mutual nearest candidates, falling slowly with the worse of the two ranks."""
    return None if rank is None else 1.0 / (1.0 + math.log(rank))


def ceiling_of(comparison: Comparison, a: Profile, b: Profile) -> float:
    """The best value the comparison's scorer can give this pair (1 for most scorers)."""
    ceiling = CEILINGS.get(comparison.scorer)
    return 1.0 if ceiling is None else ceiling(getattr(a, comparison.field), getattr(b, comparison.field))


def sigmoid(z: float) -> float:
    """The logistic function."""
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def score_pair(
    a: Profile, b: Profile, comparisons: tuple[Comparison, ...], priors: Priors, rank: int | None = None,
    frequencies: Mapping[str, int] | None = None, documents: int = 0,
) -> PairScore:
    """Sum the log-odds of every answerable comparison, the gap, the rank and the term specificity; squash.

    ``score = sigmoid(z) / sigmoid(z_perfect)`` where ``z_perfect`` is what the same comparisons would give for
    identical articles published the same day (each at its :data:`CEILINGS` value for the pair, or 1).
    ``frequencies`` (each term's document frequency among the ``documents`` profiles of the corpus) are
    needed when ``priors.specific_weight`` is not 0.
    """
    values = [SCORERS[c.scorer](getattr(a, c.field), getattr(b, c.field)) for c in comparisons]
    specific = None if frequencies is None else specific_overlap(a.terms, b.terms, frequencies)
    return combine(a, b, comparisons, priors, values, rank, cosine(a.terms, b.terms) or 0.0, specific, documents)


def combine(
    a: Profile, b: Profile, comparisons: tuple[Comparison, ...], priors: Priors,
    values: Sequence[float | None], rank: int | None, words: float, specific: float | None = None,
    documents: int = 0,
) -> PairScore:
    """The :class:`PairScore` of :func:`score_pair` from the comparisons' ``values`` (in order), the
    pair's word cosine ``words`` (0.0 when None) and its term-specificity overlap ``specific`` among
    ``documents`` profiles, however they were computed."""
    parts: dict[str, tuple[float | None, float]] = {}
    z = z_perfect = priors.bias
    for comparison, value in zip(comparisons, values):
        contribution = 0.0 if value is None else comparison.weight * (value - comparison.neutral)
        parts[comparison.field] = (value, contribution)
        if value is not None:
            z += contribution
            z_perfect += comparison.weight * (ceiling_of(comparison, a, b) - comparison.neutral)
    gap = abs((a.day - b.day).days) if a.day and b.day else None
    gap_logodds = -priors.gap_weight * math.log1p(gap) if gap is not None else 0.0
    closeness = rank_score(rank)
    rank_logodds = 0.0 if closeness is None else priors.rank_weight * closeness * words
    z += gap_logodds + rank_logodds
    z_perfect += 0.0 if closeness is None else priors.rank_weight
    added, most = specific_logodds(priors.specific_weight, priors.specific_prior, documents, specific, gap)
    if most:
        z, z_perfect = z + added, z_perfect + most
    combined = round(min(1.0, sigmoid(z) / sigmoid(z_perfect)), 6)
    x, y = sorted((a.article_id, b.article_id))
    return PairScore(x, y, combined, parts, gap, gap_logodds, rank, rank_logodds, specific, added)
