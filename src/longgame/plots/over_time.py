"""Metrics over time per strategy: cumulative profit, and strategy shares.

Cumulative profit is where the one-shot logic shows its shape: a fleecer's takings can
lead early, while its customers are new, and fall behind once they have left and the
fair dealer's regulars keep buying (source 003: "客有利而我无利,我则不久;
我有利客无利,客则不存"). Each panel is one sweep point; lines are means over
replicates with 95% confidence bands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from longgame.plots._chart import (
    Chart,
    figure_panels,
    headline,
    held_fixed,
    new_figure,
    order_groups,
    point_title,
    shared_legend,
    style,
    title_panel,
)
from longgame.plots._data import (
    MIN_BAND_RUNS,
    mean_ci,
    model_name,
    panel_points,
    select,
    text,
)
from longgame.plots._load import ResultsLike, cached
from longgame.plots._style import OTHERS, group_label, metric_label

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.lines import Line2D
    from numpy.typing import NDArray

__all__ = [
    "SELLERS_FLAT_NOTE",
    "cumulative_profit",
    "sellers_never_left",
    "strategy_shares",
    "time_series",
]

#: What the report says when the sellers-active figure is left out.
SELLERS_FLAT_NOTE = (
    "No seller went out of business in any run shown, so the figure of sellers still "
    "in business (a flat line per strategy) is left out."
)


# what one step of each model is called on the time axis
_STEP_WORD = {"market": "Period", "tournament": "Generation", "learning": "Round"}


#: Metrics that count a group's members: a band for their mean never rises above the
#: most members the group had in any run (sellers only leave, or switch by imitation).
HEADCOUNTS = frozenset({"sellers_active"})


def _metric_rows(results: ResultsLike, metric: str) -> pd.DataFrame:
    metrics = results.metrics()
    if metrics.empty or "metric" not in metrics.columns:
        return metrics.iloc[0:0]
    return metrics[metrics["metric"] == metric]


def time_series(
    results: ResultsLike,
    frame: pd.DataFrame,
    metric: str,
    name: str,
    title: str,
    caption: str,
    percent: bool = False,
) -> list[Chart]:
    """Draw ``frame`` (tidy metric rows over runs) as one line per group over steps,
    one panel per sweep point of :func:`~longgame.plots._data.panel_points`."""
    if frame.empty:
        return []
    panels = figure_panels(results, frame)
    if panels is None:
        return []
    points, groups, colors, varying = panels
    from matplotlib.ticker import MaxNLocator

    with style():
        fig, axes = new_figure(len(points), sharey=True)
        thin = False
        nonnegative = bool((frame["value"].dropna() >= 0).all())
        for ax, point in zip(axes, points, strict=True):
            rows = select(frame, point)
            stats = mean_ci(rows, ["group", "step"])
            drawn: list[tuple[NDArray[np.float64], Line2D]] = []
            for group in groups:
                line = stats[text(stats["group"]) == group]
                if line.empty:
                    continue
                steps = line["step"].to_numpy(dtype=float)
                low, high = line["ci_low"], line["ci_high"]
                if percent:  # a share's interval cannot leave [0, 1]
                    low, high = low.clip(0.0, 1.0), high.clip(0.0, 1.0)
                elif nonnegative:  # nor can a count's go below 0
                    low = low.clip(lower=0.0)
                if metric in HEADCOUNTS:  # nor above the most the group ever had
                    most = rows.loc[text(rows["group"]) == group, "value"].max()
                    high = high.clip(upper=float(most))
                mean = line["mean"].to_numpy(dtype=float)
                # lines that coincide (e.g. every seller still in business) are widened
                # underneath the newest one, so each strategy's colour stays visible
                for other, artist in drawn:
                    if other.shape == mean.shape and np.allclose(other, mean, equal_nan=True):
                        artist.set_linewidth(artist.get_linewidth() + 2.4)
                (artist,) = ax.plot(steps, mean, color=colors[group])
                drawn.append((mean, artist))
                if line["n"].min() >= MIN_BAND_RUNS:
                    ax.fill_between(steps, low, high, color=colors[group], alpha=0.18, lw=0)
                else:
                    thin = True
            if nonnegative and not percent:  # counts and money start from zero
                ax.set_ylim(bottom=0.0, top=max(ax.get_ylim()[1], 1.0))
            lo, hi = float(stats["ci_low"].min()), float(stats["ci_high"].max())
            if lo < 0.0 < hi:
                ax.axhline(0.0, color="black", lw=1.2, alpha=0.6)
            ax.set_xlabel(_STEP_WORD.get(model_name(results), "Period"))
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            title_panel(ax, point, points, varying)
            if percent:
                from matplotlib.ticker import PercentFormatter

                ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        axes[0].set_ylabel(metric_label(metric))
        shared_legend(fig, groups)
        fixed = held_fixed(points, varying)
        fig.suptitle(headline(title, fixed))
    if thin:
        caption += f" Bands are left out where fewer than {MIN_BAND_RUNS} runs were averaged."
    if fixed:
        caption += f" Other parameters: {point_title(fixed)}."
    return [Chart(name, title, caption, fig)]


def cumulative_profit(results: ResultsLike) -> list[Chart]:
    """Cumulative profit per seller over time, one line per strategy (market model).

    Uses the ``cumulative_profit`` metric, or sums ``profit`` over periods per run when
    only that is stored. No chart when neither is present.
    """
    results = cached(results)
    frame = _metric_rows(results, "cumulative_profit")
    if frame.empty:
        profit = _metric_rows(results, "profit")
        if profit.empty:
            return []
        frame = profit.sort_values(["run_id", "group", "step"]).copy()
        frame["value"] = frame.groupby(["run_id", "group"], observed=True)["value"].cumsum()
    return time_series(
        results,
        frame,
        "cumulative_profit",
        "cumulative-profit",
        "Cumulative profit over time",
        "Total profit per seller since the start, by strategy; means over replicates with "
        "95% confidence bands.",
    )


def sellers_never_left(results: ResultsLike) -> bool:
    """Whether the market's ``sellers_active`` never changed during any run at the
    sweep points the time-series figures show (every seller stayed in business)."""
    results = cached(results)
    frame = _metric_rows(results, "sellers_active")
    if frame.empty:
        return False
    import pandas as pd

    rows = pd.concat([select(frame, p) for p in panel_points(results)])
    if rows.empty:
        return False
    spread = rows.groupby(["run_id", "group"], observed=True)["value"].agg(["min", "max"])
    return bool((spread["max"] - spread["min"]).abs().max() < 1e-9)


def strategy_shares(results: ResultsLike) -> list[Chart]:
    """Who is still in the game over time, per strategy.

    Market results: the number of sellers of each strategy still in business
    (``sellers_active``; a share of active sellers is undefined once all have gone).
    Tournament and other results: the ``share`` of the population playing each strategy
    (ecological or imitation dynamics). No chart when the metric is absent.
    """
    results = cached(results)
    if model_name(results) == "market":
        frame = _metric_rows(results, "sellers_active")
        if not frame.empty:
            if sellers_never_left(results):  # a flat line per strategy says nothing
                return []
            return time_series(
                results,
                frame,
                "sellers_active",
                "sellers-active",
                "Sellers still in business",
                "Number of sellers of each strategy still in business (sellers leave when "
                "their capital runs out); means over replicates with 95% confidence bands.",
            )
    frame, folded = _top_shares(results, _metric_rows(results, "share"))
    caption = (
        "Share of the population playing each strategy"
        if model_name(results) == "tournament"
        else "Share per strategy"
    )
    caption += "; means over replicates with 95% confidence bands."
    if folded:
        caption += (
            f" The {len(folded)} strategies with the smallest final shares are summed as "
            f"'others': {', '.join(group_label(g) for g in folded)}."
        )
    return time_series(
        results, frame, "share", "strategy-shares", "Strategy shares over time", caption, True
    )


#: Most strategies drawn one by one in the shares figure; the rest are summed as "others".
TOP_SHARES = 5


def _top_shares(results: ResultsLike, frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """``frame`` with all but the :data:`TOP_SHARES` strategies of largest final mean
    share (at the sweep points shown) summed per run and step into a group "others";
    and the names folded. Unchanged when there are at most one more than that."""
    if frame.empty:
        return frame, []
    groups = order_groups(frame["group"])
    if len(groups) <= TOP_SHARES + 1:
        return frame, []
    import pandas as pd

    shown = pd.concat([select(frame, p) for p in panel_points(results)])
    last = shown[shown["step"] == shown["step"].max()]
    final = last.groupby(last["group"].astype(str), observed=True)["value"].mean()
    top = set(final.sort_values(ascending=False).index[:TOP_SHARES])
    folded = [g for g in groups if g not in top]
    keys = [c for c in frame.columns if c not in ("group", "value")]
    rest = frame[text(frame["group"]).isin(folded)]
    others = rest.groupby(keys, observed=True, dropna=False)["value"].sum().reset_index()
    others["group"] = OTHERS
    kept = frame[text(frame["group"]).isin(top)].assign(group=lambda f: f["group"].astype(str))
    return pd.concat([kept, others[kept.columns]], ignore_index=True), folded
