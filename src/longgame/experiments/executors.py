"""Where runs execute: in this process, in local worker processes, or on Dask.

Every executor takes an iterable of :class:`RunTask` and yields a :class:`RunResult` as
each run finishes (in completion order). The run itself, :func:`execute_run`, is the same
function everywhere: it validates the parameters, seeds a Generator from
``SeedSequence(root_seed, spawn_key=(point, replicate))``, simulates, checks the output
and serialises it to Parquet bytes. The parent writes those bytes to disk at once, so it
never holds more than the runs in flight, and results do not depend on the executor or
the worker count.

A run that raises is reported as a failed :class:`RunResult` carrying the traceback; it
does not stop the others.

Only a bounded number of runs is in flight at any time (a few per worker), so a sweep
of a million runs does not queue a million futures, and Ctrl-C stops quickly.
"""

from __future__ import annotations

import io
import json
import os
import signal
import time
import traceback
from collections.abc import Iterable, Iterator, Sequence, Sized
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Protocol

from longgame.errors import InputError

__all__ = [
    "DaskExecutor",
    "Executor",
    "ProcessExecutor",
    "RunResult",
    "RunTask",
    "SerialExecutor",
    "batch_size",
    "execute_batch",
    "execute_run",
    "make_executor",
    "run_seed",
]


@dataclass(frozen=True)
class RunTask:
    """Everything a worker needs for one run (small and picklable)."""

    run_id: str
    point: int
    replicate: int
    model: str
    params: dict[str, Any]
    steps: int
    root_seed: int
    #: the summary's long-run window and metric names (``None``: all): the run's
    #: long-run values are computed with it, from the table in hand (``None``: not)
    long_run: tuple[float, tuple[str, ...] | None] | None = None


@dataclass(frozen=True)
class RunResult:
    """A finished run: its Parquet files (``""`` = metrics) or its error."""

    run_id: str
    point: int
    replicate: int
    ok: bool
    seconds: float
    files: dict[str, bytes] = field(default_factory=dict)
    error: str | None = None
    traceback: str | None = None
    #: the run's long-run values (:class:`~longgame.experiments.summary.LongRun`) when
    #: the task asked for them
    long_run: Any = None


def run_seed(root_seed: int, point: int, replicate: int) -> Any:
    """The run's ``SeedSequence(root_seed, spawn_key=(point, replicate))``."""
    import numpy as np

    return np.random.SeedSequence(root_seed, spawn_key=(point, replicate))


