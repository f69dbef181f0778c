"""Readers: seed .txt, JSONL, JSON, CSV and stdin, field aliases, encodings and the errors they raise."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import SEED_IDS
from hypothesis import given
from hypothesis import strategies as st

from dedupe import Article, DuplicateIdError, FieldMap, InputError, read_articles, run
from dedupe.load import parse_txt
from dedupe.records import Reject, Rejects

FIX_ID = "Fix: give every record its own id, or drop the ids to let dedupe number records FILE:LINE."


def write(directory: Path, name: str, data: bytes | str) -> Path:
    """Write bytes (or UTF-8 text) to ``directory/name`` and return the path."""
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def read(*paths: Path | str, **options: object) -> list[Article]:
    """Every article of the inputs, as a list."""
    return list(read_articles([str(p) for p in paths], **options))  # type: ignore[arg-type]


def load_error(*paths: Path | str, error: type[InputError] = InputError, **options: object) -> InputError:
    """The error reading the inputs raises."""
    with pytest.raises(error) as caught:
        read(*paths, **options)
    return caught.value


# --- seed .txt format ---------------------------------------------------------------------------


def test_seeds_ids_titles_and_dates(seeds_dir: Path) -> None:
    articles = read(seeds_dir)
    assert [a.id for a in articles] == list(SEED_IDS)
    assert [a.title for a in articles] == [
        None,
        "Staffordshire Police officer 'would have been dismissed had he not resigned following breach of standards'",
        None,
        "Devon and Cornwall Police officer fired for 'explicit messages'",
        None,
    ]
    assert [a.published for a in articles] == [None, None, "2020-11-21", "2020-11-19", None]
    assert [a.origin for a in articles] == [f"{seeds_dir / (i + '.txt')}:1" for i in SEED_IDS]


def test_seed_text_loses_marker_and_headline(seeds_dir: Path) -> None:
    by_id = {a.id: a for a in read(seeds_dir)}
    assert by_id[SEED_IDS[2]].text.startswith("On 5 November, PC J, a serving police officer")
    assert by_id[SEED_IDS[3]].text.startswith("A police officer has been sacked for using contact details")
    assert by_id[SEED_IDS[1]].text.startswith("A hearing into the conduct of a former police officer")
    assert by_id[SEED_IDS[4]].text.startswith("A Metropolitan Police officer who used a work phone")
    assert by_id[SEED_IDS[0]].text.startswith("A SERVING police officer has been sacked")
    assert all(a.record["id"] == a.id for a in by_id.values())


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" date 2020-11-21 Police officer sacked\nThe officer was sacked.",
         {"title": "Police officer sacked", "text": "The officer was sacked.", "published": "2020-11-21"}),
        ("date 2020-11-21\nThe officer was sacked.\nMore.",
         {"title": None, "text": "The officer was sacked.\nMore.", "published": "2020-11-21"}),
        ("A short line without text after it",
         {"title": None, "text": "A short line without text after it", "published": None}),
        ("A first sentence that ends with a full stop.\nThe second line.",
         {"title": None, "text": "A first sentence that ends with a full stop.\nThe second line.", "published": None}),
        (" ".join(["word"] * 31) + "\nBody.",
         {"title": None, "text": " ".join(["word"] * 31) + "\nBody.", "published": None}),
        ("dated 2020-11-21 is not a marker.",
         {"title": None, "text": "dated 2020-11-21 is not a marker.", "published": None}),
        ("\n\nHeadline after blank lines\n\nBody text here.\n",
         {"title": "Headline after blank lines", "text": "Body text here.", "published": None}),
    ],
)
def test_parse_txt(raw: str, expected: dict[str, str | None]) -> None:
    assert parse_txt(raw) == expected


def test_txt_crlf_and_bom(tmp_path: Path) -> None:
    path = write(tmp_path, "story.txt", b"\xef\xbb\xbf date 2020-11-21 Headline here\r\nBody text.\r\nMore.\r\n")
    [article] = read(path)
    assert (article.id, article.title, article.text, article.published) == (
        "story", "Headline here", "Body text.\nMore.", "2020-11-21")


def test_directory_walk_is_sorted_and_skips_other_files(tmp_path: Path) -> None:
    write(tmp_path, "b/two.txt", "Second story body.")
    write(tmp_path, "a/one.txt", "First story body.")
    write(tmp_path, "a/.hidden.txt", "Hidden.")
    write(tmp_path, "a/notes.md", "Not an input.")
    write(tmp_path, ".cache/one.txt", "A stale copy in a hidden folder.")
    write(tmp_path, "top.jsonl", '{"id": "top", "text": "At the top."}\n')
    assert [a.id for a in read(tmp_path)] == ["top", "one", "two"]


# --- JSONL, JSON, CSV ---------------------------------------------------------------------------


def test_jsonl_lines_and_missing_ids(tmp_path: Path) -> None:
    path = write(tmp_path, "a.jsonl", '{"id": "x", "text": "one"}\n\n{"text": "two"}\n{"id": 7, "text": "three"}\n')
    articles = read(path)
    assert [(a.id, a.origin, a.text) for a in articles] == [
        ("x", f"{path}:1", "one"),
        (f"{path}:3", f"{path}:3", "two"),
        ("7", f"{path}:4", "three"),
    ]


def test_blank_id_becomes_file_line(tmp_path: Path) -> None:
    path = write(tmp_path, "a.jsonl", '{"id": "  ", "text": "one"}\n{"id": null, "text": "two"}\n')
    assert [a.id for a in read(path)] == [f"{path}:1", f"{path}:2"]


def test_json_array_items_carry_their_line(tmp_path: Path) -> None:
    path = write(tmp_path, "a.json", '[\n  {"id": "a", "text": "t"},\n\n  {"id": "b",\n   "text": "u"},'
                                     ' {"id": "c", "text": "v"}\n]\n')
    assert [(a.id, a.origin) for a in read(path)] == [("a", f"{path}:2"), ("b", f"{path}:4"), ("c", f"{path}:5")]


@pytest.mark.parametrize(
    ("data", "ids"),
    [
        ('{\n  "id": "x",\n  "text": "pretty"\n}\n', ["x"]),
        ('{"id": "a", "text": "t"}\n{"id": "b", "text": "u"}\n', ["a", "b"]),
        ("  [ ]  ", []),
        ("", []),
    ],
)
def test_json_single_object_lines_and_empty(tmp_path: Path, data: str, ids: list[str]) -> None:
    assert [a.id for a in read(write(tmp_path, "a.json", data))] == ids


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            '[{"id": "a", "text": "t"},',
            "1: not valid JSON (the array is not closed with ']'). Fix: fix the JSON syntax.",
        ),
        (
            '[{"id": "a", "text": "t"}]\n[{"id": "b", "text": "u"}]',
            (
                "2: not valid JSON (extra data after the array's closing ']'). "
                "Fix: put every article in the one top-level array."
            ),
        ),
        (
            '[\n{"id": "a", "text": "t"}\n{"id": "b"}]',
            "3: not valid JSON (expected ',' or ']' between array items). Fix: fix the JSON syntax.",
        ),
        ('[\n{"id": "a",\n "text": }]', "3: not valid JSON (Expecting value). Fix: fix the JSON syntax at that line."),
    ],
)
def test_json_syntax_errors(tmp_path: Path, data: str, message: str) -> None:
    path = write(tmp_path, "a.json", data)
    assert str(load_error(path)) == f"{path}:{message}"


def test_jsonl_bad_line(tmp_path: Path) -> None:
    path = write(tmp_path, "a.jsonl", '{"id": "a", "text": "t"}\n{bad\n')
    error = load_error(path)
    assert str(error) == (f"{path}:2: not valid JSON (Expecting property name enclosed in double quotes at column 2). "
                          "Fix: each line must be one complete JSON object.")
    assert (error.file, error.line, error.field) == (str(path), 2, None)


def test_jsonl_item_not_an_object(tmp_path: Path) -> None:
    path = write(tmp_path, "a.jsonl", '{"id": "a", "text": "t"}\n["b", "u"]\n')
    assert str(load_error(path)) == (
        f"{path}:2: expected a JSON object (one article), got a list. "
        'Fix: each line or array item must be an object such as {"id": ..., "text": ...}.')


def test_csv_quoted_newlines_and_blank_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", 'id,text,title\n1,one,"A, title"\n\n2,"two\nlines, ""quoted""",\n3,three,\n')
    articles = read(path)
    assert [(a.id, a.origin, a.text, a.title) for a in articles] == [
        ("1", f"{path}:2", "one", "A, title"),
        ("2", f"{path}:4", 'two\nlines, "quoted"', ""),
        ("3", f"{path}:6", "three", ""),
    ]


