"""Quotations with their speaker: full quoted sentences, partial quotes and scare quotes."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from ..normalize import fold
from ..types import Mention
from . import _lexicon as lex
from ._quote_marks import Segment, segments
from ._text import evidence, sentence_span

_SPEECH = re.compile(rf"(?<!\w)(?=[a-z]){lex.alternation(lex.SPEECH | {'according to'})}\b")
_PRONOUNS = lex.words("he she they we i")
_TRAILING = " .,;:!?\u2026-"
_LEADING = " -"
_ENDS_SENTENCE = re.compile(r"[.!?][\"'\u201d\u2019)]*\s*$")
_PHRASE = re.compile(r"((?:[A-Za-z][\w'\u2019\-]*\s+){0,2}[A-Za-z][\w'\u2019\-]*)[\s,]*$")
_PHRASE_AFTER = re.compile(r"^[\s,]*((?:[A-Za-z][\w'\u2019\-]*\s*){1,3})")
_OPENS_AFTER = frozenset(".!?,;\u2014\u2013-")
_SCARE_WORDS = 2
#: Verbs after which the speaker's name may follow (``said Gen. David Petraeus``).
_NAME_FOLLOWS = lex.words("said says added adds continued explained wrote insisted asked replied")
_REACH = 40
_DIRECT = re.compile(r"(?:['\u2019]s)?[\s,]*(?:,[^,]{0,80},\s*)?(?:has |had |was |is |also |then |later )?$")
_CAPITALISED = re.compile(r"\s*((?:[A-Z][\w'\u2019.-]*\s?){1,3})")
_SUBHEADING_WORDS = 12
_GLUED_END = re.compile('[a-z][.!?]["\'\u201d\u2019]?(?=["\u201c\u2018]?[A-Z])')


def _normalise(quoted: str) -> str:
    """Quoted words as a value: folded, spaces collapsed, end punctuation dropped."""
    return " ".join(fold(quoted).split()).rstrip(_TRAILING).lstrip(_LEADING)


def _headline_end(text: str) -> int:
    """The end of the first line when it reads as a headline, else 0."""
    end = text.find("\n")
    if end < 0 or _ENDS_SENTENCE.search(text[:end]) or len(text[:end].split()) > 25:
        return 0
    return end


def _is_heading(text: str, segment: Segment) -> bool:
    """True for a quoted line standing alone, with no sentence in it."""
    line_start = text.rfind("\n", 0, segment.open) + 1
    line_end = text.find("\n", segment.end)
    line = text[line_start : len(text) if line_end < 0 else line_end].strip()
    quoted = text[segment.open : segment.end + 1].strip()
    inner = text[segment.open + 1 : segment.end]
    return line == quoted and not _ENDS_SENTENCE.search(inner) and len(inner.split()) <= _SUBHEADING_WORDS


def _about(text: str, segment: Segment, start: int) -> str:
    """``full``, ``partial`` or ``scare`` for one segment.

    A quote is full when it stands as a sentence: it opens a sentence or follows a
    colon, or follows a comma and starts with a capital (``said, "We ...``). Words
    quoted inside a sentence are partial; one or two of them are scare quotes.
    ``start`` is where the sentence holding the opening mark starts.
    """
    inner = text[segment.open + 1 : segment.end]
    if segment.continued:
        return "full"
    if len(inner.split()) <= _SCARE_WORDS:
        return "scare"
    before = text[min(start, segment.open) : segment.open].rstrip()
    if before.endswith(":"):
        return "full"
    capital = not inner.lstrip()[:1].islower()
    after_verb = before.rsplit(None, 1)[-1].lower() in lex.SPEECH if before else False
    return "full" if capital and (not before or before[-1] in _OPENS_AFTER or after_verb) else "partial"


def _pieces(text: str, segment: Segment, first: tuple[int, int]) -> list[tuple[int, int, str]]:
    """The quoted sentences of a full segment: ``(start, end, sentence)``, the span
    taking in the adjacent quote marks and ``sentence`` the article's sentence.

    The article's own sentence split is reused, clipped to the quote; a piece that
    starts in lower case (after a nested ``'...?'``) joins the one before it.
    ``first`` is the sentence holding the opening mark.
    """
    pieces: list[tuple[int, int, str]] = []
    cursor = segment.open + 1
    while cursor < segment.end:
        sentence_start, sentence_end = first if first[0] <= cursor < first[1] else sentence_span(text, cursor)
        start, end = max(sentence_start, cursor), min(sentence_end, segment.end)
        piece = text[start:end].lstrip(" \t\n\"'\u201c\u2018")
        if pieces and piece[:1].islower():
            pieces[-1] = (pieces[-1][0], end, pieces[-1][2])
        elif piece.strip():
            pieces.append((start, end, evidence(text, (sentence_start, sentence_end))))
        cursor = max(end, cursor + 1)
    if pieces:
        pieces[0] = (segment.open, *pieces[0][1:])
        if segment.closed:
            pieces[-1] = (pieces[-1][0], segment.end + 1, pieces[-1][2])
    return pieces


def _inside(offset: int, starts: list[int], spans: list[tuple[int, int]]) -> bool:
    """True when ``offset`` falls in one of the sorted, disjoint ``spans``."""
    index = bisect_right(starts, offset) - 1
    return index >= 0 and offset < spans[index][1]


class _Speakers:
    """Finds who speaks a quote from the people and organisations of the article."""

    def __init__(self, text: str, entities: list[Mention], quoted: list[tuple[int, int]]) -> None:
        self.text = text
        starts = [start for start, _ in quoted]
        outside = [m for m in entities if not _inside(m.start, starts, quoted)]
        self.people = [m for m in outside if m.kind == "person"]
        self.orgs = [m for m in outside if m.kind == "organisation"]
        self.person_starts = [m.start for m in self.people]

    def last_person(self, before: int) -> str:
        """The antecedent of ``he said`` at ``before``: the first person named in the
        last sentence before it that names one (the sentence's subject, usually)."""
        index = bisect_left(self.person_starts, before)
        if not index:
            return ""
        start, _ = sentence_span(self.text, self.people[index - 1].start)
        first = bisect_left(self.person_starts, start, 0, index)
        return self.people[first].value

    def _subject(self, lo: int, verb: re.Match[str]) -> str:
        """The person right before ``verb`` (an apposition allowed), else the first
        person named in ``[lo, verb)``: the subject of the reporting clause."""
        found = [m for m in self.people if lo <= m.start < verb.start()]
        if not found:
            return ""
        last = found[-1]
        if _DIRECT.match(self.text, last.start + len(last.text), verb.start()):
            return last.value
        return found[0].value

    def _nearest(self, pool: list[Mention], lo: int, hi: int, last: bool) -> str:
        """The value of the mention in ``[lo, hi)`` nearest ``hi`` (or ``lo``), or ""."""
        found = [m for m in pool if lo <= m.start < hi]
        return (found[-1] if last else found[0]).value if found else ""

    def before(self, lo: int, hi: int) -> str:
        """The speaker of a quote opening at ``hi``, said between ``lo`` and ``hi``."""
        verbs = list(_SPEECH.finditer(self.text, lo, hi))
        if not verbs:
            return ""
        return self._around(lo, verbs[-1], hi)

    def after(self, lo: int, hi: int) -> str:
        """The speaker of a quote closing at ``lo`` (``”, Bodiford said.``)."""
        verb = _SPEECH.search(self.text, lo, hi)
        return self._around(lo, verb, hi) if verb else ""

    def _around(self, lo: int, verb: re.Match[str], hi: int) -> str:
        """A person, a pronoun's antecedent, an organisation or a role next to ``verb``."""
        if verb.group() == "according to":
            reach = min(hi, verb.end() + _REACH)
            found = self._nearest(self.people + self.orgs, verb.end(), reach, last=False)
            return found or _capitalised(self.text[verb.end() : reach])
        before = self._subject(lo, verb)
        if not before and verb.group() in _NAME_FOLLOWS:
            before = self._nearest(self.people, verb.end(), min(hi, verb.end() + _REACH), last=False)
        if before:
            return before
        if _refers_back(self.text[max(lo, verb.start() - 40) : verb.start()]):
            return self.last_person(lo)
        org = self._nearest(self.orgs, lo, verb.start(), last=True)
        return org or _role(self.text[lo : verb.start()], self.text[verb.end() : hi])


def _refers_back(before: str) -> bool:
    """True when the words before a reporting verb point back at someone named
    earlier: a pronoun (``he said``) or ``the`` + role (``the senior officer wrote``)."""
    words = before.lower().replace(",", " ").split()[-3:]
    if words and words[-1] in _PRONOUNS:
        return True
    return len(words) >= 2 and words[-1] in lex.ROLES and "the" in words[:-1]


def _capitalised(text: str) -> str:
    """The capitalised words opening ``text`` (``Ward`` in ``Ward.``), or ""."""
    match = _CAPITALISED.match(text)
    return match.group(1).strip().rstrip(".,") if match else ""


def _role(before: str, after: str) -> str:
    """A role phrase next to a reporting verb (``Police``, ``senior officer``), or ""."""
    match = _PHRASE.search(before) or _PHRASE_AFTER.match(after)
    if not match:
        return ""
    words = match.group(1).split()
    while words and words[0].lower() in lex.FUNCTION:
        words.pop(0)
    if not words or any(word.lower() in lex.FUNCTION for word in words):
        return ""
    last = words[-1].lower()
    return " ".join(words) if last in lex.ROLES or last in lex.ORG_SUFFIX or last in lex.KNOWN_ORGS else ""


def _speaker(text: str, first: Segment, last: Segment, speakers: _Speakers, start: int) -> str:
    """The speaker of a passage from the words around its first and last segments.

    The windows stop at the sentence around the quote, and at a sentence end with
    no space after it (``cheerleader.\u201cShe was``), as some sites print them.
    ``start`` is where the sentence holding the first opening mark starts.
    """
    start = max(start, text.rfind("\n", 0, first.open) + 1)
    glued = list(_GLUED_END.finditer(text, start, first.open + 2))
    found = speakers.before(min(glued[-1].end(), first.open) if glued else start, first.open)
    if not found and last.closed:
        _, end = sentence_span(text, last.end)
        line_end = text.find("\n", last.end)
        end = min(end, line_end if line_end >= 0 else end)
        glued_after = _GLUED_END.search(text, last.end + 1, min(end + 2, len(text)))
        found = speakers.after(last.end + 1, glued_after.end() if glued_after else end)
    return found


def _passages(text: str) -> list[list[Segment]]:
    """Segments grouped by passage, headline and subheading quotes left out."""
    headline = _headline_end(text)
    grouped: dict[int, list[Segment]] = {}
    for segment in segments(text):
        if segment.open < headline or _is_heading(text, segment):
            continue
        grouped.setdefault(segment.passage, []).append(segment)
    return list(grouped.values())


def find_quotes(text: str, people: list[Mention]) -> list[Mention]:
    """Quotations in ``text`` with their speakers, in text order.

    A full quote gives one mention per quoted sentence, so that the same sentence
    in two articles can be compared word for word; a quote running over several
    paragraphs keeps one speaker. ``about`` is ``full``, ``partial`` (words quoted
    inside a reporting sentence) or ``scare`` (one or two quoted words, speaker
    kept). ``value`` is the quoted words folded to ASCII quotes, spaces collapsed,
    end punctuation dropped; ``text`` the surface with its adjacent quote marks.
    Quotes in a headline line and quoted subheadings (``'Abuse of position'``) are
    dropped: they are not anyone's words.

    ``people`` are the article's entity mentions (see ``find_entities``): the
    speaker is a person when one is named, else an organisation or a role phrase
    next to the reporting verb, else "". A passage with no reporting verb of its own
    takes the speaker of a quote in the same or the previous paragraph.
    """
    passages = _passages(text)
    quoted = [(s.open, s.end + 1) for passage in passages for s in passage]
    speakers = _Speakers(text, sorted(people, key=lambda m: m.start), quoted)
    mentions: list[Mention] = []
    previous, previous_end = "", -1
    for passage in passages:
        sentences = [sentence_span(text, segment.open) for segment in passage]
        abouts = [_about(text, segment, span[0]) for segment, span in zip(passage, sentences)]
        speaker = _speaker(text, passage[0], passage[-1], speakers, sentences[0][0])
        near = text.count("\n", previous_end, passage[0].open) <= 2
        if not speaker and near and abouts[0] == "full":
            speaker = previous
        for segment, about, span in zip(passage, abouts, sentences):
            mentions.extend(_mentions(text, segment, about, speaker, span))
        previous, previous_end = speaker, passage[-1].end
    return mentions


def _mentions(text: str, segment: Segment, about: str, speaker: str, span: tuple[int, int]) -> list[Mention]:
    """The quote mentions of one segment: one per sentence when it is a full quote.

    ``span`` is the sentence holding the opening mark.
    """
    if about == "full":
        pieces = _pieces(text, segment, span)
    else:
        end = segment.end + 1 if segment.closed else segment.end
        pieces = [(segment.open, end, text[span[0] : span[1]])]
    found = []
    inner_end = segment.end if segment.closed else segment.end + 1
    for start, end, sentence in pieces:
        value = _normalise(text[max(start, segment.open + 1) : min(end, inner_end)])
        if value:
            found.append(Mention("quote", value, text[start:end], sentence, about, speaker, start=start))
    return found
