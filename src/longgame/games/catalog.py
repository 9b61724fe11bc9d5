"""The catalog of stage games: parametrised constructors reachable by name.

Each game is a function with keyword parameters (documented defaults and allowed
ranges) returning a :class:`~longgame.games.Game`, and has a kebab-case name for the CLI
and for experiment configs (``boxed-pigs``, ``sales-exchange``, ...).
:func:`get_game` builds a game from its name and parameters (numbers, or strings as
they come from ``--set key=value``); :func:`catalog` lists every entry.

Parameters that make no sense are rejected with one line per problem naming the
parameter, the bad value and the allowed range:

>>> boxed_pigs(press_cost=-1)
Traceback (most recent call last):
...
longgame.errors.InputError: boxed-pigs: press_cost=-1 is out of range; expected a number >= 0
>>> get_game("boxed-pigs", press_cost="7").pure_equilibria()
[('wait', 'wait')]
"""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from longgame.errors import InputError, closest_names
from longgame.games._game import Game

__all__ = [
    "CatalogEntry",
    "boxed_pigs",
    "catalog",
    "donation_game",
    "game_names",
    "get_game",
    "hawk_dove",
    "parse_settings",
    "prisoners_dilemma",
    "sales_exchange",
    "stag_hunt",
    "trust_game",
    "validate_game_params",
]


@dataclass(frozen=True)
class CatalogEntry:
    """One game of the catalog.

    Attributes:
        name: the kebab-case name used by the CLI and configs, e.g. ``"boxed-pigs"``.
        function: the constructor, e.g. :func:`boxed_pigs`.
        summary: the first line of the constructor's docstring.
        defaults: parameter name -> default value, in signature order.
        parameter_docs: parameter name -> its documentation (meaning, range, source).
    """

    name: str
    function: Callable[..., Game]
    summary: str
    defaults: Mapping[str, float]
    parameter_docs: Mapping[str, str]

    def __call__(self, **params: Any) -> Game:
        return get_game(self.name, **params)


_ENTRIES: dict[str, CatalogEntry] = {}


def _parse_args_section(doc: str) -> dict[str, str]:
    """``name: text`` items of a Google-style ``Args:`` section (continuations joined)."""
    out: dict[str, str] = {}
    lines = inspect.cleandoc(doc).splitlines()
    try:
        start = lines.index("Args:")
    except ValueError:
        return out
    current = None
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        m = re.match(r"^    (\w+): (.*)$", line)
        if m:
            current = m.group(1)
            out[current] = m.group(2).strip()
        elif current and line.startswith("        "):
            out[current] += " " + line.strip()
        else:
            break
    return out


def _register(name: str) -> Callable[[Callable[..., Game]], Callable[..., Game]]:
    def deco(func: Callable[..., Game]) -> Callable[..., Game]:
        sig = inspect.signature(func)
        doc = inspect.getdoc(func) or ""
        _ENTRIES[name] = CatalogEntry(
            name=name,
            function=func,
            summary=doc.splitlines()[0] if doc else "",
            defaults={k: float(p.default) for k, p in sig.parameters.items()},
            parameter_docs=_parse_args_section(doc),
        )
        return func

    return deco


def _game(
    name: str,
    players: tuple[str, str],
    actions: tuple[tuple[str, ...], tuple[str, ...]],
    payoffs: list[list[list[float]]],
) -> Game:
    """A catalog game; payoffs rounded to 12 decimals so 10 * (1 - 0.7) - 2 is exactly 1."""
    import numpy as np

    return Game(name, players, actions, np.round(np.asarray(payoffs, dtype=np.float64), 12) + 0.0)


