"""Quotation marks paired into quoted segments, one segment per paragraph of a quote."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A double mark, two apostrophes used as one, or a single mark without a word
# character on both sides (officer's is no quote). The set comes first so that the
# regex engine can skip ahead to the next mark.
_MARK = re.compile(
    "[\"\u201c\u201d\u201e\u00ab\u00bb'\u2018\u2019\u201a\u201b]"
    "(?:(?<=')'|(?<=[\"\u201c\u201d\u201e\u00ab\u00bb])|(?<!\\w.)|(?!\\w))"
)
_DOUBLE = frozenset('"\u201c\u201d\u201e\u00ab\u00bb')
_OPENERS = frozenset("\u201c\u201e\u00ab\u2018\u201a\u201b")
_CLOSERS = frozenset("\u201d\u00bb\u2019")
_BEFORE_OPEN = frozenset(" \t\n\r([{/\u2014\u2013-:.!?") | _DOUBLE | frozenset("'\u2018\u2019")
_AFTER_CLOSE = frozenset(" \t\n\r.,;:!?)]}/\u2014\u2013-\u2026") | _DOUBLE | frozenset("'\u2018\u2019")
#: How far a quote left open at a line end may run on to a closing mark.
_RUN_ON = 400


# Slots, not frozen: ~3x cheaper to build (a frozen one sets each field by object.__setattr__); hashable as before.
@dataclass(slots=True, unsafe_hash=True)
class Mark:
    """One quotation mark: ``kind`` is ``"`` or ``'``; ``weak`` marks can only close."""

    pos: int
    kind: str
    opens: bool
    closes: bool
    weak: bool = False


# Slots, not frozen: ~3x cheaper to build (a frozen one sets each field by object.__setattr__); hashable as before.
@dataclass(slots=True, unsafe_hash=True)
class Segment:
    """Quoted text between ``open`` (the opening mark) and ``end`` (the closing mark,
    or the paragraph end when ``closed`` is False). Segments of one quote running
    over several paragraphs share ``passage``; all but the first are ``continued``."""

    open: int
    end: int
    closed: bool
    kind: str
    passage: int
    continued: bool = False


def _mark(text: str, pos: int) -> Mark | None:
    """The mark at ``pos`` with what it can do, or None for an apostrophe."""
    char = text[pos]
    before = text[pos - 1] if pos else "\n"
    after = text[pos + 1] if pos + 1 < len(text) else "\n"
    kind = '"' if char in _DOUBLE else "'"
    if kind == "'":
        if before.isalnum() and after.isalnum():
            return None
        if after.isdigit() and not before.isalnum():
            return None
        if before in "sS" and after == " " and text[pos + 2 : pos + 3].islower():
            return Mark(pos, kind, False, True, weak=True)
    opens = before in _BEFORE_OPEN and not after.isspace()
    closes = not before.isspace() and after in _AFTER_CLOSE
    if opens and closes:
        opens, closes = char not in _CLOSERS, char not in _OPENERS
    elif not opens and not closes and kind == '"':
        opens, closes = char in _OPENERS, char not in _OPENERS
    if kind == "'" and char in _CLOSERS and not closes:
        return None
    return Mark(pos, kind, opens, closes)


def marks(text: str) -> list[Mark]:
    """Every quotation mark of ``text`` that can open or close a quote."""
    found = []
    for match in _MARK.finditer(text):
        if match.end() - match.start() == 2:
            mark = _doubled(text, match.start())
        else:
            mark = _mark(text, match.start())
        if mark and (mark.opens or mark.closes):
            found.append(mark)
    return found


def _doubled(text: str, pos: int) -> Mark:
    """Two apostrophes used as a double quote (``''like this''``), placed on the inner one."""
    before = text[pos - 1] if pos else "\n"
    after = text[pos + 2] if pos + 2 < len(text) else "\n"
    opens = before in _BEFORE_OPEN and not after.isspace()
    closes = not before.isspace() and after in _AFTER_CLOSE
    return Mark(pos + 1 if opens and not closes else pos, '"', opens, closes)


def _line_end(text: str, pos: int) -> int:
    """The offset of the line break after ``pos``, or the text's length."""
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


class _Pairer:
    """Walks the marks once, pairing openers with closers into segments."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.out: list[Segment] = []
        self.open: Mark | None = None
        self.passage = 0
        self.continued = False

    def _start(self, mark: Mark, continued: bool = False) -> None:
        """Open a quote at ``mark``; a new passage unless it continues one."""
        self.passage += 0 if continued else 1
        self.open, self.continued = mark, continued

    def _emit(self, end: int, closed: bool) -> None:
        """Close the open quote at ``end``; an unclosed single-quoted one is dropped."""
        assert self.open is not None
        if closed or self.open.kind == '"' or self.continued:
            segment = Segment(self.open.pos, end, closed, self.open.kind, self.passage, self.continued)
            self.out.append(segment)
        self.open = None

    def _line_break(self, mark: Mark) -> bool:
        """Handle a quote still open at a line end; True when ``mark`` was used."""
        assert self.open is not None
        end = _line_end(self.text, self.open.pos)
        same = mark.kind == self.open.kind
        if same and mark.opens and not self.text[end : mark.pos].strip():
            self._emit(end, False)
            self._start(mark, continued=True)
            return True
        next_line = "\n" not in self.text[end + 1 : mark.pos]
        if same and mark.kind == '"' and mark.pos - end < _RUN_ON and (mark.closes or next_line):
            self._emit(mark.pos, True)
            return True
        self._emit(end, False)
        return False

    def feed(self, mark: Mark) -> None:
        """Take the next mark in text order."""
        crossed = self.open is not None and "\n" in self.text[self.open.pos : mark.pos]
        if crossed and self._line_break(mark):
            return
        if self.open is None:
            if mark.opens and not mark.weak:
                self._start(mark)
        elif mark.kind == self.open.kind:
            self._emit(mark.pos, True)

    def finish(self) -> list[Segment]:
        """The segments found, closing a quote still open at the end of the text."""
        if self.open is not None:
            self._emit(_line_end(self.text, self.open.pos), False)
        return self.out


def segments(text: str) -> list[Segment]:
    """The quoted segments of ``text`` in text order.

    Straight and curly marks pair alike: within a paragraph the next mark of the
    same kind closes an open quote, whichever way it faces (tokenised text writes
    ``children, "Kafoury's``); marks of the other kind inside a quote are nested
    and left in it. A quote left open at a paragraph end continues when
    the next paragraph opens with a mark of the same kind (British style), or runs
    on to a closing mark within a few lines.
    """
    pairer = _Pairer(text)
    for mark in marks(text):
        pairer.feed(mark)
    return pairer.finish()
