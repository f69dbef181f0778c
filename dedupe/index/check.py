"""``dedupe check``: what adding an article would make of it, answered from the index without changing it.

The verdict is, in this order: ``exact`` (an indexed article has the same exact key), ``near_duplicate``
(an indexed article sharing an LSH band has a word-shingle Jaccard >= ``threshold``), ``same_story``
(the story the article would join, see :mod:`dedupe.index.story_check`), else ``new_story``. An id
already in the index gets ``indexed`` and its story.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..config import Config
from ..engine import LocalEngine
from ..signatures import SignatureMatrix, jaccard, shingle_sets, signature_matrix
from ..types import Article
from .checklinks import Found
from .codec import article_from
from .persist import band_keys
from .store import Index
from .story_check import StoryChecker

#: A copy found: ``(relation, id of the article copied, score)``, the relation ``exact`` or ``near_duplicate``.
Copy = tuple[str, str, float]


@dataclass(frozen=True)
class Placement:
    """A check's ``answer`` (JSON-ready), the article's signature (None when already indexed), and for an
    article that would head its copy group, what the same-story stage made of it (``found``)."""

    answer: dict[str, Any]
    sketch: SignatureMatrix | None
    found: Found | None


@dataclass
class Checker:
    """Answers checks against one open index; keeps what it read until the index changes (a new add).

    ``limit``: score at most that many candidates (see :class:`~dedupe.index.story_check.StoryChecker`);
    ``warm``: decode every head and read every document frequency, posting and owner when an index state
    is first read (a long-lived checker then asks the index nothing but copy look-ups, see
    :meth:`~dedupe.index.memory.HeadMemory.warm`), instead of on first use; ``stories_first``: read only
    every article's story then (:meth:`~dedupe.index.memory.HeadMemory.read_stories`), each head on first use.

    Not thread-safe: one checker's scoring reuses scratch arrays; give each thread its own checker.
    """

    index: Index
    config: Config = field(default_factory=Config)
    limit: int | None = None
    warm: bool = False
    stories_first: bool = False
    _generation: int = -1
    _stories: StoryChecker | None = field(default=None, repr=False)

    def check(self, article: Article) -> dict[str, Any]:
        """The verdict on one article as a JSON-ready dict.

        Example: ``{"id": "x1", "verdict": "near_duplicate", "story": "S000004", "of": "a00017",
        "score": 0.91, "candidates": [...], "facts": {...}, "conflicts": [...]}``.
        """
        with self.index.reading():
            return self.place(article).answer

    def place(self, article: Article, details: bool = True, sigs: SignatureMatrix | None = None,
              copies: Callable[[Article, SignatureMatrix], Copy | None] | None = None) -> Placement:
        """The verdict with what it was made of (call inside a read or write transaction).

        ``details=False`` leaves out the facts and conflicts of a ``same_story`` verdict and the best
        candidates of a same-story check (``add --fast`` reads neither); ``sigs``: the
        article's signature when made ahead (one row, as :func:`~dedupe.signatures.signature_matrix` gives it);
        ``copies``: what :func:`copy_of` on the index would answer for the article (``add --fast`` finds it
        partly ahead), else it is asked.
        """
        stories = self._refresh()
        story = self.story_of(article.id)
        if story is not None:
            return Placement({"id": article.id, "verdict": "indexed", "story": story}, None, None)
        if sigs is None:
            sigs = signature_matrix([article], self.config.shingle_size, self.config.num_perm, self.config.seed,
                                    engine=LocalEngine(1))
        copy = self._copy_of(article, sigs) if copies is None else copies(article, sigs)
        if copy is not None:
            relation, other, score = copy
            answer = {"id": article.id, "verdict": relation, "story": self.story_of(other), "of": other,
                      "score": round(score, 4), "candidates": [], "facts": {"adds": [], "corroborates": 0},
                      "conflicts": []}
            return Placement(answer, sigs, None)
        answer, found = stories.verdict(article, details)
        return Placement({"id": article.id, **answer}, sigs, found)

    @property
    def stories(self) -> StoryChecker:
        """The same-story part, current with the index."""
        return self._refresh()

    def _refresh(self) -> StoryChecker:
        """Re-read the index's settings and corpus tables when an add has committed since the last check."""
        generation = self.index.meta("generation")
        if self._stories is None or generation != self._generation:
            self.index.require_current_terms()
            self._generation = generation
            self.config = self.index.config
            self._stories = StoryChecker(self.index, self.config, self.limit)
            if self.warm:
                self._stories.memory.warm()
            elif self.stories_first:
                self._stories.memory.read_stories()
        return self._stories

    def story_of(self, article_id: str) -> str | None:
        """The stable id of the story holding an indexed article, or None."""
        row = self.index.db.execute("SELECT story FROM members WHERE id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def _copy_of(self, article: Article, sigs: SignatureMatrix) -> Copy | None:
        """``(relation, indexed id, score)`` when the article is an exact or near-duplicate copy, else None."""
        return copy_of(self.index.db, self.config, article, sigs)


def copy_of(db: sqlite3.Connection, config: Config, article: Article, sigs: SignatureMatrix) -> Copy | None:
    """``(relation, id, score)`` when the article (its one-row signature ``sigs``) is an exact or
    near-duplicate copy of an article ``db`` holds, else None: the exact copy of smallest id, else the
    near-duplicate candidate (sharing an LSH band) of best shingle Jaccard, ties by id, at ``threshold``."""
    if "exact" in config.relations:
        row = db.execute("SELECT id FROM articles WHERE exact = ? ORDER BY id LIMIT 1",
                         (sigs.exact[0].tobytes(),)).fetchone()
        if row:
            return "exact", row[0], 1.0
    if "near_duplicate" not in config.relations or sigs.empty[0]:
        return None
    keys = band_keys(sigs.hashvalues[0], config)
    candidates = sorted({other for (other,) in db.execute(  # one query; each term uses bands_key
        f"SELECT id FROM bands WHERE {' OR '.join(['(band = ? AND key = ?)'] * len(keys))}",
        [value for pair in keys for value in pair])})
    if not candidates:
        return None
    texts = [article_from(row[0]).content for row in db.execute(
        f"SELECT article FROM articles WHERE id IN ({','.join('?' * len(candidates))}) ORDER BY id",
        candidates)]
    mine, *theirs = shingle_sets([article.content, *texts], config.shingle_size)
    scored = sorted(((jaccard(mine, other), cid) for cid, other in zip(candidates, theirs)),
                    key=lambda s: (-s[0], s[1]))
    best_score, best = scored[0]
    return ("near_duplicate", best, best_score) if best_score >= config.threshold else None
