"""The models behind the live page, with the flat keyword knobs SolaraViz turns.

Mesa's SolaraViz rebuilds a model on Reset as ``type(model)(**knobs)``, one keyword per
control. These thin subclasses of the real models take such knobs, translate them into
the models' parameters and keep the little per-step history the charts draw; every
number still comes from :class:`~longgame.models.market.MarketModel`,
:class:`~longgame.models.learning.LearningModel` and
:class:`~longgame.models.tournament.TournamentModel` (public API only).

>>> m = ExploreMarket(customers=300, fleecers=1, fair_dealers=1, reciprocators=0, seed=3)
>>> m.run_for(5)
>>> m.series("cumulative_profit").shape, m.groups
((5, 2), ['always-defect', 'always-cooperate'])
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from longgame.models.learning import LearningModel, LearningParams
from longgame.models.market import MarketModel, theory
from longgame.models.tournament import TournamentModel, TournamentParams

__all__ = [
    "CASE_STRATEGIES",
    "FLEECER",
    "ExploreLearning",
    "ExploreMarket",
    "ExploreTournament",
]

#: registry name of the fleecers' strategy (``fleecer`` is an alias)
FLEECER = "always-defect"

#: the eight characters of Case's *The Evolution of Trust*, by their registry names
#: (copycat, always cooperate, always cheat, grudger, detective, copykitten, simpleton,
#: random)
CASE_STRATEGIES: tuple[str, ...] = (
    "tit-for-tat",
    "always-cooperate",
    "always-defect",
    "grudger",
    "prober",
    "tit-for-two-tats",
    "win-stay-lose-shift",
    "random",
)


class ExploreMarket(MarketModel):
    """The market with one keyword per control of the page.

    Args:
        repeat: probability that a customer comes back next period (``repeat.base``).
        reach: people a fleeced customer warns (word of mouth; 0 = nobody talks).
        fleecers, fair_dealers, reciprocators: sellers of each kind (at least one in all).
        takers: share of customers who are pure takers.
        stop_loss_on: whether sellers draw a stop-loss line on each relationship;
            ``stop_loss``: the line, a relationship's cumulative loss (money).
        customers: number of customers; ``noise``: sd of a deal's value and cost.
        seed: the run's seed.
        one_shot: the anonymous one-shot market (no return, no talk, no recognition).
        show: customers drawn in the network view (the first ones on the ring).
    """

    def __init__(
        self,
        *,
        repeat: float = 0.9,
        reach: float = 250.0,
        fleecers: int = 3,
        fair_dealers: int = 3,
        reciprocators: int = 3,
        takers: float = 0.1,
        stop_loss_on: bool = False,
        stop_loss: float = 2.0,
        customers: int = 3000,
        noise: float = 0.3,
        seed: int = 1,
        one_shot: bool = False,
        show: int = 160,
    ) -> None:
        self.knobs: dict[str, Any] = {
            "repeat": repeat, "reach": reach, "fleecers": fleecers,
            "fair_dealers": fair_dealers, "reciprocators": reciprocators, "takers": takers,
            "stop_loss_on": stop_loss_on, "stop_loss": stop_loss, "customers": customers,
            "noise": noise, "seed": seed, "one_shot": one_shot, "show": show,
        }  # fmt: skip
        counts = {"fleecer": fleecers, "fair-dealer": fair_dealers, "reciprocator": reciprocators}
        # groups labelled by registry name: the page's captions and colours are keyed by them
        labels = {
            "fleecer": FLEECER,
            "fair-dealer": "always-cooperate",
            "reciprocator": "tit-for-tat",
        }
        params: dict[str, Any] = {
            "customers": int(customers),
            "mode": "one-shot" if one_shot else "repeated",
            "sellers": [
                {"strategy": k, "count": int(v), "label": labels[k]}
                for k, v in counts.items()
                if v > 0
            ],
            "repeat": {"base": float(repeat)},
            "word_of_mouth": {"reach": float(reach)},
            "takers": {"share": float(takers), "enabled": takers > 0},
            "stop_loss": {"limit": float(stop_loss) if stop_loss_on else math.inf},
            "exchange": {"noise": float(noise)},
        }
        super().__init__(params, rng=int(seed))
        self.theory = theory(self.params)
        self._twins: dict[tuple[tuple[str, Any], ...], ExploreMarket] = {}
        n = min(int(show), self.customers.n)
        self.shown: NDArray[np.intp] = np.arange(n, dtype=np.intp)
        angle = 2 * np.pi * self.shown / max(n, 1) - np.pi / 2
        self.positions = np.column_stack([np.cos(angle), np.sin(angle)])
        self.shown_edges = self._edges_among(n)

    def _edges_among(self, n: int) -> NDArray[np.intp]:
        """Edges of the word-of-mouth network among the first ``n`` customers."""
        if self.network is None or n == 0:
            return np.zeros((0, 2), dtype=np.intp)
        sub = self.network[:n, :n].tocoo()
        keep = sub.row < sub.col
        return np.column_stack([sub.row[keep], sub.col[keep]]).astype(np.intp)

    @property
    def break_even(self) -> float:
        """Repeat probability (``repeat.base``) above which fair dealing pays in theory."""
        return float(self.theory["grim_trigger_threshold"])

    def twin(self, **overrides: Any) -> ExploreMarket:
        """The same market (same knobs, same seed) with ``overrides``, run to this step.

        Kept between calls and advanced lazily, so a caption can compare the run with
        a counterfactual (nobody talks, no stop-loss line) at the cost of one more step.
        """
        key = tuple(sorted(overrides.items()))
        other = self._twins.get(key)
        if other is None:
            other = ExploreMarket(**{**self.knobs, **overrides})
            self._twins[key] = other
        if other.steps < self.steps:
            other.run_for(int(self.steps - other.steps))
        return other

    def seller_groups(self, idx: NDArray[np.intp]) -> NDArray[np.intp]:
        """Strategy index of each customer's seller (-1: no seller)."""
        slot = self.customers.seller[idx].astype(np.intp)
        out = np.full(idx.size, -1, dtype=np.intp)
        has = slot >= 0
        out[has] = self.seller_group[slot[has]]
        return out


