"""Writing the figure files in two processes when a core is free.

Rendering dominates the drawing after a run: each chart is rasterised as a PNG for
``figures/`` and written as SVG (the report embeds those same PNG files: nothing is
drawn twice). A constrained layout starts from the previous one, so a file drawn after
another would depend on what was saved before it: each chart's PNG is its first
rendering, and its SVG comes from its own fresh copy (unpickled from a copy taken
before anything was rendered), so that every file depends only on the chart and its
format, the files ``longgame plot`` writes.

Copies also travel: with a second core, :class:`RenderHelper` starts a spawned process
early (its imports overlap the loading of the results). It writes the SVG files, then
takes PNG files from the back of the list while this process writes them from the
front, until they meet; who writes which PNG depends on timing, the bytes do not (a
PNG from a fresh copy is its first rendering too). Anything that goes wrong there (it
cannot start, dies, or raises) leaves the rest of the work to this process.
"""

from __future__ import annotations

import contextlib
import os
import pickle
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

    from longgame.plots._chart import Chart

__all__ = ["RenderHelper", "Renders", "fresh_copies", "render_copies", "spare_core"]


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


def fresh_copies(charts: Sequence[Chart]) -> list[bytes]:
    """Each chart's figure pickled as it is now (before it is rendered)."""
    return [pickle.dumps(chart.figure) for chart in charts]


def _save(copy: bytes, name: str, folder: str, fmt: str) -> None:
    from longgame.plots import save_chart
    from longgame.plots._chart import Chart

    save_chart(Chart(name, "", "", pickle.loads(copy)), folder, formats=(fmt,))


#: Seconds to wait for the lock on the shared ends; held for microseconds, so a longer
#: wait means the helper died holding it.
_LOCK_WAIT = 10.0


def _take(ends: Any, from_back: bool) -> int | None:
    """The next PNG file to write, from the back or the front of ``ends`` (``[front,
    back]`` of those left: a list, or an array shared with the helper, with its lock);
    None once every one is taken. Raises TimeoutError if the lock is not to be had."""
    lock = getattr(ends, "get_lock", None)
    if lock is not None and not lock().acquire(timeout=_LOCK_WAIT):
        raise TimeoutError("the helper holds the lock on the figures left to write")
    try:
        front, back = int(ends[0]), int(ends[1])
        if front > back:
            return None
        if from_back:
            ends[1] = back - 1
            return back
        ends[0] = front + 1
        return front
    finally:
        if lock is not None:
            lock().release()


def render_copies(
    copies: Sequence[bytes], names: Sequence[str], folder: str, ends: Any = None
) -> list[int]:
    """From ``copies`` (:func:`fresh_copies`) of the charts named ``names``: write each
    as ``folder/<name>.svg``, then PNG files taken from the back of ``ends`` (see
    :func:`_take`; None: none); returns the indices of the PNG files written."""
    for copy, name in zip(copies, names, strict=True):
        _save(copy, name, folder, "svg")
    written: list[int] = []
    while ends is not None and (i := _take(ends, from_back=True)) is not None:
        _save(copies[i], names[i], folder, "png")
        written.append(i)
    return written


def _serve(conn: Connection, ends: Any) -> None:
    """The helper's life: import the renderers, take one job, send back its result."""
    try:
        import matplotlib.backends.backend_agg
        import matplotlib.backends.backend_svg  # noqa: F401

        import longgame.plots  # noqa: F401

        job = conn.recv()
        if job is not None:
            copies, names, folder = job
            conn.send(("done", render_copies(copies, names, folder, ends)))
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
        self._ends: Any = None

    def __enter__(self) -> RenderHelper:
        import multiprocessing

        if not self._start:
            return self
        try:
            context = multiprocessing.get_context("spawn")
            self._ends = context.Array("q", 2)
            self._conn, child = context.Pipe()
            process = context.Process(target=_serve, args=(child, self._ends), daemon=True)
            process.start()
            child.close()
            self._process = process
        except (OSError, RuntimeError):
            self.close()  # no second process: everything is written here
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def render(self, charts: Sequence[Chart], folder: Path) -> Renders:
        """Start writing the PNG and SVG files of ``charts`` into ``folder`` from copies
        taken now; the helper, when it runs, takes its share. :meth:`Renders.finish`
        writes the rest."""
        renders = Renders(charts, folder)
        if self._conn is not None and charts:
            try:
                with self._ends.get_lock():
                    self._ends[0], self._ends[1] = renders.ends
                self._conn.send((renders.copies, renders.names, renders.folder))
                renders.helper, renders.ends = self, self._ends
            except (OSError, ValueError):
                self.close()
        return renders

    def receive(self) -> list[int] | None:
        """The PNG files the helper wrote, or None if it failed or died (it is stopped
        either way)."""
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
    :meth:`RenderHelper.render` sent it a share, the helper."""

    def __init__(self, charts: Sequence[Chart], folder: Path):
        self.charts = list(charts)
        self.copies = fresh_copies(charts)
        self.names = [c.name for c in charts]
        self.folder = str(folder)
        self.helper: RenderHelper | None = None
        #: ``[front, back]`` of the PNG files left (see :func:`_take`)
        self.ends: Any = [0, len(self.charts) - 1]
        self._mine: list[int] = []

    def pngs(self) -> Iterator[int]:
        """Write PNG files from the front (each chart's first rendering) until the
        helper's share meets this one; yields each index after its file is written."""
        from longgame.plots import save_chart

        while (i := self._take()) is not None:
            save_chart(self.charts[i], self.folder, formats=("png",))
            self._mine.append(i)
            yield i

    def _take(self) -> int | None:
        try:
            return _take(self.ends, from_back=False)
        except TimeoutError:  # the helper died holding the lock: stop it, go on here
            left = [int(self.ends[0]), int(self.ends[1])]
            if self.helper is not None:
                self.helper.close()
            self.ends = left
            return _take(self.ends, from_back=False)

    def finish(self) -> list[Path]:
        """Wait for the helper and write whatever it did not (every SVG file if it
        failed); return the PNG files, in the charts' order."""
        for _ in self.pngs():
            pass
        done = self.helper.receive() if self.helper is not None else None
        if done is None:  # no helper, or it failed or died: its share is written here
            for copy, name in zip(self.copies, self.names, strict=True):
                _save(copy, name, self.folder, "svg")
            done = []
        missing = set(range(len(self.charts))) - set(self._mine) - set(done)
        for i in sorted(missing):  # taken by a helper that did not finish them
            _save(self.copies[i], self.names[i], self.folder, "png")
        return [Path(self.folder) / f"{name}.png" for name in self.names]
