"""Heatmaps: a payoff over two swept parameters, who wins where, and the tournament's
payoff matrix (who beats whom)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from longgame.plots._chart import Chart, new_figure, order_groups, point_title, style
from longgame.plots._data import (
    PRIMARY_METRIC,
    is_grid,
    mean_ci,
    model_name,
    representative_point,
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
    short_label,
    strategy_colors,
    value_label,
)

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from matplotlib.axes import Axes
    from numpy.typing import NDArray

__all__ = ["payoff_matrix", "sweep_heatmap"]

_SHORT = {"profit": "Long-run profit", "score": "Tournament score", "payoff": "Payoff"}
_MAX_ANNOTATED = 10  # cells per side up to which values are printed in the cells
_GREY_CELL = "#BBBBBB"  # a cell with no value


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _long_run_words(metric: str) -> str:
    """``"long-run profit per seller per period (money)"``: the metric's label in a
    sentence, said to be long-run once (never "long-run long-run")."""
    label = in_sentence(metric_label(metric))
    return label if label.lower().startswith("long-run") else f"long-run {label}"


def _grid(frame: pd.DataFrame, x: str, y: str, xs: list[Any], ys: list[Any]) -> NDArray[np.float64]:
    import numpy as np

    grid = np.full((len(ys), len(xs)), np.nan)
    for i, yv in enumerate(ys):
        for j, xv in enumerate(xs):
            cell = select(frame, {x: xv, y: yv})
            if not cell.empty:
                grid[i, j] = float(cell["mean"].mean())
    return grid


def _text_color(rgba: Any) -> str:
    r, g, b = rgba[:3]
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.55 else "white"


def _annotate(ax: Axes, grid: NDArray[np.float64], image: Any, fmt: str = "{:.3g}") -> None:
    """Print each cell's value in a colour readable on the cell."""
    import numpy as np

    if max(grid.shape) > _MAX_ANNOTATED:
        return
    for i in range(grid.shape[0]):
        for j in range(grid.shape[1]):
            if np.isfinite(grid[i, j]):
                color = _text_color(image.cmap(image.norm(grid[i, j])))
                ax.text(
                    j, i, fmt.format(grid[i, j]), ha="center", va="center", fontsize=11, color=color
                )


def _axes_ticks(ax: Axes, x: str, y: str, xs: list[Any], ys: list[Any]) -> None:
    ax.set_xticks(range(len(xs)), [value_label(v) for v in xs])
    ax.set_yticks(range(len(ys)), [value_label(v) for v in ys])
    ax.set_xlabel(param_label(x))
    ax.set_ylabel(param_label(y))
    ax.grid(visible=False)
    if len(xs) > 6:
        ax.tick_params(axis="x", labelrotation=45)


