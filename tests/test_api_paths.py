"""Paths a data engineer and an editor hit, found by a user's review (user24): the Python API as another pipeline
uses it (types, errors, results), repeated keys in a record, `eval` without labels, direction controls in a report."""

from __future__ import annotations

import configparser
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import dedupe
from dedupe import (
    Article,
    DedupeError,
    DuplicateIdError,
    InputError,
    read_articles,
    run,
)
from dedupe.cli import main

REPO = Path(__file__).resolve().parent.parent
REPEAT_FIX = "Fix: give each field once: rename one of the keys, or join the values."


def invoke(runner: CliRunner, *args: str, input: str | None = None) -> Result:
    """Run ``dedupe ARGS...`` (exceptions other than SystemExit propagate: a traceback fails the test)."""
    return runner.invoke(main, list(args), input=input, catch_exceptions=False)


def test_the_package_says_it_is_typed() -> None:
    """Without ``py.typed`` mypy skips an installed dedupe: ``mypy --strict`` on a pipeline using it said 'module is
    installed, but missing library stubs or py.typed marker'."""
    assert Path(dedupe.__file__).with_name("py.typed").is_file()
    setup = configparser.ConfigParser()
    setup.read(REPO / "setup.cfg")
    assert "py.typed" in setup["options.package_data"]["dedupe"]


def test_the_story_types_and_every_error_are_public() -> None:
    names = ("Story", "Fact", "Conflict", "ConflictValue", "Evidence", "Source", "Result",
             "IndexFileError", "EngineError", "NoArticlesError")
    assert set(names) <= set(dedupe.__all__)
    assert all(issubclass(getattr(dedupe, name), DedupeError) for name in names if name.endswith("Error"))


def test_a_pipeline_reads_stories_and_conflicts_typed_and_as_json(seeds_dir: Path) -> None:
    records = [{"id": a.id, "body": a.text, "site": "example.com"} for a in read_articles(seeds_dir)]
    result = run([Article(id=r["id"], text=r["body"], source=r["site"]) for r in records])
    assert result.stories == result.extras["stories"] and len(result.stories) == len(result.clusters)
    assert all(isinstance(story, dedupe.Story) for story in result.stories)
    assert [c.conflict_id for c in result.conflicts] == [c.conflict_id for s in result.stories for c in s.conflicts]
    assert result.conflicts and isinstance(result.conflicts[0].values[0], dedupe.ConflictValue)
    json.dumps([story.as_dict() for story in result.stories] + [result.summary])
    with pytest.raises(DedupeError, match="this result has no stories: the run skipped the merge"):
        _ = run(list(read_articles(seeds_dir)), stories=False).stories


def test_two_articles_given_one_id_from_python_say_so_without_an_empty_place() -> None:
    """Articles made in Python have no origin: the error read "duplicate id 'a' (also at )."."""
    with pytest.raises(DuplicateIdError) as caught:
        run([Article(id="a", text="one text"), Article(id="a", text="another")])
    assert str(caught.value) == ("field 'id': duplicate id 'a' (two articles given hold it). "
                                 "Fix: give every article its own id.")


def test_eval_of_inputs_without_gold_labels_is_an_input_error(runner: CliRunner, seeds_dir: Path) -> None:
    """It exited 2, a usage error; the inputs are what lack the labels (exit code 3, bad input)."""
    result = invoke(runner, "eval", str(seeds_dir))
    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr == ("Error: field 'cluster': none of the 5 records holds a gold label (their fields: id, "
                             "published, text, title). Fix: pass --gold-field NAME naming the field that holds the "
                             "labels.\n")


def test_a_key_given_twice_with_other_values_is_a_bad_record(runner: CliRunner, tmp_path: Path) -> None:
    """JSON keeps the last of a repeated key: the first text was lost without a word. The same value twice, and a
    repeat inside a nested object, are kept."""
    (tmp_path / "a.jsonl").write_text('{"id": "a", "text": "First text.", "text": "Second"}\n'
                                      '{"id": "b", "title": "T", "title": "T", "text": "same value twice"}\n'
                                      '{"id": "c", "meta": {"x": 1, "x": 2}, "text": "nested"}\n'
                                      '{"id" : "d", "text" : "a space before each colon"}\n')
    result = invoke(runner, "run", str(tmp_path / "a.jsonl"), "-q")
    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr == (f"Error: {tmp_path / 'a.jsonl'}:1: field 'text': given twice, with different values "
                             f"(\"First text.\" then \"Second\"); JSON keeps only the last. {REPEAT_FIX}\n")
    kept = invoke(runner, "run", str(tmp_path / "a.jsonl"), "-q", "--on-error", "skip", "--emit", "deduped")
    assert sorted(json.loads(line)["id"] for line in kept.stdout.splitlines()) == ["b", "c", "d"]


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("a.json", '[{"id": "x", "text": "ok"},\n {"id": "a", "text": "one", "text": "two"}]',
     "2: field 'text': given twice, with different values (\"one\" then \"two\"); JSON keeps only the last."),
    ("a.csv", "id,text,text\nx,ok,ok\na,hello,\n",
     ("3: field 'text': the header names this column twice and the row gives it two values (\"hello\" then \"\"); "
      "only the last would be kept.")),
])
def test_a_repeated_key_in_json_and_csv_files(runner: CliRunner, tmp_path: Path, name: str, data: str,
                                              reason: str) -> None:
    (tmp_path / name).write_text(data)
    result = invoke(runner, "run", str(tmp_path / name), "-q", "--on-error", "skip")
    assert result.exit_code == 0 and [json.loads(line)["members"] for line in result.stdout.splitlines()] == [["x"]]
    assert result.stderr.startswith(f"Skipped: {tmp_path / name}:{reason}")


