"""The package's layout as STYLE.md asks: every module opens with a one-line summary and holds 100-300 lines."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "dedupe"
MODULES = sorted(PACKAGE.rglob("*.py"))
#: Lines a stage module may hold; a package's ``__init__.py`` only names its public API, so any size is fine.
SMALLEST, LARGEST = 100, 300


def _name(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


def test_the_walk_finds_the_package() -> None:
    assert len(MODULES) > 50
    assert PACKAGE / "pipeline.py" in MODULES


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_a_module_opens_with_a_one_line_summary(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    docstring = ast.get_docstring(ast.parse(text), clean=False)
    assert docstring, f"{_name(path)} has no module docstring"
    summary = docstring.split("\n", 1)[0]
    assert summary.strip() and text.startswith('"""' + summary), f"{_name(path)}: the docstring's first line is empty"
    assert len(text.split("\n", 1)[0]) <= 125, f"{_name(path)}: the summary line runs past 125 characters"


@pytest.mark.parametrize("path", [m for m in MODULES if m.name != "__init__.py"], ids=_name)
def test_a_module_holds_one_stage_of_readable_size(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert SMALLEST <= lines <= LARGEST, (
        f"{_name(path)} holds {lines} lines; STYLE.md asks for {SMALLEST}-{LARGEST}: fold a small module into the "
        "stage it serves, or cut a large one at a seam")
