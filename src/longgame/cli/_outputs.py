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
    results are loaded once and each figure drawn once, then rendered as PNG, as SVG and
    for the report (the last two from fresh copies, :mod:`longgame.plots._helper`).

    With a second core (``helper`` None: when this process may use two), a helper
    process renders the SVG files and the report's images while this one writes the PNG
    files; the files are the same either way. An error is printed to stderr as a
    warning and does not fail the run. With ``progress``, a line per drawing step goes
    to stderr (they take a while).
    """
    from longgame.plots import draw_figures, save_figures
    from longgame.plots._helper import RenderHelper, spare_core
    from longgame.plots._load import load
    from longgame.report import write_report
    from longgame.report._html import EMBED_DPI

    told = _stderr if progress else None
    with RenderHelper(start=spare_core() if helper is None else helper) as renderer:
        try:
            results = load(folder)
            charts = draw_figures(results, progress=told)
            figures = Path(results.path) / "figures"
            figures.mkdir(parents=True, exist_ok=True)
            renders = renderer.render(charts, figures, [EMBED_DPI])
            save_figures(results, charts, told, ("png",))
        except Exception as exc:
            _stderr(f"warning: the figures failed: {type(exc).__name__}: {exc}")
            return
        for i, chart in enumerate(charts):
            chart.keep_png(EMBED_DPI, functools.partial(renders.png, i, EMBED_DPI))
        try:
            write_report(results, progress=told, charts=charts)
        except Exception as exc:
            _stderr(f"warning: the report failed: {type(exc).__name__}: {exc}")
        try:
            renders.result()  # the SVG files are written
        except Exception as exc:
            _stderr(f"warning: the figures failed: {type(exc).__name__}: {exc}")
