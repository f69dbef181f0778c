"""Property tests: random bytes into every loader give articles or a typed DedupeError, never another exception;
random corpora (good and bad records mixed) always balance their accounting and partition into clusters."""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedupe import Article, Config, DedupeError, read_articles, run
from dedupe.errors import InputError
from dedupe.load import FORMATS
from dedupe.output import cluster_records, deduped_records, dumps, reject_records
from dedupe.records import Rejects

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EXTENSION = {"txt": ".txt", "jsonl": ".jsonl", "json": ".json", "csv": ".csv"}
FRAGMENTS = ['{"id": ', '"text": ', '"title": ', '"date": ', '"2020-11-21"', '"x"', "[", "]", "{", "}", ",", ":",
             "\n", "\r\n", '"', "\\u00e9", "\\ud800", "1e999", "-0", "null", "true", "id,text\n", "a,b,c\n",
             '"q\nq"', "\ufeff", "\x00", " date 2020-11-21 ", "Headline\n\nBody.", "\u2028", "\t"]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "latin-1"]

#: Text shaped like the formats (JSON punctuation, CSV rows, BOMs, escapes), so parsers get past the first byte.
shaped = st.builds(
    lambda parts, encoding: "".join(parts).encode(encoding, "surrogatepass" if encoding.startswith("utf-8") else
                                                  "replace"),
    st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=6), max_size=30),
    st.sampled_from(ENCODINGS),
)
VALID = b'{"id": "a", "text": "caf\xc3\xa9 news"}\n'
#: A valid JSONL record with random bytes spliced in.
spliced = st.builds(lambda cut, noise: VALID[:cut] + noise + VALID[cut:], st.integers(0, len(VALID)),
                    st.binary(max_size=8))
payloads = st.binary(max_size=400) | shaped | spliced


def load(data: bytes, fmt: str, policy: str) -> tuple[list[Article], Rejects]:
    """Write ``data`` as one file of format ``fmt`` and read it under ``policy``."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{EXTENSION[fmt]}"
        path.write_bytes(data)
        rejects = Rejects(policy)
        return list(read_articles([path], rejects=rejects)), rejects


def writable(articles: list[Article], rejects: Rejects) -> None:
    """Everything the outputs echo encodes as UTF-8 JSON (no lone surrogates got through)."""
    for article in articles:
        dumps({"id": article.id, "record": dict(article.record), "text": article.text}).encode("utf-8")
    for reject in rejects:
        dumps(reject.as_dict()).encode("utf-8")


@SETTINGS
@given(data=payloads, fmt=st.sampled_from(FORMATS))
def test_random_bytes_fail_with_a_typed_error(data: bytes, fmt: str) -> None:
    try:
        articles, rejects = load(data, fmt, "fail")
    except DedupeError as error:  # an input error naming the file, the place in it and how to fix the input
        assert isinstance(error, InputError) and Path(error.file).name == f"input{EXTENSION[fmt]}"
        assert error.describe().startswith(f"{error.file}") and " Fix: " in error.describe()
        return
    assert rejects.read == len(articles) and not len(rejects)
    writable(articles, rejects)


@SETTINGS
@given(data=payloads, fmt=st.sampled_from(FORMATS))
def test_random_bytes_are_read_or_rejected_under_skip(data: bytes, fmt: str) -> None:
    articles, rejects = load(data, fmt, "skip")
    assert rejects.read == len(articles) + len(rejects)
    assert len({a.id for a in articles}) == len(articles)
    writable(articles, rejects)


WORDS = ["harbour", "storm", "council", "budget", "police", "fire", "school", "river", "bridge", "vote"]
good_text = st.lists(st.sampled_from(WORDS), min_size=1, max_size=14).map(" ".join)
record = st.one_of(
    st.fixed_dictionaries({"text": good_text}, optional={"title": good_text, "date": st.sampled_from(
        ["2020-11-21", "21 November 2020", "not a date", ""]), "source": st.sampled_from(["A", "B", 3])}),
    st.just('{"text": '),  # a broken line
    st.just([1, 2]),  # not an object
    st.fixed_dictionaries({"text": st.just("")}),  # no text
)


def corpus_line(index: int, item: object, ids: str) -> str:
    """One JSONL line: a record (with an id in one of three styles), or a raw broken line."""
    if isinstance(item, str):
        return item
    if isinstance(item, dict) and ids != "none":
        item = {"id": f"r{index % 7 if ids == 'clashing' else index}", **item}
    return json.dumps(item)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=st.lists(record, min_size=1, max_size=14), ids=st.sampled_from(["unique", "clashing", "none"]),
       copies=st.booleans(), relations=st.sampled_from([("exact", "near_duplicate"), None]))
def test_random_corpora_balance_and_partition(items: list, ids: str, copies: bool, relations: tuple | None) -> None:
    if copies:
        items = items + items[: len(items) // 2]
    data = "".join(corpus_line(i, item, ids) + "\n" for i, item in enumerate(items)).encode()
    articles, rejects = load(data, "jsonl", "skip")
    if not articles:
        assert rejects.read == len(rejects) == len(items)
        return
    result = run(articles, Config(relations=relations) if relations else None, rejects=rejects)
    counts = result.summary["articles"]
    assert counts == {"read": len(items), "rejected": len(rejects), "clustered": len(articles)}
    members = Counter(m for cluster in result.clusters for m in cluster.members)
    assert set(members) == {a.id for a in articles} and set(members.values()) == {1}
    assert len(list(cluster_records(result))) == len(list(deduped_records(result))) == len(result.clusters)
    assert len(list(reject_records(result))) == len(rejects)
