"""The command table of ``dedupe`` (cli.LazyCommands): each command's module imported on first look-up."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner
from conftest import REPO

from dedupe.cli import LazyCommands, main


def test_run_imports_only_its_own_command() -> None:
    """`dedupe run` looks up its command alone: the index, explain and eval modules and scipy are not imported."""
    code = ("import sys; from dedupe.cli import main; main.commands['run']; "
            "print(sorted(m for m in sys.modules if m.startswith('dedupe.cli.') or m in ('dedupe.index', 'scipy')))")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert found.stdout.split() == ["['dedupe.cli.common',", "'dedupe.cli.run']"]


def test_listing_the_table_loads_every_command() -> None:
    """Iterating, counting and --help see every command, as when all modules were imported up front."""
    assert sorted(main.commands) == ["check", "eval", "explain", "index", "report", "run"]
    assert len(main.commands) == 6
    shown = CliRunner().invoke(main, ["--help"]).output
    assert all(f"  {name} " in shown for name in ("check", "eval", "explain", "index", "report", "run"))


def test_unknown_names_are_missing() -> None:
    """A name no module registers is neither in the table nor found: click then reports it as unknown."""
    table = LazyCommands({"run": "run"})
    assert "nope" not in table
    assert table.get("nope") is None
    assert "run" in table
    result = CliRunner().invoke(main, ["nope"])
    assert result.exit_code == 2
    assert "No such command 'nope'" in result.output
