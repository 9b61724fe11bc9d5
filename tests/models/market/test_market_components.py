"""Unit checks of the market's mechanism components."""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from longgame.models.market import MarketParams, profile, stage_payoffs
from longgame.models.market._acquisition import prospect
from longgame.models.market._customers import CLOSENESS, TRUST, CustomerPopulation
from longgame.models.market._exchange import deal_payoffs, standard_normal_pairs
from longgame.models.market._ladder import update_levels
from longgame.models.market._network import small_world, to_networkx
from longgame.models.market._trust import update_trust
from longgame.models.market._turnover import fermi_choice
from longgame.models.market._wordofmouth import Opinions


def population(n: int = 10) -> CustomerPopulation:
    """A small population with everyone in a relationship with seller 0."""
    pop = CustomerPopulation.draw(
        n, taker_share=0.0, tolerance_mean=0.3, tolerance_concentration=10, depth=2,
        rng=np.random.default_rng(0),
    )  # fmt: skip
    pop.begin(np.arange(n), np.zeros(n, dtype=np.int32), 0, 0.5)
    return pop


@pytest.mark.parametrize("rewire", [0.0, 0.1, 1.0])
def test_small_world_matches_networkx_clustering(rewire: float) -> None:
    """The numpy Watts-Strogatz graph has networkx's mean degree and clustering."""
    ours = to_networkx(small_world(2000, 10, rewire, np.random.default_rng(0)))
    ref = nx.watts_strogatz_graph(2000, 10, rewire, seed=0)
    assert abs(np.mean([d for _, d in ours.degree()]) - 10) < 0.1
    assert nx.average_clustering(ours) == pytest.approx(nx.average_clustering(ref), abs=0.03)


def test_small_world_is_symmetric_without_self_loops() -> None:
    """The adjacency is symmetric 0/1 with an empty diagonal."""
    a = small_world(500, 6, 0.3, np.random.default_rng(1))
    assert (a != a.T).nnz == 0
    assert a.diagonal().sum() == 0
    assert set(np.unique(a.data)) == {1.0}


def test_opinions_lazy_fading_equals_eager_fading() -> None:
    """Fading through the global scale equals multiplying every opinion each period."""
    net = small_world(50, 4, 0.0, np.random.default_rng(0))
    op = Opinions(50, 3, net, forget=0.1)
    rng = np.random.default_rng(0)
    eager = np.zeros((50, 3))
    for _ in range(5):
        op.fade()
        eager *= 0.9
        op.remember(np.array([7]), np.array([2]), np.array([1.0]))
        eager[7, 2] += 1.0
    op.spread(np.array([0]), np.array([1]), np.array([-1.0]), reach=100, rng=rng)
    assert op.of(np.array([7]), np.array([2]))[0] == pytest.approx(eager[7, 2], rel=1e-5)
    # the reach beyond 4 neighbours lands on everyone as buzz: 96 / 50 people
    assert op.of(np.array([25]), np.array([1]))[0] == pytest.approx(-96 / 50, rel=1e-5)


def test_wider_reach_means_more_hearers() -> None:
    """With reach below the degree, neighbours hear with probability reach / degree."""
    net = small_world(2000, 10, 0.0, np.random.default_rng(0))
    op = Opinions(2000, 1, net, forget=0.0)
    senders = np.arange(0, 2000, 20)
    op.spread(
        senders,
        np.zeros(senders.size, dtype=np.intp),
        -np.ones(senders.size),
        5,
        np.random.default_rng(0),
    )
    heard = (op.of(np.arange(2000), np.zeros(2000, dtype=np.intp)) < 0).sum()
    assert 0.4 * senders.size * 10 < heard < 0.6 * senders.size * 10


