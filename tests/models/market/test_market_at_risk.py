"""Capital at risk with an upside: it buys prospect contacts (issue 15, seed 001)."""

from __future__ import annotations

import numpy as np
import pytest

from longgame.models.market import MarketModel

BASE = {
    "customers": 3000,
    "sellers": {"fair-dealer": 2},
    "stop_loss": {"capital": 100.0, "at_risk": 0.5, "invest_rate": 0.3},
    "acquisition": {"contacts": 5, "capacity": 1000},
}


def test_capital_at_risk_buys_contacts_in_proportion() -> None:
    """Extra contacts are floor(invest_rate * (capital - floor)): 15 at 50 money at risk."""
    m = MarketModel(BASE, rng=0)
    slots = np.arange(2)
    extra = m._growth_contacts(slots)
    assert extra is not None
    assert extra.tolist() == [15, 15]
    m.capital[:] = [60.0, 200.0]  # 10 and 150 above the floor of 50
    extra = m._growth_contacts(slots)
    assert extra is not None
    assert extra.tolist() == [3, 45]
    off = MarketModel(BASE, stop_loss={"capital": 100.0, "invest_rate": 0.0}, rng=0)
    assert off._growth_contacts(slots) is None


def test_all_in_grows_faster_than_one_third() -> None:
    """In the first period all-in contacts 35 prospects, one third 14, and wins ~2.5x as many."""
    new = {}
    for at_risk in (1 / 3, 1.0):
        sl = {"capital": 100.0, "at_risk": at_risk, "invest_rate": 0.3}
        m = MarketModel({**BASE, "sellers": {"fair-dealer": 10}}, stop_loss=sl, rng=1)
        m.run_for(1)
        new[at_risk] = float(m.series("new_customers")[0, 0])
    # 5 + floor(0.3 * 100) = 35 contacts vs 5 + floor(0.3 * 33.3) = 14, acceptance ~0.3
    assert new[1.0] / new[1 / 3] == pytest.approx(35 / 14, rel=0.25)
    assert new[1.0] - new[1 / 3] > 4


def test_capital_metric_counts_sellers_who_left() -> None:
    """The capital metric is the mean capital of all the group's sellers, active or not."""
    m = MarketModel(BASE, takers={"share": 0.6}, stop_loss={"capital": 20.0}, rng=2)
    m.run_for(40)
    assert m.series("capital")[-1, 0] == pytest.approx(float(m.capital.mean()))
    assert not m.seller_active.all()  # some left, and still count
