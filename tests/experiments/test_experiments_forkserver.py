"""Tests for the local workers' processes: forked warm from longgame's own fork server on
Linux, spawned elsewhere, the same results either way, global multiprocessing untouched."""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import os
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from longgame.experiments import executors, run_experiment

HERE = Path(__file__).parent

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork server on Linux")


def _probe() -> dict[str, Any]:
    """In a worker: who its parents are and what it has loaded before any run."""
    kernels = sys.modules.get("longgame.models.market._kernels")
    parent = multiprocessing.parent_process()
    return {
        "ppid": os.getppid(),
        "parent": parent.pid if parent is not None else None,
        "model": "longgame.models.market.model" in sys.modules,
        "loaded": len(kernels.deal.signatures) if kernels is not None else 0,
    }


def _toy(**experiment: Any) -> dict[str, Any]:
    return {
        "experiment": {"name": "toy", "model": "toy_runner_models:SPEC", "steps": 20,
                       "replicates": 2, "seed": 3, **experiment},
        "parameters": {"noise": 0.5},
        "sweep": {"drift": [0.0, 1.0, 2.0]},
    }  # fmt: skip


@linux
def test_workers_fork_warm_from_a_server_of_their_own() -> None:
    """A market worker is forked by a server (not by this process) that imported the model
    and loaded its compiled kernels; a later pool reuses that server; the global fork
    server's preload list stays the standard library's."""
    context = executors._context("market")
    assert context is executors._context("market")
    with ProcessPoolExecutor(1, mp_context=context) as pool:
        first = pool.submit(_probe).result(timeout=120)
    with ProcessPoolExecutor(1, mp_context=context) as pool:
        second = pool.submit(_probe).result(timeout=120)
    assert first["ppid"] != os.getpid()
    assert first["parent"] == os.getpid()
    assert first["model"] is True
    assert first["loaded"] >= 1
    assert second["ppid"] == first["ppid"]
    assert multiprocessing.forkserver._forkserver._preload_modules == ["__main__"]


@linux
def test_the_server_imports_longgame_modules_only() -> None:
    """The server imports the runs' code, Parquet and the market's modules, never another
    package's model module (those are imported by each worker)."""
    market = executors._server_preload("market")
    assert market == (
        "longgame.experiments.executors",
        "pyarrow.parquet",
        "longgame.models.market._spec",
        "longgame.models.market.model",
        "longgame.models.market._warm",
    )
    common = executors._COMMON_PRELOAD
    sys.path.insert(0, str(HERE))
    try:
        assert executors._server_preload("toy_runner_models:SPEC") == common
    finally:
        sys.path.remove(str(HERE))
    assert executors._server_preload("no-such-model") == common


@linux
def test_a_fork_server_ends_with_the_process_it_serves(tmp_path: Path) -> None:
    """A process that used a fork server ends it on its way out, at once: no server is
    left tearing down its interpreter (holding the caller's output) after the process
    has exited, and the process's exit status is its own."""
    code = (
        "import sys; from concurrent.futures import ProcessPoolExecutor\n"
        "from longgame.experiments import executors\n"
        "with ProcessPoolExecutor(1, mp_context=executors._context('market')) as pool:\n"
        "    pool.submit(int).result(timeout=120)\n"
        "from longgame.experiments import _forkserver\n"
        "(server,) = [f.__globals__['forkserver'].connect_to_new_process.__self__\n"
        "             for f in _forkserver._LAUNCHERS.values()]\n"
        "print(server._forkserver_pid, flush=True); sys.exit(3)\n"
    )
    out = tmp_path / "out.txt"
    with out.open("wb") as stdout:  # a file: returns when the process ends, not its pipe
        done = subprocess.run(
            [sys.executable, "-c", code], stdout=stdout, stderr=subprocess.DEVNULL,
            timeout=180, check=False,
        )  # fmt: skip
    assert done.returncode == 3
    pid = int(out.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # gone (and reaped), not tearing down


def test_spawned_workers_give_the_same_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where there is no fork server (as on macOS and Windows) workers are spawned, and
    their run files are byte for byte those of forked workers and of this process."""
    sys.path.insert(0, str(HERE))
    try:
        forked = run_experiment(_toy(), tmp_path / "forked", workers=2, progress=False)
        serial = run_experiment(_toy(), tmp_path / "serial", workers=1, progress=False)
        monkeypatch.setattr(executors, "_fork_server_here", lambda: False)
        assert executors._context("toy_runner_models:SPEC").get_start_method() == "spawn"
        spawned = run_experiment(_toy(), tmp_path / "spawned", workers=2, progress=False)
    finally:
        sys.path.remove(str(HERE))

    def files(folder: Path) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted((folder / "runs").iterdir())}

    assert len(files(forked.path)) == 12
    assert files(forked.path) == files(serial.path) == files(spawned.path)
    assert forked.path.joinpath("summary.parquet").read_bytes() == (
        spawned.path.joinpath("summary.parquet").read_bytes()
    )
