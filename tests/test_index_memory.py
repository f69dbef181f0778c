"""What a long-lived `check` keeps in memory gives the scores of the plain batch functions, bit for bit."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from conftest import corpus_file
from hypothesis import given, settings
from hypothesis import strategies as st
from test_index import CONFIG

from dedupe import read_articles
from dedupe.compare import DEFAULT_COMPARISONS, Comparison, cosine, score_pair
from dedupe.config import Config
from dedupe.index import add, create, open_index
from dedupe.index.codec import profile_from
from dedupe.index.memory import HeadMemory
from dedupe.index.rows import Joined, Vocabulary, star_cosines
from dedupe.index.story_check import StoryChecker
from dedupe.match import neighbour_ranks, score_all
from dedupe.scoring import pair_cosines_of

_KEYS = st.sampled_from([f"k{n}" for n in range(12)])
_WEIGHTS = st.dictionaries(_KEYS, st.floats(min_value=1e-3, max_value=1.0), max_size=8)


@given(mine=_WEIGHTS, others=st.lists(st.tuples(_WEIGHTS, st.booleans()), max_size=6),
       extra=st.dictionaries(st.sampled_from(["new1", "new2"]), st.floats(min_value=1e-3, max_value=1.0)),
       then=st.lists(_WEIGHTS, max_size=3), data=st.data())
def test_star_cosines_equal_cosine(mine: dict, others: list, extra: dict, then: list, data: st.DataObject) -> None:
    """Against ``compare.cosine`` on the dicts themselves, whichever side is shorter or first, the heads
    gathered in any order and repeated; keys the stored rows never had (``extra``) are left out of the
    article's row but keep their places; more articles scored after it (``then``) on the same scratch arrays."""
    vocabulary, joined = Vocabulary(), Joined()
    joined.extend([vocabulary.row(weights) for weights, _ in others])
    for article in [{**extra, **mine}, *then]:
        places = data.draw(st.lists(st.integers(0, len(others) - 1), max_size=8)) if others else []
        first = np.array([others[p][1] for p in places], dtype=bool)
        got = star_cosines(joined, vocabulary, vocabulary.row(article, grow=False), len(article), first,
                           np.array(places, dtype=np.int64))
        want = [cosine(article, others[p][0]) if others[p][1] else cosine(others[p][0], article) for p in places]
        assert [None if math.isnan(v) else v for v in got.tolist()] == want
    assert not vocabulary.marks().any() and not vocabulary.scratch().any()


_MANY = st.dictionaries(st.sampled_from([f"k{n}" for n in range(60)]), st.floats(min_value=1e-3, max_value=1.0),
                        min_size=10, max_size=45)


@settings(max_examples=60, deadline=None)
@given(mine=_MANY, others=st.lists(st.tuples(_MANY, st.booleans()), min_size=1, max_size=8), data=st.data())
def test_star_cosines_add_in_the_shorter_dicts_order(mine: dict, others: list, data: st.DataObject) -> None:
    """Long dicts sharing many keys, each in its own order, where adding the products in any other order than
    the shorter dict's would change last bits: still ``compare.cosine``'s floats."""
    mine = shuffled(mine, data)
    others = [(shuffled(weights, data), first) for weights, first in others]
    vocabulary, joined = Vocabulary(), Joined()
    joined.extend([vocabulary.row(weights) for weights, _ in others])
    places = data.draw(st.lists(st.integers(0, len(others) - 1), min_size=1, max_size=8))
    first = np.array([others[p][1] for p in places], dtype=bool)
    got = star_cosines(joined, vocabulary, vocabulary.row(mine, grow=False), len(mine), first,
                       np.array(places, dtype=np.int64))
    want = [cosine(mine, others[p][0]) if others[p][1] else cosine(others[p][0], mine) for p in places]
    assert got.tolist() == want


