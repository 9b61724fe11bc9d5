"""Mechanism 2 (trust and satisfaction) and mechanism 3 (repeat purchase).

Trust is slow to build and fast to lose (seed 002: mutual trust, 互信, is built step
by step; the asymmetry is the "trust asymmetry" of Slovic 1993, *Risk Analysis*
13:675). The continuation probability of a relationship is the repeat-purchase
probability of customer-lifetime models (Berger & Nasr 1998, *J. Interactive
Marketing* 12:17), raised by service, satisfaction, ladder level and closeness.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from longgame.models.market._params import MarketParams

__all__ = ["continuation", "update_trust"]


def update_trust(
    trust: NDArray[np.float32],
    satisfaction: NDArray[np.float32],
    tolerance: NDArray[np.float32],
    surplus: NDArray[np.float64],
    params: MarketParams,
) -> NDArray[np.bool_]:
    """Update the trust and satisfaction of relationships after a deal (in place); who leaves.

    All arrays are per relationship (one row each, e.g. gathered for this period's
    buyers). A deal with surplus >= 0 raises trust by ``up * (1 - trust)``; a loss
    lowers it by ``down * trust``. Satisfaction is the EMA of surplus. Returns the mask
    of customers whose trust fell below their tolerance after a bad deal, or whose
    satisfaction is below minus it (all False when the mechanism is off).

    >>> t, s = np.full(2, 0.5, np.float32), np.zeros(2, np.float32)
    >>> update_trust(t, s, np.full(2, 0.45, np.float32), np.array([1.0, -1.0]), MarketParams())
    array([False,  True])
    >>> t.round(2).tolist()
    [0.55, 0.3]
    """
    tp = params.trust
    step = surplus.astype(np.float32)
    step -= satisfaction
    step *= np.float32(tp.memory)
    satisfaction += step
    if not tp.enabled:
        return np.zeros(trust.shape[0], dtype=np.bool_)
    good = surplus >= 0
    # up by ``up * (1 - trust)`` after a good deal, down by the factor ``1 - down`` after
    # a bad one; the branch is chosen by 0/1 masks (exact: ``a * 1 + b * 0 == a``),
    # cheaper than a masked ``where=`` update
    rise = np.subtract(1, trust, dtype=np.float32)
    rise *= np.float32(tp.up)
    rise += trust
    rise *= good
    np.multiply(trust, np.float32(1 - tp.down), out=trust)
    trust *= ~good
    trust += rise
    # trust must *fall* below the tolerance: a good deal never drives a customer away
    leaves: NDArray[np.bool_] = np.less(trust, tolerance)
    leaves &= ~good
    leaves |= satisfaction < -tolerance
    return leaves


def continuation(
    satisfaction: NDArray[np.float32],
    level: NDArray[np.int8],
    closeness: NDArray[np.float32],
    care: NDArray[np.float32],
    params: MarketParams,
) -> NDArray[np.float32]:
    """Probability that each relationship continues to the next period (float32).

    ``base + repeat_gain * care + satisfaction_gain * satisfaction + loyalty_gain * level
    + loyalty * closeness``, clipped to [0, cap]; ``care`` is the seller's customer
    concern scaled to [0, 1]. All arrays are per relationship. Zero when repeat purchase
    is off (one-shot exchanges).
    """
    rp = params.repeat
    if not rp.enabled:
        return np.zeros(satisfaction.shape[0], dtype=np.float32)
    f32 = np.float32
    p = f32(rp.satisfaction_gain) * satisfaction
    p += f32(rp.base)
    if params.service.enabled:
        p += f32(params.service.repeat_gain) * care
    if params.ladder.enabled:
        p += f32(params.ladder.loyalty_gain) * level
    if params.friendship.enabled:
        p += f32(params.friendship.loyalty) * closeness
    return np.clip(p, f32(0.0), f32(rp.cap), out=p)
