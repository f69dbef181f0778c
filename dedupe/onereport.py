"""Stories of one report (a lone article or one copy group: most stories) merged straight to their records or lines."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import orjson

from .extract.numbers import as_compared
from .factgroups import (
    KINDS,
    claim_groups,
    fact_rank,
    fact_terms,
    first_claims,
    mention_key,
    mention_terms,
    quote_places,
)
from .facts import Claim
from .merge import (
    REPRESENTATIVE_RULE,
    ClusterWork,
    Extractor,
    by_publication,
    choose_representative,
    cluster_claims,
    copy_heads,
    default_extract,
    headline,
    merge_cluster,
    source_of,
    story_id,
)
from .report.views import Outline, outline
from .storytypes import Conflict, Story, evidence_record, fact_record, story_record
from .types import Article, Cluster, Fields, Mention

#: One cluster merged as the merge workers need it: the ``Story.as_dict()`` record, its outline and its conflicts.
Record = tuple[dict[str, Any], Outline, tuple[Conflict, ...]]


def merged_records(work: Sequence[ClusterWork], extract: Extractor = default_extract) -> Iterator[Record]:
    """Each cluster of ``work`` (see ``merge.merge_all``) merged to its record, outline and conflicts, in order.

    A story of one report can hold no conflict or update and no corroborated fact, so its record is built from
    its claims directly (:func:`one_report_record`), without the Story, Fact and Evidence objects it would
    only be turned back from; any other goes through :func:`~dedupe.merge.merge_cluster`. Same records either way.
    """
    for cluster, members, fields in work:
        articles = {a.id: a for a in members}
        heads = copy_heads(cluster)
        if one_report(heads):
            record = one_report_record(cluster, heads, articles, fields, extract)
            yield record, outline(record), ()
        else:
            story = merge_cluster(cluster, articles, fields, extract)
            yield story.as_dict(), story_outline(story), story.conflicts


def one_report(heads: Mapping[str, str]) -> bool:
    """Whether a cluster's members (with their copy-group heads, :func:`~dedupe.merge.copy_heads`) are one report."""
    return len(set(heads.values())) == 1


def one_report_record(cluster: Cluster, heads: Mapping[str, str], articles: Mapping[str, Article],
                      known: Mapping[str, Fields], extract: Extractor = default_extract) -> dict[str, Any]:
    """``merge_cluster(cluster, articles, known, extract).as_dict()`` for a cluster of one report (see
    :func:`one_report`): no conflicts or updates (they are only found between reports), every fact stated by
    that one report, so none counts towards choosing the representative."""
    members, fields, claims = cluster_claims(cluster, heads, articles, known, extract)
    facts = sorted(map(claims_record, claim_groups(claims)),
                   key=lambda f: fact_rank(f["kind"], f["corroboration"], f["about"], f["subject"], f["value"]))
    representative = choose_representative(cluster, members, ())
    return story_record(story_id(cluster.members), cluster.cluster_id,
                        headline(representative, fields[representative.id], members), representative.id,
                        REPRESENTATIVE_RULE, [source_of(a, heads).as_dict() for a in by_publication(members)],
                        facts, [], [])


def claims_record(claims: Sequence[Claim]) -> dict[str, Any]:
    """``Fact.as_dict()`` of the fact the claims state (``factgroups._fact(claims)``), built from the claims."""
    if len(claims) == 1:
        m = claims[0].mention
        return fact_record(m.kind, m.about or "", m.subject or "", m.value, 1, [source_record(claims[0])])
    kind, about, subject, value = fact_terms(claims)
    return fact_record(kind, about, subject, value, len({c.group for c in claims}),
                       [source_record(c) for c in first_claims(claims)])


def source_record(claim: Claim) -> dict[str, Any]:
    """``claim.evidence().as_dict()``, without the Evidence."""
    m = claim.mention
    return evidence_record(claim.article_id, claim.outlet, claim.published, m.value, m.qualifier, m.about, m.subject,
                           m.text, m.sentence)


def story_outline(story: Story) -> Outline:
    """What the reports read of a story before its full record (``report.views.outline`` of ``story.as_dict()``,
    read from the Story itself; a stored record, as an index export holds, is outlined from its dict)."""
    if not isinstance(story, Story):
        return outline(story.as_dict())
    hard = sum(1 for c in story.conflicts if c.severity == "hard")
    soft = sum(1 for c in story.conflicts if c.severity == "soft")
    first = story.sources[0].as_dict() if story.sources else {}
    return Outline(story.story_id, story.headline, len(story.sources), first, len(story.facts), hard, soft,
                   len(story.conflicts), len(story.updates))


# A lone article's story (a cluster of one article, no copies: most stories) written straight to its line.
#: A string as ``json`` writes it (``ensure_ascii=False``, quotes included), UTF-8: orjson's strings are ``json``'s
#: byte for byte, ~10 times faster on a sentence than ``json``'s own string encoder. It refuses a lone surrogate
#: (``orjson.JSONEncodeError``, a TypeError).
_json = orjson.dumps
_RULE = _json(REPRESENTATIVE_RULE)


