"""Toy models for the experiment-runner tests (importable as ``toy_runner_models:SPEC``).

They follow the :class:`longgame.models.ModelSpec` contract with a tiny, fast simulation
so the runner can be tested before (and independently of) the real models.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import time
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from longgame.errors import closest_names
from longgame.models import ModelSpec, RunOutput

KNOWN_STRATEGIES = ("fair-dealer", "fleecer", "tit-for-tat", "stop-loss")


class Market(BaseModel):
    """Nested parameters, to exercise dotted key paths."""

    model_config = ConfigDict(extra="forbid")

    repeat_probability: float = Field(0.5, ge=0.0, le=1.0)
    size: int = Field(20, ge=1)


class ToyParams(BaseModel):
    """Parameters of the toy model."""

    model_config = ConfigDict(extra="forbid")

    drift: float = Field(0.0, ge=-10.0, le=10.0)
    noise: float = Field(1.0, ge=0.0)
    strategies: list[str] = Field(default_factory=lambda: ["fair-dealer", "fleecer"])
    market: Market = Field(default_factory=Market)
    fail_when_drift: float | None = None
    crash_when_drift: float | None = None
    sleep: float = Field(0.0, ge=0.0)
    work: int = Field(0, ge=0)

    @field_validator("strategies")
    @classmethod
    def _known(cls, names: list[str]) -> list[str]:
        for name in names:
            if name not in KNOWN_STRATEGIES:
                hint = closest_names(name, KNOWN_STRATEGIES)
                raise ValueError(
                    f"unknown strategy {name!r}; expected one of {', '.join(KNOWN_STRATEGIES)}"
                    + (f" ({hint})" if hint else "")
                )
        return names

    @model_validator(mode="after")
    def _calm(self) -> ToyParams:
        if self.noise > 5 and self.drift != 0:
            raise ValueError(f"noise={self.noise} > 5 needs drift = 0, not {self.drift}")
        return self


def simulate(params: ToyParams, steps: int, rng: np.random.Generator) -> RunOutput:
    """Random walks with drift, one per strategy, and a 'spells' table."""
    if params.fail_when_drift is not None and params.drift == params.fail_when_drift:
        raise RuntimeError(f"toy failure at drift={params.drift}")
    if (
        params.crash_when_drift is not None
        and params.drift == params.crash_when_drift
        and multiprocessing.parent_process() is not None  # never kill the test process
    ):
        os._exit(3)
    if params.sleep:
        time.sleep(params.sleep)
    if params.work:
        acc = 0.0
        for _ in range(params.work):
            acc += float(rng.standard_normal(2000).sum())
    n = len(params.strategies)
    step = np.repeat(np.arange(1, steps + 1), n)
    group = np.tile(np.array(params.strategies), steps)
    profit = params.drift + params.noise * rng.standard_normal(steps * n)
    customers = params.market.size * params.market.repeat_probability + rng.random(steps * n)
    metrics = pd.DataFrame(
        {
            "step": np.concatenate([step, step]),
            "group": np.concatenate([group, group]),
            "metric": ["profit"] * (steps * n) + ["customers"] * (steps * n),
            "value": np.concatenate([profit, customers]),
        }
    )
    spells = pd.DataFrame(
        {"duration": rng.integers(1, steps + 1, size=3), "ended": rng.random(3) < 0.5}
    )
    return RunOutput(metrics=metrics, tables={"spells": spells})


def _quick(raw: dict[str, Any]) -> dict[str, Any]:
    market = dict(raw.get("market", {}))
    market["size"] = min(int(market.get("size", 20)), 5)
    return {**raw, "market": market}


SPEC = ModelSpec(
    name="toy",
    description="random walks with drift (test model)",
    params=ToyParams,
    simulate=simulate,
    quick=_quick,
)


class TrivialParams(BaseModel):
    """No parameters worth the name."""

    model_config = ConfigDict(extra="forbid")

    x: float = 0.0


def _trivial(params: TrivialParams, steps: int, rng: np.random.Generator) -> RunOutput:
    return RunOutput(
        metrics=pd.DataFrame(
            {"step": [steps], "group": ["all"], "metric": ["x"], "value": [params.x + rng.random()]}
        )
    )


TRIVIAL = ModelSpec(
    name="trivial", description="one row per run", params=TrivialParams, simulate=_trivial
)

NOT_A_SPEC = 42

#: The toy with something to say about slow first runs.
NOTED = dataclasses.replace(SPEC, first_run="the toy warms up first")
