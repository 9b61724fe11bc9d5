"""Population dynamics over a tournament's payoff matrix: ecological, replicator,
Moran and eliminate-and-copy (references in :mod:`longgame.models.tournament`)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from longgame._rng import RNGLike, as_generator
from longgame.errors import InputError

__all__ = [
    "FixationEstimate",
    "ecological",
    "eliminate_and_copy",
    "moran_fixation",
    "moran_fixation_probability",
    "moran_process",
    "moran_runs",
    "replicator",
]


# population dynamics
# ---------------------------------------------------------------------------------------


def _matrix(payoff_matrix: ArrayLike) -> NDArray[np.float64]:
    a = np.asarray(payoff_matrix, dtype=np.float64)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] < 1:
        raise InputError(f"dynamics: payoff matrix has shape {a.shape}; expected (k, k)")
    if not np.all(np.isfinite(a)):
        raise InputError(
            "dynamics: payoff matrix has NaN or infinite entries (was self-play off?); "
            "expected finite payoffs"
        )
    return a


def _shares(x0: ArrayLike | None, k: int) -> NDArray[np.float64]:
    if x0 is None:
        return np.full(k, 1.0 / k)
    x = np.asarray(x0, dtype=np.float64)
    if x.shape != (k,) or np.any(x < 0) or not x.sum() > 0:
        raise InputError(
            f"dynamics: initial shares {x.tolist()} are invalid; expected {k} numbers >= 0 "
            "with a positive sum"
        )
    return np.asarray(x / x.sum(), dtype=np.float64)


def ecological(
    payoff_matrix: ArrayLike, shares: ArrayLike | None = None, generations: int = 100
) -> NDArray[np.float64]:
    """Axelrod's ecological dynamics: ``x_i' = x_i (Ax)_i / x.Ax``.

    Payoffs are shifted to be positive if needed (a shift changes the speed, not the
    rest points). Returns the shares, shape (generations + 1, k), row 0 = start.

    >>> traj = ecological([[3, 0], [5, 1]], [0.9, 0.1], generations=50)  # ALLC vs ALLD
    >>> traj[-1].round(3).tolist()
    [0.0, 1.0]
    """
    a = _matrix(payoff_matrix)
    if a.min() <= 0:
        a = a - a.min() + 1e-9 * max(1.0, float(np.abs(a).max()))
    x = _shares(shares, a.shape[0])
    out = np.empty((generations + 1, a.shape[0]))
    out[0] = x
    for g in range(generations):
        fit = a @ x
        x = x * fit / (x @ fit)
        out[g + 1] = x
    return out


def replicator(
    payoff_matrix: ArrayLike,
    shares: ArrayLike | None = None,
    steps: int = 100,
    dt: float = 0.1,
    substeps: int = 4,
) -> NDArray[np.float64]:
    """Continuous replicator dynamics ``dx_i/dt = x_i ((Ax)_i - x.Ax)``, RK4-integrated.

    Returns shares at times 0, dt, ..., steps*dt, shape (steps + 1, k).

    >>> replicator([[3, 0], [5, 1]], [0.5, 0.5], steps=200, dt=0.1)[-1].round(3).tolist()
    [0.0, 1.0]
    """
    a = _matrix(payoff_matrix)
    x = _shares(shares, a.shape[0])
    h = dt / substeps

    def rate(y: NDArray[np.float64]) -> NDArray[np.float64]:
        fit = a @ y
        return np.asarray(y * (fit - y @ fit), dtype=np.float64)

    out = np.empty((steps + 1, a.shape[0]))
    out[0] = x
    for s in range(steps):
        for _ in range(substeps):
            k1 = rate(x)
            k2 = rate(x + h / 2 * k1)
            k3 = rate(x + h / 2 * k2)
            k4 = rate(x + h * k3)
            x = np.clip(x + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4), 0.0, None)
            x = x / x.sum()
        out[s + 1] = x
    return out


def moran_fixation_probability(r: float, N: int, i: int = 1) -> float:
    """Probability that ``i`` mutants of constant relative fitness ``r`` take over a
    Moran population of ``N``: ``(1 - r**-i) / (1 - r**-N)``, and ``i/N`` when r = 1.

    >>> moran_fixation_probability(1.0, 10)
    0.1
    >>> round(moran_fixation_probability(2.0, 10), 4)
    0.5005
    """
    if not (r > 0 and math.isfinite(r)):
        raise InputError(f"moran: r={r!r} is invalid; expected a finite number > 0")
    if not (isinstance(N, int) and N >= 1 and isinstance(i, int) and 0 <= i <= N):
        raise InputError(f"moran: N={N!r}, i={i!r} are invalid; expected 0 <= i <= N, N >= 1")
    if math.isclose(r, 1.0, rel_tol=1e-12):
        return i / N
    return (1.0 - r ** (-i)) / (1.0 - r ** (-N))


def _fitness(
    a: NDArray[np.float64], counts: NDArray[np.intp], selection: float
) -> NDArray[np.float64]:
    """Fitness 1 - w + w * pi of an individual of each type; pi excludes self-interaction."""
    n = counts.sum(axis=-1, keepdims=True)
    pi = (counts @ a.T - np.diag(a)) / np.maximum(n - 1, 1)
    return np.asarray(1.0 - selection + selection * pi, dtype=np.float64)


def _check_selection(a: NDArray[np.float64], selection: float) -> None:
    if not (0.0 <= selection <= 1.0):
        raise InputError(f"moran: selection={selection!r} is invalid; expected a number in [0, 1]")
    if 1.0 - selection + selection * a.min() < 0:
        raise InputError(
            f"moran: selection={selection!r} makes fitness 1 - w + w*payoff negative for the "
            f"smallest payoff {a.min():g}; expected a smaller selection intensity"
        )


def moran_runs(
    payoff_matrix: ArrayLike,
    counts: ArrayLike,
    *,
    runs: int = 1,
    events: int | None = None,
    selection: float = 1.0,
    rng: RNGLike = None,
    max_events: int = 10_000_000,
) -> NDArray[np.intp]:
    """Many independent Moran processes at once (vectorised over runs); final counts.

    Each event one individual reproduces with probability proportional to count x
    fitness (``1 - w + w * payoff``, payoff against the rest of the population) and the
    offspring replaces a uniformly chosen individual. With ``events=None`` each run goes
    on until one type is left (fixation); otherwise for exactly ``events`` events.

    Returns:
        final counts, shape (runs, k).
    """
    a = _matrix(payoff_matrix)
    _check_selection(a, selection)
    c0 = np.asarray(counts, dtype=np.intp)
    if c0.shape != (a.shape[0],) or np.any(c0 < 0) or c0.sum() < 1:
        raise InputError(
            f"moran: counts {c0.tolist()} are invalid; expected {a.shape[0]} integers >= 0"
        )
    gen = as_generator(rng)
    c = np.tile(c0, (runs, 1))
    n_pop = int(c0.sum())
    live = np.flatnonzero((c > 0).sum(axis=1) > 1) if events is None else np.arange(runs)
    limit = max_events if events is None else events
    done = 0
    while live.size and done < limit:
        sub = c[live]
        birth_w = sub * _fitness(a, sub, selection)
        cum_b = np.cumsum(birth_w, axis=1)
        u = gen.random((live.size, 2))
        born = (cum_b < u[:, :1] * cum_b[:, -1:]).sum(axis=1)
        died = (np.cumsum(sub, axis=1) <= (u[:, 1:] * n_pop).astype(np.intp)).sum(axis=1)
        ar = np.arange(live.size)
        sub[ar, born] += 1
        sub[ar, died] -= 1
        c[live] = sub
        done += 1
        if events is None:
            live = live[(sub > 0).sum(axis=1) > 1]
    return c


@dataclass(frozen=True)
class FixationEstimate:
    """Simulated fixation probability with a Clopper-Pearson confidence interval."""

    probability: float
    fixed: int
    runs: int
    ci_low: float
    ci_high: float


def moran_fixation(
    payoff_matrix: ArrayLike,
    population: int,
    *,
    mutants: int = 1,
    runs: int = 10_000,
    selection: float = 1.0,
    confidence: float = 0.999,
    rng: RNGLike = None,
) -> FixationEstimate:
    """Estimate how often ``mutants`` of type 0 take over residents of type 1.

    ``payoff_matrix`` is 2 x 2 (type 0 = mutant). For constant fitness, e.g.
    ``[[r, r], [1, 1]]`` with ``selection=1``, the estimate should agree with
    :func:`moran_fixation_probability`.

    >>> est = moran_fixation([[1, 1], [1, 1]], 5, runs=2000, rng=0)
    >>> est.ci_low < 0.2 < est.ci_high
    True
    """
    from scipy.stats import beta

    final = moran_runs(
        payoff_matrix,
        [mutants, population - mutants],
        runs=runs,
        selection=selection,
        rng=rng,
    )
    fixed = int(np.count_nonzero(final[:, 0] == population))
    alpha = 1.0 - confidence
    low = float(beta.ppf(alpha / 2, fixed, runs - fixed + 1)) if fixed > 0 else 0.0
    high = float(beta.ppf(1 - alpha / 2, fixed + 1, runs - fixed)) if fixed < runs else 1.0
    return FixationEstimate(fixed / runs, fixed, runs, low, high)


def moran_process(
    payoff_matrix: ArrayLike,
    counts: ArrayLike,
    *,
    generations: int,
    selection: float = 1.0,
    rng: RNGLike = None,
) -> NDArray[np.intp]:
    """One Moran population over ``generations`` generations of N events each.

    Returns counts per type, shape (generations + 1, k), row 0 = start.
    """
    gen = as_generator(rng)
    c = np.asarray(counts, dtype=np.intp)
    n_pop = int(c.sum())
    out = np.empty((generations + 1, c.size), dtype=np.intp)
    out[0] = c
    for g in range(generations):
        c = moran_runs(payoff_matrix, c, events=n_pop, selection=selection, rng=gen)[0]
        out[g + 1] = c
    return out


def eliminate_and_copy(
    payoff_matrix: ArrayLike,
    counts: ArrayLike,
    *,
    k: int = 5,
    generations: int = 1,
    rng: RNGLike = None,
) -> NDArray[np.intp]:
    """Generational dynamics of *The Evolution of Trust* (Case 2017).

    Each generation every individual plays every other; its score is the sum of its
    expected payoffs (``payoff_matrix[i, j]`` against each other individual of type j).
    The ``k`` lowest scorers are removed and the ``k`` highest scorers are copied. Ties
    (always present among individuals of one type) are broken by the seeded rng.

    Returns counts per type, shape (generations + 1, n_types), row 0 = start.

    >>> eliminate_and_copy([[3, 0], [5, 1]], [20, 5], k=5, generations=3, rng=0)[-1].tolist()
    [5, 20]
    """
    a = _matrix(payoff_matrix)
    gen = as_generator(rng)
    c = np.asarray(counts, dtype=np.intp)
    n_pop = int(c.sum())
    if c.shape != (a.shape[0],) or np.any(c < 0):
        raise InputError(f"eliminate-copy: counts {c.tolist()} are invalid; expected {a.shape[0]}")
    if not (isinstance(k, int) and 0 <= 2 * k <= n_pop):
        raise InputError(
            f"eliminate-copy: k={k!r} is invalid; expected an integer with 0 <= 2k <= N={n_pop}"
        )
    out = np.empty((generations + 1, c.size), dtype=np.intp)
    out[0] = c
    for g in range(generations):
        types = np.repeat(np.arange(c.size), c)
        score_by_type = c @ a.T - np.diag(a)
        score = score_by_type[types]
        order = np.lexsort((gen.random(types.size), score))  # ascending score, random ties
        survivors = order[k:]
        best = order[::-1][:k]
        new_types = np.concatenate([types[survivors], types[best]])
        c = np.bincount(new_types, minlength=c.size).astype(np.intp)
        out[g + 1] = c
    return out
