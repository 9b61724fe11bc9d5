"""The vectorised repeated-play engine: textbook scores, lengths, noise, exits, records."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from longgame.errors import InputError
from longgame.games import Game, prisoners_dilemma
from longgame.play import payoff_table, play, play_matches
from longgame.strategies import (
    Alternator,
    AlwaysCooperate,
    AlwaysDefect,
    Grudger,
    HistoryView,
    Prober,
    State,
    StopLossInvestor,
    Strategy,
    TitForTat,
    TitForTwoTats,
    WalkAway,
    WinStayLoseShift,
    defect_where,
    get_strategy,
)

PD = prisoners_dilemma()
DETERMINISTIC = [
    AlwaysCooperate(),
    AlwaysDefect(),
    TitForTat(),
    Grudger(),
    WinStayLoseShift(),
    TitForTwoTats(),
    Prober(),
    Alternator(),
]


def reference_match(
    a: Strategy, b: Strategy, table: np.ndarray, rounds: int
) -> tuple[float, float]:
    """A straightforward one-relationship Python loop, used as the reference."""
    rng = np.random.default_rng(0)
    views = [
        HistoryView.fresh(1, depth=rounds or 1, state=a.init_state(1)),
        HistoryView.fresh(1, depth=rounds or 1, state=b.init_state(1)),
    ]
    total = [0.0, 0.0]
    for _ in range(rounds):
        x = int(a.decide(views[0], rng)[0])
        y = int(b.decide(views[1], rng)[0])
        pay = table[x, y]
        for v, mine, theirs, pm, pt in (
            (views[0], x, y, pay[0], pay[1]),
            (views[1], y, x, pay[1], pay[0]),
        ):
            v.own_last[:, 1:] = v.own_last[:, :-1]
            v.partner_last[:, 1:] = v.partner_last[:, :-1]
            v.own_last[0, 0], v.partner_last[0, 0] = mine, theirs
            v.own_counts[0, mine] += 1
            v.partner_counts[0, theirs] += 1
            v.own_payoff[0] += pm
            v.partner_payoff[0] += pt
            v.last_own_payoff[0], v.last_partner_payoff[0] = pm, pt
            v.rounds[0] += 1
        total[0] += pay[0]
        total[1] += pay[1]
    return total[0], total[1]


@settings(max_examples=40)
@given(
    n=st.integers(1, 60),
    P=st.integers(-5, 5),
    gaps=st.tuples(st.integers(1, 5), st.integers(1, 5), st.integers(1, 5)),
)
def test_tit_for_tat_vs_always_defect_is_textbook(
    n: int, P: int, gaps: tuple[int, int, int]
) -> None:
    """TFT vs ALLD over n rounds scores exactly (S + (n-1)P, T + (n-1)P)."""
    S = P - gaps[0]
    R = P + gaps[1]
    T = R + gaps[2]
    r = play(TitForTat(), AlwaysDefect(), prisoners_dilemma(T=T, R=R, P=P, S=S), rounds=n, rng=1)
    assert r.row_payoff.tolist() == [S + (n - 1) * P]
    assert r.col_payoff.tolist() == [T + (n - 1) * P]
    assert r.rounds.tolist() == [n]
    assert r.row_counts.tolist() == [[1, n - 1]]


def test_grudger_vs_alternator_is_textbook() -> None:
    """Grudger vs alternator: R + S, then T or P as the alternator cooperates or not."""
    n = 9
    r = play(Grudger(), Alternator(), PD, rounds=n, record=True)
    assert r.records is not None
    assert r.records.row_actions[0].tolist() == [0, 0] + [1] * (n - 2)
    assert r.records.col_actions[0].tolist() == [0, 1] * 4 + [0]
    # rounds 3..9: alternator plays C on odd rounds (T for grudger), D on even (P)
    assert r.row_payoff[0] == 3 + 0 + 4 * 5 + 3 * 1
    assert r.col_payoff[0] == 3 + 5 + 4 * 0 + 3 * 1


def test_engine_matches_reference_loop_for_every_pair() -> None:
    """Every pair of deterministic built-ins scores what a plain per-match loop scores."""
    table = payoff_table(PD)
    n = len(DETERMINISTIC)
    i, j = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    result = play_matches(DETERMINISTIC, i.ravel(), j.ravel(), PD, rounds=15, history_depth=15)
    for k, (a, b) in enumerate(zip(i.ravel(), j.ravel(), strict=True)):
        expected = reference_match(DETERMINISTIC[a], DETERMINISTIC[b], table, 15)
        assert (result.row_payoff[k], result.col_payoff[k]) == expected, (a, b)


def test_same_seed_same_result_and_seeds_matter() -> None:
    """With noise, the same seed reproduces the batch and a different seed changes it."""
    kw = {"rounds": 30, "noise": 0.1, "n": 50}
    a = play(TitForTat(), get_strategy("gtft"), PD, rng=5, **kw)
    b = play(TitForTat(), get_strategy("gtft"), PD, rng=5, **kw)
    c = play(TitForTat(), get_strategy("gtft"), PD, rng=6, **kw)
    assert np.array_equal(a.row_payoff, b.row_payoff)
    assert not np.array_equal(a.row_payoff, c.row_payoff)


def test_noise_flips_at_rate_epsilon() -> None:
    """Two cooperators under noise eps defect in a fraction eps of moves (binomial bounds)."""
    eps, n, rounds = 0.07, 2000, 10
    r = play(AlwaysCooperate(), AlwaysCooperate(), PD, n=n, rounds=rounds, noise=eps, rng=3)
    moves = 2 * n * rounds
    rate = (r.row_counts[:, 1].sum() + r.col_counts[:, 1].sum()) / moves
    assert abs(rate - eps) < 4 * np.sqrt(eps * (1 - eps) / moves)


class _Cycle(Strategy):
    """Test helper: plays action (rounds mod n_actions)."""

    name = "cycle-test"
    description = "Cycles through the actions."
    memory_depth = np.inf

    def decide(self, view: HistoryView, rng: np.random.Generator) -> np.ndarray:
        return (view.rounds % view.n_actions).astype(np.int8)


def test_asymmetric_game_with_different_action_sets() -> None:
    """A 2 x 3 game: each side decides within its own action set; payoffs are exact."""
    table = np.arange(12, dtype=float).reshape(2, 3, 2)
    game = Game("two-by-three", ("a", "b"), (("x", "y"), ("u", "v", "w")), table)
    r = play(_Cycle(), _Cycle(), game, rounds=6, record=True)
    assert r.records is not None
    assert r.records.row_actions[0].tolist() == [0, 1, 0, 1, 0, 1]
    assert r.records.col_actions[0].tolist() == [0, 1, 2, 0, 1, 2]
    rows, cols = r.records.row_actions[0], r.records.col_actions[0]
    assert r.row_payoff[0] == table[rows, cols, 0].sum()
    assert r.col_payoff[0] == table[rows, cols, 1].sum()
    assert r.col_counts.tolist() == [[2, 2, 2]]


def test_noise_with_three_actions_picks_another_action_uniformly() -> None:
    """With three actions a noisy move is one of the two other actions, equally likely."""
    table = np.zeros((3, 3, 2))
    game = Game("three", ("a", "b"), (("x", "y", "z"), ("x", "y", "z")), table)

    class Zero(Strategy):
        name = "zero-test"
        description = "Always action 0."
        memory_depth = 0

        def decide(self, view: HistoryView, rng: np.random.Generator) -> np.ndarray:
            return np.zeros(view.n, dtype=np.int8)

    r = play(Zero(), Zero(), game, n=3000, rounds=1, noise=1.0, rng=2)
    counts = r.row_counts.sum(axis=0)
    assert counts[0] == 0
    assert abs(counts[1] / 3000 - 0.5) < 4 * np.sqrt(0.25 / 3000)


def test_continuation_gives_geometric_lengths() -> None:
    """Lengths have mean 1/(1-w) (within 4 standard errors) and are at least 1."""
    w, n = 0.8, 4000
    r = play(TitForTat(), TitForTat(), PD, n=n, continuation=w, rng=11)
    mean, sd = 1 / (1 - w), np.sqrt(w) / (1 - w)
    assert r.rounds.min() >= 1
    assert abs(r.rounds.mean() - mean) < 4 * sd / np.sqrt(n)
    assert np.array_equal(r.row_payoff, 3.0 * r.rounds)


def test_compaction_keeps_per_relationship_results_exact() -> None:
    """With varied lengths (and compaction), each relationship scores its fixed-length result."""
    strategies = [Prober(), TitForTat(), Grudger(), Alternator()]
    n = 400
    rng = np.random.default_rng(0)
    row = rng.integers(0, 4, n)
    col = rng.integers(0, 4, n)
    r = play_matches(strategies, row, col, PD, continuation=0.85, rng=4, record=True)
    assert r.records is not None
    for k in range(0, n, 7):
        alone = play(strategies[row[k]], strategies[col[k]], PD, rounds=int(r.rounds[k]))
        assert (r.row_payoff[k], r.col_payoff[k]) == (alone.row_payoff[0], alone.col_payoff[0])
        played = r.records.row_actions[k]
        assert (played[: r.rounds[k]] >= 0).all()
        assert (played[r.rounds[k] :] == -1).all()
    assert np.allclose(np.nansum(r.records.row_payoffs, axis=1), r.row_payoff)


def test_walk_away_ends_relationship_for_both() -> None:
    """Walk-away leaves a fleecer after one round: (S, T), exited by the row side."""
    r = play(WalkAway(), AlwaysDefect(), PD, n=3, rounds=50)
    assert r.rounds.tolist() == [1, 1, 1]
    assert r.row_payoff.tolist() == [0.0] * 3
    assert r.col_payoff.tolist() == [5.0] * 3
    assert r.exited_by.tolist() == [0, 0, 0]
    fair = play(AlwaysCooperate(), WalkAway(), PD, rounds=50)
    assert fair.rounds.tolist() == [50]
    assert fair.exited_by.tolist() == [-1]


def test_stop_loss_limits_the_loss() -> None:
    """A stop-loss investor loses at most limit + one round's gap against a taker."""
    r = play(StopLossInvestor(limit=12, basis="relative"), AlwaysDefect(), PD, rounds=100)
    # relative loss grows by T - S = 5 per round: exits after round 3 (15 > 12)
    assert r.rounds.tolist() == [3]
    assert r.exited_by.tolist() == [0]


