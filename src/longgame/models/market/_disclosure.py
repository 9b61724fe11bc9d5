"""Two-way trust by matched self-disclosure: the Johari window on each relationship.

Seed 002 (building customer relationships): trust rests on knowing each other; the
Johari window (Luft & Ingham 1955) splits what a person shows into open, blind, hidden
and unknown areas; 恰如其分的暴露自己可以快速縮短心理距離 (fitting self-disclosure closes
psychological distance fast); disclosure is usually matched (相互性原則, the reciprocity
principle; Altman & Taylor 1973, social penetration); 過分和過早的不適當的自我暴露會引起
對方的慌亂和焦慮 (too much or too early disclosure alarms the other side and widens the
distance); 互信 = 他信 + 信他 (mutual trust = being trusted + trusting: the open areas of
both sides, matched and overlapping). Parameters and units:
:class:`~longgame.models.market._params.DisclosureParams`.

State: two int8 arrays over customers, the seller's and the customer's openness in the
current relationship (reset when one begins). Every update is a numpy pass over the
period's buyers.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from longgame.models.market._params import DisclosureParams

__all__ = ["PACES", "Disclosure"]

#: Disclosure paces by code (the code is what the arrays hold).
PACES: tuple[str, ...] = ("none", "matched", "eager")


class Disclosure:
    """Openness of both sides of every relationship, and the rules that move it.

    >>> p = DisclosureParams(enabled=True, reciprocity=1.0, min_deals=0)
    >>> d = Disclosure(3, p)
    >>> trust = np.full(3, 0.8, np.float32)
    >>> pace = np.array([0, 1, 2], np.int8)  # none, matched, eager
    >>> cost, leave = d.step(np.arange(3), pace, np.full(3, 5), trust,
    ...                      np.full(3, 0.2, np.float32), np.random.default_rng(0))
    >>> d.seller_open.tolist(), d.customer_open.tolist(), cost.tolist()
    ([0, 1, 1], [0, 1, 1], [0.0, 0.05, 0.05])
    """

    def __init__(self, customers: int, params: DisclosureParams) -> None:
        self.params = params
        self.seller_open: NDArray[np.int8] = np.zeros(customers, dtype=np.int8)
        self.customer_open: NDArray[np.int8] = np.zeros(customers, dtype=np.int8)

    def reset(self, idx: NDArray[np.intp]) -> None:
        """New relationships of customers ``idx`` start closed on both sides."""
        self.seller_open[idx] = 0
        self.customer_open[idx] = 0

    def mutual(self, idx: NDArray[np.intp]) -> NDArray[np.float64]:
        """Mutual trust ``min(seller, customer openness) / levels`` in [0, 1]."""
        both = np.minimum(self.seller_open[idx], self.customer_open[idx])
        out: NDArray[np.float64] = both / float(self.params.levels)
        return out

    def need_value(
        self, idx: NDArray[np.intp], level: NDArray[np.int8], size: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """Extra value a deal creates from the customer's disclosed needs (money):
        ``need_value * openness / levels * size`` at ladder level 2 and above."""
        p = self.params
        share = self.customer_open[idx] / float(p.levels)
        out: NDArray[np.float64] = p.need_value * share * size * (level >= 2)
        return out

    def step(
        self,
        idx: NDArray[np.intp],
        pace: NDArray[np.int8],
        deals: NDArray[np.intp],
        trust: NDArray[np.float32],
        tolerance: NDArray[np.float32],
        rng: np.random.Generator,
    ) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
        """One period of disclosure in the relationships of buyers ``idx`` (distinct).

        ``pace`` is each seller's pace code (:data:`PACES`), ``deals`` the deals done so
        far (this one included), ``trust`` the customers' trust (lowered in place by an
        inappropriate step), ``tolerance`` their thresholds. Returns the seller's cost
        per relationship (money) and who leaves, alarmed, with trust below tolerance.
        """
        p = self.params
        s = self.seller_open[idx]
        c = self.customer_open[idx]
        not_ahead = s <= c
        early = deals < p.min_deals
        step = (pace == 2) | ((pace == 1) & not_ahead & ~early)
        step &= s < p.levels
        s_new = s + step.astype(np.int8)
        bad = step & ((s_new.astype(np.intp) - c > p.tolerance) | early)
        trust *= np.where(bad, np.float32(1.0 - p.backfire), np.float32(1.0))
        leave = bad & (trust < tolerance)
        answer = ~bad & (s_new > c) & (c < p.levels)
        answer &= rng.random(idx.size, dtype=np.float32) < p.reciprocity
        self.seller_open[idx] = s_new
        self.customer_open[idx] = c + answer.astype(np.int8)
        return step * p.step_cost, leave
