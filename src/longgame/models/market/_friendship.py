"""Mechanism 8: friendship (closeness) and mechanism 9: takers' behaviour.

Seed 003 (不要把客户变成朋友): once a customer is a friend, "lower the price? fine;
pay later? fine, we are friends". Seed 004: "98% is feeling" (客情关系): closeness keeps
customers. Seed 000: pure takers (纯索取者) only take and exhaust their partners.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from longgame.models.market._params import MarketParams

__all__ = ["closeness_rate", "customer_actions", "grow_closeness"]


def grow_closeness(
    closeness: NDArray[np.float32],
    care: NDArray[np.floating[Any]] | None,
    params: MarketParams,
    *,
    rate: NDArray[np.float32] | None = None,
) -> None:
    """Closeness grows by ``growth * (0.2 + 0.8 care) * (1 - closeness)`` per contact.

    Updates ``closeness`` (one row per relationship that had a contact) in place.
    ``rate`` may give :func:`closeness_rate` per relationship instead of ``care``.
    """
    if not params.friendship.enabled:
        return
    if rate is None:
        if care is None:
            raise TypeError("grow_closeness: give care or rate")
        rate = closeness_rate(care, params)
    closeness += rate * (1 - closeness)


def closeness_rate(care: NDArray[np.floating[Any]], params: MarketParams) -> NDArray[np.float32]:
    """The growth rate ``growth * (0.2 + 0.8 care)`` of closeness per contact (float32).

    ``care`` may be per seller profile: the rate depends on nothing else, so a caller
    can compute it once per strategy and repeat it over the relationships.

    >>> closeness_rate(np.array([0.0, 1.0]), MarketParams()).dtype.name
    'float32'
    """
    rate: NDArray[np.float32] = (params.friendship.growth * (0.2 + 0.8 * care)).astype(np.float32)
    return rate


def customer_actions(
    taker: NDArray[np.bool_],
    closeness: NDArray[np.float32],
    params: MarketParams,
    rng: np.random.Generator,
) -> NDArray[np.int8]:
    """Each customer's action this period: 0 pays, 1 takes (concessions, late payment).

    Takers take with ``take_prob``; others with ``late_payment * closeness``. The
    arrays are per relationship.
    """
    n = taker.shape[0]
    p = np.zeros(n, dtype=np.float32)
    if params.friendship.enabled:
        p = np.float32(params.friendship.late_payment) * closeness
    if params.takers.enabled:
        # a choice by 0/1 masks (exact: ``a * 1 + b * 0 == a``), cheaper than ``where=``
        p *= ~taker
        p += np.multiply(taker, np.float32(params.takers.take_prob))
    return (rng.random(n, dtype=np.float32) < p).view(np.int8)