def test_star_cosines_gather_the_heads_rows_into_kept_scratch_arrays() -> None:
    """Each check gathers its candidates' rows into the joined rows' scratch arrays (grown, then kept: fresh
    arrays cost a check new pages), the article being the shorter side or the heads, and the cosines stay
    ``compare.cosine``'s when a smaller gather follows a larger one in the same arrays."""
    heads = [{f"k{n}": 0.5 + n / 10 for n in range(size)} for size in (9, 7, 2, 5)]
    vocabulary, joined = Vocabulary(), Joined()
    joined.extend([vocabulary.row(weights) for weights in heads])
    kept = None
    for mine, places in (({"k0": 0.3, "k1": 0.9, "k2": 0.1}, [0, 1, 3]), ({"k1": 1.0}, [1]),
                         ({f"k{n}": 0.2 for n in range(8)}, [3, 2])):  # the article shorter, then the heads
        got = star_cosines(joined, vocabulary, vocabulary.row(mine, grow=False), len(mine),
                           np.zeros(len(places), dtype=bool), np.array(places, dtype=np.int64))
        assert got.tolist() == [cosine(heads[p], mine) for p in places]
        gathered = [c for p in places for c in vocabulary.row(heads[p]).columns.tolist()]
        columns, _ = joined.scratch(len(gathered))
        assert columns.tolist() == gathered
        kept = columns.base if kept is None else kept
        assert columns.base is kept


def shuffled(weights: dict, data: st.DataObject) -> dict:
    """The dict with its keys in an order drawn at random."""
    return {key: weights[key] for key in data.draw(st.permutations(list(weights)))}


@given(rows=st.lists(_WEIGHTS, min_size=1, max_size=6), later=st.lists(_WEIGHTS, max_size=6), data=st.data())
def test_joined_rows_gather_as_the_rows_joined_one_by_one(rows: list, later: list, data: st.DataObject) -> None:
    """Rows taken in at once, then one by one (heads decoded later or placed by ``add --fast``), room made
    ahead or not, give for any choice and order of places the rows' own arrays, and their CSR ``indptr``."""
    vocabulary, joined = Vocabulary(), Joined()
    kept = [vocabulary.row(w) for w in rows]
    if data.draw(st.booleans()):
        joined.reserve(data.draw(st.integers(0, 12)), data.draw(st.integers(0, 60)))
    joined.extend(kept)
    for weights in later:
        kept.append(vocabulary.row(weights))
        joined.extend([kept[-1]])
        assert joined.indptr().tolist() == [0, *np.cumsum([len(r.columns) for r in kept]).tolist()]
    assert joined.indptr().dtype == np.int32
    places = data.draw(st.lists(st.integers(0, len(kept) - 1), max_size=8))
    gathered = joined.gather(np.array(places, dtype=np.int64))
    assert gathered.lengths.tolist() == [len(kept[p].columns) for p in places]
    assert joined.columns[gathered.index].tolist() == [c for p in places for c in kept[p].columns.tolist()]
    assert joined.weights[gathered.index].tolist() == [w for p in places for w in kept[p].weights.tolist()]
    assert gathered.rows.tolist() == [n for n, p in enumerate(places) for _ in kept[p].columns]


#: Scorers the head table does not compute (a custom config): scored pair by pair on the stored profiles.
CUSTOM = replace(CONFIG, comparisons=(*DEFAULT_COMPARISONS, Comparison("place", "same", 1.0, 0.5),
                                      Comparison("names", "overlap", 1.5, 0.1)))


PLAIN = replace(CONFIG, specific_weight=0.0)


@pytest.mark.parametrize(("warm", "config"), [(False, CONFIG), (True, CONFIG), (True, CUSTOM), (False, PLAIN)])
def test_scores_equal_batch_scoring_of_the_same_profiles(tmp_path: Path, warm: bool, config: Config) -> None:
    """Each held-out article's candidate scores are those ``compare.score_pair`` gives the same profiles, the
    article's neighbour rank counted as check counts it and the term specificity's frequencies the index's,
    the article counted; heads decoded on first use or all up front; with the default comparisons and with two
    the head table leaves to ``field_values``. Without the specificity, those ``match.score_all`` gives."""
    _scores_equal_score_pair(tmp_path, list(read_articles([corpus_file("ecbplus_dev")]))[:160], warm, config)


@pytest.mark.parametrize("warm", [False, True])
def test_scores_of_dated_articles_equal_batch_scoring(tmp_path: Path, warm: bool) -> None:
    """As above with the articles published over three days, a fifth undated: the specificity counts for
    pairs on one day or a day unknown, not the others (check works it out for those pairs only)."""
    articles = list(read_articles([corpus_file("ecbplus_dev")]))[:160]
    dated = [replace(a, published=None if n % 5 == 0 else f"2020-03-0{1 + n % 3}") for n, a in enumerate(articles)]
    _scores_equal_score_pair(tmp_path, dated, warm, CONFIG)


