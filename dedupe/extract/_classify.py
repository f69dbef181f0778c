"""One candidate run classified as a person, an organisation or a place, with its value."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import _gazetteer as gaz
from . import _lexicon as lex
from ._runs import Run, bare, is_acronym, plain

_VERBS = rf"(?:has |had |was |is )?(?:{'|'.join(sorted(lex.SPEECH))})\b"
_SPEECH_AFTER = re.compile(rf"(?:['\u2019]s)?\s*(?:,\s*(?:\d{{1,3}}|[^,.;\"\u201c]{{3,60}}),\s*)?{_VERBS}")
_SAYS_AFTER = re.compile(rf"\s*{_VERBS}")
_AGE_AFTER = re.compile(r",\s*\d{1,3}\s*,")
_PLACE_CUES = lex.words("in near at outside across throughout inside")
_SAID = lex.words("said says added asked")
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


_SHAPES: dict[tuple[str, ...], Shape] = {}


def _spelled(word: str) -> str:
    """``word`` as a name part: possessive dropped, shouted words title-cased."""
    word = plain(word)
    return word.title() if word.isupper() and len(word.replace(".", "")) > 5 else word


def spell(words: list[str] | tuple[str, ...]) -> str:
    """The canonical spelling of a list of name words (a final possessive dropped)."""
    spelled = [_spelled(word) if word.isupper() else word for word in words]
    spelled[-1] = _spelled(spelled[-1])
    return " ".join(spelled)


def _title_span(keys: list[str]) -> tuple[int, int]:
    """``(first, end)`` of the title words of ``keys``; ``(-1, -1)`` without a title."""
    first = -1
    for index, key in enumerate(keys):
        if key in lex.TITLES and (
            key not in lex.WEAK_TITLES or (index + 1 < len(keys) and keys[index + 1] in lex.TITLES)
        ):
            first = index
            break
    if first < 0:
        return -1, -1
    end = first
    while end < len(keys):
        if keys[end] in lex.TITLES:
            end += 1
        elif keys[end] == "of" and end + 1 < len(keys):
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
    if single:
        return ""
    if keys[-1] in lex.PLACE_SUFFIX:
        return "place"
    if keys[-1] in lex.ORG_SUFFIX:
        return "organisation"
    if keys[0] in lex.PLACE_HEADS:
        return "place"
    heads = [keys[i - 1] for i in range(1, len(keys)) if keys[i] in ("of", "for")]
    if any(head in lex.ORG_HEADS or head in lex.ORG_SUFFIX for head in heads):
        return "organisation"
    return ""


def _given(words: tuple[str, ...], keys: list[str]) -> bool:
    """True when the run opens with a given name that is not the start of a place name
    (``San Diego Chargers``) or a country (``France Telecom``)."""
    if len(keys) < 2 or _spelled(words[0]) not in gaz.given_names() or keys[0] in gaz.countries():
        return False
    places = gaz.places()
    return not any(" ".join(keys[:size]) in places for size in range(2, min(4, len(keys))))


def _compute_shape(words: tuple[str, ...]) -> Shape:
    """The word-only facts of a run (see :class:`Shape`)."""
    keys = [bare(word) for word in words]
    joined = " ".join(keys)
    first, end = _title_span(keys)
    name = ""
    if 0 <= end < len(words):
        rest = words[end:]
        name = spell(words) if all(len(bare(word)) == 1 for word in rest) else spell(rest)
    return Shape(
        kind=_kind(keys, joined, words),
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


def shape(words: tuple[str, ...]) -> Shape:
    """The memoised :class:`Shape` of a run's words."""
    found = _SHAPES.get(words)
    if found is None:
        if len(_SHAPES) > _CACHE_LIMIT:
            _SHAPES.clear()
        found = _SHAPES[words] = _compute_shape(words)
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


def _modifies_noun(text: str, end: int) -> bool:
    """True when a role or body word follows (``Detroit police Sgt. ...``)."""
    following = text[end : end + 20].split()[:1]
    return bool(following) and (following[0] in lex.ROLES or following[0] in lex.ORG_SUFFIX)


def speaks(text: str, end: int) -> bool:
    """True when a reporting verb (or an age: ``Smith, 45,``) follows offset ``end``."""
    return bool(_SPEECH_AFTER.match(text, end) or _AGE_AFTER.match(text, end))


def classify(text: str, run: Run) -> Found:
    """The kind, canonical value and title of one candidate run.

    Words decide first (``... Police`` is an organisation, ``... County`` a place, a
    gazetteer name a place unless a reporting verb follows), then a title, a given
    name, a role word before or a reporting verb after make a person, and ``in X``
    a place, ``the X Y`` an organisation. Anything else has kind "".
    """
    found = shape(tuple(run.words))
    if found.size == 1 and len(found.value) <= 6 and text[run.start - 2 : run.start] == ", ":
        state = lex.US_STATE_ABBREVIATIONS.get(found.value.lower().rstrip("."))
        if state and (found.value.isupper() or found.value.endswith(".")):
            return Found(run, "place", state)
    if found.kind == "none":
        return Found(run, "", found.value)
    if found.kind:
        value = found.place or found.value if found.kind == "place" else found.value
        return Found(run, found.kind, value)
    before = _words_before(text, run.start)
    said = bool(before) and before[-1] in _SAID and not _modifies_noun(text, run.end)
    if found.place and (found.region or not (said or _SAYS_AFTER.match(text, run.end))):
        return Found(run, "place", found.place)
    if found.title_end >= 0:
        if found.name:
            words = found.size - found.title_end
            return Found(run, "person", found.name, found.title, words, found.title_start)
        return Found(run, "title", "", found.title)
    role = _role(before)
    if found.given or (found.size <= 4 and (role or said or speaks(text, run.end))):
        return Found(run, "person", found.value, role, found.size)
    cue = before[-1] if before else ""
    after_place = cue.endswith(",") and cue[:-1].lower() in gaz.places()
    if found.size == 1 and run.words[0] == found.value and (cue in _PLACE_CUES or after_place):
        return Found(run, "place", found.place or found.value)
    if found.place:
        return Found(run, "place", found.place)
    if found.size > 1 and cue == "the" and bare(run.words[0]) not in lex.DEMONYMS:
        return Found(run, "organisation", found.value)
    return Found(run, "", found.value)
