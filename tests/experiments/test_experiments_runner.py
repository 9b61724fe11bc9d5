"""Tests for the experiment runner: determinism across executors, resume, kill, failures."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import longgame
from longgame.errors import InputError
from longgame.experiments import load_config, load_results, run_experiment, summarise
from longgame.experiments._toml import dumps
from longgame.experiments.executors import run_seed
from longgame.experiments.store import RUN_ID

HERE = Path(__file__).parent
SRC = HERE.parents[1] / "src"


def _doc(**experiment: Any) -> dict[str, Any]:
    return {
        "experiment": {
            "name": "toy",
            "model": "toy_runner_models:SPEC",
            "steps": 20,
            "replicates": 3,
            "seed": 11,
            **experiment,
        },
        "parameters": {"noise": 0.5, "market": {"size": 10}},
        "sweep": {"drift": [0.0, 1.0, 2.0]},
        "outputs": {"long_run_window": 0.25},
    }


def _run_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / "runs").iterdir())}


def _run_command(config: Path, out: Path, workers: int) -> list[str]:
    """`longgame run CONFIG --out OUT --workers N --no-report` in a fresh interpreter."""
    return [
        sys.executable, "-m", "longgame", "run", str(config),
        "--out", str(out), "--workers", str(workers), "--no-report",
    ]  # fmt: skip


def _finished_runs(out: Path) -> list[Path]:
    """The metrics files of the runs finished so far under the results folder ``out``."""
    runs = out / "runs"
    return [p for p in runs.glob("*.parquet") if RUN_ID.match(p.stem)] if runs.is_dir() else []


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), str(HERE), env.get("PYTHONPATH", "")])
    return env


def test_one_and_two_workers_write_identical_results(tmp_path: Path) -> None:
    """Serial and two-process runs give byte-identical run files and equal summaries."""
    one = run_experiment(_doc(), tmp_path / "one", workers=1, progress=False)
    two = run_experiment(_doc(), tmp_path / "two", workers=2, progress=False)
    assert _run_files(tmp_path / "one") == _run_files(tmp_path / "two")
    assert len(_run_files(tmp_path / "one")) == 2 * 9  # metrics + spells per run
    pd.testing.assert_frame_equal(one.summary, two.summary)
    pd.testing.assert_frame_equal(one.metrics(), two.metrics())


def test_run_reproduces_from_its_recorded_seed(tmp_path: Path) -> None:
    """A stored run equals a direct simulation seeded with SeedSequence(root, (point, rep))."""
    import toy_runner_models as toy

    res = run_experiment(_doc(), tmp_path / "out", workers=1, progress=False)
    record = next(r for r in res.manifest["runs"] if r["point"] == 2 and r["replicate"] == 1)
    params = toy.ToyParams.model_validate({"noise": 0.5, "market": {"size": 10}, "drift": 2.0})
    expected = toy.simulate(params, 20, np.random.default_rng(run_seed(11, 2, 1))).metrics
    stored = pd.read_parquet(tmp_path / "out" / "runs" / f"{record['run_id']}.parquet")
    pd.testing.assert_frame_equal(stored, expected, check_dtype=False)


def test_replicates_differ_and_seed_changes_results(tmp_path: Path) -> None:
    """Different replicates and different root seeds give different runs."""
    a = run_experiment(_doc(), tmp_path / "a", workers=1, progress=False).metrics()
    b = run_experiment(_doc(seed=12), tmp_path / "b", workers=1, progress=False).metrics()
    assert not np.array_equal(a["value"].to_numpy(), b["value"].to_numpy())
    r0 = a.loc[(a["point"] == 0) & (a["replicate"] == 0), "value"].to_numpy()
    r1 = a.loc[(a["point"] == 0) & (a["replicate"] == 1), "value"].to_numpy()
    assert not np.array_equal(r0, r1)


def test_results_api_columns(tmp_path: Path) -> None:
    """Results exposes config, manifest, swept keys and tidy frames with the documented columns."""
    res = run_experiment(_doc(), tmp_path / "out", workers=1, progress=False)
    again = longgame.load_results(tmp_path / "out")
    assert again.swept == ["drift"]
    assert again.config["experiment"]["seed"] == 11
    assert again.manifest["root_seed"] == 11
    assert again.manifest["status"] == "complete"
    assert list(res.summary.columns) == [
        "drift", "group", "metric", "mean", "std", "ci_low", "ci_high", "n",
    ]  # fmt: skip
    assert list(res.metrics().columns) == [
        "run_id", "point", "replicate", "drift", "step", "group", "metric", "value",
    ]  # fmt: skip
    spells = res.table("spells")
    assert list(spells.columns[:4]) == ["run_id", "point", "replicate", "drift"]
    assert len(spells) == 9 * 3
    assert res.table("nope").empty
    assert res.tables() == ["spells"]
    assert len(res.runs) == 9
    assert res.complete
    assert not res.failed
    assert set(res.manifest["versions"]) >= {"python", "numpy", "pandas"}


def test_summary_is_mean_and_t_interval_of_long_run_values(tmp_path: Path) -> None:
    """Summary rows equal a by-hand mean over the last window of steps and a 95% t-interval."""
    res = run_experiment(_doc(), tmp_path / "out", workers=1, progress=False)
    metrics = res.metrics()
    tail = metrics.loc[metrics["step"] > 15]  # last 25% of 20 steps
    per_run = tail.groupby(["drift", "run_id", "group", "metric"])["value"].mean().reset_index()
    sel = per_run.loc[
        (per_run["drift"] == 1.0)
        & (per_run["group"] == "fleecer")
        & (per_run["metric"] == "profit")
    ]
    values = sel["value"].to_numpy()
    row = res.summary.loc[
        (res.summary["drift"] == 1.0)
        & (res.summary["group"] == "fleecer")
        & (res.summary["metric"] == "profit")
    ].iloc[0]
    half = stats.t.ppf(0.975, 2) * values.std(ddof=1) / math.sqrt(3)
    assert row["n"] == 3
    assert row["mean"] == pytest.approx(values.mean())
    assert row["std"] == pytest.approx(values.std(ddof=1))
    assert row["ci_low"] == pytest.approx(values.mean() - half)
    assert row["ci_high"] == pytest.approx(values.mean() + half)


def test_summarise_recomputes_with_other_window_and_metrics(tmp_path: Path) -> None:
    """summarise() can be rerun with another window and metric filter."""
    run_experiment(_doc(), tmp_path / "out", workers=1, progress=False)
    table = summarise(tmp_path / "out", window=1.0, metrics=["customers"], write=False)
    assert set(table["metric"]) == {"customers"}
    # customers = size * repeat_probability + U(0, 1): long-run mean near 5.5
    assert table["mean"].between(5.0, 6.0).all()


def test_resume_skips_finished_runs(tmp_path: Path) -> None:
    """Rerunning the same config rewrites nothing; a deleted run is redone identically."""
    out = tmp_path / "out"
    run_experiment(_doc(), out, workers=1, progress=False)
    before = {p.name: p.stat().st_mtime_ns for p in (out / "runs").iterdir()}
    files = _run_files(out)
    run_experiment(_doc(), out, workers=1, progress=False)
    assert {p.name: p.stat().st_mtime_ns for p in (out / "runs").iterdir()} == before
    victim = sorted(n for n in files if RUN_ID.match(n.removesuffix(".parquet")))[4]
    (out / "runs" / victim).unlink()
    run_experiment(_doc(), out, workers=1, progress=False)
    assert _run_files(out) == files


def test_rerun_says_how_many_runs_are_reused_and_run_now(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A rerun names the runs it reuses and the runs it runs now; a first run says nothing."""
    out = tmp_path / "out"
    run_experiment(_doc(), out, workers=1, progress=False)
    assert "reused" not in capsys.readouterr().err
    runs = sorted(p for p in (out / "runs").iterdir() if RUN_ID.match(p.stem))
    total = len(runs)
    for victim in runs[:2]:
        victim.unlink()
    run_experiment(_doc(), out, workers=1, progress=False)
    assert (
        f"resuming in {out}: {total - 2} of {total} runs reused (finished before), "
        "2 to run now" in capsys.readouterr().err
    )


