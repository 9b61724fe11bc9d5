"""Sales behaviours: walking away, stop-loss investing, and the five sales-grid profiles.

The source documents describe how sellers and customers actually behave: customers who
were cheated once leave ("customers only need to be cheated once", seeds/000), investors who "give
first" but keep a stop-loss line (止损线, seeds/001), and the sales grid of Blake and
Mouton (concern for the sale x concern for the customer, 1..9 each, so "9.1" is all sale
and "1.9" all customer; seeds/004 lists the five types 1.1, 1.9, 5.5, 9.1, 9.9).

Each grid profile carries ``customer_concern`` and ``sale_concern`` (1..9), which the
market model maps to margin, service and concessions; its repeated-game behaviour is
the one grid rule :func:`grid_actions` at those two numbers (no profile has a rule of
its own). Blake and Mouton rank 9.9 best; whether the model agrees is a result of the
``sales-grid`` experiment, not something coded here. Actions: 0 = cooperate (deal fair /
pay and stay), 1 = defect (fleece / take).

References:
    Blake, R. R. & Mouton, J. S. (1970). *The Grid for Sales Excellence*. McGraw-Hill.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from longgame.strategies._base import D, HistoryView, Strategy, defect_where

__all__ = [
    "GridConsultative",
    "GridCountryClub",
    "GridHardSell",
    "GridImpoverished",
    "GridMiddleOfTheRoad",
    "GridPosition",
    "StopLossInvestor",
    "WalkAway",
    "grid_actions",
]

_GRID = (
    "Blake, R. R. & Mouton, J. S. (1970). The Grid for Sales Excellence. McGraw-Hill; "
    "the five salesperson types in seeds/004."
)


class WalkAway(Strategy):
    """Deals fair, and leaves the relationship right after a bad deal (partner defected).

    The customer of the source documents who "only needs to be cheated once": one
    fleecing ends the relationship for both sides. Source: seeds/000 (客户只要“骗”一次).
    """

    name = "walk-away"
    aliases = ("walker", "one-strike")
    description = "Cooperates; ends the relationship right after the partner defects."
    memory_depth = 1
    citation = "Source documents seeds/000 (customers only need to be cheated once)."

    def decide(self, view: HistoryView, rng: np.random.Generator) -> NDArray[np.int8]:
        return np.zeros(view.n, dtype=np.int8)

    def exit(self, view: HistoryView, rng: np.random.Generator) -> NDArray[np.bool_]:
        return np.asarray(view.partner_last[:, 0] == D, dtype=np.bool_)


class StopLossInvestor(Strategy):
    """Gives first (cooperates), and exits once the relationship has cost it ``limit``.

    The stop-loss line (止损线) of seeds/001: "giving cannot be endless; there must be a
    stop-loss point, and once there, stop the loss at once. Everyone's point differs:
    some go all in, some risk at most a third." The running result is, with
    ``basis="own"`` (the default), the strategy's cumulative payoff in the relationship:
    it exits when that falls below ``-limit``, which suits games with losses such as the
    sales exchange and asymmetric games. With ``basis="relative"`` it is its cumulative
    payoff minus the partner's: it exits once the partner has taken ``limit`` more than
    it gave, which suits the prisoner's dilemma, whose payoffs are never negative (there
    the ``"own"`` rule never fires and the investor is an unconditional cooperator).

    Args:
        limit: the stop-loss line L >= 0, in payoff units.
        basis: ``"own"`` or ``"relative"``, see above.
    """

    name = "stop-loss-investor"
    aliases = ("stop-loss", "investor")
    description = "Cooperates; exits when its relationship result falls below -limit."
    memory_depth = float("inf")
    citation = "Source documents seeds/001 (止损线, the stop-loss line)."

    def __init__(self, *, limit: float = 5.0, basis: str = "own") -> None:
        self.limit = self._check_number("limit", limit, 0.0)
        if basis not in ("own", "relative"):
            from longgame.errors import InputError

            raise InputError(
                f"{self.name}: basis={basis!r} is not allowed; expected 'own' or 'relative'"
            )
        self.basis = basis

    def decide(self, view: HistoryView, rng: np.random.Generator) -> NDArray[np.int8]:
        return np.zeros(view.n, dtype=np.int8)

    def exit(self, view: HistoryView, rng: np.random.Generator) -> NDArray[np.bool_]:
        result = view.own_payoff
        if self.basis == "relative":
            result = result - view.partner_payoff
        return np.asarray(result < -self.limit, dtype=np.bool_)


def grid_actions(
    customer_concern: float, sale_concern: float, view: HistoryView, rng: np.random.Generator
) -> NDArray[np.int8]:
    """The sales-grid rule at (customer_concern, sale_concern), both on 1..9.

    With ``cc = (customer_concern - 1) / 8`` and ``sc = (sale_concern - 1) / 8`` in
    [0, 1], each round a seller fleeces on purpose with probability ``sc * (1 - cc)`` (how
    much the sale outweighs the customer), and after the partner took it answers with a
    hard deal with probability ``sc`` (concern for the sale means not letting takers
    take). This is the one behavioural mechanism of the grid: :class:`GridPosition` and
    the five named profiles all call it, so a named profile plays exactly like
    ``grid(customer_concern, sale_concern)`` at its point.

    >>> view = HistoryView.fresh(4, depth=1, n_actions=2)
    >>> grid_actions(1, 9, view, np.random.default_rng(0)).tolist()  # 9.1 fleeces
    [1, 1, 1, 1]
    >>> grid_actions(1, 1, view, np.random.default_rng(0)).tolist()  # 1.1 never does
    [0, 0, 0, 0]
    """
    cc = (float(customer_concern) - 1.0) / 8.0
    sc = (float(sale_concern) - 1.0) / 8.0
    u = rng.random((2, view.n))
    took = view.partner_last[:, 0] == D
    return defect_where((u[0] < sc * (1.0 - cc)) | (took & (u[1] < sc)))


def _is_stochastic(customer_concern: int, sale_concern: int) -> bool:
    cc = (customer_concern - 1) / 8
    sc = (sale_concern - 1) / 8
    return 0 < sc * (1 - cc) < 1 or 0 < sc < 1


def _reads_partner(customer_concern: int, sale_concern: int) -> bool:
    """Whether the rule at this point looks at the partner's last action at all."""
    cc = (customer_concern - 1) / 8
    sc = (sale_concern - 1) / 8
    return sc > 0 and sc * (1 - cc) < 1


