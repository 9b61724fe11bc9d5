"""Long-run summaries: mean and 95% confidence interval over replicates.

Each run's *long-run value* of a metric (per group) is its mean over the last
``long_run_window`` fraction of the run's steps (at least one step; NaN values skipped).
Across the replicates of a point, :func:`summarise` reports the mean, the sample
standard deviation (``ddof=1``), a two-sided 95% Student-t interval
``mean ± t(0.975, n-1) · std / sqrt(n)`` and ``n``, the number of replicates with a
finite long-run value. With ``n = 1`` the std and interval are NaN: one replicate says
nothing about spread.

The tidy result has one column per swept parameter (named by its dotted key, as in the
config), then ``group``, ``metric``, ``mean``, ``std``, ``ci_low``, ``ci_high``, ``n``;
for a market or tournament, ``strategy`` (the group's registry name) follows ``group``.
Run files are read one at a time, so memory holds only the per-run long-run values.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "SUMMARY_COLUMNS",
    "LongRun",
    "column",
    "import_dependencies",
    "long_run_values",
    "run_long_run",
    "summarise",
    "summary_table",
    "summary_warnings",
    "t_interval",
]


@dataclass(frozen=True)
class LongRun:
    """One run's long-run values as a worker computed them (:func:`run_long_run`)."""

    #: the window fraction and the metric names kept (``None``: all)
    settings: tuple[float, tuple[str, ...] | None]
    #: pyarrow table: group, metric, value
    values: Any
    #: every metric name the run produced
    metrics: tuple[str, ...]


#: Columns after the swept parameters.
SUMMARY_COLUMNS: tuple[str, ...] = ("group", "metric", "mean", "std", "ci_low", "ci_high", "n")


def cell(value: Any) -> Any:
    """A swept value as a table cell: scalars as they are, lists and tables as JSON."""
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, sort_keys=True)
    return value


def column(values: Sequence[Any]) -> list[Any]:
    """Cells of one swept-parameter column, of one type so that Parquet can store them.

    Numbers stay numbers (ints and floats may mix), strings stay strings; anything else,
    or a mix of kinds, becomes JSON text.

    >>> column([1, 2.5]), column(["a", 1]), column([[1, 2], [3]])
    ([1, 2.5], ['"a"', '1'], ['[1, 2]', '[3]'])
    """
    cells = [cell(v) for v in values]

    def kind(v: Any) -> str:
        if isinstance(v, bool):
            return "bool"
        if isinstance(v, int | float):
            return "number"
        return type(v).__name__

    kinds = {kind(v) for v in values}
    if len(kinds) == 1 and kinds <= {"bool", "number", "str"}:
        return cells
    if len(kinds) == 1:  # all lists or all tables: cell() made them JSON already
        return cells
    return [json.dumps(v, sort_keys=True) for v in values]


def _check_window(window: float) -> None:
    if not 0.0 < window <= 1.0:
        from longgame.errors import InputError

        raise InputError(
            f"long_run_window={window!r} is out of range; expected a fraction in (0, 1]"
        )


def long_run_values(metrics: pd.DataFrame, window: float = 0.2) -> pd.DataFrame:
    """One run's long-run value per (group, metric): the mean over the last steps.

    >>> import pandas as pd
    >>> m = pd.DataFrame({"step": [1, 2, 3, 4, 5], "group": "all", "metric": "x",
    ...                   "value": [0.0, 0.0, 0.0, 1.0, 3.0]})
    >>> long_run_values(m, window=0.4)
      group metric  value
    0   all      x    2.0
    """
    import numpy as np

    _check_window(window)
    steps = np.unique(metrics["step"].to_numpy())
    if steps.size == 0:
        return metrics.loc[:, ["group", "metric", "value"]].iloc[0:0]
    keep = max(1, math.ceil(window * steps.size - 1e-9))
    first = steps[-keep]
    tail = metrics.loc[metrics["step"] >= first, ["group", "metric", "value"]]
    means = tail.groupby(["group", "metric"], sort=True, observed=True)["value"].mean()
    out: pd.DataFrame = means.reset_index()
    return out


