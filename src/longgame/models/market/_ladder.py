"""Mechanism 7: the perception ladder of a relationship.

Levels 0..4 are the customer's perception of the seller: commodity vendor,
differentiated supplier, value adder, partner, strategic partner (the "perception
ladder" of consultative selling; seed 002: 一步一步地向上攀登認知階梯). A
higher level means larger deals and more loyalty.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

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


def deal_size(level: NDArray[np.int8], params: MarketParams) -> NDArray[np.float64]:
    """Deal size multiplier ``1 + size_gain * level`` (1 when the ladder is off)."""
    if not params.ladder.enabled:
        return np.ones(level.shape[0])
    return 1.0 + params.ladder.size_gain * level.astype(np.float64)


def update_levels(
    level: NDArray[np.int8],
    seller_action: NDArray[np.int8],
    trust: NDArray[np.float32],
    fair_deals: NDArray[np.integer[Any]],
    params: MarketParams,
) -> NDArray[np.int8]:
    """The ladder levels of relationships after this period's deal.

    Up one level when the deal was fair, trust >= ``trust_threshold`` and the
    relationship has had at least ``tenure_per_level * (level + 1)`` fair deals
    (``fair_deals`` counts this one); down to level 0 after a fleece. Unchanged when the
    ladder is off. All arrays are per relationship.

    >>> p = MarketParams(ladder={"tenure_per_level": 2})
    >>> update_levels(np.array([0, 1, 3], np.int8), np.array([0, 0, 1], np.int8),
    ...               np.full(3, 0.9, np.float32), np.array([2, 3, 9]), p).tolist()
    [1, 1, 0]
    """
    lp = params.ladder
    if not lp.enabled:
        return level
    fair = seller_action == 0
    # fair deals needed to climb from each level (none can climb from the top one)
    need = lp.tenure_per_level * np.arange(1, len(LEVELS) + 1, dtype=np.intp)
    need[-1] = np.iinfo(np.intp).max
    up = trust >= lp.trust_threshold
    up &= fair
    up &= fair_deals >= np.take(need, level)
    new: NDArray[np.int8] = np.add(level, up, dtype=np.int8)
    new *= fair  # a fleece drops the relationship to level 0
    return new
