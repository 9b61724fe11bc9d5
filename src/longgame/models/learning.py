"""Two populations learning to play a stage game: the boxed pigs as market education.

Row players (e.g. big firms) and column players (e.g. small firms) of any catalog
:class:`~longgame.games.Game` are matched at random every period, play the stage game
and adapt their play by one of three learning rules, vectorised over agents:

``"roth-erev"``
    Reinforcement (Erev and Roth 1998): each agent keeps a propensity per action and
    plays them in proportion. Initial propensities total ``initial_strength`` times the
    mean payoff, split by the initial shares. After a period, all propensities decay by
    ``forgetting`` and the action played gains the payoff, shifted so the worst payoff of
    the game adds 0 (``experimentation`` spreads that share of the gain over the other
    actions).
``"fictitious-play"``
    Stochastic (smoothed) fictitious play (Fudenberg and Levine 1998, ch. 4): each agent
    counts the actions its opponents played (a prior of weight ``belief_weight`` spread
    as the opponent population's initial shares), and plays a logit best reply to the
    empirical frequencies with precision ``beta``.
``"imitation"``
    Pairwise-comparison imitation (Traulsen, Nowak and Pacheco 2006): each agent plays
    one action; with probability ``revision_rate`` per period it looks at a random peer
    of its own population and copies the peer's action with probability
    1 / (1 + exp(−beta (π_peer − π_own))) (the Fermi rule); with probability
    ``mutation`` a revising agent picks an action at random instead.

Next to the simulated populations, :func:`replicator_path` integrates the two-population
replicator dynamics of the same game (scipy), so a run can show the deterministic path
beside the noisy one.

**The boxed pigs as market education.** Pressing the lever is paying to educate the
market (advertising a new product category, creating demand); the big firm captures most
of the demand whoever creates it, so the small firm's best reply is to wait and follow,
and the big firm, left alone, presses. Learning populations find this from uniform play,
each side letting the other's move decide its own (以对方的行动决定我们的行动, seeds/004).
Once pressing costs more than the big firm's take when it educates the market
(``press_cost > food * big_share_small_first``), nobody presses: when win-win is
impossible, nobody chooses lose-lose (在不能共赢时也不可选择共输). When arriving together
pays the small firm more than following (e.g. ``big_share_together = 0.3``,
``big_share_big_first = 0.5``), the small firm presses and the big firm waits.

In ``sales-exchange`` under one-shot random matching the same learners unravel the
market: customers learn to walk away under every rule, the baseline that repeat purchase
and word of mouth in the market model overturn. Fleecing is only weakly dominant (a seller
whose customer walks earns nothing either way), so once customers are gone sellers feel
no pressure: reinforcement and fictitious play leave most sellers fleecing, while under
imitation the sellers' mix drifts neutrally (and without ``mutation`` the absent buyers
cannot come back even if fair dealing becomes common).

Metrics per step (groups are the game's player names, e.g. ``big`` and ``small``):
``share.<action>`` (the population's mixed play: mean probability of the action over
agents; for imitation, the share of agents playing it), ``payoff`` (mean realised
payoff per agent in the period) and ``ne_distance`` (total-variation distance of the
group's mixed play to its part of the Nash equilibrium nearest to the joint play, in
[0, 1]). Extra tables: ``replicator`` (same columns, the replicator path sampled at the
same steps) and ``theory`` (the equilibria: ``equilibrium, group, action,
equilibrium_share``).

>>> out = SPEC.simulate(LearningParams(n_row=50, n_col=50), 100, 1)
>>> shares = out.metrics.query("step == 100 and metric == 'share.press'")
>>> shares.set_index("group")["value"].round(1).to_dict()
{'big': 1.0, 'small': 0.0}
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Literal, Self

import mesa
import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from longgame._rng import RNGLike, as_generator
from longgame.models._spec import ModelSpec, RunCost, RunOutput

if TYPE_CHECKING:
    import pandas as pd

    from longgame.games import Game

__all__ = [
    "RULES",
    "SPEC",
    "LearningModel",
    "LearningParams",
    "Population",
    "equilibrium_points",
    "ne_distance",
    "replicator_path",
    "simulate",
]

type Rule = Literal["roth-erev", "fictitious-play", "imitation"]

#: The learning rules, by name.
RULES: tuple[str, ...] = ("roth-erev", "fictitious-play", "imitation")


class LearningParams(BaseModel):
    """Parameters of the learning model (unknown keys are errors).

    The game is a catalog name plus its parameters, validated through the catalog, so a
    sweep over ``game_params.press_cost`` works from a config and a bad value is an
    error naming the parameter and its range.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    game: str = Field("boxed-pigs", description="catalog game name (longgame games)")
    game_params: dict[str, float] = Field(
        default_factory=dict, description="the game's parameters, e.g. {press_cost = 3}"
    )
    rule: Rule = Field("roth-erev", description="learning rule: " + ", ".join(RULES))
    n_row: int = Field(200, ge=1, le=10_000_000, description="row population size")
    n_col: int = Field(200, ge=1, le=10_000_000, description="column population size")
    initial_row: list[float] | None = Field(
        None, description="row population's initial shares per action (None: uniform)"
    )
    initial_col: list[float] | None = Field(
        None, description="column population's initial shares per action (None: uniform)"
    )
    initial_strength: float = Field(
        9.0,
        gt=0,
        description="roth-erev: s(1), total initial propensity in units of the mean "
        "(shifted) payoff; Erev and Roth 1998 estimate 9",
    )
    forgetting: float = Field(
        0.05, ge=0, lt=1, description="roth-erev: share of propensity lost per period"
    )
    experimentation: float = Field(
        0.0, ge=0, lt=1, description="roth-erev: share of reinforcement spread to other actions"
    )
    beta: float = Field(
        5.0,
        gt=0,
        description="fictitious-play choice precision / imitation selection strength "
        "(1 / payoff unit)",
    )
    belief_weight: float = Field(
        2.0, gt=0, description="fictitious-play: weight of the prior belief (in observations)"
    )
    revision_rate: float = Field(
        0.2, gt=0, le=1, description="imitation: probability an agent revises per period"
    )
    mutation: float = Field(
        0.0, ge=0, le=1, description="imitation: probability a revision picks a random action"
    )
    replicator_time: float = Field(
        0.1, gt=0, description="replicator-dynamics time per period (for the overlay table)"
    )

    @field_validator("initial_row", "initial_col")
    @classmethod
    def _shares(cls, v: list[float] | None) -> list[float] | None:
        if v is None:
            return v
        if not v or any(not math.isfinite(p) or p < 0 for p in v):
            raise ValueError(f"{v} are not shares; expected non-negative numbers")
        if abs(sum(v) - 1.0) > 1e-6:
            raise ValueError(f"{v} sum to {sum(v):g}; expected shares summing to 1")
        return v

    @field_validator("game")
    @classmethod
    def _known_game(cls, v: str) -> str:
        from longgame.games import get_game

        return get_game(v).name  # InputError (a ValueError) lists the known games

    @field_validator("game_params")
    @classmethod
    def _game_params_in_range(cls, v: dict[str, float], info: ValidationInfo) -> dict[str, float]:
        from longgame.errors import InputError
        from longgame.games import get_game

        game = info.data.get("game")
        if game is not None:  # else the game name itself failed and is reported
            try:
                get_game(game, **v)
            except InputError as exc:  # one line: every bad parameter with its range
                raise ValueError("; ".join(exc.problems)) from None
        return v

    @model_validator(mode="after")
    def _shares_match_actions(self) -> Self:
        game = self.build_game()
        for side, (name, shares) in enumerate(
            (("initial_row", self.initial_row), ("initial_col", self.initial_col))
        ):
            n = game.shape[side]
            if shares is not None and len(shares) != n:
                raise ValueError(
                    f"{name} has {len(shares)} shares; expected {n} (one per action of "
                    f"{game.players[side]}: {', '.join(game.actions[side])})"
                )
        return self

    def build_game(self) -> Game:
        """The stage game these parameters describe."""
        from longgame.games import get_game

        return get_game(self.game, **self.game_params)


