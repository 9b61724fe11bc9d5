"""The story figure: who is ahead, and when.

The lesson of the sources in one picture: a fleecer's one-shot takings put it ahead at
first, while its customers are new; once they have left and warned others, and the fair
dealer's regulars keep buying, it falls behind for good (source 000: "customers only
need to be cheated once"; 003: "我有利客无利,客则不存"). On the whole horizon that early
lead is a sliver (cumulative profit runs to thousands), so the figure puts a zoomed panel
of the first periods beside the whole run, shades the lead, and marks the crossover with
its spread over the replicates.

Everything is computed from the stored runs at the headline sweep setting
(:func:`~longgame.plots._data.headline_point`): per replicate, the period from which the
leader stayed behind to the end (:func:`crossover_period`), then the median and the
spread of those periods. When there is no crossover, or too few replicates to speak of a
spread, the sentence says so.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from longgame.plots._chart import Chart, headline, new_figure, order_groups, point_title, style
from longgame.plots._data import MIN_BAND_RUNS, headline_point, mean_ci, model_name, select
from longgame.plots._load import ResultsLike, cached
from longgame.plots._style import (
    canonical_name,
    group_label,
    in_sentence,
    metric_label,
    param_label,
    plural,
    short_label,
    strategy_colors,
    value_label,
)

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from numpy.typing import NDArray

__all__ = [
    "FAIR_NAMES",
    "FLEECE_NAMES",
    "Crossover",
    "crossover_period",
    "plural",
    "story",
    "story_numbers",
    "story_sentence",
]

#: Honest strategies, in the order a story prefers them as the fleecer's counterpart.
FAIR_NAMES: tuple[str, ...] = (
    "fair-dealer",
    "always-cooperate",
    "grid-9.9",
    "reciprocator",
    "tit-for-tat",
)
#: Fleecing strategies: the one that leads early, when present.
FLEECE_NAMES: tuple[str, ...] = ("fleecer", "always-defect", "grid-9.1")

#: Fewest replicates for which the spread of the crossover period is given as a range.
MIN_SPREAD_RUNS = 3
#: From this many crossing replicates on, the spread is the central 90% (5th to 95th
#: percentile) rather than the full range, which a single odd replicate would stretch.
PERCENTILE_RUNS = 20
# above this, "N x as much" stops meaning anything: say the two amounts instead
_MAX_RATIO = 100.0

Outcome = Literal["crossed", "never-led", "no-crossover"]


def crossover_period(steps: Sequence[int], diff: Sequence[float]) -> tuple[Outcome, int | None]:
    """How one run's lead ended: ``diff`` is leader minus other (cumulative profit) at
    ``steps``.

    ``("crossed", c)``: the leader was ahead at some period before ``c`` and behind at
    every period from ``c`` to the end; ``("never-led", None)``: it was never ahead
    (periods where both are level, like the start, are no lead); ``("no-crossover",
    None)``: it was ahead or level at the last period.

    >>> crossover_period([1, 2, 3, 4, 5], [0, 2, 1, -1, -3])
    ('crossed', 4)
    >>> crossover_period([1, 2, 3, 4, 5], [0, 2, -1, 1, -3])  # behind for good from 5
    ('crossed', 5)
    >>> crossover_period([1, 2, 3], [0, -1, -2])
    ('never-led', None)
    >>> crossover_period([1, 2, 3], [1, -1, 0])
    ('no-crossover', None)
    """
    d = np.asarray(diff, dtype=float)
    if d.size == 0 or not d[-1] < 0:
        return "no-crossover", None
    not_behind = np.flatnonzero(~(d < 0))
    first_behind = int(not_behind[-1]) + 1 if not_behind.size else 0
    if not (d[:first_behind] > 0).any():
        return "never-led", None
    return "crossed", int(steps[first_behind])


@dataclass(frozen=True)
class Crossover:
    """The crossover of ``leader`` and ``other`` over the replicates of one setting.

    ``crossed`` holds the crossover periods (first period behind for good) of the runs
    that had one, in increasing order; ``never_led`` and ``no_crossover`` count the other runs;
    ``totals`` is each group's mean cumulative profit per seller at ``last_step``.
    """

    leader: str
    other: str
    point: dict[str, Any]
    runs: int
    crossed: tuple[int, ...]
    never_led: int
    no_crossover: int
    last_step: int
    totals: dict[str, float] = field(default_factory=dict)

    @property
    def median(self) -> float | None:
        """Median crossover period over the runs that crossed (None if none did)."""
        return float(np.median(self.crossed)) if self.crossed else None

    @property
    def spread(self) -> tuple[float, float] | None:
        """(low, high) crossover periods: the range over the crossing runs, or their
        central 90% from :data:`PERCENTILE_RUNS` runs on; None below
        :data:`MIN_SPREAD_RUNS` runs."""
        if len(self.crossed) < MIN_SPREAD_RUNS:
            return None
        values = np.asarray(self.crossed, dtype=float)
        if len(values) >= PERCENTILE_RUNS:
            low, high = np.percentile(values, [5, 95])
            return float(low), float(high)
        return float(values.min()), float(values.max())


def _cumulative(results: ResultsLike) -> pd.DataFrame:
    """Cumulative profit rows (one per run, step and group), from the stored
    ``cumulative_profit`` or by summing ``profit`` over periods (computed once per
    results; not to be changed)."""
    return cached(results).derived("cumulative profit", _cumulative_rows)


def _cumulative_rows(results: ResultsLike) -> pd.DataFrame:
    metrics = results.metrics()
    if metrics.empty or "metric" not in metrics.columns:
        return metrics.iloc[0:0]
    rows = metrics[metrics["metric"] == "cumulative_profit"]
    if rows.empty:
        profit = metrics[metrics["metric"] == "profit"]
        if profit.empty:
            return profit
        rows = profit.sort_values(["run_id", "group", "step"]).copy()
        rows["value"] = rows["value"].fillna(0.0)
        rows["value"] = rows.groupby(["run_id", "group"], observed=True)["value"].cumsum()
    return rows.assign(group=rows["group"].astype(str))


def _pair(table: pd.DataFrame) -> tuple[str, str] | None:
    """(leader, other): a fleecing and an honest strategy when both are present; else
    the group that ends ahead and the one that was ahead of it longest (the runner-up
    when none was)."""
    groups = list(table.columns)
    canon = {canonical_name(g): g for g in groups}
    fleece = next((canon[n] for n in FLEECE_NAMES if n in canon), None)
    fair = next((canon[n] for n in FAIR_NAMES if n in canon), None)
    if fleece is not None and fair is not None:
        return fleece, fair
    if len(groups) < 2:
        return None
    final = table.ffill().iloc[-1]
    winner = str(final.idxmax())
    others = [g for g in groups if g != winner]
    ahead = {g: int((table[g] > table[winner]).sum()) for g in others}
    leader = max(others, key=lambda g: (ahead[g], float(final[g])))
    return leader, winner


def story_numbers(results: ResultsLike) -> Crossover | None:
    """The crossover at the headline setting, from each replicate's cumulative profit;
    None when the results hold no market time series of two or more groups."""
    results = cached(results)
    if model_name(results) != "market":
        return None
    rows = _cumulative(results)
    if rows.empty:
        return None
    point = headline_point(results)
    rows = select(rows, point)
    if rows.empty:
        return None
    mean = rows.groupby(["step", "group"], observed=True)["value"].mean().unstack("group")
    pair = _pair(mean)
    if pair is None:
        return None
    leader, other = pair
    per_run = rows[rows["group"].isin(pair)].pivot_table(
        index=["run_id", "step"], columns="group", values="value", aggfunc="mean"
    )
    outcomes: list[tuple[Outcome, int | None]] = []
    for _, run in per_run.groupby(level="run_id", sort=True):
        if leader not in run.columns or other not in run.columns:
            continue
        diff = (run[leader] - run[other]).ffill().dropna()
        steps = diff.index.get_level_values("step").to_numpy()
        outcomes.append(crossover_period(steps.tolist(), diff.to_numpy(dtype=float).tolist()))
    if not outcomes:
        return None
    last = int(mean.index.max())
    final = {str(g): float(v) for g, v in mean.ffill().iloc[-1].items()}
    return Crossover(
        leader=leader,
        other=other,
        point=point,
        runs=len(outcomes),
        crossed=tuple(sorted(int(c) for k, c in outcomes if k == "crossed" and c is not None)),
        never_led=sum(k == "never-led" for k, _ in outcomes),
        no_crossover=sum(k == "no-crossover" for k, _ in outcomes),
        last_step=last,
        totals={g: final[g] for g in pair if math.isfinite(final.get(g, math.nan))},
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _amount(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def _period(x: float) -> str:
    return f"{x:.0f}" if float(x).is_integer() else f"{x:.1f}"


def _spread_words(c: Crossover) -> str:
    """``"median; 80-93 across the 10 replicates"`` and the like."""
    k = len(c.crossed)
    spread = c.spread
    if spread is not None:
        low, high = (_period(v) for v in spread)
        if k >= PERCENTILE_RUNS:
            return f"median; 90% of the {k} replicates between {low} and {high}"
        across = f"the {k} replicates" if k == c.runs else f"the {k} replicates that crossed"
        return f"median; {low}-{high} across {across}" if low != high else f"in all of {across}"
    if k == 2:
        first, second = sorted(c.crossed)
        which = "both replicates" if c.runs == 2 else "the two replicates that crossed"
        if first == second:
            return f"in {which}"
        return f"periods {first} and {second} in {which}"
    return "a single replicate"


def _ending(c: Crossover) -> str:
    """``"by period 500 fair dealers had earned 3.1x as much"`` and the like."""
    if c.leader not in c.totals or c.other not in c.totals:
        return ""
    hi, lo = sorted((c.leader, c.other), key=lambda g: -c.totals[g])
    a, b = c.totals[hi], c.totals[lo]
    by = f"by period {c.last_step} "
    if a > 0 and b > 0 and a / b <= _MAX_RATIO:
        return (
            f"{by}{plural(hi)} had earned {a / b:.1f}x as much "
            f"({_amount(a)} vs {_amount(b)} per seller)"
        )

    def say(group: str) -> str:
        value = c.totals[group]
        verb = "earned" if value >= 0 else "lost"
        return f"{plural(group)} had {verb} {_amount(abs(value))} per seller"

    return f"{by}{say(hi)}, while {say(lo)}"


def _where(point: Mapping[str, Any]) -> str:
    """``"With repeat-purchase probability at 0.8: "`` for a sweep setting ("" for none):
    a story told at one setting says which."""
    if not point:
        return ""
    parts = [
        f"{in_sentence(short_label(param_label(k)))} at {value_label(v)}" for k, v in point.items()
    ]
    return "With " + " and ".join(parts) + ": "


def story_sentence(c: Crossover) -> str:
    """One plain sentence with the run's numbers, e.g. "Fleecers led fair dealers in
    cumulative profit at first, but fell behind for good in period 87 (median; 81-94
    across the 10 replicates); by period 500 fair dealers had earned 3.1x as much ..."."""
    lead, other = plural(c.leader), plural(c.other)
    n, k = c.runs, len(c.crossed)
    reps = "replicate" if n == 1 else "replicates"
    if k:
        text = (
            f"{_capital(lead)} led {other} in cumulative profit at first, but fell behind for "
            f"good in period {_period(c.median or 0.0)} ({_spread_words(c)})"
        )
        if k < n:
            why = []
            if c.no_crossover:
                why.append(f"still ahead or level at period {c.last_step} in {c.no_crossover}")
            if c.never_led:
                why.append(f"never ahead in {c.never_led}")
            text += f"; no crossover in {n - k} of {n} {reps} ({', '.join(why)})"
    elif c.never_led == n:
        every = "the only replicate" if n == 1 else f"any of the {n} {reps}"
        text = f"{_capital(lead)} were never ahead of {other} in cumulative profit in {every}"
    elif c.no_crossover == n:
        every = "the only replicate" if n == 1 else f"all {n} {reps}"
        text = (
            f"No crossover: {lead} were still ahead of (or level with) {other} in cumulative "
            f"profit at period {c.last_step} in {every}"
        )
    else:
        text = (
            f"No crossover: {lead} were never ahead of {other} in {c.never_led} of {n} "
            f"{reps} and still ahead or level at period {c.last_step} in the other "
            f"{c.no_crossover}"
        )
    ending = _ending(c)
    if ending:
        text += f"; {ending}"
    where = _where(c.point)
    text = where + (text[:1].lower() + text[1:] if where else text) + "."
    if n < MIN_SPREAD_RUNS:
        text += (
            f" Only {n} {reps}: too few to say how much this varies from run to run."
            if n > 1
            else " One replicate only: too few to say how much this varies from run to run."
        )
    return text