def test_zero_rounds_and_empty_batches() -> None:
    """rounds=0 and n=0 return well-formed empty results."""
    r = play(TitForTat(), TitForTat(), PD, n=2, rounds=0)
    assert r.rounds.tolist() == [0, 0]
    assert r.row_payoff.tolist() == [0.0, 0.0]
    assert play(TitForTat(), TitForTat(), PD, n=0, rounds=5).n == 0


def test_bad_inputs_are_input_errors() -> None:
    """Bad lengths, noise and indices raise InputError naming the input."""
    with pytest.raises(InputError, match="exactly one of rounds"):
        play(TitForTat(), TitForTat(), PD)
    with pytest.raises(InputError, match=r"noise=1\.5"):
        play(TitForTat(), TitForTat(), PD, rounds=3, noise=1.5)
    with pytest.raises(InputError, match=r"continuation=1\.0"):
        play(TitForTat(), TitForTat(), PD, continuation=1.0)
    with pytest.raises(InputError, match="strategy indices"):
        play_matches([TitForTat()], [0], [1], PD, rounds=2)
    with pytest.raises(InputError, match="expected \\(n_row, n_col, 2\\)"):
        play(TitForTat(), TitForTat(), np.zeros((2, 2)), rounds=2)


def test_bad_strategy_output_is_reported() -> None:
    """A strategy returning the wrong shape or an out-of-range action is named."""

    class Broken(Strategy):
        name = "broken-test"
        description = "Returns action 2 in a two-action game."
        memory_depth = 0

        def decide(self, view: HistoryView, rng: np.random.Generator) -> np.ndarray:
            return np.full(view.n, 2, dtype=np.int8)

    with pytest.raises(ValueError, match="broken-test"):
        play(Broken(), TitForTat(), PD, rounds=2)


