"""Benchmark of the tournament: turns per second, vectorised engine vs a per-match loop.

1. ``longgame.models.tournament.round_robin``: 10 built-in strategies, every pair
   including self-play (55 matches), 200 rounds, 10 repetitions, noise 0.05, with the
   tidy aggregation (payoff matrix, scores per repetition, wins, cooperation).
2. Reference A, the per-match loop with the library's own strategies: the same
   tournament played one match at a time (``longgame.play.play`` with one relationship
   per call), i.e. what the engine would cost without batching relationships.
3. Reference B, a hand-written pure-Python loop: the ten strategies re-implemented as
   plain functions on lists (as in the Axelrod library's ``Match.play``, minus its
   object overhead), one match at a time, noise and randomness from a seeded
   ``random.Random``. This is the fastest straightforward Python one can write.

A *turn* is one round of one match (both players move). Prints turns per second of
each, the ratios, and the largest score difference between the engine and reference B
(the same tournament under different random streams, so scores agree within noise).
Targets: >= 5 M turns/s on one core and >= 30x the loop.

A last line shows how throughput grows when more repetitions share one lock-step batch
(``--scale``, default 500 repetitions in one block).

Run: ``python benchmarks/bench_tournament.py [--rounds 200] [--repetitions 10]``.
"""

from __future__ import annotations

import _common  # noqa: F401 (first: one BLAS thread, src on the path)

# isort: split
import argparse
import random
import time
from collections.abc import Callable

import numpy as np

from longgame.games import prisoners_dilemma
from longgame.models.tournament import round_robin

NAMES = [
    "always-cooperate",
    "always-defect",
    "tit-for-tat",
    "grudger",
    "win-stay-lose-shift",
    "tit-for-two-tats",
    "generous-tit-for-tat",
    "prober",
    "random",
    "alternator",
]

# -- the reference: plain Python, one call per player per round --------------------------

Rule = Callable[[list[int], list[int], random.Random], int]


def _allc(own: list[int], opp: list[int], r: random.Random) -> int:
    return 0


def _alld(own: list[int], opp: list[int], r: random.Random) -> int:
    return 1


def _tft(own: list[int], opp: list[int], r: random.Random) -> int:
    return opp[-1] if opp else 0


def _grudger(own: list[int], opp: list[int], r: random.Random) -> int:
    return 1 if 1 in opp else 0


def _wsls(own: list[int], opp: list[int], r: random.Random) -> int:
    return 0 if not own or own[-1] == opp[-1] else 1


def _tf2t(own: list[int], opp: list[int], r: random.Random) -> int:
    return 1 if len(opp) >= 2 and opp[-1] == 1 and opp[-2] == 1 else 0


def _gtft(own: list[int], opp: list[int], r: random.Random) -> int:
    forgive = r.random() < 0.1
    return 1 if opp and opp[-1] == 1 and not forgive else 0


def _prober(own: list[int], opp: list[int], r: random.Random) -> int:
    t = len(own)
    if t < 4:
        return (0, 1, 0, 0)[t]
    if 1 in opp[:4]:
        return opp[-1]
    return 1


def _random(own: list[int], opp: list[int], r: random.Random) -> int:
    return 0 if r.random() < 0.5 else 1


def _alternator(own: list[int], opp: list[int], r: random.Random) -> int:
    return 1 if own and own[-1] == 0 else 0


RULES: list[Rule] = [
    _allc,
    _alld,
    _tft,
    _grudger,
    _wsls,
    _tf2t,
    _gtft,
    _prober,
    _random,
    _alternator,
]


def reference_tournament(rounds: int, repetitions: int, noise: float, seed: int) -> np.ndarray:
    """Mean payoff per round of each strategy, averaged over opponents (incl. self)."""
    r = random.Random(seed)
    pay = prisoners_dilemma().payoffs.tolist()
    n = len(RULES)
    sums = [[0.0] * n for _ in range(n)]
    for _ in range(repetitions):
        for i in range(n):
            for j in range(i, n):
                a_rule, b_rule = RULES[i], RULES[j]
                a_hist: list[int] = []
                b_hist: list[int] = []
                a_tot = b_tot = 0.0
                for _t in range(rounds):
                    a = a_rule(a_hist, b_hist, r)
                    b = b_rule(b_hist, a_hist, r)
                    if r.random() < noise:
                        a = 1 - a
                    if r.random() < noise:
                        b = 1 - b
                    pa, pb = pay[a][b]
                    a_tot += pa
                    b_tot += pb
                    a_hist.append(a)
                    b_hist.append(b)
                if i == j:
                    sums[i][i] += (a_tot + b_tot) / (2 * rounds)
                else:
                    sums[i][j] += a_tot / rounds
                    sums[j][i] += b_tot / rounds
    return np.asarray(sums).mean(axis=1) / repetitions


