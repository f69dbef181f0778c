"""The Dask engine gives what the local engine gives: same reads, same pairs, same clusters, same files."""

from __future__ import annotations

import json
import os
import socket
import sys
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import numpy as np
import pytest
from conftest import SEEDS, corpus_file

from dedupe import Config, dask_engine, read_articles, run
from dedupe.candidates import lsh_pairs
from dedupe.cli import main
from dedupe.engine import Engine, LocalEngine
from dedupe.errors import EngineError, InputError
from dedupe.load_parts import Part, read_outcomes, read_parts
from dedupe.output import write_outputs
from dedupe.pipeline import prepare
from dedupe.records import FieldMap, Rejects
from dedupe.signatures import signature_matrix

pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster() -> Iterator[Engine]:
    """One LocalCluster of two worker processes (one thread each) for the whole module."""
    with dask_engine.dask_engine(workers=2) as engine:
        yield engine


def _outputs(articles: list, rejects: Rejects, engine: Engine, folder: Path) -> dict[str, str]:
    """Every output file of one run, ``summary.json`` without its timings."""
    result = run(articles, Config(workers=1), rejects=rejects, engine=engine)
    write_outputs(result, folder)
    files = {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.iterdir())}
    summary = json.loads(files.pop("summary.json"))
    summary.pop("seconds")
    files["summary.json"] = json.dumps(summary, sort_keys=True)
    return files


def _read(inputs: list[Path], engine: Engine | None, part_bytes: int = 1 << 30) -> tuple[list, Rejects]:
    """Articles and rejects of a read under ``--on-error skip``: the local reader, or partitions on ``engine``."""
    rejects = Rejects("skip")
    if engine is None:
        return list(read_articles(inputs, rejects=rejects)), rejects
    return list(read_parts(inputs, engine=engine, rejects=rejects, part_bytes=part_bytes)), rejects


def _same_run(inputs: list[Path], engine: Engine, tmp_path: Path, part_bytes: int) -> None:
    """Reading and running on ``engine`` writes byte-identical files to the local reader and engine."""
    local_articles, local_rejects = _read(inputs, None)
    articles, rejects = _read(inputs, engine, part_bytes)
    assert articles == local_articles
    assert (rejects.items, rejects.read) == (local_rejects.items, local_rejects.read)
    expected = _outputs(local_articles, local_rejects, LocalEngine(1), tmp_path / "local")
    assert _outputs(articles, rejects, engine, tmp_path / "dask") == expected


def test_seeds_give_identical_outputs(cluster: Engine, tmp_path: Path) -> None:
    _same_run([SEEDS], cluster, tmp_path, 1 << 20)


@pytest.mark.corpus
def test_corpus_sample_gives_identical_outputs(cluster: Engine, tmp_path: Path) -> None:
    """A few hundred lines of a shared corpus, with bad lines and a repeated id, read in ranges of ~64 KB."""
    lines = corpus_file("allsides_roundups").read_text(encoding="utf-8").splitlines()[:300]
    lines[10:10] = ["{not json", '{"id": 5, "text": ["a list"]}', lines[20], ""]
    sample = tmp_path / "sample.jsonl"
    sample.write_text("\r\n".join(lines) + "\n", encoding="utf-8")
    assert sample.stat().st_size > 3 * 65536
    _same_run([sample, SEEDS], cluster, tmp_path, 65536)


@pytest.mark.corpus
def test_banding_on_the_cluster_gives_the_same_pairs(cluster: Engine) -> None:
    articles = prepare(read_articles([corpus_file("gva_incidents_dev")]))[:400]
    matrix = signature_matrix(articles, 3, 128, 1, engine=cluster)
    assert np.array_equal(matrix.hashvalues, signature_matrix(articles, 3, 128, 1).hashvalues)
    for threshold in (0.1, 0.5, 0.8):
        local = lsh_pairs(matrix, threshold)
        assert len(local) and np.array_equal(lsh_pairs(matrix, threshold, engine=cluster), local)


def test_an_input_a_worker_cannot_see_is_a_clear_error(cluster: Engine, tmp_path: Path) -> None:
    gone = Part.of(str(tmp_path / "gone.jsonl"), "jsonl")
    with pytest.raises(InputError, match="not found on the worker .* same paths"):
        list(cluster.map_chunks(partial(read_outcomes, fields=FieldMap()), [gone], [(0, 1)]))


