"""Number mentions: what each number counts, casualty counts, ages, percentages and money."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from itertools import pairwise
from operator import attrgetter

from ..types import Mention
from ._calendar import MONTHS
from ._counted import Counted, classify, noun, qualifier
from ._groups import Group, casualty_groups
from ._known import known_victims
from ._numscan import Number, scan
from ._numwords import MILLIONS, SIGNS, canonical
from ._stems import Stems
from ._text import evidence, sentence_span, word_before
from ._victims import single_victims

__all__ = ["as_compared", "find_numbers"]

_CASUALTIES = frozenset({"killed", "injured", "shot"})

_LIST_GAP = re.compile(r",?\s*(?:and\s+)?")
_RANGE_GAP = re.compile(rf"\s+(?:to|or|and)\s+[{re.escape(SIGNS)}]?|\s+[-\u2013]\s+[{re.escape(SIGNS)}]?")
_AMOUNT_SCALES = frozenset(MILLIONS.split("|"))
_CONVERSION_OPEN = re.compile(r"\s*\(\s*(?:(?:about|around|approximately|roughly|some|nearly|almost|or)\s+)?")
_CONVERSION_CLOSE = re.compile(r"\s*(?:[A-Z]{2,3}\s*)?\)")


def _inside(groups: list[Group], start: int) -> bool:
    """True when ``start`` lies inside one of the lists of casualties."""
    return any(group.start <= start < group.end for group in groups)


def _counts(text: str, groups: list[Group]) -> list[Mention]:
    """Mentions for the numbers written in digits or words; a number inside a list of
    casualties counts its noun ("two men and a woman were shot": ``men``), the list the casualties."""
    mentions: list[Mention] = []
    sentence = (-1, -1)
    previous = Counted("")
    aged: Counted | None = None  # the number just before, when it is an age
    previous_end = -1
    last: Number | None = None
    for number in scan(text):
        if last is not None and _converted(text, last, number):
            continue
        last = number
        span = sentence_span(text, number.start)
        if span != sentence:
            sentence, previous, aged = span, Counted(""), None
        counted = classify(text, number, previous.about)
        if aged is not None and _LIST_GAP.fullmatch(text, previous_end, number.start):
            counted = aged  # "ages 18, 21 and 35"; not "a 70-year-old who lives on 1, 000 euros"
        aged = counted if counted.about.startswith("age") else None
        previous, previous_end = (counted if counted.about else previous), number.end
        if counted.about in _CASUALTIES and _inside(groups, number.start):
            counted = Counted(noun(text, number))
        hedge = qualifier(text, number)
        mentions.append(
            _mention(text, number.text, number.start, sentence, counted, canonical(number.value), hedge)
        )
    return mentions


def _converted(text: str, before: Number, number: Number) -> bool:
    """True for an amount in brackets right after another: a conversion the writer worked out at some rate
    ("€3.6m (£3.1m)", "$US1 million ($1.52 million)", "110 billion ($158 billion)" with a sign lost to
    mojibake), not a second figure a source reported."""
    if not (number.currency and (before.currency or before.scale in _AMOUNT_SCALES)):
        return False
    opening = _CONVERSION_OPEN.fullmatch(text, before.end, number.start - len(number.currency))
    return opening is not None and _CONVERSION_CLOSE.match(text, number.end) is not None


def _mention(
    text: str, surface: str, start: int, sentence: tuple[int, int], counted: Counted, value: str, hedge: str
) -> Mention:
    """One number mention."""
    return Mention(
        kind="number",
        value=value,
        text=surface,
        sentence=evidence(text, sentence),
        about=counted.about,
        subject=counted.subject,
        qualifier=hedge,
        start=start,
    )


def _groups(text: str, groups: list[Group]) -> list[Mention]:
    """Mentions of lists of casualties: "two men and a woman were shot" counts 3 shot."""
    mentions = []
    for group in groups:
        sentence = sentence_span(text, group.start)
        surface = text[group.start : group.end]
        mentions.append(_mention(text, surface, group.start, sentence, Counted(group.kind), str(group.count), ""))
    return mentions


def _single_victims(text: str, groups: list[Group], stems: Stems) -> list[Mention]:
    """Mentions of one victim with no numeral: "a man was killed", "killed a 3-year-old", "he died"."""
    mentions = []
    victims = {victim.start: victim for victim in known_victims(text, stems)}
    victims.update((victim.start, victim) for victim in single_victims(text, stems))
    for victim in victims.values():
        if _inside(groups, victim.start):
            continue
        sentence = sentence_span(text, victim.start)
        surface = text[victim.start : victim.end]
        counted = Counted(victim.kind, victim.subject)
        mentions.append(_mention(text, surface, victim.start, sentence, counted, str(victim.count), victim.hedge))
    return mentions


def find_numbers(text: str) -> list[Mention]:
    """The number mentions of ``text`` in text order.

    ``value`` is a canonical decimal string: ``22``, ``1500000`` ("1.5 million"), ``1.5``;
    ``text`` the number as written ("twenty-three", "a dozen"). ``about`` is what it counts:

    * ``killed`` / ``injured`` for casualties ("at least 22 dead", "killing two and
      injuring five", "one fatally", "left one dead and three injured"), ``shot`` for
      people shot with no outcome given ("two men were shot"); one victim with no
      numeral ("a man was killed", "killed a 3-year-old") counts ``1``; a list counts
      its members ("two men and a woman were shot": ``3``, its parts then count their
      nouns); a victim the reader already knows ("he died", "Jo Reid was shot", "the
      death of a 15-year-old", "a fatal shooting") counts ``1`` with the qualifier
      ``at least`` and the victim as ``subject`` (see ``_known.py``);
    * ``age`` ("a 25-year-old man", "Reid, 33,", "aged 33") with ``subject`` the name
      written with it, else the noun ("man"); ``age_months``, ``age_weeks``,
      ``age_days`` for "6-month-old" and the like;
    * ``percent`` ("20%", "45 percent"); money as its ISO 4217 code (``USD``, ``GBP``,
      ``EUR``, ``JPY``, ``AUD``, ``CAD``, ``NZD``, ``HKD``), the value in units;
    * else the counted noun, lower-cased ("two vulnerable women": ``women``; "a
      154-page report": ``page``; "five of which" takes the count before it), or ``""``.

    ``qualifier`` holds a hedge written before the number ("at least", "more than",
    "nearly", "about", "around", "up to", "over", "under", "fewer than", "some",
    "approximately"...). Dates, times ("3 p.m."), ordinals ("8th"), ids ("Route 66"),
    scores, phone numbers ("calling 101") and street numbers are left out.

    >>> [(m.value, m.about) for m in find_numbers("Two men were shot, one fatally.")]
    [('2', 'shot'), ('1', 'killed')]

    :func:`dedupe.extract.casualties.casualties` reads these mentions into one killed
    and one injured count per article.
    """
    stems = Stems(text)
    groups = casualty_groups(text, stems)
    mentions = _counts(text, groups) + _groups(text, groups) + _single_victims(text, groups, stems)
    mentions.sort(key=attrgetter("start"))
    return mentions


def as_compared(mentions: Sequence[Mention]) -> tuple[Mention, ...]:
    """An article's ``mentions`` as its facts are compared: a number a tokeniser split ("31, 000": 31 and 0)
    is one number, and the two ends of a range ("aged 20 to 27", "between 20 and 30 people", "16 or 17") are
    the bounds of one count, "at least" the low end and "at most" the high one, both counting what either
    names ("four men, aged 20 to 27, were shot": ages, not 27 shot). Read from the mentions' sentences.

    Same-story scores read the mentions as :func:`find_numbers` gives them; merging reads them so.
    """
    numbers = [index for index, m in enumerate(mentions) if m.kind == "number"]
    out: list[Mention | None] = list(mentions)
    for low_at, high_at in pairwise(numbers):
        low, high = out[low_at], out[high_at]
        if low is None or high is None or low.sentence != high.sentence or high.start <= low.start:
            continue
        between = _between(low, high)
        if between is None:
            continue
        before, gap = between
        if _split(before, gap, low, high):
            out[low_at], out[high_at] = None, _joined(low, high, gap)
        elif _is_range(before, gap, low, high):
            out[low_at], out[high_at] = _bounds(low, high)
    return tuple(m for m in out if m is not None)


def _between(low: Mention, high: Mention) -> tuple[str, str] | None:
    """The sentence's text before ``low`` and between the two, found where both are written ``high.start -
    low.start`` characters apart (None when they are not: a mention of a list spans both)."""
    sentence, apart = low.sentence, high.start - low.start
    at = sentence.find(low.text)
    while at >= 0:
        if apart >= len(low.text) and sentence.startswith(high.text, at + apart):
            return sentence[:at], sentence[at + len(low.text) : at + apart]
        at = sentence.find(low.text, at + 1)
    return None


def _split(before: str, gap: str, low: Mention, high: Mention) -> bool:
    """True for the halves of one number a tokeniser split ("31, 000"), not a height ("5'10, 160 pounds", ECB+'s
    "5 - foot - 8, 135 pounds") or a date ("April 27, 201")."""
    if gap != ", " or not (low.text.isdigit() and len(low.text) <= 3 and high.text.isdigit() and len(high.text) == 3):
        return False
    return before.rstrip()[-1:] not in ("'", "\u2019", "-") and word_before(before, len(before), 16) not in MONTHS


def _joined(low: Mention, high: Mention, gap: str) -> Mention:
    """The number "31, 000" of its two halves: the second's reading ("people were killed"), the first's when it is
    money ("$500, 000"), the first's hedge ("more than")."""
    value = canonical(Decimal(low.text) * 1000 + Decimal(high.value))
    reading = low if low.about.isupper() or not high.about else high
    return replace(high, value=value, text=low.text + gap + high.text, start=low.start, about=reading.about,
                   subject=reading.subject, qualifier=low.qualifier or high.qualifier)


def _is_range(before: str, gap: str, low: Mention, high: Mention) -> bool:
    """True for two numbers making a range: "20 to 27", "16 or 17", "between 20 and 30", "35 - 40"."""
    if _RANGE_GAP.fullmatch(gap) is None or low.qualifier.startswith("at most"):
        return False
    if Decimal(low.value) >= Decimal(high.value):
        return False
    return " and " not in gap or word_before(before, len(before), 16) == "between"


def _bounds(low: Mention, high: Mention) -> tuple[Mention, Mention]:
    """The two ends of a range as the bounds of one count: "at least" the low end (unless hedged already),
    "at most" the high one, both counting what the low end counts when it is an age, else what the high end
    counts ("20 to 30 people"), else what the low end counts."""
    if low.about.startswith("age") or not high.about:
        about, subject = low.about, low.subject
    else:
        about, subject = high.about, high.subject
    return (replace(low, about=about, subject=subject, qualifier=low.qualifier or "at least"),
            replace(high, about=about, subject=subject, qualifier=high.qualifier or "at most"))
