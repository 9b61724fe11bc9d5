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


@pytest.mark.parametrize("prospects", [100, 20_000])
def test_offer_sorting_equals_a_stable_argsort(prospects: int) -> None:
    """Offers sorted by prospect (a counting sort for few prospects, a sort of the offers
    for many) come in the order of a stable argsort, with their owners and the number
    of distinct prospects."""
    rng = np.random.default_rng(1)
    contacts = np.array([50, 0, 300, 7])
    pick = rng.integers(0, prospects, int(contacts.sum()))
    owner = np.repeat(np.arange(contacts.size), contacts)
    order = np.argsort(pick, kind="stable")
    got_pick, got_owner, distinct = k.pick_offers(pick, prospects, contacts)
    np.testing.assert_array_equal(got_pick, pick[order])
    np.testing.assert_array_equal(got_owner, owner[order])
    assert distinct == np.unique(pick).size
    assert distinct < pick.size


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


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_segment_sums_equal_add_reduceat_bit_for_bit(seed: int) -> None:
    """Group sums replicate ``np.add.reduceat`` (first element plus numpy's pairwise sum
    of the rest) exactly, for segments shorter and longer than its 8- and 128-blocks,
    and give 0 for empty segments."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=3000) * 10.0 ** rng.uniform(-6, 6, 3000)
    bounds = np.array([0, 0, 1, 5, 12, 140, 141, 1000, 1000, 3000], dtype=np.intp)
    starts = bounds[:-1]
    nonempty = bounds[1:] > starts
    want = np.zeros(starts.size)
    want[nonempty] = np.add.reduceat(x, starts[nonempty])
    got = k.segment_sums(x, bounds)
    np.testing.assert_array_equal(got.view(np.int64), want.view(np.int64))


def test_add_at_equals_numpy_add_at_with_repeats() -> None:
    """Adding float32 amounts divided by a scale into a table equals ``np.add.at``, pairs
    repeated adding up in order."""
    rng = np.random.default_rng(0)
    table = rng.normal(size=(50, 4)).astype(f32)
    want = table.copy()
    rows, cols = rng.integers(0, 50, 400), rng.integers(0, 4, 400)
    amount = rng.normal(size=400)
    np.add.at(want.reshape(-1), rows * 4 + cols, (amount / 0.37).astype(f32))
    k.add_at(table, rows, cols, amount, 0.37)
    np.testing.assert_array_equal(table, want)


def test_end_kernel_equals_the_numpy_bookkeeping() -> None:
    """Ending relationships gives the tracked spells (group, start, profit) in order, the
    per-group sums of their profit and number as bincount adds them, the customers'
    memory of their sellers as np.add.at adds it, and frees the customers; untracked
    relationships end without a spell."""
    p = MarketParams.model_validate({"customers": 10})
    pop, rng = _market(300, p, 7)
    pop.tracked[rng.random(300) < 0.3] = False
    slot_group = np.array([2, 0, 1], dtype=np.intp)
    idx = np.sort(rng.choice(300, 120, replace=False)).astype(np.intp)
    slots = pop.seller[idx].astype(np.intp)
    tracked = pop.tracked[idx]
    want_group = slot_group[slots[tracked]]
    want_start = pop.start[idx[tracked]].copy()
    want_profit = pop.profit[idx[tracked]].copy()
    value, count = np.full(3, 0.25), np.full(3, 2.0)
    want_value = value + np.bincount(want_group, want_profit, minlength=3)
    want_count = count + np.bincount(want_group, minlength=3)
    table = rng.normal(size=(300, 3)).astype(f32)
    want_table = table.copy()
    amount = rng.normal(size=idx.size)
    np.add.at(want_table.reshape(-1), idx * 3 + slots, (amount / 0.5).astype(f32))
    cur = np.sort(np.r_[idx, rng.choice(np.setdiff1d(np.arange(300), idx), 50, replace=False)])
    left = np.flatnonzero(np.isin(cur, idx))
    got_idx, got_slots, got_surplus = k.leavers(
        cur, pop.seller[cur].astype(np.intp), left, pop.totals
    )
    np.testing.assert_array_equal(got_idx, idx)
    np.testing.assert_array_equal(got_slots, slots)
    np.testing.assert_array_equal(got_surplus, pop.surplus[idx])
    group, start, profit = k.end(
        idx, slots, slot_group, pop.tracked, pop.start, pop.totals, pop.seller, value, count,
        table, amount, 0.5,
    )  # fmt: skip
    np.testing.assert_array_equal(table, want_table)
    np.testing.assert_array_equal(group, want_group)
    np.testing.assert_array_equal(start, want_start)
    assert start.dtype == np.int32
    np.testing.assert_array_equal(profit, want_profit)
    np.testing.assert_array_equal(value, want_value)
    np.testing.assert_array_equal(count, want_count)
    assert (pop.seller[idx] == -1).all()
    free = np.empty(300, np.intp)
    np.testing.assert_array_equal(free[: k.free_customers(pop.seller, free)], idx)


@pytest.mark.parametrize("stop_loss", [True, False])
@pytest.mark.parametrize("training", [True, False])
def test_close_books_equals_the_numpy_accounts(stop_loss: bool, training: bool) -> None:
    """Prospecting costs, overhead and training off the profit, then capital, the
    profit memory and who goes broke, as the numpy statements computed them."""
    rng = np.random.default_rng(3)
    n = 12
    profit = rng.normal(size=n) * 5
    active = rng.random(n) < 0.7
    slots = np.flatnonzero(active)
    contacts = rng.integers(0, 30, slots.size)
    capital = rng.normal(size=n) * 10 + 5
    recent = rng.normal(size=n)
    spend = rng.random(n) * active if training else np.zeros(0)
    want_p, want_c, want_r = profit.copy(), capital.copy(), recent.copy()
    want_p[slots] -= 0.2 * contacts
    want_p[active] -= 0.3
    if training:
        want_p -= spend
    want_c[active] += want_p[active]
    want_r[active] += 0.1 * (want_p[active] - want_r[active])
    want_broke = np.flatnonzero(active & (want_c < 4.0)) if stop_loss else np.zeros(0)
    broke = k.close_books(
        profit, slots, contacts, 0.2, active, 0.3, spend, capital, recent, 0.1, 4.0, stop_loss
    )
    np.testing.assert_array_equal(profit, want_p)
    np.testing.assert_array_equal(capital, want_c)
    np.testing.assert_array_equal(recent, want_r)
    np.testing.assert_array_equal(broke, want_broke)
    assert broke.size > 0 or not stop_loss


@pytest.mark.parametrize("network", [True, False])
@pytest.mark.parametrize("priced", [True, False])
def test_offers_and_choice_equal_the_numpy_composition(network: bool, priced: bool) -> None:
    """The fused offers kernel gives the sorted offers, their customers and sellers, and
    utilities base + w proof + reputation * opinion (+ price, + lure) exactly as the
    numpy sums, and choose picks what best_offers picks from utility + Gumbel."""
    from longgame.models.market._network import small_world
    from longgame.models.market._wordofmouth import Opinions

    rng = np.random.default_rng(5)
    n = 400
    net = small_world(n, 6, 0.1, rng) if network else None
    op = Opinions(n, 4, net, forget=0.3)
    op.values[:] = rng.normal(size=op.values.shape).astype(f32)
    op.outbox[:] = rng.normal(size=op.outbox.shape).astype(f32)
    op.buzz[:] = rng.normal(size=4)
    op.fade()
    prospects = np.sort(rng.choice(n, 150, replace=False)).astype(np.intp)
    slots = np.array([0, 2, 3], dtype=np.intp)
    contacts = np.array([30, 0, 55], dtype=np.intp)
    proof, offer, lure = rng.random(3), rng.random(3), rng.random(3)
    pick = rng.integers(0, prospects.size, int(contacts.sum()))
    base = np.log(0.3 / 0.7)
    pw = 2.0 if priced else 0.0
    pick_s, owner, cand, who, utility, distinct = k.offers(
        pick, prospects, slots, contacts, proof, base, 1.5, True, 0.7, op.values,
        op.neighbours if net is not None else np.zeros((0, 0), np.int32), op.outbox, op.buzz,
        op.scale, pw, offer, lure,
    )  # fmt: skip
    want_pick, want_owner, want_distinct = k.pick_offers(pick, prospects.size, contacts)
    np.testing.assert_array_equal(pick_s, want_pick)
    np.testing.assert_array_equal(owner, want_owner)
    assert distinct == want_distinct
    np.testing.assert_array_equal(cand, prospects[want_pick])
    np.testing.assert_array_equal(who, slots[want_owner])
    want = base + 1.5 * proof[want_owner]
    want = want + 0.7 * op.of(cand, who)
    if priced:
        want = want + pw * offer[want_owner]
    want = want + lure[want_owner]
    np.testing.assert_array_equal(utility, want)
    gumbel, outside = rng.gumbel(size=pick.size), rng.gumbel(size=distinct)
    won = k.best_offers(pick_s, utility + gumbel, outside)
    new_c, new_s = k.choose(pick_s, cand, who, utility, gumbel, outside)
    assert won.size > 10
    np.testing.assert_array_equal(new_c, cand[won])
    np.testing.assert_array_equal(new_s, who[won])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_kernel_draws_equal_the_generators_draws(seed: int) -> None:
    """Uniforms (float32), bounded integers and Gumbel draws made in the kernels through
    the bit generator equal ``Generator.random``, ``integers`` and ``gumbel`` bit for
    bit, interleaved (float32 draws use half of a 64-bit output) and with the generator
    left in the same state."""
    a, b = np.random.default_rng(seed), np.random.default_rng(seed)
    bg = k.bit_generator(a)
    for high in [1, 2, 3, 2084, 10**6, 2**31 + 5, 2**32]:
        for n in [0, 1, 5, 91]:
            ints = np.empty(n, np.int64)
            k.fill_integers(bg, high, ints)
            np.testing.assert_array_equal(ints, b.integers(0, high, n))
            u = np.empty(n + 3, f32)
            k.fill_uniform32(bg, u)
            np.testing.assert_array_equal(u, b.random(n + 3, dtype=f32))
            g = np.empty(n, np.float64)
            k.fill_gumbel(bg, g)
            np.testing.assert_array_equal(g, b.gumbel(size=n))
    assert a.bit_generator.state == b.bit_generator.state
    assert a.random() == b.random()


@pytest.mark.parametrize("priced", [True, False])
def test_acquire_kernel_equals_prospect_and_begin(priced: bool) -> None:
    """One acquisition kernel gives the contacts, new relationships, the population's
    rows and the generator's state that plan, ``prospect`` (numpy draws) and ``begin``
    give, with prices and lures per slot."""
    from longgame.models.market._acquisition import prospect
    from longgame.models.market._network import small_world
    from longgame.models.market._wordofmouth import Opinions

    p = MarketParams.model_validate(
        {"customers": 10, "acquisition": {"contacts": 40, "price_weight": 2.0 if priced else 0}}
    )
    ap = p.acquisition
    n, S = 600, 4
    pops = [_market(n, p, 9)[0] for _ in range(2)]
    rng = np.random.default_rng(9)
    gone = rng.random(n) < 0.6
    for pop in pops:
        pop.seller[gone] = -1
    op = Opinions(n, S, small_world(n, 6, 0.1, rng), forget=0.3)
    op.values[:] = rng.normal(size=op.values.shape).astype(f32)
    active = np.array([True, False, True, True])
    book_start = np.array([40, 0, 130, 5], dtype=np.intp)
    lost = np.array([3, 0, 1, 0], dtype=np.intp)
    satisfied = rng.random(S) * 50
    offer, lure = rng.random(S), rng.random(S)
    extra = np.array([0, 0, 7, 2], dtype=np.intp)

    draws = np.random.default_rng(3)
    slots = np.flatnonzero(active)
    c, s, want_k = prospect(
        np.flatnonzero(pops[0].seller < 0), slots,
        np.maximum(ap.capacity - (book_start - lost)[slots], 0), satisfied[slots] / 150.0,
        op, p, draws, offer=offer[slots], extra=extra[slots], lure=lure[slots],
    )  # fmt: skip
    pops[0].begin(c, s, 5, 0.4)

    mine = np.random.default_rng(3)
    new = np.zeros(S, np.intp)
    pop = pops[1]
    got_slots, got_k, got_c, got_s = k.acquire(
        k.bit_generator(mine), active, book_start, lost, ap.capacity, ap.contacts, extra,
        satisfied, 150.0, np.empty(n, np.intp), np.log(ap.base_accept / (1 - ap.base_accept)),
        ap.social_proof_weight, ap.reputation_weight, op.values, op.neighbours, op.outbox,
        op.buzz, op.scale, ap.price_weight, offer, lure, 5, f32(0.4), pop.seller, pop.start,
        pop.mood, pop.level, pop.tracked, pop.actions, pop.counts, pop.totals, pop.latest, new,
    )  # fmt: skip
    assert c.size > 20
    np.testing.assert_array_equal(got_slots, slots)
    np.testing.assert_array_equal(got_k, want_k)
    np.testing.assert_array_equal(got_c, c)
    np.testing.assert_array_equal(got_s, s)
    np.testing.assert_array_equal(new, np.bincount(s, minlength=S))
    assert mine.bit_generator.state == draws.bit_generator.state
    for name in ("seller", "start", "mood", "level", "tracked", "actions", "counts", "totals"):
        np.testing.assert_array_equal(getattr(pop, name), getattr(pops[0], name), err_msg=name)


@pytest.mark.parametrize("sd", [1.0, 0.3])
def test_noise_kernels_around_numpys_ufuncs_equal_standard_normal_pairs(sd: float) -> None:
    """Drawing and scaling the deal noise in kernels, with numpy's log1p, cos and sin in
    between, gives standard_normal_pairs' normals bit for bit."""
    n = 1001
    want = standard_normal_pairs(np.random.default_rng(4), n, sd)
    mine = np.random.default_rng(4)
    u = np.empty((2, n), f32)
    k.noise_uniforms(k.bit_generator(mine), u)
    np.log1p(u[0], out=u[0])
    z = np.empty((2, n), f32)
    np.cos(u[1], out=z[0])
    np.sin(u[1], out=z[1])
    k.noise_finish(u[0], f32(-2.0 * sd * sd), z)
    np.testing.assert_array_equal(z, want)


