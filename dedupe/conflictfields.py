"""Claims -> fields: which reports' figures speak of one thing, and so are compared (see ``conflicts``).

A *field* is what two sources must both speak of for their values to be compared: dates about one event
(``date:suspended``), counts of one thing (``number:killed``, ``number:women``) and the age of one person
(``number:age:Jo Reid``). Two reports' values in one field are compared only when their sentences share their
context, or the field names a person; an unnamed person's ages ("boy") may be two people's (:func:`two_people`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from datetime import date

from .extract._calendar import MONTHS, WEEKDAYS
from .facts import Claim
from .types import Mention
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
                   "per cent", "%", "things", "ways", "reasons", "tips", "facts", "photos", "pictures", "moments"})
#: Reporting verbs and page stamps: their dates are when each source spoke or posted, never compared.
REPORTING = frozenset({"said", "says", "say", "told", "announced", "reported", "added", "stated", "confirmed",
                       "according", "wrote", "published", "posted", "tweeted", "commented", "updated",
                       "modified", "copyright", "filed"})


#: A date told as a year alone, or a span of years: background in a news story ("a prior conviction in 1992", "won
#: a Tony in 2004", "two other teens gunned down at the same spot in 2011"), whose events are dated to days.
_YEARS = re.compile(r"[0-9]{4}(?:/[0-9]{4})?")
#: Words just before a count that make it a part of a larger one ("Four people, including two juveniles").
_PART_BEFORE = re.compile(r"\b(?:including|includes|include|among\s+them|plus)\s+$", re.IGNORECASE)
#: Words just after a count that make it a part, or an increment, of the whole ("one of the shooters", "two of
#: whom died", "six more bodies"); "other" too, unless the count is a casualty count (:func:`_part`).
_PART_AFTER = re.compile(
    r"\s+(?:of\s+(?:the|them|those|these|whom|which|us|its|his|her|their)\b|(?:more|additional|further|remaining)\b)",
    re.IGNORECASE,
)
_OTHER_AFTER = re.compile(r"\s+others?\b", re.IGNORECASE)
#: A price a share ("$65/Share", "$65 a share", "per share"): not the deal's amount.
_PER_SHARE = re.compile(r"\s*(?:/\s*share|(?:a|per)\s+share)\b", re.IGNORECASE)
#: A figure cut by a headline's ellipsis ("could raise $250 ..."): its scale word may be what was cut.
_CUT = re.compile(r"\s*(?:\.\.\.|\u2026)")
#: A date right after "for his arrest" and the like: the noun is the purpose of the clause's verb ("a warrant was
#: issued for his arrest last week"), which the date dates, not an event of its own.
_PURPOSE = re.compile(r"\bfor\s+(?:his|her|their|its|the)\s+[a-z]+\s+(?:on\s+)?$", re.IGNORECASE)


def field_of(claim: Claim) -> str:
    """The field a date or number claim belongs to, or "" when it is not compared.

    Dates of reporting verbs ("said on Friday", about ``said`` or just after one) are
    not compared: each article reports its own statements, nor are years alone (background: see ``_YEARS``) or
    a date after "for his arrest" (:data:`_PURPOSE`). An age needs the person it belongs to. A count that is a
    part of another (:func:`_part`) or cut by an ellipsis is not compared; a price a share is its own field.
    """
    m = claim.mention
    if not m.about or m.about.lower() in REPORTING:
        return ""
    if m.kind == "date":
        if _YEARS.fullmatch(m.value) or _when_said(m.sentence, m.text) or _before(m, _at(m), _PURPOSE):
            return ""
        return f"date:{m.about}"
    if m.kind != "number":
        return ""
    if m.about.startswith("age"):
        return f"number:{m.about}:{m.subject}" if m.subject else ""
    at = _at(m)
    after = _after(m, at)
    if _part(m, at, after) or _CUT.match(after):
        return ""
    if m.about.isupper() and _PER_SHARE.match(after):
        return f"number:{m.about} a share"
    return f"number:{m.about}"


def _at(m: Mention) -> int:
    """Where the mention's text is written in its sentence, as a word (-1 when it is not)."""
    sentence, size = m.sentence, len(m.text)
    at = sentence.find(m.text) if m.text else -1
    while at >= 0 and ((at > 0 and sentence[at - 1].isalnum()) or sentence[at + size : at + size + 1].isalnum()):
        at = sentence.find(m.text, at + 1)
    return at


