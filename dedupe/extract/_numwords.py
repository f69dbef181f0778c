"""Numbers in words ("twenty-three", "a dozen"), scale words and currency signs by figures, canonical strings."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ._text import word_list

_UNITS = word_list("one two three four five six seven eight nine")
_TEENS = word_list("ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen")
_TENS = word_list("twenty thirty forty fifty sixty seventy eighty ninety")

SMALL: dict[str, int] = {word: i + 1 for i, word in enumerate(_UNITS)}
SMALL.update({word: i + 10 for i, word in enumerate(_TEENS)})
SMALL.update({word: (i + 2) * 10 for i, word in enumerate(_TENS)})
SCALES: dict[str, int] = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}

#: The scale words written after a figure ("1.5 million", "$2 bln", "£3m", "5k") and their factors, in the order a
#: regular expression tries them (``SCALE_WORDS``: "mln" before "m").
SCALE_FACTORS: dict[str, int] = {
    "million": 10**6, "billion": 10**9, "trillion": 10**12, "thousand": 1000, "bln": 10**9, "mln": 10**6,
    "mn": 10**6, "bn": 10**9, "m": 10**6, "k": 1000,
}
SCALE_WORDS = "|".join(SCALE_FACTORS)
#: The scale words of a million or more (an amount, not a count of thousands).
MILLIONS = "|".join(word for word, factor in SCALE_FACTORS.items() if factor >= 10**6)
#: The currency signs written before a figure, longest first as they are looked for, and their ISO 4217 codes.
CURRENCY_SIGNS: dict[str, str] = {
    "US$": "USD", "NZ$": "NZD", "HK$": "HKD", "A$": "AUD", "C$": "CAD", "$US": "USD", "$A": "AUD", "$": "USD",
    "\u00a3": "GBP", "\u20ac": "EUR", "\u00a5": "JPY",
}
#: The one-character signs: every sign ends with one of them, or is "$US" or "$A".
SIGNS = "".join(sign for sign in CURRENCY_SIGNS if len(sign) == 1)

_BELOW_100 = r"(?:(?:{tens})(?:[- ](?:{units}))?|{teens}|{units})".format(
    tens="|".join(_TENS), units="|".join(_UNITS), teens="|".join(_TEENS)
)
_BELOW_1000 = rf"(?:(?:{_BELOW_100}|a)[- ]hundred(?:(?:\s+and\s+|[- ]){_BELOW_100})?|{_BELOW_100})"

#: A number in words, case-insensitive, with a word boundary on both sides:
#: "twenty-three", "three hundred and five", "two million", "a dozen", "a thousand".
NUMBER_WORDS = (
    r"(?i:\b(?:"
    rf"(?:{_BELOW_100}|a)\s+dozen"
    rf"|(?:{_BELOW_1000}|a)[- ](?:thousand|million|billion|trillion)"
    rf"(?:(?:,?\s+and\s+|,?[- ]){_BELOW_1000}(?![- ](?:thousand|million|billion)))?"
    rf"|{_BELOW_1000}"
    r")\b)"
)
_NUMBER_WORDS = re.compile(NUMBER_WORDS)
_TOKEN = re.compile(r"[a-z]+")


def words_value(phrase: str) -> int | None:
    """The value of a number written in words, or None when it is not one.

    >>> words_value("three hundred and five"), words_value("a dozen")
    (305, 12)
    """
    total = current = 0
    seen = False
    for token in _TOKEN.findall(phrase.lower()):
        if token in SMALL:
            current += SMALL[token]
        elif token == "a":
            current = 1
        elif token == "dozen":
            current = max(current, 1) * 12
        elif token == "hundred":
            current = max(current, 1) * 100
        elif token in SCALES:
            total += max(current, 1) * SCALES[token]
            current = 0
        elif token == "and":
            continue
        else:
            return None
        seen = True
    return total + current if seen else None


def find_number_words(text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
    """The first number in words in ``text[pos:endpos]``, as a match."""
    return _NUMBER_WORDS.search(text, pos, len(text) if endpos is None else endpos)


def canonical(value: Decimal | int) -> str:
    """A number as a plain decimal string: no exponent, no trailing zeros.

    >>> canonical(Decimal("1.50")), canonical(Decimal("1.5") * 1000000)
    ('1.5', '1500000')
    """
    number = Decimal(value)
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def digits_value(digits: str) -> Decimal | None:
    """The value of a digit string such as ``1,500`` or ``2.5``; None if malformed."""
    try:
        return Decimal(digits.replace(",", ""))
    except InvalidOperation:
        return None


def number_value(phrase: str) -> Decimal | None:
    """The value of digits or words: ``"1,500"``, ``"twenty-three"``."""
    if phrase[:1].isdigit():
        return digits_value(phrase)
    value = words_value(phrase)
    return None if value is None else Decimal(value)