def story_title(c: Crossover) -> str:
    """The figure's claim in a few words, computed like the sentence."""
    lead, other = _capital(plural(c.leader)), plural(c.other)
    if c.crossed and len(c.crossed) * 2 >= c.runs:
        return (
            f"{lead} ahead at first, behind {other} for good from period {_period(c.median or 0.0)}"
        )
    if c.never_led == c.runs:
        return f"{lead} never ahead of {other}"
    if c.no_crossover * 2 > c.runs:
        return f"{lead} still ahead of {other} after {c.last_step} periods"
    return f"{lead} against {other}: who is ahead, and when"


def _zoom_end(c: Crossover, steps: NDArray[np.float64]) -> float:
    """Last period of the zoomed panel: a little past the latest crossover, else the
    first tenth of the run (at least 10 periods)."""
    first, last = float(steps.min()), float(steps.max())
    latest = max(c.crossed, default=None)
    end = first + (1.4 * (latest - first) + 2 if latest else 0.1 * (last - first))
    return float(min(last, max(end, first + 9)))


def _zoom_limits(stats: pd.DataFrame, c: Crossover, upto: float) -> tuple[float, float]:
    """y limits of the zoomed panel: the leader's early path fills its lower third, so
    a lead of a few money units is visible; lines that climb past it leave the top."""
    window = stats[stats["step"] <= upto]
    low = float(window["mean"].min())
    peak = float(window.loc[window["group"] == c.leader, "mean"].max())
    span = max(peak - low, 1e-9)
    return low - 0.15 * span, peak + 2.0 * span


