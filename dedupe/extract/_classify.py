"""One candidate run classified as a person, an organisation or a place, with its value."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from . import _gazetteer as gaz
from . import _geo as geo
from . import _lexicon as lex
from ._runs import Run, bare, is_acronym, spell, spelled

_VERBS = rf"(?:has |had |was |is )?{lex.alternation(lex.SPEECH)}\b"
_SPEECH_AFTER = re.compile(rf"(?:['\u2019]s)?\s*(?:,\s*(?:\d{{1,3}}|[^,.;\"\u201c]{{3,60}}),\s*)?{_VERBS}")
_SAYS_AFTER = re.compile(rf"\s*{_VERBS}")
_AGE_AFTER = re.compile(r",\s*\d{1,3}\s*[,;.)]")
_ROAD_NUMBER = re.compile(r" \d{1,3}\b")
_PLACE_CUES = lex.words("in near at outside across throughout inside")
_SAID = lex.words("said says added asked")
_SPACES = frozenset(" \t\n")
_BEFORE_VERB = frozenset(" \t\n,'\u2019")
_POSSESSIVES = ("'s", "\u2019s")
_CACHE_LIMIT = 200_000


@dataclass(slots=True)
class Found:
    """A classified run: ``kind`` is person/organisation/place, "title", or "" when unknown."""

    run: Run
    kind: str
    value: str
    about: str = ""
    name_words: int = 0
    prefix: int = 0


@dataclass(frozen=True, slots=True)
class Shape:
    """What the words of a run say on their own, whatever the text around them."""

    kind: str
    value: str
    place: str
    region: bool
    title_start: int
    title_end: int
    title: str
    name: str
    given: bool
    size: int


_SHAPES: dict[str, Shape] = {}  # by the words joined (see shape)


def _is_title(key: str, word: str = "") -> bool:
    """True for a title word, hyphenated ones included (``attorney-general``); a short
    rank (``DI``, ``PC``) only in capitals, so ``Antonio Di Pietro`` has none."""
    if key in lex.CAPITAL_TITLES:
        return word.isupper() or word.endswith(".")
    return key in lex.TITLES or ("-" in key and all(part in lex.TITLES for part in key.split("-")))


def _title_span(keys: list[str], words: tuple[str, ...]) -> tuple[int, int]:
    """``(first, end)`` of the title words of ``keys``; ``(-1, -1)`` without a title.

    A possessive is no title (``King's Cross``), and a weak title word (``First``,
    ``State``) needs a strong one after it.
    """
    first = -1
    for index, key in enumerate(keys):
        if not _is_title(key, words[index]) or words[index].endswith(_POSSESSIVES):
            continue
        following = index + 1 < len(keys) and _is_title(keys[index + 1], words[index + 1])
        if key not in lex.WEAK_TITLES or following:
            first = index
            break
    if first < 0:
        return -1, -1
    end = first
    while end < len(keys):
        if _is_title(keys[end], words[end]):
            end += 1
        elif keys[end] in ("of", "for") and end + 1 < len(keys):
            end += 3 if keys[end + 1] == "the" else 2
        else:
            break
    return first, min(end, len(keys))


def _kind(keys: list[str], joined: str, words: tuple[str, ...]) -> str:
    """The kind the words alone give (suffixes, heads, lexicons); "none" rules one out."""
    single = len(keys) == 1
    if single and is_acronym(words[0]):
        if joined in gaz.places():
            return "place"
        return "none" if joined in lex.NOT_ORG_ACRONYMS or joined in lex.TITLES else "organisation"
    if joined in lex.KNOWN_ORGS:
        return "organisation"
    if single and (joined in lex.DEMONYMS or joined in lex.ORG_SUFFIX or joined[:-1] in lex.DEMONYMS):
        return "none"
    if all(key in lex.DEMONYMS for key in keys):
        return "none"
    if single:
        return ""
    if keys[-1] in lex.PLACE_SUFFIX:
        return "place"
    if keys[-1] in lex.ORG_SUFFIX:
        return "organisation"
    if keys[-1] in lex.DEMONYMS or (keys[-1].endswith("s") and keys[-1][:-1] in lex.TITLES):
        return "none"  # South Korean, Tory MPs
    if keys[0] in lex.PLACE_HEADS:
        return "place"
    heads = [keys[i - 1] for i in range(1, len(keys)) if keys[i] in ("of", "for")]
    if any(head in lex.ORG_HEADS or head in lex.ORG_SUFFIX for head in heads):
        return "organisation"
    return ""


def _given(words: tuple[str, ...], keys: list[str]) -> bool:
    """True when the run opens with a given name that does not also start a place name
    (``San Diego Chargers``, ``France Telecom``, ``London Games``), nor ends with a thing's head
    (``Pandora Papers``, ``Monte Carlo Star``: see ``THING_HEADS``)."""
    if len(keys) < 2 or keys[-1] in lex.THING_HEADS or spelled(words[0]) not in gaz.given_names():
        return False
    places = gaz.places()
    return not any(" ".join(keys[:size]) in places for size in range(1, min(4, len(keys))))


def _compute_shape(words: tuple[str, ...]) -> Shape:
    """The word-only facts of a run (see :class:`Shape`)."""
    keys = [bare(word) for word in words]
    joined = " ".join(keys)
    first, end = _title_span(keys, words)
    name = ""
    if 0 <= end < len(words):
        rest = words[end:]
        name = spell(words) if all(len(bare(word)) == 1 for word in rest) else spell(rest)
    kind = _kind(keys, joined, words)
    if kind == "place" and first == 0 and name and keys[0] in lex.RANKS:
        kind = ""  # Lt. Kenny Park, Officer Dan Hill: a person, not a park or a hill
    return Shape(
        kind=kind,
        value=spell(words),
        place=gaz.places().get(joined, ""),
        region=joined in gaz.regions(),
        title_start=first,
        title_end=end,
        title=spell(words[:end]) if end > 0 else "",
        name=name,
        given=_given(words, keys),
        size=len(keys),
    )


def shape(words: Sequence[str]) -> Shape:
    """The memoised :class:`Shape` of a run's words.

    The memo's key is the words joined by NUL (a word of a run holds none), the word itself for a one-word run: a
    string, which a lookup compares in one piece, where a tuple's words are each another object to read.
    """
    key = words[0] if len(words) == 1 else "\0".join(words)
    found = _SHAPES.get(key)
    if found is None:
        if len(_SHAPES) > _CACHE_LIMIT:
            _SHAPES.clear()
        found = _SHAPES[key] = _compute_shape(tuple(words))
    return found


def _words_before(text: str, start: int) -> list[str]:
    """Up to two words right before ``start`` (a trailing comma kept)."""
    return text[max(0, start - 40) : start].split()[-2:]


def _role(before: list[str]) -> str:
    """Lower-case role words right before a name (``regional director``), or ""."""
    words = [word.rstrip(",") for word in before]
    if not words or words[-1] not in lex.ROLES:
        return ""
    if len(words) == 2 and words[0].isalpha() and words[0].islower() and words[0] not in lex.FUNCTION:
        return " ".join(words)
    return words[-1]


def _ends_clause(text: str, end: int) -> bool:
    """True when the words after ``end`` close the clause (``said Douglas tearfully.``)."""
    following = text[end : end + 30].lstrip(" \t")
    if not following or following[0] in ',.;:!?\n"\u201d)':
        return True
    word = following.split(None, 1)[0].rstrip(",.;")
    return word.endswith("ly") and word.islower()


def _aged(text: str, start: int) -> bool:
    """True after an age (``17-year-old Thomas Lane``, ``12-year old Marlin Banks``)."""
    if text[max(0, start - 4) : start - 1] != "old":
        return False
    before = text[max(0, start - 20) : start].split()[-2:]
    if not before:
        return False
    last = before[-1].lower()
    return last.endswith("-year-old") or (last == "old" and before[0].lower().endswith("-year"))


def _says(text: str, end: int) -> bool:
    """True when a reporting verb follows offset ``end`` at once (``Smith said``)."""
    return text[end : end + 1] in _SPACES and bool(_SAYS_AFTER.match(text, end))


def speaks(text: str, end: int) -> bool:
    """True when a reporting verb (or an age: ``Smith, 45,``) follows offset ``end``."""
    if text[end : end + 1] not in _BEFORE_VERB:
        return False
    return bool(_SPEECH_AFTER.match(text, end) or _AGE_AFTER.match(text, end))


def _speaking(text: str, end: int, said: bool) -> bool:
    """True when a gazetteer name ending at ``end`` speaks: ``said`` before it, a reporting verb or an age after it
    (read only for a run with a place: most runs have none)."""
    return said or _says(text, end) or bool(_AGE_AFTER.match(text, end))


def _state(text: str, run: Run, found: Shape) -> str:
    """The US state a lone abbreviation after a comma names (``Spartanburg, S.C.``), or ""."""
    if found.size != 1 or len(found.value) > 6 or text[run.start - 2 : run.start] != ", ":
        return ""
    state = geo.US_STATE_ABBREVIATIONS.get(found.value.lower().rstrip("."), "")
    return state if found.value.isupper() or found.value.endswith(".") else ""


def classify(text: str, run: Run) -> Found:
    """The kind, canonical value and title of one candidate run.

    Words decide first (``... Police`` is an organisation, ``... County`` a place),
    then the words around the run (see :func:`_by_context`). Kind "" is unknown.
    """
    found = shape(run.words)
    state = _state(text, run, found)
    if state:
        return Found(run, "place", state)
    if found.kind == "none":
        return Found(run, "", found.value)
    if found.kind in ("", "place") and found.title_end < 0 and found.size <= 4 and _aged(text, run.start):
        return Found(run, "person", found.value, "", found.size)
    if found.kind == "place":
        if found.size == 1 and _ROAD_NUMBER.match(text, run.end):  # U.S. 76, Interstate 95
            return Found(run, "", found.value)
        return Found(run, "place", found.place or found.value)
    if found.kind:
        return Found(run, found.kind, found.value)
    return _by_context(text, run, found)


def _by_context(text: str, run: Run, found: Shape) -> Found:
    """Classify a run its words leave open, from the words around it.

    A gazetteer name is a place unless a reporting verb says it speaks; ``the X
    said`` is an organisation; a title, a given name, a role word before or a
    reporting verb after make a person; ``in X`` makes a place, ``the X Y`` an
    organisation.
    """
    before = _words_before(text, run.start)
    cue = before[-1] if before else ""
    said = (cue in _SAID or before == ["according", "to"]) and _ends_clause(text, run.end)
    if found.place and (found.region or cue in _PLACE_CUES or not _speaking(text, run.end, said)):
        return Found(run, "place", found.place)
    body = (cue == "the" or cue in lex.ORG_SUFFIX) and found.title_end < 0 and not found.given
    if body and _says(text, run.end):  # the Shin Bet said, the news agency Mena said
        return Found(run, "organisation", found.value)
    if found.title_end >= 0:
        if not found.name:
            return Found(run, "title", "", found.title)
        words = found.size - found.title_end
        return Found(run, "person", found.name, found.title, words, found.title_start)
    role = _role(before)
    if found.given or (found.size <= 4 and (role or said or speaks(text, run.end))):
        return Found(run, "person", found.value, role, found.size)
    after_place = cue.endswith(",") and cue[:-1].lower() in gaz.places()
    if found.size == 1 and run.words[0] == found.value and (cue in _PLACE_CUES or after_place):
        return Found(run, "place", found.value)
    if found.size > 1 and cue == "the" and bare(run.words[0]) not in lex.DEMONYMS:
        return Found(run, "organisation", found.value)
    return Found(run, "", found.value)
