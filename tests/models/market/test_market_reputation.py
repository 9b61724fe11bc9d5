"""Beliefs, public reviews and sellers who play with reputation (issue 16), in the market."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from longgame.models.market import BeliefParams, MarketModel
from longgame.models.market._beliefs import Beliefs, expected_surplus

SEEDS = (0, 1, 2)


def _run(sellers: dict[str, Any], steps: int, seed: int, **beliefs: Any) -> pd.DataFrame:
    params = {
        "sellers": sellers,
        "stop_loss": {"enabled": False},  # fleecers stay in the market as rivals
        "beliefs": {"enabled": True, **beliefs},
    }
    model = MarketModel(params, customers=2000, rng=seed)
    df = model.run(steps).metrics
    return df.pivot_table(index="step", columns=["metric", "group"], values="value")


# -- the belief update ------------------------------------------------------------------


def test_current_belief_is_prior_plus_deals_plus_credited_reviews() -> None:
    """A customer's posterior mean is (a0 + fair + c F) / (a0 + b0 + deals + c N), exactly."""
    p = BeliefParams(enabled=True, prior_fair=0.6, prior_strength=5.0, review_weight=0.5,
                     review_noise=0.1, forget=0.0, visibility=1.0)  # fmt: skip
    b = Beliefs(10, 2, 0, 0.0, p)
    b.reviews[1] = [8.0, 2.0]
    got = b.current(np.array([1, 0]), np.array([[3, 1], [0, 0]]))
    c = 0.5 * (1 - 2 * 0.1)
    assert got[0] == pytest.approx((3.0 + 3 + c * 8) / (5.0 + 4 + c * 10), abs=1e-12)
    assert got[1] == pytest.approx(0.6, abs=1e-12)
    assert b.rating()[1] == pytest.approx((3.0 + 8) / (5.0 + 10), abs=1e-12)


def test_reviews_count_every_deal_at_full_visibility_and_none_at_zero() -> None:
    """Visibility 1 without noise reviews each deal as it was; visibility 0 leaves none."""
    slots = np.array([0, 0, 1, 1, 1])
    acts = np.array([0, 1, 0, 0, 1], dtype=np.int8)
    full = Beliefs(5, 2, 0, 0.0, BeliefParams(enabled=True, visibility=1.0, review_noise=0.0))
    full.review(slots, acts, np.random.default_rng(0))
    assert full.reviews.tolist() == [[1.0, 1.0], [2.0, 1.0]]
    none = Beliefs(5, 2, 0, 0.0, BeliefParams(enabled=True, visibility=0.0))
    none.review(slots, acts, np.random.default_rng(0))
    assert none.reviews.sum() == 0


def test_word_of_mouth_reaches_the_neighbourhood_weighted_by_tie_strength() -> None:
    """Fleecing deals near a prospect lower its belief; weak ties carry less than strong."""
    p = BeliefParams(enabled=True, prior_fair=0.5, prior_strength=2.0, talk=1.0, forget=0.0)
    b = Beliefs(1000, 1, 10, 0.0, p)
    buyers = np.arange(100, 110)
    b.talk(buyers, np.zeros(10, np.intp), np.ones(10, np.int8))
    near, far = b.mean(np.array([105, 600]), np.zeros(2, np.intp))
    assert far == pytest.approx(0.5)
    # 10 fleeces in the 30 customers of the three blocks around 105, times degree 10
    assert near == pytest.approx(1.0 / (2.0 + 10 * 10 / 30), rel=1e-6)
    weak = Beliefs(1000, 1, 10, 1.0, p)  # every tie rewired: weak ties only
    weak.talk(buyers, np.zeros(10, np.intp), np.ones(10, np.int8))
    got = weak.mean(np.array([105]), np.zeros(1, np.intp))[0]
    assert got == pytest.approx(1.0 / (2.0 + 0.3 * 10 * 10 / 1000), rel=1e-6)


def test_expected_surplus_is_linear_in_the_belief() -> None:
    """E = p cR + (1 - p) cT at p = 0, 1/2, 1."""
    out = expected_surplus(np.array([0.0, 0.5, 1.0]), np.full(3, 0.6), np.full(3, -0.5))
    assert out.tolist() == pytest.approx([-0.5, 0.05, 0.6])


def test_beliefs_off_is_todays_market_exactly() -> None:
    """With the block disabled (whatever its other settings) the run is bit-identical."""
    base = {"sellers": {"fleecer": 2, "fair-dealer": 2}, "customers": 400}
    a = MarketModel(base, rng=5).run(40).metrics
    b = MarketModel({**base, "beliefs": {"enabled": False, "visibility": 1.0}}, rng=5)
    pd.testing.assert_frame_equal(a, b.run(40).metrics)


