"""Settings as data: defaults, loading from TOML or a dict, and validation of every key at once."""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .compare import DEFAULT_COMPARISONS, Comparison, Priors
from .errors import ConfigError
from .types import RELATIONS


@dataclass(frozen=True)
class Config:
    """Every setting of a run; the defaults are the ones documented in the README.

    ``threshold`` is the word-shingle Jaccard at which two articles are near-duplicates;
    ``shingle_size`` the words per shingle; ``num_perm`` and ``seed`` shape the MinHash.
    ``story_threshold`` is the combined field score at which two articles tell the same
    story, ``link_threshold`` the average linkage a cluster must keep to stay together,
    ``unscored_weight`` how much a pair the blocking never compared counts (as a 0),
    ``neighbours`` the strongest partners (scoring ``neighbour_floor`` or more) that make an article's
    neighbourhood before clustering (0: adaptive, the partners each article of a pair scores above the pair),
    ``neighbour_weight`` the log-odds a pair gains per unit of neighbourhood
    overlap beyond chance, less ``neighbour_neutral`` of the room chance leaves (0: off; see
    :func:`dedupe.neighbours.with_shared_neighbours`),
    ``bias``, ``gap_weight`` and ``rank_weight`` the prior log-odds, the log-odds lost per
    ``log(1 + days)`` of publication gap and gained for mutual nearest candidates, ``specific_weight`` the
    log-odds gained per unit of term-specificity overlap by pairs published on one day or with a day unknown,
    earned as ``documents / (documents + specific_prior)`` (see :mod:`dedupe.specific`; 0: off), ``block_keys``
    the salient names and terms per article used to find rewrite candidates,
    ``max_block`` the most articles one key may pair up with each other (a commoner key pairs each holder with only
    ``hot_links`` others, in an order hashed from the key, and such keys weigh in every candidate's shared-key
    evidence; 0, the default: commoner keys are not used; see :mod:`dedupe.hotkeys`),
    ``max_candidates`` the most rewrite candidates each article keeps by shared-key evidence (a pair stays when
    it is among either article's best; 0: no cap; see :mod:`dedupe.capping`), ``capped_weight`` how much a pair
    that was blocked and then left out by that cap counts in clustering (as a 0) between two groups of more than
    ``capped_size`` heads together (between smaller ones, and for a pair sharing no key, ``unscored_weight``),
    ``piece_support`` how many scored pairs (times the smaller cluster's heads) two clusters of more than
    ``capped_size`` heads together need to be joined by the second clustering pass, which weighs every unscored
    pair between them ``capped_weight`` (0: no second pass; it runs only when the cap left pairs out),
    ``copy_weight`` the power of its copy group's article count that each head weighs in average linkage (1: the
    link is the average over article pairs, a wire report reprinted 80 times weighing 80 rewrites; 0: over head
    pairs, each copy group once; see :func:`dedupe.linkage.head_weights`), ``day_link_weight`` the log-odds average
    linkage takes off a link between two clusters per ``log(1 + days)`` between their nearest days, the days their
    heads were published on and the whole days their texts give, when both have a publication day (0: off; see
    :func:`dedupe.clusterdays.timed_link`),
    ``workers`` the processes computing signatures and fields (0: one per core; results never depend on it),
    and ``comparisons`` the weighted field comparisons (see :mod:`dedupe.compare`).
    Articles with a headline and no body text also go through :mod:`dedupe.headlines`: ``headline_floor``
    is the IDF-weighted headline Jaccard at which two of them link, ``headline_window`` the most days
    apart two may be published, ``headline_neighbours`` the links kept per headline (its best ones), and
    ``headline_max_block`` the most headlines one term may pair up within a window.
    """

    threshold: float = 0.8
    shingle_size: int = 5
    num_perm: int = 128
    seed: int = 1
    relations: tuple[str, ...] = RELATIONS
    story_threshold: float = 0.5
    link_threshold: float = 0.6
    unscored_weight: float = 0.3
    neighbours: int = 5
    neighbour_floor: float = 0.4
    neighbour_weight: float = 0.0
    neighbour_neutral: float = 0.3
    bias: float = -3.45
    gap_weight: float = 0.66
    rank_weight: float = 4.6
    specific_weight: float = 1.0
    specific_prior: float = 10.0
    block_keys: int = 20
    workers: int = 0
    max_block: int = 100
    hot_links: int = 0
    max_candidates: int = 50
    capped_weight: float = 0.05
    capped_size: int = 11
    piece_support: float = 2.0
    copy_weight: float = 1.0
    day_link_weight: float = 0.66
    comparisons: tuple[Comparison, ...] = field(default=DEFAULT_COMPARISONS)
    headline_floor: float = 0.2
    headline_window: int = 1
    headline_neighbours: int = 15
    headline_max_block: int = 200

    def __post_init__(self) -> None:
        problems = _check(self)
        if problems:
            raise ConfigError(problems)

    def to_dict(self) -> dict[str, Any]:
        """A plain dict that :meth:`from_dict` reads back; printable and diffable."""
        data = dataclasses.asdict(self)
        data["relations"] = list(self.relations)
        data["comparisons"] = [c.to_dict() for c in self.comparisons]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, file: str | None = None) -> Config:
        """Build a config from a dict, reporting every unknown or invalid key in one error."""
        known = {f.name for f in dataclasses.fields(cls)}
        problems = [f"unknown key '{key}'" for key in sorted(data) if key not in known]
        values = {k: v for k, v in data.items() if k in known}
        if "relations" in values:
            values["relations"] = _as_tuple(values["relations"])
        if "comparisons" in values:
            values["comparisons"], more = _comparisons(values["comparisons"])
            problems.extend(more)
        problems.extend(_type_problems(values))
        if not _type_problems(values):
            try:
                config = cls(**values)
            except ConfigError as error:
                problems.extend(error.problems)
        if problems:
            raise ConfigError(problems, file=file)
        return config

    @classmethod
    def from_toml(cls, path: str | Path) -> Config:
        """Read a TOML file (UTF-8, a byte-order mark allowed); keys may sit at the top level or under ``[dedupe]``
        (the file's other tables are then another tool's, but a setting's name beside ``[dedupe]`` is reported)."""
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8-sig"))
        except OSError as error:
            raise ConfigError([f"cannot read the file ({error.strerror})"], file=str(path)) from None
        except UnicodeDecodeError as error:
            line = error.object.count(b"\n", 0, error.start) + 1
            problem = f"not UTF-8 text (byte 0x{error.object[error.start]:02x} on line {line}); save it as UTF-8"
            raise ConfigError([problem], file=str(path)) from None
        except tomllib.TOMLDecodeError as error:
            raise ConfigError([f"not valid TOML ({error})"], file=str(path)) from None
        section, problems = _settings_table(data)
        try:
            config = cls.from_dict(section, file=str(path))
        except ConfigError as error:
            problems.extend(error.problems)
        if problems:
            raise ConfigError(problems, file=str(path))
        return config

    @property
    def priors(self) -> Priors:
        """The prior, gap and rank settings as one value for the scorer."""
        return Priors(self.bias, self.gap_weight, self.rank_weight, self.specific_weight, self.specific_prior)

    def replace(self, **changes: Any) -> Config:
        """A copy with some settings changed (validated like any other)."""
        return dataclasses.replace(self, **changes)


