"""The same-story part of ``dedupe check``: score an article against indexed stories, and what it would add.

The article is stripped of the index's page furniture and extracted; its TF-IDF weights and its counts'
rarities use the index's document frequencies counting the article itself (as an add would); its candidates
are the indexed heads sharing one of its salient keys (keys held by ``max_block`` heads or more are skipped,
as in blocking), of which its ``max_candidates`` best by shared-key evidence are scored, as a batch run's cap
keeps them (:meth:`StoryChecker.ranked`), with :func:`dedupe.compare.score_pair`, its neighbour rank being the
article's rank of that candidate. A story's link is the average linkage of the article with the story's heads,
each weighing its copy group's articles to the power ``copy_weight`` (unscored heads count as 0 with weight
``unscored_weight``, or ``capped_weight`` when the cap left them out of a large story); the best story at
``link_threshold`` or above is the verdict, each link first lowered for the gap between the article's days and the
story's heads' days (``day_link_weight``, see :func:`dedupe.clusterdays.timed_link`). This is what average linkage
does with a new singleton; the indexed articles' own weights and ranks are the stored ones, so ``add`` (which
recomputes everything) is the authority.
A headline-only article also goes through the headline path (:mod:`dedupe.index.headline_check`), whose best link wins
when it scores at least as high as the field model's.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from ..clusterdays import GroupDays, own_days, text_days, timed_link
from ..compare import Comparison, ceiling_of
from ..config import Config
from ..extract import extract
from ..furniture import strip_boilerplate
from ..headlines import headline_of
from ..merge import merge_cluster
from ..profile import (
    Profile,
    salient_keys,
)
from ..scoring import field_values
from ..types import Article, Cluster, Edge, Fields
from .checklinks import (
    Found,
    capped_split,
    furniture_of,
    plain_link,
    shown,
    story_inputs,
    weighed_link,
)
from .codec import article_key, profile_from, unpack
from .frozen import Ahead, term_sets, weighed_profile
from .headline_check import HeadlineMemory, HeadlineVerdict, headline_verdict, rescaled
from .memory import HeadMemory
from .star import star_ranks, star_scores
from .store import Index, lookup
from .update import cluster_from

_ROUNDED = 1e-9  # more than a link's rise when rounded to 9 digits
_WORDS = Comparison("terms", "cosine")  # the word cosine behind neighbour ranks (weight and neutral unused)


class StoryChecker:
    """Reads the index's furniture and frequencies once per generation; scores articles against stories.

    ``limit`` scores only that many candidates, those with the most shared-key evidence (see :meth:`ranked`);
    None: ``max_candidates``, as a batch run caps them; 0: every candidate.
    """

    def __init__(self, index: Index, config: Config, limit: int | None = None) -> None:
        self.index, self.config, self.limit = index, config, limit
        self.prepared: dict[str, Ahead] = {}  # worked out ahead (by article_key of the stripped article)
        self.profiled: dict[str, tuple[Profile, Fields, Article]] = {}  # profiles made ahead, by article id
        self.keyed: dict[str, list[str]] = {}  # the salient keys of profiles made ahead, by article id
        self.columns_ahead: dict[str, dict[str, np.ndarray]] = {}  # their terms' and names' columns (Ahead.columns)
        self._ranked: dict[str, tuple[tuple[list[str], list[str]], int, frozenset[str]]] = {}  # see ranked
        self._idf: dict[str, dict[str, float]] = {"t": {}, "n": {}}  # the frequencies never change here
        self.documents = int(index.meta("documents")) if "same_story" in config.relations else 0
        self.furniture = furniture_of(index)
        self.memory = HeadMemory(index)
        self.headlines = HeadlineMemory(index)

    def profile(self, article: Article, quotes: bool = True) -> tuple[Profile, Fields, Article]:
        """The article's profile against the index, its fields (without quotations unless ``quotes`` or
        worked out ahead, see :attr:`prepared`), and the article stripped of furniture; made ahead when in
        :attr:`profiled` (``add --fast``, whose weights do not change while it places)."""
        made = self.profiled.pop(article.id, None)
        if made is not None:
            return made
        cleaned = strip_boilerplate(article, self.furniture)
        ahead = self.prepared.pop(article_key(cleaned), None)
        fields = ahead.fields if ahead else extract(cleaned, quotes)
        return self.weighed(cleaned, ahead or Ahead(fields, term_sets(cleaned, fields))), fields, cleaned

    def weighed(self, cleaned: Article, ahead: Ahead) -> Profile:
        """The profile of an article stripped of furniture, its terms weighed with the index's frequencies."""
        found = {kind: self.memory.frequencies(kind, terms) for kind, terms in ahead.sets.items()}
        return weighed_profile(cleaned, ahead, found, self.documents, self._idf)

    def candidates(self, profile: Profile) -> list[str]:
        """The candidates the article keeps (see :meth:`ranked`), in id order."""
        return self.ranked(profile)[0]

    def ranked(self, profile: Profile, keep: bool = False) -> tuple[list[str], list[str]]:
        """The indexed heads sharing a salient key blocking would use (held by fewer than ``max_block``), kept and
        left out as the article's side of a batch run's cap splits them (:func:`~dedupe.index.checklinks.capped_split`,
        at ``limit``, else ``max_candidates``; 0: all kept); a batch run also keeps a pair when the article is
        among the head's own best, which is not mirrored. ``keep``: keep the split for the article's next call
        (``add --fast`` splits a part's articles before placing them), which takes it unless a head the memory
        took in since holds one of the keys it read (the only change to what the split reads: a key held by
        ``max_block`` heads or more stays left out as heads are taken in)."""
        me = profile.article_id
        kept = self._ranked.pop(me, None)
        if kept is not None and not self.memory.keys_taken_since(kept[1], kept[2]):
            return kept[0]
        keys = self.keyed.get(me) or salient_keys(profile, self.config.block_keys)
        held = self.memory.postings(keys, self.config.max_block)
        split = capped_split(held, self.config.max_candidates if self.limit is None else self.limit)
        if keep:
            self._ranked[me] = (split, self.memory.taken, frozenset(held))
        return split

    def scores(self, profile: Profile, candidates: Sequence[str]) -> dict[str, float]:
        """The pair score of the article with each candidate, as ``score_all`` gives it in a batch: every
        comparison's values for all candidates at once from the memory's :class:`~dedupe.index.heads.HeadTable`
        (scorers it does not compute, from a custom config, pair by pair on the stored profiles), and the term
        specificity with the index's document frequencies, the article counted among them (as its weights),
        worked out only for the pairs it counts in (published on one day, or a day unknown)."""
        me = profile.article_id
        others = [c for c in candidates if c != me] if me in candidates else list(candidates)
        table = self.memory.table
        ahead = self.columns_ahead.get(me)  # the columns of its keys, looked up by a worker (add --fast
        # pops them when it records the article, counting a new head's keys with them)
        places = self.memory.places(others)
        if others == sorted(others):  # as candidates() gives them: the article comes first from one place on
            first = np.arange(len(others)) >= bisect.bisect_right(others, me)
        else:
            first = np.fromiter((me < c for c in others), dtype=bool, count=len(others))
        comparisons = self.config.comparisons
        values = [table.column(c, profile, places, first, ahead) for c in comparisons]
        ceilings = [table.ceilings(c, profile, places) for c in comparisons]
        words = next((v for c, v in zip(comparisons, values) if (c.field, c.scorer) == ("terms", "cosine")), None)
        if words is None:
            words = table.column(_WORDS, profile, places, first, ahead)
        if any(v is None for v in values) or any(c is None for c in ceilings):
            values, ceilings = self._pair_by_pair(profile, others, values, ceilings)
        gaps = table.gaps(profile, places)
        specific = None
        if self.config.specific_weight:  # counted only for a gap of 0 or unknown (scorearrays.with_specific)
            specific = np.full(len(places), np.nan)
            near = np.flatnonzero(gaps < 1)
            if len(near):
                specific[near] = table.specific(profile, places[near], self.memory.column_frequencies,
                                                self.memory.frequencies("t", profile.terms), ahead)
        found = star_scores(comparisons, self.config.priors, values, ceilings, gaps,
                            star_ranks(others, words), words, specific, self.documents + 1)
        return dict(zip(others, found))

    def _pair_by_pair(self, profile: Profile, others: list[str], values: list[np.ndarray | None],
                      ceilings: list[np.ndarray | None]) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """The values and ceilings the head table left out (None), from the stored profiles pair by pair:
        :func:`dedupe.scoring.field_values` and :func:`dedupe.compare.ceiling_of`."""
        me = profile.article_id
        stored = {pid: profile_from(blob) for pid, blob in lookup(
            self.index, "SELECT id, profile FROM profiles WHERE id IN ({})", others)}
        profiles = {**stored, me: profile}
        pairs = [(me, c) if me < c else (c, me) for c in others]
        for n, comparison in enumerate(self.config.comparisons):
            if values[n] is None:
                found = field_values(profiles, pairs, comparison)
                values[n] = np.array([np.nan if v is None else v for v in found], dtype=np.float64)
            if ceilings[n] is None:
                ceilings[n] = np.array([ceiling_of(comparison, profiles[a], profiles[b]) for a, b in pairs])
        return [v for v in values if v is not None], [c for c in ceilings if c is not None]  # every one filled

    def links(self, scores: dict[str, float], owner: Mapping[str, str], floor: float = 0.0,
              capped: Sequence[str] = (), days: GroupDays | None = None) -> list[tuple[float, str]]:
        """Each touched story's average link with the article, at ``floor`` or above, best first (ties by story id).

        Heads not scored count as 0s weighing as :func:`~dedupe.index.checklinks.silence` says (``capped``: those
        the cap left out). A link is at most its story's best score (the average's weight of unscored heads is
        positive), and rounding to 9 digits raises it by at most 5e-10, so only stories holding a score of at least
        ``floor - _ROUNDED`` are averaged. With ``days`` (the article's) and a ``day_link_weight``, each link then
        loses what the gap between the article's days and its story's costs (as batch clustering's
        :func:`~dedupe.clusterdays.timed_link`).
        """
        reach = {owner[head] for head, score in scores.items() if score >= floor - _ROUNDED}
        if not reach:
            return []
        by_story: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for head, score in scores.items():
            if owner[head] in reach:
                by_story[owner[head]].append((head, score))
        cut: dict[str, list[str]] = defaultdict(list)
        if capped and self.config.capped_weight != self.config.unscored_weight:
            owners = self.memory.owner_map(capped)
            for head in capped:
                if owners[head] in reach:
                    cut[owners[head]].append(head)
        if self.config.copy_weight == 0:
            heads = self.memory.head_counts(by_story)
            found = [(plain_link(self.config, scored, heads[story], len(cut[story])), story)
                     for story, scored in by_story.items()]
        else:
            found = [(weighed_link(self.config, by_story[story], sizes, cut[story]), story)
                     for story, sizes in self.memory.group_sizes(by_story).items()]
        weight = self.config.day_link_weight
        if days is not None and days.published and weight:
            near = self.memory.story_days(story for link, story in found if link >= floor)
            found = [(timed_link(link, days, near[story], weight) if story in near else link, story)
                     for link, story in found]
        return sorted((f for f in found if f[0] >= floor), key=lambda f: (-f[0], f[1]))

    def verdict(self, article: Article, details: bool = True) -> tuple[dict[str, Any], Found | None]:
        """``same_story`` (with the facts it adds and the conflicts it raises, when ``details``) or
        ``new_story``; and the article's profile, fields and link (None without the same-story relation).
        Without ``details`` the best candidates are not listed either (``candidates`` is empty)."""
        answer: dict[str, Any] = {"verdict": "new_story", "story": None, "score": None, "candidates": [],
                                  "facts": {"adds": [], "corroborates": 0}, "conflicts": []}
        if "same_story" not in self.config.relations:
            return answer, None
        profile, fields, cleaned = self.profile(article, quotes=not details)
        found = Found(profile, fields, cleaned, None, quoted=not details or bool(fields.of("quote")))
        kept, capped = self.ranked(profile) if self.documents else ([], [])
        scores = self.scores(profile, kept) if kept else {}
        if headline_of(article) is not None:  # too far apart: never scored, nor counted as the cap's
            far = self.headlines.too_far(article, [*scores, *capped], self.config.headline_window)
            scores = {c: s for c, s in scores.items() if c not in far}
            capped = [c for c in capped if c not in far]
        owner = self.memory.owner_map(scores)
        if details:  # add --fast reads none of them
            answer["candidates"] = shown(scores, owner)
        days = (own_days(profile.day.toordinal() if profile.day else None, text_days(profile.dates))
                if self.config.day_link_weight else None)
        links = self.links(scores, owner, self.config.link_threshold, capped, days)
        headline = headline_verdict(self.headlines, article, self.config)
        if headline is not None and headline.best is not None and (not links or headline.score >= links[0][0]):
            return self._headline_answer(answer, found, headline, details)
        if not links:
            return answer, found
        link, story = links[0]
        best = max((c for c in scores if owner[c] == story), key=lambda c: (scores[c], c))
        edge = Edge(*sorted((article.id, best)), "same_story", scores[best])
        answer.update(verdict="same_story", story=story, score=round(link, 4))
        if details:
            answer.update(self.changes(story, cleaned, found.fields, edge))
        return answer, replace(found, extracted=found.fields, quoted=True, edge=edge)

    def _headline_answer(self, answer: dict[str, Any], found: Found, headline: HeadlineVerdict,
                         details: bool) -> tuple[dict[str, Any], Found]:
        """The ``same_story`` answer of the headline path (see :mod:`dedupe.index.headline_check`): the best
        headline link's story, its calibrated score, the candidates' calibrated weighted Jaccards."""
        assert headline.best is not None and headline.score is not None
        owner = self.memory.owners(headline.scores)
        story, article = owner[headline.best], found.cleaned
        if details:
            answer["candidates"] = shown(rescaled(headline.scores, self.config), owner)
        edge = Edge(*sorted((article.id, headline.best)), "same_story", round(headline.score, 4))
        answer.update(verdict="same_story", story=story, score=round(headline.score, 4))
        if details:
            answer.update(self.changes(story, article, found.fields, edge))
        return answer, replace(found, extracted=found.fields, quoted=True, edge=edge)

    def changes(self, story: str, article: Article, fields: Fields, edge: Edge) -> dict[str, Any]:
        """What merging the article into the story gives: the facts only it states (``adds``), how many
        facts it shares with other sources (``corroborates``), and the conflicts it takes part in (``new``
        when the story had no conflict on that field before)."""
        cluster_text, record_text = self.index.db.execute(
            "SELECT cluster, record FROM stories WHERE story = ?", (story,)).fetchone()
        cluster, before = cluster_from(cluster_text), unpack(record_text)
        articles, known = story_inputs(self.index, cluster.members)
        articles[article.id], known[article.id] = article, fields
        grown = Cluster(cluster.cluster_id, tuple(sorted((*cluster.members, article.id))), cluster.representative,
                        (*cluster.edges, edge))
        after = merge_cluster(grown, articles, known, extract)
        mine = [f for f in after.facts if any(e.article_id == article.id for e in f.evidence)]
        alone = [f for f in mine if len(f.evidence) == 1]
        old_conflicts = {(c["field"], c["kind"]) for c in before["conflicts"]}
        return {
            "facts": {"adds": [{"kind": f.kind, "about": f.about, "subject": f.subject, "value": f.value}
                               for f in alone],
                      "corroborates": len(mine) - len(alone)},
            "conflicts": [{**c.as_dict(), "story_id": story, "new": (c.field, c.kind) not in old_conflicts}
                          for c in after.conflicts
                          if any(e.article_id == article.id for v in c.values for e in v.evidence)],
        }