@given(seed=st.integers(0, 10_000), beyond=st.sampled_from([0.0, 246.0]))
def test_opinions_pulled_from_outboxes_equal_pushed_messages(seed: int, beyond: float) -> None:
    """Opinions read through neighbours' outboxes equal a dense push of every message."""
    n, sellers, forget = 60, 3, 0.2
    rng = np.random.default_rng(seed)
    net = small_world(n, 4, 0.3, rng)  # degrees vary around 4 after rewiring
    adjacency = net.toarray()
    degree = adjacency.sum(axis=1)
    reach = degree.max() + beyond  # everyone's neighbours all hear (at the boundary or not)
    op = Opinions(n, sellers, net, forget=forget)
    dense = np.zeros((n, sellers))
    for _ in range(4):
        op.fade()
        dense *= 1 - forget
        senders = rng.choice(n, 12, replace=False)
        slots = rng.integers(0, sellers, senders.size)
        weights = rng.normal(size=senders.size)
        op.spread(senders, slots, weights, reach, rng)
        for s, k, w in zip(senders, slots, weights, strict=True):
            dense[:, k] += w * adjacency[s]
            dense[:, k] += w * (reach - degree[s]) / n  # the buzz beyond the neighbours
        who = rng.integers(0, n, 5)
        op.remember(who, np.zeros(5, dtype=np.intp), np.ones(5))
        np.add.at(dense[:, 0], who, 1.0)
    cust = np.repeat(np.arange(n), sellers)
    slot = np.tile(np.arange(sellers), n)
    got = op.of(cust, slot).reshape(n, sellers)
    assert np.allclose(got, dense, atol=1e-4)
    assert np.abs(dense).max() > 0.1
    op.reset_seller(1)
    assert (op.of(np.arange(n), np.ones(n, dtype=np.intp)) == 0).all()


@given(
    value=st.floats(0, 10), cost=st.floats(0, 10), margin=st.floats(0, 1),
    fleece=st.booleans(), takes=st.booleans(),
)  # fmt: skip
def test_deal_splits_the_surplus(
    value: float, cost: float, margin: float, fleece: bool, takes: bool
) -> None:
    """Without noise and service, seller profit plus customer surplus is exactly value - cost."""
    p = MarketParams(
        exchange={"value": value, "cost": cost, "noise": 0.0, "onboarding": 1.0},
        service={"enabled": False},
    )
    profit, surplus = deal_payoffs(
        p, np.array([int(fleece)], dtype=np.int8), np.array([int(takes)], dtype=np.int8),
        np.ones(1), np.full(1, 0.5, dtype=np.float32), np.array([True]), np.full(1, margin),
        np.zeros(1), np.full(1, 0.5), np.random.default_rng(0),
    )  # fmt: skip
    assert profit[0] + surplus[0] == pytest.approx(value - cost, abs=1e-9)


def test_fleecing_makes_the_customer_lose_and_zero_sum_when_no_surplus() -> None:
    """A fleeced customer's surplus is negative; with value == cost the exchange is zero-sum."""
    p = MarketParams(exchange={"value": 2.0, "cost": 2.0, "noise": 0.0, "onboarding": 0.0},
                     service={"enabled": False})  # fmt: skip
    args = (np.ones(2), np.zeros(2, dtype=np.float32), np.zeros(2, dtype=bool),
            np.full(2, 0.5), np.zeros(2), np.full(2, 0.5), np.random.default_rng(0))  # fmt: skip
    profit, surplus = deal_payoffs(
        p, np.array([0, 1], dtype=np.int8), np.zeros(2, dtype=np.int8), *args
    )
    assert surplus[1] < 0 < profit[1]
    assert profit[0] == surplus[0] == 0
    assert np.allclose(profit + surplus, 0)


def test_stage_payoffs_match_simulated_means() -> None:
    """The closed-form per-deal payoffs equal the mean of noisy simulated deals."""
    p = MarketParams()
    prof = profile(5, 5, p)
    pay = stage_payoffs(p, prof)
    n = 200_000
    rng = np.random.default_rng(0)
    for s_act, c_act, key in ((0, 0, "R"), (1, 0, "T"), (0, 1, "S"), (1, 1, "P")):
        profit, surplus = deal_payoffs(
            p, np.full(n, s_act, dtype=np.int8), np.full(n, c_act, dtype=np.int8), np.ones(n),
            np.zeros(n, dtype=np.float32), np.zeros(n, dtype=bool), np.full(n, prof.margin),
            np.full(n, prof.service), np.full(n, prof.yield_), rng,
        )  # fmt: skip
        assert profit.mean() == pytest.approx(pay[key], abs=0.005)
        assert surplus.mean() == pytest.approx(pay["c" + key], abs=0.005)


