"""Lifetime value: closed form vs simulation, discounting, and the sBG fit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from longgame.analysis import (
    clv,
    clv_from_cash_flows,
    fit_sbg,
    simulate_cash_flows,
    survivor_counts,
)
from longgame.errors import InputError


@pytest.mark.parametrize(("m", "r", "i"), [(1.0, 0.9, 0.0), (50.0, 0.7, 0.1), (3.0, 0.5, 0.05)])
def test_closed_form_matches_simulated_cash_flows(m: float, r: float, i: float) -> None:
    """m r / (1 + i - r) equals the mean discounted value of simulated geometric lifetimes."""
    cf = simulate_cash_flows(m, r, periods=200, n=100_000, rng=1)
    sim = clv_from_cash_flows(cf, i)
    se = sim.std() / np.sqrt(sim.size)
    assert abs(sim.mean() - float(clv(m, r, i))) < 4 * se + 1e-9


@given(m=st.floats(0, 100), r=st.floats(0, 0.99), i=st.floats(0, 1))
def test_closed_form_is_geometric_sum(m: float, r: float, i: float) -> None:
    """The closed form equals the sum of m (r / (1 + i))^t over t >= 1."""
    q = r / (1 + i)
    t = np.arange(1, 5000)
    assert float(clv(m, r, i)) == pytest.approx(float(np.sum(m * q**t)), rel=1e-6, abs=1e-9)


def test_clv_rejects_bad_inputs() -> None:
    """Retention outside [0, 1], negative discount, and r = 1 with i = 0 are input errors."""
    with pytest.raises(InputError, match="retention"):
        clv(1, 1.5)
    with pytest.raises(InputError, match="discount"):
        clv(1, 0.5, -0.1)
    with pytest.raises(InputError, match="no finite value"):
        clv(1, 1.0, 0.0)


def test_sbg_reproduces_fader_hardie_high_end() -> None:
    """The fit of Fader & Hardie's (2007) high-end cohort gives alpha 0.668, beta 3.806."""
    fit = fit_sbg([1000, 869, 743, 653, 593, 551, 517, 491])
    assert fit.alpha == pytest.approx(0.668, abs=0.002)
    assert fit.beta == pytest.approx(3.806, abs=0.005)
    assert fit.survival(0) == pytest.approx(1.0)
    assert fit.retention(1) < fit.retention(5)


def test_sbg_recovers_parameters_from_simulated_cohort() -> None:
    """Survivor counts of a simulated Beta-geometric cohort give back alpha and beta."""
    rng = np.random.default_rng(3)
    churn = rng.beta(1.5, 4.0, 50_000)
    life = rng.geometric(churn)
    counts = survivor_counts(life, np.ones(life.size, dtype=bool), 12)
    fit = fit_sbg(counts)
    assert fit.alpha == pytest.approx(1.5, rel=0.1)
    assert fit.beta == pytest.approx(4.0, rel=0.1)


def test_sbg_rejects_growing_cohort() -> None:
    """A cohort that grows is not survivor counts."""
    with pytest.raises(InputError, match="never increase"):
        fit_sbg([100, 120, 80])


def test_survivor_counts_with_staggered_starts_are_unbiased() -> None:
    """Spells started at different times and censored at one end date: counting only
    spells that could be followed for the whole horizon recovers geometric survival."""
    rng = np.random.default_rng(5)
    n, end, horizon, r = 40_000, 30, 8, 0.8
    start = rng.integers(0, end, n)
    life = rng.geometric(1 - r, n)  # periods lasted, P(life > t) = r**t
    window = end - start
    ended = life <= window
    duration = np.where(ended, life, window)  # censored: lasted more than the window
    counts = survivor_counts(duration, ended, horizon, window=window)
    n0 = counts[0]
    assert n0 == np.count_nonzero(window >= horizon)
    expected = n0 * r ** np.arange(horizon + 1)
    # binomial sd of each count, 5 sd tolerance
    sd = np.sqrt(n0 * r ** np.arange(horizon + 1) * (1 - r ** np.arange(horizon + 1)))
    assert np.all(np.abs(counts - expected) <= 5 * sd + 1)
    # the naive count (ended spells kept, short censored ones dropped) is biased
    naive = duration[ended | (duration >= horizon)]
    naive_share = np.mean(naive > horizon)
    assert naive_share < r**horizon - 0.02


def test_survivor_counts_refuses_a_cohort_not_followed_long_enough() -> None:
    with pytest.raises(InputError, match="censored spell"):
        survivor_counts([1, 2, 3], [True, False, False], 5)
    with pytest.raises(InputError, match="window has 2 values"):
        survivor_counts([1, 2, 3], [True, False, False], 5, window=[9, 9])
