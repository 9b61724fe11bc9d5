"""The classic repeated prisoner's dilemma strategies, under their own names.

Each decides for a batch of relationships with a few numpy operations. Actions: 0 =
cooperate (:data:`~longgame.strategies.C`), 1 = defect (:data:`~longgame.strategies.D`);
in sales terms, deal fair / fleece. Sales names are aliases (``fair-dealer``,
``fleecer``, ``reciprocator``).

References:
    Axelrod, R. (1984). *The Evolution of Cooperation*. Basic Books.
    Nowak, M. & Sigmund, K. (1992). Tit for tat in heterogeneous populations.
    *Nature* 355, 250-253.
    Nowak, M. & Sigmund, K. (1993). A strategy of win-stay, lose-shift that outperforms
    tit-for-tat in the Prisoner's Dilemma game. *Nature* 364, 56-58.
    Case, N. (2017). *The Evolution of Trust* (interactive essay), https://ncase.me/trust/.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from numpy.typing import NDArray

from longgame.strategies._automaton import Automaton, unchanged
from longgame.strategies._base import C, D, HistoryView, State, Strategy, defect_where

__all__ = [
    "Alternator",
    "AlwaysCooperate",
    "AlwaysDefect",
    "GenerousTitForTat",
    "Grudger",
    "Prober",
    "Random",
    "TitForTat",
    "TitForTwoTats",
    "WinStayLoseShift",
]

_AXELROD = "Axelrod, R. (1984). The Evolution of Cooperation. Basic Books."

# next-state rows of the automata, indexed by 2 * own + partner (0 = C, 1 = D)
_STAY = (0, 0, 0, 0)
_PARTNER = (0, 1, 0, 1)  # the state is the partner's last action
_ALLC = Automaton((1.0,), (_STAY,))
_ALLD = Automaton((0.0,), (_STAY,))


class AlwaysCooperate(Strategy):
    """Always cooperates: the unconditional fair dealer (sales grid 1.9 behaves so too).

    Source: the ALL C strategy of Axelrod (1984), *The Evolution of Cooperation*.
    """

    name = "always-cooperate"
    aliases: ClassVar[tuple[str, ...]] = ("fair-dealer", "allc", "cooperator")
    description = "Always cooperates (deals fair), whatever the partner does."
    memory_depth = 0
    citation = _AXELROD

    def decide(self, view: HistoryView, rng: np.random.Generator) -> NDArray[np.int8]:
        return np.zeros(view.n, dtype=np.int8)

    def automaton(self) -> Automaton | None:
        return _ALLC if unchanged(self, AlwaysCooperate) else None


class AlwaysDefect(Strategy):
    """Always defects: the one-shot fleecer, who takes every time.

    Source: the ALL D strategy of Axelrod (1984); the "pure taker" (纯索取者) of the
    source documents (seeds/000).
    """

    name = "always-defect"
    aliases: ClassVar[tuple[str, ...]] = ("fleecer", "alld", "defector", "taker")
    description = "Always defects (fleeces), whatever the partner does."
    memory_depth = 0
    citation = _AXELROD

    def decide(self, view: HistoryView, rng: np.random.Generator) -> NDArray[np.int8]:
        return np.ones(view.n, dtype=np.int8)

    def automaton(self) -> Automaton | None:
        return _ALLD if unchanged(self, AlwaysDefect) else None


class TitForTat(Strategy):
    """Cooperates first, then copies the partner's last action.

    Source: Rapoport's entry, winner of both of Axelrod's tournaments (Axelrod 1984).
    The sales "reciprocator": fair to the fair, tough on the taker.
    """

    name = "tit-for-tat"
    aliases = ("reciprocator", "tft", "copycat")
    description = "Cooperates first, then copies the partner's last action."
    memory_depth = 1
    citation = _AXELROD

    def decide(self, view: HistoryView, rng: np.random.Generator) -> NDArray[np.int8]:
        return defect_where(view.partner_last[:, 0] == D)

    def automaton(self) -> Automaton | None:
        # state = the partner's last action
        return Automaton((1.0, 0.0), (_PARTNER, _PARTNER)) if unchanged(self, TitForTat) else None


class Grudger(Strategy):
    """Cooperates until the partner defects once, then defects for ever (grim trigger).

    Source: Friedman, J. W. (1971). A non-cooperative equilibrium for supergames.
    *Review of Economic Studies* 38, 1-12; "Grudger" in Axelrod (1984) and Case (2017).
    """

    name = "grudger"
    aliases = ("grim-trigger", "grim")
    description = "Cooperates until the partner defects once, then always defects."
    memory_depth = float("inf")
    citation = (
        "Friedman, J. W. (1971). A non-cooperative equilibrium for supergames. "
        "Review of Economic Studies 38, 1-12."
    )

    def decide(self, view: HistoryView, rng: np.random.Generator) -> NDArray[np.int8]:
        return defect_where(view.partner_counts[:, D] > 0)

    def automaton(self) -> Automaton | None:
        # state 1 = the partner has defected at least once
        auto = Automaton((1.0, 0.0), (_PARTNER, (1, 1, 1, 1)))
        return auto if unchanged(self, Grudger) else None


class WinStayLoseShift(Strategy):
    """Pavlov: cooperates first, then cooperates exactly when both played alike last round.

    Equivalently: repeat the last action after a "win" (partner cooperated), switch after
    a "loss" (partner defected). Corrects mistakes under noise, unlike tit for tat.
    Source: Nowak & Sigmund (1993), *Nature* 364, 56-58.
    """

    name = "win-stay-lose-shift"
    aliases = ("pavlov", "wsls")
    description = "Repeats its action after the partner cooperated, switches otherwise."
    memory_depth = 1
    citation = (
        "Nowak, M. & Sigmund, K. (1993). A strategy of win-stay, lose-shift that "
        "outperforms tit-for-tat in the Prisoner's Dilemma game. Nature 364, 56-58."
    )

    def decide(self, view: HistoryView, rng: np.random.Generator) -> NDArray[np.int8]:
        own = view.own_last[:, 0]
        partner = view.partner_last[:, 0]
        return defect_where((own != partner) & (own >= 0))

    def automaton(self) -> Automaton | None:
        # state 1 = the two actions differed last round
        differ = (0, 1, 1, 0)
        return (
            Automaton((1.0, 0.0), (differ, differ)) if unchanged(self, WinStayLoseShift) else None
        )


class TitForTwoTats(Strategy):
    """Defects only after the partner defected in each of the last two rounds.

    Source: the TIT FOR TWO TATS entry sent by Maynard Smith to Axelrod's second
    tournament (Axelrod 1984); forgiving of a single mistake.
    """

    name = "tit-for-two-tats"
    aliases = ("tf2t",)
    description = "Defects only if the partner defected in both of the last two rounds."
    memory_depth = 2
    citation = _AXELROD

    def decide(self, view: HistoryView, rng: np.random.Generator) -> NDArray[np.int8]:
        last = view.partner_last
        if last.shape[1] < 2:
            return np.zeros(view.n, dtype=np.int8)
        return defect_where((last[:, 0] == D) & (last[:, 1] == D))

    def automaton(self) -> Automaton | None:
        # state = the partner's trailing defections, capped at 2
        auto = Automaton((1.0, 1.0, 0.0), (_PARTNER, (0, 2, 0, 2), (0, 2, 0, 2)), depth=2)
        return auto if unchanged(self, TitForTwoTats) else None


class GenerousTitForTat(Strategy):
    """Tit for tat that forgives a defection with probability ``generosity``.

    Nowak & Sigmund (1992) show that generosity up to
    ``min(1 - (T - R)/(R - S), (R - P)/(T - P))`` (1/3 for T, R, P, S = 5, 3, 1, 0) keeps
    cooperation stable while recovering from mistakes under noise.

    Args:
        generosity: probability of cooperating after the partner defected, in [0, 1].
    """

    name = "generous-tit-for-tat"
    aliases = ("gtft", "generous")
    description = "Tit for tat that forgives a defection with probability generosity."
    memory_depth = 1
    stochastic = True
    citation = (
        "Nowak, M. & Sigmund, K. (1992). Tit for tat in heterogeneous populations. "
        "Nature 355, 250-253."
    )

    def __init__(self, *, generosity: float = 0.1) -> None:
        self.generosity = self._check_number("generosity", generosity, 0.0, 1.0)

    def decide(self, view: HistoryView, rng: np.random.Generator) -> NDArray[np.int8]:
        forgive = rng.random(view.n) < self.generosity
        return defect_where((view.partner_last[:, 0] == D) & ~forgive)

    def automaton(self) -> Automaton | None:
        # draws every round; after a defection cooperates with probability generosity
        auto = Automaton((1.0, self.generosity), (_PARTNER, _PARTNER), stochastic=True)
        return auto if unchanged(self, GenerousTitForTat) else None


class Prober(Strategy):
    """Case's Detective: opens C, D, C, C, then decides what kind of partner it faces.

    If the partner defected at all in the first four rounds (in any of them, the fourth
    included), it switches to tit for tat from round five on. If the partner cooperated
    in all four, it defects for the rest of the match: a partner that does not hit back
    can be exploited.

    Source: "Detective" in Case (2017), *The Evolution of Trust*; a relative of Prober
    in Axelrod's second tournament (Axelrod 1984).
    """

    name = "prober"
    aliases = ("detective",)
    description = "Opens C, D, C, C; then tit for tat if the partner retaliated, else defects."
    memory_depth = float("inf")
    citation = "Case, N. (2017). The Evolution of Trust. https://ncase.me/trust/"

    _OPENING: ClassVar[NDArray[np.int8]] = np.array([C, D, C, C], dtype=np.int8)

    def init_state(self, n: int) -> State:
        return {"retaliated": np.zeros(n, dtype=np.bool_)}

    def decide(self, view: HistoryView, rng: np.random.Generator) -> NDArray[np.int8]:
        rounds = view.rounds
        retaliated = view.state["retaliated"]
        partner_defected = view.partner_last[:, 0] == D
        if rounds.size and rounds.min() > 4:  # past the probe everywhere (the usual case)
            return defect_where(partner_defected | ~retaliated)
        retaliated |= (rounds <= 4) & partner_defected
        later = partner_defected | ~retaliated
        opening = self._OPENING[np.minimum(rounds, 3)]
        return np.where(rounds < 4, opening, later.view(np.int8)).astype(np.int8, copy=False)

    def automaton(self) -> Automaton | None:
        # states: 0 round 0; 1/2 round 1 (2: the partner defected so far); 3/4 round 2;
        # 5/6 round 3; then 7/8 tit for tat (the partner's last action), 9 defect for ever
        auto = Automaton(
            (1.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0),
            (
                (1, 2, 1, 2),
                (3, 4, 3, 4),
                (4, 4, 4, 4),
                (5, 6, 5, 6),
                (6, 6, 6, 6),
                (9, 8, 9, 8),
                (7, 8, 7, 8),
                (7, 8, 7, 8),
                (7, 8, 7, 8),
                (9, 9, 9, 9),
            ),
        )
        return auto if unchanged(self, Prober) else None


class Random(Strategy):
    """Cooperates with probability ``p`` each round, independently of everything.

    Source: RANDOM, the baseline entry of Axelrod's first tournament (Axelrod 1984).

    Args:
        p: probability of cooperating in a round, in [0, 1].
    """

    name = "random"
    aliases = ("coin-flip",)
    description = "Cooperates with probability p each round, ignoring the partner."
    memory_depth = 0
    stochastic = True
    citation = _AXELROD

    def __init__(self, *, p: float = 0.5) -> None:
        self.p = self._check_number("p", p, 0.0, 1.0)

    def decide(self, view: HistoryView, rng: np.random.Generator) -> NDArray[np.int8]:
        return defect_where(rng.random(view.n) >= self.p)

    def automaton(self) -> Automaton | None:
        auto = Automaton((self.p,), (_STAY,), stochastic=True)
        return auto if unchanged(self, Random) else None


class Alternator(Strategy):
    """Cooperates, then alternates: C, D, C, D, ... whatever the partner does.

    Source: the Alternator of the Axelrod Python library (Knight et al. 2016, *Journal of
    Open Research Software* 4(1), e35); a standard scripted opponent in textbook checks.
    """

    name = "alternator"
    aliases = ()
    description = "Plays C, D, C, D, ... regardless of the partner."
    memory_depth = 1
    citation = (
        "Knight, V. et al. (2016). An open reproducible framework for the study of the "
        "iterated prisoner's dilemma. Journal of Open Research Software 4(1), e35."
    )

    def decide(self, view: HistoryView, rng: np.random.Generator) -> NDArray[np.int8]:
        return defect_where(view.own_last[:, 0] == C)

    def automaton(self) -> Automaton | None:
        # state 1 = cooperated last round
        played_c = (1, 1, 0, 0)
        return Automaton((1.0, 0.0), (played_c, played_c)) if unchanged(self, Alternator) else None
