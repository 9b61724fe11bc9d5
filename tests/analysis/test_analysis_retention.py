"""Retention analysis: Kaplan-Meier with censoring, life tables, constant-rate retention."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from longgame.analysis import kaplan_meier, retention_by_period, retention_rate
from longgame.errors import InputError


def geometric_spells(r: float, n: int, horizon: int, seed: int, group: str = "g") -> pd.DataFrame:
    """Spells with geometric lifetimes (retention r per period), censored at ``horizon``."""
    rng = np.random.default_rng(seed)
    life = rng.geometric(1 - r, n)
    start = rng.integers(0, horizon, n)
    end = np.minimum(start + life, horizon)
    return pd.DataFrame({"group": group, "duration": end - start, "event": start + life <= horizon})


def test_km_matches_hand_computed_product_limit() -> None:
    """The curve equals the product-limit estimate computed by hand."""
    sp = pd.DataFrame({"group": "a", "duration": [2, 3, 3, 4, 7, 8],
                       "event": [True, True, False, True, False, True]})  # fmt: skip
    km = kaplan_meier(sp).set_index("time")
    s2 = 5 / 6
    s3 = s2 * (4 / 5)
    s4 = s3 * (2 / 3)
    s8 = s4 * 0
    assert km.survival[2.0] == pytest.approx(s2)
    assert km.survival[3.0] == pytest.approx(s3)
    assert km.survival[4.0] == pytest.approx(s4)
    assert km.survival[8.0] == pytest.approx(s8)
    assert km.at_risk[4.0] == 3


def test_km_recovers_geometric_survival_within_band() -> None:
    """With censoring, the estimate and its 95% band cover the true survival r^t."""
    sp = geometric_spells(0.8, 3000, 40, seed=1)
    km = kaplan_meier(sp)
    for t in (1, 3, 5, 8):
        row = km[km.time == t].iloc[0]
        assert row.ci_low <= 0.8**t <= row.ci_high
        assert row.survival == pytest.approx(0.8**t, abs=0.03)


def test_km_groups_are_separate() -> None:
    """Each group gets its own curve; the loyal group's curve lies above."""
    sp = pd.concat(
        [geometric_spells(0.9, 1000, 30, 2, "loyal"), geometric_spells(0.5, 1000, 30, 3, "fickle")]
    )
    km = kaplan_meier(sp)
    assert set(km.group) == {"loyal", "fickle"}
    at3 = km[km.time == 3].set_index("group").survival
    assert at3["loyal"] > at3["fickle"]


@given(st.lists(st.tuples(st.integers(0, 30), st.booleans()), min_size=1, max_size=60))
def test_km_is_a_survival_curve(spells: list[tuple[int, bool]]) -> None:
    """Survival starts at 1, never increases, stays in [0, 1] and inside its band."""
    sp = pd.DataFrame(spells, columns=["duration", "event"]).assign(group="x")
    km = kaplan_meier(sp)
    s = km.survival.to_numpy()
    assert s[0] == 1.0
    assert np.all(np.diff(s) <= 1e-12)
    assert np.all((s >= 0) & (s <= 1))
    assert np.all(km.ci_low <= s + 1e-9)
    assert np.all(s <= km.ci_high + 1e-9)


def test_life_table_and_constant_rate_recover_retention() -> None:
    """Per-period retention and the pooled constant-rate estimate are close to the true r."""
    sp = geometric_spells(0.85, 5000, 50, seed=4)
    table = retention_by_period(sp)
    early = table[table.period <= 5]
    assert np.allclose(early.retention, 0.85, atol=0.03)
    est = retention_rate(sp).iloc[0]
    assert est.ci_low < 0.85 < est.ci_high
    assert est.ci_high - est.ci_low < 0.02


def test_missing_columns_are_input_errors() -> None:
    """A spells table without duration/event is refused with the missing names."""
    with pytest.raises(InputError, match="duration"):
        kaplan_meier(pd.DataFrame({"group": ["a"], "event": [True]}))


def test_market_spells_feed_survival_curves() -> None:
    """Market spells go straight into kaplan_meier; fair dealers keep customers longer."""
    from longgame.models.market import MarketModel

    sp = (
        MarketModel({"sellers": {"fleecer": 2, "fair-dealer": 2}}, customers=800, rng=0)
        .run(60)
        .tables["spells"]
    )
    km = kaplan_meier(sp)
    at5 = km[km.time <= 5].groupby("group").survival.last()
    assert at5["fair-dealer"] > at5["fleecer"]


def test_band_collapses_before_the_first_event() -> None:
    """Where no relationship has ended yet the band is the point 1, not [0, 1]."""
    sp = pd.DataFrame(
        {"group": "a", "duration": [0, 0, 3, 4, 5], "event": [False, False, True, True, False]}
    )
    km = kaplan_meier(sp)
    before = km[km.time < 3]
    assert (before.ci_low == 1).all()
    assert (before.ci_high == 1).all()
