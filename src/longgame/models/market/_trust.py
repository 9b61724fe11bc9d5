"""Mechanism 2 (trust and satisfaction) and mechanism 3 (repeat purchase).

Trust is slow to build and fast to lose (seed 004: 信任是一步一步建立的; the asymmetry is
the "trust asymmetry" of Slovic 1993, *Risk Analysis* 13:675). The continuation
probability of a relationship is the repeat-purchase probability of customer-lifetime
models (Berger & Nasr 1998, *J. Interactive Marketing* 12:17), raised by service,
satisfaction, ladder level and closeness.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from longgame.models.market._customers import CustomerPopulation
from longgame.models.market._params import MarketParams

__all__ = ["continuation", "update_trust"]


def update_trust(
    pop: CustomerPopulation,
    idx: NDArray[np.intp],
    surplus: NDArray[np.float64],
    params: MarketParams,
) -> NDArray[np.bool_]:
    """Update trust and satisfaction of customers ``idx`` after a deal; who leaves.

    A deal with surplus >= 0 raises trust by ``up * (1 - trust)``; a loss lowers it by
    ``down * trust``. Satisfaction is the EMA of surplus. Returns the mask of customers
    whose trust fell below their tolerance after a bad deal, or whose satisfaction is
    below minus it (all False when the mechanism is off).
    """
    tp = params.trust
    sat = pop.satisfaction[idx]
    sat += np.float32(tp.memory) * (surplus.astype(np.float32) - sat)
    pop.satisfaction[idx] = sat
    if not tp.enabled:
        return np.zeros(idx.shape[0], dtype=np.bool_)
    trust = pop.trust[idx]
    good = surplus >= 0
    trust = np.where(
        good, trust + np.float32(tp.up) * (1 - trust), trust * np.float32(1 - tp.down)
    ).astype(np.float32)
    pop.trust[idx] = trust
    tol = pop.tolerance[idx]
    # trust must *fall* below the tolerance: a good deal never drives a customer away
    leaves: NDArray[np.bool_] = (~good & (trust < tol)) | (sat < -tol)
    return leaves


def continuation(
    pop: CustomerPopulation,
    idx: NDArray[np.intp],
    care: NDArray[np.floating[Any]],
    params: MarketParams,
    satisfaction: NDArray[np.float32] | None = None,
) -> NDArray[np.float32]:
    """Probability that each relationship ``idx`` continues to the next period (float32).

    ``base + repeat_gain * care + satisfaction_gain * satisfaction + loyalty_gain * level
    + loyalty * closeness``, clipped to [0, cap]; ``care`` is the seller's customer
    concern scaled to [0, 1]; ``satisfaction`` may pass ``pop.satisfaction[idx]`` if the
    caller has it. Zero when repeat purchase is off (one-shot exchanges).
    """
    rp = params.repeat
    if not rp.enabled:
        return np.zeros(idx.shape[0], dtype=np.float32)
    f32 = np.float32
    sat = pop.satisfaction[idx] if satisfaction is None else satisfaction
    p = f32(rp.satisfaction_gain) * sat
    p += f32(rp.base)
    if params.service.enabled:
        p += f32(params.service.repeat_gain) * care.astype(np.float32, copy=False)
    if params.ladder.enabled:
        p += f32(params.ladder.loyalty_gain) * pop.level[idx]
    if params.friendship.enabled:
        p += f32(params.friendship.loyalty) * pop.closeness[idx]
    return np.clip(p, f32(0.0), f32(rp.cap), out=p)
