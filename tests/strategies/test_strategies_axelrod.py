"""Axelrod's strategies through the adapter: the same scores as Axelrod's own matches.

Skipped without the extra (pip install 'longgame[axelrod]'); CI does not install it.
"""

from __future__ import annotations

import pickle
import warnings
from typing import ClassVar

import numpy as np
import pytest

from longgame.errors import InputError
from longgame.strategies import get_strategy
from longgame.testing import StrategyContract, play_against

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # axelrod 4.13 imports the deprecated pkg_resources
    axl = pytest.importorskip("axelrod")

#: deterministic strategies of several kinds: reactive, grudging, cycling, probing,
#: majority rules, finite-state machines, lookup tables and neural networks
NAMES = (
    "Tit For Tat", "Grudger", "Cooperator", "Defector", "Alternator", "Tit For 2 Tats",
    "Two Tits For Tat", "Suspicious Tit For Tat", "Win-Stay Lose-Shift",
    "Forgiving Tit For Tat", "Go By Majority", "Hard Go By Majority", "Gradual", "Bully",
    "Cycler CCD", "Cycler DDC", "Detective", "Fool Me Once", "Forgetful Grudger",
    "Contrite Tit For Tat", "Anti Tit For Tat", "Aggravater", "AON2", "Appeaser", "Doubler",
    "Hard Prober", "Prober", "Spiteful Tit For Tat", "Evolved FSM 4", "First by Davis",
    "Fortress3", "EvolvedLookerUp1_1_1", "Evolved ANN",
)  # fmt: skip
TURNS = 200


def test_at_least_twenty_deterministic_strategies_are_compared() -> None:
    """The comparison covers at least 20 strategies, each deterministic in Axelrod's classifier."""
    by_name = {cls.name: cls for cls in axl.all_strategies}
    assert len(NAMES) >= 20
    for name in NAMES:
        assert not axl.Classifiers["stochastic"](by_name[name]()), name


def test_round_robin_scores_equal_axelrods_matches() -> None:
    """Every pair's 200-turn match scores exactly what Axelrod's Match scores, self-play too."""
    from longgame.models.tournament import round_robin

    result = round_robin([f"axelrod:{name}" for name in NAMES], rounds=TURNS, repetitions=1, rng=0)
    ours = np.rint(result.payoff_matrix * TURNS).astype(int)
    by_name = {cls.name: cls for cls in axl.all_strategies}
    theirs = np.zeros_like(ours)
    for i, a in enumerate(NAMES):
        for j in range(i, len(NAMES)):
            match = axl.Match(
                (by_name[a](), by_name[NAMES[j]]()), turns=TURNS, match_attributes={"length": -1}
            )
            match.play()
            theirs[i, j], theirs[j, i] = match.final_score()
    mismatched = [
        (NAMES[i], NAMES[j], int(ours[i, j]), int(theirs[i, j]))
        for i, j in zip(*np.nonzero(ours != theirs), strict=True)
    ]
    assert mismatched == []
    assert len({int(x) for x in theirs.ravel()}) > 30  # a rich matrix, not a few repeated values


def test_names_classes_and_instances_give_the_same_strategy() -> None:
    """'axelrod:Tit For Tat', the class name, the class and an instance all resolve alike."""
    a = get_strategy("axelrod:Tit For Tat")
    assert get_strategy("axelrod:TitForTat") == a
    assert get_strategy(axl.TitForTat) == a
    assert get_strategy(axl.TitForTat()) == a
    assert type(a).name == "axelrod-tit-for-tat"
    assert type(a).memory_depth == 1
    assert type(a).stochastic is False
    assert play_against(a, [0, 1, 1, 0, 0]).tolist() == [0, 0, 1, 1, 0]


def test_unknown_name_is_one_line_input_error() -> None:
    """A misspelt Axelrod name is an InputError suggesting the closest names."""
    with pytest.raises(InputError, match=r"'Tit For Tatt' is not one of Axelrod's.*Tit For Tat"):
        get_strategy("axelrod:Tit For Tatt")


def test_cheaters_are_refused() -> None:
    """Strategies that change their opponent's state cannot be adapted: an InputError says why."""
    with pytest.raises(
        InputError, match=r"axelrod:Darwin: it inspects_source, manipulates_state of its"
    ):
        get_strategy("axelrod:Darwin")


def test_in_the_market_equals_the_built_in_tit_for_tat() -> None:
    """A market with Axelrod's Tit For Tat sellers runs exactly like one with longgame's."""
    from longgame.models.market import MarketModel

    def run(tft: str) -> np.ndarray:
        sellers = [
            {"strategy": tft, "count": 2, "label": "tft"},
            {"strategy": "fleecer", "count": 2},
        ]
        frame = MarketModel({"sellers": sellers}, customers=300, rng=5).run(25).metrics
        return frame.sort_values(["metric", "step", "group"])["value"].to_numpy()

    ours, adapted = run("tit-for-tat"), run("axelrod:Tit For Tat")
    np.testing.assert_array_equal(ours, adapted)


def test_stochastic_players_follow_longgames_seed() -> None:
    """A stochastic Axelrod player plays the same under the same seed and differently otherwise."""
    from longgame.models.tournament import round_robin

    def scores(seed: int) -> list[float]:
        r = round_robin(["axelrod:Random", "tit-for-tat"], rounds=50, repetitions=2, rng=seed)
        return r.scores.tolist()

    assert type(get_strategy("axelrod:Random")).stochastic is True
    assert scores(1) == scores(1)
    assert scores(1) != scores(2)


def test_pickled_strategy_and_its_state_play_on() -> None:
    """An adapted strategy pickles (by Axelrod name), and so do its per-relationship players."""
    s = get_strategy("axelrod:Grudger")
    copy = pickle.loads(pickle.dumps(s))
    assert copy == s
    assert play_against(copy, [0, 1, 0, 0]).tolist() == [0, 0, 1, 1]


class TestAxelrodTitForTatContract(StrategyContract):
    strategy = "axelrod:Tit For Tat"
    behaviour: ClassVar[dict[str, int]] = {"": 0, "C": 0, "D": 1, "DC": 0, "CDD": 1}
