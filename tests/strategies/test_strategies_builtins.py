"""Every built-in strategy passes the contract, plus scripted matches of its rule."""

from __future__ import annotations

import math
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
    behaviour: ClassVar[dict[Any, float]] = {"": C, "D": C, "DD": C, "CDC": C}

    def test_cooperates_against_anything(self) -> None:
        """It cooperates whatever the partner does."""
        assert play_against(self.make(), [D, D, C, D]).tolist() == [C, C, C, C]


class TestAlwaysDefect(StrategyContract):
    strategy = AlwaysDefect
    behaviour: ClassVar[dict[Any, float]] = {"": D, "C": D, "CC": D, "DC": D}

    def test_defects_against_anything(self) -> None:
        """It defects whatever the partner does."""
        assert play_against(self.make(), [C, C, D]).tolist() == [D, D, D]


class TestTitForTat(StrategyContract):
    strategy = TitForTat
    behaviour: ClassVar[dict[Any, float]] = {"": C, "C": C, "D": D, "DC": C, "CCD": D, "DDC": C}

    def test_copies_last_move(self) -> None:
        """It opens with C and then copies the partner's previous action."""
        assert play_against(self.make(), [D, C, D, D, C]).tolist() == [C, D, C, D, D]


class TestGrudger(StrategyContract):
    strategy = Grudger
    behaviour: ClassVar[dict[Any, float]] = {"": C, "C": C, "D": D, "DC": D, "CCCDCC": D, "CCCC": C}

    def test_never_forgives(self) -> None:
        """One defection makes it defect for ever."""
        assert play_against(self.make(), [C, D, C, C, C]).tolist() == [C, C, D, D, D]


class TestWinStayLoseShift(StrategyContract):
    strategy = WinStayLoseShift
    behaviour: ClassVar[dict[Any, float]] = {"": C, "C": C, "D": D, "DD": C, "DC": D, "DDC": C}

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
    behaviour: ClassVar[dict[Any, float]] = {"": C, "D": C, "DD": D, "DCD": C, "CDD": D, "DDC": C}

    def test_needs_two_defections(self) -> None:
        """It defects only after two defections in a row."""
        assert play_against(self.make(), [D, C, D, D, D, C]).tolist() == [C, C, C, C, D, D]


class TestGenerousTitForTat(StrategyContract):
    strategy = GenerousTitForTat
    params: ClassVar[dict[str, Any]] = {"generosity": 0.3}
    behaviour: ClassVar[dict[Any, float]] = {"": C, "C": C, "D": 0.3, "CD": 0.3, "DC": C}

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
    behaviour: ClassVar[dict[Any, float]] = {
        "": C,
        "C": D,
        "CC": C,
        "CCC": C,
        "CCCC": D,
        "CCCCC": D,
        "CCCD": D,
        "CCCDC": C,
        "DCCCC": C,
        "CCCCD": D,
    }

    def test_exploits_a_pushover(self) -> None:
        """Against an unconditional cooperator it probes, then defects for ever."""
        assert play_against(self.make(), [C] * 7).tolist() == [C, D, C, C, D, D, D]

    def test_turns_tit_for_tat_against_a_retaliator(self) -> None:
        """If the partner retaliates during the probe it plays tit for tat afterwards."""
        partner = [C, C, D, C, C, D, C]  # tit for tat's answer to C, D, C, C, then own moves
        assert play_against(self.make(), partner).tolist() == [C, D, C, C, C, C, D]

    def test_a_defection_in_round_four_is_retaliation(self) -> None:
        """The probe lasts four rounds: a partner whose only defection is in round 4 has
        retaliated, so it gets tit for tat (D once, then C), not exploitation."""
        partner = [C, C, C, D, C, C, C]
        assert play_against(self.make(), partner).tolist() == [C, D, C, C, D, C, C]

    def test_a_defection_in_round_five_is_not_retaliation(self) -> None:
        """A defection after the probe does not count: the pushover is still exploited."""
        partner = [C, C, C, C, D, C, C]
        assert play_against(self.make(), partner).tolist() == [C, D, C, C, D, D, D]

    def test_relationships_of_different_ages_in_one_batch(self) -> None:
        """In one call, rows at different rounds decide as each would alone (markets batch
        relationships that started at different times)."""
        s = self.make()
        # row 0: a pushover, five rounds in; row 1: one round in; row 2: defected in round 5
        histories = [[C, C, C, C, C], [C], [C, C, C, C, D]]
        state = s.init_state(3)
        view = HistoryView.fresh(3, depth=1, state=state)
        for i, h in enumerate(histories):
            solo = HistoryView.fresh(1, depth=1, state=s.init_state(1))
            for r, b in enumerate(h):
                a = s.decide(solo, np.random.default_rng(0))
                solo.rounds[:] = r + 1
                solo.own_last[0, 0], solo.partner_last[0, 0] = a[0], b
            view.rounds[i] = solo.rounds[0]
            view.own_last[i] = solo.own_last[0]
            view.partner_last[i] = solo.partner_last[0]
            for k, v in solo.state.items():
                state[k][i] = v[0]
        assert s.decide(view, np.random.default_rng(0)).tolist() == [D, D, D]
        view.partner_last[2, 0] = C  # same ages, but row 2's partner cooperated in round 5
        assert s.decide(view, np.random.default_rng(0)).tolist() == [D, D, D]


