"""The loader's shortcut: a file that decodes as UTF-8 and holds no surrogate escape skips the per-string
search for lone surrogates; files that need the search still get it, and both paths agree."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedupe.errors import InputError
from dedupe.load import decode_checked, raw_records, read_articles
from dedupe.records import FieldMap, Rejects, to_article

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize(("data", "checked"), [
    (b'{"id": "a", "text": "plain"}\n', True),
    ('{"id": "a", "text": "caf\u00e9 \u201cquoted\u201d"}\n'.encode(), True),
    (b'{"id": "a", "text": "\\u00e9 is fine"}\n', True),
    (b'{"id": "a", "text": "an emoji \\ud83d\\ude00"}\n', False),
    (b'{"id": "a", "text": "upper case \\uDC80"}\n', False),
    (b'{"id": "a", "text": "bad byte \xff"}\n', False),
    ('\ufeff{"id": "a", "text": "utf-16 \\ud800"}\n'.encode("utf-16-le"), False),
    ('\ufeff{"id": "a", "text": "utf-16, fine"}\n'.encode("utf-16-le"), False),
])
def test_a_file_is_checked_only_when_no_string_can_hold_a_lone_surrogate(data: bytes, checked: bool) -> None:
    assert decode_checked(data, "a.jsonl")[1] is checked


def test_a_lone_escape_in_a_utf16_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "wide.jsonl"
    path.write_bytes('\ufeff{"id": "a", "text": "half \\ud800 pair"}\n{"id": "b", "text": "ok"}\n'.encode("utf-16-le"))
    rejects = Rejects("skip")
    assert [a.id for a in read_articles([path], rejects=rejects)] == ["b"]
    assert [(r.line, r.field) for r in rejects] == [(1, "text")]


def test_records_of_clean_lines_carry_the_flag_and_others_do_not(tmp_path: Path) -> None:
    clean, escaped = tmp_path / "clean.jsonl", tmp_path / "escaped.jsonl"
    clean.write_text('{"id": "a", "text": "x"}\n{"id": "b", "text": "y"}\n', encoding="utf-8")
    escaped.write_text(
        '{"id": "c", "text": "x"}\n{"id": "d", "text": "\\ud83d\\ude00"}\n'
        '{"id": "e", "text": "\\ud83d\\ude00", "n": NaN}\n{"id": "f", "text": "\\udc80"}\n',
        encoding="utf-8",
    )
    assert [r.checked for r in raw_records(str(clean), "jsonl")] == [True, True]
    # JSONL: line by line; a line orjson reads holds no lone surrogate (it refuses one), a line left to json
    # (NaN, a lone escape) is checked only when it holds no surrogate escape at all
    assert [r.checked for r in raw_records(str(escaped), "jsonl")] == [True, True, False, False]


def test_a_line_orjson_reads_is_decoded_only_when_its_raw_text_is_asked_for(tmp_path: Path) -> None:
    from dedupe.decoding import LineRecord, line_record

    data = '{"id": "a", "text": "caf\u00e9 \u2026"}'.encode()
    record = line_record(data, "f", 3)
    assert isinstance(record, LineRecord) and "raw" not in vars(record)  # no text held: the bytes are
    assert (record.line, record.raw, record.value, record.error, record.checked) == (
        3, data.decode(), {"id": "a", "text": "caf\u00e9 \u2026"}, None, True)
    assert line_record(b"  \t", "f", 4) is None and line_record(b"", "f", 5) is None
    bad = line_record(b'{"id": "b", "text": NaN}', "f", 6)  # left to json, its text decoded as before
    assert not isinstance(bad, LineRecord) and bad.raw == '{"id": "b", "text": NaN}'
    path = tmp_path / "one.jsonl"
    path.write_bytes(data + b"\n" + b'{"id": "a", "text": "again"}\n')
    rejects = Rejects("skip")
    assert [a.id for a in read_articles([path], rejects=rejects)] == ["a"]
    assert [r.raw for r in rejects] == ['{"id": "a", "text": "again"}']  # a rejected line's raw text is its line


def test_a_bad_byte_or_lone_escape_is_still_refused_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b'{"id": "a", "text": "fine"}\n{"id": "b", "text": "\xfe"}\n{"id": "c", "text": "\\udfff"}\n'
                     b'{"id": "d", "text": "\\ud83d\\ude00 fine"}\n')
    rejects = Rejects("skip")
    articles = list(read_articles([path], rejects=rejects))
    assert [a.id for a in articles] == ["a", "d"]
    assert [(r.line, r.field) for r in rejects] == [(2, None), (3, "text")]


strings = st.text(st.characters(codec="utf-8"), max_size=12) | st.sampled_from(["\ud800", "a\udfffb", "\U0001f600"])


@SETTINGS
@given(records=st.lists(st.dictionaries(st.sampled_from(["id", "text", "title", "extra"]), strings, min_size=1),
                        min_size=1, max_size=5), ascii_only=st.booleans())
def test_the_shortcut_agrees_with_the_full_search(records: list[dict[str, str]], ascii_only: bool) -> None:
    text = "".join(json.dumps(r, ensure_ascii=ascii_only) + "\n" for r in records)
    data = text.encode("utf-8", "surrogatepass")
    for record in raw_records("-", "jsonl", io.BytesIO(data)):
        outcomes = []
        for checked in {record.checked, False}:
            try:
                outcomes.append(to_article(record.value, FieldMap(), "<stdin>", record.line or 0, checked=checked))
            except InputError as error:
                outcomes.append(error.message)
        assert len(set(map(repr, outcomes))) == 1



FRAGMENTS = ['{"id": "a", "text": "x"}', '{"id": ', '"caf\u00e9"', "\n", "\r", "\r\n", "\ufeff", "\\ud800", "\\u00e9",
             " ", "\t", "\u2028", "\x85", "}", "[1]", "null"]
NOISE = [b"", b"\xff", b"\xc3", b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"\r"]


def _spliced(parts: list[str], noise: bytes, cut: int) -> bytes:
    """The fragments joined as UTF-8 with ``noise`` put in at byte ``cut``."""
    data = "".join(parts).encode("utf-8")
    return data[:cut] + noise + data[cut:]


byte_payloads = st.builds(_spliced, st.lists(st.sampled_from(FRAGMENTS), max_size=25), st.sampled_from(NOISE),
                          st.integers(0, 200))


@SETTINGS
@given(data=byte_payloads, block=st.integers(1, 9))
def test_streamed_jsonl_reads_exactly_like_the_whole_file(data: bytes, block: int) -> None:
    from dedupe import decoding as lines
    from dedupe.formats import jsonl_records

    def outcome(record) -> tuple:
        try:
            article = to_article(record.value, FieldMap(), "f", record.line or 0) if record.error is None else None
        except InputError as error:
            article = error.message
        error = record.error and (record.error.line, record.error.message)
        return record.line, record.raw, repr(record.value), error, repr(article)

    old, lines.BLOCK_BYTES = lines.BLOCK_BYTES, block
    try:
        try:
            text, checked = decode_checked(data, "f")
            whole = [outcome(r) for r in jsonl_records(text, "f", checked)]
        except InputError as error:
            whole = [(error.line, None, repr(None), (error.line, error.message), repr(None))]
        streamed = [outcome(r) for r in raw_records("-", "jsonl", io.BytesIO(data))]
    finally:
        lines.BLOCK_BYTES = old
    assert streamed == whole


_KEYS = st.sampled_from(["id", "ID", "Id", "guid", "text", "Text", "BODY", "body", "title", "Headline", "source",
                         "date", "DATE", "url", "Link", "other"])
_VALUES = st.one_of(st.none(), st.text(max_size=3), st.integers(0, 9))


@SETTINGS
@given(st.lists(st.dictionaries(_KEYS, _VALUES, max_size=8), min_size=1, max_size=6),
       st.sampled_from([FieldMap(), FieldMap(text="BODY"), FieldMap(id="guid", title="Headline")]))
def test_resolve_finds_what_lookup_finds_for_every_field(records: list[dict], fields: FieldMap) -> None:
    """``resolve`` works out the keys to try once per set of record keys; ``lookup`` searches each record."""
    for record in records + records:  # the second pass is served from the cache
        assert fields.resolve(record) == {name: fields.lookup(record, name) for name in fields.resolve(record)}
        assert set(fields.resolve(record)) == {"id", "text", "title", "source", "published", "url"}


def test_crlf_lines_inside_one_block_are_numbered_as_in_the_whole_file() -> None:
    """Several CRLF lines in one block (the streamed reader's inner loop): each CR dropped, lines counted once."""
    data = b'{"id": "a", "text": "x"}\r\n{"id": "b", "text": "y"}\r\n\r\n{"id": "c", "text": "z"}\r\n{"id": "d"'
    streamed = [(r.line, r.value, r.error and r.error.line) for r in raw_records("-", "jsonl", io.BytesIO(data))]
    assert streamed[:3] == [(1, {"id": "a", "text": "x"}, None), (2, {"id": "b", "text": "y"}, None),
                            (4, {"id": "c", "text": "z"}, None)]
    assert streamed[3][0] == 5 and streamed[3][2] == 5