class _NamedGridProfile(Strategy):
    """A named point of the sales grid: :func:`grid_actions` at its class's concerns.

    Subclasses set only the metadata and ``customer_concern`` / ``sale_concern``; the
    behaviour, and in the market model margin, service, closeness and concessions, all
    follow from those two numbers.
    """

    memory_depth = 1
    citation = _GRID
    customer_concern: ClassVar[int] = 5
    sale_concern: ClassVar[int] = 5

    def __init_subclass__(cls, **kwargs: Any) -> None:
        cls.stochastic = _is_stochastic(cls.customer_concern, cls.sale_concern)
        cls.memory_depth = 1 if _reads_partner(cls.customer_concern, cls.sale_concern) else 0
        super().__init_subclass__(**kwargs)

    def decide(self, view: HistoryView, rng: np.random.Generator) -> NDArray[np.int8]:
        return grid_actions(self.customer_concern, self.sale_concern, view, rng)


class GridImpoverished(_NamedGridProfile):
    """Sales grid 1.1, impoverished: low concern for the customer and for the sale.

    At (1, 1) the grid rule never fleeces and never answers a taker: the seller puts
    no effort into either side. In the market that means the lowest margin share, no
    after-sales service and the slowest closeness: an indifferent order-taker.
    """

    name = "grid-1.1"
    aliases = ("impoverished",)
    description = "Grid 1.1: indifferent; takes orders at a low margin, no service, no push."
    customer_concern: ClassVar[int] = 1
    sale_concern: ClassVar[int] = 1


