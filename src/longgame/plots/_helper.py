"""Writing the figure files in two processes when a core is free.

Rendering dominates the drawing after a run: each chart is rasterised as a PNG for
``figures/`` and written as SVG with the layout of that first rendering
(:func:`~longgame.plots.save_chart`; the report embeds the same PNG files: nothing is
drawn twice). So a chart's files depend only on the chart, whichever process writes
them, and they are the files ``longgame plot`` writes.

With a second core, :class:`RenderHelper` starts a spawned process early (its imports
overlap the loading of the results). Each chart is sent to it (pickled) as soon as it
is drawn; the helper writes the files of the charts not yet taken, the last one first,
while this process draws the rest and then writes the charts left, the first first.
Shared flags record who took which chart. Who writes which chart depends on timing, the
bytes do not. Anything that goes wrong there (it cannot start, dies, or raises) leaves
the rest of the work to this process.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

    from longgame.plots._chart import Chart

__all__ = ["RenderHelper", "Renders", "spare_core"]

#: Charts the helper may write (the flags shared with it); any beyond are written here.
_SHARED = 256

#: Seconds to wait for the lock on the shared flags; it is held for microseconds, so a
#: longer wait means the helper died holding it.
_LOCK_WAIT = 10.0


def spare_core() -> bool:
    """Whether a second process could render alongside this one: it may run on two
    cores or more (its CPU affinity where the platform has one) and the load average of
    the last minute leaves one of them idle (on a busy machine a helper only adds its
    start-up to the work)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # not on this platform
        load = 0.0
    return cores >= 2 and load <= cores - 0.5


def _save(copy: bytes, name: str, folder: str) -> None:
    """Write the PNG and SVG files of a chart from its copy (:func:`pickle.dumps` of its
    figure, not rendered yet)."""
    from longgame.plots import save_chart
    from longgame.plots._chart import Chart

    save_chart(Chart(name, "", "", pickle.loads(copy)), folder)


def _take(taken: Any, candidates: range) -> int | None:
    """Mark and return the first of ``candidates`` not yet taken in ``taken`` (flags: a
    list, or an array shared with the helper, with its lock); None if all are taken.
    Raises TimeoutError if the lock is not to be had."""
    lock = getattr(taken, "get_lock", None)
    if lock is not None and not lock().acquire(timeout=_LOCK_WAIT):
        raise TimeoutError("the helper holds the lock on the figures left to write")
    try:
        for i in candidates:
            if not taken[i]:
                taken[i] = 1
                return i
        return None
    finally:
        if lock is not None:
            lock().release()


def _inbox(conn: Connection) -> queue.Queue[Any]:
    """The messages of ``conn``, received by a thread as soon as they come (so that the
    sender never waits, its pipe full, while a chart is being written here); after the
    last message (None) or the end of the pipe (:class:`EOFError`) the thread ends."""
    inbox: queue.Queue[Any] = queue.Queue()

    def receive() -> None:
        message: Any = None
        try:
            while (message := conn.recv()) is not None:
                inbox.put(message)
        except (EOFError, OSError):
            message = EOFError
        inbox.put(message)

    threading.Thread(target=receive, name="longgame-render-inbox", daemon=True).start()
    return inbox