def _settings_table(data: dict[str, Any]) -> tuple[Any, list[str]]:
    """The settings of a TOML file's data (its ``[dedupe]`` table, else its top level) and the problems of where
    they sit: a ``dedupe`` key that is not a table, or a setting's name at the top level beside ``[dedupe]``,
    which would be ignored."""
    if "dedupe" not in data:
        return data, []
    section = data["dedupe"]
    if not isinstance(section, dict):
        return {}, [f"'dedupe' must be the table [dedupe] holding the settings, got {section!r}"]
    known = {f.name for f in dataclasses.fields(Config)}
    return section, [f"'{key}' is outside the [dedupe] table, so it would be ignored: move it under [dedupe]"
                     for key in sorted(data) if key in known]


def _as_tuple(value: Any) -> Any:
    """Accept a comma-separated string or a list for a tuple setting."""
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    if isinstance(value, list):
        return tuple(value)
    return value


def _comparisons(raw: Any) -> tuple[tuple[Comparison, ...], list[str]]:
    """Parse the ``comparisons`` list, collecting problems instead of stopping at one."""
    if not isinstance(raw, (list, tuple)):
        return DEFAULT_COMPARISONS, ["'comparisons' must be a list of tables"]
    parsed, problems = [], []
    for index, item in enumerate(raw):
        if isinstance(item, Comparison):
            parsed.append(item)
            continue
        try:
            parsed.append(Comparison.from_dict(item))
        except (TypeError, ValueError) as error:
            problems.append(f"comparisons[{index}]: {error}")
    return tuple(parsed), problems


