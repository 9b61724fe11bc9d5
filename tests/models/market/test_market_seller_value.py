"""Seller value (skill that grows with training) and honesty (promise vs delivery), issue 15."""

from __future__ import annotations

import numpy as np
import pytest

from longgame.models.market import MarketModel

PAIR = {
    "customers": 1500,
    "takers": {"enabled": False},
    "exchange": {"noise": 0.0},
}


def test_training_grows_skill_and_skill_raises_the_value_delivered() -> None:
    """Skill grows by learn * train per period (exactly) and lifts both sides' gains."""
    sellers = {
        "learner": {"strategy": "fair-dealer", "count": 1, "train": 5.0},
        "plain": {"strategy": "fair-dealer", "count": 1},
    }
    m = MarketModel({**PAIR, "sellers": sellers}, seller_value={"learn": 0.01}, rng=1)
    m.run_for(20)
    assert m.skill.tolist() == pytest.approx([0.5, 0.0])  # 20 periods x 5 x 0.01, at the cap
    surplus = m.series("customer_surplus")[-5:].mean(axis=0)
    # extra value 3 * 0.5 = 1.5 per unit deal, (1 - 0.55) of it to the customer: +0.675
    # at deal size 1; measured 0.79-0.86 (seeds 1-3, deals grow up the ladder)
    assert 0.5 < surplus[0] - surplus[1] < 1.4


def test_without_training_nothing_changes() -> None:
    """train = 0 for every group leaves skill at 0 and the run as it was."""
    sellers = {"a": {"strategy": "fair-dealer", "count": 2}}
    m = MarketModel({**PAIR, "sellers": sellers}, rng=2)
    m.run_for(10)
    assert not m.skill.any()


def test_over_promising_lures_prospects_and_then_loses_them() -> None:
    """A seller who over-promises by 0.3 of the value wins more first deals but keeps far fewer."""
    sellers = {
        "hype": {"strategy": "fair-dealer", "count": 2, "promise": 0.3},
        "plain": {"strategy": "fair-dealer", "count": 2},
    }
    m = MarketModel({**PAIR, "sellers": sellers}, rng=3)
    m.run_for(30)
    new_first = m.series("new_customers")[0]
    assert new_first[0] > 1.5 * new_first[1]  # lure 0.9 logit: acceptance 0.3 -> 0.51
    retention = np.nanmean(m.series("retention")[10:], axis=0)
    # felt surplus 0.55 - 0.9 < 0 every deal: trust falls, customers leave; measured
    # 0.64 against 0.96 (seeds 1-3)
    assert 0.2 < retention[1] - retention[0] < 0.5
