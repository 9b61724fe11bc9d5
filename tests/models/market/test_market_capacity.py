"""Seller time (attention), capacity use, and the price lever of giving up margin (issue 15)."""

from __future__ import annotations

import numpy as np
import pytest

from longgame.models.market import MarketModel, MarketParams
from longgame.models.market._acquisition import prospect
from longgame.models.market._attention import capacity, quality, quality_loss

BOOK = {
    "customers": 1500,
    "sellers": {"fair-dealer": 1},
    "acquisition": {"capacity": 1500, "contacts": 100},
    "takers": {"enabled": False},
}


def tail_mean(m: MarketModel, metric: str, start: int) -> float:
    """Mean of a metric of the first group from step ``start`` on."""
    return float(np.nanmean(m.series(metric)[start:, 0]))


def test_quality_thins_as_the_book_outgrows_the_sellers_time() -> None:
    """Quality is min(1, time / load) and the value lost is loss * (1 - q) * value * size."""
    p = MarketParams(attention={"enabled": True, "time": 100, "loss": 0.4})
    q = quality(np.array([50.0, 100.0, 400.0]), p)
    assert q.tolist() == [1.0, 1.0, 0.25]
    lost = quality_loss(q, np.array([1.0, 1.0, 2.0]), p)
    assert lost.tolist() == pytest.approx([0.0, 0.0, 0.4 * 0.75 * 3.0 * 2.0])
    assert capacity(p) == 100.0
    assert capacity(MarketParams(acquisition={"capacity": 70})) == 70.0


def test_capacity_use_is_the_book_over_the_sellers_time() -> None:
    """capacity_use equals customers per seller divided by attention.time, step by step."""
    m = MarketModel(BOOK, attention={"enabled": True, "time": 40}, rng=2)
    m.run_for(20)
    np.testing.assert_allclose(m.series("capacity_use"), m.series("customers") / 40.0)
    assert m.series("capacity_use")[-1, 0] > 3  # the book outgrew the seller's time


def test_a_thin_book_serves_customers_worse() -> None:
    """With seller time on, a book 4x its time loses its customers about 1.1 per deal."""
    on = MarketModel(BOOK, attention={"enabled": True, "time": 40, "loss": 0.5}, rng=3)
    off = MarketModel(BOOK, rng=3)
    on.run_for(25)
    off.run_for(25)
    drop = tail_mean(off, "customer_surplus", 15) - tail_mean(on, "customer_surplus", 15)
    # q = 40 / book with books of 160-400: loss * (1 - q) * value * size is 1.1-1.5
    assert 0.7 < drop < 2.5
    # switched off, the same book keeps its surplus: the effect is the mechanism's
    assert tail_mean(off, "customer_surplus", 15) > 0.5


@pytest.mark.parametrize("weight", [0.0, 3.0])
def test_prospects_weigh_the_offered_share_of_the_surplus(weight: float) -> None:
    """Acceptance is logistic(logit(base) + price_weight * (1 - m) S): 0.78 vs 0.51 at weight 3."""
    p = MarketParams(acquisition={"contacts": 4000, "price_weight": weight})
    prospects = np.arange(1_000_000)
    slots = np.array([0, 1])
    offer = np.array([0.7, 0.3])  # (1 - m) S at margins 0.3 and 0.7, S = 1
    _, new_s, contacts = prospect(
        prospects, slots, np.array([4000, 4000]), np.zeros(2), None, p,
        np.random.default_rng(0), offer=offer,
    )  # fmt: skip
    assert contacts.tolist() == [4000, 4000]
    won = np.bincount(new_s, minlength=2) / 4000
    logit = np.log(0.3 / 0.7) + weight * offer
    expected = 1 / (1 + np.exp(-logit))
    # a prospect contacted twice picks one offer: 4000 of 10^6 collide rarely
    assert np.all(np.abs(won - expected) < 4.5 * np.sqrt(expected * (1 - expected) / 4000))


@pytest.mark.parametrize("seed", [3, 4])
def test_friends_chat_time_crowds_out_service(seed: int) -> None:
    """Seed 003's seller who chats instead of selling: with ample seller time, friends'
    chat time (``friendship.chat_time``) overloads the seller; without it nothing changes."""
    ample = {"enabled": True, "time": 2000, "loss": 0.5}
    plain = MarketModel(BOOK, rng=seed)
    quiet = MarketModel(BOOK, attention=ample, friendship={"chat_time": 0.0}, rng=seed)
    chatty = MarketModel(BOOK, attention=ample, friendship={"chat_time": 8.0}, rng=seed)
    for m in (plain, quiet, chatty):
        m.run_for(25)
    # time enough for the book alone: switched off (chat_time 0), results are bit-identical
    np.testing.assert_array_equal(
        plain.series("customer_surplus"), quiet.series("customer_surplus")
    )
    drop = tail_mean(quiet, "customer_surplus", 15) - tail_mean(chatty, "customer_surplus", 15)
    assert 0.2 < drop < 0.4  # measured 0.29-0.30: load = book + 8 x closeness exceeds 2000
    lost = quiet.series("customers")[-1, 0] - chatty.series("customers")[-1, 0]
    assert lost > 150  # measured 217-244 customers fewer after 25 periods
