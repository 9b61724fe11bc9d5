"""Mechanism 4: prospecting, reputation, social proof and seller capacity.

Seed 000: the fleecer "keeps finding new customers while losing old ones", which costs
prospecting effort; seed 004: prospects follow what they hear (Girard's 250) and what
others do (social proof, Cialdini 1984, *Influence*); seed 002 and Dunbar (1992, *J.
Human Evolution* 22:469): one person keeps up about 150 relationships.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from longgame.models.market._params import MarketParams
from longgame.models.market._wordofmouth import Opinions

__all__ = ["prospect"]


def prospect(
    prospects: NDArray[np.intp],
    slots: NDArray[np.intp],
    slack: NDArray[np.intp],
    proof: NDArray[np.float64],
    opinions: Opinions | None,
    params: MarketParams,
    rng: np.random.Generator,
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]]:
    """Contacts and acceptances of one period.

    Args:
        prospects: customers without a seller.
        slots: active seller slots; ``slack`` their free capacity; ``proof`` their
            social proof (satisfied customers / capacity), all aligned.
        opinions: customers' opinions of sellers (None: nobody knows anything).

    Returns:
        ``(customers, sellers, contacts)``: the new relationships (customer index,
        seller slot) and the number of contacts each slot in ``slots`` paid for.
    """
    ap = params.acquisition
    empty = np.zeros(0, dtype=np.intp)
    if not ap.enabled or prospects.size == 0 or slots.size == 0:
        return empty, empty, np.zeros(slots.size, dtype=np.intp)
    k = np.minimum(np.minimum(slack, ap.contacts), prospects.size).astype(np.intp)
    total = int(k.sum())
    if total == 0:
        return empty, empty, k
    owner = np.repeat(np.arange(slots.size), k)
    pick = rng.integers(0, prospects.size, total)  # contacts, as positions in prospects
    order = rng.permutation(total)
    pick, owner = pick[order], owner[order]
    # a prospect contacted by several sellers answers the first contact in this random
    # order (a bincount-sized scratch array instead of sorting the contacts)
    first = np.full(prospects.size, total)
    np.minimum.at(first, pick, np.arange(total))
    # the prospects reached, in customer order (so that reading their opinions walks
    # the customer arrays forwards), each with the seller of its first contact
    reached = np.flatnonzero(first < total)
    cand, owner = prospects[reached], owner[first[reached]]
    who = slots[owner]
    logit = np.log(ap.base_accept / (1 - ap.base_accept)) + ap.social_proof_weight * proof[owner]
    if opinions is not None:
        logit = logit + ap.reputation_weight * opinions.of(cand, who)
    accept = rng.random(cand.size) < 1.0 / (1.0 + np.exp(-logit))
    return cand[accept], who[accept], k
