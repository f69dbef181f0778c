"""Weighing new articles with the index's frequencies, and ``add --fast``'s profiles made before any placing.

An ``add --fast`` weighs every article with the index's document frequencies and document count at its
start (they are written at its end, see :mod:`dedupe.index.addseen`), so an article's profile, salient keys
and indexed candidates do not depend on the articles placed before it. :func:`profile_batch` therefore makes
every profile first and reads, in a few queries for the whole batch, what the placements would otherwise
read article by article: the frequencies of their terms, the postings of their salient keys, the stories
of the heads holding those keys, and how many heads those stories have. :func:`weights` and
:func:`term_sets` are the weighing a ``check`` of one article also goes through. When the add reads every
article's story first, it also reads every frequency before its workers start, and they weigh the articles themselves
(:class:`Frozen`, :func:`weighed_ahead`), handing the main process each profile with its salient keys.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, repeat
from typing import TYPE_CHECKING

import numpy as np

from ..extract import extract
from ..furniture import strip_boilerplate
from ..profile import (
    Profile,
    content_terms,
    count_values,
    name_terms,
    profile_of,
    rarity,
    salient_keys,
)
from ..types import Article, Fields
from .codec import article_key
from .headstore import KINDS

if TYPE_CHECKING:
    from .story_check import StoryChecker


@dataclass(frozen=True)
class Ahead:
    """What a check makes of an article whatever the index holds, when worked out ahead (``add --fast``'s
    workers): its fields, and the terms, names and counts its profile weighs (:func:`term_sets`)."""

    fields: Fields | None  # None once weighed in a worker (:func:`~dedupe.index.addwork.sent`)
    sets: dict[str, list[str]]
    weighed: tuple[Profile, list[str]] | None = None  # the profile and salient keys, when weighed ahead
    #: with them, the index's column of each of the profile's terms, names and counts (-1: none at the add's start),
    #: looked up in the worker: int64 bytes, the kinds end to end (one object to unpickle, not an array a kind);
    #: :func:`columns_of` splits them for :class:`~dedupe.index.rows.Vocabulary`'s ``row(known=...)``
    columns: bytes | None = None


@dataclass(frozen=True)
class Frozen:
    """What an ``add --fast`` weighs every article with: the document frequency of every key the index held
    at its start, by kind letter (``t``, ``n``, ``c``), its document count, and how many salient keys a
    profile is blocked on (``block_keys``). Read before the workers are forked, which inherit it."""

    frequencies: Mapping[str, Mapping[str, int]]
    documents: int
    block_keys: int
    idf: dict[str, dict[str, float]] = field(default_factory=lambda: {"t": {}, "n": {}}, compare=False, repr=False)
    #: each key's ``frequencies`` column at the add's start, by kind letter (none: the columns are not looked up)
    columns: Mapping[str, Mapping[str, int]] = field(default_factory=dict, compare=False, repr=False)

    def weighed(self, cleaned: Article, ahead: Ahead) -> Ahead:
        """``ahead`` with the article's profile and salient keys (:attr:`Ahead.weighed`), as the add's
        :class:`~dedupe.index.story_check.StoryChecker` makes them, and with :attr:`columns` the columns of
        its terms, names and counts (:attr:`Ahead.columns`)."""
        profile = weighed_profile(cleaned, ahead, self.frequencies, self.documents, self.idf)
        columns = None if not self.columns else np.fromiter(
            chain.from_iterable(map(self.columns.get(letter, {}).get, getattr(profile, kind), repeat(-1))
                                for kind, letter in KINDS), dtype=np.int64).tobytes()
        return Ahead(ahead.fields, ahead.sets, (profile, salient_keys(profile, self.block_keys)), columns)


def columns_of(profile: Profile, columns: bytes) -> dict[str, np.ndarray]:
    """The columns of :attr:`Ahead.columns` by kind (``terms``, ``names``, ``numbers``), each in the profile's order."""
    joined = np.frombuffer(columns, dtype=np.int64)
    found, start = {}, 0
    for kind, _ in KINDS:
        end = start + len(getattr(profile, kind))
        found[kind] = joined[start:end]
        start = end
    return found


