"""The bad-input matrix through the CLI: exact messages and exit codes, `--on-error skip`, rejects.jsonl, accounting.

Cases already covered elsewhere are not repeated: a malformed JSON line, duplicate ids across files, an
unknown config key, an out-of-range --threshold and an unwritable output directory (tests/test_cli_run.py).
"""

from __future__ import annotations

import ast
import builtins
import csv
import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import dedupe.load
from dedupe.cli import main

COPIES = ["--relations", "exact,near_duplicate"]
OUTPUTS = ["clusters.jsonl", "deduped.jsonl", "stories.jsonl", "conflicts.jsonl", "report.html", "report.md",
           "conflicts.csv", "summary.json"]
GOOD = '{"id": "ok", "text": "A good record about the harbour."}\n'
FIX_JSONL = "Fix: each line must be one complete JSON object."
FIX_OBJECT = 'Fix: each line or array item must be an object such as {"id": ..., "text": ...}.'
FIX_NO_TEXT = "Fix: give the record a non-empty 'text' (or map another field with --text-field)."
FIX_ID = "Fix: give every record its own id, or drop the ids to let dedupe number records FILE:LINE."
FIX_UTF8 = "Fix: re-save the file as UTF-8."
FIX_CSV = "Fix: quote values that contain commas, and give every row as many values as the header."
FIX_BINARY = "Fix: remove it from the input, or convert it to UTF-8 text."
FIX_EMPTY = "Fix: give files that hold articles (an empty file or a CSV header alone holds none)."
FIX_DATE = 'Fix: write dates as ISO 8601, e.g. "2020-11-21" or "2020-11-21T09:30:00Z", or leave the field empty.'
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01" + bytes(range(256))


def invoke(runner: CliRunner, *args: str) -> Result:
    """Run ``dedupe ARGS...`` (exceptions other than SystemExit propagate)."""
    return runner.invoke(main, list(args), catch_exceptions=False)


def assert_fails(result: Result, code: int, message: str) -> None:
    """Exit code, the one-line message on stderr, nothing on stdout."""
    assert (result.exit_code, result.stderr, result.stdout) == (code, f"Error: {message}\n", "")


def make(root: Path, files: dict[str, bytes | str]) -> Path:
    """Write ``files`` (relative path -> content) under ``root``; return ``root``."""
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return root


