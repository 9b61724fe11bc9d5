"""Mechanism 7: the perception ladder of a relationship.

Levels 0..4 are the customer's perception of the seller: commodity vendor,
differentiated supplier, value adder, partner, strategic partner (the "perception
ladder" of consultative selling; seed 002 on deepening customer relationships). A
higher level means larger deals and more loyalty.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from longgame.models.market._customers import CustomerPopulation
from longgame.models.market._params import MarketParams

__all__ = ["LEVELS", "deal_size", "update_levels"]

#: Names of the ladder levels, index = level.
LEVELS: tuple[str, ...] = (
    "commodity vendor",
    "differentiated supplier",
    "value adder",
    "partner",
    "strategic partner",
)


def deal_size(
    pop: CustomerPopulation,
    idx: NDArray[np.intp],
    params: MarketParams,
    *,
    level: NDArray[np.int8] | None = None,
) -> NDArray[np.float64]:
    """Deal size multiplier ``1 + size_gain * level`` (1 when the ladder is off)."""
    if not params.ladder.enabled:
        return np.ones(idx.shape[0])
    lv = pop.level[idx] if level is None else level
    return 1.0 + params.ladder.size_gain * lv.astype(np.float64)


def update_levels(
    pop: CustomerPopulation,
    idx: NDArray[np.intp],
    seller_action: NDArray[np.int8],
    params: MarketParams,
    *,
    level: NDArray[np.int8] | None = None,
    fair_deals: NDArray[np.intp] | None = None,
) -> None:
    """Move relationships ``idx`` up or down the ladder after this period's deal.

    Up one level when the deal was fair, trust >= ``trust_threshold`` and the
    relationship has had at least ``tenure_per_level * (level + 1)`` fair deals; down
    to level 0 after a fleece. ``level`` and ``fair_deals`` (the count of fair deals
    including this one) may pass arrays the caller already gathered.
    """
    lp = params.ladder
    if not lp.enabled:
        return
    level = pop.level[idx] if level is None else level
    fair_deals = pop.seller_counts[idx, 0] if fair_deals is None else fair_deals
    fair = seller_action == 0
    up = (
        fair
        & (pop.trust[idx] >= lp.trust_threshold)
        & (fair_deals >= lp.tenure_per_level * (level.astype(np.intp) + 1))
        & (level < len(LEVELS) - 1)
    )
    level = np.where(up, level + 1, level)
    level = np.where(fair, level, 0).astype(np.int8)
    pop.level[idx] = level
