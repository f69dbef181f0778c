"""What a long-lived `check` keeps in memory gives the scores of the plain batch functions, bit for bit."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from conftest import corpus_file
from hypothesis import given
from hypothesis import strategies as st
from test_index import CONFIG

from dedupe import read_articles
from dedupe.compare import cosine
from dedupe.index import add, create, open_index
from dedupe.index.codec import profile_from
from dedupe.index.rows import Head, Joined, Vocabulary, one_to_many
from dedupe.index.story_check import StoryChecker
from dedupe.match import neighbour_ranks, score_all
from dedupe.profile import Profile
from dedupe.scoring import pair_cosines_of

_KEYS = st.sampled_from([f"k{n}" for n in range(12)])
_WEIGHTS = st.dictionaries(_KEYS, st.floats(min_value=1e-3, max_value=1.0), max_size=8)


@given(mine=_WEIGHTS, others=st.lists(st.tuples(_WEIGHTS, st.booleans()), max_size=6),
       extra=st.dictionaries(st.sampled_from(["new1", "new2"]), st.floats(min_value=1e-3, max_value=1.0)))
def test_one_to_many_equals_cosine(mine: dict, others: list, extra: dict) -> None:
    """Against ``compare.cosine`` on the dicts themselves, whichever side is shorter or first; keys the
    stored rows never had (``extra``) are left out of the article's row but keep their places."""
    vocabulary = Vocabulary()
    rows = [vocabulary.row(weights) for weights, _ in others]
    article = {**extra, **mine}
    first = [mine_first for _, mine_first in others]
    got = one_to_many(vocabulary, vocabulary.row(article, grow=False), len(article), first, rows)
    want = [cosine(article, weights) if mine_first else cosine(weights, article) for weights, mine_first in others]
    assert [None if math.isnan(v) else v for v in got.tolist()] == want


@given(rows=st.lists(_WEIGHTS, min_size=1, max_size=6), later=st.lists(_WEIGHTS, max_size=6), data=st.data())
def test_joined_rows_gather_as_the_rows_joined_one_by_one(rows: list, later: list, data: st.DataObject) -> None:
    """The warmed heads' rows end to end, and rows appended after them one by one (heads ``add --fast``
    places), give for any choice and order of heads the rows' own arrays."""
    vocabulary = Vocabulary()
    heads = {f"h{n}": Head(profile_from_weights(f"h{n}"), {"terms": vocabulary.row(w)}) for n, w in enumerate(rows)}
    copies = {pid: (head.rows["terms"].columns.copy(), head.rows["terms"].weights.copy()) for pid, head in heads.items()}
    joined = Joined(heads, "terms")
    for n, weights in enumerate(later):
        row = vocabulary.row(weights)
        joined.append(f"n{n}", row)
        heads[f"n{n}"] = Head(profile_from_weights(f"n{n}"), {"terms": row})
        copies[f"n{n}"] = (row.columns.copy(), row.weights.copy())
    ids = data.draw(st.lists(st.sampled_from(sorted(heads)), max_size=8))
    lengths, columns, weights = joined.gather(ids)
    assert lengths.tolist() == [len(copies[i][0]) for i in ids]
    assert columns.tolist() == [c for i in ids for c in copies[i][0].tolist()]
    assert weights.tolist() == [w for i in ids for w in copies[i][1].tolist()]
    assert joined.gather(["not-a-head"]) is None


def profile_from_weights(article_id: str) -> Profile:
    """An empty profile (the rows carry the weights)."""
    return Profile(article_id, "", "", "", None, {}, {}, frozenset(), {})


@pytest.mark.parametrize("warm", [False, True])
def test_scores_equal_batch_scoring_of_the_same_profiles(tmp_path: Path, warm: bool) -> None:
    """Each held-out article's candidate scores are those ``match.score_all`` gives the same profiles,
    the article's neighbour rank counted as check counts it; heads decoded on first use or all up front
    (their rows then gathered end to end)."""
    articles = list(read_articles([corpus_file("ecbplus_dev")]))[:160]
    with create(tmp_path / "ecb.db", CONFIG) as index:
        add(index, articles[:120])
        stories = StoryChecker(index, index.config)
        if warm:
            stories.memory.warm()
        compared = 0
        for article in articles[120:]:
            profile, _, _ = stories.profile(article)
            candidates = stories.candidates(profile)
            stored = {pid: profile_from(blob) for pid, blob in index.db.execute("SELECT id, profile FROM profiles")}
            profiles = {**{c: stored[c] for c in candidates}, profile.article_id: profile}
            me = profile.article_id
            pairs = [(me, c) if me < c else (c, me) for c in candidates]
            words = pair_cosines_of(profiles, pairs)
            want = {(s.a if s.b == me else s.b): s.score
                    for s in score_all(profiles, neighbour_ranks(profiles, pairs, words), index.config)}
            assert stories.scores(profile, candidates) == want
            compared += len(want)
    assert compared > 100


def test_warm_memory_answers_as_cold(tmp_path: Path, seeds_dir: Path) -> None:
    """Decoding every head up front changes no verdict."""
    articles = list(read_articles([seeds_dir]))
    with create(tmp_path / "s.db", CONFIG) as index:
        add(index, articles[1:])
    with open_index(tmp_path / "s.db") as index:
        cold = StoryChecker(index, index.config)
        warm = StoryChecker(index, index.config)
        assert warm.memory.warm() == index.count("profiles")
        for article in articles[:4]:
            assert cold.verdict(article) == warm.verdict(article)
        terms = ["never-seen-term", *(t for (t,) in index.db.execute("SELECT term FROM frequencies WHERE kind = 't'"))]
        assert warm.memory.frequencies("t", terms) == cold.memory.frequencies("t", terms)
        assert warm.memory.frequencies("t", ["never-seen-term"]) == {"never-seen-term": 0}
        keys = ["no-such-key", *(k for (k,) in index.db.execute("SELECT DISTINCT key FROM postings"))]
        assert {k: sorted(v) for k, v in warm.memory.postings(keys).items()} == {
            k: sorted(v) for k, v in cold.memory.postings(keys).items()}
        ids = [i for (i,) in index.db.execute("SELECT id FROM members")]
        assert warm.memory.owners(ids) == cold.memory.owners(ids)
        stories = set(warm.memory.owners(ids).values())
        assert warm.memory.head_counts(stories) == cold.memory.head_counts(stories)
