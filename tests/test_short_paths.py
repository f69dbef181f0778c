"""Short paths give what the general ones give (merge workers and clustering): one-claim facts, one report's conflicts,
Markdown escaping; integer codes made unique by a sort, each article's n-th best candidate."""

from __future__ import annotations

import re

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from dedupe.capping import nth_best
from dedupe.conflicts import compared, find_conflicts
from dedupe.factgroups import build_facts, grouped_fact, single_fact
from dedupe.facts import Claim
from dedupe.report.markdown import escape
from dedupe.signatures import sorted_unique
from dedupe.types import Mention

_ACTIVE = re.compile(r"([\\`*_\[\]<>#|~&])")
_LEADING = re.compile(r"^(?:([-+=>])|(\d+)([.)]))")
_AUTOLINK = re.compile(r"(?<=[A-Za-z0-9])(:)(?=//)|(?<=\bwww)(\.)|(@)(?=\w)", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def reference_escape(text: object) -> str:
    """Markdown escaping as four regular-expression passes, the form ``escape`` had before its short paths."""
    if text is None:
        return ""
    flat = _SPACE.sub(" ", str(text)).strip()
    flat = _ACTIVE.sub(r"\\\1", flat)
    flat = _AUTOLINK.sub(lambda m: "\\" + m.group(0), flat)
    return _LEADING.sub(lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), flat)


#: Text rich in what escaping acts on: white space of every kind, Markdown's characters, links, list starts.
PIECES = st.sampled_from(["www", "WwW", ".", "://", "http", "@", "a", "9", "12", ")", "-", "+", "=", ">", "#", "|",
                          "`", "*", "_", "[", "]", "<", "&", "\\", "~", " ", "\t", "\n", "\x1c", "\xa0", "\u2028",
                          "\u3000", "\x85", "K", "\u212a", "é", "x.y", "e@x"])
MARKDOWN_TEXT = st.one_of(st.text(), st.lists(PIECES, max_size=12).map("".join))


@given(MARKDOWN_TEXT)
def test_escape_equals_the_four_passes(text: str) -> None:
    assert escape(text) == reference_escape(text)


def test_escape_of_values_that_are_not_text() -> None:
    for value in (None, 3, 0, 2.5, "", "- item", "12. point", "mail me@host or www.site.org, http://x"):
        assert escape(value) == reference_escape(value)


WORDS = st.text(alphabet="abc é", max_size=6)
MENTIONS = st.builds(Mention, kind=st.sampled_from(["date", "number", "person", "organisation", "place", "quote"]),
                     value=WORDS, text=WORDS, sentence=WORDS, about=WORDS, subject=WORDS, qualifier=WORDS,
                     start=st.integers(-1, 50))
CLAIMS = st.builds(Claim, article_id=WORDS, group=WORDS, outlet=WORDS, published=st.none() | WORDS,
                   mention=MENTIONS)


@given(CLAIMS)
def test_a_single_claims_fact_equals_the_grouped_fact_of_it(claim: Claim) -> None:
    assert single_fact(claim) == grouped_fact([claim])


#: Claims that clash between reports: dates and figures of one event in different sentences, quotes one word apart.
CLASHING = st.builds(
    Claim, article_id=st.sampled_from(["a", "b", "c"]), group=st.just("a"), outlet=st.just("o"),
    published=st.sampled_from([None, "2020-11-01", "2021-02-03"]),
    mention=st.one_of(
        st.builds(Mention, kind=st.just("date"), value=st.sampled_from(["2018-10", "2018-11", "2018-10-05"]),
                  text=st.just("October 2018"), sentence=st.sampled_from(
                      ["The officer was suspended in October 2018 after the raid.",
                       "He was suspended from the force in November 2018 after the raid."]),
                  about=st.sampled_from(["suspended", "said"])),
        st.builds(Mention, kind=st.just("number"), value=st.sampled_from(["3", "4", "22", "40"]),
                  text=st.just("three"), sentence=st.sampled_from(
                      ["At least three people were killed in the fire at the docks.",
                       "Four people were killed in the docks fire, police said."]),
                  about=st.sampled_from(["killed", "age"]), subject=st.sampled_from(["", "Jo Reid"]),
                  qualifier=st.sampled_from(["", "at least"])),
        st.builds(Mention, kind=st.just("quote"), value=st.sampled_from(
            ["The behaviour was unacceptable and will be tolerated by the force",
             "The behaviour was unacceptable and will not be tolerated by the force"]),
                  text=st.just("q"), sentence=st.just("q"), subject=st.sampled_from(["Jim Nye", "Nye"]),
                  start=st.integers(0, 9))))


