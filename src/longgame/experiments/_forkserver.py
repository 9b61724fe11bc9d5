"""Worker processes forked from a fork server of longgame's own (Linux only).

A spawned worker starts a fresh interpreter and imports the model (numpy, pandas,
pyarrow, Mesa, numba, the market's compiled kernels): a second or two before its first
run, every sweep, in every worker. A fork server imports them once; each worker is then
forked from it, warm, in milliseconds, and the server serves every later sweep of this
Python process.

``multiprocessing.get_context("forkserver")`` shares one server and one preload list
with all code in the process: setting its preload would change what other code's
processes import. :class:`WorkerContext` instead runs a private
:class:`multiprocessing.forkserver.ForkServer` per list of modules. Its processes are
launched by the standard library's own ``popen_forkserver.Popen._launch``, whose
``forkserver`` name is pointed at the private server (:func:`_launcher`); everything
else (the server's main loop, the child's start, file descriptors handed over) is the
standard library's forkserver, unchanged.

Fork safety: the server forks after importing only (and, for the market, a tiny
simulation that loads the compiled kernels); none of these start threads of their own
that a fork would lose, save the allocator thread of Arrow's bundled jemalloc, which
handles ``fork`` itself (its ``pthread_atfork`` hooks).

This module imports :mod:`multiprocessing.popen_forkserver`, which cannot be imported
where file descriptors cannot be passed between processes (Windows): the executors
import it only on Linux.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import types
from collections.abc import Callable
from multiprocessing import context, forkserver, popen_forkserver
from typing import Any

__all__ = ["WorkerContext", "WorkerProcess"]

#: One launch function (bound to one private fork server) per tuple of preloaded modules.
_LAUNCHERS: dict[tuple[str, ...], Callable[[Any, Any], None]] = {}


def _launcher(preload: tuple[str, ...]) -> Callable[[Any, Any], None]:
    """``Popen._launch`` of the standard library, connecting to the private fork server
    that imports ``preload`` (started at the first launch, alive until this process ends).
    """
    if preload not in _LAUNCHERS:
        server = forkserver.ForkServer()
        server.set_forkserver_preload(list(preload))
        atexit.register(_end, server)
        routed = types.SimpleNamespace(**vars(forkserver))
        routed.connect_to_new_process = server.connect_to_new_process
        standard: Any = popen_forkserver.Popen._launch  # type: ignore[attr-defined]
        _LAUNCHERS[preload] = types.FunctionType(
            standard.__code__,
            {**vars(popen_forkserver), "forkserver": routed},
            standard.__name__,
            standard.__defaults__,
            standard.__closure__,
        )
    return _LAUNCHERS[preload]


def _end(server: forkserver.ForkServer) -> None:
    """At this process's exit (its worker pools already shut down): end ``server`` at
    once. Left to itself, a server ends when its parent has gone, after tearing down an
    interpreter holding numpy, pandas, pyarrow, Mesa and numba (about 0.4 s), and all
    that while it holds the standard output and error it inherited, so that a caller
    reading them (``subprocess.run(..., capture_output=True)``, ``$(longgame run ...)``,
    a CI log) would wait for it after ``longgame run`` has exited. The server writes
    nothing and its workers have ended: there is nothing for it to clean up."""
    pid = server._forkserver_pid  # type: ignore[attr-defined]
    if pid is None:  # never started
        return
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    server._stop()  # type: ignore[attr-defined]  # reaps it, closes its pipe and socket


class _Popen(popen_forkserver.Popen):
    """The standard forkserver ``Popen``, launched by the process's own server."""

    def _launch(self, process_obj: WorkerProcess) -> None:
        _launcher(process_obj.preload)(self, process_obj)


class WorkerProcess(context.ForkServerProcess):
    """A process forked from the fork server that imported :attr:`preload`."""

    def __init__(self, *args: Any, preload: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: modules the fork server imported (names the server)
        self.preload = preload

    @staticmethod
    def _Popen(process_obj: Any) -> Any:  # noqa: N802 (multiprocessing's name)
        return _Popen(process_obj)


class WorkerContext(context.ForkServerContext):
    """A forkserver context whose processes fork from a private server that imported
    ``preload`` once (for ``concurrent.futures.ProcessPoolExecutor(mp_context=...)``)."""

    def __init__(self, preload: tuple[str, ...]) -> None:
        self.preload = preload

    def Process(self, *args: Any, **kwargs: Any) -> WorkerProcess:  # type: ignore[override]  # noqa: N802
        """A new (not yet started) worker process."""
        return WorkerProcess(*args, preload=self.preload, **kwargs)
