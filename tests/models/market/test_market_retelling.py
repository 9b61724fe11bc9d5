"""Multi-hop retelling of word of mouth, fading per retelling (issue 15, seed 002)."""

from __future__ import annotations

import numpy as np

from longgame.models.market import MarketModel
from longgame.models.market._network import small_world
from longgame.models.market._wordofmouth import Opinions, retell

CFG = {
    "customers": 3000,
    "sellers": {"fleecer": 3},
    "word_of_mouth": {"reach": 10, "network": {"kind": "clustered"}},
}


def test_retold_news_fades_by_the_credibility_of_each_hop() -> None:
    """On a ring everyone retells: two hops away the weight is strong^2, three hops 0."""
    net = small_world(30, 2, 0.0, np.random.default_rng(0))
    op = Opinions(30, 1, net, forget=0.0)
    n = retell(op, np.array([0]), np.array([0]), np.array([-2.0]), 2, 1.0, 2, 0.3, 0.1,
               np.random.default_rng(0))  # fmt: skip
    assert n == 6
    heard = op.of(np.array([2, 3, 4]), np.array([0, 0, 0]))
    np.testing.assert_allclose(heard, [-2.0 * 0.3, -2.0 * 0.3**2, 0.0], rtol=1e-6)


def test_retelling_spreads_warnings_beyond_the_neighbours() -> None:
    """With retell 0.5 far more customers have heard a warning than with one hop."""
    warned = {}
    for prob in (0.0, 0.5):
        wom = {**CFG["word_of_mouth"], "retell": prob}  # type: ignore[dict-item]
        m = MarketModel({**CFG, "word_of_mouth": wom}, rng=1)
        m.run_for(4)
        warned[prob] = int(m.warned(below=-0.2).sum())
    # one hop: the fleeced customers' 10 neighbours; retold: their neighbours' neighbours
    # (428 against 886 at seed 1)
    assert 1.5 * warned[0.0] < warned[0.5] < 4 * warned[0.0]
    assert warned[0.0] > 100
