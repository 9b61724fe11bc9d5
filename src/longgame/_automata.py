"""The engine's fast path: strategies that are finite-state machines, played together.

:func:`longgame.play.play_matches` hands a batch here when every strategy in it returns
an :class:`~longgame.strategies.Automaton` (the classic built-ins do), the game has two
actions per player, lengths are fixed, and nothing per round is recorded. Each side of
each relationship is then one integer state in one array; a round is a handful of numpy
operations on that array whatever the number of strategies (a gather of the action, a
gather of the payoff, a gather of the next state), instead of one ``decide`` call per
strategy plus the bookkeeping of full histories. A batch of a few relationships (a
single match) runs as a plain Python loop, where numpy's per-call cost would dominate.

Results are bit-for-bit those of the general engine: the random numbers are drawn from
the same generator in the same order (per round, each stochastic strategy's ``u`` for
its relationships in the engine's slot order, then the noise draws for every slot), in
one call per chunk of rounds since nothing else draws in between; payoffs are summed
round by round in the same order. Without noise, relationships between two
deterministic strategies that repeat (the same pair, the same roles) are played once
and copied: they draw nothing, so the others' draws do not move.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from longgame.strategies import Automaton, Strategy

__all__ = ["automata", "play_automata"]

#: Batches of at most this many relationship sides run as a plain Python loop.
SCALAR_SLOTS = 8
#: Random numbers drawn per call (rounds are drawn in chunks of about this many).
CHUNK_DRAWS = 1 << 18


def automata(
    strategies: Sequence[Strategy], used: NDArray[np.intp], history_depth: int
) -> list[Automaton | None] | None:
    """Each used strategy's automaton (``None`` for unused ones), or ``None`` if any used
    strategy has none or needs more history than the engine keeps."""
    out: list[Automaton | None] = [None] * len(strategies)
    for i in used.tolist():
        auto = strategies[i].automaton()
        if auto is None or auto.depth > history_depth:
            return None
        out[i] = auto
    return out


def play_automata(
    autos: Sequence[Automaton | None],
    row: NDArray[np.intp],
    col: NDArray[np.intp],
    table: NDArray[np.float64],
    rounds: int,
    noise: float,
    gen: np.random.Generator,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.intp], NDArray[np.intp]]:
    """Totals of each relationship: row payoff, column payoff, row defections, column
    defections (one entry per relationship, in input order)."""
    m = int(row.size)
    stochastic = np.array([a is not None and a.stochastic for a in autos], dtype=np.bool_)
    if noise == 0.0 and m > 1:
        deterministic = ~(stochastic[row] | stochastic[col])
        if deterministic.any():
            key = np.where(deterministic, row * len(autos) + col, -1 - np.arange(m))
            _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
            if first.size < m:
                keep = np.sort(first)
                rank = np.searchsorted(keep, first[inverse.ravel()])
                parts = _play(autos, stochastic, row[keep], col[keep], table, rounds, 0.0, gen)
                return parts[0][rank], parts[1][rank], parts[2][rank], parts[3][rank]
    return _play(autos, stochastic, row, col, table, rounds, noise, gen)


def _play(
    autos: Sequence[Automaton | None],
    stochastic: NDArray[np.bool_],
    row: NDArray[np.intp],
    col: NDArray[np.intp],
    table: NDArray[np.float64],
    rounds: int,
    noise: float,
    gen: np.random.Generator,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.intp], NDArray[np.intp]]:
    m = int(row.size)
    n = 2 * m
    owner = np.empty(n, dtype=np.intp)
    owner[0::2] = row
    owner[1::2] = col
    # the general engine's slot order: by strategy, then relationship (a stable sort)
    order = np.argsort(owner, kind="stable")
    pos = np.empty(n, dtype=np.intp)
    pos[order] = np.arange(n)
    partner = pos[order ^ 1]
    w_owner = owner[order]
    w_side = order & 1

    # one block of states per (strategy, side): the side fixes the payoff column
    codes = np.arange(4)
    own, other = codes >> 1, codes & 1
    pay_by_side = np.stack([table[own, other, 0], table[other, own, 1]])  # code = 2 own + other
    keys = np.unique(w_owner * 2 + w_side).tolist()
    blocks = [autos[key >> 1] for key in keys]
    sizes = [b.n_states for b in blocks if b is not None]
    assert len(sizes) == len(keys)
    firsts = np.cumsum([0, *sizes[:-1]])
    offset = np.zeros(2 * len(autos), dtype=np.intp)
    offset[keys] = firsts
    coop = np.array([p for b in blocks if b is not None for p in b.cooperate], dtype=np.float64)
    rows = [r for b in blocks if b is not None for r in b.next_state]
    nxt = 4 * (np.array(rows, dtype=np.intp) + np.repeat(firsts, sizes)[:, None]).ravel()
    pay = pay_by_side[np.repeat(np.array(keys) & 1, sizes)].ravel()
    start = 4 * offset[w_owner * 2 + w_side]
    stoch_pos = np.flatnonzero(stochastic[w_owner])
    k = int(stoch_pos.size)
    per_round = k + (n if noise > 0.0 else 0)

    if n <= SCALAR_SLOTS:
        own_pay, defects = _scalar(
            start.tolist(), partner.tolist(), stoch_pos.tolist(), coop.tolist(), pay.tolist(),
            nxt.tolist(), rounds, noise, per_round, gen,
        )  # fmt: skip
    else:
        coop4 = np.repeat(coop, 4)
        act4 = (coop4 == 0.0).astype(np.int8)
        # payoff + i * defection: one gather and one sum per round for both totals (the
        # real parts add exactly as floats would)
        pay4 = pay + 1j * np.tile(own.astype(np.float64), coop.size)
        next4 = nxt
        # the rounds run in relationship order (row side, column side, next relationship
        # ...), so both sides' codes 2 * own + other come from one gather on the pair of
        # int8 actions read as one int16; the draws, made in the general engine's slot
        # order, are scattered to this order once per chunk
        state = np.empty(n, dtype=np.intp)
        state[order] = start
        stoch_slots = order[stoch_pos]
        pair_code = PAIR_CODES
        total = np.zeros(n, dtype=np.complex128)
        chunk = max(1, min(rounds, CHUNK_DRAWS // max(per_round, 1)))
        u = flips = None
        for t0 in range(0, rounds, chunk):
            c = min(chunk, rounds - t0)
            if per_round:
                draws = gen.random((c, per_round))
                if k:
                    u = np.full((c, n), 0.5)  # deterministic states compare with 0 or 1
                    u[:, stoch_slots] = draws[:, :k]
                if noise > 0.0:
                    flips = np.empty((c, n), dtype=np.int8)
                    flips[:, order] = draws[:, k:] < noise
            for t in range(c):
                if u is None:
                    act = act4.take(state)
                else:
                    act = np.greater_equal(u[t], coop4.take(state)).view(np.int8)
                if flips is not None:
                    act = act ^ flips[t]
                idx = state + pair_code.take(act.view(np.int16)).view(np.int8)
                total += pay4.take(idx)
                state = next4.take(idx)
        return (
            total[0::2].real.copy(),
            total[1::2].real.copy(),
            total[0::2].imag.astype(np.intp),
            total[1::2].imag.astype(np.intp),
        )

    res_pay = np.empty(n)
    res_pay[order] = own_pay
    res_def = np.empty(n, dtype=np.intp)
    res_def[order] = defects
    return res_pay[0::2], res_pay[1::2], res_def[0::2], res_def[1::2]


def _pair_codes() -> NDArray[np.int16]:
    """Lookup from a relationship's two int8 actions read as one int16 to the two int8
    codes ``2 * own + other`` (row side first) read as one int16 (any byte order)."""
    out = np.zeros(258, dtype=np.int16)  # keys 0 .. 1 + 256
    for a_row in (0, 1):
        for a_col in (0, 1):
            key = np.array([a_row, a_col], dtype=np.int8).view(np.int16)[0]
            codes = np.array([2 * a_row + a_col, 2 * a_col + a_row], dtype=np.int8)
            out[key] = codes.view(np.int16)[0]
    return out


PAIR_CODES = _pair_codes()


def _scalar(
    state: list[int],
    partner: list[int],
    stoch_pos: list[int],
    coop: list[float],
    pay: list[float],
    nxt: list[int],
    rounds: int,
    noise: float,
    per_round: int,
    gen: np.random.Generator,
) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """The same rounds as a Python loop over a few slots (no numpy call per round)."""
    n = len(state)
    k = len(stoch_pos)
    coop4 = [p for p in coop for _ in range(4)]
    own_pay = [0.0] * n
    defects = [0] * n
    slots = range(n)
    draws: list[list[float]] = []
    chunk = max(1, min(rounds, CHUNK_DRAWS // max(per_round, 1)))
    for t in range(rounds):
        if per_round and t % chunk == 0:
            draws = gen.random((min(chunk, rounds - t), per_round)).tolist()
        u = [0.5] * n
        if per_round:
            row = draws[t % chunk]
            for j, p in enumerate(stoch_pos):
                u[p] = row[j]
        act = [1 if u[p] >= coop4[state[p]] else 0 for p in slots]
        if noise > 0.0:
            row = draws[t % chunk]
            act = [a ^ (row[k + p] < noise) for p, a in enumerate(act)]
        idx = [state[p] + 2 * act[p] + act[partner[p]] for p in slots]
        for p in slots:
            own_pay[p] += pay[idx[p]]
            defects[p] += act[p]
        state = [nxt[i] for i in idx]
    return np.asarray(own_pay, dtype=np.float64), np.asarray(defects, dtype=np.intp)