def test_unseeded_config_resumes_with_its_recorded_seed(tmp_path: Path) -> None:
    """A config without a seed resumes with the seed drawn on its first run."""
    doc = _doc()
    del doc["experiment"]["seed"]
    first = run_experiment(doc, tmp_path / "out", workers=1, progress=False)
    before = _run_files(tmp_path / "out")
    second = run_experiment(doc, tmp_path / "out", workers=1, progress=False)
    assert second.manifest["root_seed"] == first.manifest["root_seed"]
    assert _run_files(tmp_path / "out") == before


def test_different_config_is_refused_unless_fresh(tmp_path: Path) -> None:
    """A different config in an existing folder is refused, untouched; --fresh clears it."""
    out = tmp_path / "out"
    run_experiment(_doc(), out, workers=1, progress=False)
    files = _run_files(out)
    manifest = (out / "manifest.json").read_text()
    with pytest.raises(InputError, match=r"experiment\.steps.*--fresh"):
        run_experiment(_doc(steps=30), out, workers=1, progress=False)
    assert _run_files(out) == files
    assert (out / "manifest.json").read_text() == manifest
    res = run_experiment(_doc(steps=30), out, workers=1, progress=False, fresh=True)
    assert res.config["experiment"]["steps"] == 30
    assert len(_run_files(out)) == 18
    assert not set(_run_files(out)) & set(files)


