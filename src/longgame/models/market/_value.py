"""Seller value (skill that grows with investment) and honesty (promise vs delivery).

Seed 000: "只有先提高自己的价值" (first raise your own value); seed 001: "积蓄能量,输出
价值" (build up energy, deliver value) and "意诚心正 ... 有风险,就把风险提前暴露出" (be
sincere: say what you can and cannot do, expose the risks in advance). A seller's skill
raises the value of every deal it makes; a seller's over-promise wins prospects and then
disappoints: the customer judges the deal by what it was promised.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from longgame.models.market._params import MarketParams

__all__ = ["felt_surplus", "skill_gains", "train"]


def train(
    skill: NDArray[np.float64], spend: NDArray[np.float64], params: MarketParams
) -> NDArray[np.float64]:
    """Skill after one period's training: ``min(max_skill, skill + learn * spend)``.

    >>> p = MarketParams(seller_value={"learn": 0.1, "max_skill": 0.5})
    >>> train(np.array([0.0, 0.45]), np.array([2.0, 2.0]), p).tolist()
    [0.2, 0.5]
    """
    sv = params.seller_value
    out: NDArray[np.float64] = np.minimum(sv.max_skill, skill + sv.learn * spend)
    return out


def skill_gains(
    skill: NDArray[np.float64],
    fleece: NDArray[np.bool_],
    margin: NDArray[np.float64],
    size: NDArray[np.float64],
    params: MarketParams,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Seller's and customer's shares of the extra value ``value * skill * size``.

    A fair deal splits it by the margin share; a fleece gives it all to the seller.

    >>> p = MarketParams()
    >>> s, c = skill_gains(np.array([0.5, 0.5]), np.array([False, True]),
    ...                    np.array([0.6, 0.6]), np.ones(2), p)
    >>> s.round(2).tolist(), c.round(2).tolist()
    ([0.9, 1.5], [0.6, 0.0])
    """
    extra = params.exchange.value * skill * size
    share = np.where(fleece, 1.0, margin)
    seller: NDArray[np.float64] = extra * share
    return seller, extra - seller


def felt_surplus(
    surplus: NDArray[np.float64],
    promise: NDArray[np.float64],
    size: NDArray[np.float64],
    params: MarketParams,
) -> NDArray[np.float64]:
    """The surplus a customer feels: real surplus minus the unkept promise.

    >>> p = MarketParams(seller_value={"disappointment": 1.0})
    >>> felt_surplus(np.array([1.0, 1.0]), np.array([0.0, 0.2]), np.ones(2), p).tolist()
    [1.0, 0.4]
    """
    gap = (params.seller_value.disappointment * params.exchange.value) * promise * size
    out: NDArray[np.float64] = surplus - gap
    return out
