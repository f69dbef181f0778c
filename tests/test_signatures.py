"""Fast signatures and banding against slow references: datasketch itself, normalize.tokens, brute force."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import xxhash
from datasketch import MinHash, MinHashLSH
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import Article, shinglesets, signatures
from dedupe.candidates import (
    MAX_LINKS,
    exact_edges,
    exact_heads,
    lsh_pairs,
    lsh_params,
    near_duplicate_edges,
)
from dedupe.normalize import content_hash, fold, normalize_text, tokens
from dedupe.signatures import (
    SCHEME,
    jaccard,
    minhash_rows,
    one_row,
    permutations,
    shingle_hashes,
    signature_matrix,
)
from dedupe.tokenhash import fold_lower

FAST = settings(max_examples=100, deadline=None, derandomize=True, database=None)
#: Letters, digits, apostrophes, spaces and the awkward cases: NFKC forms, case changes, astral letters.
ALPHABET = ("ab cd'\u2019_-.,\n\t\u00a0\u2003\x00\x1f9\u00e9\u00df\u0130\u03a3\u0301\u00a8\ufb01\uff21\u2460"
            "\U0001d518\U0001f600")
texts = st.text(alphabet=ALPHABET, max_size=60)
M64 = (1 << 64) - 1


def identity(value: int) -> int:
    return int(value)


def datasketch_minhash(hashes: list[int], num_perm: int, seed: int) -> MinHash:
    """The reference: datasketch fed the same 32-bit hashes through an identity hash function."""
    minhash = MinHash(num_perm=num_perm, seed=seed, hashfunc=identity, scheme=SCHEME)
    minhash.update_batch(hashes)
    return minhash


def fmix64(h: int) -> int:
    for shift, mult in ((33, 0xFF51AFD7ED558CCD), (33, 0xC4CEB9FE1A85EC53)):
        h = ((h ^ (h >> shift)) * mult) & M64
    return h ^ (h >> 33)


def reference_shingles(text: str, size: int) -> np.ndarray:
    """Slow and obvious: ``normalize.tokens``, a polynomial hash per token, one per shingle, in Python ints."""
    words = [fmix64(sum(ord(c) * pow(0x100000001B3, k, 1 << 64) for k, c in enumerate(w)) & M64)
             for w in tokens(text)]
    spans = [words] if 0 < len(words) <= size else [words[i:i + size] for i in range(len(words) - size + 1)]
    values = {fmix64(sum(h * pow(0x9E3779B97F4A7C15, j, 1 << 64) for j, h in enumerate(s)) & M64) >> 32
              for s in spans}
    return np.array(sorted(values), dtype=np.uint32)


@pytest.mark.parametrize(("num_perm", "seed"), [(16, 1), (128, 1), (128, 42), (256, 7)])
def test_permutations_are_datasketchs(num_perm: int, seed: int) -> None:
    assert np.array_equal(permutations(num_perm, seed), MinHash(num_perm=num_perm, seed=seed).permutations)


@FAST
@given(st.lists(st.lists(st.integers(0, 2**32 - 1), max_size=40), min_size=1, max_size=6),
       st.sampled_from([16, 128]), st.integers(0, 2**32 - 1))
def test_minhash_rows_equal_datasketch(sets: list[list[int]], num_perm: int, seed: int) -> None:
    values = np.array([h for s in sets for h in s], dtype=np.uint32)
    rows = minhash_rows(values, np.array([len(s) for s in sets]), permutations(num_perm, seed))
    for row, hashes in zip(rows, sets):
        assert np.array_equal(row, datasketch_minhash(hashes, num_perm, seed).hashvalues)


@FAST
@given(st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=60), st.lists(st.integers(0, 2**32 - 1), max_size=5),
       st.sampled_from([16, 128]), st.integers(0, 2**32 - 1))
def test_one_row_equals_the_loop_over_permutations(hashes: list[int], other: list[int], num_perm: int,
                                                   seed: int) -> None:
    """One text's row at once (``one_row``) is the row the batch's loop gives it next to another text."""
    perms = permutations(num_perm, seed)
    values = np.array(hashes + other, dtype=np.uint32)
    batch = minhash_rows(values, np.array([len(hashes), len(other)]), perms)[0]
    alone = minhash_rows(values[: len(hashes)], np.array([len(hashes)]), perms)[0]
    assert np.array_equal(one_row(values[: len(hashes)], perms), batch)
    assert np.array_equal(alone, batch)
    assert np.array_equal(alone, datasketch_minhash(hashes, num_perm, seed).hashvalues)


def test_one_text_too_long_for_one_row_takes_the_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past ``_ONE_ROW`` products a text's row comes from the loop, the same row."""
    values = np.arange(1, 400, 7, dtype=np.uint32) * np.uint32(2654435761)
    perms = permutations(128, 1)
    at_once = minhash_rows(values, np.array([len(values)]), perms)
    monkeypatch.setattr(shinglesets, "_ONE_ROW", len(values) * 128 - 1)
    assert np.array_equal(minhash_rows(values, np.array([len(values)]), perms), at_once)