class ExploreLearning(LearningModel):
    """Big and small firms learning the boxed pigs, with the page's knobs.

    Args:
        food: size of the market the lever creates; ``press_cost``: cost of pressing
            (educating the market); ``rule``: learning rule; ``firms``: firms of each
            size; ``seed``: the run's seed.
    """

    def __init__(
        self,
        *,
        food: float = 10.0,
        press_cost: float = 2.0,
        rule: str = "roth-erev",
        firms: int = 200,
        seed: int = 1,
    ) -> None:
        params = LearningParams(
            game="boxed-pigs",
            game_params={"food": float(food), "press_cost": float(press_cost)},
            rule=rule,
            n_row=int(firms),
            n_col=int(firms),
        )
        super().__init__(params, rng=int(seed))
        self.knobs: dict[str, Any] = {
            "food": food, "press_cost": press_cost, "rule": rule, "firms": firms, "seed": seed
        }  # fmt: skip
        self.pressing: list[tuple[float, float]] = []

    def step(self) -> None:
        """One period, then record the share of each population pressing the lever."""
        super().step()
        self.pressing.append((float(self.row.mixed_play()[0]), float(self.col.mixed_play()[0])))

    def press_history(self) -> NDArray[np.float64]:
        """(steps, 2): share of big and of small firms pressing, period by period."""
        return np.asarray(self.pressing, dtype=np.float64).reshape(-1, 2)


class ExploreTournament(TournamentModel):
    """*The Evolution of Trust*: eliminate-and-copy over a round robin of Case's eight.

    Args:
        rounds: rounds per match; ``noise``: probability a move flips; ``benefit`` and
            ``cost``: the donation game's payoffs (cooperating costs ``cost`` and gives
            the partner ``benefit``); ``population``: individuals; ``replace``: the
            worst removed and the best copied each generation; ``seed``: the run's seed.
    """

    def __init__(
        self,
        *,
        rounds: int = 10,
        noise: float = 0.05,
        benefit: float = 3.0,
        cost: float = 1.0,
        population: int = 24,
        replace: int = 5,
        seed: int = 1,
    ) -> None:
        params = TournamentParams(
            strategies=list(CASE_STRATEGIES),
            game="donation-game",
            game_params={"b": float(benefit), "c": float(cost)},
            rounds=int(rounds),
            noise=float(noise),
            repetitions=20,
            dynamics="eliminate-copy",
            population=int(population),
            replace=int(replace),
        )
        super().__init__(params, rng=int(seed))
        self.knobs: dict[str, Any] = {
            "rounds": rounds, "noise": noise, "benefit": benefit, "cost": cost,
            "population": population, "replace": replace, "seed": seed,
        }  # fmt: skip
        assert self.counts is not None
        self.history: list[NDArray[np.intp]] = [self.counts.copy()]

    def step(self) -> None:
        """One generation, then record the population's counts."""
        super().step()
        assert self.counts is not None
        self.history.append(self.counts.copy())

    def count_history(self) -> NDArray[np.intp]:
        """(generations + 1, strategies): individuals of each strategy, from the start."""
        return np.asarray(self.history, dtype=np.intp)
