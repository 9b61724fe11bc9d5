"""Closed-form benchmarks the market's simulations can be drawn against.

Grim-trigger threshold of one relationship
------------------------------------------
Take one relationship at ladder level 0, no friendship, no noise, deal size 1. Per deal
the seller earns (:func:`~longgame.models.market._exchange.stage_payoffs`)

- ``R = m S - s`` dealing fair to a paying customer,
- ``T = S + o v - s`` fleecing a paying customer,

and ``P = 0`` once the customer has left (its outside option: the seat is empty; the
cost of refilling it is ignored). If the customer answers a fleece by leaving for good
(grim trigger; in the model trust falls by ``down`` per fleece until it crosses the
tolerance) and the relationship survives from one deal to the next with probability
``δ`` (the repeat-purchase probability), fair dealing is worth ``R / (1 - δ)`` and
fleecing ``T + δ · 0``, so fair dealing pays iff

    δ ≥ δ* = (T - R) / (T - P) = 1 - R / T.

This is the textbook grim-trigger threshold of the prisoner's dilemma with the
customer's punishment payoff ``P = 0``; :func:`theory` computes it with
:func:`longgame.games.grim_trigger_threshold` on the symmetric prisoner's dilemma
(T, R, P, S) when those numbers form one, and directly otherwise. It ignores the
ladder, service-driven loyalty and word of mouth, all of which favour fair dealing, and
the acquisition cost of a replacement customer, which also favours it; so it is an
upper bound on the repeat probability that fair dealing needs in the full model.
"""

from __future__ import annotations

import math
from typing import Any

from longgame.models.market._exchange import profile, stage_payoffs
from longgame.models.market._params import MarketParams

__all__ = ["theory"]


def theory(params: MarketParams | dict[str, Any] | None = None) -> dict[str, float]:
    """Closed-form quantities implied by ``params`` (for a 5/5 seller).

    Keys: ``R``, ``T``, ``P`` (seller's per-deal payoffs, money), ``grim_trigger_threshold``
    (repeat probability above which fair dealing beats fleecing in one relationship; NaN
    if fleecing never pays more per deal, i.e. ``T <= R``; inf if fair deals lose money),
    ``clv_fair`` (expected lifetime profit of a fair relationship at the default repeat
    probability, ``R / (1 - δ)``) and ``fleece_once`` (``T``).

    >>> th = theory(MarketParams(customers=10))
    >>> round(th["grim_trigger_threshold"], 4)
    0.6774
    """
    from longgame.models.market.model import validate_params

    p = params if isinstance(params, MarketParams) else validate_params(params)
    pay = stage_payoffs(p, profile(5, 5, p))
    T, R, P = pay["T"], pay["R"], 0.0
    if T <= R:
        threshold = math.nan
    elif R <= P:
        threshold = math.inf
    else:
        threshold = (T - R) / (T - P)
        sucker = min(pay["S"], P - 1e-9)
        try:
            from longgame.games import grim_trigger_threshold, prisoners_dilemma

            threshold = float(grim_trigger_threshold(prisoners_dilemma(T=T, R=R, P=P, S=sucker)))
        except (ImportError, ValueError):
            pass
    delta = p.repeat.base if p.repeat.enabled else 0.0
    return {
        "R": R,
        "T": T,
        "P": P,
        "grim_trigger_threshold": threshold,
        "clv_fair": R / (1 - delta) if delta < 1 else math.inf,
        "fleece_once": T,
    }
