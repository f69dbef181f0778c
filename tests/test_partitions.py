"""Partitioned stages against the whole-input ones: reading in byte ranges, banding in blocks of rows and bands."""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from functools import partial
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedupe import Article, read_articles
from dedupe import candidates as candidates_module
from dedupe.candidates import lsh_pairs, lsh_params
from dedupe.engine import LocalEngine
from dedupe.errors import InputError
from dedupe.load_parts import read_parts
from dedupe.records import Rejects
from dedupe.signatures import signature_matrix

_LINES = st.one_of(
    st.builds(lambda i, t: json.dumps({"id": f"n{i}", "text": t}).encode(), st.integers(0, 6),
              st.text(min_size=1, max_size=20)),
    st.builds(lambda t: json.dumps({"text": t}, ensure_ascii=False).encode(), st.text(max_size=20)),
    st.sampled_from([b"", b"   ", b"{broken", b'{"id": "n1", "text": 3}', b"[1, 2]", b'{"title": "only a title"}',
                     b'{"text": "not utf-8 \xff here"}', b'{"text": "a NUL \x00 byte"}']),
)


def _read(inputs: list[Path], part_bytes: int | None) -> tuple[list[Article], Rejects]:
    """Articles and rejects under ``--on-error skip``: read_articles, or read_parts in ranges of ``part_bytes``."""
    rejects = Rejects("skip")
    if part_bytes is None:
        return list(read_articles(inputs, rejects=rejects)), rejects
    return list(read_parts(inputs, engine=LocalEngine(1), rejects=rejects, part_bytes=part_bytes)), rejects


@settings(max_examples=80, deadline=None, derandomize=True, database=None)
@given(lines=st.lists(_LINES, max_size=25), breaks=st.lists(st.sampled_from([b"\n", b"\r\n", b"\r"]), min_size=1),
       part_bytes=st.integers(1, 200), bom=st.booleans())
def test_partitioned_read_equals_read_articles(tmp_path_factory: pytest.TempPathFactory, lines: list[bytes],
                                               breaks: list[bytes], part_bytes: int, bom: bool) -> None:
    """Any JSONL (bad lines and bytes, repeated ids, CR/CRLF/LF, a BOM) cut anywhere reads as read_articles reads it."""
    path = tmp_path_factory.mktemp("parts") / "in.jsonl"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + b"".join(line + breaks[k % len(breaks)]
                                                                 for k, line in enumerate(lines)))
    local_articles, local_rejects = _read([path, path], None)
    articles, rejects = _read([path, path], part_bytes)
    assert articles == local_articles
    assert (rejects.items, rejects.read) == (local_rejects.items, local_rejects.read)


def test_a_missing_input_stops_after_the_inputs_before_it(tmp_path: Path) -> None:
    """As with read_articles, the first bad record of an earlier file is raised before a later missing path."""
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": 1}\n', encoding="utf-8")
    for reader in (read_articles, partial(read_parts, engine=LocalEngine(1))):
        with pytest.raises(InputError, match="expected a string"):
            list(reader([bad, tmp_path / "missing.jsonl"]))


def reference_pairs(hashvalues: np.ndarray, threshold: float) -> set[tuple[int, int]]:
    """Slow and obvious: rows with equal values in some band, every pair (buckets here are small)."""
    bands, rows = lsh_params(threshold, hashvalues.shape[1])
    pairs: set[tuple[int, int]] = set()
    for band in range(bands):
        buckets = defaultdict(list)
        for row, values in enumerate(hashvalues[:, band * rows : (band + 1) * rows].tolist()):
            buckets[tuple(values)].append(row)
        for members in buckets.values():
            pairs.update(itertools.combinations(members, 2))
    return pairs


@pytest.mark.parametrize("rows_per_task", [7, 1 << 14])
def test_banding_in_blocks_matches_the_reference(monkeypatch: pytest.MonkeyPatch, rows_per_task: int) -> None:
    rng = np.random.default_rng(3)
    base = [" ".join(rng.choice([f"w{k}" for k in range(300)], 60)) for _ in range(30)]
    edited = [" ".join(t.split()[:50]) for t in base[:15]] + [t + " and more" for t in base[15:]]
    matrix = signature_matrix([Article(f"{i:03d}", t) for i, t in enumerate(base + edited)], 3, 128, 1)
    monkeypatch.setattr(candidates_module, "_ROWS_PER_TASK", rows_per_task)
    for threshold in (0.3, 0.6):
        expected = reference_pairs(matrix.hashvalues, threshold)
        assert len(expected) >= 25
        for engine in (None, LocalEngine(2)):
            assert set(map(tuple, lsh_pairs(matrix, threshold, engine=engine).tolist())) == expected
