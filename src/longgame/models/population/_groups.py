"""Group selection: the donation game in groups that split (Traulsen & Nowak 2006).

A population is divided into ``m`` groups of at most ``n`` individuals. Individuals play
the donation game with everyone else in their group (average payoff: a cooperator pays
c and each other member gets b/(s - 1) from it, s being the group's size); fitness is
``1 - w + w * payoff``. Each update one individual of the whole population reproduces,
chosen in proportion to its fitness, and its offspring joins its group. A group that
grows past ``n`` splits with probability ``split`` into two halves (members assigned at
random) while a random *other* group dies, so there are always m groups; otherwise one
random member of the overfull group dies.

Within a group defectors do better; but groups of cooperators reproduce faster, split
more often and so displace groups of defectors. For weak selection and rare splitting
(split -> 0) a single cooperator fixes with probability above the neutral 1/(n m) iff

    b/c > 1 + n / (m - 2)      (~ 1 + n/m for many groups, Traulsen & Nowak 2006).

Derivation of the exact form: with splitting rare, a mutant first fixes in its group (a
Moran process of n with fitness difference -w (b/(n-1) + c), probability
~ 1/n - w (b/(n-1) + c)(n-1)/(2n)), then its group fixes among the m groups (a Moran
process of groups with fitness difference w (b - c), probability ~ 1/m + w (b - c)
(m-1)/(2m)); the product exceeds 1/(n m) iff (b - c)(m - 1) > b + c (n - 1).

Each group's state is two integers (size and cooperators; members of a group are
exchangeable), so many independent runs advance together as (runs, m) arrays.

Reference:
    Traulsen, A. & Nowak, M. A. (2006). Evolution of cooperation by multilevel selection.
    *PNAS* 103, 10952-10955.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from longgame._rng import RNGLike, as_generator
from longgame.errors import InputError
from longgame.models.population._fixation import Fixation

__all__ = ["GroupFixation", "group_fixation", "group_threshold"]


def group_threshold(groups: int, group_size: int) -> float:
    """Weak-selection, rare-splitting b/c threshold ``1 + n/(m - 2)`` (infinite for m <= 2).

    >>> group_threshold(6, 8), group_threshold(10**9, 8) < 1.0000001
    (3.0, True)
    """
    return float("inf") if groups <= 2 else 1.0 + group_size / (groups - 2)


@dataclass(frozen=True)
class GroupFixation(Fixation):
    """Outcome of many one-cooperator runs in a population of m groups of <= n.

    Attributes:
        fixed: runs in which cooperators took over.
        runs: runs in all.
        share: (steps + 1,) mean cooperator share over the runs after each generation
            (n m updates); row 0 is 1/(n m).
        population: n m, the size at the start (all groups full).
    """


def group_fixation(
    groups: int,
    group_size: int,
    b: float,
    c: float,
    *,
    selection: float,
    split: float,
    runs: int,
    steps: int = 0,
    rng: RNGLike = None,
) -> GroupFixation:
    """Fixation of one cooperator in a population of ``groups`` full groups of defectors.

    Args:
        groups: m >= 2 groups; group_size: n >= 3, the size at which a group splits.
        b, c: the donation game's benefit and cost.
        selection: w in [0, 1], fitness ``1 - w + w * payoff`` (must stay positive).
        split: probability that an overfull group splits (Traulsen & Nowak's q).
        runs: independent runs; steps: generations (n m updates) of the share series.

    >>> est = group_fixation(4, 4, 2.0, 1.0, selection=0.0, split=0.1, runs=4000, rng=0)
    >>> abs(est.ratio - 1.0) < 0.3  # neutral: 1/(n m)
    True
    """
    m, n = int(groups), int(group_size)
    if m < 2 or n < 3:
        raise InputError(
            f"groups: groups={m}, group_size={n} are invalid; expected groups >= 2 and "
            "group_size >= 3"
        )
    if not 0 < split <= 1:
        raise InputError(f"groups: split={split!r} is invalid; expected a probability in (0, 1]")
    lowest = 1 - selection - selection * c
    if not 0 <= selection <= 1 or lowest <= 0:
        raise InputError(
            f"groups: selection={selection!r} is invalid; expected 0 <= selection <= 1 with "
            f"fitness 1 - w - w*c > 0 (here {lowest:g})"
        )
    gen = as_generator(rng)
    size = np.full((runs, m), n, dtype=np.int64)
    coop = np.zeros((runs, m), dtype=np.int64)
    coop[:, 0] = 1  # groups are exchangeable: the mutant's group is the first
    total_n = n * m
    series = np.zeros(steps + 1)
    series[0] = runs / total_n
    fixed = 0
    t = 0
    ar_all = np.arange(runs)
    while coop.shape[0]:
        live = coop.shape[0]
        ar = ar_all[:live]
        others = np.maximum(size - 1, 1)
        pay_c = b * (coop - 1) / others - c
        pay_d = b * coop / others
        w_c = coop * (1 - selection + selection * pay_c)
        w_d = (size - coop) * (1 - selection + selection * pay_d)
        weights = np.concatenate([w_c, w_d], axis=1)
        cum = np.cumsum(weights, axis=1)
        pick = (cum <= (gen.random(live) * cum[:, -1])[:, None]).sum(axis=1)
        pick = np.minimum(pick, 2 * m - 1)
        g = pick % m
        born_c = pick < m
        size[ar, g] += 1
        coop[ar, g] += born_c
        full = np.flatnonzero(size[ar, g] > n)
        if full.size:
            gf = g[full]
            splits = gen.random(full.size) < split
            sp, dies = full[splits], full[~splits]
            if dies.size:
                gd = gf[~splits]
                kill_c = gen.random(dies.size) * size[dies, gd] < coop[dies, gd]
                size[dies, gd] -= 1
                coop[dies, gd] -= kill_c
            if sp.size:
                gs = gf[splits]
                s_all, c_all = size[sp, gs], coop[sp, gs]
                half = s_all // 2
                c_half = gen.hypergeometric(c_all, s_all - c_all, half)
                victim = (gs + gen.integers(1, m, sp.size)) % m
                size[sp, gs], coop[sp, gs] = half, c_half
                size[sp, victim], coop[sp, victim] = s_all - half, c_all - c_half
        t += 1
        if steps and t % total_n == 0 and t // total_n <= steps:
            series[t // total_n] = (coop.sum(axis=1) / size.sum(axis=1)).sum() + fixed
        n_coop = coop.sum(axis=1)
        done = (n_coop == 0) | (n_coop == size.sum(axis=1))
        if done.any():
            fixed += int(np.count_nonzero(n_coop[done] > 0))
            keep = ~done
            size, coop = size[keep], coop[keep]
    last = t // total_n
    if steps and last < steps:
        series[last + 1 :] = fixed
    return GroupFixation(
        fixed=fixed,
        runs=runs,
        share=series / runs,
        population=total_n,
    )
