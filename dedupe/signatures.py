"""Exact-copy hashes and MinHash signatures over word shingles (only makes signatures)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from datasketch import MinHash

from .normalize import content_hash, hash32, shingles, tokens
from .types import Article


@dataclass(frozen=True, eq=False)
class Signature:
    """What detection needs of one article.

    ``exact`` is the hash of the normalised content (equal for exact copies);
    ``shingles`` the sorted, distinct 32-bit hashes of its word shingles;
    ``minhash`` the datasketch MinHash built from those hashes.
    Example: ``Signature(article_id="002", exact="9c1f...", shingles=array([...], uint32),
    minhash=<MinHash num_perm=128>)``.
    """

    article_id: str
    exact: str
    shingles: np.ndarray
    minhash: MinHash


@lru_cache(maxsize=8)
def _template(num_perm: int, seed: int) -> MinHash:
    """A MinHash whose permutations every signature shares (made once per setting)."""
    return MinHash(num_perm=num_perm, seed=seed)


def _identity(value: int) -> int:
    """The hash function handed to datasketch: shingles arrive already hashed."""
    return int(value)


def shingle_hashes(text: str, size: int) -> np.ndarray:
    """Sorted distinct 32-bit hashes of the text's ``size``-word shingles."""
    values = np.fromiter((hash32(s) for s in shingles(tokens(text), size)), dtype=np.uint32)
    return np.unique(values)


def make_minhash(hashes: np.ndarray, num_perm: int, seed: int) -> MinHash:
    """A datasketch MinHash of pre-hashed shingles, loadable into any datasketch structure."""
    template = _template(num_perm, seed)
    minhash = MinHash(num_perm=num_perm, seed=seed, hashfunc=_identity,
                      permutations=template.permutations, scheme=template.scheme)
    if len(hashes):
        minhash.update_batch(hashes.tolist())
    return minhash


def signature(article: Article, shingle_size: int, num_perm: int, seed: int) -> Signature:
    """The signature of one article's content (body, or title when there is no body)."""
    hashes = shingle_hashes(article.content, shingle_size)
    return Signature(article.id, content_hash(article.content), hashes, make_minhash(hashes, num_perm, seed))


def signatures(articles: Iterable[Article], shingle_size: int, num_perm: int, seed: int) -> Iterator[Signature]:
    """Signatures for many articles, in input order."""
    for article in articles:
        yield signature(article, shingle_size, num_perm, seed)


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted arrays of distinct shingle hashes."""
    if not len(a) and not len(b):
        return 1.0
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return shared / (len(a) + len(b) - shared)
