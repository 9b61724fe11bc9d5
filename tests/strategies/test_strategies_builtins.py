"""Every built-in strategy passes the contract, plus scripted matches of its rule."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pytest

from longgame.errors import InputError
from longgame.strategies import (
    Alternator,
    AlwaysCooperate,
    AlwaysDefect,
    GenerousTitForTat,
    GridConsultative,
    GridCountryClub,
    GridHardSell,
    GridImpoverished,
    GridMiddleOfTheRoad,
    GridPosition,
    Grudger,
    HistoryView,
    Prober,
    Random,
    StopLossInvestor,
    TitForTat,
    TitForTwoTats,
    WalkAway,
    WinStayLoseShift,
    registry,
)
from longgame.testing import StrategyContract, play_against, play_script

C, D = 0, 1


#: modules holding the built-ins (doctest examples elsewhere register toy classes)
BUILTIN_MODULES = ("longgame.strategies.classic", "longgame.strategies.sales")


class TestAlwaysCooperate(StrategyContract):
    strategy = AlwaysCooperate

    def test_cooperates_against_anything(self) -> None:
        """It cooperates whatever the partner does."""
        assert play_against(self.make(), [D, D, C, D]).tolist() == [C, C, C, C]


class TestAlwaysDefect(StrategyContract):
    strategy = AlwaysDefect

    def test_defects_against_anything(self) -> None:
        """It defects whatever the partner does."""
        assert play_against(self.make(), [C, C, D]).tolist() == [D, D, D]


class TestTitForTat(StrategyContract):
    strategy = TitForTat

    def test_copies_last_move(self) -> None:
        """It opens with C and then copies the partner's previous action."""
        assert play_against(self.make(), [D, C, D, D, C]).tolist() == [C, D, C, D, D]


class TestGrudger(StrategyContract):
    strategy = Grudger

    def test_never_forgives(self) -> None:
        """One defection makes it defect for ever."""
        assert play_against(self.make(), [C, D, C, C, C]).tolist() == [C, C, D, D, D]


class TestWinStayLoseShift(StrategyContract):
    strategy = WinStayLoseShift

    def test_pavlov_rule(self) -> None:
        """It repeats its action after the partner cooperated and switches after a defection."""
        # own: C; p=D -> shift to D; p=D -> shift to C; p=C -> stay C; p=C -> stay C
        assert play_against(self.make(), [D, D, C, C, D]).tolist() == [C, D, C, C, C]

    def test_recovers_from_mutual_defection_against_itself(self) -> None:
        """After a (D, D) round two Pavlovs return to cooperation at once."""
        view = HistoryView.from_actions([[C, D]], [[C, D]])
        assert self.make().decide(view, np.random.default_rng(0)).tolist() == [C]


class TestTitForTwoTats(StrategyContract):
    strategy = TitForTwoTats

    def test_needs_two_defections(self) -> None:
        """It defects only after two defections in a row."""
        assert play_against(self.make(), [D, C, D, D, D, C]).tolist() == [C, C, C, C, D, D]


class TestGenerousTitForTat(StrategyContract):
    strategy = GenerousTitForTat
    params: ClassVar[dict[str, Any]] = {"generosity": 0.3}

    def test_forgiveness_rate(self) -> None:
        """After a defection it cooperates with probability generosity (binomial bounds)."""
        n = 20_000
        view = HistoryView.from_actions(np.zeros((n, 1)), np.ones((n, 1)))
        out = self.make().decide(view, np.random.default_rng(1))
        rate = float(np.mean(out == C))
        assert abs(rate - 0.3) < 4 * np.sqrt(0.3 * 0.7 / n)

    def test_rejects_bad_generosity(self) -> None:
        """Generosity outside [0, 1] is an InputError naming strategy and parameter."""
        with pytest.raises(InputError, match=r"generous-tit-for-tat: generosity=1.5"):
            GenerousTitForTat(generosity=1.5)
        with pytest.raises(InputError, match="not a number"):
            GenerousTitForTat(generosity="high")  # type: ignore[arg-type]

    def test_zero_generosity_is_tit_for_tat(self) -> None:
        """With generosity 0 it plays exactly like tit for tat."""
        script = self.partner_script()
        a, _ = play_script(GenerousTitForTat(generosity=0.0), script)
        b, _ = play_script(TitForTat(), script)
        assert np.array_equal(a, b)


class TestProber(StrategyContract):
    strategy = Prober

    def test_exploits_a_pushover(self) -> None:
        """Against an unconditional cooperator it probes, then defects for ever."""
        assert play_against(self.make(), [C] * 7).tolist() == [C, D, C, C, D, D, D]

    def test_turns_tit_for_tat_against_a_retaliator(self) -> None:
        """If the partner retaliates during the probe it plays tit for tat afterwards."""
        partner = [C, C, D, C, C, D, C]  # tit for tat's answer to C, D, C, C, then own moves
        assert play_against(self.make(), partner).tolist() == [C, D, C, C, C, C, D]


class TestRandom(StrategyContract):
    strategy = Random
    params: ClassVar[dict[str, Any]] = {"p": 0.25}

    def test_cooperation_rate(self) -> None:
        """It cooperates with probability p (within binomial bounds)."""
        out = play_against(self.make(), np.zeros((400, 25), dtype=np.int8))
        rate = float(np.mean(out == C))
        assert abs(rate - 0.25) < 4 * np.sqrt(0.25 * 0.75 / out.size)

    def test_rejects_bad_p(self) -> None:
        """A probability outside [0, 1] is rejected."""
        with pytest.raises(InputError, match=r"random: p=-0\.1 is out of range"):
            Random(p=-0.1)


