"""Candidate names: capitalised runs cleaned of sentence-initial and headline capitals."""

from __future__ import annotations

from . import _gazetteer as gaz
from . import _lexicon as lex
from ._runs import (
    CONNECTOR,
    MONTH,
    POSSESSIVE,
    SHOUTED,
    SKIP,
    Run,
    bare,
    flags,
    has_evidence,
    raw_runs,
    reliable_words,
)

_KEEP_OF = lex.ORG_HEADS | lex.PLACE_HEADS | lex.TITLES


def _flush(words: list[str], starts: list[int], initial: bool, out: list[Run]) -> None:
    """Append the run made of ``words`` to ``out``, connectors trimmed from its ends."""
    while words and flags(words[-1]) & CONNECTOR:
        del words[-1], starts[-1]
    while words and flags(words[0]) & CONNECTOR:
        del words[0], starts[0]
        initial = False
    if words:
        out.append(Run(words, starts, initial))


def _cut(run: Run, drop: list[bool], split_after: list[bool]) -> list[Run]:
    """Split ``run`` where words are dropped and after the words marked to split after."""
    out: list[Run] = []
    words: list[str] = []
    starts: list[int] = []
    initial = run.initial
    for index, word in enumerate(run.words):
        if drop[index]:
            _flush(words, starts, initial, out)
            words, starts, initial = [], [], False
            continue
        if not words:
            initial = run.initial and index == 0
        words.append(word)
        starts.append(run.starts[index])
        if split_after[index]:
            _flush(words, starts, initial, out)
            words, starts = [], []
    _flush(words, starts, initial, out)
    return out


def _drops(run: Run, unreliable: bool, reliable: set[str]) -> list[bool]:
    """Which words of ``run`` are not name words (week days, dates, unproven capitals)."""
    drop = []
    previous = 0
    strict = any(word.isupper() and flags(word) & (SHOUTED | SKIP) for word in run.words)
    for index, word in enumerate(run.words):
        found = flags(word)
        if found & CONNECTOR:
            drop.append(False)
            continue
        shaky = unreliable or strict or found & SHOUTED or (index == 0 and run.initial)
        drop.append(
            bool(found & SKIP)
            or bool(found & MONTH and (not previous or previous & MONTH))
            or bool(shaky and not has_evidence(word, reliable, strict))
        )
        previous = found
    return drop


def _keeps(run: Run, unreliable: bool, reliable: set[str]) -> bool:
    """True when a one-word run is a name word (the one-word case of :func:`_drops`)."""
    word = run.words[0]
    found = flags(word)
    if found & (SKIP | MONTH):
        return False
    if not (unreliable or run.initial or found & SHOUTED):
        return True
    return has_evidence(word, reliable, bool(found & SHOUTED))


def _joins(run: Run) -> list[bool]:
    """Where ``run`` splits: after possessives and at connectors that join two names.

    ``of`` / ``for`` join only after a head word (``College of Policing``); ``and``
    joins only inside an organisation name (``Devon and Cornwall Police``) or a
    place (``Trinidad and Tobago``).
    """
    words, split = run.words, [False] * len(run.words)
    keys = [bare(word) for word in words]
    for index, word in enumerate(words[:-1]):
        if word in ("of", "for") and index:
            headed = keys[index - 1] in _KEEP_OF or any(key in lex.ORG_HEADS for key in keys[:index])
            split[index - 1] = split[index] = not headed
        elif flags(word) & POSSESSIVE and keys[index + 1] not in ("county", "island"):
            split[index] = keys[index] not in lex.TITLES
        elif _case_change(words, keys, index):
            split[index] = True
    for index, word in enumerate(words[:-1]):
        if word in ("and", "&") and index:
            last = index + 1
            while last < len(words) - 1 and not split[last]:
                last += 1
            joined = keys[last] in lex.ORG_SUFFIX or " ".join(keys[index - 1 : index + 2]) in gaz.places()
            split[index - 1] = split[index] = not joined
    return split


def _case_change(words: list[str], keys: list[str], index: int) -> bool:
    """True between an all-capitals word and a capitalised one (``DHAKA Bangladesh``,
    ``FBI Director``), unless an organisation suffix ends the run (``BBC News``)."""
    word, following = words[index], words[index + 1]
    if (
        not (word.isupper() and len(word.rstrip(".")) > 1)
        or following.isupper()
        or flags(following) & CONNECTOR
    ):
        return False
    if keys[index] in lex.TITLES:  # DCC Nye, PC Smith
        return False
    return not (index + 2 == len(words) and keys[index + 1] in lex.ORG_SUFFIX)


def _needs_joins(run: Run) -> bool:
    """True when ``run`` holds a connector, a possessive or an all-capitals word."""
    return any(flags(word) & (CONNECTOR | POSSESSIVE) or word.isupper() for word in run.words[:-1])


def candidates(text: str) -> list[Run]:
    """Name candidates of ``text`` in text order, cleaned of words that are not names.

    Sentence-initial words need evidence (a lexicon hit, or the same word
    capitalised mid-sentence elsewhere); so does every word of a Title Case or
    ALL-CAPS line. Possessives and ``and`` / ``of`` between two names split a run.
    """
    runs, shaky = raw_runs(text)
    reliable = reliable_words(runs, shaky)
    out: list[Run] = []
    for run, unreliable in zip(runs, shaky):
        if len(run.words) == 1:
            if _keeps(run, unreliable, reliable):
                out.append(run)
            continue
        drop = _drops(run, unreliable, reliable)
        pieces = _cut(run, drop, [False] * len(drop)) if any(drop) else [run]
        for piece in pieces:
            if len(piece.words) > 1 and _needs_joins(piece):
                out.extend(_cut(piece, [False] * len(piece.words), _joins(piece)))
            else:
                out.append(piece)
    return out
