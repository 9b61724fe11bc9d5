"""Network reciprocity: the donation game on a graph under death-birth updating.

Ohtsuki, Hauert, Lieberman & Nowak (2006) put a population on a graph of degree k: each
individual plays the donation game with each neighbour (accumulated payoff: a cooperator
pays c per neighbour, each cooperating neighbour gives b); under **death-birth** updating a
random individual dies and its neighbours compete for the empty site in proportion to
their fitness ``1 - delta + delta * payoff``. With weak selection (delta -> 0) a single
cooperator fixes with probability above the neutral 1/N iff

    b/c > k                                  (pair approximation, N >> k), or exactly
    b/c > (N - 2) / (N/k - 2)                (any k-regular graph of N vertices:
                                              Taylor, Day & Wild 2007; Chen 2013).

The simulation runs many independent populations at once ((runs, N) boolean array) on
one graph. Updates in which the dying individual and all its neighbours share a strategy
change nothing; they are skipped (the dying site is drawn among the sites with at least
one neighbour of the other strategy), which leaves fixation probabilities unchanged and
makes runs far shorter. The skipped updates are counted back (a geometric number per
update) for the time axis.

References:
    Ohtsuki, H., Hauert, C., Lieberman, E. & Nowak, M. A. (2006). A simple rule for the
    evolution of cooperation on graphs and social networks. *Nature* 441, 502-505.
    Taylor, P. D., Day, T. & Wild, G. (2007). Evolution of cooperation in a finite
    homogeneous graph. *Nature* 447, 469-472.
    Chen, Y.-T. (2013). Sharp benefit-to-cost rules for the evolution of cooperation on
    regular graphs. *Annals of Applied Probability* 23, 637-664.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from longgame._rng import RNGLike, as_generator
from longgame.errors import InputError
from longgame.models.population._fixation import Fixation

__all__ = [
    "Graph",
    "NetworkFixation",
    "graph_neighbours",
    "network_fixation",
    "network_threshold",
]

type Graph = Literal["ring", "lattice", "random-regular", "small-world"]


def network_threshold(population: int, degree: int) -> float:
    """Exact weak-selection b/c threshold for death-birth updating on a k-regular graph,
    ``(N - 2) / (N/k - 2)`` (infinite when N <= 2k); tends to k as N grows.

    >>> network_threshold(100, 4), round(network_threshold(10**9, 4), 6)
    (4.260869565217392, 4.0)
    """
    denominator = population / degree - 2
    return float("inf") if denominator <= 0 else (population - 2) / denominator


def graph_neighbours(
    graph: Graph, population: int, degree: int, rng: RNGLike = None, rewire: float = 0.1
) -> NDArray[np.intp]:
    """Neighbour lists as an (N, k_max) array, padded with -1 where a node has fewer.

    ``ring``: each node links to its k/2 nearest nodes on each side (a circulant graph;
    k = 2 is the cycle). ``lattice``: a square torus of side sqrt(N), von Neumann (k = 4)
    or Moore (k = 8) neighbourhood. ``random-regular``: a uniformly random k-regular graph
    (networkx). ``small-world``: the market's Watts-Strogatz generator
    (:func:`longgame.models.market._network.small_world`) with ``rewire``; its degrees
    vary, so it is not regular and the exact threshold does not apply.

    >>> graph_neighbours("ring", 6, 2)[0].tolist()
    [5, 1]
    """
    n, k = int(population), int(degree)
    if graph == "ring":
        if k % 2 or not 2 <= k < n:
            raise InputError(
                f"network: degree={k} is invalid for a ring of {n}; expected an even number "
                f"in [2, {n - 1}]"
            )
        offsets = np.array([s * d for d in range(1, k // 2 + 1) for s in (-1, 1)])
        return np.asarray((np.arange(n)[:, None] + offsets[None, :]) % n, dtype=np.intp)
    if graph == "lattice":
        side = round(n**0.5)
        if side * side != n or side < 3 or k not in (4, 8):
            raise InputError(
                f"network: lattice needs population a square >= 9 and degree 4 or 8; got "
                f"population={n}, degree={k}"
            )
        steps = [(-1, 0), (1, 0), (0, -1), (0, 1)]
        if k == 8:
            steps += [(-1, -1), (-1, 1), (1, -1), (1, 1)]
        r, c = np.divmod(np.arange(n), side)
        cols = [((r + dr) % side) * side + (c + dc) % side for dr, dc in steps]
        return np.asarray(np.stack(cols, axis=1), dtype=np.intp)
    gen = as_generator(rng)
    if graph == "random-regular":
        import networkx as nx

        if not (1 <= k < n and (n * k) % 2 == 0):
            raise InputError(
                f"network: no {k}-regular graph on {n} nodes; expected 1 <= degree < "
                "population with population * degree even"
            )
        for _ in range(100):
            g = nx.random_regular_graph(k, n, seed=int(gen.integers(2**31)))
            if nx.is_connected(g):
                return np.asarray([sorted(g.neighbors(v)) for v in range(n)], dtype=np.intp)
        raise InputError(f"network: no connected {k}-regular graph on {n} nodes found")
    if graph == "small-world":
        from longgame.models.market._network import small_world

        adj = small_world(n, k, rewire, gen)
        deg = np.diff(adj.indptr)
        if deg.min() < 1:
            raise InputError(
                f"network: the small-world graph (rewire={rewire}) left a node without "
                "neighbours; expected a smaller rewire or a larger degree"
            )
        out = np.full((n, int(deg.max())), -1, dtype=np.intp)
        for v in range(n):  # once per graph, not per update
            out[v, : deg[v]] = adj.indices[adj.indptr[v] : adj.indptr[v + 1]]
        return out
    raise InputError(
        f"network: graph={graph!r} is unknown; expected ring, lattice, random-regular or "
        "small-world"
    )


@dataclass(frozen=True)
class NetworkFixation(Fixation):
    """Outcome of many one-cooperator runs on one graph.

    Attributes:
        fixed: runs in which cooperators took over.
        runs: runs in all.
        share: (steps + 1,) mean cooperator share over the runs after each generation
            (N updates, skipped ones included); row 0 is 1/N.
        population: N.
        drift: (runs, 2) for neutral runs (selection 0): per run, the sum over its updates
            of the first-order (in delta) expected change of the reproductive-value-
            weighted cooperator frequency, split into the part multiplying b and the part
            multiplying -c (up to a common positive factor). The fixation probability's
            slope in delta at 0 is b E[drift_b] - c E[drift_c], so the ratio of the means
            is the weak-selection threshold (:attr:`weak_threshold`).
        selection: the selection intensity delta of the runs.
    """

    drift: NDArray[np.float64]
    selection: float

    @property
    def weak_threshold(self) -> tuple[float, float]:
        """The b/c above which d(rho)/d(delta) > 0 at delta = 0, and its standard error
        (delta method), estimated from neutral runs; NaN unless selection was 0."""
        return weak_threshold_estimate(self.drift, self.selection)


def weak_threshold_estimate(drift: NDArray[np.float64], selection: float) -> tuple[float, float]:
    """The b/c at which the fixation probability's slope in delta at 0 changes sign,
    ``mean(drift_c) / mean(drift_b)`` over neutral runs, with its delta-method standard
    error; NaN unless the runs were neutral (``selection == 0``).

    Under neutral death-birth updating the degree-weighted cooperator frequency
    ``sum(k_i s_i) / sum(k_i)`` is a martingale (it is the neutral fixation probability of
    the state), so d(rho)/d(delta) at 0 is the expected sum, along neutral runs, of the
    first-order change of its drift: b E[drift_b] - c E[drift_c].
    """
    if selection != 0 or drift.shape[0] < 2:
        return float("nan"), float("nan")
    x, y = drift[:, 0], drift[:, 1]
    if x.mean() <= 0:
        return float("inf"), float("nan")
    ratio = float(y.mean() / x.mean())
    se = float(np.std(y - ratio * x, ddof=1) / (np.sqrt(x.size) * x.mean()))
    return ratio, se


def network_fixation(
    neighbours: NDArray[np.intp],
    b: float,
    c: float,
    *,
    selection: float,
    runs: int,
    steps: int = 0,
    rng: RNGLike = None,
) -> NetworkFixation:
    """Fixation of one cooperator among defectors, ``runs`` times, death-birth updating.

    Each run starts with one cooperator at a uniformly random node. Fitness is
    ``1 - selection + selection * payoff`` with accumulated payoffs (must stay positive).

    >>> nb = graph_neighbours("ring", 20, 4)
    >>> est = network_fixation(nb, 2.0, 1.0, selection=0.0, runs=2000, rng=0)
    >>> abs(est.probability - 1 / 20) < 0.02  # neutral: 1/N
    True
    """
    gen = as_generator(rng)
    nb = np.asarray(neighbours, dtype=np.intp)
    n, kmax = nb.shape
    valid = nb >= 0
    deg = valid.sum(axis=1)
    safe = np.where(valid, nb, 0)
    lowest = 1 - selection - selection * c * int(deg.max())
    if not 0 <= selection <= 1 or lowest <= 0:
        raise InputError(
            f"network: selection={selection!r} is invalid; expected 0 <= selection <= 1 with "
            f"fitness 1 - s - s*c*k > 0 (here {lowest:g})"
        )
    s = np.zeros((runs, n), dtype=bool)
    s[np.arange(runs), gen.integers(0, n, runs)] = True
    # number of neighbours of the other strategy, per site
    d = np.zeros((runs, n), dtype=np.int16)
    for j in range(kmax):
        d += valid[None, :, j] & (s[:, safe[:, j]] != s)
    clock = np.zeros(runs, dtype=np.int64)  # updates so far, skipped ones included
    total = np.zeros(steps + 2)  # difference array of summed shares per generation
    fixed = 0
    drift_b = np.zeros(runs)
    drift_c = np.zeros(runs)
    drifts: list[NDArray[np.float64]] = []

    def book(share: NDArray[np.float64], t0: NDArray[np.int64], t1: NDArray[np.int64]) -> None:
        # the share held over updates t0..t1 counts at the generation ends g*N inside
        g0 = np.maximum(-(-t0 // n), 1)
        g1 = np.minimum(t1 // n, steps)
        keep = g0 <= g1
        np.add.at(total, g0[keep], share[keep])
        np.add.at(total, g1[keep] + 1, -share[keep])

    while s.shape[0]:
        live = s.shape[0]
        ar = np.arange(live)
        active = d > 0
        count = active.sum(axis=1)
        # the dying site, uniform among sites with a neighbour of the other strategy
        pick = (gen.random(live) * count).astype(np.intp)
        v = (np.cumsum(active, axis=1) <= pick[:, None]).sum(axis=1)
        if steps > 0:
            t1 = clock + gen.geometric(count / n)
            book(s.mean(axis=1), clock, t1 - 1)
            clock = t1
        # the neighbours of v compete for the site in proportion to their fitness
        u = safe[v]
        su = s[ar[:, None], u]
        coop_around_u = (s[ar[:, None, None], safe[u]] & valid[u]).sum(axis=2)
        payoff = b * coop_around_u - c * deg[u] * su
        fit = np.where(valid[v], 1.0 - selection + selection * payoff, 0.0)
        cf = np.cumsum(fit, axis=1)
        r = gen.random(live) * cf[:, -1]
        chosen = np.minimum((cf <= r[:, None]).sum(axis=1), kmax - 1)
        new = su[ar, chosen]
        # first-order effect of selection on the expected change of the reproductive-
        # value-weighted cooperator frequency (k_v/K per site): the degree-weighted
        # covariance, over v's neighbours, of being a cooperator and each payoff term
        held = valid[v]
        kv = deg[v]
        cost_u = deg[u] * su
        mean_b = (coop_around_u * held).sum(axis=1) / kv
        mean_c = (cost_u * held).sum(axis=1) / kv
        drift_b += (su * held * (coop_around_u - mean_b[:, None])).sum(axis=1)
        drift_c += (su * held * (cost_u - mean_c[:, None])).sum(axis=1)
        ci = np.flatnonzero(new != s[ar, v])
        if ci.size:
            vi = v[ci]
            s[ci, vi] = new[ci]
            d[ci, vi] = deg[vi] - d[ci, vi]
            for j in range(kmax):
                w = nb[vi, j]
                ok = w >= 0
                wj = np.where(ok, w, 0)
                step = np.where(s[ci, wj] == new[ci], -1, 1) * ok
                d[ci, wj] += step.astype(np.int16)
        ones = s.sum(axis=1)
        done = (ones == 0) | (ones == n)
        if done.any():
            fixed += int(np.count_nonzero(ones[done] == n))
            drifts.append(np.stack([drift_b[done], drift_c[done]], axis=1))
            if steps > 0:
                book(ones[done] / n, clock[done], np.full(int(done.sum()), 10 * n * steps))
            keep = ~done
            s, d, clock = s[keep], d[keep], clock[keep]
            drift_b, drift_c = drift_b[keep], drift_c[keep]
    share = np.concatenate([[1.0 / n], np.cumsum(total)[1 : steps + 1] / runs])
    return NetworkFixation(
        fixed=fixed,
        runs=runs,
        share=share,
        population=n,
        drift=np.concatenate(drifts) if drifts else np.zeros((0, 2)),
        selection=float(selection),
    )
