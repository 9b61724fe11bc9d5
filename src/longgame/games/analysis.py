"""Equilibrium and dominance analysis of two-player stage games.

Pure functions of a :class:`~longgame.games.Game` (the game's methods delegate here):

- :func:`pure_equilibria`, :func:`mixed_equilibria` (Nash equilibria; the mixed ones by
  vertex enumeration of the best-response polytopes, Nisan et al. 2007, Algorithm 3.5, as
  implemented by nashpy; float noise cleaned, duplicates merged, every candidate checked);
- :func:`dominated_actions` (strict or weak dominance by another pure action) and
  :func:`iterated_elimination` of strictly dominated actions;
- :func:`pareto_optimal` pure profiles; :func:`is_zero_sum`, :func:`is_constant_sum`;
- :func:`evolutionarily_stable_strategies` of symmetric games (pure or mixed ESS);
- for prisoner's-dilemma-like games, :func:`pd_payoffs` (T, R, P, S),
  :func:`grim_trigger_threshold` δ* = (T−R)/(T−P) and :func:`tft_stability_bound`
  w* = max((T−R)/(T−P), (T−R)/(R−S)) (Axelrod 1984, *The Evolution of Cooperation*, ch. 3);
- :func:`describe`, the JSON object printed by ``longgame analyze GAME --json``.

>>> from longgame.games import boxed_pigs
>>> g = boxed_pigs()
>>> pure_equilibria(g)
[('press', 'wait')]
>>> dominated_actions(g)
{'big': (), 'small': ('press',)}
>>> [e.probabilities for e in mixed_equilibria(g)]
[((1.0, 0.0), (0.0, 1.0))]
"""

from __future__ import annotations

import contextlib
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from longgame.errors import InputError
from longgame.games._game import Game

__all__ = [
    "TOLERANCE",
    "MixedEquilibrium",
    "describe",
    "dominated_actions",
    "evolutionarily_stable_strategies",
    "grim_trigger_threshold",
    "is_constant_sum",
    "is_zero_sum",
    "iterated_elimination",
    "mixed_equilibria",
    "pareto_optimal",
    "pd_payoffs",
    "pure_equilibria",
    "tft_stability_bound",
]

#: Absolute tolerance on payoffs and probabilities for ties, 0/1 snapping and merging.
TOLERANCE = 1e-9


@dataclass(frozen=True)
class MixedEquilibrium:
    """A Nash equilibrium in mixed strategies.

    Attributes:
        probabilities: ``(row mix, column mix)``, each a tuple of probabilities over
            that player's actions (in the game's action order), summing to 1.
        payoffs: expected payoffs ``(row, column)`` at the equilibrium.
    """

    probabilities: tuple[tuple[float, ...], tuple[float, ...]]
    payoffs: tuple[float, float]

    @property
    def is_pure(self) -> bool:
        """True when both players put probability 1 (within :data:`TOLERANCE`) on a
        single action."""
        return all(max(p) >= 1.0 - TOLERANCE for p in self.probabilities)

    def support(self, player: int) -> tuple[int, ...]:
        """Indices of the actions ``player`` (0 row, 1 column) plays with positive
        probability (above :data:`TOLERANCE`, so rounding noise is not support)."""
        return tuple(i for i, p in enumerate(self.probabilities[player]) if p > TOLERANCE)


def _best_response_masks(game: Game, tol: float) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    A, B = game.row_payoffs, game.col_payoffs
    row_best = A.max(axis=0, keepdims=True) - tol <= A
    col_best = B.max(axis=1, keepdims=True) - tol <= B
    return row_best, col_best


def pure_equilibria(game: Game, tol: float = TOLERANCE) -> list[tuple[str, str]]:
    """Pure-strategy Nash equilibria as ``(row action, column action)`` pairs.

    A profile is an equilibrium when each action is a best response to the other
    (ties within ``tol`` count as best responses). Listed in row-major order.

    >>> from longgame.games import prisoners_dilemma
    >>> pure_equilibria(prisoners_dilemma())
    [('defect', 'defect')]
    """
    row_best, col_best = _best_response_masks(game, tol)
    both = np.argwhere(row_best & col_best)
    return [(game.actions[0][i], game.actions[1][j]) for i, j in both]


