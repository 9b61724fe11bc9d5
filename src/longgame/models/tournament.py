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

Reproducibility: repetitions are cut into blocks of ``block_size``; each block's seed is
spawned up front from one root (``SeedSequence.spawn``), and blocks are merged in
order, so results are the same whatever the number of worker processes.

References:
    Axelrod, R. (1984). *The Evolution of Cooperation*. Basic Books.
    Taylor, P. D. & Jonker, L. B. (1978). Evolutionary stable strategies and game
    dynamics. *Mathematical Biosciences* 40, 145-156.
    Moran, P. A. P. (1958). Random processes in genetics. *Proc. Cambridge Phil. Soc.* 54.
    Nowak, M. A., Sasaki, A., Taylor, C. & Fudenberg, D. (2004). Emergence of cooperation
    and evolutionary stability in finite populations. *Nature* 428, 646-650.
    Case, N. (2017). *The Evolution of Trust*. https://ncase.me/trust/
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import mesa
import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from longgame._rng import RNGLike, as_generator
from longgame.errors import InputError
from longgame.models._spec import ModelSpec, RunOutput
from longgame.play import MAX_ROUNDS, GameLike, payoff_table, play_matches
from longgame.strategies import Strategy, get_strategy

if TYPE_CHECKING:
    import pandas as pd

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


# ---------------------------------------------------------------------------------------
# round robin
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TournamentResult:
    """What a round robin produced (small arrays only; nothing per round).

    Attributes:
        names: one label per strategy (registry name, or the repr when a name repeats).
        strategies: the strategy instances, in the same order.
        payoff_matrix: (n, n) expected payoff per scheduled round of strategy i against
            strategy j: the mean over repetitions of each match's *total* divided by the
            expected match length (``rounds``, or 1/(1-w) with ``continuation=w``), an
            unbiased estimate of E[total]/E[length]. Rounds after an exit pay nothing.
            (Dividing each match by its own length would estimate E[total/length],
            which is biased for random lengths.) NaN on the diagonal without self-play.
        scores_by_repetition: (repetitions, n) the same per-round payoff of each strategy
            in each repetition, averaged over its opponents.
        total: (n,) total payoff over all matches and repetitions.
        wins: (n,) matches won (strictly higher total than the opponent; self-play
            excluded).
        cooperation: (n,) fraction of the strategy's moves that were action 0
            (cooperate / deal fair), after noise.
        turns: relationship-rounds played in all.
    """

    names: list[str]
    strategies: list[Strategy]
    payoff_matrix: NDArray[np.float64]
    scores_by_repetition: NDArray[np.float64]
    total: NDArray[np.float64]
    wins: NDArray[np.intp]
    cooperation: NDArray[np.float64]
    turns: int

    @property
    def scores(self) -> NDArray[np.float64]:
        """Mean payoff per round of each strategy (mean over repetitions)."""
        return np.asarray(self.scores_by_repetition.mean(axis=0), dtype=np.float64)

    @property
    def ranks(self) -> NDArray[np.intp]:
        """Rank of each strategy by score, 1 = best (ties share the better rank)."""
        from scipy.stats import rankdata

        return np.asarray(rankdata(-self.scores, method="min"), dtype=np.intp)

    @property
    def ranking(self) -> list[str]:
        """Strategy names from best to worst score (stable for ties)."""
        order = np.argsort(-self.scores, kind="stable")
        return [self.names[i] for i in order]

    def summary(self, confidence: float = 0.95) -> pd.DataFrame:
        """One row per strategy, best first: rank, ``group`` (the name as the caller
        wrote it, see :attr:`names`), ``strategy`` (the registry name), score with a t
        confidence interval over repetitions (NaN with one repetition), total, wins,
        cooperation."""
        import pandas as pd
        from scipy.stats import t as student_t

        reps = self.scores_by_repetition.shape[0]
        std = (
            self.scores_by_repetition.std(axis=0, ddof=1)
            if reps > 1
            else np.full(len(self.names), np.nan)
        )
        half = (
            student_t.ppf(0.5 + confidence / 2, reps - 1) * std / math.sqrt(reps)
            if reps > 1
            else std
        )
        frame = pd.DataFrame(
            {
                "rank": self.ranks,
                "group": self.names,
                "strategy": [s.name for s in self.strategies],
                "score": self.scores,
                "score_std": std,
                "ci_low": self.scores - half,
                "ci_high": self.scores + half,
                "total": self.total,
                "wins": self.wins,
                "cooperation": self.cooperation,
            }
        )
        return frame.sort_values(["rank", "group"], kind="stable").reset_index(drop=True)

    def payoff_frame(self) -> pd.DataFrame:
        """The payoff matrix as a tidy table: row strategy, column strategy, value."""
        import pandas as pd

        n = len(self.names)
        i, j = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
        return pd.DataFrame(
            {
                "row": [self.names[k] for k in i.ravel()],
                "column": [self.names[k] for k in j.ravel()],
                "value": self.payoff_matrix.ravel(),
            }
        )


