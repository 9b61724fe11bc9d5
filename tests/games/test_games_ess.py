"""Evolutionarily stable strategies of symmetric games against their textbook values."""

from __future__ import annotations

import pytest

from longgame.errors import InputError
from longgame.games import (
    Game,
    boxed_pigs,
    evolutionarily_stable_strategies,
    hawk_dove,
    prisoners_dilemma,
    stag_hunt,
)


@pytest.mark.parametrize(("V", "C"), [(2.0, 4.0), (1.0, 3.0), (3.0, 10.0), (5.0, 6.0)])
def test_hawk_dove_mixed_ess_plays_hawk_with_probability_v_over_c(V: float, C: float) -> None:
    """With V < C the only ESS plays hawk with probability exactly V/C."""
    (ess,) = evolutionarily_stable_strategies(hawk_dove(V=V, C=C))
    assert ess == pytest.approx((V / C, 1 - V / C), abs=1e-9)


def test_hawk_dove_with_cheap_fights_has_pure_hawk_ess() -> None:
    """With V > C hawk is strictly dominant, so pure hawk is the ESS."""
    assert evolutionarily_stable_strategies(hawk_dove(V=4, C=2)) == [(1.0, 0.0)]


def test_rock_paper_scissors_has_no_ess() -> None:
    """The zero-sum RPS mix is a Nash equilibrium but z.Az = 0 on the face: no ESS."""
    a = [[0, -1, 1], [1, 0, -1], [-1, 1, 0]]
    moves = ("rock", "paper", "scissors")
    rps = Game.from_matrices(
        "rps", ("row", "column"), (moves, moves), a, [list(r) for r in zip(*a, strict=True)]
    )
    assert evolutionarily_stable_strategies(rps) == []


def test_neutral_tie_is_stable_only_when_the_incumbent_does_better_against_the_mutant() -> None:
    """a_ii == a_ji needs a_ij > a_jj (second ESS condition); equality is not enough."""

    def game(a_ij: float) -> Game:
        a = [[1.0, a_ij], [1.0, 0.5]]  # row 0 ties row 1 against row 0
        return Game.from_matrices(
            "tie", ("row", "column"), (("i", "j"), ("i", "j")), a, [[1.0, 1.0], [a_ij, 0.5]]
        )

    assert (1.0, 0.0) in evolutionarily_stable_strategies(game(0.6))
    assert (1.0, 0.0) not in evolutionarily_stable_strategies(game(0.5))
    assert (1.0, 0.0) not in evolutionarily_stable_strategies(game(0.4))


def test_pd_and_stag_hunt() -> None:
    """Defect is the PD's ESS; the stag hunt's two pure conventions are ESS, its mix is not."""
    assert evolutionarily_stable_strategies(prisoners_dilemma()) == [(0.0, 1.0)]
    assert evolutionarily_stable_strategies(stag_hunt()) == [(1.0, 0.0), (0.0, 1.0)]


def test_asymmetric_game_is_refused() -> None:
    """The boxed pigs are asymmetric: a one-line InputError naming the game."""
    with pytest.raises(InputError, match="boxed-pigs: not a symmetric game"):
        evolutionarily_stable_strategies(boxed_pigs())