def _scores_equal_score_pair(tmp_path: Path, articles: list, warm: bool, config: Config) -> None:
    """Index the first 120 articles; each later one's candidate scores as ``score_pair`` gives them."""
    with create(tmp_path / "ecb.db", config) as index:
        add(index, articles[:120])
        stories = StoryChecker(index, index.config)
        if warm:
            stories.memory.warm()
        frequencies = dict(index.db.execute("SELECT term, n FROM frequencies WHERE kind = 't'"))
        documents = int(index.meta("documents")) + 1
        compared = 0
        for article in articles[120:]:
            profile, _, _ = stories.profile(article)
            candidates = stories.candidates(profile)
            stored = {pid: profile_from(blob) for pid, blob in index.db.execute("SELECT id, profile FROM profiles")}
            profiles = {**{c: stored[c] for c in candidates}, profile.article_id: profile}
            me = profile.article_id
            pairs = [(me, c) if me < c else (c, me) for c in candidates]
            words = pair_cosines_of(profiles, pairs)
            ranks = neighbour_ranks(profiles, pairs, words)
            if not config.specific_weight:
                want = {(s.a if s.b == me else s.b): s.score for s in score_all(profiles, ranks, index.config)}
                assert stories.scores(profile, candidates) == want
            counted = {**frequencies, **{term: frequencies.get(term, 0) + 1 for term in profile.terms}}
            want = {(b if a == me else a): score_pair(profiles[a], profiles[b], index.config.comparisons,
                                                      index.config.priors, ranks[(a, b)], counted, documents).score
                    for a, b in pairs}
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
        assert warm.memory.warm() == index.count("profiles") == len(warm.memory.table)
        for article in articles[:4]:
            assert cold.verdict(article) == warm.verdict(article)
        terms = ["never-seen-term", *(t for (t,) in index.db.execute("SELECT term FROM frequencies WHERE kind = 't'"))]
        assert warm.memory.frequencies("t", terms) == cold.memory.frequencies("t", terms)
        assert warm.memory.frequencies("t", ["never-seen-term"]) == {"never-seen-term": 0}
        keys = ["no-such-key", *(k for (k,) in index.db.execute("SELECT DISTINCT key FROM postings"))]
        for limit in (2, CONFIG.max_block):  # the cold memory counts the holders of keys held by too many
            fresh = StoryChecker(index, index.config).memory
            found = {k: sorted(v) for k, v in warm.memory.postings(keys, limit).items()}
            assert found == {k: sorted(v) for k, v in fresh.postings(keys, limit).items()}
            assert found == {k: sorted(v) for k, v in fresh.postings(keys, limit).items()}  # asked again
            assert "no-such-key" in found and any(k not in found for k in keys) == (limit == 2)
        ids = [i for (i,) in index.db.execute("SELECT id FROM members")]
        assert warm.memory.owners(ids) == cold.memory.owners(ids)
        stories = set(warm.memory.owners(ids).values())
        assert warm.memory.head_counts(stories) == cold.memory.head_counts(stories)


