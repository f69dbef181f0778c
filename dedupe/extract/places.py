"""The main place of an article: its dateline, or else its most salient place mention."""

from __future__ import annotations

import re
from collections import defaultdict

from ..types import Mention
from . import _gazetteer as gaz
from . import _lexicon as lex

_CITY_WORD = r"[A-Z][A-Za-z.'\u2019\-]*"
_DATELINE = re.compile(
    rf"(?P<city>{_CITY_WORD}(?: {_CITY_WORD}){{0,3}})"
    rf"(?:,\s*(?P<region>{_CITY_WORD}(?: {_CITY_WORD}){{0,2}}))?"
    r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
    r"\s*(?:\((?P<agency>[^()\n]{1,40})\))?"
    r"\s*(?P<dash>--?|\u2014|\u2013|:)\s+(?=\S)"
)
_LINE_START = re.compile(r"(?:^|\n)[ \t]*(?:date \S+ )?")
_LEDE_CHARS = 500
#: Last words of public bodies named after the area they serve (``Warwickshire Police``).
_AREA_BODIES = lex.words(
    "police constabulary council court department office sheriff fire patrol authority "
    "government assembly parliament service"
)
_WEAK_HEADS = lex.PLACE_SUFFIX - {"county", "parish", "borough", "province", "region", "city"}


def _title(name: str) -> str:
    """``NEW YORK`` -> ``New York``, ``SAN'A`` -> ``San'a``; mixed case is kept."""
    if not name.isupper():
        return name
    return " ".join(part[:1] + part[1:].lower() for part in name.split())


def _canonical(name: str) -> str:
    """The gazetteer spelling of ``name`` (dots and case ignored), or "" when unknown."""
    return gaz.places().get(name.lower().replace(".", "").strip(), "")


def _region(name: str) -> str:
    """A dateline's region (``Ohio``, ``AL``, ``Ga.``, ``Iraq``) as a full name, or ""."""
    return lex.US_STATE_ABBREVIATIONS.get(name.lower().rstrip(".")) or _canonical(name)


def dateline(text: str) -> str:
    """The dateline place at the start of one of the first lines, or "".

    ``WASHINGTON (Reuters) -`` gives ``Washington``; ``DAYTON, Ohio --`` gives
    ``Dayton, Ohio``; ``Huntsville, AL (WAFF) -`` gives ``Huntsville, Alabama``.
    A title-case city needs a known region, an agency or a gazetteer entry.
    """
    for line in list(_LINE_START.finditer(text[:1500]))[:4]:
        match = _DATELINE.match(text, line.end())
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
