"""Profiles held column-wise: one buffer of headlines, numbered values, code runs for sets, rows into the weights."""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .corpusweights import CorpusWeights
    from .profile import Profile


class TextColumn:
    """One string per row, held as UTF-8 (lone surrogates kept) in one buffer with each row's end offset:
    ~1 byte a character and 8 a row, where a ``str`` object costs ~50 bytes more.

    Example: ``column = TextColumn(); column.append("Flood"); column[0]`` is ``"Flood"``.
    """

    def __init__(self) -> None:
        self.data, self.ends = bytearray(), array("q")

    def append(self, text: str) -> None:
        """Add the next row's string."""
        self.data += text.encode("utf-8", "surrogatepass")
        self.ends.append(len(self.data))

    def __getitem__(self, row: int) -> str:
        start = self.ends[row - 1] if row else 0
        return self.data[start : self.ends[row]].decode("utf-8", "surrogatepass")

    def __len__(self) -> int:
        return len(self.ends)


class CodeColumn:
    """A run of strings per row (one string, or a set's members in its iteration order), each distinct string
    numbered once: a row costs 8 bytes and 4 a member, a distinct string one object.

    Example: ``column = CodeColumn(); column.append(["2018-10"]); column.strings(0)`` is ``["2018-10"]``.
    """

    def __init__(self) -> None:
        self.values: list[str] = []
        self.numbers: dict[str, int] = {}
        self.codes, self.ends = array("i"), array("q")

    def append(self, strings: Iterable[str]) -> None:
        """Add the next row's strings."""
        numbers, values = self.numbers, self.values
        for text in strings:
            code = numbers.get(text)
            if code is None:
                code = numbers[text] = len(values)
                values.append(text)
            self.codes.append(code)
        self.ends.append(len(self.codes))

    def run(self, row: int) -> array:
        """The codes of row ``row``, in the order they were added."""
        return self.codes[self.ends[row - 1] if row else 0 : self.ends[row]]

    def strings(self, row: int) -> list[str]:
        """The strings of row ``row``, in the order they were added."""
        values = self.values
        return [values[code] for code in self.run(row)]

    def first(self, row: int) -> str:
        """The one string of a row added as a single value."""
        return self.values[self.codes[self.ends[row - 1] if row else 0]]

    def __len__(self) -> int:
        return len(self.ends)


def value_rarities(column: CodeColumn, rarity: Callable[[int, int], float]) -> list[float]:
    """Each distinct string's ``rarity(frequency, rows)``: ``frequency`` the rows holding it (a row holds a
    string at most once), computed once per distinct frequency (the same floats as per row)."""
    frequency = [0] * len(column.values)
    for code in column.codes:
        frequency[code] += 1
    known = {n: rarity(n, len(column)) for n in set(frequency)}
    return [known[n] for n in frequency]


