"""The market: few sellers (Mesa agents) with books of many customers (numpy arrays).

One step, in the order of DESIGN.md section 3.4:

1. demand: each customer in a relationship buys with probability ``demand`` (always in
   the first period of a relationship);
2. deals: each seller strategy decides once for all its buying relationships, from a
   :class:`~longgame.strategies.HistoryView` built over the customers' arrays (0 = deal
   fair, 1 = fleece); customers act too (0 = pay, 1 = take);
3. payoffs (:mod:`._exchange`), histories, closeness, ladder;
4. customers update trust and satisfaction (:mod:`._trust`);
5. exits: strategy exits, per-relationship stop-loss, customers leaving on low trust or
   satisfaction, and the end of the continuation draw (repeat purchase);
6. word of mouth (:mod:`._wordofmouth`) and own memory;
7. acquisition (:mod:`._acquisition`) with prospecting costs;
8. seller capital, bankruptcy (capital at risk), turnover and imitation
   (:mod:`._turnover`);
9. metrics (:mod:`._metrics`).

Speed: a step's per-relationship work runs in a few compiled loops
(:mod:`._kernels`, numba), each fusing what used to be a run of numpy passes: select the
buyers and gather their rows once into compact copies (sorted by strategy, so that each
strategy's :class:`~longgame.strategies.HistoryView` is a slice of them), make the deals,
write them back with trust, closeness and the ladder, decide who stays, spread word of
mouth, acquire customers (one call: contacts, offers, choices, new relationships) and
record the metrics. Random numbers come from the model's numpy generator exactly as
before (the kernels draw through its C interface, by numpy's algorithms), and the
arithmetic is the numpy rules' (same float types, sums in the same order), so a seed
gives the same run bit for bit. Kernels write into buffers made once per model. At
10^5 customers a step costs about 0.1 microseconds of CPU per relationship, set by the
memory traffic of the gathered rows; at a few thousand customers about 0.17 ms in all
(issue 17: 0.28 ms before the kernels drew and fused the per-step Python), of which
Mesa's step scheduling, the strategies' views and decisions and the deal noise's numpy
ufuncs are most of what is not compiled (see ``benchmarks/bench_market.py``).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import mesa
import numpy as np
from numpy.typing import NDArray

from longgame._rng import RNGLike, as_generator
from longgame.errors import InputError
from longgame.models.market import _kernels as _k
from longgame.models.market._acquisition import contact
from longgame.models.market._attention import capacity, quality, quality_loss
from longgame.models.market._beliefs import (
    Beliefs,
    ExtraMetrics,
    expected_surplus,
    stay_probability,
)
from longgame.models.market._customers import (
    CLOSENESS,
    TOLERANCE,
    TRUST,
    CustomerPopulation,
    Gathered,
)
from longgame.models.market._disclosure import PACES, Disclosure
from longgame.models.market._exchange import (
    SellerProfile,
    profile,
    stage_payoffs,
)
from longgame.models.market._friendship import (
    closeness_rate,
)
from longgame.models.market._ladder import update_levels
from longgame.models.market._metrics import MIN_RETENTION_BASE, MetricsRecorder, SpellRecorder
from longgame.models.market._network import small_world
from longgame.models.market._params import MarketParams
from longgame.models.market._receivables import Receivables, late_payments, price
from longgame.models.market._turnover import fermi_choice
from longgame.models.market._value import felt_surplus, skill_gains, train
from longgame.models.market._wordofmouth import Opinions, retell, tables
from longgame.strategies import HistoryView

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

    from longgame.models._spec import RunOutput
    from longgame.strategies import Strategy

__all__ = ["MarketModel", "Seller", "validate_params"]

#: Stand-ins for draws that a step does not make (the kernels take arrays).
_NO_DRAWS: NDArray[np.float32] = np.zeros(0, dtype=np.float32)
_NO_NOISE: NDArray[np.float32] = np.zeros((2, 0), dtype=np.float32)
_NO_MOOD: NDArray[np.float32] = np.zeros((0, 4), dtype=np.float32)
_NO_SLOTS: NDArray[np.intp] = np.zeros(0, dtype=np.intp)


def validate_params(
    params: MarketParams | Mapping[str, Any] | None, **overrides: Any
) -> MarketParams:
    """``params`` (a MarketParams, a mapping or None for defaults) with ``overrides``.

    Validation errors become one :class:`InputError` with one line per problem.

    >>> validate_params({"customers": -5}).customers
    Traceback (most recent call last):
    ...
    longgame.errors.InputError: market: customers=-5 is invalid; expected greater than ...
    """
    from pydantic import ValidationError

    if isinstance(params, MarketParams):
        raw: dict[str, Any] = params.model_dump()
    else:
        raw = dict(params or {})
    raw.update(overrides)
    try:
        return MarketParams.model_validate(raw)
    except ValidationError as exc:
        from longgame._validation import format_validation_error

        raise InputError(*format_validation_error(exc, "market", "", MarketParams)) from None


def _segment_sums(x: NDArray[np.float64], bounds: NDArray[np.intp]) -> NDArray[np.float64]:
    """Sums of ``x[bounds[g]:bounds[g + 1]]`` for each g (0 for an empty segment)."""
    starts = bounds[:-1]
    nonempty = bounds[1:] > starts
    sums = np.zeros(starts.size)
    if nonempty.any():
        sums[nonempty] = np.add.reduceat(x, starts[nonempty])
    return sums


class Seller(mesa.Agent):  # type: ignore[misc]
    """One seller: a Mesa agent whose numbers live in the model's per-slot arrays.

    ``slot`` indexes the model's seller arrays and the customers' ``seller`` column; a
    replacement entrant reuses the slot of the seller it replaces.
    """

    def __init__(self, model: MarketModel, slot: int) -> None:
        super().__init__(model)
        self.slot = slot

    @property
    def market(self) -> MarketModel:
        """The model (typed)."""
        m: MarketModel = self.model
        return m

    @property
    def group(self) -> str:
        """Registry name of the strategy this seller runs."""
        return self.market.groups[int(self.market.seller_group[self.slot])]

    @property
    def strategy(self) -> Strategy:
        """The strategy object (shared by all sellers of the group)."""
        return self.market.strategies[int(self.market.seller_group[self.slot])]

    @property
    def capital(self) -> float:
        """Current capital (money)."""
        return float(self.market.capital[self.slot])

    @property
    def active(self) -> bool:
        """Whether the seller is still in the market."""
        return bool(self.market.seller_active[self.slot])

    @property
    def customers(self) -> int:
        """Number of customers in its book."""
        return int(np.count_nonzero(self.market.customers.seller == self.slot))

    def __repr__(self) -> str:
        return f"Seller(slot={self.slot}, group={self.group!r}, capital={self.capital:.2f})"


class MarketModel(mesa.Model):  # type: ignore[misc]
    """The market model.

    Args:
        params: a :class:`MarketParams`, a mapping of its fields, or None (defaults).
        rng: seed or Generator (the model's only source of randomness).
        **overrides: top-level parameter overrides, e.g. ``customers=500``.

    >>> m = MarketModel({"sellers": {"fleecer": 2, "fair-dealer": 2}}, customers=400, rng=1)
    >>> m.run_for(30)
    >>> df = m.metrics()
    >>> sorted(df.group.unique())  # groups as named in the config
    ['fair-dealer', 'fleecer']
    >>> m.group_strategies()  # and their strategies' registry names
    {'fleecer': 'always-defect', 'fair-dealer': 'always-cooperate'}
    >>> len(m.sellers), m.customers.n
    (4, 400)
    """

    def __init__(
        self,
        params: MarketParams | Mapping[str, Any] | None = None,
        *,
        rng: RNGLike = None,
        **overrides: Any,
    ) -> None:
        p = validate_params(params, **overrides)
        super().__init__(rng=as_generator(rng))
        self.params = p
        from longgame.strategies import get_strategy

        #: each seller group's name in results: its label, else its strategy as written
        self.groups: list[str] = []
        self.strategies: list[Strategy] = []
        slot_groups: list[int] = []
        for entry in p.sellers:
            strat = get_strategy(entry.strategy, **entry.params)
            if entry.name in self.groups:
                g = self.groups.index(entry.name)
                if self.strategies[g] != strat:
                    raise InputError(
                        f"market: sellers: group {entry.name!r} is listed twice with "
                        f"different strategies ({self.strategies[g]!r}, {strat!r}); expected "
                        "each group once, or a distinct label per group"
                    )
            else:
                g = len(self.groups)
                self.groups.append(entry.name)
                self.strategies.append(strat)
            slot_groups += [g] * entry.count
        n_sellers = len(slot_groups)
        rng_ = self.rng
        self.customers = CustomerPopulation.draw(
            p.customers,
            taker_share=p.takers.share if p.takers.enabled else 0.0,
            tolerance_mean=p.trust.tolerance_mean,
            tolerance_concentration=p.trust.tolerance_concentration,
            depth=p.history_depth,
            rng=rng_,
        )
        self.state: list[dict[str, NDArray[Any]]] = [
            s.init_state(p.customers) for s in self.strategies
        ]
        self.seller_group: NDArray[np.intp] = np.asarray(slot_groups, dtype=np.intp)
        self.seller_active: NDArray[np.bool_] = np.ones(n_sellers, dtype=np.bool_)
        self.capital: NDArray[np.float64] = np.full(n_sellers, p.stop_loss.capital)
        self.recent_profit: NDArray[np.float64] = np.zeros(n_sellers)
        self._profiles: list[SellerProfile] = [
            profile(getattr(s, "customer_concern", 5), getattr(s, "sale_concern", 5), p)
            for s in self.strategies
        ]
        # issue 15: a group's own margin (over its grid position's) and its befriending
        entry_of = {e.name: e for e in reversed(p.sellers)}  # a name's first entry wins
        margins = [entry_of[g].margin for g in self.groups]
        self._profiles = [
            q if m is None else dataclasses.replace(q, margin=m)
            for m, q in zip(margins, self._profiles, strict=True)
        ]
        self._befriend = np.array([entry_of[g].befriend for g in self.groups])
        prof = self._profiles
        self._group_profile: tuple[NDArray[np.float64], ...] = tuple(
            np.array([getattr(q, name) for q in prof], dtype=np.float64)
            for name in ("margin", "service", "yield_", "care")
        )
        self._train = np.array([entry_of[g].train for g in self.groups])
        self._promise = np.array([entry_of[g].promise for g in self.groups])
        # constant per group, read every step: customer concern (float32, as the
        # continuation rule takes it) and the growth rate of closeness
        self._care_g = self._group_profile[3].astype(np.float32)
        rate_g = closeness_rate(self._group_profile[3], p)
        if (self._befriend != 1.0).any():
            rate_g = (rate_g * self._befriend).astype(np.float32)
        self._rate_g: NDArray[np.float32] = rate_g.astype(np.float32)
        # constant switches, read every step
        self._trains = bool(self._train.any())
        self._promises = bool(self._promise.any())
        #: each seller's skill: the extra share of value its deals deliver
        self.skill: NDArray[np.float64] = np.zeros(n_sellers)
        #: money owed to each seller by late payers (None unless ``receivables.enabled``)
        self.receivables: Receivables | None = (
            Receivables(n_sellers, p.receivables.delay) if p.receivables.enabled else None
        )
        self.seller_agents: list[Seller] = [Seller(self, slot) for slot in range(n_sellers)]
        self.sellers = self.agents_by_type[Seller]
        opinions_needed = p.word_of_mouth.enabled or not p.anonymous
        network = None
        if p.word_of_mouth.enabled:
            net = p.word_of_mouth.network
            network = small_world(p.customers, net.degree, net.rewire_probability, rng_)
        #: the word-of-mouth network (symmetric CSR adjacency), None without word of mouth
        self.network = network
        self.opinions: Opinions | None = (
            Opinions(p.customers, n_sellers, network, p.word_of_mouth.forget)
            if opinions_needed
            else None
        )
        self._recorder = MetricsRecorder(self.groups)
        self._scratch = _k.Scratch(p.customers, p.history_depth)
        # issue 15: lifetime value of the relationships that ended this step, per group
        self._ended_value = np.zeros(len(self.groups))
        self._ended_count = np.zeros(len(self.groups))
        self._spells = SpellRecorder()
        self._depths = [
            max(1, min(p.history_depth, int(s.memory_depth)))
            if math.isfinite(s.memory_depth)
            else p.history_depth
            for s in self.strategies
        ]
        self._columns = self._gathered_columns()
        self._capacity = float(capacity(p))
        self._exits = [s.exits for s in self.strategies]
        # mechanisms whose numpy rules read the number of buyers per group (and skill)
        self._extras = (
            p.disclosure.enabled or p.beliefs.enabled or p.receivables.enabled
            or self._promises or self._trains
        )  # fmt: skip
        self._kernel_constants(p)
        self._free: NDArray[np.intp] = np.empty(p.customers, dtype=np.intp)
        self._all_slots: NDArray[np.intp] = np.arange(n_sellers, dtype=np.intp)
        ba = p.acquisition.base_accept
        self._base_logit = np.log(ba / (1 - ba))
        # issue 16: beliefs and public reviews (None when off), public information
        self.beliefs: Beliefs | None = None
        #: the last period of the run when known (set by :meth:`run`)
        self.end_step: int | None = None
        self.seller_entered: NDArray[np.int64] = np.zeros(n_sellers, dtype=np.int64)
        self._reads_public = [bool(getattr(s, "public_inputs", ())) for s in self.strategies]
        self._extra: ExtraMetrics | None = None
        self._belief_g: NDArray[np.float64] = np.full(len(self.groups), np.nan)
        pay = [stage_payoffs(p, q) for q in self._profiles]
        self._surplus_fair_g = np.array([x["cR"] for x in pay])
        self._surplus_fleece_g = np.array([x["cT"] for x in pay])
        if p.beliefs.enabled:
            net = p.word_of_mouth.network
            degree = net.degree if p.word_of_mouth.enabled else 0
            self.beliefs = Beliefs(
                p.customers, n_sellers, degree, net.rewire_probability, p.beliefs
            )
            self._extra = ExtraMetrics(("belief", "rating", "fair_share"), self.groups)
        # issue 16: two-way trust by matched self-disclosure (None when off)
        self.disclosure: Disclosure | None = None
        self._johari: ExtraMetrics | None = None
        if p.disclosure.enabled:
            dp = p.disclosure
            unknown = sorted(set(dp.pace) - set(self.groups))
            if unknown:
                raise InputError(
                    f"market: disclosure.pace: group {unknown[0]!r} is unknown; expected one "
                    f"of the seller groups {', '.join(map(repr, self.groups))}"
                )
            self.disclosure = Disclosure(p.customers, dp)
            self._pace_g = np.array(
                [PACES.index(dp.pace.get(g, dp.default_pace)) for g in self.groups], np.int8
            )
            self._johari = ExtraMetrics(
                ("ladder_level", "seller_openness", "customer_openness", "mutual_trust"),
                self.groups,
            )

    # -- helpers ----------------------------------------------------------------------

    def _kernel_constants(self, p: MarketParams) -> None:
        """The kernels' scalar arguments, fixed for the run, converted once (issue 17:
        converting them every step cost about as much as a small kernel's work)."""
        f32 = np.float32
        ex, fp, lp, tp, rp, wp = (
            p.exchange, p.friendship, p.ladder, p.trust, p.repeat, p.word_of_mouth
        )  # fmt: skip
        self._select_demand = (f32(ex.demand), ex.demand >= 1)
        self._forget_sale = f32(fp.forget_sale)
        self._noise_factor = f32(-2.0 * ex.noise * ex.noise)
        self._deal_constants = (
            f32(fp.late_payment), f32(p.takers.take_prob), fp.enabled, p.takers.enabled,
            # issue 15: with receivables, a friend's late payment is owed, not extracted
            p.receivables.enabled,
            lp.size_gain, lp.enabled, ex.surplus, ex.surplus + ex.overcharge * ex.value,
            p.service.enabled, p.service.value_ratio, fp.concession * ex.surplus,
            fp.enabled and ex.surplus > 0, p.takers.extraction * ex.value, ex.noise > 0,
            ex.onboarding,
        )  # fmt: skip
        self._settle_constants = (
            self.seller_group.size, fp.enabled, lp.enabled, f32(lp.trust_threshold),
            lp.tenure_per_level, tp.enabled, f32(tp.memory), f32(tp.up), f32(1 - tp.down),
        )  # fmt: skip
        self._stay_constants = (
            rp.enabled, f32(rp.base), f32(rp.satisfaction_gain),
            f32(p.service.repeat_gain if p.service.enabled else 0.0),
            f32(lp.loyalty_gain if lp.enabled else 0.0),
            f32(fp.loyalty if fp.enabled else 0.0), f32(rp.cap),
        )  # fmt: skip
        self._talk_constants = (
            f32(wp.warn_prob), f32(wp.refer_prob), wp.delight, wp.warn_weight, wp.refer_weight,
        )  # fmt: skip
        # word of mouth in one kernel on a network, unless messages are retold
        op = self.opinions
        self._tell_all = (
            wp.enabled
            and op is not None
            and op.neighbours is not None
            and wp.reach > 0
            and wp.retell <= 0
        )

    def _slot_arrays(self) -> tuple[NDArray[np.float64], ...]:
        """Each slot's margin, service, yield and care (its group's profile)."""
        sg = self.seller_group
        return tuple(x[sg] for x in self._group_arrays())

    def _group_arrays(self) -> tuple[NDArray[np.float64], ...]:
        """Each group's margin, service, yield and care (profiles are fixed per group)."""
        return self._group_profile

    def history_view(self, group: int, idx: NDArray[np.intp]) -> HistoryView:
        """The :class:`HistoryView` of strategy ``group`` over customers ``idx``.

        Rows are copies; the caller writes ``view.state`` back with :meth:`_write_state`.
        ``group = -1`` gives all kept history columns and no strategy state.
        """
        hist = self.customers.gather(idx)
        if group < 0:
            return hist.view(self.customers.depth)
        return self._view(hist, slice(None), group, idx)

    def _view(self, hist: Gathered, rows: slice, group: int, idx: NDArray[np.intp]) -> HistoryView:
        """Strategy ``group``'s view of ``rows`` of ``hist`` (customers ``idx``)."""
        state = {k: v[idx] for k, v in self.state[group].items()}
        view = hist.view(self._depths[group], rows, state)
        if self._reads_public[group]:
            view.public = self._public(idx)
        return view

    def _gathered_columns(self) -> list[tuple[NDArray[Any], ...]]:
        """Each strategy's HistoryView columns over the step's gathered rows.

        Made once (issue 17: building the views from the three-axis buffers cost more
        than the strategies' decisions), so that a step's view is one slice of each.
        """
        ws = self._scratch
        return [
            (
                ws.rounds,
                ws.actions[:, 0, :d],
                ws.actions[:, 1, :d],
                ws.counts[:, 0],
                ws.counts[:, 1],
                ws.totals[:, 0],
                ws.totals[:, 1],
                ws.latest[:, 0],
                ws.latest[:, 1],
            )
            for d in self._depths
        ]

    def _step_view(self, rows: slice, group: int, idx: NDArray[np.intp]) -> HistoryView:
        """Strategy ``group``'s view of ``rows`` of this step's gathered buyers
        (customers ``idx``): what :meth:`_view` gives, from the columns made once."""
        if self._columns[group][1].base is not self._scratch.actions:
            # a copied or unpickled model holds copies, not views, of the buffers
            self._columns = self._gathered_columns()
        own = self.state[group]
        state = {k: v[idx] for k, v in own.items()} if own else {}
        c = self._columns[group]
        view = HistoryView(
            rounds=c[0][rows], own_last=c[1][rows], partner_last=c[2][rows],
            own_counts=c[3][rows], partner_counts=c[4][rows], own_payoff=c[5][rows],
            partner_payoff=c[6][rows], last_own_payoff=c[7][rows],
            last_partner_payoff=c[8][rows], state=state,
        )  # fmt: skip
        if self._reads_public[group]:
            view.public = self._public(idx)
        return view

    def _write_state(self, group: int, idx: NDArray[np.intp], view: HistoryView) -> None:
        for k, v in view.state.items():
            self.state[group][k][idx] = v

    def _init_state(self, idx: NDArray[np.intp], groups: NDArray[np.intp]) -> None:
        for g, strat in enumerate(self.strategies):
            if not self.state[g]:
                continue
            rows = idx[groups == g]
            if rows.size:
                fresh = strat.init_state(int(rows.size))
                for k, v in fresh.items():
                    self.state[g][k][rows] = v

    # -- beliefs and public reputation (issue 16) ---------------------------------------

    def ratings(self) -> NDArray[np.float64]:
        """Each seller slot's public rating (the prior mean without beliefs)."""
        if self.beliefs is None:
            return np.full(self.seller_group.size, self.params.beliefs.prior_fair)
        return self.beliefs.rating()

    def _market_rating(self, rating: NDArray[np.float64]) -> float:
        active = self.seller_active
        return float(rating[active].mean()) if active.any() else float(rating.mean())

    def _public(self, idx: NDArray[np.intp]) -> dict[str, NDArray[Any]]:
        """Public information about the sellers of customers ``idx`` (see HistoryView)."""
        bp = self.params.beliefs
        t = int(self.steps)
        slots = self.customers.seller[idx].astype(np.intp)
        rating = self.ratings()
        n = idx.size
        known = bp.known_end and self.end_step is not None
        remaining = float(self.end_step - t + 1) if known and self.end_step else math.inf
        return {
            "rating": rating[slots],
            "market_rating": np.full(n, self._market_rating(rating)),
            "age": (t - self.seller_entered[slots]).astype(np.float64),
            "remaining": np.full(n, remaining),
            "visibility": np.full(n, bp.visibility if self.beliefs is not None else 0.0),
            "review_noise": np.full(n, bp.review_noise),
        }

    def _belief_stay(
        self,
        deals: NDArray[np.intp],
        slot_b: NDArray[np.intp],
        counts: NDArray[np.intp],
        bounds: NDArray[np.intp],
    ) -> NDArray[np.float32]:
        """Buyers' chance of staying by expected surplus under their belief (logit);
        ``deals`` (buyers, 2) are their sellers' fair and fleecing deals so far."""
        assert self.beliefs is not None
        bp = self.params.beliefs
        p_fair = self.beliefs.current(slot_b, deals)
        value = expected_surplus(
            p_fair,
            np.repeat(self._surplus_fair_g, counts),
            np.repeat(self._surplus_fleece_g, counts),
        )
        outside = 0.0
        if bp.outside_option == "market":
            outside = self._outside_value()
        with np.errstate(invalid="ignore", divide="ignore"):
            self._belief_g = _segment_sums(p_fair, bounds) / counts
        return stay_probability(value, outside, bp)

    def _outside_value(self) -> float:
        """Expected surplus of a deal with an average active seller at its public rating."""
        active = self.seller_active
        if not active.any():
            return 0.0
        g = self.seller_group[active]
        v = expected_surplus(
            self.ratings()[active], self._surplus_fair_g[g], self._surplus_fleece_g[g]
        )
        return float(v.mean())

    def _offer_value(self, cand: NDArray[np.intp], who: NDArray[np.intp]) -> NDArray[np.float64]:
        """Logit utility of offers from sellers ``who`` to prospects ``cand`` (beliefs)."""
        assert self.beliefs is not None
        bp = self.params.beliefs
        g = self.seller_group[who]
        cr, ct = self._surplus_fair_g[g], self._surplus_fleece_g[g]
        p_fair = self.beliefs.mean(cand, who)
        value = expected_surplus(p_fair, cr, ct)
        ref = expected_surplus(np.full(who.size, bp.prior_fair), cr, ct)
        out: NDArray[np.float64] = bp.choice_weight * (value - ref)
        return out

    def _record_beliefs(self, bounds: NDArray[np.intp], seller_act: NDArray[np.int8]) -> None:
        assert self._extra is not None
        G = len(self.groups)
        sg = self.seller_group
        active = self.seller_active
        rating = self.ratings()
        with np.errstate(invalid="ignore", divide="ignore"):
            fair = _segment_sums((seller_act == 0).astype(np.float64), bounds) / np.diff(bounds)
            n_act = np.bincount(sg[active], minlength=G)
            rating_g = np.bincount(sg[active], weights=rating[active], minlength=G) / n_act
        self._extra.record(belief=self._belief_g.copy(), rating=rating_g, fair_share=fair)
        self._belief_g[:] = np.nan

    def _record_johari(self, b: NDArray[np.intp], bounds: NDArray[np.intp]) -> None:
        """Per group, over this period's buyers: ladder level, both openness levels and
        mutual trust after this period's disclosure."""
        assert self.disclosure is not None
        assert self._johari is not None
        d = self.disclosure
        n = np.diff(bounds).astype(np.float64)

        def mean(x: NDArray[Any]) -> NDArray[np.float64]:
            with np.errstate(invalid="ignore", divide="ignore"):
                out: NDArray[np.float64] = _segment_sums(x.astype(np.float64), bounds) / n
            return out

        self._johari.record(
            ladder_level=mean(self.customers.level[b]),
            seller_openness=mean(d.seller_open[b]),
            customer_openness=mean(d.customer_open[b]),
            mutual_trust=mean(d.mutual(b)),
        )

    # -- one step ----------------------------------------------------------------------

    def step(self) -> None:
        """One period of the market (see the module docstring for the order)."""
        p = self.params
        rng = self.rng
        pop = self.customers
        t = int(self.steps)
        G = len(self.groups)
        S = self.seller_group.size
        care = self._care_g[self.seller_group]
        active_start = self.seller_active.copy()
        bg = _k.bit_generator(rng)  # the kernels that draw use rng's bit generator
        f32 = np.float32

        # 1. demand: this period's relationships (``cur``) and buyers (``b``, sorted by
        # strategy so that each strategy's rows are one slice, ``parts``), their rows
        # gathered once into compact copies (scattered back below)
        # (and the buyers' uniforms for their actions, drawn next)
        demand = p.exchange.demand
        ws = self._scratch
        # issue 15: a friend's purchase is chatted away (seed 003); closeness is 0 at a
        # relationship's first deal, so that one always happens
        chat = p.friendship.enabled and p.friendship.forget_sale > 0
        n_cur, n_b, book_start, bounds = _k.select_drawing(
            bg, 0 < demand < 1, chat, ws.uniform, ws.u_cust, pop.seller, pop.start, pop.mood,
            pop.level, pop.taker, pop.actions, pop.counts, pop.totals, pop.latest,
            self.seller_group, G, t, *self._select_demand, self._forget_sale, ws.select,
        )  # fmt: skip
        cur, slot_cur = ws.cur[:n_cur], ws.slot_cur[:n_cur]
        pos_b, order, b, slot_b = ws.pos_b[:n_b], ws.order[:n_b], ws.b[:n_b], ws.slot_b[:n_b]
        rounds_b, actions_b, counts_b = ws.rounds[:n_b], ws.actions[:n_b], ws.counts[:n_b]
        totals_b, latest_b, mood = ws.totals[:n_b], ws.latest[:n_b], ws.mood[:n_b]
        level_b, taker_b = ws.level[:n_b], ws.taker[:n_b]
        hist = Gathered(rounds_b, actions_b, counts_b, totals_b, latest_b)
        edges = bounds.tolist()
        parts = [slice(edges[g], edges[g + 1]) for g in range(G)]
        trust_b, tol_b = mood[:, TRUST], mood[:, TOLERANCE]

        # 2. deals: customers' draws first, then each strategy decides for its buyers
        u_cust = ws.u_cust[:n_b]
        seller_act = ws.seller_act[:n_b]  # every buyer's slice is written below
        for g, sel in enumerate(parts):
            if sel.start == sel.stop:
                continue
            idx = b[sel]
            view = self._step_view(sel, g, idx)
            seller_act[sel] = self.strategies[g].decide(view, rng)
            if view.state:
                self._write_state(g, idx, view)

        # 3. payoffs, histories, closeness, ladder
        ex = p.exchange
        skilled = np.count_nonzero(self.skill) > 0
        # buyers per group, for the numpy rules of some mechanisms
        counts = np.diff(bounds) if self._extras or skilled else _NO_SLOTS
        margin_g, service_g, yield_g, _ = self._group_arrays()
        z = _NO_NOISE
        if ex.noise > 0:  # standard_normal_pairs: numpy's log1p, cos and sin between
            u_noise = ws.u_noise[: 2 * n_b].reshape(2, n_b)
            _k.noise_uniforms(bg, u_noise)
            np.log1p(u_noise[0], out=u_noise[0])
            z = np.empty((2, n_b), dtype=f32)
            np.cos(u_noise[1], out=z[0])
            np.sin(u_noise[1], out=z[1])
            _k.noise_finish(u_noise[0], self._noise_factor, z)
        _k.deal(
            seller_act, u_cust, taker_b, mood, level_b, rounds_b, bounds, margin_g,
            service_g, yield_g, z, *self._deal_constants, ws.deal,
        )  # fmt: skip
        cust_act, size_b = ws.cust_act[:n_b], ws.size[:n_b]
        profit, surplus = ws.profit[:n_b], ws.surplus[:n_b]
        margin_b: NDArray[np.float64] | None = None
        if self.disclosure is not None or skilled or self.receivables is not None:
            # profiles are per strategy and buyers are sorted by strategy: repeat
            margin_b = np.repeat(margin_g, counts)
        if self.disclosure is not None:  # issue 16: customers' disclosed needs add value
            assert margin_b is not None
            extra = self.disclosure.need_value(b, level_b, size_b)
            profit += margin_b * extra
            surplus += (1.0 - margin_b) * extra
        if p.attention.enabled:
            # issue 15: a book larger than the seller's time gets worse service
            load = book_start.astype(np.float64)
            if p.friendship.enabled and p.friendship.chat_time > 0:
                closeness_cur = pop.mood[cur, CLOSENESS].astype(np.float64)
                load += p.friendship.chat_time * np.bincount(
                    slot_cur, weights=closeness_cur, minlength=S
                )
            surplus -= quality_loss(quality(load, p)[slot_b], size_b, p)
        if skilled:
            # issue 15: a skilled seller's deals are worth more (seed 000, 001)
            assert margin_b is not None
            seller_gain, customer_gain = skill_gains(
                self.skill[slot_b], seller_act == 1, margin_b, size_b, p
            )
            profit += seller_gain
            surplus += customer_gain
        felt = surplus
        if self._promises:
            # issue 15: the customer judges the deal by what it was promised (seed 001)
            felt = felt_surplus(surplus, np.repeat(self._promise, counts), size_b, p)
        coming: NDArray[np.float64] | None = None
        if self.receivables is not None:
            # issue 15: late payers owe the price; the relationship books its expected cost
            assert margin_b is not None
            late = (cust_act == 1) & ~taker_b
            late_cost, coming = late_payments(p, late, price(p, seller_act, margin_b, size_b), rng)
            profit -= late_cost
        if self.beliefs is not None:  # issue 16: public reviews, word of mouth
            self.beliefs.fade()
            self.beliefs.review(slot_b, seller_act, rng)
            self.beliefs.talk(b, slot_b, seller_act)
        trust_before = trust_b.copy() if self.disclosure is not None else trust_b
        # the deal into the histories (``hist`` then shows the relationships after it),
        # closeness, ladder, each slot's profit; 4. trust, and who leaves on it
        leave_b = ws.leaves[:n_b]
        slot_profit = _k.settle(
            b, slot_b, order, seller_act, cust_act, profit, surplus, felt, rounds_b,
            actions_b, counts_b, totals_b, latest_b, mood, level_b, pop.actions, pop.counts,
            pop.totals, pop.latest, pop.level, self._rate_g[self.seller_group],
            *self._settle_constants, leave_b,
            # the moods go back now, unless disclosure changes trust below
            pop.mood if self.disclosure is None else _NO_MOOD,
        )  # fmt: skip
        if self.disclosure is not None:  # issue 16: mutual trust speeds the climb
            mutual_b = self.disclosure.mutual(b)
            fair_deals = hist.counts[:, 0, 0]  # the seller's fair deals, including this one
            # fair deals counted 1 + speedup * MT times (floored: levels need whole deals)
            faster = np.floor(fair_deals * (1.0 + p.disclosure.speedup * mutual_b)).astype(np.intp)
            pop.level[b] = update_levels(level_b, seller_act, trust_before, faster, p)
        deal_profit = slot_profit.copy()  # the relationships' profit, before any overhead
        if self.receivables is not None and coming is not None:
            # cash basis: what is still to come is not in hand; what falls due now is
            slot_profit -= np.bincount(slot_b, weights=coming, minlength=S)
            self.receivables.book(t, slot_b, coming)
            slot_profit += self.receivables.collect(t)

        # 5. exits
        if self.beliefs is not None:  # issue 16: stay by expected surplus under belief
            stay_b = self._belief_stay(hist.counts[:, 0], slot_b, counts, bounds)
            leave_b[:] = False
        if self.disclosure is not None:  # issue 16: one disclosure step per period
            pace_b = np.repeat(self._pace_g, counts)
            step_cost, alarmed = self.disclosure.step(b, pace_b, hist.rounds, trust_b, tol_b, rng)
            leave_b |= alarmed
            slot_profit -= np.bincount(slot_b, weights=step_cost, minlength=S)
            self._record_johari(b, bounds)
            pop.put_mood(b, mood)
        for g, sel in enumerate(parts):
            if sel.start == sel.stop or not self._exits[g]:
                continue
            idx = b[sel]
            view = self._step_view(sel, g, idx)
            leave_b[sel] |= np.asarray(self.strategies[g].exit(view, rng), dtype=np.bool_)
            self._write_state(g, idx, view)
        if p.stop_loss.enabled and math.isfinite(p.stop_loss.limit):
            leave_b |= hist.totals[:, 0] < -p.stop_loss.limit
        factor = _NO_DRAWS
        if self.beliefs is not None:
            factor = np.ones(n_cur, dtype=f32)
            factor[pos_b] = stay_b
        wp = p.word_of_mouth
        talk = wp.enabled and self.opinions is not None and n_b > 0
        # the draws of who stays, then of who talks; the stayers' satisfaction and trust
        # are read before anyone leaves or is won
        n_left, lost, satisfied, slot_trust = _k.stay_drawing(
            bg, n_cur + n_b if talk else n_cur, ws.uniform, cur, slot_cur, pop.mood,
            pop.level, care, *self._stay_constants, factor, pos_b, leave_b, S, ws.p_stay,
            ws.keep, ws.left,
        )  # fmt: skip
        u_talk = ws.uniform[n_cur : n_cur + n_b]
        gone_c, gone_s, gone_surplus = _k.leavers(cur, slot_cur, ws.left[:n_left], pop.totals)
        self._end(gone_c, gone_s, t, gone_surplus)

        # 6. word of mouth
        if self.opinions is not None:
            self.opinions.fade()
        if talk and self._tell_all:
            assert self.opinions is not None
            op = self.opinions
            _k.tell_neighbours(
                seller_act, felt, u_talk, b, slot_b, *self._talk_constants, op.degree,
                op.neighbours, float(wp.reach), op.n, op.scale, op.outbox, op.values, op.buzz,
                bg,
            )  # fmt: skip
        elif talk and self.opinions is not None and (wp.reach > 0 or wp.retell > 0):
            n_talk = _k.talkers(
                seller_act, felt, u_talk, *self._talk_constants, ws.talk, ws.weights
            )
            talk_b, weights = ws.talk[:n_talk], ws.weights[:n_talk]
            self.opinions.spread(b[talk_b], slot_b[talk_b], weights, wp.reach, rng)
            if wp.retell > 0:
                # issue 15: the news travels on, fading with each retelling (seed 002)
                retell(
                    self.opinions, b[talk_b], slot_b[talk_b], weights, wp.reach, wp.retell,
                    wp.hops, wp.credibility_strong, wp.credibility_weak, rng,
                )  # fmt: skip

        # 7. acquisition: active sellers contact prospects within their free capacity
        new = np.zeros(S, dtype=np.intp)
        slots = contacts = _NO_SLOTS
        ap = p.acquisition
        if ap.enabled:
            invest = self._growth_contacts(self._all_slots)
            more = _NO_SLOTS if invest is None else invest
            offer = _k.NO_MONEY
            if ap.price_weight > 0:  # the customer's share of the surplus each slot posts
                offer = (1.0 - margin_g[self.seller_group]) * p.exchange.surplus
            lure = _k.NO_MONEY
            if self._promises:
                sv = p.seller_value
                lure = sv.lure * p.exchange.value * self._promise[self.seller_group]
            if self.beliefs is None:
                slots, contacts, new_c, new_s = _k.acquire(
                    bg, self.seller_active, book_start, lost, ap.capacity, ap.contacts, more,
                    satisfied, self._capacity, self._free, self._base_logit,
                    ap.social_proof_weight, ap.reputation_weight, *tables(self.opinions),
                    ap.price_weight, offer, lure, t, f32(p.trust.initial), pop.seller,
                    pop.start, pop.mood, pop.level, pop.tracked, pop.actions, pop.counts,
                    pop.totals, pop.latest, new,
                )  # fmt: skip
            else:  # issue 16: prospects value offers by their beliefs (a Python rule)
                slots, contacts, proof, n_free, total = _k.plan_contacts(
                    self.seller_active, book_start, lost, ap.capacity, ap.contacts, more,
                    satisfied, self._capacity, pop.seller, self._free,
                )  # fmt: skip
                new_c = new_s = _NO_SLOTS
                if total > 0:
                    new_c, new_s = contact(
                        self._free[:n_free], slots, contacts, total, proof, self.opinions, p,
                        rng, value=self._offer_value,
                        offer=offer[slots] if offer.size else None,
                        lure=lure[slots] if lure.size else None,
                    )  # fmt: skip
                    pop.begin(new_c, new_s, t, p.trust.initial)
                    new = np.bincount(new_s, minlength=S)
            if new_c.size:
                if self.disclosure is not None:
                    self.disclosure.reset(new_c)
                self._init_state(new_c, self.seller_group[new_s])
        spend = _k.NO_MONEY
        if self._trains:
            # issue 15: money spent raising one's own value, which grows skill
            spend = self._train[self.seller_group] * active_start
            self.skill = train(self.skill, spend, p)

        # 8. capital, bankruptcy, turnover: prospecting costs, overhead and training
        # come off the period's profit, which goes into capital and the profit memory
        sl = p.stop_loss
        broke = _k.close_books(
            slot_profit, slots, contacts, p.acquisition.contact_cost, active_start,
            sl.overhead, spend, self.capital, self.recent_profit, p.turnover.profit_memory,
            sl.capital * (1 - sl.at_risk), sl.enabled,
        )  # fmt: skip
        gone_slots = gone_old = _NO_SLOTS
        if broke.size:
            self.seller_active[broke] = False
            gone = np.flatnonzero(np.isin(pop.seller, broke))
            gone_slots = pop.seller[gone].astype(np.intp)
            # customers won this very step were never part of last period's book
            gone_old = np.bincount(gone_slots[pop.start[gone] < t], minlength=S)
            self._end(gone, gone_slots, t)
            gone_slots = np.bincount(gone_slots, minlength=S)
            if self.receivables is not None:
                self.receivables.write_off(broke)
        self._record(
            t, active_start, slot_profit, book_start, lost, gone_slots, gone_old, new, bounds,
            surplus, slot_trust, deal_profit,
        )  # fmt: skip
        if p.turnover.enabled:
            self._turnover(broke)
        if self._extra is not None:
            self._record_beliefs(bounds, seller_act)

    def _growth_contacts(self, slots: NDArray[np.intp]) -> NDArray[np.intp] | None:
        """Extra contacts bought by capital at risk (``stop_loss.invest_rate``), or None."""
        sp = self.params.stop_loss
        if sp.invest_rate <= 0:
            return None
        floor = sp.capital * (1 - sp.at_risk)
        at_risk = np.maximum(self.capital[slots] - floor, 0.0)
        extra: NDArray[np.intp] = np.floor(sp.invest_rate * at_risk).astype(np.intp)
        return extra

    def _end(
        self,
        idx: NDArray[np.intp],
        slots: NDArray[np.intp],
        t: int,
        surplus: NDArray[np.float64] | None = None,
    ) -> None:
        """End the relationships of customers ``idx`` with ``slots`` at step ``t``
        (``surplus``: the customers' surplus in them, if already gathered)."""
        if idx.size == 0:
            return
        pop = self.customers
        op = self.opinions
        amount = _k.NO_MONEY
        if op is not None and not self.params.anonymous:  # own experience (Opinions.remember)
            w = self.params.acquisition.memory_weight
            amount = w * np.tanh(pop.surplus[idx] if surplus is None else surplus)
        if self.beliefs is not None:
            self.beliefs.remember(idx, slots, pop.seller_counts[idx])
        # the spells still tracked, their lifetime value per group, and the customers
        # become prospects
        group, start, profit = _k.end(
            idx, slots, self.seller_group, pop.tracked, pop.start, pop.totals, pop.seller,
            self._ended_value, self._ended_count, _k.NO_TABLE if op is None else op.values,
            amount, 1.0 if op is None else op.scale,
        )  # fmt: skip
        self._spells.add(group, start, t, True, profit, copy=False)

    def _record(
        self,
        t: int,
        active_start: NDArray[np.bool_],
        slot_profit: NDArray[np.float64],
        book_start: NDArray[np.intp],
        lost: NDArray[np.intp],
        gone: NDArray[np.intp],
        gone_old: NDArray[np.intp],
        new: NDArray[np.intp],
        bounds: NDArray[np.intp],
        surplus: NDArray[np.float64],
        slot_trust: NDArray[np.float64],
        deal_profit: NDArray[np.float64] | None = None,
    ) -> None:
        """Store one step's metrics; buyers' ``surplus`` is sorted by group (``bounds``).

        Per slot: ``book_start`` customers at the start of the step, ``lost`` (left),
        ``gone`` (lost as the seller went broke, empty if none did; ``gone_old`` of them
        from before this step) and ``new`` (won); ``slot_trust`` the stayers' trust
        summed; ``deal_profit`` each slot's profit from its relationships' deals (for
        ``clv``).
        """
        row, cum = self._recorder.next_row()
        # issue 15: lifetime value, closed form (margin per customer-period m, retention
        # r: m r / (1 + i - r), longgame.analysis.clv) and realised (what the
        # relationships that ended this period earned over their lives)
        _k.group_metrics(
            self.seller_group, active_start, self.seller_active, book_start, lost, gone,
            gone_old, new, slot_trust, self.params.trust.initial,
            slot_profit if deal_profit is None else deal_profit, slot_profit, self.capital,
            surplus, bounds, self._ended_value, self._ended_count, self._capacity,
            self.params.lifetime_value.discount, float(MIN_RETENTION_BASE),
            deal_profit is not None, cum, row,
        )  # fmt: skip

    def _turnover(self, broke: NDArray[np.intp]) -> None:
        tp = self.params.turnover
        rng = self.rng
        alive = np.flatnonzero(self.seller_active)
        if broke.size:
            groups = fermi_choice(
                broke, alive, self.recent_profit, self.seller_group, tp.temperature, rng
            )
            for slot, g in zip(broke.tolist(), groups.tolist(), strict=True):
                self.seller_agents[slot].remove()
                self.seller_agents[slot] = Seller(self, slot)
                self.seller_group[slot] = g
                self.seller_active[slot] = True
                self.capital[slot] = self.params.stop_loss.capital
                self.recent_profit[slot] = 0.0
                self.skill[slot] = 0.0
                if self.opinions is not None:
                    self.opinions.reset_seller(slot)
                if self.beliefs is not None:
                    self.beliefs.reset_seller(slot)
                self.seller_entered[slot] = int(self.steps)
        if tp.imitation_rate > 0 and alive.size > 1:
            learners = alive[rng.random(alive.size) < tp.imitation_rate]
            if learners.size:
                groups = fermi_choice(
                    learners, alive, self.recent_profit, self.seller_group, tp.temperature, rng
                )
                changed = groups != self.seller_group[learners]
                pop = self.customers
                t = int(self.steps)
                for slot, g in zip(
                    learners[changed].tolist(), groups[changed].tolist(), strict=True
                ):
                    book = np.flatnonzero(pop.seller == slot)
                    # the book's spells are censored under the old strategy: survival
                    # per strategy counts only time spent under that strategy, and the
                    # rest of these relationships (already aged) is not a fresh spell
                    rows = book[pop.tracked[book]]
                    old = np.full(rows.size, self.seller_group[slot], dtype=np.intp)
                    self._spells.add(old, pop.start[rows], t, False, pop.profit[rows])
                    pop.tracked[rows] = False
                    self.seller_group[slot] = g
                    self._init_state(book, np.full(book.size, g, dtype=np.intp))

    # -- results -----------------------------------------------------------------------

    def group_strategies(self) -> dict[str, str]:
        """Each group's name in results (:attr:`groups`) -> its strategy's registry name."""
        return {g: s.name for g, s in zip(self.groups, self.strategies, strict=True)}

    def to_networkx(self) -> nx.Graph[Any]:
        """The customers' word-of-mouth network as a ``networkx.Graph`` (small markets).

        Node ``i`` is customer ``i`` with attributes ``seller`` (the seller slot it buys
        from now, -1 for none), ``group`` (that seller's group, None for none),
        ``trust`` and ``satisfaction`` (0-1), as they stand at the current step. Raises
        :class:`~longgame.errors.InputError` without word of mouth (no network then).

        >>> m = MarketModel({"sellers": {"fleecer": 1, "fair-dealer": 1}}, customers=60, rng=0)
        >>> m.run_for(5)
        >>> g = m.to_networkx()
        >>> g.number_of_nodes(), sorted(g.nodes[0])
        (60, ['group', 'satisfaction', 'seller', 'trust'])
        """
        from longgame.models.market._network import to_networkx

        if self.network is None:
            raise InputError(
                "market: to_networkx: word_of_mouth.enabled is false, so there is no "
                "customer network; expected a market with word of mouth"
            )
        seller = self.customers.seller.astype(np.int64)
        has = seller >= 0
        group = np.full(seller.shape, None, dtype=object)
        group[has] = np.asarray(self.groups, dtype=object)[self.seller_group[seller[has]]]
        return to_networkx(
            self.network,
            {
                "seller": seller,
                "group": group,
                "trust": self.customers.trust.astype(np.float64),
                "satisfaction": self.customers.satisfaction.astype(np.float64),
            },
        )

    def metrics(self) -> pd.DataFrame:
        """Tidy metrics so far: step, group, metric, value (see :mod:`._metrics`)."""
        frame = self._recorder.frame()
        if self._extra is not None:
            import pandas as pd

            frame = pd.concat([frame, self._extra.frame()], ignore_index=True)
        if self._johari is not None:
            import pandas as pd

            frame = pd.concat([frame, self._johari.frame()], ignore_index=True)
        return frame

    def series(self, metric: str) -> NDArray[np.float64]:
        """One metric so far as a (steps, groups) array (columns in :attr:`groups` order).

        The same numbers as :meth:`metrics` without building the tidy frame, for a live
        view that redraws every step.

        >>> m = MarketModel({"sellers": {"fleecer": 1, "fair-dealer": 1}}, customers=50, rng=0)
        >>> m.run_for(3)
        >>> m.series("cumulative_profit").shape
        (3, 2)
        """
        from longgame.models.market._metrics import METRICS

        if metric not in METRICS:
            raise InputError(
                f"market: metric={metric!r} is unknown; expected one of {', '.join(METRICS)}"
            )
        rec = self._recorder
        return rec.values[: rec.count, :, METRICS.index(metric)].copy()

    def warned(
        self, idx: NDArray[np.intp] | None = None, below: float = -0.25
    ) -> NDArray[np.bool_]:
        """Whether customers ``idx`` (default all) were warned about some seller.

        True where what a customer heard from its network contacts
        (:meth:`Opinions.heard`: fleeced neighbours' warnings net of their referrals,
        fading by ``forget`` per period) is below ``below`` for at least one seller; one
        warning weighs ``-warn_weight``. All False without word of mouth.

        >>> m = MarketModel({"sellers": {"fleecer": 2}}, customers=500, rng=0)
        >>> m.run_for(5)
        >>> bool(m.warned().any()), m.warned(np.arange(10)).shape
        (True, (10,))
        """
        index = np.arange(self.customers.n) if idx is None else np.asarray(idx, dtype=np.intp)
        if self.opinions is None:
            return np.zeros(index.size, dtype=np.bool_)
        out: NDArray[np.bool_] = (self.opinions.heard(index) < below).any(axis=1)
        return out

    def spells(self) -> pd.DataFrame:
        """Relationship spells so far; open relationships are censored at the last step.

        A relationship whose seller switched strategy (imitation, mechanism 10) is
        censored at the switch under the strategy it had until then, and not counted
        again, so that each strategy's survival curve covers time under that strategy.
        """
        pop = self.customers
        cur = np.flatnonzero((pop.seller >= 0) & pop.tracked)
        rec = SpellRecorder()
        rec._parts = list(self._spells._parts)
        rec.add(
            self.seller_group[pop.seller[cur].astype(np.intp)],
            pop.start[cur],
            int(self.steps),
            False,
            pop.profit[cur],
        )
        return rec.frame(self.groups)

    def run(self, steps: int) -> RunOutput:
        """Run ``steps`` more periods (``steps >= 0``) and return all results so far.

        The run length is this argument only (it is not a model parameter).
        """
        from longgame.models._spec import RunOutput

        if isinstance(steps, bool) or not isinstance(steps, int | np.integer) or steps < 0:
            raise InputError(f"market: steps={steps!r} is invalid; expected an integer >= 0")
        if steps > 0:
            self._recorder.reserve(int(steps))
            self.end_step = int(self.steps) + int(steps)
            self.run_for(int(steps))
        return RunOutput(metrics=self.metrics(), tables={"spells": self.spells()})
