"""Numbers as written, in digits or words, minus the ones that are dates, times or ids."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ._calendar import MONTHS
from ._numwords import (
    CURRENCY_SIGNS,
    MILLIONS,
    NUMBER_WORDS,
    SCALE_FACTORS,
    SCALE_WORDS,
    SIGNS,
    digits_value,
    words_value,
)
from ._stems import NUMBER_STARTS, needle_starts
from ._text import starts_clause, word_before, word_set

_DIGIT_RUN = re.compile(r"(?:0|1|2|3|4|5|6|7|8|9)[0-9]*")  # literal first characters: a fast scan
_DIGITS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?")
_WORDS = re.compile(NUMBER_WORDS)
_SCALE = re.compile(rf"\s*({SCALE_WORDS})\b", re.IGNORECASE)
_MONEY_SCALE = re.compile(rf"\s*(?:-\s*)?({SCALE_WORDS})\b", re.IGNORECASE)  # "$3.5-Million"
_TIME_AFTER = re.compile(
    r"\s*(?:(?i:[ap]\.?m\b\.?|o['\u2019]clock)|GMT|UTC|BST|[ECMP][SD]?T\b|hrs\b)|:[0-9]"
    r"|\s+(?:days?|weeks?|months?|years?)\s+ago\b"
)
_ID_AFTER = re.compile(
    r"(?:st|nd|rd|th)\b|[-/.][0-9]|[A-Za-z]|\s+block\b|\s*\)\s*[0-9]|\s+mm\b", re.IGNORECASE
)  # "\s+mm": a calibre ("9 mm round"), as the letter after "9mm" already makes one
_STREET = re.compile(
    r"(?:\s+[A-Z][\w.'-]*){1,3}\s+(?:Street|St|Avenue|Ave|Road|Rd|Drive|Dr|Lane|Ln|Boulevard|Blvd|Way|Court|Ct"
    r"|Place|Pl|Highway|Hwy|Parkway|Pkwy|Circle|Terrace|Trail)\b"
)
_PHONE_WORDS = word_set("call calling called dial dialling dialing phone telephone text texting number no")
_MEASURE_WORDS = word_set("magnitude")  # "a magnitude 6.0 quake" measures the quake: it does not count quakes
#: Words that make a number after them a label, not a count ("UPDATE 1-Mt. Gox files ...", "'The Bachelor' Season 18
#: Finale", "Episode 4", "Phase 2").
_LABEL_WORDS = word_set("update season episode chapter volume vol phase")
#: The same when capitalised ("Week 3 Blind Auditions", "Night 5", "Game 7"), not in running text ("last week 3
#: people were shot").
_CAPITAL_LABELS = word_set("week night day game round part stage level")
#: A model's letters before a tokenised hyphen: "AK - 47" names a rifle, it counts nothing.
_DESIGNATION_BEFORE = re.compile(r"\b[A-Z]{1,4}\s+-\s+$")
_EMERGENCY_AFTER = re.compile(  # "the 911 calls", "999 call handlers": the number dialled, not a count
    r"\s+(?:calls?|callers?|call-takers?|dispatch\w*|operators?|cent(?:er|re)s?|emergenc\w*|tapes?|recordings?)\b",
    re.IGNORECASE,
)
_GALLERY_WORDS = word_set("image photo picture slide")
_GALLERY_AFTER = re.compile(r"\s+of\s*/?\s*[0-9]")  # "Image 1 of 5", "Image 1 of / 9" (a caption's counter)
_GALLERY_BEFORE = re.compile(r"\b(?:image|photo|picture|slide)\s+[0-9]+\s+of\s*/?\s*$", re.IGNORECASE)
#: A plural after a year-like figure makes it a count ("2000 people"); "loss", "business" end in "s" but are none.
_PLURAL_AFTER = re.compile(r"\s+(?:[a-z]*[a-rt-z]s|people|men|women|children)\b")
_MONTH_NEAR = re.compile(r"\s+(?:of\s+)?([A-Z][a-z]+)")
_MONTH_DOT = re.compile(r"\b([A-Z][a-z]{2,3})\.\s*$")  # "Dec. 25"
_NAME_BEFORE = re.compile(r"\b([A-Z][A-Za-z]*) $")
_SIGN_ENDS = frozenset(SIGNS)
#: A decimal point a tokeniser split, as ECB+ writes money: cents ("below $1. 29 for the first time") or a
#: fraction before a scale word ("$2. 6 - million"); not one digit alone ("It cost $5. 3 people were hurt").
_SPLIT_DECIMAL = re.compile(
    rf"[0-9]{{1,3}}\. (?:[0-9]{{2}}(?![0-9])|[0-9]{{1,2}}(?=\s*(?:-\s*)?(?:{MILLIONS}|mm)\b))",
    re.IGNORECASE,
)
_UNUSED_ONE = word_set("no any every some the this that which each")


# Slots, not frozen: ~3x cheaper to build (a frozen one sets each field by object.__setattr__); hashable as before.
@dataclass(slots=True, unsafe_hash=True)
class Number:
    """One number as written: ``text`` at ``start:end`` and its value.

    ``currency`` is a currency sign written before it, ``before`` the lower-cased word
    before it (or before the sign), ``scale`` the lower-cased scale word written after it
    ("1.5 million": ``million``; "£3m": ``m``), which ``text`` and ``value`` include.
    """

    start: int
    end: int
    value: Decimal
    text: str
    currency: str = ""
    before: str = ""
    scale: str = ""


def _triggers(text: str) -> list[int]:
    """Offsets where a number may start: digits, and number words at a word start."""
    found = [m.start() for m in _DIGIT_RUN.finditer(text)]
    starts = needle_starts(text)
    for word in NUMBER_STARTS:
        found += starts[word]
    return sorted(set(found))


def _not_a_count(text: str, end: int, digits: str, before: str) -> bool:
    """True for a day next to a month name, a year (as ``dates.py`` reads them), or a
    long run of digits with no thousands separators (a zip code, an id), unless a
    plural follows ("in 2000 people", "12000 votes")."""
    if (len(digits) == 4 and digits[:2] in ("19", "20")) or (len(digits) > 4 and digits.isdigit()):
        return not _PLURAL_AFTER.match(text, end)
    if len(digits) > 2:
        return False
    after = _MONTH_NEAR.match(text, end)
    if after and after.group(1).lower() in MONTHS:
        return True
    if before in MONTHS:
        return True
    start = end - len(digits)
    dotted = _MONTH_DOT.search(text, max(0, start - 8), start) if "." in text[max(0, start - 3) : start] else None
    return dotted is not None and dotted.group(1).lower() in MONTHS


def _skip_digits(text: str, start: int, end: int, word: str, currency: str = "") -> bool:
    """True for digits that are a time, an ordinal, part of an id, score, phone or address, a magnitude, an
    emergency number ("911 calls"), a photo gallery's counter ("Image 1 of 5"), a label ("Season 18", "Week 3") or a
    model's number ("AK - 47")."""
    before = text[start - 1 : start]
    if (before.isalpha() and not currency) or before in ("#", "/", ".", ":", "_", "=", "+"):
        return True
    if before == "-" and text[start - 2 : start - 1].isalnum():
        return True
    if text[start - 2 : start] == "- " and _DESIGNATION_BEFORE.search(text, max(0, start - 10), start):
        return True
    if _TIME_AFTER.match(text, end) or _ID_AFTER.match(text, end) or _STREET.match(text, end):
        return True
    if word in _PHONE_WORDS or word in _MEASURE_WORDS or word in _LABEL_WORDS or _after_name(text, start):
        return True
    if word in _CAPITAL_LABELS and text[start - len(word) - 1 : start - len(word)].isupper():
        return True
    if text[start:end] in ("911", "999") and _EMERGENCY_AFTER.match(text, end):
        return True
    if word in _GALLERY_WORDS:
        return _GALLERY_AFTER.match(text, end) is not None
    gallery = word == "of" or "/" in text[max(0, start - 3) : start]  # the counter's total: "of 5", "of / 9"
    return gallery and _GALLERY_BEFORE.search(text, max(0, start - 24), start) is not None