@pytest.mark.parametrize(("demand", "chat"), [(True, True), (True, False), (False, False)])
def test_drawing_kernels_equal_numpy_draws_then_the_kernels(demand: bool, chat: bool) -> None:
    """select_drawing and stay_drawing draw what the step drew with the Generator (demand,
    chat, the buyers' actions; who stays and who talks) and then select and stay as the
    same kernels do given those draws."""
    p = MarketParams.model_validate({"customers": 10})
    n = 400
    pops = [_market(n, p, 6)[0] for _ in range(2)]
    for pop in pops:
        pop.seller[::7] = -1
    slot_group = np.array([1, 0, 1], dtype=np.intp)
    sels = [k.Scratch(n, 3) for _ in range(2)]
    d32, forget = f32(0.7), f32(0.5)
    a, b = np.random.default_rng(8), np.random.default_rng(8)
    pop = pops[0]
    n_cur = int(np.count_nonzero(pop.seller >= 0))
    u_demand = a.random(n_cur, dtype=f32) if demand else np.zeros(0, f32)
    u_chat = a.random(n_cur, dtype=f32) if chat else np.zeros(0, f32)
    tables = (pop.actions, pop.counts, pop.totals, pop.latest)
    want = k._choose_buyers(
        k._current(pop.seller, sels[0].cur), pop.seller, pop.start, pop.mood, pop.level,
        pop.taker, *tables, slot_group, 2, 5, d32, not demand, u_demand, forget, u_chat,
        sels[0].select,
    )  # fmt: skip
    u_cust = a.random(want[1], dtype=f32)
    pop = pops[1]
    ws = sels[1]
    got = k.select_drawing(
        k.bit_generator(b), demand, chat, ws.uniform, ws.u_cust, pop.seller, pop.start,
        pop.mood, pop.level, pop.taker, pop.actions, pop.counts, pop.totals, pop.latest,
        slot_group, 2, 5, d32, not demand, forget, ws.select,
    )  # fmt: skip
    assert got[:2] == want[:2]
    assert 0 < want[1] < n_cur or not (demand or chat)
    np.testing.assert_array_equal(got[2], want[2])
    np.testing.assert_array_equal(got[3], want[3])
    np.testing.assert_array_equal(ws.u_cust[: got[1]], u_cust)
    for x, y in zip(ws.select, sels[0].select, strict=True):
        np.testing.assert_array_equal(x[: got[1]], y[: got[1]])

    cur, slot_cur = ws.cur[:n_cur], ws.slot_cur[:n_cur]
    pos_b = ws.pos_b[: got[1]]
    leave_b = np.zeros(got[1], np.bool_)
    consts = (True, f32(0.6), f32(0.1), f32(0.05), f32(0.02), f32(0.1), f32(0.97))
    care = np.array([0.5, 0.2, 0.9], f32)
    outs = [(np.empty(n, f32), np.empty(n, np.bool_), np.empty(n, np.intp)) for _ in range(2)]
    u_stay = a.random(n_cur + 5, dtype=f32)
    want_stay = k.stay(
        cur, slot_cur, pop.mood, pop.level, care, *consts, np.zeros(0, f32), u_stay[:n_cur],
        pos_b, leave_b, 3, *outs[0],
    )  # fmt: skip
    got_stay = k.stay_drawing(
        k.bit_generator(b), n_cur + 5, ws.uniform, cur, slot_cur, pop.mood, pop.level, care,
        *consts, np.zeros(0, f32), pos_b, leave_b, 3, *outs[1],
    )  # fmt: skip
    assert got_stay[0] == want_stay[0] > 0
    for x, y in zip(got_stay[1:], want_stay[1:], strict=True):
        np.testing.assert_array_equal(x, y)
    np.testing.assert_array_equal(ws.uniform[: n_cur + 5], u_stay)
    assert a.bit_generator.state == b.bit_generator.state