_TYPES: dict[str, tuple[type, ...]] = {
    "threshold": (int, float),
    "shingle_size": (int,),
    "num_perm": (int,),
    "seed": (int,),
    "story_threshold": (int, float),
    "link_threshold": (int, float),
    "unscored_weight": (int, float),
    "neighbours": (int,),
    "neighbour_floor": (int, float),
    "neighbour_weight": (int, float),
    "neighbour_neutral": (int, float),
    "bias": (int, float),
    "gap_weight": (int, float),
    "rank_weight": (int, float),
    "specific_weight": (int, float),
    "specific_prior": (int, float),
    "block_keys": (int,),
    "workers": (int,),
    "max_block": (int,),
    "hot_links": (int,),
    "max_candidates": (int,),
    "capped_weight": (int, float),
    "capped_size": (int,),
    "piece_support": (int, float),
    "copy_weight": (int, float),
    "day_link_weight": (int, float),
    "headline_floor": (int, float),
    "headline_window": (int,),
    "headline_neighbours": (int,),
    "headline_max_block": (int,),
}


def _type_problems(values: Mapping[str, Any]) -> list[str]:
    """Keys whose value has the wrong type (booleans are not numbers here)."""
    problems = []
    for key, types in _TYPES.items():
        if key in values and (isinstance(values[key], bool) or not isinstance(values[key], types)):
            expected = "a number" if float in types else "a whole number"
            problems.append(f"'{key}' must be {expected}, got {values[key]!r}")
    return problems


#: Settings that must lie in a closed range: key, lowest, highest, and what the lowest means when it is special.
_RANGES = (
    ("shingle_size", 1, 20, ""), ("num_perm", 16, 1024, ""), ("bias", -20, 20, ""),
    ("neighbours", 0, 100, ""), ("neighbour_floor", 0, 1, ""), ("neighbour_neutral", 0, 1, ""),
    ("neighbour_weight", 0, 100, ""), ("gap_weight", 0, 100, ""), ("rank_weight", 0, 100, ""),
    ("specific_weight", 0, 100, " (off)"), ("specific_prior", 0, 1_000_000, ""),
    ("workers", 0, 256, " (one per core)"), ("block_keys", 1, 100, ""), ("max_block", 2, 10000, ""),
    ("hot_links", 0, 100, " (commoner keys unused)"),
    ("max_candidates", 0, 10000, " (no cap)"), ("capped_weight", 0, 1, ""), ("capped_size", 0, 10000, ""),
    ("piece_support", 0, 10000, " (no second pass)"), ("copy_weight", 0, 1, " (each copy group once)"),
    ("day_link_weight", 0, 100, " (off)"),
    ("headline_window", 0, 3650, ""), ("headline_neighbours", 1, 100, ""), ("headline_max_block", 2, 10000, ""),
)


def _check(config: Config) -> list[str]:
    """Every out-of-range value of a built config."""
    problems = _type_problems(dataclasses.asdict(config))
    if problems:
        return problems
    for key in ("threshold", "story_threshold", "link_threshold", "unscored_weight", "headline_floor"):
        value = getattr(config, key)
        if not 0.0 < value <= 1.0:
            problems.append(f"'{key}' must be above 0 and at most 1, got {value}")
    for key, low, high, meaning in _RANGES:
        value = getattr(config, key)
        if not low <= value <= high:
            problems.append(f"'{key}' must be from {low}{meaning} to {high}, got {value}")
    unknown = [r for r in config.relations if r not in RELATIONS]
    if unknown or not config.relations:
        problems.append(f"'relations' must be some of {', '.join(RELATIONS)}, got {list(config.relations)}")
    return problems
