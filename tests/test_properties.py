"""Property tests: partitions, order independence, edge invariants, average linkage against a slow reference."""

from __future__ import annotations

import itertools
import random
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedupe import Article, Config, run
from dedupe.candidates import TARGET_RECALL, lsh_params
from dedupe.graph import cluster_id
from dedupe.linkage import average_linkage
from dedupe.normalize import content_hash
from dedupe.pairtable import table_of
from dedupe.pipeline import Result
from dedupe.signatures import jaccard, shingle_hashes

POOL = (
    "The council voted on Tuesday to close the old swimming baths at the end of the summer.",
    "Police said a man in his forties had been arrested on suspicion of dangerous driving.",
    "Residents of the estate have complained about the noise from the quarry for years.",
    "The hospital said the new wing would add forty beds and a larger emergency department.",
    "A spokesman for the company declined to say how many jobs were at risk.",
    "The river burst its banks after three days of heavy rain across the valley.",
    "Schools in the district will reopen on Monday once the heating has been repaired.",
    "The mayor described the decision as a sad day for the town and its young people.",
    "Firefighters were called to the warehouse shortly after midnight and stayed until dawn.",
    "The festival drew more visitors than ever before, according to the organisers.",
    "Shares in the bank fell sharply after it warned that profits would be lower than expected.",
    "An inquest into the death of the cyclist will open at the coroner's court next month.",
    "The minister said the government had no plans to change the law this year.",
    "Local farmers say the dry spring has cut their harvest by almost a third.",
    "The museum will display the recovered paintings in a special exhibition from June.",
    "Union leaders said their members would strike unless the pay offer was improved.",
    "The road will stay closed while engineers inspect the damaged bridge.",
    "Witnesses described seeing a bright flash followed by a loud bang.",
    "The charity said demand at its food banks had doubled since the winter.",
    "A judge ordered the company to pay compensation to the families of the workers.",
)
NEAR_THRESHOLD = 0.8
COPIES = Config(relations=("exact", "near_duplicate"))
PROPERTY = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


