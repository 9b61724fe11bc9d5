"""Long-run payoff (and retention) against a swept parameter, one line per strategy.

The long-run values come from ``summary.parquet``: each run's metric averaged over the
long-run window, then averaged over replicates with a 95% confidence interval. On a
repeat-purchase-probability sweep of the market model, the grim-trigger threshold
δ* = (T − R)/(T − P) is drawn as a vertical line: above it the shadow of the future is
long enough for fair dealing to be an equilibrium (Axelrod, *The Evolution of
Cooperation*, 1984, ch. 1).
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING, Any

from longgame.plots._chart import (
    Chart,
    columns,
    new_figure,
    order_groups,
    panel_title,
    shared_legend,
    style,
)
from longgame.plots._data import (
    MIN_BAND_RUNS,
    PRIMARY_METRIC,
    is_grid,
    is_numeric_key,
    model_name,
    select,
    swept_values,
    text,
)
from longgame.plots._load import ResultsLike, cached
from longgame.plots._style import (
    group_label,
    in_sentence,
    metric_label,
    param_label,
    strategy_colors,
    value_label,
)

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = ["grim_trigger_threshold", "long_run_payoff", "retention_sweep", "window_words"]

# swept keys that are the repeat-purchase (continuation) probability
_REPEAT_KEY = re.compile(r"(^|\.)repeat\.base$|repeat_prob|continuation", re.IGNORECASE)


def _x_key(results: ResultsLike) -> str | None:
    numeric = [k for k in results.swept if is_numeric_key(results, k)]
    many = [k for k in numeric if len(swept_values(results, k)) >= 3]
    if many:
        return many[0]
    if numeric:
        return numeric[0]
    return results.swept[0] if results.swept else None


def _facets(results: ResultsLike, x: str | None, limit: int = 6) -> list[dict[str, Any]]:
    others = [k for k in results.swept if k != x]
    if not others or not is_grid(results):  # a sample or zipped lists: one panel
        return [{}]
    values = {k: swept_values(results, k) for k in others}
    combos = list(itertools.product(*values.values()))
    if len(combos) > limit:
        reduced = {}
        for k, vals in values.items():
            if len(vals) > 3:
                vals = [vals[0], vals[len(vals) // 2], vals[-1]]
            reduced[k] = vals
        combos = list(itertools.product(*reduced.values()))[: max(limit, 9)]
    return [dict(zip(others, c, strict=True)) for c in combos]


def grim_trigger_threshold(results: ResultsLike, point: dict[str, Any]) -> float | None:
    """The grim-trigger repeat probability at the sweep ``point`` (some swept keys and
    their values), as the runner stored it with the results: the model's theory values
    at each point (``manifest.json``, ``points[i]["theory"]``, see
    :mod:`longgame.experiments.runner`). None where the results carry none (a model
    without that theory, or results written before theory values were stored), where the
    value is outside [0, 1], or where the matching points disagree (other parameters
    vary within the panel)."""
    found: set[float] = set()
    for entry in results.manifest.get("points") or []:
        if not isinstance(entry, dict):
            continue
        values = entry.get("values") or {}
        if any(key not in values or values[key] != value for key, value in point.items()):
            continue
        value = (entry.get("theory") or {}).get("grim_trigger_threshold")
        if isinstance(value, int | float):
            found.add(round(float(value), 12))
    if len(found) != 1:
        return None
    (value,) = found
    return value if 0.0 <= value <= 1.0 else None


#: Marks for points with no value: no seller left (an X on the zero line), or too few
#: observations to tell (a "?" at the foot of the panel, off the value scale).
GONE, FEW = "no seller left", "too few customers to tell"


def _min_base() -> int:
    """Customers a group needs at the start of a period for its retention to count."""
    from longgame.analysis.retention import MIN_RETENTION_BASE

    return MIN_RETENTION_BASE


def _few_mark(ax: Axes, xs: Any, color: str) -> None:
    """A "?" low in the panel (above the zero line's X marks) for each x: a point left
    out for too few data."""
    import numpy as np

    ax.scatter(
        xs,
        np.full(len(xs), 0.12),
        transform=ax.get_xaxis_transform(),
        marker="$?$",
        s=220,
        color=color,
        zorder=4,
        clip_on=False,
    )


def _no_seller(results: ResultsLike, frame: pd.DataFrame) -> Any:
    """Per row of ``frame`` (summary rows of one metric), whether a missing value means
    that no seller of the group was left (else: too few customers to tell). Only
    ``retention`` has the second reason; it is told by the long-run ``sellers_active``."""
    import numpy as np

    if frame.empty or str(frame["metric"].iloc[0]) != "retention":
        return np.ones(len(frame), dtype=bool)
    summary = results.summary
    active = summary[summary["metric"] == "sellers_active"]
    keys = [k for k in results.swept if k in frame.columns and k in active.columns]
    if active.empty:
        return np.zeros(len(frame), dtype=bool)
    left = frame[[*keys, "group"]].assign(group=frame["group"].astype(str))
    own = active[[*keys, "group", "mean"]].assign(group=active["group"].astype(str))
    sellers_by_point = own.groupby([*keys, "group"], dropna=False)["mean"].mean().reset_index()
    merged = left.merge(sellers_by_point, on=[*keys, "group"], how="left")
    sellers = merged["mean"].to_numpy(dtype=float)
    return ~(sellers >= 0.5)  # NaN: no seller active in any replicate's window


def _draw_lines(
    ax: Axes,
    frame: pd.DataFrame,
    x: str,
    groups: list[str],
    numeric: bool,
    joined: bool = True,
    no_seller: Any = None,
) -> set[str]:
    """One line (or dots) per group; returns the marks drawn for points with no value:
    :data:`GONE` (no seller left: an X on the zero line) and :data:`FEW` (too few
    customers to tell: a "?" at the foot of the panel). ``no_seller`` (one flag per
    row of ``frame``, default all) says which reason a missing value has."""
    import numpy as np

    colors = strategy_colors(groups)
    categories = swept_values_from(frame, x) if not numeric else []
    marks: set[str] = set()
    if no_seller is None:
        no_seller = np.ones(len(frame), dtype=bool)
    frame = frame.assign(_no_seller=np.asarray(no_seller, dtype=bool))
    for i, group in enumerate(groups):
        rows = frame[text(frame["group"]) == group].sort_values(x)
        if rows.empty:
            continue
        mean = rows["mean"].to_numpy(dtype=float)
        low = rows["ci_low"].fillna(rows["mean"]).to_numpy(dtype=float)
        high = rows["ci_high"].fillna(rows["mean"]).to_numpy(dtype=float)
        if numeric:
            xs = rows[x].to_numpy(dtype=float)
        else:
            offset = (i - (len(groups) - 1) / 2) * 0.12
            xs = np.array([categories.index(v) for v in rows[x]], dtype=float) + offset
        missing = ~np.isfinite(mean)
        closed = rows["_no_seller"].to_numpy(dtype=bool)
        if (missing & ~closed).any():
            marks.add(FEW)
            _few_mark(ax, xs[missing & ~closed], colors[group])
        missing &= closed
        if missing.any():
            marks.add(GONE)
            ax.scatter(
                xs[missing],
                np.zeros(int(missing.sum())),
                marker="X",
                s=160,
                color=colors[group],
                edgecolors="black",
                linewidths=0.8,
                zorder=4,
            )
        if "n" in rows.columns:  # no band from fewer than MIN_BAND_RUNS runs
            few = rows["n"].to_numpy(dtype=float) < MIN_BAND_RUNS
            low, high = np.where(few, mean, low), np.where(few, mean, high)
        if numeric and joined:
            ax.plot(xs, mean, marker="o", color=colors[group], label=group_label(group))
            ax.fill_between(xs, low, high, color=colors[group], alpha=0.18, lw=0)
        elif numeric:  # points of a sample: other parameters vary too, so no line
            ax.errorbar(
                xs,
                mean,
                yerr=[mean - low, high - mean],
                fmt="o",
                ms=8,
                alpha=0.8,
                color=colors[group],
                label=group_label(group),
            )
        else:
            ax.errorbar(
                xs,
                mean,
                yerr=[mean - low, high - mean],
                fmt="o",
                ms=10,
                capsize=5,
                color=colors[group],
                label=group_label(group),
            )
    if not numeric:
        ax.set_xticks(range(len(categories)), [value_label(c) for c in categories])
        ax.set_xlim(-0.6, len(categories) - 0.4)
    return marks


def swept_values_from(frame: pd.DataFrame, key: str) -> list[Any]:
    """Distinct values of ``key`` in ``frame``, sorted where they can be."""
    values = frame[key].drop_duplicates().tolist()
    try:
        return sorted(values)
    except TypeError:
        return values


def _zero_line(ax: Axes, frame: pd.DataFrame) -> None:
    lo = float(frame["ci_low"].fillna(frame["mean"]).min())
    hi = float(frame["ci_high"].fillna(frame["mean"]).max())
    if lo < 0.0 < hi or frame["mean"].isna().any():
        ax.axhline(0.0, color="black", lw=1.2, alpha=0.6)


def window_words(results: ResultsLike) -> str:
    """The long-run window in words: ``"the last 40 of 200 periods"``."""
    window = float(results.config.get("outputs", {}).get("long_run_window", 0.2))
    steps = results.config.get("experiment", {}).get("steps")
    if isinstance(steps, int) and steps > 0:
        last = max(1, round(window * steps))
        return f"the last {last} of {steps} periods"
    return f"the last {window:.0%} of periods"


def _sweep_chart(
    results: ResultsLike, metric: str, name: str, what: str, percent: bool = False
) -> list[Chart]:
    summary = results.summary
    if summary.empty or "metric" not in summary.columns:
        return []
    frame = summary[summary["metric"] == metric]
    if frame.empty:
        return []
    groups = order_groups(frame["group"])
    x = _x_key(results)
    window = window_words(results)
    with style():
        if x is None:
            return [_bar_chart(frame, metric, name, what, groups, window, results)]
        numeric = is_numeric_key(results, x)
        grid = is_grid(results) or len(results.swept) == 1
        facets = _facets(results, x)
        fig, axes = new_figure(len(facets), sharey=True)
        thresholds = []
        marks: set[str] = set()
        for ax, facet in zip(axes, facets, strict=True):
            rows = select(frame, facet)
            if rows.empty:
                ax.set_visible(False)
                continue
            flags = _no_seller(results, rows)
            marks |= _draw_lines(ax, rows, x, groups, numeric, joined=grid, no_seller=flags)
            _zero_line(ax, rows)
            if numeric and _REPEAT_KEY.search(x):
                delta = grim_trigger_threshold(results, facet)
                if delta is not None:
                    thresholds.append(delta)
                    ax.axvline(delta, color="black", ls="--", lw=1.8)
                    ax.annotate(
                        f"break-even return\nprobability {delta:.2f}",
                        xy=(delta, 1.0),
                        xycoords=("data", "axes fraction"),
                        xytext=(6, -6),
                        textcoords="offset points",
                        va="top",
                        fontsize=12,
                    )
            ax.set_xlabel(param_label(x))
            if facet:
                ax.set_title(panel_title(facet), fontsize=14)
            if percent:
                from matplotlib.ticker import PercentFormatter

                ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        for ax in axes[:: columns(len(facets))]:
            ax.set_ylabel(metric_label(metric))
        extra = []
        gone = GONE in marks
        if marks:
            from matplotlib.lines import Line2D

            if gone:
                extra.append(
                    Line2D(
                        [], [], marker="X", ls="none", ms=12, color="#888888", mec="black",
                        label=GONE,
                    )
                )  # fmt: skip
            if FEW in marks:
                extra.append(
                    Line2D([], [], marker="$?$", ls="none", ms=14, color="#888888", label=FEW)
                )
        shared_legend(fig, groups, extra=extra)
        title = f"{what} as the {in_sentence(param_label(x))} changes"
        fig.suptitle(title)
    caption = (
        f"{metric_label(metric)}, averaged over {window} of each run and over replicates; "
        f"shaded bands are 95% confidence intervals (left out where fewer than {MIN_BAND_RUNS} "
        "runs were averaged)."
    )
    if thresholds:
        caption += (
            " The dashed line is the break-even return probability (in game theory, the "
            "grim-trigger threshold δ* = (T − R)/(T − P)): to its right, the chance of the "
            "customer coming back is high enough for honest dealing to pay in theory."
        )
    if gone:
        caption += (
            " An X on the zero line marks a strategy with no seller left in business "
            "(nothing to average)."
        )
    if FEW in marks:
        caption += (
            " A ? at the foot of a panel marks a strategy whose sellers had too few customers "
            f"to tell (fewer than {_min_base()} at the start of a period): no number is "
            "shown for it."
        )
    if not grid:
        caption += " The sweep was not a grid: other parameters vary between the points too."
    if len(facets) > 1:
        caption += " Each panel holds the other swept parameters fixed at the value in its title."
    return [Chart(name, title, caption, fig)]


def _bar_chart(
    frame: pd.DataFrame,
    metric: str,
    name: str,
    what: str,
    groups: list[str],
    window: str,
    results: ResultsLike | None = None,
) -> Chart:
    import numpy as np

    colors = strategy_colors(groups)
    no_seller = dict.fromkeys(groups, True)
    if results is not None:
        flags = _no_seller(results, frame)
        no_seller = {str(g): bool(f) for g, f in zip(frame["group"], flags, strict=True)}
    rows = frame.set_index(frame["group"].astype(str)).reindex(groups)
    mean = rows["mean"].to_numpy(dtype=float)
    low = rows["ci_low"].fillna(rows["mean"]).to_numpy(dtype=float)
    high = rows["ci_high"].fillna(rows["mean"]).to_numpy(dtype=float)
    fig, (ax,) = new_figure(1, panel=(max(6.0, 1.8 * len(groups) + 2), 5.2))
    xs = np.arange(len(groups))
    ax.bar(xs, np.nan_to_num(mean), color=[colors[g] for g in groups], width=0.65)
    ax.errorbar(xs, mean, yerr=[mean - low, high - mean], fmt="none", ecolor="black", capsize=6)
    missing = ~np.isfinite(mean)
    closed = np.array([no_seller.get(g, True) for g in groups], dtype=bool)
    gone, few = missing & closed, missing & ~closed
    for x in xs[few]:
        _few_mark(ax, [x], colors[groups[x]])
        ax.annotate(
            FEW,
            (x, 0.12),
            xycoords=ax.get_xaxis_transform(),
            xytext=(0, 16),
            textcoords="offset points",
            ha="center",
            fontsize=12,
        )
    for x in xs[gone]:
        ax.scatter([x], [0.0], marker="X", s=200, color=colors[groups[x]], edgecolors="black")
        ax.annotate(
            GONE,
            (x, 0.0),
            xytext=(0, 12),
            textcoords="offset points",
            ha="center",
            fontsize=12,
        )
    ax.set_xticks(xs, [group_label(g) for g in groups], rotation=20 if len(groups) > 4 else 0)
    ax.set_ylabel(metric_label(metric))
    ax.grid(axis="x", visible=False)
    if np.nanmin(low) < 0.0 < np.nanmax(high) or gone.any():
        ax.axhline(0.0, color="black", lw=1.2)
    title = f"{what} by strategy"
    fig.suptitle(title)
    caption = (
        f"{metric_label(metric)}, averaged over {window} of each run and over replicates; "
        "black bars are 95% confidence intervals."
    )
    if gone.any():
        caption += " An X marks a strategy with no seller left in business (nothing to average)."
    if few.any():
        caption += (
            " A ? marks a strategy whose sellers had too few customers to tell (fewer than "
            f"{_min_base()} at the start of a period): no number is shown for it."
        )
    return Chart(name, title, caption, fig)


def long_run_payoff(results: ResultsLike, metric: str | None = None) -> list[Chart]:
    """Long-run payoff per strategy against the main swept parameter.

    One line per strategy with a 95% confidence band; one panel per value of the other
    swept parameters; a bar chart when nothing was swept. ``metric`` defaults to the
    model's payoff (``profit``, ``score`` or ``payoff``). Returns no chart when the
    summary lacks the metric.
    """
    results = cached(results)
    metric = metric or PRIMARY_METRIC.get(model_name(results), "profit")
    what = {"profit": "Long-run profit", "score": "Tournament score", "payoff": "Payoff"}.get(
        metric, metric_label(metric)
    )
    return _sweep_chart(results, metric, f"long-run-{metric.replace('.', '-')}", what)


def retention_sweep(results: ResultsLike) -> list[Chart]:
    """Share of customers kept each period, per strategy, against the main swept
    parameter (market model; no chart when ``retention`` is absent)."""
    results = cached(results)
    return _sweep_chart(results, "retention", "retention-rate", "Customers kept", percent=True)
