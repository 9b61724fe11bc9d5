"""The customer population as numpy arrays (one row per customer, no Python objects).

Each customer has at most one current seller, so the state of the relationship (the
seller's history with this customer, the seller strategy's state, the ladder level,
closeness, cumulative profit) is stored on the customer's row and reset whenever a new
relationship starts. A seller's book is the set of rows whose ``seller`` is its slot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["NO_SELLER", "CustomerPopulation"]


def _rows(a: NDArray[Any]) -> NDArray[np.void]:
    """A 1-D view of a C-contiguous 2-D array, one opaque item per row.

    numpy scatters rows of a 2-D array (``a[idx] = rows``) element by element; through
    this view it copies whole rows, about ten times faster.
    """
    return a.view(np.dtype((np.void, a.dtype.itemsize * a.shape[1]))).reshape(-1)


#: ``seller`` of a customer that is not in a relationship (a prospect).
NO_SELLER: int = -1


@dataclass(eq=False)
class CustomerPopulation:
    """Vectorised customers.

    Customer traits:
        taker: bool, pure taker (mechanism 9).
        tolerance: float32 in (0, 1), the trust / satisfaction threshold below which
            the customer leaves (mechanism 2).

    Relationship state (meaningful where ``seller >= 0``):
        seller: int32 seller slot or :data:`NO_SELLER`.
        start: int32 step at which the relationship started.
        trust: float32 in [0, 1]; satisfaction: float32 (EMA of surplus per deal).
        rounds: deals done (the history view's ``rounds``); level: int8 ladder level
            0..4; closeness: float32 in [0, 1].
        seller_last / customer_last: int8 (n, depth) last actions, most recent first,
            -1 before the first deal; seller_counts / customer_counts: (n, 2) counts.
        profit / surplus: float64 cumulative seller profit and customer surplus in the
            relationship; last_profit / last_surplus: of the last deal.
    """

    taker: NDArray[np.bool_]
    tolerance: NDArray[np.float32]
    depth: int
    seller: NDArray[np.int32] = field(init=False)
    start: NDArray[np.int32] = field(init=False)
    trust: NDArray[np.float32] = field(init=False)
    satisfaction: NDArray[np.float32] = field(init=False)
    rounds: NDArray[np.intp] = field(init=False)
    level: NDArray[np.int8] = field(init=False)
    closeness: NDArray[np.float32] = field(init=False)
    seller_last: NDArray[np.int8] = field(init=False)
    customer_last: NDArray[np.int8] = field(init=False)
    seller_counts: NDArray[np.intp] = field(init=False)
    customer_counts: NDArray[np.intp] = field(init=False)
    profit: NDArray[np.float64] = field(init=False)
    surplus: NDArray[np.float64] = field(init=False)
    last_profit: NDArray[np.float64] = field(init=False)
    last_surplus: NDArray[np.float64] = field(init=False)

    def __post_init__(self) -> None:
        n = self.n
        self.seller = np.full(n, NO_SELLER, dtype=np.int32)
        self.start = np.zeros(n, dtype=np.int32)
        self.trust = np.zeros(n, dtype=np.float32)
        self.satisfaction = np.zeros(n, dtype=np.float32)
        self.rounds = np.zeros(n, dtype=np.intp)
        self.level = np.zeros(n, dtype=np.int8)
        self.closeness = np.zeros(n, dtype=np.float32)
        self.seller_last = np.full((n, self.depth), -1, dtype=np.int8)
        self.customer_last = np.full((n, self.depth), -1, dtype=np.int8)
        self.seller_counts = np.zeros((n, 2), dtype=np.intp)
        self.customer_counts = np.zeros((n, 2), dtype=np.intp)
        self.profit = np.zeros(n)
        self.surplus = np.zeros(n)
        self.last_profit = np.zeros(n)
        self.last_surplus = np.zeros(n)

    @classmethod
    def draw(
        cls,
        n: int,
        *,
        taker_share: float,
        tolerance_mean: float,
        tolerance_concentration: float,
        depth: int,
        rng: np.random.Generator,
    ) -> CustomerPopulation:
        """``n`` customers with random traits (takers with ``taker_share``, Beta tolerances).

        >>> pop = CustomerPopulation.draw(1000, taker_share=0.2, tolerance_mean=0.3,
        ...     tolerance_concentration=10, depth=2, rng=np.random.default_rng(1))
        >>> pop.n, bool(0.15 < pop.taker.mean() < 0.25), bool((pop.seller == NO_SELLER).all())
        (1000, True, True)
        """
        a = tolerance_mean * tolerance_concentration
        b = (1 - tolerance_mean) * tolerance_concentration
        return cls(
            taker=rng.random(n) < taker_share,
            tolerance=rng.beta(a, b, n).astype(np.float32),
            depth=depth,
        )

    @property
    def n(self) -> int:
        """Number of customers."""
        return int(self.taker.shape[0])

    def begin(
        self, idx: NDArray[np.intp], slots: NDArray[np.intp], step: int, trust: float
    ) -> None:
        """Start relationships of customers ``idx`` with sellers ``slots`` at ``step``."""
        self.seller[idx] = slots
        self.start[idx] = step
        self.trust[idx] = trust
        self.satisfaction[idx] = 0.0
        self.rounds[idx] = 0
        self.level[idx] = 0
        self.closeness[idx] = 0.0
        no_history = _rows(np.full((1, self.depth), -1, dtype=np.int8))[0]
        _rows(self.seller_last)[idx] = no_history
        _rows(self.customer_last)[idx] = no_history
        no_counts = _rows(np.zeros((1, 2), dtype=np.intp))[0]
        _rows(self.seller_counts)[idx] = no_counts
        _rows(self.customer_counts)[idx] = no_counts
        self.profit[idx] = 0.0
        self.surplus[idx] = 0.0
        self.last_profit[idx] = 0.0
        self.last_surplus[idx] = 0.0

    def end(self, idx: NDArray[np.intp]) -> None:
        """End the relationships of customers ``idx`` (they become prospects)."""
        self.seller[idx] = NO_SELLER

    def record(
        self,
        idx: NDArray[np.intp],
        seller_action: NDArray[np.int8],
        customer_action: NDArray[np.int8],
        profit: NDArray[np.float64],
        surplus: NDArray[np.float64],
        gathered: Any = None,
    ) -> None:
        """Append one deal to the histories of relationships ``idx``.

        ``gathered`` may be a :class:`~longgame.strategies.HistoryView` of ``idx`` with
        all kept columns, taken before the deal; its arrays are then updated in place (so
        that it shows the relationships after the deal, e.g. to the strategies' exit
        rules) and scattered back, which saves gathering them again.
        """
        if gathered is None:
            from longgame.strategies import HistoryView

            gathered = HistoryView(
                rounds=self.rounds[idx],
                own_last=np.take(self.seller_last, idx, axis=0),
                partner_last=np.take(self.customer_last, idx, axis=0),
                own_counts=np.take(self.seller_counts, idx, axis=0),
                partner_counts=np.take(self.customer_counts, idx, axis=0),
                own_payoff=self.profit[idx],
                partner_payoff=self.surplus[idx],
                last_own_payoff=self.last_profit[idx],
                last_partner_payoff=self.last_surplus[idx],
            )
        g = gathered
        for last, rows, counts, table, action in (
            (g.own_last, self.seller_last, g.own_counts, self.seller_counts, seller_action),
            (g.partner_last, self.customer_last, g.partner_counts, self.customer_counts,
             customer_action),
        ):  # fmt: skip
            if self.depth > 1:
                last[:, 1:] = last[:, :-1]
            last[:, 0] = action
            _rows(rows)[idx] = _rows(np.ascontiguousarray(last))
            counts[:, 1] += action
            counts[:, 0] += 1 - action
            _rows(table)[idx] = _rows(np.ascontiguousarray(counts))
        g.rounds += 1
        self.rounds[idx] = g.rounds
        g.own_payoff += profit
        self.profit[idx] = g.own_payoff
        g.partner_payoff += surplus
        self.surplus[idx] = g.partner_payoff
        g.last_own_payoff[:] = profit
        self.last_profit[idx] = profit
        g.last_partner_payoff[:] = surplus
        self.last_surplus[idx] = surplus

    def nbytes(self) -> int:
        """Memory held by the arrays, in bytes."""
        total = 0
        for value in vars(self).values():
            arr: Any = value
            if isinstance(arr, np.ndarray):
                total += arr.nbytes
        return total
