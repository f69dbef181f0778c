"""Corpus-aware article profiles: TF-IDF term and name weights, field sets (page furniture: :mod:`furniture`)."""

from __future__ import annotations

import copy
import datetime as dt
import heapq
import math
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from scipy import sparse

from .corpusweights import (
    CorpusWeights,
    InverseFrequency,
    TermCounts,
    inverse_frequencies,
    tfidf_weights,
)
from .extract import MAX_CHARS
from .normalize import fold, folded_figures, folded_tokens
from .people import lead_people, principal_person
from .profilecolumns import CodeColumn, KeptColumns, ProfileColumns, day_ordinals
from .types import Article, Fields
from .vectors import WeightMatrix

_NAME_KINDS = ("person", "organisation", "place")
_COUNTED = frozenset({"killed", "injured", "age", "people", "wounded", "dead"})
STOPWORDS = frozenset(
    ["a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at",
     "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do",
     "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he",
     "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me",
     "more", "most", "my", "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "out",
     "over", "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "them", "then",
     "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very", "was", "we",
     "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your",
     "said", "says", "say", "told", "new", "one", "two", "three", "year", "years", "people", "like", "get", "got", "us",
     "mr", "mrs", "ms", "according", "week", "day", "today", "yesterday", "monday", "tuesday", "wednesday", "thursday",
     "friday", "saturday", "sunday"]
)


@dataclass(frozen=True)
class Profile:
    """What the field comparisons read of one article.

    ``terms`` and ``names`` are L2-normalised TF-IDF weights of content words and of
    extracted names; ``dates`` the absolute event dates; ``numbers`` the ``about:value``
    counts, each with its :func:`rarity` in the corpus; ``day`` the publication date;
    ``people`` the surnames of the people it names, its lead first (see :func:`~dedupe.people.lead_people`);
    ``principal`` the person its headline is about, then its headline's words, ``""`` and the people it names
    often (:func:`~dedupe.people.principal_person`; empty: none).
    """

    article_id: str
    headline: str
    place: str
    outlet: str
    day: dt.date | None
    terms: Mapping[str, float]
    names: Mapping[str, float]
    dates: frozenset[str]
    numbers: Mapping[str, float]
    people: tuple[str, ...] = ()
    principal: tuple[str, ...] = ()


#: The rules :func:`content_terms` follows; an index records the version its stored profiles and frequencies
#: were made with (``terms`` in its meta; none: 1). Version 2 counts figures written in digits.
TERMS_VERSION = 2


def content_terms(article: Article) -> list[str]:
    """Content words of headline and body (its first ``MAX_CHARS``), no stop words, digit runs or one-letter
    words, then the :func:`~dedupe.normalize.figures` it writes in digits ("5.6", "31-24", "1000"): an amount
    or a score two reports of one event share, and a look-alike event of the same kind does not."""
    folded = fold(f"{article.title or ''}\n{article.text[:MAX_CHARS]}")  # folded once for both
    words = [t for t in folded_tokens(folded) if t not in STOPWORDS and len(t) > 1 and not t.isdigit()]
    return words + folded_figures(folded)


def name_terms(fields: Fields, article: Article) -> list[str]:
    """Names the article mentions (people, organisations, places), lower-cased, one per mention."""
    names = [m.value.lower() for m in fields.mentions if m.kind in _NAME_KINDS]
    if fields.place:
        names.append(fields.place.lower())
    return names


def tfidf(documents: Sequence[list[str]]) -> list[dict[str, float]]:
    """Sublinear TF times smoothed IDF, L2-normalised, for each document's term list.

    Example: ``tfidf([["fire", "fire", "crew"], ["crew"]])[0]`` weighs ``fire`` 0.977 and ``crew`` 0.213.
    """
    corpus = tfidf_weights(documents)
    return [dict(corpus.row(index).items()) for index in range(len(corpus))]


def rarity(frequency: int, documents: int) -> float:
    """How rare a value held by ``frequency`` of ``documents`` articles is: its IDF over the IDF of a
    value only one article holds, so 1 for a unique value and near 0 for one nearly all hold.

    Example: ``rarity(1, 9)`` is ``1.0``; ``rarity(5, 9)`` is ``log(2) / log(10)``, about ``0.3``.
    """
    return math.log((documents + 1) / frequency) / math.log(documents + 1)