def test_heads_read_on_first_use_go_into_room_made_once(tmp_path: Path, seeds_dir: Path) -> None:
    """In a memory that read every story first (a large ``add --fast``), the first heads read on first use make
    room in the table for every stored head (as many keys a head as they hold, and more): the later ones are
    taken in without copying the joined rows (an add of 1,000 into 99,000 reads ~30,000 heads ~37 at a time);
    every head's rows are those read all at once."""
    with create(tmp_path / "s.db", CONFIG) as index:
        add(index, list(read_articles([seeds_dir])))
    with open_index(tmp_path / "s.db") as index:
        every = StoryChecker(index, index.config).memory
        every.read_heads()
        size = {i: int(sum(every.table.joined[k].lengths[p] for k in ("terms", "names", "numbers")))
                for i, p in every.table.places.items()}
        ids = sorted(size, key=lambda i: (-size[i], i))  # the largest first: the room made fits them all
        assert len(ids) > 4
        lazy = StoryChecker(index, index.config).memory
        lazy.read_stories()
        lazy.places(ids[: len(ids) // 2])
        arrays = {kind: (joined.columns, joined.weights) for kind, joined in lazy.table.joined.items()
                  if kind != "dates"}
        for n in range(len(ids) // 2, len(ids), 2):
            lazy.places(ids[n : n + 2])
        assert len(lazy.table) == len(every.table)
        for kind, (columns, weights) in arrays.items():
            assert lazy.table.joined[kind].columns is columns and lazy.table.joined[kind].weights is weights
        for kind in ("terms", "names", "numbers", "dates"):
            mine, theirs = lazy.table.joined[kind], every.table.joined[kind]
            for head in ids:
                a, b = mine.gather(lazy.table.places_of([head])), theirs.gather(every.table.places_of([head]))
                assert np.array_equal(mine.columns[a.index], theirs.columns[b.index]) if kind != "dates" else \
                    a.lengths.tolist() == b.lengths.tolist()
                assert np.array_equal(mine.weights[a.index], theirs.weights[b.index])


def test_stories_read_at_once_answer_as_looked_up(tmp_path: Path, seeds_dir: Path) -> None:
    """Every article's story and every story's head count read at once (a large ``add --fast``) answer as
    looking them up, and stay in step with the memberships the add writes (``place``), a new story's too."""
    articles = list(read_articles([seeds_dir]))
    with create(tmp_path / "s.db", CONFIG) as index:
        add(index, articles)
    with open_index(tmp_path / "s.db") as index, index.writing():
        read = StoryChecker(index, index.config).memory
        read.read_stories()
        ids = [i for (i,) in index.db.execute("SELECT id FROM members")]
        stories = set(read.owners(ids).values())
        assert read.owners(ids) == StoryChecker(index, index.config).memory.owners(ids)
        assert read.head_counts(stories) == StoryChecker(index, index.config).memory.head_counts(stories)
        assert read.group_sizes(stories) == StoryChecker(index, index.config).memory.group_sizes(stories)
        looked_up = StoryChecker(index, index.config).memory
        looked_up.group_sizes(stories)  # kept before the add, then kept in step by place
        old = min(stories)
        for article_id, story in (("zz-head", old), ("zz-new", "S999999")):
            index.db.execute("INSERT INTO members (id, story, head) VALUES (?, ?, ?)", (article_id, story, article_id))
            read.place(article_id, story, article_id)
            looked_up.place(article_id, story, article_id)
        index.db.execute("INSERT INTO members (id, story, head) VALUES (?, ?, ?)", ("zz-copy", old, "zz-head"))
        read.place("zz-copy", old, "zz-head")
        looked_up.place("zz-copy", old, "zz-head")
        fresh = StoryChecker(index, index.config).memory
        grown = [old, "S999999"]
        assert read.head_counts(grown) == fresh.head_counts(grown)
        assert read.group_sizes(grown) == fresh.group_sizes(grown) == looked_up.group_sizes(grown)
        assert fresh.group_sizes([old])[old]["zz-head"] == 2
        assert read.owners(["zz-head", "zz-new", "zz-copy"]) == fresh.owners(["zz-head", "zz-new", "zz-copy"])


def test_verdicts_look_up_no_owners_once_every_story_is_read(tmp_path: Path, seeds_dir: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Once every article's story is read (``add --fast``), a verdict reads the stories of the candidates it
    links from the memory's own mapping, building none for its hundreds of candidates; the verdicts, with
    and without details, are those of a checker looking the owners up."""
    articles = list(read_articles([seeds_dir]))
    indexed, held = articles[: len(articles) // 2], articles[len(articles) // 2 :]
    with create(tmp_path / "s.db", CONFIG) as index:
        add(index, indexed)
    with open_index(tmp_path / "s.db") as index, index.reading():
        looked_up = StoryChecker(index, index.config)
        want = [looked_up.verdict(article, details) for article in held for details in (True, False)]
        read = StoryChecker(index, index.config)
        read.memory.read_stories()

        def refused(self, ids):
            raise AssertionError("owners built")

        monkeypatch.setattr(HeadMemory, "owners", refused)
        got = [read.verdict(article, details) for article in held for details in (True, False)]
    assert [answer for answer, _ in got] == [answer for answer, _ in want]
    assert [found and found.edge for _, found in got] == [found and found.edge for _, found in want]
    assert any(answer["verdict"] == "same_story" for answer, _ in got)
