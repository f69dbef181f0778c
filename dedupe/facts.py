"""What stated values mean to each other: date intervals, hedged number ranges, quote word differences."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, timedelta

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

from .normalize import fold
from .types import Evidence, Mention

#: Verdicts of comparing two stated values.
SAME, AGREE, SOFT, HARD, UNKNOWN = "same", "agree", "soft", "hard", "unknown"

_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_YEARLESS = re.compile(r"^--(\d{2})(?:-(\d{2}))?$")

_AT_LEAST = frozenset({"at least", "more than", "over", "upwards of", "in excess of", "no fewer than",
                       "no less than", "just over", "a minimum of"})
_AT_MOST = frozenset({"up to", "under", "fewer than", "less than", "at most", "no more than", "below",
                      "just under", "a maximum of"})
_NEARLY = frozenset({"nearly", "almost", "close to", "just shy of", "approaching"})

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_NEGATIONS = frozenset({"not", "no", "never", "nor", "neither", "none", "nobody", "nothing", "nowhere",
                        "cannot", "without"})
_NUMBER_WORDS = frozenset({
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty",
    "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "thousand", "million", "billion",
    "dozen", "half", "first", "second", "third",
})
#: Quotes this similar (0..100, on word sequences) are taken for the same quote.
QUOTE_SIMILARITY = 80.0
#: Quotes shorter than this (in words) are never compared for discrepancies.
QUOTE_MIN_WORDS = 4


@dataclass(frozen=True)
class Claim:
    """One mention as one article of a story states it: the unit facts and conflicts are built from.

    ``group`` is the id of the independent report the article belongs to (the head
    of its copy group); ``published`` is the article's publication date or datetime.
    """

    article_id: str
    group: str
    outlet: str
    published: str | None
    mention: Mention

    def evidence(self) -> Evidence:
        """The claim as a fact's or conflict's source."""
        m = self.mention
        return Evidence(self.article_id, self.outlet, self.published, m.value, m.text, m.sentence,
                        m.about, m.subject, m.qualifier)


def date_interval(value: str) -> tuple[date, date] | None:
    """The first and last day a full date value covers; None for yearless or unreadable values.

    >>> date_interval("2018-10")
    (datetime.date(2018, 10, 1), datetime.date(2018, 10, 31))
    """
    try:
        if "/" in value:
            first, last = (date_interval(part) for part in value.split("/", 1))
            return (first[0], last[1]) if first and last and first[0] <= last[1] else None
        if match := _DAY.match(value):
            day = date(*map(int, match.groups()))
            return day, day
        if match := _MONTH.match(value):
            year, month = map(int, match.groups())
            following = date(year + month // 12, month % 12 + 1, 1)
            return date(year, month, 1), following - timedelta(days=1)
        if match := _YEAR.match(value):
            year = int(match.group(1))
            return date(year, 1, 1), date(year, 12, 31)
        if match := _WEEK.match(value):
            monday = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
            return monday, monday + timedelta(days=6)
    except ValueError:
        return None
    return None


def _yearless(value: str) -> tuple[int, int | None] | None:
    """``(month, day)`` of a yearless value (``--11-05``, ``--11``), else None."""
    match = _YEARLESS.match(value)
    if not match:
        return None
    return int(match.group(1)), int(match.group(2)) if match.group(2) else None


def _yearless_fits(month_day: tuple[int, int | None], span: tuple[date, date]) -> bool:
    """True when some day of ``span`` has the month (and day) of a yearless value."""
    first, last = span
    if (last - first).days > 366:
        return True
    day = first
    while day <= last:
        if day.month == month_day[0] and month_day[1] in (None, day.day):
            return True
        day += timedelta(days=1)
    return False


def compare_dates(a: str, b: str) -> str:
    """SAME, AGREE (they overlap at the granularity both give), SOFT (adjacent days), HARD or UNKNOWN.

    ``2018`` and ``2018-10`` agree; ``2018-10`` and ``2018-11`` are HARD; ``2020-11-05``
    and ``2020-11-06`` are SOFT (a time zone or an overnight event may explain them).
    """
    if a == b:
        return SAME
    span_a, span_b = date_interval(a), date_interval(b)
    if span_a and span_b:
        if span_a[0] <= span_b[1] and span_b[0] <= span_a[1]:
            return AGREE
        gap = max((span_b[0] - span_a[1]).days, (span_a[0] - span_b[1]).days)
        single_days = span_a[0] == span_a[1] and span_b[0] == span_b[1]
        return SOFT if single_days and gap == 1 else HARD
    yearless_a, yearless_b = _yearless(a), _yearless(b)
    if yearless_a and yearless_b:
        if yearless_a[0] != yearless_b[0]:
            return HARD
        return AGREE if None in (yearless_a[1], yearless_b[1]) or yearless_a[1] == yearless_b[1] else HARD
    if yearless_a and span_b:
        return AGREE if _yearless_fits(yearless_a, span_b) else HARD
    if yearless_b and span_a:
        return AGREE if _yearless_fits(yearless_b, span_a) else HARD
    return UNKNOWN


def number_range(value: str, qualifier: str = "") -> tuple[float, float] | None:
    """The values a hedged number allows: "at least 22" is [22, inf), "about 30" is [24, 36]."""
    try:
        number = float(value)
    except ValueError:
        return None
    hedge = qualifier.lower().strip()
    if not hedge:
        return number, number
    if hedge in _AT_LEAST:
        return number, float("inf")
    if hedge in _AT_MOST:
        return float("-inf"), number
    slack = max(1.0, abs(number) * 0.2)
    if hedge in _NEARLY:
        return number - slack, number
    return number - slack, number + slack


def compare_numbers(a: str, qualifier_a: str, b: str, qualifier_b: str) -> str:
    """SAME (equal numbers, whatever the hedges), SOFT (a hedge admits the other), HARD or UNKNOWN.

    "at least 22" vs "23" is SOFT; 30 vs 42 is HARD; "at least 22" vs "20" is HARD.
    """
    range_a, range_b = number_range(a, qualifier_a), number_range(b, qualifier_b)
    if range_a is None or range_b is None:
        return UNKNOWN
    if float(a) == float(b):
        return SAME
    if not qualifier_a.strip() and not qualifier_b.strip():
        return HARD
    return SOFT if range_a[0] <= range_b[1] and range_b[0] <= range_a[1] else HARD


def words(text: str) -> list[str]:
    """The words of ``text`` as written (case kept, quotes folded): what quotes are compared on."""
    return _WORD.findall(fold(text))


def align_quotes(a: str, b: str) -> tuple[float, list[str], list[str]]:
    """Similarity (0..100) of two quotes and the words that differ on each side.

    The shorter quote is matched against the most similar stretch of the longer one, so
    a partial quote ("took advantage of these women") lines up inside the full one.
    """
    words_a, words_b = _sentence_case(words(a)), _sentence_case(words(b))
    short, long_ = (words_a, words_b) if len(words_a) <= len(words_b) else (words_b, words_a)
    if not short:
        return 0.0, [], []
    best_window = _best_window([w.lower() for w in short], long_)
    best_score = fuzz.ratio([w.lower() for w in short], [w.lower() for w in best_window])
    only_short, only_long = _differing(short, best_window)
    if len(words_a) <= len(words_b):
        return best_score, only_short, only_long
    return best_score, only_long, only_short


def _best_window(short: list[str], long_: list[str]) -> list[str]:
    """The stretch of ``long_`` sharing the most words, in order, with ``short`` (then the closest in length)."""
    best: tuple[int, int, int] = (-1, 0, 0)
    best_window = long_
    for size in range(max(1, len(short) - 2), min(len(long_), len(short) + 3) + 1):
        for start in range(len(long_) - size + 1):
            window = long_[start : start + size]
            key = (LCSseq.similarity(short, [w.lower() for w in window]), -abs(size - len(short)), -start)
            if key > best:
                best, best_window = key, window
    return best_window


def _sentence_case(found: list[str]) -> list[str]:
    """The words with the first one lower-cased, so that a capital at the start is not taken for a name."""
    return [found[0].lower(), *found[1:]] if found else found


def _differing(a: list[str], b: list[str]) -> tuple[list[str], list[str]]:
    """The words of ``a`` and of ``b`` outside their longest common word sequences (case folded)."""
    matcher = difflib.SequenceMatcher(a=[w.lower() for w in a], b=[w.lower() for w in b], autojunk=False)
    left: list[str] = []
    right: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            left.extend(a[i1:i2])
            right.extend(b[j1:j2])
    return left, right


def _is_negation(word: str) -> bool:
    """True for not, never, no, n't forms and the like."""
    low = word.lower()
    return low in _NEGATIONS or low.endswith("n't")