@FAST
@given(st.lists(texts, min_size=1, max_size=5), st.integers(1, 6))
def test_matrix_rows_load_into_datasketch(contents: list[str], size: int) -> None:
    articles = [Article(str(i), text) for i, text in enumerate(contents)]
    matrix = signature_matrix(articles, size, 64, 3)
    for row, article in enumerate(articles):
        expected = datasketch_minhash(shingle_hashes(article.content, size).tolist(), 64, 3)
        loaded = MinHash(hashvalues=matrix.hashvalues[row], permutations=permutations(64, 3), scheme=SCHEME, seed=3)
        assert loaded == expected == matrix.minhash(row)
        assert matrix.empty[row] == (len(tokens(article.content)) == 0)


@FAST
@given(texts, st.integers(1, 6))
def test_shingle_hashes_match_the_slow_reference(text: str, size: int) -> None:
    assert np.array_equal(shingle_hashes(text, size), reference_shingles(text, size))


@FAST
@given(st.lists(st.lists(st.integers(0, 2**32 - 1) | st.sampled_from([0, 7, 2**32 - 1]), max_size=30), max_size=6))
def test_distinct_sorts_each_texts_values_on_its_own(lists: list[list[int]]) -> None:
    # Batch.shingles' shape: every text's values one after another, and how many each has (0 included)
    values = np.array([v for one in lists for v in one], dtype=np.uint32)
    counts = np.array([len(one) for one in lists], dtype=np.int64)
    found = shinglesets._distinct((values, counts))
    assert [f.tolist() for f in found] == [sorted(set(one)) for one in lists]
    assert all(f.dtype == np.uint32 for f in found)


@FAST
@given(st.lists(texts, max_size=8), st.integers(1, 6))
def test_shingle_sets_of_a_batch_are_each_texts_own(contents: list[str], size: int) -> None:
    sets = signatures.shingle_sets(contents, size)
    assert [s.tolist() for s in sets] == [reference_shingles(t, size).tolist() for t in contents]


@FAST
@given(st.lists(texts, min_size=2, max_size=6))
def test_exact_keys_group_like_normalize_text(contents: list[str]) -> None:
    matrix = signature_matrix([Article(str(i), t) for i, t in enumerate(contents)], 5, 16, 1)
    for row, text in enumerate(contents):
        digest = xxhash.xxh3_128_digest(normalize_text(text).encode("utf-8", "surrogatepass"))
        assert matrix.exact[row].tobytes() == digest
        if text.encode("utf-8", "surrogatepass") == text.encode("utf-8", "replace"):
            assert digest.hex() == content_hash(text)


@FAST
@given(texts)
def test_fold_lower_is_fold_then_lower(text: str) -> None:
    assert fold_lower(text) == fold(text).lower()


def test_rows_do_not_depend_on_batching_or_workers() -> None:
    words = ["the", "council", "voted", "to", "close", "the", "old", "baths", "at", "the", "end", "of", "summer",
             "said", "the", "mayor"]
    contents = [" ".join(words[i % 7:]) + f" item {i}" for i in range(600)]
    articles = [Article(f"{i:04d}", t) for i, t in enumerate(contents)]
    whole = signature_matrix(articles, 5, 128, 1)
    parallel = signature_matrix(articles, 5, 128, 1, workers=2)
    alone = signature_matrix(articles[300:301], 5, 128, 1)
    assert np.array_equal(whole.hashvalues, parallel.hashvalues) and np.array_equal(whole.exact, parallel.exact)
    assert np.array_equal(whole.hashvalues[300], alone.hashvalues[0])


def test_lsh_pairs_match_datasketch_lsh() -> None:
    rng = np.random.default_rng(5)
    base = [" ".join(rng.choice(["w" + str(k) for k in range(300)], 80)) for _ in range(40)]
    edited = [" ".join(t.split()[:70]) for t in base[:20]] + [t + " extra words here" for t in base[20:]]
    articles = [Article(f"{i:03d}", t) for i, t in enumerate(base + edited)]
    matrix = signature_matrix(articles, 3, 128, 1)
    lsh = MinHashLSH(num_perm=128, params=lsh_params(0.5, 128))
    expected = set()
    for row in range(len(articles)):
        expected.update((other, row) for other in lsh.query(matrix.minhash(row)))
        lsh.insert(row, matrix.minhash(row))
    found = lsh_pairs(matrix, 0.5)
    assert sorted(map(tuple, found.tolist())) == sorted(expected)
    assert len(expected) >= 40


