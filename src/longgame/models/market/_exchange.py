"""Mechanism 1 (exchange) with service, friendship concessions and takers' extraction.

Source: seed 001 (好的客户关系一定是互利共赢的: if one side's gain is the other's loss
it is zero-sum and not sustainable), seed 000 (after-sales service; pure takers),
seed 003 (friends ask for price cuts and late payment). The stage game this module
implies is derived in :func:`stage_payoffs`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from longgame.models.market._params import MarketParams

__all__ = [
    "SellerProfile",
    "box_muller",
    "deal_payoffs",
    "profile",
    "stage_payoffs",
    "standard_normal_pairs",
]


@dataclass(frozen=True)
class SellerProfile:
    """What a seller's sales-grid position implies for its deals.

    ``customer_concern`` (cc) and ``sale_concern`` (sc) are the Blake & Mouton sales grid
    coordinates on 1..9 (a strategy's ClassVars, 5/5 if it has none). They set the margin
    share of the surplus ``m = margin_low + (margin_high - margin_low) (sc - 1) / 8``,
    the service spend per deal ``max_cost (cc - 1) / 8`` and the readiness to yield to a
    friend's demands ``y = (cc - sc + 8) / 16`` in [0, 1].
    """

    margin: float
    service: float
    yield_: float
    care: float


def profile(customer_concern: float, sale_concern: float, params: MarketParams) -> SellerProfile:
    """The :class:`SellerProfile` of a grid position under ``params``.

    >>> p = profile(9, 9, MarketParams(customers=10))
    >>> round(p.margin, 3), round(p.service, 3), p.yield_, p.care
    (0.8, 0.1, 0.5, 1.0)
    """
    ex = params.exchange
    cc = (float(customer_concern) - 1.0) / 8.0
    sc = (float(sale_concern) - 1.0) / 8.0
    margin = ex.margin_low + (ex.margin_high - ex.margin_low) * sc
    service = params.service.max_cost * cc if params.service.enabled else 0.0
    return SellerProfile(margin=margin, service=service, yield_=(cc - sc + 1.0) / 2.0, care=cc)


def standard_normal_pairs(rng: np.random.Generator, n: int, sd: float = 1.0) -> NDArray[np.float32]:
    """Two independent normal draws (mean 0, standard deviation ``sd``) per deal, (2, n).

    Box-Muller (Box & Muller 1958, *Ann. Math. Stat.* 29:610) on one block of float32
    uniforms: exact in distribution up to float32 rounding (tails cut at about 5.8
    standard deviations, probability 1e-8), and about five times faster than numpy's
    float64 ziggurat at this size, which made the deal noise the costliest draw of a
    market step.

    >>> z = standard_normal_pairs(np.random.default_rng(0), 50_000)
    >>> z.shape, z.dtype.name, bool(abs(z.mean()) < 0.02), bool(abs(z.std() - 1) < 0.02)
    ((2, 50000), 'float32', True, True)
    """
    return box_muller(rng.random((2, n), dtype=np.float32), sd)


def box_muller(u: NDArray[np.float32], sd: float = 1.0) -> NDArray[np.float32]:
    """:func:`standard_normal_pairs` of the uniforms ``u`` (2, n), which it overwrites."""
    # the same ufuncs in the same order, in place (no temporaries)
    radius, angle = u[0], u[1]
    np.negative(radius, out=radius)
    np.log1p(radius, out=radius)  # log(1 - u), 1 - u in (0, 1]
    np.multiply(np.float32(-2.0 * sd * sd), radius, out=radius)
    np.sqrt(radius, out=radius)
    np.multiply(np.float32(2.0 * np.pi), angle, out=angle)
    z = np.empty(u.shape, dtype=np.float32)
    np.cos(angle, out=z[0])
    np.sin(angle, out=z[1])
    z *= radius
    return z


def deal_payoffs(
    params: MarketParams,
    seller_action: NDArray[np.int8],
    customer_action: NDArray[np.int8],
    size: NDArray[np.float64],
    closeness: NDArray[np.float32],
    first: NDArray[np.bool_],
    margin: NDArray[np.float64],
    service: NDArray[np.float64],
    yield_: NDArray[np.float64],
    rng: np.random.Generator,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Seller profit and customer surplus of one deal per relationship (money).

    All arguments are per relationship (same length); ``margin``, ``service`` and
    ``yield_`` come from the seller's :class:`SellerProfile`. Per unit of deal size the
    seller gains ``g = price - cost`` (``m S`` when fair, ``S + overcharge * value`` when
    fleecing) and the customer ``S - g``; with a fair deal service costs the seller
    ``s`` and is worth ``value_ratio * s`` to the customer (a fleecer gives none); a
    friend's concession and a taker's extraction move money from the seller to the
    customer; the realised cost and value carry
    independent Gaussian noise of sd ``noise``. Both sides are scaled by the deal size;
    the onboarding gift moves money in the first deal.
    """
    ex = params.exchange
    n = seller_action.shape[0]
    S = ex.surplus
    # Two-way choices are made by arithmetic with 0/1 masks (``a * 1 + b * 0 == a``
    # exactly for finite numbers), which costs a quarter of a masked ``where=`` update
    # on random masks and gives the same bits.
    fleece = seller_action == 1
    fair = ~fleece
    # the seller's gain per unit, then both sides updated in place (no per-term temporaries)
    profit = np.multiply(margin, S)
    profit *= fair
    profit += np.multiply(fleece, S + ex.overcharge * ex.value)
    surplus = np.subtract(S, profit)
    if params.service.enabled:
        # after-sales service comes with fair deals only: a fleecer neither gives it
        # nor pays for it (seed 000: the fleecer is never seen again after the sale)
        given = service * fair
        profit -= given
        surplus += params.service.value_ratio * given
    # money the customer extracts from the seller: concessions to friends, takers' share
    transfer: NDArray[np.float64] | None = None
    if params.friendship.enabled and S > 0:
        transfer = closeness * yield_
        transfer *= params.friendship.concession * S
        transfer *= fair
    if params.takers.extraction > 0:
        extraction = np.multiply(customer_action, params.takers.extraction * ex.value)
        if transfer is None:
            transfer = extraction
        else:
            transfer += extraction
    if transfer is not None:
        profit -= transfer
        surplus += transfer
    if ex.noise > 0:
        z = standard_normal_pairs(rng, n, ex.noise)
        profit -= z[0]
        surplus += z[1]
    profit *= size
    surplus *= size
    if ex.onboarding > 0:
        gift = np.multiply(first, ex.onboarding)
        profit -= gift
        surplus += gift
    return profit, surplus


def stage_payoffs(params: MarketParams, prof: SellerProfile) -> dict[str, float]:
    """Expected per-deal payoffs of a level-0 relationship, as a 2x2 stage game.

    Seller actions fair (C) / fleece (D) against customer actions pay (C) / take (D);
    expected values without noise, closeness 0, deal size 1, service included:

    - ``R`` fair vs pay: ``m S - s``; ``T`` fleece vs pay: ``S + o v`` (no service);
    - ``S`` (sucker) fair vs take: ``R - e v``; ``P`` fleece vs take: ``T - e v``;

    with ``s`` the service spend, ``o`` the overcharge, ``e`` the extraction, ``v`` the
    value. Customer payoffs are the matching surpluses (service valued at
    ``value_ratio`` times its cost, and given with fair deals only). Returned keys:
    ``R, T, S, P`` (seller) and ``cR, cT, cS, cP`` (customer).

    >>> pay = stage_payoffs(MarketParams(customers=10), profile(5, 5, MarketParams(customers=10)))
    >>> round(pay["R"], 3), round(pay["T"], 3)
    (0.5, 1.6)
    """
    ex = params.exchange
    S = ex.surplus
    s = prof.service
    vs = params.service.value_ratio * s if params.service.enabled else 0.0
    e = params.takers.extraction * ex.value
    R = prof.margin * S - s
    T = S + ex.overcharge * ex.value
    cR = (1 - prof.margin) * S + vs
    cT = -ex.overcharge * ex.value
    return {
        "R": R,
        "T": T,
        "S": R - e,
        "P": T - e,
        "cR": cR,
        "cT": cT,
        "cS": cR + e,
        "cP": cT + e,
    }
