"""Tournaments and population dynamics: textbook payoffs, seeding, closed forms, the spec."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from longgame.games import donation_game, prisoners_dilemma, trust_game
from longgame.models import get_model
from longgame.models.tournament import (
    SPEC,
    TournamentModel,
    TournamentParams,
    ecological,
    eliminate_and_copy,
    moran_fixation,
    moran_fixation_probability,
    moran_process,
    moran_runs,
    quick,
    replicator,
    round_robin,
    simulate,
)

CLASSICS = ["tit-for-tat", "always-defect", "always-cooperate", "grudger"]


def test_payoff_matrix_is_textbook() -> None:
    """Deterministic strategies give exact per-round payoffs over n rounds."""
    n = 20
    r = round_robin(CLASSICS, prisoners_dilemma(), rounds=n, rng=0)
    tft, alld, allc, grudger = range(4)
    a = r.payoff_matrix
    assert a[tft, alld] == pytest.approx((0 + (n - 1) * 1) / n)
    assert a[alld, tft] == pytest.approx((5 + (n - 1) * 1) / n)
    assert a[alld, allc] == 5.0
    assert a[allc, alld] == 0.0
    assert a[tft, grudger] == 3.0
    assert a[alld, alld] == 1.0
    assert r.turns == n * 10  # 4 * 5 / 2 pairs with self-play
    assert r.cooperation[allc] == 1.0
    assert r.cooperation[alld] == 0.0
    assert r.wins[alld] == 3  # beats every other strategy outright
    assert np.allclose(r.scores, np.nanmean(a, axis=1))


def test_summary_and_payoff_frame_are_tidy() -> None:
    """summary() is sorted by rank with CIs; payoff_frame() has n*n rows."""
    r = round_robin([*CLASSICS, "random"], rounds=30, noise=0.05, repetitions=4, rng=1)
    s = r.summary()
    assert list(s.columns) == [
        "rank", "strategy", "score", "score_std", "ci_low", "ci_high", "total", "wins",
        "cooperation",
    ]  # fmt: skip
    assert s["rank"].is_monotonic_increasing
    assert (s["ci_low"] <= s["score"]).all()
    assert (s["score"] <= s["ci_high"]).all()
    assert s.iloc[0]["strategy"] == r.ranking[0]
    frame = r.payoff_frame()
    assert len(frame) == 25
    assert set(frame["row"]) == set(r.names)


def test_same_seed_same_result_different_seed_differs() -> None:
    """Noisy tournaments reproduce from a seed and change with it."""
    kw = {"rounds": 20, "noise": 0.1, "repetitions": 3}
    a = round_robin(CLASSICS, rng=7, **kw)
    b = round_robin(CLASSICS, rng=7, **kw)
    c = round_robin(CLASSICS, rng=8, **kw)
    assert np.array_equal(a.scores_by_repetition, b.scores_by_repetition)
    assert not np.array_equal(a.scores_by_repetition, c.scores_by_repetition)


def test_results_do_not_depend_on_worker_count(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two worker processes give exactly what one process gives (seeds per block)."""
    from longgame.models import _blocks

    monkeypatch.setattr(_blocks, "PARALLEL_TURNS", 0)  # processes even for small work
    kw = {"rounds": 15, "noise": 0.1, "repetitions": 4, "block_size": 1, "rng": 3}
    serial = round_robin([*CLASSICS, "gtft"], workers=1, **kw)
    parallel = round_robin([*CLASSICS, "gtft"], workers=2, **kw)
    assert np.array_equal(serial.scores_by_repetition, parallel.scores_by_repetition)
    assert np.array_equal(serial.payoff_matrix, parallel.payoff_matrix)
    assert np.array_equal(serial.wins, parallel.wins)


