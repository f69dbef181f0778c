"""The copy-detection stage: signatures (the early signers', else a pool's), exact and near-duplicate edges."""

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
from .verify import SignerPool, verifier

if TYPE_CHECKING:
    from .pipeline import Progress, _Timer


def shingle_store(engine: Engine) -> AbstractContextManager[ShingleStore | None]:
    """A :class:`~dedupe.shinglestore.ShingleStore` where the processes that sign keep the shingle hashes for
    verification, when ``engine`` forks workers; else None, as when the temporary files cannot be made
    (verification then shingles the candidates' texts again). One file for each process that can sign at once: the
    early signers (one per core; they live until copy detection ends) and the workers of a pool that signs when
    no signer could be started, and two spare for a worker replaced."""
    if not forks(engine):
        return nullcontext()
    assert isinstance(engine, LocalEngine)
    try:
        return ShingleStore(early_signers(engine) + engine.processes + 2)
    except OSError:
        return nullcontext()


def early_signer(config: Config, engine: Engine,
                 store: ShingleStore | None = None) -> AbstractContextManager[EarlySigner | None]:
    """An :class:`EarlySigner` when ``engine`` forks workers, else None: one signer per core, all but one signing
    while this process reads, all of them signing the rest after; with a ``store``, they keep the shingle hashes
    there and verify the candidates too."""
    if not forks(engine):
        return nullcontext()
    assert isinstance(engine, LocalEngine)
    sketch = sketcher(config.shingle_size, config.num_perm, config.seed, None if store is None else store.key)
    verify = None if store is None else verifier(config.shingle_size, store.key)
    return EarlySigner(sketch, early_signers(engine), engine.processes - 1, verify)


def early_signers(engine: LocalEngine) -> int:
    """How many signer processes are forked before reading: one per core. All cores but the one reading sign while
    the articles are read, and every core signs what is left after."""
    return engine.processes


def copy_edges(ordered: tuple[Article, ...], config: Config, progress: Progress, engine: Engine,
               timer: _Timer, known: Known | None = None, store: ShingleStore | None = None,
               alone: Lone | None = None) -> list[Edge]:
    """Signatures (those ``known`` already, from :func:`early_signer`, not again), then the exact and
    near-duplicate edges; the signatures (~1 KB an article, read by no later stage) are freed on return.

    When the engine forks workers, the early signers (forked before reading, while this process was small) sign
    what reading left and, with a ``store`` (where the texts' shingle hashes are kept as they are signed, and
    read back to verify the candidates instead of hashing their texts again), verify the candidates: no worker
    is forked from the ~1 GB parent, whose every text page a worker touches costs a copy-on-write fault. Without a
    signer or a store, one pool signs what is left and verifies (:func:`~dedupe.engine.task_pool`, sharing the
    articles' contents). ``alone``, when given, is filled while the
    candidates are verified with the clusters of the articles no copy edge can reach (see
    :func:`~dedupe.copyclusters.lone_clusters`), for :func:`~dedupe.copyclusters.copy_clusters`.
    """
    signing = known is not None and known.signing()  # asked once: a signer may die meanwhile
    signers = known.signer if signing and store is not None else None
    contents = Contents(ordered)
    with task_pool(engine, contents) if signers is None else SignerPool(signers, contents) as pool:
        banding = pool is not None and "near_duplicate" in config.relations  # band keys computed as rows come
        keys = BandKeys(len(ordered), config.threshold, config.num_perm) if banding else None
        with timer.stage("signatures"):
            sigs = signature_matrix(ordered, config.shingle_size, config.num_perm, config.seed, engine=engine,
                                    progress=lambda done, total: progress("signatures", done, total), known=known,
                                    signing=signing, pool=pool, store=None if store is None else store.key,
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