def test_public_reviews_starve_a_fleecer_of_new_customers() -> None:
    """With reviews visible (0.3) a fleecer wins under half the new customers it wins
    when they are invisible, on every seed; with beliefs off visibility changes nothing."""
    sellers = {"fleecer": 2, "fair-dealer": 2}
    for seed in SEEDS:
        new = {
            vis: _run(sellers, 60, seed, visibility=vis)["new_customers"]["fleecer"].sum()
            for vis in (0.0, 0.3)
        }
        assert new[0.3] < 0.5 * new[0.0]


# -- sellers who play with reputation -----------------------------------------------------


def _fair_share(df: pd.DataFrame, group: str) -> pd.Series:
    return df["fair_share"][group]


def test_known_end_makes_the_opportunist_milk_at_the_end() -> None:
    """Known final period: fair (>= 95%) until 10 periods before it, then it milks (fair
    <= 10% in the last 3); with the end unknown it stays fair to the end (>= 90%)."""
    sellers = {"opp": {"strategy": "optimal-opportunist", "count": 2}, "fair-dealer": 2,
               "fleecer": 2}  # fmt: skip
    for seed in SEEDS:
        known = _fair_share(_run(sellers, 80, seed, known_end=True), "opp")
        assert known.loc[20:70].mean() >= 0.95
        assert known.loc[78:80].mean() <= 0.1
        unknown = _fair_share(_run(sellers, 80, seed, known_end=False), "opp")
        assert unknown.loc[78:80].mean() >= 0.9


def test_honest_rivals_make_the_opportunist_mimic_longer() -> None:
    """Among 3 committed honest sellers in 10 it milks at most 0.6 times as often as
    among fleecers only (measured 0.2-0.5); blind to competition it does not respond."""
    for seed in SEEDS:
        milk = {}
        for comp in (True, False):
            o = {"strategy": "optimal-opportunist", "count": 2, "params": {"competition": comp}}
            alone = 1 - _fair_share(_run({"opp": o, "fleecer": 8}, 150, seed), "opp").loc[20:]
            mixed = _run({"opp": o, "fleecer": 5, "fair-dealer": 3}, 150, seed)
            milk[comp] = (alone.mean(), 1 - _fair_share(mixed, "opp").loc[20:].mean())
        assert milk[True][0] >= 0.04
        assert milk[True][1] <= 0.6 * milk[True][0]
        assert milk[False][0] == milk[False][1]


def test_invisible_reviews_make_fleecing_pay() -> None:
    """Fleecer profit relative to a fair dealer's is higher at visibility 0 than at 0.3
    (by at least 0.1 of the fair dealer's profit); with beliefs off the two are equal."""
    sellers = {"fleecer": 2, "fair-dealer": 2}
    for seed in SEEDS:
        rel = {}
        for vis in (0.0, 0.3):
            cum = _run(sellers, 80, seed, visibility=vis)["cumulative_profit"].iloc[-1]
            rel[vis] = cum["fleecer"] / cum["fair-dealer"]
        assert rel[0.0] - rel[0.3] >= 0.1
        off = [
            MarketModel(
                {
                    "sellers": sellers,
                    "stop_loss": {"enabled": False},
                    "beliefs": {"enabled": False, "visibility": vis},
                },
                customers=2000,
                rng=seed,
            )
            .run(20)
            .metrics
            for vis in (0.0, 0.3)
        ]
        pd.testing.assert_frame_equal(off[0], off[1])


def test_milker_rating_hovers_at_its_threshold_and_it_fleeces_sometimes() -> None:
    """The milker's rating settles within 0.05 of its threshold and it fleeces in 5-60%
    of the later periods (it deals fair throughout when reviews are invisible)."""
    sellers = {"milker": {"strategy": "milker", "count": 2, "params": {"threshold": 0.8}},
               "fair-dealer": 2}  # fmt: skip
    for seed in SEEDS:
        df = _run(sellers, 120, seed, visibility=0.3)
        assert abs(df["rating"]["milker"].loc[60:].mean() - 0.8) < 0.05
        assert 0.05 <= 1 - _fair_share(df, "milker").loc[60:].mean() <= 0.6
        dark = _run(sellers, 60, seed, visibility=0.0)
        assert _fair_share(dark, "milker").mean() == 1.0