def test_a_failing_task_is_an_engine_error(cluster: Engine, tmp_path: Path) -> None:
    missing = str(tmp_path / "no-such-dir")
    with pytest.raises(EngineError, match="a task failed on the Dask cluster .*FileNotFoundError"):
        list(cluster.map_chunks(os.listdir, missing, [(0, len(missing))]))


def test_cli_engine_dask_on_a_local_cluster(runner, tmp_path: Path) -> None:
    local = runner.invoke(main, ["run", str(SEEDS), "-q"])
    result = runner.invoke(main, ["run", str(SEEDS), "-q", "--engine", "dask", "--workers", "1"])
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == local.stdout and len(result.stdout.splitlines()) == 4


def test_cli_without_dask_says_how_to_install_it(runner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    result = runner.invoke(main, ["run", str(SEEDS), "--engine", "dask"])
    assert result.exit_code == 4
    assert result.stderr == ("Error: --engine dask needs Dask's 'distributed' package, which is not installed. "
                             "Fix: install it with: pip install 'newsdedupe[dask]' (on this machine and on every "
                             "worker).\n")


def test_cli_unreachable_scheduler_fails_quickly(runner, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    monkeypatch.setattr(dask_engine, "CONNECT_TIMEOUT", 1.0)
    start = time.perf_counter()
    result = runner.invoke(main, ["run", str(SEEDS), "--engine", "dask", "--scheduler", address])
    assert time.perf_counter() - start < 8
    assert result.exit_code == 4
    assert result.stderr.startswith(f"Error: cannot reach the Dask scheduler at '{address}' (")
    assert "Fix: start it with 'dask scheduler'" in result.stderr


def test_cli_scheduler_needs_engine_dask(runner) -> None:
    result = runner.invoke(main, ["run", str(SEEDS), "--scheduler", "tcp://127.0.0.1:8786"])
    assert result.exit_code == 2
    assert "Error: --scheduler needs --engine dask." in result.stderr


def test_cli_on_an_existing_cluster(runner, cluster: Engine) -> None:
    address = cluster.client.scheduler.address  # type: ignore[attr-defined]
    local = runner.invoke(main, ["run", str(SEEDS), "-q", "--emit", "stories"])
    result = runner.invoke(main, ["run", str(SEEDS), "-q", "--emit", "stories", "--engine", "dask",
                                  "--scheduler", address])
    assert (result.exit_code, result.stderr, result.stdout) == (0, "", local.stdout)


def test_ctrl_c_closes_the_client_but_not_an_existing_cluster(runner, cluster: Engine,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    address = cluster.client.scheduler.address  # type: ignore[attr-defined]
    clients = []

    def interrupted(articles: object, config: object, progress: object, *, rejects: object, engine: Engine,
                    stories: bool, details: bool, reports: bool, output_dir: object) -> None:
        clients.append(engine.client)  # type: ignore[attr-defined]
        raise KeyboardInterrupt

    monkeypatch.setattr("dedupe.cli.run.run", interrupted)
    result = runner.invoke(main, ["run", str(SEEDS), "--engine", "dask", "--scheduler", address])
    assert (result.exit_code, result.stderr) == (130, "Interrupted (Ctrl-C): stopped before writing any output.\n")
    assert clients[0].status == "closed"
    assert list(cluster.map_chunks(len, "abc", [(0, 2)])) == [2]  # the cluster still serves


def test_a_local_cluster_is_closed_on_errors() -> None:
    with pytest.raises(InputError), dask_engine.dask_engine(workers=1) as engine:
        client = engine.client
        list(read_parts(["/no/such/input.jsonl"], engine=engine))
    assert client.status == "closed"
    assert client.cluster.status.name == "closed"


def test_cli_a_cluster_without_workers_fails_quickly(runner, monkeypatch: pytest.MonkeyPatch) -> None:
    from distributed import LocalCluster

    monkeypatch.setattr(dask_engine, "CONNECT_TIMEOUT", 1.0)
    with LocalCluster(n_workers=0, processes=False, dashboard_address=":0") as empty:
        start = time.perf_counter()
        result = runner.invoke(main, ["run", str(SEEDS), "--engine", "dask", "--scheduler", empty.scheduler_address])
        assert time.perf_counter() - start < 8
    assert result.exit_code == 4
    assert result.stderr.startswith(
        "Error: the Dask cluster has no workers (none joined within 1 s, or they all left)."
    )