def _to_parquet(frame: Any, metadata: dict[str, str]) -> bytes:
    """Parquet bytes of a DataFrame or pyarrow Table, with ``metadata`` in its schema."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = (
        frame if isinstance(frame, pa.Table) else pa.Table.from_pandas(frame, preserve_index=False)
    )
    merged = dict(table.schema.metadata or {})
    merged.update({k.encode(): v.encode() for k, v in metadata.items()})
    table = table.replace_schema_metadata(merged)
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def _check_metrics(frame: Any) -> Any:
    """The model's metrics as a pyarrow Table with typed columns step, group, metric, value
    first (then any extra columns), or an error saying what is wrong."""
    import pandas as pd
    import pyarrow as pa

    from longgame.models._spec import METRIC_COLUMNS

    if not isinstance(frame, pd.DataFrame):
        raise TypeError(
            f"model returned metrics of type {type(frame).__name__}; expected a DataFrame"
        )
    missing = [c for c in METRIC_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(
            f"model metrics lack columns {missing}; expected columns {list(METRIC_COLUMNS)}"
        )
    columns = {
        "step": pa.array(frame["step"].to_numpy(dtype="int64")),
        "group": pa.array(frame["group"].astype(str), type=pa.string()),
        "metric": pa.array(frame["metric"].astype(str), type=pa.string()),
        "value": pa.array(frame["value"].to_numpy(dtype="float64")),
    }
    for name in frame.columns:
        if name not in METRIC_COLUMNS:
            columns[str(name)] = pa.Array.from_pandas(frame[name])
    return pa.table(columns)


def execute_run(task: RunTask) -> RunResult:
    """Run one simulation and return its serialised output (never raises for model errors)."""
    import numpy as np

    from longgame.models._spec import get_model

    start = time.perf_counter()
    try:
        spec = get_model(task.model)
        params = spec.params.model_validate(task.params)
        rng = np.random.default_rng(run_seed(task.root_seed, task.point, task.replicate))
        output = spec.simulate(params, task.steps, rng)
        metadata = {
            "longgame.run_id": task.run_id,
            "longgame.model": task.model,
            "longgame.point": str(task.point),
            "longgame.replicate": str(task.replicate),
            "longgame.root_seed": str(task.root_seed),
            "longgame.spawn_key": json.dumps([task.point, task.replicate]),
            "longgame.steps": str(task.steps),
            "longgame.params": json.dumps(params.model_dump(mode="json"), sort_keys=True),
        }
        table = _check_metrics(output.metrics)
        files = {"": _to_parquet(table, metadata)}
        long_run = None
        if task.long_run is not None:
            from longgame.experiments.summary import LongRun, run_long_run

            values, seen = run_long_run(table, *task.long_run)
            long_run = LongRun(settings=task.long_run, values=values, metrics=seen)
        for name, table in output.tables.items():
            if not name or not name.replace("_", "").replace("-", "").isalnum():
                raise ValueError(f"model table name {name!r}; expected letters, digits, _ or -")
            files[name] = _to_parquet(table.reset_index(drop=True), metadata)
    except Exception as exc:  # a failing run is recorded and the sweep goes on
        return RunResult(
            run_id=task.run_id,
            point=task.point,
            replicate=task.replicate,
            ok=False,
            seconds=time.perf_counter() - start,
            error=f"{type(exc).__name__}: {exc}".splitlines()[0][:500],
            traceback=traceback.format_exc(),
        )
    return RunResult(
        run_id=task.run_id,
        point=task.point,
        replicate=task.replicate,
        ok=True,
        seconds=time.perf_counter() - start,
        files=files,
        long_run=long_run,
    )


class Executor(Protocol):
    """Runs tasks and yields results as they finish."""

    #: Worker count (for the manifest and the progress line).
    workers: int

    def map_unordered(self, tasks: Iterable[RunTask]) -> Iterator[RunResult]:
        """Yield one result per task, in completion order."""
        ...  # pragma: no cover


class SerialExecutor:
    """Runs everything in this process, one run after another."""

    workers = 1

    def map_unordered(self, tasks: Iterable[RunTask]) -> Iterator[RunResult]:
        """Yield results in task order."""
        for task in tasks:
            yield execute_run(task)


def _exit_with_parent() -> None:
    """Exit this worker as soon as the process that started it is gone.

    A parent killed with SIGKILL cannot stop its workers; without this they would live
    on, blocked on a queue nobody feeds. A thread waits on the parent's sentinel
    (:func:`multiprocessing.parent_process`), which multiprocessing makes ready when the
    parent ends, whether the worker was spawned or forked by a fork server (whose
    workers are the server's children, so their ``os.getppid()`` is not the parent).
    """
    import multiprocessing
    import threading

    parent = multiprocessing.parent_process()
    if parent is None:  # not a multiprocessing child: nothing to follow
        return

    def watch() -> None:
        parent.join()
        os._exit(1)

    threading.Thread(target=watch, name="longgame-parent-watch", daemon=True).start()


def _worker_init() -> None:
    # Ctrl-C reaches the whole process group; only the parent should handle it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent()


def _preload(model: str) -> None:
    """In a worker: import the model's spec and the modules its runs import lazily
    (:attr:`~longgame.models.ModelSpec.preload`); errors are left to the first run.

    In a worker forked from a fork server (:func:`_context`) most of these are imported
    already, and this costs next to nothing.
    """
    import importlib

    from longgame.models._spec import get_model

    try:
        importlib.import_module("pyarrow.parquet")  # every run is written as Parquet
        for module in get_model(model).preload:
            importlib.import_module(module)
    except Exception:  # the runs themselves report what is wrong
        return


#: Modules every worker imports whatever the model: the runs' own code and Parquet.
_COMMON_PRELOAD = ("longgame.experiments.executors", "pyarrow.parquet")

#: Contexts of longgame's fork servers in this process, by the modules they import
#: (see :func:`_context`).
_CONTEXTS: dict[tuple[str, ...], Any] = {}


def _server_preload(model: str | None) -> tuple[str, ...]:
    """What a fork server for ``model``'s runs imports: the common modules, the model
    spec's module and ``preload`` where they are longgame's own.

    Other packages' modules are left to each worker (:func:`_preload`): the server
    survives only import errors, and imports a module once per Python session.
    """
    modules = list(_COMMON_PRELOAD)
    if model is not None:
        try:
            from longgame.models._spec import get_model

            spec = get_model(model)
        except Exception:  # the runs themselves report what is wrong
            return tuple(modules)
        candidates = [getattr(spec.simulate, "__module__", ""), *spec.preload]
        modules += [m for m in candidates if m.startswith("longgame.") and m not in modules]
    return tuple(modules)


def _fork_server_here() -> bool:
    """Whether workers fork from a fork server on this platform: on Linux only.

    On macOS, forking a process that loaded the system's frameworks (as numpy's
    Accelerate may) is unsafe, which is why spawn is Python's default there; Windows
    has no fork.
    """
    import sys

    return sys.platform.startswith("linux")


def _context(model: str | None) -> Any:
    """The multiprocessing context for ``model``'s workers.

    On Linux, workers fork from a server that
    imported the model's modules once and, for the market, loaded its compiled kernels:
    a worker's first run starts within milliseconds instead of after a second or two of
    imports, and the server is reused by every later sweep of this process. Elsewhere
    (macOS, Windows) workers are spawned and import the model themselves (:func:`_preload`).
    Either way the context is longgame's own: the global start method and the global
    fork server are left alone.
    """
    import multiprocessing

    if not _fork_server_here():
        return multiprocessing.get_context("spawn")
    from longgame.experiments import _forkserver

    preload = _server_preload(model)
    if preload not in _CONTEXTS:
        _CONTEXTS[preload] = _forkserver.WorkerContext(preload)
    return _CONTEXTS[preload]


class _Launch:
    """Submissions to a pool made from a thread (each starts one worker process while none
    is idle); :meth:`join` waits for them and keeps the error that stopped them."""

    def __init__(self, pool: Any, calls: list[tuple[Any, str]]) -> None:
        import threading

        self.error: BaseException | None = None

        def submit_all() -> None:
            try:
                for function, argument in calls:
                    pool.submit(function, argument)
            except BaseException as exc:  # raised in the caller's thread by map_unordered
                self.error = exc

        self._thread = threading.Thread(target=submit_all, name="longgame-workers-start")
        self._thread.daemon = True
        self._thread.start()

    def join(self) -> None:
        """Wait until every submission is made (or failed)."""
        self._thread.join()


class ProcessExecutor:
    """Local worker processes (``concurrent.futures``), forked from longgame's own fork
    server where the platform has one (Linux), spawned elsewhere (:func:`_context`).

    The context is created locally, never set globally, so importing longgame does not
    change how anyone else's multiprocessing behaves.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        #: the pool started ahead by :meth:`start`, its size, and the thread starting it
        self._started: tuple[Any, int, _Launch] | None = None
        #: the model whose modules the workers import (known from :meth:`start` or the
        #: first task)
        self._model: str | None = None
        #: worker processes told to end after the last result, joined by :meth:`stop`
        self._ending: list[Any] = []

    def start(self, model: str, runs: int) -> None:
        """Start the worker processes now, each importing ``model``'s modules.

        A spawned worker spends about a second importing the model before its first
        run (a forked one next to nothing, once its fork server has imported it); the
        runner calls this as soon as it knows there is work, so that the workers start
        while it prepares the results folder (the manifest, the theory values).
        :meth:`map_unordered` then uses these workers; :meth:`stop` ends them if it
        never runs.
        """
        self.stop()
        self._model = model
        size = max(1, min(self.workers, runs))
        pool = self._pool(size)
        # A forked worker starts once its fork server has imported the model (a second
        # or two, the first time in this process): started from a thread, the caller
        # goes on meanwhile, as it does while spawned workers import
        launch = _Launch(pool, [(_preload, model)] * size)
        self._started = (pool, size, launch)

    def stop(self) -> None:
        """End workers started by :meth:`start` that :meth:`map_unordered` did not use,
        and wait for those it told to end."""
        if self._started is not None:
            pool, _, launch = self._started
            self._started = None
            launch.join()
            pool.shutdown(wait=False, cancel_futures=True)
        ending, self._ending = self._ending, []
        for process in ending:
            process.join()

    def _pool(self, size: int) -> Any:
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(
            max_workers=size, mp_context=_context(self._model), initializer=_worker_init
        )

    def map_unordered(self, tasks: Iterable[RunTask]) -> Iterator[RunResult]:
        """Yield results as workers finish them.

        If a worker process dies (killed, out of memory, crashed), the runs it may have
        been running are reported as failed and a new pool carries on with the rest.
        """
        from concurrent.futures import FIRST_COMPLETED, Future, wait
        from concurrent.futures.process import BrokenProcessPool

        if self._started is not None:
            (pool, size, launch), self._started = self._started, None
            launch.join()
            if launch.error is not None:
                pool.shutdown(wait=False, cancel_futures=True)
                raise launch.error
        else:
            size = min(self.workers, len(tasks)) if isinstance(tasks, Sized) else self.workers
            if isinstance(tasks, Sequence) and tasks:
                self._model = tasks[0].model
            pool = self._pool(max(size, 1))
        window = 4 * self.workers
        pending: dict[Future[RunResult], RunTask] = {}
        source = iter(tasks)
        interrupted = True

        def submit() -> bool:
            task = next(source, None)
            if task is None:
                return False
            pending[pool.submit(execute_run, task)] = task
            return True

        try:
            while len(pending) < window and submit():
                pass
            while pending:
                done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
                for future in done:
                    task = pending.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        result = RunResult(
                            run_id=task.run_id,
                            point=task.point,
                            replicate=task.replicate,
                            ok=False,
                            seconds=0.0,
                            error="a worker process died (killed, out of memory or crashed) "
                            "while this run was in flight",
                        )
                    yield result
                if getattr(pool, "_broken", False):
                    if pending:
                        continue  # the broken pool's other futures fail at once: drain them
                    pool.shutdown(wait=False)
                    pool = self._pool(max(size, 1))
                while len(pending) < window and submit():
                    pass
            interrupted = False
        finally:
            if interrupted:
                # stop now: drop queued runs and end the workers busy on unfinished ones
                for process in list((getattr(pool, "_processes", None) or {}).values()):
                    process.terminate()
                pool.shutdown(wait=False, cancel_futures=True)
            else:
                # the workers end (their interpreters tear down) while the caller goes
                # on with the results; :meth:`stop` waits for them
                self._ending = list((getattr(pool, "_processes", None) or {}).values())
                pool.shutdown(wait=False)


