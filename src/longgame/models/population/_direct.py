"""Direct reciprocity through the tournament model: tit for tat against always-defect in
matches of random length (continuation probability w), then a Moran process.

Reciprocators resist defectors iff w > c/b (Nowak 2006): against a resident tit for tat
a defector earns b once per match, b (1 - w) per expected round, against b - c. The
payoffs come from :func:`longgame.models.tournament.round_robin` (expected totals over
expected lengths), the fixation estimate from
:func:`longgame.models.tournament.moran_fixation`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from longgame._rng import RNGLike, as_generator

__all__ = ["DirectOutcome", "direct_reciprocity"]


@dataclass(frozen=True)
class DirectOutcome:
    """Payoff matrix (tit for tat first), fixation of the reciprocators, share series.

    Attributes:
        payoff_matrix: (2, 2) expected payoff per round, row strategy against column.
        fixed: runs in which tit for tat took over from ``initial`` share.
        runs: Moran runs.
        initial: tit for tat's starting share (its neutral fixation probability).
        share: (steps + 1,) tit for tat's share under ecological dynamics.
    """

    payoff_matrix: NDArray[np.float64]
    fixed: int
    runs: int
    initial: float
    share: NDArray[np.float64]

    @property
    def probability(self) -> float:
        """Fraction of Moran runs that tit for tat took over."""
        return self.fixed / self.runs


def direct_reciprocity(
    b: float,
    c: float,
    *,
    continuation: float,
    population: int,
    reciprocators: int,
    selection: float,
    repetitions: int,
    runs: int,
    steps: int = 0,
    rng: RNGLike = None,
) -> DirectOutcome:
    """Tit for tat vs always-defect in the donation game with continuation ``w``.

    >>> out = direct_reciprocity(2.0, 1.0, continuation=0.75, population=20,
    ...     reciprocators=18, selection=0.5, repetitions=50, runs=200, rng=0)
    >>> out.probability > 0.9  # w = 0.75 > c/b = 0.5
    True
    """
    from longgame.games import donation_game
    from longgame.models.tournament import ecological, moran_fixation, round_robin

    gen = as_generator(rng)
    result = round_robin(
        ["tit-for-tat", "always-defect"],
        donation_game(b=b, c=c),
        continuation=continuation,
        repetitions=repetitions,
        rng=gen,
    )
    a = result.payoff_matrix
    # payoffs shifted to be >= 0 so that fitness 1 - s + s * payoff stays positive; a
    # shift leaves who beats whom unchanged
    shifted = a - min(0.0, float(a.min()))
    est = moran_fixation(
        shifted, population, mutants=reciprocators, runs=runs, selection=selection, rng=gen
    )
    x0 = reciprocators / population
    share = ecological(a, [x0, 1 - x0], generations=steps)[:, 0]
    return DirectOutcome(
        payoff_matrix=a, fixed=est.fixed, runs=runs, initial=x0, share=np.asarray(share)
    )
