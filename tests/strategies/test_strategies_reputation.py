"""The reputation strategies (milker, builder, optimal opportunist): contract and rules."""

from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np
import pytest

from longgame.errors import InputError
from longgame.strategies import Builder, HistoryView, Milker, OptimalOpportunist, registry
from longgame.testing import StrategyContract

C, D = 0, 1


def _view(n: int, **public: Any) -> HistoryView:
    view = HistoryView.fresh(n)
    view.public = {k: np.broadcast_to(np.asarray(v, dtype=float), (n,)) for k, v in public.items()}
    return view


class TestMilker(StrategyContract):
    strategy = Milker
    behaviour: ClassVar[dict[Any, float]] = {"": C, "D": C, "CC": C}

    def test_fleeces_at_or_above_its_threshold(self) -> None:
        """It deals fair below the rating threshold and fleeces at or above it."""
        out = Milker(threshold=0.8).decide(_view(4, rating=[0.5, 0.79, 0.8, 0.95]), None)  # type: ignore[arg-type]
        assert out.tolist() == [C, C, D, D]


class TestBuilder(StrategyContract):
    strategy = Builder
    params: ClassVar[dict[str, Any]] = {"periods": 2}
    behaviour: ClassVar[dict[Any, float]] = {"": C, "C": C, "CC": D, "DDD": D}

    def test_reads_the_sellers_age(self) -> None:
        """With public ages it fleeces from its N-th period in the market on."""
        out = Builder(periods=10).decide(_view(3, age=[0, 9, 10]), np.random.default_rng(0))
        assert out.tolist() == [C, C, D]


class TestOptimalOpportunist(StrategyContract):
    strategy = OptimalOpportunist

    def test_last_period_fleeces_and_long_horizon_deals_fair(self) -> None:
        """With one period left it fleeces at any rating; far from the end, at a good
        rating among reputable rivals, it deals fair."""
        s = OptimalOpportunist()
        last = s.decide(
            _view(
                3,
                rating=[0.3, 0.6, 0.9],
                remaining=1,
                market_rating=0.8,
                visibility=0.2,
                review_noise=0.1,
            ),
            np.random.default_rng(0),
        )
        assert last.tolist() == [D, D, D]
        far = s.decide(
            _view(
                1, rating=0.85, remaining=100, market_rating=0.8, visibility=0.2, review_noise=0.1
            ),
            np.random.default_rng(0),
        )
        assert far.tolist() == [C]

    def test_invisible_reviews_make_it_fleece(self) -> None:
        """With visibility 0 the rating cannot move, so it fleeces at every rating."""
        out = OptimalOpportunist().decide(
            _view(3, rating=[0.3, 0.7, 0.9], market_rating=0.8, visibility=0.0),
            np.random.default_rng(0),
        )
        assert out.tolist() == [D, D, D]

    def test_end_game_window_is_a_few_periods(self) -> None:
        """Backward induction at rating 0.8: it fleeces in the last 3 to 6 periods only."""
        s = OptimalOpportunist()
        col = round(0.8 * (s.bins - 1))
        for market in (0.5, 0.9):
            pol = s.policy(market, 0.1, True, 60)
            window = int(np.argmin(pol[:, col]))  # periods left from which it deals fair
            assert 3 <= window <= 6
            assert not pol[window:, col].any()

    def test_reputable_rivals_make_it_mimic(self) -> None:
        """At the rating an honest seller reaches (0.9 with review noise 0.1), it milks a
        weak market (rivals at 0.5) but deals fair among reputable rivals (0.9); without
        competition the market's rating changes nothing."""
        col = round(0.9 * 40)
        s = OptimalOpportunist()
        assert s.policy(0.5, 0.1, True, None)[0, col]
        assert not s.policy(0.9, 0.1, True, None)[0, col]
        blind = OptimalOpportunist(competition=False)
        weak = blind.policy(0.5, 0.1, True, None)
        assert np.array_equal(weak, blind.policy(0.9, 0.1, True, None))

    def test_rejects_bad_discount(self) -> None:
        """A discount of 1 or more is an InputError naming the parameter."""
        with pytest.raises(InputError, match="discount=1"):
            OptimalOpportunist(discount=1)


def test_reputation_strategies_are_registered_with_a_contract() -> None:
    """Every strategy of the reputation module is registered and has a contract class."""
    mine = {n for n, c in registry().items() if c.__module__ == "longgame.strategies.reputation"}
    assert mine == {"milker", "builder", "optimal-opportunist"}
    assert {c.memory_depth for c in (Milker, Builder, OptimalOpportunist)} == {0}
    assert math.isclose(Milker().threshold, 0.8)
