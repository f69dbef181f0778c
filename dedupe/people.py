"""Who an article is about: the surnames of the people it names, its lead and its principal, and their scorers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from .normalize import tokens
from .types import Fields

#: Words after a surname that are not one ("Norris Greenhouse Jr.").
_GENERATIONS = frozenset({"jr", "sr", "ii", "iii", "iv"})
#: How often the text must name a person for the headline's person to be the article's principal.
PRINCIPAL_MENTIONS = 3


def surname(name: str) -> str | None:
    """The lower-cased last word of a person's name that is not a generation; None when there is none.

    >>> surname("Norris Greenhouse Jr."), surname("Vincent Jackson")
    ('greenhouse', 'jackson')
    """
    words = [word for word in tokens(name) if word not in _GENERATIONS]
    return words[-1] if words else None


def lead_people(fields: Fields) -> tuple[str, ...]:
    """The lower-cased surnames of the people an article names, its *lead* first: the person it names most often,
    at least twice (ties: the shorter name, then the first in alphabetical order), then the others sorted. Empty
    when no person is named twice: an article without a protagonist has no lead to compare.

    Example: an article naming "Vincent Jackson" three times and "Jamal Williams" once gives
    ``("jackson", "williams")``.
    """
    counts = Counter(m.value.lower() for m in fields.mentions if m.kind == "person")
    if not counts:
        return ()
    lead, mentioned = min(counts.items(), key=lambda item: (-item[1], len(item[0]), item[0]))
    first = surname(lead)
    if mentioned < 2 or first is None:
        return ()
    return (first, *sorted({surname(name) for name in counts} - {first, None}))


def principal_person(fields: Fields) -> tuple[str, ...]:
    """The article's *principal*, the person its headline is about, then the words of its headline (sorted, each
    once), then ``""`` and the surnames its text names as often as a principal must be (sorted): empty when it
    has none. The principal is the surname its headline names that its text names most often, at least
    :data:`PRINCIPAL_MENTIONS` times, counting every mention of that surname ("Jackson" and "Vincent Jackson"
    are one person; ties: the first surname in alphabetical order).

    The most named person alone is often a quoted official or a photographer's credit; the one in the headline
    and named throughout the text is who the event happened to.

    Example: headline "Chargers' Jackson arrested on suspicion of DUI", text naming "Vincent Jackson" five
    times and "Norv Turner" once gives ``("jackson", "arrested", "chargers", "dui", "jackson", "of", "on",
    "suspicion", "", "jackson")``.
    """
    counts = Counter(surname(m.value) for m in fields.mentions if m.kind == "person")
    words = sorted(set(tokens(fields.headline)))
    often = sorted(name for name, count in counts.items() if name is not None and count >= PRINCIPAL_MENTIONS)
    named = [(-counts[name], name) for name in often if name in words]
    return (min(named)[1], *words, "", *often) if named else ()


def _parts(principal: Sequence[str]) -> tuple[Sequence[str], Sequence[str]]:
    """A :func:`principal_person` tuple's headline words and the people its text names often (empty when the
    tuple was made before they were kept)."""
    try:
        cut = principal.index("", 1)
    except ValueError:
        return principal[1:], ()
    return principal[1:cut], principal[cut + 1:]


def lead_named(a: Sequence[str], b: Sequence[str]) -> float | None:
    """1.0 when each side's lead person is among the other's people, else 0; None when either has no lead.

    Each side is :func:`lead_people`'s tuple: the lead's surname first, then the other people
    named. Two reports of one event are about the same protagonist and each names the other's; a look-alike
    event (another player's arrest, another coach's firing) has a protagonist of its own.

    Example: ``lead_named(("jackson", "rivers"), ("jackson",))`` is ``1.0``;
    ``lead_named(("jackson",), ("williams", "jackson"))`` is ``0.0`` (Williams is not named on the left).
    """
    if not a or not b:
        return None
    return 1.0 if a[0] in b and b[0] in a else 0.0


def principal_agree(a: Sequence[str], b: Sequence[str]) -> float | None:
    """0.0 when two articles' principals (:func:`principal_person`) differ, neither is a word of the other's
    headline and they are not both named often (:data:`PRINCIPAL_MENTIONS` times) by both texts, else 1.0; None
    when either has no principal.

    Declared with neutral 1, so agreement is no evidence and a conflict costs the comparison's weight: two
    reports of one event put the same person in their headlines, while a look-alike event of the same kind
    (another player arrested, another coach fired) is about someone else. Two actors of one event (a
    resignation and the successor, a sermon and the rally it warned) may each lead one report, but then each
    report names both throughout.

    Example: ``principal_agree(("jackson", "arrested", "jackson"), ("williams", "arrested", "williams"))`` is
    ``0.0``; with "jackson" among the second headline's words it is ``1.0``, and so it is with
    ``("blair", "blair", "resigns", "", "blair", "brown")`` and ``("brown", "brown", "new", "", "blair",
    "brown")``.
    """
    if not a or not b:
        return None
    words_a, often_a = _parts(a)
    words_b, often_b = _parts(b)
    if a[0] in words_b or b[0] in words_a:
        return 1.0
    return 1.0 if a[0] in often_b and b[0] in often_a else 0.0
