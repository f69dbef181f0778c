"""Casualty summary: an article's best statement of how many were killed and injured.

``find_numbers`` gives every casualty statement of an article (counts, lists, victims
named one at a time); :func:`casualties` reads them into one ``killed`` and one
``injured`` count for the article's incident, the way a reader takes the toll from
the headline and the lede. The merge stage and ``bench/facts.py`` use it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ..types import Fields, Mention
from .numbers import find_numbers

__all__ = ["LEDE_CHARS", "casualties", "elsewhere", "several"]

_CLASSES = ("killed", "injured", "shot")
#: The lede: statements past this many characters of the body are background (earlier
#: incidents, other victims, details), not the toll.
LEDE_CHARS = 600
# Sentences about other incidents or statistics: "so far this year", "in 12 separate shootings".
_ELSEWHERE = re.compile(
    r"\b(?:(?:so\s+far\s+)?this\s+year|so\s+far|year\s+to\s+date|since\s+(?:19|20)[0-9]{2}"
    r"|(?:in|since|during|of)\s+(?:[A-Z][a-z]+\s+)?(?:19|20)[0-9]{2}\b(?!\s*,)|statistics"
    r"|(?:separate|different|other|unrelated|multiple|several|[0-9]+)\s+(?:[a-z]+\s+)?(?:shootings|incidents)"
    r"|across\s+the\s+(?:city|country|nation|state)|citywide|nationwide|statewide|on\s+average|per\s+year"
    r"|annually|each\s+year|every\s+year|years\s+ago)",
)
# Page furniture that lists other stories: "RELATED: ...", "1:27 Two dead after ...".
_OTHER_STORY = re.compile(
    r"(?:RELATED|READ MORE|MORE|SEE ALSO|ALSO READ|WATCH|VIDEO)\b|[0-9]{1,2}:[0-9]{2}\s+[A-Z0-9+]|\+\s"
)
# "two other men were shot": counted besides the dead.
_BESIDES = re.compile(r"\s+(?:other|more|additional)\b|\s+others\b")
_NUMERAL = re.compile(
    r"[0-9]|(?i:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    r"|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|a\s+dozen|dozens|hundreds)\b"
)
# A headline or lede about several incidents: "6 wounded in Chicago shootings".
_SEVERAL = re.compile(r"\bshootings\b|\bseparate\s+(?:incidents|attacks|shootings)\b", re.IGNORECASE)


def elsewhere(sentence: str) -> bool:
    """True when a sentence speaks of other incidents or of statistics ("so far this year"),
    or lists other stories ("RELATED: ...")."""
    return _ELSEWHERE.search(sentence) is not None or _OTHER_STORY.match(sentence) is not None


@dataclass
class _Toll:
    """What one sentence says of the casualties: exact counts and lower bounds by class."""

    counts: dict[str, Mention] = field(default_factory=dict)
    bounds: dict[str, Mention] = field(default_factory=dict)
    suicide: bool = False


def _value(mention: Mention) -> int:
    """A count's value as an integer."""
    return int(float(mention.value))


def _is_suicide(mention: Mention) -> bool:
    """True for a shooter's death by his own hand ("killed himself", "turned the gun on herself")."""
    return mention.about == "killed" and mention.subject == "himself"


def _add(toll: _Toll, mention: Mention) -> None:
    """Add one statement to its sentence's toll.

    The largest count of a class stands (people named one at a time often are one
    person named twice); hedged counts and victims named without a count ("he died")
    are lower bounds; a shooter's suicide adds one dead to the sentence's count.
    """
    suicide = _is_suicide(mention)
    toll.suicide = toll.suicide or suicide  # "killed his daughter, then himself": one more dead
    kept = toll.bounds if mention.qualifier else toll.counts
    best = kept.get(mention.about)
    if best is None or _value(mention) > _value(best) or (_is_suicide(best) and not suicide):
        kept[mention.about] = mention