def test_automatic_blocks_keep_small_tournaments_and_follow_the_plan() -> None:
    """Up to ten repetitions are one block, as with the former default block_size=10,
    and a large tournament is cut as ``block_sizes`` says (same results as that plan)."""
    from longgame.models._blocks import block_sizes

    kw = {"rounds": 12, "noise": 0.1, "rng": 5}
    names = [*CLASSICS, "gtft", "random"]
    for reps in (1, 7, 10):
        auto = round_robin(names, repetitions=reps, **kw)
        fixed = round_robin(names, repetitions=reps, block_size=10, **kw)
        assert np.array_equal(auto.scores_by_repetition, fixed.scores_by_repetition)
    pairs = len(names) * (len(names) + 1) // 2
    sizes = block_sizes(1500, pairs, None)
    assert sizes == [750, 750]
    auto = round_robin(names, repetitions=1500, **kw)
    fixed = round_robin(names, repetitions=1500, block_size=750, **kw)
    assert np.array_equal(auto.payoff_matrix, fixed.payoff_matrix)
    tens = round_robin(names, repetitions=1500, block_size=10, **kw)
    assert not np.array_equal(auto.payoff_matrix, tens.payoff_matrix)


def test_small_work_stays_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """workers=2 on an ordinary tournament starts no process (start-up would cost more
    than the tournament)."""
    import concurrent.futures

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a process pool was started")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refuse)
    r = round_robin(CLASSICS, rounds=50, repetitions=40, block_size=5, workers=2, rng=1)
    assert r.scores_by_repetition.shape == (40, len(CLASSICS))


def test_without_self_play_the_diagonal_is_empty() -> None:
    """self_play=False leaves the diagonal NaN and scores average the others only."""
    r = round_robin(["tft", "alld"], rounds=10, self_play=False, rng=0)
    assert np.isnan(np.diag(r.payoff_matrix)).all()
    assert r.scores.tolist() == pytest.approx([0.9, 1.4])


def test_asymmetric_game_plays_both_roles() -> None:
    """In the trust game each strategy plays both roles; the matrix is complete."""
    r = round_robin(["always-cooperate", "always-defect"], trust_game(), rounds=5, rng=0)
    assert np.isfinite(r.payoff_matrix).all()
    # ALLC row (keep) vs ALLD column (betray): investor keeps 10; as trustee ALLC
    # (betray, index 0) against ALLD investor (invest): gets m*e = 30
    assert r.payoff_matrix[0, 1] == pytest.approx((10 + 30) / 2)


def test_continuation_tournament_runs() -> None:
    """Geometric match lengths average 1/(1-w) turns per match."""
    r = round_robin(["tft", "alld"], continuation=0.9, repetitions=30, rng=2)
    matches = 3 * 30
    assert abs(r.turns / matches - 10) < 4 * np.sqrt(90) / np.sqrt(matches)


DONATION_B, DONATION_C = 2.0, 1.0
DONATION_PLAYERS = ["tit-for-tat", "always-defect", "always-cooperate", "grudger"]


def _donation_closed_form(w: float) -> np.ndarray:
    """Expected total per match over expected length 1/(1-w), donation game, no noise."""
    b, c = DONATION_B, DONATION_C
    fleeced = b * (1 - w)  # ALLD meets a reciprocator: b once, whatever the length
    suckered = -c * (1 - w)
    return np.array(
        [
            [b - c, suckered, b - c, b - c],
            [fleeced, 0.0, b, fleeced],
            [b - c, -c, b - c, b - c],
            [b - c, suckered, b - c, b - c],
        ]
    )


@pytest.mark.parametrize("w", [0.3, 0.45, 0.55, 0.7, 0.9])
def test_random_length_payoffs_match_closed_form(w: float) -> None:
    """Every entry of a random-length round robin is E[total]/E[length], not E[total/length]."""
    reps = 2000
    r = round_robin(
        DONATION_PLAYERS,
        donation_game(b=DONATION_B, c=DONATION_C),
        continuation=w,
        repetitions=reps,
        rng=11,
    )
    expected = _donation_closed_form(w)
    # Entries against ALLD are exact (the total does not depend on the length); the
    # cooperative ones are (b - c) L (1 - w) with sd (b - c) sqrt(w): 5 standard errors.
    tol = 5 * (DONATION_B - DONATION_C) * np.sqrt(w) / np.sqrt(reps) + 1e-12
    assert np.abs(r.payoff_matrix - expected).max() <= tol
    assert r.payoff_matrix[1, 0] == pytest.approx(DONATION_B * (1 - w), abs=1e-12)


