"""Cluster -> Story: the representative, the sources, and the facts every source states, with provenance."""

from __future__ import annotations

import re
from collections import ChainMap, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import partial
from itertools import chain, islice
from typing import TYPE_CHECKING

from .conflicts import find_conflicts
from .engine import Engine, LocalEngine, flat_map, forks, spans_of
from .extract._calendar import MONTHS, WEEKDAYS
from .extract._text import evidence
from .extract.entities import find_entities
from .extract.numbers import as_compared
from .factgroups import build_facts
from .facts import Claim
from .fieldspool import ClusterWorks, FieldSpool
from .graph import COPY_RELATIONS, cluster_id
from .normalize import sentence_spans
from .storytypes import Conflict, Fact, Source, Story
from .taskfile import closed, merge_tasks
from .types import Article, Cluster, Fields

if TYPE_CHECKING:  # the pipeline calls merge_stories: import its Result for type checking only
    from .pipeline import Result

#: The documented rule choosing a story's representative (``Story.representative_rule``).
REPRESENTATIVE_RULE = (
    "the source stating the most corroborated facts (facts stated by two or more independent reports); "
    "ties go to the cluster's representative (the most central member), then the longest text, "
    "the earliest publication, the smallest id"
)
#: Time zones a page's time stamp names ("Updated: November 11, 2011 20:09 IST"): world-wide, not only the US's.
_ZONES = ("gmt", "utc", "bst", "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt", "akst", "akdt", "hst", "ist",
          "cet", "cest", "eet", "eest", "msk", "jst", "kst", "hkt", "sgt", "pht", "wib", "aest", "aedt",
          "acst", "acdt", "awst", "nzst", "nzdt", "sast", "pkt", "ict")
#: The words of a line that only dates or times a page ("THURSDAY, JUNE 30, 2005", "8:24am:", "Posted on 17 Aug",
#: a press release's "FOR IMMEDIATE RELEASE July 13, 2009").
_STAMP_WORDS = frozenset([*MONTHS, *WEEKDAYS, "am", "pm", "a", "p", "m", "st", "nd", "rd", "th", "posted", "updated",
                          "published", "modified", "edited", "last", "on", "at", "for", "immediate", "release",
                          *_ZONES])
#: The kinds of name a page labels itself with (a masthead, a department, a desk, a dateline's place).
_LABEL_KINDS = frozenset({"organisation", "place"})
#: The most words a label line has ("THE WHITE HOUSE", "Office of the Press Secretary").
_LABEL_WORDS = 6
_STAMP_TOKENS = re.compile(r"[^\W\d_]+|\d+")
#: Clusters per task when an engine merges them: big enough to pay for the task, small enough to balance.
MERGE_CHUNK = 128

Extractor = Callable[[Article], Fields]


def merge_stories(result: Result, extract: Extractor | None = None,
                  engine: Engine | None = None) -> tuple[list[Story], list[Conflict]]:
    """One Story per cluster (sorted by story id) and every conflict (by story, then field).

    Fields come from ``result.extras["fields"]``; a copy without its own takes its
    head's; any article still without fields goes through ``extract`` (by default
    ``dedupe.extract.extract``, run by ``engine`` when one is given: in worker processes).
    Updates stay inside their story; only conflicts are returned in the second list.
    """
    if extract is None and engine is not None:
        work = merge_work(result, engine)
        try:
            stories = flat_map(engine, merge_all, work, spans_of(len(work), MERGE_CHUNK))
        finally:  # the task file goes with the merge, whether it ends or fails
            closed(work)
    else:
        articles, known = result.by_id(), result.extras.get("fields") or {}
        stories = [
            merge_cluster(cluster, articles, known, extract or default_extract) for cluster in result.clusters
        ]
    stories.sort(key=lambda s: s.story_id)
    conflicts = [c for story in stories for c in story.conflicts]
    return stories, conflicts


def default_extract(article: Article) -> Fields:
    """``dedupe.extract.extract`` of the article as extraction reads it in a run (its repeated paragraphs dropped,
    misread text decoded again: ``furniture.strip_boilerplate`` with no furniture known), imported when first
    needed (only for articles without fields: a run of copies only extracts no field before merging)."""
    from .extract import extract
    from .furniture import strip_boilerplate

    return extract(strip_boilerplate(article, frozenset()))