def near_copy(text: str, how: int, extra: str) -> str:
    """A light edit of ``text``: a sentence added, the first sentence dropped, or one word changed."""
    if how == 0:
        return f"{text} {extra}"
    sentences = text.split(". ")
    if how == 1 and len(sentences) > 2:
        return ". ".join(sentences[1:])
    words = text.split()
    words[len(words) // 2] = "meanwhile"
    return " ".join(words)


def exact_copy(text: str, how: int) -> str:
    """The same text as another outlet prints it: other case, spacing or quotes."""
    return [text.upper(), text.replace(" ", "  ").replace(". ", ".\n\n"), text.replace("'", "\u2019")][how]


@st.composite
def corpora(draw: st.DrawFn) -> list[Article]:
    """Small corpora from the sentence pool, with planted exact copies and near copies."""
    size = draw(st.integers(1, 12))
    alphabet = "abcdefghxyz0123456789-"
    ids = draw(st.lists(st.text(alphabet, min_size=1, max_size=5), min_size=size, max_size=size, unique=True))
    texts: list[str] = []
    for _ in ids:
        kind = draw(st.sampled_from(["fresh", "exact", "near"])) if texts else "fresh"
        if kind == "fresh":
            picks = draw(st.lists(st.integers(0, len(POOL) - 1), min_size=1, max_size=9))
            texts.append(" ".join(POOL[i] for i in picks))
        elif kind == "exact":
            texts.append(exact_copy(draw(st.sampled_from(texts)), draw(st.integers(0, 2))))
        else:
            extra = POOL[draw(st.integers(0, len(POOL) - 1))]
            texts.append(near_copy(draw(st.sampled_from(texts)), draw(st.integers(0, 2)), extra))
    return [Article(id=i, text=t, origin=f"test:{n}") for n, (i, t) in enumerate(zip(ids, texts), start=1)]


def pair_jaccard(a: Article, b: Article, size: int = 5) -> float:
    """Exact Jaccard of two articles' word shingles."""
    return jaccard(shingle_hashes(a.content, size), shingle_hashes(b.content, size))


def cluster_of(result: Result) -> dict[str, str]:
    """Each article id with the id of its cluster."""
    return {member: c.cluster_id for c in result.clusters for member in c.members}


@PROPERTY
@given(corpora())
def test_every_article_in_exactly_one_cluster(articles: list[Article]) -> None:
    result = run(articles, COPIES)
    counts = Counter(member for c in result.clusters for member in c.members)
    assert counts == Counter(a.id for a in articles)
    assert all(c.representative in c.members for c in result.clusters)
    assert result.summary["articles"]["clustered"] == len(articles)


@PROPERTY
@given(corpora(), st.randoms(use_true_random=False))
def test_shuffled_input_gives_identical_clusters(articles: list[Article], rng: random.Random) -> None:
    shuffled = articles[:]
    rng.shuffle(shuffled)
    first, second = run(articles, COPIES), run(shuffled, COPIES)
    assert first.clusters == second.clusters
    assert first.edges == second.edges


@PROPERTY
@given(corpora())
def test_cluster_ids_depend_only_on_members(articles: list[Article]) -> None:
    result = run(articles, COPIES)
    for c in result.clusters:
        assert c.members == tuple(sorted(c.members))
        assert c.cluster_id == cluster_id(c.members) == cluster_id(reversed(c.members))
    assert len({c.cluster_id for c in result.clusters}) == len(result.clusters)
    assert [c.cluster_id for c in result.clusters] == sorted(c.cluster_id for c in result.clusters)


@PROPERTY
@given(corpora(), st.sampled_from([0.5, 0.65, 0.8, 0.9]))
def test_edges_are_ordered_and_verified(articles: list[Article], threshold: float) -> None:
    result = run(articles, COPIES.replace(threshold=threshold))
    by_id = result.by_id()
    inside = {edge for c in result.clusters for edge in c.edges}
    assert inside <= set(result.edges)
    for edge in result.edges:
        assert edge.a < edge.b
        a, b = by_id[edge.a], by_id[edge.b]
        if edge.relation == "exact":
            assert (content_hash(a.content), edge.score) == (content_hash(b.content), 1.0)
        else:
            assert edge.relation == "near_duplicate"
            assert edge.score == pair_jaccard(a, b) >= threshold
    assert len({(e.a, e.b) for e in result.edges}) == len(result.edges)


@PROPERTY
@given(corpora())
def test_close_copies_share_a_cluster(articles: list[Article]) -> None:
    """A pair far above the threshold (Jaccard >= 0.9) misses LSH with probability ~1e-7: never in practice."""
    where = cluster_of(run(articles, COPIES))
    for a, b in itertools.combinations(articles, 2):
        if content_hash(a.content) == content_hash(b.content) or pair_jaccard(a, b) >= 0.9:
            assert where[a.id] == where[b.id], (a.id, b.id)


def test_planted_copies_cluster_together() -> None:
    base = " ".join(POOL[:8])
    articles = [
        Article("a", base), Article("b", exact_copy(base, 0)), Article("c", near_copy(base, 0, POOL[9])),
        Article("d", " ".join(POOL[10:16])), Article("e", near_copy(" ".join(POOL[10:16]), 2, "")),
        Article("f", POOL[19]),
    ]
    result = run(articles, COPIES)
    assert sorted(c.members for c in result.clusters) == [("a", "b", "c"), ("d", "e"), ("f",)]
    assert [(e.a, e.b, e.relation) for e in result.edges] == [
        ("a", "b", "exact"), ("a", "c", "near_duplicate"), ("d", "e", "near_duplicate")]


# --- average linkage against a slow, obvious reference -----------------------------------------


def reference_average_linkage(
    groups: list[frozenset[str]], similarity: dict[tuple[str, str], float], threshold: float, unscored: float = 1.0,
    capped: frozenset[tuple[str, str]] = frozenset(), capped_weight: float = 0.0, capped_above: int = 0,
    silent: float | None = None, support: float = 0.0, sizes: dict[str, float] | None = None,
) -> set[frozenset[str]]:
    """Merge the two clusters with the highest mean pair score while it is >= threshold (O(n^3) per merge).

    Pairs missing from ``similarity`` count as a 0 of weight ``unscored``, or ``capped_weight`` when in ``capped``
    (smaller id first) between two clusters of more than ``capped_above`` members together; there the other
    missing pairs weigh ``silent`` when given, and the two link only with ``support`` times the smaller one's
    members in scored pairs. Every pair's score and weight count ``sizes[x] * sizes[y]`` times (absent: 1).
    """
    def scored(x: str, y: str) -> bool:
        return (x, y) in similarity or (y, x) in similarity

    def times(x: str, y: str) -> float:
        return (sizes or {}).get(x, 1.0) * (sizes or {}).get(y, 1.0)

    def weight(x: str, y: str, size: int) -> float:
        if scored(x, y):
            return times(x, y)
        if size > capped_above:
            return times(x, y) * (capped_weight if (min(x, y), max(x, y)) in capped else
                                  unscored if silent is None else silent)
        return times(x, y) * unscored

    def score(x: str, y: str) -> float:
        return times(x, y) * similarity.get((x, y), similarity.get((y, x), 0.0))

    def mean(left: frozenset[str], right: frozenset[str]) -> float:
        size = len(left) + len(right)
        if size > capped_above and sum(scored(x, y) for x in left for y in right) < support * min(
            len(left), len(right)
        ):
            return -1.0
        weights = sum(weight(x, y, size) for x in left for y in right)  # 0 only with no scored pair (then no score)
        return sum(score(x, y) for x in left for y in right) / weights if weights else 0.0

    clusters = list(groups)
    while len(clusters) > 1:
        best, i, j = max((mean(clusters[i], clusters[j]), i, j)
                         for i, j in itertools.combinations(range(len(clusters)), 2))
        if best < threshold:
            break
        merged = clusters[i] | clusters[j]
        clusters = [c for k, c in enumerate(clusters) if k not in (i, j)] + [merged]
    return set(clusters)


@st.composite
def linkage_problems(draw: st.DrawFn) -> tuple[list[frozenset[str]], dict[tuple[str, str], float], float]:
    """Random groups of ids, a sparse similarity dict with distinct generic scores, and a threshold."""
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    ids = [f"n{i:02d}" for i in range(draw(st.integers(1, 12)))]
    rng.shuffle(ids)
    cuts = sorted(rng.sample(range(1, len(ids)), rng.randint(0, len(ids) - 1))) if len(ids) > 1 else []
    groups = [frozenset(ids[a:b]) for a, b in zip([0, *cuts], [*cuts, len(ids)])]
    density = draw(st.sampled_from([0.2, 0.5, 0.9]))
    similarity = {}
    for x, y in itertools.combinations(sorted(ids), 2):
        if rng.random() < density:
            similarity[(x, y) if rng.random() < 0.5 else (y, x)] = rng.random()
    return groups, similarity, rng.uniform(0.05, 0.9)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(linkage_problems())
def test_average_linkage_matches_reference(problem: tuple) -> None:
    groups, similarity, threshold = problem
    for unscored in (1.0, 0.3):
        expected = reference_average_linkage(groups, similarity, threshold, unscored)
        assert set(average_linkage(groups, similarity, threshold, unscored)) == expected


@st.composite
def capped_problems(draw: st.DrawFn) -> tuple[list[frozenset[str]], dict[tuple[str, str], float], float,
                                             frozenset[tuple[str, str]], float]:
    """A linkage problem with some of its unscored pairs marked as left out by the cap, and their weight."""
    groups, similarity, threshold = draw(linkage_problems())
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    ids = sorted(set().union(*groups))
    unscored = [p for p in itertools.combinations(ids, 2) if p not in similarity and p[::-1] not in similarity]
    capped = frozenset(p for p in unscored if rng.random() < draw(st.sampled_from([0.3, 0.7, 1.0])))
    return groups, similarity, threshold, capped, draw(st.sampled_from([0.0, 0.05, 0.2, 0.3, 0.5]))


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(capped_problems(), st.sampled_from([0, 2, 3, 5]), st.randoms(use_true_random=False))
def test_average_linkage_with_capped_pairs_matches_reference(problem: tuple, above: int, rng: random.Random) -> None:
    groups, similarity, threshold, capped, capped_weight = problem
    expected = reference_average_linkage(groups, similarity, threshold, 0.3, capped, capped_weight, above)
    table = table_of(sorted(capped)) if capped else None
    assert set(average_linkage(groups, similarity, threshold, 0.3, table, capped_weight, above)) == expected
    shuffled = [frozenset(rng.sample(sorted(g), len(g))) for g in rng.sample(groups, len(groups))]
    reordered = {(b, a) if rng.random() < 0.5 else (a, b): s for (a, b), s in similarity.items()}
    assert set(average_linkage(shuffled, reordered, threshold, 0.3, table, capped_weight, above)) == expected


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(capped_problems(), st.sampled_from([0, 2, 3, 5]), st.sampled_from([0.0, 0.05, 0.2]),
       st.sampled_from([0.0, 0.5, 1.0, 2.0]), st.randoms(use_true_random=False))
def test_second_pass_weights_match_reference(problem: tuple, above: int, silent: float, support: float,
                                             rng: random.Random) -> None:
    groups, similarity, threshold, capped, capped_weight = problem
    expected = reference_average_linkage(groups, similarity, threshold, 0.3, capped, capped_weight, above, silent,
                                         support)
    table = table_of(sorted(capped)) if capped else None
    found = average_linkage(groups, similarity, threshold, 0.3, table, capped_weight, above, silent_weight=silent,
                            support=support)
    assert set(found) == expected
    assert sorted(m for c in found for m in c) == sorted(m for g in groups for m in g)  # each id once
    shuffled = [frozenset(rng.sample(sorted(g), len(g))) for g in rng.sample(groups, len(groups))]
    reordered = {(b, a) if rng.random() < 0.5 else (a, b): s for (a, b), s in similarity.items()}
    assert set(average_linkage(shuffled, reordered, threshold, 0.3, table, capped_weight, above,
                               silent_weight=silent, support=support)) == expected


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(capped_problems(), st.sampled_from([0, 2, 3, 5]), st.sampled_from([None, 0.05]),
       st.sampled_from([0.0, 1.0]), st.randoms(use_true_random=False))
def test_weighed_heads_match_reference(problem: tuple, above: int, silent: float | None, support: float,
                                       rng: random.Random) -> None:
    """Heads weighed by their copy groups (whole counts, some heads left at 1): the reference's article-pair
    average, whatever the input order."""
    groups, similarity, threshold, capped, capped_weight = problem
    sizes = {m: float(rng.choice([1, 2, 5, 80])) for g in groups for m in g if rng.random() < 0.6}
    expected = reference_average_linkage(groups, similarity, threshold, 0.3, capped, capped_weight, above, silent,
                                         support, sizes)
    table = table_of(sorted(capped)) if capped else None
    found = average_linkage(groups, similarity, threshold, 0.3, table, capped_weight, above, silent_weight=silent,
                            support=support, weights=sizes)
    assert set(found) == expected
    shuffled = [frozenset(rng.sample(sorted(g), len(g))) for g in rng.sample(groups, len(groups))]
    reordered = {(b, a) if rng.random() < 0.5 else (a, b): s for (a, b), s in similarity.items()}
    assert (
        set(
            average_linkage(
                shuffled,
                reordered,
                threshold,
                0.3,
                table,
                capped_weight,
                above,
                silent_weight=silent,
                support=support,
                weights=dict(reversed(sizes.items())),
            )
        )
        == expected
    )


def test_a_wire_report_reprinted_many_times_anchors_its_rewrites() -> None:
    """A star: rewrites that each link only to one copy group of 80 reprints (their mutual pairs unscored).
    Over head pairs the group is one head among the rewrites and the star is cut; over article pairs it holds."""
    rewrites = [f"r{i}" for i in range(6)]
    groups = [frozenset({"w"}), *(frozenset({r}) for r in rewrites)]
    star = {("w", r): 0.9 for r in rewrites}
    assert len(average_linkage(groups, star, 0.6, 0.3)) > 1  # {w, r0, r1}: 0.9 / (1 + 0.3 * 2) < 0.6 for a third
    assert len(average_linkage(groups, star, 0.6, 0.3, weights={"w": 1.0})) > 1  # weight 1: as without weights
    assert set(average_linkage(groups, star, 0.6, 0.3, weights={"w": 80.0})) == {frozenset({"w", *rewrites})}
    chain = {("w", "r0"): 0.9, ("r0", "r1"): 0.8}  # r1 is close to r0 only, never compared with the 80 reprints
    assert len(average_linkage(groups[:3], chain, 0.6, 0.3)) == 1  # 0.8 / (1 + 0.3) over head pairs
    assert set(average_linkage(groups[:3], chain, 0.6, 0.3, weights={"w": 80.0})) == {
        frozenset({"w", "r0"}), frozenset({"r1"})}  # 0.8 / (1 + 0.3 * 80) over article pairs


def test_silent_pairs_weigh_little_only_between_large_well_linked_clusters() -> None:
    left, right = frozenset({"a", "b", "c"}), frozenset({"d", "e", "f"})
    strong = {("a", "d"): 0.9, ("b", "e"): 0.9, ("c", "f"): 0.9}  # 3 scored of 9 pairs, 6 sharing no key
    assert len(average_linkage([left, right], strong, 0.6, 0.3)) == 2  # 2.7 / (3 + 1.8) = 0.56
    assert len(average_linkage([left, right], strong, 0.6, 0.3, None, 0.05, 5, silent_weight=0.05)) == 1
    assert len(average_linkage([left, right], strong, 0.6, 0.3, None, 0.05, 6, silent_weight=0.05)) == 2  # small
    assert len(average_linkage([left, right], strong, 0.6, 0.3, None, 0.05, 5, silent_weight=0.05,
                               support=1.0)) == 1  # 3 scored pairs >= 1 x 3 heads
    assert len(average_linkage([left, right], strong, 0.6, 0.3, None, 0.05, 5, silent_weight=0.05,
                               support=1.5)) == 2  # a few strong pairs cannot join two large clusters


def test_capped_pairs_weigh_less_than_pairs_sharing_no_key() -> None:
    groups = [frozenset({x}) for x in "abc"]
    assert len(average_linkage(groups, {("a", "b"): 0.9, ("b", "c"): 0.7, ("a", "c"): 0.6}, 0.6, 0.3)) == 1
    strong = {("a", "b"): 0.9, ("b", "c"): 0.7}
    assert len(average_linkage(groups, strong, 0.6, 0.3)) == 2  # 0.7 / 1.3 < 0.6: a and c share no key
    capped = table_of([("a", "c")])
    assert len(average_linkage(groups, strong, 0.6, 0.3, capped, 0.05)) == 1  # 0.7 / 1.05: the cap said little
    assert len(average_linkage(groups, strong, 0.6, 0.3, capped, 0.3)) == 2  # weighed as before
    assert len(average_linkage(groups, strong, 0.6, 0.3, capped, 0.05, 3)) == 2  # a cap of 2 could compare all 3


def test_average_linkage_resists_chaining() -> None:
    groups = [frozenset({x}) for x in "abc"]
    assert set(average_linkage(groups, {("a", "b"): 0.9, ("b", "c"): 0.8}, 0.5)) == {
        frozenset("ab"), frozenset("c")}
    assert set(average_linkage(groups, {("a", "b"): 0.9, ("b", "c"): 0.8, ("a", "c"): 0.3}, 0.5)) == {
        frozenset("abc")}


# --- LSH banding ---------------------------------------------------------------------------------


def collision(threshold: float, bands: int, rows: int) -> float:
    """Probability that a pair with Jaccard ``threshold`` shares at least one band."""
    return 1.0 - (1.0 - threshold**rows) ** bands


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.floats(0.05, 1.0), st.integers(16, 1024))
def test_lsh_params_reach_the_target(threshold: float, num_perm: int) -> None:
    bands, rows = lsh_params(threshold, num_perm)
    assert 1 <= rows <= num_perm and bands * rows <= num_perm
    if collision(threshold, num_perm, 1) < TARGET_RECALL:
        assert (bands, rows) == (num_perm, 1)
        return
    assert collision(threshold, bands, rows) >= TARGET_RECALL
    more_rows = [r for r in range(rows + 1, num_perm + 1) if collision(threshold, num_perm // r, r) >= TARGET_RECALL]
    assert more_rows == []


@pytest.mark.parametrize(
    ("threshold", "num_perm", "expected"),
    [(0.8, 128, (21, 6)), (0.5, 128, (42, 3)), (0.9, 128, (14, 9)), (0.8, 16, (8, 2)), (0.1, 16, (16, 1))],
)
def test_lsh_params_examples(threshold: float, num_perm: int, expected: tuple[int, int]) -> None:
    assert lsh_params(threshold, num_perm) == expected


HEADLINE_POOL = (
    "Storm closes coast road overnight",
    "Coast road shut as storm hits",
    "Council votes on bridge repair budget",
    "Bridge repairs win council budget vote",
    "Rail strike called off after late talks",
    "Late talks end rail strike",
    "Zoo welcomes panda cub",
    "Museum shows recovered paintings",
)
HEADLINE_RUNS = settings(max_examples=12, deadline=None, derandomize=True, database=None,
                         suppress_health_check=[HealthCheck.too_slow])


@st.composite
def headline_corpora(draw: st.DrawFn) -> list[Article]:
    """Small corpora of mostly headline-only articles (empty text; some with a body from ``POOL``), some headlines
    repeated or cut, dated over a few days or undated."""
    size = draw(st.integers(1, 10))
    ids = draw(st.lists(st.text("abcxyz0123", min_size=1, max_size=4), min_size=size, max_size=size, unique=True))
    days = st.sampled_from([None, "2024-05-01", "2024-05-02", "2024-05-04"])
    articles = []
    for n, article_id in enumerate(ids, start=1):
        words = draw(st.sampled_from(HEADLINE_POOL)).split()
        cut = draw(st.integers(0, 2))
        title = " ".join(words[cut:] if len(words) - cut >= 2 else words)
        body = draw(st.sampled_from(["", "", "", *POOL[:3]]))
        articles.append(Article(id=article_id, text=body, title=title, published=draw(days), origin=f"test:{n}"))
    return articles


@HEADLINE_RUNS
@given(headline_corpora(), st.randoms(use_true_random=False))
def test_headline_input_partitions_and_ignores_order(articles: list[Article], rng: random.Random) -> None:
    config = Config(workers=1)
    first = run(articles, config)
    assert Counter(m for c in first.clusters for m in c.members) == Counter(a.id for a in articles)
    assert all(e.a < e.b and 0.0 < e.score <= 1.0 for e in first.edges)
    shuffled = articles[:]
    rng.shuffle(shuffled)
    second = run(shuffled, config)
    assert first.clusters == second.clusters
    assert first.edges == second.edges


@given(
    st.text(
        alphabet=st.one_of(st.characters(), st.sampled_from("\u2018\u2019\u201c\u201d\u2013\u2014\u00a0\u2032\u00ab"))
    )
)
def test_fold_is_nfkc_then_the_quote_table(text: str) -> None:
    import unicodedata

    from dedupe.normalize import _QUOTE_FOLD, fold

    assert fold(text) == unicodedata.normalize("NFKC", text).translate(_QUOTE_FOLD)


def test_paused_gc_restores_the_collector_as_it_was() -> None:
    import gc

    from dedupe.pipeline import paused_gc

    assert gc.isenabled()
    with pytest.raises(RuntimeError), paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block leaves it paused for the outer one
        raise RuntimeError
    assert gc.isenabled()
    run([Article("a", "one text"), Article("b", "another text")], Config(workers=1))
    assert gc.isenabled()