class GridCountryClub(_NamedGridProfile):
    """Sales grid 1.9, country club / friends first: all concern for the customer.

    At (customer 9, sale 1) the grid rule always deals fair and forgives every taker
    (unconditional cooperation), which pure takers exploit; in the market it has the
    lowest margin, full service, the fastest closeness and yields most to friends.
    """

    name = "grid-1.9"
    aliases = ("country-club", "friends-first")
    description = "Grid 1.9: friends first; always deals fair and forgives takers."
    customer_concern: ClassVar[int] = 9
    sale_concern: ClassVar[int] = 1


class GridMiddleOfTheRoad(_NamedGridProfile):
    """Sales grid 5.5, middle of the road: half concern for each side.

    At (5, 5) the grid rule fleeces a quarter of the time (``0.5 * (1 - 0.5)``) and
    answers a taker's taking with a hard deal half the time: a compromise.
    """

    name = "grid-5.5"
    aliases = ("middle-of-the-road", "compromiser")
    description = "Grid 5.5: compromise; fleeces 1 deal in 4, answers takers half the time."
    customer_concern: ClassVar[int] = 5
    sale_concern: ClassVar[int] = 5


class GridHardSell(_NamedGridProfile):
    """Sales grid 9.1, hard sell / authority-compliance: all concern for the sale.

    At (customer 1, sale 9) the grid rule fleeces every time: the one-shot fleecer.
    """

    name = "grid-9.1"
    aliases = ("hard-sell", "authority-compliance", "push")
    description = "Grid 9.1: hard sell; fleeces every time."
    customer_concern: ClassVar[int] = 1
    sale_concern: ClassVar[int] = 9


class GridConsultative(_NamedGridProfile):
    """Sales grid 9.9, consultative / team: high concern for the customer and the sale.

    At (9, 9) the grid rule deals fair first and answers a taker's taking with a hard
    deal the next round: tit for tat. In the market it holds the highest margin and
    gives full service.
    """

    name = "grid-9.9"
    aliases = ("consultative", "team")
    description = "Grid 9.9: consultative; deals fair, answers takers like tit for tat."
    customer_concern: ClassVar[int] = 9
    sale_concern: ClassVar[int] = 9


class GridPosition(Strategy):
    """Any point of the sales grid: the continuous family behind the five profiles.

    Rule: :func:`grid_actions` (fleece with ``p = sc (1 - cc)``, answer a taker with
    ``p = sc``). The five named profiles are this rule at their points, so
    ``grid(customer_concern=9, sale_concern=1)`` plays exactly like ``grid-1.9``. The
    market model also reads the two concerns for margin, service and concessions, so a
    sweep over ``customer_concern`` x ``sale_concern`` maps the whole grid.

    Args:
        customer_concern: concern for the customer, 1..9.
        sale_concern: concern for the sale, 1..9.

    >>> GridPosition(customer_concern=7, sale_concern=3)
    GridPosition(customer_concern=7.0, sale_concern=3.0)
    """

    name = "grid"
    aliases = ("grid-position",)
    description = "Any sales-grid point: fleeces with p = sc(1 - cc), retaliates with p = sc."
    memory_depth = 1
    stochastic = True
    citation = _GRID

    def __init__(self, *, customer_concern: float = 5.0, sale_concern: float = 5.0) -> None:
        self.customer_concern = self._check_number("customer_concern", customer_concern, 1, 9)
        self.sale_concern = self._check_number("sale_concern", sale_concern, 1, 9)

    def decide(self, view: HistoryView, rng: np.random.Generator) -> NDArray[np.int8]:
        return grid_actions(self.customer_concern, self.sale_concern, view, rng)
