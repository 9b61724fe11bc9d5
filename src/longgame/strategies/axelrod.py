"""Axelrod's strategies as longgame strategies (``pip install 'longgame[axelrod]'``).

The `Axelrod library <https://axelrod.readthedocs.io>`_ (Knight et al. 2016) implements
about 240 strategies of the iterated prisoner's dilemma. Any of them plays in longgame's
tournaments and in the market, named ``"axelrod:Tit For Tat"`` (Axelrod's own name,
spaces and capitals as Axelrod writes them) wherever a strategy name is accepted, or given
as the class or an instance (``axelrod.TitForTat``):

>>> from longgame.strategies import get_strategy
>>> get_strategy("axelrod:Tit For Tat")  # doctest: +SKIP
AxelrodTitForTat()

Each Axelrod strategy becomes a longgame strategy class (made once, on first use) whose
metadata come from Axelrod's classifier: ``memory_depth``, ``stochastic``; its registry
name is ``axelrod-`` plus the name in kebab case (``axelrod-tit-for-tat``).

**It is slower.** Axelrod's players decide one relationship at a time, so the adapter
keeps one Axelrod player (and a stand-in for its partner) per relationship and makes a
Python call per relationship per round, feeding each player the last round's actions
from the history view. Expect roughly 10^4-10^5 relationship-rounds per second instead
of longgame's 10^7; longgame's own built-ins stay vectorised. Use Axelrod's strategies
for tournaments and small markets.

Limits: two-action games only (action 0 = Axelrod's C, 1 = D). Strategies that read the
match length are told it is unknown (``-1``), as in a match with a random end; strategies
that read the game see Axelrod's default prisoner's dilemma (R, P, S, T) = (3, 1, 0, 5).
Stochastic players are seeded from the ``rng`` longgame passes, one seed per
relationship when it starts. Strategies that inspect or change their opponent's source
or state (Axelrod's "cheaters") are refused: the partner here is a stand-in.

Reference: Knight, V., Campbell, O., Harper, M. et al. (2016). An open framework for the
reproducible study of the iterated prisoner's dilemma. *Journal of Open Research
Software* 4(1), e35.
"""

from __future__ import annotations

import math
import re
import warnings
from typing import Any, ClassVar

import numpy as np

from longgame.errors import InputError, closest_names
from longgame.strategies._base import Actions, HistoryView, State, Strategy

__all__ = ["PREFIX", "AxelrodStrategy", "axelrod_strategy", "is_axelrod_player"]

#: Prefix of a strategy name that names one of Axelrod's strategies.
PREFIX = "axelrod:"

_CITATION = (
    "Knight, V. et al. (2016). An open framework for the reproducible study of the "
    "iterated prisoner's dilemma. Journal of Open Research Software 4(1), e35."
)
_CLASSES: dict[str, type[AxelrodStrategy]] = {}


def _axelrod() -> Any:
    try:
        with warnings.catch_warnings():  # axelrod 4.13 imports the deprecated pkg_resources
            warnings.simplefilter("ignore")
            import axelrod
    except ImportError as exc:  # pragma: no cover - the extra is not installed
        raise InputError(
            "axelrod strategies need the Axelrod library; expected it installed: "
            "pip install 'longgame[axelrod]'"
        ) from exc
    return axelrod


def is_axelrod_player(obj: object) -> bool:
    """Whether ``obj`` is an Axelrod player class or instance (checked without importing)."""
    cls = obj if isinstance(obj, type) else type(obj)
    return cls.__module__.split(".")[0] == "axelrod" and any(
        base.__name__ == "Player" for base in cls.__mro__
    )


def _player_class(player: str | type | object) -> Any:
    axl = _axelrod()
    if isinstance(player, str):
        wanted = player.removeprefix(PREFIX).strip()
        by_name = {cls.name: cls for cls in axl.all_strategies}
        by_name.update({cls.__name__: cls for cls in axl.all_strategies})
        found = by_name.get(wanted)
        if found is None:
            folded = {k.lower(): v for k, v in by_name.items()}
            found = folded.get(wanted.lower())
        if found is None:
            hint = closest_names(wanted, sorted(cls.name for cls in axl.all_strategies))
            raise InputError(
                f"strategy {PREFIX}{wanted!r} is not one of Axelrod's strategies; expected a "
                "name from axelrod.all_strategies, e.g. 'axelrod:Tit For Tat'"
                + (f" ({hint})" if hint else "")
            )
        return found
    cls = player if isinstance(player, type) else type(player)
    if not issubclass(cls, axl.Player):
        raise InputError(f"strategy {player!r} is not an Axelrod player")
    return cls