def _labels(given: Sequence[str | Strategy], strategies: Sequence[Strategy]) -> list[str]:
    """Each strategy as the caller named it (a name or alias as written; an instance by
    its registry name); a label used twice becomes the strategy's repr."""
    names = [
        g.strip() if isinstance(g, str) else (s.name or type(s).__name__)
        for g, s in zip(given, strategies, strict=True)
    ]
    return [repr(s) if names.count(nm) > 1 else nm for s, nm in zip(strategies, names, strict=True)]


def _resolve_game(game: GameLike | ArrayLike | str) -> NDArray[np.float64]:
    if isinstance(game, str):
        from longgame.games import get_game

        return payoff_table(get_game(game))
    return payoff_table(game)


def _root_seed(rng: RNGLike) -> np.random.SeedSequence:
    if isinstance(rng, np.random.SeedSequence):
        return rng
    if isinstance(rng, int | np.integer):
        return np.random.SeedSequence(int(rng))
    return np.random.SeedSequence(int(as_generator(rng).integers(0, 2**63)))


@dataclass
class _Block:
    """Additive accumulators of one block of repetitions."""

    pair_sum: NDArray[np.float64]  # (reps, n, n) sum of match totals / expected length
    pair_count: NDArray[np.float64]  # (reps, n, n) matches played
    total: NDArray[np.float64]
    wins: NDArray[np.intp]
    coop: NDArray[np.float64]
    moves: NDArray[np.float64]
    turns: int = 0


@dataclass(frozen=True)
class _BlockTask:
    strategies: list[Strategy]
    table: NDArray[np.float64]
    row: NDArray[np.intp]
    col: NDArray[np.intp]
    reps: int
    seed: np.random.SeedSequence
    rounds: int | None
    continuation: float | None
    noise: float
    extra: dict[str, Any] = field(default_factory=dict)


