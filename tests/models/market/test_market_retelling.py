"""Multi-hop retelling of word of mouth, fading per retelling (issue 15, seed 002)."""

from __future__ import annotations

import numpy as np
import pytest

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


def _star() -> Opinions:
    """Opinions on a star (node 0 linked to 1, 2, 3) with node 4 alone, one seller."""
    from scipy import sparse

    rows, cols = [0, 0, 0, 1, 2, 3], [1, 2, 3, 0, 0, 0]
    net = sparse.csr_array((np.ones(6), (rows, cols)), shape=(5, 5))
    return Opinions(5, 1, net, forget=0.0)


def test_one_retelling_by_the_hub_reaches_its_contacts_and_the_crowd() -> None:
    """A leaf's warning is retold once, by the hub (the leaf's padded table entries
    retell nothing): the hub's contacts hear it at weight times ``strong``, and the
    hub's reach beyond its 3 contacts becomes buzz at weight times ``weak``, heard by
    all: -0.2 * 7 / 5 = -0.28."""
    op = _star()
    told = retell(op, np.array([1]), np.array([0]), np.array([-1.0]), 10, 1.0, 1, 0.5, 0.2,
                  np.random.default_rng(0))  # fmt: skip
    assert told == 1
    heard = op.of(np.arange(5), np.zeros(5, np.intp))
    assert heard.tolist() == pytest.approx([-0.28, -0.78, -0.78, -0.78, -0.28])


@pytest.mark.parametrize(
    ("network", "prob", "hops"), [(False, 1.0, 2), (True, 0.0, 2), (True, 1.0, 0)]
)
def test_no_retelling_without_network_probability_or_hops(
    network: bool, prob: float, hops: int
) -> None:
    """No network, a retelling probability of 0 or no hops: nothing is retold and no
    opinion changes."""
    op = _star() if network else Opinions(5, 1, None, forget=0.0)
    told = retell(op, np.array([1]), np.array([0]), np.array([-1.0]), 10, prob, hops, 0.5,
                  0.2, np.random.default_rng(0))  # fmt: skip
    assert told == 0
    assert op.of(np.arange(5), np.zeros(5, np.intp)).tolist() == [0.0] * 5


def test_a_message_that_stops_spreading_counts_its_retellings() -> None:
    """Retold from a node with no contacts, the message stops at the first hop: no
    retelling, counted as 0 (an int), and nothing heard."""
    op = _star()
    told = retell(op, np.array([4]), np.array([0]), np.array([-1.0]), 10, 1.0, 3, 0.5, 0.2,
                  np.random.default_rng(0))  # fmt: skip
    assert told == 0
    assert isinstance(told, int)
    assert op.of(np.arange(5), np.zeros(5, np.intp)).tolist() == [0.0] * 5


def test_news_retold_at_no_credibility_carries_nothing() -> None:
    """With ``strong`` 0 a retelling carries no weight, to contacts or the crowd."""
    op = _star()
    told = retell(op, np.array([1]), np.array([0]), np.array([-1.0]), 10, 1.0, 1, 0.0, 0.2,
                  np.random.default_rng(0))  # fmt: skip
    assert told == 1
    assert op.of(np.arange(5), np.zeros(5, np.intp)).tolist() == [0.0] * 5
