"""Tests for the stage-game catalog: calibrations, parameter validation, lookup by name."""

from __future__ import annotations

import inspect

import pytest
from hypothesis import given
from hypothesis import strategies as st

from longgame.errors import InputError
from longgame.games import (
    Game,
    boxed_pigs,
    catalog,
    donation_game,
    game_names,
    get_game,
    hawk_dove,
    is_zero_sum,
    parse_settings,
    prisoners_dilemma,
    pure_equilibria,
    sales_exchange,
    stag_hunt,
    trust_game,
    validate_game_params,
)

CATALOG_FUNCTIONS = {
    "boxed-pigs": boxed_pigs,
    "sales-exchange": sales_exchange,
    "prisoners-dilemma": prisoners_dilemma,
    "donation-game": donation_game,
    "trust-game": trust_game,
    "hawk-dove": hawk_dove,
    "stag-hunt": stag_hunt,
}


def test_boxed_pigs_calibration_matches_the_source_documents():
    """Food 10, cost 2, splits 9:1, 7:3, 6:4 give the net payoffs listed in seeds/004."""
    g = boxed_pigs()
    assert g.players == ("big", "small")
    assert g.actions == (("press", "wait"), ("press", "wait"))
    assert g.payoffs.tolist() == [[[5, 1], [4, 4]], [[9, -1], [0, 0]]]
    assert pure_equilibria(g) == [("press", "wait")]


@given(st.floats(6.01, 50))
def test_nobody_presses_when_pressing_costs_more_than_the_big_pigs_take(cost):
    """With press_cost above food x big_share_small_first (6), the only equilibrium is waiting."""
    assert pure_equilibria(boxed_pigs(press_cost=cost)) == [("wait", "wait")]


def test_small_pig_presses_when_pressing_pays_it_more():
    """If arriving together gives the small pig more than following, its choice flips."""
    g = boxed_pigs(big_share_big_first=0.5, big_share_together=0.3)
    assert pure_equilibria(g) == [("wait", "press")]


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("boxed-pigs", {"press_cost": -1}, "press_cost=-1 is out of range; expected a number >= 0"),
        ("boxed-pigs", {"food": 0}, "food=0 is out of range; expected a number > 0"),
        ("boxed-pigs", {"big_share_together": 1.5}, r"expected a share in \[0, 1\]"),
        ("sales-exchange", {"customer_harm": -2}, "customer_harm=-2 is out of range"),
        ("prisoners-dilemma", {"T": 3}, r"T=3 is out of range; expected T > R \(R=3\)"),
        ("prisoners-dilemma", {"P": -1}, r"P=-1 is out of range; expected P > S"),
        ("donation-game", {"b": 0.5}, r"b=0.5 is out of range; expected b > c"),
        ("donation-game", {"c": 0}, "c=0 is out of range"),
        (
            "trust-game",
            {"multiplier": 0.5},
            "multiplier=0.5 is out of range; expected a number >= 1",
        ),
        ("hawk-dove", {"C": -4}, "C=-4 is out of range"),
        ("stag-hunt", {"hare": 5}, r"stag=4 is out of range; expected stag > hare"),
    ],
)
def test_senseless_parameters_are_rejected_with_name_and_range(name, params, message):
    """Each game refuses out-of-range parameters, naming the game, parameter and range."""
    with pytest.raises(InputError, match=message) as info:
        get_game(name, **params)
    assert str(info.value).startswith(name)


def test_all_range_problems_are_reported_at_once():
    """Two bad parameters give two problem lines."""
    with pytest.raises(InputError) as info:
        boxed_pigs(food=-1, press_cost=-1)
    assert len(info.value.problems) == 2


def test_non_numbers_are_rejected():
    """Non-numeric and non-finite values are refused with the parameter's name."""
    with pytest.raises(InputError, match="press_cost='x' is not a number"):
        get_game("boxed-pigs", press_cost="x")
    with pytest.raises(InputError, match="food=inf is not finite"):
        get_game("boxed-pigs", food=float("inf"))
    with pytest.raises(InputError, match="not a number"):
        boxed_pigs(food=True)


def test_strings_from_the_command_line_are_parsed_to_numbers():
    """``--set`` values arrive as strings and build the same game as numbers."""
    assert get_game("boxed-pigs", press_cost="3", food=" 12 ") == boxed_pigs(press_cost=3, food=12)
    assert validate_game_params("hawk-dove", {"V": "1e0"}) == {"V": 1.0}


def test_unknown_names_get_a_hint():
    """Unknown games and parameters list the choices and suggest the closest name."""
    with pytest.raises(InputError, match="did you mean 'boxed-pigs'"):
        get_game("boxed-pig")
    with pytest.raises(
        InputError, match=r"unknown parameter 'presscost'.*did you mean 'press_cost'"
    ):
        get_game("boxed-pigs", presscost=3)


def test_snake_case_names_are_accepted():
    """``boxed_pigs`` and ``Boxed-Pigs`` name the same game as ``boxed-pigs``."""
    assert get_game("boxed_pigs") == get_game("Boxed-Pigs") == boxed_pigs()


def test_catalog_lists_every_game_with_defaults_and_docs():
    """Each entry matches its function's signature and documents every parameter."""
    entries = {e.name: e for e in catalog()}
    assert set(entries) == set(CATALOG_FUNCTIONS) == set(game_names())
    for name, func in CATALOG_FUNCTIONS.items():
        entry = entries[name]
        assert entry.function is func
        sig = inspect.signature(func)
        assert dict(entry.defaults) == {k: p.default for k, p in sig.parameters.items()}
        assert set(entry.parameter_docs) == set(entry.defaults), name
        assert all(entry.parameter_docs.values())
        assert entry.summary
        game = entry()
        assert isinstance(game, Game)
        assert game.name == name
        assert game == func()


def test_sales_exchange_payoffs_and_zero_sum_condition():
    """Fair deals split the surplus; fleecing shifts it; zero-sum iff no surplus and a transfer."""
    g = sales_exchange(value=10, cost=4, price=7, fleece_gain=4, customer_harm=6)
    assert g.payoffs.tolist() == [[[3, 3], [0, 0]], [[7, -3], [0, 0]]]
    assert pure_equilibria(g) == [("fleece", "walk")]
    assert not is_zero_sum(g)
    assert is_zero_sum(sales_exchange(value=5, cost=5, fleece_gain=2, customer_harm=2))
    assert not is_zero_sum(sales_exchange(value=5, cost=5, fleece_gain=2, customer_harm=3))


def test_parse_settings():
    """``key=value`` pairs are split; malformed ones are all reported."""
    assert parse_settings(["a=1", "b = 2"]) == {"a": "1", "b": "2"}
    with pytest.raises(InputError) as info:
        parse_settings(["a", "=3", "c="])
    assert len(info.value.problems) == 3
    assert "expected key=value" in info.value.problems[0]


def test_unknown_and_out_of_range_parameters_are_reported_together():
    """A misspelt name and an out-of-range value are both listed in one error."""
    with pytest.raises(InputError) as info:
        get_game("boxed-pigs", fod=3, press_cost=-1)
    assert len(info.value.problems) == 2
    assert "unknown parameter 'fod'" in info.value.problems[0]
    assert "press_cost=-1 is out of range" in info.value.problems[1]
