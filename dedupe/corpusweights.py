"""TF-IDF weights of a whole corpus as one sparse matrix, read row by row through dict-like views."""

from __future__ import annotations

import itertools
import math
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from .countstore import ENTRIES_PER_WRITE, CountSpool, count_matrix_of
from .vectors import Weights, sorted_rows

#: Documents weighted at a time in the second pass: bounds the temporary arrays.
DOCUMENTS_PER_BLOCK = 2048

#: Entries read at a time to count the document frequencies (40 MB of columns read back from a spool).
ENTRIES_PER_READ = 2**23


class CountSource(Protocol):
    """Counted entries readable by range (held in memory, or a :class:`~dedupe.countstore.CountSpool`)."""

    def read(self, start: int, end: int) -> tuple[np.ndarray, np.ndarray]:
        """The columns (int32) and counts of entries ``start`` to ``end``."""
        ...


@dataclass(frozen=True)
class CorpusWeights:
    """One row of weights per document: ``matrix`` (see :class:`vectors.Weights`) over the
    columns ``terms`` (``columns`` maps a term back to its column).

    Weighed by :func:`tfidf_weights`, ``matrix`` is a :class:`~dedupe.countstore.CountMatrix`: a row costs 7 bytes
    a key (count as one byte while every count is under 256, column, place as uint16 while no row has 65,536 keys),
    where a :class:`~dedupe.vectors.WeightMatrix` costs 14 and a dict ~70.
    """

    terms: list[str]
    columns: dict[str, int]
    matrix: Weights

    def __len__(self) -> int:
        return len(self.matrix.sizes)

    def row(self, index: int) -> WeightRow:
        """Row ``index`` as a read-only mapping."""
        return WeightRow(self, index)

    def ordered(self, index: int) -> tuple[list[str], list[float]]:
        """Row ``index``'s keys and weights, in the iteration order of the dict it stands for."""
        positions = self.matrix.positions
        start, end = int(positions.indptr[index]), int(positions.indptr[index + 1])
        order = np.argsort(positions.data[start:end])
        columns, weights = self.matrix.row(index)
        terms = self.terms
        return [terms[c] for c in columns[order].tolist()], weights[order].tolist()


class WeightRow(Mapping[str, float]):
    """One document's weights, read-only, iterated in the order :func:`tfidf_weights` gave them.

    Reads like the ``dict`` it replaces (``compare.cosine`` and ``salient_keys`` take it as is);
    ``items()`` and ``values()`` are lists. Pickled, it becomes a plain ``dict``.
    Example: ``dict(tfidf_weights([["a", "b"]]).row(0))`` is ``{"a": 0.707..., "b": 0.707...}``.
    """

    __slots__ = ("corpus", "index")

    def __init__(self, corpus: CorpusWeights, index: int) -> None:
        self.corpus, self.index = corpus, index

    def __len__(self) -> int:
        return int(self.corpus.matrix.sizes[self.index])

    def __iter__(self) -> Iterator[str]:
        return iter(self.corpus.ordered(self.index)[0])

    def __getitem__(self, key: str) -> float:
        column = self.corpus.columns.get(key)
        matrix = self.corpus.matrix
        positions = matrix.positions
        start, end = int(positions.indptr[self.index]), int(positions.indptr[self.index + 1])
        if column is not None:
            at = start + int(np.searchsorted(positions.indices[start:end], column))
            if at < end and positions.indices[at] == column:
                return matrix.weight(at, self.index)
        raise KeyError(key)

    def items(self) -> list[tuple[str, float]]:  # type: ignore[override]
        """The (key, weight) pairs in order."""
        return list(zip(*self.corpus.ordered(self.index)))

    def values(self) -> list[float]:  # type: ignore[override]
        """The weights in order."""
        return self.corpus.ordered(self.index)[1]

    def __repr__(self) -> str:
        return repr(dict(self.items()))

    def __reduce__(self) -> tuple[Any, ...]:
        return dict, (self.items(),)


#: An IDF: the terms (one per column), their document frequencies and the number of documents -> weights.
InverseFrequency = Callable[[list[str], np.ndarray, int], np.ndarray]


def inverse_frequencies(terms: list[str], frequency: np.ndarray, documents: int) -> np.ndarray:
    """The smoothed IDF ``log((documents + 1) / df)`` of each term's document frequency (the default
    :data:`InverseFrequency`; ``terms`` are not read).

    Example: ``inverse_frequencies(["a", "b"], np.array([1, 3]), 3)`` is ``[log(4), log(4 / 3)]``.
    """
    return np.array([math.log((documents + 1) / n) for n in frequency.tolist()], dtype=np.float64)


