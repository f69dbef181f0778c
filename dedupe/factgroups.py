"""Claims -> facts: equal values grouped (quotes by speaker and wording), each fact with one source an article."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from .facts import Claim
from .storytypes import Evidence, Fact
from .types import Mention
from .wording import (
    AGREE,
    SAME,
    QuoteSketch,
    compare_quotes,
    may_agree,
    quote_sketch,
    speaker_key,
)

#: The kinds of fact, in the order a story lists them (:func:`fact_rank`).
KINDS = ("date", "number", "person", "organisation", "place", "quote")
_KIND_ORDER = {kind: rank for rank, kind in enumerate(KINDS)}
_DAY_LIKE = 10  # len("2020-11-05"): a date value at least this long names a day or a range of days


def mention_key(m: Mention) -> tuple[str, ...]:
    """Which claims state the same fact, by the mention ``m`` a claim makes: a day by its value alone, other values
    with what they are about."""
    if m.kind == "date":
        names_days = len(m.value) >= _DAY_LIKE and m.value[:4].isdigit()
        return ("date", "" if names_days else m.about, m.value)
    if m.kind == "number":
        subject = m.subject if m.about.startswith("age") else ""
        return ("number", m.about, subject, m.value)
    return (m.kind, m.value.casefold())


def build_facts(claims: Sequence[Claim]) -> list[Fact]:
    """Group claims into facts: equal values (quotes: the same words, give or take a paraphrase)."""
    facts = [_fact(members) for members in claim_groups(claims)]
    return sorted(facts, key=lambda f: fact_rank(f.kind, f.corroboration, f.about, f.subject, f.value))


def claim_groups(claims: Sequence[Claim]) -> list[list[Claim]]:
    """The claims of each fact :func:`build_facts` makes (before sorting): equal values, then quote groups; each
    mention's key worked out once (a copy's claims make its head's mentions)."""
    grouped: dict[tuple[str, ...], list[Claim]] = defaultdict(list)
    keys: dict[int, tuple[str, ...]] = {}  # by mention: a copy's claims share its head's mentions
    quotes = []
    for claim in claims:
        m = claim.mention
        if m.kind == "quote":
            quotes.append(claim)
            continue
        key = keys.get(id(m))
        if key is None:
            key = keys[id(m)] = mention_key(m)
        grouped[key].append(claim)
    return [*grouped.values(), *quote_groups(quotes)]


def fact_rank(kind: str, corroboration: int, about: str, subject: str, value: str) -> tuple[int | str, ...]:
    """Where a fact goes among a story's facts: by kind, the most corroborated first, then what it is about."""
    return _KIND_ORDER.get(kind, 99), -corroboration, about, subject, value


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
    kind, about, subject, value = fact_terms(claims)
    return Fact(kind, about, subject, value, evidence_of(claims), corroboration=len({c.group for c in claims}))


def fact_terms(claims: Sequence[Claim]) -> tuple[str, str, str, str]:
    """The kind, about, subject and value of the fact the claims state together (see :func:`grouped_fact`)."""
    return mention_terms([c.mention for c in claims])


def mention_terms(mentions: Sequence[Mention]) -> tuple[str, str, str, str]:
    """:func:`fact_terms` of the claims making ``mentions``: the abouts and subjects joined, a quote's longest
    wording."""
    kind = mentions[0].kind
    abouts = sorted({m.about for m in mentions if m.about})
    subjects = sorted({m.subject for m in mentions if m.subject})
    value = max((m.value for m in mentions), key=lambda v: (len(v), v)) if kind == "quote" else mentions[0].value
    return kind, " / ".join(abouts), " / ".join(subjects), value


def quote_groups(claims: Sequence[Claim]) -> list[list[Claim]]:
    """Quotes grouped by speaker and wording: a paraphrase joins, a changed meaning stays apart."""
    ordered = sorted(claims, key=lambda c: (c.article_id, c.mention.start, c.mention.value))
    return [[ordered[i] for i in group] for group in quote_places([c.mention for c in ordered])]


def quote_places(quotes: Sequence[Mention]) -> list[list[int]]:
    """:func:`quote_groups` of quotes already in order (article, place in its text, value), each group the places
    of its quotes in ``quotes``: a quote joins the first group of its speaker's family whose first quote it
    repeats or paraphrases, else starts one. The same words in the same family (a copy's quotes, a repeated
    quote) join the group they joined before without comparing again: a family's groups only grow at the end, and
    the groups before that one still take neither words."""
    groups: list[list[int]] = []
    by_speaker: dict[str, list[list[int]]] = defaultdict(list)
    joined: dict[tuple[str, str], list[int]] = {}  # (family, words) -> the group they joined or started
    sketches: dict[str, QuoteSketch] = {}
    for place, quote in enumerate(quotes):
        family = _speaker_family(quote.subject, by_speaker)
        best = joined.get((family, quote.value))
        if best is None:
            candidates = by_speaker[family]
            best = _best_group(quote.value, candidates, quotes, sketches) if candidates else None
            if best is None:
                best = []
                candidates.append(best)
                groups.append(best)
            joined[(family, quote.value)] = best
        best.append(place)
    return groups


def _speaker_family(speaker: str, known: Mapping[str, object]) -> str:
    """The key of a speaker already seen with the same surname ("Nye" and "Jim Nye"), else its own key."""
    key = speaker_key(speaker)
    if key in known or not key:
        return key
    family = [o for o in sorted(known) if o and (o.endswith(" " + key) or key.endswith(" " + o))]
    return family[0] if len(family) == 1 else key


def _best_group(value: str, groups: Sequence[list[int]], quotes: Sequence[Mention],
                sketches: dict[str, QuoteSketch]) -> list[int] | None:
    """The group whose first quote (a place in ``quotes``) the quote ``value`` repeats or paraphrases, else None;
    only the groups it may agree with are compared (``sketches``: :func:`~dedupe.wording.quote_sketch` of the
    quotes sketched so far, kept there)."""
    mine = _sketched(value, sketches)
    for group in groups:
        first = quotes[group[0]].value
        if not may_agree(_sketched(first, sketches), mine):
            continue
        verdict, _, _ = compare_quotes(first, value)
        if verdict in (SAME, AGREE):
            return group
    return None


def _sketched(value: str, sketches: dict[str, QuoteSketch]) -> QuoteSketch:
    """:func:`~dedupe.wording.quote_sketch` of a quote, kept in ``sketches``."""
    found = sketches.get(value)
    if found is None:
        found = sketches[value] = quote_sketch(value)
    return found


def evidence_of(claims: Iterable[Claim]) -> tuple[Evidence, ...]:
    """One piece of evidence per article, in article order (its first claim)."""
    return tuple(claim.evidence() for claim in first_claims(claims))


def first_claims(claims: Iterable[Claim]) -> list[Claim]:
    """Each article's first claim (by place in its text), in article order: a fact's sources."""
    first: dict[str, Claim] = {}
    for claim in sorted(claims, key=lambda c: (c.article_id, c.mention.start)):
        first.setdefault(claim.article_id, claim)
    return [first[a] for a in sorted(first)]