def lone_story(cluster: Cluster, article: Article, known: Mapping[str, Fields],
               extract: Extractor = default_extract) -> tuple[bytes, Outline] | None:
    """The ``stories.jsonl`` line (UTF-8, as ``storyfile.merged_lines`` writes it) and the outline of the story of a
    cluster whose one member is ``article``; None when a text holds a lone surrogate (the record path writes that
    story, with ``json``).

    A lone article's story is a function of its own fields: every fact is stated by that one report
    (corroboration 1, one source: the fact's first mention), there are no conflicts or updates, and the article is
    the representative. So its line is written from the mentions, each string encoded by orjson once, without the
    claims, the fact and source records and the record's encoding that ``onereport.one_report_record`` and
    ``storyline.story_line`` go through (~55 facts a story at 100k). The bytes are those of ``storyfile.dumps`` of
    that record and a newline (``tests/test_lone_story.py``), for mentions of strings, as extraction makes them.
    """
    fields = known.get(article.id) or extract(article)
    try:
        facts = fact_lines(article, as_compared(fields.mentions))
        sid, title = story_id(cluster.members), headline(article, fields, (article,))
        line = b"".join((b'{"story_id": ', _json(sid), b', "cluster_id": ', _json(cluster.cluster_id),
                         b', "headline": ', _json(title), b', "representative": ', _json(article.id),
                         b', "representative_rule": ', _RULE, b', "sources": [', source_line(article),
                         b'], "counts": {"sources": 1, "independent": 1, "facts": ', str(len(facts)).encode(),
                         b', "corroborated": 0, "conflicts": 0, "updates": 0}, "facts": [', b", ".join(facts),
                         b'], "conflicts": [], "updates": []}\n'))
    except TypeError:
        return None
    source = {"id": article.id, "outlet": article.outlet, "published": article.published, "url": article.url,
              "title": article.title, "copy_of": None}
    return line, Outline(sid, title, 1, source, len(facts), 0, 0, 0, 0)


def source_line(article: Article) -> bytes:
    """The JSON of a lone article as its story's source (``merge.source_of(...).as_dict()``: a copy of nothing)."""
    return b"".join((b'{"id": ', _json(article.id), b', "outlet": ', _json(article.outlet), b', "published": ',
                     _json(article.published), b', "url": ', _json(article.url), b', "title": ', _json(article.title),
                     b', "copy_of": null}'))


def fact_lines(article: Article, mentions: Sequence[Mention]) -> list[bytes]:
    """Each fact's JSON (``Fact.as_dict()``) of a lone article making ``mentions``, in the story's order
    (``factgroups.build_facts``: by kind, then about, subject and value; ties in the order the facts are built)."""
    prefix = b"".join((b', "corroboration": 1, "single_source": true, "sources": [{"id": ', _json(article.id),
                       b', "outlet": ', _json(article.outlet), b', "published": ', _json(article.published),
                       b', "value": '))
    known: dict[str, bytes] = {}
    ranked = []
    for place, group in enumerate(mention_groups(mentions)):
        first = group[0]
        if len(group) == 1:  # most facts: the fact's terms are its mention's, each encoded once for both
            kind, value, about, subject = first.kind, first.value, first.about, first.subject
            source_value = fact_value = _json(value)
            source_about = known.get(about)
            if source_about is None:
                source_about = known[about] = _json(about)
            source_subject = known.get(subject)
            if source_subject is None:
                source_subject = known[subject] = _json(subject)
            fact_about = source_about if about else b'""'
            fact_subject = source_subject if subject else b'""'
            about, subject = about or "", subject or ""
        else:
            kind, about, subject, value = mention_terms(group)
            fact_about, fact_subject, fact_value = _json(about), _json(subject), _json(value)
            first = min(group, key=_start)
            source_about, source_subject, source_value = _json(first.about), _json(first.subject), _json(first.value)
        rank, head = _KINDS.get(kind) or _kind(kind)
        sentence = known.get(first.sentence)
        if sentence is None:
            sentence = known[first.sentence] = _json(first.sentence)
        qualifier = known.get(first.qualifier)
        if qualifier is None:
            qualifier = known[first.qualifier] = _json(first.qualifier)
        ranked.append((rank, about, subject, value, place, b"".join((
            head, fact_about, b', "subject": ', fact_subject, b', "value": ', fact_value, prefix, source_value,
            b', "qualifier": ', qualifier, b', "about": ', source_about, b', "subject": ',
            source_subject, b', "text": ', _json(first.text), b', "sentence": ', sentence, b"}]}"))))
    ranked.sort()
    return [fact[-1] for fact in ranked]


def mention_groups(mentions: Sequence[Mention]) -> list[list[Mention]]:
    """The mentions of each fact of one article, in the order ``factgroups.claim_groups`` builds them: equal values
    (:func:`~dedupe.factgroups.mention_key`) in the order first seen, then the quotes grouped by speaker and
    wording, in text order."""
    grouped: dict[tuple[str, ...], list[Mention]] = {}
    quotes = []
    for m in mentions:
        if m.kind == "quote":
            quotes.append(m)
            continue
        key = mention_key(m)
        group = grouped.get(key)
        if group is None:
            grouped[key] = [m]
        else:
            group.append(m)
    quotes.sort(key=_quote_order)
    return [*grouped.values(), *([quotes[i] for i in places] for places in quote_places(quotes))]


def _kind(kind: str) -> tuple[int, bytes]:
    """Where facts of ``kind`` rank (``factgroups.fact_rank``) and how their JSON opens, up to the about's value."""
    return int(fact_rank(kind, 1, "", "", "")[0]), b'{"kind": ' + _json(kind) + b', "about": '


#: :func:`_kind` of each known kind.
_KINDS = {kind: _kind(kind) for kind in KINDS}


def _quote_order(m: Mention) -> tuple[int, str]:
    """Where a quote goes among one article's quotes as they are grouped: by place in the text, then value."""
    return m.start, m.value


def _start(m: Mention) -> int:
    """A mention's place in its article's text."""
    return m.start