def json_lines(path: Path) -> list[dict]:
    """Every line of a JSONL file, parsed."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# --- one bad record: --on-error fail (the default) stops with file, line, field and a fix ---------

FAIL_CASES = {
    "not_an_object": ({"in/a.jsonl": GOOD + '"just a string"\n'},
                      "in/a.jsonl:2: expected a JSON object (one article), got a string. " + FIX_OBJECT),
    "array_item_not_an_object": ({"in/a.json": '[\n  {"id": "ok", "text": "fine"},\n  42\n]\n'},
                                 "in/a.json:3: expected a JSON object (one article), got a number. " + FIX_OBJECT),
    "number_as_text": ({"in/a.jsonl": GOOD + '{"id": "b", "text": 42}\n'},
                       ("in/a.jsonl:2: field 'text': expected a string, got a number (42). "
                        "Fix: make 'text' a string, or map another field to text.")),
    "list_as_title": ({"in/a.jsonl": GOOD + '{"id": "b", "title": ["Big", "news"], "text": "t"}\n'},
                      ("in/a.jsonl:2: field 'title': expected a string, got a list (['Big', 'news']). "
                       "Fix: make 'title' a string, or map another field to title.")),
    "missing_text": ({"in/a.jsonl": GOOD + '{"id": "b", "source": "Gazette"}\n'},
                     "in/a.jsonl:2: field 'text': the article has no text and no title. " + FIX_NO_TEXT),
    "empty_text": ({"in/a.jsonl": GOOD + '{"id": "b", "text": "", "title": "  "}\n'},
                   "in/a.jsonl:2: field 'text': the article has no text and no title. " + FIX_NO_TEXT),
    "duplicate_id_in_one_file": ({"in/a.jsonl": GOOD + '{"id": "b", "text": "x"}\n{"id": "ok", "text": "y"}\n'},
                                 "in/a.jsonl:3: field 'id': duplicate id 'ok': first at in/a.jsonl:1, again here. "
                                 + FIX_ID),
    "invalid_utf8": ({"in/a.jsonl": GOOD.encode() + b'{"id": "b", "text": "caf\xe9"}\n'},
                     "in/a.jsonl:2: not valid UTF-8: byte 0xe9 cannot be decoded. " + FIX_UTF8),
    "invalid_utf8_in_txt_names_its_line": ({"in/a.txt": b"Headline\n\nBody line.\nSecond \xff line.\n"},
                                           "in/a.txt:4: not valid UTF-8: byte 0xff cannot be decoded. " + FIX_UTF8),
    "invalid_utf16": ({"in/a.jsonl": "\ufeff".encode("utf-16-le") + GOOD.encode("utf-16-le") + b"\x00\xd8"},
                      "in/a.jsonl:2: not valid UTF-16 (unexpected end of data at byte 116). " + FIX_UTF8),
    "lone_surrogate_escape": ({"in/a.jsonl": GOOD + '{"id": "b", "text": "half \\ud800 a pair"}\n'},
                              ("in/a.jsonl:2: field 'text': holds a lone surrogate \\ud800, which is not a "
                               "character. Fix: re-save the file as UTF-8; a \\ud800-\\udfff escape must be half "
                               "of a pair.")),
    "csv_ragged_row": ({"in/a.csv": "id,text\n1,one\n2,two,extra\n"},
                       "in/a.csv:3: the row has 3 values but the header has 2 columns. " + FIX_CSV),
    "csv_header_only": ({"in/a.csv": "id,title,text\r\n"},
                        "no articles to process: in/a.csv holds no records. " + FIX_EMPTY),
    "empty_file": ({"in/a.jsonl": ""}, "no articles to process: in/a.jsonl holds no records. " + FIX_EMPTY),
    "empty_files": ({"in/a.jsonl": "", "in/b.csv": "id,text\n"},
                    "no articles to process: in/a.jsonl, in/b.csv hold no records. " + FIX_EMPTY),
    "unterminated_string": ({"in/a.jsonl": GOOD + '{"id": "b", "text": "cut off\n'},
                            "in/a.jsonl:2: not valid JSON (Unterminated string starting at column 21). " + FIX_JSONL),
    "empty_txt_file": ({"in/a.txt": "\n\n"},
                       "in/a.txt:1: field 'text': the article has no text and no title. " + FIX_NO_TEXT),
    "binary_file_in_txt_directory": ({"in/a.txt": "A story.", "in/b.txt": PNG},
                                     "in/b.txt: looks like a binary file (it holds NUL bytes), not text. "
                                     + FIX_BINARY),
    "date_does_not_parse": ({"in/a.jsonl": GOOD + '{"id": "b", "text": "t", "date": "the day after"}\n'},
                            "in/a.jsonl:2: field 'date': cannot read 'the day after' as a date. " + FIX_DATE),
    "json_too_deep": ({"in/a.jsonl": GOOD + "[" * 100_000 + "\n"},
                      "in/a.jsonl:2: not valid JSON here (nested too deeply to read). " + FIX_JSONL),
}


@pytest.mark.parametrize("case", sorted(FAIL_CASES))
def test_bad_record_fails(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    files, message = FAIL_CASES[case]
    make(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    assert_fails(invoke(runner, "run", "in", "-o", "out", *COPIES), 3, message)
    assert not (tmp_path / "out").exists()


def test_empty_directory(runner: CliRunner, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    make(tmp_path, {"empty/notes.md": "not an input", "empty/.hidden.jsonl": GOOD})
    assert_fails(invoke(runner, "run", str(empty), *COPIES), 3,
                 f"{empty}: the directory holds no input files. Fix: check the path; dedupe reads .txt, .jsonl, "
                 ".ndjson, .json and .csv files (hidden ones are skipped).")


def test_unreadable_file_chmod(runner: CliRunner, tmp_path: Path) -> None:
    path = make(tmp_path, {"a.jsonl": GOOD}) / "a.jsonl"
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as root: a chmod 000 file stays readable")
        assert_fails(invoke(runner, "run", str(tmp_path), *COPIES), 3,
                     f"{path}: cannot read the file (Permission denied). "
                     "Fix: check that it exists and that you may read it.")
    finally:
        path.chmod(0o644)


@pytest.fixture
def unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``in/b.jsonl``, which ``open`` refuses as if it had mode 000 (works as root too)."""
    make(tmp_path, {"in/a.jsonl": GOOD, "in/b.jsonl": '{"id": "b", "text": "locked"}\n'})
    locked = tmp_path / "in" / "b.jsonl"

    def refusing_open(file: object, *args: object, **kwargs: object) -> object:
        if Path(str(file)).resolve() == locked.resolve():
            raise PermissionError(13, "Permission denied", str(file))
        return builtins.open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(dedupe.load, "open", refusing_open, raising=False)
    monkeypatch.chdir(tmp_path)
    return locked


