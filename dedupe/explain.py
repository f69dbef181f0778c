"""Explain one pair: every field of both articles, each comparison's score and weight, the verdict."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from .compare import score_pair
from .config import Config
from .errors import ArticleNotFound
from .headlines import headline_account
from .normalize import content_hash
from .pipeline import Result
from .profile import Profile, salient_keys
from .scorearrays import frequencies_of
from .signatures import jaccard, shingle_hashes
from .types import Article, Fields

_SHOWN = 8


def _top(weights: dict[str, float], count: int = _SHOWN) -> list[str]:
    """The heaviest keys of a weight map."""
    return [k for k, _ in sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:count]]


def _field_values(profile: Profile | None, fields: Fields | None) -> dict[str, Any]:
    """What each comparison sees of one article, for display."""
    if profile is None or fields is None:
        return {}
    return {
        "headline": profile.headline,
        "place": profile.place,
        "names": _top(dict(profile.names)),
        "terms": _top(dict(profile.terms)),
        "dates": sorted(profile.dates),
        "numbers": [f"{count} (rarity {w:.2f})" for count, w in sorted(profile.numbers.items())],
        "people": sorted(fields.values("person")),
        "lead": profile.people[0] if profile.people else None,
        "principal": profile.principal[0] if profile.principal else None,
        "organisations": sorted(fields.values("organisation")),
    }


def _article(article: Article) -> dict[str, Any]:
    """The identifying details of an article."""
    return {"id": article.id, "title": article.title, "source": article.source,
            "published": article.published, "origin": article.origin}


def _cluster_of(result: Result, article_id: str) -> str:
    """The id of the cluster holding an article."""
    return next(c.cluster_id for c in result.clusters if article_id in c.members)


def check_ids(known: Collection[str], *wanted: str) -> None:
    """Raise ArticleNotFound for the first of ``wanted`` not among the ``known`` ids, naming up to three ids that
    hold it (a short or partial id typed for a long one): ``explain`` checks them before it runs the job."""
    for article_id in wanted:
        if article_id not in known:
            like = sorted(other for other in known if article_id in other)
            more = ", ..." if len(like) > 3 else ""
            named = f" (ids holding it: {', '.join(map(repr, like[:3]))}{more})" if like else ""
            raise ArticleNotFound(f"no article with id {article_id!r} in the input{named}.",
                                  hint="check the id (ids are file stems for .txt, or FILE:LINE when records have "
                                  "none).")


def explain_pair(result: Result, a: str, b: str, config: Config) -> dict[str, Any]:
    """Why ``a`` and ``b`` are (or are not) linked and clustered together, as a JSON-ready dict.

    Copies are compared through the head of their copy group (the article whose fields
    were extracted); the dict says so under ``compared_as``.
    """
    articles = result.by_id()
    check_ids(articles, a, b)
    first, second = articles[a], articles[b]
    heads = result.extras.get("heads", {})
    profiles = result.extras.get("profiles", {})
    fields = result.extras.get("fields", {})
    head_a, head_b = heads.get(a, a), heads.get(b, b)
    jac = jaccard(shingle_hashes(first.content, config.shingle_size),
                  shingle_hashes(second.content, config.shingle_size))
    exact = content_hash(first.content) == content_hash(second.content)
    report: dict[str, Any] = {
        "a": _article(first),
        "b": _article(second),
        "compared_as": {"a": head_a, "b": head_b},
        "exact_copy": exact,
        "shingle_jaccard": round(jac, 4),
        "near_duplicate_threshold": config.threshold,
        "same_cluster": _cluster_of(result, a) == _cluster_of(result, b),
        "clusters": {"a": _cluster_of(result, a), "b": _cluster_of(result, b)},
    }
    pa, pb = profiles.get(head_a), profiles.get(head_b)
    report["fields"] = {"a": _field_values(pa, fields.get(head_a)), "b": _field_values(pb, fields.get(head_b))}
    if pa is not None and pb is not None and head_a != head_b:
        rank = result.extras.get("ranks", {}).get(tuple(sorted((head_a, head_b))))
        report.update(_story_part(pa, pb, config, rank, profiles))
    compared = set(heads.values())
    heads_compared = [x for x in result.articles if x.id in compared] if heads else list(result.articles)
    headline = headline_account(heads_compared, head_a, head_b, config.headline_floor, config.headline_window)
    if headline is not None:
        linked = [e.score for e in result.edges if (e.a, e.b) == tuple(sorted((head_a, head_b)))
                  and e.relation == "same_story"]
        report["headline"] = {**headline, "linked_score": linked[0] if linked else None}
    report["relation"], report["why"] = _verdict(report, config)
    return report


def _story_part(pa: Profile, pb: Profile, config: Config, rank: int | None,
                profiles: Mapping[str, Profile]) -> dict[str, Any]:
    """The field-by-field comparison of two profiles, with each piece of evidence in log-odds (the term
    specificity read among all ``profiles``)."""
    scored = score_pair(pa, pb, config.comparisons, config.priors, rank, frequencies_of(profiles), len(profiles))
    keys_a = set(salient_keys(pa, config.block_keys))
    shared_keys = sorted(keys_a & set(salient_keys(pb, config.block_keys)))
    return {
        "comparisons": [
            {"field": c.field, "scorer": c.scorer, "weight": c.weight, "neutral": c.neutral,
             "score": None if scored.parts[c.field][0] is None else round(scored.parts[c.field][0], 4),
             "logodds": round(scored.parts[c.field][1], 4)}
            for c in config.comparisons
        ],
        "prior_logodds": config.bias,
        "publication_gap_days": scored.gap_days,
        "gap_logodds": round(scored.gap_logodds, 4),
        "neighbour_rank": scored.rank,
        "rank_logodds": round(scored.rank_logodds, 4),
        "specific_overlap": None if scored.specific is None else round(scored.specific, 4),
        "specific_logodds": round(scored.specific_logodds, 4),
        "story_score": scored.score,
        "story_threshold": config.story_threshold,
        "shared": {
            "names": sorted(set(pa.names) & set(pb.names)),
            "dates": sorted(pa.dates & pb.dates),
            "numbers": sorted(pa.numbers.keys() & pb.numbers.keys()),
        },
        "blocking_keys_shared": shared_keys,
    }


def _verdict(report: dict[str, Any], config: Config) -> tuple[str, str]:
    """The strongest relation between the pair and a one-line reason."""
    if report["exact_copy"]:
        return "exact", "the normalised texts are identical"
    if report["shingle_jaccard"] >= config.threshold:
        return "near_duplicate", (f"{report['shingle_jaccard']:.2f} of word {config.shingle_size}-grams are "
                                  f"shared (threshold {config.threshold})")
    if report["compared_as"]["a"] == report["compared_as"]["b"]:
        return "near_duplicate", "both are copies of the same article (linked through other copies)"
    if "headline" in report and report["headline"]["headline_path"]:
        return _headline_verdict(report["headline"])
    score = report.get("story_score")
    if score is None:
        return "none", "fields were not compared (same_story detection is off)"
    shared = ", ".join(report["shared"]["names"][:4]) or "no names"
    shared += _principal_note(report)
    if score >= config.story_threshold:
        return "same_story", f"combined field score {score:.3f} >= {config.story_threshold}; shared: {shared}"
    if not report["blocking_keys_shared"]:
        note = "; they share no salient key, so the run never compared them"
    else:
        note = ""
    return "none", f"combined field score {score:.3f} < {config.story_threshold}; shared: {shared}{note}"


def _principal_note(report: dict[str, Any]) -> str:
    """The principal people's conflict in words, when a ``principal_agree`` comparison found one, else nothing."""
    found = [part for part in report["comparisons"] if part["scorer"] == "principal_agree" and part["score"] == 0]
    if not found:
        return ""
    field = found[0]["field"]
    a, b = (report["fields"][side].get(field) for side in ("a", "b"))
    return (f"; their headlines are about different people ({a} / {b}, neither named in the other's headline "
            f"nor both named throughout both texts: {found[0]['logodds']:+.2f} log-odds)")


def _headline_verdict(headline: dict[str, Any]) -> tuple[str, str]:
    """The relation of two headline-only articles and why (see :mod:`dedupe.headlines`)."""
    shared = ", ".join(headline["shared_terms"][:6]) or "no terms"
    if not headline["within_window"]:
        return "none", "both are headlines only and were published too far apart for a headline to link them"
    if headline["linked_score"] is not None:
        return "same_story", (f"headlines only: linked with score {headline['linked_score']:.3f} (weighted headline "
                              f"Jaccard {headline['headline_score']:.3f}); shared: {shared}")
    below = headline["headline_score"] < headline["headline_floor"]
    why = "below the floor" if below else "not among the nearest links"
    return "none", (f"headlines only: weighted headline Jaccard {headline['headline_score']:.3f}, {why} "
                    f"({headline['headline_floor']}); shared: {shared}")
