"""Retention analysis: Kaplan-Meier with censoring, life tables, constant-rate retention."""

from __future__ import annotations

import re
import warnings
from typing import Any

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
    assert early.period.tolist() == [1, 2, 3, 4, 5]
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


# ---- exact values (hand-computed) ------------------------------------------------------

COLUMNS_KM = ["group", "time", "survival", "ci_low", "ci_high", "at_risk", "n"]
COLUMNS_LIFE = ["group", "period", "at_risk", "ended", "retention"]
COLUMNS_RATE = ["group", "retention", "ci_low", "ci_high", "events", "exposure", "n"]


def _greenwood_log_log(times: list[float], confidence: float) -> list[tuple[float, float]]:
    """The log-log Greenwood band of the six-spell example below, computed by hand."""
    from scipy.stats import norm

    z = norm.ppf(0.5 + confidence / 2)
    # event times 1 (6 at risk, 1 ends), 2 (5 at risk, 2 end), 5 (2 at risk, 1 ends)
    steps = {1.0: (6, 1), 2.0: (5, 2), 5.0: (2, 1)}
    out = []
    for t in times:
        s, g = 1.0, 0.0
        for when, (n, d) in steps.items():
            if when <= t:
                s *= (n - d) / n
                g += d / (n * (n - d))
        sigma = np.sqrt(g) / abs(np.log(s))
        out.append((s ** np.exp(z * sigma), s ** np.exp(-z * sigma)))
    return out


SIX = pd.DataFrame(
    {"group": "a", "duration": [1, 2, 2, 5, 3, 6], "event": [True, True, True, True, False, False]}
)


@pytest.mark.parametrize("confidence", [0.95, 0.9])
def test_km_band_is_the_hand_computed_greenwood_log_log_band(confidence: float) -> None:
    """The default band is Greenwood's variance on the log-log scale, at the asked level."""
    km = kaplan_meier(SIX, confidence=confidence)
    assert km.columns.tolist() == COLUMNS_KM
    assert km.index.tolist() == list(range(6))
    assert km.time.tolist() == [0.0, 1.0, 2.0, 3.0, 5.0, 6.0]
    assert km.survival.tolist() == pytest.approx([1, 5 / 6, 0.5, 0.5, 0.25, 0.25])
    assert km.at_risk.tolist() == [6, 6, 5, 3, 2, 1]
    assert (km.n == 6).all()
    band = _greenwood_log_log([1.0, 2.0, 3.0, 5.0, 6.0], confidence)
    assert km.ci_low.iloc[1:].tolist() == pytest.approx([lo for lo, _ in band], rel=1e-9)
    assert km.ci_high.iloc[1:].tolist() == pytest.approx([hi for _, hi in band], rel=1e-9)
    # 95%, t = 2: S = 1/2, Greenwood sum 1/30 + 2/15 = 1/6
    if confidence == 0.95:
        assert km.ci_low.iloc[2] == pytest.approx(0.11094826035143802, rel=1e-9)


def test_km_linear_band_is_plain_greenwood() -> None:
    """method='linear' gives S ± z·S·sqrt(Greenwood), clipped to [0, 1]."""
    km = kaplan_meier(SIX, method="linear")
    half = 1.959963984540054 * 0.5 * np.sqrt(1 / 30 + 2 / 15)
    assert km.ci_low.iloc[2] == pytest.approx(0.5 - half, rel=1e-9)
    assert km.ci_high.iloc[2] == pytest.approx(0.5 + half, rel=1e-9)
    assert km.ci_low.iloc[4] == 0.0


@pytest.mark.parametrize("confidence", [0, 1, 1.5, -0.5])
def test_km_refuses_confidence_outside_the_open_unit_interval(confidence: float) -> None:
    """confidence must lie strictly between 0 and 1; the message says so exactly."""
    expected = f"kaplan_meier: confidence={confidence!r}; expected a number in (0, 1)"
    with pytest.raises(InputError, match=f"^{re.escape(expected)}$"):
        kaplan_meier(SIX, confidence=confidence)


