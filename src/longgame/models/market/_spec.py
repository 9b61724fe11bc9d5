"""The market's :class:`~longgame.models.ModelSpec`: how the experiment runner drives it."""

from __future__ import annotations

from typing import Any

import numpy as np

from longgame.models._spec import ModelSpec, RunOutput
from longgame.models.market._params import MarketParams

__all__ = ["SPEC", "quick", "simulate"]


def simulate(params: MarketParams, steps: int, rng: np.random.Generator) -> RunOutput:
    """Run one market for ``steps`` periods; metrics plus the ``"spells"`` table.

    >>> out = simulate(MarketParams(customers=300, sellers={"fleecer": 1, "fair-dealer": 1}),
    ...                10, np.random.default_rng(0))
    >>> sorted(out.tables), int(out.metrics.step.max())
    (['spells'], 10)
    """
    from longgame.models.market.model import MarketModel

    model = MarketModel(params, rng=rng)
    return model.run(steps)


def quick(raw: dict[str, Any]) -> dict[str, Any]:
    """A smaller market for ``--quick``: at most 500 customers and 2 sellers per strategy.

    The sellers keep their form (list or mapping), so sweep keys into them still apply.

    >>> quick({"customers": 10000, "sellers": {"fleecer": 5}})
    {'customers': 500, 'sellers': {'fleecer': 2}}
    >>> quick({"sellers": {"probe": {"strategy": "grid", "count": 4}}})["sellers"]
    {'probe': {'strategy': 'grid', 'count': 2}}
    """

    def shrink(group: Any) -> Any:
        if isinstance(group, dict):
            return {**group, "count": min(int(group.get("count", 1)), 2)}
        return min(int(group), 2) if isinstance(group, int) else group

    out = dict(raw)
    out["customers"] = min(int(raw.get("customers", 2000)), 500)
    sellers = raw.get("sellers")
    if isinstance(sellers, dict):
        out["sellers"] = {k: shrink(v) for k, v in sellers.items()}
    elif isinstance(sellers, list):
        out["sellers"] = [shrink(s) for s in sellers]
    return out


SPEC = ModelSpec(
    name="market",
    description="Sellers (Mesa agents) with books of vectorised customers: fleecing vs win-win.",
    params=MarketParams,
    simulate=simulate,
    quick=quick,
)
