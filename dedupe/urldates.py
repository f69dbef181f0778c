"""Publication dates read from article URLs, for records that carry no date of their own."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from urllib.parse import urlsplit

_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_SEP = r"[/_.-]"
_YEAR = r"(?<![0-9])(?P<year>(?:19|20)[0-9]{2})"
#: URL path shapes that news sites use for the publication day, most explicit first:
#: ``/2014/07/17/``, ``/2012/oct/26/``, ``/2011/0401/``, ``-20140511``, ``idUSBREA470IF20140508``.
_SHAPES = (
    re.compile(_YEAR + _SEP + r"(?P<month>[01]?[0-9])" + _SEP + r"(?P<day>[0-3]?[0-9])(?![0-9])"),
    re.compile(_YEAR + _SEP + r"(?P<name>[a-z]{3})[a-z]*" + _SEP + r"(?P<day>[0-3]?[0-9])(?![0-9])", re.IGNORECASE),
    re.compile(_YEAR + r"/(?P<month>[01][0-9])(?P<day>[0-3][0-9])(?![0-9])"),
    re.compile(_YEAR + r"(?P<month>[01][0-9])(?P<day>[0-3][0-9])(?![0-9])"),
)
#: The last shape (eight digits, no separator) is also how sites number articles (BBC Sport's
#: ``/olympics/19171008``); read as a day only from this year on, when the web began.
_COMPACT_FROM = 1990


def _as_date(match: re.Match[str]) -> date | None:
    """The calendar date a shape matched, or None when it names no real day (``2014/13/45``, ``2014/abc/01``)
    or is an article number (eight digits before :data:`_COMPACT_FROM`)."""
    parts = match.groupdict()
    if match.re is _SHAPES[-1] and int(parts["year"]) < _COMPACT_FROM:
        return None
    if parts.get("name"):
        short = parts["name"][:3].lower()
        month = _MONTH_NAMES.index(short) + 1 if short in _MONTH_NAMES else 0
    else:
        month = int(parts["month"])
    try:
        return date(int(parts["year"]), month, int(parts["day"]))
    except ValueError:
        return None


@lru_cache(maxsize=8192)  # read by Article.day, which the stages ask again and again
def url_day(url: str | None) -> str | None:
    """The publication day a news URL's path spells out, as ``YYYY-MM-DD``; None when it gives none.

    Only the path is read (never the host); the first shape that names a real day wins.
    A month without a day (``/2014/02/slug``) gives None: the gap between two articles
    is counted in days.

    Example: ``url_day("http://www.theguardian.com/world/2014/jul/17/mh17")`` is ``"2014-07-17"``.
    """
    if not url:
        return None
    path = urlsplit(url.strip()).path
    for shape in _SHAPES:
        for match in shape.finditer(path):
            found = _as_date(match)
            if found is not None:
                return found.isoformat()
    return None
