"""The copy-detection stage: signatures (the early signer's and the pool's), exact and near-duplicate edges."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from functools import partial
from typing import TYPE_CHECKING

from .candidates import BandKeys, exact_edges, near_duplicate_edges
from .config import Config
from .copyclusters import Lone, lone_clusters
from .earlysign import EarlySigner, Known
from .engine import Engine, LocalEngine, forks, task_pool
from .shinglestore import ShingleStore
from .signatures import Contents, signature_matrix, sketcher
from .types import Article, Edge

if TYPE_CHECKING:
    from .pipeline import Progress, _Timer


def shingle_store(engine: Engine) -> AbstractContextManager[ShingleStore | None]:
    """A :class:`~dedupe.shinglestore.ShingleStore` where the processes that sign keep the shingle hashes for
    verification, when ``engine`` forks workers (one pool signs and verifies); else None, as when the temporary
    files cannot be made (verification then shingles the candidates' texts again). One file for each process that
    can sign at once: the early signers (one per core but one; they live until copy detection ends) and the pool's
    workers, and two spare for a worker replaced."""
    if not forks(engine):
        return nullcontext()
    assert isinstance(engine, LocalEngine)
    try:
        return ShingleStore(early_signers(engine) + engine.processes + 2)
    except OSError:
        return nullcontext()


def early_signer(config: Config, engine: Engine,
                 store: ShingleStore | None = None) -> AbstractContextManager[EarlySigner | None]:
    """An :class:`EarlySigner` for reading when ``engine`` forks workers (all but one core sign while this
    process reads; keeping the shingle hashes in ``store`` when given), else None."""
    if not forks(engine):
        return nullcontext()
    assert isinstance(engine, LocalEngine)
    sketch = sketcher(config.shingle_size, config.num_perm, config.seed, None if store is None else store.key)
    return EarlySigner(sketch, early_signers(engine))


def early_signers(engine: LocalEngine) -> int:
    """How many processes sign while the articles are read: all cores but the one reading."""
    return engine.processes - 1


def copy_edges(ordered: tuple[Article, ...], config: Config, progress: Progress, engine: Engine,
               timer: _Timer, known: Known | None = None, store: ShingleStore | None = None,
               alone: Lone | None = None) -> list[Edge]:
    """Signatures (those ``known`` already, from :func:`early_signer`, not again), then the exact and
    near-duplicate edges; the signatures (~1 KB an article, read by no later stage) are freed on return.

    When the engine forks workers, one pool signs and verifies (:func:`~dedupe.engine.task_pool`, sharing the
    articles' contents): each fork of the ~1 GB parent costs its workers a page fault for every page they touch.
    With a ``store``, the texts' shingle hashes are kept there as they are signed, and verification reads the
    candidates' back instead of hashing their texts again. ``alone``, when given, is filled while the
    candidates are verified with the clusters of the articles no copy edge can reach (see
    :func:`~dedupe.copyclusters.lone_clusters`), for :func:`~dedupe.copyclusters.copy_clusters`.
    """
    with task_pool(engine, Contents(ordered)) as pool:
        banding = pool is not None and "near_duplicate" in config.relations  # band keys computed as rows come
        keys = BandKeys(len(ordered), config.threshold, config.num_perm) if banding else None
        with timer.stage("signatures"):
            sigs = signature_matrix(ordered, config.shingle_size, config.num_perm, config.seed, engine=engine,
                                    progress=lambda done, total: progress("signatures", done, total), known=known,
                                    pool=pool, store=None if store is None else store.key,
                                    on_rows=None if keys is None else keys.add)
        edges: list[Edge] = []
        with timer.stage("exact"):
            if "exact" in config.relations:
                edges.extend(exact_edges(sigs))
        with timer.stage("near_duplicate"):
            if "near_duplicate" in config.relations:
                meanwhile = None if alone is None else partial(lone_clusters, alone, sigs)
                edges.extend(near_duplicate_edges(sigs, config.threshold, engine=engine, pool=pool,
                                                  meanwhile=meanwhile, keys=keys))
    return edges
