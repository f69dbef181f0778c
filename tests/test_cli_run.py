"""``dedupe run`` through CliRunner: output files, stdout streams, stdin, exit codes and exact error text."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from conftest import REPO, SEED_IDS

from dedupe.cli import main
from dedupe.graph import cluster_id

COPIES = ["--relations", "exact,near_duplicate"]
OUTPUT_FILES = sorted(["clusters.jsonl", "conflicts.csv", "conflicts.jsonl", "deduped.jsonl", "report.html",
                       "report.md", "stories.jsonl", "summary.json"])
CONFIG_FIX = "Fix: see the 'Configuration' section of the README for every key and its range."
WIRE = REPO / "fixtures" / "wire_copies" / "input.jsonl"


def invoke(runner: CliRunner, *args: str, stdin: bytes | None = None) -> Result:
    """Run ``dedupe ARGS...`` and return the result."""
    return runner.invoke(main, list(args), input=stdin, catch_exceptions=False)


def json_lines(text: str) -> list[dict]:
    """Every line of ``text`` parsed as JSON (fails on anything that is not)."""
    return [json.loads(line) for line in text.splitlines()]


def test_run_seeds_writes_files(runner: CliRunner, seeds_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke(runner, "run", str(seeds_dir), "-o", str(out), *COPIES)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == (
        f"dedupe: read 5 articles; 5 clusters (no links); "
        f"wrote clusters.jsonl, deduped.jsonl, stories.jsonl, conflicts.jsonl, report.html, report.md, "
        f"conflicts.csv, summary.json to {out}\n"
    )
    assert sorted(p.name for p in out.iterdir()) == OUTPUT_FILES
    clusters = json_lines((out / "clusters.jsonl").read_text(encoding="utf-8"))
    expected = [{"cluster_id": cluster_id([i]), "members": [i], "representative": i, "edges": []} for i in SEED_IDS]
    assert clusters == sorted(expected, key=lambda c: c["cluster_id"])


def test_run_seeds_summary_and_deduped(runner: CliRunner, seeds_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert invoke(runner, "run", str(seeds_dir), "-o", str(out), "-q", *COPIES).stderr == ""
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["articles"] == {"read": 5, "rejected": 0, "clustered": 5}
    assert summary["clusters"] == {"total": 5, "by_size": {"1": 5}}
    assert summary["edges"] == {}
    deduped = json_lines((out / "deduped.jsonl").read_text(encoding="utf-8"))
    assert sorted(r["id"] for r in deduped) == list(SEED_IDS)
    assert all(r["duplicates"] == [] and r["cluster_id"] == cluster_id([r["id"]]) for r in deduped)
    by_id = {r["id"]: r for r in deduped}
    assert by_id[SEED_IDS[2]]["published"] == "2020-11-21"
    assert by_id[SEED_IDS[3]]["title"] == "Devon and Cornwall Police officer fired for 'explicit messages'"


def test_output_files_are_readable_by_others(runner: CliRunner, seeds_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke(runner, "run", str(seeds_dir), "-o", str(out), "-q", *COPIES)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert sorted(p.name for p in out.iterdir()) == OUTPUT_FILES
    mask = os.umask(0o022)
    os.umask(mask)
    assert {(out / n).stat().st_mode & 0o777 for n in OUTPUT_FILES} == {0o666 & ~mask}
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


def test_emit_clusters_matches_file(runner: CliRunner, seeds_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    invoke(runner, "run", str(seeds_dir), "-o", str(out), "-q", *COPIES)
    result = invoke(runner, "run", str(seeds_dir), "--emit", "clusters", "-q", *COPIES)
    assert result.exit_code == 0
    assert result.stdout == (out / "clusters.jsonl").read_text(encoding="utf-8")
    assert result.stderr == ""


def test_output_dir_and_emit_together(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke(runner, "run", str(WIRE), "-o", str(out), "--emit", "clusters", "-q", *COPIES)
    assert result.stdout == (out / "clusters.jsonl").read_text(encoding="utf-8")
    assert len(json_lines(result.stdout)) == 4


#: ``--emit deduped`` of the wire copies: each kept record's id and the ids it stands for.
WIRE_DEDUPED = {"herald-mill": ["bugle-mill", "post-mill", "wire-mill"], "wire-libraries": ["echo-libraries"],
                "gazette-mill": [], "echo-marathon": []}


def test_emit_deduped_to_stdout_only(runner: CliRunner) -> None:
    result = invoke(runner, "run", str(WIRE), "--emit", "deduped", *COPIES)
    assert result.exit_code == 0
    assert {r["id"]: r["duplicates"] for r in json_lines(result.stdout)} == WIRE_DEDUPED
    assert result.stderr == ("dedupe: read 8 articles; 4 clusters (links found: 1 exact, 4 near_duplicate); "
                             "wrote deduped to stdout\n")


def test_default_emit_is_clusters(runner: CliRunner) -> None:
    result = invoke(runner, "run", str(WIRE), "-q", *COPIES)
    assert [r["members"] for r in json_lines(result.stdout)] == [
        ["gazette-mill"], ["echo-marathon"], ["bugle-mill", "herald-mill", "post-mill", "wire-mill"],
        ["echo-libraries", "wire-libraries"],
    ]


def test_stdin_input(runner: CliRunner) -> None:
    from_file = invoke(runner, "run", str(WIRE), "-q", *COPIES)
    from_stdin = invoke(runner, "run", "-", "-q", *COPIES, stdin=WIRE.read_bytes())
    assert from_stdin.exit_code == from_file.exit_code == 0
    assert from_stdin.stdout == from_file.stdout
    expected = json.loads((WIRE.parent / "expected_clusters.json").read_text(encoding="utf-8"))
    assert json_lines(from_stdin.stdout) == expected
    assert [c["members"] for c in expected] == [["gazette-mill"], ["echo-marathon"],
                                                ["bugle-mill", "herald-mill", "post-mill", "wire-mill"],
                                                ["echo-libraries", "wire-libraries"]]


def test_stdin_without_ids_numbers_lines(runner: CliRunner) -> None:
    lines = b'{"text": "one story about the harbour"}\n\n{"text": "ONE story  about the harbour"}\n'
    result = invoke(runner, "run", "-", "-q", *COPIES, stdin=lines)
    [cluster] = json_lines(result.stdout)
    assert cluster["members"] == ["<stdin>:1", "<stdin>:3"]
    assert cluster["edges"] == [{"a": "<stdin>:1", "b": "<stdin>:3", "relation": "exact", "score": 1.0}]


def test_field_options(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "a.jsonl"
    data.write_text('{"guid": "g1", "story": "first"}\n{"guid": "g2", "story": "second"}\n', encoding="utf-8")
    result = invoke(runner, "run", str(data), "--id-field", "guid", "--text-field", "story", "-q", *COPIES)
    assert sorted(m for c in json_lines(result.stdout) for m in c["members"]) == ["g1", "g2"]


# --- errors --------------------------------------------------------------------------------------


def assert_fails(result: Result, code: int, message: str) -> None:
    """Exit code, the one-line message on stderr, nothing on stdout."""
    assert (result.exit_code, result.stderr, result.stdout) == (code, f"Error: {message}\n", "")


def test_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "nope.jsonl"
    assert_fails(invoke(runner, "run", str(missing), *COPIES), 3,
                 f"{missing}: no such file or directory. Fix: check the path.")


def test_bad_json_line(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "a.jsonl"
    data.write_text('{"id": "a", "text": "x"}\n{"id": "b", "text": \n', encoding="utf-8")
    assert_fails(invoke(runner, "run", str(data), *COPIES), 3,
                 f"{data}:2: not valid JSON (Expecting value at column 21). "
                 "Fix: each line must be one complete JSON object.")


def test_id_field_missing_from_a_record(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "a.jsonl"
    data.write_text('{"guid": "g1", "text": "first"}\n{"uid": "g2", "text": "second"}\n', encoding="utf-8")
    assert_fails(invoke(runner, "run", str(data), "--id-field", "guid", *COPIES), 3,
                 f"{data}:2: field 'guid': the record has no 'guid' field, which was named as the id field. "
                 "Fix: check the spelling of 'guid' (--id-field), or leave the id field unset: a record without "
                 "an id then gets the id FILE:LINE.")


def test_duplicate_ids(runner: CliRunner, tmp_path: Path) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text('{"id": "a", "text": "x"}\n', encoding="utf-8")
    second.write_text('{"id": "b", "text": "y"}\n{"id": "a", "text": "z"}\n', encoding="utf-8")
    assert_fails(invoke(runner, "run", str(first), str(second), *COPIES), 3,
                 f"{second}:2: field 'id': duplicate id 'a': first at {first}:1, again here. "
                 "Fix: give every record its own id, or drop the ids to let dedupe number records FILE:LINE.")


def test_bad_config_key(runner: CliRunner, seeds_dir: Path, tmp_path: Path) -> None:
    config = tmp_path / "dedupe.toml"
    config.write_text('threshold = 0.9\nbogus = 1\nshingle_size = "five"\n', encoding="utf-8")
    assert_fails(invoke(runner, "run", str(seeds_dir), "--config", str(config), *COPIES), 4,
                 f"{config}: invalid settings: unknown key 'bogus'; 'shingle_size' must be a whole number, "
                 f"got 'five'. {CONFIG_FIX}")


def test_config_file_is_used(runner: CliRunner, tmp_path: Path) -> None:
    config = tmp_path / "dedupe.toml"
    config.write_text('[dedupe]\nrelations = ["exact"]\n', encoding="utf-8")
    result = invoke(runner, "run", str(WIRE), "--config", str(config))
    assert result.stderr.startswith("dedupe: read 8 articles; 7 clusters (links found: 1 exact); ")


def test_threshold_out_of_range(runner: CliRunner, seeds_dir: Path) -> None:
    assert_fails(invoke(runner, "run", str(seeds_dir), "--threshold", "1.5", *COPIES), 4,
                 f"invalid settings: 'threshold' must be above 0 and at most 1, got 1.5. {CONFIG_FIX}")


def test_unknown_relation(runner: CliRunner, seeds_dir: Path) -> None:
    assert_fails(invoke(runner, "run", str(seeds_dir), "--relations", "exact,copies"), 4,
                 "invalid settings: 'relations' must be some of exact, near_duplicate, same_story, "
                 f"got ['exact', 'copies']. {CONFIG_FIX}")


def test_unwritable_output_dir(runner: CliRunner, seeds_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "locked"
    out.mkdir()
    out.chmod(0o500)
    try:
        if os.access(out, os.W_OK):
            pytest.skip("running as root: a read-only directory is still writable")
        assert_fails(invoke(runner, "run", str(seeds_dir), "-o", str(out), *COPIES), 5,
                     f"{out}: the output directory is not writable. "
                     "Fix: choose another -o directory, or fix its permissions.")
    finally:
        out.chmod(0o700)


def test_output_dir_not_writable_message(
    runner: CliRunner, seeds_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same check as above, runnable as root: os.access says the output directory is not writable."""
    access = os.access

    def no_writing(path: str, mode: int, **options: object) -> bool:
        return not (Path(path) == tmp_path and mode & os.W_OK) and access(path, mode, **options)

    monkeypatch.setattr(os, "access", no_writing)
    assert_fails(invoke(runner, "run", str(seeds_dir), "-o", str(tmp_path), *COPIES), 5,
                 f"{tmp_path}: the output directory is not writable. "
                 "Fix: choose another -o directory, or fix its permissions.")