def _clean(mix: NDArray[np.float64], tol: float) -> NDArray[np.float64]:
    mix = np.where(np.abs(mix) < tol, 0.0, mix)
    mix = np.clip(mix, 0.0, None)
    mix = mix / mix.sum()
    return np.where(np.abs(mix - 1.0) < tol, 1.0, mix)


def _is_equilibrium(
    A: NDArray[np.float64],
    B: NDArray[np.float64],
    x: NDArray[np.float64],
    y: NDArray[np.float64],
    tol: float,
) -> bool:
    scale = max(1.0, float(np.abs(A).max()), float(np.abs(B).max()))
    row_values = A @ y
    col_values = x @ B
    return bool(
        float(x @ row_values) >= row_values.max() - tol * scale
        and float(col_values @ y) >= col_values.max() - tol * scale
    )


def _candidates(
    A: NDArray[np.float64], B: NDArray[np.float64], tol: float
) -> list[tuple[NDArray[np.float64], NDArray[np.float64]]]:
    import nashpy
    from scipy.spatial import QhullError

    # Numerical failures of an enumeration on a degenerate game (anything else is a bug
    # and propagates).
    numerical = (QhullError, ValueError, np.linalg.LinAlgError)
    # Vertex enumeration needs strictly positive payoffs; shifting a player's payoffs by
    # a constant changes no equilibrium.
    A1 = A - A.min() + 1.0
    B1 = B - B.min() + 1.0
    nash = nashpy.Game(A1, B1)
    found: list[tuple[NDArray[np.float64], NDArray[np.float64]]] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            found = [
                (np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))
                for x, y in nash.vertex_enumeration()
            ]
        except numerical:  # qhull fails on some degenerate polytopes
            found = []
        # Degenerate games can make vertex enumeration miss or garble equilibria; support
        # enumeration in its degenerate-tolerant mode fills the gaps (duplicates merge below).
        if not found or not all(_is_equilibrium(A, B, x, y, 1e-6) for x, y in found):
            with contextlib.suppress(*numerical):
                found += [
                    (np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))
                    for x, y in nash.support_enumeration(non_degenerate=False, tol=tol)
                ]
    return found


def mixed_equilibria(game: Game, tol: float = TOLERANCE) -> list[MixedEquilibrium]:
    """Nash equilibria in mixed strategies: all extreme equilibria, pure ones included.

    Uses nashpy's vertex enumeration, falling back on support enumeration when the game
    is degenerate and vertex enumeration fails. Probabilities within ``tol`` of 0 or 1
    are snapped to exactly 0 or 1, every candidate is verified to be an equilibrium
    (no action earns more than the mix, up to ``tol`` relative to the largest payoff),
    duplicates are merged, and pure equilibria (which are always extreme) are added if
    the enumeration missed them. Degenerate games can have a continuum of equilibria;
    then the extreme points are listed. Sorted by descending row then column mix.

    Examples:
        >>> from longgame.games import hawk_dove
        >>> [e.probabilities for e in mixed_equilibria(hawk_dove(V=2, C=4))]
        [((1.0, 0.0), (0.0, 1.0)), ((0.5, 0.5), (0.5, 0.5)), ((0.0, 1.0), (1.0, 0.0))]
    """
    A, B = game.row_payoffs, game.col_payoffs
    n, m = game.shape
    pure: list[tuple[NDArray[np.float64], NDArray[np.float64]]] = []
    for r, c in pure_equilibria(game, tol):
        x, y = np.zeros(n), np.zeros(m)
        x[game.action_index(0, r)] = 1.0
        y[game.action_index(1, c)] = 1.0
        pure.append((x, y))
    kept: list[tuple[NDArray[np.float64], NDArray[np.float64]]] = []
    for x_raw, y_raw in [*_candidates(A, B, tol), *pure]:
        if not (np.all(np.isfinite(x_raw)) and np.all(np.isfinite(y_raw))):
            continue
        if x_raw.sum() <= 0 or y_raw.sum() <= 0:
            continue
        x, y = _clean(x_raw, tol), _clean(y_raw, tol)
        if not _is_equilibrium(A, B, x, y, max(tol, 1e-7)):
            continue
        if any(np.allclose(x, x2, atol=1e-7) and np.allclose(y, y2, atol=1e-7) for x2, y2 in kept):
            continue
        kept.append((x, y))
    kept.sort(key=lambda xy: (tuple(-xy[0]), tuple(-xy[1])))
    out = []
    for x, y in kept:
        u = (float(x @ A @ y), float(x @ B @ y))
        out.append(
            MixedEquilibrium(
                probabilities=(tuple(float(v) for v in x), tuple(float(v) for v in y)),
                payoffs=(_snap(u[0], tol), _snap(u[1], tol)),
            )
        )
    return out


