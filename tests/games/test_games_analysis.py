"""Tests for the equilibrium, dominance and threshold analysis of stage games."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest
from hypothesis import given

from generators import bimatrix_games
from longgame.errors import InputError
from longgame.games import (
    Game,
    MixedEquilibrium,
    boxed_pigs,
    describe,
    dominated_actions,
    donation_game,
    grim_trigger_threshold,
    hawk_dove,
    is_constant_sum,
    is_zero_sum,
    iterated_elimination,
    mixed_equilibria,
    pareto_optimal,
    pd_payoffs,
    prisoners_dilemma,
    pure_equilibria,
    sales_exchange,
    stag_hunt,
    tft_stability_bound,
    trust_game,
)

TOL = 1e-6


def _indices(game, profile):
    return game.action_index(0, profile[0]), game.action_index(1, profile[1])


def _brute_force_pure(game):
    A, B = game.row_payoffs, game.col_payoffs
    return [
        (game.actions[0][i], game.actions[1][j])
        for i, j in itertools.product(range(game.shape[0]), range(game.shape[1]))
        if A[i, j] >= A[:, j].max() - 1e-9 and B[i, j] >= B[i, :].max() - 1e-9
    ]


# -- properties on random games ---------------------------------------------------------
@given(bimatrix_games())
def test_pure_equilibria_are_exactly_the_mutual_best_responses(game):
    """Every listed pure equilibrium is a mutual best response, and none is missed."""
    found = pure_equilibria(game)
    for profile in found:
        i, j = _indices(game, profile)
        assert game.row_payoffs[i, j] >= game.row_payoffs[:, j].max() - 1e-9
        assert game.col_payoffs[i, j] >= game.col_payoffs[i, :].max() - 1e-9
    assert found == _brute_force_pure(game)


@given(bimatrix_games())
def test_mixed_equilibria_satisfy_indifference(game):
    """In each equilibrium every action in a support earns the same and none outside more."""
    equilibria = mixed_equilibria(game)
    assert equilibria, "every finite game has a Nash equilibrium (Nash 1951)"
    A, B = game.row_payoffs, game.col_payoffs
    for e in equilibria:
        x, y = np.array(e.probabilities[0]), np.array(e.probabilities[1])
        assert x.sum() == pytest.approx(1.0)
        assert y.sum() == pytest.approx(1.0)
        assert (x >= 0).all()
        assert (y >= 0).all()
        row_values, col_values = A @ y, x @ B
        for values, mix, u in ((row_values, x, e.payoffs[0]), (col_values, y, e.payoffs[1])):
            support = mix > 0
            assert np.allclose(values[support], u, atol=TOL)
            assert (values[~support] <= u + TOL).all()


@given(bimatrix_games())
def test_pure_equilibria_appear_among_mixed_equilibria(game):
    """Each pure equilibrium is listed among the mixed ones with probabilities exactly 0/1."""
    mixed = {e.probabilities for e in mixed_equilibria(game) if e.is_pure}
    for profile in pure_equilibria(game):
        i, j = _indices(game, profile)
        x = tuple(1.0 if k == i else 0.0 for k in range(game.shape[0]))
        y = tuple(1.0 if k == j else 0.0 for k in range(game.shape[1]))
        assert (x, y) in mixed


@given(bimatrix_games())
def test_mixed_equilibria_have_no_duplicates(game):
    """No two listed equilibria are the same up to float noise."""
    eqs = [np.concatenate(e.probabilities) for e in mixed_equilibria(game)]
    for a, b in itertools.combinations(eqs, 2):
        assert not np.allclose(a, b, atol=1e-7)


@given(bimatrix_games())
def test_strictly_dominated_actions_are_never_played_in_equilibrium(game):
    """No strictly dominated action appears in a pure equilibrium or a mixed support."""
    dominated = dominated_actions(game, strict=True)
    for p, player in enumerate(game.players):
        bad = {game.action_index(p, a) for a in dominated[player]}
        for profile in pure_equilibria(game):
            assert game.action_index(p, profile[p]) not in bad
        for e in mixed_equilibria(game):
            assert not bad & set(e.support(p))


@given(bimatrix_games())
def test_actions_dominated_by_a_mix_are_never_played_in_equilibrium(game):
    """Pure dominance implies mixed dominance, and mixed-dominated actions get no weight."""
    pure = dominated_actions(game, strict=True)
    mixed = dominated_actions(game, strict=True, by_mixed=True)
    for p, player in enumerate(game.players):
        assert set(pure[player]) <= set(mixed[player])
        bad = {game.action_index(p, a) for a in mixed[player]}
        for e in mixed_equilibria(game):
            assert not bad & set(e.support(p))


@given(bimatrix_games())
def test_mixed_weak_dominance_contains_pure_weak_dominance(game):
    """Every action weakly dominated by a pure action is weakly dominated by a mix."""
    pure = dominated_actions(game, strict=False)
    mixed = dominated_actions(game, strict=False, by_mixed=True)
    for player in game.players:
        assert set(pure[player]) <= set(mixed[player])


def test_mixed_dominance_catches_what_pure_dominance_misses():
    """An action beaten only by a 50:50 mix of two others is found with by_mixed=True."""
    g = Game(
        "mix",
        ("r", "c"),
        (("top", "mid", "bottom"), ("left", "right")),
        [[[3, 0], [0, 1]], [[0, 1], [3, 0]], [[1, 0], [1, 0]]],
    )
    assert dominated_actions(g)["r"] == ()
    assert dominated_actions(g, by_mixed=True)["r"] == ("bottom",)
    assert iterated_elimination(g).actions[0] == ("top", "mid", "bottom")
    assert iterated_elimination(g, by_mixed=True).actions[0] == ("top", "mid")
    # a third column where every action earns 0: no mix can beat "bottom" strictly there
    A = [[3, 0, 0], [0, 3, 0], [1.5, 1, 0]]
    tie = Game.from_matrices(
        "tie", g.players, (g.actions[0], ("left", "right", "far")), A, np.zeros((3, 3))
    )
    assert dominated_actions(tie, by_mixed=True)["r"] == ()
    assert dominated_actions(tie, strict=False)["r"] == ()
    assert dominated_actions(tie, strict=False, by_mixed=True)["r"] == ("bottom",)


@given(bimatrix_games())
def test_strict_dominance_implies_weak_dominance(game):
    """Every strictly dominated action is also weakly dominated."""
    strict = dominated_actions(game, strict=True)
    weak = dominated_actions(game, strict=False)
    for player in game.players:
        assert set(strict[player]) <= set(weak[player])


@given(bimatrix_games())
def test_iterated_elimination_keeps_every_equilibrium(game):
    """The reduced game has no strictly dominated action and keeps every pure equilibrium."""
    reduced = iterated_elimination(game)
    assert all(not v for v in dominated_actions(reduced).values())
    for r, c in pure_equilibria(game):
        assert r in reduced.actions[0]
        assert c in reduced.actions[1]
    assert set(pure_equilibria(reduced)) == set(pure_equilibria(game))


@given(bimatrix_games())
def test_pareto_optimal_profiles_are_exactly_the_undominated_ones(game):
    """A profile is listed iff no other profile gives both at least as much and one more."""
    listed = set(pareto_optimal(game))
    assert listed
    cells = {
        (r, c): game.payoffs[i, j]
        for i, r in enumerate(game.actions[0])
        for j, c in enumerate(game.actions[1])
    }
    for profile, u in cells.items():
        beaten = any((v >= u).all() and (v > u).any() for v in cells.values())
        assert (profile in listed) == (not beaten)


@given(bimatrix_games())
def test_zero_and_constant_sum_agree_with_cell_sums(game):
    """The zero-sum and constant-sum tests match the sums of the two payoffs per cell."""
    sums = game.payoffs.sum(axis=2)
    assert is_zero_sum(game) == bool(np.allclose(sums, 0.0, atol=1e-9))
    assert is_constant_sum(game) == bool(np.allclose(sums, sums.flat[0], atol=1e-9))
    shifted = Game(game.name, game.players, game.actions, np.stack([sums, -sums], axis=-1) * 0)
    assert is_zero_sum(shifted)
    assert is_constant_sum(shifted)


@given(bimatrix_games(integer=True))
def test_constant_sum_games_built_from_a_matrix_are_detected(game):
    """Setting B = 7 - A always gives a constant-sum game, zero-sum only with B = -A."""
    A = game.row_payoffs
    assert is_constant_sum(Game.from_matrices("k", game.players, game.actions, A, 7 - A))
    assert is_zero_sum(Game.from_matrices("z", game.players, game.actions, A, -A))
    assert not is_zero_sum(Game.from_matrices("k", game.players, game.actions, A, 7 - A))


# -- known games ---------------------------------------------------------------------------
def test_boxed_pigs_analysis_matches_the_source():
    """Small pig's press is strictly dominated; the unique equilibrium is (press, wait)."""
    g = boxed_pigs()
    assert pure_equilibria(g) == [("press", "wait")]
    assert dominated_actions(g) == {"big": (), "small": ("press",)}
    [eq] = mixed_equilibria(g)
    assert eq.probabilities == ((1.0, 0.0), (0.0, 1.0))
    assert eq.payoffs == (4.0, 4.0)
    assert iterated_elimination(g).actions == (("press",), ("wait",))


