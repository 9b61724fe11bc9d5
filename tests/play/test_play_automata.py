"""The engine's fast path for finite-state strategies: bit-for-bit the general engine."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generators import bimatrix_games
from longgame.games import Game, prisoners_dilemma
from longgame.play import PlayResult, play, play_matches
from longgame.strategies import (
    Alternator,
    AlwaysCooperate,
    AlwaysDefect,
    Automaton,
    GenerousTitForTat,
    Grudger,
    HistoryView,
    Prober,
    Random,
    Strategy,
    TitForTat,
    TitForTwoTats,
    WinStayLoseShift,
)

PD = prisoners_dilemma()
BUILT_INS: list[Strategy] = [
    AlwaysCooperate(),
    AlwaysDefect(),
    TitForTat(),
    Grudger(),
    WinStayLoseShift(),
    TitForTwoTats(),
    GenerousTitForTat(generosity=0.3),
    Prober(),
    Random(p=0.4),
    Alternator(),
]
# The sales-grid profiles are one stochastic rule (``grid_actions``: two draws per round)
# since issue 15, which the one-draw-per-round automata cannot reproduce draw for draw; they
# play on the general engine.


def _without_automaton(strategy: Strategy) -> Strategy:
    """The same strategy through a subclass that overrides ``decide`` with the same
    behaviour: it inherits no automaton, so the general engine plays it."""
    cls = type(strategy)

    def decide(self: Strategy, view: HistoryView, rng: np.random.Generator) -> Any:
        return cls.decide(self, view, rng)

    plain = type(f"Plain{cls.__name__}", (cls,), {"decide": decide})
    return plain(**strategy.params)  # type: ignore[no-any-return]


def _same(fast: PlayResult, general: PlayResult) -> None:
    for field in ("row_payoff", "col_payoff", "rounds", "row_counts", "col_counts", "exited_by"):
        a, b = getattr(fast, field), getattr(general, field)
        assert a.dtype == b.dtype, field
        np.testing.assert_array_equal(a, b, err_msg=field)


def test_every_classic_built_in_has_an_automaton_and_overriding_decide_removes_it() -> None:
    """The built-ins used in tournaments run on the fast path; a subclass that changes
    ``decide`` must not inherit an automaton that no longer describes it."""
    for s in BUILT_INS:
        assert isinstance(s.automaton(), Automaton), s
        assert _without_automaton(s).automaton() is None, s


@settings(max_examples=60, deadline=None)
@given(
    picks=st.lists(st.integers(0, len(BUILT_INS) - 1), min_size=1, max_size=6),
    pairs=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), min_size=1, max_size=40),
    rounds=st.integers(0, 30),
    noise=st.sampled_from([0.0, 0.05, 0.5, 1.0]),
    seed=st.integers(0, 2**32 - 1),
    game=bimatrix_games(min_actions=2, max_actions=2),
    repeat=st.integers(1, 12),
)
def test_fast_path_matches_the_general_engine_bit_for_bit(
    picks: list[int],
    pairs: list[tuple[int, int]],
    rounds: int,
    noise: float,
    seed: int,
    game: Game,
    repeat: int,
) -> None:
    """Same seed, same strategies (with or without an automaton): identical totals,
    counts and lengths, for any 2x2 game, noise, batch size and repeated pairs."""
    fast = [BUILT_INS[i] for i in picks]
    general = [_without_automaton(s) for s in fast]
    row = np.tile([p[0] % len(fast) for p in pairs], repeat)
    col = np.tile([p[1] % len(fast) for p in pairs], repeat)
    kw: dict[str, Any] = {"rounds": rounds, "noise": noise, "rng": seed}
    _same(play_matches(fast, row, col, game, **kw), play_matches(general, row, col, game, **kw))


@pytest.mark.parametrize("noise", [0.0, 0.1])
@pytest.mark.parametrize("pair", [(6, 8), (7, 4), (7, 8), (9, 2), (8, 8), (5, 6)])
def test_a_single_match_on_the_scalar_path_matches_the_general_engine(
    pair: tuple[int, int], noise: float
) -> None:
    """One or three relationships (the plain-Python loop) and nine (numpy) give what
    ``decide`` gives over 200 rounds."""
    a, b = BUILT_INS[pair[0]], BUILT_INS[pair[1]]
    for n in (1, 3, 9):
        kw: dict[str, Any] = {"n": n, "rounds": 200, "noise": noise, "rng": 11}
        _same(play(a, b, PD, **kw), play(_without_automaton(a), _without_automaton(b), PD, **kw))


def test_the_fast_path_reproduces_textbook_scores() -> None:
    """Tit for tat vs always-defect over n rounds: (S + (n-1)P, T + (n-1)P) exactly, and
    the prober exploits an unconditional cooperator from round five on."""
    r = play(TitForTat(), AlwaysDefect(), PD, rounds=10, rng=0)
    assert (r.row_payoff.tolist(), r.col_payoff.tolist()) == ([9.0], [14.0])
    r = play(Prober(), AlwaysCooperate(), PD, rounds=10, rng=0)
    # C, D, C, C then six defections: 3 + 5 + 3 + 3 + 6 * 5
    assert r.row_payoff.tolist() == [44.0]
    assert r.row_counts.tolist() == [[3, 7]]


def test_an_automaton_is_checked() -> None:
    """Inconsistent tables are refused with the reason."""
    with pytest.raises(ValueError, match="one of each per state"):
        Automaton((1.0, 0.0), ((0, 0, 0, 0),))
    with pytest.raises(ValueError, match="0 or 1 only"):
        Automaton((0.5,), ((0, 0, 0, 0),))
    with pytest.raises(ValueError, match="4 states in"):
        Automaton((1.0,), ((0, 0, 1, 0),))


def test_pair_code_table_reads_both_sides_of_a_relationship() -> None:
    """The lookup turns a (row, column) action pair, read as one int16, into the codes
    2 * own + other for the row side and the column side; every other key is 0."""
    from longgame._automata import PAIR_CODES, _pair_codes

    table = _pair_codes()  # built here too, not only at import
    np.testing.assert_array_equal(table, PAIR_CODES)
    assert table.dtype == np.int16
    assert table.shape == (258,)
    keys = []
    for row in (0, 1):
        for col in (0, 1):
            key = int(np.array([row, col], dtype=np.int8).view(np.int16)[0])
            keys.append(key)
            codes = np.array([table[key]], dtype=np.int16).view(np.int8)
            assert codes.tolist() == [2 * row + col, 2 * col + row], (row, col)
    others = np.delete(table, keys)
    assert not others.any()
