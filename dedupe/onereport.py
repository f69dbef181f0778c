"""Stories of one report (a lone article or one copy group: most stories) merged straight to their records."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from .factgroups import claim_groups, fact_rank, fact_terms, first_claims
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
from .types import Article, Cluster, Fields

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
