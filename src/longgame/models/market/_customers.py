"""The customer population as numpy arrays (one row per customer, no Python objects).

Each customer has at most one current seller, so the state of the relationship (the
seller's history with this customer, the seller strategy's state, the ladder level,
closeness, cumulative profit) is stored on the customer's row and reset whenever a new
relationship starts. A seller's book is the set of rows whose ``seller`` is its slot.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from longgame.models.market import _kernels as _k
from longgame.strategies import HistoryView

__all__ = [
    "CLOSENESS",
    "NO_SELLER",
    "SATISFACTION",
    "TOLERANCE",
    "TRUST",
    "CustomerPopulation",
    "Gathered",
]


def _rows(a: NDArray[Any]) -> NDArray[np.void]:
    """A 1-D view of a C-contiguous array, one opaque item per row (first axis).

    numpy scatters rows of a 2-D array (``a[idx] = rows``) element by element; through
    this view it copies whole rows, about ten times faster for rows of up to 16 bytes.
    """
    flat = a.reshape(a.shape[0], math.prod(a.shape[1:]))  # a view: ``a`` is contiguous
    return flat.view(np.dtype((np.void, a.dtype.itemsize * flat.shape[1]))).reshape(-1)


#: ``seller`` of a customer that is not in a relationship (a prospect).
NO_SELLER: int = -1


#: Increments of a relationship's counts (flattened (2, 2): seller fair, seller fleeced,
#: customer paid, customer took) for each ``2 * seller action + customer action``.
_COUNT_STEP: NDArray[np.intp] = np.array(
    [[1, 0, 1, 0], [1, 0, 0, 1], [0, 1, 1, 0], [0, 1, 0, 1]], dtype=np.intp
)


#: Columns of :attr:`CustomerPopulation.mood`.
TRUST, SATISFACTION, CLOSENESS, TOLERANCE = range(4)


class CustomerPopulation:
    """Vectorised customers.

    Customer traits:
        taker: bool, pure taker (mechanism 9).
        tolerance: float32 in (0, 1), the trust / satisfaction threshold below which
            the customer leaves (mechanism 2).

    Relationship state (meaningful where ``seller >= 0``):
        seller: int32 seller slot or :data:`NO_SELLER`.
        start: int32 step at which the relationship started.
        trust: float32 in [0, 1]; satisfaction: float32 (EMA of surplus per deal);
            closeness: float32 in [0, 1].
        rounds: deals done, read-only (the seller's action counts summed, so not
            stored); level: int8 ladder level 0..4.
        tracked: bool, whether the relationship's spell is still open in the spells
            table (False once its seller changed strategy: the spell was censored then).
        actions: int8 (n, 2, depth) last actions of the seller (``[:, 0]``, also
            ``seller_last``) and of the customer (``[:, 1]``, ``customer_last``), most
            recent first, -1 before the first deal; counts: int32 (n, 2, 2) how often
            the seller (``[:, 0]``, ``seller_counts``) and the customer (``[:, 1]``,
            ``customer_counts``) played each action.
        totals: float64 (n, 2) cumulative seller profit (``profit``) and customer surplus
            (``surplus``) in the relationship; latest: the same of the last deal
            (``last_profit``, ``last_surplus``).

    Columns that a step reads and writes together share a table (rows of at most 16
    bytes, which numpy copies whole), so that a step gathers and scatters one row per
    relationship instead of one value per column: ``mood`` (n, 4) float32 holds trust,
    satisfaction, closeness and tolerance (columns :data:`TRUST`, ...), each also a
    writable column view of the same name.
    """

    def __init__(
        self, taker: NDArray[np.bool_], tolerance: NDArray[np.floating[Any]], depth: int
    ) -> None:
        n = int(taker.shape[0])
        self.taker = taker
        self.depth = depth
        self.seller: NDArray[np.int32] = np.full(n, NO_SELLER, dtype=np.int32)
        self.start: NDArray[np.int32] = np.zeros(n, dtype=np.int32)
        self.mood: NDArray[np.float32] = np.zeros((n, 4), dtype=np.float32)
        self.mood[:, TOLERANCE] = tolerance
        self.level: NDArray[np.int8] = np.zeros(n, dtype=np.int8)
        self.tracked: NDArray[np.bool_] = np.zeros(n, dtype=np.bool_)
        self.actions: NDArray[np.int8] = np.full((n, 2, depth), -1, dtype=np.int8)
        self.counts: NDArray[np.int32] = np.zeros((n, 2, 2), dtype=np.int32)
        self.totals: NDArray[np.float64] = np.zeros((n, 2))
        self.latest: NDArray[np.float64] = np.zeros((n, 2))

    @property
    def rounds(self) -> NDArray[np.intp]:
        """Deals done in the current relationship (a new array; derived from the counts)."""
        done: NDArray[np.intp] = self.counts[:, 0].sum(axis=1, dtype=np.intp)
        return done

    @property
    def trust(self) -> NDArray[np.float32]:
        """Trust in the current seller, in [0, 1]."""
        return self.mood[:, TRUST]

    @property
    def satisfaction(self) -> NDArray[np.float32]:
        """EMA of the customer's surplus per deal (money)."""
        return self.mood[:, SATISFACTION]

    @property
    def closeness(self) -> NDArray[np.float32]:
        """Friendship with the current seller, in [0, 1]."""
        return self.mood[:, CLOSENESS]

    @property
    def tolerance(self) -> NDArray[np.float32]:
        """The customer's tolerance threshold, in (0, 1)."""
        return self.mood[:, TOLERANCE]

    # column views of the shared tables (writable, strided)
    @property
    def seller_last(self) -> NDArray[np.int8]:
        """The seller's last actions, (n, depth)."""
        return self.actions[:, 0]

    @property
    def customer_last(self) -> NDArray[np.int8]:
        """The customer's last actions, (n, depth)."""
        return self.actions[:, 1]

    @property
    def seller_counts(self) -> NDArray[np.int32]:
        """How often the seller dealt fair (column 0) and fleeced (column 1), (n, 2)."""
        return self.counts[:, 0]

    @property
    def customer_counts(self) -> NDArray[np.int32]:
        """How often the customer paid (column 0) and took (column 1), (n, 2)."""
        return self.counts[:, 1]

    @property
    def profit(self) -> NDArray[np.float64]:
        """Cumulative seller profit in each relationship (money)."""
        return self.totals[:, 0]

    @property
    def surplus(self) -> NDArray[np.float64]:
        """Cumulative customer surplus in each relationship (money)."""
        return self.totals[:, 1]

    @property
    def last_profit(self) -> NDArray[np.float64]:
        """Seller profit of the last deal (money)."""
        return self.latest[:, 0]

    @property
    def last_surplus(self) -> NDArray[np.float64]:
        """Customer surplus of the last deal (money)."""
        return self.latest[:, 1]

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
        _k.begin(
            np.asarray(idx, dtype=np.intp), np.asarray(slots, dtype=np.intp), step,
            np.float32(trust), self.seller, self.start, self.mood, self.level, self.tracked,
            self.actions, self.counts, self.totals, self.latest,
        )  # fmt: skip

    def take_mood(self, idx: NDArray[np.intp]) -> NDArray[np.float32]:
        """Copies of the :attr:`mood` rows of customers ``idx``, (len(idx), 4)."""
        return np.take(self.mood, idx, axis=0)

    def put_mood(self, idx: NDArray[np.intp], rows: NDArray[np.float32]) -> None:
        """Write back rows taken with :meth:`take_mood` (whole rows at a time)."""
        _k.put_rows(np.asarray(idx, dtype=np.intp), rows, self.mood)

    def gather(self, idx: NDArray[np.intp]) -> Gathered:
        """Compact copies of the relationship history of customers ``idx``."""
        counts = np.take(self.counts, idx, axis=0).astype(np.intp)
        return Gathered(
            rounds=np.add(counts[:, 0, 0], counts[:, 0, 1]),
            actions=np.take(self.actions, idx, axis=0),
            counts=counts,
            totals=np.take(self.totals, idx, axis=0),
            latest=np.take(self.latest, idx, axis=0),
        )

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
        gathered: Gathered | None = None,
    ) -> None:
        """Append one deal to the histories of relationships ``idx``.

        ``gathered`` may pass :meth:`gather` of ``idx`` taken before the deal; it is
        updated in place (so that it shows the relationships after the deal, e.g. to
        the strategies' exit rules) and scattered back, which saves gathering again.
        """
        g = self.gather(idx) if gathered is None else gathered
        if self.depth > 1:
            g.actions[:, :, 1:] = g.actions[:, :, :-1]
        g.actions[:, 0, 0] = seller_action
        g.actions[:, 1, 0] = customer_action
        _rows(self.actions)[idx] = _rows(g.actions)
        # one table row per (seller action, customer action) pair adds 1 to the two
        # counts played: one gather and one add instead of two strided updates
        code = np.left_shift(seller_action, 1, dtype=np.intp)
        code += customer_action
        g.counts += np.take(_COUNT_STEP, code, axis=0).reshape(-1, 2, 2)
        _rows(self.counts)[idx] = _rows(g.counts.astype(np.int32))
        g.rounds += 1
        g.latest[:, 0] = profit
        g.latest[:, 1] = surplus
        g.totals += g.latest
        _rows(self.totals)[idx] = _rows(g.totals)
        _rows(self.latest)[idx] = _rows(g.latest)

    def nbytes(self) -> int:
        """Memory held by the arrays, in bytes."""
        total = 0
        for value in vars(self).values():
            arr: Any = value
            if isinstance(arr, np.ndarray):
                total += arr.nbytes
        return total


