"""The vectorised repeated-play engine: many relationships in lock-step with numpy.

Every relationship is a repeated two-player game between a *row* strategy and a *column*
strategy. The engine keeps each side's history in arrays sorted by strategy, so that the
rows of one strategy are a contiguous slice; in each round it calls every strategy's
:meth:`~longgame.strategies.Strategy.decide` **once** for all of its relationships (both
roles), flips chosen actions with probability ``noise``, looks the payoffs up, updates
histories, and asks strategies that can walk away whether they :meth:`exit
<longgame.strategies.Strategy.exit>`. An exit ends the relationship for both sides.

Relationship lengths are either fixed (``rounds``) or geometric with continuation
probability ``continuation`` = w (each round is followed by another with probability w,
so lengths have mean 1/(1-w)); geometric lengths are drawn up front. Relationships that
have ended are compacted away once they are the majority, so a long tail of a few long
relationships costs little.

The answers match the textbook: tit for tat against always-defect over n rounds of the
prisoner's dilemma scores exactly (S + (n-1)P, T + (n-1)P):

>>> import numpy as np
>>> from longgame.play import play
>>> from longgame.strategies import AlwaysDefect, TitForTat
>>> pd = np.array([[[3, 3], [0, 5]], [[5, 0], [1, 1]]])  # T, R, P, S = 5, 3, 1, 0
>>> result = play(TitForTat(), AlwaysDefect(), pd, rounds=10, rng=0)
>>> result.row_payoff, result.col_payoff  # one entry per relationship (n=1 here)
(array([9.]), array([14.]))
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray

from longgame._rng import RNGLike, as_generator
from longgame.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

    from longgame.strategies import HistoryView, Strategy

__all__ = ["GameLike", "PlayRecords", "PlayResult", "payoff_table", "play", "play_matches"]

#: Default cap on rounds for geometric lengths (a w = 0.999 relationship averages 1000).
MAX_ROUNDS = 100_000


class GameLike(Protocol):
    """Anything with a payoff array of shape (n_row_actions, n_col_actions, 2)."""

    @property
    def payoffs(self) -> NDArray[np.float64]: ...


def payoff_table(game: GameLike | ArrayLike) -> NDArray[np.float64]:
    """The (n_row, n_col, 2) float payoff array of a game object or array-like.

    >>> payoff_table([[[3, 3], [0, 5]], [[5, 0], [1, 1]]]).shape
    (2, 2, 2)
    """
    raw = game.payoffs if hasattr(game, "payoffs") else game
    table = np.asarray(raw, dtype=np.float64)
    if table.ndim != 3 or table.shape[2] != 2 or min(table.shape[:2]) < 1:
        raise InputError(f"play: game payoffs have shape {table.shape}; expected (n_row, n_col, 2)")
    if not np.all(np.isfinite(table)):
        raise InputError("play: game payoffs contain non-finite numbers; expected finite")
    if max(table.shape[:2]) > 127:
        raise InputError(
            f"play: game has {max(table.shape[:2])} actions; expected at most 127 per player"
        )
    return table


@dataclass(frozen=True)
class PlayRecords:
    """Per-round records of every relationship, kept only on request.

    Arrays have shape (n_relationships, max_rounds); entries after a relationship ended
    hold -1 (actions) or NaN (payoffs).
    """

    row_actions: NDArray[np.int8]
    col_actions: NDArray[np.int8]
    row_payoffs: NDArray[np.float64]
    col_payoffs: NDArray[np.float64]

    def frame(self) -> pd.DataFrame:
        """Tidy long table: relationship, round (1-based), row/col action and payoff;
        only rounds that were played.

        >>> from longgame.strategies import TitForTat, AlwaysDefect
        >>> pd_table = [[[3, 3], [0, 5]], [[5, 0], [1, 1]]]
        >>> r = play(TitForTat(), AlwaysDefect(), pd_table, rounds=2, record=True)
        >>> r.records.frame()
           relationship  round  row_action  col_action  row_payoff  col_payoff
        0             0      1           0           1         0.0         5.0
        1             0      2           1           1         1.0         1.0
        """
        import pandas as pd

        rel, rnd = np.nonzero(self.row_actions >= 0)
        return pd.DataFrame(
            {
                "relationship": rel,
                "round": rnd + 1,
                "row_action": self.row_actions[rel, rnd],
                "col_action": self.col_actions[rel, rnd],
                "row_payoff": self.row_payoffs[rel, rnd],
                "col_payoff": self.col_payoffs[rel, rnd],
            }
        )


@dataclass(frozen=True)
class PlayResult:
    """Per-relationship totals of a batch of repeated games (one entry per relationship).

    Attributes:
        row_payoff, col_payoff: total payoff of each side.
        rounds: rounds played (>= 1 unless ``rounds=0``).
        row_counts, col_counts: how often each side played each action (after noise),
            shapes (n, n_row_actions) and (n, n_col_actions).
        exited_by: -1 if the relationship ran its scheduled length, else who exited
            after its last round: 0 row, 1 column, 2 both.
        records: per-round :class:`PlayRecords` if ``record=True``, else ``None``.
    """

    row_payoff: NDArray[np.float64]
    col_payoff: NDArray[np.float64]
    rounds: NDArray[np.intp]
    row_counts: NDArray[np.intp]
    col_counts: NDArray[np.intp]
    exited_by: NDArray[np.int8]
    records: PlayRecords | None = None

    @property
    def n(self) -> int:
        """Number of relationships."""
        return int(self.rounds.shape[0])

    def frame(self) -> pd.DataFrame:
        """One row per relationship: rounds, totals, mean payoffs per round, who exited."""
        import pandas as pd

        return pd.DataFrame(
            {
                "relationship": np.arange(self.n),
                "rounds": self.rounds,
                "row_payoff": self.row_payoff,
                "col_payoff": self.col_payoff,
                "row_mean": self.row_mean,
                "col_mean": self.col_mean,
                "exited_by": self.exited_by,
            }
        )

    @property
    def row_mean(self) -> NDArray[np.float64]:
        """Mean payoff per round of the row side (NaN for zero-round relationships)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return self.row_payoff / self.rounds

    @property
    def col_mean(self) -> NDArray[np.float64]:
        """Mean payoff per round of the column side."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return self.col_payoff / self.rounds


def play(
    row: Strategy,
    col: Strategy,
    game: GameLike | ArrayLike,
    *,
    n: int = 1,
    rounds: int | None = None,
    continuation: float | None = None,
    noise: float = 0.0,
    rng: RNGLike = None,
    record: bool = False,
    history_depth: int = 4,
    max_rounds: int = MAX_ROUNDS,
) -> PlayResult:
    """Play ``n`` independent relationships of ``row`` against ``col`` in lock-step.

    See :func:`play_matches` for the arguments.

    >>> from longgame.strategies import Alternator, Grudger
    >>> r = play(Grudger(), Alternator(), [[[3, 3], [0, 5]], [[5, 0], [1, 1]]], rounds=6)
    >>> r.row_payoff.tolist(), r.col_payoff.tolist()  # grudger: C, C, then D for ever
    ([15.0], [10.0])
    """
    zeros = np.zeros(_check_count("n", n, 0), dtype=np.intp)
    return play_matches(
        [row, col],
        zeros,
        zeros + 1,
        game,
        rounds=rounds,
        continuation=continuation,
        noise=noise,
        rng=rng,
        record=record,
        history_depth=history_depth,
        max_rounds=max_rounds,
    )


class _Group:
    """The contiguous slots [lo, hi) of one strategy (in one role if action sets differ)."""

    __slots__ = ("exits", "hi", "lo", "n_actions", "strategy", "view")

    def __init__(self, strategy: Strategy, lo: int, hi: int, n_actions: int) -> None:
        self.strategy = strategy
        self.lo = lo
        self.hi = hi
        self.n_actions = n_actions
        self.exits = strategy.exits
        self.view: HistoryView | None = None


def _check_count(name: str, value: object, low: int) -> int:
    # bool is an int subclass, but True is no count of anything
    if not isinstance(value, int | np.integer) or isinstance(value, bool) or value < low:
        raise InputError(f"play: {name}={value!r} is invalid; expected an integer >= {low}")
    return int(value)


def _check_number(name: str, value: object, low: float, high: float, what: str) -> float:
    ok = isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)
    if not ok or not (low <= float(value) <= high):  # type: ignore[arg-type]
        raise InputError(f"play: {name}={value!r} is invalid; expected {what}")
    return float(value)  # type: ignore[arg-type]


def play_matches(
    strategies: Sequence[Strategy],
    row: ArrayLike,
    col: ArrayLike,
    game: GameLike | ArrayLike,
    *,
    rounds: int | None = None,
    continuation: float | None = None,
    noise: float = 0.0,
    rng: RNGLike = None,
    record: bool = False,
    history_depth: int = 4,
    max_rounds: int = MAX_ROUNDS,
) -> PlayResult:
    """Play many relationships between given strategies, all in lock-step.

    Relationship ``j`` is played by ``strategies[row[j]]`` as the row player against
    ``strategies[col[j]]`` as the column player. Each strategy object's
    :meth:`~longgame.strategies.Strategy.decide` is called once per round for all of its
    relationships in both roles (twice if the two roles have different numbers of
    actions), so a whole round robin runs in a few numpy calls per round.

    Args:
        strategies: the strategy objects; the same object may appear in several
            relationships and in both roles (each relationship side has its own state).
        row: integer indices into ``strategies`` of the row player, one per relationship.
        col: the same for the column player.
        game: a :class:`~longgame.games.Game` (or anything with ``.payoffs``) or a
            payoff array of shape (n_row_actions, n_col_actions, 2).
        rounds: fixed number of rounds per relationship (>= 0). Give this or
            ``continuation``.
        continuation: probability w in [0, 1) that another round follows each round;
            lengths are geometric (at least one round, mean 1/(1-w)), drawn up front and
            capped at ``max_rounds``.
        noise: probability in [0, 1] that a chosen action is replaced by a different one
            (for two actions: flipped), independently per side and round.
        rng: seed or Generator; the only randomness used (strategies draw from it too).
        record: keep per-round actions and payoffs (:class:`PlayRecords`).
        history_depth: how many past rounds the engine keeps for strategies with
            unbounded memory (they see counts, payoffs and their own state beyond it).
        max_rounds: cap on geometric lengths.

    Returns:
        :class:`PlayResult` with one entry per relationship, in input order.

    Raises:
        InputError: bad arguments (named, with the expected range).
        TypeError, ValueError: a strategy's ``decide`` returned the wrong shape or dtype
            (checked in the first round) or an action out of range (checked every round).
    """
    from longgame.strategies import HistoryView, Strategy

    table = payoff_table(game)
    n_row_act, n_col_act = int(table.shape[0]), int(table.shape[1])
    strategies = list(strategies)
    for i, s in enumerate(strategies):
        if not isinstance(s, Strategy):
            raise InputError(f"play: strategies[{i}]={s!r} is not a Strategy instance")
    for label, given in (("row", row), ("column", col)):
        kind = np.asarray(given).dtype.kind
        if np.size(given) and kind not in "iu":  # no bools, floats or strings as indices
            raise InputError(
                f"play: {label} indices have dtype {np.asarray(given).dtype}; expected integers"
            )
    row_idx = np.asarray(row, dtype=np.intp).ravel()
    col_idx = np.asarray(col, dtype=np.intp).ravel()
    if row_idx.shape != col_idx.shape:
        raise InputError(
            f"play: {row_idx.size} row indices but {col_idx.size} column indices; "
            "expected one of each per relationship"
        )
    both = np.concatenate([row_idx, col_idx])
    if both.size and (both.min() < 0 or both.max() >= len(strategies)):
        raise InputError(
            f"play: strategy indices must be in [0, {len(strategies) - 1}]; "
            f"got values from {both.min()} to {both.max()}"
        )
    noise = _check_number("noise", noise, 0.0, 1.0, "a probability in [0, 1]")
    history_depth = _check_count("history_depth", history_depth, 1)
    max_rounds = _check_count("max_rounds", max_rounds, 1)
    gen = as_generator(rng)
    m_rel = int(row_idx.size)

    if (rounds is None) == (continuation is None):
        raise InputError(
            "play: give exactly one of rounds (fixed length) or continuation "
            "(probability w of another round)"
        )
    if rounds is not None:
        lengths = np.full(m_rel, _check_count("rounds", rounds, 0), dtype=np.intp)
    else:
        w = _check_number("continuation", continuation, 0.0, 1.0, "a probability in [0, 1)")
        if w >= 1.0:
            raise InputError(
                f"play: continuation={continuation!r} is invalid; expected a probability in "
                "[0, 1) (w = 1 never ends)"
            )
        lengths = np.minimum(gen.geometric(1.0 - w, size=m_rel), max_rounds).astype(np.intp)

    if rounds is not None and not record and n_row_act == 2 and n_col_act == 2 and m_rel:
        from longgame._automata import automata, play_automata

        autos = automata(strategies, np.unique(both), history_depth)
        if autos is not None:
            row_pay, col_pay, row_def, col_def = play_automata(
                autos, row_idx, col_idx, table, int(lengths[0]), noise, gen
            )
            played_n = np.full(m_rel, lengths[0], dtype=np.intp)
            return PlayResult(
                row_payoff=row_pay,
                col_payoff=col_pay,
                rounds=played_n,
                row_counts=np.stack([played_n - row_def, row_def], axis=1),
                col_counts=np.stack([played_n - col_def, col_def], axis=1),
                exited_by=np.full(m_rel, -1, dtype=np.int8),
            )

    # ---- slot layout: slot 2j is relationship j's row side, 2j+1 its column side ------
    n_slots = 2 * m_rel
    side = np.tile(np.array([0, 1], dtype=np.intp), m_rel)
    owner = np.empty(n_slots, dtype=np.intp)
    owner[0::2] = row_idx
    owner[1::2] = col_idx
    split_roles = n_row_act != n_col_act
    key = owner * 2 + side if split_roles else owner
    order = np.argsort(key, kind="stable")  # working position -> original slot id
    pos = np.empty(n_slots, dtype=np.intp)
    pos[order] = np.arange(n_slots)
    orig = order
    partner = pos[orig ^ 1]
    w_side = side[orig]
    n_act_slot = np.where(w_side == 0, n_row_act, n_col_act)

    groups: list[_Group] = []
    sorted_keys = key[orig]
    bounds = np.flatnonzero(np.diff(sorted_keys)) + 1
    starts = np.concatenate([[0], bounds]) if n_slots else np.zeros(0, dtype=np.intp)
    ends = np.concatenate([bounds, [n_slots]]) if n_slots else np.zeros(0, dtype=np.intp)
    for lo, hi in zip(starts.tolist(), ends.tolist(), strict=True):
        k = int(sorted_keys[lo])
        s_index = k // 2 if split_roles else k
        role = k % 2 if split_roles else 0
        n_act = (n_row_act if role == 0 else n_col_act) if split_roles else n_row_act
        groups.append(_Group(strategies[s_index], lo, hi, n_act))

    depth = 1
    for g in groups:
        md = g.strategy.memory_depth
        depth = max(depth, history_depth if math.isinf(md) else min(int(md), history_depth))

    n_act_max = max(n_row_act, n_col_act)
    # histories and counts are stored transposed (round or action first, slot second) so
    # that the per-round shift and count updates touch contiguous rows; views transpose
    own_last = np.full((depth, n_slots), -1, dtype=np.int8)
    partner_last = np.full((depth, n_slots), -1, dtype=np.int8)
    own_counts = np.zeros((n_act_max, n_slots), dtype=np.intp)
    partner_counts = np.zeros((n_act_max, n_slots), dtype=np.intp)
    own_pay = np.zeros(n_slots)
    partner_pay = np.zeros(n_slots)
    last_own = np.zeros(n_slots)
    last_partner = np.zeros(n_slots)
    played = np.zeros(n_slots, dtype=np.intp)
    length = lengths[orig >> 1]
    states = [g.strategy.init_state(g.hi - g.lo) for g in groups]

    # flat payoff lookup: own payoff = flat[base + act * mult_own + partner_act * mult_par]
    flat = np.concatenate([table[:, :, 0].ravel(), table[:, :, 1].ravel()])

    def layout() -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]]:
        base = np.where(w_side == 0, 0, n_row_act * n_col_act).astype(np.intp)
        mult_own = np.where(w_side == 0, n_col_act, 1).astype(np.intp)
        mult_par = np.where(w_side == 0, 1, n_col_act).astype(np.intp)
        return base, mult_own, mult_par

    def make_views() -> None:
        for g, st in zip(groups, states, strict=True):
            md = g.strategy.memory_depth
            d = depth if math.isinf(md) else max(1, min(int(md), depth))
            sl = slice(g.lo, g.hi)
            # with split roles a group is one role; n_actions tells which
            partner_n = n_col_act if g.n_actions == n_row_act else n_row_act
            g.view = HistoryView(
                rounds=played[sl],
                own_last=own_last[:d, sl].T,
                partner_last=partner_last[:d, sl].T,
                own_counts=own_counts[: g.n_actions, sl].T,
                partner_counts=partner_counts[:partner_n, sl].T,
                own_payoff=own_pay[sl],
                partner_payoff=partner_pay[sl],
                last_own_payoff=last_own[sl],
                last_partner_payoff=last_partner[sl],
                state=st,
                n_actions=g.n_actions,
                partner_n_actions=partner_n,
            )

    base, mult_own, mult_par = layout()
    make_views()

    # results by original slot id
    res_pay = np.zeros(n_slots)
    res_rounds = np.zeros(n_slots, dtype=np.intp)
    res_counts = np.zeros((n_slots, n_act_max), dtype=np.intp)
    res_exit = np.zeros(n_slots, dtype=np.bool_)
    horizon = int(lengths.max()) if m_rel else 0
    rec_act = np.full((horizon, n_slots), -1, dtype=np.int8) if record else None
    rec_pay = np.full((horizon, n_slots), np.nan) if record else None

    def flush(mask: NDArray[np.bool_] | None) -> None:
        ids = orig if mask is None else orig[mask]
        sel: Any = slice(None) if mask is None else mask
        res_pay[ids] = own_pay[sel]
        res_rounds[ids] = played[sel]
        res_counts[ids] = own_counts[:, sel].T

    active = length > 0
    all_active = bool(active.all())
    exit_groups = [g for g in groups if g.exits]
    two_actions = n_row_act == 2 and n_col_act == 2
    ar = np.arange(n_slots, dtype=np.intp)
    act = np.zeros(n_slots, dtype=np.int8)
    t = 0
    while n_slots and active.any():
        for g in groups:
            assert g.view is not None
            out = g.strategy.decide(g.view, gen)
            if t == 0:
                _check_actions(g, out)
            act[g.lo : g.hi] = out
        if n_slots and act.view(np.uint8).max() >= n_act_max:  # negatives wrap to >= 128
            for g in groups:
                _check_actions(g, act[g.lo : g.hi])
        if noise > 0.0:
            flip = gen.random(n_slots) < noise
            if two_actions:
                act ^= flip.view(np.int8)
            else:
                shift = 1 + (gen.random(n_slots) * (n_act_slot - 1)).astype(np.intp)
                flipped = ((act + shift) % n_act_slot).astype(np.int8)
                np.copyto(act, flipped, where=flip & (n_act_slot > 1))
        pact = act[partner]
        pay = flat[base + act * mult_own + pact * mult_par]
        ppay = pay[partner]
        if depth > 1:
            own_last[1:] = own_last[:-1]
            partner_last[1:] = partner_last[:-1]
        own_last[0] = act
        partner_last[0] = pact
        last_own[:] = pay
        last_partner[:] = ppay
        if all_active:
            played += 1
            if two_actions:
                np.add(own_counts[1], act, out=own_counts[1], casting="unsafe")
                np.subtract(played, own_counts[1], out=own_counts[0])
                np.add(partner_counts[1], pact, out=partner_counts[1], casting="unsafe")
                np.subtract(played, partner_counts[1], out=partner_counts[0])
            else:
                own_counts[act, ar] += 1
                partner_counts[pact, ar] += 1
            own_pay += pay
            partner_pay += ppay
        else:
            on = active.view(np.int8)
            played += on
            own_counts[act, ar] += on
            partner_counts[pact, ar] += on
            own_pay += np.where(active, pay, 0.0)
            partner_pay += np.where(active, ppay, 0.0)
        if record:
            assert rec_act is not None
            assert rec_pay is not None
            ids = orig if all_active else orig[active]
            rec_act[t, ids] = act if all_active else act[active]
            rec_pay[t, ids] = pay if all_active else pay[active]
        t += 1
        if exit_groups:
            leave = np.zeros(n_slots, dtype=np.bool_)
            for g in exit_groups:
                assert g.view is not None
                leave[g.lo : g.hi] = g.strategy.exit(g.view, gen)
            leave &= active
            if leave.any():
                res_exit[orig[leave]] = True
                active &= ~(leave | leave[partner])
                all_active = False
        if t >= horizon or (not all_active or rounds is None):
            ended = played >= length
            if ended.any():
                active &= ~ended
                all_active = False
        if not all_active:
            n_on = int(np.count_nonzero(active))
            if n_on == 0:
                break
            if n_on * 2 < n_slots and n_slots > 64:
                # compaction: flush finished slots, keep only the live ones
                done = ~active
                flush(done)
                keep = np.flatnonzero(active)
                new_pos = np.full(n_slots, -1, dtype=np.intp)
                new_pos[keep] = np.arange(keep.size)
                partner = new_pos[partner[keep]]
                orig = orig[keep]
                w_side = w_side[keep]
                n_act_slot = n_act_slot[keep]
                own_last = own_last[:, keep]
                partner_last = partner_last[:, keep]
                own_counts = own_counts[:, keep]
                partner_counts = partner_counts[:, keep]
                own_pay = own_pay[keep]
                partner_pay = partner_pay[keep]
                last_own = last_own[keep]
                last_partner = last_partner[keep]
                played = played[keep]
                length = length[keep]
                new_groups: list[_Group] = []
                new_states = []
                for g, st in zip(groups, states, strict=True):
                    local = keep[(keep >= g.lo) & (keep < g.hi)]
                    if local.size == 0:
                        continue
                    lo = int(new_pos[local[0]])
                    ng = _Group(g.strategy, lo, lo + local.size, g.n_actions)
                    new_groups.append(ng)
                    new_states.append({k: v[local - g.lo] for k, v in st.items()})
                groups, states = new_groups, new_states
                exit_groups = [g for g in groups if g.exits]
                n_slots = int(keep.size)
                ar = np.arange(n_slots, dtype=np.intp)
                act = np.zeros(n_slots, dtype=np.int8)
                active = np.ones(n_slots, dtype=np.bool_)
                all_active = True
                base, mult_own, mult_par = layout()
                make_views()
    flush(None)

    row_ids = np.arange(0, 2 * m_rel, 2)
    col_ids = row_ids + 1
    exited_by = np.full(m_rel, -1, dtype=np.int8)
    r_ex, c_ex = res_exit[row_ids], res_exit[col_ids]
    exited_by[r_ex] = 0
    exited_by[c_ex] = 1
    exited_by[r_ex & c_ex] = 2
    records = None
    if record:
        assert rec_act is not None
        assert rec_pay is not None
        records = PlayRecords(
            row_actions=np.ascontiguousarray(rec_act[:, row_ids].T),
            col_actions=np.ascontiguousarray(rec_act[:, col_ids].T),
            row_payoffs=np.ascontiguousarray(rec_pay[:, row_ids].T),
            col_payoffs=np.ascontiguousarray(rec_pay[:, col_ids].T),
        )
    return PlayResult(
        row_payoff=res_pay[row_ids],
        col_payoff=res_pay[col_ids],
        rounds=res_rounds[row_ids],
        row_counts=res_counts[row_ids, :n_row_act],
        col_counts=res_counts[col_ids, :n_col_act],
        exited_by=exited_by,
        records=records,
    )


def _check_actions(group: _Group, out: object) -> None:
    """Validate a strategy's first decision: shape (n,), integers in range."""
    name = group.strategy.name or type(group.strategy).__name__
    n = group.hi - group.lo
    arr = np.asarray(out)
    if arr.shape != (n,) or not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(
            f"strategy {name}: decide() returned {arr.dtype} array of shape {arr.shape}; "
            f"expected an integer array of shape ({n},)"
        )
    if n and (arr.min() < 0 or arr.max() >= group.n_actions):
        raise ValueError(
            f"strategy {name}: decide() returned actions from {arr.min()} to {arr.max()}; "
            f"expected indices in [0, {group.n_actions - 1}]"
        )
