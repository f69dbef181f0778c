"""Disk a command holds while it runs: its process tree's open temporary files plus an output folder, sampled.

Usage: python bench/disk_peak.py OUTDIR [--interval 0.3] [--log FILE] -- COMMAND [ARGS...]

Runs ``COMMAND`` and every ``--interval`` seconds sums the allocated bytes (``st_blocks``, so a sparse file counts
only what it holds) of every file under the temporary directory (``TMPDIR``) that a process of the tree holds
open, each file once (deleted spools included: ``/proc/PID/fd`` still reaches them), and of the files in
``OUTDIR`` (outputs, and their temporary names while written). At the end it prints the peak of the sum (with
its time and the largest files then), the peak of the temporary files alone and the final output bytes.
``--log`` writes one line per sample: seconds, temporary bytes, output bytes. A sampler misses peaks shorter
than its interval; a file the run opens and closes between two samples is not seen.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
        for child in children:
            found += tree(child)
    return found


def temp_files(pids: list[int], temp: str, outdir: str) -> dict[int, tuple[int, str]]:
    """The open files under ``temp`` (not under ``outdir``) of ``pids``: inode -> (allocated bytes, path)."""
    files: dict[int, tuple[int, str]] = {}
    for pid in pids:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
                if link.startswith(temp) and not link.startswith(outdir):
                    stat = os.stat(f"/proc/{pid}/fd/{fd}")
                    files[stat.st_ino] = (stat.st_blocks * 512, link)
            except OSError:
                continue
    return files


def folder_files(outdir: str) -> dict[str, int]:
    """The files of ``outdir``: name -> allocated bytes."""
    sizes: dict[str, int] = {}
    try:
        names = os.listdir(outdir)
    except OSError:
        return sizes
    for name in names:
        try:
            sizes[name] = os.stat(os.path.join(outdir, name)).st_blocks * 512
        except OSError:
            continue
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir")
    parser.add_argument("--interval", type=float, default=0.3)
    parser.add_argument("--log", type=Path, default=None)
    argv = sys.argv[1:]
    if "--" not in argv:
        parser.error("give the command after --")
    args, command = parser.parse_args(argv[:argv.index("--")]), argv[argv.index("--") + 1:]
    temp, outdir = os.path.realpath(tempfile.gettempdir()), os.path.realpath(args.outdir)
    start, samples, peak = time.time(), [], (0, 0.0, {}, {})
    process = subprocess.Popen(command)
    while process.poll() is None:
        files, outs = temp_files(tree(process.pid), temp, outdir), folder_files(outdir)
        held, written = sum(b for b, _ in files.values()), sum(outs.values())
        samples.append((time.time() - start, held, written))
        if held + written > peak[0]:
            peak = (held + written, time.time() - start, files, outs)
        time.sleep(args.interval)
    code = process.wait()
    if args.log:
        args.log.write_text("".join(f"{t:.1f} {h} {w}\n" for t, h, w in samples))
    total, when, files, outs = peak
    biggest = sorted([*((b, p) for b, p in files.values()), *((b, n) for n, b in outs.items())], reverse=True)[:8]
    print(f"exit {code}; wall {time.time() - start:.1f} s; peak temp+output {total / 1e6:.1f} MB at {when:.1f} s; "
          f"peak temp {max((h for _, h, _ in samples), default=0) / 1e6:.1f} MB; "
          f"final output {sum(folder_files(outdir).values()) / 1e6:.1f} MB", file=sys.stderr)
    print("  at the peak: " + ", ".join(f"{p} {b / 1e6:.1f} MB" for b, p in biggest), file=sys.stderr)
    sys.exit(code)


if __name__ == "__main__":
    main()
