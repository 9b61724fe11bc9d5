"""Reputation and two-way trust over time (issue 16): beliefs, the milker, the ladder.

- ``belief-over-time``: customers' average belief that each seller type deals fair,
  with the truth (the type's actual share of fair deals) as a dashed line of the same
  colour: Bayesian customers learn who is who (Kreps & Wilson 1982).
- ``milker-rating``: the milker's public rating (with its threshold) and its profit
  per period: it builds a rating, then spends it, and hovers at the threshold.
- ``ladder-by-pace``: the perception-ladder level of relationships by the seller's
  disclosure pace (Johari window, seed 002).

Each panel is one sweep point (:func:`~longgame.plots._data.panel_points`); lines are
means over replicates. No chart when the metrics are absent (beliefs or disclosure off).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from longgame.plots._chart import (
    Chart,
    figure_panels,
    headline,
    held_fixed,
    new_figure,
    point_title,
    shared_legend,
    style,
    title_panel,
)
from longgame.plots._data import mean_ci, select, text
from longgame.plots._load import ResultsLike, cached

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["belief_over_time", "ladder_by_pace", "milker_rating", "strategy_groups"]


def _rows(results: ResultsLike, metric: str) -> pd.DataFrame:
    metrics = results.metrics()
    if metrics.empty or "metric" not in metrics.columns:
        return metrics.iloc[0:0]
    return metrics[metrics["metric"] == metric]


def strategy_groups(results: ResultsLike, strategy: str) -> dict[str, dict[str, Any]]:
    """Seller groups of the config whose strategy resolves to ``strategy``, with their
    strategy parameters (market results; empty otherwise)."""
    from longgame.errors import InputError
    from longgame.strategies import resolve

    sellers = results.config.get("parameters", {}).get("sellers")
    entries: list[tuple[str, str, dict[str, Any]]] = []
    if isinstance(sellers, dict):
        for key, value in sellers.items():
            if isinstance(value, dict):
                label = str(value.get("label", key))
                entries.append((label, str(value.get("strategy", "")), value.get("params", {})))
            else:
                entries.append((str(key), str(key), {}))
    elif isinstance(sellers, list):
        for value in sellers:
            if isinstance(value, dict):
                name = str(value.get("strategy", ""))
                label = str(value.get("label") or name)
                entries.append((label, name, value.get("params", {})))
    out: dict[str, dict[str, Any]] = {}
    for label, name, params in entries:
        try:
            if resolve(name).name == strategy:
                out[label] = dict(params)
        except InputError:
            continue
    return out


def belief_over_time(results: ResultsLike) -> list[Chart]:
    """Average belief in each seller type over time, with the truth as a dashed line."""
    results = cached(results)
    belief = _rows(results, "belief")
    truth = _rows(results, "fair_share")
    if belief.empty:
        return []
    panels = figure_panels(results, belief)
    if panels is None:
        return []
    points, groups, colors, varying = panels
    from matplotlib.lines import Line2D

    with style():
        fig, axes = new_figure(len(points), sharey=True)
        for ax, point in zip(axes, points, strict=True):
            b = mean_ci(select(belief, point), ["group", "step"])
            f = mean_ci(select(truth, point), ["group", "step"]) if not truth.empty else None
            for group in groups:
                line = b[text(b["group"]) == group]
                if not line.empty:
                    ax.plot(line["step"], line["mean"], color=colors[group], lw=2.6)
                if f is not None:
                    real = f[text(f["group"]) == group]
                    if not real.empty:  # five-period moving average: a milker flickers
                        smooth = real["mean"].rolling(5, min_periods=1).mean()
                        ax.plot(real["step"], smooth, color=colors[group], lw=1.6, ls="--")
            ax.set_ylim(-0.03, 1.03)
            ax.set_xlabel("Period")
            title_panel(ax, point, points, varying)
        axes[0].set_ylabel("Chance of a fair deal")
        extra = [
            Line2D([], [], color="black", lw=2.6, label="customers' belief"),
            Line2D([], [], color="black", lw=1.6, ls="--", label="truth (share fair)"),
        ]
        shared_legend(fig, groups, extra=extra)
        fixed = held_fixed(points, varying)
        fig.suptitle(headline("What customers believe about each seller type", fixed))
    caption = (
        "Solid: customers' average posterior chance that a seller of each type deals fair "
        "(Beta beliefs from own deals, word of mouth and public reviews), among the "
        "customers who bought from it in the period; dashed: the type's actual share of "
        "fair deals (five-period moving average). Means over replicates."
    )
    if fixed:
        caption += f" Other parameters: {point_title(fixed)}."
    return [Chart("belief-over-time", "What customers believe about each seller", caption, fig)]


def milker_rating(results: ResultsLike) -> list[Chart]:
    """The milker's public rating (with its threshold) and its profit per period."""
    results = cached(results)
    milkers = strategy_groups(results, "milker")
    rating = _rows(results, "rating")
    profit = _rows(results, "profit")
    if not milkers or rating.empty:
        return []
    rating = rating[text(rating["group"]).isin(list(milkers))]
    profit = profit[text(profit["group"]).isin(list(milkers))]
    if rating.empty:
        return []
    panels = figure_panels(results, rating)
    if panels is None:
        return []
    points, groups, colors, varying = panels
    from matplotlib.figure import Figure

    with style():
        ncols = len(points)
        fig = Figure(figsize=(6.6 * ncols + 0.6, 8.4), layout="constrained")
        grid = fig.subplots(2, ncols, squeeze=False, sharex=True)
        for j, point in enumerate(points):
            top, bottom = grid[0][j], grid[1][j]
            r = mean_ci(select(rating, point), ["group", "step"])
            q = mean_ci(select(profit, point), ["group", "step"])
            for group in groups:
                line = r[text(r["group"]) == group]
                top.plot(line["step"], line["mean"], color=colors[group], lw=2.6)
                line = q[text(q["group"]) == group]
                bottom.plot(line["step"], line["mean"], color=colors[group], lw=2.2)
                threshold = float(milkers[group].get("threshold", 0.8))
                top.axhline(threshold, color=colors[group], lw=1.2, ls=":")
            top.set_ylim(0.0, 1.0)
            bottom.axhline(0.0, color="black", lw=1.0, alpha=0.6)
            bottom.set_xlabel("Period")
            title_panel(top, point, points, varying)
        grid[0][0].set_ylabel("Public rating")
        grid[1][0].set_ylabel("Profit per period (money)")
        shared_legend(fig, groups)
        fixed = held_fixed(points, varying)
        fig.suptitle(headline("The milker builds a rating, then spends it", fixed))
    caption = (
        "Top: the milker's public rating (share of fair reviews, smoothed by the prior), "
        "with its threshold dotted: it deals fair below it and fleeces above it. Bottom: "
        "its profit per seller and period, which spikes in the periods it fleeces. Means "
        "over replicates."
    )
    if fixed:
        caption += f" Other parameters: {point_title(fixed)}."
    return [Chart("milker-rating", "The milker's rating and profit", caption, fig)]


def ladder_by_pace(results: ResultsLike) -> list[Chart]:
    """Perception-ladder level of relationships over time, by disclosure pace."""
    from longgame.plots.over_time import time_series

    results = cached(results)
    frame = _rows(results, "ladder_level")
    charts = time_series(
        results,
        frame,
        "ladder_level",
        "ladder-by-pace",
        "Climbing the perception ladder, by disclosure pace",
        "Mean ladder level (0 commodity vendor ... 4 strategic partner) of the "
        "relationships that dealt in the period, per seller group (each group has its own "
        "disclosure pace: none, matched or eager); means over replicates with 95% "
        "confidence bands.",
    )
    import numpy as np

    for chart in charts:
        # shared y axes: fit the highest line of any panel (time_series sets each
        # panel's top from the panels drawn before it)
        ys = [
            np.asarray(ln.get_ydata(), dtype=float)
            for ax in chart.figure.axes
            for ln in ax.get_lines()
        ]
        top = max([float(np.nanmax(y)) for y in ys if np.isfinite(y).any()], default=1.0)
        for ax in chart.figure.axes:
            ax.set_ylim(0.0, max(1.0, top * 1.05))
    return charts