def test_trust_is_slow_to_build_and_fast_to_lose() -> None:
    """One bad deal costs more trust than one good deal earns; low trust makes customers leave."""
    pop = population(2)
    p = MarketParams()

    def deal(i: int, surplus: float) -> np.ndarray:
        """One deal of customer i, through the population's gathered rows."""
        idx = np.array([i])
        trust, sat, tol = pop.trust[idx], pop.satisfaction[idx], pop.tolerance[idx]
        leaves = update_trust(trust, sat, tol, np.array([surplus]), p)
        pop.trust[idx], pop.satisfaction[idx] = trust, sat
        return leaves

    deal(0, 1.0)
    deal(1, -1.0)
    gain, loss = pop.trust[0] - 0.5, 0.5 - pop.trust[1]
    assert 0 < gain < loss
    assert pop.satisfaction[0] > 0 > pop.satisfaction[1]
    leaves = np.zeros(1, dtype=bool)
    for _ in range(6):
        leaves = deal(1, -1.0)
    assert leaves[0]
    # a good deal never drives a customer away on trust alone
    assert not deal(0, 0.0)[0]


def test_ladder_rises_with_fair_tenure_and_falls_on_fleece() -> None:
    """Fair deals with trust climb the ladder; a fleece drops the customer to level 0."""
    pop = population(1)
    p = MarketParams(ladder={"tenure_per_level": 2, "trust_threshold": 0.5})
    idx = np.array([0])
    fair, fleece = np.zeros(1, np.int8), np.ones(1, np.int8)
    for _ in range(6):
        pop.record(idx, fair, fair, np.ones(1), np.ones(1))
        pop.level[idx] = update_levels(
            pop.level[idx], fair, pop.trust[idx], pop.seller_counts[idx, 0], p
        )
    assert pop.level[0] == 3
    pop.level[idx] = update_levels(pop.level[idx], fleece, pop.trust[idx], np.array([6]), p)
    assert pop.level[0] == 0
    # below the trust threshold nobody climbs
    low = update_levels(np.zeros(1, np.int8), fair, np.full(1, 0.4, np.float32), np.array([9]), p)
    assert low[0] == 0


def test_fermi_rule_follows_payoff_differences() -> None:
    """Imitation goes to the richer model almost surely and away from it almost never."""
    rng = np.random.default_rng(0)
    group = np.array([0, 1])
    payoff = np.array([0.0, 10.0])
    to_rich = fermi_choice(np.zeros(1000, np.intp), np.array([1]), payoff, group, 1.0, rng)
    to_poor = fermi_choice(np.ones(1000, np.intp), np.array([0]), payoff, group, 1.0, rng)
    assert (to_rich == 1).mean() > 0.99
    assert (to_poor == 0).mean() < 0.01


def test_grid_profiles_map_concerns() -> None:
    """Sale concern raises the margin; customer concern raises service and yielding."""
    p = MarketParams()
    assert profile(9, 9, p).margin > profile(1, 1, p).margin
    assert profile(9, 1, p).service > profile(1, 9, p).service == 0
    assert profile(9, 1, p).yield_ == 1.0
    assert profile(1, 9, p).yield_ == 0.0


def test_deal_noise_is_independent_gaussian_with_sd_noise() -> None:
    """Realised profit and surplus carry independent normal noise of sd ``noise`` (KS test)."""
    from scipy import stats

    n = 40_000
    p = MarketParams(exchange={"noise": 0.7, "onboarding": 0.0}, service={"enabled": False})
    profit, surplus = deal_payoffs(
        p, np.zeros(n, np.int8), np.zeros(n, np.int8), np.ones(n), np.zeros(n, np.float32),
        np.zeros(n, dtype=bool), np.full(n, 0.5), np.zeros(n), np.full(n, 0.5),
        np.random.default_rng(3),
    )  # fmt: skip
    z_seller = (0.5 - profit) / 0.7
    z_customer = (surplus - 0.5) / 0.7
    for z in (z_seller, z_customer):
        assert stats.kstest(z, "norm").pvalue > 1e-3
    assert abs(np.corrcoef(z_seller, z_customer)[0, 1]) < 0.03


def test_normal_pairs_are_standard_normal_and_seeded() -> None:
    """Box-Muller pairs: standard normal marginals, uncorrelated rows, same seed same draws."""
    from scipy import stats

    z = standard_normal_pairs(np.random.default_rng(1), 30_000)
    assert z.shape == (2, 30_000)
    assert np.isfinite(z).all()
    assert stats.kstest(z[0], "norm").pvalue > 1e-3
    assert stats.kstest(z[1], "norm").pvalue > 1e-3
    assert abs(np.corrcoef(z[0], z[1])[0, 1]) < 0.03
    assert np.array_equal(z, standard_normal_pairs(np.random.default_rng(1), 30_000))
    assert standard_normal_pairs(np.random.default_rng(1), 0).shape == (2, 0)
    scaled = standard_normal_pairs(np.random.default_rng(1), 30_000, sd=0.3)
    assert np.allclose(scaled, 0.3 * z, rtol=1e-5, atol=1e-6)


