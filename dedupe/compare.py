"""Field comparisons declared as data; every scorer maps two field values to 0..1 (or None)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz

if TYPE_CHECKING:
    from .profile import Profile

#: A scorer takes two field values and returns 0..1, or None when either side is missing.
Scorer = Callable[[Any, Any], "float | None"]


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float | None:
    """Dot product of two L2-normalised sparse vectors; None when either is empty."""
    if not a or not b:
        return None
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return min(1.0, sum(w * large.get(k, 0.0) for k, w in small.items()))


def token_set(a: str, b: str) -> float | None:
    """rapidfuzz ``token_set_ratio`` of two strings, lower-cased, as 0..1."""
    if not a.strip() or not b.strip():
        return None
    return fuzz.token_set_ratio(a.lower(), b.lower()) / 100.0


def same(a: str, b: str) -> float | None:
    """1.0 when two non-empty strings are equal (or one contains the other as a word run), else 0."""
    if not a or not b:
        return None
    return 1.0 if a == b or f" {a} " in f" {b} " or f" {b} " in f" {a} " else 0.0


def _compatible(x: str, y: str) -> bool:
    """Two ISO date values agree at the granularity both give (``2018`` agrees with ``2018-10``)."""
    x, y = x.split("/")[0], y.split("/")[0]
    return x.startswith(y) or y.startswith(x)


def date_overlap(a: frozenset[str], b: frozenset[str]) -> float | None:
    """Share of the smaller set of dates that the other set agrees with; None when either is empty."""
    if not a or not b:
        return None
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    agreed = sum(1 for x in small if any(_compatible(x, y) for y in large))
    return agreed / len(small)


def overlap(a: frozenset[str], b: frozenset[str]) -> float | None:
    """Overlap coefficient |A & B| / min(|A|, |B|); None when either is empty."""
    if not a or not b:
        return None
    return len(a & b) / min(len(a), len(b))


SCORERS: dict[str, Scorer] = {
    "cosine": cosine,
    "token_set": token_set,
    "same": same,
    "date_overlap": date_overlap,
    "overlap": overlap,
}
FIELDS = ("terms", "names", "headline", "place", "dates", "numbers")


@dataclass(frozen=True)
class Comparison:
    """One weighted comparison of a profile field.

    Example: ``Comparison(field="names", scorer="cosine", weight=1.0)``. A comparison
    whose scorer returns None (a side lacks the field) drops out of the weighted mean.
    """

    field: str
    scorer: str
    weight: float = 1.0

    def __post_init__(self) -> None:
        if self.field not in FIELDS:
            raise ValueError(f"unknown field {self.field!r} (fields: {', '.join(FIELDS)})")
        if self.scorer not in SCORERS:
            raise ValueError(f"unknown scorer {self.scorer!r} (scorers: {', '.join(SCORERS)})")
        if isinstance(self.weight, bool) or not isinstance(self.weight, (int, float)) or self.weight < 0:
            raise ValueError(f"weight must be a number >= 0, got {self.weight!r}")

    def to_dict(self) -> dict[str, Any]:
        """A plain dict, as written in a TOML config."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Comparison:
        """Build from a TOML table; unknown or missing keys are a ValueError."""
        if not isinstance(data, Mapping):
            raise TypeError("each comparison must be a table with field, scorer and weight")
        unknown = set(data) - {"field", "scorer", "weight"}
        if unknown:
            raise ValueError(f"unknown key(s) {sorted(unknown)}")
        if "field" not in data or "scorer" not in data:
            raise ValueError("each comparison needs 'field' and 'scorer'")
        return cls(**data)


DEFAULT_COMPARISONS: tuple[Comparison, ...] = (
    Comparison("terms", "cosine", 1.0),
    Comparison("names", "cosine", 0.5),
    Comparison("headline", "token_set", 0.5),
    Comparison("dates", "date_overlap", 0.25),
    Comparison("numbers", "overlap", 0.25),
    Comparison("place", "same", 0.25),
)


@dataclass(frozen=True)
class PairScore:
    """The combined score of a pair and the parts it came from (for ``dedupe explain``).

    ``parts`` maps each comparison's field to ``(score or None, weight)``; ``time_factor``
    is the publication-gap discount applied to the weighted mean.
    """

    a: str
    b: str
    score: float
    parts: Mapping[str, tuple[float | None, float]]
    gap_days: int | None
    time_factor: float


def time_factor(gap_days: int | None, scale_days: float) -> float:
    """Discount for articles published far apart: 1 at the same day, 0.5 at ``scale_days``."""
    if gap_days is None or scale_days <= 0:
        return 1.0
    return 1.0 / (1.0 + (gap_days / scale_days) ** 2)


def score_pair(a: Profile, b: Profile, comparisons: tuple[Comparison, ...], scale_days: float) -> PairScore:
    """Weighted mean of the comparisons both sides can answer, discounted by the publication gap."""
    parts: dict[str, tuple[float | None, float]] = {}
    total = weights = 0.0
    for comparison in comparisons:
        value = SCORERS[comparison.scorer](getattr(a, comparison.field), getattr(b, comparison.field))
        parts[comparison.field] = (value, comparison.weight)
        if value is not None:
            total += value * comparison.weight
            weights += comparison.weight
    gap = abs((a.day - b.day).days) if a.day and b.day else None
    factor = time_factor(gap, scale_days)
    combined = round(total / weights * factor, 6) if weights else 0.0
    x, y = sorted((a.article_id, b.article_id))
    return PairScore(x, y, combined, parts, gap, factor)