@settings(max_examples=25)
@given(
    a=st.sampled_from(["tft", "alld", "gtft", "random", "prober", "walk-away", "stop-loss"]),
    b=st.sampled_from(["tft", "grudger", "wsls", "random", "alternator", "walk-away"]),
    noise=st.floats(0.0, 0.5),
    seed=st.integers(0, 2**32 - 1),
)
def test_totals_counts_and_records_agree(a: str, b: str, noise: float, seed: int) -> None:
    """Totals equal summed per-round records, counts sum to rounds, lengths never exceed."""
    r = play(get_strategy(a), get_strategy(b), PD, n=20, rounds=12, noise=noise, rng=seed,
             record=True)  # fmt: skip
    assert r.records is not None
    assert (r.rounds <= 12).all()
    assert (r.row_counts.sum(axis=1) == r.rounds).all()
    assert (r.col_counts.sum(axis=1) == r.rounds).all()
    assert np.allclose(np.nansum(r.records.row_payoffs, axis=1), r.row_payoff)
    assert np.allclose(np.nansum(r.records.col_payoffs, axis=1), r.col_payoff)
    played = (r.records.row_actions >= 0).sum(axis=1)
    assert np.array_equal(played, r.rounds)
    assert ((r.rounds < 12) <= (r.exited_by >= 0)).all()


def test_result_frames_are_tidy() -> None:
    """frame() gives one row per relationship; records.frame() one per played round."""
    r = play(WalkAway(), Alternator(), PD, n=2, rounds=5, record=True)
    per_rel = r.frame()
    assert per_rel["rounds"].tolist() == [2, 2]  # the alternator fleeces in round 2
    assert per_rel["exited_by"].tolist() == [0, 0]
    assert r.records is not None
    rounds = r.records.frame()
    assert len(rounds) == 4
    assert rounds.groupby("relationship")["row_payoff"].sum().tolist() == r.row_payoff.tolist()


def test_bad_actions_in_later_rounds_are_reported() -> None:
    """An out-of-range action after the first round is caught too, naming the strategy."""

    class LateBreaker(Strategy):
        name = "late-breaker-test"
        description = "Returns -1 from round 3 on."
        memory_depth = np.inf

        def decide(self, view: HistoryView, rng: np.random.Generator) -> np.ndarray:
            return np.where(view.rounds >= 2, -1, 0).astype(np.int8)

    with pytest.raises(ValueError, match="late-breaker-test"):
        play(LateBreaker(), TitForTat(), PD, rounds=5)


# ---- exits, asymmetric games, argument types (exact values) ----------------------------