def per_match_tournament(rounds: int, repetitions: int, noise: float, seed: int) -> int:
    """Reference A: the library's strategies, one match per ``play`` call; turns played."""
    from longgame.play import play
    from longgame.strategies import get_strategy

    players = [get_strategy(name) for name in NAMES]
    seeds = np.random.SeedSequence(seed).spawn(repetitions)
    turns = 0
    game = prisoners_dilemma()
    for rep in range(repetitions):
        gen = np.random.default_rng(seeds[rep])
        for i in range(len(players)):
            for j in range(i, len(players)):
                res = play(players[i], players[j], game, rounds=rounds, noise=noise, rng=gen)
                turns += int(res.rounds.sum())
    return turns


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--repetitions", type=int, default=10)
    parser.add_argument("--noise", type=float, default=0.05)
    parser.add_argument("--repeat", type=int, default=7, help="timings of the engine (best)")
    parser.add_argument(
        "--scale", type=int, default=500, help="repetitions for the batch-size line (0: skip)"
    )
    args = parser.parse_args()

    n = len(NAMES)
    matches = n * (n + 1) // 2 * args.repetitions
    turns = matches * args.rounds
    kw = {"rounds": args.rounds, "noise": args.noise, "repetitions": args.repetitions}

    round_robin(NAMES, prisoners_dilemma(), rng=0, **kw)  # warm-up (imports, caches)
    times = []
    for k in range(args.repeat):
        t0 = time.perf_counter()
        result = round_robin(NAMES, prisoners_dilemma(), rng=k, **kw)
        times.append(time.perf_counter() - t0)
    assert result.turns == turns
    engine = min(times)

    t0 = time.perf_counter()
    assert per_match_tournament(args.rounds, args.repetitions, args.noise, seed=1) == turns
    per_match = time.perf_counter() - t0

    loops = []
    for k in range(3):
        t0 = time.perf_counter()
        ref_scores = reference_tournament(args.rounds, args.repetitions, args.noise, seed=k)
        loops.append(time.perf_counter() - t0)
    loop = min(loops)

    print(f"tournament: {n} strategies, {matches} matches x {args.rounds} rounds, "
          f"noise {args.noise} = {turns:,} turns")  # fmt: skip
    print(f"engine (round_robin, best of {args.repeat}): {engine * 1e3:8.1f} ms  "
          f"{turns / engine / 1e6:6.2f} M turns/s")  # fmt: skip
    for label, secs in (
        ("A: per-match loop, library strategies", per_match),
        ("B: hand-written pure-Python loop (best of 3)", loop),
    ):
        print(f"{label}: {secs * 1e3:8.1f} ms  {turns / secs / 1e6:6.2f} M turns/s  "
              f"engine is {secs / engine:6.1f}x faster")  # fmt: skip
    print("targets: >= 5 M turns/s on one core; >= 30x the loop")
    if args.scale:
        # larger lock-step batches amortise the per-round Python overhead; the loop's
        # cost is linear in turns, so its rate above applies unchanged
        reps = args.scale
        t0 = time.perf_counter()
        big = round_robin(
            NAMES, prisoners_dilemma(), rng=99, rounds=args.rounds, noise=args.noise,
            repetitions=reps, block_size=reps,
        )  # fmt: skip
        secs = time.perf_counter() - t0
        print(f"scaling: {reps} repetitions in one block ({big.turns:,} turns): "
              f"{big.turns / secs / 1e6:6.2f} M turns/s, "
              f"{big.turns / secs / (turns / loop):5.1f}x loop B's rate")  # fmt: skip
    diff = np.abs(result.scores - ref_scores)
    print(f"largest score difference engine vs loop: {diff.max():.3f} per round "
          f"(strategy {NAMES[int(diff.argmax())]})")  # fmt: skip


if __name__ == "__main__":
    main()