class TestAlternator(StrategyContract):
    strategy = Alternator

    def test_alternates(self) -> None:
        """It plays C, D, C, D whatever the partner does."""
        assert play_against(self.make(), [D, D, D, D]).tolist() == [C, D, C, D]


class TestWalkAway(StrategyContract):
    strategy = WalkAway

    def test_exits_after_first_bad_deal(self) -> None:
        """It asks to leave right after the partner's first defection, not before."""
        _, exits = play_script(self.make(), [C, C, D, C])
        assert exits[0].tolist() == [False, False, True, False]


class TestStopLossInvestor(StrategyContract):
    strategy = StopLossInvestor
    params: ClassVar[dict[str, Any]] = {"limit": 6.0, "basis": "relative"}

    def test_exits_when_relative_loss_exceeds_limit(self) -> None:
        """Exploited by a taker it loses 5 per round and leaves once the loss exceeds 6."""
        _, exits = play_script(self.make(), [D, D, D, D])
        assert exits[0].tolist() == [False, True, True, True]

    def test_own_basis_in_a_losing_game(self) -> None:
        """By default it leaves once its own cumulative payoff falls below -limit."""
        table = np.array([[[-2.0, 3.0], [-2.0, 3.0]], [[0.0, 0.0], [0.0, 0.0]]])
        s = StopLossInvestor(limit=3)
        _, exits = play_script(s, [C, C, C], payoffs=table)
        assert exits[0].tolist() == [False, True, True]

    def test_rejects_bad_parameters(self) -> None:
        """Negative limits and unknown bases are rejected with the parameter named."""
        with pytest.raises(InputError, match="limit=-1"):
            StopLossInvestor(limit=-1)
        with pytest.raises(InputError, match="basis='net'"):
            StopLossInvestor(basis="net")


class TestGridImpoverished(StrategyContract):
    strategy = GridImpoverished


class TestGridCountryClub(StrategyContract):
    strategy = GridCountryClub

    def test_forgives_takers(self) -> None:
        """Grid 1.9 keeps dealing fair with a taker."""
        assert play_against(self.make(), [D, D, D]).tolist() == [C, C, C]


class TestGridMiddleOfTheRoad(StrategyContract):
    strategy = GridMiddleOfTheRoad


class TestGridHardSell(StrategyContract):
    strategy = GridHardSell


class TestGridConsultative(StrategyContract):
    strategy = GridConsultative

    def test_retaliates_then_forgives(self) -> None:
        """Grid 9.9 with no generosity answers one fleecing with one hard deal."""
        out = play_against(GridConsultative(generosity=0.0), [C, D, C, C])
        assert out.tolist() == [C, C, D, C]


class TestGridPosition(StrategyContract):
    strategy = GridPosition
    params: ClassVar[dict[str, Any]] = {"customer_concern": 3, "sale_concern": 7}

    def test_corners_match_the_named_profiles(self) -> None:
        """Grid (sale 9, customer 1) always fleeces; (1, 9) always deals fair; (9, 9) is TFT."""
        hard = GridPosition(customer_concern=1, sale_concern=9)
        friend = GridPosition(customer_concern=9, sale_concern=1)
        team = GridPosition(customer_concern=9, sale_concern=9)
        assert play_against(hard, [C, C, D]).tolist() == [D, D, D]
        assert play_against(friend, [D, D, D]).tolist() == [C, C, C]
        assert play_against(team, [C, D, C, C]).tolist() == [C, C, D, C]

    def test_fleecing_rate_follows_the_concerns(self) -> None:
        """Against a fair partner it fleeces at rate sc * (1 - cc), within sampling error."""
        view = HistoryView.fresh(20_000, depth=1, n_actions=2)
        out = GridPosition(customer_concern=3, sale_concern=7).decide(
            view, np.random.default_rng(0)
        )
        expected = (6 / 8) * (1 - 2 / 8)
        assert abs(out.mean() - expected) < 4 * np.sqrt(expected * (1 - expected) / 20_000)

    def test_rejects_concerns_off_the_grid(self) -> None:
        """Concerns outside 1..9 are an InputError naming the parameter."""
        with pytest.raises(InputError, match="sale_concern=10"):
            GridPosition(sale_concern=10)


def test_grid_profiles_carry_concerns() -> None:
    """Each sales-grid profile's name matches its (sale, customer) concerns on 1..9."""
    for name, cls in registry().items():
        if name.startswith("grid-"):
            sale, customer = (int(x) for x in name.removeprefix("grid-").split("."))
            assert (cls.sale_concern, cls.customer_concern) == (sale, customer)  # type: ignore[attr-defined]


def test_every_builtin_has_a_contract_test() -> None:
    """No built-in is left without a contract test class in this module."""
    tested = {
        obj.strategy
        for obj in globals().values()
        if isinstance(obj, type) and issubclass(obj, StrategyContract) and obj.strategy
    }
    builtins = {cls for cls in registry().values() if cls.__module__ in BUILTIN_MODULES}
    assert builtins <= tested