def _tolls(statements: Sequence[Mention]) -> list[_Toll]:
    """One toll per sentence with a casualty statement, in order; a victim shot or hurt in a
    sentence that tells of a death ("a teen shot on Friday has died") counts as dead."""
    tolls: dict[str, _Toll] = {}
    for mention in statements:
        _add(tolls.setdefault(mention.sentence, _Toll()), mention)
    for toll in tolls.values():
        if toll.suicide:
            kept = toll.counts if "killed" in toll.counts else toll.bounds
            count = kept.get("killed")
            if count is not None and not _is_suicide(count):
                kept["killed"] = replace(count, value=str(_value(count) + 1))
        if "killed" in toll.bounds and "killed" not in toll.counts:
            for about in ("shot", "injured"):
                single = toll.counts.get(about)
                if single is not None and _value(single) == 1 and not _NUMERAL.match(single.text):
                    toll.counts["killed"] = replace(toll.counts.pop(about), about="killed")
    return list(tolls.values())


def _first(tolls: Sequence[_Toll], about: str) -> Mention | None:
    """The first exact count of ``about``, else the first lower bound."""
    for kind in ("counts", "bounds"):
        for toll in tolls:
            found = getattr(toll, kind).get(about)
            if found is not None:
                return found
    return None


def _besides(mention: Mention) -> bool:
    """True for a count of people besides the dead: "two other men", "three more", "five others"."""
    at = mention.sentence.find(mention.text)
    return at >= 0 and _BESIDES.match(mention.sentence, at + len(mention.text)) is not None


def several(fields: Fields) -> bool:
    """True when the headline or the lede speaks of several incidents ("shootings", "in
    separate attacks"): the article is a round-up, its counts no single incident's toll."""
    return _SEVERAL.search(fields.headline) is not None or _SEVERAL.search(fields.lede) is not None


def _died_later(mentions: Sequence[Mention]) -> bool:
    """True when a death is told past the lede (outside sentences about other incidents)."""
    return any(m.about == "killed" and m.start >= LEDE_CHARS and not elsewhere(m.sentence) for m in mentions)


def casualties(fields: Fields) -> dict[str, Mention]:
    """The killed and injured counts of an article's incident, each as the mention that states it.

    The summary reads the headline and the number mentions as a reader would:

    * a round-up of several incidents (:func:`several`) states no count;
    * the toll is told in the headline and the lede (the first ``LEDE_CHARS``
      characters of the body): later counts are background; sentences about other
      incidents or statistics (:func:`elsewhere`) are skipped;
    * each sentence states a toll: its counts by class (``killed``, ``injured``,
      ``shot``); the first statement counts most, the headline's, then the lede's;
      an exact count ("two", "a man") wins over a lower bound ("at least two", "he died");
    * ``killed`` is the first count of dead; ``injured`` the first count of injured,
      unless more were ``shot`` (with no outcome given) than were killed and injured:
      then the shot less the dead. "Two men were shot, one fatally" gives 1 killed,
      1 injured; "a man was shot" 1 injured, unless a death is told later in the
      article (then neither count is given); "two others were shot" 2 injured whatever
      the dead; a victim shot in a sentence that tells of a death ("a teen shot on
      Friday has died") is the dead;
    * a count of zero is never stated.

    A derived count keeps the mention it was derived from, with ``about`` and
    ``value`` set to what it gives. Example: for "Two men were shot, one fatally."
    ``casualties(extract(article))`` is ``{"killed": Mention(value="1", ...),
    "injured": Mention(value="1", text="Two", ...)}``.
    """
    if several(fields):
        return {}
    lede = [m for m in fields.mentions if m.start < LEDE_CHARS]
    statements = [
        m for m in (*find_numbers(fields.headline), *lede)
        if m.kind == "number" and m.about in _CLASSES and not elsewhere(m.sentence)
    ]
    tolls = _tolls(statements)
    summary = {about: found for about in _CLASSES if (found := _first(tolls, about)) is not None}
    shot = summary.pop("shot", None)
    if shot is None or (shot.qualifier and "injured" in summary):
        return summary
    if "killed" not in summary and "injured" not in summary and _died_later(fields.mentions):
        return summary  # shot, and a death told past the lede: whose, is unclear
    killed = _value(summary["killed"]) if "killed" in summary and not _besides(shot) else 0
    injured = _value(summary["injured"]) if "injured" in summary else 0
    if _value(shot) > killed + injured:
        summary["injured"] = replace(shot, about="injured", value=str(_value(shot) - killed))
    return summary
