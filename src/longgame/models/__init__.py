"""Models: what one run of an experiment simulates.

Each model is a ``mesa.Model`` subclass with numpy state for the many and Mesa agents for
the few, plus a :class:`~longgame.models.ModelSpec` that the experiment runner uses:
a pydantic parameter schema (unknown keys forbidden), a ``simulate`` function returning
tidy metrics, and a ``quick`` hook that shrinks a configuration for a fast look.

The models are imported lazily by name: ``get_model("market")``.
"""

from __future__ import annotations

from longgame.models._spec import (
    METRIC_COLUMNS,
    ModelSpec,
    RunOutput,
    get_model,
    model_names,
)

__all__ = ["METRIC_COLUMNS", "ModelSpec", "RunOutput", "get_model", "model_names"]