def test_description_and_outputs_changes_are_allowed(tmp_path: Path) -> None:
    """Changing only the description or outputs resumes and re-summarises."""
    out = tmp_path / "out"
    run_experiment(_doc(), out, workers=1, progress=False)
    doc = _doc(description="new words")
    doc["outputs"] = {"metrics": ["profit"]}
    res = run_experiment(doc, out, workers=1, progress=False)
    assert set(res.summary["metric"]) == {"profit"}


def test_foreign_folder_is_refused(tmp_path: Path) -> None:
    """A non-empty folder without a manifest is never written into."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "thesis.tex").write_text("precious")
    with pytest.raises(InputError, match="not empty"):
        run_experiment(_doc(), out, workers=1, progress=False)
    with pytest.raises(InputError, match="not empty"):
        run_experiment(_doc(), out, workers=1, progress=False, fresh=True)
    assert sorted(p.name for p in out.iterdir()) == ["thesis.tex"]


def test_failing_runs_are_recorded_and_others_finish(tmp_path: Path) -> None:
    """Runs that raise are recorded with their error; the other runs still finish."""
    doc = _doc()
    doc["parameters"]["fail_when_drift"] = 1.0
    res = run_experiment(doc, tmp_path / "out", workers=2, progress=False)
    assert len(res.failed) == 3
    assert {r["point"] for r in res.failed} == {1}
    assert all("toy failure at drift=1.0" in r["error"] for r in res.failed)
    assert all("Traceback" in r["traceback"] for r in res.failed)
    assert res.manifest["status"] == "failed"
    assert sorted(res.summary["drift"].unique()) == [0.0, 2.0]
    again = run_experiment(doc, tmp_path / "out", workers=1, progress=False)
    assert len(again.failed) == 3
    assert len(again.metrics()["run_id"].unique()) == 6


def test_quick_run_is_recorded_in_config(tmp_path: Path) -> None:
    """A --quick run stores its shrunk settings in config.toml and the manifest."""
    exp = load_config(_doc(steps=200, replicates=5), quick=True)
    res = run_experiment(exp, tmp_path / "out", workers=1, progress=False)
    assert res.config["experiment"]["steps"] == 20
    assert res.config["experiment"]["quick"]
    assert res.manifest["quick"]
    assert len(res.runs) == 6


def test_sigkill_mid_sweep_then_resume_matches_uninterrupted(tmp_path: Path) -> None:
    """A sweep killed with SIGKILL resumes to exactly the results of an uninterrupted run."""
    doc = _doc(name="killed", replicates=4)
    doc["parameters"]["sleep"] = 0.25
    config = tmp_path / "killed.toml"
    config.write_text(dumps(doc))
    out = tmp_path / "killed"
    proc = subprocess.Popen(
        _run_command(config, out, workers=1),
        env=_env(),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if len(_finished_runs(out)) >= 3:
                break
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read() if proc.stderr else ""
    done_before = {p.stem for p in _finished_runs(out)}
    assert 3 <= len(done_before) < 12
    (out / "runs" / ".0123456789abcdef.parquet.999.tmp").write_bytes(b"half a file")
    assert load_results(out).metrics()["run_id"].nunique() == len(done_before)
    resumed = run_experiment(config, out, workers=2, progress=False)
    reference = run_experiment(config, tmp_path / "reference", workers=2, progress=False)
    assert _run_files(out) == _run_files(tmp_path / "reference")
    assert not list(out.rglob("*.tmp"))
    pd.testing.assert_frame_equal(resumed.summary, reference.summary)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete"
    assert all(r["status"] == "done" for r in manifest["runs"])


def test_ctrl_c_stops_cleanly_and_resumes(tmp_path: Path) -> None:
    """SIGINT stops a multi-worker sweep at once with exit 130; finished runs are kept."""
    doc = _doc(name="interrupted", replicates=4)
    doc["parameters"]["sleep"] = 0.4
    config = tmp_path / "interrupted.toml"
    config.write_text(dumps(doc))
    out = tmp_path / "interrupted"
    proc = subprocess.Popen(
        _run_command(config, out, workers=2),
        env=_env(),
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as from a terminal
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if len(_finished_runs(out)) >= 2:
            break
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "run the same command again to resume" in err
    assert "Traceback" not in err
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted"
    kept = {p.stem for p in (out / "runs").glob("*.parquet") if RUN_ID.match(p.stem)}
    assert 2 <= len(kept) < 12
    resumed = run_experiment(config, out, workers=2, progress=False)
    assert resumed.complete
    assert resumed.manifest["status"] == "complete"


def test_progress_bar_reports_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A forced progress bar shows the experiment, runs done and the rate on stderr."""
    run_experiment(_doc(), tmp_path / "out", workers=1, progress=True)
    err = capsys.readouterr().err
    assert "toy" in err
    assert "9/9" in err
    assert "runs/s" in err


