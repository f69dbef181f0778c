"""What ``add --fast`` works out for all its articles before placing any: profiles, and what placing reads.

An ``add --fast`` weighs every article with the index's document frequencies and document count at its
start (they are written at its end, see :mod:`dedupe.index.counts`), so an article's profile, salient keys
and indexed candidates do not depend on the articles placed before it. :func:`profile_batch` therefore makes
every profile first and reads, in a few queries for the whole batch, what the placements would otherwise
read article by article: the frequencies of their terms, the postings of their salient keys, the stories
of the heads holding those keys, and how many heads those stories have.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..extract import extract
from ..furniture import strip_boilerplate
from ..profile import salient_keys
from ..types import Article
from .codec import article_key
from .story_check import Ahead, StoryChecker, term_sets


def profile_batch(stories: StoryChecker, articles: Sequence[Article], cleaned: Mapping[str, Article]) -> None:
    """Make the profile of every article into ``stories.profiled`` and its salient keys into ``stories.keyed``
    (its fields from ``stories.prepared`` when worked out ahead, else extracted here; ``prepared`` is
    emptied; ``cleaned``: some of the articles stripped of furniture, by id), and fill the checker's memory
    with the frequencies, postings, owners and head counts the placements will read. Nothing without the
    same-story relation."""
    if "same_story" not in stories.config.relations:
        return
    made = []
    for article in articles:
        stripped = cleaned.get(article.id) or strip_boilerplate(article, stories.furniture)
        ahead = stories.prepared.get(article_key(stripped))
        if ahead is None:
            fields = extract(stripped, True)
            ahead = Ahead(fields, term_sets(stripped, fields))
        made.append((article.id, stripped, ahead))
    stories.prepared.clear()
    memory = stories.memory
    for letter in ("t", "n", "c"):  # one look-up for the batch's terms of each kind
        memory.frequencies(letter, {term for _, _, ahead in made for term in ahead.sets[letter]})
    keys: set[str] = set()
    for article_id, stripped, ahead in made:
        profile = stories.weighed(stripped, ahead)
        stories.profiled[article_id] = (profile, ahead.fields, stripped)
        stories.keyed[article_id] = salient_keys(profile, stories.config.block_keys)
        keys.update(stories.keyed[article_id])
    heads = {head for held in memory.postings(keys, stories.config.max_block).values() for head in held}
    memory.head_counts(set(memory.owners(heads).values()))