def _play_block(task: _BlockTask) -> _Block:
    n = len(task.strategies)
    pairs = task.row.size
    row = np.tile(task.row, task.reps)
    col = np.tile(task.col, task.reps)
    rep = np.repeat(np.arange(task.reps), pairs)
    res = play_matches(
        task.strategies,
        row,
        col,
        task.table,
        rounds=task.rounds,
        continuation=task.continuation,
        noise=task.noise,
        rng=np.random.default_rng(task.seed),
    )
    length = expected_length(task.rounds, task.continuation)
    row_mean = res.row_payoff / length if length > 0 else np.zeros_like(res.row_payoff)
    col_mean = res.col_payoff / length if length > 0 else np.zeros_like(res.col_payoff)
    pair_sum = np.zeros((task.reps, n, n))
    pair_count = np.zeros((task.reps, n, n))
    ok = res.rounds > 0
    np.add.at(pair_sum, (rep[ok], row[ok], col[ok]), row_mean[ok])
    np.add.at(pair_count, (rep[ok], row[ok], col[ok]), 1.0)
    np.add.at(pair_sum, (rep[ok], col[ok], row[ok]), col_mean[ok])
    np.add.at(pair_count, (rep[ok], col[ok], row[ok]), 1.0)
    total = np.bincount(row, res.row_payoff, n) + np.bincount(col, res.col_payoff, n)
    other = row != col
    row_won = other & (res.row_payoff > res.col_payoff)
    col_won = other & (res.col_payoff > res.row_payoff)
    wins = np.bincount(row[row_won], minlength=n) + np.bincount(col[col_won], minlength=n)
    coop = np.bincount(row, res.row_counts[:, 0], n) + np.bincount(col, res.col_counts[:, 0], n)
    moves = np.bincount(row, res.rounds, n) + np.bincount(col, res.rounds, n)
    return _Block(
        pair_sum=pair_sum,
        pair_count=pair_count,
        total=total.astype(np.float64),
        wins=wins.astype(np.intp),
        coop=coop.astype(np.float64),
        moves=moves.astype(np.float64),
        turns=int(res.rounds.sum()),
    )


def expected_length(rounds: int | None, continuation: float | None) -> float:
    """Expected number of scheduled rounds of one match: ``rounds``, or for a continuation
    probability w the mean of the engine's geometric length capped at
    :data:`~longgame.play.MAX_ROUNDS`, ``(1 - w**MAX_ROUNDS) / (1 - w)`` (= 1/(1-w)
    for any practical w).

    >>> expected_length(200, None), expected_length(None, 0.75)
    (200.0, 4.0)
    """
    if continuation is None:
        return float(rounds or 0)
    w = float(continuation)
    return float((1.0 - w**MAX_ROUNDS) / (1.0 - w))


