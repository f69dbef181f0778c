"""The event a date belongs to: the nearest past-tense verb or event noun in its sentence."""

from __future__ import annotations

import re

from ._text import word_set

#: Common irregular past tenses and participles. Forms that are mostly other words
# ("left", "set", "put", "read", "lay", "cut", "hit") are left out.
IRREGULAR = word_set(
    """arose arisen awoke became begun began bent bit bitten blew blown bought broke broken born
    brought built burnt caught chose chosen came clung crept dealt drew drawn drove driven dug
    fed fell felt fled flew flown fought forbade forgave forgiven forgot forgotten froze frozen
    gave given got gotten grew grown heard held hid hidden hung kept knew known led lent lost
    made meant met oversaw overtook overthrew paid ran rang rode rose risen said sang sank saw
    seen sent shook shaken shot shut slain slew sold sought spent spoke spoken sprang stole
    stolen stood struck stuck swept swore sworn taken taught thought threw thrown told took tore
    torn underwent undertook upheld went withdrew withdrawn withheld woke won wore wrote written"""
)
# Words in -ed that are rarely verbs.
_NOT_VERBS = word_set(
    """alleged armed unarmed based related named unnamed united limited detailed hundred sacred
    naked wicked kindred rugged ragged beloved learned aged supposed so-called talented married"""
)
# Reporting verbs: the date rarely belongs to them when anything else is near.
_REPORTING = word_set("said says told added stated noted explained wrote thought")
_REPORTING_PENALTY = 8
# Event nouns, mapped to the past participle of their verb where there is a plain one.
_EVENT_NOUNS: dict[str, str] = {
    "arrest": "arrested", "conclusion": "concluded", "suspension": "suspended",
    "dismissal": "dismissed", "resignation": "resigned", "death": "died", "killing": "killed",
    "shooting": "shot", "slaying": "killed", "stabbing": "stabbed", "appointment": "appointed", "election": "elected",
    "announcement": "announced", "release": "released", "referral": "referred",
    "conviction": "convicted", "sentencing": "sentenced", "closure": "closed", "launch": "launched",
    "opening": "opened", "publication": "published", "discovery": "discovered",
    "collapse": "collapsed", "explosion": "exploded", "visit": "visited", "departure": "departed",
    "arrival": "arrived", "birth": "born", "retirement": "retired", "ruling": "ruled",
    "decision": "decided", "agreement": "agreed", "attack": "attacked", "raid": "raided",
    "murder": "murdered", "assault": "assaulted", "robbery": "robbed", "crash": "crashed",
    "hearing": "hearing", "trial": "trial", "meeting": "meeting", "inquest": "inquest",
    "inquiry": "inquiry", "investigation": "investigation", "incident": "incident",
    "accident": "accident", "vote": "vote", "referendum": "referendum", "summit": "summit",
    "protest": "protest", "strike": "strike", "fire": "fire", "storm": "storm",
    "earthquake": "earthquake", "flood": "flood", "bombing": "bombing", "blast": "blast",
    "war": "war", "ceremony": "ceremony", "funeral": "funeral", "wedding": "wedding",
    "verdict": "verdict", "hearings": "hearing", "match": "match", "game": "game",
    "final": "final", "conference": "conference", "interview": "interview", "speech": "speech",
    "deadline": "deadline", "outbreak": "outbreak", "invasion": "invasion", "coup": "coup",
}  # fmt: skip
_AUXILIARIES = word_set("was were been be being is are has have had got")
_DETERMINERS = word_set("the a an its his her their this that")
_MODALS = word_set("will shall would")
# Past tenses that are also common nouns: after a determiner they are the noun ("a third shot", "the saw").
# A participle there is an adjective that keeps its past sense ("the stolen car", "a failed bid") and stays.
_NOUN_HOMOGRAPHS = word_set("shot bit saw rose fell won spoke felt stole")
# Determiners that are never pronouns: "that", "those", "each" and "her" also come before a participle ("one of
# those shot", "were each shot", "the man that shot").
_NOUN_MARKERS = word_set("a an the its his their our my your every another")
_ORDINALS = word_set("first second third fourth fifth sixth seventh eighth ninth tenth last final latest only same")
# Possessive repeats (``++``, ``?+``): what follows each part is optional, so the engine never gives back what it
# took and keeps no state to do so (the same tokens as ``[A-Za-z]+(?:-[a-z]+)?(?:['\u2019][a-z]+)?|[,;:()]``).
_WORD = re.compile(r"[A-Za-z]++(?:-[a-z]++)?+(?:['\u2019][a-z]++)?+|[,;:()]")
_MAX_DISTANCE = 15
_PUNCTUATION = frozenset(",;:()")
_PUNCTUATION_STEPS = 3  # crossing a comma or a bracket: the date is likely in another clause
_REACH = 100  # characters looked at either side of the date


