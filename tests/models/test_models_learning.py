"""Tests for the learning-populations model: boxed pigs as market education, one-shot markets."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from generators import bimatrix_games
from longgame.games import Game, boxed_pigs, hawk_dove, sales_exchange
from longgame.models import METRIC_COLUMNS, get_model
from longgame.models.learning import (
    RULES,
    SPEC,
    LearningModel,
    LearningParams,
    equilibrium_points,
    ne_distance,
    replicator_path,
    simulate,
)

SEEDS = (0, 1, 2)
STEPS = 200


def final(out, metric):
    """The value of ``metric`` per group at the last step of one run."""
    m = out.metrics
    last = m[(m.step == m.step.max()) & (m.metric == metric)]
    return last.set_index("group")["value"].to_dict()


def mean_final(metric, steps=STEPS, **params):
    """Per-group value of ``metric`` at the last step, averaged over SEEDS."""
    p = LearningParams(n_row=150, n_col=150, **params)
    runs = [final(simulate(p, steps, seed), metric) for seed in SEEDS]
    return {g: float(np.mean([r[g] for r in runs])) for g in runs[0]}


# -- the boxed pigs ---------------------------------------------------------------------
@pytest.mark.parametrize("rule", RULES)
def test_default_calibration_converges_to_press_wait(rule):
    """From uniform play, big firms learn to press and small firms to wait, under every rule."""
    press = mean_final("share.press", rule=rule)
    assert press["big"] > 0.95
    assert press["small"] < 0.05
    dist = mean_final("ne_distance", rule=rule)
    assert dist["big"] < 0.05
    assert dist["small"] < 0.05


def test_replicator_path_goes_to_press_wait():
    """The two-population replicator dynamics from uniform shares reach (press, wait)."""
    x, y = replicator_path(boxed_pigs(), [0.5, 0.5], [0.5, 0.5], np.linspace(0, 30, 31))
    assert x[-1, 0] == pytest.approx(1.0, abs=1e-3)
    assert y[-1, 0] == pytest.approx(0.0, abs=1e-3)
    assert np.allclose(x.sum(axis=1), 1.0)
    assert np.allclose(y.sum(axis=1), 1.0)
    assert (np.diff(y[:, 0]) <= 1e-9).all()  # waiting strictly dominates for the small pig


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("press_cost", [7.0, 9.0])
def test_nobody_presses_once_pressing_costs_more_than_the_big_pigs_take(rule, press_cost):
    """With press_cost > food x big_share_small_first = 6, both populations learn to wait."""
    press = mean_final("share.press", rule=rule, game_params={"press_cost": press_cost})
    assert press["big"] < 0.05
    assert press["small"] < 0.05


@pytest.mark.parametrize("rule", RULES)
def test_small_pig_presses_when_pressing_pays_it_more(rule):
    """When arriving together pays the small pig more than following, it presses, big waits."""
    flipped = {"big_share_big_first": 0.5, "big_share_together": 0.3}
    press = mean_final("share.press", rule=rule, game_params=flipped)
    assert press["small"] > 0.95
    assert press["big"] < 0.05


def test_smoothed_fictitious_play_matches_the_logit_reply():
    """Big pigs' residual pressing under smoothed FP matches the closed-form logit choice."""
    # Small pigs wait, so the big pig's press - wait payoff is 6 - 7 = -1 (press_cost 7),
    # and logit choice with precision beta presses with probability 1 / (1 + e^beta).
    for beta in (1.0, 2.0):
        press = mean_final(
            "share.press", rule="fictitious-play", beta=beta, game_params={"press_cost": 7}
        )
        assert press["big"] == pytest.approx(1 / (1 + math.exp(beta)), abs=0.02)


# -- one-shot sales exchange --------------------------------------------------------------
@pytest.mark.parametrize("rule", RULES)
def test_one_shot_market_unravels(rule):
    """Customers learn to walk and trade collapses: both sides end near zero payoff."""
    buy = mean_final("share.buy", game="sales-exchange", rule=rule)
    assert buy["customer"] < 0.15
    payoff = mean_final("payoff", game="sales-exchange", rule=rule)
    fair_deal = sales_exchange().payoffs[0, 0]
    assert payoff["seller"] < 0.5 * fair_deal[0]
    assert abs(payoff["customer"]) < 0.5 * fair_deal[1]