@pytest.mark.parametrize(
    ("data", "line", "count"),
    [("id,text\n1,a\n2,b,c\n", 3, 3), ('id,text\n1,"a\nb"\n\n2\n', 5, 1)],
)
def test_csv_ragged_row(tmp_path: Path, data: str, line: int, count: int) -> None:
    path = write(tmp_path, "a.csv", data)
    assert str(load_error(path)) == (
        f"{path}:{line}: the row has {count} values but the header has 2 columns. "
        "Fix: quote values that contain commas, and give every row as many values as the header.")


def test_csv_crlf(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", b'id,text\r\n1,"one\r\ntwo"\r\n2,three\r\n')
    assert [(a.id, a.origin, a.text) for a in read(path)] == [
        ("1", f"{path}:2", "one\ntwo"),
        ("2", f"{path}:4", "three"),
    ]


def test_format_option_overrides_extension(tmp_path: Path) -> None:
    path = write(tmp_path, "a.data", '{"id": "a", "text": "t"}\n')
    assert [a.id for a in read(path, format="jsonl")] == ["a"]
    assert str(load_error(path)) == (
        f"{path}: cannot tell the format from the extension '.data'. "
        "Fix: rename the file or pass --format (txt, jsonl, json, csv).")


def test_unknown_format_and_missing_file(tmp_path: Path) -> None:
    assert str(load_error(tmp_path, format="xml")) == "unknown format 'xml'. Fix: use one of txt, jsonl, json, csv."
    missing = tmp_path / "nope.jsonl"
    assert str(load_error(missing)) == f"{missing}: no such file or directory. Fix: check the path."


# --- fields ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("record", "field", "value"),
    [
        ('{"body": "B"}', "text", "B"),
        ('{"content": "C"}', "text", "C"),
        ('{"text": "T", "body": "B"}', "text", "T"),
        ('{"text": null, "body": "B"}', "text", "B"),
        ('{"Text": "T"}', "text", "T"),
        ('{"text": "t", "headline": "H"}', "title", "H"),
        ('{"text": "t", "date": "2020-11-21"}', "published", "2020-11-21"),
        ('{"text": "t", "Date": "21 November 2020"}', "published", "2020-11-21"),
        ('{"text": "t", "date": "2020-11-21T09:30:00Z"}', "published", "2020-11-21T09:30:00+00:00"),
        ('{"text": "t", "publisher": "P"}', "source", "P"),
        ('{"text": "t", "link": "https://x.test/a"}', "url", "https://x.test/a"),
        ('{"text": "t", "guid": "g-1"}', "id", "g-1"),
    ],
)
def test_field_aliases(tmp_path: Path, record: str, field: str, value: str) -> None:
    [article] = read(write(tmp_path, "a.jsonl", record + "\n"))
    assert getattr(article, field) == value


