"""Seller time: keeping relationships costs attention that thins as the book grows.

Seed 002: "一個人能維繫的關係也只有150人" (one person keeps up only about 150
relationships; Dunbar 1992, *J. Human Evolution* 22:469). Rather than a wall at 150,
each seller has ``attention.time`` customer-visits per period; a larger book (and
friends who want to chat, seed 003) spreads them thinner, and every customer then gets
a worse deal. Seed 001's "让利" (give up margin to earn more and for longer) can then
win or lose on the mechanism: the low-margin seller wins customers, but serves each of
them less well.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from longgame.models.market._params import MarketParams

__all__ = ["capacity", "quality", "quality_loss"]


def capacity(params: MarketParams) -> float:
    """The book size a seller serves at full quality: ``attention.time`` when the
    mechanism is on, else the hard ceiling ``acquisition.capacity``.

    >>> capacity(MarketParams()), capacity(MarketParams(attention={"enabled": True, "time": 80}))
    (150.0, 80.0)
    """
    if params.attention.enabled:
        return float(params.attention.time)
    return float(params.acquisition.capacity)


def quality(load: NDArray[np.float64], params: MarketParams) -> NDArray[np.float64]:
    """Service quality per seller, ``min(1, time / load)`` (1 for an empty book).

    ``load`` is each seller's book plus its friends' chat time, in customer-visits.

    >>> quality(np.array([0.0, 75.0, 300.0]), MarketParams(attention={"enabled": True}))
    array([1. , 1. , 0.5])
    """
    q: NDArray[np.float64] = np.minimum(1.0, params.attention.time / np.maximum(load, 1e-12))
    return q


def quality_loss(
    q: NDArray[np.float64], size: NDArray[np.float64], params: MarketParams
) -> NDArray[np.float64]:
    """Value the customer does not get, per deal: ``loss * (1 - q) * value * size`` (money).

    >>> p = MarketParams(attention={"enabled": True, "loss": 0.5})
    >>> quality_loss(np.array([1.0, 0.5]), np.array([1.0, 2.0]), p).tolist()
    [0.0, 1.5]
    """
    lost: NDArray[np.float64] = (params.attention.loss * params.exchange.value) * (1.0 - q)
    lost *= size
    return lost