# --------------------------------------------------------------------------------------
# theory: equilibria, distances, replicator dynamics


def equilibrium_points(game: Game) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Nash equilibria as arrays ``(X, Y)`` of shapes (K, n_row_actions), (K, n_col_actions).

    The extreme equilibria of :func:`~longgame.games.mixed_equilibria`, plus points on
    the segments joining two extreme equilibria that are interchangeable (then the whole
    segment consists of equilibria, as in a degenerate game like ``sales-exchange``), so
    that distances to a continuum of equilibria are measured to the continuum.
    """
    from longgame.games import mixed_equilibria

    eqs = mixed_equilibria(game)
    X = [np.array(e.probabilities[0]) for e in eqs]
    Y = [np.array(e.probabilities[1]) for e in eqs]
    A, B = game.row_payoffs, game.col_payoffs

    def is_eq(x: NDArray[np.float64], y: NDArray[np.float64]) -> bool:
        return bool(x @ A @ y >= (A @ y).max() - 1e-9 and x @ B @ y >= (x @ B).max() - 1e-9)

    grid = np.linspace(0.0, 1.0, 51)[1:-1, None]
    extra_x, extra_y = [], []
    for i in range(len(eqs)):
        for j in range(i + 1, len(eqs)):
            if is_eq(X[i], Y[j]) and is_eq(X[j], Y[i]):
                extra_x.append((1 - grid) * X[i] + grid * X[j])
                extra_y.append((1 - grid) * Y[i] + grid * Y[j])
    return (np.vstack([np.array(X), *extra_x]), np.vstack([np.array(Y), *extra_y]))


def ne_distance(
    x: ArrayLike, y: ArrayLike, equilibria: tuple[NDArray[np.float64], NDArray[np.float64]]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Per-group total-variation distances to the nearest equilibrium.

    ``x`` and ``y`` are the populations' mixed play, shape (k,) or (T, k) for T steps.
    The nearest equilibrium minimises the sum of the two groups' distances; each group's
    distance to its part of it is returned (arrays of shape () or (T,), values in [0, 1]).

    Examples:
        >>> from longgame.games import boxed_pigs
        >>> eq = equilibrium_points(boxed_pigs())
        >>> [float(d) for d in ne_distance([0.5, 0.5], [0.5, 0.5], eq)]
        [0.5, 0.5]
    """
    X, Y = equilibria
    xa = np.asarray(x, dtype=np.float64)
    ya = np.asarray(y, dtype=np.float64)
    dx = 0.5 * np.abs(xa[..., None, :] - X).sum(axis=-1)
    dy = 0.5 * np.abs(ya[..., None, :] - Y).sum(axis=-1)
    k = np.argmin(dx + dy, axis=-1)
    return (
        np.take_along_axis(dx, k[..., None], -1)[..., 0],
        np.take_along_axis(dy, k[..., None], -1)[..., 0],
    )