def round_robin(
    strategies: Sequence[str | Strategy],
    game: GameLike | ArrayLike | str = "prisoners-dilemma",
    *,
    rounds: int | None = None,
    continuation: float | None = None,
    noise: float = 0.0,
    repetitions: int = 1,
    self_play: bool = True,
    rng: RNGLike = None,
    block_size: int = 10,
    workers: int = 1,
    labels: Sequence[str] | None = None,
) -> TournamentResult:
    """Play every pair of strategies, ``repetitions`` times, and tabulate the results.

    Args:
        strategies: names, aliases, import paths or instances.
        game: a :class:`~longgame.games.Game`, a catalog name, or a payoff array. In a
            symmetric game each unordered pair plays once per repetition; otherwise each
            ordered pair (both roles).
        rounds: fixed match length (default 200 if ``continuation`` is not given).
        continuation: probability w of another round (geometric lengths, mean 1/(1-w)).
        noise: probability that a chosen action flips.
        repetitions: independent repetitions of the whole round robin (>= 1).
        self_play: whether each strategy also plays a copy of itself (default True,
            which population dynamics need: a strategy meets its own kind). Scores
            average over all opponents, the copy of itself included. For Axelrod's
            convention (normalised score per turn over the *other* players, self
            interactions left out of scores and ranking) pass ``self_play=False``.
        rng: seed; one root from which every block's seed is spawned up front.
        block_size: repetitions played in one lock-step batch (the unit of seeding and
            of parallel work; changing it changes the random streams).
        workers: processes to spread blocks over (results do not depend on it).
        labels: the strategies' names in the result (default: each name or alias as
            written, an instance by its registry name); the registry names stay in
            ``result.strategies[i].name``.

    >>> result = round_robin(["tit-for-tat", "fleecer", "fair-dealer"], rounds=10, rng=0)
    >>> result.payoff_matrix.round(2).tolist()  # per round: row strategy against column
    [[3.0, 0.9, 3.0], [1.4, 1.0, 5.0], [3.0, 0.0, 3.0]]
    >>> result.ranking  # in a short game among few, the fleecer's one-shot gains win...
    ['fleecer', 'tit-for-tat', 'fair-dealer']
    """
    given = list(strategies)
    players = [get_strategy(s) if not isinstance(s, Strategy) else s for s in given]
    if len(players) < 1:
        raise InputError("tournament: strategies is empty; expected at least one strategy")
    if labels is not None and len(labels) != len(players):
        raise InputError(
            f"tournament: labels has {len(labels)} entries; expected one per strategy "
            f"({len(players)})"
        )
    if not isinstance(repetitions, int | np.integer) or repetitions < 1:
        raise InputError(f"tournament: repetitions={repetitions!r} is invalid; expected >= 1")
    if not isinstance(block_size, int | np.integer) or block_size < 1:
        raise InputError(f"tournament: block_size={block_size!r} is invalid; expected >= 1")
    if not isinstance(workers, int | np.integer) or workers < 1:
        raise InputError(f"tournament: workers={workers!r} is invalid; expected >= 1")
    if rounds is None and continuation is None:
        rounds = 200
    table = _resolve_game(game)
    n = len(players)
    symmetric = table.shape[0] == table.shape[1] and np.array_equal(
        table[:, :, 0], table[:, :, 1].T
    )
    if symmetric:
        i, j = np.triu_indices(n, k=0 if self_play else 1)
    else:
        i, j = (a.ravel() for a in np.meshgrid(np.arange(n), np.arange(n), indexing="ij"))
        if not self_play:
            keep = i != j
            i, j = i[keep], j[keep]
    row, col = i.astype(np.intp), j.astype(np.intp)

    n_blocks = -(-int(repetitions) // int(block_size))
    seeds = _root_seed(rng).spawn(n_blocks)
    tasks = [
        _BlockTask(
            strategies=players,
            table=table,
            row=row,
            col=col,
            reps=min(block_size, repetitions - b * block_size),
            seed=seeds[b],
            rounds=rounds,
            continuation=continuation,
            noise=noise,
        )
        for b in range(n_blocks)
    ]
    if workers > 1 and n_blocks > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # spawn: safe in threaded parents; chosen here, never set globally
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=min(workers, n_blocks), mp_context=context) as pool:
            blocks = list(pool.map(_play_block, tasks))
    else:
        blocks = [_play_block(t) for t in tasks]

    pair_sum = np.concatenate([b.pair_sum for b in blocks])
    pair_count = np.concatenate([b.pair_count for b in blocks])
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN slices without self-play
        per_rep = pair_sum / pair_count  # (reps, n, n); NaN where never played
        payoff_matrix = np.nanmean(per_rep, axis=0) if per_rep.size else per_rep.sum(0)
        scores = np.nanmean(per_rep, axis=2) if n > 1 or self_play else np.zeros((repetitions, n))
        moves = sum(b.moves for b in blocks)
        cooperation = sum(b.coop for b in blocks) / moves
    return TournamentResult(
        names=_labels(list(labels) if labels is not None else given, players),
        strategies=players,
        payoff_matrix=np.asarray(payoff_matrix, dtype=np.float64),
        scores_by_repetition=np.asarray(scores, dtype=np.float64),
        total=np.asarray(sum(b.total for b in blocks), dtype=np.float64),
        wins=np.asarray(sum(b.wins for b in blocks), dtype=np.intp),
        cooperation=np.asarray(cooperation, dtype=np.float64),
        turns=sum(b.turns for b in blocks),
    )


# ---------------------------------------------------------------------------------------
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


# ---------------------------------------------------------------------------------------
# the model and its spec for the experiment runner
# ---------------------------------------------------------------------------------------

Dynamics = Literal["none", "ecological", "replicator", "moran", "eliminate-copy"]


def _strategy_spec(entry: Any) -> tuple[str, dict[str, Any]]:
    if isinstance(entry, str):
        return entry, {}
    if isinstance(entry, dict):
        rest = dict(entry)
        name = rest.pop("name", rest.pop("strategy", None))
        if not isinstance(name, str):
            raise ValueError(
                f"strategy entry {entry!r} has no 'name'; expected a name string or "
                "{name = ..., <parameter> = ...}"
            )
        return name, rest
    raise ValueError(f"strategy entry {entry!r} is not a name or a table")