def _after_name(text: str, start: int) -> bool:
    """True after a capitalised word inside a sentence: "Route 66", "Apollo 11", "Channel 4"."""
    match = _NAME_BEFORE.search(text, max(0, start - 24), start)
    if match is None or match.group(1).lower() in MONTHS:
        return False
    return not starts_clause(text, match.start(1))


def _digits_at(text: str, start: int) -> Number | None:
    """The number in digits at ``start`` (with a scale word: "1.5 million"), if it counts."""
    match = _DIGITS.match(text, start)
    if match is None:
        return None
    if text[match.end() : match.end() + 2] == ". " and text[start - 1 : start] in _SIGN_ENDS:
        match = _SPLIT_DECIMAL.match(text, start) or match  # ECB+'s tokenised "$2. 6 - million"
    end = match.end()
    if text[end - 1] == "." or (text[end : end + 1] == "," and text[end + 1 : end + 2].isdigit()):
        return None
    word = word_before(text, start, 16)
    if _not_a_count(text, end, match.group(), word):
        return None
    currency = _currency_before(text, start)
    if currency:
        word = word_before(text, start - len(currency), 16)
    scale = (_MONEY_SCALE if currency else _SCALE).match(text, end)
    if scale and (len(scale.group(1)) > 2 or currency):
        end = scale.end()
    elif _skip_digits(text, start, end, word, currency):
        return None
    value = digits_value(match.group().replace(" ", ""))
    if value is None:
        return None
    scaled = scale.group(1).lower() if scale and end == scale.end() else ""
    if scaled:
        value *= SCALE_FACTORS[scaled]
    return Number(start, end, value, text[start:end], currency, word, scaled)


