"""The trainer's report: one self-contained HTML page per results folder.

:func:`write_report` writes ``DIR/report.html`` with the question the experiment asks
(its ``description``), the setup in plain words, headline numbers computed from the
results, every figure the data supports (embedded as PNG), and caveats. The file has no
external assets: it opens offline, from a USB stick or an e-mail attachment.
"""

from __future__ import annotations

from pathlib import Path

from longgame.report._answer import headline_answer
from longgame.report._headlines import headlines
from longgame.report._html import caveats, render_html, setup_lines

__all__ = ["caveats", "headline_answer", "headlines", "render_html", "setup_lines", "write_report"]


def write_report(path: str | Path) -> Path:
    """Write ``path/report.html`` for the results folder ``path`` and return its path.

    Raises :class:`~longgame.errors.InputError` when ``path`` is not a results folder.
    """
    from longgame._io import atomic_write_text
    from longgame.plots import draw_figures
    from longgame.plots._load import load

    results = load(path)
    charts = draw_figures(results)
    page = render_html(results, charts)
    out = Path(results.path) / "report.html"
    atomic_write_text(out, page)
    return out
