"""The contract between a model and the experiment runner.

A model module exposes ``SPEC: ModelSpec``. The runner

1. validates ``parameters`` (merged with one sweep point) with ``spec.params``, a pydantic
   model with ``extra="forbid"``, so misspelt or foreign parameters are errors;
2. calls ``spec.simulate(params, steps, rng)`` with ``rng`` a Generator seeded from
   ``SeedSequence(root, spawn_key=(point, replicate))``;
3. stores ``RunOutput.metrics`` (tidy: one row per step x group x metric, columns
   :data:`METRIC_COLUMNS`) as ``runs/<run_id>.parquet`` and every extra table in
   ``RunOutput.tables`` (e.g. ``"spells"`` for survival curves) next to it;
4. if the spec has a ``theory`` hook, stores its closed-form values at every sweep point
   in ``manifest.json`` (``points[i]["theory"]``), so that figures can draw them from the
   stored results alone, without importing the model.

Models name their groups and metrics; the runner never renames them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from longgame.errors import InputError, closest_names

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from pydantic import BaseModel

__all__ = ["METRIC_COLUMNS", "ModelSpec", "RunCost", "RunOutput", "get_model", "model_names"]

#: Columns of a model's tidy metrics table: int step (1-based), str group, str metric,
#: float value.
METRIC_COLUMNS: tuple[str, ...] = ("step", "group", "metric", "value")

_MODELS: dict[str, str] = {
    "market": "longgame.models.market:SPEC",
    "tournament": "longgame.models.tournament:SPEC",
    "learning": "longgame.models.learning:SPEC",
    "five-rules": "longgame.models.population:SPEC",
}


@dataclass(frozen=True)
class RunOutput:
    """What one run returns: tidy per-step metrics plus optional extra tables."""

    metrics: pd.DataFrame
    tables: Mapping[str, pd.DataFrame] = field(default_factory=dict)

    def _repr_html_(self) -> str:
        """For notebooks: steps, groups, metrics and extra tables of the run."""
        from longgame._repr import summary_html

        frame = self.metrics
        steps = int(frame["step"].max()) if len(frame) else 0
        groups = [str(g) for g in dict.fromkeys(frame["group"])] if len(frame) else []
        metrics = [str(m) for m in dict.fromkeys(frame["metric"])] if len(frame) else []
        facts: list[tuple[str, object]] = [
            ("steps", steps),
            ("groups", ", ".join(groups) or "none"),
            ("metrics", ", ".join(metrics) or "none"),
            ("rows", f"{len(frame)} (tidy: step, group, metric, value)"),
        ]
        for name, table in self.tables.items():
            facts.append((f"table {name!r}", f"{len(table)} rows: {', '.join(table.columns)}"))
        return summary_html("Run output", facts, "Tables: .metrics, .tables[name].")


@dataclass(frozen=True)
class RunCost:
    """A model's rough estimate of what one run needs, made before anything is built.

    Attributes:
        memory: peak bytes of one run (state arrays plus its tidy output).
        work: elementary updates (customer-steps, relationship-rounds...), a proxy for
            run time: about 10^7 to 10^8 of them per second.
        driver: the parameter (dotted key, or ``"steps"``) behind the largest term, so
            that a refusal can name it.
    """

    memory: int
    work: int
    driver: str


#: Bytes per row of a tidy metrics table while it is built, converted and written.
METRIC_ROW_BYTES = 200


@dataclass(frozen=True)
class ModelSpec:
    """How the runner drives a model.

    Attributes:
        name: the model's name in configs (``experiment.model``).
        description: one line for listings.
        params: pydantic model of the model's parameters (``extra="forbid"``).
        simulate: ``simulate(params, steps, rng) -> RunOutput``.
        quick: maps a raw parameter dict to a smaller one for ``--quick`` (fewer
            customers, sellers, rounds...). Steps and replicates are shrunk by the runner.
    """

    name: str
    description: str
    params: type[BaseModel]
    simulate: Callable[[Any, int, np.random.Generator], RunOutput]
    quick: Callable[[dict[str, Any]], dict[str, Any]] = lambda raw: raw
    #: ``cost(params, steps) -> RunCost``: checked by ``longgame validate`` and ``run``
    #: before anything is built (``None``: the model gives no estimate).
    cost: Callable[[Any, int], RunCost] | None = None
    #: ``theory(params) -> {name: value}``: closed-form values implied by one point's
    #: validated parameters (e.g. the market's grim-trigger threshold), which the runner
    #: stores with the results for the figures (``None``: the model has no theory).
    theory: Callable[[Any], Mapping[str, float]] | None = None
    #: Modules every run imports that the spec's own module leaves out (kept lazy so
    #: that ``longgame plot`` and ``report`` stay light): worker processes import them
    #: at start-up, while the runner prepares the results folder.
    preload: tuple[str, ...] = ()
    #: What may make a machine's first run slow (e.g. compiling), said by the runner
    #: when the first result is long in coming ("": nothing to say).
    first_run: str = ""


def model_names() -> list[str]:
    """Names accepted by ``experiment.model``."""
    return sorted(_MODELS)


def get_model(name: str) -> ModelSpec:
    """Return the :class:`ModelSpec` registered under ``name``.

    ``name`` is a registered model (see :func:`model_names`) or an import path
    ``"package.module:ATTR"`` naming a :class:`ModelSpec` (a third-party or test model).
    Raises :class:`~longgame.errors.InputError` if it cannot be found.
    """
    if ":" in name:
        return _import_spec(name, name)
    target = _MODELS.get(name)
    if target is None:
        hint = closest_names(name, model_names())
        raise InputError(
            f"unknown model {name!r}; expected one of {', '.join(model_names())} "
            "or an import path 'package.module:SPEC'" + (f" ({hint})" if hint else "")
        )
    return _import_spec(target, name)


def _import_spec(target: str, shown: str) -> ModelSpec:
    import re

    module_name, _, attr = target.partition(":")
    if not re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*:[A-Za-z_]\w*", target):
        raise InputError(f"model {shown!r} is not an import path; expected 'package.module:SPEC'")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and module_name.startswith(exc.name):
            raise InputError(
                f"model {shown!r}: module {module_name!r} cannot be imported (not installed"
                " or not written yet); expected an importable module"
            ) from None
        raise
    spec = getattr(module, attr, None)
    if not isinstance(spec, ModelSpec):
        raise InputError(
            f"model {shown!r}: {module_name}.{attr} is "
            + ("missing" if spec is None else f"an object of type {type(spec).__name__}")
            + "; expected a longgame.models.ModelSpec"
        )
    return spec
