"""Figures from a results folder: what a sales trainer projects.

:func:`plot_results` reads a folder written by ``longgame run`` and writes every figure
the data supports, as PNG and SVG, into ``DIR/figures/``. Each figure kind is also a
function of the loaded results returning :class:`Chart` objects (a matplotlib figure
with a file name, a title and a caption), so notebooks and the report can use them.

All figures share one look (:mod:`longgame.plots._style`): a strategy keeps its colour
in every figure (a fleecer is always vermillion, a fair dealer bluish green), labels
are words rather than column names, and fonts are readable on a projector. A figure
whose data is absent is skipped, never drawn empty.

matplotlib is imported only when a figure is drawn. Figures are bare
``matplotlib.figure.Figure`` objects drawn under a temporary style context: drawing one
never changes the backend or the global rcParams, so a notebook's inline plots and the
user's own ``plt.show()`` keep working. In a notebook a :class:`Chart` displays itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from longgame.errors import InputError, closest_names
from longgame.plots._chart import Chart
from longgame.plots._load import ResultsLike, cached, load
from longgame.plots._style import group_label, metric_label, param_label, strategy_color
from longgame.plots.five_rules import cooperator_share, five_rules_thresholds
from longgame.plots.heatmap import payoff_matrix, sweep_heatmap
from longgame.plots.learning import learning_phase, learning_shares
from longgame.plots.long_run import long_run_payoff, retention_sweep
from longgame.plots.over_time import cumulative_profit, strategy_shares
from longgame.plots.reputation import belief_over_time, ladder_by_pace, milker_rating
from longgame.plots.story import story
from longgame.plots.survival import survival_curves

__all__ = [
    "FIGURE_KINDS",
    "Chart",
    "belief_over_time",
    "cooperator_share",
    "cumulative_profit",
    "draw_figures",
    "five_rules_thresholds",
    "group_label",
    "iter_figures",
    "ladder_by_pace",
    "learning_phase",
    "learning_shares",
    "long_run_payoff",
    "metric_label",
    "milker_rating",
    "param_label",
    "payoff_matrix",
    "plot_results",
    "retention_sweep",
    "save_chart",
    "save_figures",
    "story",
    "strategy_color",
    "strategy_shares",
    "survival_curves",
    "sweep_heatmap",
]

#: Figure kinds by the name used in a config's ``[outputs] figures`` list, in the order
#: they are drawn and shown in the report.
FIGURE_KINDS: dict[str, Callable[[ResultsLike], list[Chart]]] = {
    "story": story,
    "long-run": long_run_payoff,
    "cumulative-profit": cumulative_profit,
    "heatmap": sweep_heatmap,
    "survival": survival_curves,
    "retention": retention_sweep,
    "shares": strategy_shares,
    "learning": learning_shares,
    "learning-phase": learning_phase,
    "payoff-matrix": payoff_matrix,
    "belief-over-time": belief_over_time,
    "milker-rating": milker_rating,
    "ladder-by-pace": ladder_by_pace,
    "five-rules": five_rules_thresholds,
    "cooperator-share": cooperator_share,
}


def _kinds(results: ResultsLike, kinds: Sequence[str] | None) -> list[str]:
    source = "figure kind"
    if kinds is None:
        wanted = results.config.get("outputs", {}).get("figures")
        kinds = list(wanted) if wanted else list(FIGURE_KINDS)
        source = "outputs.figures: figure kind"
    kinds = [str(k).replace("_", "-") for k in kinds]
    problems = []
    for kind in kinds:
        if kind not in FIGURE_KINDS:
            hint = closest_names(str(kind), list(FIGURE_KINDS))
            problems.append(
                f"{source} {kind!r} is unknown; expected one of "
                f"{', '.join(FIGURE_KINDS)}" + (f" ({hint})" if hint else "")
            )
    if problems:
        raise InputError(*problems)
    return list(kinds)


def draw_figures(
    results: ResultsLike,
    kinds: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[Chart]:
    """Every chart the results support, for the given kinds (default: the config's
    ``[outputs] figures`` list, or all kinds). Kinds whose data is absent give nothing.

    ``progress``, when given, is called with one line per figure kind before it is
    drawn (``"figures: 3 of 10 (heatmap)"``), since a sweep's figures take a while.
    """
    return list(iter_figures(results, kinds, progress))


def iter_figures(
    results: ResultsLike,
    kinds: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> Iterator[Chart]:
    """:func:`draw_figures` one chart at a time, each as soon as it is drawn (so that
    writing it out can start while the next is drawn)."""
    results = cached(results)
    chosen = _kinds(results, kinds)
    for i, kind in enumerate(chosen, 1):
        if progress is not None:
            progress(f"figures: {i} of {len(chosen)} ({kind})")
        yield from FIGURE_KINDS[kind](results)


def save_chart(
    chart: Chart, folder: str | Path, formats: Sequence[str] = ("png", "svg")
) -> list[Path]:
    """Write ``chart`` as ``folder/<name>.<format>`` for each format; returns the paths.

    The first format's rendering lays the figure out; the others keep that layout (it
    is not computed again), so that each file depends only on the chart and
    ``formats``, whichever files were written before. Metadata dates are dropped so
    that the same results give byte-identical files.
    """
    from longgame.plots._chart import style
    from longgame.plots._style import DPI

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    figure = chart.figure
    engine = figure.get_layout_engine()
    paths = []
    try:
        with style():
            for fmt in formats:
                path = folder / f"{chart.name}.{fmt}"
                metadata = {"Date": None} if fmt == "svg" else {"Software": None}
                figure.savefig(path, format=fmt, dpi=DPI, metadata=metadata)
                paths.append(path)
                if engine is not None and figure.get_layout_engine() is engine:
                    figure.set_layout_engine("none")  # the next formats keep this layout
    finally:
        if engine is not None:
            figure.set_layout_engine(engine)
    return paths


def plot_results(
    path: str | Path,
    kinds: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[Path]:
    """Draw the figures of the results folder ``path`` into ``path/figures/`` (PNG and
    SVG) and return the files written. Raises :class:`~longgame.errors.InputError` when
    ``path`` is not a results folder. ``progress`` as for :func:`draw_figures`."""
    results = load(path)
    return save_figures(results, draw_figures(results, kinds, progress), progress)


def save_figures(
    results: ResultsLike,
    charts: Sequence[Chart],
    progress: Callable[[str], None] | None = None,
    formats: Sequence[str] = ("png", "svg"),
) -> list[Path]:
    """Save ``charts`` (drawn from ``results``) into the results folder's ``figures/`` in
    ``formats`` (PNG and SVG); return the files written."""
    out = Path(cached(results).path) / "figures"
    if progress is not None:
        kinds = " and ".join(f.upper() for f in formats)
        progress(f"figures: saving {len(charts)} as {kinds} in {out}")
    written: list[Path] = []
    for chart in charts:
        written.extend(save_chart(chart, out, formats))
    return written