def extract_read(articles: Sequence[Article]) -> list[Fields]:
    """``match.extract_all`` of each article as :func:`default_extract` reads it (one unit of work for an
    engine)."""
    from .furniture import strip_boilerplate
    from .match import extract_all

    return extract_all([strip_boilerplate(article, frozenset()) for article in articles])


def merge_work(result: Result, engine: Engine) -> Sequence[ClusterWork]:
    """The unit of work of each cluster, in order, with the fields of ``result.extras["fields"]`` and those
    of the copy-group heads it lacks (extracted by ``engine``). Fields spooled to a file (a
    :class:`FieldSpool`) are read back chunk by chunk, as the engine takes its slices of the work; for workers
    the engine forks, from a :class:`~dedupe.taskfile.TaskFile` (written before they fork)."""
    articles = result.by_id()
    known: Mapping[str, Fields] = result.extras.get("fields") or {}
    missing = missing_fields(result.clusters, articles, known, engine)
    if not isinstance(known, FieldSpool):
        known = {**known, **missing}
        return [cluster_work(c, articles, known) for c in result.clusters]
    if forks(engine):  # the workers read each cluster's work from a file, not the run's objects
        return merge_tasks(result.clusters, articles, known, missing)
    work = ClusterWorks(result.clusters, partial(cluster_work, articles=articles, known=ChainMap(missing, known)))
    spawns = isinstance(engine, LocalEngine) and engine.processes > 1
    return list(work) if spawns else work  # spawned workers would pickle the spool: read it here


def missing_fields(clusters: Iterable[Cluster], articles: Mapping[str, Article], known: Mapping[str, Fields],
                   engine: Engine) -> dict[str, Fields]:
    """The fields of every copy-group head that ``known`` lacks, extracted by ``engine`` (in id order)."""
    heads = sorted({head for c in clusters for head in copy_heads(c).values() if head not in known})
    return dict(zip(heads, flat_map(engine, extract_read, [articles[head] for head in heads])))


#: One cluster with what merging it reads: its members' articles and the fields known for them.
ClusterWork = tuple[Cluster, tuple[Article, ...], dict[str, Fields]]


def cluster_work(cluster: Cluster, articles: Mapping[str, Article], known: Mapping[str, Fields]) -> ClusterWork:
    """The unit of work of one cluster: self-contained, so an engine can merge it in another process."""
    return (cluster, tuple(articles[m] for m in cluster.members),
            {m: known[m] for m in cluster.members if m in known})


def merge_all(work: Sequence[ClusterWork]) -> list[Story]:
    """The story of each cluster, in order (one unit of work for an engine)."""
    return [merge_cluster(cluster, {a.id: a for a in members}, fields, default_extract)
            for cluster, members, fields in work]


def story_id(members: Iterable[str]) -> str:
    """A stable id from the members: ``s`` + the digest of the cluster id."""
    return "s" + cluster_id(members)[1:]


def merge_cluster(
    cluster: Cluster, articles: Mapping[str, Article], known: Mapping[str, Fields], extract: Extractor
) -> Story:
    """Merge one cluster into a Story."""
    heads = copy_heads(cluster)
    members, fields, claims = cluster_claims(cluster, heads, articles, known, extract)
    facts = build_facts(claims)
    sid = story_id(cluster.members)
    conflicts, updates = find_conflicts(sid, claims, facts)
    representative = choose_representative(cluster, members, facts)
    return Story(
        story_id=sid,
        cluster_id=cluster.cluster_id,
        headline=headline(representative, fields[representative.id], members),
        representative=representative.id,
        representative_rule=REPRESENTATIVE_RULE,
        sources=tuple(source_of(a, heads) for a in by_publication(members)),
        facts=tuple(facts),
        conflicts=tuple(conflicts),
        updates=tuple(updates),
    )


def cluster_claims(cluster: Cluster, heads: Mapping[str, str], articles: Mapping[str, Article],
                   known: Mapping[str, Fields],
                   extract: Extractor) -> tuple[list[Article], dict[str, Fields], list[Claim]]:
    """What merging a cluster starts from, given each member's copy-group head (:func:`copy_heads`): the members'
    articles, their fields (a copy without its own takes its head's) and every claim they make, member by member
    in text order, numbers as :func:`~dedupe.extract.numbers.as_compared` reads them (ranges as bounds)."""
    members = [articles[m] for m in cluster.members]
    by_head = {head: known.get(head) or extract(articles[head]) for head in sorted(set(heads.values()))}
    fields = {a.id: known.get(a.id) or by_head[heads[a.id]] for a in members}
    outlets = {a.id: a.outlet for a in members}  # once a member, not once a mention
    mentions = {id(f): as_compared(f.mentions) for f in fields.values()}  # a copy shares its head's
    claims = [
        Claim(a.id, heads[a.id], outlets[a.id], a.published, mention)
        for a in members
        for mention in mentions[id(fields[a.id])]
    ]
    return members, fields, claims