@given(
    seed=st.integers(0, 10_000),
    rounds=st.integers(1, 6),
    depth=st.integers(1, 3),
)
def test_recording_through_gathered_rows_equals_a_plain_history(
    seed: int, rounds: int, depth: int
) -> None:
    """Gathered-row bookkeeping keeps the same history as a plain per-relationship loop."""
    rng = np.random.default_rng(seed)
    n = 12
    pop = CustomerPopulation.draw(
        n, taker_share=0.2, tolerance_mean=0.3, tolerance_concentration=10, depth=depth,
        rng=rng,
    )  # fmt: skip
    pop.begin(np.arange(n), np.zeros(n, dtype=np.intp), 0, 0.5)
    last = -np.ones((n, 2, depth), dtype=int)
    counts = np.zeros((n, 2, 2), dtype=int)
    totals = np.zeros((n, 2))
    for _ in range(rounds):
        idx = np.flatnonzero(rng.random(n) < 0.7)
        acts = rng.integers(0, 2, (2, idx.size)).astype(np.int8)
        pay = rng.normal(size=(2, idx.size))
        hist = pop.gather(idx)
        pop.record(idx, acts[0], acts[1], pay[0], pay[1], gathered=hist)
        view = hist.view(depth)  # shows the relationships after the deal
        for k, i in enumerate(idx):
            for side in (0, 1):
                last[i, side] = np.roll(last[i, side], 1)
                last[i, side, 0] = acts[side, k]
                counts[i, side, acts[side, k]] += 1
            totals[i] += pay[:, k]
        assert np.array_equal(view.own_last, last[idx, 0])
        assert np.array_equal(view.partner_counts, counts[idx, 1])
        assert np.allclose(view.own_payoff, totals[idx, 0])
        assert np.allclose(view.last_partner_payoff, pay[1])
        assert np.array_equal(view.rounds, counts[idx, 0].sum(axis=1))
    assert np.array_equal(pop.actions, last)
    assert np.array_equal(pop.seller_counts, counts[:, 0])
    assert np.array_equal(pop.customer_counts, counts[:, 1])
    assert np.array_equal(pop.rounds, counts[:, 0].sum(axis=1))
    assert np.allclose(pop.profit, totals[:, 0])
    assert np.allclose(pop.surplus, totals[:, 1])


def test_mood_columns_are_views_and_rows_round_trip() -> None:
    """Trust, satisfaction, closeness and tolerance live in one table; rows write back whole."""
    pop = population(5)
    assert np.allclose(pop.trust, 0.5)
    assert (pop.satisfaction == 0).all()
    assert ((pop.tolerance > 0) & (pop.tolerance < 1)).all()
    idx = np.array([3, 1])
    rows = pop.take_mood(idx)
    rows[:, TRUST] = [0.9, 0.1]
    rows[:, CLOSENESS] = 0.25
    pop.put_mood(idx, rows)
    assert pop.trust[[1, 3]].tolist() == pytest.approx([0.1, 0.9])
    assert pop.closeness.tolist() == pytest.approx([0, 0.25, 0, 0.25, 0])
    pop.trust[0] = 0.3
    assert pop.mood[0, TRUST] == pytest.approx(0.3)


@pytest.mark.parametrize("proofs", [[0.0], [0.0, 1.0], [0.5, 0.5, 2.0]])
def test_prospects_choose_among_offers_by_multinomial_logit(proofs: list[float]) -> None:
    """One prospect contacted by every seller takes seller j with probability
    exp(u_j) / (1 + sum_k exp(u_k)) (u from base acceptance and social proof) and stays
    out otherwise; with one offer that is the binary logit."""
    p = MarketParams(acquisition={"base_accept": 0.3, "social_proof_weight": 1.0})
    slots = np.arange(len(proofs))
    proof = np.array(proofs)
    u = np.log(0.3 / 0.7) + proof
    expected = np.exp(u) / (1 + np.exp(u).sum())
    rng = np.random.default_rng(4)
    n = 8000
    wins = np.zeros(len(proofs))
    for _ in range(n):
        who_c, who_s, contacts = prospect(
            np.array([7]), slots, np.full(len(proofs), 5), proof, None, p, rng
        )
        assert contacts.tolist() == [1] * len(proofs)
        assert who_c.size <= 1
        assert (who_c == 7).all()
        wins[who_s] += 1
    sd = np.sqrt(n * expected * (1 - expected))
    assert np.all(np.abs(wins - n * expected) < 5 * sd), (wins / n, expected)


