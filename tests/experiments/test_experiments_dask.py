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
        "sweep": {"drift": [0.0, 1.0, 2.0]},
    }


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / "runs").iterdir())}


def test_dask_cluster_matches_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs on a two-worker Dask cluster (own LocalCluster, then --scheduler) equal serial runs."""
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