def t_interval(mean: Any, std: Any, n: Any, confidence: float = 0.95) -> tuple[Any, Any]:
    """Two-sided Student-t interval ``mean ± t((1 + confidence) / 2, n - 1) · std / √n``.

    Elementwise over arrays; NaN where ``n < 2`` (one value says nothing about spread).
    The one formula behind the summary table and the figures' bands.

    >>> low, high = t_interval([2.5, 4.0], [1.2909944, 0.0], [4, 1])
    >>> low.round(3).tolist(), high.round(3).tolist()
    ([0.446, nan], [4.554, nan])
    """
    import numpy as np
    from scipy import special

    m = np.asarray(mean, dtype=float)
    sd = np.asarray(std, dtype=float)
    count = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.where(
            count > 1, special.stdtrit(np.maximum(count - 1, 1), (1 + confidence) / 2), np.nan
        )
        half = t * sd / np.sqrt(count)
    return m - half, m + half


def summary_table(
    values: pd.DataFrame, points: Sequence[Mapping[str, Any]], swept: Sequence[str]
) -> pd.DataFrame:
    """Aggregate per-run long-run values (columns point, group, metric, value)."""
    import numpy as np
    import pandas as pd

    columns = [*swept, *SUMMARY_COLUMNS]
    if values.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    # +-inf counts as missing like NaN: n is the number of finite long-run values
    values = values.assign(value=values["value"].where(np.isfinite(values["value"])))
    grouped = values.groupby(["point", "group", "metric"], sort=True, observed=True)["value"]
    table = grouped.agg(mean="mean", std="std", n="count").reset_index()
    n = table["n"].to_numpy()
    std = np.where(n > 1, table["std"].to_numpy(dtype=float), np.nan)
    table["std"] = std
    table["ci_low"], table["ci_high"] = t_interval(table["mean"].to_numpy(dtype=float), std, n)
    table["n"] = table["n"].astype("int64")
    for key in swept:
        table[key] = column([points[p].get(key) for p in table["point"]])
    return table.loc[:, columns].reset_index(drop=True)


def summarise(
    path: str | Path,
    *,
    window: float | None = None,
    metrics: Sequence[str] | None = None,
    write: bool = True,
) -> pd.DataFrame:
    """(Re)compute the summary of a results folder from its run files.

    Args:
        path: the results folder (holding ``manifest.json`` and ``runs/``).
        window: long-run window fraction in (0, 1]; default: ``outputs.long_run_window``
            of the stored config (0.2 if unset).
        metrics: metric names to keep; default: ``outputs.metrics`` of the config (all
            if unset).
        write: also write ``summary.parquet`` (atomically).

    Returns:
        The tidy summary (see the module docstring).
    """
    return _summarise(path, window, metrics, write)[0]


def import_dependencies() -> None:
    """Import what the summary needs (pandas, pyarrow's compute and group-by, scipy's t
    quantiles), about half a second in a fresh process.

    The runner calls this while its workers start, so that the summary after the last
    run does not wait for imports.
    """
    import pandas  # noqa: F401
    import pyarrow.acero
    import pyarrow.compute
    import pyarrow.parquet  # noqa: F401
    from scipy import special  # noqa: F401

    from longgame.experiments import _groups  # noqa: F401