def test_prospects_take_at_most_one_offer() -> None:
    """Many sellers contacting a small pool: every prospect starts at most one relationship,
    and no seller wins more than it contacted."""
    p = MarketParams(acquisition={"contacts": 40})
    rng = np.random.default_rng(0)
    pool = np.arange(100, 130)
    for _ in range(50):
        c, s, k = prospect(pool, np.arange(6), np.full(6, 40), np.zeros(6), None, p, rng)
        assert np.unique(c).size == c.size
        assert np.isin(c, pool).all()
        assert (np.bincount(s, minlength=6) <= k).all()


def test_fleecers_neither_give_nor_pay_for_after_sales_service() -> None:
    """A fleece earns exactly S + o v and leaves the customer -o v; a fair deal pays for service."""
    p = MarketParams(exchange={"noise": 0.0, "onboarding": 0.0}, takers={"extraction": 0.0})
    prof = profile(9, 5, p)  # full service: 0.1 per deal
    n = 2
    profit, surplus = deal_payoffs(
        p, np.array([1, 0], np.int8), np.zeros(n, np.int8), np.ones(n),
        np.zeros(n, np.float32), np.zeros(n, np.bool_), np.full(n, prof.margin),
        np.full(n, prof.service), np.full(n, prof.yield_), np.random.default_rng(0),
    )  # fmt: skip
    assert profit.tolist() == pytest.approx([1.0 + 0.2 * 3.0, 0.55 - 0.1])
    assert surplus.tolist() == pytest.approx([-0.2 * 3.0, 0.45 + 2.0 * 0.1])
    pay = stage_payoffs(p, prof)
    assert (pay["T"], pay["cT"]) == pytest.approx((1.6, -0.6))


def _shares(p: MarketParams, proof: list[float], n: int = 6000, **terms: Any) -> np.ndarray:
    """Shares of ``n`` rounds in which one prospect, contacted once by each slot, took
    each slot's offer (last: stayed out)."""
    rng = np.random.default_rng(11)
    slots = np.arange(len(proof))
    opinions = terms.pop("opinions", None)
    wins = np.zeros(len(proof) + 1)
    for _ in range(n):
        _, s, k = prospect(
            np.array([7]),
            slots,
            np.ones(len(proof), np.intp),
            np.array(proof),
            opinions,
            p,
            rng,
            **terms,
        )
        assert k.tolist() == [1] * len(proof)
        wins[s[0] if s.size else -1] += 1
    return wins / n


def _logit(u: list[float]) -> np.ndarray:
    """Multinomial-logit shares of offers with utilities ``u`` against staying out (0)."""
    e = np.exp(np.array(u))
    return np.append(e, 1.0) / (1.0 + e.sum())


@pytest.mark.parametrize(
    ("weights", "terms", "extra"),
    [
        # belief-based values replace opinions (which would favour slot 0 by 3 logits)
        ({}, {"value": True}, [-1.0, 0.5]),
        ({"price_weight": 2.0}, {"value": True, "offer": [0.5, 0.0]}, [-1.0 + 1.0, 0.5]),
        ({}, {"value": True, "lure": [0.0, 1.5]}, [-1.0, 0.5 + 1.5]),
        # without values: opinions (reputation weight 1), price and lure
        ({}, {"opinions": True}, [3.0, 0.0]),
        ({"price_weight": 2.0}, {"offer": [0.5, 0.0]}, [1.0, 0.0]),
        ({"price_weight": 0.0}, {"offer": [5.0, 0.0]}, [0.0, 0.0]),  # weight 0: ignored
        ({}, {"lure": [0.0, 1.5]}, [0.0, 1.5]),
    ],
)
def test_every_utility_term_enters_the_logit(
    weights: dict[str, float], terms: dict[str, Any], extra: list[float]
) -> None:
    """Each term of an offer's utility (belief-based value or opinion, price, lure) adds
    to logit(base) + social proof exactly as documented: choice shares match the
    multinomial logit within 5 standard errors."""
    p = MarketParams(acquisition={"base_accept": 0.3, "social_proof_weight": 1.0, **weights})
    proof = [0.2, 0.4]
    terms = dict(terms)  # the parameters are shared between runs of the test
    kw: dict[str, Any] = {}
    if terms.pop("value", False):
        kw["value"] = lambda c, s: np.array([-1.0, 0.5])[s]
        terms["opinions"] = True
    if terms.pop("opinions", False):
        op = Opinions(10, 2, None, forget=0.0)
        op.values[7] = [3.0, 0.0]
        kw["opinions"] = op
    kw.update({name: np.array(v) for name, v in terms.items()})
    n = 6000
    got = _shares(p, proof, n, **kw)
    want = _logit([np.log(0.3 / 0.7) + pr + e for pr, e in zip(proof, extra, strict=True)])
    sd = np.sqrt(want * (1 - want) / n)
    assert np.all(np.abs(got - want) < 5 * sd), (got, want)


