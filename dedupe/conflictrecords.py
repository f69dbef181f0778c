"""Compared claims -> conflict and update records: one value per figure, its sources, a stable id, the explanation.

A figure stated plainly by one source and hedged by another ("$1 million", "an estimated $1 million") is one
value of a record, labelled as the plain figure, with every source that gives it (each source's own words stay
in its evidence); a figure only ever hedged is labelled with its hedges ("about 50 / at least 50").
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from datetime import date
from itertools import pairwise

from .facts import SOFT, Claim, sortable, when
from .storytypes import Conflict, ConflictValue, Evidence

#: An update between two stated figures: (the earlier report's figure, the later report's figure).
Step = tuple[str, str]


def record(story_id: str, field: str, kind: str, severity: str, claims: Sequence[Claim],
           steps: Collection[Step] = ()) -> Conflict:
    """A conflict (or update) record over the claims involved, one value per figure; ``steps`` are the
    updates among the figures, named in the explanation (a conflict's are pairs of its values that are no
    disagreement)."""
    by_value: dict[str, list[Claim]] = defaultdict(list)
    for claim in sorted(claims, key=_value_key):
        by_value[claim.mention.value].append(claim)
    values = [ConflictValue(value, label(cs), _evidence(cs)) for value, cs in by_value.items()]
    if kind == "update":
        values.sort(key=lambda v: (min(sortable(when(e.published) or date.max) for e in v.evidence), v.label))
    return Conflict(conflict_id(story_id, field, [v.label for v in values]), story_id, field, kind, severity,
                    tuple(values), explain(field, kind, severity, values, steps))


def label(claims: Sequence[Claim]) -> str:
    """How a value reads: the figure when a source states it plainly (``22``), else its hedged forms
    (``at least 22``, ``about 50 / at least 50``)."""
    forms = sorted({f"{c.mention.qualifier} {c.mention.value}".strip() for c in claims})
    plain = claims[0].mention.value
    return plain if plain in forms else " / ".join(forms)


def _value_key(claim: Claim) -> tuple[float, str]:
    """Numbers in numeric order, dates in text order (ISO values sort by time)."""
    try:
        return float(claim.mention.value), claim.mention.value
    except ValueError:
        return 0.0, claim.mention.value


def _evidence(claims: Sequence[Claim]) -> tuple[Evidence, ...]:
    """One piece of evidence per article, in article order."""
    first: dict[str, Claim] = {}
    for claim in claims:
        first.setdefault(claim.article_id, claim)
    return tuple(first[a].evidence() for a in sorted(first))


def conflict_id(story_id: str, field: str, labels: Sequence[str]) -> str:
    """A stable id from the story, the field and the competing values."""
    digest = hashlib.sha1("\n".join([story_id, field, *labels]).encode("utf-8")).hexdigest()
    return f"x{digest[:15]}"


def explain(field: str, kind: str, severity: str, values: Sequence[ConflictValue],
            steps: Collection[Step] = ()) -> str:
    """The one-line explanation of a conflict or update."""
    parts = field.split(":", 2)
    what = f"the age of {parts[2]}" if parts[1].startswith("age") and len(parts) > 2 else parts[1]
    listed = " vs ".join(f"{v.label} ({_sources(v)})" for v in values)
    if kind == "update":
        return f"Not a conflict: {what} changes over time, later reports update earlier ones: " \
               f"{_updates(values, steps)}."
    if kind == "date_conflict":
        tail = " They are one day apart: a time zone or an overnight event may explain it." if severity == SOFT else ""
        return f"Sources disagree on the date ({what}): {listed}.{tail}"
    if severity == SOFT:
        return f"Sources give different figures for {what} that may both be right (a year apart: a birthday " \
               f"may explain it): {listed}{_no_disagreement(values, steps)}."
    return f"Sources give incompatible figures for {what}: {listed}{_no_disagreement(values, steps)}."


def _updates(values: Sequence[ConflictValue], steps: Collection[Step]) -> str:
    """An update's values in time order, ``3 (2024-03-04) -> 5 (2024-03-06)``, when each updates the one before;
    else each step on its own, ``1 (...) -> 6 (...), 4 (...) -> 6 (...)`` (an update is recorded with its steps)."""
    shown = {v.value: f"{v.label} ({_first_day(v)})" for v in values}
    if all((a.value, b.value) in steps for a, b in pairwise(values)):
        return " -> ".join(shown[v.value] for v in values)
    return ", ".join(_step_texts(shown, steps))


def _step_texts(shown: Mapping[str, str], steps: Collection[Step]) -> list[str]:
    """``"a -> b"`` for each step between two values shown (value -> text), in numeric order of the figures."""
    return [f"{shown[a]} -> {shown[b]}" for a, b in sorted(steps, key=_step_key) if a in shown and b in shown]


def _step_key(step: Step) -> tuple[float, float, str, str]:
    """Steps in numeric order of their figures."""
    return float(step[0]), float(step[1]), *step


def _no_disagreement(values: Sequence[ConflictValue], steps: Collection[Step]) -> str:
    """``; 23 -> 24 is an update over time, not a disagreement`` for a conflict's values that update each other."""
    found = _step_texts({v.value: v.label for v in values}, steps)
    if not found:
        return ""
    if len(found) == 1:
        return f"; {found[0]} is an update over time, not a disagreement"
    return f"; {', '.join(found)} are updates over time, not disagreements"


def _sources(value: ConflictValue) -> str:
    """"1 source" / "3 sources"."""
    count = len(value.evidence)
    return f"{count} source" if count == 1 else f"{count} sources"


def _first_day(value: ConflictValue) -> str:
    """The earliest publication day among a value's sources, or "date unknown"."""
    days = sorted(e.published[:10] for e in value.evidence if e.published)
    return days[0] if days else "date unknown"