def test_mixed_equilibrium_probabilities_are_snapped_to_exact_zero_and_one():
    """Float noise from the enumeration is cleaned: pure parts are exactly 0.0 and 1.0."""
    for g in (boxed_pigs(), prisoners_dilemma(), stag_hunt(), hawk_dove()):
        for e in mixed_equilibria(g):
            for mix in e.probabilities:
                for p in mix:
                    assert p in (0.0, 1.0) or 1e-9 < p < 1 - 1e-9


@pytest.mark.parametrize(("V", "C"), [(2, 4), (1, 3), (3, 5)])
def test_hawk_dove_symmetric_mix_plays_hawk_with_probability_V_over_C(V, C):
    """The interior equilibrium of hawk-dove with C > V plays hawk with probability V/C."""
    interior = [e for e in mixed_equilibria(hawk_dove(V=V, C=C)) if not e.is_pure]
    assert len(interior) == 1
    x, y = interior[0].probabilities
    assert x[0] == pytest.approx(V / C)
    assert y[0] == pytest.approx(V / C)


def test_stag_hunt_has_two_pure_and_one_mixed_equilibrium():
    """Stag hunt: (stag, stag), (hare, hare), and a mix with stag probability 3/4 at defaults."""
    g = stag_hunt()
    assert pure_equilibria(g) == [("stag", "stag"), ("hare", "hare")]
    eqs = mixed_equilibria(g)
    assert len(eqs) == 3
    assert eqs[1].probabilities[0][0] == pytest.approx(0.75)


