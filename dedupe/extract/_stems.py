"""Where casualty words and number words start in one text: one scan, shared by the casualty readers and the numbers."""

from __future__ import annotations

import re
from functools import lru_cache

from . import _lexicon as lex
from ._text import lowered

#: The stems the casualty readers look for (``_groups``, ``_known``, ``_victims``) and the words a number written in
#: words starts with (``_numscan``): all found in one scan of the lower-cased text. A stem not listed here is still
#: found, by ``str.find``.
CASUALTY_STEMS = (
    "death", "murder", "slaying", "fatal", "shot", "kill", "dead", "died", "wound", "injur", "hurt", "hospital",
    "slain", "left", "leav", "dies", "succumb", "passed", "deceased", "claimed", "mortal", "deadly", "murder-suicide",
    "turn", "took", "taking", "has", "have", "himself", "herself",
)  # fmt: skip
NUMBER_STARTS = (
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fifteen", "twenty", "thirty", "forty", "fifty", "a dozen",
    "a hundred", "a thousand", "a million",
)  # fmt: skip
_NEEDLES = frozenset(CASUALTY_STEMS + NUMBER_STARTS)
# The longest needle at each position (a prefix tree, greedy). A needle that starts inside another's match at a word
# start would follow a space or a hyphen in it ("a dozen", "murder-suicide"), and none starts with what follows
# those, so a scan that skips over each match loses no needle at a word start.
_SCAN = re.compile(lex.alternation(_NEEDLES))
# A needle after a character that is no ASCII lower-case letter: the regex engine skips ahead (in C) from one such
# character to the next (spaces, marks, digits: a fifth of a text), instead of entering the tree at every letter a
# needle starts with, inside every word (most letters); a needle after a letter counts for nothing. No word start
# follows an ASCII letter, so none is skipped; a match hides only what ``_SCAN``'s same match hides (see above); a
# needle after a letter that is not ASCII ("éone") is still matched and turned down.
_AFTER_NON_LETTER = re.compile(rf"[^a-z]({lex.alternation(_NEEDLES)})")
# For the needle a match found, every needle it starts with ("deadly": "dead", "deadly").
_STARTING = {found: tuple(n for n in sorted(_NEEDLES) if found.startswith(n)) for found in _NEEDLES}


@lru_cache(maxsize=8)
def needle_starts(text: str) -> dict[str, list[int]]:
    """Each stem and number word -> the offsets, in order, of the words of ``text`` starting with it, case ignored.

    One regex scan of the lower-cased text instead of a ``str.find`` pass for each of the 52 (~140 -> ~100 µs over a
    corpus10k article; ~125 -> ~75 µs since it reads only the matches after a non-letter, ``_AFTER_NON_LETTER``, and
    the one at the start); kept for the last few texts, as the numbers and the casualty readers ask in turn.
    """
    lower = lowered(text)
    found: dict[str, list[int]] = {needle: [] for needle in _NEEDLES}
    first = _SCAN.match(lower)
    if first:
        for needle in _STARTING[first.group()]:
            found[needle].append(0)
    for match in _AFTER_NON_LETTER.finditer(lower):
        at = match.start(1)
        if lower[at - 1].isalpha():
            continue  # after a letter that is not ASCII: "éone"
        for needle in _STARTING[match.group(1)]:
            found[needle].append(at)
    return found


class Stems:
    """The offsets of the words of one text that start with a stem, cached per stem.

    The casualty readers (``_groups``, ``_known``, ``_victims``) look for the same
    words ("shot", "kill", "dead"...); each stem is searched once per text, the
    :data:`CASUALTY_STEMS` all in the one scan of :func:`needle_starts`. Matching
    ignores case; a stem counts only at the start of a word. The lists given back are
    shared: read them, do not change them.

    >>> Stems("Two were shot. He died, a third was shot.").at("shot")
    [9, 36]
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.lower = lowered(text)
        self._offsets: dict[str, list[int]] = dict(needle_starts(text))

    def at(self, stem: str) -> list[int]:
        """The offsets, in order, of the words starting with ``stem`` (lower case)."""
        found = self._offsets.get(stem)
        if found is None:
            found = []
            lower = self.lower
            at = lower.find(stem)
            while at != -1:
                if not (at and lower[at - 1].isalpha()):
                    found.append(at)
                at = lower.find(stem, at + 1)
            self._offsets[stem] = found
        return found

    def each(self, stems: tuple[str, ...]) -> list[int]:
        """The offsets of the words starting with any of ``stems``, in the order of the stems."""
        found: list[int] = []
        known = self._offsets.get
        for stem in stems:
            offsets = known(stem)
            found += self.at(stem) if offsets is None else offsets
        return found