@pytest.mark.parametrize("rule", ["roth-erev", "fictitious-play"])
def test_sellers_learn_to_fleece(rule):
    """Under reinforcement and fictitious play most sellers end up fleecing."""
    fleece = mean_final("share.fleece", game="sales-exchange", rule=rule)
    assert fleece["seller"] > 0.55


def test_replicator_unravels_the_one_shot_market():
    """The replicator path of the sales exchange ends with customers walking, sellers fleecing."""
    x, y = replicator_path(sales_exchange(), [0.5, 0.5], [0.5, 0.5], [0.0, 50.0])
    assert y[-1, 1] == pytest.approx(1.0, abs=1e-3)
    assert x[-1, 1] > 0.8


# -- replicator dynamics and distances ------------------------------------------------------
def test_replicator_rest_points():
    """Pure profiles and the interior hawk-dove equilibrium are rest points."""
    g = hawk_dove(V=2, C=4)
    x, y = replicator_path(g, [0.5, 0.5], [0.5, 0.5], [0, 5, 10])
    assert np.allclose(x, 0.5, atol=1e-6)
    assert np.allclose(y, 0.5, atol=1e-6)
    x, y = replicator_path(boxed_pigs(), [0.0, 1.0], [1.0, 0.0], [0, 5])
    assert np.allclose(x[-1], [0.0, 1.0])
    assert np.allclose(y[-1], [1.0, 0.0])


def test_replicator_rejects_bad_input():
    """Shapes must match the game and times must be non-decreasing."""
    with pytest.raises(ValueError, match="entries"):
        replicator_path(boxed_pigs(), [1.0], [0.5, 0.5], [0, 1])
    with pytest.raises(ValueError, match="non-decreasing"):
        replicator_path(boxed_pigs(), [0.5, 0.5], [0.5, 0.5], [2, 1])
    with pytest.raises(ValueError, match="y0 must be non-negative"):
        replicator_path(boxed_pigs(), [0.5, 0.5], [1.5, -0.5], [0, 1])


def test_replicator_keeps_relative_precision_of_vanishing_shares():
    """A dominated action keeps falling against its dominator after both drop below 1e-10.

    Integrating shares directly (absolute tolerance 1e-10) let this ratio rise again at
    t = 2; log-shares make its decline exact up to the solver's relative tolerance.
    """
    g = Game(
        name="random",
        players=("row", "column"),
        actions=(("r0", "r1"), ("c0", "c1", "c2")),
        payoffs=[[[2, 9], [0, -4], [0, 0]], [[-1, 0], [0, 0], [0, 1]]],
    )
    t = np.linspace(0, 2, 9)
    _x, y = replicator_path(g, [0.777, 0.223], [0.918, 0.0626, 0.0197], t)
    assert y[-1, 2] < 1e-8
    log_ratio = np.log(y[:, 1] / y[:, 2])
    # d/dt log(y1/y2) = (xB)_1 - (xB)_2 lies in [-4, -1] for every x.
    slopes = np.diff(log_ratio) / np.diff(t)
    assert ((slopes >= -4 - 1e-6) & (slopes <= -1 + 1e-6)).all()


def test_ne_distance_measures_to_the_nearest_equilibrium_and_continuum():
    """Distance is 0 at equilibria, including inside a continuum, and positive elsewhere."""
    eq = equilibrium_points(boxed_pigs())
    assert [float(d) for d in ne_distance([1, 0], [0, 1], eq)] == [0.0, 0.0]
    assert [float(d) for d in ne_distance([0, 1], [1, 0], eq)] == [1.0, 1.0]
    # sales exchange: every seller mix with fleece >= 1/2 against walking is an equilibrium
    eq = equilibrium_points(sales_exchange())
    dx, dy = ne_distance([0.3, 0.7], [0.0, 1.0], eq)
    assert float(dx) < 0.02
    assert float(dy) == 0.0
    dx, _ = ne_distance([0.8, 0.2], [0.0, 1.0], eq)
    assert float(dx) == pytest.approx(0.3, abs=0.02)