class TournamentParams(BaseModel):
    """Parameters of the ``tournament`` model (unknown keys are errors).

    Attributes:
        strategies: names/aliases/import paths, or tables ``{name = "...", <param> = ...}``.
        game: catalog name of the stage game; ``game_params`` its keyword parameters.
        rounds: fixed match length; ``continuation``: probability w of another round
            (give one of them; default rounds = 200).
        noise: probability in [0, 1] that a chosen action flips.
        repetitions: repetitions of the round robin; ``block_size`` repetitions per seeded
            batch.
        self_play: whether strategies also play themselves.
        dynamics: ``none``, ``ecological`` (discrete, Axelrod), ``replicator``
            (continuous, ``dt`` per step), ``moran`` (finite population, ``selection``
            intensity in [0, 1], one generation = N events) or ``eliminate-copy``
            (``replace`` worst removed and best copied per generation).
        population: finite population size N (moran, eliminate-copy), split equally
            among strategies at the start (the first ones get the remainder).
        initial_shares: optional starting shares, one per strategy (default equal).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    strategies: list[str | dict[str, Any]] = Field(min_length=1)
    game: str = "prisoners-dilemma"
    game_params: dict[str, float] = Field(default_factory=dict)
    rounds: int | None = Field(default=None, ge=0)
    continuation: float | None = Field(default=None, ge=0.0, lt=1.0)
    noise: float = Field(default=0.0, ge=0.0, le=1.0)
    repetitions: int = Field(default=10, ge=1)
    block_size: int = Field(default=10, ge=1)
    self_play: bool = True
    dynamics: Dynamics = "ecological"
    population: int = Field(default=100, ge=2)
    selection: float = Field(default=0.5, ge=0.0, le=1.0)
    replace: int = Field(default=5, ge=0)
    dt: float = Field(default=0.1, gt=0.0)
    initial_shares: list[float] | None = None

    @field_validator("strategies")
    @classmethod
    def _known_strategies(cls, value: list[str | dict[str, Any]]) -> list[str | dict[str, Any]]:
        problems: list[str] = []
        seen: dict[str, int] = {}
        for k, entry in enumerate(value):
            try:
                name, params = _strategy_spec(entry)
                label = repr(get_strategy(name, **params))
            except InputError as exc:
                problems.extend(f"strategies[{k}]: {p}" for p in exc.problems)
                continue
            if label in seen:
                problems.append(
                    f"strategies[{k}]: {entry!r} is the same strategy as "
                    f"strategies[{seen[label]}] ({label}); expected each strategy once "
                    "(aliases name the same strategy)"
                )
            seen.setdefault(label, k)
        if problems:
            raise ValueError("; ".join(problems))
        return value

    @model_validator(mode="after")
    def _consistent(self) -> TournamentParams:
        problems = []
        if self.rounds is not None and self.continuation is not None:
            problems.append(
                f"rounds={self.rounds} and continuation={self.continuation} are both set; "
                "expected one of them"
            )
        try:
            from longgame.games import get_game

            get_game(self.game, **self.game_params)
        except InputError as exc:
            problems.extend(exc.problems)
        if self.dynamics in ("ecological", "replicator", "moran", "eliminate-copy") and not (
            self.self_play
        ):
            problems.append(
                f"dynamics={self.dynamics!r} needs self_play = true (a strategy meets its "
                "own kind in a population)"
            )
        if self.dynamics == "eliminate-copy" and 2 * self.replace > self.population:
            problems.append(
                f"replace={self.replace} is too large for population={self.population}; "
                "expected 2 * replace <= population"
            )
        if self.initial_shares is not None and len(self.initial_shares) != len(self.strategies):
            problems.append(
                f"initial_shares has {len(self.initial_shares)} entries; expected one per "
                f"strategy ({len(self.strategies)})"
            )
        if self.initial_shares is not None and (
            any(x < 0 for x in self.initial_shares) or sum(self.initial_shares) <= 0
        ):
            problems.append("initial_shares must be >= 0 with a positive sum")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def labels(self) -> list[str]:
        """Each strategy's name in results: as written in the config (``name`` for a
        table); a name written twice (different parameters) becomes the strategy's repr."""
        return _labels([_strategy_spec(e)[0] for e in self.strategies], self.make_strategies())

    def make_strategies(self) -> list[Strategy]:
        """The strategy instances, in order."""
        out = []
        for entry in self.strategies:
            name, params = _strategy_spec(entry)
            out.append(get_strategy(name, **params))
        return out


