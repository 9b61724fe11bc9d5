"""Sales behaviours: walking away, stop-loss investing, and the five sales-grid profiles.

The source documents describe how sellers and customers actually behave: customers who
were cheated once leave ("customers only need to be cheated once"), investors who "give
first" but keep a stop-loss line (止损线, seeds/001), and the sales grid of Blake and
Mouton (concern for the sale x concern for the customer, 1..9 each, so "9.1" is all sale
and "1.9" all customer; seeds/004 lists the five types 1.1, 1.9, 5.5, 9.1, 9.9).

Each grid profile carries ``customer_concern`` and ``sale_concern`` (1..9), which the
market model maps to margin, service and concessions, plus a repeated-game behavioural
rule stated in its docstring. Actions: 0 = cooperate (deal fair / pay and stay),
1 = defect (fleece / take).

References:
    Blake, R. R. & Mouton, J. S. (1970). *The Grid for Sales Excellence*. McGraw-Hill.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from numpy.typing import NDArray

from longgame.strategies._base import C, D, HistoryView, Strategy, defect_where
from longgame.strategies.classic import AlwaysCooperate, AlwaysDefect, GenerousTitForTat

__all__ = [
    "GridConsultative",
    "GridCountryClub",
    "GridHardSell",
    "GridImpoverished",
    "GridMiddleOfTheRoad",
    "GridPosition",
    "StopLossInvestor",
    "WalkAway",
]

_GRID = (
    "Blake, R. R. & Mouton, J. S. (1970). The Grid for Sales Excellence. McGraw-Hill; "
    "the five salesperson types in seeds/004."
)


class WalkAway(Strategy):
    """Deals fair, and leaves the relationship right after a bad deal (partner defected).

    The customer of the source documents who "only needs to be cheated once": one
    fleecing ends the relationship for both sides. Source: seeds/001 and seeds/003.
    """

    name = "walk-away"
    aliases = ("walker", "one-strike")
    description = "Cooperates; ends the relationship right after the partner defects."
    memory_depth = 1
    citation = "Source documents seeds/001 (one-shot fleecing loses the customer)."

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


class GridImpoverished(Strategy):
    """Sales grid 1.1, impoverished: low concern for the customer and for the sale.

    Rule: puts no effort into the relationship; each round it deals fair or fleeces at
    random (probability 1/2), ignoring what the partner does.
    """

    name = "grid-1.1"
    aliases = ("impoverished",)
    description = "Grid 1.1: indifferent; deals fair or fleeces at random, ignoring the partner."
    memory_depth = 0
    stochastic = True
    citation = _GRID
    customer_concern: ClassVar[int] = 1
    sale_concern: ClassVar[int] = 1

    def decide(self, view: HistoryView, rng: np.random.Generator) -> NDArray[np.int8]:
        return defect_where(rng.random(view.n) < 0.5)


class GridCountryClub(AlwaysCooperate):
    """Sales grid 1.9, country club / friends first: all concern for the customer.

    Rule: always deals fair and forgives every taker (unconditional cooperation), which
    pure takers exploit.
    """

    name = "grid-1.9"
    aliases = ("country-club", "friends-first")
    description = "Grid 1.9: friends first; always deals fair and forgives takers."
    citation = _GRID
    customer_concern: ClassVar[int] = 9
    sale_concern: ClassVar[int] = 1


class GridMiddleOfTheRoad(Strategy):
    """Sales grid 5.5, middle of the road: half concern for each side.

    Rule: splits the difference over time, alternating a fair deal and a hard one
    (C, D, C, D, ...), whatever the partner does.
    """

    name = "grid-5.5"
    aliases = ("middle-of-the-road", "compromiser")
    description = "Grid 5.5: compromise; alternates fair and hard deals."
    memory_depth = 1
    citation = _GRID
    customer_concern: ClassVar[int] = 5
    sale_concern: ClassVar[int] = 5

    def decide(self, view: HistoryView, rng: np.random.Generator) -> NDArray[np.int8]:
        return defect_where(view.own_last[:, 0] == C)


class GridHardSell(AlwaysDefect):
    """Sales grid 9.1, hard sell / authority-compliance: all concern for the sale.

    Rule: fleeces every time (always defects), the one-shot fleecer.
    """

    name = "grid-9.1"
    aliases = ("hard-sell", "authority-compliance", "push")
    description = "Grid 9.1: hard sell; fleeces every time."
    citation = _GRID
    customer_concern: ClassVar[int] = 1
    sale_concern: ClassVar[int] = 9


class GridConsultative(GenerousTitForTat):
    """Sales grid 9.9, consultative / team: high concern for the customer and the sale.

    Rule: deals fair first, answers a taker's fleecing with a hard deal the next round
    (tit for tat), but forgives with probability ``generosity`` so that one mistake does
    not end a good relationship (generous tit for tat, Nowak & Sigmund 1992).

    Args:
        generosity: probability of dealing fair after the partner took, in [0, 1].
    """

    name = "grid-9.9"
    aliases = ("consultative", "team")
    description = "Grid 9.9: consultative; reciprocates like tit for tat but forgives."
    citation = _GRID
    customer_concern: ClassVar[int] = 9
    sale_concern: ClassVar[int] = 9

    def __init__(self, *, generosity: float = 0.1) -> None:
        super().__init__(generosity=generosity)


class GridPosition(Strategy):
    """Any point of the sales grid: the continuous family behind the five profiles.

    With ``cc = (customer_concern - 1) / 8`` and ``sc = (sale_concern - 1) / 8`` in [0, 1]:

    Rule: each round it fleeces on purpose with probability ``sc * (1 - cc)`` (how much
    the sale outweighs the customer), and after the partner took it answers with a hard
    deal with probability ``sc`` (concern for the sale means not letting takers take).
    The corners reproduce the named profiles' repeated-game rules where they are
    reciprocal: (9, 1) always fleeces like grid 9.1, (1, 9) always deals fair like grid
    1.9, (9, 9) is tit for tat like grid 9.9 without its generosity. The market model
    also reads the two concerns for margin, service and concessions, so a sweep over
    ``customer_concern`` x ``sale_concern`` maps the whole grid.

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
        cc = (self.customer_concern - 1.0) / 8.0
        sc = (self.sale_concern - 1.0) / 8.0
        u = rng.random((2, view.n))
        took = view.partner_last[:, 0] == D
        return defect_where((u[0] < sc * (1.0 - cc)) | (took & (u[1] < sc)))
