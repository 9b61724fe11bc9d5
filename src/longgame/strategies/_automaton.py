"""Strategies as finite-state machines: the engine's fast path for built-in strategies.

Most classic strategies of two-action games are small automata: a state per
relationship side, a probability of cooperating in each state, and a next state given
the round's own and partner action. A strategy that can say so exactly returns an
:class:`Automaton` from :meth:`~longgame.strategies.Strategy.automaton`; the engine
(:mod:`longgame.play`) then plays all such strategies together in a few numpy
operations per round instead of one ``decide`` call per strategy, with the same random
draws in the same order, so results are identical to calling ``decide``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from longgame.strategies._base import Strategy

__all__ = ["Automaton", "unchanged"]


@dataclass(frozen=True)
class Automaton:
    """A two-action strategy as a finite-state machine; every relationship starts in state 0.

    Attributes:
        cooperate: per state, the probability of cooperating (action 0). A deterministic
            automaton uses 0.0 and 1.0 only. A stochastic one draws one uniform number
            ``u`` per relationship and round (in the order ``decide`` draws
            ``rng.random(n)``) and defects exactly when ``u >= cooperate[state]``.
        next_state: per state, the next state after a round in which the strategy played
            ``own`` and its partner ``partner``: ``next_state[state][2 * own + partner]``
            (actions after noise, 0 = cooperate, 1 = defect).
        stochastic: whether it draws one uniform number per relationship and round.
        depth: past rounds of history the equivalent ``decide`` needs to see (the
            engine uses the automaton only if it keeps at least that many).

    >>> tft = Automaton(cooperate=(1.0, 0.0), next_state=((0, 1, 0, 1), (0, 1, 0, 1)))
    >>> tft.n_states
    2
    """

    cooperate: tuple[float, ...]
    next_state: tuple[tuple[int, int, int, int], ...]
    stochastic: bool = False
    depth: int = 1

    def __post_init__(self) -> None:
        n = len(self.cooperate)
        if n < 1 or len(self.next_state) != n:
            raise ValueError(
                f"automaton: {n} cooperation probabilities but {len(self.next_state)} rows "
                "of next states; expected one of each per state"
            )
        if not all(0.0 <= p <= 1.0 for p in self.cooperate):
            raise ValueError(f"automaton: cooperate={self.cooperate}; expected probabilities")
        if not self.stochastic and not all(p in (0.0, 1.0) for p in self.cooperate):
            raise ValueError("automaton: a deterministic automaton cooperates with 0 or 1 only")
        for row in self.next_state:
            if len(row) != 4 or not all(0 <= s < n for s in row):
                raise ValueError(
                    f"automaton: next-state row {row}; expected 4 states in [0, {n - 1}]"
                )

    @property
    def n_states(self) -> int:
        """Number of states."""
        return len(self.cooperate)


def unchanged(strategy: Strategy, owner: type[Strategy]) -> bool:
    """Whether ``strategy`` behaves as ``owner`` defines it: the same ``decide``,
    ``init_state`` and ``exit`` (a subclass that overrides any of them must not inherit
    the owner's automaton)."""
    cls = type(strategy)
    return (
        cls.decide is owner.decide and cls.init_state is owner.init_state and cls.exit is owner.exit
    )
