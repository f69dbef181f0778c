"""The second clustering pass against the uncapped run on stories larger than a small cap (the oracle)."""

from __future__ import annotations

import itertools
import random
from functools import cache

import pytest

from dedupe import Article, Config, ConfigError, run

NAMES = ("Arlington", "Bexley", "Corwin", "Dalmore", "Elsworth", "Fenwick", "Garroway", "Hollister", "Ingram",
         "Jarrow", "Kesterton", "Lindqvist", "Marchetti", "Northcote", "Oyelaran", "Pemberton")
WORDS = ("council", "budget", "river", "bridge", "school", "hospital", "election", "court", "police", "storm",
         "harbour", "festival", "museum", "railway", "factory", "union", "tariff", "drought", "vaccine", "satellite",
         "orchestra", "stadium", "library", "airport")


@cache
def stories(count: int = 3, reports: int = 20, seed: int = 3) -> tuple[tuple[Article, ...], dict[str, str]]:
    """``count`` stories of ``reports`` reports each: six of a story's 30 sentences (its four names in every
    one) and three filler sentences per report. With ``max_block`` 10 the names (held by all 20) pair nobody,
    so a story's reports link only through the rarer sentences they share, as the hot stories of a 1M corpus do."""
    rng = random.Random(seed)
    articles, gold = [], {}
    for story in range(count):
        names, topic = NAMES[story * 4 : story * 4 + 4], rng.sample(WORDS, 4)
        pool = [f"{rng.choice(names)} said the {rng.choice(topic)} plan for {rng.choice(names)} would cost "
                f"{rng.randint(2, 90)} million on day {story}." for _ in range(30)]
        for report in range(reports):
            body = rng.sample(pool, 6) + [f"Reporter {rng.randint(1, 999)} notes {' '.join(rng.sample(WORDS, 6))}."
                                          for _ in range(3)]
            rng.shuffle(body)
            ident = f"s{story}r{report:02d}"
            articles.append(Article(ident, " ".join(body), title=f"{names[0]} {topic[0]} report {report}",
                                    source=f"outlet{report}", published=f"2024-01-{story + 1:02d}"))
            gold[ident] = f"s{story}"
    return tuple(articles), gold


def together(clusters: list[frozenset[str]], gold: dict[str, str]) -> tuple[int, int]:
    """Pairs in one cluster that share a gold story, and pairs in one cluster that do not."""
    pairs = [(gold[a] == gold[b]) for c in clusters for a, b in itertools.combinations(sorted(c), 2)]
    return sum(pairs), len(pairs) - sum(pairs)


def clusters_of(articles: tuple[Article, ...], config: Config) -> list[frozenset[str]]:
    """The clusters of a run, as sets of ids."""
    return [frozenset(c.members) for c in run(articles, config, stories=False).clusters]


CAPPED = Config(workers=1, max_block=10, max_candidates=5, piece_support=0.5, hot_links=0)  # names pair nobody


def test_uncapped_run_keeps_every_story_whole() -> None:
    articles, gold = stories()
    assert sorted(map(sorted, clusters_of(articles, CAPPED.replace(max_candidates=0)))) == sorted(
        sorted(a for a in gold if gold[a] == story) for story in set(gold.values()))


def test_second_pass_joins_pieces_the_cap_cut_and_never_two_stories() -> None:
    articles, gold = stories()
    first = clusters_of(articles, CAPPED.replace(piece_support=0))
    second = clusters_of(articles, CAPPED)
    assert together(first, gold)[1] == together(second, gold)[1] == 0  # no cluster spans two stories
    assert together(second, gold)[0] > together(first, gold)[0]  # more of each story together
    assert len(second) < len(first)
    assert all(any(part <= whole for whole in second) for part in first)  # it only joins whole pieces
    assert sorted(m for c in second for m in c) == sorted(gold)  # every article in exactly one cluster


@pytest.mark.parametrize("seed", [0, 1])
def test_second_pass_ignores_input_order(seed: int) -> None:
    articles, _ = stories()
    shuffled = list(articles)
    random.Random(seed).shuffle(shuffled)
    assert set(clusters_of(tuple(shuffled), CAPPED)) == set(clusters_of(articles, CAPPED))


def test_no_second_pass_without_a_cap_or_support() -> None:
    articles, _ = stories(2, 12)
    uncapped = CAPPED.replace(max_candidates=0)
    assert set(clusters_of(articles, uncapped)) == set(clusters_of(articles, uncapped.replace(piece_support=0)))


def test_piece_support_is_validated() -> None:
    assert Config(piece_support=0).piece_support == 0
    with pytest.raises(ConfigError, match=r"'piece_support' must be from 0 \(no second pass\) to 10000"):
        Config(piece_support=-1)
