"""Late payment as receivables: paid ``delay`` periods later, or never (seed 003).

"降降价吧?行,降!再推迟推迟付款吧?行,朋友嘛,好说!" (seed 003): a friend asks to pay
later. The seller has delivered, so the deal's price is owed: it arrives ``delay``
periods later with probability ``1 - default``, and financing it costs ``carry`` per
unit of money per period. Money owed to each seller is kept in a ring of ``delay + 1``
buckets (one per period until it falls due), so a step costs two ``bincount`` calls,
whatever the number of late payers.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from longgame.models.market._params import MarketParams

__all__ = ["Receivables", "late_payments", "price"]


def price(
    params: MarketParams,
    seller_action: NDArray[np.int8],
    margin: NDArray[np.float64],
    size: NDArray[np.float64],
) -> NDArray[np.float64]:
    """The price the customer owes for each deal (money): cost plus the seller's gain.

    ``cost + m S`` for a fair deal, ``value + overcharge * value`` for a fleece, times
    the deal size.

    >>> from longgame.models.market import MarketParams
    >>> price(MarketParams(), np.array([0, 1], np.int8), np.array([0.5, 0.5]),
    ...       np.array([1.0, 1.0])).round(2).tolist()
    [2.5, 3.6]
    """
    ex = params.exchange
    fleece = seller_action == 1
    gain = np.where(fleece, ex.surplus + ex.overcharge * ex.value, margin * ex.surplus)
    out: NDArray[np.float64] = (ex.cost + gain) * size
    return out


class Receivables:
    """Money owed to each seller, by the period it falls due.

    >>> r = Receivables(sellers=2, delay=2)
    >>> r.book(0, np.array([1, 1]), np.array([3.0, 4.0]))
    >>> r.collect(1).tolist(), r.collect(2).tolist(), r.outstanding().tolist()
    ([0.0, 0.0], [0.0, 7.0], [0.0, 0.0])
    """

    def __init__(self, sellers: int, delay: int) -> None:
        self.delay = int(delay)
        self.due: NDArray[np.float64] = np.zeros((sellers, self.delay + 1))

    def book(self, step: int, slots: NDArray[np.intp], amounts: NDArray[np.float64]) -> None:
        """Money ``amounts`` owed to sellers ``slots``, due ``delay`` periods after ``step``."""
        if slots.size:
            col = (step + self.delay) % (self.delay + 1)
            self.due[:, col] += np.bincount(slots, weights=amounts, minlength=self.due.shape[0])

    def collect(self, step: int) -> NDArray[np.float64]:
        """Each seller's money falling due at ``step`` (removed from the ledger)."""
        col = step % (self.delay + 1)
        out = self.due[:, col].copy()
        self.due[:, col] = 0.0
        return out

    def outstanding(self) -> NDArray[np.float64]:
        """Money still owed to each seller."""
        total: NDArray[np.float64] = self.due.sum(axis=1)
        return total

    def write_off(self, slots: NDArray[np.intp]) -> None:
        """Forget what is owed to sellers ``slots`` (they left the market)."""
        self.due[slots] = 0.0


def late_payments(
    params: MarketParams,
    late: NDArray[np.bool_],
    owed: NDArray[np.float64],
    rng: np.random.Generator,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Per deal: the relationship's cost of paying late, and the cash still to come.

    ``late`` marks the late payers and ``owed`` the price of each deal. The cost booked
    to the relationship is ``carry * delay * owed`` plus ``owed`` if the payment
    defaults (drawn here); the cash to come is ``owed`` unless it defaults (0 for
    deals paid on time).
    """
    rp = params.receivables
    owed = owed * late
    defaulted = rng.random(late.shape[0]) < rp.default
    cost = (rp.carry * rp.delay) * owed
    cost += owed * defaulted
    coming = owed * ~defaulted
    return cost, coming
