"""How long customer relationships last, per strategy: Kaplan-Meier survival curves.

Relationships still running when a run ends are right-censored, not ended, so the
Kaplan-Meier estimator (Kaplan & Meier, 1958) is used rather than the raw share of ended
relationships. The band is a pointwise 95% log-log confidence interval.
"""

from __future__ import annotations

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
from longgame.plots._data import select
from longgame.plots._load import ResultsLike, cached

__all__ = ["survival_curves"]


def survival_curves(results: ResultsLike) -> list[Chart]:
    """Kaplan-Meier curves of relationship length per strategy, from the ``spells``
    table (columns ``group, duration, event``), one panel per sweep point. No chart
    when the table is absent or empty."""
    results = cached(results)
    spells = results.table("spells")
    needed = {"group", "duration", "event"}
    if spells.empty or not needed <= set(spells.columns):
        return []
    panels = figure_panels(results, spells)
    if panels is None:
        return []
    points, groups, colors, varying = panels
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    from longgame.analysis import kaplan_meier

    coincide = True  # every panel's curves identical (e.g. one-shot exchanges)
    with style():
        fig, axes = new_figure(len(points), sharey=True)
        for ax, point in zip(axes, points, strict=True):
            curves = kaplan_meier(select(spells, point), by="group")
            curves["group"] = curves["group"].astype(str)
            shapes = {
                tuple(c["time"].round(9)) + tuple(c["survival"].round(9))
                for _, c in curves.groupby("group", observed=True)
            }
            coincide &= len(shapes) == 1 and curves["group"].nunique() > 1
            for group in groups:
                curve = curves[curves["group"] == group]
                if curve.empty:
                    continue
                ax.step(curve["time"], curve["survival"], where="post", color=colors[group])
                ax.fill_between(
                    curve["time"],
                    curve["ci_low"],
                    curve["ci_high"],
                    step="post",
                    color=colors[group],
                    alpha=0.18,
                    lw=0,
                )
            ax.set_ylim(-0.02, 1.02)
            ax.set_xlim(left=0)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.set_xlabel("Periods since the relationship began")
            title_panel(ax, point, points, varying)
            ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        axes[0].set_ylabel("Relationships still going")
        shared_legend(fig, groups)
        title = "How long customer relationships last"
        fixed = held_fixed(points, varying)
        fig.suptitle(headline(title, fixed))
    caption = (
        "Kaplan-Meier estimate of the share of customer relationships still going after a "
        "given number of periods, by seller strategy; relationships still running at the "
        "end count as censored, not lost. Bands are 95% confidence intervals."
    )
    if coincide:
        caption += (
            " The strategies' curves coincide (drawn on top of each other): relationships "
            "last equally long whatever the seller does."
        )
    if fixed:
        caption += f" Other parameters: {point_title(fixed)}."
    return [Chart("survival", title, caption, fig)]