def test_fieldmap_overrides(tmp_path: Path) -> None:
    path = write(tmp_path, "a.jsonl", '{"guid": "g", "id": "ignored", "story": "S", "text": "not this", "hed": "H",'
                                      ' "outlet_name": "O", "when": "2020-11-19", "u": "https://x.test"}\n')
    fields = FieldMap(id="guid", text="story", title="hed", source="outlet_name", published="when", url="u")
    [article] = read(path, fields=fields)
    assert (article.id, article.text, article.title, article.source, article.published, article.url) == (
        "g", "S", "H", "O", "2020-11-19", "https://x.test")
    assert article.record["text"] == "not this"


def test_fieldmap_names_a_missing_field(tmp_path: Path) -> None:
    path = write(tmp_path, "a.jsonl", '{"id": "a", "text": "t"}\n')
    error = load_error(path, fields=FieldMap(text="story"))
    assert str(error) == (f"{path}:1: field 'story': the article has no text and no title. "
                          "Fix: give the record a non-empty 'story' (or map another field with --text-field).")


def test_title_only_record_is_kept(tmp_path: Path) -> None:
    [article] = read(write(tmp_path, "a.jsonl", '{"id": "a", "text": "", "title": "Only a headline"}\n'))
    assert (article.text, article.content) == ("", "Only a headline")


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ('{"id": "a", "title": ["x", "y"], "text": "t"}',
         ("field 'title': expected a string, got a list (['x', 'y']). "
         "Fix: make 'title' a string, or map another field to title.")),
        ('{"id": "a", "text": 5}',
         "field 'text': expected a string, got a number (5). Fix: make 'text' a string, or map another field to text."),
        ('{"id": "a", "body": {"p": 1}}',
         ("field 'body': expected a string, got an object ({'p': 1}). "
         "Fix: make 'body' a string, or map another field to text.")),
        ('{"id": true, "text": "t"}',
         ("field 'id': expected a string or a whole number for the id, got a boolean. "
         "Fix: use a unique string id per record, or leave it out.")),
        ('{"id": "a", "text": "t", "published": 20201121}',
         ("field 'published': expected a date string, got a number (20201121). "
         'Fix: write dates as ISO 8601 text, e.g. "2020-11-21".')),
        ('{"id": "a", "text": "t", "date": "not a date"}',
         ("field 'date': cannot read 'not a date' as a date. "
         'Fix: write dates as ISO 8601, e.g. "2020-11-21" or "2020-11-21T09:30:00Z", or leave the field empty.')),
        ('{"id": "a", "text": "  "}',
         ("field 'text': the article has no text and no title. "
         "Fix: give the record a non-empty 'text' (or map another field with --text-field).")),
    ],
)
def test_wrong_field_types(tmp_path: Path, record: str, message: str) -> None:
    path = write(tmp_path, "a.jsonl", '{"id": "ok", "text": "fine"}\n' + record + "\n")
    error = load_error(path)
    assert str(error) == f"{path}:2: {message}"
    assert (error.file, error.line) == (str(path), 2)


