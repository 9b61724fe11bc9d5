"""The one way every stochastic entry point turns its ``rng`` argument into a Generator."""

from __future__ import annotations

import numpy as np

from longgame.errors import InputError

__all__ = ["RNGLike", "as_generator"]

type RNGLike = int | np.random.SeedSequence | np.random.Generator | None


def as_generator(rng: RNGLike) -> np.random.Generator:
    """Return ``rng`` itself if it is a Generator, else ``numpy.random.default_rng(rng)``.

    Passing a Generator shares its stream (no copy), so a caller that hands the same
    Generator to two functions gets different draws in each, as it should. Anything
    else (a string, a negative or fractional seed, the legacy ``RandomState``) is an
    :class:`~longgame.errors.InputError`.

    >>> as_generator("abc")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    longgame.errors.InputError: rng='abc' is invalid; expected an integer seed >= 0, ...
    """
    if isinstance(rng, np.random.Generator):
        return rng
    value: object = rng  # callers outside the type checker may pass anything
    ok = value is None or isinstance(value, np.random.SeedSequence | np.random.BitGenerator)
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        ok = int(value) >= 0
    elif isinstance(value, list | tuple | np.ndarray):  # numpy's entropy sequences
        seq = np.asarray(value)
        ok = seq.dtype.kind in "iu" and bool(np.all(seq >= 0))
    if not ok:
        raise InputError(
            f"rng={rng!r} is invalid; expected an integer seed >= 0, a numpy SeedSequence "
            "or Generator, or None"
        )
    return np.random.default_rng(rng)