def rarities(documents: Sequence[frozenset[str]]) -> list[dict[str, float]]:
    """Each document's values with their :func:`rarity` among all the documents (sorted by value)."""
    df: Counter[str] = Counter()
    for values in documents:
        df.update(values)
    return [{v: rarity(df[v], len(documents)) for v in sorted(values)} for values in documents]


def _day(article: Article) -> dt.date | None:
    """The publication day as a date."""
    day = article.day
    try:
        return dt.date.fromisoformat(day) if day else None
    except ValueError:
        return None


def count_values(fields: Fields) -> frozenset[str]:
    """Counts worth comparing: casualties and ages, as ``about:value``."""
    return frozenset(f"{m.about}:{m.value}" for m in fields.of("number") if m.about in _COUNTED)


def _dates(fields: Fields) -> frozenset[str]:
    """Event dates given with a year (relative ones already resolved)."""
    return frozenset(m.value for m in fields.of("date") if m.value[:1].isdigit())


class ProfileTable(Mapping[str, Profile]):
    """The profiles of a corpus: term and name weights held as two :class:`CorpusWeights` matrices.

    ``table[article_id]`` is the :class:`Profile` as a dict of profiles gave it, its weights plain
    dicts built on each read (for ``dedupe explain``, the index, callers that keep one); ``light``
    maps each id to the same profile with read-only row views as weights, what blocking and scoring
    read without a copy. Holding ~7 bytes a weight instead of ~70 (each weight as its count: see
    :class:`~dedupe.countstore.CountMatrix`), it is a tenth of the dicts' size; ``light`` is a
    :class:`~dedupe.profilecolumns.ProfileColumns` when built by :class:`ProfileBuilder` (the other fields
    column-wise too, each profile built on read).
    """

    def __init__(self, light: Mapping[str, Profile], terms: CorpusWeights, names: CorpusWeights) -> None:
        self.light, self.terms, self.names = light, terms, names

    def row(self, article_id: str) -> int:
        """The row of ``article_id``'s weights in ``terms`` and ``names``."""
        light = self.light
        return light.row(article_id) if isinstance(light, ProfileColumns) else light[article_id].terms.index

    def __getitem__(self, article_id: str) -> Profile:
        profile = self.light[article_id]
        return replace(profile, terms=dict(profile.terms.items()), names=dict(profile.names.items()))

    def __iter__(self) -> Iterator[str]:
        return iter(self.light)

    def __len__(self) -> int:
        return len(self.light)

    def corpus(self, field: str) -> CorpusWeights | None:
        """The matrix of a weights field (``terms``, ``names``), else None."""
        return {"terms": self.terms, "names": self.names}.get(field)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled, the table becomes a plain dict of profiles (as its rows become dicts, see ``WeightRow``)."""
        return dict, (list(self.items()),)


def sizes_only(profiles: Mapping[str, Profile]) -> Mapping[str, Profile]:
    """``profiles`` without the term weights but their sizes (``len`` of each row), for a caller done with them:
    a new :class:`ProfileTable` sharing everything else, so dropping the old one frees the matrix and its
    vocabulary (most of a table: at 1M articles, ~3 GB). Any other mapping is returned as it is. A row's terms
    in the new table answer ``len`` only; reading their weights is an error.
    """
    if not isinstance(profiles, ProfileTable) or not isinstance(profiles.light, ProfileColumns):
        return profiles
    sizes = profiles.terms.matrix.sizes
    empty = sparse.csr_matrix((len(sizes), 1), dtype=np.float64)
    terms = CorpusWeights([], {}, WeightMatrix(empty, empty, sizes))
    light = copy.copy(profiles.light)
    light.terms = terms
    return ProfileTable(light, terms, profiles.names)


def light_profiles(profiles: Mapping[str, Profile]) -> Mapping[str, Profile]:
    """The profiles to read many times over: a :class:`ProfileTable`'s views, else the mapping itself."""
    return profiles.light if isinstance(profiles, ProfileTable) else profiles


#: What a profile keeps of a :class:`ProfileSource` besides its counted terms and names (as
#: :meth:`~dedupe.profilecolumns.KeptColumns.add` takes them): headline, place, dates, counts, people, principal.
Kept = tuple[str, str, frozenset[str], frozenset[str], tuple[str, ...], tuple[str, ...]]


