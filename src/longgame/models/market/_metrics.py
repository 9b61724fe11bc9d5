"""Per-step, per-strategy metrics and relationship spells, collected as numpy arrays.

Metric definitions (group = the seller group's name: its ``label``, else its strategy
as written; :meth:`MarketModel.group_strategies` gives the registry names):

- ``profit``: mean profit per active seller of the group in the period (money);
- ``cumulative_profit``: running sum of ``profit`` (NaN periods count as 0);
- ``customers``, ``new_customers``, ``lost_customers``: per active seller;
- ``retention``: share of last period's customers of the group still with it; NaN
  (too few to tell) when the group had fewer than :data:`MIN_RETENTION_BASE` customers
  last period, so one customer kept is never reported as 100%;
- ``trust``: mean trust of the group's current customers (NaN if none);
- ``customer_surplus``: mean surplus of the group's customers who bought this period
  (NaN if none);
- ``sellers_active``: number of active sellers; ``share``: their share of all active
  sellers;
- ``capacity_use``: customers per active seller at the end of the period over the
  capacity one seller serves at full quality (``attention.time`` with seller time on,
  else the hard ceiling ``acquisition.capacity``); above 1 means service is thinning;
- ``clv``: closed-form customer lifetime value ``m r / (1 + i - r)``
  (:func:`longgame.analysis.clv`) with ``m`` the group's profit from its relationships'
  deals per customer in the period (before prospecting costs), ``r`` the period's
  retention and ``i`` = ``lifetime_value.discount``; NaN when retention is;
- ``clv_realised``: mean lifetime profit (undiscounted sum of the simulated per-deal
  cash flows) of the group's relationships that ended in the period; NaN if none did;
- ``capital``: mean capital of all the group's sellers at the end of the period,
  including those who left the market (they keep what they had left): the seller's
  wealth, the outcome of how much capital it put at risk (money).

Per-seller means are NaN when the group has no active seller.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from longgame.analysis.retention import MIN_RETENTION_BASE

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["METRICS", "MIN_RETENTION_BASE", "MetricsRecorder", "SpellRecorder"]


METRICS: tuple[str, ...] = (
    "profit",
    "cumulative_profit",
    "customers",
    "new_customers",
    "lost_customers",
    "retention",
    "trust",
    "customer_surplus",
    "sellers_active",
    "share",
    "capacity_use",
    "clv",
    "clv_realised",
    "capital",
)


class MetricsRecorder:
    """A (steps, groups, metrics) float array filled one step at a time.

    :meth:`reserve` preallocates rows for a run of known length; :meth:`record` grows the
    array (doubling) when a caller steps past it, so stepping by hand also works.
    """

    def __init__(self, groups: list[str], steps: int = 0) -> None:
        self.groups = groups
        self.values: NDArray[np.float64] = np.full(
            (max(steps, 0), len(groups), len(METRICS)), np.nan
        )
        self.count = 0
        self._cum = np.zeros(len(groups))

    def reserve(self, steps: int) -> None:
        """Make room for ``steps`` more periods."""
        missing = self.count + steps - self.values.shape[0]
        if missing > 0:
            grow = np.full((missing, *self.values.shape[1:]), np.nan)
            self.values = np.concatenate([self.values, grow])

    def next_row(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """The next step's row (groups, metrics) to fill in place, and the cumulative
        profit per group (to update in place); counts the step as stored."""
        if self.count == self.values.shape[0]:
            grow = np.full((max(1, self.count), *self.values.shape[1:]), np.nan)
            self.values = np.concatenate([self.values, grow])
        row = self.values[self.count]
        self.count += 1
        return row, self._cum

    def record(self, **columns: NDArray[np.float64]) -> None:
        """Store one step; ``columns`` maps every metric except cumulative_profit to (G,)."""
        if self.count == self.values.shape[0]:
            grow = np.full((max(1, self.count), *self.values.shape[1:]), np.nan)
            self.values = np.concatenate([self.values, grow])
        profit = columns["profit"]
        # NaN (a group without active sellers) counts as 0; ``nan_to_num`` costs more
        # than the rest of the step's bookkeeping, so only when needed
        self._cum += profit if np.isfinite(profit).all() else np.nan_to_num(profit)
        row = self.values[self.count]
        for j, name in enumerate(METRICS):
            row[:, j] = self._cum if name == "cumulative_profit" else columns[name]
        self.count += 1

    def frame(self) -> pd.DataFrame:
        """Tidy table: step (1-based), group, metric, value."""
        import pandas as pd

        v = self.values[: self.count]
        s, g, m = np.meshgrid(
            np.arange(1, self.count + 1),
            np.arange(len(self.groups)),
            np.arange(len(METRICS)),
            indexing="ij",
        )
        return pd.DataFrame(
            {
                "step": s.ravel().astype(np.int64),
                "group": np.asarray(self.groups, dtype=object)[g.ravel()],
                "metric": np.asarray(METRICS, dtype=object)[m.ravel()],
                "value": v.ravel(),
            }
        )


class SpellRecorder:
    """Relationship spells: group, start, end, duration, event (False = censored), profit.

    ``profit`` is the seller's cumulative profit from the relationship (money), i.e. the
    realised lifetime value of the customer to the seller.
    """

    def __init__(self) -> None:
        self._parts: list[
            tuple[NDArray[np.intp], NDArray[np.int32], int, bool, NDArray[np.float64]]
        ] = []

    def add(
        self,
        group: NDArray[np.intp],
        start: NDArray[np.int32],
        end: int,
        event: bool,
        profit: NDArray[np.float64],
        copy: bool = True,
    ) -> None:
        """Spells of ``group`` that started at ``start`` and ended (or were cut) at ``end``.

        ``copy=False`` keeps the arrays themselves (the caller hands over arrays of the
        stored types, intp, int32 and float64, that it no longer uses).
        """
        if group.size:
            if copy:
                group, start, profit = group.astype(np.intp), start.astype(np.int32), profit.copy()
            self._parts.append((group, start, end, event, profit))

    def frame(self, groups: list[str]) -> pd.DataFrame:
        """Spells as a DataFrame; duration = end - start (periods)."""
        import pandas as pd

        if not self._parts:
            g = np.zeros(0, dtype=np.intp)
            start = np.zeros(0, dtype=np.int64)
            end = np.zeros(0, dtype=np.int64)
            event = np.zeros(0, dtype=bool)
            profit = np.zeros(0)
        else:
            g = np.concatenate([p[0] for p in self._parts])
            start = np.concatenate([p[1] for p in self._parts]).astype(np.int64)
            end = np.concatenate([np.full(p[1].size, p[2], dtype=np.int64) for p in self._parts])
            event = np.concatenate([np.full(p[1].size, p[3]) for p in self._parts])
            profit = np.concatenate([p[4] for p in self._parts])
        return pd.DataFrame(
            {
                "group": np.asarray(groups, dtype=object)[g]
                if g.size
                else np.array([], dtype=object),
                "start": start,
                "end": end,
                "duration": end - start,
                "event": event.astype(bool),
                "profit": profit,
            }
        )