# --- ids ------------------------------------------------------------------------------------------


def test_duplicate_id_in_one_file(tmp_path: Path) -> None:
    path = write(tmp_path, "a.jsonl", '{"id": "a", "text": "x"}\n{"id": "b", "text": "y"}\n{"id": "a", "text": "z"}\n')
    error = load_error(path, error=DuplicateIdError)
    assert str(error) == f"{path}:3: field 'id': duplicate id 'a': first at {path}:1, again here. {FIX_ID}"
    assert (error.file, error.line, error.field) == (str(path), 3, "id")


def test_duplicate_id_across_files(tmp_path: Path) -> None:
    first = write(tmp_path, "a.jsonl", '{"id": "x", "text": "one"}\n')
    second = write(tmp_path, "b.csv", "id,text\ny,two\nx,three\n")
    error = load_error(first, second, error=DuplicateIdError)
    assert str(error) == f"{second}:3: field 'id': duplicate id 'x': first at {first}:1, again here. {FIX_ID}"


def test_number_and_string_ids_collide(tmp_path: Path) -> None:
    path = write(tmp_path, "a.jsonl", '{"id": 1, "text": "x"}\n{"id": "1", "text": "y"}\n')
    assert load_error(path, error=DuplicateIdError).line == 2


# --- stdin and encodings --------------------------------------------------------------------------


def test_stdin_is_jsonl_by_default() -> None:
    stdin = io.BytesIO(b'{"id": "a", "text": "one"}\n{"text": "two"}\n')
    assert [(a.id, a.origin) for a in read("-", stdin=stdin)] == [("a", "<stdin>:1"), ("<stdin>:2", "<stdin>:2")]


