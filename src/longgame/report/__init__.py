"""The trainer's report: one self-contained HTML page per results folder, or slides.

:func:`write_report` writes ``DIR/report.html`` with the question the experiment asks
(its ``description``), the story (who is ahead, and when), the setup in plain words,
headline numbers computed from the results, every figure the data supports (embedded as
PNG), and caveats. :func:`write_slides` writes the same content as ``DIR/slides.html``,
one idea per screen for a projector. Neither file has external assets: they open
offline, from a USB stick or an e-mail attachment.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from longgame.report._answer import headline_answer
from longgame.report._headlines import headlines
from longgame.report._html import caveats, render_html, setup_lines
from longgame.report._present import render_slides

if TYPE_CHECKING:
    from longgame.plots import Chart
    from longgame.plots._load import ResultsLike

__all__ = [
    "caveats",
    "headline_answer",
    "headlines",
    "render_html",
    "render_slides",
    "setup_lines",
    "write_report",
    "write_slides",
]


def _write(
    path: str | Path | ResultsLike,
    file_name: str,
    present: bool,
    progress: Callable[[str], None] | None,
    charts: Sequence[Chart] | None,
) -> Path:
    from longgame._io import atomic_write_text
    from longgame.plots import draw_figures
    from longgame.plots._load import cached, load

    results = load(path) if isinstance(path, str | Path) else cached(path)
    told = None if progress is None else (lambda line: progress(f"{file_name}: {line}"))
    if charts is None:
        charts = draw_figures(results, progress=told)
    charts = list(charts)
    if progress is not None:
        progress(f"{file_name}: embedding {len(charts)} figures")
    page = render_slides(results, charts) if present else render_html(results, charts)
    out = Path(results.path) / file_name
    atomic_write_text(out, page)
    return out


def write_report(
    path: str | Path | ResultsLike,
    progress: Callable[[str], None] | None = None,
    charts: Sequence[Chart] | None = None,
) -> Path:
    """Write ``path/report.html`` for the results folder ``path`` (or loaded results) and
    return its path.

    ``progress``, when given, is called with a line per step (figures, embedding).
    ``charts``: figures already drawn from these results (``longgame run`` passes the
    ones it has just saved, so nothing is drawn twice); by default they are drawn here.
    Raises :class:`~longgame.errors.InputError` when ``path`` is not a results folder.
    """
    return _write(path, "report.html", False, progress, charts)


def write_slides(
    path: str | Path | ResultsLike,
    progress: Callable[[str], None] | None = None,
    charts: Sequence[Chart] | None = None,
) -> Path:
    """Write ``path/slides.html``, the report as a slide deck, and return its path
    (arguments and errors as for :func:`write_report`)."""
    return _write(path, "slides.html", True, progress, charts)
