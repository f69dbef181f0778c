"""Ages: "a 25-year-old man", "Reid, 33,", "aged 33", "6 years old", and whose age each is."""

from __future__ import annotations

import re

from ._calendar import MONTHS
from ._lexicon import FUNCTION
from ._numscan import Number
from ._people import PERSON_NOUNS
from ._phrase import INJURED, KILLED, OF_GROUP, PEOPLE, STOP, Counted, run
from ._text import word_set

# The unit after an age's digits: "-year-old", "-year old", " years old", "-year-olds"; " - year - old" as a
# tokeniser splits the hyphens (ECB+'s "a 26 - year - old man", read as "a 26-year-old man" is).
_AGE_AFTER = re.compile(
    r"(?:(?:[- ]| - )(?P<unit>year|yr|month|week|day)s?(?:[- ]| - )olds?\b|\s+years?\s+(?:old|of\s+age)\b)",
    re.IGNORECASE,
)
_AGE_WORD_BEFORE = re.compile(r"\b[Aa]ge[ds]?\s+$")
_NAME = r"(?:(?:[A-Z]\.|[A-Z][\w'\u2019-]*) ){0,3}[A-Z][\w'\u2019-]*[a-z][\w'\u2019-]*"  # not "ALNK"
_NAME_COMMA = re.compile(rf"\b({_NAME})(?:\s+(?:Jr|Sr)\.?|\s+I{{2,3}}|\s+IV)?,\s*$")
_NAME_PAREN = re.compile(rf"\b({_NAME})\s+\($")
_WHO_BEFORE = re.compile(rf"(?:\b({_NAME})|\b([a-z]+)),?\s+$")
_APPOSITION = re.compile(rf"\b({_NAME}),\s+(?:an?|the)\s+$")
_AFTER_AGE_COMMA = re.compile(
    r"\s*(?:,|\)|;|\.(?:\s|$)|\s+(?:of|from|and|all|both|were|was|died|who)\b|\n|$)"
)
_WHEN = frozenset(MONTHS) | word_set("monday tuesday wednesday thursday friday saturday sunday")


def age(text: str, number: Number) -> Counted | None:
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
    if before == "," and _AFTER_AGE_COMMA.match(text, number.end) and not OF_GROUP.match(text, number.end):
        if number.before in PERSON_NOUNS:
            return Counted("age", number.before)  # "a man, 26, dead"
        match = _NAME_COMMA.search(text, window, number.start)
    elif before == "(" and text[number.end : number.end + 1] == ")":
        match = _NAME_PAREN.search(text, window, number.start)
    else:
        return None
    if match is None or all(word.lower() in STOP for word in match.group(1).split()):
        return None
    return Counted("age", _name(match.group(1)))  # "One, 21, is in critical condition": whose is not told


def _aged(text: str, start: int, after: re.Match[str]) -> Counted:
    """The age a number at ``start`` gives with its unit ``after`` it ("-year-old"), and whose it is: the name
    before it ("Jo Reid, a 25-year-old") or the words after it ("25-year-old man")."""
    unit = (after.group("unit") or "year").lower()
    about = "age" if unit in ("year", "yr") else f"age_{unit}s"
    named = _APPOSITION.search(text, max(0, start - 60), start)
    name = _name(named.group(1)) if named else ""
    if name and name.lower() not in _WHEN:
        return Counted(about, name)
    return Counted(about, _subject(run(text, after.end())[0]))


def _name(words: str | None) -> str:
    """A capitalised name without the words before it that name no one: function words ("Both Harger") and the
    words that open a sentence without being a name (``_lexicon.FUNCTION``: "Yesterday", "Last Tuesday")."""
    parts = (words or "").split()
    while parts and (parts[0].lower() in STOP or parts[0].lower() in FUNCTION):
        parts.pop(0)
    return " ".join(parts)


def _noun(word: str | None) -> str:
    """A lower-case word that may name a person ("man"), or "" for a function word ("earlier", "still")."""
    return "" if not word or word in STOP or word.replace("\u2019", "'") in FUNCTION else word


def _subject(words: list[str]) -> str:
    """Whose age it is, from the words after it up to one that ends the phrase (:func:`_ends`): a trailing
    capitalised name ("sophomore Jaidon DuBois", "Keshira Linnette suffering from"), else the noun they end with
    ("Buffalo man", "girl still in 'grave' condition"), not a participle ("a 9-year-old playing": none)."""
    words = [word for word in words if word.lower() not in KILLED and word.lower() not in INJURED]
    words = words[: next((at for at, word in enumerate(words) if _ends(word, at)), len(words))]
    name: list[str] = []
    while words and words[-1][:1].isupper():
        name.insert(0, words.pop())
    if name:
        return _name(" ".join(name))
    last = words[-1].lower() if words else ""
    return "" if _participle(last) else last


def _ends(word: str, at: int) -> bool:
    """True for a word that ends the phrase naming whose an age is: a lower-case function word ("last", "still"),
    a day or month ("Friday morning"), a participle past its first word ("woman suffering"; "shooting victim")."""
    lower = word.lower()
    return lower in _WHEN or (word.islower() and (not _noun(lower) or (at > 0 and _participle(lower))))


def _participle(word: str) -> bool:
    """True for a lower-case word in -ing that counts no people ("playing"; not "sibling")."""
    return word.endswith("ing") and word not in PERSON_NOUNS and word not in PEOPLE
