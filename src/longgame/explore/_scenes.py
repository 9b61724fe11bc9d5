"""The story in six scenes, and the captions each scene computes from its run.

A scene sets the controls and picks the model; its caption is a function of the model
as it stands (the numbers of the run so far, and where a scene compares, of a twin run
with one knob changed), so it says what this run shows, whichever way it came out.
The order follows the argument of the source documents (``shared/seeds/``): fleecing
pays when nobody comes back (1); it stops paying past the break-even return rate (2);
sooner when customers talk, Girard's law of 250 (3); takers exhaust partners unless a
stop-loss line limits the loss (4); in the boxed pigs the big firm pays to educate the
market (5); and among strategies in a population, Case's *The Evolution of Trust* (6).

>>> m = ExploreMarket(one_shot=True, customers=600, seed=2)
>>> m.run_for(20)
>>> print(SCENES[0].caption(m))  # doctest: +ELLIPSIS
With no return and no recognition, fleecing pays: after 20 periods a fleecer has made ...
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from longgame.explore._models import (
    CASE_STRATEGIES,
    FLEECER,
    ExploreLearning,
    ExploreMarket,
    ExploreTournament,
)

__all__ = [
    "KNOBS",
    "SCENES",
    "Crossover",
    "Knob",
    "Scene",
    "crossover",
    "display_name",
]

# what a trainer calls each group (registry name -> plural, singular)
_NAMES: dict[str, tuple[str, str]] = {
    "always-defect": ("fleecers", "a fleecer"),
    "always-cooperate": ("fair dealers", "a fair dealer"),
    "tit-for-tat": ("reciprocators", "a reciprocator"),
    "big": ("big firms", "a big firm"),
    "small": ("small firms", "a small firm"),
}

# Case's names for his eight characters (The Evolution of Trust)
_CASE_NAMES: dict[str, str] = dict(
    zip(
        CASE_STRATEGIES,
        ("copycat", "always cooperate", "always cheat", "grudger", "detective",
         "copykitten", "simpleton", "random"),
        strict=True,
    )
)  # fmt: skip


def display_name(group: str, *, case: bool = False, singular: bool = False) -> str:
    """A group as the page says it: ``"always-defect"`` -> ``"fleecers"``.

    >>> display_name("tit-for-tat"), display_name("tit-for-tat", case=True)
    ('reciprocators', 'copycat')
    """
    if case:
        return _CASE_NAMES.get(group, group.replace("-", " "))
    pair = _NAMES.get(group)
    if pair is None:
        return group.replace("-", " ")
    return pair[1] if singular else pair[0]


@dataclass(frozen=True)
class Crossover:
    """Where the fleecers stand against the best other group, period by period.

    ``lead`` is the fleecers' cumulative profit per seller minus the best other group's
    (NaN-free; 0 where either is missing); ``last_ahead`` the last period (1-based) with
    a positive lead, 0 if never; ``ahead_now`` whether the lead is positive now.
    """

    lead: NDArray[np.float64]
    last_ahead: int
    ahead_now: bool
    rival: int

    @property
    def crossed(self) -> bool:
        """Fleecers were ahead once and are behind now."""
        return self.last_ahead > 0 and not self.ahead_now


def crossover(cumulative: NDArray[np.float64], groups: list[str]) -> Crossover | None:
    """The crossover of a (steps, groups) cumulative-profit array; None without both
    fleecers and another group.

    >>> cum = np.array([[2.0, 1.0], [3.0, 4.0], [3.5, 8.0]])
    >>> c = crossover(cum, ["always-defect", "always-cooperate"])
    >>> c.last_ahead, c.ahead_now, c.crossed, c.lead.tolist()
    (1, False, True, [1.0, -1.0, -4.5])
    """
    if FLEECER not in groups or len(groups) < 2:
        return None
    f = groups.index(FLEECER)
    others = [g for g in range(len(groups)) if g != f]
    cum = np.nan_to_num(np.asarray(cumulative, dtype=np.float64))
    if cum.shape[0] == 0:
        return Crossover(np.zeros(0), 0, False, others[0])
    rival_now = others[int(np.argmax(cum[-1, others]))]
    lead = cum[:, f] - cum[:, others].max(axis=1)
    ahead = np.flatnonzero(lead > 0)
    return Crossover(
        lead=lead,
        last_ahead=int(ahead[-1]) + 1 if ahead.size else 0,
        ahead_now=bool(lead[-1] > 0),
        rival=rival_now,
    )


# ---------------------------------------------------------------------------------------
# knobs


@dataclass(frozen=True)
class Knob:
    """One control: a slider (``low``..``high`` by ``step``), a checkbox or a choice."""

    label: str
    low: float = 0
    high: float = 1
    step: float = 1
    kind: str = "slider"  # "slider" | "checkbox" | "select"
    choices: tuple[str, ...] = ()


#: the controls of each kind of scene, by the model's keyword
KNOBS: dict[str, dict[str, Knob]] = {
    "market": {
        "repeat": Knob("Come-back probability", 0.0, 0.99, 0.01),
        "reach": Knob("Word-of-mouth reach", 0, 250, 5),
        "fleecers": Knob("Fleecers", 0, 6, 1),
        "fair_dealers": Knob("Fair dealers", 0, 6, 1),
        "reciprocators": Knob("Reciprocators", 0, 6, 1),
        "takers": Knob("Share of takers", 0.0, 0.6, 0.05),
        "stop_loss_on": Knob("Stop-loss line on", kind="checkbox"),
        "stop_loss": Knob("Stop-loss line (money)", 0.0, 10.0, 0.5),
        "customers": Knob("Customers", 300, 10000, 100),
        "noise": Knob("Deal noise (money)", 0.0, 1.5, 0.05),
        "seed": Knob("Seed", 1, 100, 1),
    },
    "learning": {
        "food": Knob("Food (market size)", 4, 20, 1),
        "press_cost": Knob("Cost of pressing", 0.0, 10.0, 0.5),
        "rule": Knob(
            "Learning rule",
            kind="select",
            choices=("roth-erev", "fictitious-play", "imitation"),
        ),
        "firms": Knob("Firms of each size", 20, 1000, 20),
        "seed": Knob("Seed", 1, 100, 1),
    },
    "tournament": {
        "rounds": Knob("Rounds per match", 1, 30, 1),
        "noise": Knob("Mistakes", 0.0, 0.5, 0.01),
        "benefit": Knob("Benefit of cooperating", 1.5, 6.0, 0.5),
        "cost": Knob("Cost of cooperating", 0.25, 1.25, 0.25),
        "replace": Knob("Replaced per generation", 1, 12, 1),
        "seed": Knob("Seed", 1, 100, 1),
    },
}

_MARKET_CONTROLS = tuple(KNOBS["market"])


# ---------------------------------------------------------------------------------------
# captions


def _money(x: float) -> str:
    return f"{x:,.0f}"


def _standing(m: ExploreMarket) -> tuple[int, NDArray[np.float64], Crossover | None]:
    cum = m.series("cumulative_profit")
    return cum.shape[0], cum, crossover(cum, m.groups)


def _race(m: ExploreMarket) -> str:
    """Fleecers against the best other group, in words."""
    t, cum, c = _standing(m)
    if c is None:
        best = int(np.nanargmax(cum[-1]))
        return (
            f"after {t} periods {display_name(m.groups[best], singular=True)} leads with "
            f"{_money(cum[-1, best])} per seller"
        )
    f = m.groups.index(FLEECER)
    rival = display_name(m.groups[c.rival], singular=True)
    fv, rv = _money(cum[-1, f]), _money(cum[-1, c.rival])
    if c.ahead_now:
        return f"fleecers are ahead after {t} periods ({fv} per seller against {rival}'s {rv})"
    if c.crossed:
        return (
            f"fleecers were ahead until period {c.last_ahead}; after {t} periods a fleecer "
            f"has {fv} against {rival}'s {rv}"
        )
    return f"fleecers were never ahead ({fv} per seller against {rival}'s {rv} after {t} periods)"


def _waiting(m: Any) -> str | None:
    return "Press ▶ (play) or Step to run this scene." if int(m.steps) == 0 else None


def caption_one_shot(m: ExploreMarket) -> str:
    """Scene 1: does fleecing pay in the one-shot, anonymous market?"""
    if (w := _waiting(m)) is not None:
        return w
    t, cum, c = _standing(m)
    if c is None:
        return "Add fleecers and another kind of seller to compare them. " + _race(m) + "."
    f = m.groups.index(FLEECER)
    rival = display_name(m.groups[c.rival], singular=True)
    fv, rv = _money(cum[-1, f]), _money(cum[-1, c.rival])
    if c.ahead_now:
        return (
            f"With no return and no recognition, fleecing pays: after {t} periods a fleecer "
            f"has made {fv}, {rival} {rv}."
        )
    return f"Even here fleecing does not pay: after {t} periods a fleecer has {fv}, {rival} {rv}."


def caption_return(m: ExploreMarket) -> str:
    """Scene 2: the repeat probability against the break-even return rate."""
    if (w := _waiting(m)) is not None:
        return w
    r, be = float(m.knobs["repeat"]), m.break_even
    side = "above" if r > be else "at" if r == be else "below"
    return (
        f"Customers come back with probability {r:.2f}, {side} the break-even {be:.2f}: {_race(m)}."
    )


def caption_talk(m: ExploreMarket) -> str:
    """Scene 3: word of mouth against the same market where nobody talks."""
    if (w := _waiting(m)) is not None:
        return w
    reach = float(m.knobs["reach"])
    warned = float(m.warned().mean())
    _, _, c = _standing(m)
    quiet = m.twin(reach=0.0)
    _, _, q = _standing(quiet)
    head = (
        f"Each fleeced customer warns up to {reach:.0f} people; {warned:.0%} of customers "
        "are warned right now. "
    )
    if c is None or q is None:
        return head + _race(m) + "."
    if c.crossed and q.crossed:
        gap = q.last_ahead - c.last_ahead
        when = (
            f"{gap} periods sooner than"
            if gap > 0
            else f"{-gap} periods later than"
            if gap < 0
            else "at the same period as"
        )
        return head + (
            f"Fleecers fell behind after period {c.last_ahead}, {when} in the same market "
            f"where nobody talks (period {q.last_ahead})."
        )
    if c.crossed:
        return head + (
            f"Fleecers fell behind after period {c.last_ahead}; where nobody talks they are "
            f"{'still ahead' if q.ahead_now else 'behind too'} after {int(m.steps)} periods."
        )
    return (
        head
        + _race(m)[0].upper()
        + _race(m)[1:]
        + (f"; where nobody talks they are {'ahead' if q.ahead_now else 'behind'}.")
    )


def caption_takers(m: ExploreMarket) -> str:
    """Scene 4: takers, and what the stop-loss line is worth against no line."""
    if (w := _waiting(m)) is not None:
        return w
    on, line = bool(m.knobs["stop_loss_on"]), float(m.knobs["stop_loss"])
    other = m.twin(stop_loss_on=not on)
    honest = [g for g in range(len(m.groups)) if m.groups[g] != FLEECER]
    share = float(m.knobs["takers"])
    if not honest:
        return f"{share:.0%} of customers are takers. Add fair dealers to see the line at work."
    cum, alt = m.series("cumulative_profit")[-1], other.series("cumulative_profit")[-1]
    with_line, without = (cum, alt) if on else (alt, cum)
    diff = with_line[honest] - without[honest]
    g = honest[int(np.argmax(np.abs(diff)))]
    name = display_name(m.groups[g], singular=True)
    a, b = with_line[g], without[g]
    verdict = "is worth" if a > b else "costs"
    t = int(m.steps)
    return (
        f"{share:.0%} of customers are takers. After {t} periods {name} has made "
        f"{_money(a)} with a stop-loss line at {line:g} and {_money(b)} without one: "
        f"the line {verdict} {_money(abs(a - b))} per seller"
        + (" (this run has the line on)." if on else " (this run has no line).")
    )


def caption_pigs(m: ExploreLearning) -> str:
    """Scene 5: who presses the lever (pays to educate the market)."""
    if (w := _waiting(m)) is not None:
        return w
    big, small = m.press_history()[-1]
    if big >= 0.5 > small:
        who = "the big firm pays to educate the market while the small one waits and follows"
    elif small >= 0.5 > big:
        who = "the small firm pays to educate the market while the big one waits"
    elif big >= 0.5 and small >= 0.5:
        who = "both pay to educate the market"
    else:
        who = "nobody pays to educate the market"
    return (
        f"Pressing costs {float(m.knobs['press_cost']):g} of a market of "
        f"{float(m.knobs['food']):g}. After {int(m.steps)} periods {big:.0%} of big firms "
        f"and {small:.0%} of small firms press the lever: {who}."
    )


def caption_trust(m: ExploreTournament) -> str:
    """Scene 6: which characters the population keeps."""
    if (w := _waiting(m)) is not None:
        return w
    counts = m.count_history()[-1]
    names = m.result.names
    lead = int(np.argmax(counts))
    gone = [display_name(names[i], case=True) for i in np.flatnonzero(counts == 0)]
    rounds, noise = int(m.knobs["rounds"]), float(m.knobs["noise"])
    text = (
        f"After {int(m.steps)} generations ({rounds} rounds a match, {noise:.0%} mistakes) "
        f"{display_name(names[lead], case=True)} makes up {counts[lead] / counts.sum():.0%} "
        "of the population"
    )
    if gone:
        text += f"; gone: {', '.join(gone)}"
    return text + "."


# ---------------------------------------------------------------------------------------
# the scenes


@dataclass(frozen=True)
class Scene:
    """One scene: the model and its knob settings, the controls shown, the caption."""

    key: str
    title: str
    prompt: str
    model: type[Any]
    kind: str  # "market" | "learning" | "tournament": which charts the page shows
    caption: Callable[[Any], str]
    knobs: dict[str, Any] = field(default_factory=dict)
    controls: tuple[str, ...] = _MARKET_CONTROLS

    def make(self) -> Any:
        """A fresh model with this scene's settings."""
        return self.model(**self.knobs)