@given(st.lists(CLASHING, max_size=8), st.sampled_from(["a", "b"]))
def test_claims_of_one_report_have_no_conflicts_when_compared(claims: list[Claim], other: str) -> None:
    facts = build_facts(claims)
    assert compared("s", claims, facts) == ([], []) == find_conflicts("s", claims, facts)
    if claims:  # and the same claims as two reports do reach the comparison
        split = [Claim(c.article_id, other if c.article_id == "b" else c.group, c.outlet, c.published, c.mention)
                 for c in claims]
        assert find_conflicts("s", split, build_facts(split)) == compared("s", split, build_facts(split))


@given(st.lists(st.integers(-(2**62), 2**62) | st.sampled_from([0, 1, 7]), max_size=60),
       st.sampled_from([np.int64, np.int32, np.uint64]))
def test_sorted_unique_equals_numpys_unique_of_integer_codes(values: list[int], dtype: type) -> None:
    codes = np.array([abs(v) % (2**31) if dtype is not np.int64 else v for v in values], dtype=dtype)
    found = sorted_unique(codes)
    assert found.dtype == np.unique(codes).dtype and np.array_equal(found, np.unique(codes))


class _Rows:
    """Evidence rows as ``capping.Evidence.rows`` yields them: by ranges of articles, sorted by article then
    candidate."""

    def __init__(self, entries: list[tuple[int, int, float]], cut: int) -> None:
        self.entries, self.cut = sorted(entries), cut

    def rows(self):
        for part in (self.entries[: self.cut], self.entries[self.cut :]):
            if part:
                article, candidate, shared = (np.array(column) for column in zip(*part))
                yield article.astype(np.int32), candidate.astype(np.int32), shared.astype(np.float64)


@given(st.dictionaries(st.tuples(st.integers(0, 6), st.integers(0, 6)).filter(lambda p: p[0] != p[1]),
                       st.sampled_from([0.5, 1.0, 1.5, 2.0]), max_size=30), st.integers(1, 4), st.integers(0, 30))
def test_nth_best_is_each_articles_count_th_candidate_by_evidence_then_position(found, count, cut) -> None:
    entries = [(a, c, e) for (a, c), e in found.items()]
    article_cut = sum(1 for a, _, _ in sorted(entries) if a < cut // 4)  # ranges end between articles
    value, at = nth_best(_Rows(entries, article_cut), 7, count)
    for article in range(7):
        ranked = sorted((-e, c) for a, c, e in entries if a == article)
        want = (-ranked[count - 1][0], ranked[count - 1][1]) if len(ranked) >= count else (-np.inf, 7)
        assert (value[article], at[article]) == want


@given(st.dictionaries(st.tuples(st.integers(0, 40), st.integers(0, 40)).filter(lambda p: p[0] != p[1]),
                       st.sampled_from([0.5, 1.442695041, 0.910239227, 2.352934268, 1e-9, 0.0]),
                       max_size=300), st.integers(1, 6), st.integers(0, 300), st.booleans())
def test_nth_best_packed_or_not_is_the_lexsort_ranking(found, count, cut, rounded) -> None:
    """Evidence rounded to 9 decimals takes the packed sort, a range holding other evidence (1/3) the lexsort:
    the same ranking (many ties)."""
    entries = [(a, c, e) for (a, c), e in found.items()]
    if not rounded and entries:
        entries[0] = (*entries[0][:2], 1 / 3)
    article_cut = sum(1 for a, _, _ in sorted(entries) if a < cut // 8)
    value, at = nth_best(_Rows(entries, article_cut), 41, count)
    for article in range(41):
        ranked = sorted((-e, c) for a, c, e in entries if a == article)
        want = (-ranked[count - 1][0], ranked[count - 1][1]) if len(ranked) >= count else (-np.inf, 41)
        assert (value[article], at[article]) == want