def test_output_dir_under_a_file(runner: CliRunner, seeds_dir: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    out = blocker / "out"
    assert_fails(invoke(runner, "run", str(seeds_dir), "-o", str(out), *COPIES), 5,
                 f"{out}: cannot create the output directory (Not a directory). "
                 "Fix: choose another -o directory, or fix its permissions.")


def test_no_input_is_a_usage_error(runner: CliRunner) -> None:
    result = invoke(runner, "run")
    assert result.exit_code == 2
    assert "Missing argument 'INPUT...'" in result.stderr


# --- help ----------------------------------------------------------------------------------------


def option_names(command: click.Command) -> list[str]:
    """Every spelling of every option of a command."""
    return [name for p in command.params if isinstance(p, click.Option) for name in p.opts + p.secondary_opts]


def test_help_lists_every_command(runner: CliRunner) -> None:
    result = invoke(runner, "--help")
    assert result.exit_code == 0
    commands = result.stdout.split("Commands:\n", 1)[1]
    listed = [line.split()[0] for line in commands.splitlines() if line.startswith("  ")]
    assert listed == sorted(main.commands)
    assert "run" in listed
    for name in option_names(main):
        assert name in result.stdout


@pytest.mark.parametrize("name", sorted(main.commands))
def test_command_help_lists_every_option(runner: CliRunner, name: str) -> None:
    command = main.commands[name]
    result = invoke(runner, name, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: main {name} [OPTIONS]")
    missing = [option for option in option_names(command) if option not in result.stdout]
    assert missing == []
    undocumented = [p.name for p in command.params if isinstance(p, click.Option) and not p.help]
    assert undocumented == []


def test_run_help_names_its_options(runner: CliRunner) -> None:
    text = invoke(runner, "run", "--help").stdout
    for option in ("--format", "--id-field", "--text-field", "--title-field", "--date-field", "--source-field",
                   "--url-field", "--config", "--threshold", "--shingle-size", "--num-perm", "--relations",
                   "--output", "--emit", "--quiet", "--help"):
        assert option in text


def test_launcher_in_checkout() -> None:
    result = subprocess.run([sys.executable, "cli.py", "--help"], cwd=REPO, capture_output=True, text=True,
                            timeout=60, check=False)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("Usage: cli.py [OPTIONS] COMMAND [ARGS]...")
    assert "  run " in result.stdout


def test_launcher_runs_seeds() -> None:
    result = subprocess.run([sys.executable, "cli.py", "run", "fixtures/seeds", "-q", *COPIES], cwd=REPO,
                            capture_output=True, text=True, timeout=60, check=False)
    assert (result.returncode, result.stderr) == (0, "")
    assert len(json_lines(result.stdout)) == 5


def test_progress_line_shows_share_rate_and_time_left() -> None:
    from dedupe.cli.common import _progress_text

    assert _progress_text("extract", 2000, 10000, 10.0) == "extract: 2,000/10,000 (20%) 200/s, about 40 s left"
    assert _progress_text("extract", 10000, 10000, 50.0) == "extract: 10,000/10,000 (100%) in 50 s"
    assert _progress_text("signatures", 5, 10, 0.5) == "signatures: 5/10 (50%)"
    assert _progress_text("cluster", 0, 0, 3.0) == "cluster: 0/0 (0%)"


@pytest.mark.parametrize(("args", "merged"), [
    (["--emit", "deduped"], False),
    (["--emit", "clusters"], False),
    (["--emit", "stories"], True),
    (["-o", "OUT"], True),
])
def test_stories_are_merged_only_when_an_output_needs_them(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, args: list[str], merged: bool
) -> None:
    import dedupe.merge

    calls: list[int] = []
    real = dedupe.merge.merge_work  # what merging reads first, stories held (merge_stories) or spooled (-o)
    monkeypatch.setattr(dedupe.merge, "merge_work", lambda result, engine: calls.append(1) or real(result, engine))
    args = [str(tmp_path / "out") if a == "OUT" else a for a in args]
    result = invoke(runner, "run", str(WIRE), *COPIES, "-q", *args)
    assert result.exit_code == 0
    assert len(calls) == int(merged)
    if args[:2] == ["--emit", "deduped"]:  # without merged stories, the same records as a run that merges
        assert {r["id"]: r["duplicates"] for r in json_lines(result.stdout)} == WIRE_DEDUPED
