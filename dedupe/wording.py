"""Word-level comparisons of evidence: quotes aligned and their meaning changes, sentence context overlap."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from functools import lru_cache

from rapidfuzz import fuzz

from .extract._calendar import MONTHS
from .extract._text import word_set
from .facts import AGREE, HARD, SAME, SOFT, UNKNOWN
from .normalize import fold

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
#: A run of one to five words said again right after itself ("we will not, we will not"), case ignored.
_REPEATED = re.compile(r"\b(\w+(?:\W+\w+){0,4}?)(?:\W+\1\b)+", re.IGNORECASE)
#: Typographic marks (none a word character) read as spaces, and ASCII words, for :func:`_said_again`.
_TYPOGRAPHIC = str.maketrans(dict.fromkeys("\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00a0\u2032\u00ab\u00bb", " "))
_ASCII_WORD = re.compile(r"[a-z0-9_]+")
#: "6:00 p.m." is "6 p.m.": one time written two ways; not the minutes of "12:00:30" or "1:12:00" (seconds).
_WHOLE_HOUR = re.compile(r"(?<![0-9:])([0-9]{1,2}):00(?![0-9:])")
_NEGATIONS = frozenset({"not", "no", "never", "nor", "neither", "none", "nobody", "nothing", "nowhere",
                        "cannot", "without"})
_NUMBER_WORDS = word_set("""zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand
million billion dozen half first second third""")
_SMALL = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
_DIGITS = {word: str(number) for number, word in enumerate(_SMALL)}
#: Words too common to tell two contexts apart.
_STOPWORDS = word_set("""a about after again against all also an and any are as at be been before being between both
but by can could did do does during each early first for from further had has have he her here hers him his how i if in
into is it its last late later least less like many may me more most much must my new next of off on once one only or
other our out over own per said same says she should since so some such than that the their them then there these they
this those through to told too under until up very was we were what when where which while who whom why will with
would year years yesterday today you your monday tuesday wednesday thursday friday saturday sunday january february
march april june july august september october november december week month day days weeks months ago""")
#: Quotes this similar (0..100, on word sequences) are taken for the same quote.
QUOTE_SIMILARITY = 80.0
#: Quotes shorter than this (in words) are never compared for discrepancies.
QUOTE_MIN_WORDS = 4
#: Texts whose words (and context words) are kept: a story's merge compares each quote and sentence with
#: many others, so the same texts are split again and again (bench/README.md, fastadd4).
_KEPT = 1024


def words(text: str) -> list[str]:
    """The words of ``text`` as written (case kept, quotes folded): what quotes are compared on."""
    return list(_split(text))


@lru_cache(maxsize=_KEPT)
def _split(text: str) -> tuple[str, ...]:
    """:func:`words` of a text, kept for the texts seen last (a tuple: callers cannot change it)."""
    return tuple(_WORD.findall(fold(text)))


@lru_cache(maxsize=_KEPT)
def _lowered(text: str) -> Counter[str]:
    """How often each word of ``text`` occurs, case ignored (as :func:`similarity_bound` counts them); kept
    for the texts seen last, never changed by its callers."""
    return Counter(map(str.lower, _split(text)))


def align_quotes(a: str, b: str) -> tuple[float, list[str], list[str]]:
    """Similarity (0..100) of two quotes and the words that differ on each side.

    Words the longer quote has before the shorter one starts or after it ends are set
    aside, so a partial quote ("took advantage of these women") lines up inside the
    full one; every word of the shorter quote counts.
    """
    return align_words(words(a), words(b))


def align_words(split_a: list[str], split_b: list[str]) -> tuple[float, list[str], list[str]]:
    """:func:`align_quotes` of two quotes already split into words."""
    words_a, words_b = _sentence_case(split_a), _sentence_case(split_b)
    if not words_a or not words_b:
        return 0.0, [], []
    ops = difflib.SequenceMatcher(a=[w.lower() for w in words_a], b=[w.lower() for w in words_b],
                                  autojunk=False).get_opcodes()
    extra = "insert" if len(words_a) < len(words_b) else "delete" if len(words_a) > len(words_b) else ""
    while ops and ops[0][0] == extra:
        ops = ops[1:]
    while ops and ops[-1][0] == extra:
        ops = ops[:-1]
    if not ops:
        return 0.0, [], []
    span_a, span_b = words_a[ops[0][1] : ops[-1][2]], words_b[ops[0][3] : ops[-1][4]]
    score = fuzz.ratio([w.lower() for w in span_a], [w.lower() for w in span_b])
    only_a = [w for op, i1, i2, _, _ in ops if op != "equal" for w in words_a[i1:i2]]
    only_b = [w for op, _, _, j1, j2 in ops if op != "equal" for w in words_b[j1:j2]]
    return score, only_a, only_b


def similarity_bound(words_a: list[str], words_b: list[str]) -> float:
    """An upper bound of :func:`align_quotes`' similarity, from the words alone (no alignment).

    The similarity is ``200 * m / (len(span_a) + len(span_b))`` with ``m`` the longest common
    word sequence of the aligned spans; every word of the shorter quote is in its span and
    ``m`` is at most the ``shared`` words of the two quotes (counted with repeats, case
    ignored), so it is at most ``200 * shared / (shorter + shared)``.
    """
    shared = shared_count(Counter(w.lower() for w in words_a), Counter(w.lower() for w in words_b))
    return _bound(shared, min(len(words_a), len(words_b)))


def shared_count(a: Counter[str], b: Counter[str]) -> int:
    """``(a & b).total()``: the words two counts share, with repeats, without building their intersection."""
    common = a.keys() & b.keys()  # a set made in C: most quotes compared share few words
    return sum(min(a[word], b[word]) for word in common) if common else 0


def _bound(shared: int, shorter: int) -> float:
    """:func:`similarity_bound` from the shared words and the shorter quote's length, raised by a relative
    ``1e-9`` so that rounding never puts it below rapidfuzz's score of the same fraction (``600 / 7`` is
    85.71428571428571 here and 85.71428571428572 there)."""
    return 200.0 * shared / (shorter + shared) * (1 + 1e-9) if shorter else 0.0


def content_words(text: str, *, ignore: str = "") -> set[str]:
    """The words of ``text`` that carry its context: no stopwords, numbers, dates or words of ``ignore``."""
    return set(_context(text, ignore))


@lru_cache(maxsize=_KEPT)
def _context(text: str, ignore: str) -> frozenset[str]:
    """:func:`content_words`, kept for the texts seen last."""
    skip = {w.lower() for w in _split(ignore)}
    return frozenset(
        w for w in (x.lower() for x in _split(text))
        if len(w) > 2 and w not in _STOPWORDS and w not in skip and not _is_number(w)
    )


def context_overlap(a: str, b: str, *, ignore: str = "", at_least: int = 1) -> float:
    """The share (0..1) of the smaller set of context words two sentences have in common.

    ``ignore`` holds words left out of both (the event word the sentences are
    compared on); fewer than ``at_least`` shared words count as no overlap.
    "The officer was suspended from the force in October 2018" and "The officer was
    first suspended in November 2018" share all of "officer": 1.0.
    """
    left, right = _context(a, ignore), _context(b, ignore)
    shared = len(left & right)
    if not left or not right or shared < at_least:
        return 0.0
    return shared / min(len(left), len(right))


def _sentence_case(found: list[str]) -> list[str]:
    """The words with the first one lower-cased, so that a capital at the start is not taken for a name."""
    return [found[0].lower(), *found[1:]] if found else found


def _is_negation(word: str) -> bool:
    """True for not, never, no, n't forms and the like."""
    low = word.lower()
    return low in _NEGATIONS or low.endswith("n't")


