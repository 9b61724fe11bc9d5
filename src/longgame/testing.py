"""Contract tests that every strategy, built-in or third-party, can inherit.

Subclass :class:`StrategyContract` in a pytest test module, name the strategy, and the
generic checks come for free (same seed same play, different seeds differ for
stochastic strategies, clone and pickle play the same, the declared memory depth is an
upper bound and is needed, an unbounded memory fits the engine's history window, output
shape/dtype/range, init_state and exit shapes, each row plays as if the other rows did
not exist, no global random state touched); give a behaviour table (partner history ->
expected next action) and add scripted matches of your own with :func:`play_against`::

    from longgame.testing import StrategyContract, play_against

    class TestMyStrategy(StrategyContract):
        strategy = MyStrategy          # a class, an instance, or a registry name
        params = {"patience": 2}       # constructor keywords (optional)
        behaviour = {"": 0, "D": 1, "DC": 1, "DCCC": 0}  # optional, see below

        def test_forgives_once(self):
            assert play_against(self.make(), [0, 1, 0, 0]).tolist() == [0, 0, 0, 0]

Outside pytest, :meth:`StrategyContract.check` runs every check, raises on the first
failure, and reports which checks passed and which were skipped (a skip is no pass):

>>> from longgame.strategies import TitForTat
>>> class TitForTatContract(StrategyContract):
...     strategy = TitForTat
...     behaviour = {"": 0, "C": 0, "D": 1, "DC": 0, "CDD": 1}
>>> TitForTatContract().check()
ContractResult(passed=13, skipped={})
>>> play_against(TitForTat(), [0, 1, 1, 0]).tolist()
[0, 0, 1, 1]
"""

from __future__ import annotations

import math
import pickle
import random
import re
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from longgame._rng import RNGLike, as_generator

if TYPE_CHECKING:
    from longgame.strategies import HistoryView, Strategy

__all__ = [
    "PRISONERS_DILEMMA",
    "ContractResult",
    "StrategyContract",
    "play_against",
    "play_script",
]

#: History columns the engine keeps for unbounded-memory strategies (play's default).
ENGINE_WINDOW = 4

#: Prisoner's dilemma payoffs (T, R, P, S = 5, 3, 1, 0) used by the contract checks.
PRISONERS_DILEMMA: NDArray[np.float64] = np.array(
    [[[3.0, 3.0], [0.0, 5.0]], [[5.0, 0.0], [1.0, 1.0]]]
)


def play_script(
    strategy: Strategy,
    partner: ArrayLike,
    *,
    rng: RNGLike = 0,
    payoffs: ArrayLike = PRISONERS_DILEMMA,
    depth: int | None = None,
) -> tuple[NDArray[np.int8], NDArray[np.bool_]]:
    """Play ``strategy`` (as the row player) against scripted partner actions.

    A plain reference driver, independent of :mod:`longgame.play`: the strategy decides
    once per round for all rows; exits are recorded but play goes on, so every row has
    the full script.

    Args:
        strategy: the strategy under test.
        partner: partner actions, shape (n, t) (or (t,) for one relationship).
        rng: seed or Generator passed to ``decide`` and ``exit``.
        payoffs: (n_actions, n_partner_actions, 2) table, own payoff first.
        depth: columns of history shown (default: the memory depth, capped at t, >= 1).

    Returns:
        ``(actions, exits)``, both of shape (n, t): the strategy's actions and whether it
        asked to exit after each round.
    """
    from longgame.strategies import HistoryView

    gen = as_generator(rng)
    script = np.atleast_2d(np.asarray(partner, dtype=np.int8))
    table = np.asarray(payoffs, dtype=float)
    n, t = script.shape
    md = strategy.memory_depth
    if depth is None:
        depth = max(1, t if math.isinf(md) else min(int(md), t))
    view = HistoryView.fresh(
        n,
        depth=max(1, depth),
        n_actions=table.shape[0],
        partner_n_actions=table.shape[1],
        state=strategy.init_state(n),
    )
    actions = np.zeros((n, t), dtype=np.int8)
    exits = np.zeros((n, t), dtype=np.bool_)
    ar = np.arange(n)
    for r in range(t):
        a = np.asarray(strategy.decide(view, gen))
        actions[:, r] = a
        b = script[:, r]
        mine, theirs = table[a, b, 0], table[a, b, 1]
        view.own_last[:, 1:] = view.own_last[:, :-1]
        view.partner_last[:, 1:] = view.partner_last[:, :-1]
        view.own_last[:, 0] = a
        view.partner_last[:, 0] = b
        view.own_counts[ar, a] += 1
        view.partner_counts[ar, b] += 1
        view.own_payoff[:] += mine
        view.partner_payoff[:] += theirs
        view.last_own_payoff[:] = mine
        view.last_partner_payoff[:] = theirs
        view.rounds[:] += 1
        exits[:, r] = np.asarray(strategy.exit(view, gen), dtype=np.bool_)
    return actions, exits