def test_exact_copies_are_a_star_and_never_banded() -> None:
    articles = [Article(f"{i:05d}", "The same wire story, word for word." + " " * (i % 3)) for i in range(10_000)]
    matrix = signature_matrix(articles, 5, 128, 1)
    edges = exact_edges(matrix)
    assert len(edges) == 9_999 and {e.a for e in edges} == {"00000"}
    assert len(lsh_pairs(matrix, 0.8)) == 0 and near_duplicate_edges(matrix, 0.8) == []


def test_exact_heads_are_found_once_per_matrix_and_read_only() -> None:
    articles = [Article(f"{i:02d}", f"story {i % 3} told the same way") for i in range(9)]
    matrix, again = signature_matrix(articles, 5, 16, 1), signature_matrix(articles, 5, 16, 1)
    heads = exact_heads(matrix)
    assert heads.tolist() == [0, 1, 2] * 3 and exact_heads(matrix) is heads  # the edges, banding, lone clusters
    assert exact_heads(again) is not heads and not heads.flags.writeable


def test_a_huge_bucket_gives_linear_pairs() -> None:
    """1,000 texts with the same words but other punctuation: one bucket in every band, not exact copies."""
    story = " ".join(f"w{k}" for k in range(400))
    articles = [Article(f"{i:04d}", story + "!" * i) for i in range(1_000)]
    matrix = signature_matrix(articles, 5, 128, 1)
    pairs = lsh_pairs(matrix, 0.8)
    assert len(pairs) == sum(min(MAX_LINKS, i) for i in range(len(articles)))
    assert len({tuple(p) for p in pairs.tolist()}) == len(pairs) and (pairs[:, 0] < pairs[:, 1]).all()
    edges = near_duplicate_edges(matrix, 0.8)
    assert len(edges) == len(pairs) and {e.a for e in edges} == {f"{i:04d}" for i in range(MAX_LINKS)}
    assert {e.b for e in edges} | {e.a for e in edges} == {a.id for a in articles}


def test_near_duplicates_are_banded_here_and_verified_by_the_engine() -> None:
    """A pool forks the whole parent: banding (cheap) stays here, only verification goes to the workers."""
    from dataclasses import dataclass, field

    from dedupe.engine import LocalEngine, span_list

    @dataclass(frozen=True)
    class Recording(LocalEngine):
        calls: list = field(default_factory=list)

        def map_chunks(self, func, items, spans=None):  # type: ignore[no-untyped-def, override]
            self.calls.append(getattr(func, "func", func).__name__)
            return iter([func(items[a:b]) for a, b in span_list(items, spans)])

    story = " ".join(f"w{k}" for k in range(60))
    matrix = signature_matrix([Article(f"{i:02d}", story + f" end{i}") for i in range(12)], 5, 128, 1)
    engine = Recording(2)
    edges = near_duplicate_edges(matrix, 0.8, engine=engine)
    assert edges == near_duplicate_edges(matrix, 0.8) and len(edges) == 66
    assert engine.calls == ["block_scores"]


def test_an_engine_that_is_not_local_bands_the_rows_itself() -> None:
    """A Dask-like engine (not a ``LocalEngine``) is given the banding's two partitioned steps; the same edges."""
    from dedupe.engine import span_list

    class Remote:
        def __init__(self) -> None:
            self.calls: list[str] = []

        def map_chunks(self, func, items, spans=None):  # type: ignore[no-untyped-def]
            self.calls.append(getattr(func, "func", func).__name__)
            return iter([func(items[a:b]) for a, b in span_list(items, spans)])

    story = " ".join(f"w{k}" for k in range(60))
    matrix = signature_matrix([Article(f"{i:02d}", story + f" end{i}") for i in range(12)], 5, 128, 1)
    engine = Remote()
    edges = near_duplicate_edges(matrix, 0.8, engine=engine)  # type: ignore[arg-type]
    assert edges == near_duplicate_edges(matrix, 0.8) and len(edges) == 66
    assert engine.calls[:2] == ["band_keys", "_bucket_pairs_of"] and "block_scores" not in engine.calls