def test_no_contacts_without_acquisition_prospects_or_sellers() -> None:
    """Acquisition off, nobody free, or no seller with room: nobody is won and nobody is
    contacted (a zero count for each slot given)."""
    rng = np.random.default_rng(0)
    on, off = MarketParams(), MarketParams(acquisition={"enabled": False})
    cases = [
        (np.arange(5), np.arange(3), off),
        (np.zeros(0, np.intp), np.arange(3), on),
        (np.arange(5), np.zeros(0, np.intp), on),
    ]
    for prospects, slots, p in cases:
        c, s, k = prospect(prospects, slots, np.full(slots.size, 9), np.zeros(slots.size),
                           None, p, rng)  # fmt: skip
        assert c.tolist() == []
        assert s.tolist() == []
        assert k.tolist() == [0] * slots.size
        assert k.dtype == np.intp


def test_extra_contacts_go_beyond_the_usual_within_free_capacity() -> None:
    """Capital invested in growth buys contacts beyond ``contacts``, never beyond the
    slot's free capacity nor the number of prospects."""
    p = MarketParams(acquisition={"contacts": 3})
    rng = np.random.default_rng(0)
    _, _, k = prospect(np.arange(50), np.arange(3), np.array([100, 4, 100]), np.zeros(3),
                       None, p, rng, extra=np.array([2, 2, 100]))  # fmt: skip
    assert k.tolist() == [5, 4, 50]


def test_opinions_fade_by_keep_per_period_across_rescaling() -> None:
    """After t periods an opinion is keep**t of what was said, also once the lazy scale
    has been folded back into the tables (below 1e-6), and what is said after counts
    in full."""
    from scipy import sparse

    path = sparse.csr_array((np.ones(4), ([0, 1, 1, 2], [1, 0, 2, 1])), shape=(3, 3))
    op = Opinions(3, 2, path, forget=0.5)
    op.values[1, 1] = 8.0
    # told to the neighbours (outbox) and, beyond them, to everyone (buzz)
    op.spread(np.array([0]), np.array([0]), np.array([-2.0]), reach=4, rng=np.random.default_rng(0))
    everyone = np.array([0, 1, 2, 1]), np.array([0, 0, 0, 1])
    start = op.of(*everyone)
    assert start.tolist() == pytest.approx([-2.0, -4.0, -2.0, 8.0])
    for t in range(1, 31):
        op.fade()
        assert op.of(*everyone) == pytest.approx(start * 0.5**t, rel=1e-6)
    assert 0.5**30 < 1e-6 < op.scale <= 1.0  # rescaled on the way
    op = Opinions(3, 2, None, forget=0.5)
    op.values[1, 1] = 8.0
    for _ in range(30):
        op.fade()
    op.remember(np.array([1, 2]), np.array([1, 0]), np.array([2.0, -3.0]))
    got = op.of(np.array([1, 2]), np.array([1, 0]))
    assert got[0] == pytest.approx(2.0 + 8.0 * 0.5**30, rel=1e-6)
    assert got[1] == pytest.approx(-3.0, rel=1e-6)
    op.fade()
    assert op.of(np.array([2]), np.array([0]))[0] == pytest.approx(-1.5, rel=1e-6)


