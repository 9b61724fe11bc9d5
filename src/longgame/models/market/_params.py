"""Parameters of the market model, one pydantic sub-model per mechanism.

Every mechanism of DESIGN.md section 2 has its own block with an ``enabled`` switch, so
that a config can turn each idea of the source documents on, off and up, e.g.
``params.word_of_mouth.reach = 0``. Money amounts are in the same (arbitrary) currency
unit as the deal's value and cost; probabilities are per period (one step = one
purchase opportunity).

Seed texts cited below live in ``shared/seeds/``: 000 (interest exchange, after-sales
service, pure takers, "customers only need to be cheated once"), 001 (win-win vs
zero-sum, the stop-loss line), 002 (building customer relationships, ~150 contacts),
003 ("never be friends with customers": concessions and late payment), 004 (trust,
Girard's law of 250, the sales grid, "98% is feeling").
"""

from __future__ import annotations

import math
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "AcquisitionParams",
    "BeliefParams",
    "DisclosureParams",
    "ExchangeParams",
    "FriendshipParams",
    "LadderParams",
    "MarketParams",
    "NetworkParams",
    "RepeatParams",
    "SellerGroup",
    "ServiceParams",
    "StopLossParams",
    "TakerParams",
    "TrustParams",
    "TurnoverParams",
    "WordOfMouthParams",
    "group_strategies",
]