def sweep_heatmap(results: ResultsLike, metric: str | None = None) -> list[Chart]:
    """For sweeps over two or more parameters: the long-run ``metric`` per strategy as a
    heatmap over the first two swept parameters (others fixed), and a map of which
    strategy earns most in each cell. No chart for sweeps over fewer than two."""
    import numpy as np
    from matplotlib import colormaps
    from matplotlib.colors import Normalize

    results = cached(results)
    metric = metric or PRIMARY_METRIC.get(model_name(results), "profit")
    noun = "population" if model_name(results) == "learning" else "strategy"
    summary = results.summary
    keys = [k for k in results.swept if len(swept_values(results, k)) >= 2]
    if len(keys) < 2 or summary.empty or "metric" not in summary.columns:
        return []
    if not is_grid(results):  # a sample has no cells to colour
        return []
    frame = summary[summary["metric"] == metric]
    if frame.empty:
        return []
    x, y = keys[0], keys[1]
    fixed = representative_point(results, [k for k in results.swept if k not in (x, y)])
    frame = select(frame, fixed)
    xs, ys = swept_values(results, x), swept_values(results, y)
    groups = order_groups(frame["group"])
    grids = {g: _grid(frame[text(frame["group"]) == g], x, y, xs, ys) for g in groups}
    finite = np.concatenate([g[np.isfinite(g)] for g in grids.values()])
    if finite.size == 0:
        return []
    charts = []
    fixed_words = f" Other parameters: {point_title(fixed)}." if fixed else ""
    with style():
        lo, hi = float(finite.min()), float(finite.max())
        if lo < 0.0 < hi:  # losses red, gains blue, zero white, on one linear scale
            bound = max(-lo, hi)
            norm: Any = Normalize(vmin=-bound, vmax=bound)
            cmap = colormaps["RdBu"].with_extremes(bad=_GREY_CELL)
        else:
            norm = Normalize(vmin=lo, vmax=hi if hi > lo else lo + 1.0)
            cmap = colormaps["viridis"].with_extremes(bad=_GREY_CELL)
        fig, axes = new_figure(len(groups), panel=(6.2, 5.2))
        image = None
        missing = False
        for ax, group in zip(axes, groups, strict=True):
            image = ax.imshow(grids[group], origin="lower", cmap=cmap, norm=norm, aspect="auto")
            _annotate(ax, grids[group], image)
            missing |= bool(np.isnan(grids[group]).any())
            _axes_ticks(ax, x, y, xs, ys)
            ax.set_title(group_label(group), color=strategy_colors(groups)[group])
        if image is not None:
            bar = fig.colorbar(image, ax=axes, shrink=0.85)
            bar.set_label(metric_label(metric))
        if missing:  # the key on the image, not only in the report's caption
            from matplotlib.patches import Patch

            gone = "no seller of this strategy left" if noun == "strategy" else "no value"
            fig.legend(
                handles=[Patch(facecolor=_GREY_CELL, edgecolor="#777777", label=f"grey: {gone}")],
                loc="outside lower center",
            )
        title = f"{_SHORT.get(metric, metric_label(metric))} across the sweep, by {noun}"
        fig.suptitle(title)
        charts.append(
            Chart(
                f"heatmap-{metric.replace('.', '-')}",
                title,
                f"{_capital(_long_run_words(metric))} for each {noun} in every cell of the "
                "sweep (means over replicates)."
                + (
                    " Grey cells have no value: no seller of that strategy was left "
                    "(or the setting was not run)."
                    if missing
                    else ""
                )
                + fixed_words,
                fig,
            )
        )
        if len(groups) >= 2:
            charts.append(_winner_map(grids, groups, x, y, xs, ys, metric, fixed_words, noun))
    return charts


def _winner_map(
    grids: dict[str, NDArray[np.float64]],
    groups: list[str],
    x: str,
    y: str,
    xs: list[Any],
    ys: list[Any],
    metric: str,
    fixed_words: str,
    noun: str = "strategy",
) -> Chart:
    import numpy as np
    from matplotlib.colors import ListedColormap, to_rgba
    from matplotlib.patches import Patch

    colors = strategy_colors(groups)
    stack = np.stack([grids[g] for g in groups])
    filled = np.where(np.isfinite(stack), stack, -np.inf)
    best = np.argmax(filled, axis=0).astype(float)
    best[~np.isfinite(stack).any(axis=0)] = np.nan
    fig, (ax,) = new_figure(1, panel=(8.0, 6.0))
    cmap = ListedColormap([colors[g] for g in groups])
    ax.imshow(best, origin="lower", cmap=cmap, vmin=-0.5, vmax=len(groups) - 0.5, aspect="auto")
    starred = False
    if max(best.shape) <= _MAX_ANNOTATED:
        for i in range(best.shape[0]):
            for j in range(best.shape[1]):
                if np.isfinite(best[i, j]):
                    k = int(best[i, j])
                    alone = not np.isfinite(np.delete(stack[:, i, j], k)).all()
                    starred |= alone
                    ax.text(
                        j,
                        i,
                        f"{stack[k, i, j]:.3g}" + ("*" if alone else ""),
                        ha="center",
                        va="center",
                        fontsize=12,
                        color=_text_color(to_rgba(colors[groups[k]])),
                    )
    _axes_ticks(ax, x, y, xs, ys)
    present = [g for k, g in enumerate(groups) if np.any(best == k)]
    handles: list[Any] = [Patch(color=colors[g], label=group_label(g)) for g in present]
    gone = "no seller left" if noun == "strategy" else "no value"
    if starred:  # the key on the image: what the star means
        from matplotlib.lines import Line2D

        handles.append(
            Line2D(
                [],
                [],
                ls="none",
                marker="$*$",
                ms=11,
                color="black",
                label=f"another {noun} had\n{gone}",
            )
        )
    if np.isnan(best).any():
        handles.append(
            Patch(facecolor="white", edgecolor="#777777", label=f"blank: every {noun}\nhad {gone}")
        )
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.02, 1.0),
        title="Earns most",
    )
    title = f"Which {noun} earns most ({short_label(_long_run_words(metric))})"
    fig.suptitle(title)
    caption = (
        f"Each cell is coloured by the {noun} with the highest "
        f"{_long_run_words(metric)} there; the number is that {noun}'s value."
    )
    if (np.isfinite(stack).sum(axis=0) < len(groups)).any():
        caption += f" A star (*) marks cells where another {noun} had no value (no seller left)."
    caption += fixed_words
    return Chart(f"winner-{metric.replace('.', '-')}", title, caption, fig)


