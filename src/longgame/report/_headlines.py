"""Headline sentences computed from results: what a trainer says out loud.

Every number here is computed from the stored runs, never written in: the same code
says "fair dealers earned 2.8x the fleecers' profit" when they did and "fleecers earned
1.4x the fair dealers' profit" when the market is one-shot.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from longgame.plots._data import (
    PRIMARY_METRIC,
    headline_point,
    is_numeric_key,
    mean_ci,
    model_name,
    representative_point,
    select,
    text,
)
from longgame.plots._load import ResultsLike
from longgame.plots._style import (
    canonical_name,
    group_label,
    in_sentence,
    param_label,
    plural,
    short_label,
    value_label,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "compared_pair",
    "group_strategies",
    "headline_point",
    "headlines",
    "number",
    "percent",
    "where_words",
]

# above this, "N x the profit" stops meaning anything: say the two amounts instead
_MAX_RATIO = 100.0

# (honest, dishonest) name pairs: the comparison the lesson is about
_FAIR = ("fair-dealer", "always-cooperate", "grid-9.9", "reciprocator", "tit-for-tat")
_FLEECE = ("fleecer", "always-defect", "grid-9.1")


def number(x: float) -> str:
    """A number for a sentence: ``1,234``, ``12.3``, ``1.23``, ``0.0123``.

    >>> number(1234.5), number(12.34), number(-0.01234)
    ('1,234', '12.3', '-0.0123')
    """
    if not math.isfinite(x):
        return str(x)
    ax = abs(x)
    if ax >= 100:
        return f"{x:,.0f}"
    if ax >= 10:
        return f"{x:.1f}"
    if ax == 0:
        return "0"
    if ax >= 1:
        return f"{x:.2f}"
    return f"{x:.3g}"


def percent(x: float) -> str:
    """A share as a percentage: ``0.812`` -> ``81%``.

    >>> percent(0.812), percent(0.004)
    ('81%', '0.4%')
    """
    value = 100 * x
    return f"{value:.0f}%" if abs(value) >= 1 or value == 0 else f"{value:.1g}%"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def group_strategies(results: ResultsLike) -> dict[str, str]:
    """Each group's strategy (registry name), from the tables' ``strategy`` column; a
    group without one (results from a notebook object, a model without strategies)
    stands for itself."""
    summary = results.summary
    out: dict[str, str] = {}
    if "strategy" in summary.columns and "group" in summary.columns:
        pairs = summary[["group", "strategy"]].drop_duplicates().dropna()
        out = {str(g): str(s) for g, s in pairs.itertuples(index=False) if str(s)}
    return out


def _strategy(group: str, strategies: Mapping[str, str] | None) -> str:
    """The registry name that says what ``group`` plays: from ``strategies`` when known
    (so a label such as "honest Joe" is read by its strategy), else the group's name."""
    if strategies and group in strategies:
        return canonical_name(strategies[group])
    return canonical_name(group)


def compared_pair(
    groups: Sequence[str], values: dict[str, float], strategies: Mapping[str, str] | None = None
) -> tuple[str, str] | None:
    """The two groups a headline compares: an honest and a fleecing strategy when both
    are present, else the best and the worst by ``values``.

    ``strategies`` maps a group to its strategy's registry name (see
    :func:`group_strategies`): a group is honest or fleecing by what it plays, not by
    what it is called.

    >>> compared_pair(["honest Joe", "Slick"], {"honest Joe": 1.0, "Slick": 2.0},
    ...               {"honest Joe": "always-cooperate", "Slick": "always-defect"})
    ('honest Joe', 'Slick')
    """
    canon: dict[str, str] = {}
    for g in groups:  # the first group playing a strategy speaks for it
        canon.setdefault(_strategy(g, strategies), g)
    fair = next((canon[n] for n in _FAIR if n in canon), None)
    fleece = next((canon[n] for n in _FLEECE if n in canon), None)
    if fair is not None and fleece is not None:
        return fair, fleece
    ranked = sorted((g for g in groups if g in values), key=lambda g: -values[g])
    if len(ranked) < 2:
        return None
    return ranked[0], ranked[-1]