def test_unreadable_file(runner: CliRunner, unreadable: Path) -> None:
    assert_fails(invoke(runner, "run", "in", *COPIES), 3,
                 "in/b.jsonl: cannot read the file (Permission denied). "
                 "Fix: check that it exists and that you may read it.")


def test_unreadable_file_is_skipped(runner: CliRunner, unreadable: Path) -> None:
    result = invoke(runner, "run", "in", "-o", "out", "--on-error", "skip", *COPIES)
    assert result.exit_code == 0
    assert json_lines(Path("out/rejects.jsonl")) == [
        {"file": "in/b.jsonl", "line": None, "field": None, "reason": "cannot read the file (Permission denied).",
         "fix": "check that it exists and that you may read it.", "raw": None}]


def test_unlistable_directory(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make(tmp_path, {"in/a.jsonl": GOOD, "in/sub/b.jsonl": GOOD})
    real_scandir = os.scandir

    def refusing_scandir(path: object = ".") -> object:
        if str(path).endswith("sub"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", refusing_scandir)
    monkeypatch.chdir(tmp_path)
    assert_fails(invoke(runner, "run", "in", *COPIES), 3,
                 "in/sub: cannot list the directory (Permission denied). "
                 "Fix: check that you may read it, or leave it out of the input.")


def test_out_of_range_settings_in_a_config_file_are_reported_together(runner: CliRunner, seeds_dir: Path,
                                                                      tmp_path: Path) -> None:
    config = make(tmp_path, {"dedupe.toml": "[dedupe]\nthreshold = 1.5\nstory_threshold = 0\n"}) / "dedupe.toml"
    assert_fails(invoke(runner, "run", str(seeds_dir), "--config", str(config)), 4,
                 f"{config}: invalid settings: 'threshold' must be above 0 and at most 1, got 1.5; 'story_threshold' "
                 "must be above 0 and at most 1, got 0. Fix: see the 'Configuration' section of the README for every "
                 "key and its range.")


# --- input that is fine: BOM, UTF-16, CRLF, quoted newlines, symlink loops --------------------------


def deduped(runner: CliRunner, *inputs: Path | str) -> dict[str, dict]:
    """Run on the inputs and return deduped.jsonl's records by id."""
    result = invoke(runner, "run", *map(str, inputs), "--emit", "deduped", "-q", *COPIES)
    assert (result.exit_code, result.stderr) == (0, "")
    return {record["id"]: record for record in map(json.loads, result.stdout.splitlines())}


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_byte_order_mark_and_crlf(runner: CliRunner, tmp_path: Path, encoding: str) -> None:
    text = '{"id": "a", "title": "Caf\u00e9 opens", "text": "Line one.\\nLine two."}\r\n\r\n'
    make(tmp_path, {"a.jsonl": text.encode(encoding),
                    "b.txt": "Caf\u00e9 closes\r\n\r\nThe caf\u00e9 closed.\r\nFor good.\r\n".encode(encoding)})
    records = deduped(runner, tmp_path)
    assert records["a"]["title"] == "Caf\u00e9 opens"
    assert (records["b"]["title"], records["b"]["text"]) == ("Caf\u00e9 closes", "The caf\u00e9 closed.\nFor good.")


def test_csv_quoted_newlines(runner: CliRunner, tmp_path: Path) -> None:
    make(tmp_path, {"a.csv": 'id,title,text\r\n1,"Two, lines","First line\r\nsecond ""quoted"" line"\r\n'})
    assert deduped(runner, tmp_path / "a.csv")["1"]["text"] == 'First line\nsecond "quoted" line'


def test_directory_symlink_loop(runner: CliRunner, tmp_path: Path) -> None:
    make(tmp_path, {"in/a.jsonl": GOOD, "in/sub/b.txt": "Another story entirely."})
    (tmp_path / "in" / "sub" / "loop").symlink_to(tmp_path / "in", target_is_directory=True)
    (tmp_path / "in" / "self").symlink_to(tmp_path / "in" / "self")
    assert sorted(deduped(runner, tmp_path / "in")) == ["b", "ok"]


# --- --on-error skip: rejects.jsonl, counts, accounting ----------------------------------------------

MIXED = (GOOD + '{"id": "b", "text": ["x"]}\n{bad\n{"id": "ok", "text": "again"}\n\n'
         '{"id": "c", "text": "Another good record."}\n').encode() + b'{"id": "d", "text": "caf\xe9"}\n'


def test_skip_writes_rejects_and_counts_them(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make(tmp_path, {"a.jsonl": MIXED})
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "run", "a.jsonl", "-o", "out", "--on-error", "skip", *COPIES)
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == ("dedupe: read 6 records, rejected 4 (see out/rejects.jsonl); 2 clusters (no links); "
                             f"wrote {', '.join(OUTPUTS[:-1])}, rejects.jsonl, summary.json to out\n")
    assert json_lines(tmp_path / "out" / "rejects.jsonl") == [
        {"file": "a.jsonl", "line": 2, "field": "text", "reason": "expected a string, got a list (['x']).",
         "fix": "make 'text' a string, or map another field to text.", "raw": '{"id": "b", "text": ["x"]}'},
        {"file": "a.jsonl", "line": 3, "field": None,
         "reason": "not valid JSON (Expecting property name enclosed in double quotes at column 2).",
         "fix": FIX_JSONL[5:], "raw": "{bad"},
        {"file": "a.jsonl", "line": 4, "field": "id", "reason": "duplicate id 'ok': first at a.jsonl:1, again here.",
         "fix": FIX_ID[5:], "raw": '{"id": "ok", "text": "again"}'},
        {"file": "a.jsonl", "line": 7, "field": None, "reason": "not valid UTF-8: byte 0xe9 cannot be decoded.",
         "fix": FIX_UTF8[5:], "raw": '{"id": "d", "text": "caf\\xe9"}'},
    ]
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["articles"] == {"read": 6, "rejected": 4, "clustered": 2}


def test_skip_without_output_dir_lists_rejects_on_stderr(runner: CliRunner, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    make(tmp_path, {"a.csv": "id,text\n1,one\n2,two,extra\n3,three\n"})
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "run", "a.csv", "--on-error", "skip", "-q", *COPIES)
    assert result.exit_code == 0
    assert result.stderr == f"Skipped: a.csv:3: the row has 3 values but the header has 2 columns. {FIX_CSV}\n"
    assert sorted(m for line in result.stdout.splitlines() for m in json.loads(line)["members"]) == ["1", "3"]


def test_skip_binary_file_in_txt_directory(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make(tmp_path, {"in/a.txt": "A story.", "in/b.txt": PNG, "in/c.txt": "Another story."})
    monkeypatch.chdir(tmp_path)
    assert invoke(runner, "run", "in", "-o", "out", "--on-error", "skip", "-q", *COPIES).exit_code == 0
    [reject] = json_lines(tmp_path / "out" / "rejects.jsonl")
    assert (reject["file"], reject["line"], reject["raw"]) == ("in/b.txt", None, None)
    assert sorted(r["id"] for r in json_lines(tmp_path / "out" / "deduped.jsonl")) == ["a", "c"]


def test_skip_with_nothing_bad_writes_an_empty_rejects_file(runner: CliRunner, seeds_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert invoke(runner, "run", str(seeds_dir), "-o", str(out), "--on-error", "skip", "-q", *COPIES).exit_code == 0
    assert (out / "rejects.jsonl").read_bytes() == b""
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["articles"] == {"read": 5, "rejected": 0, "clustered": 5}


def test_skip_when_every_record_is_bad(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make(tmp_path, {"a.jsonl": '{"id": 1, "text": 2}\n[]\n'})
    monkeypatch.chdir(tmp_path)
    assert_fails(invoke(runner, "run", "a.jsonl", "-o", "out", "--on-error", "skip", *COPIES), 3,
                 "no articles to process: all 2 records were rejected; they are listed in out/rejects.jsonl. "
                 "Fix: correct those records (or map their fields with --*-field) and run again.")
    assert [r["line"] for r in json_lines(tmp_path / "out" / "rejects.jsonl")] == [1, 2]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["rejects.jsonl"]


def test_skip_json_array_with_broken_tail(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make(tmp_path, {"a.json": '[\n{"id": "a", "text": "one"},\n{"id": "b", "text": }\n, {"id": "c", "text": "x"}]'})
    monkeypatch.chdir(tmp_path)
    assert invoke(runner, "run", "a.json", "-o", "out", "--on-error", "skip", "-q", *COPIES).exit_code == 0
    [reject] = json_lines(tmp_path / "out" / "rejects.jsonl")
    assert (reject["line"], reject["reason"]) == (3, "not valid JSON (Expecting value).")
    assert reject["raw"] == '{"id": "b", "text": }\n, {"id": "c", "text": "x"}]'


def test_lost_article_is_an_accounting_error(runner: CliRunner, seeds_dir: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    real = dedupe.cli.common.read_articles

    def losing_one(*args: object, **kwargs: object) -> object:
        return list(real(*args, **kwargs))[1:]  # type: ignore[arg-type]

    monkeypatch.setattr(dedupe.cli.common, "read_articles", losing_one)
    assert_fails(invoke(runner, "run", str(seeds_dir), *COPIES), 70,
                 "records do not add up: read 5, clustered 4, rejected 0. "
                 "Fix: this is a bug in dedupe; please report it with the input.")


# --- output that cannot be written -------------------------------------------------------------------


def test_write_failure_leaves_no_temporary_file(runner: CliRunner, seeds_dir: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    real_replace = os.replace

    def disk_full_at_summary(source: str, target: str | Path) -> None:
        if Path(target).name == "summary.json":
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", disk_full_at_summary)
    assert_fails(invoke(runner, "run", str(seeds_dir), "-o", str(out), *COPIES), 5,
                 f"{out / 'summary.json'}: cannot write the file (No space left on device). "
                 "Fix: check free space and permissions of the output directory.")
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUTS[:-1])


# --- size: small versions of the adversarial corpora (the full ones are in bench/adversarial.py) -----


def test_identical_articles_make_one_star_cluster(runner: CliRunner, tmp_path: Path) -> None:
    text = "The harbour wall gave way in the storm on Tuesday night, flooding twelve homes on Quay Street."
    make(tmp_path, {"a.jsonl": "".join(json.dumps({"id": f"c{i:04d}", "text": text}) + "\n" for i in range(2000))})
    result = invoke(runner, "run", str(tmp_path / "a.jsonl"), "-q")
    [cluster] = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(cluster["members"]) == 2000
    assert len(cluster["edges"]) == 1999
    assert {(e["a"], e["relation"]) for e in cluster["edges"]} == {("c0000", "exact")}


def test_many_one_word_articles(runner: CliRunner, tmp_path: Path) -> None:
    words = [f"w{i % 1500}" for i in range(2000)]
    make(tmp_path, {"a.jsonl": "".join(json.dumps({"id": f"t{i:04d}", "text": w}) + "\n" for i, w in enumerate(words))})
    result = invoke(runner, "run", str(tmp_path / "a.jsonl"), "-q")
    clusters = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(len(c["members"]) for c in clusters) == [1] * 1000 + [2] * 500


def test_one_large_article(runner: CliRunner, tmp_path: Path) -> None:
    sentence = "Council {} approved the harbour budget of {} pounds after a long debate on Tuesday. "
    text = "".join(sentence.format(i % 97, i) for i in range(4000))
    make(tmp_path, {"a.jsonl": json.dumps({"id": "big", "text": text}) + "\n" + GOOD})
    result = invoke(runner, "run", str(tmp_path / "a.jsonl"), "--emit", "deduped", "-q")
    assert sorted(json.loads(line)["id"] for line in result.stdout.splitlines()) == ["big", "ok"]
    assert len(text) > 300_000


# --- hostile content: shown as text in every report, never run, never a path --------------------------

SCRIPT = "<script>alert('x')</script>"
HOSTILE = [  # (id, source, title, appended to the text)
    (SCRIPT, '=HYPERLINK("http://evil.example","click")', "<img src=x onerror=alert(1)> [click](javascript:alert(2))"),
    ("=1+2", SCRIPT, "+SUM(A1:A9) **bold** <b>b</b>"),
    ("[link](http://evil.example)", "@cmd|' /C calc'!A0", "-2+3 <iframe src=http://evil.example>"),
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def hostile_run(runner: CliRunner, tmp_path: Path) -> Path:
    """``dedupe run -o`` on the death-toll stories with markup, script, links and formulas in every field."""
    source = Path(__file__).resolve().parents[1] / "fixtures" / "stories_death_toll" / "input.jsonl"
    records = json_lines(source)
    for record, (article_id, outlet, title) in zip(records, HOSTILE, strict=True):
        record.update(id=article_id, source=outlet, title=title)
        record["text"] += f"\n\n{SCRIPT} [more](javascript:alert(3)) =IMPORTXML(\"http://evil.example\")"
    make(tmp_path, {"in.jsonl": "".join(json.dumps(r) + "\n" for r in records)})
    out = tmp_path / "out"
    assert invoke(runner, "run", str(tmp_path / "in.jsonl"), "-o", str(out), "-q").exit_code == 0
    return out


def test_hostile_content_in_html_report(hostile_run: Path) -> None:
    html = (hostile_run / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"<(script|img|iframe|b)\b", html, re.IGNORECASE)
    assert not re.search(r"<[^>]*\son\w+\s*=", html, re.IGNORECASE)
    assert 'href="javascript' not in html.lower() and 'href="http://evil' not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt; [click](javascript:alert(2))" in html


def test_hostile_content_in_markdown_report(hostile_run: Path) -> None:
    markdown = (hostile_run / "report.md").read_text(encoding="utf-8")
    outside_code = re.sub(r"`[^`\n]*`", "", markdown)
    assert not re.search(r"(?<!\\)<", outside_code), "raw HTML outside code spans"
    assert not re.search(r"(?<!\\)\]\(", outside_code), "a live Markdown link"
    assert f"`{SCRIPT}`" in markdown and "\\<img src=x onerror=alert(1)\\>" in markdown


def test_hostile_content_in_conflicts_csv(hostile_run: Path) -> None:
    rows = list(csv.reader((hostile_run / "conflicts.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) >= 2
    assert not [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS)]
    assert any(cell.startswith("'=1+2 (") for row in rows for cell in row)


def test_ids_never_become_paths(runner: CliRunner, tmp_path: Path) -> None:
    ids = ["../../escaped", "/tmp/absolute", "sub/dir/file", "summary.json", "..", "NUL", "con.txt"]
    make(tmp_path, {"in.jsonl": "".join(json.dumps({"id": i, "text": f"Story {n} of many."}) + "\n"
                                        for n, i in enumerate(ids))})
    out = tmp_path / "a" / "b" / "out"
    assert invoke(runner, "run", str(tmp_path / "in.jsonl"), "-o", str(out), "-q", *COPIES).exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUTS)
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()) == sorted(
        ["in.jsonl", *(f"a/b/out/{name}" for name in OUTPUTS)])
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["articles"]["read"] == len(ids)


FETCH_OR_RUN = {"pickle", "marshal", "shelve", "dill", "yaml", "socket", "ssl", "requests", "httpx", "ftplib",
                "http.client", "urllib.request", "subprocess", "ctypes"}


def test_no_input_is_evaluated_unpickled_or_fetched() -> None:
    """The package imports nothing that unpickles, fetches or runs, and never calls eval/exec/compile."""
    found = []
    for path in sorted((Path(__file__).resolve().parents[1] / "dedupe").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or "", *(f"{node.module}.{alias.name}" for alias in node.names)]
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                names = [f"{node.func.id}()"] if node.func.id in ("eval", "exec", "compile", "__import__") else []
            else:
                continue
            found += [f"{path.name}: {name}" for name in names if name.endswith("()") or name in FETCH_OR_RUN]
    assert found == []


def test_report_names_a_cut_line_without_a_dangling_at(runner: CliRunner, tmp_path: Path) -> None:
    make(tmp_path, {"run/stories.jsonl": '{"story_id": "s1", "headline": "cut off\n'})
    assert_fails(invoke(runner, "report", str(tmp_path / "run")), 3,
                 f"{tmp_path / 'run' / 'stories.jsonl'}:1: not valid JSON (Unterminated string). "
                 "Fix: re-create it with `dedupe run -o DIR`.")