class _Checker:
    """Collects one line per out-of-range parameter, then raises them all at once."""

    def __init__(self, game: str) -> None:
        self.game = game
        self.problems: list[str] = []

    def number(self, name: str, value: object) -> float | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problems.append(
                f"{self.game}: {name}={value!r} is not a number; expected a finite number"
            )
            return None
        if not math.isfinite(value):
            self.problems.append(
                f"{self.game}: {name}={value!r} is not finite; expected a finite number"
            )
            return None
        return float(value)

    def check(self, name: str, value: float, ok: bool, expected: str) -> None:
        if not ok:
            self.problems.append(
                f"{self.game}: {name}={value:g} is out of range; expected {expected}"
            )

    def at_least(self, name: str, value: object, low: float) -> None:
        v = self.number(name, value)
        if v is not None:
            self.check(name, v, v >= low, f"a number >= {low:g}")

    def above(self, name: str, value: object, low: float) -> None:
        v = self.number(name, value)
        if v is not None:
            self.check(name, v, v > low, f"a number > {low:g}")

    def share(self, name: str, value: object) -> None:
        v = self.number(name, value)
        if v is not None:
            self.check(name, v, 0.0 <= v <= 1.0, "a share in [0, 1]")

    def done(self) -> None:
        if self.problems:
            raise InputError(*self.problems)


@_register("boxed-pigs")
def boxed_pigs(
    food: float = 10,
    press_cost: float = 2,
    big_share_big_first: float = 0.9,
    big_share_together: float = 0.7,
    big_share_small_first: float = 0.6,
) -> Game:
    """The boxed pigs game (智猪博弈): who pays to press the lever that feeds both?

    A big and a small pig share a pen; pressing the lever at one end releases ``food``
    at the trough at the other end and costs the presser ``press_cost``. Whoever waits
    reaches the trough first. Payoffs are net of the pressing cost. With the source
    documents' calibration (seeds/004: food 10, cost 2, splits 9:1, 7:3, 6:4) the net
    payoffs are Press/Press (5, 1), Press/Wait (4, 4), Wait/Press (9, -1), Wait/Wait
    (0, 0): waiting strictly dominates for the small pig and the unique equilibrium is
    (press, wait). Read as a market: pressing is paying to educate the market, the big
    firm captures most of the demand either way, the small firm follows.

    Args:
        food: food released per press (market size), > 0; default 10 (seeds/004).
        press_cost: cost of pressing, in food units, >= 0; default 2 (seeds/004).
        big_share_big_first: big pig's share when it arrives first (the small pig
            pressed), in [0, 1]; default 0.9 (seeds/004: 9 to 1).
        big_share_together: big pig's share when both pressed and arrive together, in
            [0, 1]; default 0.7 (seeds/004: 7 to 3).
        big_share_small_first: big pig's share when the small pig arrives first (the
            big pig pressed), in [0, 1]; default 0.6 (seeds/004: 6 to 4).

    >>> print(boxed_pigs())
    boxed-pigs (rows: big, columns: small)
             press     wait
    press     5, 1     4, 4
    wait     9, -1     0, 0
    """
    chk = _Checker("boxed-pigs")
    chk.above("food", food, 0)
    chk.at_least("press_cost", press_cost, 0)
    chk.share("big_share_big_first", big_share_big_first)
    chk.share("big_share_together", big_share_together)
    chk.share("big_share_small_first", big_share_small_first)
    chk.done()
    f, c = food, press_cost
    payoffs = [
        [
            [f * big_share_together - c, f * (1 - big_share_together) - c],
            [f * big_share_small_first - c, f * (1 - big_share_small_first)],
        ],
        [
            [f * big_share_big_first, f * (1 - big_share_big_first) - c],
            [0.0, 0.0],
        ],
    ]
    return _game("boxed-pigs", ("big", "small"), (("press", "wait"), ("press", "wait")), payoffs)