def _after(m: Mention, at: int) -> str:
    """The sentence's next 40 characters after the mention's text written at ``at`` (:func:`_at`; "" at -1)."""
    return m.sentence[at + len(m.text) : at + len(m.text) + 40] if at >= 0 else ""


def _before(m: Mention, at: int, pattern: re.Pattern[str]) -> bool:
    """True when ``pattern`` matches the sentence's text ending right before the mention's text written at ``at``
    (:func:`_at`)."""
    return at >= 0 and pattern.search(m.sentence, max(0, at - 40), at) is not None


def _part(m: Mention, at: int, after: str) -> bool:
    """True for a count that is a part of a larger one or an increment to it ("including two juveniles", "two of the
    victims", "six more bodies"), and "two other victims" beside "three victims"; a casualty count after "other"
    stays whole ("a woman was killed and three other people were injured": the injured are three); ``at`` and
    ``after`` as :func:`_at` and :func:`_after` give them."""
    if _PART_AFTER.match(after) or _before(m, at, _PART_BEFORE):
        return True
    return m.about not in CASUALTIES and _OTHER_AFTER.match(after) is not None


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
    as one outlet ends a quoted statement with its closing mark), nor dates both written in the same relative words
    (:func:`_same_words`), and, unless the field names a person, in sentences sharing their context
    (:func:`_same_context`)."""
    if {_bare(x.mention.sentence) for x in first} & {_bare(y.mention.sentence) for y in second}:
        return False
    if field.startswith("date:") and _same_words(first, second):
        return False
    return named(field) or _same_context(field, first, second)


def _same_words(first: Sequence[Claim], second: Sequence[Claim]) -> bool:
    """True when a date of each report is written in the same relative words ("Sunday", "tonight", "last week"):
    the sources agree in what they say; two values come only from reading each against its own publication day (a
    page published again days later, one quoted statement posted on two days)."""
    words_a = [(_relative(c.mention), c.mention) for c in first]
    words_b = [(_relative(c.mention), c.mention) for c in second]
    told = {w for w, _ in words_a} - {""}
    if any(w in told for w, _ in words_b):
        return True
    return any(_that_weekday(wa, a, b) or _that_weekday(wb, b, a) for wa, a in words_a for wb, b in words_b)


def _that_weekday(told: str, named: Mention, other: Mention) -> bool:
    """True when ``named`` is a weekday's name alone ("Tuesday", "on Sunday": ``told``, its :func:`_relative`) and
    ``other`` a day on that weekday in the three weeks up to the one it was read as: "Tuesday" in a page of 19 March
    read as the 15th may be the 8th another source gives ("two days ago" on the 10th); which Tuesday is the reader's
    guess, not the source's word."""
    weekday = WEEKDAYS.get(told.removeprefix("on ").removeprefix("last "), -1)
    if weekday < 0:
        return False
    try:
        day, read = date.fromisoformat(other.value), date.fromisoformat(named.value)
    except ValueError:
        return False
    return day.weekday() == weekday and 0 <= (read - day).days <= 21


def _relative(m: Mention) -> str:
    """A date's words, lower-cased and without its hedge ("early"), when they name no month and hold no digit (a day
    told relative to the publication day: "Sunday", "tonight", "last week"), else ""."""
    text = m.text.lower()
    if m.qualifier and text.startswith(m.qualifier):
        text = text[len(m.qualifier) :]
    told = text.split()
    if any(c.isdigit() for c in text) or any(w.strip(".,") in MONTHS for w in told):
        return ""
    return " ".join(told)


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
