"""The tournament model (a Mesa model over the round robin and its dynamics) and its
spec for the experiment runner; its parameters are in ``_params``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import mesa
import numpy as np
from numpy.typing import NDArray

from longgame._rng import RNGLike, as_generator
from longgame.models._spec import ModelSpec, RunOutput
from longgame.models.tournament._dynamics import (
    _shares,
    ecological,
    eliminate_and_copy,
    moran_process,
    replicator,
)
from longgame.models.tournament._params import TournamentParams
from longgame.models.tournament._round_robin import round_robin
from longgame.strategies import Strategy

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "SPEC",
    "StrategyAgent",
    "TournamentModel",
    "cost",
    "quick",
    "simulate",
]


# ---------------------------------------------------------------------------------------
# the model and its spec for the experiment runner
# ---------------------------------------------------------------------------------------


class StrategyAgent(mesa.Agent):  # type: ignore[misc]
    """One strategy in the population (the few); its share lives in the model's array."""

    def __init__(self, model: TournamentModel, index: int, strategy: Strategy) -> None:
        super().__init__(model)
        self.index = index
        self.strategy = strategy

    @property
    def share(self) -> float:
        """Current population share of this strategy."""
        return float(self.model.shares[self.index])


class TournamentModel(mesa.Model):  # type: ignore[misc]
    """A round robin, then population dynamics over its payoff matrix (one step = one
    generation, or ``dt`` of time for the replicator).

    >>> m = TournamentModel(TournamentParams(strategies=["tft", "alld", "allc"],
    ...                     rounds=20, repetitions=2), rng=1)
    >>> m.run_for(30)
    >>> m.shares.round(2).tolist()  # ...but as its prey dies out, so does the fleecer
    [0.82, 0.0, 0.18]
    """

    def __init__(self, params: TournamentParams, rng: RNGLike = None) -> None:
        super().__init__(rng=as_generator(rng))
        from longgame.games import get_game

        self.params = params
        players = params.make_strategies()
        game = get_game(params.game, **params.game_params)
        self.result = round_robin(
            players,
            game,
            rounds=params.rounds,
            continuation=params.continuation,
            noise=params.noise,
            repetitions=params.repetitions,
            self_play=params.self_play,
            block_size=params.block_size,
            rng=self.rng,
            labels=params.labels(),
        )
        k = len(players)
        for i, s in enumerate(players):
            StrategyAgent(self, i, s)
        self.shares = _shares(params.initial_shares, k)
        self.counts: NDArray[np.intp] | None = None
        if params.dynamics in ("moran", "eliminate-copy"):
            self.counts = np.floor(self.shares * params.population).astype(np.intp)
            short = params.population - int(self.counts.sum())
            if short:
                remainder = self.shares * params.population - self.counts
                self.counts[np.argsort(-remainder, kind="stable")[:short]] += 1
            self.shares = self.counts / params.population
        self._rows: list[tuple[int, str, str, float]] = []

    def step(self) -> None:
        """Advance the dynamics one generation and record the metrics."""
        p = self.params
        a = self.result.payoff_matrix
        if p.dynamics == "ecological":
            self.shares = ecological(a, self.shares, 1)[-1]
        elif p.dynamics == "replicator":
            self.shares = replicator(a, self.shares, 1, dt=p.dt)[-1]
        elif p.dynamics == "moran":
            assert self.counts is not None
            self.counts = moran_process(
                a, self.counts, generations=1, selection=p.selection, rng=self.rng
            )[-1]
            self.shares = self.counts / p.population
        elif p.dynamics == "eliminate-copy":
            assert self.counts is not None
            self.counts = eliminate_and_copy(
                a, self.counts, k=p.replace, generations=1, rng=self.rng
            )[-1]
            self.shares = self.counts / p.population
        self._record(int(self.steps))

    def _record(self, step: int) -> None:
        r = self.result
        fitness = r.payoff_matrix @ self.shares
        for i, name in enumerate(r.names):
            self._rows.append((step, name, "share", float(self.shares[i])))
            self._rows.append((step, name, "fitness", float(fitness[i])))
            self._rows.append((step, name, "score", float(r.scores[i])))
            self._rows.append((step, name, "cooperation", float(r.cooperation[i])))
            self._rows.append((step, name, "rank", float(r.ranks[i])))
        self._rows.append((step, "all", "mean_payoff", float(self.shares @ fitness)))
        self._rows.append((step, "all", "cooperation", float(self.shares @ r.cooperation)))

    def metrics(self) -> pd.DataFrame:
        """Tidy metrics recorded so far (columns step, group, metric, value)."""
        import pandas as pd

        return pd.DataFrame(self._rows, columns=["step", "group", "metric", "value"])

    def run(self, steps: int) -> RunOutput:
        """Run ``steps`` generations; metrics plus ``payoff_matrix`` and ``ranking`` tables."""
        self.run_for(steps)
        return RunOutput(
            metrics=self.metrics(),
            tables={
                "payoff_matrix": self.result.payoff_frame(),
                "ranking": self.result.summary(),
            },
        )


