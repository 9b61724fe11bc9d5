"""Tournaments among strategies, and the population dynamics they drive.

A **round robin** plays every pair of strategies (optionally each against itself) for a
number of repetitions with the vectorised engine (:mod:`longgame.play`); results are
tidy tables: mean scores with confidence intervals, totals, wins, the per-pair payoff
matrix, ranks and cooperation rates. Nothing per round is kept.

The payoff matrix then drives **population dynamics** over the strategies:

- ecological dynamics (Axelrod 1984, ch. 3): shares grow in proportion to their
  payoff against the current population, ``x_i' = x_i (Ax)_i / x.Ax``;
- continuous replicator dynamics (Taylor & Jonker 1978),
  ``dx_i/dt = x_i ((Ax)_i - x.Ax)``;
- a Moran process in a finite population of N individuals (Moran 1958; Nowak et al.
  2004): each event one individual reproduces with probability proportional to its
  fitness ``1 - w + w * payoff`` and its offspring replaces a uniformly chosen
  individual; the fixation probability of one mutant of constant relative fitness r is
  ``(1 - 1/r) / (1 - 1/r**N)`` (``1/N`` when neutral), see
  :func:`moran_fixation_probability`;
- generational "eliminate the worst k, copy the best k" dynamics, as in Case's *The
  Evolution of Trust* (2017), with ties broken by the seeded rng.

Reproducibility: repetitions are cut into blocks (by default automatically, from the
tournament's size alone; see :mod:`longgame.models._blocks`); each block's seed is
spawned up front from one root (``SeedSequence.spawn``), and blocks are merged in
order, so results are the same whatever the number of worker processes. The random
streams depend on the block sizes: a given ``block_size`` always gives the same results.

Metrics per step (one step = one generation of the dynamics; groups are the strategies
as the config names them, and ``all``): ``share`` (the strategy's share of the
population), ``fitness`` (its expected payoff per round against the current population,
``(Ax)_i``), ``score`` (its round-robin payoff per round, averaged over opponents),
``cooperation`` (the share of its moves that were action 0; for ``all``, weighted by the
shares), ``rank`` (1 = best score) and, for ``all``, ``mean_payoff`` (``x.Ax``).

References:
    Axelrod, R. (1984). *The Evolution of Cooperation*. Basic Books.
    Taylor, P. D. & Jonker, L. B. (1978). Evolutionary stable strategies and game
    dynamics. *Mathematical Biosciences* 40, 145-156.
    Moran, P. A. P. (1958). Random processes in genetics. *Proc. Cambridge Phil. Soc.* 54.
    Nowak, M. A., Sasaki, A., Taylor, C. & Fudenberg, D. (2004). Emergence of cooperation
    and evolutionary stability in finite populations. *Nature* 428, 646-650.
    Case, N. (2017). *The Evolution of Trust*. https://ncase.me/trust/
"""

from typing import TYPE_CHECKING, Any

from longgame.models.tournament._dynamics import (
    FixationEstimate,
    ecological,
    eliminate_and_copy,
    moran_fixation,
    moran_fixation_probability,
    moran_process,
    moran_runs,
    replicator,
)
from longgame.models.tournament._params import Dynamics as Dynamics
from longgame.models.tournament._params import TournamentParams
from longgame.models.tournament._round_robin import TournamentResult, round_robin
from longgame.models.tournament._round_robin import expected_length as expected_length

if TYPE_CHECKING:
    from longgame.models.tournament._model import (
        SPEC,
        StrategyAgent,
        TournamentModel,
        simulate,
    )
    from longgame.models.tournament._model import cost as cost
    from longgame.models.tournament._model import quick as quick

#: Names from ``_model``, which imports Mesa: loaded on first use, so that reading a
#: results folder (group names from ``TournamentParams``) does not import Mesa.
_MODEL_NAMES = frozenset({"SPEC", "StrategyAgent", "TournamentModel", "cost", "quick", "simulate"})


def __getattr__(name: str) -> Any:
    if name in _MODEL_NAMES:
        from longgame.models.tournament import _model

        return getattr(_model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# Names imported `as` themselves are not in __all__ but stay importable from here, as before the
# package split.
__all__ = [
    "SPEC",
    "FixationEstimate",
    "StrategyAgent",
    "TournamentModel",
    "TournamentParams",
    "TournamentResult",
    "ecological",
    "eliminate_and_copy",
    "moran_fixation",
    "moran_fixation_probability",
    "moran_process",
    "moran_runs",
    "replicator",
    "round_robin",
    "simulate",
]