def where_words(point: dict[str, Any]) -> str:
    """``"With repeat-purchase probability at 0.9: "`` (empty for no point).

    >>> where_words({"repeat.base": 0.9, "stop_loss.limit": float("inf")})
    'With repeat-purchase probability at 0.9 and stop-loss line L at no limit: '
    """
    if not point:
        return ""
    parts = [
        f"{in_sentence(short_label(param_label(k)))} at {value_label(v)}" for k, v in point.items()
    ]
    return "With " + " and ".join(parts) + ": "


def _final(frame: pd.DataFrame, metric: str) -> tuple[dict[str, float], int]:
    rows = frame[frame["metric"] == metric]
    if rows.empty:
        return {}, 0
    last = int(rows["step"].max())
    at_end = rows[rows["step"] == last]
    means = at_end.groupby("group", observed=True)["value"].mean()
    return {str(g): float(v) for g, v in means.items() if math.isfinite(float(v))}, last


def _summary_at(results: ResultsLike, metric: str, point: dict[str, Any]) -> pd.DataFrame:
    summary = results.summary
    if summary.empty or "metric" not in summary.columns:
        return summary.iloc[0:0]
    return select(summary[summary["metric"] == metric], point)


def _long_run(results: ResultsLike, metric: str, point: dict[str, Any]) -> dict[str, float]:
    rows = _summary_at(results, metric, point)
    if rows.empty:
        return {}
    means = rows.groupby("group", observed=True)["mean"].mean()
    return {str(g): float(v) for g, v in means.items() if math.isfinite(float(v))}


def _profit_sentence(
    a: str, b: str, totals: dict[str, float], steps: int
) -> tuple[str, tuple[str, str]]:
    """The profit comparison and the order in which it names the two groups."""
    va, vb = totals[a], totals[b]
    over = f"over {steps} periods"
    hi, lo = (a, b) if va >= vb else (b, a)
    if va > 0 and vb > 0 and totals[hi] / totals[lo] <= _MAX_RATIO:
        ratio = totals[hi] / totals[lo]
        return (
            f"{_capital(plural(hi))} earned {ratio:.1f}x the {plural(lo)}' profit {over} "
            f"({number(totals[hi])} vs {number(totals[lo])} per seller)",
            (hi, lo),
        )

    def say(g: str) -> str:
        v = totals[g]
        verb = "earned" if v >= 0 else "lost"
        return f"{plural(g)} {verb} {number(abs(v))} per seller"

    return f"{_capital(say(hi))} {over}, while {say(lo)}", (hi, lo)


def _crossover(results: ResultsLike, metric: str, a: str, b: str) -> str | None:
    """Where along the first numeric swept parameter the better of ``a`` and ``b``
    changes, by total profit over the run (``cumulative_profit`` at the last step,
    defined even for strategies whose sellers all went out of business), else by the
    long-run ``metric`` of the summary."""
    keys = [k for k in results.swept if is_numeric_key(results, k)]
    if not keys:
        return None
    x = keys[0]
    fixed = representative_point(results, [k for k in results.swept if k != x])
    metrics = results.metrics()
    totals = select(metrics[metrics["metric"] == "cumulative_profit"], fixed)
    if not totals.empty:
        totals = totals[totals["step"] == totals["step"].max()]
        table = totals.pivot_table(index=x, columns="group", values="value", aggfunc="mean")
    else:
        rows = select(results.summary[results.summary["metric"] == metric], fixed)
        table = rows.pivot_table(index=x, columns="group", values="mean", aggfunc="mean")
    if a not in table.columns or b not in table.columns or len(table) < 2:
        return None
    diff = (table[a] - table[b]).dropna()
    if len(diff) < 2:
        return None
    xs = [float(v) for v in diff.index]
    ds = [float(v) for v in diff.to_numpy()]
    label = in_sentence(short_label(param_label(x)))
    span = f"from {value_label(xs[0])} to {value_label(xs[-1])}"
    held = where_words(fixed).replace("With ", " and with ", 1).rstrip(": ") if fixed else ""
    return _crossover_sentence(xs, ds, plural(a), plural(b), label, span, held)