# -- the run contract ---------------------------------------------------------------------
def test_metrics_are_tidy_and_complete():
    """Metrics have the contract's columns, 1-based steps, both groups, shares summing to 1."""
    out = simulate(LearningParams(n_row=20, n_col=20), 30, 0)
    m = out.metrics
    assert tuple(m.columns) == METRIC_COLUMNS
    assert sorted(m.step.unique()) == list(range(1, 31))
    assert set(m.group) == {"big", "small"}
    assert set(m.metric) == {"share.press", "share.wait", "payoff", "ne_distance"}
    assert len(m) == 30 * 2 * 4
    shares = m[m.metric.str.startswith("share.")].groupby(["step", "group"])["value"].sum()
    assert np.allclose(shares, 1.0)
    assert m["value"].dtype == np.float64


def test_replicator_and_theory_tables():
    """The run carries the replicator path at the same steps and the equilibrium shares."""
    out = simulate(LearningParams(n_row=20, n_col=20), 30, 0)
    rep = out.tables["replicator"]
    assert tuple(rep.columns) == METRIC_COLUMNS
    assert rep[["step", "group", "metric"]].equals(out.metrics[["step", "group", "metric"]])
    theory = out.tables["theory"]
    assert list(theory.columns) == ["equilibrium", "group", "action", "equilibrium_share"]
    eq = theory.set_index(["group", "action"])["equilibrium_share"].to_dict()
    assert eq == {
        ("big", "press"): 1.0,
        ("big", "wait"): 0.0,
        ("small", "press"): 0.0,
        ("small", "wait"): 1.0,
    }


def test_payoff_metric_matches_the_cells_played():
    """Once converged to (press, wait), both groups earn the cell's payoffs (4, 4)."""
    payoff = final(simulate(LearningParams(rule="imitation"), STEPS, 0), "payoff")
    assert payoff == {"big": pytest.approx(4.0), "small": pytest.approx(4.0)}


@pytest.mark.parametrize("rule", RULES)
def test_same_seed_same_run_different_seed_different_run(rule):
    """Runs are reproducible from the seed and differ across seeds."""
    p = LearningParams(rule=rule, n_row=30, n_col=30)
    a = simulate(p, 20, 5).metrics
    b = simulate(p, 20, np.random.default_rng(5)).metrics
    c = simulate(p, 20, 6).metrics
    pd.testing.assert_frame_equal(a, b)
    assert not a["value"].equals(c["value"])


def test_unequal_population_sizes():
    """Populations of different sizes are matched so everyone plays every period."""
    model = LearningModel(LearningParams(n_row=30, n_col=70, rule="fictitious-play"), rng=1)
    rows, cols = model._matching()
    assert len(rows) == len(cols) == 70
    assert set(rows.tolist()) == set(range(30))
    assert sorted(cols.tolist()) == list(range(70))
    assert np.bincount(rows).min() >= 2
    model.run_for(40)
    assert model.steps == 40
    assert len(model.metrics()) == 40 * 2 * 4


def test_initial_shares_are_used():
    """Custom initial shares start the populations (and the replicator) there."""
    p = LearningParams(
        rule="imitation",
        initial_row=[0.1, 0.9],
        initial_col=[0.9, 0.1],
        n_row=2000,
        n_col=2000,
        revision_rate=0.001,
    )
    first = simulate(p, 1, 0).metrics
    step1 = first[first.metric == "share.press"].set_index("group")["value"]
    assert step1["big"] == pytest.approx(0.1, abs=0.03)
    assert step1["small"] == pytest.approx(0.9, abs=0.03)