def test_neighbour_table_lists_each_row_then_pads_with_one_past_the_last_node() -> None:
    """Row i holds node i's neighbours in CSR order, then the padding index n, in an
    int32 table as wide as the largest degree (one column if nobody has a neighbour)."""
    from scipy import sparse

    from longgame.models.market._wordofmouth import neighbour_table

    rows, cols = [0, 0, 0, 1, 2, 3], [1, 2, 3, 0, 0, 0]  # a star on 0, node 4 alone
    net = sparse.csr_array((np.ones(6), (rows, cols)), shape=(5, 5))
    table = neighbour_table(net)
    assert table.dtype == np.int32
    assert table.tolist() == [[1, 2, 3], [0, 5, 5], [0, 5, 5], [0, 5, 5], [5, 5, 5]]
    lonely = neighbour_table(sparse.csr_array((3, 3)))
    assert lonely.tolist() == [[3], [3], [3]]


def test_heard_is_the_network_part_of_an_opinion_faded_alike() -> None:
    """``heard`` sums what each customer's contacts told all their neighbours, for every
    seller, fading as opinions do; own experience is left out."""
    from scipy import sparse

    rows, cols = [0, 1, 1, 2], [1, 0, 2, 1]  # a path 0 - 1 - 2
    net = sparse.csr_array((np.ones(4), (rows, cols)), shape=(3, 3))
    op = Opinions(3, 2, net, forget=0.5)
    rng = np.random.default_rng(0)
    op.spread(np.array([0, 2]), np.array([1, 0]), np.array([-2.0, 3.0]), reach=250, rng=rng)
    op.remember(np.array([1]), np.array([0]), np.array([10.0]))
    assert op.heard(np.array([1, 0])).tolist() == [[3.0, -2.0], [0.0, 0.0]]
    op.fade()
    assert op.heard(np.array([1])).tolist() == [[1.5, -1.0]]
    assert op.heard(np.zeros(0, np.intp)).shape == (0, 2)
    assert Opinions(3, 2, None, forget=0.0).heard(np.array([1])).tolist() == [[0.0, 0.0]]


def test_without_a_network_word_of_mouth_is_population_wide_buzz() -> None:
    """With no network every sender's reach goes into its seller's buzz, weak times
    weight times reach over the population, heard by everyone and fading alike; a reach
    of 0 tells nobody."""
    op = Opinions(10, 3, None, forget=0.5)
    rng = np.random.default_rng(0)
    everyone = np.array([5, 5, 5]), np.array([0, 1, 2])
    op.spread(np.array([0, 1, 2]), np.array([2, 0, 2]), np.array([1.0, -2.0, 0.5]),
              reach=4, rng=rng, weak=0.5)  # fmt: skip
    assert op.of(*everyone).tolist() == pytest.approx([-0.4, 0.0, 0.3])
    op.fade()
    op.spread(np.array([3]), np.array([1]), np.array([1.0]), reach=5, rng=rng)
    assert op.of(*everyone).tolist() == pytest.approx([-0.2, 0.5, 0.15])
    op.spread(np.array([3]), np.array([1]), np.array([1.0]), reach=0, rng=rng)
    assert op.of(*everyone).tolist() == pytest.approx([-0.2, 0.5, 0.15])


def test_opinion_tables_are_float32_and_padded_only_with_a_network() -> None:
    """Opinions are float32 (customer x seller); the outbox has one padding column past
    the last customer with a network and no columns without one."""
    from scipy import sparse

    path = sparse.csr_array((np.ones(4), ([0, 1, 1, 2], [1, 0, 2, 1])), shape=(3, 3))
    with_net, without = Opinions(3, 2, path, forget=0.1), Opinions(3, 2, None, forget=0.1)
    for op in (with_net, without):
        assert op.values.dtype == np.float32
        assert op.values.shape == (3, 2)
        assert op.outbox.dtype == np.float32
    assert with_net.outbox.shape == (2, 4)
    assert without.outbox.shape == (2, 0)
    assert with_net.degree.dtype == np.intp
    assert with_net.degree.tolist() == [1, 2, 1]


def test_a_reach_of_one_is_told_and_an_empty_network_has_an_empty_table() -> None:
    """Reach 1 without a network is one person's worth of buzz; a network of no nodes
    gives a table of no rows."""
    from scipy import sparse

    from longgame.models.market._wordofmouth import neighbour_table

    op = Opinions(4, 1, None, forget=0.0)
    op.spread(np.array([0]), np.array([0]), np.array([2.0]), reach=1, rng=np.random.default_rng(0))
    assert op.of(np.array([3]), np.array([0])).tolist() == [0.5]
    assert neighbour_table(sparse.csr_array((0, 0))).shape == (0, 1)