def _verb(word: str, lower: str, first: bool) -> str:
    """``lower`` when ``word`` looks like a past tense or participle, else ``""``."""
    if word[0].isupper() and not first:
        return ""
    if lower in IRREGULAR:
        return lower
    if len(lower) >= 4 and lower.endswith("ed") and not lower.endswith("eed") and lower not in _NOT_VERBS:
        return lower
    return ""


def _after_determiner(tokens: list[str], index: int) -> bool:
    """True when ``tokens[index]`` follows a determiner, alone or with an ordinal between: "a third shot"."""
    previous = tokens[index - 1].lower() if index else ""
    if previous in _NOUN_MARKERS:
        return True
    return previous in _ORDINALS and index >= 2 and tokens[index - 2].lower() in _NOUN_MARKERS


def _head_noun(tokens: list[str], index: int) -> str:
    """The event noun at ``index``, or the one it completes: "the conclusion of the inquiry"."""
    back = index - 2 if index >= 2 and tokens[index - 1].lower() in _DETERMINERS else index - 1
    if back >= 1 and tokens[back].lower() == "of" and tokens[back - 1].lower() in _EVENT_NOUNS:
        return _EVENT_NOUNS[tokens[back - 1].lower()]
    return _EVENT_NOUNS[tokens[index].lower()]


def _candidate(tokens: list[str], index: int, initial: bool) -> tuple[str, int] | None:
    """The event word at ``tokens[index]`` and its penalty, or None when it is none.

    ``initial`` says the first token starts the sentence (a capital there is no name).
    """
    word = tokens[index]
    lower = word.lower()
    if lower in _EVENT_NOUNS:
        return _head_noun(tokens, index), 0
    previous = tokens[index - 1].lower() if index else ""
    if lower.endswith("ed") or lower in IRREGULAR:
        verb = _verb(word, lower, initial and index == 0)
    else:
        verb = lower if previous in _MODALS and word.isalpha() and lower not in _AUXILIARIES else ""
    if not verb or (verb in _NOUN_HOMOGRAPHS and _after_determiner(tokens, index)):
        return None
    penalty = _REPORTING_PENALTY if verb in _REPORTING else 0
    return verb, penalty - 1 if previous in _AUXILIARIES else penalty


def is_past(word: str) -> bool:
    """True when ``word`` (an event word as returned by :func:`event_word`) is a past tense."""
    return bool(word) and word not in _EVENT_NOUNS and bool(_verb(word, word, False))


def event_word(sentence: str, start: int, end: int) -> str:
    """The event the date at ``sentence[start:end]`` belongs to, or ``""``.

    The nearest past-tense verb or participle ("suspended", "shot"), verb after a modal
    ("will appear") or event noun ("hearing"; "the conclusion of" gives "concluded")
    by word distance (a comma or bracket counts three words), ties going to the word
    before the date; reporting verbs ("said") count as far away, verbs after an
    auxiliary ("was suspended") one step nearer. A past tense that is also a noun is
    the noun after a determiner ("a third shot", "every bit"): no event.

    >>> event_word("The officer was suspended in October 2018.", 29, 41)
    'suspended'
    """
    left = max(0, start - _REACH)
    before = _WORD.findall(sentence, left, start)
    if sentence[end : end + 2] in ("'s", "\u2019s"):
        end += 2  # "last week's hearing": the hearing is next
    tokens = before + _WORD.findall(sentence, end, end + _REACH)
    split = len(before)
    best: tuple[int, int, str] | None = None
    # Each side walked outwards from the date (before it, then after it); the best is the least key
    # (steps + penalty, side, word) over both, whatever the order they are walked in.
    back = range(split - 1, max(-1, split - 1 - _MAX_DISTANCE), -1)
    sides = (back, range(split, min(len(tokens), split + _MAX_DISTANCE)))
    for side, indexes in enumerate(sides):
        steps = 0
        for distance, index in enumerate(indexes, 1):
            if best is not None and distance - 1 > best[0]:
                break  # steps only grow and a penalty takes off at most one: nothing further wins
            token = tokens[index]
            steps += _PUNCTUATION_STEPS if token in _PUNCTUATION else 1
            lower = token.lower()  # what _candidate needs to see: most words are none of it
            if not (lower in _EVENT_NOUNS or lower in IRREGULAR or lower.endswith("ed")) and (
                not index or tokens[index - 1].lower() not in _MODALS
            ):
                continue
            found = _candidate(tokens, index, left == 0)
            if found is not None:
                key = (steps + found[1], side, found[0])
                best = key if best is None or key < best else best
    return best[2] if best else ""
