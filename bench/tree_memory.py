"""Resident memory of a whole process tree while a command runs: each process's RSS and the tree's summed PSS.

Usage: python bench/tree_memory.py [--interval 5] [--log FILE] -- COMMAND [ARGS...]

Runs ``COMMAND`` and every ``--interval`` seconds reads ``/proc/PID/smaps_rollup`` (Linux) of it and of all
its descendants. RSS counts every page a process maps, so pages a forked worker shares with its parent (or
pages of a file both map) count in each; PSS divides each shared page among the processes sharing it, so
the tree's summed PSS counts such a page once. At the end it prints the peak RSS of the parent and of the
largest other process, and the peak summed PSS with its time (seconds from the start). ``--log`` writes one
line per sample: seconds, the tree's PSS MB, then ``pid:rss`` of each process (``--detail``:
``pid:rss:pss:private``, private being the process's ``Private_Dirty``, the pages only it holds and has written:
a forked worker's copies of what it inherited, and what it made itself).

A sampler misses peaks shorter than its interval: ``/usr/bin/time -v``'s max RSS (the kernel's own high-water
mark of the largest process) is the firmer figure for one process; the tree's PSS has no such mark.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path


def _children(pid: int) -> list[int]:
    """The direct children of ``pid`` (every thread's list)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo += _children(current)
    return out


def rollup(pid: int) -> tuple[float, float, float] | None:
    """``(rss, pss, private dirty)`` of a process in MB, from ``smaps_rollup`` (None once it has gone)."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return None
    sizes = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] in ("Rss:", "Pss:", "Private_Dirty:"):
            sizes[parts[0]] = int(parts[1]) / 1024
    return (sizes["Rss:"], sizes["Pss:"], sizes["Private_Dirty:"]) if len(sizes) == 3 else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--interval", type=float, default=5.0, help="seconds between samples [5]")
    parser.add_argument("--log", type=Path, help="write every sample here")
    parser.add_argument("--detail", action="store_true", help="log each process's rss:pss:private dirty")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command to run (after --)")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    started = time.time()
    process = subprocess.Popen(command)
    parent_peak = other_peak = pss_peak = pss_at = 0.0
    log = args.log.open("w") if args.log else None
    while process.poll() is None:
        sizes = {pid: rollup(pid) for pid in tree(process.pid)}
        seen = {pid: size for pid, size in sizes.items() if size is not None}
        pss = sum(p for _, p, _ in seen.values())
        now = time.time() - started
        parent_peak = max(parent_peak, seen.get(process.pid, (0.0, 0.0))[0])
        other_peak = max([other_peak, *(r for pid, (r, _, _) in seen.items() if pid != process.pid)])
        if pss > pss_peak:
            pss_peak, pss_at = pss, now
        if log:
            cells = (f"{pid}:{r:.0f}:{p:.0f}:{d:.0f}" if args.detail else f"{pid}:{r:.0f}"
                     for pid, (r, p, d) in seen.items())
            print(f"{now:.0f} {pss:.0f}", *cells, file=log, flush=True)
        time.sleep(args.interval)
    print(f"parent RSS peak {parent_peak:,.0f} MB; largest other process RSS peak {other_peak:,.0f} MB; "
          f"tree PSS peak {pss_peak:,.0f} MB at {pss_at:.0f} s; wall {time.time() - started:.0f} s",
          file=sys.stderr)
    return process.returncode


if __name__ == "__main__":
    sys.exit(main())