def _long_run_arrow(run: Any, window: float) -> Any:
    """:func:`long_run_values` on a pyarrow table (about ten times faster on small runs)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    steps = np.sort(pc.unique(run["step"]).to_numpy())
    if steps.size == 0:
        return pa.table(
            {"group": pa.array([], pa.string()), "metric": pa.array([], pa.string()),
             "value": pa.array([], pa.float64())}
        )  # fmt: skip
    keep = max(1, math.ceil(window * steps.size - 1e-9))
    tail = run.filter(pc.greater_equal(run["step"], pa.scalar(steps[-keep], run["step"].type)))
    value = tail["value"].cast(pa.float64())
    value = pc.if_else(pc.is_nan(value), pa.scalar(None, pa.float64()), value)
    tail = pa.table({"group": tail["group"], "metric": tail["metric"], "value": value})
    means = tail.group_by(["group", "metric"], use_threads=False).aggregate([("value", "mean")])
    return pa.table(
        {"group": means["group"], "metric": means["metric"], "value": means["value_mean"]}
    )


def run_long_run(
    run: Any, window: float, metrics: Sequence[str] | None
) -> tuple[Any, tuple[str, ...]]:
    """One run's long-run values and the metric names it produced.

    ``run`` is the run's metrics as a pyarrow table (columns step, group, metric, value);
    ``metrics`` keeps only those names (all if ``None``) before the window is taken.
    Returns a pyarrow table (group, metric, value) and the names, as the summary uses
    them: a worker computes them from the table it has just made (no file to read
    back), and the summary reads only the runs it has none for.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    seen = tuple(pc.unique(run["metric"]).to_pylist())
    if metrics is not None:
        wanted = pa.array(list(metrics), type=pa.string())
        run = run.filter(pc.is_in(run["metric"], value_set=wanted))
    return _long_run_arrow(run, window), seen


def _summarise(
    path: str | Path,
    window: float | None,
    metrics: Sequence[str] | None,
    write: bool,
    known: Mapping[str, LongRun] | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    import io

    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    from longgame.experiments.store import Store, atomic_write_bytes

    store = Store(path)
    manifest = store.read_manifest()
    if not manifest:
        from longgame.errors import InputError

        raise InputError(f"{path}: no manifest.json; expected a longgame results folder")
    config = store.read_config()
    outputs = config.get("outputs", {})
    if window is None:
        window = float(outputs.get("long_run_window", 0.2))
    _check_window(window)
    if metrics is None:
        metrics = outputs.get("metrics")
    swept: list[str] = list(manifest.get("swept", []))
    points = [p["values"] for p in manifest.get("points", [])]
    # only runs the manifest records as done: a run file written just before a kill is
    # verified by the next resume before it counts
    where = {r["run_id"]: r["point"] for r in manifest.get("runs", []) if r.get("status") == "done"}
    finished = store.finished()
    parts = []
    seen: set[str] = set()
    settings = (window, tuple(metrics) if metrics is not None else None)
    known = known or {}
    for run_id in sorted(finished):
        if run_id not in where:
            continue  # a stray file from another config: never mixed in
        if run_id in known and known[run_id].settings == settings:
            tail, names = known[run_id].values, known[run_id].metrics
        else:
            columns = ["step", "group", "metric", "value"]
            run = pq.read_table(store.run_path(run_id), columns=columns)
            tail, names = run_long_run(run, window, metrics)
        seen.update(names)
        parts.append(tail.append_column("point", pa.array([where[run_id]] * len(tail), pa.int64())))
    if parts:
        values = pa.concat_tables(parts).to_pandas()
    else:
        values = pd.DataFrame({"point": [], "group": [], "metric": [], "value": []})
    from longgame.experiments._groups import group_strategies_of, with_strategy

    table = with_strategy(summary_table(values, points, swept), group_strategies_of(config))
    if write:
        sink = io.BytesIO()
        table.to_parquet(sink, index=False)
        atomic_write_bytes(store.summary_path, sink.getvalue())
    return table, sorted(seen)


def summary_warnings(
    path: str | Path, wanted: Sequence[str] | None, known: Mapping[str, LongRun] | None = None
) -> list[str]:
    """Write ``summary.parquet`` and return warnings about requested metrics never seen.

    ``known``: long-run values already computed, by run id (by the workers, as the runs
    finished); used where their window and metrics are the stored config's.
    """
    from longgame.errors import closest_names

    _, seen = _summarise(path, None, None, True, known)
    if not wanted or not seen:
        return []
    return [
        f"outputs.metrics names {name!r}, which no run produced; the model produces "
        + ", ".join(seen)
        + (f" ({hint})" if (hint := closest_names(name, seen)) else "")
        for name in wanted
        if name not in seen
    ]
