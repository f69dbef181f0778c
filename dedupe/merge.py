"""Cluster -> Story: the representative, the sources, and the facts every source states, with provenance."""

from __future__ import annotations

from collections import ChainMap, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from itertools import chain, islice
from typing import TYPE_CHECKING

from .conflicts import find_conflicts
from .engine import Engine, LocalEngine, flat_map, forks, spans_of
from .facts import Claim
from .fieldspool import ClusterWorks, FieldSpool
from .graph import COPY_RELATIONS, cluster_id
from .normalize import sentence_spans
from .storytypes import Conflict, Evidence, Fact, Source, Story
from .taskfile import merge_tasks
from .types import Article, Cluster, Fields
from .wording import AGREE, SAME, compare_quotes, speaker_key

if TYPE_CHECKING:  # the pipeline calls merge_stories: import its Result for type checking only
    from .pipeline import Result

#: The documented rule choosing a story's representative (``Story.representative_rule``).
REPRESENTATIVE_RULE = (
    "the source stating the most corroborated facts (facts stated by two or more independent reports); "
    "ties go to the cluster's representative (the most central member), then the longest text, "
    "the earliest publication, the smallest id"
)
_KIND_ORDER = {kind: rank for rank, kind in enumerate(("date", "number", "person", "organisation", "place", "quote"))}
_DAY_LIKE = 10  # len("2020-11-05"): a date value at least this long names a day or a range of days
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
        stories = flat_map(engine, merge_all, work, spans_of(len(work), MERGE_CHUNK))
    else:
        articles, known = result.by_id(), result.extras.get("fields") or {}
        stories = [
            merge_cluster(cluster, articles, known, extract or _default_extract) for cluster in result.clusters
        ]
    stories.sort(key=lambda s: s.story_id)
    conflicts = [c for story in stories for c in story.conflicts]
    return stories, conflicts


def _default_extract(article: Article) -> Fields:
    """``dedupe.extract.extract``, imported when first needed (only for articles without fields)."""
    from .extract import extract

    return extract(article)


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
    from .match import extract_all

    heads = sorted({head for c in clusters for head in copy_heads(c).values() if head not in known})
    return dict(zip(heads, flat_map(engine, extract_all, [articles[head] for head in heads])))


#: One cluster with what merging it reads: its members' articles and the fields known for them.
ClusterWork = tuple[Cluster, tuple[Article, ...], dict[str, Fields]]


def cluster_work(cluster: Cluster, articles: Mapping[str, Article], known: Mapping[str, Fields]) -> ClusterWork:
    """The unit of work of one cluster: self-contained, so an engine can merge it in another process."""
    return (cluster, tuple(articles[m] for m in cluster.members),
            {m: known[m] for m in cluster.members if m in known})


def merge_all(work: Sequence[ClusterWork]) -> list[Story]:
    """The story of each cluster, in order (one unit of work for an engine)."""
    return [merge_cluster(cluster, {a.id: a for a in members}, fields, _default_extract)
            for cluster, members, fields in work]


def story_id(members: Iterable[str]) -> str:
    """A stable id from the members: ``s`` + the digest of the cluster id."""
    return "s" + cluster_id(members)[1:]


def merge_cluster(
    cluster: Cluster, articles: Mapping[str, Article], known: Mapping[str, Fields], extract: Extractor
) -> Story:
    """Merge one cluster into a Story."""
    heads = copy_heads(cluster)
    members = [articles[m] for m in cluster.members]
    by_head = {head: known.get(head) or extract(articles[head]) for head in sorted(set(heads.values()))}
    fields = {a.id: known.get(a.id) or by_head[heads[a.id]] for a in members}
    outlets = {a.id: a.outlet for a in members}  # once a member, not once a mention
    claims = [
        Claim(a.id, heads[a.id], outlets[a.id], a.published, mention)
        for a in members
        for mention in fields[a.id].mentions
    ]
    facts = build_facts(claims)
    sid = story_id(cluster.members)
    conflicts, updates = find_conflicts(sid, claims, facts)
    representative = choose_representative(cluster, members, facts)
    rep_fields = fields[representative.id]
    return Story(
        story_id=sid,
        cluster_id=cluster.cluster_id,
        headline=headline(representative, rep_fields, members),
        representative=representative.id,
        representative_rule=REPRESENTATIVE_RULE,
        sources=tuple(_source(a, heads) for a in sorted(members, key=lambda a: (a.published or "~", a.id))),
        facts=tuple(facts),
        conflicts=tuple(conflicts),
        updates=tuple(updates),
    )


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


def _source(article: Article, heads: Mapping[str, str]) -> Source:
    """The Source record of one member."""
    head = heads[article.id]
    return Source(article.id, article.outlet, article.published, article.url, article.title,
                  None if head == article.id else head)


