"""Tests for the Game value object: validation, immutability, value semantics, rendering."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from hypothesis import given

from generators import bimatrix_games
from longgame.errors import InputError
from longgame.games import Game, boxed_pigs

ACTIONS = (("a", "b"), ("x", "y"))
PAYOFFS = [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]


def test_fields_are_normalised():
    """Players and actions become tuples and payoffs a float64 array of shape (n, m, 2)."""
    g = Game("g", ["p", "q"], [["a", "b"], ["x", "y"]], PAYOFFS)
    assert g.players == ("p", "q")
    assert g.actions == ACTIONS
    assert g.payoffs.dtype == np.float64
    assert g.payoffs.shape == (2, 2, 2)
    assert g.shape == (2, 2)
    np.testing.assert_array_equal(g.row_payoffs, [[1, 3], [5, 7]])
    np.testing.assert_array_equal(g.col_payoffs, [[2, 4], [6, 8]])


def test_payoffs_are_read_only_copies():
    """The game copies its payoff input and refuses writes to its array and attributes."""
    source = np.array(PAYOFFS, dtype=float)
    g = Game("g", ("p", "q"), ACTIONS, source)
    source[0, 0, 0] = 99
    assert g.payoffs[0, 0, 0] == 1
    with pytest.raises(ValueError, match="read-only"):
        g.payoffs[0, 0, 0] = 2
    with pytest.raises(AttributeError):
        g.name = "other"  # type: ignore[misc]


def test_equality_and_hash_by_value():
    """Games built from equal inputs are equal and hash equal; any difference breaks it."""
    g1 = Game("g", ("p", "q"), ACTIONS, PAYOFFS)
    g2 = Game("g", ("p", "q"), ACTIONS, np.array(PAYOFFS, dtype=np.int64))
    assert g1 == g2
    assert hash(g1) == hash(g2)
    assert len({g1, g2}) == 1
    changed = np.array(PAYOFFS, dtype=float)
    changed[1, 1, 1] = 8.5
    assert g1 != Game("g", ("p", "q"), ACTIONS, changed)
    assert g1 != Game("h", ("p", "q"), ACTIONS, PAYOFFS)
    assert g1 != Game("g", ("p", "r"), ACTIONS, PAYOFFS)
    assert g1 != "g"


@given(bimatrix_games())
def test_pickle_and_repr_round_trip(game):
    """A game survives pickling and ``eval(repr(game))`` unchanged."""
    assert pickle.loads(pickle.dumps(game)) == game
    assert eval(repr(game), {"Game": Game}) == game


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": ""}, "game name"),
        ({"players": ("p",)}, "players="),
        ({"players": ("p", "p")}, "distinct names"),
        ({"actions": (("a", "a"), ("x", "y"))}, "repeat a name"),
        ({"actions": ((), ("x", "y"))}, "no actions"),
        ({"actions": (("a", "b"),)}, "one tuple per player"),
        ({"payoffs": [[1, 2], [3, 4]]}, r"expected \(2, 2, 2\)"),
        ({"payoffs": [[[1, 2], [3, np.nan]], [[5, 6], [7, 8]]]}, "not finite"),
        ({"payoffs": [[["a", 2], [3, 4]], [[5, 6], [7, 8]]]}, "not a numeric array"),
    ],
)
def test_invalid_input_is_rejected_with_a_named_problem(kwargs, message):
    """Malformed games raise InputError (a ValueError) naming what is wrong."""
    args = {"name": "g", "players": ("p", "q"), "actions": ACTIONS, "payoffs": PAYOFFS} | kwargs
    with pytest.raises(InputError, match=message):
        Game(**args)


def test_several_problems_are_reported_together():
    """Every independent problem gets its own line in one error."""
    with pytest.raises(InputError) as info:
        Game("g", ("p", "p"), (("a", "a"), ("x",)), PAYOFFS)
    assert len(info.value.problems) == 2


def test_from_matrices_stacks_both_players():
    """from_matrices builds the same game as the stacked payoff array."""
    g = Game.from_matrices("g", ("p", "q"), ACTIONS, [[1, 3], [5, 7]], [[2, 4], [6, 8]])
    assert g == Game("g", ("p", "q"), ACTIONS, PAYOFFS)
    with pytest.raises(InputError, match="same shape"):
        Game.from_matrices("g", ("p", "q"), ACTIONS, [[1, 3]], [[2, 4], [6, 8]])


def test_action_and_player_lookup():
    """Actions are found by player name or position; unknown names get a hint."""
    g = boxed_pigs()
    assert g.action_index("small", "wait") == 1
    assert g.action_index(0, "press") == 0
    assert g.player_index("small") == 1
    with pytest.raises(InputError, match="did you mean 'wait'"):
        g.action_index("small", "wiat")
    with pytest.raises(InputError, match="unknown player 'medium'"):
        g.action_index("medium", "wait")


def test_str_renders_a_payoff_table():
    """The text table shows players, actions and both payoffs of each cell."""
    text = str(boxed_pigs())
    assert text.splitlines()[0] == "boxed-pigs (rows: big, columns: small)"
    assert "9, -1" in text
    assert "5, 1" in text
    assert "4, 4*" in boxed_pigs().table(marks=[("press", "wait")])
