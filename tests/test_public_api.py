"""The public namespace of longgame and its user-facing subpackages, locked.

Adding or removing a public name is an API change: update the expected list here in the
same commit, on purpose. ``import longgame`` staying light is checked in
tests/cli/test_cli_main.py.
"""

from __future__ import annotations

import importlib

import pytest

EXPECTED: dict[str, list[str]] = {
    "longgame": [
        "InputError",
        "__version__",
        "analysis",
        "experiments",
        "games",
        "load_results",
        "models",
        "play",
        "plots",
        "report",
        "strategies",
        "testing",
    ],
    "longgame.games": [
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
    ],
    "longgame.strategies": [
        "Actions",
        "Alternator",
        "AlwaysCooperate",
        "AlwaysDefect",
        "Automaton",
        "Builder",
        "C",
        "D",
        "ENTRY_POINT_GROUP",
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
        "NO_ACTION",
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
    ],
    "longgame.experiments": [
        "Experiment",
        "Results",
        "load_config",
        "load_results",
        "long_run_values",
        "parse_override",
        "run_experiment",
        "run_id",
        "summarise",
    ],
    "longgame.analysis": [
        "SBGFit",
        "clv",
        "clv_from_cash_flows",
        "fit_sbg",
        "kaplan_meier",
        "retention_by_period",
        "retention_rate",
        "simulate_cash_flows",
        "survivor_counts",
    ],
    "longgame.plots": [
        "Chart",
        "FIGURE_KINDS",
        "belief_over_time",
        "cooperator_share",
        "cumulative_profit",
        "draw_figures",
        "five_rules_thresholds",
        "group_label",
        "iter_figures",
        "ladder_by_pace",
        "learning_phase",
        "learning_shares",
        "long_run_payoff",
        "metric_label",
        "milker_rating",
        "param_label",
        "payoff_matrix",
        "plot_results",
        "retention_sweep",
        "save_chart",
        "save_figures",
        "story",
        "strategy_color",
        "strategy_shares",
        "survival_curves",
        "sweep_heatmap",
    ],
    "longgame.report": [
        "caveats",
        "headline_answer",
        "headlines",
        "render_html",
        "render_slides",
        "setup_lines",
        "write_report",
        "write_slides",
    ],
}


@pytest.mark.parametrize("module_name", sorted(EXPECTED))
def test_public_names_are_locked(module_name: str) -> None:
    """The sorted ``__all__`` of each public package is exactly the expected list."""
    module = importlib.import_module(module_name)
    assert sorted(module.__all__) == EXPECTED[module_name]


@pytest.mark.parametrize("module_name", sorted(EXPECTED))
def test_every_public_name_is_importable(module_name: str) -> None:
    """Every name in ``__all__`` resolves, so ``from module import *`` cannot fail."""
    module = importlib.import_module(module_name)
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert missing == []
    assert len(set(module.__all__)) == len(module.__all__), "duplicate names in __all__"


def test_top_level_subpackages_load_lazily() -> None:
    """Each subpackage named in ``longgame.__all__`` is reachable as ``longgame.NAME``."""
    import longgame

    subpackages = [n for n in longgame.__all__ if n.islower() and n not in ("load_results",)]
    for name in subpackages:
        if name.startswith("_"):
            continue
        assert getattr(longgame, name).__name__ == f"longgame.{name}"
