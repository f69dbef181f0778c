"""Number mentions: what each number counts, casualty counts, ages, percentages and money."""

from __future__ import annotations

import re
from operator import attrgetter

from ..types import Mention
from ._counted import Counted, classify, noun, qualifier
from ._groups import Group, casualty_groups
from ._known import known_victims
from ._numscan import scan
from ._numwords import canonical
from ._stems import Stems
from ._text import sentence_span
from ._victims import single_victims

__all__ = ["find_numbers"]

_CASUALTIES = frozenset({"killed", "injured", "shot"})

_LIST_GAP = re.compile(r",?\s*(?:and\s+)?")


def _inside(groups: list[Group], start: int) -> bool:
    """True when ``start`` lies inside one of the lists of casualties."""
    return any(group.start <= start < group.end for group in groups)


def _counts(text: str, groups: list[Group]) -> list[Mention]:
    """Mentions for the numbers written in digits or words; a number inside a list of
    casualties counts its noun ("two men and a woman were shot": ``men``), the list the casualties."""
    mentions: list[Mention] = []
    sentence = (-1, -1)
    previous = Counted("")
    previous_end = -1
    for number in scan(text):
        span = sentence_span(text, number.start)
        if span != sentence:
            sentence, previous = span, Counted("")
        counted = classify(text, number, previous.about)
        if previous.about.startswith("age") and _LIST_GAP.fullmatch(text, previous_end, number.start):
            counted = Counted(previous.about, previous.subject)  # "ages 18, 21 and 35"
        previous, previous_end = (counted if counted.about else previous), number.end
        if counted.about in _CASUALTIES and _inside(groups, number.start):
            counted = Counted(noun(text, number))
        hedge = qualifier(text, number)
        mentions.append(
            _mention(text, number.text, number.start, sentence, counted, canonical(number.value), hedge)
        )
    return mentions


def _mention(
    text: str, surface: str, start: int, sentence: tuple[int, int], counted: Counted, value: str, hedge: str
) -> Mention:
    """One number mention."""
    return Mention(
        kind="number",
        value=value,
        text=surface,
        sentence=text[sentence[0] : sentence[1]],
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
