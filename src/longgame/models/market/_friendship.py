"""Mechanism 8: friendship (closeness) and mechanism 9: takers' behaviour.

Seed 003 (不要把客户变成朋友): once a customer is a friend, "lower the price? fine;
pay later? fine, we are friends". Seed 004: "98% is feeling" (客情关系): closeness keeps
customers. Seed 000: pure takers (纯索取者) only take and exhaust their partners.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from longgame.models.market._customers import CustomerPopulation
from longgame.models.market._params import MarketParams

__all__ = ["customer_actions", "grow_closeness"]


def grow_closeness(
    pop: CustomerPopulation,
    idx: NDArray[np.intp],
    care: NDArray[np.float64],
    params: MarketParams,
    *,
    closeness: NDArray[np.float32] | None = None,
) -> None:
    """Closeness grows by ``growth * (0.2 + 0.8 care) * (1 - closeness)`` per contact.

    ``closeness`` may pass ``pop.closeness[idx]`` if the caller already has it.
    """
    fp = params.friendship
    if not fp.enabled:
        return
    c = pop.closeness[idx] if closeness is None else closeness
    rate = (fp.growth * (0.2 + 0.8 * care)).astype(np.float32)
    pop.closeness[idx] = c + rate * (1 - c)


def customer_actions(
    pop: CustomerPopulation,
    idx: NDArray[np.intp],
    params: MarketParams,
    rng: np.random.Generator,
    *,
    closeness: NDArray[np.float32] | None = None,
) -> NDArray[np.int8]:
    """Each customer's action this period: 0 pays, 1 takes (concessions, late payment).

    Takers take with ``take_prob``; others with ``late_payment * closeness``.
    """
    n = idx.shape[0]
    p = np.zeros(n)
    if params.friendship.enabled:
        c = pop.closeness[idx] if closeness is None else closeness
        p = params.friendship.late_payment * c.astype(np.float64)
    if params.takers.enabled:
        p = np.where(pop.taker[idx], params.takers.take_prob, p)
    return (rng.random(n, dtype=np.float32) < p).astype(np.int8)
