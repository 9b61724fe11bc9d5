"""Round robins: every pair of strategies plays, scores come back as tidy tables.

Seeded per block of repetitions (see :mod:`longgame.models.tournament`), so results are
the same whatever the number of worker processes.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from longgame._rng import RNGLike, as_generator
from longgame.errors import InputError
from longgame.models._blocks import block_sizes, processes
from longgame.play import MAX_ROUNDS, GameLike, payoff_table, play_matches
from longgame.strategies import Strategy, get_strategy

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["TournamentResult", "expected_length", "round_robin"]

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

    def _repr_html_(self) -> str:
        """For notebooks: the ranking with scores and intervals (from :meth:`summary`)."""
        table = self.summary()[["rank", "group", "strategy", "score", "ci_low", "ci_high", "wins"]]
        heading = (
            f"<strong>Round robin: {len(self.names)} strategies, "
            f"{self.scores_by_repetition.shape[0]} repetitions, {self.turns} rounds played"
            "</strong>"
        )
        body = table.to_html(index=False, float_format=lambda x: f"{x:.3f}", na_rep="–")
        return f"<div>{heading}{body}</div>"  # to_html escapes the strategy names

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
    block_size: int | None = None,
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
            of parallel work; changing it changes the random streams). ``None``
            (default): chosen from the tournament's size, about 16,000 relationships per
            batch and at least 10 repetitions (so up to 10 repetitions are one block).
        workers: at most this many processes to spread blocks over; fewer (serial)
            when the work is too small to pay for starting them. Results do not depend
            on it.
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
    if block_size is not None and (not isinstance(block_size, int | np.integer) or block_size < 1):
        raise InputError(
            f"tournament: block_size={block_size!r} is invalid; expected an integer >= 1 "
            "or None (automatic)"
        )
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

    sizes = block_sizes(int(repetitions), int(row.size), block_size)
    n_blocks = len(sizes)
    seeds = _root_seed(rng).spawn(n_blocks)
    tasks = [
        _BlockTask(
            strategies=players,
            table=table,
            row=row,
            col=col,
            reps=sizes[b],
            seed=seeds[b],
            rounds=rounds,
            continuation=continuation,
            noise=noise,
        )
        for b in range(n_blocks)
    ]
    turns = row.size * int(repetitions) * expected_length(rounds, continuation)
    workers = processes(int(workers), n_blocks, turns)
    if workers > 1:
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
