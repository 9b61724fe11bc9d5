"""The config's schema: its sections (pydantic, unknown keys forbidden), the limits on
its size and nesting, and what ``--quick`` shrinks to."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = [
    "MAX_CONFIG_BYTES",
    "MAX_DEPTH",
    "MAX_POINTS",
    "MAX_RUNS",
    "MAX_WORK",
    "QUICK_REPLICATES",
    "QUICK_SAMPLE",
    "ExperimentSection",
    "OutputsSection",
    "SampleSection",
    "quick_steps",
]

_SECTIONS = ("experiment", "parameters", "sweep", "outputs")

#: Largest config file read (configs are a few KB; this guards against /dev/zero and the like).
MAX_CONFIG_BYTES = 1_000_000
#: Deepest nesting of tables and arrays accepted in a config or a ``--set`` value.
MAX_DEPTH = 32
#: Soft limits (``--allow-large`` lifts them): sweep points, runs, and per-run work
#: (elementary updates, about an hour of computing at 10^7 to 10^8 a second).
MAX_POINTS = 10_000
MAX_RUNS = 100_000
MAX_WORK = 10**11
#: A plugin import path, ``"package.module:Name"``: the only strings ever imported.
PLUGIN = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*:[A-Za-z_]\w*\Z")


class ExperimentSection(BaseModel):
    """``[experiment]``: what to run, how long, how often, from which seed."""

    model_config = ConfigDict(extra="forbid", strict=True)

    name: str = Field(max_length=100)
    description: str = ""
    model: str = Field(min_length=1)
    steps: int = Field(ge=1, le=10_000_000)
    replicates: int = Field(default=1, ge=1, le=1_000_000)
    seed: int | None = Field(default=None, ge=0, lt=2**63)

    @field_validator("name")
    @classmethod
    def _safe_name(cls, name: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name):
            raise ValueError(
                "expected letters, digits, '.', '_' or '-', starting with a letter or digit "
                "(it names the results folder)"
            )
        return name


class SampleSection(BaseModel):
    """``[sweep.sample]``: a quasi-random design over continuous parameters."""

    model_config = ConfigDict(extra="forbid", strict=True)

    count: int = Field(ge=1, le=1_000_000)
    method: Literal["sobol", "halton", "lhs"] = "sobol"
    bounds: dict[str, Annotated[list[float], Field(min_length=2, max_length=2)]] = Field(
        min_length=1
    )
    integer: list[str] = Field(default_factory=list)


class OutputsSection(BaseModel):
    """``[outputs]``: what to summarise and draw."""

    model_config = ConfigDict(extra="forbid", strict=True)

    metrics: list[str] | None = None
    figures: list[str] | None = None
    long_run_window: float = Field(default=0.2, gt=0.0, le=1.0)


class _Document(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    experiment: ExperimentSection
    parameters: dict[str, Any] = Field(default_factory=dict)
    sweep: dict[str, Any] = Field(default_factory=dict)
    outputs: OutputsSection = Field(default_factory=OutputsSection)


def quick_steps(steps: int) -> int:
    """Steps under ``--quick``: a tenth, at least 10, never more than configured."""
    return min(steps, max(10, steps // 10))


#: Replicates and sample size under ``--quick``.
QUICK_REPLICATES = 2
QUICK_SAMPLE = 8


def _depth(value: Any) -> int:
    """Nesting depth of tables and arrays (iterative: no recursion limit to hit)."""
    deepest = 0
    stack = [(value, 0)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, level + 1)
            if deepest > MAX_DEPTH:
                return deepest
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, level + 1) for child in children)
    return deepest