def _serve(conn: Connection, taken: Any) -> None:
    """The helper's life: import the renderers; then receive the charts as they are
    drawn and write the files of those not yet taken, the last first; report the charts
    written once told that every chart was sent and none is left."""
    try:
        import matplotlib.backends.backend_agg
        import matplotlib.backends.backend_svg  # noqa: F401

        import longgame.plots  # noqa: F401

        folder = conn.recv()
        if folder is None:
            return
        inbox = _inbox(conn)
        copies: list[tuple[str, bytes]] = []
        written: list[int] = []
        sent_all = False

        def receive(block: bool) -> bool:
            """Take the next message from the inbox; False if there is none (yet)."""
            nonlocal sent_all
            try:
                message = inbox.get(block=block)
            except queue.Empty:
                return False
            if message is EOFError:
                raise EOFError
            if message is None:
                sent_all = True
            else:
                copies.append(message)
            return True

        while True:
            while not sent_all and receive(block=not copies):
                pass
            i = _take(taken, range(min(len(copies), _SHARED) - 1, -1, -1))
            if i is None:
                if sent_all:
                    break
                receive(block=True)  # nothing to take until the next chart: wait for it
                continue
            _save(copies[i][1], copies[i][0], folder)
            written.append(i)
        conn.send(("done", written))
    except (EOFError, KeyboardInterrupt):
        pass  # the parent went away or gave up: nothing to send
    except Exception as exc:
        with contextlib.suppress(OSError):
            conn.send(("failed", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


class RenderHelper:
    """At most one spawned process that writes one batch of figure files with this one
    (see the module docstring). Use as a context manager: with ``start``, the process is
    started on entry; whatever it still does is stopped on exit."""

    def __init__(self, start: bool = True) -> None:
        self._start = start
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._taken: Any = None

    def __enter__(self) -> RenderHelper:
        import multiprocessing

        if not self._start:
            return self
        try:
            context = multiprocessing.get_context("spawn")
            self._taken = context.Array("b", _SHARED)
            self._conn, child = context.Pipe()
            process = context.Process(target=_serve, args=(child, self._taken), daemon=True)
            process.start()
            child.close()
            self._process = process
        except (OSError, RuntimeError):
            self.close()  # no second process: everything is written here
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def renders(self, folder: Path) -> Renders:
        """A batch of charts to write into ``folder`` (:meth:`Renders.add` each as it is
        drawn, then :meth:`Renders.finish`); the helper, when it runs, takes its share."""
        renders = Renders(folder)
        if self._conn is not None:
            try:
                self._conn.send(str(folder))
                renders.helper, renders.taken = self, self._taken
            except (OSError, ValueError):
                self.close()
        return renders

    def send(self, message: Any) -> bool:
        """Send ``message`` to the helper; False (and the helper stopped) if it is gone."""
        if self._conn is None:
            return False
        try:
            self._conn.send(message)
        except (OSError, ValueError):
            self.close()
            return False
        return True

    def receive(self) -> list[int] | None:
        """The charts whose files the helper wrote, or None if it failed or died (it is
        stopped either way)."""
        if self._conn is None:
            return None
        try:
            status, value = self._conn.recv()
        except (EOFError, OSError):  # the helper died
            return None
        finally:
            self.close()
        return value if status == "done" else None

    def close(self) -> None:
        """Stop the helper (at once if it is still working) and release its pipe."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._process is not None:
            self._process.join(timeout=0.5)
            if self._process.is_alive():
                self._process.terminate()
                self._process.join()
            self._process = None


class Renders:
    """The figure files of a batch of charts, written by this process and, when
    :meth:`RenderHelper.renders` made it, the helper."""

    def __init__(self, folder: Path):
        self.folder = str(folder)
        self.charts: list[Chart] = []
        self.helper: RenderHelper | None = None
        #: which charts are taken (see :func:`_take`)
        self.taken: Any = [0] * _SHARED
        self._mine: list[int] = []
        #: the charts the helper wrote, once it said so (None: not yet)
        self._theirs: list[int] | None = None
        self._sent_all = False

    def add(self, chart: Chart) -> None:
        """A chart just drawn (not rendered yet): sent to the helper, when there is one."""
        self.charts.append(chart)
        if self.helper is not None:
            self.helper.send((chart.name, pickle.dumps(chart.figure)))

    def _next(self) -> int | None:
        """The next chart for this process to write: from the front of the shared flags,
        then any beyond them (only this process writes those)."""
        n = len(self.charts)
        try:
            i = _take(self.taken, range(min(n, _SHARED)))
        except TimeoutError:  # the helper died holding the lock: stop it, go on here
            if self.helper is not None:
                self.helper.close()
            self.taken = list(self.taken)
            i = _take(self.taken, range(min(n, _SHARED)))
        if i is None:
            i = next((j for j in range(_SHARED, n) if j not in self._mine), None)
        return i

    def write(self) -> None:
        """Write the charts left, the first first, while the helper writes its last
        ones (:meth:`finish` waits for them)."""
        from longgame.plots import save_chart

        if self.helper is not None and not self._sent_all:
            self.helper.send(None)  # every chart is sent
            self._sent_all = True
        while (i := self._next()) is not None:
            save_chart(self.charts[i], self.folder)
            self._mine.append(i)

    def finish(self) -> list[Path]:
        """Write the charts left (:meth:`write`), wait for the helper and write whatever
        it did not (everything, if it failed or there is none); return the PNG files, in
        the charts' order. Calling it again writes nothing more."""
        from longgame.plots import save_chart

        self.write()
        if self._theirs is None:
            done = self.helper.receive() if self.helper is not None else None
            self._theirs = done or []
        for i in sorted(set(range(len(self.charts))) - set(self._mine) - set(self._theirs)):
            save_chart(self.charts[i], self.folder)  # taken by the helper, never written
            self._mine.append(i)
        return [Path(self.folder) / f"{chart.name}.png" for chart in self.charts]

    def png(self, i: int) -> bytes:
        """The PNG file of chart ``i``, once every file is written (:meth:`finish`)."""
        return self.finish()[i].read_bytes()
