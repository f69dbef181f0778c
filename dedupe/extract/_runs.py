"""Runs of capitalised words in a text, what each word of a run is on its own, and a name's canonical spelling."""

from __future__ import annotations

import re

from . import _gazetteer as gaz
from . import _geo as geo
from . import _lexicon as lex

_UPPER = "".join(chr(c) for c in range(0x250) if chr(c).isupper())
_WORD = rf"(?:\.[{_UPPER}])*+[\w&]*+(?:['\u2019\-][\w&]+)*+\.?"
_CONNECTOR = (
    r"(?:of(?: the)?|for(?: the)?|and|&|de(?: la)?|del|della|der|den|van(?: de[rn])?|von"
    r"|du|da|dos|das|di|la|le|al|el|bin|ibn|y)"
)
# The look-behind comes after the first capital so that the regex engine can skip
# ahead to the next capital letter instead of trying every position. Possessive repeats
# (``*+``, ``++``) keep no backtracking state: whatever follows them is optional or cannot
# start with what they took, so they never give any of it back (the same runs, ~15% faster).
_RUN = re.compile(
    rf"[{_UPPER}](?<![\w'\u2019.&][{_UPPER}]){_WORD}"
    rf"(?:[ \t]++(?:{_CONNECTOR}[ \t]+|(?:al|el)-)?[{_UPPER}]{_WORD})*+"
)
_SKIPPED = "\\s\"'\u201c\u2018\u2019\u201d(\\[\u2014\u2013-"
# A sentence end, then quotes, brackets, dashes and spaces before a capital.
_OPENING = re.compile(rf"[.!?:\n][{_SKIPPED}]*(?=[{_UPPER}])")
_FIRST_OPENING = re.compile(rf"[{_SKIPPED}]*(?=[{_UPPER}])")
_WORDISH = re.compile(r"[A-Za-z][A-Za-z'\u2019]{3,}")
_ABBREVIATIONS = lex.words(
    """mr mrs ms dr prof gen sgt lt det supt insp rep sen gov capt col cpl maj rev st jr sr
    hon cmdr adm pres atty ft mt fr cllr pvt asst comm no ala ariz ark calif colo conn del
    fla ga ill ind kan ky la md mass mich minn miss mo mont neb nev okla ore pa tenn tex
    vt va wash wis wyo co corp inc ltd bros"""
)
_POSSESSIVES = ("'s", "\u2019s")
_HEADLINE_CHARS = 250
_CLOSERS = " \t\r\"'\u201d\u2019)]"
_CACHE_LIMIT = 500_000
# Word flags, memoised per surface form.
CONNECTOR, SKIP, LEXICAL, SHOUTED, POSSESSIVE, MONTH, ACRONYM = 1, 2, 4, 8, 16, 32, 64
_FLAGS: dict[str, int] = {}
_KEYS: dict[str, str] = {}


class Run:
    """A run of capitalised words: ``words`` (connectors included) at offsets ``starts``.

    ``start`` and ``end`` bound it in the text; ``initial`` says it opens a sentence.
    """

    __slots__ = ("end", "initial", "start", "starts", "words")

    def __init__(self, words: list[str], starts: list[int], initial: bool = False) -> None:
        self.words, self.starts, self.initial = words, starts, initial
        self.start = starts[0]
        self.end = starts[-1] + len(words[-1])

    def __repr__(self) -> str:
        return f"Run({self.words!r}, {self.starts!r}, initial={self.initial})"


def plain(word: str) -> str:
    """``word`` without a possessive ``'s``."""
    return word[:-2] if word.endswith(_POSSESSIVES) else word


def bare(word: str) -> str:
    """``word`` without a possessive ``'s`` and without dots, lower-cased (memoised)."""
    key = _KEYS.get(word)
    if key is None:
        if len(_KEYS) > _CACHE_LIMIT:
            _KEYS.clear()
        key = _KEYS[word] = plain(word).replace(".", "").replace("\u2019", "'").lower()
    return key


def is_acronym(word: str) -> bool:
    """True for ``IOPC``, ``NPCC``, ``U.S.``: two to five capitals, dotted or not."""
    core = plain(word).replace(".", "")
    return 2 <= len(core) <= 5 and core.isupper() and core.isalpha()


def _compute_flags(word: str) -> int:
    """The static facts about one word, as bit flags (see :func:`flags`)."""
    if word == "&" or (word.islower() and "-" not in word):
        return CONNECTOR
    key, core = bare(word), plain(word)
    found = POSSESSIVE if core != word else 0
    known_acronym = core.isupper() and (key in geo.PLACE_ALIASES or key in lex.KNOWN_ORGS)
    if key in lex.WEEKDAYS or (key in lex.FUNCTION and not known_acronym):
        return found | SKIP
    if key in lex.MONTHS:
        found |= MONTH
    if core.isupper() and len(core.replace(".", "")) > 5:
        found |= SHOUTED
        core = core.title()
    elif is_acronym(word) or core.endswith("."):
        found |= ACRONYM
        core = core.title()
    lexical = (
        key in gaz.places()
        or core in gaz.given_names()
        or key in lex.TITLES
        or key in lex.ORG_SUFFIX
        or key in lex.PLACE_SUFFIX
        or key in lex.KNOWN_ORGS
    )
    return found | (LEXICAL if lexical else 0)


def flags(word: str) -> int:
    """Memoised bit flags of ``word``: connector, skipped, in a lexicon, shouted..."""
    found = _FLAGS.get(word)
    if found is None:
        if len(_FLAGS) > _CACHE_LIMIT:
            _FLAGS.clear()
        found = _FLAGS[word] = _compute_flags(word)
    return found


