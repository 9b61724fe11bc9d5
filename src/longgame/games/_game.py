"""The :class:`Game` value object: a finite two-player game in normal form."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from longgame.errors import InputError, closest_names

if TYPE_CHECKING:
    from longgame.games.analysis import MixedEquilibrium

__all__ = ["Game"]


def _fmt(x: float) -> str:
    """A payoff as people write it: ``4`` not ``4.0``, ``0.5`` not ``0.5000``."""
    if math.isfinite(x) and x == round(x) and abs(x) < 1e15:
        return str(round(x))
    return f"{x:.6g}"


@dataclass(frozen=True, eq=False, init=False)
class Game:
    """A two-player game in normal (bimatrix) form, as an immutable value.

    The row player (``players[0]``) chooses among ``actions[0]``, the column player
    (``players[1]``) among ``actions[1]``; ``payoffs[i, j]`` holds the pair
    ``(row payoff, column payoff)`` when row plays action ``i`` and column plays ``j``.

    Two games are equal when their names, players, actions and payoffs are equal, so a
    ``Game`` can be a dictionary key or a set member. The payoff array is a read-only
    float64 copy of what was passed in.

    Args:
        name: a short name, e.g. ``"boxed-pigs"``.
        players: the two players' names, distinct and non-empty.
        actions: one tuple of distinct, non-empty action names per player.
        payoffs: array-like of shape ``(len(actions[0]), len(actions[1]), 2)`` with
            finite numbers.

    Raises:
        InputError: one line per problem when the input is malformed.

    >>> g = Game("coordination", ("ann", "bob"), (("left", "right"), ("left", "right")),
    ...          [[[1, 1], [0, 0]], [[0, 0], [1, 1]]])
    >>> g.row_payoffs
    array([[1., 0.],
           [0., 1.]])
    >>> g.action_index("bob", "right")
    1
    >>> print(g)
    coordination (rows: ann, columns: bob)
             left    right
    left     1, 1     0, 0
    right    0, 0     1, 1
    """

    name: str
    players: tuple[str, str]
    actions: tuple[tuple[str, ...], tuple[str, ...]]
    payoffs: NDArray[np.float64]

    def __init__(
        self,
        name: str,
        players: Sequence[str],
        actions: Sequence[Sequence[str]],
        payoffs: ArrayLike,
    ) -> None:
        problems: list[str] = []
        label = name if isinstance(name, str) and name else "game"
        if not isinstance(name, str) or not name.strip():
            problems.append(f"game name {name!r} is invalid; expected a non-empty string")
        players_t = tuple(players)
        if len(players_t) != 2 or not all(isinstance(p, str) and p for p in players_t):
            problems.append(
                f"{label}: players={players_t!r} is invalid; expected two non-empty strings"
            )
        elif players_t[0] == players_t[1]:
            problems.append(
                f"{label}: players={players_t!r} repeat a name; expected two distinct names"
            )
        actions_t = tuple(tuple(a) for a in actions)
        if len(actions_t) != 2:
            problems.append(
                f"{label}: actions has {len(actions_t)} entries; expected one tuple per player (2)"
            )
        else:
            for who, acts in zip(("row", "column"), actions_t, strict=True):
                if not acts:
                    problems.append(f"{label}: the {who} player has no actions; expected >= 1")
                elif not all(isinstance(a, str) and a for a in acts):
                    problems.append(
                        f"{label}: {who} actions {acts!r} are invalid; expected non-empty strings"
                    )
                elif len(set(acts)) != len(acts):
                    problems.append(
                        f"{label}: {who} actions {acts!r} repeat a name; expected distinct names"
                    )
        try:
            array = np.array(payoffs, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            problems.append(f"{label}: payoffs are not a numeric array ({exc})")
            array = np.zeros((0, 0, 2))
        if not problems:
            expected = (len(actions_t[0]), len(actions_t[1]), 2)
            if array.shape != expected:
                problems.append(
                    f"{label}: payoffs have shape {array.shape}; expected {expected} "
                    "(row actions, column actions, 2 players)"
                )
            elif not np.all(np.isfinite(array)):
                bad = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
                problems.append(
                    f"{label}: payoffs{list(bad)}={array[bad]} is not finite; "
                    "expected finite numbers"
                )
        if problems:
            raise InputError(*problems)
        array = array + 0.0  # own copy; also turns -0.0 into 0.0 so equal games hash equal
        array.setflags(write=False)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "players", (players_t[0], players_t[1]))
        object.__setattr__(self, "actions", (actions_t[0], actions_t[1]))
        object.__setattr__(self, "payoffs", array)

    @classmethod
    def from_matrices(
        cls,
        name: str,
        players: Sequence[str],
        actions: Sequence[Sequence[str]],
        row_payoffs: ArrayLike,
        col_payoffs: ArrayLike,
    ) -> Game:
        """Build a game from the row player's and the column player's payoff matrices."""
        A = np.asarray(row_payoffs, dtype=np.float64)
        B = np.asarray(col_payoffs, dtype=np.float64)
        if A.shape != B.shape or A.ndim != 2:
            raise InputError(
                f"{name}: payoff matrices have shapes {A.shape} and {B.shape}; "
                "expected two 2-d arrays of the same shape"
            )
        return cls(name, players, actions, np.stack([A, B], axis=-1))

    # value semantics -------------------------------------------------------------
    def _key(self) -> tuple[Any, ...]:
        return (self.name, self.players, self.actions, self.payoffs.shape, self.payoffs.tobytes())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Game):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (
            f"Game(name={self.name!r}, players={self.players!r}, actions={self.actions!r}, "
            f"payoffs={self.payoffs.tolist()!r})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (Game, (self.name, self.players, self.actions, self.payoffs.tolist()))

    # views ------------------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, int]:
        """Number of actions of the row and the column player."""
        return (len(self.actions[0]), len(self.actions[1]))

    @property
    def row_payoffs(self) -> NDArray[np.float64]:
        """The row player's payoff matrix ``A`` (read-only view)."""
        return self.payoffs[:, :, 0]

    @property
    def col_payoffs(self) -> NDArray[np.float64]:
        """The column player's payoff matrix ``B`` (read-only view)."""
        return self.payoffs[:, :, 1]

    def player_index(self, player: str | int) -> int:
        """Position (0 = row, 1 = column) of ``player``, given by name or index."""
        if isinstance(player, int) and not isinstance(player, bool) and player in (0, 1):
            return player
        if player in self.players:
            return self.players.index(str(player))
        hint = closest_names(str(player), self.players)
        raise InputError(
            f"{self.name}: unknown player {player!r}; expected one of "
            f"{', '.join(self.players)}" + (f" ({hint})" if hint else "")
        )

    def action_index(self, player: str | int, action: str) -> int:
        """Index of ``action`` among ``player``'s actions (player by name or 0/1)."""
        p = self.player_index(player)
        acts = self.actions[p]
        if action in acts:
            return acts.index(action)
        hint = closest_names(action, acts)
        raise InputError(
            f"{self.name}: unknown action {action!r} for {self.players[p]}; expected one of "
            f"{', '.join(acts)}" + (f" ({hint})" if hint else "")
        )

    def __str__(self) -> str:
        return self.table()

    def table(self, marks: Sequence[tuple[str, str]] = ()) -> str:
        """The payoff table as text; cells whose profile is in ``marks`` get a ``*``."""
        marked = set(marks)
        rows, cols = self.actions
        cells = [
            [
                f"{_fmt(self.payoffs[i, j, 0])}, {_fmt(self.payoffs[i, j, 1])}"
                + ("*" if (r, c) in marked else "")
                for j, c in enumerate(cols)
            ]
            for i, r in enumerate(rows)
        ]
        head_w = max(len(r) for r in rows)
        col_w = max([len(c) for c in cols] + [len(x) for line in cells for x in line]) + 4
        lines = [f"{self.name} (rows: {self.players[0]}, columns: {self.players[1]})"]
        lines.append(" " * head_w + "".join(c.rjust(col_w) for c in cols))
        for r, line in zip(rows, cells, strict=True):
            lines.append(r.ljust(head_w) + "".join(x.rjust(col_w) for x in line))
        return "\n".join(line.rstrip() for line in lines)

    def _repr_html_(self) -> str:
        """For notebooks: the payoff table (row player's payoff first), pure Nash
        equilibria in bold."""
        import html

        marked = set(self.pure_equilibria())
        rows, cols = self.actions
        esc = html.escape
        head = "".join(f"<th>{esc(c)}</th>" for c in cols)
        body = ""
        for i, r in enumerate(rows):
            cells = ""
            for j, c in enumerate(cols):
                text = f"{_fmt(self.payoffs[i, j, 0])}, {_fmt(self.payoffs[i, j, 1])}"
                cells += f"<td><b>{text}</b></td>" if (r, c) in marked else f"<td>{text}</td>"
            body += f"<tr><th>{esc(r)}</th>{cells}</tr>"
        caption = (
            f"{esc(self.name)}: rows {esc(self.players[0])}, columns {esc(self.players[1])}"
            "; pure Nash equilibria in bold"
        )
        return f"<table><caption>{caption}</caption><tr><th></th>{head}</tr>{body}</table>"

    # analysis (delegates to longgame.games.analysis) ---------------------------------
    def pure_equilibria(self) -> list[tuple[str, str]]:
        """Pure Nash equilibria; see :func:`longgame.games.analysis.pure_equilibria`."""
        from longgame.games.analysis import pure_equilibria

        return pure_equilibria(self)

    def mixed_equilibria(self) -> list[MixedEquilibrium]:
        """Extreme Nash equilibria; see :func:`longgame.games.analysis.mixed_equilibria`."""
        from longgame.games.analysis import mixed_equilibria

        return mixed_equilibria(self)

    def dominated_actions(self, strict: bool = True) -> dict[str, tuple[str, ...]]:
        """Dominated actions; see :func:`longgame.games.analysis.dominated_actions`."""
        from longgame.games.analysis import dominated_actions

        return dominated_actions(self, strict=strict)

    def is_zero_sum(self) -> bool:
        """Whether payoffs sum to zero in every cell."""
        from longgame.games.analysis import is_zero_sum

        return is_zero_sum(self)