class TestRandom(StrategyContract):
    strategy = Random
    params: ClassVar[dict[str, Any]] = {"p": 0.25}
    behaviour: ClassVar[dict[Any, float]] = {"": 0.25, "D": 0.25, "CC": 0.25}

    def test_cooperation_rate(self) -> None:
        """It cooperates with probability p (within binomial bounds)."""
        out = play_against(self.make(), np.zeros((400, 25), dtype=np.int8))
        rate = float(np.mean(out == C))
        assert abs(rate - 0.25) < 4 * np.sqrt(0.25 * 0.75 / out.size)

    def test_rejects_bad_p(self) -> None:
        """A probability outside [0, 1] is rejected."""
        with pytest.raises(InputError, match=r"random: p=-0\.1 is out of range"):
            Random(p=-0.1)
        with pytest.raises(InputError, match=r"^random: p=1\.5 is out of range; expected a "):
            Random(p=1.5)
        assert Random(p=1.0).p == 1.0


class TestAlternator(StrategyContract):
    strategy = Alternator
    behaviour: ClassVar[dict[Any, float]] = {"": C, "D": D, "DD": C, "CCC": D}

    def test_alternates(self) -> None:
        """It plays C, D, C, D whatever the partner does."""
        assert play_against(self.make(), [D, D, D, D]).tolist() == [C, D, C, D]


class TestWalkAway(StrategyContract):
    strategy = WalkAway
    behaviour: ClassVar[dict[Any, float]] = {"": C, "D": C, "CDC": C}

    def test_exits_after_first_bad_deal(self) -> None:
        """It asks to leave right after the partner's first defection, not before."""
        _, exits = play_script(self.make(), [C, C, D, C])
        assert exits[0].tolist() == [False, False, True, False]


class TestStopLossInvestor(StrategyContract):
    strategy = StopLossInvestor
    params: ClassVar[dict[str, Any]] = {"limit": 6.0, "basis": "relative"}
    behaviour: ClassVar[dict[Any, float]] = {"": C, "DD": C, "DDDD": C}

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
    behaviour: ClassVar[dict[Any, float]] = {"": C, "D": C, "DD": C}


class TestGridCountryClub(StrategyContract):
    strategy = GridCountryClub
    behaviour: ClassVar[dict[Any, float]] = {"": C, "D": C, "DD": C}

    def test_forgives_takers(self) -> None:
        """Grid 1.9 keeps dealing fair with a taker."""
        assert play_against(self.make(), [D, D, D]).tolist() == [C, C, C]


