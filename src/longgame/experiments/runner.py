"""Running an experiment: points x replicates through an executor into a results folder.

:func:`run_experiment` resolves the config, prepares the folder (refusing one that holds
a different experiment unless ``fresh``), skips runs already finished there, streams the
others through the executor and writes each at once, keeps ``manifest.json`` up to date,
and finally writes ``summary.parquet``. Where the model's spec has a ``theory`` hook, the
manifest also holds its closed-form values at each point (``points[i]["theory"]``, a
``{name: number}`` object, ``null`` where a value is undefined or infinite): figures
draw theory lines from there, without importing the model.

Reproducibility: run ``(point, replicate)`` gets the id ``run_id(...)`` (a hash of the
model, steps, root seed, point, replicate and the validated parameters) and the seed
``SeedSequence(root_seed, spawn_key=(point, replicate))``, so its output is the same
whichever executor runs it, in whatever order, on however many workers.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from longgame.errors import InputError
from longgame.experiments import _toml
from longgame.experiments.config import Experiment, load_config
from longgame.experiments.executors import Executor, RunResult, RunTask, make_executor
from longgame.experiments.results import Results
from longgame.experiments.store import (
    CONFIG_FILE,
    SUMMARY_FILE,
    Store,
    atomic_write_bytes,
    digest,
    environment_info,
    is_output,
    now,
    unverified_ok,
)
from longgame.experiments.summary import LongRun, import_dependencies, summary_warnings
from longgame.experiments.sweep import flatten

__all__ = ["MANIFEST_FORMAT", "Terminated", "run_experiment", "run_id"]

#: Version of the manifest layout (2: ``files`` lists every written file's checksum).
MANIFEST_FORMAT = 2
#: Exit status after SIGTERM (128 + 15, as a shell reports it).
SIGTERM_EXIT = 143


class Terminated(SystemExit):
    """SIGTERM arrived during a run: raised like Ctrl-C's KeyboardInterrupt, after the
    finished runs are recorded; it exits the process with status 143 (no traceback)."""


@contextlib.contextmanager
def _sigterm_stops() -> Iterator[None]:
    """While writing, turn SIGTERM into :class:`Terminated` (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM: finish cleanly
        raise Terminated(SIGTERM_EXIT)

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


#: Seconds between manifest rewrites while runs stream in.
_MANIFEST_INTERVAL = 2.0

#: Seconds without a first result after which the runner says what may be slow on a
#: machine's first run (the model spec's ``first_run``).
_FIRST_RUN_WAIT = 5.0


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
    """Check the folder, adopt a stored seed if resuming an unseeded config; no writes.

    Returns the experiment and the folder's manifest (``{}`` for a new folder).
    """
    previous: dict[str, Any] = store.read_manifest() if store.exists() else {}
    store.check_target(previous)  # files longgame did not write: refuse, never touch
    if fresh or not previous:
        return experiment, previous
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


def _command(experiment: Experiment, out: Path) -> list[str] | None:
    """The ``longgame run`` command that resumes (and so repairs) this experiment."""
    if experiment.source == "<config>":
        return None
    return (
        ["longgame", "run", experiment.source, "--out", str(out)]
        + [part for o in experiment.overrides for part in ("--set", o)]
        + (["--quick"] if experiment.quick else [])
    )


def _plan(experiment: Experiment) -> list[RunTask]:
    tasks: list[RunTask] = []
    target = experiment.model
    # the summary's settings, as it reads them from the stored config: each run's
    # long-run values are computed where the run is made
    wanted = experiment.outputs.get("metrics")
    long_run = (
        float(experiment.outputs.get("long_run_window", 0.2)),
        tuple(wanted) if wanted is not None else None,
    )
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
                long_run=long_run,
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

    def say(self, message: str) -> None:
        """A line on stderr, above the bar when there is one."""
        if self._bar is None:
            _stderr(message)
        else:
            self._bar.console.print(message, markup=False, highlight=False)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


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
    outputs: Callable[[Path], None] | None = None,
    executor: Executor | None = None,
) -> Results:
    """Run (or resume) an experiment and return its :class:`Results`.

    Args:
        config: a TOML path, a parsed mapping, or an :class:`Experiment` from
            :func:`load_config`.
        out: results folder; default ``results/<experiment.name>``.
        overrides: as for :func:`load_config` (ignored for an ``Experiment``).
        quick: as for :func:`load_config` (ignored for an ``Experiment``).
        workers: worker processes (default: all cores; 1 runs in this process).
        backend: ``"local"`` or ``"dask"``.
        scheduler: address of a running Dask scheduler (default: a new LocalCluster).
        fresh: clear ``out`` first instead of resuming; without it a folder holding
            another config is refused.
        progress: show a progress bar (default: only when stderr is a terminal).
        outputs: called with the results folder once the runs are done, under the
            folder's lock while the manifest marks outputs as pending: ``longgame run``
            draws the figures and ``report.html`` here (the runner itself draws nothing;
            from Python, call ``longgame.plots.plot_results`` and
            ``longgame.report.write_report`` on the folder).
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
    with store.lock(), _sigterm_stops():
        # checked again under the lock: another process may have written meanwhile
        experiment, previous = _prepare(store, experiment, fresh)
        if fresh:
            store.clear(previous)
            previous = {}
        manifest = _execute(store, experiment, tasks, previous, executor, progress)
        if outputs is not None:
            try:
                with store.drawing():
                    outputs(store.root)
            except Terminated:
                _stderr(
                    f"terminated (SIGTERM) while drawing the report: every run is saved in "
                    f"{store.root}; `longgame report {store.root}` draws it again"
                )
                raise
            manifest = store.read_manifest()
    return Results(
        path=store.root,
        config=store.read_config(),
        manifest=manifest,
        swept=list(manifest.get("swept", [])),
    )


def _verify_finished(
    store: Store, tasks: list[RunTask], previous: Mapping[str, Any]
) -> tuple[set[str], dict[str, Any]]:
    """Finished runs whose files are whole, and the manifest records of their files.

    A run listed in the manifest must match its checksums; a run written just before a
    kill (not listed yet) must read back whole and carry its own id. A damaged or
    missing run is deleted and reported, so that it runs again.
    """
    finished = store.finished()
    listed: dict[str, Any] = dict(previous.get("files") or {})
    legacy = bool(previous) and previous.get("files") is None
    done_before = {r.get("run_id") for r in previous.get("runs", []) if r.get("status") == "done"}
    verified: set[str] = set()
    records: dict[str, Any] = {}
    from longgame.experiments.store import file_digest

    for task in tasks:
        files = store.run_files(task.run_id)
        metrics = store.relative(store.run_path(task.run_id))
        problem = None
        found: dict[str, Any] = {}
        if task.run_id not in finished:
            if task.run_id in done_before and not legacy:
                problem = f"{metrics} is missing"
        else:
            for path in files:
                rel = store.relative(path)
                try:
                    found[rel] = file_digest(path)
                except OSError as exc:
                    problem = f"{rel} cannot be read ({exc.strerror or exc})"
                    break
                record = listed.get(rel)
                if isinstance(record, dict):
                    if record.get("sha256") != found[rel]["sha256"]:
                        problem = f"{rel} is damaged (its checksum differs from the manifest's)"
                        break
                elif not unverified_ok(path, task.run_id):
                    problem = f"{rel} is damaged (unreadable, or another run's file)"
                    break
            if problem is None:
                missing = [
                    rel
                    for rel in listed
                    if rel.startswith(f"runs/{task.run_id}.") and rel not in found
                ]
                if missing:
                    problem = f"{missing[0]} is missing"
        if problem is not None:
            _stderr(f"run {task.run_id}: {problem}; running it again")
            for path in files:
                path.unlink(missing_ok=True)
            continue
        if task.run_id in finished:
            verified.add(task.run_id)
            records.update(found)
    return verified, records


def _points(experiment: Experiment) -> list[dict[str, Any]]:
    """The manifest's ``points``: each point's swept values, and the model's theory
    values there when its spec has a ``theory`` hook."""
    points: list[dict[str, Any]] = []
    theory = experiment.spec.theory
    for i, values in enumerate(experiment.points):
        entry: dict[str, Any] = {"point": i, "values": values}
        if theory is not None and i < len(experiment.params):
            try:
                found = theory(experiment.spec.params.model_validate(experiment.params[i]))
            except ValueError:  # undefined for these parameters: no values stored
                found = None
            if found is not None:
                entry["theory"] = {
                    str(k): float(v) if math.isfinite(float(v)) else None for k, v in found.items()
                }
        points.append(entry)
    return points


def _execute(
    store: Store,
    experiment: Experiment,
    tasks: list[RunTask],
    previous: Mapping[str, Any],
    executor: Executor,
    progress: bool | None,
) -> dict[str, Any]:
    """Run the unfinished tasks, stream them to the store; return the final manifest."""
    store.clean_temporaries()
    config_bytes = _toml.dumps(experiment.to_dict()).encode("utf-8")
    finished, files = _verify_finished(store, tasks, previous)
    todo = [t for t in tasks if t.run_id not in finished]
    start = getattr(executor, "start", None)
    if todo and start is not None:
        # workers start (and import the model) while the manifest is prepared below;
        # nothing to do (a finished experiment): no workers or cluster are started
        start(experiment.model, len(todo))
    try:
        return _stream(store, experiment, tasks, todo, finished, files, previous, executor,
                       progress, config_bytes)  # fmt: skip
    finally:
        stop = getattr(executor, "stop", None)
        if stop is not None:
            stop()


def _stream(
    store: Store,
    experiment: Experiment,
    tasks: list[RunTask],
    todo: list[RunTask],
    finished: set[str],
    files: dict[str, Any],
    previous: Mapping[str, Any],
    executor: Executor,
    progress: bool | None,
    config_bytes: bytes,
) -> dict[str, Any]:
    """Write the manifest, run ``todo`` and stream each result to the store."""
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
        "quick_settings": experiment.quick_used,
        "created": previous.get("created", now()),
        "updated": now(),
        "status": "running",
        **environment_info(),
        "backend": type(executor).__name__,
        "workers": executor.workers,
        "command": _command(experiment, store.root),
        "swept": list(experiment.swept),
        "points": _points(experiment),
        "runs": list(records.values()),
        "files": files,
        "outputs_pending": bool(previous.get("outputs_pending")),
    }
    # outputs drawn before stay listed (they are longgame's until drawn again)
    for rel, record in (previous.get("files") or {}).items():
        if is_output(rel):
            files.setdefault(rel, record)
    # the manifest first: a kill between the two writes leaves a folder that resumes
    store.write_manifest(manifest)
    atomic_write_bytes(store.config_path, config_bytes)
    files[CONFIG_FILE] = digest(config_bytes)  # listed from the next manifest write on
    if len(todo) < len(tasks):  # a rerun: say what it reuses before the bar starts
        _stderr(
            f"{experiment.name}: resuming in {store.root}: {len(tasks) - len(todo)} of "
            f"{len(tasks)} runs reused (finished before), {len(todo)} to run now"
        )
    bar = _Progress(len(tasks), len(tasks) - len(todo), experiment.name, progress)
    failed = 0
    known: dict[str, LongRun] = {}  # long-run values of this session's runs, by run id
    last_write = time.monotonic()
    if todo:  # while workers start (in other processes), not after the last run
        import_dependencies()
    results: Iterator[RunResult] = executor.map_unordered(todo) if todo else iter(())
    waiting = _first_run_notice(experiment, bar) if todo else None
    try:
        for result in results:
            if waiting is not None:
                waiting.cancel()
                waiting = None
            record = records[result.run_id]
            if result.ok:
                files.update(store.write_run(result.run_id, result.files))
                if result.long_run is not None:
                    known[result.run_id] = result.long_run
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
        bar.close()
        manifest.update(
            status="failed" if failed else "complete", updated=now(), workers=executor.workers
        )
        files.pop(SUMMARY_FILE, None)  # rebuilt below from the verified runs
        store.write_manifest(manifest)
        for warning in summary_warnings(store.root, experiment.outputs.get("metrics"), known):
            _stderr(f"warning: {warning}")
        files[SUMMARY_FILE] = digest(store.summary_path.read_bytes())
        store.write_manifest(manifest)
    except BaseException as exc:
        bar.close()
        interrupted = isinstance(exc, KeyboardInterrupt | Terminated)
        manifest.update(status="interrupted" if interrupted else "error", updated=now())
        if not interrupted:
            manifest["error"] = f"{type(exc).__name__}: {exc}"
        with contextlib.suppress(OSError):  # a full disk: the last manifest written stands
            store.write_manifest(manifest)
        if not interrupted:
            raise
        done = sum(r["status"] == "done" for r in records.values())
        how = "terminated (SIGTERM)" if isinstance(exc, Terminated) else "interrupted"
        _stderr(
            f"{how}: {done} of {len(records)} runs are saved in {store.root}; "
            "run the same command again to resume"
        )
        raise
    finally:
        if waiting is not None:
            waiting.cancel()
        close = getattr(results, "close", None)
        if close is not None:
            close()
    return manifest


def _first_run_notice(experiment: Experiment, bar: _Progress) -> threading.Timer | None:
    """A timer that says what may make a machine's first run slow (the model spec's
    ``first_run``) if no result has come within :data:`_FIRST_RUN_WAIT` seconds; the
    caller cancels it at the first result. None when the model has nothing to say."""
    from longgame.models._spec import get_model

    note = get_model(experiment.model).first_run
    if not note:
        return None
    timer = threading.Timer(
        _FIRST_RUN_WAIT, bar.say, (f"{experiment.name}: waiting for the first run; {note}",)
    )
    timer.daemon = True
    timer.start()
    return timer