def _is_number(word: str) -> bool:
    """True for numerals ("22", "16million", "6.50pm") and number words; not for codes such as "W05"."""
    return word[:1].isdigit() or word.lower() in _NUMBER_WORDS


def _numbers(found: list[str]) -> str:
    """The numbers among the words, digits for number words, run together ("16 million" = "16million")."""
    return "".join(_DIGITS.get(w.lower(), w.lower()) for w in found if _is_number(w))


def _undated(found: list[str]) -> list[str]:
    """The words without a day of the month told beside its month ("today, Monday, 5 November": a date one version
    adds is a detail, not a changed number; "on 5 November" against "on 6 November" still differ in "5" and "6")."""
    months = [w.lower() in MONTHS for w in found]
    return [w for i, w in enumerate(found)
            if not (w[:1].isdigit() and any(months[max(0, i - 1) : i + 2]))]


def unrepeated(text: str) -> str:
    """``text`` with a run of one to five words said twice or more in a row said once ("we will not, we will not
    stand by" -> "we will not stand by"): a speaker's repetition, which a version that leaves it out does not
    contradict (:func:`compare_quotes` reads both versions so). Searched only where one may be (:func:`_said_again`)."""
    plain = text.translate(_TYPOGRAPHIC)
    if plain.isascii() and not _said_again(_ASCII_WORD.findall(plain.lower())):
        return text
    return _REPEATED.sub(r"\1", text)


def _said_again(words: list[str]) -> bool:
    """Whether a run of one to five words is followed at once by the same words (what :data:`_REPEATED` needs)."""
    if len(set(words)) == len(words):
        return False
    seen: dict[str, list[int]] = {}
    for j, word in enumerate(words):
        if any(j - i <= 5 and words[i:j] == words[j : 2 * j - i] for i in seen.get(word, ())):
            return True
        seen.setdefault(word, []).append(j)
    return False


def _has_digit(found: list[str]) -> bool:
    """True when the words hold a numeral (not only number words such as the "one" of "no one")."""
    return any(w[:1].isdigit() for w in found)