def _snap(x: float, tol: float) -> float:
    r = round(x)
    return float(r) if abs(x - r) < tol * max(1.0, abs(x)) else x


def _dominated_by_pure(M: NDArray[np.float64], i: int, strict: bool, tol: float) -> bool:
    for k in range(M.shape[0]):
        if k == i:
            continue
        diff = M[k] - M[i]
        if strict and np.all(diff > tol):
            return True
        if not strict and np.all(diff >= -tol) and np.any(diff > tol):
            return True
    return False


def _dominated_by_mix(M: NDArray[np.float64], i: int, strict: bool, tol: float) -> bool:
    """Whether a mix of the other rows of ``M`` dominates row ``i`` (a linear programme).

    Strict: maximise e subject to sum_k s_k M[k, j] - M[i, j] >= e for every column j,
    s >= 0, sum s = 1; dominated iff e > tol. Weak: maximise the total surplus
    sum_j (s M - M[i])_j subject to s M >= M[i] column by column; dominated iff > tol.
    """
    from scipy.optimize import linprog

    others = np.delete(M, i, axis=0)
    n_o, m = others.shape
    if n_o == 0:
        return False
    scale = max(1.0, float(np.abs(M).max()))
    if strict:
        # variables (s_1..s_n_o, e); minimise -e
        c = np.zeros(n_o + 1)
        c[-1] = -1.0
        A_ub = np.hstack([-others.T, np.ones((m, 1))])  # e - s M[:, j] <= -M[i, j]
        b_ub = -M[i]
        A_eq = np.hstack([np.ones((1, n_o)), np.zeros((1, 1))])
        bounds = [(0.0, None)] * n_o + [(None, None)]
        res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=[1.0], bounds=bounds)
        return bool(res.status == 0 and res.fun is not None and -res.fun > tol * scale)
    c = -others.sum(axis=1)
    res = linprog(
        c,
        A_ub=-others.T,
        b_ub=-M[i] + tol * scale,
        A_eq=np.ones((1, n_o)),
        b_eq=[1.0],
        bounds=[(0.0, None)] * n_o,
    )
    return bool(res.status == 0 and res.fun is not None and -res.fun - M[i].sum() > tol * scale * m)


def _dominated_rows(
    M: NDArray[np.float64], strict: bool, tol: float, by_mixed: bool = False
) -> list[int]:
    """Rows of ``M`` dominated by another row or mix of rows (M[i, :]: payoffs of action i)."""
    test = _dominated_by_mix if by_mixed else _dominated_by_pure
    return [i for i in range(M.shape[0]) if test(M, i, strict, tol)]


def dominated_actions(
    game: Game, strict: bool = True, tol: float = TOLERANCE, by_mixed: bool = False
) -> dict[str, tuple[str, ...]]:
    """Dominated actions per player (every player is a key).

    ``strict=True``: another action earns strictly more (by more than ``tol``) against
    every action of the opponent. ``strict=False`` (weak dominance): another action earns
    at least as much against every opponent action and strictly more against one. With
    ``by_mixed=True`` the dominating strategy may be a mix of the player's other actions
    (found by linear programming), which catches e.g. an action beaten by a 50:50 mix of
    two others but by neither alone.

    >>> from longgame.games import prisoners_dilemma
    >>> dominated_actions(prisoners_dilemma())
    {'row': ('cooperate',), 'column': ('cooperate',)}
    >>> g = Game("mix", ("r", "c"), (("top", "mid", "bottom"), ("left", "right")),
    ...          [[[3, 0], [0, 0]], [[0, 0], [3, 0]], [[1, 0], [1, 0]]])
    >>> dominated_actions(g)["r"], dominated_actions(g, by_mixed=True)["r"]
    ((), ('bottom',))
    """
    rows = _dominated_rows(game.row_payoffs, strict, tol, by_mixed)
    cols = _dominated_rows(game.col_payoffs.T, strict, tol, by_mixed)
    return {
        game.players[0]: tuple(game.actions[0][i] for i in rows),
        game.players[1]: tuple(game.actions[1][j] for j in cols),
    }