@dataclass(eq=False)
class Gathered:
    """Compact copies of the relationship state of some customers (one row each).

    Made by :meth:`CustomerPopulation.gather`; the same layout as the population's
    tables, with counts widened to ``intp`` (the history view's integer
    type, converted once here rather than per view). :meth:`view` shows rows of it to
    a strategy.
    """

    rounds: NDArray[np.intp]
    actions: NDArray[np.int8]
    counts: NDArray[np.intp]
    totals: NDArray[np.float64]
    latest: NDArray[np.float64]

    def view(
        self,
        depth: int,
        rows: slice = slice(None),
        state: dict[str, NDArray[Any]] | None = None,
    ) -> HistoryView:
        """The seller's :class:`~longgame.strategies.HistoryView` of ``rows``.

        Its arrays are views into this object (no copies); ``depth`` past actions.
        """
        return HistoryView(
            rounds=self.rounds[rows],
            own_last=self.actions[rows, 0, :depth],
            partner_last=self.actions[rows, 1, :depth],
            own_counts=self.counts[rows, 0],
            partner_counts=self.counts[rows, 1],
            own_payoff=self.totals[rows, 0],
            partner_payoff=self.totals[rows, 1],
            last_own_payoff=self.latest[rows, 0],
            last_partner_payoff=self.latest[rows, 1],
            state={} if state is None else state,
        )
