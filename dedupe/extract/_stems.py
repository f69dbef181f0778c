"""Where casualty words start in one text: found once, shared by the casualty readers."""

from __future__ import annotations

from ._text import lowered


class Stems:
    """The offsets of the words of one text that start with a stem, cached per stem.

    The casualty readers (``_groups``, ``_known``, ``_victims``) look for the same
    words ("shot", "kill", "dead"...); each stem is searched once per text. Matching
    ignores case; a stem counts only at the start of a word.

    >>> Stems("Two were shot. He died, a third was shot.").at("shot")
    [9, 36]
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.lower = lowered(text)
        self._offsets: dict[str, list[int]] = {}

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
