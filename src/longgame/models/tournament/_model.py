"""The tournament model (a Mesa model over the round robin and its dynamics), its
parameters and its spec for the experiment runner."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import mesa
import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from longgame._rng import RNGLike, as_generator
from longgame.errors import InputError
from longgame.models._spec import ModelSpec, RunOutput
from longgame.models.tournament._dynamics import (
    _shares,
    ecological,
    eliminate_and_copy,
    moran_process,
    replicator,
)
from longgame.models.tournament._round_robin import _labels, round_robin
from longgame.strategies import Strategy, get_strategy

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "SPEC",
    "Dynamics",
    "StrategyAgent",
    "TournamentModel",
    "TournamentParams",
    "cost",
    "quick",
    "simulate",
]

# ---------------------------------------------------------------------------------------
# the model and its spec for the experiment runner
# ---------------------------------------------------------------------------------------

Dynamics = Literal["none", "ecological", "replicator", "moran", "eliminate-copy"]


def _strategy_spec(entry: Any) -> tuple[str, dict[str, Any]]:
    if isinstance(entry, str):
        return entry, {}
    if isinstance(entry, dict):
        rest = dict(entry)
        name = rest.pop("name", rest.pop("strategy", None))
        if not isinstance(name, str):
            raise ValueError(
                f"strategy entry {entry!r} has no 'name'; expected a name string or "
                "{name = ..., <parameter> = ...}"
            )
        return name, rest
    raise ValueError(f"strategy entry {entry!r} is not a name or a table")


class TournamentParams(BaseModel):
    """Parameters of the ``tournament`` model (unknown keys are errors).

    Attributes:
        strategies: names/aliases/import paths, or tables ``{name = "...", <param> = ...}``.
        game: catalog name of the stage game; ``game_params`` its keyword parameters.
        rounds: fixed match length; ``continuation``: probability w of another round
            (give one of them; default rounds = 200).
        noise: probability in [0, 1] that a chosen action flips.
        repetitions: repetitions of the round robin; ``block_size`` repetitions per seeded
            batch.
        self_play: whether strategies also play themselves.
        dynamics: ``none``, ``ecological`` (discrete, Axelrod), ``replicator``
            (continuous, ``dt`` per step), ``moran`` (finite population, ``selection``
            intensity in [0, 1], one generation = N events) or ``eliminate-copy``
            (``replace`` worst removed and best copied per generation).
        population: finite population size N (moran, eliminate-copy), split equally
            among strategies at the start (the first ones get the remainder).
        initial_shares: optional starting shares, one per strategy (default equal).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    strategies: list[str | dict[str, Any]] = Field(min_length=1)
    game: str = "prisoners-dilemma"
    game_params: dict[str, float] = Field(default_factory=dict)
    rounds: int | None = Field(default=None, ge=0)
    continuation: float | None = Field(default=None, ge=0.0, lt=1.0)
    noise: float = Field(default=0.0, ge=0.0, le=1.0)
    repetitions: int = Field(default=10, ge=1)
    block_size: int = Field(default=10, ge=1)
    self_play: bool = True
    dynamics: Dynamics = "ecological"
    population: int = Field(default=100, ge=2)
    selection: float = Field(default=0.5, ge=0.0, le=1.0)
    replace: int = Field(default=5, ge=0)
    dt: float = Field(default=0.1, gt=0.0)
    initial_shares: list[float] | None = None

    @field_validator("strategies")
    @classmethod
    def _known_strategies(cls, value: list[str | dict[str, Any]]) -> list[str | dict[str, Any]]:
        problems: list[str] = []
        seen: dict[str, int] = {}
        for k, entry in enumerate(value):
            try:
                name, params = _strategy_spec(entry)
                label = repr(get_strategy(name, **params))
            except InputError as exc:
                problems.extend(f"strategies[{k}]: {p}" for p in exc.problems)
                continue
            if label in seen:
                problems.append(
                    f"strategies[{k}]: {entry!r} is the same strategy as "
                    f"strategies[{seen[label]}] ({label}); expected each strategy once "
                    "(aliases name the same strategy)"
                )
            seen.setdefault(label, k)
        if problems:
            raise ValueError("; ".join(problems))
        return value

    @model_validator(mode="after")
    def _consistent(self) -> TournamentParams:
        problems = []
        if self.rounds is not None and self.continuation is not None:
            problems.append(
                f"rounds={self.rounds} and continuation={self.continuation} are both set; "
                "expected one of them"
            )
        try:
            from longgame.games import get_game

            get_game(self.game, **self.game_params)
        except InputError as exc:
            problems.extend(exc.problems)
        if self.dynamics in ("ecological", "replicator", "moran", "eliminate-copy") and not (
            self.self_play
        ):
            problems.append(
                f"dynamics={self.dynamics!r} needs self_play = true (a strategy meets its "
                "own kind in a population)"
            )
        if self.dynamics == "eliminate-copy" and 2 * self.replace > self.population:
            problems.append(
                f"replace={self.replace} is too large for population={self.population}; "
                "expected 2 * replace <= population"
            )
        if self.initial_shares is not None and len(self.initial_shares) != len(self.strategies):
            problems.append(
                f"initial_shares has {len(self.initial_shares)} entries; expected one per "
                f"strategy ({len(self.strategies)})"
            )
        if self.initial_shares is not None and (
            any(x < 0 for x in self.initial_shares) or sum(self.initial_shares) <= 0
        ):
            problems.append("initial_shares must be >= 0 with a positive sum")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def labels(self) -> list[str]:
        """Each strategy's name in results: as written in the config (``name`` for a
        table); a name written twice (different parameters) becomes the strategy's repr."""
        return _labels([_strategy_spec(e)[0] for e in self.strategies], self.make_strategies())

    def make_strategies(self) -> list[Strategy]:
        """The strategy instances, in order."""
        out = []
        for entry in self.strategies:
            name, params = _strategy_spec(entry)
            out.append(get_strategy(name, **params))
        return out


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
