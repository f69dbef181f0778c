"""Facts -> conflicts and updates: incompatible values for one fact, told apart from changes over time.

A *field* is what two sources must both speak of for their values to be compared:
dates about one event (``date:suspended``), counts of one thing (``number:killed``,
``number:women``), the age of one person (``number:age:Jo Reid``) and quotes of one
speaker (``quote:Jim Nye``). Sources are compared as independent reports (copies
count once). To stay conservative, a report takes part in a date or number field
only when it states one value for it, and two reports' values are compared only
when their sentences share their context (or the field names a person). A
casualty count that rose, or an age that grew, in a later report is an ``update``.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from itertools import combinations

from .facts import (
    HARD,
    SOFT,
    Claim,
    compare_dates,
    compare_numbers,
    report_order,
    sortable,
    when,
)
from .storytypes import Conflict, ConflictValue, Evidence, Fact
from .wording import compare_quotes, context_overlap, same_speaker, words

#: Counts of people hurt or killed: compared whenever two reports give them.
CASUALTIES = frozenset({"killed", "injured", "shot", "wounded", "dead", "hurt"})
#: Two sentences speak of the same thing when this share of the smaller one's context words is shared.
SAME_CONTEXT = 0.5
#: Counted things too vague to tell two counts apart ("5 people arrested", "150 people attended").
VAGUE = frozenset({"people", "persons", "person", "others", "times", "year", "years", "month", "months", "week",
                   "weeks", "day", "days", "hour", "hours", "minute", "minutes", "percent", "members", "cases",
                   "per cent", "%"})
#: Reporting verbs and page stamps: their dates are when each source spoke or posted, never compared.
REPORTING = frozenset({"said", "says", "say", "told", "announced", "reported", "added", "stated", "confirmed",
                       "according", "wrote", "published", "posted", "tweeted", "commented", "updated",
                       "modified", "copyright", "filed"})
_RANK = {SOFT: 1, HARD: 2}


def find_conflicts(
    story_id: str, claims: Sequence[Claim], facts: Sequence[Fact]
) -> tuple[list[Conflict], list[Conflict]]:
    """The story's conflicts and its updates, each sorted by field then id. Claims of one report (one copy group:
    most stories) are never compared with each other, so such a story has none (:func:`compared` is not run)."""
    if len({c.group for c in claims}) < 2:
        return [], []
    return compared(story_id, claims, facts)


def compared(story_id: str, claims: Sequence[Claim], facts: Sequence[Fact]) -> tuple[list[Conflict], list[Conflict]]:
    """:func:`find_conflicts` by comparing every field and quote between the reports."""
    conflicts: list[Conflict] = []
    updates: list[Conflict] = []
    for field, field_claims in sorted(fields(claims).items()):
        found, update = compare_field(story_id, field, field_claims)
        conflicts.extend(found)
        updates.extend(update)
    conflicts.extend(quote_discrepancies(story_id, facts, {c.article_id: c.group for c in claims}))
    return sorted(conflicts, key=_by_field), sorted(updates, key=_by_field)


def _by_field(conflict: Conflict) -> tuple[str, str]:
    """Conflicts by field, then id."""
    return conflict.field, conflict.conflict_id


def field_of(claim: Claim) -> str:
    """The field a date or number claim belongs to, or "" when it is not compared.

    Dates of reporting verbs ("said on Friday", about ``said`` or just after one) are
    not compared: each article reports its own statements. An age needs the person it belongs to.
    """
    m = claim.mention
    if not m.about or m.about.lower() in REPORTING:
        return ""
    if m.kind == "date":
        return "" if _when_said(m.sentence, m.text) else f"date:{m.about}"
    if m.kind != "number":
        return ""
    if m.about.startswith("age"):
        return f"number:{m.about}:{m.subject}" if m.subject else ""
    return f"number:{m.about}"


def _when_said(sentence: str, stated: str) -> bool:
    """True when a reporting verb comes just before the date ("the fire service said on Wednesday")."""
    at = sentence.find(stated) if stated else -1
    if at < 0:
        return False
    before = [w.lower() for w in words(sentence[:at])][-3:]
    return any(w in REPORTING for w in before)


def fields(claims: Iterable[Claim]) -> dict[str, list[Claim]]:
    """Date and number claims by field."""
    found: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        field = field_of(claim)
        if field:
            found[field].append(claim)
    return found


def _named(field: str) -> bool:
    """True for the age of a named person (``number:age:Jo Reid``): the name ties two reports' values."""
    parts = field.split(":")
    return len(parts) > 2 and parts[1].startswith("age") and parts[2][:1].isupper()