def iterated_elimination(game: Game, tol: float = TOLERANCE, by_mixed: bool = False) -> Game:
    """The game left after iterated elimination of strictly dominated actions.

    Strict dominance makes the order of elimination irrelevant; each round removes every
    strictly dominated action of both players (``by_mixed=True``: dominated by pure or
    mixed strategies, which can remove more). The result keeps the surviving actions'
    names and the game's name.

    >>> from longgame.games import boxed_pigs
    >>> iterated_elimination(boxed_pigs()).actions
    (('press',), ('wait',))
    """
    rows = list(range(game.shape[0]))
    cols = list(range(game.shape[1]))
    while True:
        sub = game.payoffs[np.ix_(rows, cols)]
        dr = _dominated_rows(sub[:, :, 0], True, tol, by_mixed)
        dc = _dominated_rows(sub[:, :, 1].T, True, tol, by_mixed)
        if not dr and not dc:
            break
        rows = [r for k, r in enumerate(rows) if k not in dr]
        cols = [c for k, c in enumerate(cols) if k not in dc]
    return Game(
        game.name,
        game.players,
        (tuple(game.actions[0][i] for i in rows), tuple(game.actions[1][j] for j in cols)),
        game.payoffs[np.ix_(rows, cols)],
    )


def pareto_optimal(game: Game, tol: float = TOLERANCE) -> list[tuple[str, str]]:
    """Pure profiles that no other pure profile Pareto-dominates (row-major order).

    A profile is Pareto-dominated when another gives both players at least as much and
    one of them strictly more (by more than ``tol``).

    >>> from longgame.games import prisoners_dilemma
    >>> pareto_optimal(prisoners_dilemma())
    [('cooperate', 'cooperate'), ('cooperate', 'defect'), ('defect', 'cooperate')]
    """
    flat = game.payoffs.reshape(-1, 2)
    ge = np.all(flat[None, :, :] >= flat[:, None, :] - tol, axis=2)
    gt = np.any(flat[None, :, :] > flat[:, None, :] + tol, axis=2)
    dominated = np.any(ge & gt, axis=1)
    m = game.shape[1]
    return [
        (game.actions[0][k // m], game.actions[1][k % m])
        for k in range(flat.shape[0])
        if not dominated[k]
    ]


def is_constant_sum(game: Game, tol: float = TOLERANCE) -> bool:
    """Whether the two payoffs add up to the same total in every cell (within ``tol``)."""
    total = game.payoffs.sum(axis=2)
    return bool(np.ptp(total) <= tol * max(1.0, float(np.abs(total).max())))


def is_zero_sum(game: Game, tol: float = TOLERANCE) -> bool:
    """Whether one player's gain is the other's loss in every cell (payoffs sum to 0).

    >>> from longgame.games import sales_exchange
    >>> is_zero_sum(sales_exchange()), is_zero_sum(sales_exchange(value=4, cost=4,
    ...                                                          customer_harm=4))
    (False, True)
    """
    scale = max(1.0, float(np.abs(game.payoffs).max()))
    return bool(np.all(np.abs(game.payoffs.sum(axis=2)) <= tol * scale))


def pd_payoffs(game: Game) -> tuple[float, float, float, float]:
    """The prisoner's-dilemma payoffs ``(T, R, P, S)`` of a PD-like game.

    The game must be a symmetric 2x2 game (the column player's matrix is the transpose
    of the row player's) with one action ``c`` and another ``d`` such that
    T = u(d, c) > R = u(c, c) > P = u(d, d) > S = u(c, d).

    Raises:
        InputError: for any other game, saying which condition fails.

    >>> from longgame.games import donation_game
    >>> pd_payoffs(donation_game(b=3, c=1))
    (3.0, 2.0, 0.0, -1.0)
    """
    if game.shape != (2, 2):
        raise InputError(
            f"{game.name}: the game is {game.shape[0]}x{game.shape[1]}; prisoner's-dilemma "
            "thresholds need a symmetric 2x2 game"
        )
    A, B = game.row_payoffs, game.col_payoffs
    if not np.allclose(A, B.T, atol=TOLERANCE):
        raise InputError(
            f"{game.name}: the game is not symmetric (column payoffs are not the transpose "
            "of row payoffs); prisoner's-dilemma thresholds need a symmetric 2x2 game"
        )
    for c, d in ((0, 1), (1, 0)):
        T, R, P, S = (float(A[d, c]), float(A[c, c]), float(A[d, d]), float(A[c, d]))
        if T > R > P > S:
            return (T, R, P, S)
    T, R, P, S = (float(A[1, 0]), float(A[0, 0]), float(A[1, 1]), float(A[0, 1]))
    raise InputError(
        f"{game.name}: payoffs T={T:g}, R={R:g}, P={P:g}, S={S:g} (taking "
        f"{game.actions[0][0]!r} as cooperation) are not a prisoner's dilemma under either "
        "labelling; expected T > R > P > S"
    )


def grim_trigger_threshold(game: Game) -> float:
    """Smallest discount factor δ* = (T−R)/(T−P) at which grim trigger sustains cooperation.

    With continuation probability (or discount factor) δ ≥ δ*, the one-period gain of
    defecting, T−R, is no larger than the discounted loss of mutual punishment forever.

    >>> from longgame.games import prisoners_dilemma
    >>> grim_trigger_threshold(prisoners_dilemma(T=5, R=3, P=1, S=0))
    0.5
    """
    T, R, P, _S = pd_payoffs(game)
    return (T - R) / (T - P)


def tft_stability_bound(game: Game) -> float:
    """Axelrod's bound w* = max((T−R)/(T−P), (T−R)/(R−S)) for TIT FOR TAT.

    When the continuation probability w is at least w*, TIT FOR TAT is collectively
    stable: neither always-defect nor alternation invades it (Axelrod 1984, Proposition 2).

    >>> from longgame.games import prisoners_dilemma
    >>> tft_stability_bound(prisoners_dilemma(T=5, R=3, P=1, S=0))
    0.6666666666666666
    """
    T, R, P, S = pd_payoffs(game)
    return max((T - R) / (T - P), (T - R) / (R - S))


def evolutionarily_stable_strategies(game: Game, tol: float = TOLERANCE) -> list[tuple[float, ...]]:
    """Evolutionarily stable strategies (ESS) of a symmetric game, pure or mixed.

    A mix x is an ESS (Maynard Smith & Price 1973) when, for every other mix y, either
    ``x·Ax > y·Ax``, or ``x·Ax == y·Ax`` and ``x·Ay > y·Ay``: a population playing x
    cannot be invaded by a small group of mutants playing y. Checked among the game's
    symmetric Nash equilibria (x against x, from :func:`mixed_equilibria`) with Haigh's
    (1975) finite criterion: ``z·Az < 0`` for every ``z != 0`` with ``sum(z) = 0`` whose
    support lies among the best replies to x (the row payoffs restricted to that face
    are negative definite there). Hawk-dove's mixed ESS plays hawk with probability V/C
    (V < C); rock-paper-scissors has none.

    Returns:
        one tuple of action probabilities per ESS, in the order of
        :func:`mixed_equilibria`.

    Raises:
        InputError: the game is not symmetric (same actions for both players and column
            payoffs equal to the transposed row payoffs).

    >>> from longgame.games import hawk_dove, prisoners_dilemma, stag_hunt
    >>> evolutionarily_stable_strategies(hawk_dove(V=2, C=6))  # hawk with prob. V/C
    [(0.333..., 0.666...)]
    >>> evolutionarily_stable_strategies(prisoners_dilemma())  # defect
    [(0.0, 1.0)]
    >>> evolutionarily_stable_strategies(stag_hunt())  # both pure conventions, not the mix
    [(1.0, 0.0), (0.0, 1.0)]
    """
    A, B = game.row_payoffs, game.col_payoffs
    if (
        A.shape[0] != A.shape[1]
        or game.actions[0] != game.actions[1]
        or not np.allclose(B, A.T, atol=tol, rtol=0.0)
    ):
        raise InputError(
            f"{game.name}: not a symmetric game (actions {list(game.actions[0])} / "
            f"{list(game.actions[1])}); expected the same actions for both players and "
            "column payoffs equal to the transposed row payoffs"
        )
    scale = max(1.0, float(np.abs(A).max()))
    out: list[tuple[float, ...]] = []
    for eq in mixed_equilibria(game, tol):
        x, y = (np.asarray(p) for p in eq.probabilities)
        if not np.allclose(x, y, atol=1e-7):
            continue
        earned = A @ x
        best = np.flatnonzero(earned >= earned.max() - max(tol, 1e-7) * scale)
        if best.size > 1:
            basis = np.zeros((A.shape[0], best.size - 1))
            basis[best[0], :] = -1.0
            basis[best[1:], np.arange(best.size - 1)] = 1.0
            face = basis.T @ A @ basis
            if np.linalg.eigvalsh((face + face.T) / 2).max() >= -max(tol, 1e-9) * scale:
                continue
        out.append(tuple(float(v) for v in x))
    return out


def _num(x: float) -> int | float:
    """A number for JSON: integral values as ints (``4``), others rounded to 12 digits."""
    r = round(x)
    if abs(x - r) < 1e-9:
        return int(r)
    return round(float(x), 12)


def describe(game: Game, parameters: dict[str, float] | None = None) -> dict[str, Any]:
    """The analysis of ``game`` as the JSON object of ``longgame analyze GAME --json``.

    Keys, in order (stable; new keys may be added, none renamed): ``game``, ``players``,
    ``actions``, ``payoffs`` (nested ``[row][column][player]``), ``pure_equilibria``
    (``actions`` and ``payoffs``), ``mixed_equilibria`` (``probabilities`` per player and
    expected ``payoffs``), ``dominated`` (strictly dominated actions, only players that
    have some), ``zero_sum``; then ``constant_sum``, ``weakly_dominated``,
    ``dominated_by_mixed`` (strictly dominated by a pure or mixed strategy),
    ``iterated_elimination`` (surviving actions per player), ``pareto_optimal``, and
    ``prisoners_dilemma`` (T, R, P, S and the two thresholds; ``null`` when the game is
    not PD-like) and ``parameters`` when given. Integral numbers are ints.

    Examples:
        >>> from longgame.games import boxed_pigs
        >>> d = describe(boxed_pigs())
        >>> d["payoffs"]
        [[[5, 1], [4, 4]], [[9, -1], [0, 0]]]
        >>> d["pure_equilibria"], d["dominated"]
        ([{'actions': ['press', 'wait'], 'payoffs': [4, 4]}], {'small': ['press']})
    """
    payoffs = [[[_num(v) for v in cell] for cell in row] for row in game.payoffs.tolist()]
    pure = []
    for r, c in pure_equilibria(game):
        cell = game.payoffs[game.action_index(0, r), game.action_index(1, c)]
        pure.append({"actions": [r, c], "payoffs": [_num(cell[0]), _num(cell[1])]})
    mixed = [
        {
            "probabilities": [[_num(p) for p in mix] for mix in e.probabilities],
            "payoffs": [_num(u) for u in e.payoffs],
        }
        for e in mixed_equilibria(game)
    ]
    strict = dominated_actions(game, strict=True)
    weak = dominated_actions(game, strict=False)
    by_mix = dominated_actions(game, strict=True, by_mixed=True)
    reduced = iterated_elimination(game)
    try:
        T, R, P, S = pd_payoffs(game)
        pd: dict[str, Any] | None = {
            "T": _num(T),
            "R": _num(R),
            "P": _num(P),
            "S": _num(S),
            "grim_trigger_threshold": _num(grim_trigger_threshold(game)),
            "tft_stability_bound": _num(tft_stability_bound(game)),
        }
    except InputError:
        pd = None
    out: dict[str, Any] = {
        "game": game.name,
        "players": list(game.players),
        "actions": [list(a) for a in game.actions],
        "payoffs": payoffs,
        "pure_equilibria": pure,
        "mixed_equilibria": mixed,
        "dominated": {p: list(a) for p, a in strict.items() if a},
        "zero_sum": is_zero_sum(game),
        "constant_sum": is_constant_sum(game),
        "weakly_dominated": {p: list(a) for p, a in weak.items() if a},
        "dominated_by_mixed": {p: list(a) for p, a in by_mix.items() if a},
        "iterated_elimination": dict(
            zip(game.players, [list(a) for a in reduced.actions], strict=True)
        ),
        "pareto_optimal": [list(p) for p in pareto_optimal(game)],
        "prisoners_dilemma": pd,
    }
    if parameters is not None:
        out["parameters"] = {k: _num(v) for k, v in parameters.items()}
    return out