def test_issue_example_alld_against_tft_at_w_055() -> None:
    """The issue's example: ALLD's entry against TFT at w = 0.55 is b(1-w) = 0.90 (was 1.30)."""
    r = round_robin(
        ["tit-for-tat", "always-defect"],
        donation_game(b=2, c=1),
        continuation=0.55,
        repetitions=4000,
        rng=0,
    )
    assert r.payoff_matrix[1, 0] == pytest.approx(0.90, abs=1e-9)
    assert r.payoff_matrix[0, 0] == pytest.approx(1.0, abs=5 * np.sqrt(0.55 / 4000))


@pytest.mark.parametrize(("w", "tft_wins"), [(0.45, False), (0.55, True), (0.7, True)])
@pytest.mark.parametrize("dynamics", ["ecological", "replicator", "eliminate-copy", "moran"])
def test_tft_resists_defectors_iff_w_above_c_over_b(
    w: float, tft_wins: bool, dynamics: str
) -> None:
    """From 90% TFT, TFT takes over above w = c/b = 0.5 and ALLD takes over below it."""
    params = TournamentParams(
        strategies=["tit-for-tat", "always-defect"],
        game="donation-game",
        game_params={"b": DONATION_B, "c": DONATION_C},
        continuation=w,
        repetitions=400,
        dynamics=dynamics,  # type: ignore[arg-type]
        initial_shares=[0.9, 0.1],  # above the unstable mix 0.45/0.55 = 0.82 at w = 0.55
        population=40,
        replace=2,
        selection=0.5,
    )
    model = TournamentModel(params, rng=3)
    model.run_for(300)
    tft_share = float(model.shares[0])
    assert tft_share > 0.99 if tft_wins else tft_share < 0.01


def test_axelrod_scoring_convention_without_self_play() -> None:
    """self_play=False gives Axelrod's normalised scores (others only); self-play flips ranks."""
    n = 200
    players = ["tit-for-tat", "always-defect", "always-cooperate", "grudger"]
    # Axelrod's normalised score: total over the other three matches / (3 n), by hand
    tft = ((0 + (n - 1) * 1) / n + 3 + 3) / 3
    alld = ((5 + (n - 1) * 1) / n + 5 + (5 + (n - 1) * 1) / n) / 3
    axelrod = round_robin(players, prisoners_dilemma(), rounds=n, self_play=False, rng=0)
    assert axelrod.scores.tolist() == pytest.approx([tft, alld, 2.0, tft], abs=1e-12)
    assert axelrod.ranking[0] == "always-defect"
    assert axelrod.ranking[-1] == "always-cooperate"
    # with self-play (the default) each also meets itself: TFT earns 3, ALLD 1
    ours = round_robin(players, prisoners_dilemma(), rounds=n, rng=0)
    assert ours.scores[0] == pytest.approx((3 * tft + 3) / 4, abs=1e-12)
    assert ours.scores[1] == pytest.approx((3 * alld + 1) / 4, abs=1e-12)
    assert ours.ranking[-1] == "always-defect"


def test_bad_tournament_inputs() -> None:
    """Unknown strategies and bad counts are InputErrors."""
    from longgame.errors import InputError

    with pytest.raises(InputError, match="did you mean 'grudger'"):
        round_robin(["grudgr"], rounds=2)
    with pytest.raises(InputError, match="repetitions=0"):
        round_robin(["tft"], rounds=2, repetitions=0)


# -- dynamics ----------------------------------------------------------------------------