def _matrix_columns(table: pd.DataFrame) -> tuple[str, str, str] | None:
    ids = {"run_id", "point", "replicate", "step"}
    names = [
        c
        for c in table.columns
        if c not in ids and (table[c].dtype == object or str(table[c].dtype) == "string")
    ]
    preferred = [
        (a, b)
        for a, b in [("row", "column"), ("strategy", "opponent"), ("player", "opponent")]
        if a in table.columns and b in table.columns
    ]
    pair = preferred[0] if preferred else (tuple(names[:2]) if len(names) >= 2 else None)
    if pair is None:
        return None
    numbers = [
        c
        for c in table.columns
        if c not in ids and c not in pair and str(table[c].dtype).startswith(("float", "int"))
    ]
    for wanted in ("value", "payoff", "score", "mean"):
        if wanted in numbers:
            return pair[0], pair[1], wanted
    return (pair[0], pair[1], numbers[-1]) if numbers else None


def payoff_matrix(results: ResultsLike) -> list[Chart]:
    """The tournament's average payoff of each strategy (row) against each opponent
    (column), from the ``payoff_matrix`` table at a representative sweep point."""
    results = cached(results)
    table = results.table("payoff_matrix")
    if table.empty:
        return []
    cols = _matrix_columns(table)
    if cols is None:
        return []
    row, col, value = cols
    point = representative_point(results)
    table = select(table, point)
    if table.empty:
        return []
    stats = mean_ci(table, [row, col], value=value)
    rows = order_groups(stats[row])
    columns = order_groups(stats[col])
    import numpy as np

    grid = np.full((len(rows), len(columns)), np.nan)
    for r in stats.itertuples(index=False):
        grid[rows.index(str(getattr(r, row))), columns.index(str(getattr(r, col)))] = r.mean
    with style():
        size = max(7.0, 0.6 * len(columns) + 4.5)
        fig, (ax,) = new_figure(1, panel=(size, max(5.5, 0.45 * len(rows) + 3)))
        image = ax.imshow(grid, cmap="viridis", aspect="auto")
        _annotate(ax, grid, image, "{:.2f}")
        ax.set_xticks(
            range(len(columns)), [group_label(c) for c in columns], rotation=35, ha="right"
        )
        ax.set_yticks(range(len(rows)), [group_label(r) for r in rows])
        ax.set_xlabel("Opponent")
        ax.set_ylabel("Strategy")
        ax.grid(visible=False)
        bar = fig.colorbar(image, ax=ax, shrink=0.85)
        bar.set_label("Average payoff per round")
        title = "Who beats whom: average payoff per round"
        fig.suptitle(title)
    caption = "Average payoff per round of the row strategy against the column strategy."
    if point:
        caption += f" Parameters: {point_title(point)}."
    return [Chart("payoff-matrix", title, caption, fig)]
