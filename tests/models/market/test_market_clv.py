"""Customer lifetime value per group in the market's metrics (issue 15)."""

from __future__ import annotations

import numpy as np
import pytest

from longgame.models.market import MarketModel

SELLERS = {"customers": 1500, "sellers": {"fair-dealer": 2, "fleecer": 2}}


def test_realised_clv_is_the_mean_value_of_the_relationships_that_ended() -> None:
    """clv_realised at step t is the mean lifetime profit of the spells that ended at t."""
    m = MarketModel(SELLERS, rng=3)
    m.run_for(40)
    spells = m.spells()
    ended = spells[spells.event]
    series = m.series("clv_realised")
    checked = 0
    for g, group in enumerate(m.groups):
        mine = ended[ended.group == group]
        for t, rows in mine.groupby("end"):
            assert series[int(t) - 1, g] == pytest.approx(rows.profit.mean(), rel=1e-12)
            checked += 1
        no_end = sorted(set(range(1, 41)) - set(mine.end.astype(int)))
        assert np.isnan(series[np.array(no_end, dtype=int) - 1, g]).all()
    assert checked > 40


def test_closed_form_clv_follows_m_r_over_one_plus_i_minus_r() -> None:
    """Two discount rates on one seed give clv ratios of exactly (1 + i2 - r) / (1 + i1 - r)."""
    runs = {}
    for i in (0.01, 0.1):
        m = MarketModel(SELLERS, lifetime_value={"discount": i}, rng=4)
        m.run_for(40)
        runs[i] = m
    r = runs[0.01].series("retention")[:, 0]
    np.testing.assert_array_equal(r, runs[0.1].series("retention")[:, 0])
    a, b = runs[0.01].series("clv")[:, 0], runs[0.1].series("clv")[:, 0]
    ok = np.isfinite(a)
    assert ok.sum() > 30
    np.testing.assert_allclose(a[ok] / b[ok], (1.1 - r[ok]) / (1.01 - r[ok]), rtol=1e-12)
    margin = a[ok] * (1.01 - r[ok]) / r[ok]
    # a fair dealer earns 0.5 per deal at level 0 (more up the ladder), 90% demand
    assert 0.35 < float(np.median(margin)) < 0.9
