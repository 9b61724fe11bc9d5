"""longgame.testing: the contract passes good strategies and catches broken ones."""

from __future__ import annotations

import random
from typing import Any, ClassVar

import numpy as np
import pytest

from longgame.strategies import D, HistoryView, State, Strategy, defect_where
from longgame.testing import StrategyContract, play_against, play_script


class Cooldown(Strategy):
    """Test strategy: after a defection, defects for ``patience`` rounds, then forgives."""

    name = "cooldown-testing"
    description = "After a defection, defects for patience rounds, then forgives."

    def __init__(self, *, patience: int = 2) -> None:
        self.patience = int(self._check_number("patience", patience, 1, integer=True))

    def init_state(self, n: int) -> State:
        return {"left": np.zeros(n, dtype=np.int64)}

    def decide(self, view: HistoryView, rng: np.random.Generator) -> np.ndarray:
        left = view.state["left"]
        left[view.partner_last[:, 0] == D] = self.patience
        out = (left > 0).astype(np.int8)
        np.maximum(left - 1, 0, out=left)
        return out


class TestCooldownThirdParty(StrategyContract):
    """A third-party strategy inherits every contract check."""

    strategy = Cooldown
    params: ClassVar[dict[str, Any]] = {"patience": 3}
    behaviour: ClassVar[dict[Any, float]] = {"": 0, "D": 1, "DC": 1, "DCC": 1, "DCCC": 0}

    def test_scripted(self) -> None:
        """One fleecing earns three hard deals, then it forgives."""
        assert play_against(self.make(), [D, 0, 0, 0, 0]).tolist() == [0, 1, 1, 1, 0]


class _LiesAboutMemory(Strategy):
    """Claims memory one but uses counts (a grudge)."""

    name = "lies-about-memory-test"
    description = "Claims depth 1, uses the whole history."
    memory_depth = 1

    def decide(self, view: HistoryView, rng: np.random.Generator) -> np.ndarray:
        return defect_where(view.partner_counts[:, D] > 0)


class _GlobalRandom(Strategy):
    """Draws from numpy's global state."""

    name = "global-random-test"
    description = "Uses np.random."
    memory_depth = 0
    stochastic = True

    def decide(self, view: HistoryView, rng: np.random.Generator) -> np.ndarray:
        return (np.random.random(view.n) < 0.5).astype(np.int8)  # noqa: NPY002


class _StdlibRandom(Strategy):
    """Draws from the random module and claims to be deterministic."""

    name = "stdlib-random-test"
    description = "Uses random.random."
    memory_depth = 0

    def decide(self, view: HistoryView, rng: np.random.Generator) -> np.ndarray:
        return np.array([random.random() < 0.5 for _ in range(view.n)], dtype=np.int8)


class _SaysStochastic(Strategy):
    """Claims to be stochastic but never uses rng."""

    name = "says-stochastic-test"
    description = "Deterministic in fact."
    memory_depth = 0
    stochastic = True

    def decide(self, view: HistoryView, rng: np.random.Generator) -> np.ndarray:
        return np.zeros(view.n, dtype=np.int8)


class _SaysDeterministic(Strategy):
    """Claims to be deterministic but uses rng."""

    name = "says-deterministic-test"
    description = "Random in fact."
    memory_depth = 0

    def decide(self, view: HistoryView, rng: np.random.Generator) -> np.ndarray:
        return defect_where(rng.random(view.n) < 0.5)


class _FloatActions(Strategy):
    """Returns floats."""

    name = "float-actions-test"
    description = "Wrong dtype."
    memory_depth = 0

    def decide(self, view: HistoryView, rng: np.random.Generator) -> np.ndarray:
        return np.zeros(view.n)


class _BadState(Strategy):
    """init_state ignores n."""

    name = "bad-state-test"
    description = "Wrong state shape."
    memory_depth = 0

    def init_state(self, n: int) -> State:
        return {"x": np.zeros(3)}

    def decide(self, view: HistoryView, rng: np.random.Generator) -> np.ndarray:
        return np.zeros(view.n, dtype=np.int8)


class _HiddenParameter(Strategy):
    """Stores its parameter under another name, so clone() cannot rebuild it."""

    name = "hidden-parameter-test"
    description = "Breaks clone."
    memory_depth = 0

    def __init__(self, *, p: float = 0.5) -> None:
        self._p = p

    def decide(self, view: HistoryView, rng: np.random.Generator) -> np.ndarray:
        return np.zeros(view.n, dtype=np.int8)


class _CrossTalk(Strategy):
    """Defects everywhere once any relationship saw a defection (rows not independent)."""

    name = "cross-talk-test"
    description = "Rows leak into each other."
    memory_depth = 1

    def decide(self, view: HistoryView, rng: np.random.Generator) -> np.ndarray:
        bad = bool((view.partner_last[:, 0] == D).any())
        return np.full(view.n, int(bad), dtype=np.int8)


class _OverDeclared(Strategy):
    """Tit for tat claiming memory depth 3."""

    name = "over-declared-test"
    description = "Claims depth 3, uses 1."
    memory_depth = 3

    def decide(self, view: HistoryView, rng: np.random.Generator) -> np.ndarray:
        return defect_where(view.partner_last[:, 0] == D)