@_register("sales-exchange")
def sales_exchange(
    value: float = 10,
    cost: float = 4,
    price: float = 7,
    fleece_gain: float = 4,
    customer_harm: float = 6,
) -> Game:
    """One sale: the seller deals fair or fleeces, the customer buys or walks away.

    A sale creates surplus S = value − cost. A fair deal at ``price`` gives the seller
    price − cost and the customer value − price. Fleecing (a worse product, hidden fees,
    a hard sell) adds ``fleece_gain`` to the seller and takes ``customer_harm`` from
    the customer; fleecing destroys value when the harm exceeds the gain. Walking away
    gives both 0. In one shot, fleecing weakly dominates fair dealing, and a customer who
    expects to be fleeced walks (when customer_harm > value − price): the market
    unravels to (fleece, walk). The game is zero-sum exactly when no surplus is created
    (value == cost) and fleecing is a pure transfer (customer_harm == fleece_gain)
    (seeds/001: 零和博弈 vs 互利共赢).

    Args:
        value: the product's value to the customer, >= 0; default 10.
        cost: the seller's cost of the product, >= 0; default 4.
        price: the price of a fair deal, >= 0; default 7 (splits the surplus 3:3).
        fleece_gain: extra profit the seller takes by fleecing, >= 0; default 4.
        customer_harm: loss a fleeced customer suffers, >= 0; default 6 (more than the
            customer's fair-deal gain, so a fleeced customer loses).

    >>> print(sales_exchange())
    sales-exchange (rows: seller, columns: customer)
                buy     walk
    fair       3, 3     0, 0
    fleece    7, -3     0, 0
    """
    chk = _Checker("sales-exchange")
    for name, v in (
        ("value", value),
        ("cost", cost),
        ("price", price),
        ("fleece_gain", fleece_gain),
        ("customer_harm", customer_harm),
    ):
        chk.at_least(name, v, 0)
    chk.done()
    fair = (price - cost, value - price)
    fleece = (price - cost + fleece_gain, value - price - customer_harm)
    payoffs = [[list(fair), [0.0, 0.0]], [list(fleece), [0.0, 0.0]]]
    return _game(
        "sales-exchange", ("seller", "customer"), (("fair", "fleece"), ("buy", "walk")), payoffs
    )


@_register("prisoners-dilemma")
def prisoners_dilemma(T: float = 5, R: float = 3, P: float = 1, S: float = 0) -> Game:
    """The prisoner's dilemma: cooperate or defect, with T > R > P > S.

    Defection strictly dominates, yet mutual cooperation (R, R) beats mutual defection
    (P, P). Defaults are Axelrod's tournament payoffs (Axelrod 1984).

    Args:
        T: temptation, defecting against a cooperator; must exceed R; default 5.
        R: reward for mutual cooperation; must exceed P; default 3.
        P: punishment for mutual defection; must exceed S; default 1.
        S: sucker's payoff, cooperating against a defector; default 0.
    """
    chk = _Checker("prisoners-dilemma")
    vals = [chk.number(n, v) for n, v in (("T", T), ("R", R), ("P", P), ("S", S))]
    if all(v is not None for v in vals):
        chk.check("T", T, T > R, f"T > R (R={R:g})")
        chk.check("R", R, R > P, f"R > P (P={P:g})")
        chk.check("P", P, P > S, f"P > S (S={S:g})")
    chk.done()
    payoffs = [[[R, R], [S, T]], [[T, S], [P, P]]]
    return _game(
        "prisoners-dilemma",
        ("row", "column"),
        (("cooperate", "defect"), ("cooperate", "defect")),
        payoffs,
    )


@_register("donation-game")
def donation_game(b: float = 2, c: float = 1) -> Game:
    """The donation game: cooperating pays ``c`` to give the partner ``b`` > ``c``.

    A prisoner's dilemma with T = b, R = b − c, P = 0, S = −c (Sigmund 2010,
    *The Calculus of Selfishness*). Also the one-line model of a favour to a customer.

    Args:
        b: benefit to the receiver, > c; default 2.
        c: cost to the giver, > 0; default 1.
    """
    chk = _Checker("donation-game")
    chk.above("c", c, 0)
    vb = chk.number("b", b)
    if vb is not None and not chk.problems:
        chk.check("b", b, b > c, f"b > c (c={c:g})")
    chk.done()
    payoffs = [[[b - c, b - c], [-c, b]], [[b, -c], [0.0, 0.0]]]
    return _game(
        "donation-game",
        ("row", "column"),
        (("cooperate", "defect"), ("cooperate", "defect")),
        payoffs,
    )


