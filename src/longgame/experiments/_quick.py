"""``[quick]``: how an experiment shrinks under ``--quick`` without changing its answer.

The generic quick run (a tenth of the steps, two replicates, at most eight sample points,
and the model's ``quick`` hook: small populations) is a fast look, but it can tell a
different story from the full run: a learning population that has not converged yet, a
stop-loss optimum lost in the noise of a small market. A config may therefore say how
*it* is to be shrunk::

    [quick]
    steps = 150                # steps per run (default: a tenth, at least 10)
    replicates = 3             # runs per point (default: at most 2)
    sample = 8                 # points of a [sweep.sample] design (default: at most 8)
    parameters = { customers = 1000 }   # set after the model's quick hook

Each size is capped at the full run's (a quick run is never larger). ``parameters``
are model parameters (dotted keys or nested tables) set on top of what the model's
``quick`` hook left, e.g. to keep a market large enough for its answer; they may not
name a swept parameter (the quick run keeps the sweep, so the answers stay comparable).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from longgame.experiments.sweep import flatten, set_dotted

if TYPE_CHECKING:
    from longgame.models._spec import ModelSpec

__all__ = [
    "QUICK_REPLICATES",
    "QUICK_SAMPLE",
    "QuickSection",
    "quick_conflicts",
    "quick_merge",
    "quick_record",
    "quick_rename",
    "quick_sizes",
    "quick_steps",
]

#: Replicates and sample size under ``--quick`` when ``[quick]`` does not set them.
QUICK_REPLICATES = 2
QUICK_SAMPLE = 8


class QuickSection(BaseModel):
    """``[quick]``: the sizes and parameters a ``--quick`` run uses."""

    model_config = ConfigDict(extra="forbid", strict=True)

    steps: int | None = Field(default=None, ge=1, le=10_000_000)
    replicates: int | None = Field(default=None, ge=1, le=1_000_000)
    sample: int | None = Field(default=None, ge=1, le=1_000_000)
    parameters: dict[str, Any] = Field(default_factory=dict)


def quick_steps(steps: int) -> int:
    """Steps under ``--quick`` without ``quick.steps``: a tenth, at least 10, never more
    than configured.

    >>> quick_steps(300), quick_steps(50), quick_steps(5)
    (30, 10, 5)
    """
    return min(steps, max(10, steps // 10))


def quick_sizes(
    section: QuickSection | None, steps: int, replicates: int, sample: int | None
) -> tuple[int, int, int | None]:
    """(steps, replicates, sample count) of the quick run of a config with these full
    sizes: ``[quick]``'s values where given, capped at the full ones; else the defaults.

    >>> quick_sizes(None, 300, 5, 64)
    (30, 2, 8)
    >>> quick_sizes(QuickSection(steps=150, replicates=9, sample=20), 300, 5, 16)
    (150, 5, 16)
    """
    section = section or QuickSection()
    fast_steps = min(section.steps, steps) if section.steps else quick_steps(steps)
    fast_replicates = min(section.replicates or QUICK_REPLICATES, replicates)
    fast_sample = None
    if sample is not None:
        fast_sample = min(section.sample or QUICK_SAMPLE, sample)
    return fast_steps, fast_replicates, fast_sample


def _flat(parameters: Mapping[str, Any]) -> dict[str, Any]:
    return flatten(parameters) if parameters else {}


def quick_merge(
    spec: ModelSpec, merged: Mapping[str, Any], parameters: Mapping[str, Any]
) -> dict[str, Any]:
    """A run's parameters under ``--quick``: the model's hook, then ``quick.parameters``.

    >>> from longgame.models import get_model
    >>> quick_merge(get_model("market"), {"customers": 3000}, {"customers": 1500})
    {'customers': 1500}
    """
    out = spec.quick(copy.deepcopy(dict(merged)))
    for key, value in _flat(parameters).items():
        set_dotted(out, key, copy.deepcopy(value))
    return out


def quick_rename(parameters: Mapping[str, Any]) -> dict[str, str]:
    """Dotted parameter -> the config key that set it, for validation messages.

    >>> quick_rename({"market": {"x": 1}})
    {'market.x': 'quick.parameters.market.x'}
    """
    return {key: f"quick.parameters.{key}" for key in _flat(parameters)}


def quick_conflicts(source: str, parameters: Mapping[str, Any], swept: Sequence[str]) -> list[str]:
    """Problems: ``quick.parameters`` keys that would change a swept parameter.

    >>> [line] = quick_conflicts("x.toml", {"stop_loss": {"limit": 1}}, ["stop_loss.limit"])
    >>> line.split(";")[0]
    'x.toml: quick.parameters.stop_loss.limit=1 sets a swept parameter'
    """
    problems = []
    for key, value in _flat(parameters).items():
        clash = [s for s in swept if s == key or s.startswith(key + ".") or key.startswith(s + ".")]
        if clash:
            problems.append(
                f"{source}: quick.parameters.{key}={value!r} sets a swept parameter; expected "
                "a parameter the sweep does not set (a quick run keeps the sweep)"
            )
    return problems


def quick_record(
    section: QuickSection | None, steps: int, replicates: int, sample: int | None
) -> dict[str, Any]:
    """What a quick run used, for the manifest and ``config.toml``: the sizes, the
    parameters set, and whether the config chose them (``from_config``)."""
    section = section or QuickSection()
    record: dict[str, Any] = {"steps": steps, "replicates": replicates}
    if sample is not None:
        record["sample"] = sample
    if section.parameters:
        record["parameters"] = copy.deepcopy(section.parameters)
    record["from_config"] = sorted(
        k for k in ("steps", "replicates", "sample", "parameters") if getattr(section, k)
    )
    return record