def test_stdin_with_format_and_errors() -> None:
    assert [a.id for a in read("-", format="csv", stdin=io.BytesIO(b"id,text\nq,one\n"))] == ["q"]
    error = load_error("-", stdin=io.BytesIO(b'{"id": "a", "text": 1}\n'))
    assert str(error).startswith("<stdin>:1: field 'text': expected a string, got a number (1).")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_encodings_with_bom(tmp_path: Path, encoding: str) -> None:
    text = '{"id": "a", "text": "caf\u00e9 \u2014 na\u00efve"}\r\n{"id": "b", "text": "\u201cquoted\u201d"}\r\n'
    data = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        data = "\ufeff".encode(encoding) + data
    articles = read(write(tmp_path, "a.jsonl", data))
    assert [(a.id, a.text) for a in articles] == [("a", "caf\u00e9 \u2014 na\u00efve"), ("b", "\u201cquoted\u201d")]


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "a.jsonl", b'{"id": "a", "text": "x"}\n{"id": "b", "text": "caf\xe9"}\n')
    error = load_error(path)
    assert str(error) == f"{path}:2: not valid UTF-8: byte 0xe9 cannot be decoded. Fix: re-save the file as UTF-8."
    assert (error.file, error.line) == (str(path), 2)


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "a.jsonl", b'{"id": "a", "text": "x\x00"}\n')
    assert str(load_error(path)) == (f"{path}: looks like a binary file (it holds NUL bytes), not text. "
                                     "Fix: remove it from the input, or convert it to UTF-8 text.")


# --- the error policy -----------------------------------------------------------------------------


def test_skip_policy_collects_rejects_and_counts_records(tmp_path: Path) -> None:
    path = write(
        tmp_path, "a.jsonl", '{"id": "a", "text": "one"}\n{"id": "b", "text": 5}\n\n{"id": "a", "text": "x"}\n'
    )
    rejects = Rejects("skip")
    articles = read(path, rejects=rejects)
    assert [a.id for a in articles] == ["a"]
    assert rejects.read == 3
    assert list(rejects) == [
        Reject(str(path), 2, "text", "expected a string, got a number (5).",
               "make 'text' a string, or map another field to text.", '{"id": "b", "text": 5}'),
        Reject(str(path), 4, "id", f"duplicate id 'a': first at {path}:1, again here.", FIX_ID[5:],
               '{"id": "a", "text": "x"}'),
    ]
    summary = run(articles, rejects=rejects).summary
    assert summary["articles"] == {"read": 3, "rejected": 2, "clustered": 1}


def test_fail_policy_is_the_default_and_policies_are_checked(tmp_path: Path) -> None:
    path = write(tmp_path, "a.jsonl", '{"id": "a", "text": 5}\n')
    assert load_error(path).line == 1
    assert load_error(path, rejects=Rejects("fail")).field == "text"
    with pytest.raises(ValueError, match="unknown error policy 'ignore'; use one of fail, skip"):
        Rejects("ignore")


def test_every_public_name_resolves_and_import_stays_light() -> None:
    import subprocess
    import sys

    code = ("import sys, dedupe; heavy = {'scipy', 'networkx', 'dedupe.extract'} & set(sys.modules); "
            "names = [n for n in dedupe.__all__ if getattr(dedupe, n, None) is None]; print(sorted(heavy), names)")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert found.strip() == "[] []"


@given(st.dictionaries(st.sampled_from(["id", "text", "title", "source", "published", "url", "origin"]),
                       st.one_of(st.none(), st.text(max_size=8)), min_size=7))
def test_article_of_is_the_article_init_makes(fields: dict) -> None:
    """``Article.of`` (what reading builds each article with) makes the object ``Article(...)`` makes: fields in the
    same order, equal, pickled alike."""
    import pickle

    values = {name: fields[name] for name in ("id", "text", "title", "source", "published", "url", "origin")}
    values["id"], values["text"], values["origin"] = values["id"] or "", values["text"] or "", values["origin"] or ""
    record = {"id": values["id"], "n": [1, 2]}
    made, built = Article.of(**values, record=record), Article(**values, record=record)
    assert type(made) is Article and made == built and made.record is built.record
    assert list(vars(made).items()) == list(vars(built).items())
    assert pickle.dumps(made) == pickle.dumps(built) and hash(made) == hash(built)
