"""Claims -> fields: which reports' figures speak of one thing, and so are compared (see ``conflicts``).

A *field* is what two sources must both speak of for their values to be compared: dates about one event
(``date:suspended``), counts of one thing (``number:killed``, ``number:women``) and the age of one person
(``number:age:Jo Reid``). Two reports' values in one field are compared only when their sentences share their
context, or the field names a person; an unnamed person's ages ("boy") may be two people's (:func:`two_people`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet

from .facts import Claim
from .wording import context_overlap, words

#: Counts of people hurt or killed: compared whenever two reports give them.
CASUALTIES = frozenset({"killed", "injured", "shot", "wounded", "dead", "hurt"})
#: What :func:`_bare` strips from around a sentence: spaces and quotation marks.
_AROUND = " \t\n\"'\u201c\u201d\u2018\u2019"
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
    """Date and number claims by field, each mention's field worked out once (a copy's claims make its head's
    mentions)."""
    found: dict[str, list[Claim]] = defaultdict(list)
    known: dict[int, str] = {}
    for claim in claims:
        field = known.get(id(claim.mention))
        if field is None:
            field = known[id(claim.mention)] = field_of(claim)
        if field:
            found[field].append(claim)
    return found


def named(field: str) -> bool:
    """True for the age of a named person (``number:age:Jo Reid``): the name ties two reports' values."""
    parts = field.split(":")
    return len(parts) > 2 and parts[1].startswith("age") and parts[2][:1].isupper()


def ages_told(claims: Iterable[Claim]) -> dict[str, set[str]]:
    """Every age each report (copy group) tells, whoever it belongs to."""
    told: dict[str, set[str]] = defaultdict(set)
    for claim in claims:
        if claim.mention.kind == "number" and claim.mention.about.startswith("age"):
            told[claim.group].add(claim.mention.value)
    return told


def two_people(first: Claim, second: Claim, ages: Mapping[str, AbstractSet[str]]) -> bool:
    """True when two reports give an unnamed person ("boy") two ages but one of them tells the other's age too, of
    someone else: two people a common noun cannot tell apart ("a six-year-old boy shot his four-year-old brother"
    against "a 4-year-old boy was shot and killed by his brother"), not a disagreement on one person's age."""
    return second.mention.value in ages.get(first.group, ()) or first.mention.value in ages.get(second.group, ())


def one_thing(field: str, first: Sequence[Claim], second: Sequence[Claim]) -> bool:
    """True when two reports' claims in ``field`` speak of one thing, so that their values may clash: not in the
    very same sentence (whatever their values: "arrested on Friday" in a page republished weeks later resolves to
    another Friday, not to another fact; the sentence is the same with or without the quotation marks around it,
    as one outlet ends a quoted statement with its closing mark), and, unless the field names a person, in
    sentences sharing their context (:func:`_same_context`)."""
    if {_bare(x.mention.sentence) for x in first} & {_bare(y.mention.sentence) for y in second}:
        return False
    return named(field) or _same_context(field, first, second)


def _bare(sentence: str) -> str:
    """A sentence without the quotation marks and spaces around it."""
    return sentence.strip(_AROUND)


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