def _spread_reference(op: Any, senders: Any, slots: Any, weights: Any, reach: float,
                      rng: Any, weak: float = 1.0) -> None:  # fmt: skip
    """``Opinions.spread`` on a network as numpy statements (before its kernel)."""
    deg = op.degree[senders]
    message = weights / op.scale
    everyone = deg <= reach
    cols = op.outbox.shape[1]
    np.add.at(
        op.outbox.reshape(-1), slots[everyone] * cols + senders[everyone],
        message[everyone].astype(f32),
    )  # fmt: skip
    some = np.flatnonzero(~everyone)
    hearers = np.take(op.neighbours, senders[some], axis=0).astype(np.intp)
    p_hear = reach / op.degree[senders[some]]
    heard = (hearers < op.n) & (rng.random(hearers.shape) < p_hear[:, None])
    cell = hearers * op.values.shape[1] + slots[some][:, None]
    told = np.broadcast_to(message[some].astype(f32)[:, None], cell.shape)
    np.add.at(op.values.reshape(-1), cell[heard], told[heard])
    extra = np.maximum(reach - deg, 0.0)
    op.buzz += (
        np.bincount(slots, weights=weak * weights * extra, minlength=op.buzz.size) / op.n / op.scale
    )


@pytest.mark.parametrize(("reach", "weak"), [(40.0, 1.0), (7.0, 1.0), (9.0, 0.25)])
def test_spread_kernel_equals_the_numpy_spread(reach: float, weak: float) -> None:
    """Spreading messages on a network (all contacts hear when they are at most reach,
    else each with probability reach / degree from the model's generator) leaves
    outboxes, opinions, buzz and the generator exactly as the numpy statements did;
    so does word of mouth in one kernel after ``talkers``."""
    from longgame.models.market._network import small_world
    from longgame.models.market._wordofmouth import Opinions

    rng = np.random.default_rng(2)
    n, S = 500, 3
    net = small_world(n, 8, 0.3, rng)
    ops = [Opinions(n, S, net, forget=0.2) for _ in range(3)]
    for op in ops:
        op.fade()
        op.buzz[:] = [0.5, -0.25, 0.0]
    b = np.sort(rng.choice(n, 300, replace=False)).astype(np.intp)
    slot_b = rng.integers(0, S, b.size)
    seller_act = (rng.random(b.size) < 0.5).astype(np.int8)
    felt = rng.normal(size=b.size)
    u = rng.random(b.size, dtype=f32)
    consts = (f32(0.6), f32(0.3), 0.5, 2.0, 1.0)
    talk, weights = np.empty(b.size, np.intp), np.empty(b.size)
    m = k.talkers(seller_act, felt, u, *consts, talk, weights)
    senders, slots, weights = b[talk[:m]], slot_b[talk[:m]], weights[:m]
    assert m > 50
    assert (ops[0].degree[senders] > reach).any() == (reach < 20)  # thinned, or all hear
    draws = [np.random.default_rng(5) for _ in range(3)]
    _spread_reference(ops[0], senders, slots, weights, reach, draws[0], weak)
    ops[1].spread(senders, slots, weights, reach, draws[1], weak)
    for name in ("outbox", "values", "buzz"):
        np.testing.assert_array_equal(getattr(ops[1], name), getattr(ops[0], name), err_msg=name)
    assert draws[1].bit_generator.state == draws[0].bit_generator.state
    if weak == 1.0:
        got = k.tell_neighbours(
            seller_act, felt, u, b, slot_b, *consts, ops[2].degree, ops[2].neighbours, reach,
            n, ops[2].scale, ops[2].outbox, ops[2].values, ops[2].buzz,
            k.bit_generator(draws[2]),
        )  # fmt: skip
        assert got == m
        for name in ("outbox", "values", "buzz"):
            np.testing.assert_array_equal(getattr(ops[2], name), getattr(ops[0], name))
        assert draws[2].bit_generator.state == draws[0].bit_generator.state