class TestGridMiddleOfTheRoad(StrategyContract):
    strategy = GridMiddleOfTheRoad
    # fleeces with 0.5 * (1 - 0.5) = 0.25; after a take also answers with 0.5:
    # P(fair) = 0.75 * 0.5 = 0.375
    behaviour: ClassVar[dict[Any, float]] = {"": 0.75, "D": 0.375, "DC": 0.75, "CD": 0.375}


class TestGridHardSell(StrategyContract):
    strategy = GridHardSell
    behaviour: ClassVar[dict[Any, float]] = {"": D, "C": D, "CC": D}


class TestGridConsultative(StrategyContract):
    strategy = GridConsultative
    behaviour: ClassVar[dict[Any, float]] = {"": C, "C": C, "D": D, "DC": C}

    def test_retaliates_then_forgives(self) -> None:
        """Grid 9.9 answers one fleecing with one hard deal, then deals fair again."""
        out = play_against(self.make(), [C, D, C, C])
        assert out.tolist() == [C, C, D, C]


def test_named_profiles_are_the_grid_rule_at_their_points() -> None:
    """Each named profile plays exactly like grid(cc, sc) at its point, same seed."""
    rng_hist = np.random.default_rng(5)
    own = rng_hist.integers(0, 2, (3000, 1))
    partner = rng_hist.integers(0, 2, (3000, 1))
    view = HistoryView.from_actions(own, partner)
    for cls in (
        GridImpoverished,
        GridCountryClub,
        GridMiddleOfTheRoad,
        GridHardSell,
        GridConsultative,
    ):
        point = GridPosition(customer_concern=cls.customer_concern, sale_concern=cls.sale_concern)
        named = cls().decide(view, np.random.default_rng(11))
        general = point.decide(view, np.random.default_rng(11))
        assert named.tolist() == general.tolist(), cls.name


class TestGridPosition(StrategyContract):
    strategy = GridPosition
    params: ClassVar[dict[str, Any]] = {"customer_concern": 3, "sale_concern": 7}
    behaviour: ClassVar[dict[Any, float]] = {"": 0.4375, "C": 0.4375, "D": 0.109375, "DC": 0.4375}

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


#: the declared memory depth of every built-in (math.inf: unbounded), pinned
MEMORY_DEPTH = {
    "always-cooperate": 0,
    "always-defect": 0,
    "random": 0,
    "grid-1.1": 0,
    "grid-1.9": 0,
    "grid-9.1": 0,
    "tit-for-tat": 1,
    "win-stay-lose-shift": 1,
    "generous-tit-for-tat": 1,
    "alternator": 1,
    "walk-away": 1,
    "grid-5.5": 1,
    "grid-9.9": 1,
    "grid": 1,
    "tit-for-two-tats": 2,
    "grudger": math.inf,
    "prober": math.inf,
    "stop-loss-investor": math.inf,
}


def test_memory_depth_of_every_builtin_is_pinned() -> None:
    """Each built-in declares exactly the memory depth its rule needs."""
    builtins = {n: c for n, c in registry().items() if c.__module__ in BUILTIN_MODULES}
    assert {n: c.memory_depth for n, c in builtins.items()} == MEMORY_DEPTH


def test_documented_defaults() -> None:
    """Parameter defaults are the documented ones."""
    assert GenerousTitForTat().generosity == 0.1
    assert Random().p == 0.5
    s = StopLossInvestor()
    assert (s.limit, s.basis) == (5.0, "own")


@pytest.mark.parametrize("bad", [True, "0.2", None])
def test_bool_and_str_parameters_are_refused(bad: object) -> None:
    """A bool or string is not a probability: each constructor names the parameter."""
    with pytest.raises(InputError, match=r"^generous-tit-for-tat: generosity=.* is not a number"):
        GenerousTitForTat(generosity=bad)  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"^random: p=.* is not a number"):
        Random(p=bad)  # type: ignore[arg-type]
    with pytest.raises(InputError, match=r"^stop-loss-investor: limit=.* is not a number"):
        StopLossInvestor(limit=bad)  # type: ignore[arg-type]