def compare_field(story_id: str, field: str, claims: Sequence[Claim]) -> tuple[list[Conflict], list[Conflict]]:
    """Compare every two reports on one field: a conflict record and an update record, when there are any.

    Only reports stating one value for the field take part (two values may be two
    events); unless the field names a person, the two sentences must also share
    their context (see ``SAME_CONTEXT``).
    """
    groups: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        groups[claim.group].append(claim)
    groups = {g: cs for g, cs in groups.items() if len({c.mention.value for c in cs}) == 1}
    clashing: dict[str, str] = {}
    updated: set[str] = set()
    for first, second in combinations(sorted(groups), 2):
        verdict = _verdict(field, groups[first], groups[second])
        if verdict is None:
            continue
        if _is_update(field, groups[first], groups[second]):
            updated.update((first, second))
            continue
        for group in (first, second):
            clashing[group] = max(clashing.get(group, SOFT), verdict, key=_RANK.__getitem__)
    conflicts, updates = [], []
    if clashing:
        severity = max(clashing.values(), key=_RANK.__getitem__)
        chosen = [c for g in sorted(clashing) for c in groups[g]]
        conflicts.append(_record(story_id, field, _kind(field), severity, chosen))
    if updated:
        chosen = [c for g in sorted(updated) for c in groups[g]]
        updates.append(_record(story_id, field, "update", "none", chosen))
    return conflicts, updates


def _verdict(field: str, first: Sequence[Claim], second: Sequence[Claim]) -> str | None:
    """SOFT or HARD when two reports' values for a field differ and speak of the same thing, else None.

    Two reports stating it in the very same sentence do not disagree, whatever their values: "arrested on
    Friday" in a page republished weeks later resolves to another Friday, not to another fact.
    """
    a, b = first[0], second[0]
    verdict = _compare(field, a, b)
    if verdict not in (SOFT, HARD):
        return None
    if any(x.mention.sentence == y.mention.sentence for x in first for y in second):
        return None
    if not _named(field) and not _same_context(field, first, second):
        return None
    return verdict


def _same_context(field: str, first: Sequence[Claim], second: Sequence[Claim]) -> bool:
    """True when a sentence of each report shares enough context words (the field's own word aside).

    Dates and casualty counts need one shared context word, other counts two, and
    counts of a bare unit (``people``, ``years``: see ``VAGUE``) are never compared.
    """
    about = first[0].mention.about
    if about in VAGUE:
        return False
    at_least = 1 if field.startswith("date:") or about in CASUALTIES else 2
    return any(
        context_overlap(a.mention.sentence, b.mention.sentence, ignore=about, at_least=at_least) >= SAME_CONTEXT
        for a in first
        for b in second
    )


def _compare(field: str, a: Claim, b: Claim) -> str:
    """The verdict on two values of one field; ages one year apart are a SOFT difference (a birthday)."""
    if field.startswith("date:"):
        return compare_dates(a.mention.value, b.mention.value)
    verdict = compare_numbers(a.mention.value, a.mention.qualifier, b.mention.value, b.mention.qualifier)
    if verdict == HARD and field.startswith("number:age") and abs(float(a.mention.value) - float(b.mention.value)) == 1:
        return SOFT
    return verdict


def _is_update(field: str, first: Sequence[Claim], second: Sequence[Claim]) -> bool:
    """True when the later report's values follow from the earlier's over time: a casualty count that
    rose, an age grown by no more years than have passed (rounded up)."""
    ordered = report_order(first, second)
    if ordered is None or field.startswith("date:"):
        return False
    earlier, later, days = ordered
    steps = [float(b.mention.value) - float(a.mention.value) for a in earlier for b in later]
    kind = field.split(":")[1]
    if kind in CASUALTIES:
        return all(step > 0 for step in steps)
    if kind == "age":
        return all(1 <= step <= math.ceil(days / 365.25) for step in steps)
    return False


def _kind(field: str) -> str:
    """The conflict kind of a field."""
    return "date_conflict" if field.startswith("date:") else "number_conflict"


def _label(claim: Claim) -> str:
    """The value as stated: ``at least 22``, ``2018-10``."""
    m = claim.mention
    return f"{m.qualifier} {m.value}".strip()


