"""Closed-form benchmarks the market's simulations can be drawn against.

Grim-trigger threshold of one relationship
------------------------------------------
Take one relationship at ladder level 0, no friendship, no noise, deal size 1. Per deal
the seller earns (:func:`~longgame.models.market._exchange.stage_payoffs`)

- ``R = m S - s`` dealing fair to a paying customer,
- ``T = S + o v`` fleecing a paying customer (a fleecer gives no service),

and ``P = 0`` once the customer has left (its outside option: the seat is empty; the
cost of refilling it is ignored). Suppose the customer answers a fleece by leaving for
good (grim trigger; in the model trust falls by ``down`` per fleece until it crosses the
tolerance). If the next deal happens with probability ``δ``, fair dealing is worth
``R / (1 - δ)`` and fleecing ``T + δ · 0``, so fair dealing pays iff

    δ ≥ δ* = (T - R) / (T - P) = 1 - R / T,

the textbook grim-trigger threshold of the prisoner's dilemma with punishment payoff
``P = 0`` (computed with :func:`longgame.games.grim_trigger_threshold`).

In the market a relationship survives each period with probability ``r`` (repeat
purchase) and the customer buys in a period with probability ``d`` (demand). After a
deal the relationship is worth ``R + r d R / (1 - r)`` when dealing fair, against ``T``
for fleecing, so fair dealing pays iff

    r ≥ r* = (T - R) / (T - R + d R)   (= δ* when d = 1).

``grim_trigger_threshold`` is the value of ``repeat.base`` at which a new relationship's
continuation probability (``base`` plus the service gain of a 5/5 seller) reaches
``r*``, so plots can draw it on sweeps of ``repeat.base``. It leaves out the ladder,
closeness, satisfaction and word of mouth, which favour fair dealing, and the cost of
finding a replacement customer, which favours it too: in the full model fair dealing
wins from somewhat lower repeat probabilities.
"""

from __future__ import annotations

import math
from typing import Any

from longgame.models.market._exchange import profile, stage_payoffs
from longgame.models.market._params import MarketParams

__all__ = ["theory"]


def theory(params: MarketParams | dict[str, Any] | None = None) -> dict[str, float]:
    """Closed-form quantities implied by ``params`` for a 5/5 seller (see module doc).

    Keys: ``R``, ``T``, ``P`` (seller's per-deal payoffs, money); ``grim_trigger_delta``
    (``δ*``, per deal); ``grim_trigger_repeat`` (``r*``, per period, with demand);
    ``grim_trigger_threshold`` (the ``repeat.base`` giving ``r*``); ``clv_fair``
    (expected profit of a fair relationship from its first deal on, ``R + r d R / (1 -
    r)`` at the configured repeat probability) and ``fleece_once`` (``T``). Thresholds
    are NaN if fleecing never pays more per deal (``T <= R``) and inf if fair deals lose
    money (``R <= 0``).

    >>> th = theory(MarketParams(customers=10))
    >>> round(th["grim_trigger_delta"], 4), round(th["grim_trigger_threshold"], 4)
    (0.6875, 0.6897)
    """
    if isinstance(params, MarketParams):
        p = params
    else:  # the model module (and Mesa) only when there is something to validate
        from longgame.models.market.model import validate_params

        p = validate_params(params)
    prof = profile(5, 5, p)
    pay = stage_payoffs(p, prof)
    T, R, P = pay["T"], pay["R"], 0.0
    d = p.exchange.demand
    gain = p.service.repeat_gain * prof.care if p.service.enabled else 0.0
    if T <= R:
        delta = r_star = base = math.nan
    elif R <= P:
        delta = r_star = base = math.inf
    else:
        delta = (T - R) / (T - P)
        try:
            from longgame.games import grim_trigger_threshold, prisoners_dilemma

            game = prisoners_dilemma(T=T, R=R, P=P, S=min(pay["S"], P - 1e-9))
            delta = float(grim_trigger_threshold(game))
        except (ImportError, ValueError):
            pass
        r_star = (T - R) / (T - R + d * R) if d > 0 else math.inf
        base = r_star - gain
    r = min(p.repeat.base + gain, p.repeat.cap) if p.repeat.enabled else 0.0
    return {
        "R": R,
        "T": T,
        "P": P,
        "grim_trigger_delta": delta,
        "grim_trigger_repeat": r_star,
        "grim_trigger_threshold": base,
        "clv_fair": R + r * d * R / (1 - r) if r < 1 else math.inf,
        "fleece_once": T,
    }
