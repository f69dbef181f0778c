"""Facts -> conflicts and updates: incompatible values for one fact, told apart from changes over time.

Sources are compared as independent reports (copies count once), field by field (``conflictfields``: dates
about one event, counts of one thing, the age of one person) and quotes by speaker (``quote:Jim Nye``). To stay
conservative, a report takes part in a date or number field only when it states one value for it. A
casualty count that rose, or an age that grew, in a later report is an ``update``.
A hedge says how exact a figure is: one figure stated plainly and hedged never
clashes, nor do two figures a hedge reconciles ("at least 50" and 60; see
``facts.compare_numbers``), and each record lists a figure once (``conflictrecords``).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from decimal import ROUND_HALF_UP, Decimal
from itertools import combinations

from .conflictfields import CASUALTIES, ages_told, fields, named, one_thing, two_people
from .conflictrecords import Step, conflict_id, record
from .extract._numwords import SCALE_FACTORS
from .facts import (
    AGREE,
    HARD,
    SOFT,
    UNKNOWN,
    Claim,
    compare_dates,
    compare_numbers,
    number_range,
    report_order,
)
from .storytypes import Conflict, ConflictValue, Fact
from .types import Mention
from .wording import compare_quotes, same_speaker

#: Counts a later report may raise (see :func:`_update`).
_UPDATABLE = CASUALTIES | {"age"}
_RANK = {SOFT: 1, HARD: 2}
#: A figure written with a scale word: its digits (decimals give its precision) and the word ("1.07 billion").
_SCALED = re.compile(r"([0-9][0-9,]*(?:\.[0-9]+)?)\s*-?\s*([A-Za-z]+)")
#: Two figures this many times apart are never compared (:func:`_apart`).
APART = 10_000


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
    ages = ages_told(claims)
    for field, field_claims in sorted(fields(claims).items()):
        found, update = compare_field(story_id, field, field_claims, ages)
        conflicts.extend(found)
        updates.extend(update)
    conflicts.extend(quote_discrepancies(story_id, facts, {c.article_id: c.group for c in claims}))
    return sorted(conflicts, key=_by_field), sorted(updates, key=_by_field)


def _by_field(conflict: Conflict) -> tuple[str, str]:
    """Conflicts by field, then id."""
    return conflict.field, conflict.conflict_id


def compare_field(
    story_id: str, field: str, claims: Sequence[Claim], ages: Mapping[str, AbstractSet[str]] | None = None
) -> tuple[list[Conflict], list[Conflict]]:
    """Compare every two reports on one field: a conflict record and an update record, when there are any.

    Only reports stating one value for the field take part (two values may be two
    events); unless the field names a person, the two sentences must also share
    their context (see ``SAME_CONTEXT``). Two reports are either an update or a clash;
    a conflict's explanation names the updates among its values (they are no disagreement).
    ``ages`` holds every age each report tells (:func:`~dedupe.conflictfields.ages_told`): two reports do not clash on
    an unnamed person's age when one of them tells both ages (:func:`~dedupe.conflictfields.two_people`).
    """
    groups: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        groups[claim.group].append(claim)
    groups = {g: cs for g, cs in groups.items() if len({c.mention.value for c in cs}) == 1}
    stated = {g: _stated(cs) for g, cs in groups.items()}
    clashing: dict[str, str] = {}
    clashes: set[frozenset[str]] = set()
    updated: set[str] = set()
    steps: set[Step] = set()
    unnamed_age = ages if field.startswith("number:age") and not named(field) else None
    for first, second in combinations(sorted(groups), 2):
        if unnamed_age and two_people(stated[first], stated[second], unnamed_age):
            continue
        verdict = _verdict(field, groups[first], groups[second], _compare(field, stated[first], stated[second]))
        if verdict is None:
            continue
        step = _update(field, groups[first], groups[second])
        if step is not None:
            updated.update((first, second))
            steps.add(step)
        elif verdict != AGREE:
            clashes.add(frozenset((groups[first][0].mention.value, groups[second][0].mention.value)))
            for group in (first, second):
                clashing[group] = max(clashing.get(group, SOFT), verdict, key=_RANK.__getitem__)
    conflicts, updates = [], []
    if clashing:
        severity = max(clashing.values(), key=_RANK.__getitem__)
        chosen = [c for g in sorted(clashing) for c in groups[g]]
        peaceful = {step for step in steps if frozenset(step) not in clashes}
        conflicts.append(record(story_id, field, _kind(field), severity, chosen, peaceful))
    if updated:
        chosen = [c for g in sorted(updated) for c in groups[g]]
        updates.append(record(story_id, field, "update", "none", chosen, steps))
    return conflicts, updates


def _verdict(field: str, first: Sequence[Claim], second: Sequence[Claim], verdict: str) -> str | None:
    """``verdict`` (:func:`_compare` of the two reports' values) when it is SOFT or HARD and the reports speak of
    the same thing, or AGREE for two different figures a hedge reconciles ("at least 50" and "60": no clash, but
    maybe an update); else None (:func:`~dedupe.conflictfields.one_thing`)."""
    if verdict == AGREE:
        if not _updatable(field):  # figures a hedge reconciles matter only as a possible update
            return None
    elif verdict not in (SOFT, HARD):
        return None
    return verdict if one_thing(field, first, second) else None


def _stated(claims: Sequence[Claim]) -> Claim:
    """A report's most exact statement of its one value: "three killed" rather than "at least three"."""
    if len(claims) == 1:
        return claims[0]
    return min(claims, key=lambda c: _width(number_range(c.mention.value, c.mention.qualifier)))


def _width(span: tuple[float, float] | None) -> float:
    """How wide a stated range is: 0 for a plain figure (and for what is no figure, such as a date)."""
    return span[1] - span[0] if span else 0.0


def _compare(field: str, a: Claim, b: Claim) -> str:
    """The verdict on two values of one field; ages one year apart are a SOFT difference (a birthday); figures
    :data:`APART` times apart or more are UNKNOWN (:func:`_apart`)."""
    if field.startswith("date:"):
        return compare_dates(a.mention.value, b.mention.value)
    if _apart(a.mention.value, b.mention.value):
        return UNKNOWN
    if _rounded(a.mention, b.mention) or _rounded(b.mention, a.mention):
        return AGREE
    verdict = compare_numbers(a.mention.value, a.mention.qualifier, b.mention.value, b.mention.qualifier)
    if verdict == HARD and field.startswith("number:age") and abs(float(a.mention.value) - float(b.mention.value)) == 1:
        return SOFT
    return verdict


def _apart(a: str, b: str) -> bool:
    """True for two figures :data:`APART` times apart or more: not one amount two sources misreport (they differ by
    a rounding, a digit, a few percent) but two things ("$65/Share" and "$1.8 billion", a price target of "$38.00"
    and a "$88.7M" profit) or a figure whose scale word was cut ("could raise $250 ...", "$2 millio")."""
    low, high = sorted((abs(float(a)), abs(float(b))))
    return low > 0 and high >= APART * low


def _rounded(coarse: Mention, fine: Mention) -> bool:
    """True when ``coarse`` is an unhedged scaled figure ("$1 billion", "$2M") that ``fine`` rounds to at the
    decimals it is written with ("$1.07 billion", "$2.1M"), within a tenth of it: a rounding, not a second figure
    ("nearly $1 trillion" and "$1.2 trillion" are two: a hedge says what it allows, ``facts.number_range``)."""
    written = None if coarse.qualifier else _SCALED.fullmatch(coarse.text.strip())
    factor = SCALE_FACTORS.get(written.group(2).lower(), 0) if written else 0
    if not factor:
        return False
    unit = Decimal(factor).scaleb(-len(written.group(1).partition(".")[2]))
    value, stated = Decimal(fine.value), Decimal(coarse.value)
    return (value / unit).quantize(Decimal(1), ROUND_HALF_UP) * unit == stated and abs(value - stated) * 10 <= stated


def _update(field: str, first: Sequence[Claim], second: Sequence[Claim]) -> Step | None:
    """(earlier figure, later figure) when the later report's value follows from the earlier's over time: a
    casualty count that rose, an age grown by no more years than have passed (rounded up); else None."""
    ordered = report_order(first, second) if _updatable(field) else None
    if ordered is None:
        return None
    earlier, later, days = ordered
    was, now = earlier[0].mention.value, later[0].mention.value
    step = float(now) - float(was)
    kind = field.split(":")[1]
    grew = step > 0 if kind in CASUALTIES else kind == "age" and 1 <= step <= math.ceil(days / 365.25)
    return (was, now) if grew else None


def _updatable(field: str) -> bool:
    """True for a field a later report may update: a casualty count or an age."""
    return not field.startswith("date:") and field.split(":")[1] in _UPDATABLE


def _kind(field: str) -> str:
    """The conflict kind of a field."""
    return "date_conflict" if field.startswith("date:") else "number_conflict"


def quote_discrepancies(story_id: str, facts: Sequence[Fact], groups: dict[str, str]) -> list[Conflict]:
    """Quotes of one speaker that are nearly the same words but differ in a negation, a number or a name (every two
    quotes' speakers compared once a pair of names: a story's quotes are few speakers')."""
    quotes = [f for f in facts if f.kind == "quote" and f.subject]
    found = []
    speakers: dict[tuple[str, str], bool] = {}
    for a, b in combinations(quotes, 2):
        same = speakers.get((a.subject, b.subject))
        if same is None:
            same = speakers[(a.subject, b.subject)] = same_speaker(a.subject, b.subject)
        if not same:
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
        found.append(Conflict(conflict_id(story_id, field, [first.value, second.value]), story_id, field,
                              "quote_discrepancy", verdict, values, explanation))
    return found
