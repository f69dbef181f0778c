"""What a figure is in money: its currency, from a sign before it or a word after it, or pounds that weigh."""

from __future__ import annotations

import re

from ._numscan import Number
from ._numwords import CURRENCY_SIGNS, SCALE_FACTORS
from ._text import word_set

_MONEY_WORD = re.compile(r"\s+(dollars|pounds|euros|yen)\b")
_CURRENCIES = {**CURRENCY_SIGNS, "dollars": "USD", "pounds": "GBP", "euros": "EUR", "yen": "JPY"}
_MONEY_SCALES = frozenset(SCALE_FACTORS)
#: Words right before a figure that make "pounds" after it money whatever else the sentence weighs.
_PRICED = word_set("paid pay pays paying worth cost costs costing priced price fined fine spent spend raised won for")
#: What tells "pounds" written after a bare number as a weight, not money: a weight or height near before it
#: ("weighing 200 pounds", "5'10\" tall, 180 pounds", "5 - foot - 8, 135 pounds", "7 lb"), or a substance after it
#: ("300 pounds of marijuana"). Money in pounds reads so with none of these ("worth 20,000 pounds").
_WEIGHT_BEFORE = re.compile(
    r"\b(?:weigh(?:s|ed|ing|t)?|tall|feet|foot|inch(?:es)?|lbs?|ounces?|heav(?:y|ier))\b|[0-9]['\u2019\u201d\"]",
    re.IGNORECASE,
)
_WEIGHT_AFTER = re.compile(r"\s+of\s+[a-z]")


def money(text: str, number: Number) -> str:
    """The ISO 4217 code of the money ``number`` is ("$5", "US$5", "5 dollars", "£3m"), ``pounds`` when "pounds"
    after it weigh something (:func:`_weight`), else ""."""
    word = _MONEY_WORD.match(text, number.end)
    if word is not None and word.group(1) == "pounds" and _weight(text, number, word.end()):
        return "pounds"
    if number.currency or word is not None:
        return _CURRENCIES[number.currency or word.group(1)]
    return ""


def _weight(text: str, number: Number, end: int) -> bool:
    """True when "pounds" after ``number`` weighs something: a weight or height is told in the 60 characters
    before it, or a substance follows ("of"); never with a currency sign, a scale word ("5 million pounds") or a
    price's word right before it ("paid 50 pounds", "worth 20,000 pounds")."""
    if number.currency or number.scale or number.before in _PRICED:
        return False
    return (_WEIGHT_BEFORE.search(text, max(0, number.start - 60), number.start) is not None
            or _WEIGHT_AFTER.match(text, end) is not None)
