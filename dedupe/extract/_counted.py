"""What a number counts: an age (``_ages``), a casualty count, a percentage, money or the noun after it."""

from __future__ import annotations

import re

from ._ages import age
from ._numscan import Number
from ._numwords import NUMBER_WORDS
from ._phrase import INJURED, KILLED, OF_GROUP, PEOPLE, TOKEN, Counted, money, run
from ._text import word_set

_PERCENT = re.compile(r"\s*(?:%|percent\b|per\s+cent\b)")
#: The hedges read before a figure; ``facts.number_range`` says what each allows (at least, at most, nearly, about).
HEDGES = (
    "at least", "at most", "more than", "less than", "fewer than", "no more than", "no less than", "no fewer than",
    "as many as", "up to", "a minimum of", "a maximum of", "nearly", "almost", "about", "around", "roughly",
    "approximately", "some", "over", "under", "just over", "just under", "an estimated", "close to", "upwards of",
    "in excess of",
)
_QUALIFIER = re.compile(r"\b(" + "|".join(sorted(HEDGES, key=len, reverse=True)) + r")\s+$", re.IGNORECASE)
_QUALIFIER_ENDS = frozenset(hedge.split()[-1] for hedge in HEDGES)
_NOT_HEADS = word_set("more less other additional further")
_PLURALS = word_set("people men women children police feet teeth mice geese cattle staff")
#: Words a phrase may end with that name nothing: a count above one ending so counts no noun ("KSLA News 12 Now at
#: 4 streaming live online").
_NO_NOUNS = word_set("online offline live now today tonight tomorrow yesterday ago again alone apiece together")
_PARENT_OF = re.compile(r"\b(?:mother|father|parent|mom|dad|grandmother|grandfather)s?\s+of\s+$", re.IGNORECASE)
_THINGS = word_set(
    "rounds shots bullets times casings shells cartridges cars vehicles houses homes dogs years months weeks days hours"
)
# An object after a casualty verb: the counted people did the shooting ("two officers who shot and killed a
# homeowner").
_OBJECT = re.compile(r"\s+(?:his|her|their|its|a|an|him|them)\b")
# A count as the object, in words or figures ("... fatally shot 12 people", "... shot five men", "... shot
# 16-year-old Kimani Gray"); not a count of times or a time span ("were shot 12 times", "died 10 days later"),
# nor one past a line break (a headline's "5 people shot" above "Five people ...").
_COUNT_OBJECT = re.compile(
    rf"[^\S\n]+(?:{NUMBER_WORDS}|[0-9])(?![0-9,.]*\s+(?:time|minute|hour|day|week|month|year)s?\b)"
)
_PREDICATE = re.compile(
    r"\s*,?\s*(?:who\s+|that\s+)?(?:(?:were|was|are|is|have|has|had|been|being|be|got|remain|remains"
    r"|remained|later|also|both|all|each|reportedly|now|still)\s+)*"
    r"(?P<adverbs>(?:(?:fatally|mortally|critically|seriously|severely|badly|gravely|slightly"
    r"|accidentally|allegedly|non-fatally)\s*)*)"
    r"(?P<verb>shot\s+(?:dead|and\s+killed|to\s+death|and\s+wounded|and\s+injured)"
    r"|(?:found|pronounced|declared|left|confirmed)\s+(?:dead|deceased)|(?:stabbed|beaten)\s+to\s+death"
    r"|killed|dead|died|dies|slain|murdered|perished|injured|wounded|hurt|hospitali[sz]ed|shot)?\b",
    re.IGNORECASE,  # title case: "Two Men Shot In Gary"
)
_VERB_BEFORE = re.compile(
    r"\b(?P<fatally>fatally\s+)?"
    r"(killing|killed|kills|injuring|injured|injures|wounding|wounded|wounds|shooting|shot|shoots)"
    r"\s+(?:(?:at least|more than|about|nearly|some|another|an estimated|approximately|around)\s+)?$"
)
# "one man and one woman were killed": the verb is past a second counted noun.
_CONJOINED = re.compile(
    r"\s+and\s+(?:an?|one|two|three|four|five|six|seven|eight|nine|ten|[0-9]+)\s+(?:[a-z]+\s+){0,2}?[a-z]+"
    r"(?=\s+(?:were|are|have|had)\b)"
)
# The words _VERB_BEFORE may end with: the verbs and the hedges after them.
_ACTIVE_WORDS = word_set(
    """killing killed kills injuring injured injures wounding wounded wounds shooting shot shoots least than
    about nearly some another estimated approximately around"""
)
_ACTIVE = {"kill": "killed", "inju": "injured", "woun": "injured", "shoo": "shot", "shot": "shot"}