def _draw(
    ax: Axes,
    stats: pd.DataFrame,
    groups: list[str],
    colors: Mapping[str, str],
    upto: float | None,
    bands: bool = True,
) -> None:
    for group in groups:
        line = stats[stats["group"] == group]
        if upto is not None:
            line = line[line["step"] <= upto]
        if line.empty:
            continue
        steps = line["step"].to_numpy(dtype=float)
        ax.plot(steps, line["mean"].to_numpy(dtype=float), color=colors[group])
        if bands and line["n"].min() >= MIN_BAND_RUNS:
            ax.fill_between(
                steps, line["ci_low"], line["ci_high"], color=colors[group], alpha=0.15, lw=0
            )


def _shade_lead(ax: Axes, stats: pd.DataFrame, c: Crossover, color: str, upto: float) -> None:
    table = stats[stats["step"] <= upto].pivot_table(index="step", columns="group", values="mean")
    if c.leader not in table.columns or c.other not in table.columns:
        return
    steps = table.index.to_numpy(dtype=float)
    a, b = table[c.leader].to_numpy(dtype=float), table[c.other].to_numpy(dtype=float)
    ax.fill_between(steps, a, b, where=a > b, interpolate=True, color=color, alpha=0.35, lw=0)


def _mark_crossover(ax: Axes, c: Crossover, label: bool) -> None:
    median = c.median
    if median is None:
        return
    spread = c.spread
    if spread is not None and spread[1] > spread[0]:
        ax.axvspan(spread[0], spread[1], color="#777777", alpha=0.18, lw=0)
    ax.axvline(median, color="black", ls="--", lw=1.8)
    if label:
        text = f"crossover\nperiod {_period(median)}"
        if spread is not None and spread[1] > spread[0]:
            text += f"\n({_period(spread[0])}-{_period(spread[1])})"
        ax.annotate(
            text,
            xy=(median, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(8, -8),
            textcoords="offset points",
            va="top",
            fontsize=13,
        )


def story(results: ResultsLike) -> list[Chart]:
    """The story figure of a market run: cumulative profit per strategy, the first
    periods zoomed beside the whole run, the leader's early lead shaded, the crossover
    marked with its spread over replicates; the caption's first sentence is
    :func:`story_sentence`. No chart without a market time series of two groups."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    results = cached(results)
    c = story_numbers(results)
    if c is None:
        return []
    rows = select(_cumulative(results), c.point)
    stats = mean_ci(rows, ["group", "step"])
    stats["group"] = stats["group"].astype(str)
    groups = order_groups(stats["group"])
    colors = strategy_colors(groups)
    steps = stats["step"].to_numpy(dtype=float)
    zoom = _zoom_end(c, steps)
    sentence = story_sentence(c)
    title = story_title(c)
    first, last = float(steps.min()), float(steps.max())
    # on a short run the zoom would show most of it: one panel, the whole run
    zoomed = zoom < first + 0.6 * (last - first)
    with style():
        if zoomed:
            fig, (left, right) = new_figure(2, ncols=2, panel=(6.8, 4.6))
            _draw(left, stats, groups, colors, zoom, bands=False)  # the shaded lead instead
            _shade_lead(left, stats, c, colors[c.leader], zoom)
            _mark_crossover(left, c, label=True)
            left.set_xlim(first, zoom)
            left.set_ylim(*_zoom_limits(stats, c, zoom))
            left.set_title(f"The first {zoom:.0f} periods (zoomed in)", fontsize=15)
            _draw(right, stats, groups, colors, None)
            right.axvspan(first, zoom, color="#777777", alpha=0.08, lw=0)
            _mark_crossover(right, c, label=False)
            right.set_title(f"The whole run: {c.last_step} periods", fontsize=15)
            axes = [left, right]
        else:
            fig, (left,) = new_figure(1, panel=(12.0, 4.2))  # wide: it fits a first screen
            right = left
            _draw(left, stats, groups, colors, None)
            _shade_lead(left, stats, c, colors[c.leader], last)
            _mark_crossover(left, c, label=True)
            axes = [left]
        right.set_xlim(first, last)
        for ax in axes:
            ax.set_xlabel("Period")
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            lo, hi = ax.get_ylim()
            if lo < 0.0 < hi:
                ax.axhline(0.0, color="black", lw=1.0, alpha=0.6)
        left.set_ylabel(metric_label("cumulative_profit"))
        extra: list[Any] = [
            Patch(color=colors[c.leader], alpha=0.3, label=f"{_capital(plural(c.leader))} ahead")
        ]
        if c.median is not None:
            extra.append(Line2D([], [], color="black", ls="--", lw=1.8, label="crossover"))
            if c.spread is not None and c.spread[1] > c.spread[0]:
                extra.append(
                    Patch(color="#777777", alpha=0.25, label="crossover range over replicates")
                )
        handles = [Line2D([], [], color=colors[g], lw=4, label=group_label(g)) for g in groups]
        fig.legend(
            handles=handles + extra,
            loc="outside lower center",
            ncol=min(len(handles) + len(extra), 4),
        )
        fig.suptitle(headline(title, c.point))
    caption = (
        f"{sentence} Cumulative profit per seller since the start, by strategy (money); "
        "lines are means over replicates"
        + (" with 95% confidence bands" if c.runs >= MIN_BAND_RUNS else "")
        + (
            f". The left panel zooms in on the first {zoom:.0f} periods (means only); the "
            "grey area on the right marks them."
            if zoomed
            else "."
        )
        + f" The {plural(c.leader)}' lead over the {plural(c.other)} is shaded."
    )
    if c.median is not None:
        caption += (
            " The dashed line is the median crossover period over the replicates (the "
            "first period from which the leader stayed behind to the end)"
            + (
                ", the grey band its range over the replicates."
                if c.spread is not None and c.spread[1] > c.spread[0]
                else "."
            )
        )
    if c.point:
        caption += f" Parameters: {point_title(c.point)}."
    return [Chart("story", title, caption, fig, headline=sentence)]
