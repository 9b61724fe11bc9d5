"""Shaping stored results for the figures and the report: which sweep points to show,
and averages over replicates with 95% confidence intervals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from longgame.plots._load import ResultsLike

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "MIN_BAND_RUNS",
    "PRIMARY_METRIC",
    "headline_point",
    "is_grid",
    "is_numeric_key",
    "mean_ci",
    "model_name",
    "panel_points",
    "parameter_default",
    "representative_point",
    "select",
    "swept_values",
    "text",
    "varying_keys",
]

#: The payoff each model's figures lead with.
PRIMARY_METRIC: dict[str, str] = {
    "market": "profit",
    "tournament": "score",
    "learning": "payoff",
}


#: Fewest runs behind a mean for which a confidence band is drawn: with two runs the
#: 95% t interval is +-12.7 standard errors and would hide the means it qualifies.
MIN_BAND_RUNS = 3


def model_name(results: ResultsLike) -> str:
    """The ``experiment.model`` of the results (``""`` if missing)."""
    return str(results.config.get("experiment", {}).get("model", ""))


def swept_values(results: ResultsLike, key: str) -> list[Any]:
    """The sorted distinct values of the swept parameter ``key`` in the summary."""
    summary = results.summary
    if key not in summary.columns:
        return []
    values = [v for v in summary[key].drop_duplicates().tolist() if v is not None]
    try:
        return sorted(values)
    except TypeError:
        return values


def is_numeric_key(results: ResultsLike, key: str) -> bool:
    """Whether the swept parameter ``key`` takes finite numbers (not booleans, names or
    an infinite "no limit"), so that it can be drawn on a numeric axis."""
    import math

    values = swept_values(results, key)
    return bool(values) and all(
        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in values
    )


def is_grid(results: ResultsLike) -> bool:
    """Whether the sweep is a full grid (every combination of the swept values was
    run), as opposed to zipped lists or a quasi-random sample."""
    import math

    keys = [k for k in results.swept if k in results.summary.columns]
    if len(keys) < 2:
        return True
    points = results.summary[keys].drop_duplicates()
    return len(points) == math.prod(len(swept_values(results, k)) for k in keys)


def parameter_default(results: ResultsLike, key: str) -> Any:
    """The value of the dotted ``key`` in the config's ``[parameters]`` (None if absent)."""
    table: Any = results.config.get("parameters", {})
    parts = key.split(".")
    if parts and parts[0] == "parameters":
        parts = parts[1:]
    for part in parts:
        if not isinstance(table, dict) or part not in table:
            return None
        table = table[part]
    return table


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)), abs(float(b)))
    return bool(a == b)


def representative_point(results: ResultsLike, keys: Sequence[str] | None = None) -> dict[str, Any]:
    """One value per swept key: the config's base value when it was swept, else the
    middle value of the sweep. Used to hold the other parameters fixed in a panel."""
    point: dict[str, Any] = {}
    for key in results.swept if keys is None else keys:
        values = swept_values(results, key)
        if not values:
            continue
        default = parameter_default(results, key)
        match = [v for v in values if default is not None and _same(v, default)]
        point[key] = match[0] if match else values[len(values) // 2]
    return point


def _spread(items: list[Any], n: int) -> list[Any]:
    """Up to ``n`` items: the first, the last and evenly spaced ones between."""
    if len(items) <= n:
        return items
    idx = sorted({round(i * (len(items) - 1) / (n - 1)) for i in range(n)})
    return [items[i] for i in idx]


def panel_points(
    results: ResultsLike, max_panels: int = 3, having: pd.DataFrame | None = None
) -> list[dict[str, Any]]:
    """Sweep points to show side by side in time-series figures: up to ``max_panels``
    values of the first swept parameter (lowest, middle, highest), the others fixed at
    :func:`representative_point`; for a sweep that is not a grid, actual points of the
    sweep spread over the first parameter. With ``having``, only the points where that
    frame has rows (a figure draws no empty panel)."""
    if having is not None:
        return [p for p in panel_points(results, max_panels) if not select(having, p).empty]
    if not results.swept:
        return [{}]
    first = results.swept[0]
    if not is_grid(results):
        keys = [k for k in results.swept if k in results.summary.columns]
        rows = results.summary[keys].drop_duplicates().sort_values(first)
        return _spread(
            [dict(zip(keys, r, strict=True)) for r in rows.itertuples(index=False)], max_panels
        )
    base = representative_point(results)
    values = _spread(swept_values(results, first), max_panels)
    return [{**base, first: v} for v in values] or [base]


def headline_point(results: ResultsLike) -> dict[str, Any]:
    """The sweep point the headlines and the story talk about: the config's base values
    (else the middle of each sweep) on a grid; the middle run setting of a sample."""
    if is_grid(results):
        return representative_point(results)
    points = panel_points(results)
    return points[len(points) // 2]


def varying_keys(points: list[dict[str, Any]]) -> list[str]:
    """Keys whose value differs between the panel ``points`` (what panel titles show)."""
    keys = list(dict.fromkeys(k for p in points for k in p))
    return [k for k in keys if len({repr(p.get(k)) for p in points}) > 1]


def select(frame: pd.DataFrame, point: Mapping[str, Any]) -> pd.DataFrame:
    """Rows of ``frame`` at the sweep ``point`` (numbers compared with tolerance)."""
    import numpy as np

    mask = np.ones(len(frame), dtype=bool)
    for key, value in point.items():
        if key not in frame.columns:
            continue
        column = frame[key]
        if isinstance(value, int | float) and not isinstance(value, bool):
            numbers = np.asarray(column, dtype=float)
            mask &= np.isclose(numbers, float(value), rtol=1e-9, atol=1e-12)
        else:
            mask &= np.asarray(column == value, dtype=bool)
    return frame.loc[mask]


def text(column: pd.Series) -> pd.Series:
    """``column`` as text, to compare with names: a categorical of strings (as results
    load groups and metric names) as it is, since its comparisons, ``isin`` and ``.str``
    methods work on its few categories rather than on every row; anything else as
    strings.

    >>> import pandas as pd
    >>> column = pd.Series(["b", "a", "b"], dtype="category")
    >>> text(column) is column, (text(column) == "b").tolist()
    (True, [True, False, True])
    >>> text(pd.Series([1, 2])).tolist()
    ['1', '2']
    """
    import pandas as pd

    dtype = column.dtype
    kinds = ("string", "empty")
    if isinstance(dtype, pd.CategoricalDtype) and dtype.categories.inferred_type in kinds:
        return column
    return column.astype(str)


def mean_ci(frame: pd.DataFrame, by: Sequence[str], value: str = "value") -> pd.DataFrame:
    """Mean of ``value`` over replicates per ``by`` with a 95% t confidence interval.

    Returns columns ``*by, mean, ci_low, ci_high, n``; with one replicate the interval
    collapses to the mean.
    """
    import numpy as np

    from longgame.experiments.summary import t_interval

    grouped = frame.groupby(list(by), sort=True, observed=True)[value]
    out = grouped.agg(["mean", "std", "count"]).reset_index()
    mean = out["mean"].to_numpy(dtype=float)
    low, high = t_interval(mean, out["std"].to_numpy(dtype=float), out["count"].to_numpy())
    single = out["count"].to_numpy() < 2  # no spread to show: the band collapses
    out["ci_low"] = np.where(single, mean, low)
    out["ci_high"] = np.where(single, mean, high)
    return out.rename(columns={"count": "n"}).drop(columns=["std"])
