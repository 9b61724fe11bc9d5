"""Indirect reciprocity: help those with a good reputation (Nowak & Sigmund 1998).

Each round every individual is once a donor, paired with a uniformly random recipient,
in the donation game (giving costs the donor c and brings the recipient b). Three
strategies: **discriminators** help unless they know the recipient's reputation is bad,
**cooperators** always help, **defectors** never do. A donor knows the recipient's
reputation with probability ``observe`` (q). After each round the community assesses every
donor by a rule:

- ``image-scoring`` (first order): good iff the donor helped;
- ``standing``: good if it helped, or refused a bad recipient (justified refusal);
- ``stern-judging``: good iff it helped a good recipient or refused a bad one.

Everyone starts good. In a population of discriminators a rare defector soon turns bad and
is helped only when its reputation is unknown, so per round it earns b (1 - q) against the
residents' b - c: **discriminators resist defectors iff q > c/b** (Nowak 2006). With
standing or stern judging the residents' refusals keep them good and this is exact;
with image scoring a refusal costs the refuser its own reputation, which other
discriminators then punish, so image scoring needs a larger q.

Evolution is cultural: after ``rounds`` rounds each individual compares its mean payoff
per round with that of a random other and copies its strategy with the Fermi probability
``1 / (1 + exp(-s * (pi_other - pi_self)))`` (pairwise comparison, Traulsen et al. 2006),
keeping its own reputation. With s = 0 the strategy shares are martingales, so the
neutral fixation probability of a strategy is its initial share.

References:
    Nowak, M. A. & Sigmund, K. (1998). Evolution of indirect reciprocity by image
    scoring. *Nature* 393, 573-577.
    Ohtsuki, H. & Iwasa, Y. (2004). How should we define goodness? Reputation dynamics in
    indirect reciprocity. *J. Theor. Biol.* 231, 107-120.
    Nowak, M. A. (2006). Five rules for the evolution of cooperation. *Science* 314,
    1560-1563.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from longgame._rng import RNGLike, as_generator
from longgame.errors import InputError

__all__ = ["ASSESSMENTS", "STRATEGIES", "Assessment", "IndirectOutcome", "indirect_reciprocity"]

type Assessment = Literal["image-scoring", "standing", "stern-judging"]

#: Assessment rules by name.
ASSESSMENTS: tuple[str, ...] = ("image-scoring", "standing", "stern-judging")
#: The strategies, in the order of their indices in the population arrays.
STRATEGIES: tuple[str, ...] = ("discriminator", "cooperator", "defector")


@dataclass(frozen=True)
class IndirectOutcome:
    """What many independent populations did.

    Attributes:
        shares: (generations + 1, 3) mean share of each strategy (:data:`STRATEGIES`) over
            the runs after each generation; a run that fixed keeps its final shares.
        fixed: (3,) runs in which each strategy took over.
        runs: runs in all; unresolved runs hit ``max_generations`` with several left.
        cooperation: mean fraction of donations that were gifts, over runs and rounds of
            the first generation.
        initial: (3,) the initial shares (the neutral fixation probabilities).
        payoff: (3,) mean payoff per round of each strategy in the first generation,
            over all its members in all runs (NaN where absent). With one defector among
            discriminators, ``payoff[0] - payoff[2]`` is the residents' edge over an
            invader, b q - c when rounds are many (the transient while the invader
            still has a good reputation is 1/rounds of the rounds).
    """

    shares: NDArray[np.float64]
    fixed: NDArray[np.intp]
    runs: int
    cooperation: float
    initial: NDArray[np.float64]
    payoff: NDArray[np.float64]

    @property
    def probability(self) -> NDArray[np.float64]:
        """Fraction of runs each strategy took over."""
        return np.asarray(self.fixed / self.runs, dtype=np.float64)


def indirect_reciprocity(
    counts: tuple[int, int, int],
    b: float,
    c: float,
    *,
    observe: float,
    assessment: Assessment = "standing",
    rounds: int = 20,
    selection: float = 5.0,
    runs: int = 100,
    steps: int = 0,
    max_generations: int = 2000,
    rng: RNGLike = None,
) -> IndirectOutcome:
    """Run ``runs`` populations of discriminators, cooperators and defectors to fixation.

    Args:
        counts: initial (discriminators, cooperators, defectors), at least 2 in all.
        b, c: benefit and cost of a gift.
        observe: probability q that a donor knows the recipient's reputation.
        assessment: ``image-scoring``, ``standing`` or ``stern-judging``.
        rounds: donation rounds per generation (each individual donates once a round).
        selection: imitation strength s (per unit of mean payoff per round).
        runs: independent populations, advanced together.
        steps: generations of the recorded share series (runs go on to fixation).
        max_generations: safety cap on generations.

    >>> out = indirect_reciprocity((45, 0, 5), 3.0, 1.0, observe=0.9, runs=20, rng=1)
    >>> out.probability.round(2).tolist()  # q > c/b: discriminators keep defectors out
    [1.0, 0.0, 0.0]
    """
    if assessment not in ASSESSMENTS:
        raise InputError(
            f"indirect: assessment={assessment!r} is unknown; expected one of "
            f"{', '.join(ASSESSMENTS)}"
        )
    if not 0 <= observe <= 1:
        raise InputError(f"indirect: observe={observe!r} is invalid; expected a probability")
    init = np.asarray(counts, dtype=np.intp)
    n = int(init.sum())
    if init.shape != (3,) or np.any(init < 0) or n < 2:
        raise InputError(
            f"indirect: counts={list(counts)} are invalid; expected three counts >= 0 "
            "(discriminators, cooperators, defectors) summing to at least 2"
        )
    gen = as_generator(rng)
    kind = np.tile(np.repeat(np.arange(3, dtype=np.int8), init), (runs, 1))
    good = np.ones((runs, n), dtype=bool)
    alive = np.arange(runs)
    shares = np.zeros((steps + 1, 3))
    shares[0] = init / n
    fixed = np.zeros(3, dtype=np.intp)
    final_sum = np.zeros(3)  # summed shares of runs that are done
    gifts = 0.0
    donations = 0
    ident = np.arange(n)
    last = 0
    first = np.full(3, np.nan)
    for generation in range(1, max_generations + 1):
        if alive.size == 0:
            break
        last = generation
        k, rep = kind, good
        live = k.shape[0]
        payoff = np.zeros((live, n))
        rows = np.arange(live)[:, None]
        for _ in range(rounds):
            recipient = (ident[None, :] + gen.integers(1, n, (live, n))) % n
            known = gen.random((live, n)) < observe
            their = rep[rows, recipient]
            give = (k == 1) | ((k == 0) & ~(known & ~their))
            payoff -= c * give
            np.add.at(payoff, (np.broadcast_to(rows, give.shape), recipient), b * give)
            if assessment == "image-scoring":
                rep = give
            elif assessment == "standing":
                rep = give | ~their
            else:
                rep = give == their
            if generation == 1:
                gifts += float(give.sum())
                donations += give.size
        payoff /= rounds
        if generation == 1:
            first = np.array(
                [payoff[k == s].mean() if (k == s).any() else np.nan for s in range(3)]
            )
        model = (ident[None, :] + gen.integers(1, n, (live, n))) % n
        gap = payoff[rows, model] - payoff
        copy = gen.random((live, n)) < 1.0 / (1.0 + np.exp(-selection * gap))
        kind = np.where(copy, k[rows, model], k)
        good = rep
        frac = np.stack([(kind == s).mean(axis=1) for s in range(3)], axis=1)
        done = (frac == 1.0).any(axis=1)
        if done.any():
            fixed += (frac[done] == 1.0).sum(axis=0).astype(np.intp)
            final_sum += frac[done].sum(axis=0)
            kind, good, alive = kind[~done], good[~done], alive[~done]
        if generation <= steps:
            shares[generation] = (final_sum + frac[~done].sum(axis=0)) / runs
    last = min(last, steps)
    if last < steps:
        shares[last + 1 :] = shares[last]
    return IndirectOutcome(
        shares=shares,
        fixed=fixed,
        runs=runs,
        cooperation=gifts / max(donations, 1),
        initial=init / n,
        payoff=first,
    )
