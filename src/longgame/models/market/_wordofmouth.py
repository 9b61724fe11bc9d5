"""Mechanism 5: word of mouth on a customer network, and customers' own memory.

Girard's law of 250 (seed 004: 每个人身边有250个生意机会): a fleeced customer warns
up to ``reach`` people. The warning goes to the network neighbours first (strong ties, seed 002;
Granovetter 1973, *AJS* 78:1360); the part of the reach beyond them spreads over the
population at random (weak ties), which is kept in expectation as a population-wide
"buzz" per seller instead of drawing hundreds of random hearers per warning.

Opinions (customer x seller, float32) fade geometrically. The fading is applied lazily
through one global scale factor, so a step costs O(messages), not O(customers x sellers).

A sender whose every neighbour hears (``reach >= degree``, the law-of-250 default) does
not write to its neighbours: it adds the message once to its own *outbox* row, and a
customer's opinion sums its neighbours' outboxes when it is read. Opinions are linear
in the messages and the network is fixed and symmetric, so this "pull" gives the same
opinions as pushing each message to every neighbour, at one write per message instead
of one per hearer (about ten times fewer) and a neighbourhood sum only for the few
customers whose opinion is read (prospects being contacted). Senders whose neighbours
hear at random (``reach < degree``) push as before.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from longgame.models.market import _kernels as _k

__all__ = ["Opinions", "retell", "tables"]

_RESCALE_BELOW = 1e-6


class Opinions:
    """What each customer has heard about (or experienced of) each seller slot.

    ``values`` (customer x seller) holds what each customer was told directly and its own
    experience; ``outbox`` (seller x customer) what each customer told all its
    neighbours (see the module docstring);
    read opinions with :meth:`of`.

    >>> import numpy as np
    >>> from longgame.models.market._network import small_world
    >>> net = small_world(20, 4, 0.0, np.random.default_rng(0))
    >>> op = Opinions(20, 2, net, forget=0.5)
    >>> rng = np.random.default_rng(0)
    >>> op.spread(np.array([0]), np.array([1]), np.array([-1.0]), reach=4, rng=rng)
    >>> op.of(np.array([1, 2, 5]), np.array([1, 1, 1])).tolist()
    [-1.0, -1.0, 0.0]
    >>> op.fade(); op.of(np.array([1]), np.array([1])).tolist()
    [-0.5]
    """

    def __init__(
        self, customers: int, sellers: int, network: sparse.csr_array | None, forget: float
    ) -> None:
        self.values: NDArray[np.float32] = np.zeros((customers, sellers), dtype=np.float32)
        self.buzz: NDArray[np.float64] = np.zeros(sellers)
        self.keep = 1.0 - forget
        self.scale = 1.0
        self.n = customers
        self.neighbours: NDArray[np.int32] | None = None
        if network is not None:
            self.degree: NDArray[np.intp] = np.diff(network.indptr).astype(np.intp)
            self.neighbours = neighbour_table(network)
        # seller-major, so that the neighbours of one customer (nearby indices on a
        # clustered network) are read from one or two cache lines; the extra last
        # column is the padding customer's, always 0
        self.outbox: NDArray[np.float32] = np.zeros(
            (sellers, customers + 1 if network is not None else 0), dtype=np.float32
        )

    def fade(self) -> None:
        """One period of forgetting."""
        self.scale *= self.keep
        if self.scale < _RESCALE_BELOW:
            self.values *= np.float32(self.scale)
            self.outbox *= np.float32(self.scale)
            self.buzz *= self.scale
            self.scale = 1.0

    def of(self, idx: NDArray[np.intp], slots: NDArray[np.intp]) -> NDArray[np.float64]:
        """Opinion of customers ``idx`` about seller ``slots`` (pairwise)."""
        # own experience and what was told directly, plus the neighbours' outboxes
        # (padding reads the zero column)
        heard: NDArray[np.float64] = _k.opinions_of(
            idx.astype(np.intp, copy=False), slots.astype(np.intp, copy=False), *tables(self)
        )
        return heard

    def heard(self, idx: NDArray[np.intp]) -> NDArray[np.float64]:
        """What customers ``idx`` heard from all their network contacts, per seller.

        Shape (len(idx), sellers): the sum of their neighbours' outboxes, i.e. the word
        of mouth of senders whose every contact hears (``reach >= degree``, the law of
        250). Own experience, the population-wide weak-tie buzz and warnings told to a
        random few contacts (``reach < degree``, stored with the hearer's own opinion)
        are left out, so this shows word of mouth arriving through the network.
        """
        heard = np.zeros((idx.size, self.values.shape[1]), dtype=np.float64)
        if self.neighbours is not None and idx.size:
            rows = np.take(self.neighbours, idx, axis=0)  # (n, max degree), padded
            heard += self.outbox[:, rows].sum(axis=2, dtype=np.float64).T
        return heard * self.scale

    def remember(
        self, idx: NDArray[np.intp], slots: NDArray[np.intp], amount: NDArray[np.float64]
    ) -> None:
        """Add ``amount`` to the opinions of ``idx`` about ``slots`` (own experience)."""
        _k.add_at(self.values, idx, slots, amount, self.scale)

    def reset_seller(self, slot: int) -> None:
        """A new firm takes the slot: nobody has heard of it."""
        self.values[:, slot] = 0.0
        self.outbox[slot] = 0.0
        self.buzz[slot] = 0.0

    def spread(
        self,
        senders: NDArray[np.intp],
        slots: NDArray[np.intp],
        weights: NDArray[np.float64],
        reach: float,
        rng: np.random.Generator,
        weak: float = 1.0,
    ) -> None:
        """Each sender tells up to ``reach`` people ``weights`` about seller ``slots``.

        Every neighbour hears with probability ``min(1, reach / degree)``; the reach
        beyond the sender's degree adds ``weak * weight * extra / customers`` to the
        seller's population-wide buzz (``weak`` < 1 for a retold message).
        """
        if senders.size == 0 or reach <= 0:
            return
        told = np.zeros(self.buzz.size)
        if self.neighbours is None:
            told += np.bincount(slots, weights=weak * weights * reach, minlength=told.size)
        else:
            # the network's contacts hear (all, or each with probability reach / degree);
            # the reach beyond them goes into ``told``
            _k.spread_messages(
                senders.astype(np.intp, copy=False), slots.astype(np.intp, copy=False),
                weights, self.degree, self.neighbours, float(reach), self.n, self.scale, weak,
                self.outbox, self.values, told, _k.bit_generator(rng),
            )  # fmt: skip
        self.buzz += told / self.n / self.scale


def tables(
    opinions: Opinions | None,
) -> tuple[NDArray[np.float32], NDArray[np.int32], NDArray[np.float32], NDArray[np.float64], float]:
    """What the kernels read opinions from: ``values``, the neighbour table, ``outbox``,
    ``buzz`` and ``scale`` (empty tables and scale 1 where nobody hears anything; an
    empty neighbour table without a network)."""
    if opinions is None:
        return _k.NO_TABLE, _k.NO_NEIGHBOURS, _k.NO_TABLE, _k.NO_MONEY, 1.0
    neighbours = _k.NO_NEIGHBOURS if opinions.neighbours is None else opinions.neighbours
    return opinions.values, neighbours, opinions.outbox, opinions.buzz, opinions.scale


def retell(
    opinions: Opinions,
    senders: NDArray[np.intp],
    slots: NDArray[np.intp],
    weights: NDArray[np.float64],
    reach: float,
    retell_prob: float,
    hops: int,
    strong: float,
    weak: float,
    rng: np.random.Generator,
) -> int:
    """Retell messages over up to ``hops`` further hops of the network (issue 15).

    Each network neighbour of a sender retells the sender's message with probability
    ``retell_prob`` to its own ``reach`` people, the network neighbours at weight times
    ``strong`` and the people further away at weight times ``weak`` (per retelling).
    Returns how many retellings there were (all hops).

    >>> from longgame.models.market._network import small_world
    >>> net = small_world(20, 2, 0.0, np.random.default_rng(0))  # a ring
    >>> op = Opinions(20, 1, net, forget=0.0)
    >>> n = retell(op, np.array([0]), np.array([0]), np.array([-1.0]), 2, 1.0, 2, 0.5, 0.5,
    ...            np.random.default_rng(0))
    >>> n, op.of(np.array([2, 3, 4]), np.array([0, 0, 0])).tolist()  # 1, 19 told 2, 18 ...
    (6, [-0.5, -0.25, 0.0])
    """
    if opinions.neighbours is None or retell_prob <= 0 or hops <= 0:
        return 0
    total = 0
    n = opinions.n
    for _ in range(hops):
        if senders.size == 0:
            break
        nbrs = np.take(opinions.neighbours, senders, axis=0)
        keep = (nbrs < n) & (rng.random(nbrs.shape) < retell_prob)
        rows = np.nonzero(keep)[0]
        senders = nbrs[keep].astype(np.intp)
        slots = slots[rows]
        weights = weights[rows] * strong
        total += int(senders.size)
        opinions.spread(senders, slots, weights, reach, rng, weak=weak / strong if strong else 0.0)
    return total


def neighbour_table(network: sparse.csr_array) -> NDArray[np.int32]:
    """The neighbours of each node as rows of a (nodes, max degree) int32 table.

    Rows are padded with the index ``nodes`` (one past the last node), so that a
    gather of a few rows is one contiguous read per row (a CSR row gather costs two
    dependent reads and a cumulative sum) and padding can point at a zero column.

    >>> from longgame.models.market._network import small_world
    >>> neighbour_table(small_world(6, 2, 0.0, np.random.default_rng(0))).tolist()[:2]
    [[1, 5], [0, 2]]
    """
    n = network.shape[0]
    indptr = network.indptr.astype(np.int64)
    degree = np.diff(indptr)
    width = int(degree.max()) if n and degree.size else 0
    table = np.full((n, max(width, 1)), n, dtype=np.int32)
    # flat position of each stored neighbour: its row's start in the table plus its
    # rank within the row
    flat = np.arange(indptr[-1], dtype=np.int64)
    flat += np.repeat(np.arange(n, dtype=np.int64) * table.shape[1] - indptr[:-1], degree)
    table.reshape(-1)[flat] = network.indices
    return table
