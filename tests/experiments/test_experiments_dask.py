"""Tests for the Dask executor: a real LocalCluster on loopback gives the serial results."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from longgame.experiments import run_experiment

pytest.importorskip("distributed")

HERE = Path(__file__).parent
SRC = HERE.parents[1] / "src"


def _doc() -> dict[str, Any]:
    return {
        "experiment": {
            "name": "dask",
            "model": "toy_runner_models:SPEC",
            "steps": 15,
            "replicates": 2,
            "seed": 5,
        },
        "parameters": {"noise": 0.3},
        # enough small runs that later ones travel in batches of several per Dask task
        "sweep": {"drift": [0.5 * k for k in range(20)]},
    }


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / "runs").iterdir())}


def test_dask_cluster_matches_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs on a two-worker Dask cluster (own LocalCluster, then --scheduler), single and
    batched, equal serial runs byte for byte."""
    from distributed import LocalCluster

    # worker processes must import the toy model module
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join([str(SRC), str(HERE), os.environ.get("PYTHONPATH", "")])
    )
    serial = run_experiment(_doc(), tmp_path / "serial", workers=1, progress=False)
    own = run_experiment(_doc(), tmp_path / "own", backend="dask", workers=2, progress=False)
    assert _files(tmp_path / "own") == _files(tmp_path / "serial")
    pd.testing.assert_frame_equal(own.summary, serial.summary)
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        remote = run_experiment(
            _doc(),
            tmp_path / "remote",
            backend="dask",
            scheduler=cluster.scheduler_address,
            progress=False,
        )
    assert _files(tmp_path / "remote") == _files(tmp_path / "serial")
    pd.testing.assert_frame_equal(remote.summary, serial.summary)
    assert remote.manifest["workers"] == 2


def test_a_batch_is_its_runs_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """execute_batch returns exactly what execute_run returns for each task, in order."""
    from longgame.experiments.executors import RunTask, execute_batch, execute_run

    monkeypatch.syspath_prepend(str(HERE))
    tasks = [
        RunTask(f"r{k}", k, 0, "toy_runner_models:SPEC", {"drift": float(k)}, 5, 3)
        for k in range(4)
    ]
    batch = execute_batch(tasks)
    single = [execute_run(t) for t in tasks]
    assert [r.run_id for r in batch] == ["r0", "r1", "r2", "r3"]
    assert [r.files for r in batch] == [r.files for r in single]
    assert all(r.ok for r in batch)
