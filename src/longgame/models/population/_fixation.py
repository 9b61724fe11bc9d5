"""What many one-cooperator runs give: how often cooperators fixed, against neutral."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["Fixation"]


@dataclass(frozen=True)
class Fixation:
    """Outcome of many one-cooperator runs.

    Attributes:
        fixed: runs in which cooperators took over.
        runs: runs in all.
        share: (steps + 1,) mean cooperator share over the runs after each generation;
            row 0 is ``1 / population``.
        population: the population's size at the start.
    """

    fixed: int
    runs: int
    share: NDArray[np.float64]
    population: int

    @property
    def probability(self) -> float:
        """Fraction of runs in which the cooperator fixed."""
        return self.fixed / self.runs

    @property
    def ratio(self) -> float:
        """Fixation probability over the neutral ``1 / population`` (> 1: cooperation
        favoured)."""
        return self.probability * self.population