def test_degenerate_game_lists_extreme_equilibria():
    """In the one-shot sales exchange the equilibria are the ends of a segment: customer walks."""
    eqs = mixed_equilibria(sales_exchange())
    assert [e.probabilities[1] for e in eqs] == [(0.0, 1.0)] * len(eqs)
    fleece = sorted(e.probabilities[0][1] for e in eqs)
    assert fleece[0] == pytest.approx(0.5)
    assert fleece[-1] == 1.0


def test_all_zero_game_does_not_crash():
    """A game where every payoff is equal has every profile as an equilibrium."""
    g = Game("flat", ("p", "q"), (("a", "b"), ("x", "y")), np.zeros((2, 2, 2)))
    assert len(pure_equilibria(g)) == 4
    assert len(mixed_equilibria(g)) == 4
    assert is_zero_sum(g)


def test_trust_game_equilibrium_is_keep_and_betray():
    """One-shot trust unravels: the investor keeps, betraying is weakly dominant."""
    g = trust_game()
    assert ("keep", "betray") in pure_equilibria(g)
    assert dominated_actions(g, strict=False)["trustee"] == ("honour",)
    assert ("invest", "honour") in pareto_optimal(g)


def test_pd_payoffs_and_thresholds():
    """T, R, P, S are identified and the two thresholds follow the textbook formulas."""
    g = prisoners_dilemma(T=5, R=3, P=1, S=0)
    assert pd_payoffs(g) == (5, 3, 1, 0)
    assert grim_trigger_threshold(g) == pytest.approx(0.5)
    assert tft_stability_bound(g) == pytest.approx(2 / 3)
    d = donation_game(b=4, c=1)
    assert pd_payoffs(d) == (4, 3, 0, -1)
    assert grim_trigger_threshold(d) == pytest.approx(1 / 4)
    assert tft_stability_bound(d) == pytest.approx(1 / 4)


def test_pd_payoffs_are_found_whatever_the_action_order():
    """Putting defect first still identifies the dilemma."""
    g = prisoners_dilemma()
    swapped = Game("swapped", g.players, (("defect", "cooperate"),) * 2, g.payoffs[::-1, ::-1])
    assert pd_payoffs(swapped) == pd_payoffs(g)


@pytest.mark.parametrize(
    ("game", "message"),
    [
        (boxed_pigs(), "not symmetric"),
        (stag_hunt(), "not a prisoner's dilemma"),
        (hawk_dove(), "not a prisoner's dilemma"),
        (Game("big", ("p", "q"), (("a", "b", "c"), ("x",)), np.zeros((3, 1, 2))), "3x1"),
    ],
)
def test_pd_thresholds_refuse_games_that_are_not_dilemmas(game, message):
    """Threshold functions raise a clear InputError for games that are not PD-like."""
    with pytest.raises(InputError, match=message):
        grim_trigger_threshold(game)
    with pytest.raises(InputError, match=message):
        tft_stability_bound(game)


