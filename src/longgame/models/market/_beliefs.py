"""Reputation under incomplete information: Beta beliefs, word of mouth and public reviews.

Customers do not know what kind of seller they face; they learn it (Kreps & Wilson 1982,
*J. Econ. Theory* 27:253; Milgrom & Roberts 1982, *J. Econ. Theory* 27:280). Each
customer holds, for every seller slot, a Beta(alpha, beta) belief over the chance that
the seller deals fair: a prior plus evidence from its own deals, from its network
neighbours (word of mouth weighted by tie strength; Granovetter 1973) and from public
reviews (seed 004: 信任是最大的贿赂, trust is the biggest bribe; seed 002: 社会认同,
social proof as the better collateral once information is plentiful). Parameters and
units: :class:`~longgame.models.market._params.BeliefParams`.

Layout and cost: remembered evidence (deals of relationships that ended) is a float32
table (customers + 1, sellers, 2) (fair, fleece), faded lazily through one global scale
factor like :class:`~._wordofmouth.Opinions`. A customer in a relationship judges its
seller by the prior, the deals of the relationship (the relationship's own counts, no
extra storage) and the public reviews. Word of mouth reaches prospects: each period's
deals join a pool per block of ``degree`` consecutive customers on the network's ring
and a population-wide pool, and a prospect reads its neighbourhood's pool when a seller
contacts it (:meth:`Beliefs.belief`). Reviews are a (sellers, 2) table. With this
layout beliefs cost about a fifth of a market step (``benchmarks/bench_market.py``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from longgame.models.market._params import BeliefParams

__all__ = ["Beliefs", "ExtraMetrics", "expected_surplus", "stay_probability"]

_RESCALE_BELOW = 1e-6


def expected_surplus(
    p_fair: NDArray[np.float64],
    surplus_fair: NDArray[np.float64],
    surplus_fleece: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Expected customer surplus of one deal, ``p cR + (1 - p) cT`` (money).

    >>> expected_surplus(np.array([1.0, 0.5]), np.array([0.6, 0.6]), np.array([-0.5, -0.5]))
    array([0.6 , 0.05])
    """
    out: NDArray[np.float64] = surplus_fleece + p_fair * (surplus_fair - surplus_fleece)
    return out


def stay_probability(
    value: NDArray[np.float64], outside: float, params: BeliefParams
) -> NDArray[np.float32]:
    """Binary-logit chance of staying after a deal: ``logistic(k + w (E - outside))``.

    ``k`` is the switching cost (logit units), ``w`` the choice weight (logit per unit
    of money), ``E`` the expected surplus under the belief.

    >>> p = BeliefParams(switching_cost=0.0, choice_weight=1.0)
    >>> [round(float(x), 3) for x in stay_probability(np.array([0.0, 1.0]), 0.0, p)]
    [0.5, 0.731]
    """
    u = params.switching_cost + params.choice_weight * (value - outside)
    out: NDArray[np.float32] = (1.0 / (1.0 + np.exp(-u))).astype(np.float32)
    return out


