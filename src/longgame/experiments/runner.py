"""Running an experiment: points x replicates through an executor into a results folder.

:func:`run_experiment` resolves the config, prepares the folder (refusing one that holds
a different experiment unless ``fresh``), skips runs already finished there, streams the
others through the executor and writes each at once, keeps ``manifest.json`` up to date,
and finally writes ``summary.parquet``.

Reproducibility: run ``(point, replicate)`` gets the id ``run_id(...)`` (a hash of the
model, steps, root seed, point, replicate and the validated parameters) and the seed
``SeedSequence(root_seed, spawn_key=(point, replicate))``, so its output is the same
whichever executor runs it, in whatever order, on however many workers.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from longgame.errors import InputError
from longgame.experiments import _toml
from longgame.experiments.config import Experiment, load_config
from longgame.experiments.executors import Executor, RunResult, RunTask, make_executor
from longgame.experiments.results import Results, load_results
from longgame.experiments.store import Store, atomic_write_text, environment_info, now
from longgame.experiments.summary import summary_warnings
from longgame.experiments.sweep import flatten

__all__ = ["MANIFEST_FORMAT", "draw_report", "run_experiment", "run_id"]

#: Version of the manifest layout.
MANIFEST_FORMAT = 1
#: Seconds between manifest rewrites while runs stream in.
_MANIFEST_INTERVAL = 2.0


def run_id(
    model: str, steps: int, root_seed: int, point: int, replicate: int, params: Mapping[str, Any]
) -> str:
    """The deterministic id of one run: 16 hex digits of a SHA-256.

    The same inputs give the same id on every machine and Python version (so a resumed
    sweep recognises its finished runs); any change of input gives another id:

    >>> first = run_id("market", 100, 1, 0, 0, {"reach": 10})
    >>> first
    '8aadcad546ede566'
    >>> first == run_id("market", 100, 1, 0, 1, {"reach": 10})  # another replicate
    False
    """
    payload = json.dumps(
        {
            "model": model,
            "steps": steps,
            "root_seed": root_seed,
            "point": point,
            "replicate": replicate,
            "params": params,
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def _differences(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    def comparable(doc: Mapping[str, Any]) -> dict[str, Any]:
        plain: dict[str, Any] = json.loads(json.dumps(doc, default=str))
        plain.get("experiment", {}).pop("description", None)
        plain.pop("outputs", None)
        return flatten(plain)

    a, b = comparable(old), comparable(new)
    return sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))


def _prepare(
    store: Store, experiment: Experiment, fresh: bool
) -> tuple[Experiment, dict[str, Any]]:
    """Check the folder, adopt a stored seed if resuming an unseeded config; no writes."""
    previous: dict[str, Any] = {}
    if fresh:
        store.check_fresh_target()
        return experiment, previous
    if not store.exists():
        store.check_fresh_target()
        return experiment, previous
    previous = store.read_manifest()
    if not experiment.seed_given and "root_seed" in previous:
        experiment = experiment.with_seed(int(previous["root_seed"]))
    if previous.get("fingerprint") != experiment.fingerprint():
        changed = _differences(store.read_config(), experiment.to_dict()) or ["the sweep points"]
        shown = ", ".join(changed[:6]) + (", ..." if len(changed) > 6 else "")
        raise InputError(
            f"--out {store.root}: holds results of a different config (differs in {shown}); "
            "expected the same config to resume; pass --fresh to clear the folder, "
            "or choose another --out"
        )
    return experiment, previous


def _plan(experiment: Experiment) -> list[RunTask]:
    tasks: list[RunTask] = []
    target = experiment.model
    for point, raw in enumerate(experiment.params):
        resolved = experiment.spec.params.model_validate(raw).model_dump(mode="json")
        tasks.extend(
            RunTask(
                run_id=run_id(
                    target, experiment.steps, experiment.seed, point, replicate, resolved
                ),
                point=point,
                replicate=replicate,
                model=target,
                params=raw,
                steps=experiment.steps,
                root_seed=experiment.seed,
            )
            for replicate in range(experiment.replicates)
        )
    return tasks


class _Progress:
    """A rich progress bar on stderr: runs done, rate, time left; silent off a terminal."""

    def __init__(self, total: int, done: int, label: str, enabled: bool | None) -> None:
        self._bar: Any = None
        if enabled is False:
            return
        from rich.console import Console

        console = Console(stderr=True)
        if enabled is None and not console.is_terminal:
            return
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._bar = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("runs  {task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("elapsed,"),
            TimeRemainingColumn(),
            TextColumn("left"),
            console=console,
            transient=False,
        )
        self._task = self._bar.add_task(label, total=total, completed=done, rate="")
        self._start = time.perf_counter()
        self._count = 0
        self._bar.start()

    def advance(self, failed: int) -> None:
        if self._bar is None:
            return
        self._count += 1
        rate = self._count / max(time.perf_counter() - self._start, 1e-9)
        text = f"{rate:.1f} runs/s" + (f" [red]{failed} failed[/]" if failed else "")
        self._bar.update(self._task, advance=1, rate=text)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


def draw_report(out_dir: Path, warn: Callable[[str], None]) -> None:
    """Draw figures and the HTML report, if the plotting modules are installed.

    A missing ``longgame.plots`` / ``longgame.report`` is skipped silently; any other
    error is passed to ``warn`` and does not fail the run.
    """
    import importlib

    for module_name, function in (
        ("longgame.plots", "plot_results"),
        ("longgame.report", "write_report"),
    ):
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            if exc.name is not None and module_name.startswith(exc.name):
                continue
            warn(f"warning: {module_name} could not be imported: {exc}")
            continue
        try:
            getattr(module, function)(out_dir)
        except Exception as exc:
            warn(f"warning: {module_name}.{function} failed: {type(exc).__name__}: {exc}")


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


def run_experiment(
    config: str | Path | Mapping[str, Any] | Experiment,
    out: str | Path | None = None,
    *,
    overrides: Sequence[str] = (),
    quick: bool = False,
    workers: int | None = None,
    backend: str = "local",
    scheduler: str | None = None,
    fresh: bool = False,
    progress: bool | None = None,
    report: bool = False,
    executor: Executor | None = None,
) -> Results:
    """Run (or resume) an experiment and return its :class:`Results`.

    Args:
        config: a TOML path, a parsed mapping, or an :class:`Experiment` from
            :func:`load_config`.
        out: results folder; default ``results/<experiment.name>``.
        overrides, quick: as for :func:`load_config` (ignored for an ``Experiment``).
        workers: worker processes (default: all cores; 1 runs in this process).
        backend: ``"local"`` or ``"dask"``.
        scheduler: address of a running Dask scheduler (default: a new LocalCluster).
        fresh: clear ``out`` first instead of resuming; without it a folder holding
            another config is refused.
        progress: show a progress bar (default: only when stderr is a terminal).
        report: draw figures and ``report.html`` at the end (see :func:`draw_report`).
        executor: a ready executor (overrides ``workers``, ``backend``, ``scheduler``).

    Returns:
        The opened results. Failed runs are listed in ``Results.failed``; rerunning the
        same call retries them and keeps every finished run.

    Raises:
        InputError: bad config or arguments, or ``out`` holds another experiment;
            nothing is written in that case.
        KeyboardInterrupt: after recording the finished runs, if interrupted.
    """
    experiment = (
        config if isinstance(config, Experiment) else load_config(config, overrides, quick=quick)
    )
    out_dir = Path(out) if out is not None else Path("results") / experiment.name
    store = Store(out_dir)
    if executor is None:
        executor = make_executor(backend, workers, scheduler)
    experiment, previous = _prepare(store, experiment, fresh)
    tasks = _plan(experiment)
    # -- from here on, things are written ------------------------------------------------
    try:
        store.root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"--out {store.root}: cannot create the folder ({exc.strerror or exc}); "
            "expected a path where a results folder can be made"
        ) from None
    with store.lock():
        if fresh:
            store.clear()
        _execute(store, experiment, tasks, previous, executor, progress)
    if report:
        draw_report(store.root, _stderr)
    return load_results(store.root)


def _execute(
    store: Store,
    experiment: Experiment,
    tasks: list[RunTask],
    previous: Mapping[str, Any],
    executor: Executor,
    progress: bool | None,
) -> int:
    """Run the unfinished tasks, stream them to the store; return the number that failed."""
    store.clean_temporaries()
    atomic_write_text(store.config_path, _toml.dumps(experiment.to_dict()))
    finished = store.finished()
    old_records = {r["run_id"]: r for r in previous.get("runs", [])}
    records: dict[str, dict[str, Any]] = {}
    for task in tasks:
        record: dict[str, Any] = {
            "run_id": task.run_id,
            "point": task.point,
            "replicate": task.replicate,
            "status": "pending",
            "seconds": None,
            "finished": None,
            "error": None,
        }
        if task.run_id in finished:
            old = old_records.get(task.run_id, {})
            record.update(status="done", seconds=old.get("seconds"), finished=old.get("finished"))
        records[task.run_id] = record
    manifest: dict[str, Any] = {
        "format": MANIFEST_FORMAT,
        "experiment": experiment.name,
        "model": experiment.model,
        "fingerprint": experiment.fingerprint(),
        "root_seed": experiment.seed,
        "steps": experiment.steps,
        "replicates": experiment.replicates,
        "quick": experiment.quick,
        "created": previous.get("created", now()),
        "updated": now(),
        "status": "running",
        **environment_info(),
        "backend": type(executor).__name__,
        "workers": executor.workers,
        "swept": list(experiment.swept),
        "points": [{"point": i, "values": values} for i, values in enumerate(experiment.points)],
        "runs": list(records.values()),
    }
    store.write_manifest(manifest)
    todo = [t for t in tasks if t.run_id not in finished]
    bar = _Progress(len(tasks), len(tasks) - len(todo), experiment.name, progress)
    failed = 0
    last_write = time.monotonic()
    # nothing to do (a finished experiment): do not start workers or a cluster
    results: Iterator[RunResult] = executor.map_unordered(todo) if todo else iter(())
    try:
        for result in results:
            record = records[result.run_id]
            if result.ok:
                store.write_run(result.run_id, result.files)
                record.update(status="done", error=None, traceback=None)
            else:
                failed += 1
                record.update(status="failed", error=result.error, traceback=result.traceback)
            record.update(seconds=round(result.seconds, 6), finished=now())
            bar.advance(failed)
            if time.monotonic() - last_write > _MANIFEST_INTERVAL:
                manifest["updated"] = now()
                store.write_manifest(manifest)
                last_write = time.monotonic()
    except BaseException as exc:
        bar.close()
        interrupted = isinstance(exc, KeyboardInterrupt)
        manifest.update(status="interrupted" if interrupted else "error", updated=now())
        if not interrupted:
            manifest["error"] = f"{type(exc).__name__}: {exc}"
        store.write_manifest(manifest)
        if not interrupted:
            raise
        done = sum(r["status"] == "done" for r in records.values())
        _stderr(
            f"interrupted: {done} of {len(records)} runs are saved in {store.root}; "
            "run the same command again to resume"
        )
        raise
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()
    bar.close()
    manifest.update(
        status="failed" if failed else "complete", updated=now(), workers=executor.workers
    )
    store.write_manifest(manifest)
    for warning in summary_warnings(store.root, experiment.outputs.get("metrics")):
        _stderr(f"warning: {warning}")
    return failed
