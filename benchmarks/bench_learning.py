"""Benchmark of the learning model: agent-periods per second, vectorised vs a per-agent loop.

1. The model (``longgame.models.learning``), each rule, 2 x N agents for T periods,
   including matching, learning, metric recording and the output tables.
2. The reference: the same Roth-Erev dynamics written the obvious way, one Python call
   per agent per period (random matching, choice, payoff, propensity update), on a
   smaller population (its cost is linear in agents x periods, so rates compare).

Prints agent-periods per second and the ratio model / reference.
Targets: >= 10 M agent-periods/s per rule on one core, >= 10x the loop; a 200-period
run with 2 x 200 agents (the default, after imports) well under a second.

Run: ``python benchmarks/bench_learning.py [--agents N] [--steps T]``.
"""

from __future__ import annotations

import _common  # first: one BLAS thread, src on the path

# isort: split
import argparse
import time

import numpy as np

from longgame.games import boxed_pigs
from longgame.models.learning import RULES, LearningParams, simulate


def reference_roth_erev(n: int, steps: int, seed: int) -> float:
    """Roth-Erev on the boxed pigs with one Python call per agent per period; big press share."""
    rng = np.random.default_rng(seed)
    game = boxed_pigs()
    mats = [game.row_payoffs.tolist(), game.col_payoffs.T.tolist()]
    mins = [min(min(r) for r in m) for m in mats]
    scales = [sum(v - mins[s] for r in mats[s] for v in r) / 4 for s in (0, 1)]
    props = [[[9.0 * scales[s] / 2] * 2 for _ in range(n)] for s in (0, 1)]

    def choose(q: list[float]) -> int:
        return 0 if rng.random() * (q[0] + q[1]) < q[0] else 1

    for _ in range(steps):
        actions = [[choose(q) for q in props[s]] for s in (0, 1)]
        partners = rng.permutation(n)
        for i in range(n):
            j = int(partners[i])
            a, b = actions[0][i], actions[1][j]
            for side, agent, own, other in ((0, i, a, b), (1, j, b, a)):
                q = props[side][agent]
                q[0] *= 0.95
                q[1] *= 0.95
                q[own] += mats[side][own][other] - mins[side]
    return sum(q[0] / (q[0] + q[1]) for q in props[0]) / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--agents", type=int, default=20_000, help="agents per population")
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--ref-agents", type=int, default=1_000)
    parser.add_argument("--ref-steps", type=int, default=50)
    args, _ = parser.parse_known_args()

    simulate(LearningParams(), 10, 0)  # imports and first-call set-up
    t0 = time.perf_counter()
    simulate(LearningParams(), 200, 0)
    default_time = time.perf_counter() - t0
    print(f"default run (2 x 200 agents, 200 periods, roth-erev): {default_time * 1e3:.0f} ms")

    t0 = time.perf_counter()
    share = reference_roth_erev(args.ref_agents, args.ref_steps, 0)
    ref_time = time.perf_counter() - t0
    ref_rate = 2 * args.ref_agents * args.ref_steps / ref_time
    print(
        f"reference loop (2 x {args.ref_agents} agents, {args.ref_steps} periods): "
        f"{ref_rate / 1e6:.3f} M agent-periods/s (big press share {share:.2f})"
    )
    for rule in RULES:
        params = LearningParams(rule=rule, n_row=args.agents, n_col=args.agents)
        t0 = time.perf_counter()
        out = simulate(params, args.steps, 0)
        elapsed = time.perf_counter() - t0
        rate = 2 * args.agents * args.steps / elapsed
        last = out.metrics[(out.metrics.step == args.steps) & (out.metrics.metric == "share.press")]
        shares = dict(zip(last.group, last.value.round(3), strict=True))
        print(
            f"model {rule:16s} (2 x {args.agents} agents, {args.steps} periods): "
            f"{elapsed:.2f} s, {rate / 1e6:.2f} M agent-periods/s, "
            f"{rate / ref_rate:.0f}x the loop; press shares {shares}"
        )
        _common.check(f"learning {rule} agent-periods/s", rate / 1e6, 10, " M")
        _common.check(f"learning {rule} vs a per-agent Python loop", rate / ref_rate, 10)


if __name__ == "__main__":
    main()
