"""What ``longgame run`` adds after the runs: the figures and the HTML report.

The runner (:func:`longgame.experiments.run_experiment`) only runs and stores; drawing
is the CLI's job, because figures and the report sit above the runner in the layers
(docs/architecture.md). A figure or report that fails to draw is a warning on stderr and
does not fail the run: ``longgame plot DIR`` / ``longgame report DIR`` draw them again.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

__all__ = ["draw_outputs"]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


def draw_outputs(folder: Path, progress: bool = False, helper: bool | None = None) -> None:
    """Draw the figures and ``report.html`` of the results folder ``folder``: the
    results are loaded once and each figure drawn once, then written as PNG and SVG
    (the SVG with the PNG's layout, :func:`longgame.plots.save_chart`); the report
    embeds the PNG files just written.

    With a second core (``helper`` None: when this process may use two), a helper
    process writes the files of the charts as they are drawn, the last first, while
    this one draws and then writes the rest; the files are the same either way.
    An error is printed to stderr as a warning and does not fail the run. With
    ``progress``, a line per drawing step goes to stderr (they take a while).
    """
    from longgame.plots import iter_figures
    from longgame.plots._helper import RenderHelper, spare_core
    from longgame.plots._load import load
    from longgame.plots._style import DPI
    from longgame.report import write_report

    told = _stderr if progress else None
    with RenderHelper(start=spare_core() if helper is None else helper) as renderer:
        try:
            results = load(folder)
            figures = Path(results.path) / "figures"
            figures.mkdir(parents=True, exist_ok=True)
            renders = renderer.renders(figures)
            for chart in iter_figures(results, progress=told):
                renders.add(chart)  # the helper starts on it while the next is drawn
            if told is not None:
                told(f"figures: saving {len(renders.charts)} as PNG and SVG in {figures}")
            renders.write()  # the helper may still be writing its last charts
        except Exception as exc:
            _stderr(f"warning: the figures failed: {type(exc).__name__}: {exc}")
            return
        for i, chart in enumerate(renders.charts):
            # the report shows these very files (read once all are written), and works
            # out its headlines meanwhile
            chart.keep_png(DPI, functools.partial(renders.png, i))
        try:
            write_report(results, progress=told, charts=renders.charts)
        except Exception as exc:
            _stderr(f"warning: the report failed: {type(exc).__name__}: {exc}")
        try:
            renders.finish()  # every figure file, whatever the report did
        except Exception as exc:
            _stderr(f"warning: the figures failed: {type(exc).__name__}: {exc}")
