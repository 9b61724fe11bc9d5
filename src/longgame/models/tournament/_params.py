"""The tournament model's parameters (no Mesa needed: reading a results folder uses them
to name groups without importing the simulation)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from longgame.errors import InputError
from longgame.models.tournament._round_robin import _labels
from longgame.strategies import Strategy, get_strategy

__all__ = ["Dynamics", "TournamentParams"]


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
