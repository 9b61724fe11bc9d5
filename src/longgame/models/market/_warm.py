"""Importing this module loads the market's compiled kernels, by simulating a tiny market.

The kernels (:mod:`._kernels`) are compiled on a machine's first run and loaded from
numba's disk cache by every process after that, which still costs about a quarter of a
second per process. Worker processes are forked from a server that imported the
modules in the market spec's ``preload`` once (:mod:`longgame.experiments.executors`);
this module is one of them, so the server loads the kernels once and every worker
forked from it starts with them loaded. A tiny market with every strategy the flagship
uses and word of mouth on calls each kernel the runs call (its types are theirs).

Nothing else imports it: it is a side effect by design, and harmless anywhere (a few
tenths of a second, its own seeded Generator, no global state). A failure here is left
to the runs, which report it.
"""

from __future__ import annotations

import contextlib

__all__ = ["warm"]


def warm() -> None:
    """Simulate 60 customers for 3 periods (loads or compiles every kernel the runs call)."""
    import numpy as np

    from longgame.models.market._params import MarketParams
    from longgame.models.market._spec import simulate

    sellers = [{"strategy": s, "count": 1} for s in ("fleecer", "fair-dealer", "reciprocator")]
    params = MarketParams(customers=60, sellers=sellers, word_of_mouth={"reach": 10})
    simulate(params, 3, np.random.default_rng(0))


with contextlib.suppress(Exception):  # the runs themselves report what is wrong
    warm()