#: The ``array`` type codes a :class:`TermCounts` holds its counts in, narrowest first, with the largest count each
#: holds: a count is almost always under 256, so one byte an entry until a larger one comes.
COUNT_CODES: tuple[tuple[str, int], ...] = (("B", 2**8 - 1), ("H", 2**16 - 1), ("i", 2**31 - 1))
_LARGEST = dict(COUNT_CODES)


class TermCounts:
    """The first pass of :func:`tfidf_weights`, fed one document at a time: each document's distinct terms
    (as columns, in first-seen order) and their counts, flat, with the number per document; one string per
    distinct term. Documents may be counted where they are read (a worker) and added here as counters.

    The counts are held in the narrowest of :data:`COUNT_CODES` that holds every count so far (widened when a
    larger one comes): 5 bytes an entry with its column, where two int32 took 8 (a run holds them all through
    extraction: ~330 entries an article on the generated corpus). ``spooled``: every
    :data:`~dedupe.countstore.ENTRIES_PER_WRITE` entries go to a :class:`~dedupe.countstore.CountSpool` (temporary
    files), so only the documents' sizes stay in memory and the weighing reads the entries back a block at a time.
    Example: ``counts = TermCounts(); counts.add(Counter(["fire", "crew", "fire"])); counts.weights()``.
    """

    def __init__(self, spooled: bool = False) -> None:
        self.columns: dict[str, int] = {}
        self.keys, self.counts, self.sizes = array("i"), array(COUNT_CODES[0][0]), array("q")
        self.spool = CountSpool() if spooled else None

    def add(self, seen: Mapping[str, int]) -> None:
        """Count one document, given as its terms' counts in first-seen order (a ``Counter`` of its terms)."""
        columns = self.columns
        self.keys.extend([columns.setdefault(t, len(columns)) for t in seen])
        counts = list(seen.values())
        top = max(counts, default=0)
        if top > _LARGEST[self.counts.typecode]:
            self.counts = widened(self.counts, top)
        self.counts.extend(counts)
        self.sizes.append(len(seen))
        if self.spool is not None and len(self.keys) >= ENTRIES_PER_WRITE:
            self._write()

    def add_columns(self, keys: np.ndarray, counts: np.ndarray, sizes: np.ndarray) -> None:
        """Count several documents given as their entries' columns (already in :attr:`columns`) and counts, with
        each document's number of entries (as :class:`~dedupe.fieldstream.TermDecoder` hands them)."""
        top = int(counts.max(initial=0))
        if top > _LARGEST[self.counts.typecode]:
            self.counts = widened(self.counts, top)
        self.keys.frombytes(keys.astype(np.int32, copy=False).tobytes())
        self.counts.frombytes(counts.astype(self.counts.typecode, copy=False).tobytes())
        self.sizes.frombytes(sizes.astype(np.int64).tobytes())
        if self.spool is not None and len(self.keys) >= ENTRIES_PER_WRITE:
            self._write()

    def weights(self, idf: InverseFrequency = inverse_frequencies) -> CorpusWeights:
        """The documents counted so far, weighed (see :func:`tfidf_weights`; ``idf`` as there)."""
        sizes = np.frombuffer(self.sizes, dtype=np.int64) if len(self.sizes) else np.zeros(0, dtype=np.int64)
        if self.spool is None:
            return _weighed(self.columns, _HeldCounts(self.keys, self.counts), sizes, idf)
        self._write()
        return _weighed(self.columns, self.spool, sizes, idf)

    def close(self) -> None:
        """Delete the spool's files, if any (once weighed, the counts are not read again)."""
        if self.spool is not None:
            self.spool.close()

    def _write(self) -> None:
        """The entries held in memory written to the spool (the counts' type kept)."""
        assert self.spool is not None
        self.spool.write(self.keys, self.counts)
        self.keys, self.counts = array("i"), array(self.counts.typecode)


class _HeldCounts:
    """Entries held in memory, read by range as a :class:`~dedupe.countstore.CountSpool` reads its files."""

    def __init__(self, keys: array, counts: array) -> None:
        self.entries = len(keys)
        self.keys = np.frombuffer(keys, dtype=np.int32) if len(keys) else np.zeros(0, dtype=np.int32)
        self.counts = np.frombuffer(counts, dtype=counts.typecode) if len(counts) else np.zeros(0, dtype=np.uint8)

    def read(self, start: int, end: int) -> tuple[np.ndarray, np.ndarray]:
        """The columns and counts of entries ``start`` to ``end``."""
        return self.keys[start:end], self.counts[start:end]