def test_live_lock_refuses_and_stale_lock_is_taken_over(tmp_path: Path) -> None:
    """A folder locked by a running process is refused; a dead process's lock is ignored."""
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom longgame.experiments.store import Store\n"
         "with Store(sys.argv[1]).lock():\n    print('held', flush=True)\n    time.sleep(60)",
         str(out)],
        stdout=subprocess.PIPE, text=True, env=_env(),
    )  # fmt: skip
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == "held\n"
        with pytest.raises(InputError, match="another longgame process"):
            run_experiment(_doc(), out, workers=1, progress=False)
    finally:
        holder.kill()
        holder.wait()
    assert run_experiment(_doc(), out, workers=1, progress=False).complete
    assert not (out / ".lock").exists()


def test_unknown_output_metric_warns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An outputs.metrics name that no run produces is reported with the closest names."""
    doc = _doc()
    doc["outputs"] = {"metrics": ["proft"]}
    res = run_experiment(doc, tmp_path / "out", workers=1, progress=False)
    assert res.summary.empty
    assert "outputs.metrics names 'proft'" in capsys.readouterr().err


def test_unexpected_error_marks_manifest(tmp_path: Path) -> None:
    """An error outside the runs (here: a broken executor) is recorded in the manifest."""

    class Broken:
        workers = 1

        def map_unordered(self, tasks: Any) -> Any:
            raise OSError("disk on fire")
            yield  # pragma: no cover

    with pytest.raises(OSError, match="disk on fire"):
        run_experiment(_doc(), tmp_path / "out", executor=Broken(), progress=False)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["status"] == "error"
    assert "disk on fire" in manifest["error"]


def test_list_valued_and_mixed_sweeps_are_stored(tmp_path: Path) -> None:
    """Sweeping a list-valued parameter stores its values as JSON text in the id columns."""
    doc = _doc(replicates=1)
    doc["sweep"] = {"strategies": [["fleecer"], ["fair-dealer", "fleecer"]]}
    res = run_experiment(doc, tmp_path / "out", workers=1, progress=False)
    assert sorted(res.summary["strategies"].unique()) == [
        '["fair-dealer", "fleecer"]',
        '["fleecer"]',
    ]
    assert set(res.metrics()["strategies"]) == set(res.summary["strategies"])


def test_dead_worker_fails_its_runs_and_the_sweep_goes_on(tmp_path: Path) -> None:
    """A worker process that dies fails the runs in flight; a new pool runs the rest."""
    doc = _doc(replicates=2)
    doc["parameters"]["crash_when_drift"] = 1.0
    res = run_experiment(doc, tmp_path / "out", workers=2, progress=False)
    failed = {(r["point"], r["replicate"]) for r in res.failed}
    assert {(1, 0), (1, 1)} <= failed
    assert all("worker process died" in r["error"] for r in res.failed)
    assert len(failed) + res.metrics()["run_id"].nunique() == 6
    # in this process the toy model does not crash: the resume completes the sweep
    assert run_experiment(doc, tmp_path / "out", workers=1, progress=False).complete


def test_run_id_pattern_rejects_a_final_newline() -> None:
    """RUN_ID matches exactly 16 hex digits; a trailing newline is not a run id."""
    assert RUN_ID.match("0123456789abcdef")
    assert not RUN_ID.match("0123456789abcdef\n")


class _Recording:
    """An in-process executor that records when the runner starts and stops it."""

    workers = 1

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.calls: list[tuple[str, Any]] = []

    def start(self, model: str, runs: int) -> None:
        manifest = (self.folder / "manifest.json").exists()
        self.calls.append(("start", (model, runs, manifest)))

    def stop(self) -> None:
        self.calls.append(("stop", None))

    def map_unordered(self, tasks: Any) -> Any:
        from longgame.experiments.executors import execute_run

        tasks = list(tasks)
        self.calls.append(("map", len(tasks)))
        for task in tasks:
            yield execute_run(task)


def test_workers_start_before_the_manifest_and_only_when_there_is_work(tmp_path: Path) -> None:
    """The runner starts the executor (the model to import, the runs to do) before it
    prepares the manifest, stops it after the runs, and starts nothing on a rerun of a
    finished experiment."""
    out = tmp_path / "out"
    executor = _Recording(out)
    run_experiment(_doc(), out, executor=executor, progress=False)
    assert executor.calls == [
        ("start", ("toy_runner_models:SPEC", 9, False)),
        ("map", 9),
        ("stop", None),
    ]
    again = _Recording(out)
    run_experiment(_doc(), out, executor=again, progress=False)
    assert again.calls == [("stop", None)]


def test_started_workers_are_used_by_the_sweep_and_ended_when_unused(tmp_path: Path) -> None:
    """Processes started ahead run the sweep (one pool, the same results as in-process);
    started and never used, :meth:`stop` ends them."""
    from longgame.experiments.executors import ProcessExecutor

    sys.path.insert(0, str(HERE))
    try:
        unused = ProcessExecutor(2)
        unused.start("toy_runner_models:SPEC", 5)
        assert unused._started is not None
        unused._started[2].join()  # the processes are started from a thread
        processes = list(unused._started[0]._processes.values())
        assert len(processes) == 2
        unused.stop()
        deadline = time.monotonic() + 60
        while any(p.is_alive() for p in processes) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(p.is_alive() for p in processes)

        used = ProcessExecutor(2)
        made = []
        original = used._pool
        used._pool = lambda size: made.append(size) or original(size)  # type: ignore[method-assign]
        res = run_experiment(_doc(), tmp_path / "out", executor=used, progress=False)
        assert made == [2]  # one pool: started, then used
        assert used._started is None
        reference = run_experiment(_doc(), tmp_path / "ref", workers=1, progress=False)
        assert _run_files(res.path) == _run_files(reference.path)
    finally:
        sys.path.remove(str(HERE))


@pytest.mark.parametrize(("sleep", "wait", "said"), [(0.4, 0.15, 1), (0.0, 30.0, 0)])
def test_a_slow_first_run_is_explained_once(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    sleep: float,
    wait: float,
    said: int,
) -> None:
    """When the first result is long in coming, the runner says once what the model's
    spec says can make a machine's first run slow; when it comes at once, nothing."""
    import longgame.experiments.runner as runner

    monkeypatch.setattr(runner, "_FIRST_RUN_WAIT", wait)
    doc = _doc(name="noted", model="toy_runner_models:NOTED", replicates=1)
    doc["parameters"]["sleep"] = sleep
    config = tmp_path / "noted.toml"
    config.write_text(dumps(doc))
    run_experiment(config, tmp_path / "out", workers=1, progress=False)
    err = capsys.readouterr().err
    assert err.count("noted: waiting for the first run; the toy warms up first") == said


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("wanted", [None, ["profit"]])
def test_summary_from_the_workers_long_run_values_equals_one_from_the_files(
    tmp_path: Path, workers: int, wanted: list[str] | None
) -> None:
    """The summary the runner writes from the long-run values its workers computed is,
    byte for byte, the one recomputed from the run files (all metrics, or a filter)."""
    doc = _doc()
    if wanted is not None:
        doc["outputs"]["metrics"] = wanted
    sys.path.insert(0, str(HERE))
    try:
        res = run_experiment(doc, tmp_path / "out", workers=workers, progress=False)
    finally:
        sys.path.remove(str(HERE))
    written = (res.path / "summary.parquet").read_bytes()
    recomputed = summarise(res.path)
    assert (res.path / "summary.parquet").read_bytes() == written
    assert len(recomputed) == 3 * 2 * (len(wanted) if wanted else 2)  # points, groups, metrics
    assert set(recomputed["metric"]) == set(wanted or ["customers", "profit"])


