"""Stage games: immutable :class:`Game` values, a catalog, and equilibrium analysis.

>>> from longgame.games import boxed_pigs, get_game
>>> g = boxed_pigs()
>>> g.pure_equilibria()
[('press', 'wait')]
>>> get_game("boxed-pigs", press_cost=7).pure_equilibria()
[('wait', 'wait')]

The analysis functions live in :mod:`longgame.games.analysis` and are re-exported here.
"""

from __future__ import annotations

from longgame.games._game import Game
from longgame.games.analysis import (
    MixedEquilibrium,
    describe,
    dominated_actions,
    evolutionarily_stable_strategies,
    grim_trigger_threshold,
    is_constant_sum,
    is_zero_sum,
    iterated_elimination,
    mixed_equilibria,
    pareto_optimal,
    pd_payoffs,
    pure_equilibria,
    tft_stability_bound,
)
from longgame.games.catalog import (
    CatalogEntry,
    boxed_pigs,
    catalog,
    donation_game,
    game_names,
    get_game,
    hawk_dove,
    parse_settings,
    prisoners_dilemma,
    sales_exchange,
    stag_hunt,
    trust_game,
    validate_game_params,
)

__all__ = [
    "CatalogEntry",
    "Game",
    "MixedEquilibrium",
    "boxed_pigs",
    "catalog",
    "describe",
    "dominated_actions",
    "donation_game",
    "evolutionarily_stable_strategies",
    "game_names",
    "get_game",
    "grim_trigger_threshold",
    "hawk_dove",
    "is_constant_sum",
    "is_zero_sum",
    "iterated_elimination",
    "mixed_equilibria",
    "pareto_optimal",
    "parse_settings",
    "pd_payoffs",
    "prisoners_dilemma",
    "pure_equilibria",
    "sales_exchange",
    "stag_hunt",
    "tft_stability_bound",
    "trust_game",
    "validate_game_params",
]
