"""Fields spooled as extracted: the same profiles and fields as extracting into memory, the same run output."""

from __future__ import annotations

import math
from array import array
from collections import Counter

import pytest
from conftest import SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import Config, read_articles
from dedupe.corpusweights import TermCounts, tfidf_weights, widened
from dedupe.engine import LocalEngine
from dedupe.fieldspool import FieldSpool
from dedupe.fieldstream import TermDecoder, extract_encoded, spooled_profiles
from dedupe.furniture import boilerplate
from dedupe.match import prepare_fields, profiles_for
from dedupe.pipeline import run
from dedupe.profile import ProfileSource, content_terms, profile_source


def _weights(corpus):
    return [list(corpus.row(i).items()) for i in range(len(corpus))]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["fire", "crew", "port", "ship", "a", "b", "c"]), max_size=8), max_size=6))
def test_counted_documents_weigh_as_term_lists(documents):
    counted = TermCounts()
    for terms in documents:
        counted.add(Counter(terms))
    assert _weights(counted.weights()) == _weights(tfidf_weights(documents))


def _dict_weights(documents):
    """The weights as the dict arithmetic gives them: sublinear TF times smoothed IDF, L2-normalised in key order."""
    df = Counter(term for counts in documents for term in counts)
    out = []
    for counts in documents:
        raw = {t: (1.0 + math.log(n)) * math.log((len(documents) + 1) / df[t]) for t, n in counts.items()}
        norm = math.sqrt(sum(w * w for w in raw.values())) or 1.0
        out.append([(t, w / norm) for t, w in raw.items() if w / norm > 0])
    return out


@settings(max_examples=60, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(["fire", "crew", "port", "ship"]),
                                st.sampled_from([1, 2, 255, 256, 65535, 65536, 2**31 - 1]), max_size=4), max_size=5))
def test_counts_of_any_size_weigh_as_the_dict_arithmetic(documents):
    counted = TermCounts()
    for counts in documents:
        counted.add(Counter(counts))
    assert counted.counts.tolist() == [n for counts in documents for n in counts.values()]
    assert _weights(counted.weights()) == _dict_weights(documents)


def test_counts_are_held_in_the_narrowest_type_that_holds_them():
    counted = TermCounts()
    codes = []
    for largest in (3, 255, 256, 70_000, 2):
        counted.add(Counter({"fire": largest, "crew": 1}))
        codes.append(counted.counts.typecode)
    assert codes == ["B", "B", "H", "i", "i"]
    assert widened(array("B", [3]), 300) == array("H", [3])
    with pytest.raises(OverflowError):
        counted.add(Counter({"fire": 2**31}))


@pytest.mark.parametrize("workers", [1, 2])
def test_spooled_profiles_and_fields_are_those_held_in_memory(workers):
    articles = sorted(read_articles([SEEDS]), key=lambda a: a.id)
    seen = []
    spool, profiles = spooled_profiles(articles, lambda *step: seen.append(step), LocalEngine(workers))
    held_profiles, held_fields = profiles_for(articles, engine=None)
    assert list(spool) == list(held_fields) and all(spool[i] == held_fields[i] for i in held_fields)
    assert list(profiles) == list(held_profiles)
    assert all(profiles[i] == held_profiles[i] for i in held_profiles)
    assert all(list(profiles.light[i].terms.items()) == list(held_profiles.light[i].terms.items())
               for i in held_profiles)
    assert seen[-1] == ("extract", len(articles), len(articles))


def _document(counted: TermCounts, n: int) -> Counter[str]:
    """Document ``n`` of ``counted`` as the counter it was added as (terms in first-seen order)."""
    terms, start = list(counted.columns), sum(counted.sizes[:n])
    end = start + counted.sizes[n]
    return Counter(dict(zip([terms[k] for k in counted.keys[start:end]], counted.counts[start:end], strict=True)))


def test_workers_hand_back_bytes_and_counts_not_fields():
    articles = sorted(read_articles([SEEDS]), key=lambda a: a.id)[:3]
    cleaned, held = prepare_fields(articles)  # the path holding the fields in memory
    spool, sources = FieldSpool(), []
    chunk = extract_encoded(boilerplate(articles), articles)
    terms, names = TermCounts(), TermCounts()
    TermDecoder(terms).add(chunk.terms)
    TermDecoder(names).add(chunk.names)
    for n, (article, clean, line, kept) in enumerate(zip(articles, cleaned, chunk.lines, chunk.kept, strict=True)):
        assert isinstance(line, bytes) and line.endswith(b"\n")
        spool.add(article.id, line)
        source = ProfileSource(_document(terms, n), _document(names, n), *kept)
        assert source.terms == Counter(content_terms(clean))
        assert source == profile_source(clean, held[article.id])
        sources.append(source)
    spool.ready()
    assert all(spool[a.id] == held[a.id] for a in articles)
    assert [(s.headline[:40], s.place, s.terms["police"], len(s.terms)) for s in sources] == [
        ("A SERVING police officer has been sacked", "warwickshire", 8, 139),
        ("Staffordshire Police officer 'would have", "staffordshire", 9, 110),
        ("On 5 November, PC J, a serving police of", "devon and cornwall", 10, 162),
    ]


def test_a_run_without_details_gives_the_stories_of_a_run_with_them():
    articles = list(read_articles([SEEDS]))
    held = run(articles, Config(workers=1))
    spooled = run(articles, Config(workers=2), details=False)
    assert spooled.clusters == held.clusters and spooled.edges == held.edges
    assert list(spooled.extras["stories"]) == list(held.extras["stories"])
    assert spooled.extras["conflicts"] == held.extras["conflicts"]