def _currency_before(text: str, start: int) -> str:
    """The currency sign written just before ``start`` ("$", "US$", "$US", "£", "€"), or ""."""
    last = text[start - 1 : start]
    if last not in _SIGN_ENDS and (last not in ("S", "A")
                                   or not text[max(0, start - 3) : start].endswith(("$US", "$A"))):
        return ""  # every sign ends with one of these: most numbers have none
    head = text[max(0, start - 3) : start]
    for sign in CURRENCY_SIGNS:
        if head.endswith(sign):
            return sign
    return ""


def _words_at(text: str, start: int) -> Number | None:
    """The number in words at ``start`` ("twenty-three", "a dozen"), if it counts."""
    match = _WORDS.match(text, start)
    if match is None:
        return None
    phrase = match.group()
    word = word_before(text, start, 16)
    if phrase.lower() == "one" and (
        word in _UNUSED_ONE or text[match.end() : match.end() + 8].startswith(" another")
    ):
        return None
    if phrase[0].isupper() and _after_name(text, start):
        return None  # "Channel One", "Apollo Eleven": part of a name
    if text[start - 1 : start] == "-" or _TIME_AFTER.match(text, match.end()):
        return None  # "7-Eleven", "five years ago"
    value = words_value(phrase)
    return None if value is None else Number(start, match.end(), Decimal(value), phrase, "", word)


def scan(text: str) -> list[Number]:
    """The numbers of ``text`` in order, dates, times, ids and phone numbers left out."""
    found: list[Number] = []
    for start in _triggers(text):
        if found and start < found[-1].end:
            continue
        number = _digits_at(text, start) if text[start].isdigit() else _words_at(text, start)
        if number is not None:
            found.append(number)
    return found