class Beliefs:
    """Every customer's Beta belief about every seller slot, and the sellers' reviews.

    >>> p = BeliefParams(enabled=True, prior_fair=0.5, prior_strength=2.0, forget=0.0)
    >>> b = Beliefs(4, 2, 0, 0.0, p)
    >>> b.remember(np.array([0, 1]), np.array([1, 1]), np.array([[0, 1], [3, 0]]))
    >>> a, bb = b.belief(np.array([0, 1, 2]), np.array([1, 1, 1]))
    >>> a.tolist(), bb.tolist()
    ([1.0, 4.0, 1.0], [2.0, 1.0, 1.0])
    """

    def __init__(
        self,
        customers: int,
        sellers: int,
        degree: int,
        rewire: float,
        params: BeliefParams,
    ) -> None:
        self.params = params
        self.n = customers
        self.sellers = sellers
        self.evidence: NDArray[np.float32] = np.zeros((customers + 1, sellers, 2), np.float32)
        self.reviews: NDArray[np.float64] = np.zeros((sellers, 2))
        self.scale = 1.0
        self.keep = 1.0 - params.forget
        self.a0 = params.prior_strength * params.prior_fair
        self.b0 = params.prior_strength * (1.0 - params.prior_fair)
        self.review_credit = params.review_weight * (1.0 - 2.0 * params.review_noise)
        #: neighbourhood pools: deals with each seller in blocks of ``block`` consecutive
        #: customers on the ring (a lattice neighbour is in the same or a next block)
        self.block = max(1, degree)
        self.blocks = -(-customers // self.block)
        self.pool: NDArray[np.float32] = np.zeros((self.blocks, sellers, 2), np.float32)
        self.pool_total: NDArray[np.float64] = np.zeros((sellers, 2))
        # evidence heard per unit of a neighbourhood's mean experience: ``degree``
        # neighbours, a share ``1 - rewire`` of them strong ties in the lattice and the
        # rest weak ties anywhere (Granovetter 1973)
        talk = params.talk if degree > 0 else 0.0
        self.strong = talk * degree * (1.0 - rewire) * params.strong_tie
        self.weak = talk * degree * rewire * params.weak_tie

    # -- updates -----------------------------------------------------------------------

    def fade(self) -> None:
        """One period of forgetting (remembered evidence lazily, reviews directly)."""
        self.reviews *= self.keep
        self.pool_total *= self.keep
        self.scale *= self.keep
        if self.scale < _RESCALE_BELOW:
            self.evidence *= np.float32(self.scale)
            self.pool *= np.float32(self.scale)
            self.scale = 1.0

    def talk(
        self, idx: NDArray[np.intp], slots: NDArray[np.intp], seller_action: NDArray[np.int8]
    ) -> None:
        """This period's deals (customers ``idx`` with ``slots``) join their neighbourhoods'
        pools, which word of mouth draws on."""
        if idx.size == 0 or (self.strong == 0 and self.weak == 0):
            return
        code = np.floor_divide(idx, self.block)
        code *= self.sellers
        code += slots
        code *= 2
        code += seller_action
        added = np.bincount(code, minlength=self.pool.size)
        self.pool.reshape(-1)[:] += added.astype(np.float32) * np.float32(1.0 / self.scale)
        self.pool_total += np.bincount(
            slots * 2 + seller_action, minlength=2 * self.sellers
        ).reshape(-1, 2)

    def remember(
        self,
        idx: NDArray[np.intp],
        slots: NDArray[np.intp],
        counts: NDArray[np.integer[Any]],
    ) -> None:
        """Relationships of customers ``idx`` (distinct) with ``slots`` ended: the seller's
        fair and fleecing deals in them, ``counts`` (k, 2), join the customers' memory."""
        if idx.size == 0 or self.params.own_weight == 0:
            return
        cell = np.multiply(idx, self.sellers, dtype=np.intp)
        cell += slots
        flat = self.evidence.reshape(-1, 2)
        flat[cell] += (counts * (self.params.own_weight / self.scale)).astype(np.float32)

    def review(
        self, slots: NDArray[np.intp], seller_action: NDArray[np.int8], rng: np.random.Generator
    ) -> None:
        """A share ``visibility`` of these deals leaves a (noisy) public review."""
        p = self.params
        if slots.size == 0 or p.visibility <= 0:
            return
        u = rng.random(slots.size, dtype=np.float32)
        reviewed = u < p.visibility
        # one uniform: below visibility * noise the review reports the other outcome
        flipped = u < p.visibility * p.review_noise
        says_fleece = (seller_action == 1) ^ flipped
        fleece = np.bincount(slots[reviewed & says_fleece], minlength=self.sellers)
        total = np.bincount(slots[reviewed], minlength=self.sellers)
        self.reviews[:, 0] += total - fleece
        self.reviews[:, 1] += fleece

    def reset_seller(self, slot: int) -> None:
        """A new firm takes the slot: nobody knows it, it has no reviews."""
        self.evidence[:, slot] = 0.0
        self.reviews[slot] = 0.0

    # -- reading -----------------------------------------------------------------------

    def rating(self) -> NDArray[np.float64]:
        """Each slot's public rating: the prior mean updated by its reviews at face value."""
        r = self.reviews
        out: NDArray[np.float64] = (self.a0 + r[:, 0]) / (self.a0 + self.b0 + r.sum(axis=1))
        return out

    def current(
        self, slots: NDArray[np.intp], counts: NDArray[np.integer[Any]]
    ) -> NDArray[np.float64]:
        """Posterior mean of customers about their *current* sellers ``slots``.

        ``counts`` (k, 2) are the seller's fair and fleecing deals in the current
        relationship: a customer does not forget the deals of its current relationship,
        and judges its seller by them, the prior and the public reviews (word of mouth
        reaches prospects, :meth:`belief`).
        """
        rev = self.reviews * self.review_credit
        w = self.params.own_weight
        alpha = self.a0 + w * counts[:, 0] + rev[slots, 0]
        total = (self.a0 + self.b0) + w * (counts[:, 0] + counts[:, 1]) + rev.sum(axis=1)[slots]
        out: NDArray[np.float64] = alpha / total
        return out

    def belief(
        self, idx: NDArray[np.intp], slots: NDArray[np.intp]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Beta parameters (alpha, beta) of customers ``idx`` about ``slots`` (pairwise).

        Own remembered deals, the public reviews, and word of mouth: ``talk`` times the
        tie strength times the deals of the customer's neighbours, estimated as
        ``degree`` times the mean experience per customer of its neighbourhood (its own
        and the two next blocks of the ring) for strong ties and of the whole population
        for weak ties (exact in expectation on the ring lattice; a pool costs one write
        per deal and three reads per prospect instead of one read per neighbour).
        """
        cell = np.multiply(idx, self.sellers, dtype=np.intp)
        cell += slots
        ev = np.take(self.evidence.reshape(-1, 2), cell, axis=0).astype(np.float64)
        ev *= self.scale
        if self.strong > 0 and idx.size:
            blk = np.floor_divide(idx, self.block)
            pool = self.pool.reshape(-1, 2)
            near = np.zeros((idx.size, 2))
            for shift in (-1, 0, 1):
                near += np.take(pool, ((blk + shift) % self.blocks) * self.sellers + slots, axis=0)
            ev += near * (self.strong * self.scale / (3 * self.block))
        if self.weak > 0:
            ev += self.pool_total[slots] * (self.weak / self.n)
        rev = self.reviews[slots] * self.review_credit
        alpha = self.a0 + ev[:, 0] + rev[:, 0]
        beta = self.b0 + ev[:, 1] + rev[:, 1]
        return alpha, beta

    def mean(self, idx: NDArray[np.intp], slots: NDArray[np.intp]) -> NDArray[np.float64]:
        """Posterior mean chance of a fair deal, pairwise (see :meth:`belief`)."""
        a, b = self.belief(idx, slots)
        out: NDArray[np.float64] = a / (a + b)
        return out


class ExtraMetrics:
    """Per-step, per-group metrics of an optional mechanism, as a (steps, groups, k) array.

    Recorded only when the mechanism is on, and appended to the model's tidy metrics.
    """

    def __init__(self, names: tuple[str, ...], groups: list[str]) -> None:
        self.names = names
        self.groups = groups
        self.rows: list[NDArray[np.float64]] = []
        self.first_step = 1

    def record(self, **columns: NDArray[np.float64]) -> None:
        """Store one step: each name maps to a (groups,) array."""
        self.rows.append(np.stack([np.asarray(columns[k], np.float64) for k in self.names], 1))

    def frame(self, first_step: int = 1) -> Any:
        """Tidy table: step, group, metric, value."""
        import pandas as pd

        if not self.rows:
            return pd.DataFrame({"step": [], "group": [], "metric": [], "value": []})
        v = np.stack(self.rows)
        s, g, m = np.meshgrid(
            np.arange(first_step, first_step + v.shape[0]),
            np.arange(len(self.groups)),
            np.arange(len(self.names)),
            indexing="ij",
        )
        return pd.DataFrame(
            {
                "step": s.ravel().astype(np.int64),
                "group": np.asarray(self.groups, dtype=object)[g.ravel()],
                "metric": np.asarray(self.names, dtype=object)[m.ravel()],
                "value": v.ravel(),
            }
        )
