"""Pure text functions: misread text decoded again, unicode folding, tokens, figures, shingles and sentence spans."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

import xxhash

_QUOTE_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)
# Possessive repeats (``++``, ``*+``): nothing after a word's letters can take them back, so the engine keeps
# no backtracking state for them (~12% faster, the same tokens).
_WORD = re.compile(r"[^\W_]++(?:['\u2019][^\W_]++)*+", re.UNICODE)
# A number written in digits, standing alone: decimals, thousands separators and times inside it
# ("5.6", "1,000", "2:30"), a score or range ("31-24"); not a digit run inside a word ("ie7", "10th",
# "mp3") nor a date written with digits ("2013-09-18", "9/11"), which date extraction reads. The look-behind
# (nothing of a word, a number or a date before the first digit) comes after that digit, so that the regex
# engine skips ahead from digit to digit instead of trying every position: twice as fast, the same matches.
_FIGURE = re.compile(r"\d(?<![\w.,:/-]\d)\d*(?:[.,:]\d+)*(?:-\d+)?(?![\w/]|[.,:-]\d)")
# On ASCII text (most folded articles) ``\w`` and ``\d`` in ASCII mode are what they are in Unicode mode; the
# figure's first digit written as ten literals lets the engine skip ahead by them (words ~25%, figures ~35% faster).
_WORD_ASCII = re.compile(_WORD.pattern, re.ASCII)
_FIGURE_ASCII = re.compile("(?:0|1|2|3|4|5|6|7|8|9)" + _FIGURE.pattern.removeprefix("\\d"), re.ASCII)
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
# In an ASCII text every character ``_WORD_ASCII`` cannot take, but the apostrophe, made a space: ``str.split`` then
# gives the runs of letters, digits and apostrophes, and no token spans two runs (see :func:`folded_tokens`).
_NOT_TOKEN = str.maketrans({chr(code): " " for code in range(128) if not (chr(code).isalnum() or chr(code) == "'")})

# Words that end with a full stop without ending a sentence.
_ABBREVIATIONS = frozenset(["mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "gen", "col", "lt", "sgt", "capt",
                            "cpl", "maj", "rev", "gov", "sen", "rep", "supt", "insp", "det", "ch", "co", "corp",
                            "inc", "ltd", "bros", "vs", "etc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
                            "sept", "oct", "nov", "dec", "mt", "ft", "ave", "rd", "blvd", "dept", "est", "approx",
                            "fig", "u.s", "u.k", "e.g", "i.e", "a.m", "p.m", "asst", "comm", "cmdr", "adm", "hon",
                            "pc", "dc", "dci", "dcs", "ds", "di"])
#: Titles written before a name that the splitter's list lacks ("Sens. Kyrsten Sinema", "Const. Tim Fanning"): only
#: :func:`no_sentence_end` reads them, so that the splits same-story scores were measured with stay as they were.
_TITLES = frozenset(["sens", "reps", "const", "ald", "cpt", "ofc", "atty", "pvt"])
_TITLE_ENDS = frozenset(title[-1] for title in _TITLES)
# ECB+'s split decimal point as the sentence splitter reads it ("$2. 6 - million", "$1. 29"), with its own scale words
# and signs, not the extractors' (``extract._numwords``, which this module cannot import: ``extract`` imports it): its
# scale words add percentages and leave out "m" (the pattern has no word end: "5. 3 miles"), its signs leave out the
# yen (written without cents).
_SPLIT_DECIMAL_SCALE = re.compile(r"\. [0-9]{1,2}\s*(?:-\s*)?(?:million|billion|trillion|bn|bln|mln|percent|%)",
                                  re.IGNORECASE)
_SPLIT_DECIMAL = re.compile(r"\. [0-9]{1,2}(?![0-9])")
_SPLIT_DECIMAL_MONEY = re.compile(r"[$\u00a3\u20ac][0-9]{1,3}$")
# A sentence end: ``[.!?]+`` and closing quotes before a space, a blank line, or a line break before a
# capital. One character class comes first so that the regex engine skips ahead to the next candidate.
_SENTENCE_END = re.compile(
    r"""[.!?\n](?:(?<=[.!?])[.!?]*["'\u2019\u201d)\]]*(?=\s)|(?<=\n)\s*\n|(?<=\n)(?=\s*["'\u2018\u201c]?[A-Z0-9]))"""
)


# What UTF-8 read as Latin-1 or cp1252 always holds and correct text seldom does: a C1 control character, or the
# character of a UTF-8 lead byte (U+00C2-U+00F4) before that of a continuation byte (U+00A0-U+00BF, or cp1252's
# characters for the bytes 0x80-0x9F): "Ã¡" for "á", "â€™" for "’".
_CP1252_HIGH = "".join(ch for byte in range(0x80, 0xA0) for ch in [bytes([byte]).decode("cp1252", "ignore")] if ch)
_MISREAD = re.compile(f"[\x80-\x9f]|[\xc2-\xf4][\xa0-\xbf{re.escape(_CP1252_HIGH)}]")
#: The characters a match of :data:`_MISREAD` can start with: one class, which the regex engine scans for in C, six
#: times faster than trying both branches of ``_MISREAD`` at every character (a news text holds few or none).
_MISREAD_FIRST = re.compile("[\x80-\xf4]")
_ASCII_WORD = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ."
_FOLDED = tuple((chr(code), ascii_form) for code, ascii_form in _QUOTE_FOLD.items())


def readable(text: str) -> str:
    """``text`` with UTF-8 that was read as Latin-1 or cp1252 before it reached us ("mojibake") decoded again by
    ``ftfy.fix_encoding``, line by line as ``ftfy.fix_text`` does; lines without a sign of it (:data:`_MISREAD`)
    are kept as they are, ftfy not called (text without one is returned itself).

    ftfy decides what is misread (it leaves "café’s" alone); the sign spares its cost on the lines that cannot
    need it (a misread page's other lines: a third of its cost on the generated corpora). Example:
    ``readable("President Hugo ChÃ¡vez")`` is ``"President Hugo Chávez"``, ``readable("Ukraineâ€™s")`` is
    ``"Ukraine’s"``.
    """
    if text.isascii():
        return text
    first = _MISREAD_FIRST.search(text)
    if first is None or _MISREAD.search(text, first.start()) is None:  # no match starts before ``first``
        return text
    # imported when first needed: most runs have no misread text
    from ftfy import fix_encoding

    return "\n".join(fix_encoding(line) if _MISREAD.search(line) else line for line in text.split("\n"))


def fold(text: str) -> str:
    """Unicode-normalise (NFKC) and map typographic quotes and dashes to ASCII ones.

    The same as ``unicodedata.normalize("NFKC", text).translate(_QUOTE_FOLD)``, some forty times
    faster on a news article: ``str.translate`` with a dict looks up every character, while
    each of the few characters to fold is searched for (in C) and replaced only when present.
    """
    text = unicodedata.normalize("NFKC", text)
    if text.isascii():
        return text
    for typographic, ascii_form in _FOLDED:
        if typographic in text:
            text = text.replace(typographic, ascii_form)
    return text


def normalize_text(text: str) -> str:
    """Folded, lower-cased text with runs of white space collapsed to one space."""
    return " ".join(fold(text).lower().split())  # str.split's white space is exactly re's \s


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens of ``text``; punctuation is dropped.

    >>> tokens("The officer's phone, in 2018.")
    ['the', "officer's", 'phone', 'in', '2018']
    """
    return folded_tokens(fold(text))


def folded_tokens(folded: str) -> list[str]:
    """:func:`tokens` of a text already folded (``tokens(text) == folded_tokens(fold(text))``)."""
    lower = folded.lower()
    if not lower.isascii():
        return _WORD.findall(lower)
    # No token holds a character mapped to a space, so the tokens are those of each run in turn: a run with no
    # apostrophe is one token; one with an apostrophe is read by the pattern (a leading, trailing or doubled one
    # splits or ends it). ``translate`` and ``split`` walk the text in C, ~20% faster than the pattern's scan.
    runs = lower.translate(_NOT_TOKEN).split()
    if "'" not in lower:
        return runs
    found: list[str] = []
    for run in runs:
        if "'" in run:
            found += _WORD_ASCII.findall(run)
        else:
            found.append(run)
    return found


def figures(text: str) -> list[str]:
    """The numbers ``text`` writes in digits, in order, thousands separators dropped; years left out.

    A figure (an amount, a score, a magnitude, a time) is specific to one event in a way few words
    are; years are left to date extraction, which reads them at the granularity the text gives.

    >>> figures("A 5.6 magnitude quake hit at 2:30 in 2008, killing 1,000; the Colts won 31-24.")
    ['5.6', '2:30', '1000', '31-24']
    """
    return folded_figures(fold(text))


def folded_figures(folded: str) -> list[str]:
    """:func:`figures` of a text already folded (``figures(text) == folded_figures(fold(text))``)."""
    pattern = _FIGURE_ASCII if folded.isascii() else _FIGURE
    found = (match.group().replace(",", "") for match in pattern.finditer(folded))
    return [figure for figure in found if not _YEAR.fullmatch(figure)]


def shingles(words: list[str], size: int) -> set[str]:
    """The set of ``size``-word shingles; a text shorter than ``size`` is one shingle."""
    if not words:
        return set()
    if len(words) <= size:
        return {" ".join(words)}
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def hash32(value: str) -> int:
    """A stable 32-bit hash of a string (xxh32, seed 0)."""
    return xxhash.xxh32_intdigest(value.encode("utf-8"))


def content_hash(text: str) -> str:
    """A stable hash of the normalised text: equal for exact copies."""
    return xxhash.xxh3_128_hexdigest(normalize_text(text).encode("utf-8"))


def no_sentence_end(text: str, end: int) -> bool:
    """True when the full stop at ``end``, where :func:`sentence_spans` ends a sentence, ends none for a reader: an
    abbreviation before a closing bracket and a lower-case word ("(D-Calif.) on Monday", "(Jr.) said"), a title
    before a name ("Sens. Kyrsten Sinema"), a decimal point a tokeniser split (ECB+'s "$2. 6 - million", "39. 9
    million people"). The extractors widen a fact's evidence sentence over these (``extract._text.evidence``)."""
    before = text[end - 1 : end]
    if before.isdigit():
        return _split_decimal(text, end)
    if not before.isalpha() or text[end : end + 1] != ".":
        return False
    if text[end + 1 : end + 2] in (")", "]"):
        return text[end + 2 : end + 40].lstrip(" \t")[:1].islower()
    if before.lower() not in _TITLE_ENDS:
        return False
    word = text[max(0, end - 6) : end].split()
    return bool(word) and word[-1].lstrip("(").lower() in _TITLES


def _split_decimal(text: str, end: int) -> bool:
    """True when the full stop at ``end`` is a decimal point a tokeniser split: one to three digits before (not a
    year), one or two after, then a scale word ("40. 3 million"), or a currency sign before ("$1. 29")."""
    if text[max(0, end - 4) : end].isdigit() or not _SPLIT_DECIMAL.match(text, end):
        return False
    return bool(_SPLIT_DECIMAL_SCALE.match(text, end) or _SPLIT_DECIMAL_MONEY.search(text, max(0, end - 5), end))


def _is_abbreviation(text: str, end: int) -> bool:
    """True when the full stop at ``end`` closes an abbreviation or an initial.

    The word before it is the run of letters and full stops ending there: ``str.rstrip``
    skips the ASCII ones in C, and a letter beyond them (``é``) or a run longer than the
    window is walked back one character at a time.
    """
    low = max(0, end - 24)
    start = low + len(text[low:end].rstrip(_ASCII_WORD))
    if start == low and low > 0 or start > 0 and text[start - 1].isalpha():
        while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
            start -= 1
    word = text[start:end].lower().rstrip(".")
    if not word:
        return False
    following = text[end + 1 : end + 40].lstrip(" \t\"'\u201d\u2019")
    if following[:1].islower():
        return True
    if word == "no":
        return following[:1].isdigit()
    if "." not in word:  # an initial is one letter; most words are longer and in no list
        return (len(word) == 1 and word.isalpha()) or word in _ABBREVIATIONS
    initials = all(len(part) <= 2 for part in word.split(".")) and word.replace(".", "").isalpha()
    return initials or word in _ABBREVIATIONS


def sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` spans of the sentences in ``text``, stripped of spaces.

    A sentence ends at ``.``, ``!`` or ``?`` (with any closing quotes) followed by
    white space, at a blank line, or at a line break before a capital; full stops
    after abbreviations (``Mr.``, ``U.S.``) and initials do not end one.
    """
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if match.group().startswith(".") and _is_abbreviation(text, match.start()):
            continue
        yield from _strip_span(text, start, end)
        start = end
    yield from _strip_span(text, start, len(text))


def _strip_span(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Yield the span without leading and trailing white space, if anything is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


def sentence_bounds(text: str) -> tuple[list[int], list[int]]:
    """The starts and the ends of :func:`sentence_spans` as two lists, built in one loop (for
    the extractors, which split every paragraph that holds a fact)."""
    starts: list[int] = []
    ends: list[int] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if text[match.start()] == "." and _is_abbreviation(text, match.start()):
            continue
        low, high = start, end
        while low < high and text[low].isspace():
            low += 1
        while high > low and text[high - 1].isspace():
            high -= 1
        if high > low:
            starts.append(low)
            ends.append(high)
        start = end
    for low, high in _strip_span(text, start, len(text)):
        starts.append(low)
        ends.append(high)
    return starts, ends


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` as strings (see :func:`sentence_spans`)."""
    return [text[s:e] for s, e in sentence_spans(text)]