def test_describe_boxed_pigs_is_exactly_the_documented_object():
    """The JSON object has the documented keys and values, integral numbers as ints."""
    d = describe(boxed_pigs())
    expected = {
        "game": "boxed-pigs",
        "players": ["big", "small"],
        "actions": [["press", "wait"], ["press", "wait"]],
        "payoffs": [[[5, 1], [4, 4]], [[9, -1], [0, 0]]],
        "pure_equilibria": [{"actions": ["press", "wait"], "payoffs": [4, 4]}],
        "mixed_equilibria": [{"probabilities": [[1, 0], [0, 1]], "payoffs": [4, 4]}],
        "dominated": {"small": ["press"]},
        "zero_sum": False,
    }
    assert list(d)[: len(expected)] == list(expected)
    assert {k: d[k] for k in expected} == expected
    assert type(d["payoffs"][0][0][0]) is int
    assert d["prisoners_dilemma"] is None


def test_describe_reports_pd_thresholds_and_parameters():
    """For a dilemma the JSON carries T, R, P, S and both thresholds, plus given parameters."""
    d = describe(prisoners_dilemma(), parameters={"T": 5.0})
    assert d["prisoners_dilemma"] == {
        "T": 5,
        "R": 3,
        "P": 1,
        "S": 0,
        "grim_trigger_threshold": 0.5,
        "tft_stability_bound": pytest.approx(2 / 3),
    }
    assert d["parameters"] == {"T": 5}


def test_pure_and_support_ignore_rounding_noise() -> None:
    """An equilibrium off 0/1 by float noise is still pure, and the noise is not support."""
    eq = MixedEquilibrium(probabilities=((1.0 - 1e-12, 1e-12), (0.0, 1.0)), payoffs=(1.0, 1.0))
    assert eq.is_pure
    assert eq.support(0) == (0,)
    mixed = MixedEquilibrium(probabilities=((0.5, 0.5), (0.0, 1.0)), payoffs=(1.0, 1.0))
    assert not mixed.is_pure
    assert mixed.support(0) == (0, 1)


# -- exact values: degenerate games, weak vs strict dominance, the PD boundary ----------


def _von_stengel_degenerate() -> Game:
    """The degenerate 3 x 2 game of von Stengel (Nisan et al. 2007, eq. 3.7)."""
    A = [[3, 3], [2, 5], [0, 6]]
    B = [[3, 3], [2, 6], [3, 1]]
    return Game("degenerate", ("r", "c"), (("t", "m", "b"), ("l", "r")), np.stack([A, B], axis=2))


def test_degenerate_game_equilibria_with_unequal_supports_are_exact():
    """Against 't' the column player is indifferent, so ('t', y) is an equilibrium for
    y(l) in [2/3, 1] (row best responds when 3 >= 5 - 3y and 3 >= 6 - 6y); its two ends
    (supports of sizes 1 and 2) and the mix ((0, 1/3, 2/3), (1/3, 2/3)) are the extreme
    equilibria."""
    g = _von_stengel_degenerate()
    eqs = mixed_equilibria(g)
    assert len(eqs) == 3
    expected = [
        (((1, 0, 0), (1, 0)), (3, 3)),
        (((1, 0, 0), (2 / 3, 1 / 3)), (3, 3)),
        (((0, 1 / 3, 2 / 3), (1 / 3, 2 / 3)), (4, 8 / 3)),
    ]
    for eq, (probs, pay) in zip(eqs, expected, strict=True):
        assert eq.probabilities[0] == pytest.approx(probs[0], abs=1e-12)
        assert eq.probabilities[1] == pytest.approx(probs[1], abs=1e-12)
        assert eq.payoffs == pytest.approx(pay, abs=1e-12)
    assert [(e.support(0), e.support(1)) for e in eqs] == [
        ((0,), (0,)),
        ((0,), (0, 1)),
        ((1, 2), (0, 1)),
    ]
    assert [e.is_pure for e in eqs] == [True, False, False]
    assert eqs[0].probabilities == ((1.0, 0.0, 0.0), (1.0, 0.0))
    assert pure_equilibria(g) == [("t", "l")]
    assert dominated_actions(g) == {"r": (), "c": ()}
    assert dominated_actions(g, strict=False) == {"r": (), "c": ()}


def test_mixed_equilibria_of_matching_pennies_is_the_unique_half_half_mix():
    """Matching pennies (zero-sum, no pure equilibrium) has only the 50:50 mix, value 0."""
    A = np.array([[1, -1], [-1, 1]])
    g = Game("pennies", ("r", "c"), (("h", "t"), ("h", "t")), np.stack([A, -A], axis=2))
    eqs = mixed_equilibria(g)
    assert [e.probabilities for e in eqs] == [((0.5, 0.5), (0.5, 0.5))]
    assert eqs[0].payoffs == (0.0, 0.0)
    assert pure_equilibria(g) == []
    assert is_zero_sum(g)
    assert is_constant_sum(g)