def play_against(strategy: Strategy, partner: ArrayLike, *, rng: RNGLike = 0) -> NDArray[np.int8]:
    """The strategy's actions against a scripted partner (one relationship or n).

    >>> from longgame.strategies import Grudger
    >>> play_against(Grudger(), [0, 1, 0, 0]).tolist()
    [0, 0, 1, 1]
    """
    actions, _ = play_script(strategy, partner, rng=rng)
    return actions[0] if np.ndim(partner) == 1 else actions


@dataclass(frozen=True)
class ContractResult:
    """What :meth:`StrategyContract.check` ran: the checks that passed, and those skipped
    (name -> reason), which are not passes."""

    passed: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"ContractResult(passed={len(self.passed)}, skipped={self.skipped!r})"


def _history(key: str | tuple[int, ...]) -> list[int]:
    """Partner actions from a behaviour-table key: 'C'/'D' (actions 0/1), digits, or ints."""
    if isinstance(key, tuple):
        return [int(a) for a in key]
    letters = {"C": 0, "D": 1}
    out = []
    for ch in key:
        if ch in letters:
            out.append(letters[ch])
        elif ch.isdigit():
            out.append(int(ch))
        else:
            raise ValueError(f"behaviour table: history {key!r} has {ch!r}; expected C, D or 0-9")
    return out


