"""Single casualties written without a numeral: "a man was killed", "killed a 3-year-old"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._counted import casualty
from ._people import AGE, SINGULAR, SPLIT_AGE
from ._stems import Stems

_PERSON = SINGULAR
# Words between "a" and the person noun: adjectives, ages, places; no function words.
_FILLER = (
    rf"(?:{SPLIT_AGE}[ \t]+|(?!(?:in|of|which|who|that|and|or|with|from|for|at|on|to|by|the|a|an|one|my|your|his"
    r"|her|their|our|was|were|is|are|said|says|told)\b)(?![\w-]+ing\b)[\w'\u2019-]+(?:\.[\w'\u2019-]+)*[ \t]+)"
)
_AGED = r"(?:,?\s+(?:aged\s+)?[0-9]{1,3},?)?"  # "a woman, aged 33, died", "a man, 26, dead"
_ADVERBS = r"(?:(?:fatally|mortally|critically|seriously|severely|badly|gravely|accidentally)\s+)*"
# A victim ending just before a casualty verb: "a 12-year-old boy was found ", "a man has ".
_VICTIM_BEFORE = re.compile(
    rf"\b[Aa]n?\s+(?:{_FILLER}{{0,4}}?(?:{_PERSON})|{AGE})(?P<end>){_AGED}\s*,?\s*(?:who\s+)?"
    rf"(?:(?:was|is|has|had|has\s+been|had\s+been|got|later)\s+)*{_ADVERBS}(?:(?:found|pronounced)\s+)?$"
)
_PASSIVE = re.compile(
    rf"{_AGED}\s*,?\s*(?:who\s+)?"
    r"(?:(?:was|is|has|had|has\s+been|had\s+been|got|later)\s+)*"
    rf"(?P<adverbs>{_ADVERBS})"
    r"(?P<verb>(?:found\s+)?shot\s+(?:dead|and\s+killed|to\s+death|and\s+wounded|and\s+injured)|shot\s+and\s+died"
    r"|(?:found|pronounced)\s+(?:dead|deceased)|stabbed\s+to\s+death|(?:found\s+)?shot|killed|died|dies|injured"
    r"|wounded|hurt|hospitali[sz]ed|slain|murdered|dead|deceased)\b"
)
# After a passive verb an object ("shot his wife", "killed two") means the noun was the
# shooter, not the victim.
OBJECT_AFTER = re.compile(
    r"\s+(?:(?:his|her|their|its|the|a|an|him|them|himself|herself|two|three)\b|[0-9]"
    r"|(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May"
    r"|June|July|August|September|October|November|December)\b)[A-Z][a-z])"
)
# An active casualty verb and its victim: "killed 24-year-old Alex DoSouto", "shot a man".
_ACTIVE = re.compile(
    r"\b(?P<verb>shot\s+and\s+(?:killed|wounded|injured)|fatally\s+(?:shot|wounded|stabbed)|killed|wounded"
    rf"|injured|shot)\s+(?P<victim>(?:an?\s+)?{AGE}"
    rf"|an?\s+{_FILLER}{{0,3}}?(?P<noun>[a-z]+))\b"
)
#: "shot at them": a shot that missed, or a shooter.
SHOT_AT = re.compile(
    r"\s+at\s+(?:him|her|them|us|me|police|officers|people|a\s+(?:group|crowd)|the\s+(?:car|vehicle|house|home|crowd)"
    r"|[0-9]+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several)\b"
)
_PERSON_NOUN = re.compile(rf"(?:{_PERSON})")
_VERB_START = re.compile(
    r"(?:shot|killed|died|dies|injured|wounded|hurt|hospitali[sz]ed|slain|murdered|dead|deceased)\b"
)
_TRIGGERS = ("fatal", "shot", "kill", "died", "dies", "injur", "wound", "hurt", "hospital", "slain", "murder", "dead",
             "deceased")


# Slots, not frozen: ~3x cheaper to build (a frozen one sets each field by object.__setattr__); hashable as before.
@dataclass(slots=True, unsafe_hash=True)
class Victim:
    """One casualty: the words naming the victim at ``start:end`` and ``killed``/``injured``/``shot``.

    ``subject`` names a victim the reader already knows ("he", "Jo Reid"); ``hedge`` is
    ``at least`` when the words tell that someone was hurt, not how many; ``count`` is how
    many people the words name.
    """

    start: int
    end: int
    kind: str
    subject: str = ""
    hedge: str = ""
    count: int = 1


def _passive(text: str, verb: int) -> Victim | None:
    """The "a man was killed" victim whose verb starts at ``verb``, if any."""
    victim = _VICTIM_BEFORE.search(text, max(0, verb - 90), verb)
    predicate = _PASSIVE.match(text, victim.end("end")) if victim else None
    if victim is None or predicate is None:
        return None
    target = OBJECT_AFTER.match(text, predicate.end())
    if target and not target.group().strip().endswith("self"):
        return None  # "a guard shot his attacker": the guard is no victim; "shot himself" is
    verb_text = " ".join(predicate.group("verb").split())
    if verb_text == "shot" and SHOT_AT.match(text, predicate.end()):
        return None  # "a man shot at them": a shooter
    kind = "killed" if verb_text == "shot and died" else casualty(verb_text, predicate.group("adverbs"))
    return Victim(victim.start(), victim.end("end"), kind) if kind else None


def _active(text: str, at: int) -> Victim | None:
    """The victim named after an active verb at ``at``: "killed a 3-year-old", "fatally shot a woman"."""
    match = _ACTIVE.match(text, at)
    if match is None:
        return None
    verb = " ".join(match.group("verb").split())
    adverbs, _, verb = verb.rpartition(" ") if verb.startswith("fatally") else ("", "", verb)
    noun = match.group("noun")
    if noun and verb == "shot" and not adverbs and not _PERSON_NOUN.fullmatch(noun):
        return None  # "shot a video"; "killed a burglar" and "wounded an intruder" stand
    kind = casualty(verb, adverbs)
    return Victim(match.start("victim"), match.end("victim"), kind) if kind else None


_RANK = {"shot": 0, "injured": 1, "killed": 2}


def keep(found: dict[int, Victim], victim: Victim) -> None:
    """Record ``victim`` by its start; of two readings of one victim the graver stands
    ("fatally shot a teenager": killed, not shot)."""
    known = found.get(victim.start)
    if known is None or _RANK.get(victim.kind, -1) > _RANK.get(known.kind, -1):
        found[victim.start] = victim


def single_victims(text: str, stems: Stems | None = None) -> list[Victim]:
    """The casualties of ``text`` named one at a time with "a"/"an", in text order.

    ``stems`` shares the casualty words' offsets with the other readers of ``text``.
    """
    found: dict[int, Victim] = {}
    for at in (stems or Stems(text)).each(_TRIGGERS):
        passive = _passive(text, at) if _VERB_START.match(text, at) else None
        for victim in (_active(text, at), passive):
            if victim is not None:
                keep(found, victim)
    return sorted(found.values(), key=lambda victim: victim.start)