def headline(article: Article, fields: Fields, members: Sequence[Article] = ()) -> str:
    """The representative's title, else another member's title (earliest first), else its first sentence."""
    titled = sorted((m for m in members if m.title and m.title.strip()), key=lambda m: (m.published or "~", m.id))
    others = [m.title for m in titled]
    first_sentence = (article.content[s:e] for s, e in islice(sentence_spans(article.content), 1))
    for candidate in chain((article.title, *others, fields.headline), first_sentence):
        if candidate and candidate.strip():
            text = " ".join(candidate.split())
            return text if len(text) <= 200 else text[:199] + "\u2026"
    return article.id


def _fact_key(claim: Claim) -> tuple[str, ...]:
    """Which claims state the same fact: a day by its value alone, other values with what they are about."""
    m = claim.mention
    if m.kind == "date":
        names_days = len(m.value) >= _DAY_LIKE and m.value[:4].isdigit()
        return ("date", "" if names_days else m.about, m.value)
    if m.kind == "number":
        subject = m.subject if m.about.startswith("age") else ""
        return ("number", m.about, subject, m.value)
    return (m.kind, m.value.casefold())


def build_facts(claims: Sequence[Claim]) -> list[Fact]:
    """Group claims into facts: equal values (quotes: the same words, give or take a paraphrase)."""
    grouped: dict[tuple[str, ...], list[Claim]] = defaultdict(list)
    for claim in claims:
        if claim.mention.kind != "quote":
            grouped[_fact_key(claim)].append(claim)
    facts = [_fact(members) for members in grouped.values()]
    facts.extend(_fact(members) for members in quote_groups([c for c in claims if c.mention.kind == "quote"]))
    return sorted(facts, key=lambda f: (_KIND_ORDER.get(f.kind, 99), -f.corroboration, f.about, f.subject, f.value))


def _fact(claims: Sequence[Claim]) -> Fact:
    """One fact from the claims stating it: one piece of evidence per article (its first mention)."""
    return single_fact(claims[0]) if len(claims) == 1 else grouped_fact(claims)


def single_fact(claim: Claim) -> Fact:
    """The fact one claim alone states (most facts): :func:`grouped_fact` of ``[claim]``, without its sets,
    sorts and joins."""
    m = claim.mention
    return Fact(m.kind, m.about or "", m.subject or "", m.value, (claim.evidence(),), corroboration=1)


def grouped_fact(claims: Sequence[Claim]) -> Fact:
    """The fact the claims state together: what they are about and whose, joined; a quote's longest wording."""
    kind = claims[0].mention.kind
    abouts = sorted({c.mention.about for c in claims if c.mention.about})
    subjects = sorted({c.mention.subject for c in claims if c.mention.subject})
    value = max((c.mention.value for c in claims), key=lambda v: (len(v), v)) if kind == "quote" else \
        claims[0].mention.value
    return Fact(kind, " / ".join(abouts), " / ".join(subjects), value, evidence_of(claims),
                corroboration=len({c.group for c in claims}))


def quote_groups(claims: Sequence[Claim]) -> list[list[Claim]]:
    """Quotes grouped by speaker and wording: a paraphrase joins, a changed meaning stays apart."""
    groups: list[list[Claim]] = []
    by_speaker: dict[str, list[list[Claim]]] = defaultdict(list)
    for claim in sorted(claims, key=lambda c: (c.article_id, c.mention.start, c.mention.value)):
        candidates = by_speaker[_speaker_family(claim.mention.subject, by_speaker)]
        best = _best_group(claim, candidates)
        if best is None:
            best = []
            candidates.append(best)
            groups.append(best)
        best.append(claim)
    return groups


def _speaker_family(speaker: str, known: Mapping[str, object]) -> str:
    """The key of a speaker already seen with the same surname ("Nye" and "Jim Nye"), else its own key."""
    key = speaker_key(speaker)
    if key in known or not key:
        return key
    family = [o for o in sorted(known) if o and (o.endswith(" " + key) or key.endswith(" " + o))]
    return family[0] if len(family) == 1 else key


def _best_group(claim: Claim, groups: Sequence[list[Claim]]) -> list[Claim] | None:
    """The group whose first quote this claim repeats or paraphrases, else None."""
    for group in groups:
        verdict, _, _ = compare_quotes(group[0].mention.value, claim.mention.value)
        if verdict in (SAME, AGREE):
            return group
    return None


def choose_representative(cluster: Cluster, members: Sequence[Article], facts: Sequence[Fact]) -> Article:
    """The member chosen by REPRESENTATIVE_RULE."""
    stated: dict[str, int] = defaultdict(int)
    for fact in facts:
        if not fact.single_source:
            for evidence in fact.evidence:
                stated[evidence.article_id] += 1
    return min(members, key=lambda a: (-stated[a.id], a.id != cluster.representative, -a.content_length,
                                       a.published or "~", a.id))


def evidence_of(claims: Iterable[Claim]) -> tuple[Evidence, ...]:
    """One piece of evidence per article, in article order (its first claim)."""
    first: dict[str, Claim] = {}
    for claim in sorted(claims, key=lambda c: (c.article_id, c.mention.start)):
        first.setdefault(claim.article_id, claim)
    return tuple(first[a].evidence() for a in sorted(first))
