"""Mechanism 4: prospecting, reputation, social proof and seller capacity.

Seed 000: the fleecer "keeps finding new customers while losing old ones", which costs
prospecting effort; seed 004: prospects follow what they hear (Girard's 250,
每个人身边有250个生意机会); seed 002: and what others do (社會認同, social proof; Cialdini
1984, *Influence*); seed 002 and Dunbar (1992, *J. Human Evolution* 22:469): one person
keeps up about 150 relationships.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from longgame.models.market import _kernels as _k
from longgame.models.market._params import MarketParams
from longgame.models.market._wordofmouth import Opinions, tables

__all__ = ["contact", "prospect"]

#: Stand-ins for the tables :func:`_k.offers` takes when a term is off.


def prospect(
    prospects: NDArray[np.intp],
    slots: NDArray[np.intp],
    slack: NDArray[np.intp],
    proof: NDArray[np.float64],
    opinions: Opinions | None,
    params: MarketParams,
    rng: np.random.Generator,
    value: Callable[[NDArray[np.intp], NDArray[np.intp]], NDArray[np.float64]] | None = None,
    offer: NDArray[np.float64] | None = None,
    extra: NDArray[np.intp] | None = None,
    lure: NDArray[np.float64] | None = None,
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]]:
    """Contacts and choices of one period.

    Each active seller with free capacity contacts ``min(slack, contacts)`` prospects
    drawn at random (with replacement). A prospect weighs every offer it got this period
    against staying out: offer ``j`` has utility ``u_j = logit(base_accept) +
    social_proof_weight * proof_j + reputation_weight * opinion_j``, staying out 0, and
    the prospect takes offer ``j`` with the multinomial-logit probability
    ``exp(u_j) / (1 + sum_k exp(u_k))`` (McFadden 1974), drawn by the Gumbel-max trick.
    With a single offer this is the binary logit ``logistic(u_j)``.

    Args:
        prospects: customers without a seller.
        slots: active seller slots; ``slack`` their free capacity; ``proof`` their
            social proof (satisfied customers / capacity), all aligned.
        opinions: customers' opinions of sellers (None: nobody knows anything).
        value: optional utility of each offer ``(customers, sellers) -> logits`` that
            replaces the opinion term (the belief-based expected surplus, issue 16).
        offer: the customer's share of the surplus per deal each slot posts (money),
            weighed by ``price_weight`` (None or weight 0: prospects ignore prices).
        extra: contacts each slot makes beyond ``contacts`` (capital at risk invested
            in growth, ``stop_loss.invest_rate``), still within its free capacity.
        lure: each slot's utility gain from over-promising (``seller_value.lure``).

    Returns:
        ``(customers, sellers, contacts)``: the new relationships (customer index,
        seller slot) and the number of contacts each slot in ``slots`` paid for.
    """
    ap = params.acquisition
    empty = np.zeros(0, dtype=np.intp)
    if not ap.enabled or prospects.size == 0 or slots.size == 0:
        return empty, empty, np.zeros(slots.size, dtype=np.intp)
    wanted = ap.contacts if extra is None else ap.contacts + extra
    k = np.minimum(np.minimum(slack, wanted), prospects.size).astype(np.intp)
    total = int(k.sum())
    if total == 0:
        return empty, empty, k
    new_c, new_s = contact(
        prospects, slots, k, total, proof, opinions, params, rng, value, offer, lure
    )
    return new_c, new_s, k


def contact(
    prospects: NDArray[np.intp],
    slots: NDArray[np.intp],
    k: NDArray[np.intp],
    total: int,
    proof: NDArray[np.float64],
    opinions: Opinions | None,
    params: MarketParams,
    rng: np.random.Generator,
    value: Callable[[NDArray[np.intp], NDArray[np.intp]], NDArray[np.float64]] | None = None,
    offer: NDArray[np.float64] | None = None,
    lure: NDArray[np.float64] | None = None,
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """The contacts and choices of :func:`prospect` once each slot's number of contacts
    ``k`` (``total`` > 0 in all, none beyond its free capacity) is known: the new
    relationships ``(customers, sellers)``."""
    ap = params.acquisition
    pick = rng.integers(0, prospects.size, total)  # contacts, as positions in prospects
    # offers in customer order (stably; each slot's ``k`` contacts in slot order before
    # sorting), so that reading opinions walks the customer arrays forwards; utilities
    # as u = logit(base) + w proof (+ reputation, price, lure), summed in that order
    base = np.log(ap.base_accept / (1 - ap.base_accept))
    full = value is None
    heard = opinions if full else None
    priced = offer is not None and ap.price_weight > 0
    pick, owner, cand, who, utility, distinct = _k.offers(
        pick, prospects, slots, k, proof, base, ap.social_proof_weight, full,
        ap.reputation_weight, *tables(heard), ap.price_weight if priced else 0.0,
        offer if priced and offer is not None else _k.NO_MONEY,
        _k.NO_MONEY if lure is None else lure,
    )  # fmt: skip
    if value is not None:  # the belief-based value replaces the opinion term
        utility = utility + value(cand, who)
        if priced and offer is not None:
            utility = utility + ap.price_weight * offer[owner]
        if lure is not None:
            utility = utility + lure[owner]
    # Gumbel-max: each prospect takes its best offer (the first of ties, which have
    # probability zero) if that beats staying out; the offers' draws, then the
    # prospects', one after the other from one call
    gumbel = rng.gumbel(size=total + distinct)
    new_c, new_s = _k.choose(pick, cand, who, utility, gumbel[:total], gumbel[total:])
    return new_c, new_s
