"""`dedupe check` mirrors the batch run's candidate cap: the article's best by shared-key evidence, the rest weighed
as the pairs the cap left out."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from conftest import corpus_file
from hypothesis import given, settings
from hypothesis import strategies as st
from test_index import CONFIG

from dedupe import read_articles
from dedupe.blocking import key_codes
from dedupe.capping import Evidence, key_matrix, key_weight
from dedupe.index import Checker, add, checklinks, create, open_index
from dedupe.index.checklinks import capped_split
from dedupe.index.story_check import StoryChecker
from dedupe.profile import salient_keys

CAP = 5


def batch_best(heads: dict[str, list[str]], article: str, keys: list[str], max_block: int, cap: int) -> list[str]:
    """The article's ``cap`` best candidates among ``heads`` (each head's salient keys) as :mod:`dedupe.capping`
    ranks them in a batch run over the heads and the article: by evidence, most first, ties by id."""
    ids = sorted([*heads, article])
    positions, codes = key_codes([keys if i == article else heads[i] for i in ids])
    me = ids.index(article)
    for row, candidate, shared in Evidence(key_matrix(positions, codes, len(ids), max_block)).rows():
        mine = row == me
        if mine.any():
            found = sorted(zip((-shared[mine]).tolist(), candidate[mine].tolist()))[:cap]
            return sorted(ids[c] for _, c in found)
    return []


def test_a_check_keeps_the_candidates_a_batch_run_ranks_first(tmp_path: Path) -> None:
    """With ``max_candidates`` 5, a check scores the 5 heads a batch run's cap ranks first for the article (the
    evidence of :func:`dedupe.capping.key_matrix` over the indexed heads and the article) and leaves out the others
    sharing a usable key; ``--candidates 0`` (``limit=0``) keeps them all."""
    articles = list(read_articles([corpus_file("ecbplus_dev")]))[:160]
    config = replace(CONFIG, max_candidates=CAP)
    with create(tmp_path / "ecb.db", config) as index:
        add(index, articles[:120])
    capped_some = 0
    with open_index(tmp_path / "ecb.db") as index:
        stories, every = StoryChecker(index, index.config), StoryChecker(index, index.config, limit=0)
        heads: dict[str, list[str]] = {}
        for key, head in index.db.execute("SELECT key, id FROM postings ORDER BY rowid"):
            heads.setdefault(head, []).append(key)
        for article in articles[120:]:
            profile, _, _ = stories.profile(article)
            keys = salient_keys(profile, config.block_keys)
            kept, capped = stories.ranked(profile)
            everything = every.candidates(profile)
            assert sorted([*kept, *capped]) == everything and not set(kept) & set(capped)
            assert kept == batch_best(heads, article.id, keys, config.max_block, CAP)
            assert stories.candidates(profile) == kept and len(kept) == min(CAP, len(everything))
            capped_some += bool(capped)
    assert capped_some >= 5


def test_heads_the_cap_left_out_weigh_capped_weight_in_a_large_story(seeds_dir: Path, tmp_path: Path) -> None:
    """A story head left out by the cap weighs ``capped_weight`` as a 0 when the story and the article are more
    than ``capped_size`` heads, as a batch run's clustering counts the pairs its cap left out; in a smaller story,
    or when not left out by the cap, ``unscored_weight``."""
    articles = list(read_articles([seeds_dir]))
    original = next(a for a in articles if a.id.startswith("002_"))
    with create(tmp_path / "c.db", CONFIG) as index:
        add(index, articles)
    with open_index(tmp_path / "c.db") as index:
        memory = StoryChecker(index, index.config).memory
        story = memory.owners([original.id])[original.id]
        other = next(h for h in memory.group_sizes([story])[story] if h != original.id)
        owner = {original.id: story}
        for copies in (0.0, 1.0):
            small = StoryChecker(index, index.config.replace(copy_weight=copies))
            large = StoryChecker(index, index.config.replace(copy_weight=copies, capped_size=2))
            assert small.links({original.id: 0.9}, owner, 0.0, [other]) == [(round(0.9 / 1.3, 9), story)]
            assert large.links({original.id: 0.9}, owner, 0.0, [other]) == [(round(0.9 / 1.05, 9), story)]
            assert large.links({original.id: 0.9}, owner) == [(round(0.9 / 1.3, 9), story)]


def test_a_checker_without_a_cap_lists_candidates_the_capped_one_left_out(tmp_path: Path) -> None:
    """``Checker(limit=0)`` (``check --candidates 0``) scores every head sharing a key; the default (the index's
    ``max_candidates``, here 1) lists only the one it kept."""
    articles = list(read_articles([corpus_file("ecbplus_dev")]))[:140]
    with create(tmp_path / "ecb.db", replace(CONFIG, max_candidates=1)) as index:
        add(index, articles[:120])
    with open_index(tmp_path / "ecb.db") as index:
        capped, every = Checker(index), Checker(index, limit=0)
        counts = [(len(capped.check(a)["candidates"]), len(every.check(a)["candidates"])) for a in articles[120:]]
    assert all(one <= 1 <= many or one == many == 0 for one, many in counts) and max(c[1] for c in counts) > 1


def _split_ranking_every_head(held: dict[str, list[str]], cap: int) -> tuple[list[str], list[str]]:
    """:func:`capped_split` as it was before add22: every head's rounded evidence ranked."""
    evidence: dict[str, float] = {}
    for key in sorted(held):
        weight = float(key_weight(len(held[key]) + 1))
        for head in held[key]:
            evidence[head] = evidence.get(head, 0.0) + weight
    if len(evidence) <= cap:
        return sorted(evidence), []
    order = sorted(evidence, key=lambda head: (-round(evidence[head], 9), head))
    return sorted(order[:cap]), sorted(order[cap:])


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from([f"k{n}" for n in range(12)]),
        st.lists(st.sampled_from([f"h{n:02d}" for n in range(40)]), min_size=1, max_size=12, unique=True),
        max_size=12,
    ),
    st.integers(1, 30),
)
def test_capped_split_ranks_near_heads_as_it_ranked_every_head(held: dict[str, list[str]], cap: int) -> None:
    """Ranking only the heads near the cap-th evidence keeps and leaves out the same heads as ranking every head
    (many equal sums and ties by id among 40 heads and 12 keys)."""
    assert capped_split(held, cap) == _split_ranking_every_head(held, cap)


def test_capped_split_rounds_only_the_heads_near_the_cut(monkeypatch) -> None:
    """Of 819 heads (39 keys of 2 to 40 holders, each head holding one) with a cap of 5, only the heads within
    rounding reach of the 5th best evidence (the 5 holding the two rarest keys) are ranked by their rounded
    evidence, not all 819; the heads of one key tie and go by id."""
    held = {f"k{n:03d}": [f"h{n:03d}-{m}" for m in range(n + 1)] for n in range(1, 40)}
    rounded: list[float] = []
    real_round = round
    monkeypatch.setattr(checklinks, "round", lambda x, n: rounded.append(x) or real_round(x, n), raising=False)
    kept, out = capped_split(held, 5)
    assert (kept, out) == _split_ranking_every_head(held, 5)
    assert len(kept) == 5 and len(kept) + len(out) == sum(map(len, held.values()))
    assert len(rounded) < 10
