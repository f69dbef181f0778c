"""Time ``dedupe index add --fast`` of the same articles on copies of one index with two trees; compare what they write.

Usage: python bench/fast_trees.py INDEX ARTICLES.jsonl --trees OLD_DIR NEW_DIR [--rounds 2] [--work DIR]
       [--workers 2] [--warm auto|cold|warm]
INDEX is never written: before each run it is copied into ``--work`` (default /tmp/fast_trees), and the
articles of ARTICLES (JSONL, not in the index) are added to the copy with ``add_fast`` in a process whose
``PYTHONPATH`` is the tree (extraction on ``--workers`` processes, as ``dedupe index add --fast`` does),
trees alternated ``--rounds`` times. Reported per run: wall seconds, CPU seconds of the main process and of
its workers, peak resident memory of both, and the main process's CPU and wall seconds in some steps
(``STEPS``, timed by wrapping them; nested steps count in their callers too; a step's wall seconds beyond
its CPU are waiting: for a core on a loaded machine, for the disk, or for workers). After each run every table of the
copy is hashed row by row in rowid order (the batches' timings left out), and the run's digests are compared with the
first run's: ``same index`` is yes only when every stored row, and the order rows were written in, match
(the schema version is left out, and a table missing from a tree's index, such as ``heads`` before schema 3,
is ``absent``;
``frequencies`` is compared by rowid, kind, term and count). A tree with ``upgrade`` (``dedupe.index.upgrade``, later
``dedupe.index.headstore``) first upgrades its copy (untimed, its seconds reported as ``upgrade``) and after the add
checks each ``heads`` row against the row its stored profile gives (``heads``: how many, and how many differ).
``--members DIR`` writes each run's story of every indexed article (``{id: story}``, JSON) to
``DIR/<run>-<tree>.json``, for ``bench/fast_agree.py``; ``--no-digests`` skips the hashing and heads check
(``same index`` and ``heads`` are then left empty).
Run it under ``nice`` on a shared machine: CPU time is steadier than wall there.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import resource
import shutil
import sqlite3
import sys
import time
from pathlib import Path

from check_trees import run_in_tree, tree_parser

#: Steps timed in the main process: (module, class or None, function). Missing ones are skipped.
STEPS = (("dedupe.index.memory", "HeadMemory", "places"), ("dedupe.index.memory", "HeadMemory", "warm"),
         ("dedupe.index.codec", None, "profile_from"), ("dedupe.index.heads", "HeadTable", "extend"),
         ("dedupe.index.story_check", "StoryChecker", "scores"),
         ("dedupe.index.story_check", "StoryChecker", "verdict"),
         ("dedupe.index.check", "Checker", "place"), ("dedupe.index.fast", None, "_extract_ahead"),
         ("dedupe.index.fast", None, "_record"), ("dedupe.index.fast", None, "remerge"),
         ("dedupe.index.fast", None, "remerge_all"), ("dedupe.index.remerge", None, "remerge_all"),
         ("dedupe.index.remerge", None, "grown_stories"), ("dedupe.index.counts", "UnwrittenCounts", "write"),
         ("dedupe.index.addseen", "UnwrittenCounts", "write"),
         ("dedupe.merge", None, "merge_cluster"), ("dedupe.index.memory", "HeadMemory", "read_heads"),
         ("dedupe.index.frozen", None, "profile_batch"), ("dedupe.index.check", "Checker", "_copy_of"),
         ("dedupe.index.memory", "HeadMemory", "postings"), ("dedupe.index.memory", "HeadMemory", "owners"),
         ("dedupe.index.memory", "HeadMemory", "head_counts"), ("dedupe.index.memory", "HeadMemory", "read_stories"),
         ("dedupe.index.remerge", "EarlyMerges", "grew"), ("dedupe.index.fast", "AddedCopies", "copy_of"),
         ("dedupe.index.fast", None, "all_frequencies"), ("dedupe.index.addwork", None, "all_frequencies"))
#: Tables compared, and the columns read of each (the batches' seconds differ from run to run).
TABLES = {"meta": "key, CASE key WHEN 'version' THEN NULL ELSE value END", "articles": "*", "fields": "*",
          "bands": "*", "profiles": "*", "postings": "*", "frequencies": "kind, term, n", "furniture": "*",
          "stories": "*", "members": "*", "events": "*", "heads": "*",
          "batches": "batch, added, skipped"}


def time_steps() -> dict[str, float]:
    """Wrap each of ``STEPS`` found in the tree on ``sys.path`` to add up its CPU seconds; module-level
    functions are wrapped in every module of the tree that imported them."""
    spent: dict[str, float] = {}
    for module_name, owner_name, name in STEPS:
        if importlib.util.find_spec(module_name) is None:  # a module the tree does not have
            continue
        module = importlib.import_module(module_name)
        owner = getattr(module, owner_name, None) if owner_name else module  # None: a class the tree lacks
        plain = getattr(owner, name, None)
        if plain is None:
            continue
        spent[name] = 0.0
        timed = _timer(plain, name, spent)
        for other in [owner] if owner_name else [m for m in list(sys.modules.values())
                                                 if getattr(m, name, None) is plain]:
            setattr(other, name, timed)
    return spent


def _timer(plain, name: str, spent: dict[str, float]):
    """``plain`` adding its CPU seconds to ``spent[name]`` and its wall seconds to ``spent[name + " (wall)"]``
    (once when it calls itself through another step)."""
    depth = [0]
    spent[f"{name} (wall)"] = 0.0

    def timed(*args, **kwargs):
        start, wall = time.process_time(), time.perf_counter()
        depth[0] += 1
        try:
            return plain(*args, **kwargs)
        finally:
            depth[0] -= 1
            if not depth[0]:
                spent[name] += time.process_time() - start
                spent[f"{name} (wall)"] += time.perf_counter() - wall

    return timed


def digests(path: Path) -> dict[str, str]:
    """Each compared table's SHA-256 over its rows in rowid order (what was written, and in which order)."""
    found = {}
    with sqlite3.connect(path) as db:
        present = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table, columns in TABLES.items():
            if table not in present:  # the heads of a schema-2 tree
                found[table] = "absent"
                continue
            digest = hashlib.sha256()
            for row in db.execute(f"SELECT rowid, {columns} FROM {table} ORDER BY rowid"):
                digest.update(repr(row).encode("utf-8", "surrogatepass"))
            found[table] = digest.hexdigest()
    return found


