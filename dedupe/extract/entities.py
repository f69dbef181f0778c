"""Named entities (people, organisations, places) found by rules and shipped word lists."""

from __future__ import annotations

import re
from itertools import pairwise

from ..types import Mention
from ._classify import Found, classify
from ._names import candidates
from ._runs import Run, is_acronym
from ._text import evidence, sentence_span

_ACRONYM_GAP = re.compile(r"\s*\(\s*")
_POSSESSIVES = ("'s", "\u2019s")
_KINDS = frozenset({"person", "organisation", "place"})


def _with_prefixes(text: str, found: list[Found]) -> list[Found]:
    """Add the organisation or place that starts a title (``Devon and Cornwall Police``
    in ``Devon and Cornwall Police Chief Constable Shaun Sawyer``)."""
    out = []
    for item in found:
        if item.prefix > 0:
            run = item.run
            head = classify(text, Run(run.words[: item.prefix], run.starts[: item.prefix]))
            if head.kind in ("organisation", "place"):
                out.append(head)
        out.append(item)
    return out


def _apply_titles(text: str, found: list[Found]) -> None:
    """Give a title-only run (``Deputy Chief Constable,``) to the name right after it."""
    for item, following in pairwise(found):
        if item.kind != "title":
            continue
        gap = text[item.run.end : following.run.start]
        if gap.strip(" ,") == "" and following.kind in ("person", ""):
            following.kind = "person"
            following.about = following.about or item.about
            following.name_words = following.name_words or len(following.run.words)


def _surname(value: str) -> str:
    """The key a short reference uses for a full name: its last word, lower-cased."""
    last = value.split()[-1].lower()
    return last[3:] if last.startswith(("al-", "el-")) else last


def _full_names(found: list[Found]) -> dict[str, list[tuple[int, str]]]:
    """Index the full names by surname and by ``^`` + first name.

    A two-word name becomes the one longer spelling with the same first and last
    words (``Emad Hassan`` -> ``Emad Abdullah Hassan``); two longer spellings that
    differ (``Arthur Hays Sulzberger``, ``Arthur Ochs Sulzberger``) stay apart.
    """
    full = [item for item in found if item.kind == "person" and item.name_words >= 2]
    longer: dict[tuple[str, str], set[str]] = {}
    for item in full:
        if item.value.count(" ") >= 2:
            longer.setdefault((item.value.split()[0].lower(), _surname(item.value)), set()).add(item.value)
    index: dict[str, list[tuple[int, str]]] = {}
    for item in full:
        first = item.value.split()[0].lower()
        variants = longer.get((first, _surname(item.value)), set())
        if item.value.count(" ") == 1 and len(variants) == 1:
            item.value = next(iter(variants))
        index.setdefault(_surname(item.value), []).append((item.run.start, item.value))
        index.setdefault("^" + first, []).append((item.run.start, item.value))
    return index


def _resolve_people(found: list[Found]) -> None:
    """Point short references (``Nye``, ``DCC Nye``, ``Mr Nye``) at the full name.

    A one-word name (or an unknown word, or a place such as ``Jackson``) that is
    the surname or first name of a full name in the article becomes that person:
    the nearest one named before it, else the first named after it.
    """
    index = _full_names(found)
    for item in found:
        if item.kind not in ("person", "", "place") or " " in item.value:
            continue
        options = index.get(_surname(item.value))
        if not options and item.kind != "place":
            options = index.get("^" + item.value.lower())
        if not options:
            continue
        earlier = [value for start, value in options if start < item.run.start]
        item.value = earlier[-1] if earlier else options[0][1]
        item.kind = "person"


def _resolve_acronyms(text: str, found: list[Found]) -> None:
    """Map a long form and its acronym (``... Conduct (IOPC)``) to the acronym."""
    long_forms: dict[str, str] = {}
    for item, following in pairwise(found):
        short = following.value
        if text[following.run.start - 1 : following.run.start] != "(" or not is_acronym(short):
            continue
        if not _ACRONYM_GAP.fullmatch(text, item.run.end, following.run.start):
            continue
        initials = "".join(word[0] for word in item.value.split() if word[0].isupper())
        if initials.startswith(short[0]) and len(short) <= len(initials) + 1:
            long_forms[short] = item.value
            item.kind = following.kind = item.kind or "organisation"
    for item in found:
        if item.value in long_forms:
            item.about = long_forms[item.value]
        elif item.value in long_forms.values():
            item.about = item.value
            item.value = next(k for k, v in long_forms.items() if v == item.value)


def find_entities(text: str) -> list[Mention]:
    """People, organisations and places named in ``text``, in text order.

    ``value`` is the canonical name (titles stripped, short references resolved:
    ``DCC Nye`` -> ``Jim Nye``; a defined acronym and its long form both give the
    acronym, with the long form in ``about``); ``about`` holds a person's title or
    role (``Deputy Chief Constable``); ``text`` is the surface form at ``start``.
    """
    found = _with_prefixes(text, [classify(text, run) for run in candidates(text)])
    _apply_titles(text, found)
    _resolve_people(found)
    _resolve_acronyms(text, found)
    mentions = []
    sentence, sentence_start, sentence_end = "", 0, -1
    for item in found:
        if item.kind not in _KINDS or not item.value:
            continue
        start, end = item.run.start, item.run.end
        end -= 2 if item.run.words[-1].endswith(_POSSESSIVES) else 0
        if not sentence_start <= start < sentence_end:
            sentence_start, sentence_end = sentence_span(text, start)
            sentence = evidence(text, (sentence_start, sentence_end))
        mentions.append(Mention(item.kind, item.value, text[start:end], sentence, item.about, start=start))
    return mentions