def test_summary_uses_known_long_run_values_only_for_the_same_settings(tmp_path: Path) -> None:
    """A run's long-run values handed to the summary replace reading its file when they
    were computed with the stored window and metrics, and are ignored otherwise."""
    import pyarrow as pa

    from longgame.experiments.summary import LongRun, _summarise

    res = run_experiment(_doc(), tmp_path / "out", workers=1, progress=False)
    first = sorted(r["run_id"] for r in res.manifest["runs"] if r["point"] == 0)[0]
    fake = pa.table({"group": ["fleecer"], "metric": ["profit"], "value": [1e6]})
    same = {first: LongRun(settings=(0.25, None), values=fake, metrics=("profit",))}
    other = {first: LongRun(settings=(0.5, None), values=fake, metrics=("profit",))}
    used, _ = _summarise(res.path, None, None, False, same)
    ignored, _ = _summarise(res.path, None, None, False, other)

    def cell(table: pd.DataFrame, group: str, metric: str, column: str) -> Any:
        row = table.loc[
            (table["drift"] == 0.0) & (table["group"] == group) & (table["metric"] == metric)
        ]
        return row[column].item()

    assert cell(used, "fleecer", "profit", "n") == 3
    assert cell(used, "fleecer", "profit", "mean") > 1e6 / 3
    assert cell(used, "fleecer", "customers", "n") == 2  # the file's other values: unread
    assert cell(res.summary, "fleecer", "customers", "n") == 3
    pd.testing.assert_frame_equal(ignored, res.summary)