def test_mixed_equilibrium_payoffs_are_expected_values():
    """Battle of the sexes: the mixed equilibrium pays each side 2/3, exactly as x A y."""
    A = np.array([[2, 0], [0, 1]])
    B = np.array([[1, 0], [0, 2]])
    g = Game("bos", ("r", "c"), (("o", "f"), ("o", "f")), np.stack([A, B], axis=2))
    eqs = mixed_equilibria(g)
    assert len(eqs) == 3
    mix = eqs[1]
    assert mix.probabilities[0] == pytest.approx((2 / 3, 1 / 3))
    assert mix.probabilities[1] == pytest.approx((1 / 3, 2 / 3))
    assert mix.payoffs == pytest.approx((2 / 3, 2 / 3))
    assert [e.payoffs for e in (eqs[0], eqs[2])] == [(2.0, 1.0), (1.0, 2.0)]


def _weak_game() -> Game:
    """Row's 'low' ties 'high' against 'left' and loses against 'right': weakly, not strictly,
    dominated. Column's 'right' is strictly dominated by 'left'."""
    return Game(
        "weak",
        ("r", "c"),
        (("high", "low"), ("left", "right")),
        [[[1, 2], [1, 0]], [[1, 3], [0, 1]]],
    )


def test_weak_and_strict_dominance_are_told_apart():
    """A tie in one column makes dominance weak only; a strict gap everywhere makes it strict."""
    g = _weak_game()
    assert dominated_actions(g) == {"r": (), "c": ("right",)}
    assert dominated_actions(g, strict=False) == {"r": ("low",), "c": ("right",)}
    assert dominated_actions(g, by_mixed=True) == {"r": (), "c": ("right",)}
    assert dominated_actions(g, strict=False, by_mixed=True) == {"r": ("low",), "c": ("right",)}
    d = describe(g)
    assert d["dominated"] == {"c": ["right"]}
    assert d["weakly_dominated"] == {"r": ["low"], "c": ["right"]}
    assert d["dominated_by_mixed"] == {"c": ["right"]}
    # after 'right' goes, 'low' ties 'high' everywhere: strict elimination keeps both
    assert d["iterated_elimination"] == {"r": ["high", "low"], "c": ["left"]}


def test_equal_actions_do_not_dominate_each_other():
    """Two identical actions neither strictly nor weakly dominate each other (pure or mixed)."""
    g = Game("twins", ("r", "c"), (("a", "b"), ("x", "y")), [[[1, 0], [2, 0]], [[1, 0], [2, 0]]])
    for strict in (True, False):
        for by_mixed in (False, True):
            assert dominated_actions(g, strict=strict, by_mixed=by_mixed)["r"] == ()


def test_weak_dominance_by_a_mix_only():
    """'bottom' (2, 2, 0) ties the 50:50 mix of 'top' (4, 0, 1) and 'mid' (0, 4, 1) on two
    columns and loses on the third: weakly dominated by that mix (the only one matching it
    on the first two columns, so not strictly), by neither pure action."""
    A = np.array([[4, 0, 1], [0, 4, 1], [2, 2, 0]])
    g = Game(
        "weak-mix",
        ("r", "c"),
        (("top", "mid", "bottom"), ("left", "centre", "right")),
        np.stack([A, np.zeros_like(A)], axis=2),
    )
    assert dominated_actions(g, strict=False)["r"] == ()
    assert dominated_actions(g, strict=False, by_mixed=True)["r"] == ("bottom",)
    assert dominated_actions(g, strict=True, by_mixed=True)["r"] == ()


def test_iterated_elimination_runs_several_rounds():
    """Elimination needs two rounds here: 'right' goes first, then 'low' becomes dominated."""
    g = Game(
        "two-rounds",
        ("r", "c"),
        (("high", "low"), ("left", "right")),
        [[[2, 2], [0, 1]], [[1, 1], [3, 0]]],
    )
    reduced = iterated_elimination(g)
    assert reduced.actions == (("high",), ("left",))
    assert reduced.payoffs.tolist() == [[[2.0, 2.0]]]
    assert reduced.name == "two-rounds"
    assert reduced.players == ("r", "c")


def _pd_like(T: float, R: float, P: float, S: float) -> Game:
    return Game("pd-like", ("row", "column"), (("c", "d"), ("cc", "dd")),
                [[[R, R], [S, T]], [[T, S], [P, P]]])  # fmt: skip


