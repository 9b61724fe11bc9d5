"""Benchmark of the market model: relationship-updates per second and peak memory.

1. ``longgame.models.market.MarketModel`` with every mechanism on (exchange, service,
   trust, repeat purchase, acquisition, word of mouth on a small-world network,
   stop-loss, ladder, friendship, takers, turnover with imitation): 10 sellers running
   seven registry strategies, 100,000 customers, 200 steps. Capacity is set so that
   nearly every customer is in a relationship (the default Dunbar capacity of 150 would
   leave 98.5% of them idle, which is not a load test). A *relationship-update* is one
   customer in a relationship going through one step (demand, deal, trust, ladder,
   closeness, continuation); the count is taken from the run itself.
2. References: the same step written the straightforward agent-based way, one Mesa
   agent per customer (``mesa.Agent`` subclass with Python attributes, ``AgentSet.do``):
   payoffs, trust, ladder, closeness, continuation, word of mouth to neighbour agents
   and acquisition (each prospect picks among its offers by multinomial logit), drawing
   from ``random.Random``. Reference B decides with
   hand-written rules (if/else on the seller's kind), the fastest straightforward
   Python; reference A calls the seller's registry strategy on a one-row
   ``HistoryView`` per relationship, i.e. the library's API without batching. The
   references are compared with the market **at the same size** (``--ref-customers``,
   default 10,000 customers, a size the Python reference does in reasonable time; the
   market is run a second time at that size), for as many steps, with the same capacity
   and contacts per seller relative to the population, so that both go through the same
   ramp-up and reach a similar share of customers in relationships. Ratios are given per
   relationship-update (a customer in a relationship going through one step) and per
   customer-step (any customer going through one step; an idle customer is cheap in
   both); the target is read per customer-step. ``--ref-customers 100000`` compares at
   the market's size (the references then take minutes per round). Times are reported
   as wall clock and as process CPU time, since the benchmark machine may be shared;
   the targets are read on CPU time.
   The market's rate depends a little on the seed: with imitation on, the strategy mix
   (and so the share of customers in relationships) drifts differently per seed.
3. The network build at 1,000,000 customers (``small_world``, the market's default
   degree 10 and rewiring 0.1) against the first 10 steps of a 1,000,000-customer market
   with every mechanism on, in a child process (CPU; target: build < 10 steps).
4. Peak memory of a 1,000,000-customer market (all mechanisms on, beliefs included,
   fewer steps), in a child process: tracemalloc peak (numpy buffers included) and the
   process's max RSS.
5. The compiled kernels' start-up: a small market's first run in a fresh process with an
   empty numba cache (compiling every kernel) and with the cache that run left (loading).

Targets (issue 17): >= 25 M relationship-updates/s, >= 40x an equal-size reference per
customer-step, network build at 1 M customers < 10 steps, < 1 GiB at 1 M customers.

Run: ``python benchmarks/bench_market.py [--customers 100000] [--steps 200]
[--ref-customers 10000] [--ref-steps STEPS] [--memory-customers 1000000]
[--memory-steps 20] [--seed 0] [--repeat 3]``. Each timing is the fastest of
``--repeat`` interleaved rounds (CPU time), the usual way to read a benchmark on a
machine shared with other work.
"""

from __future__ import annotations

import _common

# isort: split
import argparse
import json
import math
import random
import subprocess
import sys
import time
from typing import Any

import mesa
import numpy as np

from longgame.models.market import MarketModel
from longgame.strategies import HistoryView, get_strategy

SELLERS = {
    "fair-dealer": 2,
    "fleecer": 2,
    "grid-9.9": 1,
    "grid-1.9": 1,
    "grid-5.5": 1,
    "tit-for-tat": 1,
    "grudger": 1,
    "stop-loss-investor": 1,
}


