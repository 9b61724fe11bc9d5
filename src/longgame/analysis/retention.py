"""Retention: survival of relationships with censoring, and per-period retention rates.

A relationship spell has a duration (periods) and an event flag: True if it ended,
False if it was still running when the run stopped (right-censored). Survival curves
are Kaplan-Meier estimates (Kaplan & Meier 1958, *JASA* 53:457) from
with pointwise confidence bands (Greenwood variance, log-log transform by default), the
numbers of :func:`scipy.stats.ecdf` on :class:`scipy.stats.CensoredData` computed in numpy
for all groups from one sort.

Spells tables are the market model's ``RunOutput.tables["spells"]``: columns ``group``,
``duration`` and ``event`` (others are ignored).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np

from longgame.errors import InputError

if TYPE_CHECKING:
    import pandas as pd
    from numpy.typing import NDArray

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
    group). The numbers are those of :func:`scipy.stats.ecdf` (product-limit estimate,
    Greenwood variance, log-log or linear band clipped to [0, 1]), computed for all
    groups at once from one sort of the spells.

    >>> import pandas as pd
    >>> sp = pd.DataFrame({"group": "a", "duration": [1, 2, 2, 5, 3, 6],
    ...                    "event": [True, True, True, True, False, False]})
    >>> km = kaplan_meier(sp)
    >>> km[["time", "survival"]].round(3).values.tolist()
    [[0.0, 1.0], [1.0, 0.833], [2.0, 0.5], [3.0, 0.5], [5.0, 0.25], [6.0, 0.25]]
    """
    import pandas as pd
    from scipy import special

    _check(spells, by)
    if not 0 < confidence < 1:
        raise InputError(f"kaplan_meier: confidence={confidence!r}; expected a number in (0, 1)")
    if method not in ("log-log", "linear"):
        raise InputError(f"kaplan_meier: method={method!r}; expected 'log-log' or 'linear'")
    if by is None:
        codes = np.zeros(len(spells), dtype=np.int64)
        names: list[object] = ["all"]
    else:
        # sorted like groupby(sort=True): by category order for a categorical column
        found, uniques = pd.factorize(spells[by], sort=True)
        codes, names = found.astype(np.int64), list(uniques)
    keep = codes >= 0  # a missing group is left out, as groupby leaves it out
    codes = codes[keep]
    duration = spells["duration"].to_numpy(dtype=float)[keep]
    event = spells["event"].to_numpy(dtype=bool)[keep]
    z = special.ndtri(1 / 2 + confidence / 2)
    cols = ["group", "time", "survival", "ci_low", "ci_high", "at_risk", "n"]
    pieces: dict[str, list[object]] = {c: [] for c in cols}
    for g, t, s, lo, hi, at_risk in _product_limit(codes, duration, event, len(names), z, method):
        size = t.size + 1
        pieces["group"].append([names[g]] * size)
        pieces["time"].append(np.concatenate([[0.0], t]))
        pieces["survival"].append(np.concatenate([[1.0], s]))
        pieces["ci_low"].append(np.concatenate([[1.0], lo]))
        pieces["ci_high"].append(np.concatenate([[1.0], hi]))
        pieces["at_risk"].append(np.concatenate([[at_risk[0]], at_risk]))
        pieces["n"].append(np.full(size, at_risk[0]))
    if not pieces["time"]:
        return pd.DataFrame({c: [] for c in cols})
    return pd.DataFrame(
        {
            "group": [name for part in pieces["group"] for name in part],  # type: ignore[attr-defined]
            **{c: np.concatenate(pieces[c]) for c in cols[1:]},  # type: ignore[arg-type]
        }
    )


def _product_limit(
    codes: NDArray[np.int64],
    duration: NDArray[np.float64],
    event: NDArray[np.bool_],
    n_groups: int,
    z: float,
    method: str,
) -> list[tuple[int, NDArray[np.float64], NDArray[np.float64], NDArray[np.float64],
                NDArray[np.float64], NDArray[np.int64]]]:  # fmt: skip
    """Per group (in code order, empty groups left out): distinct times, survival, band
    (low, high) and spells at risk, from one sort of all spells by group and duration.

    The arithmetic is that of :func:`scipy.stats.ecdf` and its ``confidence_interval``
    (the same float operations in the same order, including ecdf's own formula when
    nothing is censored), so the numbers are identical."""
    order = np.lexsort((duration, codes))
    c, d, e = codes[order], duration[order], event[order]
    new = np.ones(c.size, dtype=bool)
    new[1:] = (c[1:] != c[:-1]) | (d[1:] != d[:-1])
    first = np.flatnonzero(new)  # first spell of each (group, duration)
    if first.size == 0:
        return []
    deaths = np.add.reduceat(e.astype(np.int64), first)
    at_risk = np.searchsorted(c, c[first], side="right") - first  # spells of the group left
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (at_risk - deaths) / at_risk
        terms = deaths / (at_risk * (at_risk - deaths))
    bounds = np.searchsorted(c[first], np.arange(n_groups + 1))
    out = []
    for g in range(n_groups):
        part = slice(bounds[g], bounds[g + 1])
        t, n = d[first[part]], at_risk[part]
        if t.size == 0:
            continue
        if not deaths[part].any():  # nothing ended: survival stays 1, and so does its band
            ones = np.ones(t.size)
            out.append((g, t, ones, ones, ones, n))
            continue
        if deaths[part].sum() == n[0]:  # nothing censored: the plain empirical function
            s = 1 - np.cumsum(deaths[part]) / n[0]
        else:
            s = np.cumprod(ratio[part])
        with np.errstate(divide="ignore", invalid="ignore"):
            if method == "linear":
                se = np.sqrt(s**2 * np.cumsum(terms[part]))
                low, high = s - z * se, s + z * se
            else:
                se = np.sqrt(1 / np.log(s) ** 2 * np.cumsum(terms[part]))
                lnl = np.log(-np.log(s))
                low, high = np.exp(-np.exp(lnl + z * se)), np.exp(-np.exp(lnl - z * se))
        low, high = np.clip(low, 0, 1), np.clip(high, 0, 1)
        # undefined where no event has happened yet (S = 1) or all have (S = 0):
        # the band collapses onto the estimate there
        low = np.where(np.isnan(low), s, low)
        high = np.where(np.isnan(high), s, high)
        out.append((g, t, s, low, high, n))
    return out


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
