"""Shared fixtures: the seeds, the shared corpora (skipped when absent), an isolated CliRunner; hypothesis settings."""

from __future__ import annotations

import importlib.util
import inspect
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner
from hypothesis import settings

# No per-example time limit: a property's examples are judged by their results, and a busy machine (CI, or a
# benchmark beside the suite) made the default 200 ms limit fail tests that had nothing wrong.
settings.register_profile("dedupe", deadline=None)
settings.load_profile("dedupe")

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "fixtures" / "seeds"
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SEED_IDS = (
    "000_5d8222f6e0b2183f",
    "001_fafa6f8612fe896a",
    "002_e6b19a311c7cd973",
    "003_577a2c13b403c901",
    "004_350e1cf566aa1f74",
)


def corpus_file(name: str) -> Path:
    """``../shared/data/NAME/data.jsonl``, or skip the test when it is absent."""
    path = SHARED_DATA / name / "data.jsonl"
    if not path.is_file():
        pytest.skip(f"corpus {name!r} not found at {path}")
    return path


def load_script(relative: str) -> ModuleType:
    """Import a script of the repository (such as ``bench/oracle.py``) as a module."""
    path = REPO / relative
    name = "_script_" + path.stem
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def seeds_dir() -> Path:
    """The five seed articles (seed .txt format)."""
    return SEEDS


@pytest.fixture
def shared_data() -> Path:
    """``../shared/data`` beside the checkout; skips when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared corpora not found at {SHARED_DATA}")
    return SHARED_DATA


def _runner_kwargs() -> dict[str, bool]:
    """Keep stderr apart from stdout: click < 8.2 needs ``mix_stderr=False``; 8.2+ does it already."""
    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:
        return {"mix_stderr": False}
    return {}


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    """A CliRunner isolated from the user's settings: no DEDUPE_* variables, a fresh HOME."""
    for name in list(os.environ):
        if name.startswith("DEDUPE_"):
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), "NO_COLOR": "1"}
    return CliRunner(env=env, **_runner_kwargs())


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--update-golden`` rewrites the expected files of ``fixtures/<case>/`` from the current output."""
    parser.addoption("--update-golden", action="store_true", help="rewrite fixtures/<case>/expected_clusters.json")


@contextmanager
def stalled_writer(script: str, marker: Path, *args: str) -> Iterator[None]:
    """Run ``script`` (Python, with ``args`` as its arguments, this checkout importable) until it writes
    ``marker`` (it then holds its write transaction open); SIGKILL it on leaving."""
    writer = subprocess.Popen([sys.executable, "-c", script, *args],
                              env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert writer.poll() is None and time.monotonic() < deadline, "the writer stopped before its writes"
            time.sleep(0.05)
        yield
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL
