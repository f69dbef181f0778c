"""A check's candidates capped as a batch run caps them, its average links with their stories, what it reads, shows."""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from ..capping import key_weight
from ..config import Config
from ..extract import with_quotes
from ..profile import Profile
from ..types import Article, Edge, Fields
from .codec import article_from, fields_from
from .store import Index, lookup

#: How far below the ``cap``-th largest evidence a head's may lie and still rank among the ``cap`` best once
#: rounded to 9 places (rounding moves a value by at most 5e-10; twice that, with room to spare)
_ROUNDING_REACH = 2e-9
_SHOWN = 5  # candidates listed in a verdict


@cache
def _weight(holders: int) -> float:
    """:func:`~dedupe.capping.key_weight` of a count, as a float (a few hundred counts recur over an add)."""
    return float(key_weight(holders))


def capped_split(held: Mapping[str, Sequence[str]], cap: int) -> tuple[list[str], list[str]]:
    """The heads holding the article's usable keys (``held``: each key's holders but the article), split as a
    batch run's cap (:mod:`dedupe.capping`) splits the article's candidates: its ``cap`` best by shared-key
    evidence kept (most first, ties by id), the others left out; both in id order (``cap`` 0: none left out).

    A pair's evidence is :func:`dedupe.capping.key_matrix`'s: each shared key weighs
    :func:`~dedupe.capping.key_weight` of its holders (the article counted among them), summed over the keys
    and rounded to 9 places.
    Example: ``capped_split({"k": ["a", "b"], "j": ["b"]}, 1)`` is ``(["b"], ["a"])``.
    """
    if cap <= 0:
        return sorted(set().union(*held.values())), []
    evidence: dict[str, float] = {}
    for key in sorted(held):
        heads = held[key]
        weight = _weight(len(heads) + 1)
        for head in heads:
            evidence[head] = evidence.get(head, 0.0) + weight
    if len(evidence) <= cap:
        return sorted(evidence), []
    # only the heads near the cap-th largest evidence or above can rank among the best once rounded (rounding
    # keeps the order of values apart by more than _ROUNDING_REACH): ranked, as every head was, ~8x fewer
    least = sorted(evidence.values(), reverse=True)[cap - 1] - _ROUNDING_REACH
    order = sorted((head for head, value in evidence.items() if value >= least),
                   key=lambda head: (-round(evidence[head], 9), head))
    kept = set(order[:cap])
    return sorted(kept), sorted(head for head in evidence if head not in kept)


def silence(config: Config, heads: int, cut: int) -> tuple[float, float]:
    """The weights as a 0 of a story's unscored heads: of those the cap left out (``cut`` of its ``heads``), and
    of the others. The cap's weigh ``capped_weight`` when the story and the article are more than ``capped_size``
    heads together (as a batch run's clustering counts the pairs its cap left out), else ``unscored_weight``."""
    unscored = config.unscored_weight
    return (config.capped_weight if cut and heads + 1 > config.capped_size else unscored), unscored


def plain_link(config: Config, scored: Sequence[tuple[str, float]], heads: int, cut: int) -> float:
    """The article's average link with a story of ``heads`` heads each weighing 1, ``cut`` of them left out by the
    cap (see :func:`silence`). Example: scores 0.9 and 0.8 with a third head unscored give ``1.7 / (2 + 0.3)``."""
    capped_weight, unscored = silence(config, heads, cut)
    return round(sum(s for _, s in scored) / (len(scored) + unscored * (heads - len(scored) - cut)
                                              + capped_weight * cut), 9)


def weighed_link(config: Config, scored: Sequence[tuple[str, float]], sizes: Mapping[str, int],
                 cut: Sequence[str]) -> float:
    """The article's average link with a story over article pairs: each head weighing its copy group's articles
    (``sizes``) to the power ``copy_weight`` (as :func:`dedupe.linkage.head_weights`), the article itself 1; the
    heads of ``cut`` were left out by the cap (see :func:`silence`)."""
    power = config.copy_weight
    total = sum(sizes[head] ** power * score for head, score in sorted(scored))
    heard = sum(sizes[head] ** power for head, _ in sorted(scored))
    mass = sum(size ** power for _, size in sorted(sizes.items()))
    left = sum(sizes[head] ** power for head in sorted(cut))
    capped_weight, unscored = silence(config, len(sizes), len(cut))
    return round(total / (heard + unscored * (mass - heard - left) + capped_weight * left), 9)


def furniture_of(index: Index) -> frozenset[str]:
    """The index's page furniture: the normalised paragraphs stripped from every article before extraction."""
    return frozenset(p for (p,) in index.db.execute("SELECT paragraph FROM furniture"))


def story_inputs(index: Index, members: Sequence[str]) -> tuple[dict[str, Article], dict[str, Fields]]:
    """The indexed articles among ``members`` and the fields of those that head their copy group."""
    articles = {a.id: a for a in (article_from(t) for (t,) in lookup(
        index, "SELECT article FROM articles WHERE id IN ({})", members))}
    known = {i: fields_from(t) for i, t in lookup(
        index, "SELECT f.id, f.fields FROM fields f JOIN members m ON m.id = f.id WHERE m.id = m.head "
        "AND f.id IN ({})", members)}
    return articles, known


def shown(scores: dict[str, float], owner: Mapping[str, str]) -> list[dict[str, Any]]:
    """The best candidates of a verdict (``_SHOWN`` of them, best first, ties by id), with their stories.

    Example: ``[{"id": "a", "story": "S000002", "score": 0.8123}]``.
    """
    best = heapq.nsmallest(_SHOWN, scores.items(), key=lambda p: (-p[1], p[0]))  # sorted(...)[:_SHOWN]
    return [{"id": c, "story": owner[c], "score": round(s, 4)} for c, s in best]


@dataclass(frozen=True)
class Found:
    """What the same-story check made of an article: its profile, its fields, the article stripped of
    furniture, and its link to the story it would join (None for a new story).

    ``extracted`` are its fields as extracted, without quotations unless ``quoted`` (a check reads them
    only for the facts of a ``same_story`` verdict); ``fields`` has them all, the quotations found on first read.
    """

    profile: Profile
    extracted: Fields
    cleaned: Article
    edge: Edge | None
    quoted: bool = True

    @cached_property
    def fields(self) -> Fields:
        """Every field of the article, as ``extract`` gives them."""
        return self.extracted if self.quoted else with_quotes(self.extracted, self.cleaned)
