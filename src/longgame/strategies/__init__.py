"""Strategies: the protocol, the registry, and the built-ins.

A strategy decides for a batch of relationships at once (one call per round for all of
its relationships) from a :class:`HistoryView`, and may end relationships
(:meth:`Strategy.exit`). Classes register themselves by ``name``; look them up with
:func:`get_strategy` by name, alias (sales names such as ``"fleecer"``), import path
``"package.module:ClassName"``, or the ``longgame.strategies`` entry point group.

>>> from longgame.strategies import get_strategy, registry
>>> get_strategy("fleecer")
AlwaysDefect()
>>> "grid-9.9" in registry()
True
"""

from __future__ import annotations

from longgame.strategies._automaton import Automaton
from longgame.strategies._base import (
    NO_ACTION,
    Actions,
    C,
    D,
    HistoryView,
    State,
    Strategy,
    defect_where,
    describe,
)
from longgame.strategies._registry import (
    ENTRY_POINT_GROUP,
    get_strategy,
    known_names,
    register,
    registry,
    resolve,
)
from longgame.strategies.classic import (
    Alternator,
    AlwaysCooperate,
    AlwaysDefect,
    GenerousTitForTat,
    Grudger,
    Prober,
    Random,
    TitForTat,
    TitForTwoTats,
    WinStayLoseShift,
)
from longgame.strategies.reputation import Builder, Milker, OptimalOpportunist
from longgame.strategies.sales import (
    GridConsultative,
    GridCountryClub,
    GridHardSell,
    GridImpoverished,
    GridMiddleOfTheRoad,
    GridPosition,
    StopLossInvestor,
    WalkAway,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "NO_ACTION",
    "Actions",
    "Alternator",
    "AlwaysCooperate",
    "AlwaysDefect",
    "Automaton",
    "Builder",
    "C",
    "D",
    "GenerousTitForTat",
    "GridConsultative",
    "GridCountryClub",
    "GridHardSell",
    "GridImpoverished",
    "GridMiddleOfTheRoad",
    "GridPosition",
    "Grudger",
    "HistoryView",
    "Milker",
    "OptimalOpportunist",
    "Prober",
    "Random",
    "State",
    "StopLossInvestor",
    "Strategy",
    "TitForTat",
    "TitForTwoTats",
    "WalkAway",
    "WinStayLoseShift",
    "defect_where",
    "describe",
    "get_strategy",
    "known_names",
    "register",
    "registry",
    "resolve",
]