@pytest.mark.parametrize(
    ("T", "R", "P", "S"), [(3, 3, 1, 0), (5, 3, 3, 0), (5, 3, 1, 1), (5, 1, 3, 0), (3, 5, 1, 0)]
)
def test_pd_boundary_is_not_a_dilemma(T, R, P, S):
    """T == R, R == P or P == S (or any order but T > R > P > S) is not a prisoner's dilemma;
    the message gives the payoffs."""
    g = _pd_like(T, R, P, S)
    message = (
        f"pd-like: payoffs T={T:g}, R={R:g}, P={P:g}, S={S:g} (taking 'c' as cooperation) "
        "are not a prisoner's dilemma under either labelling; expected T > R > P > S"
    )
    with pytest.raises(InputError, match=f"^{re.escape(message)}$"):
        pd_payoffs(g)
    assert describe(g)["prisoners_dilemma"] is None


def test_pd_just_inside_the_boundary_is_a_dilemma():
    """T = R + 0.001 is a dilemma, with grim threshold 0.001/(T-P) and the TFT bound."""
    g = _pd_like(3.001, 3, 1, 0)
    assert pd_payoffs(g) == (3.001, 3.0, 1.0, 0.0)
    assert grim_trigger_threshold(g) == pytest.approx(0.001 / 2.001)
    assert tft_stability_bound(g) == pytest.approx(0.001 / 2.001)
    # the second term of the bound wins when R - S is small
    h = _pd_like(5, 3, 1, 2.5)
    with pytest.raises(InputError):
        pd_payoffs(h)  # P < S: not a dilemma
    k = _pd_like(5, 3, 1, 0.5)
    assert tft_stability_bound(k) == pytest.approx(max(2 / 4, 2 / 2.5))


def test_pd_refusals_have_exact_messages():
    """Non-square and asymmetric games are refused with messages naming the game."""
    big = Game("big", ("p", "q"), (("a", "b", "c"), ("x",)), np.zeros((3, 1, 2)))
    msg = "big: the game is 3x1; prisoner's-dilemma thresholds need a symmetric 2x2 game"
    with pytest.raises(InputError, match=f"^{re.escape(msg)}$"):
        pd_payoffs(big)
    msg = (
        "boxed-pigs: the game is not symmetric (column payoffs are not the transpose of row "
        "payoffs); prisoner's-dilemma thresholds need a symmetric 2x2 game"
    )
    with pytest.raises(InputError, match=f"^{re.escape(msg)}$"):
        pd_payoffs(boxed_pigs())


def test_describe_full_object_of_a_game_with_weak_dominance():
    """Every key of describe() for a small game, with fractions kept to 12 digits."""
    d = describe(_weak_game(), parameters={"x": 0.5, "k": 2.0})
    assert list(d) == [
        "game", "players", "actions", "payoffs", "pure_equilibria", "mixed_equilibria",
        "dominated", "zero_sum", "constant_sum", "weakly_dominated", "dominated_by_mixed",
        "iterated_elimination", "pareto_optimal", "prisoners_dilemma", "parameters",
    ]  # fmt: skip
    assert d["pure_equilibria"] == [
        {"actions": ["high", "left"], "payoffs": [1, 2]},
        {"actions": ["low", "left"], "payoffs": [1, 3]},
    ]
    assert d["pareto_optimal"] == [["low", "left"]]
    assert d["zero_sum"] is False
    assert d["constant_sum"] is False
    assert d["parameters"] == {"x": 0.5, "k": 2}
    assert type(d["parameters"]["k"]) is int
    bos = describe(_pd_like(5, 3, 1, 0.5))["prisoners_dilemma"]
    assert bos == {"T": 5, "R": 3, "P": 1, "S": 0.5, "grim_trigger_threshold": 0.5,
                   "tft_stability_bound": 0.8}  # fmt: skip


def test_constant_sum_is_not_zero_sum():
    """Payoffs adding to 10 everywhere are constant-sum but not zero-sum."""
    A = np.array([[7, 2], [4, 9]])
    g = Game("ten", ("r", "c"), (("a", "b"), ("x", "y")), np.stack([A, 10 - A], axis=2))
    assert is_constant_sum(g)
    assert not is_zero_sum(g)
    h = Game("almost", ("r", "c"), (("a", "b"), ("x", "y")),
             np.stack([A, 10 - A + np.array([[0, 0], [0, 1e-3]])], axis=2))  # fmt: skip
    assert not is_constant_sum(h)


def test_pareto_optimal_ties_are_not_domination():
    """Two profiles with identical payoffs do not dominate each other; a strict gain does."""
    g = Game("ties", ("r", "c"), (("a", "b"), ("x", "y")),
             [[[2, 2], [2, 2]], [[1, 2], [0, 0]]])  # fmt: skip
    assert pareto_optimal(g) == [("a", "x"), ("a", "y")]