class _LeaveAfter(Strategy):
    """Test helper: plays ``action`` and asks to leave once ``after`` rounds are played."""

    name = "leave-after-test"
    description = "Leaves after a fixed number of rounds."
    memory_depth = np.inf

    def __init__(self, *, after: int = 2, action: int = 0) -> None:
        self.after = after
        self.action = action

    def decide(self, view: HistoryView, rng: np.random.Generator) -> np.ndarray:
        return np.full(view.n, self.action, dtype=np.int8)

    def exit(self, view: HistoryView, rng: np.random.Generator) -> np.ndarray:
        return np.asarray(view.rounds >= self.after, dtype=np.bool_)


@pytest.mark.parametrize(("row_after", "col_after", "rounds", "who"),
                         [(3, 3, 3, 2), (2, 3, 2, 0), (4, 3, 3, 1), (9, 9, 6, -1)])  # fmt: skip
def test_exits_are_attributed_to_the_side_that_left(
    row_after: int, col_after: int, rounds: int, who: int
) -> None:
    """Both leaving after the same round is recorded as both (2), else the earlier side."""
    r = play(_LeaveAfter(after=row_after), _LeaveAfter(after=col_after), PD, n=3, rounds=6)
    assert r.rounds.tolist() == [rounds] * 3
    assert r.exited_by.tolist() == [who] * 3
    assert r.row_payoff.tolist() == [3.0 * rounds] * 3


def test_simultaneous_exits_survive_compaction() -> None:
    """Exits at many different rounds (compaction kicks in) keep each relationship's record."""
    strategies = [_LeaveAfter(after=k) for k in range(1, 9)]
    n = 200
    rng = np.random.default_rng(3)
    row = rng.integers(0, 8, n)
    col = rng.integers(0, 8, n)
    r = play_matches(strategies, row, col, PD, rounds=20)
    ra, ca = row + 1, col + 1
    assert r.rounds.tolist() == np.minimum(ra, ca).tolist()
    expected = np.where(ra == ca, 2, np.where(ra < ca, 0, 1))
    assert r.exited_by.tolist() == expected.tolist()
    assert r.col_payoff.tolist() == (3.0 * np.minimum(ra, ca)).tolist()


def test_exit_after_the_last_scheduled_round_counts() -> None:
    """A side that asks to leave after the final round is recorded as having exited."""
    r = play(_LeaveAfter(after=4), AlwaysCooperate(), PD, n=2, rounds=4)
    assert r.rounds.tolist() == [4, 4]
    assert r.exited_by.tolist() == [0, 0]


@pytest.mark.parametrize("shape", [(2, 3), (3, 2), (4, 3)])
def test_asymmetric_games_score_exactly(shape: tuple[int, int]) -> None:
    """With n_row != n_col actions each side cycles its own actions; totals are exact."""
    n_row, n_col = shape
    table = np.arange(n_row * n_col * 2, dtype=float).reshape(n_row, n_col, 2) ** 1.5
    cyc = _Cycle()
    r = play_matches([cyc, AlwaysDefect()], [0, 0, 1], [0, 1, 0], table, rounds=7, record=True)
    assert r.records is not None
    t = np.arange(7)
    expect_row = [t % n_row, t % n_row, np.ones(7, dtype=int)]
    expect_col = [t % n_col, np.ones(7, dtype=int), t % n_col]
    for k in range(3):
        assert r.records.row_actions[k].tolist() == expect_row[k].tolist()
        assert r.records.col_actions[k].tolist() == expect_col[k].tolist()
        cells = table[expect_row[k], expect_col[k]]
        assert r.row_payoff[k] == pytest.approx(cells[:, 0].sum(), rel=1e-12)
        assert r.col_payoff[k] == pytest.approx(cells[:, 1].sum(), rel=1e-12)
        assert r.row_counts[k].tolist() == np.bincount(expect_row[k], minlength=n_row).tolist()
        assert r.col_counts[k].tolist() == np.bincount(expect_col[k], minlength=n_col).tolist()
    assert r.row_counts.shape == (3, n_row)
    assert r.col_counts.shape == (3, n_col)


class _Sees(Strategy):
    """Test helper: plays the number of actions its partner has, minus one (a probe)."""

    name = "sees-partner-test"
    description = "Plays partner_n_actions - 1, capped by its own actions."
    memory_depth = 1

    def decide(self, view: HistoryView, rng: np.random.Generator) -> np.ndarray:
        assert view.partner_counts.shape[1] == view.partner_n_actions
        assert view.own_counts.shape[1] == view.n_actions
        a = min(view.partner_n_actions, view.n_actions) - 1
        return np.full(view.n, a, dtype=np.int8)


def test_asymmetric_views_show_each_role_its_own_and_partner_action_counts() -> None:
    """In a 2 x 3 game the row side sees 2 own and 3 partner actions, the column side 3 and 2."""
    table = np.zeros((2, 3, 2))
    table[1, 1] = (7.0, 11.0)
    r = play(_Sees(), _Sees(), table, n=2, rounds=3)
    assert r.row_payoff.tolist() == [21.0, 21.0]
    assert r.col_payoff.tolist() == [33.0, 33.0]


