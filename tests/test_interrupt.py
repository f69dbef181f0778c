"""Ctrl-C and SIGTERM: no half-written output file, a message saying what was not written, exit 130 / 143."""

from __future__ import annotations

import json
import os
import pty
import random
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO

import dedupe.output
from dedupe.cli import main

COPIES = ["--relations", "exact,near_duplicate"]
STALE = '{"from": "an earlier run"}\n'
#: ``python cli.py ARGS`` with Ctrl-C and SIGTERM handled as Python does by default and not blocked, whatever the
#: test runner's state (a process started in the background, or by a runner that blocks them, inherits that).
CLI_WITH_DEFAULT_SIGNALS = (
    "import runpy, signal, sys; "
    "signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGINT, signal.SIGTERM]); "
    "signal.signal(signal.SIGINT, signal.default_int_handler); signal.signal(signal.SIGTERM, signal.SIG_DFL); "
    "sys.argv[0] = 'cli.py'; runpy.run_path('cli.py', run_name='__main__')"
)
LATER = "conflicts.jsonl, report.html, report.md, conflicts.csv, summary.json"


def leftovers(directory: Path) -> list[str]:
    """Temporary or hidden files left in ``directory``."""
    return sorted(p.name for p in directory.iterdir() if p.name.startswith(".") or p.name.endswith(".tmp"))


def interrupting_renderer(interrupt: Iterator[None]) -> object:
    """A stories.jsonl renderer that writes one line, then is interrupted (by ``next(interrupt)``)."""
    def render(result: object) -> Iterator[str]:
        yield '{"story_id": "half"}\n'
        next(interrupt)
        yield '{"story_id": "never"}\n'
    return render


def not_the_cli(signum: int, frame: object) -> None:
    """The test's own SIGTERM handler: reaching it means the CLI did not install its handler."""
    raise AssertionError("SIGTERM reached the test's handler instead of the CLI's")


def send_sigterm() -> Iterator[None]:
    """A real SIGTERM to this process: the CLI's handler turns it into an interruption."""
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(1)  # the handler runs before this returns
    yield


def press_ctrl_c() -> Iterator[None]:
    """What Ctrl-C does to Python: KeyboardInterrupt."""
    raise KeyboardInterrupt
    yield


@pytest.mark.parametrize(("interrupt", "code", "name"), [(send_sigterm, 143, "SIGTERM"), (press_ctrl_c, 130, "Ctrl-C")])
def test_interrupted_while_writing(runner: CliRunner, seeds_dir: Path, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch, interrupt: object, code: int, name: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "stories.jsonl").write_text(STALE, encoding="utf-8")
    monkeypatch.setitem(dedupe.output.OUTPUTS, "stories.jsonl", interrupting_renderer(interrupt()))  # type: ignore[operator]
    previous = signal.signal(signal.SIGTERM, not_the_cli)  # were the CLI's handler missing, this one would fail
    try:
        result = runner.invoke(main, ["run", str(seeds_dir), "-o", str(out), *COPIES])
        assert signal.getsignal(signal.SIGTERM) is not_the_cli  # the CLI put the old handler back
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert (result.exit_code, result.stdout) == (code, "")
    assert result.stderr == (f"Interrupted ({name}): wrote clusters.jsonl, deduped.jsonl to {out}; not written: "
                             f"stories.jsonl, {LATER}. No file is half-written.\n")
    assert sorted(p.name for p in out.iterdir()) == ["clusters.jsonl", "deduped.jsonl", "stories.jsonl"]
    assert (out / "stories.jsonl").read_text(encoding="utf-8") == STALE
    assert len((out / "clusters.jsonl").read_text(encoding="utf-8").splitlines()) == 5


def corpus(path: Path, count: int) -> Path:
    """``count`` distinct generated articles of about 120 words each, as JSONL."""
    rng = random.Random(7)
    vocabulary = [f"{rng.choice('bcdfgklmnprstvz')}{rng.choice('aeiou')}{rng.choice('lmnrst')}{i}" for i in range(3000)]
    with path.open("w", encoding="utf-8") as handle:
        for index in range(count):
            text = " ".join(rng.choices(vocabulary, k=120)).capitalize() + "."
            handle.write(json.dumps({"id": f"a{index:05d}", "title": f"Story {index}", "text": text}) + "\n")
    return path


def read_pty(master: int) -> bytes:
    """What the child wrote to the terminal; b"" once it has closed it (Linux reports EIO then)."""
    try:
        return os.read(master, 65536)
    except OSError:
        return b""


def _signal_state(pid: int) -> str:
    """The blocked, ignored and caught signal masks of process ``pid`` (Linux), to explain a failure."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return "unknown"
    return " ".join(line.replace("\t", "") for line in lines if line.startswith(("SigBlk", "SigIgn", "SigCgt")))


def run_and_signal(tmp_path: Path, signum: int) -> tuple[int, str, Path, str]:
    """Start ``python cli.py run`` on a generated corpus, send ``signum`` once progress shows; exit code, stderr,
    output directory and the child's signal masks when it was signalled."""
    data, out = corpus(tmp_path / "corpus.jsonl", 3000), tmp_path / "out"
    out.mkdir()
    (out / "clusters.jsonl").write_text(STALE, encoding="utf-8")
    master, slave = pty.openpty()  # stderr on a terminal, so the CLI draws progress we can wait for
    child = subprocess.Popen([sys.executable, "-c", CLI_WITH_DEFAULT_SIGNALS, "run", str(data), "-o", str(out)],
                             cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    seen, signalled, deadline = b"", False, time.monotonic() + 300  # generous: CI machines can be very busy
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.1)
        chunk = read_pty(master) if ready else b""
        if ready and not chunk:
            break
        seen += chunk
        if not signalled and b"/3,000" in seen:
            state = _signal_state(child.pid)
            child.send_signal(signum)
            signalled = True
        if child.poll() is not None and not ready:
            break
    os.close(master)
    if not signalled:
        child.kill()
        pytest.fail(f"no progress line on the terminal before the deadline; it showed: {seen[-300:]!r}")
    code = child.wait(timeout=120)
    return code, seen.decode("utf-8", "replace"), out, state


@pytest.mark.parametrize(("signum", "code", "name"), [(signal.SIGTERM, 143, "SIGTERM"), (signal.SIGINT, 130, "Ctrl-C")])
def test_signal_to_a_running_process(tmp_path: Path, signum: int, code: int, name: str) -> None:
    returncode, stderr, out, state = run_and_signal(tmp_path, signum)
    assert returncode == code, f"{stderr}\n[the child's signal masks when signalled: {state}]"
    assert stderr.rstrip().endswith(f"Interrupted ({name}): stopped before writing any output.")
    assert "Traceback" not in stderr
    assert sorted(p.name for p in out.iterdir()) == ["clusters.jsonl"]
    assert (out / "clusters.jsonl").read_text(encoding="utf-8") == STALE
    assert leftovers(out) == []