def test_spec_is_registered_and_quick_shrinks_populations():
    """The runner finds the model by name; --quick caps both populations."""
    assert get_model("learning") is SPEC
    assert SPEC.params is LearningParams
    assert SPEC.quick({"n_row": 500, "n_col": 10}) == {"n_row": 50, "n_col": 10}
    assert SPEC.quick({})["n_row"] == 50
    assert SPEC.quick({"rule": "imitation"})["rule"] == "imitation"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"n_rows": 10}, "Extra inputs are not permitted"),
        ({"rule": "q-learning"}, "roth-erev"),
        ({"game": "boxed-pig"}, "did you mean 'boxed-pigs'"),
        ({"game_params": {"press_cost": -1}}, "press_cost=-1 is out of range"),
        ({"game_params": {"presscost": 1}}, "unknown parameter 'presscost'"),
        ({"initial_row": [0.5, 0.6]}, "summing to 1"),
        ({"initial_row": [0.2, 0.3, 0.5]}, "expected 2"),
        ({"beta": 0}, "greater than 0"),
        ({"forgetting": 1.0}, "less than 1"),
    ],
)
def test_bad_parameters_are_named(raw, message):
    """Invalid parameters fail validation with a message naming the problem."""
    with pytest.raises(ValidationError, match=message):
        LearningParams.model_validate(raw)


def test_game_params_sweep_values_are_validated_through_the_catalog():
    """Every catalog parameter of the game can be set (as a sweep would) and is used."""
    p = LearningParams.model_validate({"game_params": {"press_cost": 3, "food": 12}})
    assert p.build_game() == boxed_pigs(press_cost=3, food=12)


def test_model_is_a_mesa_model_with_population_agents():
    """The model uses Mesa 3: rng from the argument, one agent per population, run_for."""
    import mesa

    model = LearningModel(rng=0)
    assert isinstance(model, mesa.Model)
    assert len(model.agents) == 2
    model.run_for(3)
    assert model.steps == 3


@given(bimatrix_games(min_actions=2, max_actions=3), st.integers(0, 2**32 - 1))
def test_replicator_shrinks_dominated_actions_relative_to_their_dominator(game, seed):
    """Along the replicator path x_i / x_j falls whenever action j strictly dominates i."""
    rng = np.random.default_rng(seed)
    x0 = rng.dirichlet(np.ones(game.shape[0]))
    y0 = rng.dirichlet(np.ones(game.shape[1]))
    x, y = replicator_path(game, x0, y0, np.linspace(0, 2, 9))
    assert np.allclose(x.sum(axis=1), 1.0)
    assert np.allclose(y.sum(axis=1), 1.0)
    for paths, M in ((x, game.row_payoffs), (y, game.col_payoffs.T)):
        for i in range(M.shape[0]):
            for j in range(M.shape[0]):
                if (M[j] > M[i]).all():
                    ratio = paths[:, i] / paths[:, j]
                    assert (np.diff(ratio) <= 1e-6 * (1 + ratio[:-1])).all()


def test_press_cost_sweep_runs_from_a_config(tmp_path, capsys):
    """A TOML config sweeping game_params.press_cost runs and shows the equilibrium switch."""
    import longgame
    from longgame.cli import main

    config = tmp_path / "boxed-pigs.toml"
    config.write_text(
        """
[experiment]
name = "boxed-pigs-sweep"
model = "learning"
steps = 150
replicates = 2
seed = 7

[parameters]
rule = "imitation"
n_row = 60
n_col = 60

[sweep]
"game_params.press_cost" = [2, 7]

[outputs]
figures = []
""",
        encoding="utf-8",
    )
    main(["run", str(config), "--out", str(tmp_path / "out"), "--workers", "1"])
    capsys.readouterr()
    results = longgame.load_results(tmp_path / "out")
    m = results.metrics()
    last = m[(m.step == 150) & (m.metric == "share.press")]
    press = last.groupby(["game_params.press_cost", "group"])["value"].mean()
    assert press[(2, "big")] > 0.9
    assert press[(2, "small")] < 0.1
    assert press[(7, "big")] < 0.1
    assert set(results.tables()) >= {"replicator", "theory"}