@_register("trust-game")
def trust_game(endowment: float = 10, multiplier: float = 3, return_share: float = 0.5) -> Game:
    """The trust (investment) game, discretised to trust-or-keep and honour-or-betray.

    The investor (a customer paying up front) keeps ``endowment`` or sends it all; what is
    sent is multiplied by ``multiplier``; the trustee (the seller) honours the trust by
    returning ``return_share`` of the multiplied amount or betrays by keeping it all
    (Berg, Dickhaut and McCabe 1995, with the amounts reduced to all or nothing). In normal
    form: (keep, any) → (endowment, 0); (invest, honour) → (m·e·r, m·e·(1−r));
    (invest, betray) → (0, m·e). Betraying weakly dominates; the equilibrium is (keep, betray)
    though (invest, honour) pays both more when m·r > 1.

    Args:
        endowment: the investor's stake, > 0; default 10.
        multiplier: growth of what is sent, >= 1; default 3.
        return_share: share of the multiplied amount an honouring trustee returns, in
            [0, 1]; default 0.5.
    """
    chk = _Checker("trust-game")
    chk.above("endowment", endowment, 0)
    chk.at_least("multiplier", multiplier, 1)
    chk.share("return_share", return_share)
    chk.done()
    e, m, r = endowment, multiplier, return_share
    payoffs = [[[e, 0.0], [e, 0.0]], [[0.0, m * e], [m * e * r, m * e * (1 - r)]]]
    return _game(
        "trust-game", ("investor", "trustee"), (("keep", "invest"), ("betray", "honour")), payoffs
    )


@_register("hawk-dove")
def hawk_dove(V: float = 2, C: float = 4) -> Game:
    """Hawk-dove (chicken): fight over a resource worth ``V`` at cost ``C`` to the loser.

    Hawk vs hawk: each wins half the time, ((V−C)/2, (V−C)/2); hawk vs dove: (V, 0); dove
    vs dove: share, (V/2, V/2) (Maynard Smith and Price 1973). With C > V the symmetric
    equilibrium plays hawk with probability V/C.

    Args:
        V: value of the resource, > 0; default 2.
        C: cost of losing a fight, > 0; default 4.
    """
    chk = _Checker("hawk-dove")
    chk.above("V", V, 0)
    chk.above("C", C, 0)
    chk.done()
    h = (V - C) / 2
    payoffs = [[[h, h], [V, 0.0]], [[0.0, V], [V / 2, V / 2]]]
    return _game("hawk-dove", ("row", "column"), (("hawk", "dove"), ("hawk", "dove")), payoffs)


@_register("stag-hunt")
def stag_hunt(stag: float = 4, hare: float = 3, stag_alone: float = 0) -> Game:
    """The stag hunt: a big joint catch needs both hunters; a hare is safe alone.

    Both hunt stag: (stag, stag); a hare hunter gets ``hare`` whatever the other does;
    a lone stag hunter gets ``stag_alone`` (Skyrms 2004). Two pure equilibria: the
    payoff-dominant (stag, stag) and the risk-dominant (hare, hare) when
    hare − stag_alone > stag − hare.

    Args:
        stag: each hunter's payoff when both hunt stag; must exceed hare; default 4.
        hare: payoff of hunting hare; must exceed stag_alone; default 3.
        stag_alone: payoff of hunting stag alone; default 0.
    """
    chk = _Checker("stag-hunt")
    vals = [
        chk.number(n, v) for n, v in (("stag", stag), ("hare", hare), ("stag_alone", stag_alone))
    ]
    if all(v is not None for v in vals):
        chk.check("stag", stag, stag > hare, f"stag > hare (hare={hare:g})")
        chk.check("hare", hare, hare > stag_alone, f"hare > stag_alone (stag_alone={stag_alone:g})")
    chk.done()
    payoffs = [[[stag, stag], [stag_alone, hare]], [[hare, stag_alone], [hare, hare]]]
    return _game("stag-hunt", ("row", "column"), (("stag", "hare"), ("stag", "hare")), payoffs)