def test_check_answers_a_repeated_key_with_an_error(runner: CliRunner, seeds_dir: Path, tmp_path: Path) -> None:
    index = str(tmp_path / "i.db")
    assert invoke(runner, "index", "build", str(seeds_dir), "--index", index, "-q").exit_code == 0
    result = invoke(runner, "check", "--index", index, input='{"id": "n", "text": "a", "text": "b"}\n')
    assert json.loads(result.stdout) == {"line": 1, "error": "<stdin>:1: field 'text': given twice, with different "
                                         f"values (\"a\" then \"b\"); JSON keeps only the last. {REPEAT_FIX}"}


def test_one_record_rejected_is_said_in_the_singular(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text('{"id": "a", "text": 5}\n')
    result = invoke(runner, "run", str(tmp_path / "a.jsonl"), "--on-error", "skip", "-q")
    assert result.exit_code == 3
    assert "Error: no articles to process: the one record was rejected; it is listed above." in result.stderr


def test_a_fast_add_run_exactly_says_so(runner: CliRunner, seeds_dir: Path, tmp_path: Path) -> None:
    """`index add --fast` over the share ran an exact add and printed nothing about it."""
    articles = sorted(seeds_dir.iterdir())
    index = str(tmp_path / "i.db")
    assert invoke(runner, "index", "build", *map(str, articles[:3]), "--index", index).exit_code == 0
    result = invoke(runner, "index", "add", *map(str, articles[3:]), "--index", index, "--fast")
    assert result.exit_code == 0
    assert result.stderr.startswith("dedupe: batch 2: added 2 articles, 0 already indexed; 4 stories;")
    assert result.stderr.endswith("; recomputed exactly, as more than 0.2 of the index would have been placed by "
                                  "--fast\n")


@pytest.mark.parametrize(("text", "shown"), [
    ("plain", "plain"),
    ("Herald \u202eevil", "\u2068Herald \u202eevil\u202c\u2069"),
    ("a \u202ab\u202c c", "\u2068a \u202ab\u202c c\u2069"),
    ("x\u2069 y \u2067z", "\u2068x y \u2067z\u2069\u2069"),
])
def test_direction_controls_are_closed_inside_their_text(text: str, shown: str) -> None:
    from dedupe.report.markdown import closed_directions

    assert closed_directions(text) == shown


def test_an_override_in_an_outlet_does_not_reverse_the_rest_of_the_report_line(runner: CliRunner,
                                                                             tmp_path: Path) -> None:
    """An outlet "Herald \\u202eevil" showed its cite line as "Herald 2a elcitra · 50-30-4202 · live"."""
    base = ("Three people were killed and 12 injured when a gas explosion tore through a bakery in Springfield on "
            "Tuesday, police said. Fire chief Anna Lopez said the blast happened at 6 a.m. The bakery owner, Marco "
            "Rossi, 54, was taken to hospital. Investigators are looking at a faulty gas line.")
    records = [{"id": "a1", "text": base, "source": "Herald \u202eevil", "published": "2024-03-05"},
               {"id": "a2", "text": base.replace("Three", "Four").replace("12", "15"), "source": "Bugle",
                "published": "2024-03-05"}]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    assert invoke(runner, "run", str(tmp_path / "in.jsonl"), "-o", str(tmp_path / "out"), "-q").exit_code == 0
    html = (tmp_path / "out" / "report.html").read_text()
    assert "\u2068Herald \u202eevil\u202c\u2069 &middot; 2024-03-05 &middot; article <code>a1</code>" in html
    assert "\u202eevil \u00b7" not in html and "\u202eevil &middot;" not in html
    assert "\u2068Herald \u202eevil\u202c\u2069" in (tmp_path / "out" / "report.md").read_text()


def test_input_errors_are_catchable_as_documented(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or directory"):
        list(read_articles(tmp_path / "missing.jsonl"))
    with pytest.raises(dedupe.IndexFileError, match="no index file here"):
        from dedupe.index import open_index

        open_index(tmp_path / "missing.db")


def test_a_run_leaves_no_temporary_file_to_the_garbage_collector(seeds_dir: Path) -> None:
    """Another pipeline's tests run with ``-W error``: a run dropped its term counts', left-out pairs', tasks' and
    fields' temporary files unclosed (a ResourceWarning each when collected), and a result had no ``close``."""
    import subprocess
    import sys

    code = (f"import dedupe, gc\nwith dedupe.run(dedupe.read_articles({str(seeds_dir)!r}), details=False) as r:\n"
            "    assert r.stories[0].sources and r.articles[0].text\ndel r\ngc.collect()")
    found = subprocess.run([sys.executable, "-W", "always", "-c", code], capture_output=True, text=True, check=True)
    assert "ResourceWarning" not in found.stderr, found.stderr