def market_params(customers: int, beliefs: bool = False) -> dict[str, Any]:
    """Every mechanism on, capacity for everyone, enough capital to survive the ramp-up.

    ``beliefs``: also customers' Beta beliefs, word of mouth and public reviews (issue 16).
    """
    per_seller = math.ceil(customers / sum(SELLERS.values()))
    return {
        "beliefs": {"enabled": beliefs},
        "customers": customers,
        "sellers": SELLERS,
        "acquisition": {
            "capacity": per_seller,
            "contacts": max(20, per_seller // 10),
            "contact_cost": 0.01,
        },
        "stop_loss": {"limit": 5.0, "capital": 1e6},
        "turnover": {"enabled": True, "imitation_rate": 0.02},
    }


def run_market(
    customers: int, steps: int, seed: int = 0, beliefs: bool = False
) -> tuple[float, float, float, int]:
    """Wall and CPU seconds of ``steps`` steps (after building), relationship-updates,
    build milliseconds."""
    t0 = time.perf_counter()
    model = MarketModel(market_params(customers, beliefs), rng=seed)
    build = time.perf_counter() - t0
    updates = 0
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(steps):
        updates += int(np.count_nonzero(model.customers.seller >= 0))
        model.step()
    return time.perf_counter() - t0, time.process_time() - c0, float(updates), int(build * 1000)


# -- reference: one Mesa agent per customer ---------------------------------------------


class RefCustomer(mesa.Agent):  # type: ignore[misc]
    """A customer as a Python object with its relationship state as attributes."""

    def __init__(self, model: RefMarket, taker: bool, tolerance: float) -> None:
        super().__init__(model)
        self.taker = taker
        self.tolerance = tolerance
        self.seller: int = -1
        self.trust = 0.5
        self.satisfaction = 0.0
        self.rounds = 0
        self.level = 0
        self.closeness = 0.0
        self.profit = 0.0
        self.surplus = 0.0
        self.last_profit = 0.0
        self.last_surplus = 0.0
        self.seller_counts = [0, 0]
        self.customer_counts = [0, 0]
        self.state: dict[str, Any] = {}
        self.last_seller = -1
        self.last_customer = -1
        self.neighbours: list[RefCustomer] = []
        self.opinion = [0.0] * model.n_sellers

    def step(self) -> None:
        m: RefMarket = self.model
        if self.seller < 0:
            return
        rnd = m.random
        s = self.seller
        if self.rounds > 0 and rnd.random() >= 0.9:
            self._continue(s)
            return
        if m.library:
            act = self._decide_with_library(s)
        else:
            kind = m.kinds[s]
            if kind == 0:
                act = 0
            elif kind == 1:
                act = 1
            else:
                act = 1 if self.last_customer == 1 else 0
        take = rnd.random() < (0.9 if self.taker else 0.1 * self.closeness)
        size = 1.0 + 0.25 * self.level
        price = 3.6 if act else 2.0 + 0.55
        value = 3.0 + 0.3 * rnd.gauss(0.0, 1.0)
        cost = 2.0 + 0.3 * rnd.gauss(0.0, 1.0)
        profit = (price - cost) * size - 0.05 * size
        surplus = (value - price) * size + 0.1 * size
        if not act:
            conc = 0.1 * self.closeness * 0.5 * size
            profit -= conc
            surplus += conc
        if take:
            profit -= 0.9 * size
            surplus += 0.9 * size
        if self.rounds == 0:
            profit -= 0.5
            surplus += 0.5
        self.rounds += 1
        self.profit += profit
        self.surplus += surplus
        self.last_profit, self.last_surplus = profit, surplus
        self.seller_counts[act] += 1
        self.customer_counts[int(take)] += 1
        self.last_seller, self.last_customer = act, int(take)
        m.seller_profit[s] += profit
        self.closeness += 0.05 * 0.6 * (1 - self.closeness)
        self.satisfaction += 0.3 * (surplus - self.satisfaction)
        if surplus >= 0:
            self.trust += 0.1 * (1 - self.trust)
        else:
            self.trust *= 0.6
        if (
            act == 0
            and self.trust >= 0.6
            and self.rounds >= 6 * (self.level + 1)
            and self.level < 4
        ):
            self.level += 1
        elif act == 1:
            self.level = 0
        if act == 1 and surplus < 0:
            for other in self.neighbours:
                other.opinion[s] -= 1.0
        elif surplus >= 0.4 and rnd.random() < 0.3:
            for other in self.neighbours:
                other.opinion[s] += 0.5
        leave = self.trust < self.tolerance or self.satisfaction < -self.tolerance
        leave = leave or self.profit < -5.0
        if leave:
            self._end(s)
        else:
            self._continue(s)

    def _decide_with_library(self, s: int) -> int:
        """The seller's strategy from the registry, called on this one relationship."""
        m: RefMarket = self.model
        view = HistoryView(
            rounds=np.array([self.rounds]),
            own_last=np.array([[self.last_seller]], dtype=np.int8),
            partner_last=np.array([[self.last_customer]], dtype=np.int8),
            own_counts=np.array([self.seller_counts]),
            partner_counts=np.array([self.customer_counts]),
            own_payoff=np.array([self.profit]),
            partner_payoff=np.array([self.surplus]),
            last_own_payoff=np.array([self.last_profit]),
            last_partner_payoff=np.array([self.last_surplus]),
            state=self.state,
        )
        return int(m.strategies[s].decide(view, m.rng)[0])

    def _continue(self, s: int) -> None:
        m: RefMarket = self.model
        p = 0.9 + 0.03 * self.satisfaction + 0.02 + 0.01 * self.level + 0.04 * self.closeness
        if m.random.random() >= min(p, 0.995):
            self._end(s)

    def _end(self, s: int) -> None:
        self.opinion[s] += 2.0 * math.tanh(self.profit)
        self.seller = -1
        self.model.books[s] -= 1


class RefMarket(mesa.Model):  # type: ignore[misc]
    """The reference market: sellers are plain ints, customers are Mesa agents."""

    def __init__(self, customers: int, sellers: int, seed: int, library: bool = False) -> None:
        super().__init__(rng=seed)
        rnd = random.Random(seed)
        self.random = rnd
        self.n_sellers = sellers
        self.kinds = [i % 3 for i in range(sellers)]
        self.library = library
        names = [name for name, count in SELLERS.items() for _ in range(count)]
        self.strategies = [get_strategy(names[i % len(names)]) for i in range(sellers)]
        self.books = [0] * sellers
        self.seller_profit = [0.0] * sellers
        self.capacity = math.ceil(customers / sellers)
        self.people = [
            RefCustomer(self, rnd.random() < 0.1, rnd.betavariate(2.5, 7.5))
            for _ in range(customers)
        ]
        k = 5
        for i, c in enumerate(self.people):
            c.neighbours = [self.people[(i + j) % customers] for j in range(-k, k + 1) if j]
        self.customer_set = self.agents_by_type[RefCustomer]

    def step(self) -> None:
        self.customer_set.do("step")
        rnd = self.random
        contacts = max(20, self.capacity // 10)
        # each prospect collects this period's offers, then takes the best one or none
        # (multinomial logit by the Gumbel-max trick, as the market does)
        offers: dict[RefCustomer, list[int]] = {}
        for s in range(self.n_sellers):
            slack = min(self.capacity - self.books[s], contacts)
            for _ in range(slack):
                c = self.people[rnd.randrange(len(self.people))]
                if c.seller < 0:
                    offers.setdefault(c, []).append(s)
        proof = [b / self.capacity for b in self.books]
        for c, sellers in offers.items():
            best, best_u = -1, -math.log(-math.log(1.0 - rnd.random()))  # staying out
            for s in sellers:
                u = -0.847 + c.opinion[s] + proof[s] - math.log(-math.log(1.0 - rnd.random()))
                if u > best_u:
                    best, best_u = s, u
            if best >= 0:
                c.seller = best
                c.trust, c.satisfaction, c.rounds, c.level = 0.5, 0.0, 0, 0
                c.closeness, c.profit, c.surplus = 0.0, 0.0, 0.0
                c.seller_counts, c.customer_counts = [0, 0], [0, 0]
                c.last_seller = c.last_customer = -1
                c.state = dict(self.strategies[best].init_state(1))
                self.books[best] += 1


def run_reference(
    customers: int, steps: int, library: bool, seed: int = 0
) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and relationship-updates of the reference."""
    model = RefMarket(customers, 10, seed=seed, library=library)
    updates = 0
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(steps):
        updates += sum(model.books)
        model.step()
    return time.perf_counter() - t0, time.process_time() - c0, float(updates)


#: Run in a fresh interpreter: import the market, run a small one twice, print the times
#: (the first run compiles the kernels, or loads them from numba's cache).
COMPILE_CHILD = """
import json, time
t0 = time.perf_counter()
from longgame.models.market import MarketModel
t1 = time.perf_counter()
params = {"customers": 300, "sellers": {"fleecer": 1, "fair-dealer": 1, "tit-for-tat": 1},
          "beliefs": {"enabled": True}, "turnover": {"enabled": True}}
MarketModel(params, rng=0).run(3)
t2 = time.perf_counter()
MarketModel(params, rng=1).run(3)
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "first": t2 - t1, "second": t3 - t2}))
"""


def network_child(customers: int, seed: int = 0) -> None:
    """Time the network build and the first 10 steps of a large market; print JSON."""
    from longgame.models.market._network import small_world

    MarketModel(market_params(200), rng=seed).run(2)  # the kernels, compiled or loaded
    c0 = time.process_time()
    model = MarketModel(market_params(customers), rng=seed)
    model_build = time.process_time() - c0
    steps = []
    for _ in range(2):  # the first 10 steps (ramp-up, cheaper), then the next 10
        c0 = time.process_time()
        for _ in range(10):
            model.step()
        steps.append(time.process_time() - c0)
    # the network alone, after the market (which built one too) has warmed the process's
    # memory: the first large build in a process also pays for fresh pages; best of 3
    builds = []
    for _ in range(3):
        c0 = time.process_time()
        small_world(customers, 10, 0.1, np.random.default_rng(seed))
        builds.append(time.process_time() - c0)
    build = min(builds)
    print(json.dumps({"customers": customers, "network": build, "model": model_build,
                      "steps10": steps[0], "next10": steps[1]}))  # fmt: skip


def memory_child(customers: int, steps: int, seed: int = 0) -> None:
    """Build and run a large market (every mechanism on, beliefs too) under tracemalloc;
    print JSON with the peaks."""
    import resource
    import tracemalloc

    # the compiled kernels first (from numba's cache, or compiled): their code is not the
    # market's memory
    MarketModel(market_params(200, beliefs=True), rng=seed).run(2)
    tracemalloc.start()
    t0 = time.perf_counter()
    model = MarketModel(market_params(customers, beliefs=True), rng=seed)
    for _ in range(steps):
        model.step()
    elapsed = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "customers": customers,
                "steps": steps,
                "tracemalloc_peak_mib": peak / 2**20,
                "max_rss_mib": rss_kib / 1024,
                "in_relationships": int(np.count_nonzero(model.customers.seller >= 0)),
                "seconds": elapsed,
            }
        )
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--customers", type=int, default=100_000)
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument(
        "--ref-customers", type=int, default=10_000, help="size of the equal-size comparison"
    )
    ap.add_argument("--ref-steps", type=int, default=None, help="default: --steps")
    ap.add_argument("--memory-customers", type=int, default=1_000_000)
    ap.add_argument("--memory-steps", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3, help="rounds; the fastest is kept")
    ap.add_argument("--memory-child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--network-child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument(
        "--beliefs", action="store_true", help="also time the market with beliefs on (ratio)"
    )
    args = ap.parse_args()
    ref_steps = args.steps if args.ref_steps is None else args.ref_steps
    if args.memory_child:
        memory_child(args.memory_customers, args.memory_steps, args.seed)
        return 0
    if args.network_child:
        network_child(args.memory_customers, args.seed)
        return 0

    # rounds of (market, reference B, reference A), interleaved so that a burst of load
    # from other processes hits all three alike; each keeps its fastest round (CPU)
    market: tuple[float, float, float, int] | None = None
    small: tuple[float, float, float, int] | None = None  # the market at the reference's size
    refs: dict[bool, tuple[float, float, float]] = {}
    for _ in range(max(1, args.repeat)):
        m = run_market(args.customers, args.steps, args.seed)
        market = m if market is None or m[1] < market[1] else market
        if args.ref_customers != args.customers or ref_steps != args.steps:
            m = run_market(args.ref_customers, ref_steps, args.seed)
        small = m if small is None or m[1] < small[1] else small
        for library in (False, True):
            r = run_reference(args.ref_customers, ref_steps, library, args.seed)
            refs[library] = r if library not in refs or r[1] < refs[library][1] else refs[library]
    assert market is not None
    assert small is not None
    secs, cpu, updates, build_ms = market
    rate, cpu_rate = updates / secs, updates / cpu
    cust_steps = args.customers * args.steps
    print(
        f"market: {args.customers:,} customers x {args.steps} steps, 10 sellers, all mechanisms "
        f"on: {secs:.2f} s wall, {cpu:.2f} s CPU (best of {args.repeat}; build {build_ms} ms); "
        f"{updates / (args.customers * args.steps):.1%} of customer-steps in a relationship"
    )
    print(
        f"  relationship-updates/s: {rate / 1e6:.2f} M wall, {cpu_rate / 1e6:.2f} M CPU "
        f"(target >= 25 M); {cpu / updates * 1e9:.0f} ns CPU per update; "
        f"customer-steps/s: {cust_steps / cpu / 1e6:.2f} M CPU"
    )
    _common.check("market relationship-updates/s, CPU", cpu_rate / 1e6, 25, " M")
    s_secs, s_cpu, s_updates, _ = small
    r_cust_steps = args.ref_customers * ref_steps
    s_rate, s_cpu_rate = s_updates / s_secs, s_updates / s_cpu
    print(
        f"market at the reference's size ({args.ref_customers:,} customers x {ref_steps} "
        f"steps): {s_cpu:.2f} s CPU, {s_updates / r_cust_steps:.1%} of customer-steps in a "
        f"relationship, {s_cpu_rate / 1e6:.2f} M updates/s CPU"
    )
    for library, label in ((False, "B, hand-written rules"), (True, "A, library strategies")):
        r_secs, r_cpu, r_updates = refs[library]
        print(
            f"reference {label} (one Mesa agent per customer, {args.ref_customers:,} customers x "
            f"{ref_steps} steps, {r_updates / r_cust_steps:.1%} of customer-steps in a "
            f"relationship): {r_updates / r_secs / 1e6:.3f} M updates/s wall, "
            f"{r_updates / r_cpu / 1e6:.3f} M CPU"
        )
        print(
            f"  ratio at equal size per relationship-update: {s_rate / (r_updates / r_secs):.0f}x "
            f"wall, {s_cpu_rate / (r_updates / r_cpu):.0f}x CPU; per customer-step: "
            f"{r_cpu / s_cpu:.0f}x CPU (target >= 40x)"
        )
        _common.check(
            f"market vs one Mesa agent per customer ({label[:1]}), per customer-step, CPU, "
            f"both {args.ref_customers:,} customers x {ref_steps} steps",
            r_cpu / s_cpu,
            40,
        )

    if args.beliefs:
        # beliefs on vs off, interleaved rounds, fastest CPU rate of each (target >= 0.75)
        best: dict[bool, float] = {}
        for _ in range(max(1, args.repeat)):
            for on in (False, True):
                _, c, u, _ = run_market(args.customers, args.steps, args.seed, on)
                best[on] = max(best.get(on, 0.0), u / c)
        print(
            f"beliefs on: {best[True] / 1e6:.2f} M updates/s CPU vs {best[False] / 1e6:.2f} M "
            f"off; ratio {best[True] / best[False]:.2f} (target >= 0.75)"
        )

    # the kernels' compile time: a fresh numba cache (cold), then that cache (warm)
    import os
    import tempfile

    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        times = [
            json.loads(
                subprocess.run(
                    [sys.executable, "-c", COMPILE_CHILD],
                    capture_output=True, text=True, check=True, env=env,
                ).stdout.strip().splitlines()[-1]
            )
            for _ in range(2)
        ]  # fmt: skip
    print(
        f"compiled kernels: first small run in a fresh process {times[0]['first']:.2f} s with "
        f"an empty numba cache (compiling), {times[1]['first']:.2f} s with a warm cache; "
        f"a second run {times[1]['second'] * 1000:.0f} ms; import of the market (numba "
        f"included) {times[1]['import']:.2f} s"
    )

    out = subprocess.run(
        [
            sys.executable, __file__, "--network-child",
            "--memory-customers", str(args.memory_customers), "--seed", str(args.seed),
        ],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    net = json.loads(out.stdout.strip().splitlines()[-1])
    print(
        f"network build at {net['customers']:,} customers (degree 10, rewiring 0.1): "
        f"{net['network']:.2f} s CPU; the whole market build {net['model']:.2f} s; its first "
        f"10 steps {net['steps10']:.2f} s CPU, the next 10 {net['next10']:.2f} s (the target "
        "is read on the first 10, the cheaper)"
    )
    _common.check(
        f"network build at {net['customers']:,} customers, in steps of that market",
        net["network"] / (min(net["steps10"], net["next10"]) / 10),
        10,
        " steps",
        at_most=True,
    )

    out = subprocess.run(
        [
            sys.executable, __file__, "--memory-child",
            "--memory-customers", str(args.memory_customers),
            "--memory-steps", str(args.memory_steps), "--seed", str(args.seed),
        ],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    mem = json.loads(out.stdout.strip().splitlines()[-1])
    print(
        f"memory at {mem['customers']:,} customers, beliefs on ({mem['steps']} steps, "
        f"{mem['in_relationships']:,} in relationships, {mem['seconds']:.1f} s): "
        f"tracemalloc peak {mem['tracemalloc_peak_mib']:.0f} MiB, max RSS "
        f"{mem['max_rss_mib']:.0f} MiB (target < 1024 MiB)"
    )
    _common.check(
        f"market peak memory at {mem['customers']:,} customers (max RSS)",
        mem["max_rss_mib"],
        1024,
        " MiB",
        at_most=True,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