def worker(index_path: str, articles_path: str, out: str, workers: int, warm: str, hashed: bool = True) -> None:
    """Add the articles with the tree on ``sys.path``; write times and memory as JSON."""
    from dedupe import read_articles
    from dedupe.engine import LocalEngine
    from dedupe.index import add_fast, open_index

    spent = time_steps()
    articles = list(read_articles([articles_path]))
    upgraded = time.perf_counter()
    for name in ("dedupe.index.upgrade", "dedupe.index.headstore"):
        if importlib.util.find_spec(name) and hasattr(importlib.import_module(name), "upgrade"):
            importlib.import_module(name).upgrade(index_path)
            break
    upgraded = time.perf_counter() - upgraded
    with open_index(index_path) as index:
        start, cpu = time.perf_counter(), time.process_time()
        report = add_fast(index, articles, engine=LocalEngine(workers),
                          warm={"auto": None, "cold": False, "warm": True}[warm])
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        heads = check_heads(index) if hashed else None
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    Path(out).write_text(json.dumps({"upgrade": upgraded, "heads": heads,
        "added": len(report.added), "wall": wall, "cpu": cpu, "workers": children.ru_utime + children.ru_stime,
        "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6, "worker_peak": children.ru_maxrss / 1e6,
        "steps": spent}))


def check_heads(index) -> list[int] | None:
    """``[heads rows, rows unlike the one their stored profile gives]`` for a tree that stores heads."""
    if not importlib.util.find_spec("dedupe.index.headstore"):
        return None
    from dedupe.index.codec import profile_from
    from dedupe.index.headstore import all_columns, head_row

    columns = all_columns(index)
    rows = {r[0]: r for r in index.db.execute("SELECT * FROM heads")}
    total = len(rows)
    differ = sum(rows.pop(pid, None) != head_row(profile_from(blob), columns)
                 for pid, blob in index.db.execute("SELECT id, profile FROM profiles"))
    return [total, differ + len(rows)]


def run_tree(tree: str, index: Path, articles: str, work: Path, workers: int, warm: str, hashed: bool = True,
             members: Path | None = None) -> dict:
    """Copy the index, add the articles with ``tree`` in its own process; its result and the copy's digests
    (unless not ``hashed``); every article's story written to ``members`` if given."""
    copy = work / "run.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(index, copy)
    result = run_in_tree(__file__, tree, [str(copy), articles, "--workers", str(workers), "--warm", warm,
                                          *([] if hashed else ["--no-digests"])])
    result["digests"] = digests(copy) if hashed else {}
    if members is not None:
        with sqlite3.connect(copy) as db:
            members.write_text(json.dumps(dict(db.execute("SELECT id, story FROM members ORDER BY id"))))
    return result


def row(tree: str, result: dict, reference: dict) -> str:
    """One Markdown row of a run."""
    per = result["cpu"] / max(1, result["added"]) * 1000
    same = "" if not result["digests"] else "yes" if result["digests"] == reference["digests"] else "NO: " + ", ".join(
        t for t in TABLES if result["digests"][t] != reference["digests"][t])
    heads = "" if result.get("heads") is None else "{} rows, {} differ".format(*result["heads"])
    return (f"| {tree} | {result['added']} | {result['wall']:.1f} s | {result['cpu']:.1f} s ({per:.1f} ms) | "
            f"{result['workers']:.1f} s | {result['peak']:.2f} / {result['worker_peak']:.2f} GB | {same} | "
            f"{result.get('upgrade', 0):.1f} s | {heads} |")


def main() -> None:
    parser = tree_parser(__doc__, "articles")
    parser.add_argument("--work", default="/tmp/fast_trees")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--warm", choices=("auto", "cold", "warm"), default="auto")
    parser.add_argument("--members", type=Path)
    parser.add_argument("--no-digests", dest="hashed", action="store_false")
    args = parser.parse_args()
    if args.worker:
        worker(args.index, args.articles, args.worker, args.workers, args.warm, args.hashed)
        return
    if args.members:
        args.members.mkdir(parents=True, exist_ok=True)
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    print("| tree | added | wall | CPU main (ms an article) | CPU workers | peak RSS main / worker | same index | "
          "upgrade | heads |\n|---|---|---|---|---|---|---|---|---|", flush=True)
    reference, steps = None, []
    for run in range(args.rounds):
        for n, tree in enumerate(args.trees):
            members = args.members / f"{run + 1}-{n + 1}-{Path(tree).name}.json" if args.members else None
            result = run_tree(tree, Path(args.index), args.articles, work, args.workers, args.warm, args.hashed,
                              members)
            reference = reference or result
            print(row(tree, result, reference), flush=True)
            steps.append(f"{tree}: " + ", ".join(f"{k} {v:.1f} s" for k, v in result["steps"].items()))
    print("\nCPU of the main process in some steps (nested steps count in their callers too):\n" + "\n".join(steps))


if __name__ == "__main__":
    main()