class _LongLook(Strategy):
    """Unbounded memory read straight from the last six partner actions (beyond the
    engine's window of four)."""

    name = "long-look-test"
    description = "Defects if the partner defected six rounds ago."

    def decide(self, view: HistoryView, rng: np.random.Generator) -> np.ndarray:
        if view.partner_last.shape[1] < 6:
            return np.zeros(view.n, dtype=np.int8)
        return defect_where(view.partner_last[:, 5] == D)


class _SharedDraws(Strategy):
    """Forgives at random, but draws only for the rows that need a draw: a row's luck
    depends on the other rows."""

    name = "shared-draws-test"
    description = "Draws per defection, not per row."
    memory_depth = 1
    stochastic = True

    def decide(self, view: HistoryView, rng: np.random.Generator) -> np.ndarray:
        hit = view.partner_last[:, 0] == D
        out = np.zeros(view.n, dtype=np.int8)
        out[hit] = rng.random(int(hit.sum())) < 0.5
        return out


def _contract(strategy: type[Strategy], **attrs: Any) -> StrategyContract:
    return type("Contract", (StrategyContract,), {"strategy": strategy, **attrs})()


@pytest.mark.parametrize(
    ("strategy", "check"),
    [
        (_LiesAboutMemory, "test_memory_depth_is_upper_bound"),
        (_GlobalRandom, "test_no_global_random_state"),
        (_GlobalRandom, "test_same_seed_same_play"),
        (_StdlibRandom, "test_no_global_random_state"),
        (_SaysStochastic, "test_different_seeds_differ"),
        (_SaysDeterministic, "test_different_seeds_differ"),
        (_FloatActions, "test_output_shape_dtype_range"),
        (_BadState, "test_init_state_shapes"),
        (_CrossTalk, "test_batch_rows_independent"),
        (_SharedDraws, "test_batch_rows_independent"),
        (_OverDeclared, "test_memory_depth_is_needed"),
        (_LongLook, "test_memory_depth_is_upper_bound"),
    ],
)
def test_contract_catches_broken_strategies(strategy: type[Strategy], check: str) -> None:
    """Each broken strategy fails the check aimed at its flaw."""
    with pytest.raises(AssertionError):
        getattr(_contract(strategy), check)()


def test_contract_catches_unclonable_strategies() -> None:
    """A parameter not stored under its own name breaks clone and repr."""
    with pytest.raises(AttributeError):
        _contract(_HiddenParameter).test_clone_plays_same()


def test_check_runs_everything_and_raises_on_failure() -> None:
    """check() passes a good strategy and fails a broken one."""
    result = TestCooldownThirdParty().check()
    assert "test_scripted" in result.passed
    assert "test_memory_depth_is_upper_bound" in result.passed
    with pytest.raises(AssertionError):
        _contract(_LiesAboutMemory).check()


def test_check_reports_skips_apart_from_passes() -> None:
    """A skipped check (no behaviour table) is listed with its reason, not as a pass."""
    from longgame.strategies import TitForTat

    result = _contract(TitForTat).check()
    assert list(result.skipped) == ["test_behaviour_table"]
    assert "behaviour table" in result.skipped["test_behaviour_table"]
    assert "test_behaviour_table" not in result.passed
    assert len(result.passed) == 12
    full = _contract(TitForTat, behaviour={"": 0, "D": 1}).check()
    assert full.skipped == {}
    assert len(full.passed) == 13
    assert repr(full) == "ContractResult(passed=13, skipped={})"


def test_behaviour_table_catches_a_wrong_rule() -> None:
    """A table entry the strategy does not follow fails with the history named."""
    from longgame.strategies import TitForTat

    with pytest.raises(AssertionError, match="after partner history 'DC'"):
        _contract(TitForTat, behaviour={"": 0, "DC": 1}).test_behaviour_table()
    _contract(TitForTat, behaviour={(1, 0): 0, "10": 0, "": 0}).test_behaviour_table()
    with pytest.raises(ValueError, match="expected C, D or 0-9"):
        _contract(TitForTat, behaviour={"CX": 0}).test_behaviour_table()


def test_behaviour_table_checks_probabilities_of_stochastic_rules() -> None:
    """A float entry is the probability of action 0, within sampling error either way."""
    from longgame.strategies import GenerousTitForTat

    ok = _contract(GenerousTitForTat, params={"generosity": 0.3}, behaviour={"D": 0.3})
    ok.test_behaviour_table()
    for wrong in (0.25, 0.35):
        bad = _contract(GenerousTitForTat, params={"generosity": 0.3}, behaviour={"D": wrong})
        with pytest.raises(AssertionError, match="expected probability"):
            bad.test_behaviour_table()


def test_contract_requires_a_strategy() -> None:
    """Forgetting to set `strategy` is a clear TypeError."""
    with pytest.raises(TypeError, match="set the class attribute `strategy`"):
        StrategyContract().make()


def test_play_script_reports_exits_and_keeps_playing() -> None:
    """The reference driver records exits per round and returns full-length actions."""
    from longgame.strategies import WalkAway

    actions, exits = play_script(WalkAway(), np.array([[0, 1, 0], [0, 0, 0]]))
    assert actions.shape == (2, 3)
    assert exits.tolist() == [[False, True, False], [False, False, False]]
