"""Customer lifetime value: closed form, from cash flows, and the shifted-beta-geometric fit.

- Closed form (Gupta & Lehmann 2003, *J. Interactive Marketing* 17:9): a customer who
  yields margin ``m`` at the end of each period in which it is retained, with constant
  retention rate ``r`` and discount rate ``i`` per period, is worth
  ``CLV = m r / (1 + i - r)``.
- From cash flows: the discounted sum of simulated (or observed) per-period cash flows.
- Shifted-beta-geometric (sBG; Fader & Hardie 2007, *J. Interactive Marketing* 21:76):
  each customer churns each period with its own probability, Beta(alpha, beta)
  distributed across customers, so the cohort's retention rises with tenure. Fitted to
  cohort survivor counts by maximum likelihood.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from longgame._rng import RNGLike, as_generator
from longgame.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "SBGFit",
    "clv",
    "clv_from_cash_flows",
    "fit_sbg",
    "simulate_cash_flows",
    "survivor_counts",
]


def clv(margin: ArrayLike, retention: ArrayLike, discount: ArrayLike = 0.0) -> NDArray[np.float64]:
    """Closed-form lifetime value ``m r / (1 + i - r)`` (broadcasts over arrays).

    Args:
        margin: margin per retained period, money.
        retention: retention rate per period, in [0, 1].
        discount: discount rate per period, >= 0 (with ``r = 1`` it must be > 0).

    >>> float(clv(100, 0.8, 0.1))
    266.6666666666667
    """
    m = np.asarray(margin, dtype=float)
    r = np.asarray(retention, dtype=float)
    i = np.asarray(discount, dtype=float)
    problems = []
    if np.any(~np.isfinite(r) | (r < 0) | (r > 1)):
        problems.append(f"clv: retention={retention!r} is out of range; expected numbers in [0, 1]")
    if np.any(~np.isfinite(i) | (i < 0)):
        problems.append(f"clv: discount={discount!r} is out of range; expected numbers >= 0")
    elif np.any(1 + i - r <= 0):
        problems.append(
            "clv: retention=1 with discount=0 has no finite value; expected discount > 0"
        )
    if problems:
        raise InputError(*problems)
    return np.asarray(m * r / (1 + i - r), dtype=float)


def clv_from_cash_flows(cash_flows: ArrayLike, discount: float = 0.0) -> NDArray[np.float64]:
    """Discounted value of per-period cash flows, one row per customer.

    Column ``t`` (0-based) is the cash flow at the end of period ``t + 1``, discounted by
    ``(1 + discount) ** (t + 1)``. Returns one value per row.

    >>> clv_from_cash_flows([[10, 10, 0], [5, 0, 0]], discount=0.0).tolist()
    [20.0, 5.0]
    """
    cf = np.atleast_2d(np.asarray(cash_flows, dtype=float))
    if not discount >= 0:
        raise InputError(f"clv: discount={discount!r} is out of range; expected a number >= 0")
    factors = (1.0 + discount) ** -np.arange(1, cf.shape[1] + 1)
    return np.asarray(cf @ factors, dtype=float)


def simulate_cash_flows(
    margin: float, retention: float, periods: int, n: int, rng: RNGLike = None
) -> NDArray[np.float64]:
    """Cash flows of ``n`` customers with geometric lifetimes: ``margin`` in each period
    ``t >= 1`` the customer is still retained (retained into period ``t`` with
    probability ``retention ** t``), for ``periods`` periods.

    >>> cf = simulate_cash_flows(1.0, 0.5, 3, 4, rng=0)
    >>> cf.shape
    (4, 3)
    """
    g = as_generator(rng)
    lifetime = g.geometric(1.0 - retention, size=n) - 1 if retention < 1 else np.full(n, periods)
    t = np.arange(1, periods + 1)
    return np.where(t[None, :] <= lifetime[:, None], margin, 0.0)


def survivor_counts(
    durations: ArrayLike,
    events: ArrayLike,
    periods: int,
    *,
    window: ArrayLike | None = None,
) -> NDArray[np.int64]:
    """Survivors of a cohort after 0..``periods`` periods, from its spells.

    A spell that ended after ``d`` periods was alive at the end of periods 0..d-1; a
    censored one (``event`` False) lasted more than ``d`` periods, so it was alive at
    the end of periods 0..d.

    Args:
        durations: periods each spell lasted (or was observed, if censored).
        events: True where the spell ended, False where it was censored.
        periods: the horizon ``T``; counts are returned for 0..T.
        window: how long each spell *could* have been observed (from its start to the
            end of the data). Only spells with ``window >= periods`` are counted, ended
            or not, so spells started too late to be followed for ``T`` periods drop out
            whole; counting the ended ones but not the censored ones would bias the
            survival down. Without ``window`` the spells must be one cohort observed
            for at least ``T`` periods: a censored spell shorter than ``T`` is an error.

    >>> survivor_counts([1, 2, 5, 3], [True, True, False, False], 2).tolist()
    [4, 3, 2]
    >>> survivor_counts([1, 2, 5, 1], [True, True, False, False], 2, window=[9, 9, 9, 1]).tolist()
    [3, 2, 1]
    """
    d = np.asarray(durations, dtype=np.int64).reshape(-1)
    e = np.asarray(events, dtype=bool).reshape(-1)
    if e.shape != d.shape:
        raise InputError(
            f"survivor_counts: events has {e.size} values for {d.size} durations; "
            "expected one per spell"
        )
    if window is None:
        short = int(np.count_nonzero(~e & (d < periods)))
        if short:
            raise InputError(
                f"survivor_counts: {short} censored spell(s) are shorter than "
                f"periods={periods}, so the cohort was not followed for {periods} periods; "
                "expected window= (each spell's observable time) or a smaller periods"
            )
        keep = np.ones(d.shape, dtype=bool)
    else:
        w = np.asarray(window, dtype=np.int64).reshape(-1)
        if w.shape != d.shape:
            raise InputError(
                f"survivor_counts: window has {w.size} values for {d.size} durations; "
                "expected one per spell"
            )
        keep = w >= periods
    # alive after t periods: T > t, where an ended spell has T = d and a censored one
    # T > d (so it is known alive for every t <= d)
    last = np.where(e, d - 1, d)[keep]
    t = np.arange(periods + 1)
    return np.asarray((last[None, :] >= t[:, None]).sum(axis=1), dtype=np.int64)


@dataclass(frozen=True)
class SBGFit:
    """A fitted shifted-beta-geometric model."""

    alpha: float
    beta: float
    log_likelihood: float

    def survival(self, t: ArrayLike) -> NDArray[np.float64]:
        """``S(t) = B(alpha, beta + t) / B(alpha, beta)``: share still alive after t periods."""
        from scipy.special import betaln

        tt = np.asarray(t, dtype=float)
        return np.asarray(
            np.exp(betaln(self.alpha, self.beta + tt) - betaln(self.alpha, self.beta))
        )

    def retention(self, t: ArrayLike) -> NDArray[np.float64]:
        """Retention rate in period ``t >= 1``: ``(beta + t - 1) / (alpha + beta + t - 1)``."""
        tt = np.asarray(t, dtype=float)
        return np.asarray((self.beta + tt - 1) / (self.alpha + self.beta + tt - 1))


def fit_sbg(survivors: ArrayLike | pd.Series) -> SBGFit:
    """Maximum-likelihood sBG fit to cohort survivor counts ``n_0 >= n_1 >= ... >= n_T``.

    Log-likelihood ``sum_t (n_{t-1} - n_t) log P(T = t) + n_T log S(T)`` with
    ``P(T = t) = B(alpha + 1, beta + t - 1) / B(alpha, beta)``; maximised over
    ``log alpha, log beta`` with :func:`scipy.optimize.minimize`.

    Fader & Hardie's (2007) "regular" cohort gives alpha = 0.704, beta = 1.182:

    >>> fit = fit_sbg([1000, 631, 468, 382, 326, 289, 262, 241])
    >>> round(fit.alpha, 3), round(fit.beta, 3)
    (0.704, 1.182)
    """
    from scipy import optimize
    from scipy.special import betaln

    n = np.asarray(survivors, dtype=float)
    if n.ndim != 1 or n.size < 2 or np.any(~np.isfinite(n)) or np.any(n < 0):
        raise InputError(
            f"fit_sbg: survivors={survivors!r}; expected at least two non-negative counts"
        )
    if np.any(np.diff(n) > 0) or n[0] <= 0:
        raise InputError(
            "fit_sbg: survivors must start positive and never increase (a cohort only shrinks)"
        )
    lost = -np.diff(n)
    t = np.arange(1, n.size)
    T = n.size - 1

    def nll(x: NDArray[np.float64]) -> float:
        a, b = np.exp(x)
        base = betaln(a, b)
        log_p = betaln(a + 1, b + t - 1) - base
        log_s = betaln(a, b + T) - base
        return float(-(np.dot(lost, log_p) + n[-1] * log_s))

    best = None
    for start in ((0.0, 0.0), (-1.0, 1.0), (1.0, 2.0)):
        res = optimize.minimize(
            nll,
            np.array(start),
            method="Nelder-Mead",
            options={"xatol": 1e-8, "fatol": 1e-10, "maxiter": 4000},
        )
        if best is None or res.fun < best.fun:
            best = res
    assert best is not None
    a, b = np.exp(best.x)
    return SBGFit(alpha=float(a), beta=float(b), log_likelihood=float(-best.fun))
