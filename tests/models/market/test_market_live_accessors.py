"""Accessors for a live view: series() without the tidy frame, warned() and Opinions.heard()."""

from __future__ import annotations

import numpy as np

from longgame.models.market import MarketModel
from longgame.models.market._network import small_world
from longgame.models.market._wordofmouth import Opinions


def test_series_equals_the_tidy_metrics() -> None:
    """series(metric) holds exactly the values of metrics() for that metric, by group."""
    m = MarketModel({"sellers": {"fleecer": 2, "fair-dealer": 2}}, customers=400, rng=5)
    m.run_for(12)
    df = m.metrics().query("metric == 'cumulative_profit'")
    wide = df.pivot(index="step", columns="group", values="value")[m.groups].to_numpy()
    np.testing.assert_array_equal(m.series("cumulative_profit"), wide)


def test_heard_is_the_sum_of_the_neighbours_outboxes() -> None:
    """heard() equals the brute-force sum of each customer's neighbours' messages."""
    rng = np.random.default_rng(0)
    net = small_world(30, 4, 0.2, rng)
    op = Opinions(30, 3, net, forget=0.5)
    op.spread(np.array([0, 7, 7]), np.array([1, 2, 1]), np.array([-1.0, -1.0, 0.5]), 10, rng)
    op.fade()
    dense = net.toarray() > 0
    expected = np.zeros((30, 3))
    for sender, slot, w in ((0, 1, -1.0), (7, 2, -1.0), (7, 1, 0.5)):
        expected[dense[sender], slot] += w * 0.5
    np.testing.assert_allclose(op.heard(np.arange(30)), expected, atol=1e-6)


def test_warned_only_where_word_of_mouth_reaches() -> None:
    """With reach 250 fleecers' customers warn many; with reach 0 nobody is warned."""
    talk = MarketModel({"sellers": {"fleecer": 3}}, customers=1000, rng=2)
    quiet = MarketModel(
        {"sellers": {"fleecer": 3}, "word_of_mouth": {"reach": 0}}, customers=1000, rng=2
    )
    talk.run_for(10)
    quiet.run_for(10)
    assert talk.warned().mean() > 0.2
    assert not quiet.warned().any()
    idx = np.array([3, 500, 999])
    np.testing.assert_array_equal(talk.warned(idx), talk.warned()[idx])