def test_noise_in_an_asymmetric_game_stays_in_each_action_set() -> None:
    """Noise 1 flips the two-action side to its other action and moves the three-action
    side to one of its two others, about equally often."""
    table = np.zeros((2, 3, 2))
    zero = _LeaveAfter(after=10**6, action=0)
    r = play(zero, zero, table, n=4000, rounds=1, noise=1.0, rng=5)
    assert r.row_counts.sum(axis=0).tolist() == [0, 4000]
    col = r.col_counts.sum(axis=0)
    assert col[0] == 0
    assert abs(col[1] / 4000 - 0.5) < 4 * np.sqrt(0.25 / 4000)


def test_noise_flips_at_the_given_rate_exactly_in_expectation() -> None:
    """With noise 0.25 a cooperator's share of defections is 0.25 within 4 standard errors."""
    r = play(AlwaysCooperate(), AlwaysCooperate(), PD, n=2000, rounds=10, noise=0.25, rng=9)
    share = r.row_counts[:, 1].sum() / 20000
    assert abs(share - 0.25) < 4 * np.sqrt(0.25 * 0.75 / 20000)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"n": True, "rounds": 3}, "n"),
        ({"n": "2", "rounds": 3}, "n"),
        ({"n": -1, "rounds": 3}, "n"),
        ({"rounds": True}, "rounds"),
        ({"rounds": "3"}, "rounds"),
        ({"rounds": 2.0}, "rounds"),
        ({"rounds": -1}, "rounds"),
        ({"rounds": 3, "noise": True}, "noise"),
        ({"rounds": 3, "noise": "0.1"}, "noise"),
        ({"rounds": 3, "noise": -0.1}, "noise"),
        ({"continuation": True}, "continuation"),
        ({"continuation": "0.5"}, "continuation"),
        ({"continuation": -0.1}, "continuation"),
        ({"rounds": 3, "history_depth": True}, "history_depth"),
        ({"rounds": 3, "history_depth": "2"}, "history_depth"),
        ({"rounds": 3, "history_depth": 0}, "history_depth"),
        ({"continuation": 0.5, "max_rounds": True}, "max_rounds"),
        ({"continuation": 0.5, "max_rounds": "5"}, "max_rounds"),
        ({"continuation": 0.5, "max_rounds": 0}, "max_rounds"),
    ],
)
def test_bool_str_and_out_of_range_arguments_are_refused(kwargs: dict, name: str) -> None:
    """bool and str are not numbers here: each bad argument is named with its value."""
    value = kwargs[name]
    with pytest.raises(InputError, match=rf"^play: {name}={re.escape(repr(value))} is invalid"):
        play(TitForTat(), TitForTat(), PD, **kwargs)


@pytest.mark.parametrize("indices", [[True], [0.5], ["0"]])
def test_strategy_indices_must_be_integers(indices: list) -> None:
    """Relationship indices given as bools, floats or strings are refused."""
    with pytest.raises(InputError, match=r"^play: row indices"):
        play_matches([TitForTat(), AlwaysDefect()], indices, [0], PD, rounds=2)


def test_error_messages_are_exact() -> None:
    """The messages name the input, the value and what was expected, word for word."""
    cases = [
        ({}, "play: give exactly one of rounds (fixed length) or continuation "
             "(probability w of another round)"),
        ({"rounds": 2, "continuation": 0.5}, "play: give exactly one of rounds (fixed length) "
                                            "or continuation (probability w of another round)"),
        ({"continuation": 1.0}, "play: continuation=1.0 is invalid; expected a probability in "
                                "[0, 1) (w = 1 never ends)"),
        ({"rounds": 3, "noise": 1.5}, "play: noise=1.5 is invalid; expected a probability in "
                                      "[0, 1]"),
        ({"rounds": -2}, "play: rounds=-2 is invalid; expected an integer >= 0"),
    ]  # fmt: skip
    for kwargs, message in cases:
        with pytest.raises(InputError, match=f"^{re.escape(message)}$"):
            play(TitForTat(), TitForTat(), PD, **kwargs)
    with pytest.raises(InputError, match=r"^play: 1 row indices but 2 column indices; expected "):
        play_matches([TitForTat()], [0], [0, 0], PD, rounds=1)
    message = "play: strategy indices must be in [0, 0]; got values from 0 to 1"
    with pytest.raises(InputError, match=f"^{re.escape(message)}$"):
        play_matches([TitForTat()], [0], [1], PD, rounds=1)
    with pytest.raises(InputError, match=r"^play: strategies\[1\]='tft' is not a Strategy"):
        play_matches([TitForTat(), "tft"], [0], [1], PD, rounds=1)  # type: ignore[list-item]


SHAPE = "play: game payoffs have shape {}; expected (n_row, n_col, 2)"
NAN = "play: game payoffs contain non-finite numbers; expected finite"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (np.zeros((2, 2)), SHAPE.format("(2, 2)")),
        (np.zeros((2, 2, 3)), SHAPE.format("(2, 2, 3)")),
        (np.zeros((0, 2, 2)), SHAPE.format("(0, 2, 2)")),
        (np.full((2, 2, 2), np.nan), NAN),
        (np.zeros((128, 2, 2)), "play: game has 128 actions; expected at most 127 per player"),
    ],
)
def test_bad_payoff_tables_are_named_exactly(table: np.ndarray, message: str) -> None:
    """A payoff table of the wrong shape, with NaN, or too many actions is refused."""
    with pytest.raises(InputError, match=f"^{re.escape(message)}$"):
        payoff_table(table)