def test_equilibrium_check_needs_both_sides_best_responding():
    """The candidate filter accepts a profile only if neither player gains by deviating,
    with ties exact at tolerance 0 and the tolerance scaled by the largest payoff."""
    from longgame.games.analysis import _is_equilibrium

    g = prisoners_dilemma()
    A, B = g.row_payoffs, g.col_payoffs
    c, d = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    assert _is_equilibrium(A, B, d, d, 0.0)
    assert not _is_equilibrium(A, B, d, c, 0.0)  # the column player would defect
    assert not _is_equilibrium(A, B, c, d, 0.0)  # the row player would defect
    assert not _is_equilibrium(A, B, c, c, 0.0)
    # row short of its best reply by 0.01 (cooperating with prob. 0.01 against defect)
    x = np.array([0.01, 0.99])
    assert not _is_equilibrium(A, B, x, d, 0.001)
    assert _is_equilibrium(A, B, x, d, 0.003)
    # scale = the largest payoff of either player: here B's 1000 makes 0.01 < 1e-4 * 1000
    big_b = B * 200.0
    assert _is_equilibrium(A, big_b, x, d, 1e-4)
    assert not _is_equilibrium(A, big_b, x, d, 5e-6)
    big_a = A * 200.0
    assert _is_equilibrium(big_a, B, d, np.array([0.0, 1.0]), 0.0)
    assert not _is_equilibrium(big_a, B, x, d, 1e-5)
    assert _is_equilibrium(big_a, B, x, d, 3e-3)
    # payoffs below 1 in absolute value: the scale stays 1
    assert _is_equilibrium(A / 100, B / 100, x, d, 2e-4)  # short by 1e-4
    assert not _is_equilibrium(A / 100, B / 100, x, d, 8e-5)


def test_cleaning_snaps_noise_and_renormalises():
    """Entries below the tolerance become 0, negatives are clipped, the mix sums to 1."""
    from longgame.games.analysis import _clean

    assert _clean(np.array([0.2, 0.2]), 1e-9).tolist() == [0.5, 0.5]
    assert _clean(np.array([-1e-3, 1.001]), 1e-9).tolist() == [0.0, 1.0]
    assert _clean(np.array([1e-12, 0.5, 0.5]), 1e-9).tolist() == [0.0, 0.5, 0.5]
    kept = _clean(np.array([1e-9, 1.0]), 1e-9)  # exactly at the tolerance: kept
    assert kept[0] > 0
    assert kept.sum() == pytest.approx(1.0)


def _g(rows: list[list[list[float]]]) -> Game:
    n, m = len(rows), len(rows[0])
    return Game("t", ("r", "c"), (tuple("abcd"[:n]), tuple("wxyz"[:m])), rows)


def test_tolerance_boundaries_of_best_responses_and_pure_dominance():
    """Ties count as best responses even at tolerance 0; a gap equal to the tolerance is
    not a strict gain (dominance needs more than tol, weak dominance allows -tol)."""
    flat = _g([[[0, 0], [0, 0]], [[0, 0], [0, 0]]])
    assert len(pure_equilibria(flat, tol=0.0)) == 4
    # row 'a' beats 'b' by exactly tol = 1 everywhere: not strict, not weak
    gap = _g([[[2, 0], [2, 0]], [[1, 0], [1, 0]]])
    assert dominated_actions(gap, tol=1.0)["r"] == ()
    assert dominated_actions(gap, strict=False, tol=1.0)["r"] == ()
    assert dominated_actions(gap, tol=0.5)["r"] == ("b",)
    # 'a' loses by exactly tol on the left, gains 5 on the right: weakly dominates 'b'
    weak = _g([[[0, 0], [5, 0]], [[1, 0], [0, 0]]])
    assert dominated_actions(weak, strict=False, tol=1.0)["r"] == ("b",)
    assert dominated_actions(weak, strict=False, tol=0.5)["r"] == ()


def test_mixed_dominance_tolerance_scales_with_the_payoffs():
    """A 50:50 mix beats 'c' by 0.4 where payoffs reach 100: strictly dominated when
    0.4 > tol * 100, not otherwise."""
    g = _g([[[100, 0], [0, 0]], [[0, 0], [100, 0]], [[49.6, 0], [49.6, 0]]])
    assert dominated_actions(g, by_mixed=True, tol=1e-3)["r"] == ("c",)
    assert dominated_actions(g, by_mixed=True, tol=1e-2)["r"] == ()
    assert dominated_actions(g, strict=False, by_mixed=True, tol=1e-3)["r"] == ("c",)
    assert dominated_actions(g, strict=False, by_mixed=True, tol=1e-2)["r"] == ()


def test_iterated_elimination_by_mixed_removes_column_actions_too():
    """The column player's 'z' is beaten only by a 50:50 mix of 'w' and 'x': removed with
    by_mixed=True, kept without."""
    cols = [[3, 0, 1], [0, 3, 1]]  # column payoffs per (row, column)
    g = _g([[[0, cols[i][j]] for j in range(3)] for i in range(2)])
    assert iterated_elimination(g).actions[1] == ("w", "x", "y")
    assert iterated_elimination(g, by_mixed=True).actions[1] == ("w", "x")


