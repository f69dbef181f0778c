"""Exact-copy keys and datasketch-compatible MinHash signatures over word shingles (only makes signatures).

Texts are hashed in batches with numpy (see :mod:`dedupe.tokenhash`: one hash per token, ``k``
consecutive token hashes combined into a 32-bit shingle hash). The MinHash is datasketch's
``affine32`` scheme over those hashes (see :func:`permutations`), so a row loads into
``datasketch.MinHash(hashvalues=row, permutations=permutations(p, seed), scheme="affine32")``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import TYPE_CHECKING

import numpy as np

from . import tokenhash
from .engine import Engine, LocalEngine, shared_items
from .tokenhash import Batch, LongText, fmix32
from .types import Article

if TYPE_CHECKING:
    import datasketch

    from .earlysign import Known

#: The datasketch permutation scheme the signatures follow.
SCHEME = "affine32"
_CHUNK_DOCS, _CHUNK_CHARS = 64, 1 << 18  # one numpy batch
#: One unit of work for an engine: several batches (a task costs the parent and a worker ~0.4 ms each way).
_TASK_DOCS, _TASK_CHARS = 512, 1 << 21
_ONE_ROW = 1 << 21  # at most this many shingle-permutation products at once for one text (8 MB of uint32)
_U64 = np.uint64


@lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int) -> np.ndarray:
    """The ``(2, num_perm)`` uint32 ``a, b`` of datasketch's affine32 MinHash with this seed (``a`` odd)."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    return np.array([a, gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)])


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique`` by sorting (numpy's hash-based unique is slower on large integer arrays)."""
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def shingle_sets(texts: Sequence[str], size: int) -> list[np.ndarray]:
    """For each text, the sorted distinct 32-bit hashes of its ``size``-word shingles."""
    sets: list[np.ndarray] = []
    for start, end in _chunks(texts):
        short, long = _split(texts[start:end])
        found = dict(zip(short, _distinct(Batch.of([texts[start + i] for i in short]).shingles(size))))
        found.update((i, sorted_unique(np.concatenate([*LongText(texts[start + i], size).shingles(),
                                                        np.empty(0, np.uint32)]))) for i in long)
        sets.extend(found[i] for i in range(end - start))
    return sets


def _distinct(shingles: tuple[np.ndarray, np.ndarray]) -> list[np.ndarray]:
    """Per text, the sorted distinct values of ``Batch.shingles``' output.

    Each text's 32-bit values are sorted on their own: a few hundred at a time, ~5x faster than sorting the
    whole batch's values as 64-bit ``text << 32 | value`` keys (numpy sorts 32-bit values twice as wide a
    vector at a time, and small arrays stay in cache).
    """
    values, counts = shingles
    bounds = np.r_[0, np.cumsum(counts)].tolist()
    found = []
    for start, end in itertools.pairwise(bounds):
        ordered = np.sort(values[start:end])
        keep = np.empty(len(ordered), dtype=bool)
        keep[:1] = True
        np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
        found.append(ordered[keep])
    return found


def shingles_at(contents: Sequence[str], rows: Iterable[int], size: int) -> list[np.ndarray]:
    """:func:`shingle_sets` of the texts at ``rows`` of ``contents``, read ``_CHUNK_DOCS`` at a time."""
    rows, found = list(rows), []
    for start in range(0, len(rows), _CHUNK_DOCS):
        found.extend(shingle_sets([contents[row] for row in rows[start : start + _CHUNK_DOCS]], size))
    return found


def _split(texts: Sequence[str]) -> tuple[list[int], list[int]]:
    """Indexes of the texts hashed in one batch, and of those too long for it (hashed piece by piece)."""
    short = [i for i, text in enumerate(texts) if len(text) <= tokenhash._WINDOW]
    return short, [i for i, text in enumerate(texts) if len(text) > tokenhash._WINDOW]


def shingle_hashes(text: str, size: int) -> np.ndarray:
    """Sorted distinct 32-bit hashes of the text's ``size``-word shingles."""
    return shingle_sets([text], size)[0]


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted arrays of distinct shingle hashes."""
    if not len(a) or not len(b):
        return float(not len(a) and not len(b))
    where = a.searchsorted(b)  # a's values are distinct: b[k] is in a exactly when it sits at its place there
    shared = int(np.count_nonzero(a.take(where, mode="clip") == b))
    return shared / (len(a) + len(b) - shared)


def _chunks(texts: Sequence[str], docs: int = _CHUNK_DOCS, most: int = _CHUNK_CHARS) -> Iterator[tuple[int, int]]:
    """Spans of at most ``docs`` texts and (unless one text is longer) ``most`` characters."""
    return _spans(map(len, texts), docs, most)


def _spans(sizes: Iterable[int], docs: int, most: int) -> Iterator[tuple[int, int]]:
    """:func:`_chunks` of texts of these ``sizes`` (characters)."""
    start = chars = count = 0
    for end, size in enumerate(sizes):
        if end > start and (end - start >= docs or chars + size > most):
            yield start, end
            start, chars = end, 0
        chars += size
        count = end + 1
    if start < count:
        yield start, count


class Contents(Sequence[str]):
    """Each article's content (body, or title when there is no body), read from the article on each access.

    Nothing is held but the articles: an article whose text waits in a spool (see
    :class:`~dedupe.articlespool.SpooledArticle`) reads it back, so signing a corpus does not hold every text
    at once (and forked workers read their own slices). Example: ``Contents(articles)[0] == articles[0].content``.
    """

    def __init__(self, articles: Sequence[Article]) -> None:
        self.articles = articles

    def __len__(self) -> int:
        return len(self.articles)

    def __getitem__(self, where):  # type: ignore[no-untyped-def]
        if isinstance(where, slice):
            return [article.content for article in self.articles[where]]
        return self.articles[where].content


def minhash_rows(values: np.ndarray, counts: np.ndarray, perms: np.ndarray) -> np.ndarray:
    """One affine32 MinHash row per text from its (pre-hashed, possibly repeated) shingle hashes.

    ``values`` holds the shingles of text 0, then of text 1, ...; ``counts`` how many each has.
    A text without shingles gets datasketch's empty row (all ``2**32 - 1``).
    """
    rows = np.full((len(counts), perms.shape[1]), np.iinfo(np.uint32).max, dtype=np.uint32)
    filled = np.flatnonzero(counts)
    if not len(filled):
        return rows
    if len(counts) == 1 and len(values) * perms.shape[1] <= _ONE_ROW:
        rows[0] = one_row(values, perms)
        return rows
    mixed, scratch = fmix32(values), np.empty(len(values), dtype=np.uint32)
    starts = (np.cumsum(counts) - counts)[filled]
    for k, (a, b) in enumerate(perms.T):
        np.multiply(mixed, a, out=scratch)
        scratch += b
        rows[filled, k] = np.minimum.reduceat(scratch, starts)
    return rows


def one_row(values: np.ndarray, perms: np.ndarray) -> np.ndarray:
    """The affine32 MinHash row of one text's (non-empty) shingle hashes, every permutation at once.

    The same uint32 products, sums (both modulo 2**32) and minima as :func:`minhash_rows`' loop over the
    permutations, as one ``(shingles, num_perm)`` array: a few numpy calls instead of three per permutation.
    """
    scratch = np.multiply.outer(fmix32(values), perms[0])
    scratch += perms[1]
    return scratch.min(axis=0)


def sketcher(size: int, num_perm: int, seed: int) -> Callable[[Sequence[str]], tuple[bytes, np.ndarray, np.ndarray]]:
    """A picklable ``sketch(texts)``: the exact keys (16 bytes a text, joined), MinHash rows and which texts have
    no shingle, for any number of texts (one unit of work for an engine or an early signer)."""
    return partial(_sketch_task, size=size, num_perm=num_perm, seed=seed)


def _sketch_task(texts: Sequence[str], size: int, num_perm: int, seed: int) -> tuple[bytes, np.ndarray, np.ndarray]:
    """Exact keys, MinHash rows and which have no shingle, for one unit of work: :func:`_sketch` per batch."""
    done = [_sketch(texts[a:b], size, num_perm, seed) for a, b in _chunks(texts)]
    return (b"".join(keys for keys, _, _ in done), np.concatenate([rows for _, rows, _ in done]),
            np.concatenate([empty for _, _, empty in done]))


def _sketch(texts: Sequence[str], size: int, num_perm: int, seed: int) -> tuple[bytes, np.ndarray, np.ndarray]:
    """Exact keys, MinHash rows and which have no shingle, for a few texts (one batch)."""
    perms = permutations(num_perm, seed)
    short, long = _split(texts)
    keys, rows = [b""] * len(texts), np.empty((len(texts), num_perm), dtype=np.uint32)
    empty = np.zeros(len(texts), dtype=bool)
    if short:
        batch = Batch.of([texts[i] for i in short])
        values, counts = batch.shingles(size)
        rows[short], empty[short] = minhash_rows(values, counts, perms), counts == 0
        for i, key in zip(short, batch.exact_keys()):
            keys[i] = key
    for i in long:
        keys[i], rows[i], empty[i] = _sketch_long(LongText(texts[i], size), perms)
    return b"".join(keys), rows, empty


def _sketch_long(text: LongText, perms: np.ndarray) -> tuple[bytes, np.ndarray, bool]:
    """Exact key, MinHash row and emptiness of one long text, its shingles folded in window by window."""
    row = minhash_rows(np.empty(0, np.uint32), np.zeros(1, dtype=np.int64), perms)[0]
    empty = True
    for values in text.shingles():
        np.minimum(row, minhash_rows(values, np.array([len(values)]), perms)[0], out=row)
        empty = False
    return text.key(), row, empty


@dataclass(frozen=True, eq=False)
class SignatureMatrix:
    """The signatures of many articles; row ``i`` belongs to ``ids[i]``.

    ``exact`` holds each text's :func:`normalize.content_hash` as an ``(n, 2)`` uint64 (equal for exact copies);
    ``hashvalues`` the ``(n, num_perm)`` uint32 MinHash rows; ``empty`` marks texts without a shingle;
    ``contents`` gives the texts (references, or :class:`Contents` reading them back) so candidates can be
    verified exactly.
    Example: ``SignatureMatrix(ids=("001", "002"), contents=(...), exact=array(shape (2, 2), uint64),
    hashvalues=array(shape (2, 128), uint32), empty=array([False, False]), shingle_size=5, seed=1)``.
    """

    ids: tuple[str, ...]
    contents: Sequence[str]
    exact: np.ndarray
    hashvalues: np.ndarray
    empty: np.ndarray
    shingle_size: int
    seed: int

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def num_perm(self) -> int:
        """Permutations per MinHash row."""
        return self.hashvalues.shape[1]

    def shingles(self, rows: Iterable[int]) -> list[np.ndarray]:
        """The sorted distinct shingle hashes of the given rows' texts (recomputed: they are not kept)."""
        return shingles_at(self.contents, rows, self.shingle_size)

    def minhash(self, row: int) -> datasketch.MinHash:
        """Row ``row`` as a datasketch MinHash (usable in ``MinHashLSH`` and friends)."""
        # Imported here, not at the top: importing datasketch pulls in scipy.integrate (0.7 s).
        from datasketch import MinHash

        perms = permutations(self.num_perm, self.seed)
        return MinHash(seed=self.seed, hashvalues=self.hashvalues[row], permutations=perms, scheme=SCHEME)


def signature_matrix(
    articles: Sequence[Article],
    shingle_size: int,
    num_perm: int,
    seed: int,
    *,
    workers: int = 1,
    engine: Engine | None = None,
    progress: Callable[[int, int], None] | None = None,
    known: Known | None = None,
    pool: Executor | None = None,
) -> SignatureMatrix:
    """Signatures of every article's content (body, or title when there is no body), in input order.

    Chunks of articles are sketched by ``engine`` (default: a :class:`LocalEngine` of ``workers``
    processes), or by ``pool`` when given: a :func:`~dedupe.engine.task_pool` sharing ``Contents(articles)``, which
    the caller keeps for later work (verification) instead of forking workers again; the result never depends on
    either. ``progress(done, total)`` is called after each chunk.
    ``known`` (an :class:`~dedupe.earlysign.Known`) gives rows signed already, or being signed, while the
    articles were read: only the others are sketched here.
    """
    contents = Contents(articles)  # read as signed (and again when candidates are verified), never all held
    rows = np.empty((len(contents), num_perm), dtype=np.uint32)
    empty = np.zeros(len(contents), dtype=bool)
    exact = np.empty((len(contents), 2), dtype=np.uint64)
    todo = np.flatnonzero(~known.promised(len(articles))) if known is not None else np.arange(len(articles))
    out, sizes = (exact, rows, empty), (shingle_size, num_perm, seed)
    _sketch_rows(todo, articles, out, sizes, engine or LocalEngine(workers), pool,
                 lambda done: progress(done + len(articles) - len(todo), len(articles)) if progress else None)
    if known is not None:
        failed = known.fill(exact, rows, empty)
        _sketch_rows(failed, articles, out, sizes, LocalEngine(1), None, None)
    return SignatureMatrix(tuple(a.id for a in articles), contents, exact, rows, empty, shingle_size, seed)


def _sketch_rows(todo: np.ndarray, articles: Sequence[Article], out: tuple[np.ndarray, np.ndarray, np.ndarray],
                 sizes: tuple[int, int, int], engine: Engine, pool: Executor | None,
                 progress: Callable[[int], None] | None) -> None:
    """Sketch the articles at rows ``todo`` (in that order) into ``out`` (exact keys, rows, empty flags); ``sizes``
    are the shingle size, permutations and seed."""
    exact, rows, empty = out
    chosen = articles if len(todo) == len(articles) else [articles[i] for i in todo.tolist()]
    tasks = list(_spans((article.content_length for article in chosen), _TASK_DOCS, _TASK_CHARS))
    if pool is not None:
        at = partial(_sketch_at, size=sizes[0], num_perm=sizes[1], seed=sizes[2])
        found: Iterable[tuple[bytes, np.ndarray, np.ndarray]] = (
            future.result() for future in [pool.submit(at, todo[a:b]) for a, b in tasks])
    else:
        found = engine.map_chunks(sketcher(*sizes), Contents(chosen), tasks)
    done = 0
    for chunk_keys, chunk_rows, chunk_empty in found:
        where = todo[done : done + len(chunk_rows)]
        rows[where], empty[where] = chunk_rows, chunk_empty
        exact[where] = np.frombuffer(chunk_keys, dtype=np.uint64).reshape(-1, 2)
        done += len(chunk_rows)
        if progress:
            progress(done)


def _sketch_at(rows: np.ndarray, size: int, num_perm: int, seed: int) -> tuple[bytes, np.ndarray, np.ndarray]:
    """In a worker of a pool sharing the articles' :class:`Contents`: :func:`_sketch_task` of the texts at ``rows``."""
    contents = shared_items()
    return _sketch_task([contents[row] for row in rows.tolist()], size, num_perm, seed)