def _kebab(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "player"


def axelrod_strategy(player: str | type | object) -> type[AxelrodStrategy]:
    """The longgame strategy class for one of Axelrod's strategies (made once per name).

    ``player`` is Axelrod's name (``"Tit For Tat"``, with or without ``"axelrod:"``,
    case-insensitive), its class name (``"TitForTat"``), or the class or an instance.
    """
    axl_cls = _player_class(player)
    key = axl_cls.__name__
    if key in _CLASSES:
        return _CLASSES[key]
    sample = axl_cls()
    classifier = _axelrod().Classifiers
    cheats = [
        c
        for c in ("inspects_source", "manipulates_source", "manipulates_state")
        if classifier[c](sample)
    ]
    if cheats:
        raise InputError(
            f"strategy {PREFIX}{axl_cls.name}: it {', '.join(cheats)} of its opponent, which "
            "the adapter cannot offer; expected a strategy that only reads the history"
        )
    depth = classifier["memory_depth"](sample)
    memory = math.inf if depth is None or depth == float("inf") else int(depth)
    name = "axelrod-" + _kebab(axl_cls.name)
    if any(c.name == name for c in _CLASSES.values()):
        name = "axelrod-" + _kebab(key)
    attrs: dict[str, Any] = {
        "__module__": __name__,
        "__doc__": f"Axelrod's {axl_cls.name!r} ({axl_cls.__module__}.{key}), adapted.",
        "name": name,
        "description": f"Axelrod's {axl_cls.name!r}, one Python call per relationship (slower)",
        "memory_depth": memory,
        "stochastic": bool(classifier["stochastic"](sample)),
        "citation": _CITATION,
        "player": axl_cls.name,
        "_player_class": axl_cls,
    }
    cls = type(f"Axelrod{key}", (AxelrodStrategy,), attrs)
    _CLASSES[key] = cls
    return cls


def _make(player: str) -> AxelrodStrategy:
    return axelrod_strategy(player)()


def __getattr__(name: str) -> Any:
    # the adapted classes are importable by reference (``AxelrodTitForTat``), so they
    # pickle and reach worker processes like any module-level class
    if name.startswith("Axelrod") and name != "AxelrodStrategy":
        try:
            return axelrod_strategy(name.removeprefix("Axelrod"))
        except InputError:
            pass
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class AxelrodStrategy(Strategy):
    """Base of the adapted Axelrod strategies; use :func:`axelrod_strategy` or the
    ``"axelrod:Name"`` strategy name to get one.

    Per relationship the state holds an Axelrod player and a stand-in partner whose
    histories are fed the last round's actions (``own_last[:, 0]``,
    ``partner_last[:, 0]``) before each decision, so each player sees exactly the match
    Axelrod's own ``Match`` would show it.
    """

    #: Axelrod's name of the adapted strategy
    player: ClassVar[str] = ""
    _player_class: ClassVar[type]

    def __reduce__(self) -> tuple[Any, ...]:
        return (_make, (self.player,))

    def init_state(self, n: int) -> State:
        """One empty slot per relationship; the Axelrod pair is made at its first round."""
        return {"axelrod": np.full(n, None, dtype=object)}

    def _pair(self, rng: np.random.Generator) -> tuple[Any, Any]:
        axl = _axelrod()
        me = self._player_class()
        them = axl.Player()
        for p in (me, them):
            p.set_match_attributes(length=-1, game=axl.DefaultGame, noise=0)
        if self.stochastic:
            me.set_seed(int(rng.integers(2**31 - 1)))
        return me, them

    def decide(self, view: HistoryView, rng: np.random.Generator) -> Actions:
        """Each relationship's Axelrod player decides, after seeing the last round."""
        if view.n_actions != 2 or view.partner_n_actions != 2:
            raise InputError(
                f"strategy {self.name}: Axelrod's strategies play two-action games; got "
                f"{view.n_actions} x {view.partner_n_actions} actions"
            )
        axl = _axelrod()
        moves = (axl.Action.C, axl.Action.D)
        defect = axl.Action.D
        if "axelrod" not in view.state:
            view.state["axelrod"] = np.full(view.n, None, dtype=object)
        pairs = view.state["axelrod"]
        own, partner, rounds = view.own_last, view.partner_last, view.rounds.tolist()
        out = np.zeros(view.n, dtype=np.int8)
        for i in range(view.n):
            pair = pairs[i]
            if pair is None or len(pair[0].history) > rounds[i]:
                pair = pairs[i] = self._pair(rng)
            me, them = pair
            # the rounds played since the last decision, oldest first (normally one)
            for k in range(min(rounds[i] - len(me.history), view.depth) - 1, -1, -1):
                a, b = moves[own[i, k]], moves[partner[i, k]]
                me.update_history(a, b)
                them.update_history(b, a)
            out[i] = me.strategy(them) == defect
        return out