class _Block(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class ExchangeParams(_Block):
    """Mechanism 1, the exchange (seeds 000, 001: 零和博弈 vs 互利共赢).

    Each period an active customer buys with probability ``demand``. The deal creates
    surplus ``S = value - cost`` (``value == cost`` is the zero-sum case). A fair deal
    gives the seller the margin share ``m`` of ``S`` (from the seller's sale concern,
    between ``margin_low`` at concern 1 and ``margin_high`` at concern 9) and the
    customer ``(1 - m) S``. Fleecing charges ``overcharge * value`` above the value, so
    the seller takes ``S + overcharge * value`` and the customer loses
    ``overcharge * value``. ``noise`` is the standard deviation of the realised value
    (customer side) and of the realised cost (seller side) of each deal.
    ``onboarding`` is what the seller gives first in a new relationship (first deal).
    """

    value: float = Field(3.0, ge=0, description="value of one deal to the customer (money)")
    cost: float = Field(2.0, ge=0, description="seller's cost of one deal (money)")
    demand: float = Field(0.9, ge=0, le=1, description="purchase probability per period")
    overcharge: float = Field(0.2, ge=0, description="fleecing premium, fraction of value")
    margin_low: float = Field(0.3, ge=0, le=1, description="margin share at sale concern 1")
    margin_high: float = Field(0.8, ge=0, le=1, description="margin share at sale concern 9")
    noise: float = Field(0.3, ge=0, description="sd of realised value and cost (money)")
    onboarding: float = Field(0.5, ge=0, description="give-first investment in a new deal")

    @property
    def surplus(self) -> float:
        """Surplus created by one unit deal, ``value - cost`` (may be negative)."""
        return self.value - self.cost


class ServiceParams(_Block):
    """After-sales service (seed 000: 李林 in the electronics mall keeps his customers).

    A seller with customer concern ``cc`` (1..9) spends ``max_cost * (cc - 1) / 8`` per
    purchase (times the deal size); the customer values it at ``value_ratio`` times
    its cost, and it raises satisfaction and the repeat-purchase probability.
    """

    enabled: bool = True
    max_cost: float = Field(0.1, ge=0, description="service spend per deal at concern 9")
    value_ratio: float = Field(2.0, ge=0, description="customer value per unit of spend")
    repeat_gain: float = Field(0.04, ge=0, le=1, description="repeat prob. at full service")


class TrustParams(_Block):
    """Mechanism 2, trust and satisfaction (seed 004: trust is built step by step).

    Trust in [0, 1] rises by ``up * (1 - trust)`` after a good deal and falls by
    ``down * trust`` after a bad one (``down > up``: slow to build, fast to lose).
    Satisfaction is an exponentially weighted average (weight ``memory``) of the
    customer's surplus per deal, in money (with the default unit surplus it reads as a
    fraction of the surplus). A customer leaves
    when trust falls below its tolerance or satisfaction below minus its tolerance;
    tolerances are Beta distributed with mean ``tolerance_mean`` and concentration
    ``tolerance_concentration`` (heterogeneous customers).
    """

    enabled: bool = True
    initial: float = Field(0.5, ge=0, le=1, description="trust of a new customer")
    up: float = Field(0.1, ge=0, le=1, description="trust gain rate after a good deal")
    down: float = Field(0.4, ge=0, le=1, description="trust loss rate after a bad deal")
    memory: float = Field(0.3, gt=0, le=1, description="weight of the last deal in satisfaction")
    tolerance_mean: float = Field(0.25, gt=0, lt=1, description="mean tolerance threshold")
    tolerance_concentration: float = Field(10.0, gt=0, description="Beta a + b of tolerance")


class RepeatParams(_Block):
    """Mechanism 3, repeat purchase: the continuation probability of a relationship.

    Each period a customer stays with probability ``base`` plus the gains from service,
    satisfaction, relationship level and closeness, capped at ``cap``. Disabled means
    one-shot exchanges: every relationship ends after its first deal.
    """

    enabled: bool = True
    base: float = Field(0.9, ge=0, le=1, description="continuation probability per period")
    satisfaction_gain: float = Field(0.03, ge=0, le=1, description="gain per unit satisfaction")
    cap: float = Field(0.995, ge=0, le=1, description="highest continuation probability")


class AcquisitionParams(_Block):
    """Mechanism 4, acquisition (seed 000: always hunting new customers; seed 002: ~150).

    Each period a seller below ``capacity`` contacts up to ``contacts`` prospects at
    ``contact_cost`` each. An offer has utility ``u = logit(base_accept) +
    reputation_weight * opinion + social_proof_weight * proof``, where ``opinion`` is
    what the prospect has heard or experienced of the seller and ``proof`` the seller's
    satisfied customers per unit of capacity. A prospect chooses among the offers it got
    and staying out (utility 0) by multinomial logit; with one offer it accepts with
    probability ``logistic(u)`` (``base_accept`` when nothing else is known).
    Disabled: no new customers at all.
    """

    enabled: bool = True
    contacts: int = Field(20, ge=0, description="prospects contacted per seller per period")
    contact_cost: float = Field(0.2, ge=0, description="cost per contact (money)")
    base_accept: float = Field(0.3, gt=0, lt=1, description="acceptance with no information")
    reputation_weight: float = Field(1.0, ge=0, description="logit per unit of opinion")
    social_proof_weight: float = Field(1.0, ge=0, description="logit per unit of proof")
    capacity: int = Field(150, ge=1, description="relationships one seller keeps (Dunbar)")
    memory_weight: float = Field(2.0, ge=0, description="opinion left by own experience")


class NetworkParams(_Block):
    """Customer network for word of mouth (strong vs weak ties).

    A Watts-Strogatz graph: a ring lattice with ``degree`` neighbours per customer whose
    edges are rewired with probability ``rewire``. ``kind`` picks the default rewiring:
    ``"clustered"`` (0, strong ties, high clustering), ``"small-world"`` (0.1),
    ``"random"`` (1, weak ties).
    """

    kind: Literal["small-world", "clustered", "random"] = "small-world"
    degree: int = Field(10, ge=2, description="neighbours per customer (even)")
    rewire: float | None = Field(None, ge=0, le=1, description="rewiring probability")

    @field_validator("degree")
    @classmethod
    def _even(cls, value: int) -> int:
        # a ring lattice links each customer to degree / 2 neighbours on each side
        if value % 2:
            raise ValueError("expected an even number (degree / 2 neighbours on each side)")
        return value

    @property
    def rewire_probability(self) -> float:
        """``rewire`` or the default of ``kind``."""
        if self.rewire is not None:
            return self.rewire
        return {"clustered": 0.0, "small-world": 0.1, "random": 1.0}[self.kind]


class WordOfMouthParams(_Block):
    """Mechanism 5, word of mouth (seed 004: Girard's law of 250).

    A customer fleeced this period (the seller played 1 and the customer's surplus was
    negative) warns, with probability
    ``warn_prob``, up to ``reach`` people: its network neighbours first (strong ties),
    the rest spread over the population at random (weak ties). A delighted customer
    (surplus of at least ``delight`` in the deal) refers with ``refer_prob``.
    Each warning moves the hearer's opinion of the seller by ``-warn_weight``, each
    referral by ``+refer_weight``; opinions fade by ``forget`` per period.
    """

    enabled: bool = True
    reach: float = Field(250.0, ge=0, description="people told per warning (law of 250)")
    warn_prob: float = Field(1.0, ge=0, le=1)
    refer_prob: float = Field(0.3, ge=0, le=1)
    delight: float = Field(0.4, description="surplus per deal (money) that makes a referral")
    warn_weight: float = Field(1.0, ge=0)
    refer_weight: float = Field(0.5, ge=0)
    forget: float = Field(0.02, ge=0, le=1, description="opinion decay per period")
    network: NetworkParams = Field(default_factory=NetworkParams)


class StopLossParams(_Block):
    """Mechanism 6, stop-loss (seed 001: 止损线, "one third to test the water").

    A seller ends a relationship once its cumulative profit from it falls below
    ``-limit`` (``limit = inf``: never; ``0``: at the first loss), and leaves the market
    when its capital falls below ``capital * (1 - at_risk)``. ``overhead`` is a fixed
    cost per seller per period.
    """

    enabled: bool = True
    limit: float = Field(math.inf, ge=0, description="per-relationship loss limit L (money)")
    capital: float = Field(200.0, gt=0, description="starting capital per seller (money)")
    at_risk: float = Field(1.0, gt=0, le=1, description="fraction of capital a seller risks")
    overhead: float = Field(0.0, ge=0, description="fixed cost per seller per period")


class LadderParams(_Block):
    """Mechanism 7, the perception ladder (vendor -> ... -> strategic partner).

    Levels 0..4 (commodity vendor, differentiated supplier, value adder, partner,
    strategic partner). A customer moves up one level after ``tenure_per_level``
    purchases at the current level with trust at least ``trust_threshold`` and a fair
    last deal; a fleece drops it to level 0. Deal size is ``1 + size_gain * level`` and
    continuation probability gains ``loyalty_gain * level``.
    """

    enabled: bool = True
    tenure_per_level: int = Field(6, ge=1)
    trust_threshold: float = Field(0.6, ge=0, le=1)
    size_gain: float = Field(0.25, ge=0, description="extra deal size per level")
    loyalty_gain: float = Field(0.01, ge=0, le=1, description="continuation gain per level")


class FriendshipParams(_Block):
    """Mechanism 8, friendship (seed 003: friends get price cuts and pay late; 004: feeling).

    Closeness in [0, 1] grows by ``growth * (0.2 + 0.8 * cc') * (1 - closeness)`` per
    purchase (``cc'`` the seller's customer concern scaled to [0, 1]). It raises the
    continuation probability by ``loyalty * closeness``, makes the customer take
    (late payment) with extra probability ``late_payment * closeness``, and wins
    concessions of ``concession * closeness * y`` of the deal's surplus, where
    ``y = (cc - sc + 8) / 16`` is how readily the seller yields.
    """

    enabled: bool = True
    growth: float = Field(0.05, ge=0, le=1)
    loyalty: float = Field(0.04, ge=0, le=1)
    late_payment: float = Field(0.1, ge=0, le=1)
    concession: float = Field(0.1, ge=0, le=1)


class TakerParams(_Block):
    """Mechanism 9, pure takers (seed 000: 纯索取者 exhaust their partners).

    A share of customers are takers: each period they take (action 1: demand
    concessions, pay late) with probability ``take_prob``. Any taking round costs the
    seller ``extraction`` times the deal's value (times the deal size), which the
    customer pockets; friends take too, with the friendship probability.

    At the defaults a taker costs a seller who deals fair more than the deal earns:
    ``take_prob * extraction * value = 0.81`` per deal against a fair margin of at most
    0.8 (sales grid 9.1), so such a relationship never becomes profitable. A seller who
    fleeces a taker recovers the extraction through the overcharge (the stage game's
    ``P = T - extraction * value > 0``, see ``stage_payoffs``).
    """

    enabled: bool = True
    share: float = Field(0.1, ge=0, le=1)
    take_prob: float = Field(0.9, ge=0, le=1)
    extraction: float = Field(0.3, ge=0, description="cost of a taking round, share of value")


class TurnoverParams(_Block):
    """Mechanism 10, seller turnover and imitation (optional, off by default).

    A seller that leaves the market is replaced by an entrant who picks a random active
    seller as a model and copies its strategy with the pairwise-comparison (Fermi)
    probability ``1 / (1 + exp(-(pi_model - pi_leaver) / temperature))`` on recent
    profit per period (otherwise keeps the leaver's). With ``imitation_rate > 0``,
    active sellers also revise that way each period.
    """

    enabled: bool = False
    temperature: float = Field(1.0, gt=0)
    imitation_rate: float = Field(0.0, ge=0, le=1)
    profit_memory: float = Field(0.1, gt=0, le=1, description="EMA weight of recent profit")


class BeliefParams(_Block):
    """Reputation under incomplete information: beliefs, word of mouth and public reviews.

    Each customer holds, for each seller slot, a Beta(alpha, beta) belief over the chance
    ``p`` that the seller deals fair (Kreps & Wilson 1982; Milgrom & Roberts 1982; seed
    004: 信任是最大的贿赂). ``alpha = prior_strength * prior_fair + fair evidence`` and
    ``beta = prior_strength * (1 - prior_fair) + fleece evidence``. Evidence comes from:

    - own deals: ``own_weight`` per deal (fair -> alpha, fleece -> beta);
    - word of mouth: each network neighbour's own evidence, times ``talk`` (the share of
      its deals a neighbour tells about) and the tie's strength: ``strong_tie`` for a
      ring-lattice neighbour, ``weak_tie`` for a rewired (random) one (Granovetter 1973);
    - public reviews: a share ``visibility`` of all deals leaves a review, which reports
      the wrong outcome with probability ``review_noise``; each review counts
      ``review_weight * (1 - 2 * review_noise)`` (a pure-noise review counts nothing).
      A seller's public *rating* is ``(a0 + fair reviews) / (a0 + b0 + reviews)`` with
      the prior's pseudo-counts ``a0, b0``; every prospect sees it.

    All evidence fades by ``forget`` per period. Customers value a seller by the expected
    surplus of a deal under their belief, ``E = p cR + (1 - p) cT`` (``cR``, ``cT``: the
    customer's surplus of a fair and a fleecing deal, see ``stage_payoffs``). A prospect's
    offer utility is ``logit(base_accept) + social_proof + choice_weight * (E - E0)``
    (``E0`` at the prior mean: ``base_accept`` still means "nothing known"); it replaces
    the opinion term of acquisition. After a deal a customer stays with probability
    ``logistic(switching_cost + choice_weight * (E - outside))`` on top of the
    continuation draw, where ``outside`` is 0 (``outside_option = "none"``) or the
    expected surplus of an average seller at the market's mean public rating
    (``"market"``: switching is worth more when rivals are reputable); this replaces
    the trust-tolerance exit. ``known_end``: sellers' strategies are told the periods
    left until the end of the run (:meth:`MarketModel.run`). Off (default): the market
    behaves exactly as without this block.
    """

    enabled: bool = False
    prior_fair: float = Field(0.7, gt=0, lt=1, description="prior mean chance of a fair deal")
    prior_strength: float = Field(2.0, gt=0, description="prior pseudo-deals, a0 + b0")
    own_weight: float = Field(1.0, ge=0, description="evidence per own deal (deals)")
    talk: float = Field(0.3, ge=0, le=1, description="share of deals told to neighbours")
    strong_tie: float = Field(1.0, ge=0, le=1, description="weight of a lattice neighbour")
    weak_tie: float = Field(0.3, ge=0, le=1, description="weight of a rewired neighbour")
    visibility: float = Field(0.2, ge=0, le=1, description="share of deals leaving a review")
    review_noise: float = Field(0.1, ge=0, le=0.5, description="chance a review misreports")
    review_weight: float = Field(0.5, ge=0, description="evidence per review (deals)")
    forget: float = Field(0.05, ge=0, lt=1, description="evidence decay per period")
    choice_weight: float = Field(10.0, ge=0, description="logit per unit expected surplus")
    switching_cost: float = Field(4.0, description="logit bonus of staying at equal value")
    outside_option: Literal["none", "market"] = "market"
    known_end: bool = Field(False, description="sellers know the run's final period")


class DisclosureParams(_Block):
    """Two-way trust by matched self-disclosure: the Johari window (seed 002).

    Seed 002: 互信 = 他信 + 信他 (mutual trust = being trusted + trusting); 恰如其分的暴露
    自己可以快速縮短心理距離; self-disclosure is usually matched (相互性原則), and
    過分和過早的不適當的自我暴露會引起對方的慌亂和焦慮. Each relationship has an openness
    level 0..``levels`` on each side (its Johari "open area"). Each period with a deal:

    - the seller takes one disclosure step according to its group's pace (``pace``:
      group name -> ``"none"`` never, ``"matched"`` only when not ahead of the customer,
      ``"eager"`` every period; groups not listed use ``default_pace``); a step costs the
      seller ``step_cost`` (money: the time it takes);
    - a step is inappropriate when it leaves the seller more than ``tolerance`` levels
      ahead of the customer or comes before ``min_deals`` deals: the customer's trust
      then falls by the factor ``1 - backfire`` and it does not reciprocate this period
      (and leaves if trust falls below its tolerance);
    - otherwise a customer behind the seller reciprocates one step with probability
      ``reciprocity`` (its step costs it ``step_cost`` of surplus);
    - mutual trust ``MT = min(s, c) / levels``: the open area both sides share;
    - the ladder climbs faster with mutual trust: fair deals count ``1 + speedup * MT``
      times toward the tenure a level needs;
    - the customer's openness (its needs) raises the value the seller can deliver:
      ``need_value * c / levels`` per unit of deal size at ladder level 2 ("value adder")
      and above, split by the seller's margin share like the deal's surplus.

    Off (default): the market behaves exactly as without this block.
    """

    enabled: bool = False
    levels: int = Field(4, ge=1, description="openness levels per side")
    pace: dict[str, Literal["none", "matched", "eager"]] = Field(default_factory=dict)
    default_pace: Literal["none", "matched", "eager"] = "matched"
    reciprocity: float = Field(0.5, ge=0, le=1, description="chance a customer answers a step")
    step_cost: float = Field(0.05, ge=0, description="cost of one disclosure step (money)")
    tolerance: int = Field(1, ge=0, description="levels ahead a customer accepts")
    min_deals: int = Field(2, ge=0, description="deals before disclosure is appropriate")
    backfire: float = Field(0.3, ge=0, le=1, description="trust lost by a bad step (share)")
    speedup: float = Field(2.0, ge=0, description="ladder speed gain at full mutual trust")
    need_value: float = Field(0.5, ge=0, description="extra value at full customer openness")


class SellerGroup(_Block):
    """``count`` sellers running ``strategy`` (a registry name, alias or import path).

    ``label`` names the group in every result table and figure (default: ``strategy``
    as written, e.g. ``"fleecer"``, not the registry's ``"always-defect"``).
    """

    strategy: str
    count: int = Field(1, ge=0)
    params: dict[str, Any] = Field(default_factory=dict)
    label: str | None = Field(None, min_length=1, description="the group's name in results")

    @property
    def name(self) -> str:
        """The group's name in results: ``label``, else ``strategy`` as written."""
        return self.label if self.label is not None else self.strategy.strip()

    @model_validator(mode="after")
    def _known(self) -> Self:
        from longgame.strategies import get_strategy

        get_strategy(self.strategy, **self.params)
        return self


def group_strategies(params: MarketParams) -> dict[str, str]:
    """Each seller group's name in results -> its strategy's registry name.

    >>> group_strategies(MarketParams(sellers={"fleecer": 1, "probe": {"strategy": "prober"}}))
    {'fleecer': 'always-defect', 'probe': 'prober'}
    """
    from longgame.strategies import resolve

    return {g.name: resolve(g.strategy).name for g in params.sellers}


def _default_sellers() -> list[SellerGroup]:
    return [
        SellerGroup.model_construct(strategy="fleecer", count=5, params={}),
        SellerGroup.model_construct(strategy="fair-dealer", count=5, params={}),
    ]


class MarketParams(_Block):
    """All parameters of one market run.

    ``sellers`` is a list of ``{strategy, count, params, label}`` tables, a mapping
    ``strategy -> count``, or a mapping ``label -> {strategy, count, params}`` (so that a
    sweep can address one group: ``"sellers.probe.params.sale_concern"``). Results name
    each group by its label (the mapping's key, or ``label``), else by ``strategy`` as
    written.
    ``mode = "one-shot"`` is the anonymous one-shot market (no repeat purchase, no word
    of mouth, customers cannot recognise sellers, free acquisition): it overrides those
    settings. The run length is not a parameter: it is what the caller passes to
    :meth:`MarketModel.run` (or the runner to :func:`simulate`).

    >>> p = MarketParams(customers=500, sellers={"fleecer": 2, "fair-dealer": 2})
    >>> [(g.strategy, g.count) for g in p.sellers], p.word_of_mouth.reach
    ([('fleecer', 2), ('fair-dealer', 2)], 250.0)
    """

    customers: int = Field(2000, ge=1, description="number of customers in the market")
    sellers: list[SellerGroup] = Field(default_factory=_default_sellers)
    mode: Literal["repeated", "one-shot"] = "repeated"
    anonymous: bool = Field(False, description="customers cannot recognise sellers")
    history_depth: int = Field(2, ge=1, description="past rounds kept per relationship")
    exchange: ExchangeParams = Field(default_factory=ExchangeParams)
    service: ServiceParams = Field(default_factory=ServiceParams)
    trust: TrustParams = Field(default_factory=TrustParams)
    repeat: RepeatParams = Field(default_factory=RepeatParams)
    acquisition: AcquisitionParams = Field(default_factory=AcquisitionParams)
    word_of_mouth: WordOfMouthParams = Field(default_factory=WordOfMouthParams)
    stop_loss: StopLossParams = Field(default_factory=StopLossParams)
    ladder: LadderParams = Field(default_factory=LadderParams)
    friendship: FriendshipParams = Field(default_factory=FriendshipParams)
    takers: TakerParams = Field(default_factory=TakerParams)
    turnover: TurnoverParams = Field(default_factory=TurnoverParams)
    # issue 16: reputation under incomplete information (off by default)
    beliefs: BeliefParams = Field(default_factory=BeliefParams)
    # issue 16: two-way trust by matched self-disclosure (off by default)
    disclosure: DisclosureParams = Field(default_factory=DisclosureParams)

    @field_validator("sellers", mode="before")
    @classmethod
    def _sellers_mapping(cls, value: Any) -> Any:
        # {name: count}, or {label: {strategy, count, params}}: a table keyed by a label
        # lets a sweep reach one group's settings, e.g. "sellers.probe.params.sale_concern"
        if isinstance(value, dict):
            return [
                {"label": k, **v} if isinstance(v, dict) else {"strategy": k, "count": v}
                for k, v in value.items()
            ]
        return value

    @model_validator(mode="after")
    def _one_shot(self) -> Self:
        if sum(g.count for g in self.sellers) < 1:
            raise ValueError("sellers: no sellers; expected at least one seller in total")
        if self.mode == "one-shot":
            # copies, so that a sub-model the caller passed in is never mutated
            object.__setattr__(self, "anonymous", True)
            object.__setattr__(self, "repeat", self.repeat.model_copy(update={"enabled": False}))
            wom = self.word_of_mouth.model_copy(update={"enabled": False})
            object.__setattr__(self, "word_of_mouth", wom)
            acq = self.acquisition.model_copy(update={"contact_cost": 0.0})
            object.__setattr__(self, "acquisition", acq)
        return self
