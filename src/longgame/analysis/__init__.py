"""Analysis of simulated relationships: retention (survival curves) and lifetime value.

- :mod:`longgame.analysis.retention`: Kaplan-Meier survival with censoring and
  confidence bands, life-table and constant-rate retention;
- :mod:`longgame.analysis.clv`: closed-form customer lifetime value, value of cash
  flows, and the shifted-beta-geometric retention model.

>>> from longgame.analysis import clv
>>> round(float(clv(margin=1.0, retention=0.9, discount=0.0)), 6)
9.0
"""

from __future__ import annotations

from longgame.analysis.clv import (
    SBGFit,
    clv,
    clv_from_cash_flows,
    fit_sbg,
    simulate_cash_flows,
    survivor_counts,
)
from longgame.analysis.retention import kaplan_meier, retention_by_period, retention_rate

__all__ = [
    "SBGFit",
    "clv",
    "clv_from_cash_flows",
    "fit_sbg",
    "kaplan_meier",
    "retention_by_period",
    "retention_rate",
    "simulate_cash_flows",
    "survivor_counts",
]