def term_sets(cleaned: Article, fields: Fields) -> dict[str, list[str]]:
    """The words (``t``), names (``n``) and counts (``c``, sorted) an article stripped of furniture is
    weighed on, as :func:`~dedupe.profile.profile_of` takes them."""
    return {"t": content_terms(cleaned), "n": name_terms(fields, cleaned), "c": sorted(count_values(fields))}


def weights(terms: list[str], frequencies: Mapping[str, int], documents: int,
            idf: dict[str, float] | None = None) -> dict[str, float]:
    """``profile.tfidf`` weights of one new document, given the indexed document frequencies.

    The document counts itself: ``df + 1`` of ``documents + 1``, as after adding it. ``idf`` keeps each
    term's inverse document frequency for the next documents weighed with the same frequencies.
    """
    total = documents + 1
    if idf is None:
        idf = {}
    raw = {}
    for t, n in Counter(terms).items():
        inverse = idf.get(t)
        if inverse is None:
            inverse = idf[t] = math.log((total + 1) / (frequencies.get(t, 0) + 1))
        raw[t] = (1.0 + math.log(n)) * inverse
    norm = math.sqrt(sum(w * w for w in raw.values())) or 1.0
    return {t: w / norm for t, w in raw.items() if w > 0}


def weighed_profile(cleaned: Article, ahead: Ahead, found: Mapping[str, Mapping[str, int]], documents: int,
                    idf: Mapping[str, dict[str, float]] | None = None) -> Profile:
    """The profile of an article stripped of furniture, its terms weighed with the document frequencies
    ``found`` of its keys (by kind letter; a key it lacks: 0) among ``documents`` (``idf``: each kind's IDFs
    kept, see :func:`weights`)."""
    sets = ahead.sets
    return profile_of(cleaned, ahead.fields,
                      weights(sets["t"], found["t"], documents, idf["t"] if idf else None),
                      weights(sets["n"], found["n"], documents, idf["n"] if idf else None),
                      {c: rarity(found["c"].get(c, 0) + 1, documents + 1) for c in sets["c"]})


def profile_batch(stories: StoryChecker, articles: Sequence[Article], cleaned: Mapping[str, Article]) -> None:
    """Make the profile of every article into ``stories.profiled`` and its salient keys into ``stories.keyed``
    (its fields from ``stories.prepared`` when worked out ahead, else extracted here; ``prepared`` is
    emptied; ``cleaned``: some of the articles stripped of furniture, by id), and fill the checker's memory
    with the frequencies, postings, owners and head counts the placements will read. Nothing without the
    same-story relation."""
    if "same_story" not in stories.config.relations:
        return
    made = []
    for article in articles:
        stripped = cleaned.get(article.id) or strip_boilerplate(article, stories.furniture)
        ahead = stories.prepared.get(article_key(stripped))
        if ahead is None:
            fields = extract(stripped, True)
            ahead = Ahead(fields, term_sets(stripped, fields))
        made.append((article.id, stripped, ahead))
    stories.prepared.clear()
    memory = stories.memory
    weigh = [(i, stripped, ahead) for i, stripped, ahead in made
             if ahead.weighed is None or ahead.weighed[0].article_id != i]
    for letter in ("t", "n", "c"):  # one look-up for the batch's terms of each kind
        memory.frequencies(letter, {term for _, _, ahead in weigh for term in ahead.sets[letter]})
    keys: set[str] = set()
    for article_id, stripped, ahead in made:
        if ahead.weighed is not None and ahead.weighed[0].article_id == article_id:
            profile, keyed = ahead.weighed
            if ahead.columns is not None:
                stories.columns_ahead[article_id] = columns_of(profile, ahead.columns)
        else:
            profile = stories.weighed(stripped, ahead)
            keyed = salient_keys(profile, stories.config.block_keys)
        stories.profiled[article_id] = (profile, ahead.fields, stripped)
        stories.keyed[article_id] = keyed
        keys.update(keyed)
    held = memory.postings(keys, stories.config.max_block)
    if not memory.stories_read:  # else every owner and head count is in memory already
        heads = {head for holders in held.values() for head in holders}
        memory.head_counts(set(memory.owners(heads).values()))
    else:  # a large add, which reads heads on first use: those the articles will score, for the part at once
        memory.read(sorted({head for article_id, _, _ in made
                            for head in stories.ranked(stories.profiled[article_id][0], keep=True)[0]}))