class StrategyAgent(mesa.Agent):  # type: ignore[misc]
    """One strategy in the population (the few); its share lives in the model's array."""

    def __init__(self, model: TournamentModel, index: int, strategy: Strategy) -> None:
        super().__init__(model)
        self.index = index
        self.strategy = strategy

    @property
    def share(self) -> float:
        """Current population share of this strategy."""
        return float(self.model.shares[self.index])


class TournamentModel(mesa.Model):  # type: ignore[misc]
    """A round robin, then population dynamics over its payoff matrix (one step = one
    generation, or ``dt`` of time for the replicator).

    >>> m = TournamentModel(TournamentParams(strategies=["tft", "alld", "allc"],
    ...                     rounds=20, repetitions=2), rng=1)
    >>> m.run_for(30)
    >>> m.shares.round(2).tolist()  # ...but as its prey dies out, so does the fleecer
    [0.82, 0.0, 0.18]
    """

    def __init__(self, params: TournamentParams, rng: RNGLike = None) -> None:
        super().__init__(rng=as_generator(rng))
        from longgame.games import get_game

        self.params = params
        players = params.make_strategies()
        game = get_game(params.game, **params.game_params)
        self.result = round_robin(
            players,
            game,
            rounds=params.rounds,
            continuation=params.continuation,
            noise=params.noise,
            repetitions=params.repetitions,
            self_play=params.self_play,
            block_size=params.block_size,
            rng=self.rng,
            labels=params.labels(),
        )
        k = len(players)
        for i, s in enumerate(players):
            StrategyAgent(self, i, s)
        self.shares = _shares(params.initial_shares, k)
        self.counts: NDArray[np.intp] | None = None
        if params.dynamics in ("moran", "eliminate-copy"):
            self.counts = np.floor(self.shares * params.population).astype(np.intp)
            short = params.population - int(self.counts.sum())
            if short:
                remainder = self.shares * params.population - self.counts
                self.counts[np.argsort(-remainder, kind="stable")[:short]] += 1
            self.shares = self.counts / params.population
        self._rows: list[tuple[int, str, str, float]] = []

    def step(self) -> None:
        """Advance the dynamics one generation and record the metrics."""
        p = self.params
        a = self.result.payoff_matrix
        if p.dynamics == "ecological":
            self.shares = ecological(a, self.shares, 1)[-1]
        elif p.dynamics == "replicator":
            self.shares = replicator(a, self.shares, 1, dt=p.dt)[-1]
        elif p.dynamics == "moran":
            assert self.counts is not None
            self.counts = moran_process(
                a, self.counts, generations=1, selection=p.selection, rng=self.rng
            )[-1]
            self.shares = self.counts / p.population
        elif p.dynamics == "eliminate-copy":
            assert self.counts is not None
            self.counts = eliminate_and_copy(
                a, self.counts, k=p.replace, generations=1, rng=self.rng
            )[-1]
            self.shares = self.counts / p.population
        self._record(int(self.steps))

    def _record(self, step: int) -> None:
        r = self.result
        fitness = r.payoff_matrix @ self.shares
        for i, name in enumerate(r.names):
            self._rows.append((step, name, "share", float(self.shares[i])))
            self._rows.append((step, name, "fitness", float(fitness[i])))
            self._rows.append((step, name, "score", float(r.scores[i])))
            self._rows.append((step, name, "cooperation", float(r.cooperation[i])))
            self._rows.append((step, name, "rank", float(r.ranks[i])))
        self._rows.append((step, "all", "mean_payoff", float(self.shares @ fitness)))
        self._rows.append((step, "all", "cooperation", float(self.shares @ r.cooperation)))

    def metrics(self) -> pd.DataFrame:
        """Tidy metrics recorded so far (columns step, group, metric, value)."""
        import pandas as pd

        return pd.DataFrame(self._rows, columns=["step", "group", "metric", "value"])

    def run(self, steps: int) -> RunOutput:
        """Run ``steps`` generations; metrics plus ``payoff_matrix`` and ``ranking`` tables."""
        self.run_for(steps)
        return RunOutput(
            metrics=self.metrics(),
            tables={
                "payoff_matrix": self.result.payoff_frame(),
                "ranking": self.result.summary(),
            },
        )