class ProfileColumns(Mapping[str, "Profile"]):
    """The light profiles of a corpus (see :class:`~dedupe.profile.ProfileTable`), held column-wise.

    ``columns[article_id]`` builds the :class:`~dedupe.profile.Profile` on each read: its weights are row
    views of ``terms`` and ``names``, its dates a frozenset, its numbers a dict sorted by value with each
    value's rarity. Held per article: the headline's UTF-8, a day, numbered places and outlets, the codes of
    its dates, counts and people and its row in the id index (~200 bytes besides the headline), where a profile of
    Python objects costs ~2 KB. ``column(field, ids)`` reads one field of many rows without building profiles.
    """

    def __init__(self, ids: Sequence[str], days: array, outlets: CodeColumn, kept: KeptColumns,
                 terms: CorpusWeights, names: CorpusWeights, rarity: Callable[[int, int], float]) -> None:
        self.ids, self.days, self.outlets, self.kept = list(ids), days, outlets, kept
        self.rows = {article_id: row for row, article_id in enumerate(self.ids)}
        self.terms, self.names = terms, names
        self.rarity = value_rarities(kept.counts, rarity)

    def readers(self) -> dict[str, Callable[[int], Any]]:
        """Each field's reader of a row (made on each call: kept on ``self``, its bound methods would make a
        reference cycle, which a run, its cyclic collection paused, would never free)."""
        kept = self.kept
        return {"article_id": self.ids.__getitem__, "headline": kept.headlines.__getitem__,
                "place": kept.places.first, "outlet": self.outlets.first, "day": self.day,
                "terms": self.terms.row, "names": self.names.row, "dates": self.dates, "numbers": self.numbers,
                "people": self.people, "principal": self.principal}

    def day(self, row: int) -> dt.date | None:
        """Row ``row``'s publication day."""
        ordinal = self.days[row]
        return dt.date.fromordinal(ordinal) if ordinal else None

    def dates(self, row: int) -> frozenset[str]:
        """Row ``row``'s event dates."""
        return frozenset(self.kept.dates.strings(row))

    def numbers(self, row: int) -> dict[str, float]:
        """Row ``row``'s counts with their rarities, sorted by value."""
        values, rarity = self.kept.counts.values, self.rarity
        return {values[code]: rarity[code] for code in sorted(self.kept.counts.run(row), key=values.__getitem__)}

    def people(self, row: int) -> tuple[str, ...]:
        """Row ``row``'s people, lead first."""
        return tuple(self.kept.people.strings(row))

    def principal(self, row: int) -> tuple[str, ...]:
        """Row ``row``'s principal, then its headline's words, ``""`` and the people named often (empty: none)."""
        return tuple(self.kept.principal.strings(row))

    def row(self, article_id: str) -> int:
        """The row of ``article_id`` (its place in the weight matrices)."""
        return self.rows[article_id]

    def column(self, field: str, ids: Iterable[str]) -> Iterator[Any]:
        """``getattr(self[i], field)`` for each of ``ids``, without building the profiles."""
        read, rows = self.readers()[field], self.rows
        return (read(rows[article_id]) for article_id in ids)

    def __getitem__(self, article_id: str) -> Profile:
        from .profile import Profile

        row = self.rows[article_id]
        return Profile(**{name: read(row) for name, read in self.readers().items()})

    def __contains__(self, article_id: object) -> bool:
        return article_id in self.rows

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)


class KeptColumns:
    """What :class:`~dedupe.profile.ProfileBuilder` keeps of each source besides its counted terms and names:
    headline, lower-cased place, dates, counts, people and principal, column-wise (see :class:`ProfileColumns`)."""

    def __init__(self) -> None:
        self.headlines, self.places = TextColumn(), CodeColumn()
        self.dates, self.counts, self.people = CodeColumn(), CodeColumn(), CodeColumn()
        self.principal = CodeColumn()

    def add(self, headline: str, place: str, dates: Iterable[str], counts: Iterable[str],
            people: Iterable[str] = (), principal: Iterable[str] = ()) -> None:
        """Keep the next article's values (``people`` and ``principal`` in order, lead and principal first)."""
        self.headlines.append(headline)
        self.places.append((place,))
        self.dates.append(dates)
        self.counts.append(counts)
        self.people.append(people)
        self.principal.append(principal)

    def __len__(self) -> int:
        return len(self.headlines)


def day_ordinals(days: Iterable[dt.date | None]) -> array:
    """Days as ordinals (0: no day), as :class:`ProfileColumns` holds them."""
    return array("i", (day.toordinal() if day else 0 for day in days))


def field_of(light: Mapping[str, Profile], ids: Iterable[str], field: str) -> Iterator[Any]:
    """``getattr(light[i], field)`` for each of ``ids``: from the column when ``light`` is a
    :class:`ProfileColumns`, so no profile is built."""
    if isinstance(light, ProfileColumns):
        return light.column(field, ids)
    return (getattr(light[article_id], field) for article_id in ids)