def _is_number(word: str) -> bool:
    """True for numerals and number words."""
    return any(c.isdigit() for c in word) or word.lower() in _NUMBER_WORDS


def meaning_change(only_a: list[str], only_b: list[str]) -> tuple[str, list[str]]:
    """What the differing words of two versions of a quote change: negation, number, name or "".

    Returns the reason and the words that carry it. A difference of other words only
    (order, "help and support" vs "support") is a paraphrase: ``("", [])``.
    """
    changed = only_a + only_b
    negations = [w for w in changed if _is_negation(w)]
    if negations and sum(map(_is_negation, only_a)) != sum(map(_is_negation, only_b)):
        return "negation", negations
    numbers_a = sorted(w.lower() for w in only_a if _is_number(w))
    numbers_b = sorted(w.lower() for w in only_b if _is_number(w))
    if numbers_a != numbers_b:
        return "number", numbers_a + numbers_b
    names_a = [w for w in only_a if w[:1].isupper() and w != "I"]
    names_b = [w for w in only_b if w[:1].isupper() and w != "I"]
    if names_a and names_b and all(fuzz.ratio(x.lower(), y.lower()) < 80 for x in names_a for y in names_b):
        return "name", names_a + names_b
    return "", []


def compare_quotes(a: str, b: str) -> tuple[str, str, list[str]]:
    """(verdict, reason, words): UNKNOWN when not the same quote, AGREE for a paraphrase, HARD/SOFT else.

    A negation or a number that differs is HARD, a different name SOFT.
    """
    if a.lower() == b.lower():
        return SAME, "", []
    score, only_a, only_b = align_quotes(a, b)
    if score < QUOTE_SIMILARITY or min(len(words(a)), len(words(b))) < QUOTE_MIN_WORDS:
        return UNKNOWN, "", []
    reason, changed = meaning_change(only_a, only_b)
    if not reason:
        return AGREE, "", []
    return (SOFT if reason == "name" else HARD), reason, changed