def simulate(params: TournamentParams, steps: int, rng: np.random.Generator) -> RunOutput:
    """Run one tournament and ``steps`` generations of its dynamics.

    >>> out = simulate(TournamentParams(strategies=["tft", "alld"], rounds=10,
    ...                repetitions=1), 3, np.random.default_rng(0))
    >>> sorted(out.tables), int(out.metrics.step.max())
    (['payoff_matrix', 'ranking'], 3)
    """
    return TournamentModel(params, rng=rng).run(steps)


def quick(raw: dict[str, Any]) -> dict[str, Any]:
    """A smaller tournament for ``--quick``: at most 50 rounds, 2 repetitions, N <= 50.

    >>> quick({"strategies": ["tft"], "rounds": 200, "repetitions": 10})
    {'strategies': ['tft'], 'rounds': 50, 'repetitions': 2}
    """
    out = dict(raw)
    if raw.get("continuation") is None:
        out["rounds"] = min(int(raw.get("rounds") or 200), 50)
    out["repetitions"] = min(int(raw.get("repetitions", 10)), 2)
    if "population" in raw:
        out["population"] = min(int(raw["population"]), 50)
        if "replace" in raw:
            out["replace"] = min(int(raw["replace"]), out["population"] // 2)
    return out


def cost(params: TournamentParams, steps: int) -> Any:
    """Rough peak memory and work of one run (a :class:`~longgame.models.RunCost`): the
    round robin's batches, its rounds, the population and the per-generation metrics."""
    from longgame.models._spec import METRIC_ROW_BYTES, RunCost

    k = len(params.strategies)
    pairs = k * (k + 1) // 2
    rounds = params.rounds or (round(1 / (1 - params.continuation)) if params.continuation else 200)
    batch = min(params.block_size, params.repetitions) * pairs
    terms = {
        "block_size": batch * 400,
        "population": params.population * 64,
        "steps": steps * (k + 1) * 4 * METRIC_ROW_BYTES,
        "repetitions": k * k * params.repetitions * 16,
    }
    work = {
        "rounds": pairs * params.repetitions * rounds,
        "repetitions": pairs * params.repetitions * rounds,
        "steps": steps * (k + params.population),
    }
    memory = sum(terms.values()) + 100 * 2**20
    driver = max(terms, key=lambda key: terms[key])
    if max(work.values()) > 10**11:
        driver = "rounds" if rounds >= params.repetitions else "repetitions"
        driver = "steps" if work["steps"] > work["rounds"] else driver
    return RunCost(memory=memory, work=max(work.values()), driver=driver)


SPEC = ModelSpec(
    name="tournament",
    description="Round robin among strategies, then ecological, replicator or Moran dynamics.",
    params=TournamentParams,
    simulate=simulate,
    quick=quick,
    cost=cost,
)