def replicator_path(
    game: Game, x0: ArrayLike, y0: ArrayLike, t: ArrayLike
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Two-population replicator dynamics of ``game`` from ``(x0, y0)``, sampled at ``t``.

    dx_i/dt = x_i ((A y)_i − x·A y),  dy_j/dt = y_j ((xB)_j − x·B y)  (Hofbauer and
    Sigmund 1998, ch. 10). The system is integrated in log-shares, where it reads
    du/dt = A y, dv/dt = xB with x = softmax(u), y = softmax(v): shares near zero keep
    their relative precision, so ``x_i / x_j`` falls exactly as fast as the payoff gap
    says even when both are 1e-12 (``scipy.integrate.solve_ivp``, LSODA, tight
    tolerances). Actions with zero initial share stay at zero. ``t`` must be
    non-decreasing and start at >= 0 (time 0 is the start). Returns arrays of shapes
    (len(t), n_row) and (len(t), n_col).

    >>> from longgame.games import boxed_pigs
    >>> x, y = replicator_path(boxed_pigs(), [0.5, 0.5], [0.5, 0.5], [0, 20])
    >>> x[-1].round(3).tolist(), y[-1].round(3).tolist()
    ([1.0, 0.0], [0.0, 1.0])
    """
    from scipy.integrate import solve_ivp

    A, B = game.row_payoffs, game.col_payoffs
    n, m = game.shape
    x_start = np.asarray(x0, dtype=np.float64)
    y_start = np.asarray(y0, dtype=np.float64)
    times = np.asarray(t, dtype=np.float64)
    if x_start.shape != (n,) or y_start.shape != (m,):
        raise ValueError(f"x0 and y0 must have {n} and {m} entries")
    for name, start in (("x0", x_start), ("y0", y_start)):
        if not np.all(np.isfinite(start)) or np.any(start < 0) or start.sum() <= 0:
            raise ValueError(f"{name} must be non-negative shares with a positive sum")
    if times.ndim != 1 or times.size == 0 or times[0] < 0 or np.any(np.diff(times) < 0):
        raise ValueError("t must be a non-empty, non-decreasing sequence of times >= 0")

    # Integrate on the supports only: a face of the simplex is invariant.
    row_on, col_on = x_start > 0, y_start > 0
    A_on, B_on = A[row_on], B[:, col_on]
    k = int(row_on.sum())

    def shares(u: NDArray[np.float64]) -> NDArray[np.float64]:
        """Softmax along the last axis: log-shares back to shares."""
        w = np.exp(u - u.max(axis=-1, keepdims=True))
        out: NDArray[np.float64] = w / w.sum(axis=-1, keepdims=True)
        return out

    def rhs(_t: float, z: NDArray[np.float64]) -> NDArray[np.float64]:
        x, y = shares(z[:k]), shares(z[k:])
        return np.concatenate([A_on[:, col_on] @ y, x @ B_on[row_on]])

    z0 = np.log(np.concatenate([x_start[row_on], y_start[col_on]]))
    if times[-1] == 0:
        z = np.repeat(z0[None, :], times.size, axis=0)
    else:
        sol = solve_ivp(
            rhs,
            (0.0, float(times[-1])),
            z0,
            method="LSODA",
            t_eval=times,
            rtol=1e-10,
            atol=1e-10,
        )
        if not sol.success:  # pragma: no cover - LSODA on a smooth bounded system
            raise RuntimeError(f"replicator integration failed: {sol.message}")
        z = sol.y.T
    x_path = np.zeros((times.size, n))
    y_path = np.zeros((times.size, m))
    x_path[:, row_on] = shares(z[:, :k])
    y_path[:, col_on] = shares(z[:, k:])
    return x_path, y_path


# --------------------------------------------------------------------------------------
# populations


def _sample(probs: NDArray[np.float64], rng: np.random.Generator) -> NDArray[np.intp]:
    """One action per column of ``probs`` (k, N; columns sum to 1), by inverse transform."""
    u = rng.random(probs.shape[1])
    out = np.zeros(probs.shape[1], dtype=np.intp)
    cum = np.zeros(probs.shape[1])
    for row in probs[:-1]:  # k - 1 vectorised comparisons
        cum += row
        out += u >= cum
    return out


class Population(mesa.Agent):  # type: ignore[misc]
    """One population (e.g. all big firms) as a single Mesa agent with numpy state.

    The few (two populations) are Mesa agents; the many (their members) are columns of
    action-major arrays: ``propensities`` (roth-erev, shape (actions, size)),
    ``beliefs`` (fictitious play: counts of the opponents' actions, shape
    (opponent actions, size)) or ``actions`` (imitation: each member's current action).

    Attributes:
        name: the player name in the game, used as the metric group.
        side: 0 for the row population, 1 for the column population.
        payoff_matrix: own payoffs, rows = own actions, columns = opponent's actions.
        size: number of members.
    """

    def __init__(
        self,
        model: LearningModel,
        side: int,
        size: int,
        initial: NDArray[np.float64],
        opponent_initial: NDArray[np.float64],
    ) -> None:
        super().__init__(model)
        p: LearningParams = model.params
        game = model.game
        self.side = side
        self.name = game.players[side]
        self.rule: str = p.rule
        self.size = size
        self.payoff_matrix: NDArray[np.float64] = (
            game.row_payoffs.copy() if side == 0 else game.col_payoffs.T.copy()
        )
        self.k = self.payoff_matrix.shape[0]
        self.last_payoff: NDArray[np.float64] = np.zeros(size)
        self.last_actions: NDArray[np.intp] = np.zeros(size, dtype=np.intp)
        self._probs: NDArray[np.float64] | None = None
        rng = model.rng
        if self.rule == "roth-erev":
            shifted = self.payoff_matrix - self.payoff_matrix.min()
            scale = float(shifted.mean()) or 1.0
            column = (initial * p.initial_strength * scale)[:, None]
            self.propensities = np.repeat(column, size, axis=1)
        elif self.rule == "fictitious-play":
            column = (opponent_initial * p.belief_weight)[:, None]
            self.beliefs = np.repeat(column, size, axis=1)
        else:
            self.actions = rng.choice(self.k, size=size, p=initial).astype(np.intp)

    def _action_major(self) -> NDArray[np.float64]:
        if self._probs is not None:
            return self._probs
        if self.rule == "roth-erev":
            q = self.propensities
            probs = q / q.sum(axis=0)
        elif self.rule == "fictitious-play":
            beliefs = self.beliefs / self.beliefs.sum(axis=0)
            beta: float = self.model.params.beta
            u = beta * (self.payoff_matrix @ beliefs)
            e = np.exp(u - u.max(axis=0))
            probs = e / e.sum(axis=0)
        else:
            probs = np.zeros((self.k, self.size))
            probs[self.actions, np.arange(self.size)] = 1.0
        self._probs = probs
        return probs

    def probabilities(self) -> NDArray[np.float64]:
        """Each member's current mixed strategy, shape (size, actions)."""
        return self._action_major().T

    def mixed_play(self) -> NDArray[np.float64]:
        """The population's mixed play: mean member strategy (shares for imitation)."""
        if self.rule == "imitation":
            counts = np.bincount(self.actions, minlength=self.k)
            return counts / self.size
        mean: NDArray[np.float64] = self._action_major().mean(axis=1)
        return mean

    def choose(self) -> NDArray[np.intp]:
        """Draw this period's action of every member."""
        if self.rule == "imitation":
            self.last_actions = self.actions.copy()
        else:
            self.last_actions = _sample(self._action_major(), self.model.rng)
        return self.last_actions

    def learn(
        self,
        members: NDArray[np.intp],
        own_actions: NDArray[np.intp],
        opponent_actions: NDArray[np.intp],
    ) -> None:
        """Update after the period's games (one entry per game this population played).

        ``members[g]`` played ``own_actions[g]`` against ``opponent_actions[g]`` in game
        ``g``; a member in several games uses its mean payoff (imitation, roth-erev) and
        counts every opponent it saw (fictitious play).
        """
        rng = self.model.rng
        p: LearningParams = self.model.params
        self._probs = None
        n = self.size
        pay = self.payoff_matrix[own_actions, opponent_actions]
        if members.size == n:  # the matching gives every member exactly one game
            played = np.ones(n, dtype=bool)
            payoff = np.empty(n)
            payoff[members] = pay
            observed = np.empty(n, dtype=np.intp)
            observed[members] = opponent_actions
        else:
            games_played = np.bincount(members, minlength=n)
            played = games_played > 0
            total = np.bincount(members, weights=pay, minlength=n)
            payoff = np.divide(total, games_played, out=np.zeros(n), where=played)
        self.last_payoff = payoff
        if self.rule == "roth-erev":
            q = self.propensities
            q *= 1.0 - p.forgetting
            gain = np.where(played, payoff - self.payoff_matrix.min(), 0.0)
            chosen = self.last_actions
            if self.k > 1 and p.experimentation > 0:
                q += (p.experimentation / (self.k - 1)) * gain
                gain = (1.0 - p.experimentation - p.experimentation / (self.k - 1)) * gain
            for a in range(self.k):  # k vectorised updates beat one fancy-indexed one
                q[a] += np.where(chosen == a, gain, 0.0)
            np.maximum(q, 1e-12, out=q)
        elif self.rule == "fictitious-play":
            k_opp = self.beliefs.shape[0]
            if members.size == n:
                for b in range(k_opp):
                    self.beliefs[b] += observed == b
            else:
                seen = np.bincount(opponent_actions * n + members, minlength=k_opp * n)
                self.beliefs += seen.reshape(k_opp, n)
        else:
            revise = rng.random(n) < p.revision_rate
            peer = rng.integers(0, n, size=n)
            diff = payoff[peer] - payoff
            switch = rng.random(n) < 0.5 * (1.0 + np.tanh(0.5 * p.beta * diff))
            new = np.where(revise & switch, self.actions[peer], self.actions)
            if p.mutation > 0:
                mutate = revise & (rng.random(n) < p.mutation)
                new = np.where(mutate, rng.integers(0, self.k, size=n), new)
            self.actions = new.astype(np.intp)


# --------------------------------------------------------------------------------------
# the model


class LearningModel(mesa.Model):  # type: ignore[misc]
    """Row and column populations randomly matched each period on a stage game.

    Each period every member of the larger population plays one game against a member
    of the other population; members of the smaller population are spread evenly over
    those games (each plays ⌊L/S⌋ or ⌈L/S⌉ games). Then both populations learn.

    Args:
        params: the model's parameters (defaults: boxed pigs, roth-erev, 200 + 200).
        rng: seed or Generator; the only source of randomness.

    >>> model = LearningModel(LearningParams(rule="imitation", n_row=40, n_col=40), rng=3)
    >>> model.run_for(50)
    >>> model.steps, sorted(model.groups)
    (50, ['big', 'small'])
    """

    def __init__(self, params: LearningParams | None = None, rng: RNGLike = None) -> None:
        super().__init__(rng=as_generator(rng))
        self.params = params if params is not None else LearningParams()
        self.game = self.params.build_game()
        n, m = self.game.shape
        x0 = np.asarray(self.params.initial_row or np.full(n, 1.0 / n), dtype=np.float64)
        y0 = np.asarray(self.params.initial_col or np.full(m, 1.0 / m), dtype=np.float64)
        self.initial = (x0, y0)
        self.row = Population(self, 0, self.params.n_row, x0, y0)
        self.col = Population(self, 1, self.params.n_col, y0, x0)
        self.groups = (self.row.name, self.col.name)
        self.equilibria = equilibrium_points(self.game)
        self._shares: list[tuple[NDArray[np.float64], NDArray[np.float64]]] = []
        self._payoffs: list[tuple[float, float]] = []

    def _matching(self) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        rng = self.rng
        n_r, n_c = self.row.size, self.col.size
        if n_r == n_c:  # a uniformly random perfect matching
            return np.arange(n_r, dtype=np.intp), rng.permutation(n_c).astype(np.intp)
        games = max(n_r, n_c)
        rows = np.resize(rng.permutation(n_r), games)
        cols = np.resize(rng.permutation(n_c), games)
        if n_r < n_c:
            rng.shuffle(rows)
        else:
            rng.shuffle(cols)
        return rows.astype(np.intp), cols.astype(np.intp)

    def step(self) -> None:
        """One period: choose, match, play, learn, record."""
        a_row = self.row.choose()
        a_col = self.col.choose()
        rows, cols = self._matching()
        ar, ac = a_row[rows], a_col[cols]
        self.row.learn(rows, ar, ac)
        self.col.learn(cols, ac, ar)
        self._payoffs.append(
            (float(self.row.last_payoff.mean()), float(self.col.last_payoff.mean()))
        )
        self._shares.append((self.row.mixed_play(), self.col.mixed_play()))

    # results -----------------------------------------------------------------------
    def metrics(self) -> pd.DataFrame:
        """Tidy per-step metrics (step, group, metric, value) of the periods run so far."""
        X = np.array([s[0] for s in self._shares]).reshape(-1, self.game.shape[0])
        Y = np.array([s[1] for s in self._shares]).reshape(-1, self.game.shape[1])
        U = np.array(self._payoffs, dtype=np.float64).reshape(-1, 2)
        return self._tidy(X, Y, U)

    def _tidy(
        self, X: NDArray[np.float64], Y: NDArray[np.float64], U: NDArray[np.float64]
    ) -> pd.DataFrame:
        import pandas as pd

        steps = np.arange(1, X.shape[0] + 1)
        dx, dy = ne_distance(X, Y, self.equilibria)
        frames = []
        for side, (shares, dist) in enumerate(((X, dx), (Y, dy))):
            columns: dict[str, NDArray[np.float64]] = {
                f"share.{a}": shares[:, i] for i, a in enumerate(self.game.actions[side])
            }
            columns["payoff"] = U[:, side]
            columns["ne_distance"] = np.asarray(dist, dtype=np.float64)
            for metric, values in columns.items():
                frames.append(
                    pd.DataFrame(
                        {
                            "step": steps,
                            "group": self.groups[side],
                            "metric": metric,
                            "value": values.astype(np.float64),
                        }
                    )
                )
        df = pd.concat(frames, ignore_index=True)
        return df.sort_values(["step", "group", "metric"], ignore_index=True)

    def replicator(self) -> pd.DataFrame:
        """The replicator path from the initial shares, tidy, at the steps run so far.

        Step s is replicator time ``s * params.replicator_time``; ``payoff`` is the
        expected payoff at the path's shares.
        """
        steps = len(self._shares)
        t = np.arange(1, steps + 1) * self.params.replicator_time
        X, Y = (
            replicator_path(self.game, *self.initial, t)
            if steps
            else (
                np.zeros((0, self.game.shape[0])),
                np.zeros((0, self.game.shape[1])),
            )
        )
        A, B = self.game.row_payoffs, self.game.col_payoffs
        U = np.stack([np.einsum("ti,ij,tj->t", X, A, Y), np.einsum("ti,ij,tj->t", X, B, Y)], axis=1)
        return self._tidy(X, Y, U)

    def theory(self) -> pd.DataFrame:
        """The extreme Nash equilibria: columns equilibrium, group, action, equilibrium_share."""
        import pandas as pd

        from longgame.games import mixed_equilibria

        rows: list[dict[str, Any]] = []
        for k, e in enumerate(mixed_equilibria(self.game)):
            for side in (0, 1):
                for a, share in zip(self.game.actions[side], e.probabilities[side], strict=True):
                    rows.append(
                        {
                            "equilibrium": k,
                            "group": self.groups[side],
                            "action": a,
                            "equilibrium_share": float(share),
                        }
                    )
        return pd.DataFrame(rows, columns=["equilibrium", "group", "action", "equilibrium_share"])

    def output(self) -> RunOutput:
        """Metrics plus the ``replicator`` and ``theory`` tables."""
        return RunOutput(
            metrics=self.metrics(),
            tables={"replicator": self.replicator(), "theory": self.theory()},
        )


def _quick(raw: dict[str, Any]) -> dict[str, Any]:
    """Cap both populations at 50 members for ``--quick``."""
    out = dict(raw)
    for key in ("n_row", "n_col"):
        value = out.get(key, 200)
        if isinstance(value, int) and not isinstance(value, bool):
            out[key] = min(value, 50)
    return out


def simulate(params: LearningParams, steps: int, rng: RNGLike = None) -> RunOutput:
    """Run the learning model for ``steps`` periods and return its tidy output."""
    model = LearningModel(params, rng=rng)
    model.run_for(steps)
    return model.output()


def _cost(params: LearningParams, steps: int) -> RunCost:
    """Rough peak memory and work of one run: both populations and the metrics."""
    from longgame.models._spec import METRIC_ROW_BYTES

    people = params.n_row + params.n_col
    terms = {
        "n_row": params.n_row * 64,
        "n_col": params.n_col * 64,
        "steps": steps * 40 * METRIC_ROW_BYTES,
    }
    driver = max(terms, key=lambda k: terms[k])
    if people * steps > 10**11 and driver != "steps":
        driver = "n_row" if params.n_row >= params.n_col else "n_col"
    return RunCost(memory=sum(terms.values()) + 100 * 2**20, work=people * steps, driver=driver)


SPEC = ModelSpec(
    name="learning",
    description="two populations learning a stage game (boxed pigs, sales exchange, ...)",
    params=LearningParams,
    simulate=simulate,
    quick=_quick,
    cost=_cost,
)
