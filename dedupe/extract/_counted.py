"""What a number counts: an age, a casualty count, a percentage, money or the noun after it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._calendar import MONTHS
from ._events import IRREGULAR
from ._money import money
from ._numscan import Number
from ._numwords import NUMBER_WORDS
from ._people import PERSON_NOUNS
from ._text import word_set

_AGE_AFTER = re.compile(
    r"(?:[- ](?P<unit>year|yr|month|week|day)s?[- ]old\b|\s+years?\s+(?:old|of\s+age)\b)", re.IGNORECASE
)
_SPLIT_AGE = re.compile(r" - (?P<unit>year|yr|month|week|day)s? - old\b", re.IGNORECASE)
_AGE_WORD_BEFORE = re.compile(r"\b[Aa]ge[ds]?\s+$")
_NAME = r"(?:(?:[A-Z]\.|[A-Z][\w'\u2019-]*) ){0,3}[A-Z][\w'\u2019-]*[a-z][\w'\u2019-]*"  # not "ALNK"
_NAME_COMMA = re.compile(rf"\b({_NAME})(?:\s+(?:Jr|Sr)\.?|\s+I{{2,3}}|\s+IV)?,\s*$")
_NAME_PAREN = re.compile(rf"\b({_NAME})\s+\($")
_WHO_BEFORE = re.compile(rf"(?:\b({_NAME})|\b([a-z]+)),?\s+$")
_APPOSITION = re.compile(rf"\b({_NAME}),\s+(?:an?|the)\s+$")
_AFTER_AGE_COMMA = re.compile(
    r"\s*(?:,|\)|;|\.(?:\s|$)|\s+(?:of|from|and|all|both|were|was|died|who)\b|\n|$)"
)
_PERCENT = re.compile(r"\s*(?:%|percent\b|per\s+cent\b)")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*|\S")
#: The hedges read before a figure; ``facts.number_range`` says what each allows (at least, at most, nearly, about).
HEDGES = (
    "at least", "at most", "more than", "less than", "fewer than", "no more than", "no less than", "no fewer than",
    "as many as", "up to", "a minimum of", "a maximum of", "nearly", "almost", "about", "around", "roughly",
    "approximately", "some", "over", "under", "just over", "just under", "an estimated", "close to", "upwards of",
    "in excess of",
)
_QUALIFIER = re.compile(r"\b(" + "|".join(sorted(HEDGES, key=len, reverse=True)) + r")\s+$", re.IGNORECASE)
_QUALIFIER_ENDS = frozenset(hedge.split()[-1] for hedge in HEDGES)
_STOP = word_set(
    """a an the of in on at to for from with by and or but as than that which who whom whose were was
    is are be been being have has had will would could should may might can must do did does not no
    this these those their his her its our your my they them he she it we you there here when where
    while after before since during per each about around over under into onto out up down off
    so such very also just only then all both either because if though although like including
    plus via among against between through across behind near inside outside within without toward
    towards upon what how why said says remain remains remained according"""
)
_NOT_HEADS = word_set("more less other additional further")
_PLURALS = word_set("people men women children police feet teeth mice geese cattle staff")
_KILLED = word_set("dead deaths death fatalities killed slain bodies died murdered deceased")
_INJURED = word_set("injured wounded injuries hurt hospitalized hospitalised")
_PEOPLE = word_set(
    """people persons person men man women woman children child kids kid boys boy girls girl teens teen
    teenagers teenager adults adult students student officers officer victims victim others residents
    civilians soldiers troops police passengers bystanders members suspects suspect employees workers
    patrons customers worshippers fans protesters individuals juveniles juvenile youths youth infants
    infant toddlers toddler babies baby brothers sisters sons daughters friends relatives deputies
    agents guards gunmen gunman shooters hostages inmates prisoners pedestrians motorists drivers"""
)
_WHEN = frozenset(MONTHS) | word_set("monday tuesday wednesday thursday friday saturday sunday")
_PARENT_OF = re.compile(r"\b(?:mother|father|parent|mom|dad|grandmother|grandfather)s?\s+of\s+$", re.IGNORECASE)
_THINGS = word_set(
    "rounds shots bullets times casings shells cartridges cars vehicles houses homes dogs years months weeks days hours"
)
# An object after a casualty verb: the counted people did the shooting ("two officers who shot and killed a
# homeowner"). Same-story scores read these objects only: their profiles were measured so.
_OBJECT = re.compile(r"\s+(?:his|her|their|its|a|an|him|them|two|three|four|[0-9])\b")
# Any count as the object too, in words or figures ("... fatally shot 12 people", "... shot five men", "... shot
# 16-year-old Kimani Gray"), read by merging (:func:`actor`); not a count of times or a time span ("were shot 12
# times", "died 10 days later"), nor one past a line break (a headline's "5 people shot" above "Five people ...").
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
_OF_GROUP = re.compile(
    r"\s+of\s+(?:them|whom|which|those|these|us|the\s+(?:[a-z]+\s+){0,2}?(?P<noun>[a-z]+s))\b"
)


# Slots, not frozen: ~3x cheaper to build (a frozen one sets each field by object.__setattr__); hashable as before.
@dataclass(slots=True, unsafe_hash=True)
class Counted:
    """What a number counts (``about``) and whose it is (``subject``, for ages)."""

    about: str
    subject: str = ""


def qualifier(text: str, number: Number) -> str:
    """The hedge written before a number ("at least", "more than"), lower-cased, or ""."""
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
    if verb in _KILLED or verb.endswith(("dead", "death", "deceased")):
        return "killed"
    if verb in _INJURED:
        return "injured"
    return "shot" if verb == "shot" else ""


def _run(text: str, end: int) -> tuple[list[str], int]:
    """The words of the noun phrase after ``end`` ("vulnerable women"), as written, and its end.

    The phrase stops at a function word, an adverb, a past tense or punctuation; a
    casualty word ends it ("three people dead").
    """
    words: list[str] = []
    stop = end
    for match in _TOKEN.finditer(text, end, end + 80):
        word = match.group()
        lower = word.lower()
        adverb = lower.endswith("ly") and word[0].islower()
        if not word[0].isalpha() or lower in _STOP or lower in IRREGULAR or adverb:
            break
        casualty_word = lower in _KILLED or lower in _INJURED
        if words and lower.endswith("ed") and not casualty_word:
            break
        words.append(word)
        stop = match.end()
        if len(words) == 4 or casualty_word:
            break
    if words and words[-1].endswith("ed") and words[-1].lower() not in _KILLED | _INJURED:
        words.pop()  # "the other two sustained ...": a verb, not a noun
    return words, stop


def _head(words: list[str], plural: bool) -> str:
    """The counted noun among ``words``: the first plural one for counts above one, else the last."""
    lowered = [word.lower() for word in words if word.lower() not in _NOT_HEADS]
    if plural:
        for word in lowered:
            if word in _PLURALS or (word.endswith("s") and not word.endswith(("ss", "us", "'s"))):
                return word
    return lowered[-1] if lowered else ""


def _age(text: str, number: Number) -> Counted | None:
    """An age: "a 25-year-old man", "Reid, 33,", "aged 33", "6 years old"."""
    after = _AGE_AFTER.match(text, number.end)
    window = max(0, number.start - 60)
    if after:
        return _aged(text, number.start, after)
    aged = _AGE_WORD_BEFORE.search(text, max(0, number.start - 8), number.start)
    if aged:
        before = _WHO_BEFORE.search(text, window, aged.start())
        return Counted("age", _name(before.group(1)) or _noun(before.group(2)) if before else "")
    if number.value > 120 or number.value != int(number.value):
        return None
    before = text[max(0, number.start - 2) : number.start].rstrip(" ")[-1:]
    if not number.text.isdigit():
        return None
    if before == "," and _AFTER_AGE_COMMA.match(text, number.end) and not _OF_GROUP.match(text, number.end):
        if number.before in PERSON_NOUNS:
            return Counted("age", number.before)  # "a man, 26, dead"
        match = _NAME_COMMA.search(text, window, number.start)
    elif before == "(" and text[number.end : number.end + 1] == ")":
        match = _NAME_PAREN.search(text, window, number.start)
    else:
        return None
    name = _name(match.group(1)) if match else ""
    return Counted("age", name) if name else None


def _aged(text: str, start: int, after: re.Match[str]) -> Counted:
    """The age a number at ``start`` gives with its unit ``after`` it ("-year-old"), and whose it is: the name
    before it ("Jo Reid, a 25-year-old") or the words after it ("25-year-old man")."""
    unit = (after.group("unit") or "year").lower()
    about = "age" if unit in ("year", "yr") else f"age_{unit}s"
    named = _APPOSITION.search(text, max(0, start - 60), start)
    name = _name(named.group(1)) if named else ""
    if name and name.lower() not in _WHEN:
        return Counted(about, name)
    return Counted(about, _subject(_run(text, after.end())[0]))


def split_age(text: str, start: int, end: int) -> Counted | None:
    """The age the digits at ``start:end`` give when a tokeniser split the hyphens around their unit, as ECB+
    writes "a 26 - year - old man" (read as "a 26-year-old man" is), else None."""
    after = _SPLIT_AGE.match(text, end)
    return None if after is None else _aged(text, start, after)


def _name(words: str | None) -> str:
    """A capitalised name without the function words a sentence may start with ("Both Harger")."""
    parts = (words or "").split()
    while parts and parts[0].lower() in _STOP:
        parts.pop(0)
    return " ".join(parts)


def _noun(word: str | None) -> str:
    """A lower-case word that may name a person ("man"), or "" for a function word."""
    return "" if not word or word in _STOP else word


def _subject(words: list[str]) -> str:
    """Whose age it is, from the words after it: a trailing capitalised name ("sophomore
    Jaidon DuBois", "Christian Lewis"), else the noun they end with ("Buffalo man")."""
    words = [word for word in words if word.lower() not in _KILLED and word.lower() not in _INJURED]
    name: list[str] = []
    while words and words[-1][:1].isupper():
        name.insert(0, words.pop())
    if name:
        return _name(" ".join(name))
    return words[-1].lower() if words else ""


def classify(text: str, number: Number, previous: str = "") -> Counted:
    """What ``number`` counts, read from the words around it.

    ``previous`` is what the number before it in the sentence counts, for "five of
    which". Ages give ``age`` and a subject; casualty counts ``killed``, ``injured`` or
    ``shot``; percentages ``percent``; money its ISO currency code; anything else the
    noun after the number ("women"), or ``""``.
    """
    age = _age(text, number)
    if age is not None:
        return age
    if _PERCENT.match(text, number.end):
        return Counted("percent")
    currency = money(text, number)
    if currency:
        return Counted(currency)
    if text[number.end : number.end + 1] == "-" and text[number.end + 1 : number.end + 2].isalpha():
        return Counted(_TOKEN.match(text, number.end + 1).group().lower().split("-")[0])
    return Counted(_counted_noun(text, number, previous))


def noun(text: str, number: Number) -> str:
    """The noun after ``number`` ("two men": ``men``), ignoring any casualty verb."""
    words = [word for word in _run(text, number.end)[0] if word.lower() not in _KILLED | _INJURED]
    return _head(words, number.value != 1)


def actor(text: str, number: Number) -> str | None:
    """What a casualty count counts when its verb takes a count as object, which makes the counted the shooters
    ("two officers fatally shot 12 people": ``officers``, not 2 killed), else None. Merging reads it
    (``numbers.as_compared``); same-story scores read :func:`classify`, which takes the short list of objects."""
    counted = _counted_noun(text, number, "", counts=True)
    return None if counted == _counted_noun(text, number, "") else counted


def _counted_noun(text: str, number: Number, previous: str, counts: bool = False) -> str:
    """The casualty class (``killed``, ``injured``, ``shot``) or the noun a count counts.

    A verb written just before a bare count wins over one after a comma ("killed 1,
    injured 3"); a verb with an object after it makes the counted the shooters ("two
    officers who shot and killed a homeowner"); things are never casualties ("five
    rounds were shot"); with ``counts``, any count after the verb is an object too (:func:`actor`).
    """
    if number.before == "of" and _PARENT_OF.search(text, max(0, number.start - 24), number.start):
        return "children"  # "a father of 5 killed": his children, no casualties
    words, stop = _run(text, number.end)
    last = words[-1].lower() if words else ""
    if last in _KILLED or last in _INJURED:
        return casualty(last)
    head = _head(words, number.value != 1)
    if head in _THINGS:
        return head
    active = None
    if (head in _PEOPLE or not head) and number.before in _ACTIVE_WORDS:
        active = _VERB_BEFORE.search(text, max(0, number.start - 40), number.start)
    group = None if words else _OF_GROUP.match(text, stop)
    after = group.end() if group else stop
    conjoined = _CONJOINED.match(text, after)
    predicate = _PREDICATE.match(text, conjoined.end() if conjoined else after)
    if predicate and (predicate.group("verb") or predicate.group("adverbs")):
        kind = casualty((predicate.group("verb") or "").lower(), predicate.group("adverbs").lower())
        listed = active is not None and predicate.group().lstrip().startswith(",")
        if kind and not listed:
            acting = _OBJECT.match(text, predicate.end()) or (counts and _COUNT_OBJECT.match(text, predicate.end()))
            return head if acting else kind
    if group and group.group("noun") and group.group("noun") not in _PEOPLE:
        return group.group("noun")  # "injuring one of the family dogs"
    if active:
        return "killed" if active.group("fatally") else _ACTIVE[active.group(2)[:4]]
    if group:
        return group.group("noun") or ("" if previous.startswith("age") else previous)
    return head