def test_km_without_events_and_by_none() -> None:
    """All-censored spells give survival 1 with a collapsed band; by=None pools as 'all'."""
    sp = pd.DataFrame({"duration": [3, 1, 3], "event": [False, False, False]})
    km = kaplan_meier(sp, by=None)
    assert km.group.tolist() == ["all"] * 3
    assert km.time.tolist() == [0.0, 1.0, 3.0]
    assert km[["survival", "ci_low", "ci_high"]].to_numpy().tolist() == [[1.0] * 3] * 3
    assert km.at_risk.tolist() == [3, 3, 2]


def test_life_table_with_censored_longest_spell() -> None:
    """The longest spell censored: its periods are at risk but no one ends in them."""
    sp = pd.DataFrame({"group": "a", "duration": [1, 3, 5], "event": [True, True, False]})
    table = retention_by_period(sp)
    assert table.columns.tolist() == COLUMNS_LIFE
    assert table.period.tolist() == [1, 2, 3, 4, 5]
    assert table.at_risk.tolist() == [3, 2, 2, 1, 1]
    assert table.ended.tolist() == [1, 0, 1, 0, 0]
    assert table.retention.tolist() == pytest.approx([2 / 3, 1, 1 / 2, 1, 1])


def test_life_table_keeps_one_period_groups_and_skips_zero_exposure() -> None:
    """A group whose spells all last one period has one row (retention 0); a group with
    only zero-length spells has none and does not stop the groups after it."""
    sp = pd.DataFrame(
        {
            "group": ["a", "a", "b", "b", "b", "c"],
            "duration": [0, 0, 1, 1, 1, 2],
            "event": [True, False, True, True, True, False],
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = retention_by_period(sp)
    assert table.group.tolist() == ["b", "c", "c"]
    assert table.index.tolist() == [0, 1, 2]
    assert table.at_risk.tolist() == [3, 1, 1]
    assert table.ended.tolist() == [3, 0, 0]
    assert table.retention.tolist() == [0.0, 1.0, 1.0]


def test_life_table_ignores_zero_length_spells_in_the_risk_set() -> None:
    """A spell of duration 0 was never at risk in period 1."""
    sp = pd.DataFrame({"group": "a", "duration": [0, 1, 2], "event": [True, True, True]})
    table = retention_by_period(sp)
    assert table.at_risk.tolist() == [2, 1]
    assert table.ended.tolist() == [1, 1]


def test_life_table_takes_integer_events_and_float_durations() -> None:
    """Events given as 0/1 and durations as floats are read as flags and whole periods."""
    sp = pd.DataFrame({"group": "a", "duration": [1.0, 2.0, 2.0], "event": [1, 0, 1]})
    table = retention_by_period(sp)
    assert table.ended.tolist() == [1, 1]
    assert table.at_risk.tolist() == [3, 2]
    rate = retention_rate(sp).iloc[0]
    assert (rate.events, rate.exposure) == (2.0, 5.0)
    km = kaplan_meier(sp)
    assert km.survival.tolist() == pytest.approx([1.0, 2 / 3, 1 / 3])


def test_life_table_of_a_single_spell() -> None:
    """A group of one spell still gets its rows."""
    sp = pd.DataFrame({"group": ["x"], "duration": [2], "event": [True]})
    table = retention_by_period(sp)
    assert table.retention.tolist() == [1.0, 0.0]


@pytest.mark.parametrize("func", [kaplan_meier, retention_by_period, retention_rate])
def test_empty_spells_give_empty_tables_with_the_columns(func: Any) -> None:
    """No spells: an empty table that still has the documented columns."""
    cols = {kaplan_meier: COLUMNS_KM, retention_by_period: COLUMNS_LIFE}.get(func, COLUMNS_RATE)
    out = func(pd.DataFrame({"group": [], "duration": [], "event": []}))
    assert len(out) == 0
    assert out.columns.tolist() == cols


@pytest.mark.parametrize("func", [kaplan_meier, retention_by_period, retention_rate])
def test_missing_group_column_is_named(func: Any) -> None:
    """Each function checks the grouping column too, with the exact message."""
    sp = pd.DataFrame({"duration": [1], "event": [True]})
    expected = "spells: missing column(s) group; expected columns duration, event, group"
    with pytest.raises(InputError, match=f"^{re.escape(expected)}$"):
        func(sp)


@pytest.mark.parametrize("func", [kaplan_meier, retention_by_period, retention_rate])
def test_negative_durations_are_refused(func: Any) -> None:
    """A negative duration is an input error with the exact message."""
    sp = pd.DataFrame({"group": "a", "duration": [2, -1], "event": [True, True]})
    expected = "spells: negative duration; expected durations >= 0 periods"
    with pytest.raises(InputError, match=f"^{re.escape(expected)}$"):
        func(sp)


def test_missing_columns_are_all_named() -> None:
    """Both missing columns are listed, comma-separated, before the expected ones."""
    expected = "spells: missing column(s) duration, event; expected columns duration, event, group"
    with pytest.raises(InputError, match=f"^{re.escape(expected)}$"):
        retention_rate(pd.DataFrame({"group": ["a"]}))


def test_wilson_interval_is_hand_computed() -> None:
    """2 events in 10 periods: r = 0.8 with the Wilson score interval on q = 0.2."""
    sp = pd.DataFrame({"group": "a", "duration": [4, 4, 2], "event": [True, False, True]})
    z = 1.959963984540054  # the 97.5% normal quantile
    q, n = 0.2, 10
    centre = (q + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * np.sqrt(q * (1 - q) / n + z * z / (4 * n * n))
    est = retention_rate(sp)
    assert est.columns.tolist() == COLUMNS_RATE
    row = est.iloc[0]
    assert row.retention == pytest.approx(0.8)
    assert row.ci_low == pytest.approx(1 - (centre + half), rel=1e-12)
    assert row.ci_high == pytest.approx(1 - (centre - half), rel=1e-12)
    assert (row.ci_low, row.ci_high) == pytest.approx((0.4901624715366417, 0.9433178485456247))
    assert (row.events, row.exposure, row.n) == (2.0, 10.0, 3)


@pytest.mark.parametrize(("events", "exposure"), [(2, 10), (0, 7), (7, 7), (13, 40)])
@pytest.mark.parametrize("confidence", [0.8, 0.9, 0.99])
def test_wilson_interval_matches_scipy_binomial_wilson(
    events: int, exposure: int, confidence: float
) -> None:
    """At whole-period exposure the interval is scipy's Wilson interval for a binomial."""
    from scipy.stats import binomtest

    durations = [1] * exposure
    flags = [True] * events + [False] * (exposure - events)
    sp = pd.DataFrame({"group": "a", "duration": durations, "event": flags})
    row = retention_rate(sp, confidence=confidence).iloc[0]
    ref = binomtest(events, exposure).proportion_ci(confidence_level=confidence, method="wilson")
    assert row.ci_low == pytest.approx(1 - ref.high, abs=1e-12)
    assert row.ci_high == pytest.approx(1 - ref.low, abs=1e-12)
    assert row.retention == pytest.approx(1 - events / exposure)


def test_retention_rate_with_zero_exposure_and_exposure_one() -> None:
    """Zero exposure gives NaN (no warning) and keeps later groups; exposure one is a rate."""
    sp = pd.DataFrame(
        {"group": ["a", "a", "b"], "duration": [0, 0, 1], "event": [True, False, True]}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        est = retention_rate(sp)
    assert est.group.tolist() == ["a", "b"]
    a, b = est.iloc[0], est.iloc[1]
    assert np.isnan(a.retention)
    assert np.isnan(a.ci_low)
    assert np.isnan(a.ci_high)
    assert (a.events, a.exposure, a.n) == (1.0, 0.0, 2)
    assert b.retention == 0.0
    assert (b.events, b.exposure, b.n) == (1.0, 1.0, 1)
    assert 0.0 <= b.ci_low < b.ci_high < 1.0


def test_unused_categories_are_not_groups() -> None:
    """A categorical group column's unused categories give no rows."""
    sp = pd.DataFrame({"group": ["a", "a"], "duration": [2, 3], "event": [True, False]})
    sp["group"] = pd.Categorical(sp["group"], categories=["a", "unused"])
    assert retention_rate(sp).group.tolist() == ["a"]
    assert retention_by_period(sp).group.unique().tolist() == ["a"]
    assert kaplan_meier(sp).group.unique().tolist() == ["a"]


def test_groups_come_out_sorted() -> None:
    """Groups are listed in sorted order whatever the input order."""
    sp = pd.DataFrame({"group": ["z", "b", "m"], "duration": [1, 2, 3], "event": [True] * 3})
    assert retention_rate(sp).group.tolist() == ["b", "m", "z"]
    assert retention_by_period(sp).group.unique().tolist() == ["b", "m", "z"]
    km = kaplan_meier(sp)
    assert km.group.unique().tolist() == ["b", "m", "z"]
    assert km.index.tolist() == list(range(len(km)))
    table = retention_by_period(sp)
    assert table.index.tolist() == list(range(len(table)))


def _scipy_km(spells: pd.DataFrame, method: str) -> list[np.ndarray]:
    """One group's curve from scipy.stats.ecdf (time, survival, low, high), as the
    reference implementation the numpy estimator reproduces."""
    from scipy import stats

    d = spells["duration"].to_numpy(dtype=float)
    e = spells["event"].to_numpy(dtype=bool)
    sf = stats.ecdf(stats.CensoredData(uncensored=d[e], right=d[~e])).sf
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        ci = sf.confidence_interval(0.95, method=method)
    s = sf.probabilities
    low = np.where(np.isnan(ci.low.probabilities), s, ci.low.probabilities)
    high = np.where(np.isnan(ci.high.probabilities), s, ci.high.probabilities)
    return [sf.quantiles, s, low, high]


@pytest.mark.parametrize("method", ["log-log", "linear"])
def test_km_of_many_groups_is_bit_identical_to_scipy_ecdf(method: str) -> None:
    """All groups from one sort give exactly scipy's numbers per group (ties, censoring,
    a group with nothing censored, a group with nothing ended, zero durations)."""
    rng = np.random.default_rng(7)
    n = 3000
    sp = pd.DataFrame(
        {
            "group": rng.choice(["a", "b", "c"], n),
            "duration": rng.integers(0, 40, n),
            "event": rng.random(n) < 0.6,
        }
    )
    sp.loc[sp["group"] == "b", "event"] = True  # nothing censored: ecdf's plain formula
    sp.loc[sp["group"] == "c", "event"] = False  # nothing ended
    km = kaplan_meier(sp.assign(group=sp["group"].astype("category")), method=method)
    assert km["group"].unique().tolist() == ["a", "b", "c"]
    for group in ("a", "b"):
        own = km[km["group"] == group].iloc[1:]
        expected = _scipy_km(sp[sp["group"] == group], method)
        got = [own[c].to_numpy() for c in ("time", "survival", "ci_low", "ci_high")]
        for want, have in zip(expected, got, strict=True):
            assert np.array_equal(want, have)  # bit for bit, not approximately
    none_ended = km[km["group"] == "c"]
    assert (none_ended[["survival", "ci_low", "ci_high"]].to_numpy() == 1.0).all()
    c = sp[sp["group"] == "c"]
    assert none_ended["time"].tolist() == [0.0, *sorted(c["duration"].unique().astype(float))]


def test_km_refuses_an_unknown_band_method() -> None:
    """A band method other than log-log or linear is an input error naming it."""
    with pytest.raises(InputError, match=r"^kaplan_meier: method='wald'; expected"):
        kaplan_meier(SIX, method="wald")  # type: ignore[arg-type]