def _value_key(claim: Claim) -> tuple[float, str]:
    """Numbers in numeric order, dates in text order (ISO values sort by time)."""
    try:
        return float(claim.mention.value), _label(claim)
    except ValueError:
        return 0.0, _label(claim)


def _record(story_id: str, field: str, kind: str, severity: str, claims: Sequence[Claim]) -> Conflict:
    """A conflict (or update) record over the claims involved, one value per stated label."""
    by_label: dict[str, list[Claim]] = defaultdict(list)
    for claim in sorted(claims, key=_value_key):
        by_label[_label(claim)].append(claim)
    values = [ConflictValue(cs[0].mention.value, label, _evidence(cs)) for label, cs in by_label.items()]
    if kind == "update":
        values.sort(key=lambda v: (min(sortable(when(e.published) or date.max) for e in v.evidence), v.label))
    return Conflict(_conflict_id(story_id, field, [v.label for v in values]), story_id, field, kind, severity,
                    tuple(values), explain(field, kind, severity, values))


def _evidence(claims: Sequence[Claim]) -> tuple[Evidence, ...]:
    """One piece of evidence per article, in article order."""
    first: dict[str, Claim] = {}
    for claim in claims:
        first.setdefault(claim.article_id, claim)
    return tuple(first[a].evidence() for a in sorted(first))


def _conflict_id(story_id: str, field: str, labels: Sequence[str]) -> str:
    """A stable id from the story, the field and the competing values."""
    digest = hashlib.sha1("\n".join([story_id, field, *labels]).encode("utf-8")).hexdigest()
    return f"x{digest[:15]}"


def explain(field: str, kind: str, severity: str, values: Sequence[ConflictValue]) -> str:
    """The one-line explanation of a conflict or update."""
    parts = field.split(":", 2)
    what = f"the age of {parts[2]}" if parts[1].startswith("age") and len(parts) > 2 else parts[1]
    listed = " vs ".join(f"{v.label} ({_sources(v)})" for v in values)
    if kind == "update":
        steps = " -> ".join(f"{v.label} ({_first_day(v)})" for v in values)
        return f"Not a conflict: {what} changes over time, later reports update earlier ones: {steps}."
    if kind == "date_conflict":
        tail = " They are one day apart: a time zone or an overnight event may explain it." if severity == SOFT else ""
        return f"Sources disagree on the date ({what}): {listed}.{tail}"
    if severity == SOFT:
        return f"Sources give different figures for {what} that may both be right (hedged or close): {listed}."
    return f"Sources give incompatible figures for {what}: {listed}."


def _sources(value: ConflictValue) -> str:
    """"1 source" / "3 sources"."""
    count = len(value.evidence)
    return f"{count} source" if count == 1 else f"{count} sources"


def _first_day(value: ConflictValue) -> str:
    """The earliest publication day among a value's sources, or "date unknown"."""
    days = sorted(e.published[:10] for e in value.evidence if e.published)
    return days[0] if days else "date unknown"


def quote_discrepancies(story_id: str, facts: Sequence[Fact], groups: dict[str, str]) -> list[Conflict]:
    """Quotes of one speaker that are nearly the same words but differ in a negation, a number or a name."""
    quotes = [f for f in facts if f.kind == "quote" and f.subject]
    found = []
    for a, b in combinations(quotes, 2):
        if not same_speaker(a.subject, b.subject):
            continue
        reports_a = {groups.get(e.article_id, e.article_id) for e in a.evidence}
        reports_b = {groups.get(e.article_id, e.article_id) for e in b.evidence}
        if not (reports_a - reports_b and reports_b - reports_a):
            continue
        verdict, reason, changed = compare_quotes(a.value, b.value)
        if verdict not in (SOFT, HARD):
            continue
        first, second = sorted((a, b), key=lambda f: (f.evidence[0].article_id, f.value))
        values = (ConflictValue(first.value, first.value, first.evidence),
                  ConflictValue(second.value, second.value, second.evidence))
        speaker = first.subject.split(" / ")[0]
        field = f"quote:{speaker}"
        words = ", ".join(f"'{w}'" for w in dict.fromkeys(changed))
        explanation = f"{speaker} is quoted in nearly the same words, but the versions differ in a {reason} " \
                      f"({words}), which changes what was said."
        found.append(Conflict(_conflict_id(story_id, field, [first.value, second.value]), story_id, field,
                              "quote_discrepancy", verdict, values, explanation))
    return found