SCENES: tuple[Scene, ...] = (
    Scene(
        "one-shot",
        "1. One-shot, anonymous market",
        "Nobody comes back and nobody can tell sellers apart. Does fleecing pay?",
        ExploreMarket,
        "market",
        caption_one_shot,
        {"one_shot": True, "reach": 0.0},
        tuple(k for k in _MARKET_CONTROLS if k not in ("repeat", "reach")),
    ),
    Scene(
        "come-back",
        "2. Customers come back",
        "Move 'Come-back probability' across the break-even line, then Reset and play.",
        ExploreMarket,
        "market",
        caption_return,
        {"repeat": 0.9, "reach": 0.0},
    ),
    Scene(
        "talk",
        "3. Customers talk (law of 250)",
        "A fleeced customer warns the people around it. Watch the red rings spread.",
        ExploreMarket,
        "market",
        caption_talk,
        {"repeat": 0.9, "reach": 250.0},
    ),
    Scene(
        "takers",
        "4. Takers and the stop-loss line",
        "Some customers only take. Turn the stop-loss line on and off, move it, Reset.",
        ExploreMarket,
        "market",
        caption_takers,
        {"fleecers": 0, "takers": 0.3, "stop_loss_on": True, "stop_loss": 2.0, "reach": 0.0},
    ),
    Scene(
        "boxed-pigs",
        "5. Boxed pigs: who educates the market?",
        "Pressing the lever creates demand that the big firm mostly eats. Who presses?",
        ExploreLearning,
        "learning",
        caption_pigs,
        {},
        tuple(KNOBS["learning"]),
    ),
    Scene(
        "evolution-of-trust",
        "6. The evolution of trust",
        "Every generation the 5 worst are eliminated and the 5 best copied (Case 2017).",
        ExploreTournament,
        "tournament",
        caption_trust,
        {},
        tuple(KNOBS["tournament"]),
    ),
)

#: scenes by key
SCENE_BY_KEY: dict[str, Scene] = {s.key: s for s in SCENES}
