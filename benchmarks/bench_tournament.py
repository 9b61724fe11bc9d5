"""Benchmark of the tournament against the Axelrod library, measured in the same run.

1. A round robin of the ten strategies both libraries have (every pair including
   self-play: 55 matches), 200 turns, 10 repetitions, with noise 0.05 and without:
   ``longgame.models.tournament.round_robin`` (tidy results: payoff matrix, scores per
   repetition, wins, cooperation) against Axelrod 4.13's ``Tournament.play`` in one
   process (``build_results=False``: matches played and written, not its ResultSet,
   which would cost Axelrod several times more). Target: >= 100x.
2. A single 200-turn match: ``longgame.play.play`` against ``axelrod.Match.play``.
   Target: >= 1x.
3. Throughput of a large round robin (``--scale`` repetitions) with the automatic block
   plan against the former fixed ``block_size=10``, and ``workers=2`` on the ordinary
   tournament (which must not start processes) against serial.

Times are CPU seconds of this process (``time.process_time``): the machine may be
shared, and CPU time is what each library spends. The two sides alternate (A B, B A,
...) and the ratio reported is the median over the pairs. Before timing, the two
payoff matrices without noise are compared on the pairs of deterministic strategies,
which must agree exactly (same game, same strategies).

Needs the benchmark extra: ``pip install -e '.[bench]'`` (``make bench`` does it).
Run: ``python benchmarks/bench_tournament.py [--pairs 5] [--scale 1000]``.
"""

from __future__ import annotations

import _common

# isort: split
import argparse
import itertools
import statistics
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from longgame.games import prisoners_dilemma
from longgame.models.tournament import round_robin
from longgame.play import play
from longgame.strategies import get_strategy

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
STOCHASTIC = {"generous-tit-for-tat", "random"}
ROUNDS, REPETITIONS = 200, 10
#: A fresh seed for every timed call of either library.
SEEDS = itertools.count()


def axelrod_players() -> list[Any]:
    """The same ten strategies in Axelrod (``prober`` is Case's Detective there)."""
    import axelrod as axl

    return [
        axl.Cooperator(),
        axl.Defector(),
        axl.TitForTat(),
        axl.Grudger(),
        axl.WinStayLoseShift(),
        axl.TitFor2Tats(),
        axl.GTFT(p=0.1),  # longgame's default generosity
        axl.Detective(),
        axl.Random(0.5),
        axl.Alternator(),
    ]


def cpu(fn: Callable[[], object], times: int = 1) -> float:
    """CPU seconds of one call of ``fn`` (the mean over ``times`` calls)."""
    start = time.process_time()
    for _ in range(times):
        fn()
    return (time.process_time() - start) / times


def alternate(
    ours: Callable[[], object], theirs: Callable[[], object], pairs: int, ours_times: int
) -> tuple[float, float, float]:
    """Median CPU seconds of each side and the median ratio theirs/ours, alternating."""
    mine, other, ratios = [], [], []
    for k in range(pairs):
        if k % 2 == 0:
            a = cpu(ours, ours_times)
            b = cpu(theirs)
        else:
            b = cpu(theirs)
            a = cpu(ours, ours_times)
        mine.append(a)
        other.append(b)
        ratios.append(b / a)
    return statistics.median(mine), statistics.median(other), statistics.median(ratios)


