"""What ``longgame run`` adds after the runs: the figures and the HTML report.

The runner (:func:`longgame.experiments.run_experiment`) only runs and stores; drawing
is the CLI's job, because figures and the report sit above the runner in the layers
(docs/architecture.md). A figure or report that fails to draw is a warning on stderr and
does not fail the run: ``longgame plot DIR`` / ``longgame report DIR`` draw them again.
"""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["draw_outputs"]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


def draw_outputs(folder: Path, progress: bool = False) -> None:
    """Draw the figures and ``report.html`` of the results folder ``folder``: the
    results are loaded once and each figure drawn once (saved, then embedded).

    An error is printed to stderr as a warning and does not fail the run. With
    ``progress``, a line per drawing step goes to stderr (they take a while).
    """
    from longgame.plots import draw_figures, save_figures
    from longgame.plots._load import load
    from longgame.report import write_report

    told = _stderr if progress else None
    try:
        results = load(folder)
        charts = draw_figures(results, progress=told)
        save_figures(results, charts, told)
    except Exception as exc:
        _stderr(f"warning: the figures failed: {type(exc).__name__}: {exc}")
        return
    try:
        write_report(results, progress=told, charts=charts)
    except Exception as exc:
        _stderr(f"warning: the report failed: {type(exc).__name__}: {exc}")
