"""What ``longgame run`` adds after the runs: the figures and the HTML report.

The runner (:func:`longgame.experiments.run_experiment`) only runs and stores; drawing
is the CLI's job, because figures and the report sit above the runner in the layers
(docs/architecture.md). A figure or report that fails to draw is a warning on stderr and
does not fail the run: ``longgame plot DIR`` / ``longgame report DIR`` draw them again.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

__all__ = ["draw_outputs"]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


def draw_outputs(folder: Path, progress: bool = False) -> None:
    """Draw the figures and ``report.html`` of the results folder ``folder``.

    A missing ``longgame.plots`` / ``longgame.report`` is skipped silently; any other
    error is printed to stderr as a warning and does not fail the run. With
    ``progress``, a line per drawing step goes to stderr (they take a while).
    """
    told = {"progress": _stderr} if progress else {}
    for module_name, function in (
        ("longgame.plots", "plot_results"),
        ("longgame.report", "write_report"),
    ):
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            if exc.name is not None and module_name.startswith(exc.name):
                continue
            _stderr(f"warning: {module_name} could not be imported: {exc}")
            continue
        try:
            getattr(module, function)(folder, **told)
        except Exception as exc:
            _stderr(f"warning: {module_name}.{function} failed: {type(exc).__name__}: {exc}")