def same_game(axl: Any) -> float:
    """Largest payoff-matrix difference between the libraries on deterministic pairs,
    without noise (must be 0: the same strategies playing the same game)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tour = axl.Tournament(axelrod_players(), turns=ROUNDS, repetitions=2, seed=1)
        theirs = np.asarray(tour.play(progress_bar=False).payoff_matrix)
    ours = round_robin(NAMES, prisoners_dilemma(), rounds=ROUNDS, repetitions=2, rng=1)
    det = np.array([n not in STOCHASTIC for n in NAMES])
    both = np.outer(det, det)
    return float(np.abs(ours.payoff_matrix - theirs)[both].max())


def main() -> None:
    """Print the measurements and the targets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=5, help="alternating timing pairs")
    parser.add_argument("--scale", type=int, default=1000, help="repetitions, scaling line")
    args = parser.parse_args()
    print(_common.machine())
    game = prisoners_dilemma()
    n = len(NAMES)
    turns = n * (n + 1) // 2 * REPETITIONS * ROUNDS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pkg_resources deprecation at import
            import axelrod as axl
    except ImportError:
        axl = None
        print("axelrod is not installed (pip install -e '.[bench]'): no comparison")
        for label in ("tournament, noise 0.05", "tournament, noise 0", "single match"):
            print(f"  MISS  {label} vs Axelrod: not measured (axelrod missing)")

    if axl is not None:
        print(f"Axelrod {axl.__version__}; payoff matrices without noise, deterministic "
              f"pairs: largest difference {same_game(axl):.3g} (must be 0)")  # fmt: skip
        for noise in (0.05, 0.0):

            def ours(noise: float = noise) -> object:
                return round_robin(
                    NAMES, game, rounds=ROUNDS, noise=noise, repetitions=REPETITIONS,
                    rng=next(SEEDS),
                )  # fmt: skip

            def theirs(noise: float = noise) -> object:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # "results will not be accessible"
                    tour = axl.Tournament(
                        axelrod_players(), turns=ROUNDS, repetitions=REPETITIONS,
                        noise=noise, seed=next(SEEDS),
                    )  # fmt: skip
                    return tour.play(progress_bar=False, build_results=False)

            ours()
            mine, other, ratio = alternate(ours, theirs, args.pairs, ours_times=10)
            print(f"tournament, {n} strategies, {ROUNDS} turns, {REPETITIONS} repetitions, "
                  f"noise {noise}: longgame {mine * 1e3:.2f} ms ({turns / mine / 1e6:.1f} M "
                  f"turns/s), Axelrod {other * 1e3:.0f} ms ({turns / other / 1e6:.3f} M "
                  f"turns/s)")  # fmt: skip
            _common.check(f"tournament vs Axelrod, noise {noise}", ratio, 100)

        for a, b, noise in (("tit-for-tat", "random", 0.05), ("grudger", "alternator", 0.0)):
            sa, sb = get_strategy(a), get_strategy(b)
            pa, pb = (axelrod_players()[NAMES.index(x)] for x in (a, b))

            def our_match(sa: Any = sa, sb: Any = sb, noise: float = noise) -> object:
                return play(sa, sb, game, rounds=ROUNDS, noise=noise, rng=next(SEEDS))

            def their_match(pa: Any = pa, pb: Any = pb, noise: float = noise) -> object:
                match = axl.Match((pa, pb), turns=ROUNDS, noise=noise, seed=next(SEEDS))
                return match.play()

            def ours_many(f: Callable[[], object] = our_match) -> None:
                for _ in range(50):
                    f()

            def theirs_many(f: Callable[[], object] = their_match) -> None:
                for _ in range(50):
                    f()

            mine, other, ratio = alternate(ours_many, theirs_many, args.pairs, ours_times=1)
            print(f"single match {a} vs {b}, {ROUNDS} turns, noise {noise}: longgame "
                  f"{mine / 50 * 1e3:.3f} ms, Axelrod {other / 50 * 1e3:.3f} ms")  # fmt: skip
            _common.check(f"single match vs Axelrod ({a} vs {b}, noise {noise})", ratio, 1)

    # the automatic block plan against the former fixed block of 10 repetitions
    if args.scale:
        kw: dict[str, Any] = {"rounds": ROUNDS, "noise": 0.05, "repetitions": args.scale}
        big = n * (n + 1) // 2 * args.scale * ROUNDS
        auto, tens, ratio = alternate(
            lambda: round_robin(NAMES, game, rng=3, **kw),
            lambda: round_robin(NAMES, game, rng=3, block_size=10, **kw),
            3,
            ours_times=1,
        )
        print(f"{args.scale} repetitions (noise 0.05): automatic blocks {big / auto / 1e6:.1f} "
              f"M turns/s, blocks of 10 {big / tens / 1e6:.1f} M turns/s")  # fmt: skip
        _common.check("automatic blocks vs blocks of 10, large tournament", ratio, 1.2)
    # workers=2 on the ordinary tournament: no processes (wall time, start-up included)
    kw = {"rounds": ROUNDS, "noise": 0.05, "repetitions": REPETITIONS, "rng": 4}
    walls = {}
    for workers in (1, 2, 1, 2):
        start = time.perf_counter()
        round_robin(NAMES, game, block_size=1, workers=workers, **kw)
        walls[workers] = min(walls.get(workers, 1e9), time.perf_counter() - start)
    print(f"ordinary tournament in blocks of 1: workers=1 {walls[1] * 1e3:.1f} ms, "
          f"workers=2 {walls[2] * 1e3:.1f} ms wall (no process for small work)")  # fmt: skip
    _common.check("workers=2 vs serial, ordinary tournament (wall)", walls[1] / walls[2], 0.8)


if __name__ == "__main__":
    main()
