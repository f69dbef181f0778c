"""The copies an ``add --fast`` finds, among the articles indexed before it and those it recorded so far.

The indexed ones are searched in the workers, on their own connections; the recorded ones in the main process,
in memory.

:func:`~dedupe.index.check.copy_of` on the index as it stands during the add (its articles and those the
add recorded) is the exact copy of smallest id, else the near-duplicate (sharing an LSH band) of best
shingle Jaccard, ties by id, at the threshold. Both are the best of the two parts: the workers find each
article's best among the indexed articles (:func:`indexed_copies`; a copy found there is not extracted), and
:class:`AddedCopies` its best among the add's articles and the answer of the two.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from ..config import Config
from ..signatures import SignatureMatrix, jaccard, shingle_sets
from ..types import Article
from .check import Copy, copy_of
from .persist import band_keys
from .store import reader


def one_row(article: Article, config: Config, exact: np.ndarray, row: np.ndarray, empty: bool) -> SignatureMatrix:
    """The one-row signature of an article from its exact key, MinHash row and empty flag."""
    return SignatureMatrix((article.id,), (article.content,), exact[None], row[None], np.array([empty]),
                           config.shingle_size, config.seed)


def indexed_copies(articles: Sequence[Article], sigs: SignatureMatrix, config: Config,
                    source: str) -> list[tuple[Copy | None]]:
    """Each article's copy among the articles the index at ``source`` held before the add (what this
    process's own connection sees: the add commits at its end), as :func:`~dedupe.index.check.copy_of` finds it."""
    db = reader(source)
    return [(copy_of(db, config, article, one_row(article, config, sigs.exact[n], sigs.hashvalues[n],
                                                  bool(sigs.empty[n]))),) for n, article in enumerate(articles)]


class AddedCopies:
    """The articles an ``add --fast`` recorded so far (their exact keys and LSH band keys, their texts), to
    find an article's copies among them in memory: with the copy a worker found among the articles indexed
    before the add (``copy_of`` on its own connection), what :func:`~dedupe.index.check.copy_of` on the
    index as it stands would answer."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.exact: dict[bytes, str] = {}  # the smallest id recorded with each exact key
        self.bands: dict[tuple[int, int], list[str]] = defaultdict(list)  # ids recorded with each (band, key)
        self.texts: dict[str, str] = {}  # the content of each recorded article holding bands

    def note(self, article: Article, sigs: SignatureMatrix | None) -> None:
        """Take in an article just recorded with its signature (an article already indexed has none)."""
        if sigs is None:
            return
        self.exact.setdefault(sigs.exact[0].tobytes(), article.id)
        if not sigs.empty[0]:
            for key in band_keys(sigs.hashvalues[0], self.config):
                self.bands[key].append(article.id)
            self.texts[article.id] = article.content

    def copy_of(self, article: Article, sigs: SignatureMatrix, indexed: Copy | None) -> Copy | None:
        """``copy_of`` the whole index: the exact copy of smallest id, else the near-duplicate of best
        Jaccard (ties by id) at ``threshold``, among the articles indexed before the add (``indexed``, as
        ``copy_of`` found it there: an exact copy, else a near-duplicate at the threshold, else None) and
        those recorded since."""
        config = self.config
        if "exact" in config.relations:
            found = (indexed[1] if indexed is not None and indexed[0] == "exact" else None,
                     self.exact.get(sigs.exact[0].tobytes()))
            exact = [i for i in found if i is not None]
            if exact:
                return "exact", min(exact), 1.0
        if "near_duplicate" not in config.relations or sigs.empty[0]:
            return None
        best = [] if indexed is None else [(-indexed[2], indexed[1])]
        candidates = sorted({i for key in band_keys(sigs.hashvalues[0], config) for i in self.bands.get(key, ())})
        if candidates:
            mine, *theirs = shingle_sets([article.content, *(self.texts[c] for c in candidates)], config.shingle_size)
            best.extend((-jaccard(mine, other), c) for c, other in zip(candidates, theirs))
        if not best:
            return None
        score, other = min(best)
        return ("near_duplicate", other, -score) if -score >= config.threshold else None
