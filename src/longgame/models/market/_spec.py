"""The market's :class:`~longgame.models.ModelSpec`: how the experiment runner drives it."""

from __future__ import annotations

from typing import Any

import numpy as np

from longgame.models._spec import METRIC_ROW_BYTES, ModelSpec, RunCost, RunOutput
from longgame.models.market._params import MarketParams
from longgame.models.market._theory import theory

__all__ = ["SPEC", "cost", "quick", "simulate"]


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


def cost(params: MarketParams, steps: int) -> RunCost:
    """Rough peak memory and work of one run (about 1 KB per customer at 10 sellers).

    >>> c = cost(MarketParams(customers=10**12), 100)
    >>> c.memory > 10**14, c.driver
    (True, 'customers')
    """
    n = params.customers
    sellers = sum(g.count for g in params.sellers)
    depth = params.history_depth
    degree = params.word_of_mouth.network.degree
    terms = {
        # customer arrays, per-seller opinions and outboxes, the network's neighbours
        "customers": n * (200 + 12 * degree),
        "sellers": n * 16 * sellers,
        "history_depth": n * 4 * depth,
        "steps": steps * (len(params.sellers) + 1) * 12 * METRIC_ROW_BYTES,
    }
    return RunCost(
        memory=sum(terms.values()) + 100 * 2**20,
        work=n * steps * max(1, depth // 8),
        driver=max(terms, key=lambda k: terms[k]),
    )


SPEC = ModelSpec(
    name="market",
    description="Sellers (Mesa agents) with books of vectorised customers: fleecing vs win-win.",
    params=MarketParams,
    simulate=simulate,
    quick=quick,
    cost=cost,
    theory=theory,
    preload=("longgame.models.market.model", "longgame.models.market._warm"),
    first_run=(
        "the market's kernels are compiled on a machine's first run (about 10 s per "
        "process) and cached for every run after"
    ),
)