def simulate(params: TournamentParams, steps: int, rng: np.random.Generator) -> RunOutput:
    """Run one tournament and ``steps`` generations of its dynamics.

    >>> out = simulate(TournamentParams(strategies=["tft", "alld"], rounds=10,
    ...                repetitions=1), 3, np.random.default_rng(0))
    >>> sorted(out.tables), int(out.metrics.step.max())
    (['payoff_matrix', 'ranking'], 3)
    """
    return TournamentModel(params, rng=rng).run(steps)


def quick(raw: dict[str, Any]) -> dict[str, Any]:
    """A smaller tournament for ``--quick``: at most 50 rounds, 2 repetitions, N <= 50.

    >>> quick({"strategies": ["tft"], "rounds": 200, "repetitions": 10})
    {'strategies': ['tft'], 'rounds': 50, 'repetitions': 2}
    """
    out = dict(raw)
    if raw.get("continuation") is None:
        out["rounds"] = min(int(raw.get("rounds") or 200), 50)
    out["repetitions"] = min(int(raw.get("repetitions", 10)), 2)
    if "population" in raw:
        out["population"] = min(int(raw["population"]), 50)
        if "replace" in raw:
            out["replace"] = min(int(raw["replace"]), out["population"] // 2)
    return out


def cost(params: TournamentParams, steps: int) -> Any:
    """Rough peak memory and work of one run (a :class:`~longgame.models.RunCost`): the
    round robin's batches, its rounds, the population and the per-generation metrics."""
    from longgame.models._spec import METRIC_ROW_BYTES, RunCost

    k = len(params.strategies)
    pairs = k * (k + 1) // 2
    rounds = params.rounds or (round(1 / (1 - params.continuation)) if params.continuation else 200)
    batch = min(params.block_size, params.repetitions) * pairs
    terms = {
        "block_size": batch * 400,
        "population": params.population * 64,
        "steps": steps * (k + 1) * 4 * METRIC_ROW_BYTES,
        "repetitions": k * k * params.repetitions * 16,
    }
    work = {
        "rounds": pairs * params.repetitions * rounds,
        "repetitions": pairs * params.repetitions * rounds,
        "steps": steps * (k + params.population),
    }
    memory = sum(terms.values()) + 100 * 2**20
    driver = max(terms, key=lambda key: terms[key])
    if max(work.values()) > 10**11:
        driver = "rounds" if rounds >= params.repetitions else "repetitions"
        driver = "steps" if work["steps"] > work["rounds"] else driver
    return RunCost(memory=memory, work=max(work.values()), driver=driver)


SPEC = ModelSpec(
    name="tournament",
    description="Round robin among strategies, then ecological, replicator or Moran dynamics.",
    params=TournamentParams,
    simulate=simulate,
    quick=quick,
    cost=cost,
)