def widened(counts: array, largest: int) -> array:
    """``counts`` copied into the narrowest type of :data:`COUNT_CODES` that holds ``largest`` too (an
    ``OverflowError`` past int32, as the int32 counts raised). Example: ``widened(array("B", [3]), 300)``
    is ``array("H", [3])``."""
    code = next((code for code, top in COUNT_CODES if top >= largest), COUNT_CODES[-1][0])
    return array(code, counts)


@dataclass(frozen=True)
class _Counts:
    """What the first pass found (see :class:`TermCounts`), with the TF of each count and IDF of each column."""

    entries: CountSource
    sizes: np.ndarray
    starts: np.ndarray
    tf: np.ndarray
    idf: np.ndarray

    def weigh(self, first: int, last: int) -> tuple[np.ndarray, ...]:
        """Documents ``first:last`` weighed: their sizes, then their columns, counts and places (as
        :func:`vectors.sorted_rows` gives them), zero weights dropped as the dicts drop them, then their norms
        (an entry weighs ``(tf[count] * idf[column]) / norm``)."""
        keys, counts = self.entries.read(int(self.starts[first]), int(self.starts[last]))
        raw = self.tf[counts] * self.idf[keys]
        squares, bounds = (raw * raw).tolist(), (self.starts[first:last + 1] - self.starts[first]).tolist()
        norms = np.array([math.sqrt(sum(squares[a:b])) or 1.0 for a, b in itertools.pairwise(bounds)],
                         dtype=np.float64)
        mask = raw / np.repeat(norms, self.sizes[first:last]) > 0
        rows = np.repeat(np.arange(last - first), self.sizes[first:last])
        kept = np.bincount(rows[mask], minlength=last - first)
        return (kept, *sorted_rows(kept, keys[mask], counts[mask]), norms)


def tfidf_weights(documents: Iterable[Iterable[str]], idf: InverseFrequency = inverse_frequencies) -> CorpusWeights:
    """Sublinear TF times smoothed IDF, L2-normalised, per document (see :func:`profile.tfidf`), as one
    matrix. The documents are read once, one at a time; every weight is the one the dict
    arithmetic gives (the same products, the norm summed by Python's ``sum`` in key order).
    ``idf`` weighs the terms (``bench/idf_screen.py`` tries others than the default).
    """
    counted = TermCounts()
    for terms in documents:
        counted.add(Counter(terms))
    return counted.weights(idf)


def _weighed(columns: dict[str, int], entries: CountSource, sizes: np.ndarray,
             idf: InverseFrequency) -> CorpusWeights:
    """The second pass: the counted documents weighed block by block into one matrix."""
    total, length = len(sizes), int(sizes.sum())
    frequency, tf = _frequencies(entries, length, len(columns))
    raw = _Counts(entries, sizes, np.r_[0, np.cumsum(sizes)], tf, idf(list(columns), frequency, total))
    places = np.uint16 if int(sizes.max(initial=0)) < 2**16 else np.float32  # a place is at most a row's size
    held = np.uint8 if len(tf) <= 2**8 else np.uint16 if len(tf) <= 2**16 else np.int32  # holds the largest count
    out = (np.empty(length, dtype=np.int32), np.empty(length, dtype=held), np.empty(length, dtype=places))
    kept, norms, filled = np.empty(total, dtype=np.int64), np.empty(total, dtype=np.float64), 0
    for first in range(0, total, DOCUMENTS_PER_BLOCK):
        last = min(total, first + DOCUMENTS_PER_BLOCK)
        block = raw.weigh(first, last)
        kept[first:last], norms[first:last] = block[0], block[-1]
        end = filled + len(block[1])
        for target, values in zip(out, block[1:-1]):
            target[filled:end] = values
        filled = end
    scales = (tf, raw.idf, norms)
    matrix = count_matrix_of(kept, out[0][:filled], out[1][:filled], out[2][:filled], scales, len(columns))
    return CorpusWeights(list(columns), columns, matrix)


def _frequencies(entries: CountSource, length: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Each column's document frequency (the entries naming it) and the TF of each count up to the largest
    (``1 + log(n)``; 0 where no entry has the count), read :data:`ENTRIES_PER_READ` entries at a time."""
    frequency, distinct = np.zeros(width, dtype=np.int64), set()
    for start in range(0, length, ENTRIES_PER_READ):
        keys, counts = entries.read(start, min(length, start + ENTRIES_PER_READ))
        frequency += np.bincount(keys, minlength=width)
        distinct.update(np.unique(counts).tolist())
    tf = np.zeros(max(distinct, default=0) + 1)
    for n in distinct:
        tf[n] = 1.0 + math.log(n)
    return frequency, tf