def _crossover_sentence(
    xs: Sequence[float], ds: Sequence[float], a: str, b: str, label: str, span: str, held: str
) -> str | None:
    """The sentence for the differences ``ds`` (a minus b) at sweep values ``xs``.

    A threshold is claimed only when the lead changes hands exactly once along the
    sweep; a lead that changes back and forth gets no threshold, because none would be
    true.

    >>> _crossover_sentence([1, 2, 3], [-1, 0, 2], "A", "B", "x", "", "")
    'Over the whole run, B came out ahead below a x of about 2, A above it.'
    >>> _crossover_sentence([1, 2, 3], [-1, 1, 3], "A", "B", "x", "", "")
    'Over the whole run, B came out ahead below a x of about 1.5, A above it.'
    >>> _crossover_sentence([1, 2, 3], [1, -1, 1], "A", "B", "x", "from 1 to 3", "")
    'Over the whole run, the lead between A and B changed 2 times along the x tried (from 1
    to 3), so no single threshold separates them.'
    >>> _crossover_sentence([1, 2, 3], [0, 1, 2], "A", "B", "x", "", "") is None
    True
    """
    if all(d > 0 for d in ds):
        return (
            f"Over the whole run{held}, {a} came out ahead of {b} at every {label} tried ({span})."
        )
    if all(d < 0 for d in ds):
        return (
            f"Over the whole run{held}, {b} came out ahead of {a} at every {label} tried ({span})."
        )
    signed = [j for j, d in enumerate(ds) if d != 0]  # ties belong to neither side
    changes = [i for i in range(len(signed) - 1) if (ds[signed[i]] < 0) != (ds[signed[i + 1]] < 0)]
    if len(changes) > 1:
        return (
            f"Over the whole run{held}, the lead between {a} and {b} changed {len(changes)} "
            f"times along the {label} tried ({span}), so no single threshold separates them."
        )
    if not changes:  # ties somewhere, one side ahead elsewhere: no crossing to place
        return None
    j0, j1 = signed[changes[0]], signed[changes[0] + 1]
    x0, x1, d0, d1 = xs[j0], xs[j1], ds[j0], ds[j1]
    # tied at sweep values in between: the crossing is where they tie; else interpolate
    tied = xs[j0 + 1 : j1]
    cross = sum(tied) / len(tied) if tied else x0 + (x1 - x0) * (-d0) / (d1 - d0)
    low, high = (b, a) if d0 < 0 else (a, b)
    return (
        f"Over the whole run{held}, {low} came out ahead below a {label} of "
        f"about {cross:.2g}, {high} above it."
    )


def _median_length(spells: pd.DataFrame) -> tuple[float, bool]:
    """Kaplan-Meier median relationship length of ``spells`` (one group): (periods,
    reached). When fewer than half ended, (last observed length, False)."""
    from longgame.analysis import kaplan_meier

    curve = kaplan_meier(spells, by=None)
    below = curve.loc[curve["survival"] <= 0.5, "time"]
    if not below.empty:
        return float(below.iloc[0]), True
    return float(curve["time"].iloc[-1]), False


def _half_life(group: str, spells: pd.DataFrame) -> str:
    t, reached = _median_length(spells)
    if reached:
        return f"half of the {plural(group)}' relationships ended within {_periods(t)}"
    return f"more than half of the {plural(group)}' relationships outlasted {_periods(t)}"


def _lifetime_value(
    results: ResultsLike, point: dict[str, Any], pair: tuple[str, str]
) -> list[str]:
    """One sentence on what a customer is worth to each group of ``pair``: the closed
    form ``m r / (1 + i - r)`` and the realised value of relationships that ended."""
    closed = _long_run(results, "clv", point)
    realised = _long_run(results, "clv_realised", point)
    parts = []
    for group in pair:
        if group in closed and math.isfinite(closed[group]):
            words = f"{number(closed[group])} to {plural(group)} (closed form)"
            if group in realised and math.isfinite(realised[group]):
                words += f", {number(realised[group])} realised by relationships that ended"
            parts.append(words)
        elif group in realised and math.isfinite(realised[group]):
            parts.append(
                f"{number(realised[group])} to {plural(group)}, realised by relationships "
                "that ended (too few customers for the closed form)"
            )
    if not parts:
        return []
    return [f"A customer's lifetime value was {'; '.join(parts)}."]


def _periods(t: float) -> str:
    whole = float(t).is_integer()
    shown = f"{t:.0f}" if whole else number(t)
    return f"{shown} period" + ("" if whole and int(t) == 1 else "s")