def test_payoff_table_accepts_127_actions_and_a_game_object() -> None:
    """127 actions is the limit, and a Game's payoffs are read through .payoffs."""
    assert payoff_table(np.zeros((127, 1, 2))).shape == (127, 1, 2)
    assert np.array_equal(payoff_table(PD), PD.payoffs)
    assert payoff_table([[[1, 2]]]).dtype == np.float64


class _Spy(Strategy):
    """Test helper: plays at random, leaves at random, and checks every round that the
    engine's view is consistent: rounds step by one, counts grow by the last actions,
    cumulative payoffs by the last payoffs, which are the table's entries for the last
    actions, and the history shifts by one round."""

    name = "spy-test"
    description = "Checks the engine's bookkeeping."
    stochastic = True

    def __init__(self, *, leave: float = 0.05, role: int = 0, k: int = 2) -> None:
        self.leave = leave
        self.role = role
        self.k = k

    def init_state(self, n: int) -> State:
        return {
            "rounds": np.full(n, -1, dtype=np.int64),
            "own_counts": np.zeros((n, self.k), dtype=np.int64),
            "partner_counts": np.zeros((n, self.k), dtype=np.int64),
            "own_pay": np.zeros(n),
            "partner_pay": np.zeros(n),
            "own_last": np.full(n, -1, dtype=np.int64),
            "partner_last": np.full(n, -1, dtype=np.int64),
            "own_last1": np.full(n, -1, dtype=np.int64),
            "partner_last1": np.full(n, -1, dtype=np.int64),
        }

    def decide(self, view: HistoryView, rng: np.random.Generator) -> np.ndarray:
        st = view.state
        # own payoff first, whichever role this spy plays
        base = SPY_TABLE if self.k == 2 else SPY_TABLE3
        table = base if self.role == 0 else base.transpose(1, 0, 2)[:, :, ::-1]
        first = view.rounds == 0
        assert (view.own_last[first] == -1).all()
        assert (view.partner_last[first] == -1).all()
        assert (view.own_counts[first] == 0).all()
        assert (view.partner_counts[first] == 0).all()
        assert (view.own_payoff[first] == 0).all()
        assert (view.partner_payoff[first] == 0).all()
        on = (view.rounds == st["rounds"] + 1) & ~first
        assert ((view.rounds == st["rounds"] + 1) | (view.rounds == st["rounds"]) | first).all()
        a, b = view.own_last[on, 0].astype(int), view.partner_last[on, 0].astype(int)
        k = np.arange(self.k)
        assert (view.own_counts[on] - st["own_counts"][on] == (a[:, None] == k)).all()
        assert (view.partner_counts[on] - st["partner_counts"][on] == (b[:, None] == k)).all()
        assert np.allclose(view.last_own_payoff[on], table[a, b, 0])
        assert np.allclose(view.last_partner_payoff[on], table[a, b, 1])
        assert np.allclose(view.own_payoff[on] - st["own_pay"][on], table[a, b, 0])
        assert np.allclose(view.partner_payoff[on] - st["partner_pay"][on], table[a, b, 1])
        deep = on & (view.rounds >= 2)
        assert (view.own_last[deep, 1] == st["own_last"][deep]).all()
        assert (view.partner_last[deep, 1] == st["partner_last"][deep]).all()
        deeper = on & (view.rounds >= 3)
        assert (view.own_last[deeper, 2] == st["own_last1"][deeper]).all()
        assert (view.partner_last[deeper, 2] == st["partner_last1"][deeper]).all()
        st["own_last1"][:] = view.own_last[:, 1]
        st["partner_last1"][:] = view.partner_last[:, 1]
        st["rounds"][:] = view.rounds
        st["own_counts"][:] = view.own_counts
        st["partner_counts"][:] = view.partner_counts
        st["own_pay"][:] = view.own_payoff
        st["partner_pay"][:] = view.partner_payoff
        st["own_last"][:] = view.own_last[:, 0]
        st["partner_last"][:] = view.partner_last[:, 0]
        return rng.integers(0, self.k, view.n).astype(np.int8)

    def exit(self, view: HistoryView, rng: np.random.Generator) -> np.ndarray:
        return rng.random(view.n) < self.leave


#: an asymmetric game whose eight payoffs differ, so a wrong lookup shows
SPY_TABLE = np.array([[[3.0, 2.0], [-1.0, 5.0]], [[4.0, -2.0], [0.5, 1.5]]])
SPY_TABLE3 = np.arange(18, dtype=float).reshape(3, 3, 2) ** 1.3


