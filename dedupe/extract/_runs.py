"""Runs of capitalised words in a text, and what each word of a run is on its own."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import _gazetteer as gaz
from . import _lexicon as lex

_UPPER = "".join(chr(c) for c in range(0x250) if chr(c).isupper())
_WORD = rf"(?:\.[{_UPPER}])*[\w&]*(?:['\u2019\-][\w&]+)*\.?"
_CONNECTOR = (
    r"(?:of(?: the)?|for(?: the)?|and|&|de(?: la)?|del|della|der|den|van(?: de[rn])?|von"
    r"|du|da|dos|das|di|la|le|al|el|bin|ibn|y)"
)
# The look-behind comes after the first capital so that the regex engine can skip
# ahead to the next capital letter instead of trying every position.
_RUN = re.compile(
    rf"[{_UPPER}](?<![\w'\u2019.&][{_UPPER}]){_WORD}"
    rf"(?:[ \t]+(?:{_CONNECTOR}[ \t]+|(?:al|el)-)?[{_UPPER}]{_WORD})*"
)
_WORDISH = re.compile(r"[A-Za-z][A-Za-z'\u2019]{3,}")
_BACK_SKIP = " \t\"'\u201c\u2018\u2019\u201d([\u2014\u2013-"
_ABBREVIATIONS = lex.words(
    """mr mrs ms dr prof gen sgt lt det supt insp rep sen gov capt col cpl maj rev st jr sr
    hon cmdr adm pres atty ft mt fr cllr pvt asst comm no ala ariz ark calif colo conn del
    fla ga ill ind kan ky la md mass mich minn miss mo mont neb nev okla ore pa tenn tex
    vt va wash wis wyo co corp inc ltd bros"""
)
_POSSESSIVES = ("'s", "\u2019s")
_HEADLINE_CHARS = 250
_CACHE_LIMIT = 500_000
# Word flags, memoised per surface form.
CONNECTOR, SKIP, LEXICAL, SHOUTED, POSSESSIVE, MONTH = 1, 2, 4, 8, 16, 32
_FLAGS: dict[str, int] = {}
_KEYS: dict[str, str] = {}


@dataclass(slots=True)
class Run:
    """A run of capitalised words: ``words`` (connectors included) at offsets ``starts``."""

    words: list[str]
    starts: list[int]
    initial: bool = False

    @property
    def start(self) -> int:
        """Offset of the first word in the text."""
        return self.starts[0]

    @property
    def end(self) -> int:
        """Offset just past the last word."""
        return self.starts[-1] + len(self.words[-1])


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
    known_acronym = core.isupper() and (key in lex.PLACE_ALIASES or key in lex.KNOWN_ORGS)
    if key in lex.WEEKDAYS or (key in lex.FUNCTION and not known_acronym):
        return found | SKIP
    if key in lex.MONTHS:
        found |= MONTH
    if core.isupper() and len(core.replace(".", "")) > 5:
        found |= SHOUTED
        core = core.title()
    elif is_acronym(word) or core.endswith("."):
        return found | LEXICAL
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
    if len(line) > _HEADLINE_CHARS or line.rstrip().endswith("."):
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


def _initial(text: str, offset: int) -> bool:
    """True when ``offset`` starts a sentence, a line or a quotation."""
    head = text[max(0, offset - 12) : offset]
    kept = head.rstrip(_BACK_SKIP)
    if not kept:
        return offset <= 12 or "\n" in head
    return "\n" in head[len(kept) :] or kept[-1] in ".!?:;\n"


def _keeps_dot(word: str) -> bool:
    """True when the full stop ending ``word`` belongs to it (``J.``, ``U.S.``, ``Gen.``)."""
    core = word[:-1]
    return len(core) == 1 or "." in core or core.lower() in _ABBREVIATIONS


def _pieces(text: str, match: re.Match[str]) -> list[Run]:
    """The words of one regex run, split after full stops that end a sentence."""
    start, found = match.start(), match.group()
    if text[start - 3 : start] in ("al-", "el-") and not text[start - 4 : start - 3].isalpha():
        start, found = start - 3, text[start - 3 : start] + found
    elif start >= 2 and text[start - 1] == "-" and text[start - 2].isalnum():
        return []
    initial = _initial(text, start)
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
    for match in _RUN.finditer(text):
        found = match.group()
        if flags(found) & SKIP:
            continue
        start = match.start()
        unreliable = any(a <= start < b for a, b in headlines) if headlines else False
        for run in _pieces(text, match):
            runs.append(run)
            shaky.append(unreliable)
    return runs, shaky


def reliable_words(runs: list[Run], shaky: list[bool]) -> set[str]:
    """Words capitalised mid-sentence in ordinary prose: evidence they are names."""
    seen: set[str] = set()
    for run, unreliable in zip(runs, shaky):
        if not unreliable:
            words = run.words[1:] if run.initial else run.words
            seen.update(plain(word) for word in words if not word.isupper())
    return seen


def has_evidence(word: str, reliable: set[str]) -> bool:
    """True when a word capitalised where any word would be is still a name."""
    found = flags(word)
    if found & SKIP:
        return False
    if found & LEXICAL:
        return True
    core = plain(word)
    return (core.title() if found & SHOUTED else core) in reliable