def _best_setting(results: ResultsLike, group: str) -> str | None:
    """For a sweep with one strategy: the setting of the first swept parameter under
    which it earned most over the run (others held at their base values)."""
    if not results.swept:
        return None
    x = results.swept[0]
    fixed = representative_point(results, [k for k in results.swept if k != x])
    metrics = results.metrics()
    rows = select(metrics[metrics["metric"] == "cumulative_profit"], fixed)
    rows = rows[(text(rows["group"]) == group) & (rows["step"] == rows["step"].max())]
    if rows.empty:
        return None
    totals = rows.groupby(x, observed=True)["value"].mean()
    if len(totals) < 2:
        return None
    best, worst = totals.idxmax(), totals.idxmin()
    label = in_sentence(short_label(param_label(x)))
    steps = int(rows["step"].max())
    return (
        f"{_capital(plural(group))} earned most with the {label} at {value_label(best)} "
        f"({number(float(totals[best]))} per seller over {steps} periods) and least at "
        f"{value_label(worst)} ({number(float(totals[worst]))})."
    )


def _market(results: ResultsLike, point: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    metrics = select(results.metrics(), point)
    totals, steps = _final(metrics, "cumulative_profit")
    long_run = _long_run(results, "profit", point)
    groups = sorted(set(totals) | set(long_run))
    strategies = group_strategies(results)
    pair = compared_pair(groups, totals or long_run, strategies)
    if pair is None and len(groups) == 1:
        best = _best_setting(results, groups[0])
        return [best] if best else []
    retention = _long_run(results, "retention", point)
    if pair is not None:
        a, b = pair
        sentence = ""
        if a in totals and b in totals:
            sentence, (a, b) = _profit_sentence(a, b, totals, steps)
        elif a in long_run and b in long_run:
            sentence = (
                f"{_capital(plural(a))} made {number(long_run[a])} per period in the long run, "
                f"{plural(b)} {number(long_run[b])}"
            )
        if sentence and (a in retention) != (b in retention):
            known, unknown = (a, b) if a in retention else (b, a)
            sentence += (
                f". {_capital(plural(known))} kept {percent(retention[known])} of their "
                f"customers from one period to the next; for {plural(unknown)} there were "
                "too few customers to tell"
            )
        elif sentence and a in retention and b in retention:
            if ", while " in sentence:  # two subjects already: say retention on its own
                sentence += (
                    f". {_capital(plural(a))} kept {percent(retention[a])} of their customers "
                    f"from one period to the next, {plural(b)} {percent(retention[b])}"
                )
            else:
                sentence += (
                    f" and kept {percent(retention[a])} vs {percent(retention[b])} of their "
                    "customers from one period to the next"
                )
        if sentence:
            lines.append(where_words(point) + sentence + ".")
        lines.extend(_closures(metrics))
        lines.extend(_lifetime_value(results, point, pair))
        lines.extend(_sweep_wide(results, groups, pair, strategies))
        cross = _crossover(results, "profit", a, b)
        if cross:
            lines.append(cross)
        spells = select(results.table("spells"), point)
        if not spells.empty and {"group", "duration", "event"} <= set(spells.columns):
            own = {g: spells[text(spells["group"]) == g] for g in (a, b)}
            if all(not f.empty for f in own.values()):
                lines.append(f"{_capital(_half_life(a, own[a]))}; {_half_life(b, own[b])}.")
    return lines


def _sweep_wide(
    results: ResultsLike,
    groups: Sequence[str],
    pair: tuple[str, str],
    strategies: Mapping[str, str] | None = None,
) -> list[str]:
    """The lesson across every sweep setting: where the worse group of ``pair`` (the
    fleecing one when named, else the lower earner) clearly out-earned the other, which
    group earned most across the sweep, and where the worse one's early lead in
    cumulative profit turned into a lasting deficit."""
    from longgame.report._sweep import best_group_sentence, early_lead_sentence, wins_sentence

    good, bad = _good_bad(pair, strategies)
    found = [
        wins_sentence(results, good, bad, plural),
        best_group_sentence(results, groups, plural),
        early_lead_sentence(results, good, bad, plural),
    ]
    return [s for s in found if s]


def _good_bad(
    pair: tuple[str, str], strategies: Mapping[str, str] | None = None
) -> tuple[str, str]:
    """(other, bad) of a compared pair: the fleecing strategy when one plays it, else
    the second (the lower earner, as :func:`compared_pair` orders them)."""
    a, b = pair
    if _strategy(a, strategies) in _FLEECE and _strategy(b, strategies) not in _FLEECE:
        return b, a
    return a, b


def _closures(metrics: pd.DataFrame) -> list[str]:
    """Sentences about strategies whose sellers went out of business during the run."""
    rows = metrics[metrics["metric"] == "sellers_active"]
    if rows.empty:
        return []
    first, last = int(rows["step"].min()), int(rows["step"].max())
    start = rows[rows["step"] == first].groupby("group", observed=True)["value"].mean()
    end = rows[rows["step"] == last].groupby("group", observed=True)["value"].mean()
    out = []
    for group in start.index:
        before, after = float(start[group]), float(end.get(group, math.nan))
        if not (math.isfinite(before) and math.isfinite(after)) or before <= 0:
            continue
        if after < 0.5:
            out.append(f"All {plural(str(group))} went out of business by period {last}.")
        elif after < before - 0.5:
            out.append(
                f"{percent(1 - after / before)} of {plural(str(group))} went out of business "
                f"by period {last}."
            )
    return out


def _tournament(results: ResultsLike, point: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    scores = _long_run(results, "score", point)
    if len(scores) >= 2:
        ranked = sorted(scores, key=lambda g: -scores[g])
        top, bottom = ranked[0], ranked[-1]
        lines.append(
            where_words(point)
            + f"{group_label(top)} scored highest ({number(scores[top])} per round); "
            f"{group_label(bottom)} scored lowest ({number(scores[bottom])})."
        )
    shares, steps = _final(select(results.metrics(), point), "share")
    if shares:
        leader = max(shares, key=lambda g: shares[g])
        lines.append(
            f"After {steps} generations of ecological dynamics, {group_label(leader)} makes up "
            f"{percent(shares[leader])} of the population."
        )
    return lines


def _learning(results: ResultsLike, point: dict[str, Any]) -> list[str]:
    from longgame.plots.learning import equilibria

    metrics = select(results.metrics(), point)
    rows = metrics[text(metrics["metric"]).str.startswith("share.")]
    if rows.empty:
        return []
    last = int(rows["step"].max())
    eqs = equilibria(results, point)
    lines = []
    final = rows[rows["step"] == last]
    stats = mean_ci(final, ["group", "metric"])
    for group in sorted(stats["group"].astype(str).unique()):
        own = stats[text(stats["group"]) == group].set_index("metric")["mean"]
        # the action an equilibrium prescribes (so the comparison means something),
        # else the action most chosen
        prescribed = [
            (share, action) for eq in eqs for (g, action), share in eq.items() if g == group
        ]
        action = max(prescribed)[1] if prescribed else str(own.idxmax()).split(".", 1)[1]
        if f"share.{action}" not in own.index:
            continue
        chosen = float(own[f"share.{action}"])
        sentence = (
            f"{group_label(group)} choose '{action}' {percent(chosen)} of the time after "
            f"{last} rounds"
        )
        shares = sorted({eq[(group, action)] for eq in eqs if (group, action) in eq})
        if shares:
            share = min(shares, key=lambda v: abs(v - chosen))
            which = "equilibrium" if len(shares) == 1 else "nearest equilibrium"
            sentence += f" ({which}: {percent(share)})"
        lines.append(sentence + ".")
    if lines and point:
        lines[0] = where_words(point) + lines[0]
    return lines


def headlines(results: ResultsLike) -> list[str]:
    """Plain-language headline sentences computed from ``results`` (may be empty).

    Group names are the ones the config gave (``fleecer`` if it says ``fleecer``, not
    the registry's ``always-defect``), as in the figures, whether ``results`` came from
    :func:`longgame.load_results` or from the plots' loader.
    """
    from longgame.plots._load import cached

    results = cached(results)
    point = headline_point(results)
    model = model_name(results)
    try:
        if model == "market":
            lines = _market(results, point)
        elif model == "tournament":
            lines = _tournament(results, point)
        elif model == "learning":
            lines = _learning(results, point)
        else:
            lines = []
    except (KeyError, ValueError, IndexError):  # unexpected shapes: fall back below
        lines = []
    if not lines:
        metric = PRIMARY_METRIC.get(model, "profit")
        values = _long_run(results, metric, point)
        if values:
            best = max(values, key=lambda g: values[g])
            lines.append(
                where_words(point) + f"{group_label(best)} did best on the long-run {metric} "
                f"({number(values[best])})."
            )
    return lines
