"""Paths a daily user hits, found by a user's review (user23): config files as editors save them, files joined with
`cat`, an existing index, help texts. Each through the CLI, with its exact message and exit code."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from dedupe.cli import main

FIX_CONFIG = "Fix: see the 'Configuration' section of the README for every key and its range."


def invoke(runner: CliRunner, *args: str) -> Result:
    """Run ``dedupe ARGS...`` (exceptions other than SystemExit propagate: a traceback fails the test)."""
    return runner.invoke(main, list(args), catch_exceptions=False)


def config_file(tmp_path: Path, data: bytes) -> str:
    """A config file holding ``data``; its path."""
    path = tmp_path / "dedupe.toml"
    path.write_bytes(data)
    return str(path)


def test_a_config_file_that_is_not_utf8_is_a_config_error(runner: CliRunner, seeds_dir: Path,
                                                         tmp_path: Path) -> None:
    path = config_file(tmp_path, "# settings\nthreshold = 0.7  # \u00e9t\u00e9\n".encode("latin-1"))
    result = invoke(runner, "run", str(seeds_dir), "--config", path)
    assert (result.exit_code, result.stdout) == (4, "")
    assert result.stderr == (f"Error: {path}: invalid settings: not UTF-8 text (byte 0xe9 on line 2); save it as "
                             f"UTF-8. {FIX_CONFIG}\n")


def test_a_config_file_saved_with_a_byte_order_mark_is_read(runner: CliRunner, seeds_dir: Path,
                                                           tmp_path: Path) -> None:
    path = config_file(tmp_path, b"\xef\xbb\xbfrelations = [\"exact\"]\n")
    result = invoke(runner, "run", str(seeds_dir), "--config", path, "-q")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.count('"edges": []') == 5  # exact copies only: none among the seeds


@pytest.mark.parametrize(("text", "problem"), [
    ("dedupe = 1\n", "'dedupe' must be the table [dedupe] holding the settings, got 1"),
    ("threshold = 0.7\n[dedupe]\nshingle_size = 4\n",
     "'threshold' is outside the [dedupe] table, so it would be ignored: move it under [dedupe]"),
    ("threshold = 0.7\n[dedupe]\nshingle_size = 40\n",
     ("'threshold' is outside the [dedupe] table, so it would be ignored: move it under [dedupe]; "
     "'shingle_size' must be from 1 to 20, got 40")),
])
def test_settings_beside_or_instead_of_the_dedupe_table_are_reported(runner: CliRunner, seeds_dir: Path,
                                                                    tmp_path: Path, text: str, problem: str) -> None:
    path = config_file(tmp_path, text.encode())
    result = invoke(runner, "run", str(seeds_dir), "--config", path)
    assert (result.exit_code, result.stdout) == (4, "")
    assert result.stderr == f"Error: {path}: invalid settings: {problem}. {FIX_CONFIG}\n"


def test_other_tools_tables_beside_the_dedupe_table_are_left_alone(runner: CliRunner, seeds_dir: Path,
                                                                 tmp_path: Path) -> None:
    path = config_file(tmp_path, b'[tool.other]\nthreshold = 3\n[dedupe]\nrelations = ["exact"]\n')
    result = invoke(runner, "run", str(seeds_dir), "--config", path, "-q")
    assert (result.exit_code, result.stderr) == (0, "")


FIRE = '{"id": "fire", "title": "Warehouse fire", "text": "A fire broke out in a Leeds warehouse on Monday."}'
STORM = '{"id": "storm", "title": "Storm", "text": "A storm hit the Cornish coast on Tuesday night."}'


def test_jsonl_files_saved_with_a_bom_and_joined_by_cat_are_read(runner: CliRunner, tmp_path: Path) -> None:
    """Each file's byte-order mark opens a line of the joined file: read from a file (streamed, or whole when
    UTF-16 elsewhere forces it) and from stdin alike; before, the second line was 'not valid JSON'."""
    joined = ("\ufeff" + FIRE + "\r\n" + "\ufeff" + STORM + "\r\n").encode("utf-8")
    path = tmp_path / "joined.jsonl"
    path.write_bytes(joined)
    from_file = invoke(runner, "run", str(path), "--emit", "deduped", "-q", "--relations", "exact")
    assert (from_file.exit_code, from_file.stderr) == (0, "")
    assert sorted(line.split('"', 4)[3] for line in from_file.stdout.splitlines()) == ["fire", "storm"]
    from_stdin = runner.invoke(main, ["run", "-", "--emit", "deduped", "-q", "--relations", "exact"], input=joined)
    assert (from_stdin.exit_code, from_stdin.stdout) == (0, from_file.stdout)
    from dedupe.formats import jsonl_records
    assert [r.value["id"] for r in jsonl_records(joined.decode("utf-8-sig"), "joined.jsonl")] == ["fire", "storm"]


def test_check_reads_a_line_opening_with_a_bom_as_run_does(runner: CliRunner, seeds_dir: Path,
                                                          tmp_path: Path) -> None:
    db = str(tmp_path / "seeds.db")
    assert invoke(runner, "index", "build", str(seeds_dir), "--index", db, "-q").exit_code == 0
    result = runner.invoke(main, ["check", "-", "--index", db], input=("\ufeff" + STORM + "\n").encode("utf-8"))
    assert result.exit_code == 0
    assert result.stdout.startswith('{"id": "storm", "verdict": "new_story"')


def test_a_run_that_skips_nothing_deletes_an_earlier_runs_rejects(runner: CliRunner, tmp_path: Path) -> None:
    """rejects.jsonl beside this run's outputs would say records were rejected that this run read."""
    (tmp_path / "a.jsonl").write_text(FIRE + "\n" + '{"id": "bad", "text": 42}\n', encoding="utf-8")
    out = tmp_path / "out"
    skipped = invoke(runner, "run", str(tmp_path / "a.jsonl"), "-o", str(out), "--on-error", "skip", "-q")
    assert skipped.exit_code == 0 and (out / "rejects.jsonl").read_text(encoding="utf-8").count("\n") == 1
    (tmp_path / "a.jsonl").write_text(FIRE + "\n" + STORM + "\n", encoding="utf-8")
    clean = invoke(runner, "run", str(tmp_path / "a.jsonl"), "-o", str(out), "-q")
    assert (clean.exit_code, clean.stderr) == (0, "")
    assert not (out / "rejects.jsonl").exists()
    assert sorted(p.name for p in out.iterdir()) == sorted(["clusters.jsonl", "deduped.jsonl", "stories.jsonl",
                                                            "conflicts.jsonl", "report.html", "report.md",
                                                            "conflicts.csv", "summary.json"])


