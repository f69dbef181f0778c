"""Exact-copy keys and datasketch-compatible MinHash signatures over word shingles (only makes signatures).

Texts are hashed in batches with numpy (see :mod:`dedupe.tokenhash`: one hash per token, ``k``
consecutive token hashes combined into a 32-bit shingle hash). The MinHash is datasketch's
``affine32`` scheme over those hashes (see :func:`permutations`), so a row loads into
``datasketch.MinHash(hashvalues=row, permutations=permutations(p, seed), scheme="affine32")``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

import numpy as np

from .engine import Engine, LocalEngine, shared_items
from .shinglesets import (
    jaccard,
    minhash_rows,
    one_row,
    permutations,
    shingle_hashes,
    shingle_sets,
    shingles_at,
    size_spans,
    sorted_unique,
    split_long,
    text_chunks,
)
from .shinglestore import NOT_KEPT, keep, kept_sets
from .tokenhash import Batch, LongText
from .types import Article

#: Shingle sets and MinHash rows (:mod:`dedupe.shinglesets`) are imported from here too, as before they moved.
__all__ = ["SCHEME", "Contents", "SignatureMatrix", "jaccard", "minhash_rows", "one_row", "permutations",
           "shingle_hashes", "shingle_sets", "signature_matrix", "sketcher", "sorted_unique"]

if TYPE_CHECKING:
    import datasketch

    from .earlysign import Known

#: The datasketch permutation scheme the signatures follow.
SCHEME = "affine32"
#: One unit of work for an engine: several batches (a task costs the parent and a worker ~0.4 ms each way).
_TASK_DOCS, _TASK_CHARS = 512, 1 << 21
_U64 = np.uint64


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


def sketcher(size: int, num_perm: int, seed: int, store: str | None = None) -> Callable[[Sequence[str]], tuple]:
    """A picklable ``sketch(texts)``: the exact keys (16 bytes a text, joined), MinHash rows and which texts have
    no shingle, for any number of texts (one unit of work for an engine or an early signer). With ``store`` (a
    :class:`~dedupe.shinglestore.ShingleStore`'s key) each text's shingle hashes are kept there, and a fourth
    part gives each text's place in it (an ``(n, 3)`` int64 array, see :mod:`dedupe.shinglestore`)."""
    if store is not None:
        return partial(_sketch_kept, size=size, num_perm=num_perm, seed=seed, store=store)
    return partial(_sketch_task, size=size, num_perm=num_perm, seed=seed)


def _sketch_task(texts: Sequence[str], size: int, num_perm: int, seed: int) -> tuple[bytes, np.ndarray, np.ndarray]:
    """Exact keys, MinHash rows and which have no shingle, for one unit of work: :func:`_sketch` per batch."""
    keys, rows, empty, _ = _sketch_kept(texts, size, num_perm, seed, None)
    return keys, rows, empty


def _sketch_kept(texts: Sequence[str], size: int, num_perm: int, seed: int,
                 store: str | None) -> tuple[bytes, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_sketch_task`, each text's shingle hashes kept in ``store`` (when not None) and their places last."""
    done = [_sketch_batch(texts[a:b], size, num_perm, seed, store) for a, b in text_chunks(texts)]
    return (b"".join(part[0] for part in done), np.concatenate([part[1] for part in done]),
            np.concatenate([part[2] for part in done]), np.concatenate([part[3] for part in done]))


def _sketch(texts: Sequence[str], size: int, num_perm: int, seed: int) -> tuple[bytes, np.ndarray, np.ndarray]:
    """Exact keys, MinHash rows and which have no shingle, for a few texts (one batch)."""
    keys, rows, empty, _ = _sketch_batch(texts, size, num_perm, seed, None)
    return keys, rows, empty


def _sketch_batch(texts: Sequence[str], size: int, num_perm: int, seed: int,
                  store: str | None) -> tuple[bytes, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_sketch`, and each text's place in ``store`` (where the shingle hashes of the texts short enough for a
    batch are kept; the others' places are ``NOT_KEPT``, as all are without a store)."""
    perms = permutations(num_perm, seed)
    short, long = split_long(texts)
    keys, rows = [b""] * len(texts), np.empty((len(texts), num_perm), dtype=np.uint32)
    empty = np.zeros(len(texts), dtype=bool)
    places = np.empty((len(texts), 3), dtype=np.int64)
    places[:] = NOT_KEPT
    if short:
        batch = Batch.of([texts[i] for i in short])
        values, counts = batch.shingles(size)
        rows[short], empty[short] = minhash_rows(values, counts, perms), counts == 0
        if store is not None:
            places[short] = keep(store, values, counts)
        for i, key in zip(short, batch.exact_keys()):
            keys[i] = key
    for i in long:
        keys[i], rows[i], empty[i] = _sketch_long(LongText(texts[i], size), perms)
    return b"".join(keys), rows, empty, places


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
    verified exactly; ``store`` and ``places``, when signing kept the shingle hashes (a
    :class:`~dedupe.shinglestore.ShingleStore`'s key, each row's place there), let verification read them back.
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
    store: str | None = None
    places: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def num_perm(self) -> int:
        """Permutations per MinHash row."""
        return self.hashvalues.shape[1]

    def shingles(self, rows: Iterable[int]) -> list[np.ndarray]:
        """The sorted distinct shingle hashes of the given rows' texts (read from the store, else recomputed)."""
        rows = list(rows)
        if self.store is None or self.places is None:
            return shingles_at(self.contents, rows, self.shingle_size)
        return kept_sets(self.store, self.places[rows], rows,
                         lambda missing: shingles_at(self.contents, missing, self.shingle_size))

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
    signing: bool | None = None,
    pool: Executor | None = None,
    store: str | None = None,
    on_rows: Callable[[np.ndarray, np.ndarray], object] | None = None,
) -> SignatureMatrix:
    """Signatures of every article's content (body, or title when there is no body), in input order.

    Chunks of articles are sketched by ``engine`` (default: a :class:`LocalEngine` of ``workers``
    processes), or by ``pool`` when given: a :func:`~dedupe.engine.task_pool` sharing ``Contents(articles)``, which
    the caller keeps for later work (verification) instead of forking workers again; the result never depends on
    either. ``progress(done, total)`` is called after each chunk.
    ``known`` (an :class:`~dedupe.earlysign.Known`) gives rows signed already, or being signed, while the
    articles were read: only the others are sketched here, by the signers when ``signing`` (the caller's one
    answer of ``known.signing()``, asked here when None: a pool of the signers sketches nothing). ``store`` (a
    :class:`~dedupe.shinglestore.ShingleStore`'s key, used with ``pool``) keeps the shingle hashes of the rows the
    pool signs (and of those ``known`` answers, when its signers kept them there too) for verification.
    ``on_rows(where, hashvalues)`` is handed each block of rows as it is written (their indexes, their MinHash rows):
    the rows ``known`` answers first, while the engine or pool signs the others.
    """
    contents = Contents(articles)  # read as signed (and again when candidates are verified), never all held
    rows = np.empty((len(contents), num_perm), dtype=np.uint32)
    empty = np.zeros(len(contents), dtype=bool)
    exact = np.empty((len(contents), 2), dtype=np.uint64)
    store = store if pool is not None else None
    places = None if store is None else np.full((len(contents), 3), NOT_KEPT, dtype=np.int64)
    promised = known.promised(len(articles)) if known is not None else np.zeros(len(articles), dtype=bool)
    todo = np.flatnonzero(~promised)
    out, sizes = (exact, rows, empty, places), (shingle_size, num_perm, seed, store)
    failed = np.empty(0, dtype=np.int64)

    def early() -> None:
        """The signers' answers (waiting for those still signing), taken while the others are signed."""
        nonlocal failed
        if known is not None:
            failed = known.fill(exact, rows, empty, places)
            promised[failed] = False
            if on_rows is not None:
                where = np.flatnonzero(promised)
                on_rows(where, rows[where])

    if known is not None and (known.signing() if signing is None else signing):  # no worker forked to sign
        count = 0

        def signed(answered: int) -> None:
            nonlocal count
            count += answered
            if progress:
                progress(count, len(articles))

        failed = known.sign(todo, articles, out, on_rows, signed)
    else:
        _sketch_rows(todo, articles, out, sizes, engine or LocalEngine(workers), pool,
                     lambda done: progress(done + len(articles) - len(todo), len(articles)) if progress else None,
                     early, on_rows)
    if len(failed):
        _sketch_rows(np.sort(failed), articles, out, (*sizes[:3], None), LocalEngine(1), None, None, None, on_rows)
    return SignatureMatrix(tuple(a.id for a in articles), contents, exact, rows, empty, shingle_size, seed, store,
                           places)


def _sketch_rows(todo: np.ndarray, articles: Sequence[Article], out: tuple[np.ndarray, ...],
                 sizes: tuple[int, int, int, str | None], engine: Engine, pool: Executor | None,
                 progress: Callable[[int], None] | None, meanwhile: Callable[[], None] | None = None,
                 on_rows: Callable[[np.ndarray, np.ndarray], object] | None = None) -> None:
    """Sketch the articles at rows ``todo`` (in that order) into ``out`` (exact keys, rows, empty flags, places or
    None); ``sizes`` are the shingle size, permutations, seed and store (kept only by a ``pool``). ``meanwhile()``
    runs once the work is handed out (while a pool signs), ``on_rows`` as in :func:`signature_matrix`."""
    exact, rows, empty, places = out
    chosen = articles if len(todo) == len(articles) else [articles[i] for i in todo.tolist()]
    tasks = list(size_spans((article.content_length for article in chosen), _TASK_DOCS, _TASK_CHARS))
    if pool is not None:
        at = partial(_sketch_at, size=sizes[0], num_perm=sizes[1], seed=sizes[2], store=sizes[3])
        found: Iterable[tuple] = (future.result() for future in [pool.submit(at, todo[a:b]) for a, b in tasks])
    else:
        found = engine.map_chunks(sketcher(*sizes[:3]), Contents(chosen), tasks)
    if meanwhile is not None:
        meanwhile()
    done = 0
    for chunk_keys, chunk_rows, chunk_empty, *chunk_places in found:
        where = todo[done : done + len(chunk_rows)]
        rows[where], empty[where] = chunk_rows, chunk_empty
        exact[where] = np.frombuffer(chunk_keys, dtype=np.uint64).reshape(-1, 2)
        if places is not None and chunk_places:
            places[where] = chunk_places[0]
        if on_rows is not None:
            on_rows(where, chunk_rows)
        done += len(chunk_rows)
        if progress:
            progress(done)


def _sketch_at(rows: np.ndarray, size: int, num_perm: int, seed: int, store: str | None = None) -> tuple:
    """In a worker of a pool sharing the articles' :class:`Contents`: :func:`_sketch_task` of the texts at ``rows``
    (with ``store``, :func:`_sketch_kept`: their shingle hashes kept there, and their places)."""
    contents = shared_items()
    texts = [contents[row] for row in rows.tolist()]
    return _sketch_task(texts, size, num_perm, seed) if store is None else _sketch_kept(texts, size, num_perm, seed,
                                                                                         store)