def qualifier(text: str, number: Number) -> str:
    """The hedge written before a number ("at least", "more than", "more than 1.6 million"), lower-cased, or ""."""
    start = number.start - len(number.currency)
    if number.before not in _QUALIFIER_ENDS:
        return ""
    match = _QUALIFIER.search(text, max(0, start - 24), start)
    return " ".join(match.group(1).lower().split()) if match else ""


def casualty(verb: str, adverbs: str = "") -> str:
    """``killed``, ``injured``, ``shot`` or ``""`` for a verb phrase after a count."""
    verb = " ".join(verb.split())
    if "fatally" in adverbs or "mortally" in adverbs:
        return "killed"
    if verb.startswith("shot") and verb != "shot":
        return "killed" if verb.endswith(("dead", "killed", "death")) else "injured"
    if verb in KILLED or verb.endswith(("dead", "death", "deceased")):
        return "killed"
    if verb in INJURED:
        return "injured"
    return "shot" if verb == "shot" else ""


def _head(words: list[str], plural: bool) -> str:
    """The counted noun among ``words``: the first plural one for counts above one, else the last."""
    lowered = [word.lower() for word in words if word.lower() not in _NOT_HEADS]
    if plural:
        for word in lowered:
            if word in _PLURALS or (word.endswith("s") and not word.endswith(("ss", "us", "'s"))):
                return word
        if lowered and (lowered[-1] in _NO_NOUNS or lowered[-1].endswith("ing")):
            return ""
    return lowered[-1] if lowered else ""


def classify(text: str, number: Number, previous: str = "") -> Counted:
    """What ``number`` counts, read from the words around it.

    ``previous`` is what the number before it in the sentence counts, for "five of
    which". Ages give ``age`` and a subject; casualty counts ``killed``, ``injured`` or
    ``shot``; percentages ``percent``; money its ISO currency code; anything else the
    noun after the number ("women"), or ``""``.
    """
    aged = age(text, number)
    if aged is not None:
        return aged
    if _PERCENT.match(text, number.end):
        return Counted("percent")
    currency = money(text, number)
    if currency:
        return Counted(currency)
    if text[number.end : number.end + 1] == "-" and text[number.end + 1 : number.end + 2].isalpha():
        return Counted(TOKEN.match(text, number.end + 1).group().lower().split("-")[0])
    return Counted(_counted_noun(text, number, previous))


def noun(text: str, number: Number) -> str:
    """The noun after ``number`` ("two men": ``men``), ignoring any casualty verb."""
    words = [word for word in run(text, number.end)[0] if word.lower() not in KILLED | INJURED]
    return _head(words, number.value != 1)


def _counted_noun(text: str, number: Number, previous: str) -> str:
    """The casualty class (``killed``, ``injured``, ``shot``) or the noun a count counts.

    A verb written just before a bare count wins over one after a comma ("killed 1,
    injured 3"); a verb with an object after it makes the counted the shooters ("two
    officers who shot and killed a homeowner"); things are never casualties ("five
    rounds were shot"), and a count after the verb is an object too ("two officers fatally shot 12 people").
    """
    if number.before == "of" and _PARENT_OF.search(text, max(0, number.start - 24), number.start):
        return "children"  # "a father of 5 killed": his children, no casualties
    words, stop = run(text, number.end)
    last = words[-1].lower() if words else ""
    if last in KILLED or last in INJURED:
        return casualty(last)
    head = _head(words, number.value != 1)
    if head in _THINGS:
        return head
    active = None
    if (head in PEOPLE or not head) and number.before in _ACTIVE_WORDS:
        active = _VERB_BEFORE.search(text, max(0, number.start - 40), number.start)
    group = None if words else OF_GROUP.match(text, stop)
    after = group.end() if group else stop
    conjoined = _CONJOINED.match(text, after)
    predicate = _PREDICATE.match(text, conjoined.end() if conjoined else after)
    if predicate and (predicate.group("verb") or predicate.group("adverbs")):
        kind = casualty((predicate.group("verb") or "").lower(), predicate.group("adverbs").lower())
        listed = active is not None and predicate.group().lstrip().startswith(",")
        if kind and not listed:
            acting = _OBJECT.match(text, predicate.end()) or _COUNT_OBJECT.match(text, predicate.end())
            return head if acting else kind
    if group and group.group("noun") and group.group("noun") not in PEOPLE:
        return group.group("noun")  # "injuring one of the family dogs"
    if active:
        return "killed" if active.group("fatally") else _ACTIVE[active.group(2)[:4]]
    if group:
        return group.group("noun") or ("" if previous.startswith("age") else previous)
    return head
