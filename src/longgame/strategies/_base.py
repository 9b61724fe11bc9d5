"""The strategy protocol: :class:`Strategy` and the :class:`HistoryView` it decides from.

A strategy decides for a *batch* of relationships at once. Whoever owns the
relationships (the play engine, a tournament, the market model) keeps their history as
numpy arrays, wraps the rows that belong to one strategy in a :class:`HistoryView`, and
calls ``strategy.decide(view, rng)`` once per round for all of them. A Python call per
relationship would make 10^5-10^6 relationships per round impossible; one call per
strategy per round makes it cheap.

Actions are integer indices into the player's action set. For two-action dilemma-like
games 0 = cooperate (:data:`C`; in sales: deal fair, pay and stay) and 1 = defect
(:data:`D`; in sales: fleece, take).
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from longgame.errors import InputError
from longgame.strategies._automaton import Automaton

__all__ = [
    "NO_ACTION",
    "Actions",
    "C",
    "D",
    "HistoryView",
    "State",
    "Strategy",
    "defect_where",
    "describe",
]

#: Action index of "cooperate" in two-action dilemma-like games (sales: deal fair).
C: int = 0
#: Action index of "defect" in two-action dilemma-like games (sales: fleece, take).
D: int = 1
#: Placeholder in ``own_last`` / ``partner_last`` where a relationship has no history yet.
NO_ACTION: int = -1

type Actions = NDArray[np.int8]
type State = dict[str, NDArray[Any]]


@dataclass(eq=False)
class HistoryView:
    """What a strategy sees of ``n`` relationships, one row per relationship.

    The owner of the relationships builds the view from its own arrays (slices of larger
    arrays are fine and avoid copies) and passes it to :meth:`Strategy.decide` and
    :meth:`Strategy.exit`. Strategies read every field and mutate only ``state``.

    Attributes:
        rounds: rounds played so far, shape (n,), int.
        own_last: the strategy's own last actions, shape (n, depth), int8, most recent in
            column 0, :data:`NO_ACTION` (-1) where there is no history yet. ``depth`` is
            the strategy's memory depth capped by what the owner keeps (the engine keeps
            at least one column); unbounded strategies rely on counts and ``state``.
        partner_last: the partner's last actions, same layout as ``own_last``.
        own_counts: how often the strategy played each of its actions, shape
            (n, n_actions), int.
        partner_counts: how often the partner played each of its actions, shape
            (n, partner_n_actions), int.
        own_payoff: the strategy's cumulative payoff in each relationship, float.
        partner_payoff: the partner's cumulative payoff, float.
        last_own_payoff: the strategy's payoff in the last round (0 before the first).
        last_partner_payoff: the partner's payoff in the last round (0 before the first).
        state: per-relationship arrays from :meth:`Strategy.init_state` (first axis n),
            owned by the caller and mutated in place by the strategy.
        n_actions: number of actions the strategy may choose from (2 for dilemmas).
        partner_n_actions: number of actions of the partner.
        public: public information the owner offers, per relationship (first axis n):
            the market gives strategies that list names in ``public_inputs`` the
            seller's public ``rating`` in [0, 1], the ``market_rating`` (mean rating of
            active sellers), the seller's ``age`` (periods in the market), the periods
            ``remaining`` until a known end (``inf`` if unknown) and the review
            ``visibility``. Empty where the owner has none (tournaments, contract tests).
    """

    rounds: NDArray[np.intp]
    own_last: NDArray[np.int8]
    partner_last: NDArray[np.int8]
    own_counts: NDArray[np.intp]
    partner_counts: NDArray[np.intp]
    own_payoff: NDArray[np.float64]
    partner_payoff: NDArray[np.float64]
    last_own_payoff: NDArray[np.float64]
    last_partner_payoff: NDArray[np.float64]
    state: State = field(default_factory=dict)
    n_actions: int = 2
    partner_n_actions: int = 2
    public: dict[str, NDArray[Any]] = field(default_factory=dict)

    @property
    def n(self) -> int:
        """Number of relationships in the view."""
        return int(self.rounds.shape[0])

    @property
    def depth(self) -> int:
        """Number of past rounds visible in ``own_last`` / ``partner_last``."""
        return int(self.own_last.shape[1])

    @classmethod
    def fresh(
        cls,
        n: int,
        *,
        depth: int = 1,
        n_actions: int = 2,
        partner_n_actions: int | None = None,
        state: State | None = None,
    ) -> HistoryView:
        """A view of ``n`` relationships that have not played yet.

        >>> HistoryView.fresh(3).own_last.tolist()
        [[-1], [-1], [-1]]
        """
        m = n_actions if partner_n_actions is None else partner_n_actions
        return cls(
            rounds=np.zeros(n, dtype=np.intp),
            own_last=np.full((n, depth), NO_ACTION, dtype=np.int8),
            partner_last=np.full((n, depth), NO_ACTION, dtype=np.int8),
            own_counts=np.zeros((n, n_actions), dtype=np.intp),
            partner_counts=np.zeros((n, m), dtype=np.intp),
            own_payoff=np.zeros(n),
            partner_payoff=np.zeros(n),
            last_own_payoff=np.zeros(n),
            last_partner_payoff=np.zeros(n),
            state={} if state is None else state,
            n_actions=n_actions,
            partner_n_actions=m,
        )

    @classmethod
    def from_actions(
        cls,
        own: ArrayLike,
        partner: ArrayLike,
        *,
        payoffs: ArrayLike | None = None,
        depth: int | None = None,
        n_actions: int = 2,
        partner_n_actions: int | None = None,
        state: State | None = None,
    ) -> HistoryView:
        """A view built from complete histories, oldest round first.

        Handy for scripted checks and for owners that keep whole histories.

        Args:
            own: the strategy's past actions, shape (n, t) (or (t,) for one relationship).
            partner: the partner's past actions, same shape.
            payoffs: optional payoff table of shape (n_actions, partner_n_actions, 2)
                (own payoff first) used to fill the payoff fields; zeros without it.
            depth: columns of ``own_last`` / ``partner_last`` (default t, at least 1).
            state: the strategy's state arrays (default: none).

        >>> v = HistoryView.from_actions([0, 0, 1], [0, 1, 1])
        >>> v.rounds.tolist(), v.own_last.tolist(), v.partner_counts.tolist()
        ([3], [[1, 0, 0]], [[1, 2]])
        """
        own_a = np.atleast_2d(np.asarray(own, dtype=np.int8))
        par_a = np.atleast_2d(np.asarray(partner, dtype=np.int8))
        if own_a.shape != par_a.shape:
            raise InputError(
                f"history: own actions have shape {own_a.shape} but partner actions "
                f"{par_a.shape}; expected equal shapes (n, rounds)"
            )
        n, t = own_a.shape
        m = n_actions if partner_n_actions is None else partner_n_actions
        k = max(1, t if depth is None else depth)
        view = cls.fresh(n, depth=k, n_actions=n_actions, partner_n_actions=m, state=state)
        view.rounds[:] = t
        cols = min(k, t)
        view.own_last[:, :cols] = own_a[:, ::-1][:, :cols]
        view.partner_last[:, :cols] = par_a[:, ::-1][:, :cols]
        for a in range(n_actions):
            view.own_counts[:, a] = (own_a == a).sum(axis=1)
        for a in range(m):
            view.partner_counts[:, a] = (par_a == a).sum(axis=1)
        if payoffs is not None and t > 0:
            table = np.asarray(payoffs, dtype=float)
            mine = table[own_a, par_a, 0]
            theirs = table[own_a, par_a, 1]
            view.own_payoff[:] = mine.sum(axis=1)
            view.partner_payoff[:] = theirs.sum(axis=1)
            view.last_own_payoff[:] = mine[:, -1]
            view.last_partner_payoff[:] = theirs[:, -1]
        return view


def defect_where(mask: ArrayLike) -> Actions:
    """Actions from a boolean "defect here" mask: :data:`D` where true, :data:`C` elsewhere.

    >>> defect_where([True, False]).tolist()
    [1, 0]
    """
    return np.asarray(mask, dtype=np.bool_).view(np.int8)


def _format_value(value: object) -> str:
    if isinstance(value, float):
        return repr(round(value, 12))
    return repr(value)


class Strategy:
    """Base class of every strategy; subclasses register themselves by ``name``.

    A subclass sets the class attributes below, takes its parameters as keyword-only
    constructor arguments stored under the same attribute names (validated, so that bad
    values raise :class:`~longgame.errors.InputError`), and implements :meth:`decide`.
    Stateful strategies implement :meth:`init_state`; strategies that walk away
    implement :meth:`exit`. Randomness comes only from the ``rng`` argument.

    Class attributes:
        name: registry name, kebab-case (``"tit-for-tat"``). A subclass without its own
            ``name`` is abstract and not registered.
        aliases: other names it is found under (sales names such as ``"fleecer"``).
        description: one line for listings.
        memory_depth: how many past rounds the decision depends on (``math.inf`` for
            unbounded); the contract tests check it is an upper bound.
        stochastic: whether decisions use ``rng``.
        citation: where the strategy comes from.

    >>> class Copycat(Strategy):
    ...     name = "copycat-doc"
    ...     description = "Copies the partner's last action; cooperates first."
    ...     memory_depth = 1
    ...     def decide(self, view, rng):
    ...         return np.where(view.partner_last[:, 0] == D, D, C).astype(np.int8)
    >>> Copycat().decide(HistoryView.from_actions([[0, 0], [0, 0]], [[0, 1], [1, 0]]),
    ...                  np.random.default_rng(0)).tolist()
    [1, 0]
    """

    name: ClassVar[str] = ""
    aliases: ClassVar[tuple[str, ...]] = ()
    description: ClassVar[str] = ""
    memory_depth: ClassVar[float] = math.inf
    stochastic: ClassVar[bool] = False
    citation: ClassVar[str] = ""

    def __init_subclass__(cls, *, replace: bool = False, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("name"):
            from longgame.strategies._registry import register

            register(cls, replace=replace)

    # -- the protocol ---------------------------------------------------------------

    def init_state(self, n: int) -> State:
        """Fresh per-relationship state for ``n`` new relationships (first axis n)."""
        return {}

    def decide(self, view: HistoryView, rng: np.random.Generator) -> Actions:
        """Actions for all ``view.n`` relationships: int array of shape (n,)."""
        raise NotImplementedError(f"{type(self).__name__} must implement decide()")

    def exit(self, view: HistoryView, rng: np.random.Generator) -> NDArray[np.bool_]:
        """Relationships this strategy ends now (called after the round's payoffs).

        The default ends none. An exit ends the relationship for both sides.
        """
        return np.zeros(view.n, dtype=np.bool_)

    def automaton(self) -> Automaton | None:
        """This strategy as an exact finite-state machine, or ``None`` (the default).

        The engine plays strategies that return one in a fused fast path; the answer
        must reproduce :meth:`decide` exactly (same actions, same ``rng`` draws).
        """
        return None

    # -- parameters, identity ---------------------------------------------------------

    @classmethod
    def parameters(cls) -> dict[str, inspect.Parameter]:
        """The constructor's keyword parameters, by name (with defaults and annotations)."""
        sig = inspect.signature(cls.__init__)
        return {
            p.name: p
            for p in sig.parameters.values()
            if p.name != "self" and p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)
        }

    @property
    def params(self) -> dict[str, Any]:
        """This instance's parameter values (what :meth:`clone` passes on)."""
        return {p: getattr(self, p) for p in self.parameters()}

    def clone(self) -> Strategy:
        """A new instance with the same parameters (and no shared mutable state)."""
        return type(self)(**self.params)

    @property
    def exits(self) -> bool:
        """Whether this strategy may end relationships (overrides :meth:`exit`)."""
        return type(self).exit is not Strategy.exit

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={_format_value(v)}" for k, v in self.params.items())
        return f"{type(self).__name__}({args})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Strategy)
        return self.params == other.params

    def __hash__(self) -> int:
        return hash((type(self), tuple(sorted(self.params.items()))))

    # -- helpers for subclasses -------------------------------------------------------

    def _check_number(
        self,
        parameter: str,
        value: object,
        low: float = -math.inf,
        high: float = math.inf,
        *,
        integer: bool = False,
    ) -> float:
        """Validate one numeric parameter; raise :class:`InputError` naming it."""
        kind = "an integer" if integer else "a number"
        if low > -math.inf and high < math.inf:
            expected = f"{kind} in [{low:g}, {high:g}]"
        elif low > -math.inf:
            expected = f"{kind} >= {low:g}"
        elif high < math.inf:
            expected = f"{kind} <= {high:g}"
        else:
            expected = f"a finite {kind[2:] if integer else 'number'}"
        ok_type = isinstance(value, int | float | np.integer | np.floating) and not isinstance(
            value, bool
        )
        number = float(value) if ok_type else math.nan  # type: ignore[arg-type]
        if not ok_type or (integer and math.isfinite(number) and number != round(number)):
            raise InputError(
                f"{self.name}: {parameter}={value!r} is not {kind}; expected {expected}"
            )
        if not (math.isfinite(number) and low <= number <= high):
            raise InputError(
                f"{self.name}: {parameter}={value!r} is out of range; expected {expected}"
            )
        return number


def describe(cls: type[Strategy]) -> dict[str, Any]:
    """Metadata of a strategy class as plain JSON-ready values (used by the CLI)."""
    params: Mapping[str, inspect.Parameter] = cls.parameters()
    return {
        "name": cls.name,
        "aliases": list(cls.aliases),
        "class": f"{cls.__module__}:{cls.__qualname__}",
        "description": cls.description,
        "memory_depth": None if math.isinf(cls.memory_depth) else cls.memory_depth,
        "stochastic": cls.stochastic,
        "exits": cls.exit is not Strategy.exit,
        "citation": cls.citation,
        "parameters": {
            p.name: (None if p.default is inspect.Parameter.empty else p.default)
            for p in params.values()
        },
        "customer_concern": getattr(cls, "customer_concern", None),
        "sale_concern": getattr(cls, "sale_concern", None),
    }
