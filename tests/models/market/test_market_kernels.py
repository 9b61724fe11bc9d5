"""The compiled step kernels give bit for bit what the mechanism modules' numpy rules give."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from longgame.models.market import MarketParams, profile
from longgame.models.market import _kernels as k
from longgame.models.market._customers import (
    CLOSENESS,
    SATISFACTION,
    TRUST,
    CustomerPopulation,
)
from longgame.models.market._exchange import deal_payoffs, standard_normal_pairs
from longgame.models.market._friendship import closeness_rate, customer_actions, grow_closeness
from longgame.models.market._ladder import deal_size, update_levels
from longgame.models.market._trust import continuation, update_trust

f32 = np.float32

#: parameter sets that switch the branches of the kernels on and off
PARAMS: list[dict[str, Any]] = [
    {},
    {"takers": {"enabled": True, "share": 0.3, "extraction": 0.4}, "exchange": {"onboarding": 0.5}},
    {"friendship": {"enabled": False}, "ladder": {"enabled": False}, "service": {"enabled": False}},
    {"exchange": {"noise": 0.0, "cost": 3.0}, "trust": {"enabled": False}},
]


def _market(n: int, params: MarketParams, seed: int) -> tuple[CustomerPopulation, Any]:
    """A population in relationships with three sellers, with random histories."""
    rng = np.random.default_rng(seed)
    pop = CustomerPopulation.draw(
        n, taker_share=0.3, tolerance_mean=0.3, tolerance_concentration=10, depth=3, rng=rng
    )
    slots = rng.integers(0, 3, n)
    pop.begin(np.arange(n), slots, 0, 0.5)
    pop.mood[:, TRUST] = rng.random(n, dtype=f32)
    pop.mood[:, SATISFACTION] = rng.normal(size=n).astype(f32)
    pop.mood[:, CLOSENESS] = rng.random(n, dtype=f32)
    pop.level[:] = rng.integers(0, 5, n)
    pop.counts[:] = rng.integers(0, 30, (n, 2, 2))
    pop.counts[: n // 10] = 0  # some first deals
    pop.actions[:] = rng.integers(-1, 2, pop.actions.shape)
    pop.totals[:] = rng.normal(size=(n, 2))
    return pop, rng


@pytest.mark.parametrize("overrides", PARAMS)
@pytest.mark.parametrize("seed", [0, 1])
def test_deal_kernel_equals_the_numpy_rules(overrides: dict[str, Any], seed: int) -> None:
    """Customer actions, deal sizes, profit and surplus equal customer_actions,
    deal_size and deal_payoffs exactly, from the same draws."""
    p = MarketParams.model_validate({"customers": 10, **overrides})
    n = 500
    pop, rng = _market(n, p, seed)
    prof = [profile(9, 1, p), profile(5, 5, p), profile(1, 9, p)]
    slots = np.sort(pop.seller.astype(np.intp))  # rows sorted by group, as in a step
    counts = np.bincount(slots, minlength=3)
    bounds = np.r_[0, np.cumsum(counts)].astype(np.intp)
    seller_act = (rng.random(n) < 0.4).astype(np.int8)
    mood = pop.mood.copy()
    close = mood[:, CLOSENESS]
    margin, service, yield_ = (
        np.array([getattr(q, a) for q in prof]) for a in ("margin", "service", "yield_")
    )
    first = pop.rounds == 0
    draws = np.random.default_rng(seed + 10)
    cust = customer_actions(pop.taker, close, p, draws)
    size = deal_size(pop.level, p)
    profit, surplus = deal_payoffs(
        p, seller_act, cust, size, close, first,
        *(np.repeat(x, counts) for x in (margin, service, yield_)), draws,
    )  # fmt: skip

    draws = np.random.default_rng(seed + 10)
    u = draws.random(n, dtype=f32)
    ex = p.exchange
    z = standard_normal_pairs(draws, n, ex.noise) if ex.noise > 0 else np.zeros((2, 0), f32)
    out = (np.empty(n, np.int8), np.empty(n), np.empty(n), np.empty(n))
    k.deal(
        seller_act, u, pop.taker, mood, pop.level, pop.rounds, bounds, margin, service,
        yield_, z, f32(p.friendship.late_payment), f32(p.takers.take_prob),
        p.friendship.enabled, p.takers.enabled, False, p.ladder.size_gain, p.ladder.enabled,
        ex.surplus, ex.surplus + ex.overcharge * ex.value, p.service.enabled,
        p.service.value_ratio, p.friendship.concession * ex.surplus,
        p.friendship.enabled and ex.surplus > 0, p.takers.extraction * ex.value,
        ex.noise > 0, ex.onboarding, out,
    )  # fmt: skip
    np.testing.assert_array_equal(out[0], cust)
    np.testing.assert_array_equal(out[1], size)
    np.testing.assert_array_equal(out[2], profit)
    np.testing.assert_array_equal(out[3], surplus)


@pytest.mark.parametrize("overrides", PARAMS)
def test_settle_kernel_equals_record_closeness_ladder_and_trust(overrides: dict[str, Any]) -> None:
    """Writing the deals, growing closeness, the ladder, trust and each slot's profit in
    one loop gives what record, grow_closeness, update_levels, update_trust and a
    bincount give."""
    p = MarketParams.model_validate({"customers": 10, **overrides})
    n = 400
    pop, rng = _market(n, p, 3)
    ref, _ = _market(n, p, 3)
    b = np.sort(rng.choice(n, 300, replace=False)).astype(np.intp)
    slot_b = pop.seller[b].astype(np.intp)
    seller_act = (rng.random(b.size) < 0.4).astype(np.int8)
    cust_act = (rng.random(b.size) < 0.2).astype(np.int8)
    profit, surplus = rng.normal(size=b.size), rng.normal(size=b.size)
    rate_slot = closeness_rate(np.array([1.0, 0.5, 0.0]), p)

    hist = ref.gather(b)
    mood = ref.take_mood(b)
    level_b = ref.level[b].copy()
    trust_before = mood[:, TRUST].copy()
    ref.record(b, seller_act, cust_act, profit, surplus, gathered=hist)
    grow_closeness(mood[:, CLOSENESS], None, p, rate=rate_slot[slot_b])
    ref.level[b] = update_levels(level_b, seller_act, trust_before, hist.counts[:, 0, 0], p)
    leaves = update_trust(mood[:, TRUST], mood[:, SATISFACTION], mood[:, 3], surplus, p)
    slot_profit = np.bincount(slot_b, weights=profit, minlength=3)

    g = pop.gather(b)
    mood_k = pop.take_mood(b)
    leaves_k = np.empty(b.size, np.bool_)
    lp, tp = p.ladder, p.trust
    got = k.settle(
        b, slot_b, np.arange(b.size), seller_act, cust_act, profit, surplus, surplus,
        g.rounds, g.actions, g.counts, g.totals, g.latest, mood_k, pop.level[b].copy(),
        pop.actions, pop.counts, pop.totals, pop.latest, pop.level, rate_slot, 3,
        p.friendship.enabled, lp.enabled, f32(lp.trust_threshold), lp.tenure_per_level,
        tp.enabled, f32(tp.memory), f32(tp.up), f32(1 - tp.down), leaves_k, pop.mood,
    )  # fmt: skip
    np.testing.assert_array_equal(got, slot_profit)
    np.testing.assert_array_equal(leaves_k, leaves)
    np.testing.assert_array_equal(mood_k, mood)
    np.testing.assert_array_equal(pop.mood[b], mood)  # written back
    for name in ("actions", "counts", "totals", "latest", "level"):
        np.testing.assert_array_equal(getattr(pop, name), getattr(ref, name), err_msg=name)
    for name in ("rounds", "actions", "counts", "totals", "latest"):
        np.testing.assert_array_equal(getattr(g, name), getattr(hist, name), err_msg=name)


@pytest.mark.parametrize("overrides", PARAMS)
def test_stay_kernel_equals_continuation_and_the_draw(overrides: dict[str, Any]) -> None:
    """The compiled repeat-purchase probability equals ``continuation`` exactly, and
    who stays, the lost customers and the stayers' trust per slot equal numpy's."""
    p = MarketParams.model_validate({"customers": 10, **overrides})
    n = 300
    pop, rng = _market(n, p, 5)
    cur = np.arange(0, n, 2, dtype=np.intp)
    slot_cur = pop.seller[cur].astype(np.intp)
    care = np.array([1.0, 0.5, 0.0], dtype=f32)
    want = continuation(
        pop.mood[cur, SATISFACTION], pop.level[cur], pop.mood[cur, CLOSENESS], care[slot_cur], p
    )
    u = rng.random(cur.size, dtype=f32)
    pos_b = np.arange(0, cur.size, 3)
    leave_b = rng.random(pos_b.size) < 0.2
    stays = u < want
    stays[pos_b[leave_b]] = False
    rp, lp = p.repeat, p.ladder
    p_stay, keep, left = np.empty(cur.size, f32), np.empty(cur.size, bool), np.empty(n, np.intp)
    n_left, lost, _, trust = k.stay(
        cur, slot_cur, pop.mood, pop.level, care, rp.enabled, f32(rp.base),
        f32(rp.satisfaction_gain), f32(p.service.repeat_gain if p.service.enabled else 0.0),
        f32(lp.loyalty_gain if lp.enabled else 0.0),
        f32(p.friendship.loyalty if p.friendship.enabled else 0.0), f32(rp.cap),
        np.zeros(0, f32), u, pos_b, leave_b, 3, p_stay, keep, left,
    )  # fmt: skip
    np.testing.assert_array_equal(p_stay, want)
    np.testing.assert_array_equal(keep, stays)
    np.testing.assert_array_equal(left[:n_left], np.flatnonzero(~stays))
    np.testing.assert_array_equal(lost, np.bincount(slot_cur[~stays], minlength=3))
    kept_trust = pop.mood[cur, TRUST] * stays
    np.testing.assert_array_equal(trust, np.bincount(slot_cur, weights=kept_trust, minlength=3))


def test_offer_sorting_and_choice_equal_numpy() -> None:
    """Offers sorted by a counting sort equal a stable argsort, and each prospect's
    chosen offer is its first best one when it beats staying out."""
    rng = np.random.default_rng(0)
    contacts = np.array([5, 0, 40, 17])
    pick = rng.integers(0, 30, int(contacts.sum()))
    owner = np.repeat(np.arange(contacts.size), contacts)
    order = np.argsort(pick, kind="stable")
    got_pick, got_owner, distinct = k.pick_offers(pick, 30, contacts)
    np.testing.assert_array_equal(got_pick, pick[order])
    np.testing.assert_array_equal(got_owner, owner[order])
    assert distinct == np.unique(pick).size
    score = rng.normal(size=pick.size).round(1)  # ties on purpose
    outside = rng.normal(size=distinct)
    p = got_pick
    first = np.flatnonzero(np.r_[True, p[1:] != p[:-1]])
    best = np.maximum.reduceat(score, first)
    runs = np.diff(np.r_[first, p.size])
    won = np.flatnonzero((score == np.repeat(best, runs)) & (score > np.repeat(outside, runs)))
    won = won[np.r_[True, p[won[1:]] != p[won[:-1]]]] if won.size > 1 else won
    np.testing.assert_array_equal(k.best_offers(p, score, outside), won)
