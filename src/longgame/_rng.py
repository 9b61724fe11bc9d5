"""The one way every stochastic entry point turns its ``rng`` argument into a Generator."""

from __future__ import annotations

import numpy as np

__all__ = ["RNGLike", "as_generator"]

type RNGLike = int | np.random.SeedSequence | np.random.Generator | None


def as_generator(rng: RNGLike) -> np.random.Generator:
    """Return ``rng`` itself if it is a Generator, else ``numpy.random.default_rng(rng)``.

    Passing a Generator shares its stream (no copy), so a caller that hands the same
    Generator to two functions gets different draws in each, as it should.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.default_rng(rng)
