"""The README documents every command and every option the CLI has, and its Python examples run as written."""
from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from conftest import REPO

from dedupe.cli import main

README = (REPO / "README.md").read_text(encoding="utf-8")


def commands(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[str, click.Command]]:
    """Yield each leaf command under ``group`` with its full name, e.g. ``("index add", <Command>)``."""
    for name in group.list_commands(click.Context(group)):
        command = group.get_command(click.Context(group), name)
        assert command is not None, name
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))
        else:
            yield " ".join((*path, name)), command


def long_options(command: click.Command) -> list[str]:
    """Every ``--long`` spelling of the command's options, ``--help`` aside."""
    spellings = [name for param in command.params if isinstance(param, click.Option)
                 for name in (*param.opts, *param.secondary_opts)]
    return [name for name in spellings if name.startswith("--") and name != "--help"]


def in_code(text: str) -> bool:
    """True when ``text`` appears inside backticks somewhere in the README, not as part of a longer word."""
    return re.search(r"`[^`\n]*" + re.escape(text) + r"(?![\w-])", README) is not None


COMMANDS = sorted(commands(main), key=lambda item: item[0])


def test_the_walk_finds_nested_commands() -> None:
    names = [name for name, _ in COMMANDS]
    assert "run" in names and "index add" in names and "check" in names


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[name for name, _ in COMMANDS])
def test_command_and_its_options_are_in_the_readme(name: str, command: click.Command) -> None:
    assert in_code(f"dedupe {name}"), f"README never shows `dedupe {name}`"
    missing = [option for option in long_options(command) if not in_code(option)]
    assert missing == [], f"README does not document {missing} of `dedupe {name}`"


def test_an_undocumented_option_is_caught() -> None:
    command = click.Command("run", params=[click.Option(["--no-such-option-anywhere"])])
    assert [option for option in long_options(command) if not in_code(option)] == ["--no-such-option-anywhere"]


#: The README's Python examples, each as written; those that need a Dask scheduler are left out.
PYTHON_BLOCKS = [block for block in re.findall(r"```python\n(.*?)```", README, re.DOTALL) if "tcp://" not in block]


def test_the_python_examples_are_found() -> None:
    assert len(PYTHON_BLOCKS) >= 2 and all("dedupe" in block for block in PYTHON_BLOCKS)


@pytest.mark.parametrize("block", PYTHON_BLOCKS, ids=[f"block{i}" for i in range(len(PYTHON_BLOCKS))])
def test_a_python_example_runs_as_written(block: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each example alone, in a fresh namespace, from a checkout's root (the seeds; ``data/`` holds them too)."""
    shutil.copytree(REPO / "fixtures" / "seeds", tmp_path / "fixtures" / "seeds")
    shutil.copytree(REPO / "fixtures" / "seeds", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    exec(compile(block, "README.md", "exec"), {"__name__": "readme"})  # noqa: S102 - the README's own code
    assert (tmp_path / "out" / "clusters.jsonl").exists()