@dataclass(frozen=True)
class ProfileSource:
    """What :func:`build_profiles` reads of one article (stripped of boilerplate) and its fields: its content
    terms and names counted (in first-seen order), headline, lower-cased place, dates, counts, people (lead
    first) and principal. Made where the article is extracted, it lets the fields go to disk without the process
    building profiles holding them."""

    terms: Counter[str]
    names: Counter[str]
    headline: str
    place: str
    dates: frozenset[str]
    counts: frozenset[str]
    people: tuple[str, ...] = ()
    principal: tuple[str, ...] = ()

    def kept(self) -> Kept:
        """What a profile keeps of this source besides its terms and names (see :data:`Kept`)."""
        return self.headline, self.place, self.dates, self.counts, self.people, self.principal


def profile_source(article: Article, fields: Fields) -> ProfileSource:
    """The :class:`ProfileSource` of an article already stripped of boilerplate."""
    return ProfileSource(Counter(content_terms(article)), Counter(name_terms(fields, article)), fields.headline,
                         fields.place.lower(), _dates(fields), count_values(fields), lead_people(fields),
                         principal_person(fields))


class ProfileBuilder:
    """Profiles built from one :class:`ProfileSource` per article, added in article order: the terms and names
    are counted as they come (see :class:`~dedupe.corpusweights.TermCounts`; their entries wait in temporary files
    past the first million), the rest kept column-wise until ``table`` (see
    :class:`~dedupe.profilecolumns.KeptColumns`)."""

    def __init__(self) -> None:
        self.terms, self.names = TermCounts(spooled=True), TermCounts(spooled=True)
        self.kept = KeptColumns()

    def add(self, source: ProfileSource) -> None:
        """Count the next article's source."""
        self.terms.add(source.terms)
        self.names.add(source.names)
        self.kept.add(*source.kept())

    def table(self, articles: Sequence[Article], idf: Mapping[str, InverseFrequency] | None = None) -> ProfileTable:
        """The profiles of ``articles`` (those whose sources were added, in order), corpus-wide TF-IDF;
        ``idf`` as for :func:`build_profiles`."""
        if len(articles) != len(self.kept):
            raise ValueError(f"{len(articles)} articles for {len(self.kept)} sources added")
        chosen = idf or {}
        terms = self.terms.weights(chosen.get("terms", inverse_frequencies))
        self.terms.close()
        self.terms = TermCounts()  # its counts go before the names are weighed
        names = self.names.weights(chosen.get("names", inverse_frequencies))
        self.names.close()
        self.names = TermCounts()
        outlets = CodeColumn()
        for article in articles:
            outlets.append((article.outlet.lower(),))
        light = ProfileColumns([a.id for a in articles], day_ordinals(map(_day, articles)), outlets, self.kept,
                               terms, names, rarity)
        return ProfileTable(light, terms, names)


def build_profiles(articles: Sequence[Article], fields: Mapping[str, Fields], *,
                   idf: Mapping[str, InverseFrequency] | None = None) -> ProfileTable:
    """Profiles for articles already stripped of boilerplate, with corpus-wide TF-IDF.

    ``idf`` may give the IDF of ``terms`` or ``names`` (default :func:`corpusweights.inverse_frequencies`,
    which ``dedupe index`` also reads); ``bench/idf_screen.py`` compares others.
    """
    builder = ProfileBuilder()
    for article in articles:
        builder.add(profile_source(article, fields[article.id]))
    return builder.table(articles, idf)


def profile_of(article: Article, fields: Fields, terms: Mapping[str, float], names: Mapping[str, float],
               numbers: Mapping[str, float]) -> Profile:
    """The profile of one article stripped of boilerplate, given its weights and its counts' rarities
    (what :func:`build_profiles` computes corpus-wide; ``dedupe check`` computes them against the index)."""
    return Profile(article_id=article.id, headline=fields.headline, place=fields.place.lower(),
                   outlet=article.outlet.lower(), day=_day(article), terms=terms, names=names, dates=_dates(fields),
                   numbers=numbers, people=lead_people(fields),
                   principal=principal_person(fields))


def salient_keys(profile: Profile, count: int) -> list[str]:
    """The ``count`` heaviest names and terms: the keys a profile is blocked on."""
    weighted = [(-w, "n:" + k) for k, w in profile.names.items()]
    weighted.extend((-w, "t:" + k) for k, w in profile.terms.items())
    return [key for _, key in heapq.nsmallest(count, weighted)]