class DaskExecutor:
    """Dask distributed: an existing scheduler (``address``) or a fresh LocalCluster.

    Workers return the Parquet bytes to this process, which writes them, so the cluster
    needs no shared file system. The worker processes must be able to import the model
    (for a ``"package.module:SPEC"`` model, its package must be installed there).
    """

    def __init__(self, workers: int, address: str | None = None, timeout: float = 10.0) -> None:
        self.workers = workers
        self.address = address
        #: Seconds to wait for the scheduler at ``address`` to answer.
        self.timeout = timeout

    def _connect(self) -> Any:
        """A Client of the scheduler at ``address``, or :class:`InputError` saying why not."""
        import importlib

        distributed: Any = importlib.import_module("distributed")
        try:
            distributed.comm.get_address_host_port(self.address)
        except ValueError as exc:
            raise InputError(
                f"--scheduler {self.address!r} is not a scheduler address ({exc}); "
                "expected scheme://host:port, e.g. tcp://127.0.0.1:8786"
            ) from None
        try:
            return distributed.Client(self.address, timeout=self.timeout)
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError(
                f"--scheduler {self.address!r}: cannot connect ({type(exc).__name__}: "
                f"{exc}); expected the address of a running Dask scheduler, "
                "e.g. tcp://127.0.0.1:8786"
            ) from None

    def check(self) -> None:
        """Connect once to the scheduler (if any) and count its worker threads.

        Called before anything is written, so an unreachable or malformed address is
        reported as bad input without leaving a half-made results folder behind.
        """
        if self.address is None:
            return
        client = self._connect()
        try:
            self.workers = max(1, sum(client.nthreads().values()))
        finally:
            client.close()

    def map_unordered(self, tasks: Iterable[RunTask]) -> Iterator[RunResult]:
        """Yield results as the cluster finishes them.

        Small runs travel in batches (:func:`execute_batch`): each Dask task costs a few
        milliseconds of scheduling and transfer, more than a small run itself, so the
        batch size follows the runs' measured duration (:func:`batch_size`). Each run
        is still :func:`execute_run` with its own seed, so results do not change.
        """
        import importlib
        import logging

        distributed: Any = importlib.import_module("distributed")
        Client, LocalCluster = distributed.Client, distributed.LocalCluster
        as_completed = distributed.as_completed

        cluster = None
        if self.address is None:
            size = min(self.workers, len(tasks)) if isinstance(tasks, Sized) else self.workers
            cluster = LocalCluster(
                n_workers=max(size, 1),
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            client = Client(cluster)
        else:
            client = self._connect()
        try:
            if self.address is not None:
                self.workers = max(1, sum(client.nthreads().values()))
            window = 4 * self.workers
            source = iter(tasks)
            queue = as_completed()
            done_runs, done_seconds = 0, 0.0

            def submit() -> bool:
                batch = list(islice(source, batch_size(done_runs, done_seconds)))
                if not batch:
                    return False
                key = f"longgame-runs-{batch[0].run_id}-{len(batch)}"
                queue.add(client.submit(execute_batch, batch, key=key, pure=False))
                return True

            while queue.count() < window and submit():
                pass
            for future in queue:
                results: list[RunResult] = future.result()
                future.release()
                for result in results:
                    done_runs += 1
                    done_seconds += result.seconds
                    yield result
                submit()
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


#: Seconds of work a Dask task aims at when runs are small (a task costs milliseconds).
BATCH_SECONDS = 0.2
#: Most runs in one Dask task.
MAX_BATCH = 64


def batch_size(done: int, seconds: float) -> int:
    """Runs per Dask task after ``done`` runs took ``seconds`` in all: one until some
    have finished, then as many as fill :data:`BATCH_SECONDS` (1 to :data:`MAX_BATCH`).

    >>> batch_size(0, 0.0), batch_size(10, 0.02), batch_size(10, 20.0)
    (1, 64, 1)
    """
    if done == 0:
        return 1
    mean = seconds / done
    return max(1, min(MAX_BATCH, int(BATCH_SECONDS / max(mean, 1e-6))))


def execute_batch(tasks: list[RunTask]) -> list[RunResult]:
    """:func:`execute_run` for each task, in order (one Dask task for several small runs)."""
    return [execute_run(task) for task in tasks]


def available_cores() -> int:
    """Cores this process may use (its CPU affinity where the OS reports it)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def make_executor(backend: str, workers: int | None, scheduler: str | None) -> Executor:
    """Choose an executor; ``workers=None`` means all cores. Raises :class:`InputError`."""
    problems = []
    if backend not in ("local", "dask"):
        problems.append(f"--backend {backend!r} is not a backend; expected 'local' or 'dask'")
    if workers is not None and workers < 1:
        problems.append(f"--workers {workers} is out of range; expected an integer >= 1")
    if scheduler is not None and backend != "dask":
        problems.append(f"--scheduler {scheduler!r} needs --backend dask")
    if problems:
        raise InputError(*problems)
    count = workers if workers is not None else available_cores()
    if backend == "dask":
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise InputError(
                "--backend dask needs dask[distributed], which is not installed; "
                "install it with: pip install 'longgame[dask]'"
            ) from None
        executor = DaskExecutor(count, scheduler)
        executor.check()
        return executor
    if count == 1:
        return SerialExecutor()
    return ProcessExecutor(count)
