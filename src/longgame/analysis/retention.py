"""Retention: survival of relationships with censoring, and per-period retention rates.

A relationship spell has a duration (periods) and an event flag: True if it ended,
False if it was still running when the run stopped (right-censored). Survival curves
are Kaplan-Meier estimates (Kaplan & Meier 1958, *JASA* 53:457) from
:func:`scipy.stats.ecdf` on :class:`scipy.stats.CensoredData`, with pointwise
confidence bands (Greenwood variance, log-log transform by default).

Spells tables are the market model's ``RunOutput.tables["spells"]``: columns ``group``,
``duration`` and ``event`` (others are ignored).
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Literal

import numpy as np

from longgame.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["MIN_RETENTION_BASE", "kaplan_meier", "retention_by_period", "retention_rate"]

#: Fewest customers (summed over a group's sellers) a period's retention is computed
#: from: a binomial share from 10 customers has a standard error of at most 0.16. The
#: market's ``retention`` metric is missing below it; figures say "too few to tell".
MIN_RETENTION_BASE = 10


def _check(spells: pd.DataFrame, by: str | None) -> None:
    need = ["duration", "event"] + ([by] if by else [])
    missing = [c for c in need if c not in spells.columns]
    if missing:
        raise InputError(
            f"spells: missing column(s) {', '.join(missing)}; expected columns {', '.join(need)}"
        )
    if len(spells) and (spells["duration"] < 0).any():
        raise InputError("spells: negative duration; expected durations >= 0 periods")


def _groups(spells: pd.DataFrame, by: str | None) -> list[tuple[object, pd.DataFrame]]:
    if by is None:
        return [("all", spells)]
    return list(spells.groupby(by, sort=True, observed=True))


def kaplan_meier(
    spells: pd.DataFrame,
    by: str | None = "group",
    *,
    confidence: float = 0.95,
    method: Literal["log-log", "linear"] = "log-log",
) -> pd.DataFrame:
    """Kaplan-Meier survival per group with a pointwise confidence band.

    Returns a tidy table with columns ``group``, ``time`` (periods; a row at 0 with
    survival 1, then one per distinct observed duration), ``survival``, ``ci_low``,
    ``ci_high``, ``at_risk`` (spells with duration >= time) and ``n`` (spells in the
    group).

    >>> import pandas as pd
    >>> sp = pd.DataFrame({"group": "a", "duration": [1, 2, 2, 5, 3, 6],
    ...                    "event": [True, True, True, True, False, False]})
    >>> km = kaplan_meier(sp)
    >>> km[["time", "survival"]].round(3).values.tolist()
    [[0.0, 1.0], [1.0, 0.833], [2.0, 0.5], [3.0, 0.5], [5.0, 0.25], [6.0, 0.25]]
    """
    import pandas as pd
    from scipy import stats

    _check(spells, by)
    if not 0 < confidence < 1:
        raise InputError(f"kaplan_meier: confidence={confidence!r}; expected a number in (0, 1)")
    frames = []
    for name, df in _groups(spells, by):
        d = df["duration"].to_numpy(dtype=float)
        e = df["event"].to_numpy(dtype=bool)
        if d.size == 0:
            continue
        if e.any():
            data = stats.CensoredData(uncensored=d[e], right=d[~e])
            sf = stats.ecdf(data).sf
            t = sf.quantiles
            s = sf.probabilities
            # the log-log band is undefined where survival is 0 or 1; we fill those below
            with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
                warnings.simplefilter("ignore", RuntimeWarning)
                ci = sf.confidence_interval(confidence, method=method)
            # undefined where no event has happened yet (S = 1) or all have (S = 0):
            # the band collapses onto the estimate there
            lo = np.where(np.isnan(ci.low.probabilities), s, ci.low.probabilities)
            hi = np.where(np.isnan(ci.high.probabilities), s, ci.high.probabilities)
        else:
            t = np.unique(d)
            s = np.ones(t.size)
            lo = np.ones(t.size)
            hi = np.ones(t.size)
        at_risk = d.size - np.searchsorted(np.sort(d), t, side="left")
        frames.append(
            pd.DataFrame(
                {
                    "group": name,
                    "time": np.concatenate([[0.0], t]),
                    "survival": np.concatenate([[1.0], s]),
                    "ci_low": np.concatenate([[1.0], lo]),
                    "ci_high": np.concatenate([[1.0], hi]),
                    "at_risk": np.concatenate([[d.size], at_risk]),
                    "n": d.size,
                }
            )
        )
    cols = ["group", "time", "survival", "ci_low", "ci_high", "at_risk", "n"]
    if not frames:
        return pd.DataFrame({c: [] for c in cols})
    return pd.concat(frames, ignore_index=True)[cols]


def retention_by_period(spells: pd.DataFrame, by: str | None = "group") -> pd.DataFrame:
    """Life-table retention per period: share of relationships alive at the start of
    period ``t`` that did not end in it.

    A spell of duration ``d`` that ended was alive in periods 1..d and ended in period
    ``d``; a censored one was alive through period ``d``. Columns ``group``, ``period``,
    ``at_risk``, ``ended``, ``retention`` (= 1 - ended / at_risk, the Kaplan-Meier
    conditional survival of the period).

    >>> import pandas as pd
    >>> sp = pd.DataFrame({"group": "a", "duration": [1, 2, 2, 3],
    ...                    "event": [True, True, False, True]})
    >>> table = retention_by_period(sp)
    >>> table.at_risk.tolist(), table.ended.tolist(), table.retention.round(3).tolist()
    ([4, 3, 1], [1, 1, 1], [0.75, 0.667, 0.0])
    """
    import pandas as pd

    _check(spells, by)
    frames = []
    for name, df in _groups(spells, by):
        d = df["duration"].to_numpy(dtype=np.int64)
        e = df["event"].to_numpy(dtype=bool)
        if d.size == 0:
            continue
        top = int(d.max())
        if top < 1:
            continue
        periods = np.arange(1, top + 1)
        at_risk = d.size - np.searchsorted(np.sort(d), periods, side="left")
        ended = np.bincount(d[e], minlength=top + 1)[1:]
        with np.errstate(invalid="ignore", divide="ignore"):
            ret = 1.0 - ended / at_risk
        frames.append(
            pd.DataFrame(
                {
                    "group": name,
                    "period": periods,
                    "at_risk": at_risk,
                    "ended": ended,
                    "retention": ret,
                }
            )
        )
    cols = ["group", "period", "at_risk", "ended", "retention"]
    if not frames:
        return pd.DataFrame({c: [] for c in cols})
    return pd.concat(frames, ignore_index=True)[cols]


def retention_rate(
    spells: pd.DataFrame, by: str | None = "group", *, confidence: float = 0.95
) -> pd.DataFrame:
    """Constant per-period retention rate per group, with a Wilson confidence interval.

    Under a constant hazard (geometric lifetimes) the maximum-likelihood retention rate
    with censoring is ``r = 1 - events / exposure`` with exposure the total periods
    observed (sum of durations). Columns ``group``, ``retention``, ``ci_low``,
    ``ci_high``, ``events``, ``exposure``, ``n``.

    >>> import pandas as pd
    >>> sp = pd.DataFrame({"group": "a", "duration": [4, 4, 2], "event": [True, False, True]})
    >>> float(retention_rate(sp).retention.iloc[0])
    0.8
    """
    import pandas as pd
    from scipy import stats

    _check(spells, by)
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    rows = []
    for name, df in _groups(spells, by):
        exposure = float(df["duration"].sum())
        events = float(df["event"].sum())
        if exposure <= 0:
            rows.append((name, np.nan, np.nan, np.nan, events, exposure, len(df)))
            continue
        q = events / exposure
        denom = 1 + z * z / exposure
        centre = (q + z * z / (2 * exposure)) / denom
        half = z * np.sqrt(q * (1 - q) / exposure + z * z / (4 * exposure**2)) / denom
        rows.append(
            (name, 1 - q, 1 - (centre + half), 1 - (centre - half), events, exposure, len(df))
        )
    return pd.DataFrame(
        rows, columns=["group", "retention", "ci_low", "ci_high", "events", "exposure", "n"]
    )