def _is_headline(line: str) -> bool:
    """True for a Title Case headline or an ALL-CAPS line."""
    if len(line) > _HEADLINE_CHARS or line.rstrip(_CLOSERS).endswith((".", "!", "?", ":")):
        return False
    long_words = _WORDISH.findall(line)
    if len(long_words) < 3:
        return False
    capital = sum(word[0].isupper() for word in long_words)
    shouting = sum(word.isupper() for word in long_words)
    return capital >= 0.75 * len(long_words) or shouting >= 3


def _headlines(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` spans of the lines whose capitals prove nothing."""
    spans, offset = [], 0
    for line in text.split("\n"):
        if len(line) <= _HEADLINE_CHARS and _is_headline(line):
            spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    return spans


def _openings(text: str) -> set[int]:
    """The offsets of the capitals that open a sentence, a line or a quotation: after
    ``.!?:;`` or a line break, quotes, brackets and dashes skipped."""
    found = {match.end() for match in _OPENING.finditer(text)}
    first = _FIRST_OPENING.match(text)
    if first:
        found.add(first.end())
    return found


def _keeps_dot(word: str) -> bool:
    """True when the full stop ending ``word`` belongs to it (``J.``, ``U.S.``, ``Gen.``)."""
    core = word[:-1]
    return len(core) == 1 or "." in core or core.lower() in _ABBREVIATIONS


def _pieces(text: str, match: re.Match[str], openings: set[int]) -> list[Run]:
    """The words of one regex run, split after full stops that end a sentence."""
    start, found = match.start(), match.group()
    if text[start - 3 : start] in ("al-", "el-") and not text[start - 4 : start - 3].isalpha():
        start, found = start - 3, text[start - 3 : start] + found
    elif start >= 2 and text[start - 1] == "-" and text[start - 2].isalnum():
        return []
    initial = start in openings
    if " " not in found and "\t" not in found and found[-1] != ".":
        return [Run([found], [start], initial)]
    runs, words, starts, cursor = [], [], [], 0
    for word in found.split():
        cursor = found.find(word, cursor)
        cut = word[-1] == "." and not _keeps_dot(word)
        words.append(word[:-1] if cut else word)
        starts.append(start + cursor)
        cursor += len(word)
        if cut:
            runs.append(Run(words, starts, initial))
            words, starts, initial = [], [], True
    if words:
        runs.append(Run(words, starts, initial))
    return runs


def raw_runs(text: str) -> tuple[list[Run], list[bool]]:
    """All capitalised runs, each with a flag saying its capitals prove nothing.

    Lone function words (``The``, ``He``) and week days are left out at once.
    """
    runs: list[Run] = []
    shaky: list[bool] = []
    headlines = _headlines(text)
    openings = _openings(text)
    known = _FLAGS.get
    for match in _RUN.finditer(text):
        found = match.group()
        several = " " in found or "\t" in found
        # A run of several words is never skipped (no function word or week day holds a space or a tab), so its
        # flags are neither read nor memoised: most distinct runs are such, and kept they crowded the memo of words.
        if not several:
            found_flags = known(found)
            if (flags(found) if found_flags is None else found_flags) & SKIP:
                continue
        start = match.start()
        unreliable = any(a <= start < b for a, b in headlines) if headlines else False
        if several or text[start - 1 : start] == "-":
            for run in _pieces(text, match, openings):
                runs.append(run)
                shaky.append(unreliable)
        else:  # one word: most runs
            if found[-1] == "." and not _keeps_dot(found):
                found = found[:-1]
            runs.append(Run([found], [start], start in openings))
            shaky.append(unreliable)
    return runs, shaky


def reliable_words(runs: list[Run], shaky: list[bool]) -> set[str]:
    """Words capitalised mid-sentence in ordinary prose: evidence they are names."""
    seen: set[str] = set()
    for run, unreliable in zip(runs, shaky):
        if not unreliable:
            seen.update(run.words[1:] if run.initial else run.words)
    return seen


def has_evidence(word: str, reliable: set[str], strict: bool = False) -> bool:
    """True when a word capitalised where any word would be is still a name.

    An acronym counts as evidence of itself, except in a ``strict`` run of shouted
    words (``HOW THE DAY UNFOLDED``), where it must be known or seen elsewhere.
    """
    found = flags(word)
    if found & SKIP:
        return False
    if found & LEXICAL or (found & ACRONYM and not strict):
        return True
    core = plain(word)
    if found & (SHOUTED | ACRONYM):
        core = core.title()
    return core in reliable or core + "'s" in reliable or core + "\u2019s" in reliable


def spelled(word: str) -> str:
    """``word`` as a name part: possessive dropped, shouted words title-cased."""
    word = plain(word)
    return word.title() if word.isupper() and len(word.replace(".", "")) > 5 else word


def spell(words: list[str] | tuple[str, ...]) -> str:
    """The canonical spelling of a list of name words (a final possessive dropped).

    Shouted words are title-cased (``WASHINGTON``, and ``GAZA CITY`` as a whole),
    acronyms kept (``IOPC``, ``U.S.``).
    """
    shouted = len(words) > 1 and all(word.isupper() for word in words)
    parts = [
        word.title()
        if shouted and "." not in word and len(word) > 2
        else spelled(word)
        if word.isupper()
        else word
        for word in words
    ]
    parts[-1] = spelled(parts[-1])
    return " ".join(parts)
