"""Two-way trust by matched self-disclosure, the Johari window (issue 16, seed 002)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from longgame.models.market import DisclosureParams, MarketModel
from longgame.models.market._disclosure import Disclosure

SEEDS = (0, 1, 2)
PACED = {
    "none": {"strategy": "fair-dealer", "count": 2},
    "matched": {"strategy": "fair-dealer", "count": 2},
    "eager": {"strategy": "fair-dealer", "count": 2},
}


def _run(seed: int, steps: int = 60, **disclosure: Any) -> pd.DataFrame:
    params = {
        "sellers": PACED,
        "disclosure": {
            "enabled": True,
            "pace": {"none": "none", "matched": "matched", "eager": "eager"},
            **disclosure,
        },
    }
    df = MarketModel(params, customers=1500, rng=seed).run(steps).metrics
    return df.pivot_table(index="step", columns=["metric", "group"], values="value")


def test_an_early_step_alarms_and_a_matched_one_is_answered() -> None:
    """Eager before min_deals: trust times (1 - backfire), no answer; matched after
    min_deals with reciprocity 1: answered, trust unchanged."""
    p = DisclosureParams(enabled=True, reciprocity=1.0, min_deals=2, backfire=0.3)
    d = Disclosure(2, p)
    trust = np.array([0.5, 0.5], np.float32)
    cost, leave = d.step(np.arange(2), np.array([2, 1], np.int8), np.array([1, 2]), trust,
                         np.array([0.4, 0.4], np.float32), np.random.default_rng(0))  # fmt: skip
    assert trust.tolist() == pytest.approx([0.35, 0.5])
    assert leave.tolist() == [True, False]
    assert d.seller_open.tolist() == [1, 1]
    assert d.customer_open.tolist() == [0, 1]
    assert cost.tolist() == pytest.approx([p.step_cost, p.step_cost])
    assert d.mutual(np.arange(2)).tolist() == pytest.approx([0.0, 0.25])


def test_disclosure_off_is_todays_market_exactly() -> None:
    """With the block disabled (whatever its other settings) the run is bit-identical."""
    base = {"sellers": {"fleecer": 2, "fair-dealer": 2}, "customers": 400}
    a = MarketModel(base, rng=3).run(40).metrics
    b = MarketModel({**base, "disclosure": {"enabled": False, "reciprocity": 1.0}}, rng=3)
    pd.testing.assert_frame_equal(a, b.run(40).metrics)


def test_matched_disclosure_climbs_the_ladder_fastest() -> None:
    """At period 30 matched relationships stand at least 0.7 levels above silent ones
    (measured 1.6-1.8); with no ladder speed-up from mutual trust, within 0.3."""
    for seed in SEEDS:
        on = _run(seed, 30)["ladder_level"].loc[30]
        assert on["matched"] - on["none"] >= 0.7
        off = _run(seed, 30, speedup=0.0, need_value=0.0)["ladder_level"].loc[30]
        assert abs(off["matched"] - off["none"]) < 0.3


def test_eager_disclosure_backfires() -> None:
    """Eager sellers keep at least 5 points fewer of their customers per period than
    matched sellers, and their ladder stays below silent sellers' at period 30; without
    backfire (0) their retention is within 2 points of matched sellers'."""
    for seed in SEEDS:
        on = _run(seed, 30)
        ret = on["retention"].loc[10:].mean()
        assert ret["matched"] - ret["eager"] >= 0.05
        assert on["ladder_level"].loc[30]["eager"] < on["ladder_level"].loc[30]["none"]
        off = _run(seed, 30, backfire=0.0)["retention"].loc[10:].mean()
        assert abs(off["eager"] - off["matched"]) < 0.02


def test_customers_disclosed_needs_raise_what_matched_sellers_earn() -> None:
    """Need value 0.5 raises matched sellers' profit over silent ones' by at least 40%;
    with need value 0 the gain is under half of that."""
    for seed in SEEDS:
        gain = {}
        for need in (0.5, 0.0):
            cum = _run(seed, 60, need_value=need)["cumulative_profit"].iloc[-1]
            gain[need] = cum["matched"] / cum["none"] - 1
        assert gain[0.5] >= 0.4
        assert gain[0.0] < 0.5 * gain[0.5]


def test_a_pace_for_an_unknown_group_is_an_input_error() -> None:
    """A pace given for a group the market does not have names the group and the choices."""
    from longgame.errors import InputError

    params = {
        "sellers": {"fair-dealer": 1},
        "disclosure": {"enabled": True, "pace": {"eagre": "eager"}},
    }
    with pytest.raises(
        InputError, match=r"disclosure.pace: group 'eagre' is unknown.*'fair-dealer'"
    ):
        MarketModel(params, customers=50, rng=0)
