"""An experiment's headline answer, reduced to a small value two runs can be compared by.

The report's headlines (:mod:`longgame.report._headlines`) are sentences with numbers in
them; two runs of the same experiment (a ``--quick`` one and the full one) never agree
on every digit, but they should agree on what the sentences *claim*: who came out
ahead, where the lead changed hands, which setting was best, what the populations
converged to. :func:`headline_answer` keeps exactly those claims, computed by the same
code the headlines use, as plain data (strings, numbers, lists, tables) that TOML and
JSON can hold:

- **market**, one group (e.g. stop-loss): the setting of the first swept parameter under
  which the group earned most over the run, and least (``best``, ``worst``);
- **market**, several groups: the better earner of the compared pair over the run at
  the headline point (``ahead``); along the first numeric swept parameter, which of the
  two came out ahead at each value (``along``); the groups whose sellers had all gone
  out of business by the end at the headline point (``out_of_business``); with three or
  more groups, the group
  that earned the most long-run profit at the most sweep settings (``most_often_best``);
- **tournament**: at the headline point, the top and bottom scorer (``top``,
  ``bottom``) and the leader after the population dynamics (``leader``), each with
  whether its 95% interval clears every other group's (``top_clear``...): a top scorer
  within the others' intervals is named by the headline but is not a finding;
- **learning**: at every sweep point, the action each population converged to (played
  at least :data:`CONVERGED` of the time at the last step, on average), else ``"mixed"``;
- any other model that reports an ``advantage`` (a fixation probability over its
  neutral value, e.g. five-rules): at every sweep point, whether the mean advantage
  exceeds 1 (``favoured``).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from longgame.plots._data import is_numeric_key, model_name, representative_point, select, text
from longgame.plots._load import ResultsLike
from longgame.plots._style import value_label

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CONVERGED", "headline_answer"]

#: Share of play above which a population counts as converged to an action.
CONVERGED = 0.9


def headline_answer(results: ResultsLike) -> dict[str, Any]:
    """The claims of ``results``' headlines as plain data (see the module docstring).

    Group names are the ones the results use (the config's names); setting values are
    written as the report writes them (``"no limit"`` for infinity).
    """
    from longgame.plots._load import cached

    results = cached(results)
    model = model_name(results)
    if model == "market":
        return _market(results)
    if model == "tournament":
        return _tournament(results)
    if model == "learning":
        return _learning(results)
    return _favoured(results)


def _totals_at(results: ResultsLike, point: dict[str, Any]) -> dict[str, float]:
    from longgame.report._headlines import _final

    totals, _ = _final(select(results.metrics(), point), "cumulative_profit")
    return totals


def _best_worst(results: ResultsLike, group: str) -> dict[str, Any]:
    """The first swept parameter's values with the most and least profit over the run."""
    x = results.swept[0]
    fixed = representative_point(results, [k for k in results.swept if k != x])
    metrics = results.metrics()
    rows = select(metrics[metrics["metric"] == "cumulative_profit"], fixed)
    rows = rows[(text(rows["group"]) == group) & (rows["step"] == rows["step"].max())]
    totals = rows.groupby(x, observed=True)["value"].mean()
    return {
        "group": group,
        "key": x,
        "best": value_label(totals.idxmax()),
        "worst": value_label(totals.idxmin()),
    }


def _along(results: ResultsLike, a: str, b: str) -> dict[str, Any] | None:
    """Which of ``a`` and ``b`` earned more over the run at each value of the first
    numeric swept parameter (the others at the headline point), as the crossover
    headline compares them."""
    keys = [k for k in results.swept if is_numeric_key(results, k)]
    if not keys:
        return None
    x = keys[0]
    fixed = representative_point(results, [k for k in results.swept if k != x])
    metrics = results.metrics()
    rows = select(metrics[metrics["metric"] == "cumulative_profit"], fixed)
    rows = rows[rows["step"] == rows["step"].max()]
    table = rows.pivot_table(index=x, columns="group", values="value", aggfunc="mean")
    if a not in table.columns or b not in table.columns:
        return None
    ahead = []
    for value in table.index:
        da, db = float(table.at[value, a]), float(table.at[value, b])
        ahead.append(a if da > db else b if db > da else "tie")
    return {"key": x, "values": [value_label(v) for v in table.index], "ahead": ahead}


def _market(results: ResultsLike) -> dict[str, Any]:
    from longgame.report._headlines import (
        _long_run,
        compared_pair,
        group_strategies,
        headline_point,
    )
    from longgame.report._sweep import long_run_intervals

    point = headline_point(results)
    totals = _totals_at(results, point)
    groups = sorted(set(totals) | set(_long_run(results, "profit", point)))
    if len(groups) == 1:
        return {"best_setting": _best_worst(results, groups[0])} if results.swept else {}
    pair = compared_pair(groups, totals, group_strategies(results))
    answer: dict[str, Any] = {}
    if pair is None:
        return answer
    a, b = pair
    if a in totals and b in totals:
        answer["ahead"] = a if totals[a] >= totals[b] else b
    along = _along(results, a, b)
    if along is not None:
        answer["along"] = along
    closed = _out_of_business(select(results.metrics(), point))
    if closed is not None:
        answer["out_of_business"] = closed
    if len(groups) >= 3:
        tops: dict[str, int] = {}
        for _, values in long_run_intervals(results, groups):
            if len(values) >= 2:
                top = max(values, key=lambda g: values[g][0])
                tops[top] = tops.get(top, 0) + 1
        if tops:
            answer["most_often_best"] = max(sorted(tops), key=lambda g: tops[g])
    return answer


def _out_of_business(metrics: pd.DataFrame) -> list[str] | None:
    """Groups all of whose sellers had gone out of business by the last step (on
    average over replicates, as the closures headline counts them); ``None`` when the
    model does not report active sellers."""
    rows = metrics[metrics["metric"] == "sellers_active"]
    if rows.empty:
        return None
    end = rows[rows["step"] == rows["step"].max()].groupby("group", observed=True)["value"]
    return sorted(str(g) for g, v in end.mean().items() if float(v) < 0.5)


def _tournament(results: ResultsLike) -> dict[str, Any]:
    from longgame.report._headlines import _final, _long_run, headline_point

    point = headline_point(results)
    answer: dict[str, Any] = {}
    scores = _long_run(results, "score", point)
    if len(scores) >= 2:
        ranked = sorted(scores, key=lambda g: -scores[g])
        answer["top"], answer["bottom"] = ranked[0], ranked[-1]
        answer["top_clear"] = _clear(results, "score", point, ranked[0], +1)
        answer["bottom_clear"] = _clear(results, "score", point, ranked[-1], -1)
    shares, _ = _final(select(results.metrics(), point), "share")
    if shares:
        answer["leader"] = max(shares, key=lambda g: shares[g])
        answer["leader_clear"] = _clear(results, "share", point, answer["leader"], +1)
    return answer


def _clear(results: ResultsLike, metric: str, point: dict[str, Any], group: str, side: int) -> bool:
    """Whether ``group``'s 95% interval of the long-run ``metric`` lies above (``side``
    +1) or below (-1) every other group's: a claim that the replicates support. One
    replicate has no interval, so nothing is clear."""
    from longgame.report._headlines import _summary_at

    rows = _summary_at(results, metric, point)
    table = rows.groupby(rows["group"].astype(str), observed=True)[["ci_low", "ci_high"]].mean()
    if group not in table.index or len(table) < 2:
        return False
    low, high = (float(v) for v in table.loc[group, ["ci_low", "ci_high"]].to_numpy())
    others = table.drop(index=group)
    if not (math.isfinite(low) and math.isfinite(high)):
        return False
    if side > 0:
        return bool(low > float(others["ci_high"].max()))
    return bool(high < float(others["ci_low"].min()))


def _learning(results: ResultsLike) -> dict[str, Any]:
    metrics = results.metrics()
    rows = metrics[text(metrics["metric"]).str.startswith("share.")]
    if rows.empty:
        return {}
    final = rows[rows["step"] == rows["step"].max()]
    keys = [k for k in results.swept if k in final.columns]
    means = final.groupby([*keys, "group", "metric"], observed=True)["value"].mean()
    converged: dict[str, dict[str, str]] = {}
    for index, share in means.items():
        parts = index if isinstance(index, tuple) else (index,)
        *values, group, metric = parts
        label = ", ".join(f"{k}={value_label(v)}" for k, v in zip(keys, values, strict=True))
        own = converged.setdefault(label or "all", {})
        own.setdefault(str(group), "mixed")
        if math.isfinite(float(share)) and float(share) >= CONVERGED:
            own[str(group)] = str(metric).split(".", 1)[1]
    return {"converged": converged}


def _favoured(results: ResultsLike) -> dict[str, Any]:
    """At every sweep point and group, whether the mean ``advantage`` over replicates
    exceeds 1 (neutral); empty when the results report no advantage."""
    metrics = results.metrics()
    rows = metrics[text(metrics["metric"]) == "advantage"]
    if rows.empty:
        return {}
    keys = [k for k in results.swept if k in rows.columns]
    means = rows.groupby([*keys, "group"], observed=True)["value"].mean()
    favoured: dict[str, dict[str, bool]] = {}
    for index, advantage in means.items():
        parts = index if isinstance(index, tuple) else (index,)
        *values, group = parts
        label = ", ".join(f"{k}={value_label(v)}" for k, v in zip(keys, values, strict=True))
        favoured.setdefault(label or "all", {})[str(group)] = bool(float(advantage) > 1.0)
    return {"favoured": favoured}