@pytest.mark.parametrize(("noise", "continuation"), [(0.0, 0.9), (0.2, 0.95), (0.1, None)])
def test_views_are_consistent_every_round(noise: float, continuation: float | None) -> None:
    """Through exits, varied lengths and compaction, every view a strategy sees adds up."""
    n = 300
    rounds = None if continuation else 30
    spies = [_Spy(), _Spy(role=1, leave=0.01)]
    zeros = np.zeros(n, dtype=int)
    r = play_matches(spies, zeros, zeros + 1, SPY_TABLE, rounds=rounds,
                     continuation=continuation, noise=noise, rng=7, record=True)  # fmt: skip
    assert r.records is not None
    assert np.allclose(np.nansum(r.records.row_payoffs, axis=1), r.row_payoff)
    assert np.allclose(np.nansum(r.records.col_payoffs, axis=1), r.col_payoff)
    assert (r.row_counts.sum(axis=1) == r.rounds).all()
    assert (r.exited_by >= 0).sum() > 50


def test_relationship_lengths_are_independent() -> None:
    """Geometric lengths are drawn per relationship: neighbours rarely share a length."""
    r = play(TitForTat(), TitForTat(), PD, n=2000, continuation=0.9, rng=3)
    same = np.mean(r.rounds[0::2] == r.rounds[1::2])
    assert same < 0.15  # P(equal) = (1 - w) / (1 + w) = 0.053 for independent draws


class _Depth(Strategy):
    """Test helper: plays 1 iff it sees at least ``k`` columns of history and no
    partner action yet (the engine marks 'no action' with -1)."""

    name = "depth-probe-test"
    description = "Reports the depth it is shown."

    def __init__(self, *, k: int = 4) -> None:
        self.k = k

    def decide(self, view: HistoryView, rng: np.random.Generator) -> np.ndarray:
        fresh = (view.partner_last[:, 0] == -1) & (view.own_last[:, 0] == -1)
        return defect_where(fresh & (view.partner_last.shape[1] >= self.k))


def test_defaults_history_depth_four_and_no_records() -> None:
    """By default unbounded memories see four past rounds, and nothing is recorded."""
    assert play(_Depth(k=4), AlwaysCooperate(), PD, rounds=2).row_counts.tolist() == [[1, 1]]
    assert play(_Depth(k=5), AlwaysCooperate(), PD, rounds=2).row_counts.tolist() == [[2, 0]]
    deep = play(_Depth(k=5), AlwaysCooperate(), PD, rounds=2, history_depth=5)
    assert deep.row_counts.tolist() == [[1, 1]]
    assert play(TitForTat(), TitForTat(), PD, rounds=2).records is None
    assert play(TitForTat(), TitForTat(), PD, rounds=2, history_depth=1).rounds.tolist() == [2]
    assert play(TitForTat(), TitForTat(), PD, continuation=0.99, max_rounds=1).rounds.tolist() == [
        1
    ]


def test_result_frame_columns() -> None:
    """PlayResult.frame() has the documented columns and values."""
    r = play(TitForTat(), AlwaysDefect(), PD, n=2, rounds=3)
    f = r.frame()
    assert f.columns.tolist() == [
        "relationship", "rounds", "row_payoff", "col_payoff", "row_mean", "col_mean",
        "exited_by",
    ]  # fmt: skip
    assert f.iloc[0].tolist() == [0, 3, 2.0, 7.0, 2 / 3, 7 / 3, -1]
    assert f.relationship.tolist() == [0, 1]


def test_empty_index_lists_and_column_messages() -> None:
    """Empty index lists are an empty batch; bad column indices are named as such."""
    assert play_matches([TitForTat()], [], [], PD, rounds=3).n == 0
    with pytest.raises(InputError, match=r"^play: column indices have dtype float64; expected"):
        play_matches([TitForTat()], [0], [0.0], PD, rounds=3)
    with pytest.raises(InputError, match=r"^play: row indices have dtype bool; expected integers$"):
        play_matches([TitForTat()], [True], [0], PD, rounds=3)
    msg = "play: continuation=1.5 is invalid; expected a probability in [0, 1)"
    with pytest.raises(InputError, match=f"^{re.escape(msg)}$"):
        play(TitForTat(), TitForTat(), PD, continuation=1.5)


def test_split_roles_with_a_cycling_strategy_in_both_roles_at_any_index() -> None:
    """In a 3 x 2 game a strategy listed second cycles through 3 actions as row, 2 as
    column, also when the same object plays both roles."""
    table = np.arange(12, dtype=float).reshape(3, 2, 2)
    cyc = _Cycle()
    r = play_matches([AlwaysCooperate(), cyc], [1, 1, 0], [1, 0, 1], table, rounds=6,
                     record=True)  # fmt: skip
    assert r.records is not None
    assert r.records.row_actions[0].tolist() == [0, 1, 2, 0, 1, 2]
    assert r.records.col_actions[0].tolist() == [0, 1, 0, 1, 0, 1]
    assert r.records.col_actions[2].tolist() == [0, 1, 0, 1, 0, 1]
    assert r.row_counts.tolist() == [[2, 2, 2], [2, 2, 2], [6, 0, 0]]


