"""Shared Hypothesis strategies for longgame's domain objects.

Import from any test module as ``from generators import bimatrix_games`` (``tests/`` is on
``sys.path`` through its ``conftest.py``).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from longgame.games import Game

__all__ = ["bimatrix_games", "mixed_strategies", "payoff_values"]


def payoff_values(integer: bool = True) -> st.SearchStrategy[float]:
    """Payoffs: small integers (many ties, so degenerate games are common) or floats."""
    if integer:
        return st.integers(-5, 5).map(float)
    return st.floats(-10, 10, allow_nan=False, allow_infinity=False).map(lambda x: round(x, 3))


@st.composite
def bimatrix_games(
    draw: st.DrawFn,
    min_actions: int = 1,
    max_actions: int = 3,
    integer: bool | None = None,
) -> Game:
    """Random two-player games with 1-3 actions each and integer or float payoffs."""
    n = draw(st.integers(min_actions, max_actions), label="row actions")
    m = draw(st.integers(min_actions, max_actions), label="column actions")
    use_int = draw(st.booleans()) if integer is None else integer
    payoffs = draw(arrays(np.float64, (n, m, 2), elements=payoff_values(use_int)))
    return Game(
        "random",
        ("row", "column"),
        (tuple(f"r{i}" for i in range(n)), tuple(f"c{j}" for j in range(m))),
        payoffs,
    )


@st.composite
def mixed_strategies(draw: st.DrawFn, n: int) -> np.ndarray:
    """A probability vector over ``n`` actions (some entries may be exactly 0)."""
    w = np.array(draw(st.lists(st.integers(0, 10), min_size=n, max_size=n)), dtype=float)
    if w.sum() == 0:
        w[draw(st.integers(0, n - 1))] = 1.0
    return w / w.sum()
