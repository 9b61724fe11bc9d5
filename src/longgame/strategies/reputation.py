"""Sellers who play with their public reputation: milker, builder, optimal opportunist.

These strategies read the public information a market offers in
:attr:`~longgame.strategies.HistoryView.public` (names listed in ``public_inputs``): the
seller's public ``rating`` (share of fair reviews, smoothed by the customers' prior),
the ``market_rating`` (mean rating of active sellers), the seller's ``age`` in periods,
the periods ``remaining`` until a known end (``inf`` when unknown) and the review
``visibility``. Without them (a tournament, the contract tests) they fall back on what a
relationship shows: the rating is unknown (treated as 0, so a milker deals fair), the age
is the relationship's rounds, the end is unknown.

The reputation literature this follows: Kreps & Wilson (1982), "Reputation and
imperfect information", *J. Econ. Theory* 27:253; Milgrom & Roberts (1982), "Predation,
reputation and entry deterrence", *J. Econ. Theory* 27:280; reputation milking as in
Holmström (1999) and the "milking" of a rating in online markets (Dellarocas 2005).
Actions: 0 = deal fair, 1 = fleece.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from longgame.strategies._base import HistoryView, Strategy, defect_where

__all__ = ["Builder", "Milker", "OptimalOpportunist", "public_value"]

_CITE = (
    "Kreps & Wilson (1982) J. Econ. Theory 27:253; Milgrom & Roberts (1982) J. Econ. "
    "Theory 27:280 (reputation under incomplete information)."
)


def public_value(view: HistoryView, name: str, default: float) -> NDArray[np.float64]:
    """``view.public[name]`` as a float array of length ``view.n``, else ``default``.

    >>> v = HistoryView.fresh(2)
    >>> public_value(v, "rating", 0.5).tolist()
    [0.5, 0.5]
    """
    value = view.public.get(name)
    if value is None:
        return np.full(view.n, default)
    return np.broadcast_to(np.asarray(value, dtype=np.float64), (view.n,))


class Milker(Strategy):
    """Deals fair while its public rating is below ``threshold``, fleeces at or above it.

    Builds a reputation, then spends it: the rating falls while it fleeces and it deals
    fair again once the rating is below the threshold, so the rating hovers around the
    threshold and the seller fleeces whenever it is "rich" in reputation.

    Args:
        threshold: public rating in [0, 1] from which it fleeces.
    """

    name = "milker"
    aliases = ("reputation-milker",)
    description = "Fair while its public rating is below a threshold, fleeces above it."
    memory_depth = 0
    citation = _CITE
    public_inputs: ClassVar[tuple[str, ...]] = ("rating",)

    def __init__(self, *, threshold: float = 0.8) -> None:
        self.threshold = self._check_number("threshold", threshold, 0.0, 1.0)

    def decide(self, view: HistoryView, rng: np.random.Generator) -> NDArray[np.int8]:
        return defect_where(public_value(view, "rating", 0.0) >= self.threshold)


class Builder(Strategy):
    """Deals fair for its first ``periods`` periods in the market, then fleeces.

    Builds a reputation on purpose and then cashes it in for good (the "build then
    harvest" plan). Its age is the seller's periods in the market (``age`` in the
    public information), else the relationship's rounds.

    Args:
        periods: how many periods it deals fair (>= 0).
    """

    name = "builder"
    aliases = ("reputation-builder",)
    description = "Fair for its first N periods, then fleeces."
    memory_depth = 0
    citation = _CITE
    public_inputs: ClassVar[tuple[str, ...]] = ("age",)

    def __init__(self, *, periods: int = 50) -> None:
        self.periods = int(self._check_number("periods", periods, 0, integer=True))

    def decide(self, view: HistoryView, rng: np.random.Generator) -> NDArray[np.int8]:
        age = public_value(view, "age", math.nan)
        age = np.where(np.isnan(age), view.rounds, age)
        return defect_where(age >= self.periods)


class OptimalOpportunist(Strategy):
    """Fleeces or deals fair to maximise its expected discounted profit, given how
    customers judge it (value iteration over its public rating).

    The seller's model of the market (the simplification, stated): one decision per
    seller and period, for all its deals; the state is its public rating ``r`` on a grid
    of ``bins`` points. Its customers in a period are proportional to a prospect's
    multinomial-logit chance of choosing it, ``D(r) = e^u(r) / (1 + e^u(r) + rivals
    e^u(m))``, against ``rivals`` offers from sellers at the market's mean rating ``m``
    (the prospect's utility ``u(x) = logit(base_accept) + choice_weight (E(x) -
    E(prior_fair))``, ``E(x) = x surplus_fair + (1 - x) surplus_fleece``, as in the
    market's belief-based choice). A fair period earns ``D(r) gain_fair``, a fleecing one
    ``D(r) gain_fleece``; the rating then moves a share ``rating_speed`` of the way to
    ``1 - noise`` after a fair period and to ``noise`` after a fleecing one (``noise``:
    the review noise), and does not move when reviews are invisible (visibility 0, then
    fleecing always pays). Left out: its customers' private beliefs and word of mouth,
    the inertia of its book, its rivals' reactions. With a known end (``remaining``
    periods) it solves the finite-horizon problem by backward induction; otherwise the
    discounted infinite-horizon problem by value iteration (discount ``discount``). The
    defaults match the market's defaults (grid 5.5 margins, review forgetting 0.05).

    Known results it reproduces in the market: with a known end it deals fair until a few
    periods before it and then milks (the end-game effect; Kreps, Milgrom, Roberts &
    Wilson 1982); reputable rivals (a high market rating) make it mimic an honest seller
    longer; with invisible reviews it fleeces from the start.

    Args:
        discount: per-period discount factor in [0, 1).
        gain_fair, gain_fleece: its profit per deal when fair / fleecing (money).
        surplus_fair, surplus_fleece: the customer's surplus per deal (money).
        choice_weight: customers' logit per unit of expected surplus.
        base_accept: a prospect's acceptance when nothing is known, in (0, 1).
        prior_fair: customers' prior mean chance of a fair deal, in (0, 1).
        rating_speed: share of the gap to this period's behaviour the rating closes.
        rivals: competing offers a prospect weighs (>= 0).
        competition: whether it reads the market's mean rating (else assumes rivals at
            the prior mean, so reputable rivals change nothing).
        bins: grid points of the rating (>= 3).
    """

    name = "optimal-opportunist"
    aliases = ("opportunist",)
    description = "Fleeces or deals fair by value iteration over its public rating."
    memory_depth = 0
    citation = _CITE
    public_inputs: ClassVar[tuple[str, ...]] = (
        "rating",
        "market_rating",
        "remaining",
        "visibility",
        "review_noise",
    )

    def __init__(
        self,
        *,
        discount: float = 0.98,
        gain_fair: float = 0.45,
        gain_fleece: float = 1.55,
        surplus_fair: float = 0.6,
        surplus_fleece: float = -0.5,
        choice_weight: float = 10.0,
        base_accept: float = 0.3,
        prior_fair: float = 0.7,
        rating_speed: float = 0.05,
        rivals: float = 10.0,
        competition: bool = True,
        bins: int = 41,
    ) -> None:
        self.discount = self._check_number("discount", discount, 0.0, 0.999999)
        self.gain_fair = self._check_number("gain_fair", gain_fair)
        self.gain_fleece = self._check_number("gain_fleece", gain_fleece)
        self.surplus_fair = self._check_number("surplus_fair", surplus_fair)
        self.surplus_fleece = self._check_number("surplus_fleece", surplus_fleece)
        self.choice_weight = self._check_number("choice_weight", choice_weight, 0.0)
        self.base_accept = self._check_number("base_accept", base_accept, 1e-9, 1 - 1e-9)
        self.prior_fair = self._check_number("prior_fair", prior_fair, 1e-9, 1 - 1e-9)
        self.rating_speed = self._check_number("rating_speed", rating_speed, 0.0, 1.0)
        self.rivals = self._check_number("rivals", rivals, 0.0)
        self.competition = bool(competition)
        self.bins = int(self._check_number("bins", bins, 3, 10_001, integer=True))
        self._cache: dict[tuple[Any, ...], NDArray[np.bool_]] = {}

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_cache"] = {}
        return state

    # -- the seller's model -------------------------------------------------------------

    def _value(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        e: NDArray[np.float64] = self.surplus_fleece + x * (self.surplus_fair - self.surplus_fleece)
        return e

    def demand(self, rating: NDArray[np.float64], market: float) -> NDArray[np.float64]:
        """Its customers per period (relative) at ``rating`` against rivals at ``market``.

        >>> d = OptimalOpportunist().demand(np.array([0.2, 0.9]), 0.7)
        >>> bool(d[1] > d[0])
        True
        """
        base = math.log(self.base_accept / (1 - self.base_accept))
        ref = float(self._value(np.array([self.prior_fair]))[0])
        u = base + self.choice_weight * (self._value(rating) - ref)
        um = base + self.choice_weight * (float(self._value(np.array([market]))[0]) - ref)
        top = max(float(u.max()), um, 0.0)  # log-sum-exp guard
        eu = np.exp(u - top)
        out: NDArray[np.float64] = eu / (np.exp(-top) + eu + self.rivals * math.exp(um - top))
        return out

    def policy(
        self, market: float, noise: float, visible: bool, horizon: int | None
    ) -> NDArray[np.bool_]:
        """Fleece (True) or not per rating grid point; (horizon, bins) for a known end
        (row ``tau - 1``: ``tau`` periods left, this one included), else (1, bins).

        >>> pol = OptimalOpportunist().policy(0.7, 0.1, True, 30)
        >>> bool(pol[0].all()), bool(pol[-1, 20:30].any())  # last period: always fleece
        (True, False)
        """
        # the market's rating on a 0.05 grid, so that a drifting market reuses a policy
        m = round(float(market) * 20) / 20 if self.competition else self.prior_fair
        key = (m, round(float(noise), 3), bool(visible), horizon is None)
        got = self._cache.get(key)
        if got is not None and (horizon is None or got.shape[0] >= horizon):
            return got if horizon is None else got[:horizon]
        r = np.linspace(0.0, 1.0, self.bins)
        d = self.demand(r, m)
        k = self.rating_speed if visible else 0.0
        r_fair = r + k * ((1.0 - noise) - r)
        r_fleece = r + k * (noise - r)
        q_fair_now, q_fleece_now = d * self.gain_fair, d * self.gain_fleece
        v = np.zeros(self.bins)
        rows: list[NDArray[np.bool_]] = []
        steps = horizon if horizon is not None else 100_000
        for _ in range(steps):
            q_fair = q_fair_now + self.discount * np.interp(r_fair, r, v)
            q_fleece = q_fleece_now + self.discount * np.interp(r_fleece, r, v)
            new = np.maximum(q_fair, q_fleece)
            if horizon is not None:
                rows.append(q_fleece > q_fair)
            elif np.max(np.abs(new - v)) < 1e-10 * max(1.0, float(np.max(np.abs(new)))):
                rows = [q_fleece > q_fair]
                v = new
                break
            v = new
        if horizon is None and not rows:
            rows = [q_fleece > q_fair]
        out = np.array(rows, dtype=np.bool_)
        self._cache[key] = out
        return out

    def decide(self, view: HistoryView, rng: np.random.Generator) -> NDArray[np.int8]:
        n = view.n
        if n == 0:
            return np.zeros(0, dtype=np.int8)
        rating = public_value(view, "rating", self.prior_fair)
        market = float(public_value(view, "market_rating", self.prior_fair)[0])
        remaining = public_value(view, "remaining", math.inf)
        visible = float(public_value(view, "visibility", 1.0)[0]) > 0
        noise = float(public_value(view, "review_noise", 0.0)[0])
        col = np.clip(np.rint(rating * (self.bins - 1)).astype(np.intp), 0, self.bins - 1)
        out = np.zeros(n, dtype=np.bool_)
        known = np.isfinite(remaining)
        if (~known).any():
            pol = self.policy(market, noise, visible, None)[0]
            out[~known] = pol[col[~known]]
        if known.any():
            tau = np.maximum(remaining[known], 1).astype(np.intp)
            pol = self.policy(market, noise, visible, int(tau.max()))
            out[known] = pol[tau - 1, col[known]]
        return defect_where(out)
