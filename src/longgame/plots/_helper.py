"""Rendering charts from fresh copies, in a second process when a core is free.

Rendering dominates the drawing after a run: each chart is rasterised as a PNG for
``figures/``, written as SVG, and rasterised again at the report's resolution. A
constrained layout starts from the previous one, so a file drawn after another at a
different resolution would depend on what was saved before it. Here every file after the
first comes from its own fresh copy of the chart (unpickled from a copy taken before
anything was rendered), so each file depends only on the chart and its own format: the
SVG files are those ``longgame plot`` writes and the report's images those ``longgame
report`` embeds.

Copies also travel: with a second core, :class:`RenderHelper` renders the SVG files and
the report's images in a spawned process (started early, so that its imports overlap
the loading of the results) while this process writes the PNG files. Anything that goes
wrong there (it cannot start, dies, or raises) leaves the work to this process; the
files are the same either way.
"""

from __future__ import annotations

import contextlib
import os
import pickle
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

    from matplotlib.figure import Figure

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


def fresh_copies(charts: Sequence[Chart]) -> bytes:
    """The charts' figures pickled as they are now (before they are rendered)."""
    return pickle.dumps([chart.figure for chart in charts])


def render_copies(
    copies: bytes, names: Sequence[str], svg_folder: str | None, dpis: Sequence[float]
) -> list[dict[float, bytes]]:
    """From ``copies`` (:func:`fresh_copies`) of the charts named ``names``: write each
    as ``svg_folder/<name>.svg`` (None: no SVG) and return its PNG bytes at each of
    ``dpis``; every file from its own copy."""
    from longgame.plots import save_chart
    from longgame.plots._chart import Chart

    def one_by_one() -> Iterator[Figure]:
        """Fresh copies, each let go (with its rendering buffers) once drawn."""
        figures = pickle.loads(copies)
        for i in range(len(figures)):
            figure, figures[i] = figures[i], None
            yield figure

    if svg_folder is not None:
        for name, figure in zip(names, one_by_one(), strict=True):
            save_chart(Chart(name, "", "", figure), svg_folder, formats=("svg",))
    pngs: list[dict[float, bytes]] = [{} for _ in names]
    for dpi in dpis:
        for rendered, figure in zip(pngs, one_by_one(), strict=True):
            rendered[dpi] = Chart("", "", "", figure).to_png(dpi)
    return pngs


def _serve(conn: Connection) -> None:
    """The helper's life: import the renderers, take one job, send back its result."""
    try:
        import matplotlib.backends.backend_agg
        import matplotlib.backends.backend_svg  # noqa: F401

        import longgame.plots  # noqa: F401

        job = conn.recv()
        if job is not None:
            conn.send(("done", render_copies(*job)))
    except (EOFError, KeyboardInterrupt):
        pass  # the parent went away or gave up: nothing to send
    except Exception as exc:
        with contextlib.suppress(OSError):
            conn.send(("failed", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


class RenderHelper:
    """At most one spawned process that renders one batch of copies (see the module
    docstring). Use as a context manager: with ``start``, the process is started on
    entry; whatever it still does is stopped on exit."""

    def __init__(self, start: bool = True) -> None:
        self._start = start
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None

    def __enter__(self) -> RenderHelper:
        import multiprocessing

        if not self._start:
            return self
        try:
            context = multiprocessing.get_context("spawn")
            self._conn, child = context.Pipe()
            process = context.Process(target=_serve, args=(child,), daemon=True)
            process.start()
            child.close()
            self._process = process
        except (OSError, RuntimeError):
            self.close()  # no second process: everything is rendered here
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def render(
        self, charts: Sequence[Chart], svg_folder: Path | None, dpis: Sequence[float]
    ) -> Renders:
        """The SVG files (into ``svg_folder``, None: none) and the PNGs at ``dpis`` of
        ``charts``, from copies taken now: sent to the helper when it runs."""
        renders = Renders(charts, svg_folder, dpis)
        if self._conn is not None and charts:
            try:
                self._conn.send(renders.job)
                renders.helper = self
            except (OSError, ValueError):
                self.close()
        return renders

    def receive(self) -> list[dict[float, bytes]] | None:
        """The helper's result, or None if it failed or died (it is stopped either way)."""
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
    """The renders of a batch of charts from fresh copies: done by the helper when
    :meth:`RenderHelper.render` sent them, else here when first asked for."""

    def __init__(self, charts: Sequence[Chart], svg_folder: Path | None, dpis: Sequence[float]):
        folder = None if svg_folder is None else str(svg_folder)
        self.job = (fresh_copies(charts), [c.name for c in charts], folder, list(dpis))
        self.helper: RenderHelper | None = None
        self._pngs: list[dict[float, bytes]] | None = None

    def result(self) -> list[dict[float, bytes]]:
        """Each chart's PNGs by resolution, once the SVG files are written."""
        if self._pngs is None:
            pngs = self.helper.receive() if self.helper is not None else None
            self._pngs = pngs if pngs is not None else render_copies(*self.job)
        return self._pngs

    def png(self, index: int, dpi: float) -> bytes:
        """The PNG of chart ``index`` at ``dpi``."""
        return self.result()[index][dpi]