@settings(max_examples=30)
@given(st.lists(st.floats(0.1, 10), min_size=9, max_size=9), st.integers(1, 30))
def test_ecological_stays_on_the_simplex(values: list[float], generations: int) -> None:
    """Ecological shares stay non-negative and sum to one."""
    traj = ecological(np.reshape(values, (3, 3)), [0.2, 0.3, 0.5], generations)
    assert traj.shape == (generations + 1, 3)
    assert np.allclose(traj.sum(axis=1), 1.0)
    assert (traj >= 0).all()


def test_replicator_matches_logistic_closed_form() -> None:
    """With a constant payoff advantage s, x(t) = x0 e^{st} / (1 - x0 + x0 e^{st})."""
    s, x0, dt, steps = 1.0, 0.2, 0.1, 50
    traj = replicator([[s, s], [0.0, 0.0]], [x0, 1 - x0], steps=steps, dt=dt)
    t = np.arange(steps + 1) * dt
    exact = x0 * np.exp(s * t) / (1 - x0 + x0 * np.exp(s * t))
    assert np.allclose(traj[:, 0], exact, atol=1e-7)


def test_fixation_probability_closed_form() -> None:
    """Closed form: 1/N when neutral, (1 - 1/r)/(1 - 1/r^N) otherwise, i/N for i mutants."""
    assert moran_fixation_probability(1.0, 8) == pytest.approx(1 / 8)
    assert moran_fixation_probability(1.0, 8, 3) == pytest.approx(3 / 8)
    assert moran_fixation_probability(2.0, 8) == pytest.approx((1 - 0.5) / (1 - 0.5**8))
    assert moran_fixation_probability(0.5, 8) < 1 / 8


@pytest.mark.parametrize("r", [1.0, 1.5, 0.8])
def test_moran_simulation_agrees_with_closed_form(r: float) -> None:
    """Simulated fixation of one mutant with fitness r lies in a 99.9% binomial interval."""
    n_pop = 8
    est = moran_fixation([[r, r], [1.0, 1.0]], n_pop, runs=6000, selection=1.0, rng=11)
    expected = moran_fixation_probability(r, n_pop)
    assert est.ci_low <= expected <= est.ci_high


def test_moran_can_detect_a_wrong_answer() -> None:
    """The same check rejects the neutral answer when the mutant is fitter (power)."""
    est = moran_fixation([[2.0, 2.0], [1.0, 1.0]], 8, runs=6000, rng=12)
    assert not est.ci_low <= 1 / 8 <= est.ci_high


def test_moran_conserves_population_and_reproduces() -> None:
    """Every Moran run keeps N individuals; the same seed gives the same runs."""
    a = [[3.0, 0.0, 3.0], [5.0, 1.0, 5.0], [3.0, 0.0, 3.0]]
    first = moran_runs(a, [4, 3, 3], runs=50, events=25, selection=0.5, rng=1)
    again = moran_runs(a, [4, 3, 3], runs=50, events=25, selection=0.5, rng=1)
    assert (first.sum(axis=1) == 10).all()
    assert np.array_equal(first, again)
    traj = moran_process(a, [4, 3, 3], generations=5, selection=0.5, rng=2)
    assert (traj.sum(axis=1) == 10).all()


def test_moran_rejects_negative_fitness() -> None:
    """Selection so strong that fitness would be negative is refused."""
    from longgame.errors import InputError

    with pytest.raises(InputError, match=r"selection=1\.0"):
        moran_runs([[-1.0, 0.0], [0.0, 0.0]], [1, 1], selection=1.0)


def test_eliminate_and_copy_conserves_and_breaks_ties_by_seed() -> None:
    """Population size is kept; equal scores are broken by the seeded rng."""
    flat = np.ones((3, 3))
    a = eliminate_and_copy(flat, [5, 5, 5], k=3, generations=6, rng=1)
    b = eliminate_and_copy(flat, [5, 5, 5], k=3, generations=6, rng=1)
    c = eliminate_and_copy(flat, [5, 5, 5], k=3, generations=6, rng=2)
    assert (a.sum(axis=1) == 15).all()
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