def test_snapping_to_integers_is_relative_and_strict():
    """Payoffs within tol (relative to their size) of an integer print as that integer."""
    from longgame.games.analysis import _snap

    assert _snap(1 + 5e-10, 1e-9) == 1.0
    assert _snap(1 + 1.5e-9, 1e-9) == 1 + 1.5e-9
    assert _snap(0.5 + 2e-10, 1e-9) == 0.5 + 2e-10
    assert _snap(1000 + 5e-7, 1e-9) == 1000.0
    assert _snap(-1 - 5e-10, 1e-9) == -1.0
    assert _snap(0.5, 0.5) == 0.5  # exactly at the tolerance: kept


def test_zero_and_constant_sum_tolerances():
    """Exact sums pass at tolerance 0; the tolerance is relative to the largest payoff
    (or total) but never below 1."""
    A = np.array([[0.25, 0.5], [0.1, 0.3]])
    exact = Game("z", ("r", "c"), (("a", "b"), ("x", "y")), np.stack([A, -A], axis=2))
    assert is_zero_sum(exact, tol=0.0)
    assert is_constant_sum(exact, tol=0.0)
    off = np.stack([A, -A + np.array([[1.5e-9, 0], [0, 0]])], axis=2)
    near = Game("n", ("r", "c"), (("a", "b"), ("x", "y")), off)
    assert not is_zero_sum(near, tol=1e-9)
    assert not is_constant_sum(near, tol=1e-9)
    big = np.stack([1000 * A, -1000 * A + np.array([[5e-7, 0], [0, 0]])], axis=2)
    large = Game("l", ("r", "c"), (("a", "b"), ("x", "y")), big)
    assert is_zero_sum(large, tol=1e-9)
    total = np.stack([1000 * A, 1000 - 1000 * A + np.array([[5e-7, 0], [0, 0]])], axis=2)
    assert is_constant_sum(Game("k", ("r", "c"), (("a", "b"), ("x", "y")), total), tol=1e-9)


def test_json_numbers_keep_twelve_digits():
    """Integral values become ints (within 1e-9, exclusive); others keep 12 decimals."""
    from longgame.games.analysis import _num

    assert _num(2 / 3) == 0.666666666667
    assert _num(1e-9) == 1e-9
    assert _num(4.0000000001) == 4
    assert type(_num(4.0000000001)) is int


def test_mixed_dominance_uses_weights_of_a_probability_mix():
    """Against (1, 0), (0, 1) and (0, 0), the action (0.6, 0.6) is not dominated by any
    probability mix (the best gives 0.5, 0.5), though 'weights' 1, 1, -1 would beat it."""
    g = _g([[[1, 0], [0, 0]], [[0, 0], [1, 0]], [[0, 0], [0, 0]], [[0.6, 0], [0.6, 0]]])
    assert dominated_actions(g, by_mixed=True)["r"] == ("c",)
    assert dominated_actions(g, strict=False, by_mixed=True)["r"] == ("c",)


def test_mixed_dominance_margin_is_the_worst_column_gain():
    """The strict margin of the 50:50 mix over 'c' is 0.4 (not twice that): dominated when
    0.4 > tol * 100, not at tol = 0.005."""
    g = _g([[[100, 0], [0, 0]], [[0, 0], [100, 0]], [[49.6, 0], [49.6, 0]]])
    assert dominated_actions(g, by_mixed=True, tol=3e-3)["r"] == ("c",)
    assert dominated_actions(g, by_mixed=True, tol=5e-3)["r"] == ()


def test_pareto_optimality_at_zero_tolerance():
    """At tol = 0, identical profiles do not dominate each other and a tie in one payoff
    with a gain in the other does dominate."""
    g = _g([[[2, 2], [2, 2]], [[1, 2], [0, 0]]])
    assert pareto_optimal(g, tol=0.0) == [("a", "w"), ("a", "x")]


def test_describe_reports_column_actions_dominated_only_by_a_mix():
    """The column player's 'y' loses to a 50:50 mix of 'w' and 'x' but to neither alone:
    listed under dominated_by_mixed, not under dominated."""
    cols = [[3, 0, 1], [0, 3, 1]]
    g = _g([[[0, cols[i][j]] for j in range(3)] for i in range(2)])
    assert dominated_actions(g)["c"] == ()
    assert dominated_actions(g, by_mixed=True)["c"] == ("y",)
    d = describe(g)
    assert d["dominated"] == {}
    assert d["dominated_by_mixed"] == {"c": ["y"]}
