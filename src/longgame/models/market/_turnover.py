"""Mechanism 10: seller turnover and imitation by the pairwise-comparison (Fermi) rule.

An entrant replacing a seller that left copies a random active seller's strategy with
probability ``1 / (1 + exp(-(pi_model - pi_self) / K))`` (Szabo & Toke 1998, *Phys.
Rev. E* 58:69; Traulsen, Nowak & Pacheco 2006, *Phys. Rev. E* 74:011909), so strategy
shares evolve with profitability.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["fermi_choice"]


def fermi_choice(
    learners: NDArray[np.intp],
    candidates: NDArray[np.intp],
    payoff: NDArray[np.float64],
    group: NDArray[np.intp],
    temperature: float,
    rng: np.random.Generator,
) -> NDArray[np.intp]:
    """New group of each learner slot: a random model's group or its own.

    >>> g = fermi_choice(np.array([0]), np.array([1]), np.array([0.0, 100.0]),
    ...                  np.array([0, 1]), 1.0, np.random.default_rng(0))
    >>> g.tolist()
    [1]
    """
    if candidates.size == 0:
        return group[learners].copy()
    models = candidates[rng.integers(0, candidates.size, learners.size)]
    diff = np.clip((payoff[models] - payoff[learners]) / temperature, -500, 500)
    adopt = rng.random(learners.size) < 1.0 / (1.0 + np.exp(-diff))
    return np.where(adopt, group[models], group[learners])