def test_bad_output_messages_name_shape_dtype_and_range() -> None:
    """decide() returning floats, or actions out of range, is described exactly."""

    class Floats(Strategy):
        name = ""
        description = "No name, float output."
        memory_depth = 0

        def decide(self, view: HistoryView, rng: np.random.Generator) -> np.ndarray:
            return np.zeros(view.n)

    class Three(Strategy):
        name = "three-test"
        description = "Action 3 in a 3-action game."
        memory_depth = 0

        def decide(self, view: HistoryView, rng: np.random.Generator) -> np.ndarray:
            return np.full(view.n, 3, dtype=np.int8)

    msg = (
        "strategy Floats: decide() returned float64 array of shape (2,); "
        "expected an integer array of shape (2,)"
    )
    with pytest.raises(TypeError, match=f"^{re.escape(msg)}$"):
        play(Floats(), TitForTat(), PD, n=2, rounds=1)
    table = np.zeros((3, 3, 2))
    msg = "strategy three-test: decide() returned actions from 3 to 3; expected indices in [0, 2]"
    with pytest.raises(ValueError, match=f"^{re.escape(msg)}$"):
        play(Three(), _Cycle(), table, rounds=1)


def test_result_dtypes() -> None:
    """Counts are integers, exits and recorded actions int8, as documented."""
    r = play(TitForTat(), AlwaysDefect(), PD, n=2, rounds=3, record=True)
    assert r.row_counts.dtype == np.intp
    assert r.col_counts.dtype == np.intp
    assert r.rounds.dtype == np.intp
    assert r.exited_by.dtype == np.int8
    assert r.records is not None
    assert r.records.row_actions.dtype == np.int8
    assert r.records.col_actions.dtype == np.int8


def test_play_matches_defaults() -> None:
    """play_matches records nothing and keeps four past rounds unless told otherwise."""
    one = np.zeros(1, dtype=int)
    assert play_matches([TitForTat()], one, one, PD, rounds=2).records is None
    r = play_matches([_Depth(k=4), AlwaysCooperate()], one, one + 1, PD, rounds=2)
    assert r.row_counts.tolist() == [[1, 1]]
    r = play_matches([_Depth(k=5), AlwaysCooperate()], one, one + 1, PD, rounds=2)
    assert r.row_counts.tolist() == [[2, 0]]


def test_asymmetric_views_three_by_two() -> None:
    """In a 3 x 2 game the row side sees 2 partner actions, the column side 3."""
    table = np.zeros((3, 2, 2))
    table[1, 1] = (7.0, 11.0)
    r = play(_Sees(), _Sees(), table, rounds=2)
    assert (r.row_payoff.tolist(), r.col_payoff.tolist()) == ([14.0], [22.0])


def test_an_action_equal_to_the_number_of_actions_is_caught_later() -> None:
    """Returning action 2 in a two-action game from round 3 on is reported."""

    class LateTwo(Strategy):
        name = "late-two-test"
        description = "Returns 2 from round 3 on."
        memory_depth = np.inf

        def decide(self, view: HistoryView, rng: np.random.Generator) -> np.ndarray:
            return np.where(view.rounds >= 2, 2, 0).astype(np.int8)

    with pytest.raises(ValueError, match="late-two-test"):
        play(LateTwo(), TitForTat(), PD, rounds=5)


def test_noise_flips_defections_too() -> None:
    """Noise turns a defector's move into cooperation at rate epsilon."""
    r = play(AlwaysDefect(), AlwaysDefect(), PD, n=2000, rounds=10, noise=0.25, rng=4)
    share = r.row_counts[:, 0].sum() / 20000
    assert abs(share - 0.25) < 4 * np.sqrt(0.25 * 0.75 / 20000)


def test_noise_with_three_actions_changes_only_the_flipped_moves() -> None:
    """With noise 0.1 in a 3 x 3 game about 10% of moves change, not all of them."""
    table = np.zeros((3, 3, 2))
    zero = _LeaveAfter(after=10**6, action=0)
    r = play(zero, zero, table, n=2000, rounds=5, noise=0.1, rng=6)
    share = 1 - r.row_counts[:, 0].sum() / 10000
    assert abs(share - 0.1) < 4 * np.sqrt(0.1 * 0.9 / 10000)


def test_tit_for_two_tats_sees_two_rounds_in_the_engine() -> None:
    """Alone with a defector (engine depth 2) TF2T cooperates twice, then defects."""
    r = play(TitForTwoTats(), AlwaysDefect(), PD, rounds=5, record=True)
    assert r.records is not None
    assert r.records.row_actions[0].tolist() == [0, 0, 1, 1, 1]


def test_views_are_consistent_in_a_three_action_game() -> None:
    """With three actions (the general counting path), every view adds up as well."""
    n = 100
    spies = [_Spy(leave=0.0, k=3), _Spy(role=1, leave=0.0, k=3)]
    zeros = np.zeros(n, dtype=int)
    r = play_matches(spies, zeros, zeros + 1, SPY_TABLE3, rounds=12, noise=0.1, rng=8)
    assert (r.rounds == 12).all()
    assert (r.col_counts.sum(axis=1) == 12).all()