def test_help_says_what_emit_and_skip_do(runner: CliRunner) -> None:
    """--emit works with -o too; skipped records go to stderr where no -o directory takes rejects.jsonl."""
    run_help = " ".join(invoke(runner, "run", "--help").stdout.split())
    assert "Write this JSONL to stdout (with -o: besides the files) [clusters without -o]." in run_help
    assert "(walked for .txt, .jsonl, .ndjson, .json, .csv)" in run_help
    for command in (["run"], ["explain"], ["eval"], ["index", "build"], ["index", "add"]):
        text = " ".join(invoke(runner, *command, "--help").stdout.split())
        assert "(skip: listed in rejects.jsonl with `run -o`, else on stderr)" in text, command


def test_explain_names_the_ids_holding_a_short_id_before_running(runner: CliRunner, seeds_dir: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A seed's id typed as its number: the error names the whole id, and no job runs for an id not there."""
    def no_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("the job ran")

    monkeypatch.setattr("dedupe.cli.inspect.run", no_run)
    result = invoke(runner, "explain", "002", "003_577a2c13b403c901", str(seeds_dir))
    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr == ("Error: no article with id '002' in the input (ids holding it: '002_e6b19a311c7cd973'). "
                             "Fix: check the id (ids are file stems for .txt, or FILE:LINE when records have none).\n")
    result = invoke(runner, "explain", "nope", "003_577a2c13b403c901", str(seeds_dir))
    assert result.stderr.startswith("Error: no article with id 'nope' in the input. Fix:")


def test_the_reports_count_one_story_in_the_singular(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(FIRE + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert invoke(runner, "run", str(tmp_path / "a.jsonl"), "-o", str(out), "-q").exit_code == 0
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert (
        "\n1 story from 1 article; 0 with conflicts; 0 conflicts (0 hard, 0 soft); 0 updates over time.\n" in markdown
    )
    html = " ".join((out / "report.html").read_text(encoding="utf-8").split())
    assert ('<p class="summary">1 story from 1 article &middot; 0 with conflicts &middot; 0 conflicts (0 hard, 0 soft) '
            "&middot; 0 updates over time</p>") in html


def test_a_byte_that_is_not_utf8_on_the_check_stream_gets_the_fix_for_bytes(runner: CliRunner, seeds_dir: Path,
                                                                           tmp_path: Path) -> None:
    db = str(tmp_path / "seeds.db")
    assert invoke(runner, "index", "build", str(seeds_dir), "--index", db, "-q").exit_code == 0
    line = b'{"id": "cafe", "text": "The caf\xe9 burned down on Monday."}\n'
    result = runner.invoke(main, ["check", "-", "--index", db], input=line + (STORM + "\n").encode("utf-8"))
    assert result.exit_code == 0
    first, second = result.stdout.splitlines()
    assert first == ('{"line": 1, "error": "<stdin>:1: field \'text\': holds the byte 0xe9, which is not valid UTF-8. '
                     'Fix: re-save the file as UTF-8."}')
    assert second.startswith('{"id": "storm", "verdict": "new_story"')


@pytest.mark.parametrize("command", ["add", "refresh"])
def test_index_workers_out_of_range_is_a_usage_error(runner: CliRunner, tmp_path: Path, command: str) -> None:
    args = ["index", command, *([str(tmp_path)] if command == "add" else []), "--index", str(tmp_path / "x.db")]
    result = invoke(runner, *args, "--workers", "-3")
    assert (result.exit_code, result.stdout) == (2, "")
    assert "Invalid value for '--workers': -3 is not in the range 0<=x<=256." in result.stderr


def test_add_to_a_missing_index_says_so_before_reading_the_input(runner: CliRunner, tmp_path: Path) -> None:
    """Before, a bad record was reported first (exit 3), and once mended the index was found missing (exit 6)."""
    (tmp_path / "a.jsonl").write_text('{"id": "bad", "text": 42}\n', encoding="utf-8")
    db = tmp_path / "none.db"
    result = invoke(runner, "index", "add", str(tmp_path / "a.jsonl"), "--index", str(db))
    assert (result.exit_code, result.stdout) == (6, "")
    assert result.stderr == (f"Error: {db}: no index file here. "
                             "Fix: create one with `dedupe index build INPUT... --index FILE`.\n")


def test_a_csv_saved_with_semicolons_or_tabs_is_read(runner: CliRunner, tmp_path: Path) -> None:
    """Excel saves "CSV" with semicolons where the decimal mark is a comma; before, every row was 'no text'."""
    (tmp_path / "semi.csv").write_bytes(b'\xef\xbb\xbfid;title;text\r\nw1;Blast;"Three died; police said so."\r\n'
                                        b"w2;Storm;A storm hit the coast.\r\n")
    (tmp_path / "tabs.csv").write_text("id\ttitle\ttext\nw3\tFire\tA fire broke out, police said.\n",
                                       encoding="utf-8")
    result = invoke(runner, "run", str(tmp_path / "semi.csv"), str(tmp_path / "tabs.csv"), "--emit", "deduped",
                    "-q", "--relations", "exact")
    assert (result.exit_code, result.stderr) == (0, "")
    records = {r["id"]: r for r in map(json.loads, result.stdout.splitlines())}
    assert records["w1"]["text"] == "Three died; police said so." and records["w1"]["title"] == "Blast"
    assert records["w3"]["text"] == "A fire broke out, police said."
    assert sorted(records) == ["w1", "w2", "w3"]


def test_eval_of_a_run_of_other_articles_is_an_error_not_a_perfect_score(runner: CliRunner, seeds_dir: Path,
                                                                        tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert invoke(runner, "run", str(seeds_dir), "-o", str(out), "-q").exit_code == 0
    (tmp_path / "gold.jsonl").write_text(FIRE[:-1] + ', "cluster": "g1"}\n' + STORM[:-1] + ', "cluster": "g2"}\n',
                                         encoding="utf-8")
    result = invoke(runner, "eval", str(tmp_path / "gold.jsonl"), "--run-dir", str(out))
    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr == (f"Error: {out / 'clusters.jsonl'}: none of the run's 5 articles is among the inputs' 2 "
                             "records with a gold label in field 'cluster'. Fix: give the inputs that run read, or the "
                             "directory of a run of these inputs.\n")


@pytest.mark.parametrize("one", [str, Path])
def test_read_articles_takes_one_path_as_one_input(seeds_dir: Path, one: type) -> None:
    """Before, a string was read as its letters ('f: no such file') and a Path was not iterable."""
    from dedupe import read_articles
    assert [a.id for a in read_articles(one(seeds_dir))] == [a.id for a in read_articles([seeds_dir])]


def test_an_interrupted_check_stream_says_what_it_answered(runner: CliRunner, seeds_dir: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    db = str(tmp_path / "seeds.db")
    assert invoke(runner, "index", "build", str(seeds_dir), "--index", db, "-q").exit_code == 0
    from dedupe.index import Checker
    real = Checker.check

    def interrupted_second(self: Checker, article: object) -> object:
        if getattr(article, "id", None) == "storm":
            raise KeyboardInterrupt
        return real(self, article)

    monkeypatch.setattr(Checker, "check", interrupted_second)
    result = runner.invoke(main, ["check", "-", "--index", db], input=(FIRE + "\n" + STORM + "\n").encode("utf-8"))
    assert result.exit_code == 130
    assert result.stdout.startswith('{"id": "fire", "verdict": "new_story"') and result.stdout.count("\n") == 1
    assert result.stderr == "Interrupted (Ctrl-C): answered 1 line; the index is unchanged.\n"


def test_the_run_line_and_eval_say_which_links_they_count(runner: CliRunner, tmp_path: Path) -> None:
    """The run counts every link found, eval those inside clusters: before, both said "N same_story"."""
    text = "A fire broke out in a Leeds warehouse on Monday night, and firefighters fought it for hours."
    rows = [f'{{"id": "{i}", "text": "{text}", "cluster": "g"}}' for i in ("a", "b")]
    (tmp_path / "a.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = invoke(runner, "run", str(tmp_path / "a.jsonl"), "-o", str(out))
    assert result.stderr.startswith("dedupe: read 2 articles; 1 cluster (links found: 1 exact); wrote ")
    scores = invoke(runner, "eval", str(tmp_path / "a.jsonl"), "--run-dir", str(out))
    assert scores.stdout.endswith("\nexact edges in clusters: 1, precision 1.0000\n")


@pytest.mark.parametrize("inside", ["out", "."])
def test_a_second_run_into_an_output_directory_inside_the_inputs_reads_the_inputs_only(
        runner: CliRunner, seeds_dir: Path, tmp_path: Path, inside: str) -> None:
    """`dedupe run news -o news/out` (or `-o news`) twice: the second run read the first's outputs as articles and
    stopped on "news/out/clusters.jsonl:1: field 'text': the article has no text and no title"."""
    news = tmp_path / "news"
    shutil.copytree(seeds_dir, news)
    output = news / inside
    first = invoke(runner, "run", str(news), "-o", str(output), "-q")
    assert (first.exit_code, first.stderr) == (0, "")
    clusters = (output / "clusters.jsonl").read_bytes()
    again = invoke(runner, "run", str(news), "-o", str(output), "-q", "--on-error", "skip")
    assert (again.exit_code, again.stderr) == (0, "")
    assert (output / "clusters.jsonl").read_bytes() == clusters
    assert (output / "rejects.jsonl").read_text(encoding="utf-8") == ""
    named = invoke(runner, "run", str(output / "deduped.jsonl"), "-o", str(tmp_path / "x"), "-q")
    assert named.exit_code == 0  # an output named as an input is read


def test_no_records_names_the_inputs_not_a_previous_runs_outputs(runner: CliRunner, seeds_dir: Path,
                                                                   tmp_path: Path) -> None:
    """A directory whose only input is empty, beside a previous run's outputs: the error names the input alone."""
    news = tmp_path / "news"
    news.mkdir()
    assert invoke(runner, "run", str(seeds_dir), "-o", str(news / "out"), "-q").exit_code == 0
    (news / "empty.jsonl").write_text("", encoding="utf-8")
    again = invoke(runner, "run", str(news), "-o", str(news / "out"), "-q")
    assert again.exit_code == 3
    assert f"no articles to process: {news / 'empty.jsonl'} holds no records." in again.stderr


def test_check_maps_fields_as_index_build_does(runner: CliRunner, seeds_dir: Path, tmp_path: Path) -> None:
    """A feed whose text is in 'story_text' is indexed with --text-field; `check` had no such option, so every
    line of the same feed was 'the article has no text and no title'."""
    db = str(tmp_path / "seeds.db")
    assert invoke(runner, "index", "build", str(seeds_dir), "--index", db, "-q").exit_code == 0
    line = '{"guid": "w9", "story_text": "A storm hit the Cornish coast on Tuesday night."}\n'
    (tmp_path / "feed.jsonl").write_text(line, encoding="utf-8")
    mapped = ["--id-field", "guid", "--text-field", "story_text"]
    from_stdin = runner.invoke(main, ["check", "-", "--index", db, *mapped], input=line.encode("utf-8"))
    from_file = invoke(runner, "check", str(tmp_path / "feed.jsonl"), "--index", db, *mapped)
    for result in (from_stdin, from_file):
        assert result.exit_code == 0
        assert result.stdout.startswith('{"id": "w9", "verdict": "new_story"')