def by_publication(members: Iterable[Article]) -> list[Article]:
    """The members in the order of a story's sources: earliest publication first (unknown last), then id."""
    return sorted(members, key=lambda a: (a.published or "~", a.id))


def copy_heads(cluster: Cluster) -> dict[str, str]:
    """Each member's copy-group head (the group's smallest id), over exact and near-duplicate edges."""
    parent = {m: m for m in cluster.members}

    def root(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for edge in cluster.edges:
        if edge.relation in COPY_RELATIONS and edge.a in parent and edge.b in parent:
            first, second = sorted((root(edge.a), root(edge.b)))
            parent[second] = first
    return {m: root(m) for m in cluster.members}


def source_of(article: Article, heads: Mapping[str, str]) -> Source:
    """The Source record of one member."""
    head = heads[article.id]
    return Source(article.id, article.outlet, article.published, article.url, article.title,
                  None if head == article.id else head)


def headline(article: Article, fields: Fields, members: Sequence[Article] = ()) -> str:
    """The representative's title, else another member's title (earliest first), else its first sentence that is
    not a page's date or time stamp (:func:`_is_stamp`: an untitled page often opens with its date line) nor a
    label naming only an institution or place (:func:`_is_label`: "THE WHITE HOUSE" over a press release)."""
    titled = sorted((m for m in members if m.title and m.title.strip()), key=lambda m: (m.published or "~", m.id))
    others = [m.title for m in titled]
    told = (text for text in _opening(article, fields) if not _is_stamp(text) and not _is_label(text))
    for candidate in chain((article.title, *others), told):
        if candidate and candidate.strip():
            text = " ".join(candidate.split())
            return text if len(text) <= 200 else text[:199] + "\u2026"
    return article.id


def _opening(article: Article, fields: Fields) -> Iterator[str]:
    """The article's first sentence as extraction split it, widened (:func:`_whole`), then its first four sentences:
    what an untitled story's headline is taken from, each worked out only when asked for (most stories are titled)."""
    yield _whole(article.content, fields.headline)
    for start, end in islice(sentence_spans(article.content), 4):
        yield article.content[start:end]


def _is_stamp(line: str) -> bool:
    """True for a line that only dates or times its page ("THURSDAY, JUNE 30, 2005", "8:24am:", "Updated: 17 Aug
    2011"), which tells no story; False for an empty one (skipped anyway) and for any line with another word."""
    tokens = _STAMP_TOKENS.findall(line)
    return bool(tokens) and all(token.isdigit() or token.lower() in _STAMP_WORDS for token in tokens)


def _is_label(line: str) -> bool:
    """True for a short line that is only the name of an organisation or place, after an optional "The" ("THE
    WHITE HOUSE", "Office of the Press Secretary", "WASHINGTON"): the page's masthead, department or desk, which
    tells no story (a headline says what happened); an all-capitals line is read title-cased, as its names are."""
    words = line.split()
    if not words or len(words) > _LABEL_WORDS:
        return False
    text = " ".join(words).rstrip(":")
    if text.isupper():
        text = text.title()
    named = find_entities(text)
    return (len(named) == 1 and named[0].kind in _LABEL_KINDS
            and named[0].text in (text, text.removeprefix("The ")))


def _whole(text: str, first: str) -> str:
    """``first``, the first sentence of ``text`` as extraction split it, widened to the sentence a reader sees
    ("Paris thieves nab $2." of ECB+'s "$2. 5 million"; see ``extract._text.evidence``); else ``first``."""
    start = len(text) - len(text.lstrip())
    if not first or not text.startswith(first, start):
        return first
    return evidence(text, (start, start + len(first)))


def choose_representative(cluster: Cluster, members: Sequence[Article], facts: Sequence[Fact]) -> Article:
    """The member chosen by REPRESENTATIVE_RULE."""
    stated: dict[str, int] = defaultdict(int)
    for fact in facts:
        if not fact.single_source:
            for evidence in fact.evidence:
                stated[evidence.article_id] += 1
    return min(members, key=lambda a: (-stated[a.id], a.id != cluster.representative, -a.content_length,
                                       a.published or "~", a.id))