# ---------------------------------------------------------------------------------------
def game_names() -> list[str]:
    """The catalog's game names, sorted."""
    return sorted(_ENTRIES)


def catalog() -> list[CatalogEntry]:
    """Every catalog entry, sorted by name.

    >>> [e.name for e in catalog()][:3]
    ['boxed-pigs', 'donation-game', 'hawk-dove']
    >>> dict(catalog()[0].defaults)["press_cost"]
    2.0
    """
    return [_ENTRIES[n] for n in game_names()]


def _entry(name: str) -> CatalogEntry:
    key = name.strip().lower().replace("_", "-")
    if key in _ENTRIES:
        return _ENTRIES[key]
    hint = closest_names(key, game_names())
    raise InputError(
        f"unknown game {name!r}; expected one of {', '.join(game_names())}"
        + (f" ({hint})" if hint else "")
    )


def _to_number(game: str, key: str, value: object) -> float | str:
    """A parameter value as a float, or a problem line."""
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return f"{game}: {key}={value!r} is not a number; expected a number"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"{game}: {key}={value!r} is not a number; expected a number"
    if not math.isfinite(value):
        return f"{game}: {key}={value!r} is not finite; expected a finite number"
    return float(value)


def _check_params(
    entry: CatalogEntry, params: Mapping[str, object]
) -> tuple[dict[str, float], list[str]]:
    """The parameters that are known numbers, and one problem line per other one."""
    problems: list[str] = []
    out: dict[str, float] = {}
    for key, value in params.items():
        if key not in entry.defaults:
            hint = closest_names(key, list(entry.defaults))
            problems.append(
                f"{entry.name}: unknown parameter {key!r}; expected one of "
                f"{', '.join(entry.defaults)}" + (f" ({hint})" if hint else "")
            )
            continue
        v = _to_number(entry.name, key, value)
        if isinstance(v, str):
            problems.append(v)
        else:
            out[key] = v
    return out, problems


def validate_game_params(name: str, params: Mapping[str, object]) -> dict[str, float]:
    """Check ``params`` for game ``name``: known names, numeric values (strings parsed).

    Returns the parameters as floats (only those given; defaults are not filled in).
    Raises :class:`InputError` listing every unknown name and unparsable value at once.
    The ranges are checked when the game is built (:func:`get_game`).
    """
    out, problems = _check_params(_entry(name), params)
    if problems:
        raise InputError(*problems)
    return out


def get_game(name: str, **params: object) -> Game:
    """Build the catalog game ``name`` (kebab or snake case) with ``params``.

    Parameter values may be numbers or numeric strings (as from ``--set key=value``).
    Unknown names, non-numbers and out-of-range values are all reported at once.

    >>> get_game("prisoners-dilemma", T="6").payoffs[1, 0].tolist()
    [6.0, 0.0]
    >>> get_game("boxed-pig")
    Traceback (most recent call last):
    ...
    longgame.errors.InputError: unknown game 'boxed-pig'; ... (did you mean 'boxed-pigs'?)
    """
    entry = _entry(name)
    numbers, problems = _check_params(entry, params)
    if not problems:
        return entry.function(**numbers)
    try:
        entry.function(**numbers)
    except InputError as exc:
        problems.extend(exc.problems)
    raise InputError(*problems)


def parse_settings(settings: Sequence[str]) -> dict[str, str]:
    """Parse ``["key=value", ...]`` (from ``--set``) into a dict, every problem at once.

    >>> parse_settings(["food=12", "press_cost = 3"])
    {'food': '12', 'press_cost': '3'}
    """
    out: dict[str, str] = {}
    problems: list[str] = []
    for item in settings:
        key, sep, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key or not value:
            problems.append(f"--set {item!r} is malformed; expected key=value, e.g. food=12")
        else:
            out[key] = value
    if problems:
        raise InputError(*problems)
    return out