def _names(found: list[str]) -> list[str]:
    """Capitalised words that may be names: not "I", not abbreviations ("VA", "U.S.") and not numbers."""
    return [w for w in found if w[:1].isupper() and len(w) > 2 and not w.isupper() and not _is_number(w)]


def meaning_change(only_a: list[str], only_b: list[str]) -> tuple[str, list[str]]:
    """What the differing words of two versions of a quote change: negation, number, name or "".

    Returns the reason and the words that carry it. A difference of other words only
    (order, "help and support" vs "support") is a paraphrase: ``("", [])``; so is a
    number word on one side only ("by no one" vs "by anyone"), unlike a numeral.
    """
    changed = only_a + only_b
    negations = [w for w in changed if _is_negation(w)]
    if negations and sum(map(_is_negation, only_a)) != sum(map(_is_negation, only_b)):
        return "negation", negations
    numbers_a, numbers_b = _numbers(_undated(only_a)), _numbers(_undated(only_b))
    if numbers_a != numbers_b and ((numbers_a and numbers_b) or _has_digit(only_a + only_b)):
        return "number", [w for w in changed if _is_number(w)]
    names_a, names_b = _names(only_a), _names(only_b)
    if names_a and names_b and all(fuzz.ratio(x.lower(), y.lower()) < 80 for x in names_a for y in names_b):
        return "name", names_a + names_b
    return "", []


def speaker_key(speaker: str) -> str:
    """A speaker's name folded for comparison ("" for an unattributed quote)."""
    return " ".join(speaker.casefold().split())


def same_speaker(a: str, b: str) -> bool:
    """True when two speaker names (either may be ``"A / B"``) share a name, or one is the other's surname."""
    keys_a, keys_b = _speaker_keys(a), _speaker_keys(b)
    return any(x == y or x.endswith(" " + y) or y.endswith(" " + x) for x in keys_a for y in keys_b)


@lru_cache(maxsize=_KEPT)
def _speaker_keys(speaker: str) -> frozenset[str]:
    """The folded names of a speaker (``"A / B"``: two), without "": kept for the speakers seen last (a story's
    quote discrepancies compare every two of its quotes' speakers)."""
    return frozenset(speaker_key(x) for x in speaker.split(" / ")) - {""}


def compare_quotes(a: str, b: str) -> tuple[str, str, list[str]]:
    """(verdict, reason, words): UNKNOWN when not the same quote, AGREE for a paraphrase, HARD/SOFT else.

    A negation or a number that differs is HARD, a different name SOFT. A whole hour is read without its
    ":00", so "just after 6:00 p.m." quotes the same words as "just after 6 p.m.", and words said twice in a row
    once (:func:`unrepeated`).
    """
    a, b = unrepeated(_whole_hours(a)), unrepeated(_whole_hours(b))
    if a.lower() == b.lower():
        return SAME, "", []
    words_a, words_b = _split(a), _split(b)
    shorter = min(len(words_a), len(words_b))
    if shorter < QUOTE_MIN_WORDS or _bound(shared_count(_lowered(a), _lowered(b)), shorter) < QUOTE_SIMILARITY:
        return UNKNOWN, "", []
    score, only_a, only_b = align_words(list(words_a), list(words_b))
    if score < QUOTE_SIMILARITY:
        return UNKNOWN, "", []
    reason, changed = meaning_change(only_a, only_b)
    if not reason:
        return AGREE, "", []
    return (SOFT if reason == "name" else HARD), reason, changed


#: What :func:`compare_quotes` reads of a quote before aligning it (:func:`quote_sketch`).
QuoteSketch = tuple[str, int, Counter[str]]


def quote_sketch(text: str) -> QuoteSketch:
    """A quote as :func:`compare_quotes` reads it before aligning: lower-cased (each whole hour without its
    ":00", words said twice in a row once), its number of words, and its words counted, case ignored."""
    text = unrepeated(_whole_hours(text))
    return text.lower(), len(_split(text)), _lowered(text)


def may_agree(a: QuoteSketch, b: QuoteSketch) -> bool:
    """False when :func:`compare_quotes` of the two quotes (sketched by :func:`quote_sketch`) is UNKNOWN before any
    alignment: not the same words, and the shorter too short or too few words shared (most quotes a story's
    quotes are compared with); True else. Worked out once a quote, it spares the comparisons their set-up."""
    if a[0] == b[0]:
        return True
    shorter = min(a[1], b[1])
    return shorter >= QUOTE_MIN_WORDS and _bound(shared_count(a[2], b[2]), shorter) >= QUOTE_SIMILARITY


def _whole_hours(text: str) -> str:
    """``text`` with each whole hour's ":00" dropped ("6:00 p.m." -> "6 p.m."; "12:00:30" kept whole)."""
    return _WHOLE_HOUR.sub(r"\1", text) if ":00" in text else text