@FAST
@given(st.lists(st.sampled_from(["a b c d e f g", "a b c d e f h", "x y z", "", "a b c d e f g h"]), max_size=8))
def test_near_duplicate_edges_equal_brute_force_on_small_inputs(contents: list[str]) -> None:
    articles = [Article(f"{i}", t) for i, t in enumerate(contents)]
    matrix = signature_matrix(articles, 2, 128, 1)
    heads = {}
    for article in articles:
        heads.setdefault(normalize_text(article.content), article)
    expected = set()
    for a, b in itertools.combinations(heads.values(), 2):
        score = jaccard(shingle_hashes(a.content, 2), shingle_hashes(b.content, 2))
        if tokens(a.content) and tokens(b.content) and score >= 0.5:
            expected.add((a.id, b.id, score))
    assert {(e.a, e.b, e.score) for e in near_duplicate_edges(matrix, 0.5)} == expected


@FAST
@given(st.lists(texts, min_size=1, max_size=4))
def test_long_texts_hashed_in_windows_give_the_same_signatures(contents: list[str]) -> None:
    from dedupe import tokenhash

    articles = [Article(str(i), t) for i, t in enumerate(contents)]
    whole = signature_matrix(articles, 5, 16, 1)
    sets = [shingle_hashes(t, 5).tolist() for t in contents]
    original = tokenhash._WINDOW
    tokenhash._WINDOW = 7
    try:
        windowed = signature_matrix(articles, 5, 16, 1)
        assert [shingle_hashes(t, 5).tolist() for t in contents] == sets
    finally:
        tokenhash._WINDOW = original
    assert np.array_equal(whole.hashvalues, windowed.hashvalues)
    assert np.array_equal(whole.exact, windowed.exact)


@FAST
@given(st.lists(st.text(alphabet=ALPHABET + "\u1100\u1161\u0b47\u0b3e\u2026\u3000\x85 e", max_size=200), min_size=1,
                max_size=8), st.integers(1, 5))
def test_rows_equal_datasketch_fed_the_slow_reference_shingles(contents: list[str], size: int) -> None:
    """Batched signatures (folding table, shingles over many texts at once) against the per-text Python reference."""
    matrix = signature_matrix([Article(str(i), t) for i, t in enumerate(contents)], size, 32, 9)
    for row, text in enumerate(contents):
        assert np.array_equal(matrix.hashvalues[row], datasketch_minhash(reference_shingles(text, size).tolist(), 32,
                                                                         9).hashvalues)


def test_signatures_of_spooled_articles_hold_no_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """Signing spooled articles gives what signing the plain ones gives, and keeps no text: the matrix
    reads a text back from the spool each time candidates are verified."""
    from dedupe.articlespool import ArticleSpool

    base = "the harbour ferry strike ended on monday after talks between the union and the port "
    plain = [Article(id=f"{i:02d}", text=base * (1 + i % 3) + f"word{i % 4} " * 3) for i in range(12)]
    spool = ArticleSpool()
    spooled = [spool.keep(a) for a in plain]
    spool.ready()
    ours, theirs = signature_matrix(spooled, 5, 64, 1), signature_matrix(plain, 5, 64, 1)
    assert np.array_equal(ours.hashvalues, theirs.hashvalues) and np.array_equal(ours.exact, theirs.exact)
    assert near_duplicate_edges(ours, 0.5) == near_duplicate_edges(theirs, 0.5) != []
    reads: list[int] = []
    text = ArticleSpool.text
    monkeypatch.setattr(ArticleSpool, "text", lambda self, index: reads.append(index) or text(self, index))
    assert ours.contents[4] == plain[4].content and [list(s) for s in ours.shingles([4])] == [list(s) for s in
                                                                                             theirs.shingles([4])]
    assert reads and set(reads) == {4}  # read back on each access, never held


@FAST
@given(st.lists(st.integers(0, 300), max_size=40), st.integers(1, 9), st.integers(1, 700))
def test_spans_of_sizes_cut_as_chunks_of_texts_do(sizes: list[int], docs: int, most: int) -> None:
    texts = ["x" * size for size in sizes]
    spans = list(shinglesets.size_spans(iter(sizes), docs, most))
    assert spans == list(shinglesets.text_chunks(texts, docs, most))
    assert [i for a, b in spans for i in range(a, b)] == list(range(len(sizes)))


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.lists(st.integers(0, 9), min_size=1, max_size=8), st.integers(1, 6))
def test_runs_within_one_text_are_those_of_one_document(tokens: list[int], size: int) -> None:
    """``Batch.shingles`` keeps the runs of ``size`` tokens inside one text: found from the texts' first tokens, they
    are the runs whose first and last token belong to the same text."""
    from dedupe.tokenhash import _within

    counts = np.array(tokens)
    if counts.sum() >= size:
        doc = np.repeat(np.arange(len(counts)), counts)
        assert np.array_equal(_within(counts, size), doc[: len(doc) - size + 1] == doc[size - 1 :])
