"""The main place of an article: its dateline, or else its most salient place mention."""

from __future__ import annotations

import re
from collections import defaultdict

from ..types import Mention
from . import _gazetteer as gaz
from . import _geo as geo
from . import _lexicon as lex

_CITY_WORD = r"[A-Z][A-Za-z.'\u2019\-]*"
_DATELINE = re.compile(
    rf"(?P<city>{_CITY_WORD}(?: {_CITY_WORD}){{0,3}})"
    rf"(?:,\s*(?P<region>{_CITY_WORD}(?: {_CITY_WORD}){{0,2}}))?"
    r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
    r"\s*(?:\((?P<agency>[^()\n]{1,40})\))?"
    r"\s*(?P<dash>--?|\u2014|\u2013|:)\s+(?=\S)"
)
_LINE_START = re.compile(r"[ \t]*(?:date \S+ )?")  # seeds open with "date 2020-11-21"
_DATELINE_LINES, _DATELINE_REACH = 4, 1500
_LEDE_CHARS = 500
_WORD_START = re.compile(r"(?<![\w'\u2019])\w")
#: Capitalised words that open a line before a dash without being a place.
_NOT_DATELINES = lex.words(
    "breaking update updated watch video photos photo exclusive file live alert news opinion "
    "analysis editorial review comment read more related listen"
)
#: Last words of public bodies named after the area they serve (``Warwickshire Police``).
_AREA_BODIES = lex.words(
    "police constabulary council court department office sheriff fire patrol authority "
    "government assembly parliament service"
)
_WEAK_HEADS = lex.PLACE_SUFFIX - {"county", "parish", "borough", "province", "region", "city"}


def _title(name: str) -> str:
    """``NEW YORK`` -> ``New York``, ``KAILUA-KONA`` -> ``Kailua-Kona``, ``McKEES`` ->
    ``Mckees``; a name mostly in lower case is kept."""
    if sum(char.isupper() for char in name) <= sum(char.islower() for char in name):
        return name
    return _WORD_START.sub(lambda match: match.group().upper(), name.lower())


def _canonical(name: str) -> str:
    """The gazetteer spelling of ``name`` (dots and case ignored), or "" when unknown."""
    return gaz.places().get(name.lower().replace(".", "").strip(), "")


def _region(name: str) -> str:
    """A dateline's region (``Ohio``, ``AL``, ``Ga.``, ``Iraq``) as a full name, or ""."""
    return geo.US_STATE_ABBREVIATIONS.get(name.lower().rstrip(".")) or _canonical(name)


def _line_starts(text: str) -> list[int]:
    """The offsets of the first few lines of ``text`` (a dateline opens one of them)."""
    starts, cursor = [0], 0
    while len(starts) < _DATELINE_LINES:
        cursor = text.find("\n", cursor, _DATELINE_REACH) + 1
        if not cursor:
            break
        starts.append(cursor)
    return starts


def dateline(text: str) -> str:
    """The dateline place at the start of one of the first lines, or "".

    ``WASHINGTON (Reuters) -`` gives ``Washington``; ``DAYTON, Ohio --`` gives
    ``Dayton, Ohio``; ``Huntsville, AL (WAFF) -`` gives ``Huntsville, Alabama``.
    A title-case city needs a known region, an agency or a gazetteer entry; a
    city in capitals before a dash (``BUSTI \u2013``) stands on its own.
    """
    for line_start in _line_starts(text):
        match = _DATELINE.match(text, _LINE_START.match(text, line_start).end())
        if not match:
            continue
        found = _dateline_place(match)
        if found:
            return found
    return ""


def _dateline_place(match: re.Match[str]) -> str:
    """The place a dateline-shaped match names, or "" when it is not a dateline."""
    city, region = _title(match.group("city")), match.group("region") or ""
    if match.group("dash") == ":" and not match.group("city").isupper():
        return ""
    region_name = _region(region) if region else ""
    if (region and not region_name) or city.lower() in lex.FUNCTION:
        return ""
    if region_name:
        return f"{_canonical(city) or city}, {region_name}"
    shouted = match.group("city").isupper() and match.group("dash") != ":"
    if shouted and len(city) > 2 and city.split()[0].lower() not in _NOT_DATELINES:
        return _canonical(city) or city
    return _canonical(city) or (city if match.group("agency") else "")


def _weight(mention: Mention) -> float:
    """How much one mention says about the story's place: the lede counts triple."""
    weight = 3.0 if mention.start < _LEDE_CHARS else 1.0
    words = mention.value.lower().split()
    weak = mention.kind == "organisation" or words[-1] in _WEAK_HEADS
    vague = words[0] in lex.PLACE_HEADS and not _canonical(mention.value)
    return weight * 0.5 if weak or vague else weight


def _org_place(value: str) -> str:
    """The place an organisation is named after (``Devon and Cornwall Police``), or ""."""
    words = value.split()
    if not words or words[-1].lower() not in _AREA_BODIES:
        return ""
    while words and words[-1].lower() in lex.ORG_SUFFIX:
        words.pop()
    if not words or words[0].lower() in lex.ORG_HEADS:
        return ""
    parts = " ".join(words).split(" and ")
    if all(_canonical(part) for part in parts):
        return " and ".join(_canonical(part) for part in parts)
    return ""


def main_place(text: str, entities: list[Mention]) -> str:
    """The dateline if there is one, else the most salient place, or "".

    Salience adds up the mentions of each place, weighting those in the lede and
    counting organisations named after a place (``Warwickshire Police``) at half;
    ties go to the place named first.
    """
    found = dateline(text)
    if found:
        return found
    scores: dict[str, float] = defaultdict(float)
    first: dict[str, int] = {}
    for mention in entities:
        value = mention.value if mention.kind == "place" else ""
        if mention.kind == "organisation":
            value = _org_place(mention.about or mention.value)
        if value:
            scores[value] += _weight(mention)
            first.setdefault(value, mention.start)
    if not scores:
        return ""
    return max(scores, key=lambda value: (scores[value], -first[value]))