class StrategyContract:
    """Generic checks every strategy must pass; inherit it in a pytest test class.

    Class attributes to set:
        strategy: the strategy class, an instance, or a registry name / import path.
        params: constructor keywords (default none).
        behaviour: optional table ``{partner history: expected next action}``. A history
            is a string of ``C``/``D`` (actions 0/1) or digits, or a tuple of ints, oldest
            first (``""``: the first move); the strategy plays against that history from
            the start. The expected value is an action index, or for a stochastic
            strategy a float: the probability of action 0, checked on 4000 relationships
            within 4.5 standard errors. Without a table the check is skipped (and
            :meth:`check` says so).
        n_relationships: batch size of the checks (default 48).
        n_rounds: rounds per scripted match (default 10).
        payoffs: stage game table (default :data:`PRISONERS_DILEMMA`).
    """

    strategy: ClassVar[Any] = None
    params: ClassVar[dict[str, Any]] = {}
    behaviour: ClassVar[dict[Any, float]] = {}
    n_relationships: ClassVar[int] = 48
    n_rounds: ClassVar[int] = 10
    payoffs: ClassVar[NDArray[np.float64]] = PRISONERS_DILEMMA

    # -- helpers --------------------------------------------------------------------

    def make(self) -> Strategy:
        """A fresh instance of the strategy under test."""
        from longgame.strategies import Strategy, get_strategy

        spec = self.strategy
        if spec is None:
            raise TypeError(f"{type(self).__name__}: set the class attribute `strategy`")
        if isinstance(spec, Strategy):
            return get_strategy(spec, **self.params)
        if isinstance(spec, type) and issubclass(spec, Strategy):
            return spec(**self.params)
        return get_strategy(spec, **self.params)

    def partner_script(self, seed: int = 12345) -> NDArray[np.int8]:
        """Random partner actions, shape (n_relationships, n_rounds)."""
        gen = np.random.default_rng(seed)
        shape = (self.n_relationships, self.n_rounds)
        return gen.integers(0, self.payoffs.shape[1], size=shape, dtype=np.int8)

    def play(self, strategy: Strategy, seed: int) -> tuple[NDArray[np.int8], NDArray[np.bool_]]:
        """The strategy's actions and exits against :meth:`partner_script`."""
        return play_script(strategy, self.partner_script(), rng=seed, payoffs=self.payoffs)

    @staticmethod
    def _skip(reason: str) -> None:
        import pytest

        pytest.skip(reason)

    def check(self) -> ContractResult:
        """Run every ``test_*`` method; raise on a failure, report passes and skips."""
        import pytest

        result = ContractResult()
        for name in sorted(dir(self)):
            if name.startswith("test_"):
                try:
                    getattr(self, name)()
                except pytest.skip.Exception as skip:
                    result.skipped[name] = str(skip.msg)
                else:
                    result.passed.append(name)
        return result

    # -- the contract -----------------------------------------------------------------

    def test_metadata(self) -> None:
        """Name is kebab-case, description one line, depth and flags well formed."""
        s = self.make()
        cls = type(s)
        assert re.fullmatch(r"[a-z0-9]+(?:[-.][a-z0-9]+)*", cls.name), cls.name
        assert cls.description
        assert "\n" not in cls.description
        assert isinstance(cls.stochastic, bool)
        md = cls.memory_depth
        assert md >= 0
        assert math.isinf(md) or md == int(md)
        assert all(isinstance(a, str) for a in cls.aliases)
        assert cls.__doc__, "built-in strategies document their rule and source"

    def test_repr_shows_parameters(self) -> None:
        """The repr names the class and every parameter with its value."""
        s = self.make()
        text = repr(s)
        assert text.startswith(type(s).__name__ + "(")
        for key in s.params:
            assert f"{key}=" in text

    def test_output_shape_dtype_range(self) -> None:
        """decide() returns n integer action indices in range, also for n = 0 and 1."""
        s = self.make()
        for n in (0, 1, 7):
            from longgame.strategies import HistoryView

            view = HistoryView.fresh(
                n,
                n_actions=self.payoffs.shape[0],
                partner_n_actions=self.payoffs.shape[1],
                state=s.init_state(n),
            )
            out = np.asarray(s.decide(view, np.random.default_rng(0)))
            assert out.shape == (n,)
            assert np.issubdtype(out.dtype, np.integer)
            assert np.all((out >= 0) & (out < self.payoffs.shape[0]))
            leave = np.asarray(s.exit(view, np.random.default_rng(0)))
            assert leave.shape == (n,)
            assert leave.dtype == np.bool_
        actions, _ = self.play(s, 1)
        assert np.all((actions >= 0) & (actions < self.payoffs.shape[0]))

    def test_init_state_shapes(self) -> None:
        """init_state(n) returns arrays whose first axis is n."""
        s = self.make()
        for n in (0, 5):
            state = s.init_state(n)
            assert isinstance(state, dict)
            for value in state.values():
                assert isinstance(value, np.ndarray)
                assert value.shape[:1] == (n,)

    def test_same_seed_same_play(self) -> None:
        """Two runs with the same seed play identically."""
        a, ea = self.play(self.make(), 7)
        b, eb = self.play(self.make(), 7)
        assert np.array_equal(a, b)
        assert np.array_equal(ea, eb)

    def test_different_seeds_differ(self) -> None:
        """A stochastic strategy plays differently under different seeds; others don't."""
        s = self.make()
        a, _ = self.play(s, 1)
        b, _ = self.play(self.make(), 2)
        if type(s).stochastic:
            assert not np.array_equal(a, b), "stochastic strategy ignores its rng"
        else:
            assert np.array_equal(a, b), "deterministic strategy depends on its rng"

    def test_clone_plays_same(self) -> None:
        """clone() is equal to the original and plays the same."""
        s = self.make()
        c = s.clone()
        assert c == s
        assert c is not s
        assert np.array_equal(self.play(s, 3)[0], self.play(c, 3)[0])

    def test_pickle_plays_same(self) -> None:
        """A pickled and restored strategy is equal and plays the same."""
        s = self.make()
        cls = type(s)
        module = sys.modules.get(cls.__module__)
        if getattr(module, cls.__qualname__, None) is not cls:
            self._skip(
                f"{cls.__qualname__} is not importable from {cls.__module__} (defined "
                "interactively or in a function), so it cannot be pickled by reference; "
                "define it at module level to use it with worker processes"
            )
        p = pickle.loads(pickle.dumps(s))
        assert p == s
        assert np.array_equal(self.play(s, 4)[0], self.play(p, 4)[0])

    def _views(
        self, s: Strategy, pairs: list[tuple[NDArray[np.int8], NDArray[np.int8]]], depth: int
    ) -> list[HistoryView]:
        from longgame.strategies import HistoryView

        k = self.payoffs.shape[0]
        return [
            HistoryView.from_actions(
                o,
                p,
                payoffs=self.payoffs,
                depth=max(1, depth),
                n_actions=k,
                partner_n_actions=self.payoffs.shape[1],
                state=s.init_state(len(o)),
            )
            for o, p in pairs
        ]

    def test_memory_depth_is_upper_bound(self) -> None:
        """Histories that agree on the last memory_depth rounds get the same decision; an
        unbounded memory plays the same seeing only the engine's window of last actions
        (the rest it must keep in counts, payoffs or state)."""
        s = self.make()
        md = type(s).memory_depth
        if math.isinf(md):
            script = self.partner_script()
            full, e_full = play_script(s, script, rng=5, payoffs=self.payoffs)
            window, e_win = play_script(
                self.make(), script, rng=5, payoffs=self.payoffs, depth=ENGINE_WINDOW
            )
            assert np.array_equal(full, window), "reads more past actions than the engine keeps"
            assert np.array_equal(e_full, e_win), "exit reads more past actions than kept"
            return
        d = int(md)
        gen = np.random.default_rng(99)
        n, k = self.n_relationships, self.payoffs.shape[0]
        for length in range(d, d + 4):
            own1 = gen.integers(0, k, size=(n, length), dtype=np.int8)
            par1 = gen.integers(0, self.payoffs.shape[1], size=(n, length), dtype=np.int8)
            own2 = gen.integers(0, k, size=(n, length), dtype=np.int8)
            par2 = gen.integers(0, self.payoffs.shape[1], size=(n, length), dtype=np.int8)
            if d:
                own2[:, -d:] = own1[:, -d:]
                par2[:, -d:] = par1[:, -d:]
            views = self._views(s, [(own1, par1), (own2, par2)], d)
            first = s.decide(views[0], np.random.default_rng(5))
            second = s.decide(views[1], np.random.default_rng(5))
            assert np.array_equal(first, second), f"decision depends on more than {d} rounds"
            e1 = s.exit(views[0], np.random.default_rng(6))
            e2 = s.exit(views[1], np.random.default_rng(6))
            assert np.array_equal(e1, e2), f"exit depends on more than {d} rounds"

    def test_no_global_random_state(self) -> None:
        """Playing leaves numpy's and the random module's global state untouched."""
        np_state = np.random.get_state()  # noqa: NPY002 (checking the legacy global state)
        py_state = random.getstate()
        self.play(self.make(), 8)
        after = np.random.get_state()  # noqa: NPY002
        assert np_state[0] == after[0]
        assert np.array_equal(np_state[1], after[1])
        assert np_state[2:] == after[2:]
        assert random.getstate() == py_state

    def test_memory_depth_is_needed(self) -> None:
        """A declared memory depth d >= 1 is used: some histories that agree on the last
        d - 1 rounds get different decisions or exits (depth 0 and unbounded pass)."""
        s = self.make()
        md = type(s).memory_depth
        if math.isinf(md) or md == 0:
            return
        d = int(md)
        gen = np.random.default_rng(98)
        n, t = 4 * self.n_relationships, d + 2
        k, m = self.payoffs.shape[0], self.payoffs.shape[1]
        own1 = gen.integers(0, k, size=(n, t), dtype=np.int8)
        par1 = gen.integers(0, m, size=(n, t), dtype=np.int8)
        own2 = gen.integers(0, k, size=(n, t), dtype=np.int8)
        par2 = gen.integers(0, m, size=(n, t), dtype=np.int8)
        if d > 1:
            own2[:, -(d - 1) :] = own1[:, -(d - 1) :]
            par2[:, -(d - 1) :] = par1[:, -(d - 1) :]
        v1, v2 = self._views(s, [(own1, par1), (own2, par2)], d)
        differ = not np.array_equal(
            s.decide(v1, np.random.default_rng(5)), s.decide(v2, np.random.default_rng(5))
        ) or not np.array_equal(
            s.exit(v1, np.random.default_rng(6)), s.exit(v2, np.random.default_rng(6))
        )
        assert differ, f"memory_depth={d} declared, but {d - 1} past rounds decide the same"

    def test_batch_rows_independent(self) -> None:
        """Each row plays the same whatever the other rows' partners do (no cross-talk;
        a stochastic strategy draws its randomness per row); a deterministic one plays
        each row as it would alone."""
        s = self.make()
        script = self.partner_script()
        together, ex_together = play_script(s, script, rng=11, payoffs=self.payoffs)
        others = self.partner_script(seed=54321)
        for i in (0, len(script) - 1):
            mixed = others.copy()
            mixed[i] = script[i]
            again, ex_again = play_script(self.make(), mixed, rng=11, payoffs=self.payoffs)
            assert np.array_equal(again[i], together[i]), "a row depends on the other rows"
            assert np.array_equal(ex_again[i], ex_together[i]), "an exit depends on other rows"
            if not type(s).stochastic:
                alone, _ = play_script(self.make(), script[i : i + 1], payoffs=self.payoffs)
                assert np.array_equal(alone[0], together[i])

    def test_behaviour_table(self) -> None:
        """The strategy's next action after each partner history in :attr:`behaviour`."""
        if not self.behaviour:
            self._skip("no behaviour table (set `behaviour` to check history -> action)")
        for key, expected in self.behaviour.items():
            history = _history(key)
            exact = isinstance(expected, int | np.integer) and not isinstance(expected, bool)
            n = self.n_relationships if exact else 4000
            script = np.zeros((n, len(history) + 1), dtype=np.int8)
            script[:, : len(history)] = history
            actions, _ = play_script(self.make(), script, rng=13, payoffs=self.payoffs)
            last = actions[:, -1]
            if exact:
                assert (last == expected).all(), (
                    f"after partner history {key!r}: played {sorted(set(last.tolist()))}, "
                    f"expected {expected}"
                )
            else:
                p = float(expected)
                share = float(np.mean(last == 0))
                se = math.sqrt(max(p * (1 - p), 1e-12) / n)
                assert abs(share - p) <= 4.5 * se + 1e-12, (
                    f"after partner history {key!r}: action 0 in {share:.3f} of rows, "
                    f"expected probability {p}"
                )
