"""Counted terms sent from extraction workers as numbers: a worker numbers its terms, sends each new one once."""

from __future__ import annotations

import itertools
import os
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from .corpusweights import COUNT_CODES, TermCounts

#: Who numbered a chunk's terms: ``(run, process id, kind, generation)`` of a worker's lasting :class:`TermCoder`,
#: or ``None`` for terms numbered afresh for that chunk alone.
Token = tuple[int, int, str, int] | None
#: Terms a lasting coder numbers before the next chunk starts a new one (a new token, so numbers from 0 again):
#: a worker's memory for the numbering stays bounded (~100 MB) on a corpus of a large vocabulary; the parent keeps
#: 4 bytes a term of each coder it met.
MAX_TERMS = 1 << 20

_RUNS = itertools.count(1)


@dataclass(frozen=True)
class CodedCounts:
    """Several documents' term counts (``Counter``s, terms in first-seen order) as numbers.

    ``keys`` holds each entry's term number (int32), ``counts`` its count (array type code ``code``), ``sizes``
    each document's number of entries (int32). Terms are numbered from 0 in first-seen order by the coder named
    ``token``; ``new`` are the terms it numbered for these documents, ``base`` to ``base + len(new) - 1``. A
    worker's lasting coder sends a term once per run: over the first 10k articles of the generated corpus, 84k
    strings for 2.4M entries (a late chunk of 64 articles ~100, where its counters held ~19,000).
    Example: ``TermCoder(None).code([Counter("abca")])`` has ``new == ["a", "b", "c"]`` and keys ``0, 1, 2``.
    """

    token: Token
    base: int
    new: list[str]
    keys: bytes
    counts: bytes
    code: str
    sizes: bytes


class TermCoder:
    """Numbers terms in first-seen order, across all the documents it codes (see :class:`CodedCounts`)."""

    def __init__(self, token: Token) -> None:
        self.token, self.numbers = token, {}

    def code(self, documents: Iterable[Mapping[str, int]]) -> CodedCounts:
        """The documents' counts as numbers; the terms not seen before in ``new``."""
        numbers: dict[str, int] = self.numbers
        base, keys, counts, sizes, known = len(numbers), array("i"), [], array("i"), numbers.get
        for document in documents:
            found = list(map(known, document))  # ~17% faster than a setdefault per term
            if None in found:
                for at, term in enumerate(document):
                    if found[at] is None:
                        found[at] = numbers[term] = len(numbers)
            keys.extend(found)
            counts.extend(document.values())
            sizes.append(len(document))
        new = list(itertools.islice(reversed(numbers), len(numbers) - base))[::-1]
        top = max(counts, default=0)
        code = next((code for code, largest in COUNT_CODES if largest >= top), COUNT_CODES[-1][0])
        return CodedCounts(self.token, base, new, keys.tobytes(), array(code, counts).tobytes(), code,
                           sizes.tobytes())


#: This process's lasting coders, by run, process id and kind (those of an earlier run, or of the process it was
#: forked from, go; one past ``MAX_TERMS`` is replaced by its next generation).
_coders: dict[tuple[int, int, str], TermCoder] = {}


def coder_for(run: int | None, kind: str) -> TermCoder:
    """The coder of this process for ``run`` and ``kind`` (``"terms"``, ``"names"``), lasting across chunks;
    a new one for each call when ``run`` is None.

    A lasting coder is only right where each process is handed its chunks in order and the chunks are read back
    in order (a :class:`~dedupe.engine.LocalEngine`'s forked workers): :class:`TermDecoder` checks it.
    """
    if run is None:
        return TermCoder(None)
    key = (run, os.getpid(), kind)
    coder = _coders.get(key)
    if coder is None and any(known[:2] != key[:2] for known in _coders):
        _coders.clear()
    if coder is None or len(coder.numbers) >= MAX_TERMS:
        generation = 0 if coder is None else coder.token[3] + 1
        coder = _coders[key] = TermCoder((*key, generation))
    return coder


def new_run() -> int:
    """A number for one run's lasting coders (distinct within this process)."""
    return next(_RUNS)


class TermDecoder:
    """Adds :class:`CodedCounts` to a :class:`~dedupe.corpusweights.TermCounts`, chunk by chunk in document order,
    as its ``add`` would have counted each document: the same columns, numbered in the same first-seen order.

    A worker's new terms in a chunk hold every term the whole corpus sees first there (the worker saw the others in
    its earlier chunks, which come earlier), in first-seen order: numbering them in turn gives each its column.
    Each coder's numbers map to columns through an int32 array (4 bytes a term it sent).
    """

    def __init__(self, counted: TermCounts) -> None:
        self.counted = counted
        self.columns: dict[Token, array] = {}

    def add(self, coded: CodedCounts) -> None:
        """Count the chunk's documents (``ValueError`` when its coder's chunks come out of order)."""
        known = array("i") if coded.token is None else self.columns.setdefault(coded.token, array("i"))
        if coded.base != len(known):
            raise ValueError(f"terms numbered from {coded.base} after {len(known)}: chunks out of order")
        columns = self.counted.columns
        known.extend([columns.setdefault(t, len(columns)) for t in coded.new])
        local = np.frombuffer(coded.keys, dtype=np.int32)
        keys = np.frombuffer(known, dtype=np.int32)[local] if len(known) else local
        self.counted.add_columns(keys, np.frombuffer(coded.counts, dtype=coded.code),
                                 np.frombuffer(coded.sizes, dtype=np.int32))