def test_eliminate_and_copy_trust_demo() -> None:
    """Case's demo: in a 10-round PD, copycats outlast fleecers once pushovers are gone."""
    r = round_robin(["tft", "alld", "allc"], rounds=10, rng=0)
    traj = eliminate_and_copy(r.payoff_matrix, [5, 5, 15], k=5, generations=10, rng=0)
    assert traj[-1].tolist() == [25, 0, 0]


# -- the model and its spec ----------------------------------------------------------------


def test_params_forbid_unknown_keys_and_hint_names() -> None:
    """Unknown keys and strategy typos are validation errors with hints."""
    with pytest.raises(ValidationError, match="extra"):
        TournamentParams(strategies=["tft"], round=3)  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="did you mean 'grudger'"):
        TournamentParams(strategies=["grudgr"])
    with pytest.raises(ValidationError, match="unknown parameter 'x'"):
        TournamentParams(strategies=[{"name": "gtft", "x": 1}])
    with pytest.raises(ValidationError, match="both set"):
        TournamentParams(strategies=["tft"], rounds=3, continuation=0.5)
    with pytest.raises(ValidationError, match="needs self_play"):
        TournamentParams(strategies=["tft"], self_play=False)
    with pytest.raises(ValidationError, match="prisoners-dilemma"):
        TournamentParams(strategies=["tft"], game_params={"T": 0})
    with pytest.raises(ValidationError, match=r"strategies\[1\].*same strategy as strategies\[0\]"):
        TournamentParams(strategies=["fleecer", "always-defect"])
    assert TournamentParams(strategies=[{"name": "gtft"}, {"name": "gtft", "generosity": 0.3}])


@pytest.mark.parametrize(
    "dynamics", ["none", "ecological", "replicator", "moran", "eliminate-copy"]
)
def test_simulate_returns_tidy_metrics(dynamics: str) -> None:
    """simulate() returns step/group/metric/value rows; shares sum to one at every step."""
    params = TournamentParams(
        strategies=["tft", "fleecer", {"name": "gtft", "generosity": 0.2}],
        rounds=10,
        repetitions=2,
        noise=0.02,
        dynamics=dynamics,  # type: ignore[arg-type]
        population=12,
        replace=2,
    )
    out = simulate(params, 4, np.random.default_rng(0))
    m = out.metrics
    assert list(m.columns) == ["step", "group", "metric", "value"]
    assert sorted(m["step"].unique().tolist()) == [1, 2, 3, 4]
    shares = m[m.metric == "share"].groupby("step")["value"].sum()
    assert np.allclose(shares, 1.0)
    assert set(m.group) == {"tft", "fleecer", "gtft", "all"}  # names as written
    assert {"score", "share", "cooperation", "fitness", "rank"} <= set(m.metric)
    assert set(out.tables) == {"payoff_matrix", "ranking"}
    again = simulate(params, 4, np.random.default_rng(0))
    assert again.metrics.equals(m)


def test_model_is_a_mesa_model_with_strategy_agents() -> None:
    """The model uses Mesa 3 (rng, agents, run_for) and exposes shares per agent."""
    model = TournamentModel(TournamentParams(strategies=["tft", "alld"], rounds=5), rng=3)
    model.run_for(2)
    assert model.steps == 2
    assert sorted(a.strategy.name for a in model.agents) == ["always-defect", "tit-for-tat"]
    assert sum(a.share for a in model.agents) == pytest.approx(1.0)


def test_spec_is_registered_and_quick_shrinks() -> None:
    """get_model('tournament') is this SPEC, and quick() shrinks rounds and repetitions."""
    assert get_model("tournament") is SPEC
    small = quick({"strategies": ["tft"], "repetitions": 50, "population": 500, "replace": 100})
    assert small == {
        "strategies": ["tft"], "rounds": 50, "repetitions": 2, "population": 50, "replace": 25,
    }  # fmt: skip
    TournamentParams.model_validate(small)
