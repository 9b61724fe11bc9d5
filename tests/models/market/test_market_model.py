"""The market model's contract: parameters, determinism, metrics, spells, SPEC, theory."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from longgame.analysis import clv, retention_rate
from longgame.errors import InputError
from longgame.models import METRIC_COLUMNS, RunOutput, get_model
from longgame.models.market import SPEC, MarketModel, MarketParams, quick, theory
from longgame.models.market._metrics import METRICS, MIN_RETENTION_BASE

SMALL = {"customers": 400, "sellers": {"fleecer": 2, "fair-dealer": 2}}


def small(seed: int = 0, steps: int = 40, **overrides: object) -> RunOutput:
    """One small run."""
    return MarketModel(SMALL, rng=seed, **overrides).run(steps)


def test_metrics_are_tidy_with_exact_names() -> None:
    """Metrics have the runner's columns, one row per step x group x metric, exact metric names."""
    df = small().metrics
    assert tuple(df.columns) == METRIC_COLUMNS
    assert set(df.metric) == set(METRICS) == {
        "profit", "cumulative_profit", "customers", "new_customers", "lost_customers",
        "retention", "trust", "customer_surplus", "sellers_active", "share",
        "capacity_use", "clv", "clv_realised", "capital",
    }  # fmt: skip
    assert set(df.group) == {"fleecer", "fair-dealer"}
    assert len(df) == 40 * 2 * len(METRICS)
    assert df.step.min() == 1
    assert df.step.max() == 40


def test_shares_sum_to_one_and_cumulative_profit_adds_up() -> None:
    """Shares of active sellers sum to 1 and cumulative profit is the running sum of profit."""
    df = small(3).metrics
    share = df[df.metric == "share"].groupby("step").value.sum()
    assert np.allclose(share, 1.0)
    for _, g in df.groupby("group"):
        prof = g[g.metric == "profit"].value.fillna(0).to_numpy()
        cum = g[g.metric == "cumulative_profit"].value.to_numpy()
        assert np.allclose(np.cumsum(prof), cum)


def test_same_seed_same_run_different_seed_different_run() -> None:
    """A seed fixes the run; another seed changes it."""
    a, b, c = small(5).metrics, small(5).metrics, small(6).metrics
    pd.testing.assert_frame_equal(a, b)
    assert not a.value.fillna(-1).equals(c.value.fillna(-1))


def test_generator_rng_is_used_and_advanced() -> None:
    """Passing a Generator shares its stream: two runs from one Generator differ."""
    g = np.random.default_rng(1)
    a = MarketModel(SMALL, rng=g).run(20).metrics
    b = MarketModel(SMALL, rng=g).run(20).metrics
    assert not a.value.fillna(-1).equals(b.value.fillna(-1))


def test_spells_censor_open_relationships() -> None:
    """Spells end with an event or are censored at the last step (the open books)."""
    model = MarketModel(SMALL, rng=2)
    out = model.run(30)
    sp = out.tables["spells"]
    assert list(sp.columns[:5]) == ["group", "start", "end", "duration", "event"]
    assert (sp.duration == sp.end - sp.start).all()
    assert (sp.duration >= 0).all()
    open_ = sp[~sp.event]
    assert (open_.end == 30).all()
    assert len(open_) == int((model.customers.seller >= 0).sum())
    customers = out.metrics.query("step == 30 and metric == 'customers'")
    n_active = out.metrics.query("step == 30 and metric == 'sellers_active'")
    total = (customers.set_index("group").value * n_active.set_index("group").value).sum()
    assert total == pytest.approx(len(open_))


def test_sellers_are_mesa_agents() -> None:
    """Sellers are Mesa agents in an AgentSet, reporting their group, capital and book."""
    model = MarketModel(SMALL, rng=0)
    model.run_for(5)
    assert len(model.sellers) == 4
    books = sorted(s.customers for s in model.sellers)
    assert sum(books) == int((model.customers.seller >= 0).sum())
    assert {s.group for s in model.sellers} == {"fleecer", "fair-dealer"}
    assert all(isinstance(s.capital, float) for s in model.sellers)


def test_sellers_mapping_and_table_forms_agree() -> None:
    """``sellers`` as a mapping and as a list of tables give the same market."""
    a = MarketParams(sellers={"fleecer": 2, "tit-for-tat": 1})
    b = MarketParams(
        sellers=[{"strategy": "fleecer", "count": 2}, {"strategy": "tit-for-tat", "count": 1}]
    )
    assert a == b


def test_sellers_labelled_tables_form_agrees() -> None:
    """``sellers`` as labelled tables (addressable by a sweep key) gives the same market."""
    a = MarketParams(sellers=[{"strategy": "grid", "count": 2, "params": {"sale_concern": 7}}])
    b = MarketParams(
        sellers={"probe": {"strategy": "grid", "count": 2, "params": {"sale_concern": 7}}}
    )
    assert b.sellers[0].name == "probe"
    assert a.sellers[0].name == "grid"
    assert a.sellers[0].model_copy(update={"label": "probe"}) == b.sellers[0]


def test_unknown_strategy_names_closest_match() -> None:
    """A misspelt strategy is an InputError naming the input with a did-you-mean hint."""
    with pytest.raises(InputError, match=r"sellers.*fleecr.*did you mean 'fleecer'"):
        MarketModel({"sellers": {"fleecr": 1}}, customers=10)


def test_bad_parameters_are_listed_all_at_once() -> None:
    """Unknown keys and out-of-range values are reported together, one line each."""
    with pytest.raises(InputError) as err:
        MarketModel({"custmers": 5, "exchange": {"demand": 2.0}, "trust": {"down": -1}})
    problems = err.value.problems
    assert len(problems) == 3
    assert any("custmers" in p for p in problems)
    assert any("exchange.demand=2.0" in p for p in problems)


def test_duplicate_strategy_with_different_parameters_is_refused() -> None:
    """Two seller entries resolving to one strategy with different parameters are refused."""
    with pytest.raises(InputError, match="listed twice"):
        MarketModel(
            {
                "sellers": [
                    {"strategy": "generous-tit-for-tat", "params": {"generosity": 0.1}},
                    {"strategy": "generous-tit-for-tat", "params": {"generosity": 0.3}},
                ]
            },
            customers=10,
        )


def test_run_length_is_an_argument_not_a_parameter() -> None:
    """The run length comes only from run(steps): 'steps' is no parameter; bad lengths refused."""
    with pytest.raises(InputError, match="market: steps=10 is not a known key"):
        MarketModel(SMALL, steps=10)
    assert "steps" not in MarketParams.model_fields
    model = MarketModel(SMALL, rng=0)
    for bad in (-1, 2.5, True):
        with pytest.raises(InputError, match="steps="):
            model.run(bad)  # type: ignore[arg-type]
    assert model.run(7).metrics.step.max() == 7
    out = model.run(5)
    assert out.metrics.step.max() == 12
    assert len(out.metrics) == 12 * 2 * len(METRICS)


def test_one_shot_mode_switches_mechanisms() -> None:
    """One-shot mode: no repeat purchase or word of mouth, anonymous customers, free acquisition."""
    p = MarketParams(mode="one-shot")
    assert not p.repeat.enabled
    assert not p.word_of_mouth.enabled
    assert p.anonymous
    assert p.acquisition.contact_cost == 0
    out = MarketModel(p, customers=300, rng=0).run(10)
    sp = out.tables["spells"]
    assert (sp[sp.event].duration == 1).all()


def _no_service(m: MarketModel) -> bool:
    return all(q.service == 0 for q in m._profiles)


def _nobody_left_unhappy(m: MarketModel) -> bool:
    # without trust nobody leaves on low trust or satisfaction: with repeat purchase
    # certain (cap 1, base 1) every relationship ever started is still open
    return not m.spells().event.any()


def _every_spell_one_deal(m: MarketModel) -> bool:
    sp = m.spells()
    return bool((sp[sp.event].duration == 1).all())


def _nobody_heard(m: MarketModel) -> bool:
    return m.opinions is None or not (m.opinions.outbox.any() or m.opinions.buzz.any())


def _nobody_bankrupt(m: MarketModel) -> bool:
    return bool(m.seller_active.all())


#: what each mechanism's switch turns off, checked on the model after a run in which
#: the mechanism would otherwise act (stop-loss with a tight capital floor, trust with
#: certain repeat purchase, so that a departure can only come from trust)
SWITCHES = {
    "service": ({}, _no_service),
    "trust": (
        {"repeat": {"base": 1.0, "cap": 1.0, "satisfaction_gain": 0.0}},
        _nobody_left_unhappy,
    ),
    "repeat": ({}, _every_spell_one_deal),
    "acquisition": ({}, lambda m: not (m.customers.seller >= 0).any()),
    "word_of_mouth": ({}, _nobody_heard),
    "stop_loss": ({"stop_loss": {"capital": 5.0}}, _nobody_bankrupt),
    "ladder": ({}, lambda m: not m.customers.level.any()),
    "friendship": ({}, lambda m: not m.customers.closeness.any()),
    "takers": ({"takers": {"share": 0.5}}, lambda m: not m.customers.taker.any()),
}


@pytest.mark.parametrize("block", sorted(SWITCHES))
def test_every_mechanism_can_be_switched_off(block: str) -> None:
    """Each mechanism's ``enabled`` switch removes its effect, which is present when on."""
    setting, off = SWITCHES[block]

    def model(enabled: bool) -> MarketModel:
        kw: dict[str, Any] = {k: dict(v) for k, v in setting.items()}
        kw.setdefault(block, {})["enabled"] = enabled
        m = MarketModel(SMALL, rng=1, **kw)
        m.run(30)
        return m

    assert off(model(False))
    assert not off(model(True)), f"{block} has no visible effect when on; the check is vacuous"


def test_acquisition_off_means_no_customers() -> None:
    """With acquisition off nobody ever becomes a customer."""
    df = small(1, 10, acquisition={"enabled": False}).metrics
    assert (df[df.metric == "customers"].value == 0).all()


def test_capacity_limits_books() -> None:
    """No seller ever holds more relationships than its capacity, and the limit binds
    (some seller's book reaches it), so the check is not passed by empty books."""
    model = MarketModel(SMALL, rng=4, acquisition={"capacity": 30})
    peak = 0
    for _ in range(20):
        model.step()
        books = np.bincount(model.customers.seller[model.customers.seller >= 0], minlength=4)
        assert books.max() <= 30
        peak = max(peak, int(books.max()))
    assert peak == 30


def test_turnover_spreads_the_profitable_strategy() -> None:
    """With turnover on, bankrupt fleecers are replaced by imitators of fair dealers."""
    finals = []
    for seed in (1, 2, 3):
        df = (
            MarketModel(
                {"sellers": {"fleecer": 5, "fair-dealer": 5}, "turnover": {"enabled": True}},
                customers=2000,
                rng=seed,
            )
            .run(150)
            .metrics
        )
        share = df[(df.metric == "share") & (df.group == "fair-dealer")].value.to_numpy()
        assert share[0] == pytest.approx(0.5)
        assert share.min() >= 0.5 - 1e-9
        finals.append(share[-1])
    assert np.mean(finals) >= 0.7


def test_spec_runs_through_the_model_registry() -> None:
    """``get_model("market")`` returns SPEC whose simulate gives a RunOutput with spells."""
    spec = get_model("market")
    assert spec is SPEC
    assert spec.params is MarketParams
    params = spec.params.model_validate(spec.quick({"customers": 5000, "sellers": {"fleecer": 4}}))
    assert params.customers == 500
    assert params.sellers[0].count == 2
    out = spec.simulate(params, 5, np.random.default_rng(0))
    assert set(out.metrics.group) == {"fleecer"}
    assert "spells" in out.tables
    assert quick({"customers": 100}) == {"customers": 100}


def test_grim_trigger_threshold_matches_stage_payoffs() -> None:
    """δ* is (T - R) / T from the per-deal payoffs and rises with the overcharge."""
    th = theory(MarketParams())
    assert th["grim_trigger_delta"] == pytest.approx((th["T"] - th["R"]) / th["T"])
    d = MarketParams().exchange.demand
    r_star = (th["T"] - th["R"]) / (th["T"] - th["R"] + d * th["R"])
    assert th["grim_trigger_repeat"] == pytest.approx(r_star)
    greedier = theory(MarketParams(exchange={"overcharge": 0.6}))
    assert greedier["grim_trigger_threshold"] > th["grim_trigger_threshold"]
    generous = MarketParams(
        exchange={"overcharge": 0.0, "margin_high": 1.0, "margin_low": 1.0},
        service={"enabled": False},
    )
    assert math.isnan(theory(generous)["grim_trigger_threshold"])
    # with service on, fleecing at no premium still saves the service a fair deal gives
    assert theory(MarketParams(exchange=generous.exchange))["T"] - theory(generous)["R"] == 0.0


@pytest.mark.parametrize("offset", [-0.12, 0.12])
def test_grim_trigger_threshold_separates_fleecing_from_fair_dealing(offset: float) -> None:
    """Below the threshold a fleecer's relationship is worth more than a fair one; above, less."""
    off = {"enabled": False}
    common: dict[str, object] = {
        "exchange": {"noise": 0.0, "demand": 0.8},
        "trust": {"down": 1.0},
        "acquisition": {"capacity": 1000},
        "service": off, "word_of_mouth": off, "stop_loss": off, "ladder": off,
        "friendship": off, "takers": off,
    }  # fmt: skip
    base = theory(MarketParams(**common))["grim_trigger_threshold"]  # type: ignore[arg-type]
    r = base + offset
    sp = (
        MarketModel(
            {"sellers": {"fleecer": 2, "fair-dealer": 2}, **common},
            customers=3000,
            rng=4,
            repeat={"base": r, "satisfaction_gain": 0.0},
        )
        .run(150)
        .tables["spells"]
    )
    done = sp[sp.event & (sp.start < 100)]
    value = done.groupby("group").profit.mean()
    th = theory(MarketParams(repeat={"base": r, "satisfaction_gain": 0.0}, **common))  # type: ignore[arg-type]
    onboarding = MarketParams().exchange.onboarding
    assert value["fleecer"] == pytest.approx(th["fleece_once"] - onboarding, rel=0.02)
    assert value["fair-dealer"] == pytest.approx(th["clv_fair"] - onboarding, rel=0.1)
    fair_wins = value["fair-dealer"] > value["fleecer"]
    assert fair_wins == (offset > 0)


def test_relationship_value_matches_closed_form_clv() -> None:
    """Only exchange and repeat purchase on: lifetime profit is R + CLV(R, r) - onboarding."""
    r = 0.8
    off = {"enabled": False}
    model = MarketModel(
        {"sellers": {"fair-dealer": 4}},
        customers=3000,
        rng=9,
        exchange={"demand": 1.0, "noise": 0.0},
        repeat={"base": r, "satisfaction_gain": 0.0},
        acquisition={"capacity": 3000},
        service=off, trust=off, word_of_mouth=off, stop_loss=off, ladder=off,
        friendship=off, takers=off,
    )  # fmt: skip
    sp = model.run(150).tables["spells"]
    done = sp[sp.event & (sp.start < 100)]
    R = theory(model.params)["R"]
    expected = R + float(clv(R, r)) - model.params.exchange.onboarding
    assert done.profit.mean() == pytest.approx(expected, rel=0.05)
    est = retention_rate(sp.assign(group="all"))
    assert est.ci_low.iloc[0] < r < est.ci_high.iloc[0]


def test_exits_stay_with_their_own_relationships() -> None:
    """Fleecers' customers leave; fair dealers' customers, dealt fairly without noise, never do."""
    df = (
        MarketModel(
            {"sellers": {"fleecer": 2, "fair-dealer": 2}},
            customers=1000,
            rng=0,
            exchange={"noise": 0.0},
            repeat={"base": 1.0, "cap": 1.0, "satisfaction_gain": 0.0},
            takers={"enabled": False},
            friendship={"enabled": False},
        )
        .run(40)
        .metrics
    )
    lost = df[df.metric == "lost_customers"].groupby("group").value.sum()
    assert lost["fair-dealer"] == 0
    assert lost["fleecer"] > 0


def test_metrics_stay_in_range_through_bankruptcies() -> None:
    """Retention, trust and shares stay in [0, 1] (or NaN when undefined) as sellers go broke."""
    out = MarketModel(SMALL, rng=8, stop_loss={"capital": 5.0}).run(60)
    df = out.metrics
    assert not np.isinf(df.value).any()
    bounded = df[df.metric.isin(["retention", "trust", "share"])].value.dropna()
    assert bounded.between(0, 1).all()
    assert (df[df.metric == "sellers_active"].groupby("step").value.sum() < 4).any()


MECHANISMS = (
    "service", "trust", "repeat", "acquisition", "word_of_mouth", "stop_loss", "ladder",
    "friendship", "takers", "turnover",
)  # fmt: skip


@settings(max_examples=25, deadline=None)
@given(
    switches=st.lists(st.booleans(), min_size=len(MECHANISMS), max_size=len(MECHANISMS)),
    seed=st.integers(0, 2**32 - 1),
    capacity=st.integers(1, 60),
)
def test_invariants_hold_for_any_mechanism_mix(
    switches: list[bool], seed: int, capacity: int
) -> None:
    """Whatever mechanisms are on: books within capacity, shares sum to 1, ratios in [0, 1]."""
    blocks = {name: {"enabled": on} for name, on in zip(MECHANISMS, switches, strict=True)}
    blocks["acquisition"]["capacity"] = capacity
    model = MarketModel(
        {"sellers": {"fleecer": 1, "fair-dealer": 1, "tit-for-tat": 1}, **blocks},
        customers=150,
        rng=seed,
    )
    for _ in range(12):
        model.step()
        seller = model.customers.seller
        assert np.bincount(seller[seller >= 0], minlength=3).max() <= capacity
        # the step finds first deals by start date: exactly the relationships begun
        # in the last period have no deal yet
        cur = seller >= 0
        new = model.customers.start[cur] == model.steps
        assert np.array_equal(model.customers.rounds[cur] == 0, new)
    out = model.run(0)
    df = out.metrics
    assert not np.isinf(df.value).any()
    shares = df[df.metric == "share"].groupby("step").value.sum()
    assert np.allclose(shares[shares > 0], 1.0)
    bounded = df[df.metric.isin(["retention", "trust", "share"])].value.dropna()
    assert bounded.between(0, 1).all()
    sp = out.tables["spells"]
    assert (sp.duration >= 0).all()
    assert (~sp.event).sum() == int((model.customers.seller >= 0).sum())


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"word_of_mouth": {"network": {"degree": 3}}}, "degree=3 is invalid; expected an even"),
        ({"exchange": {"demnd": 1}}, "did you mean 'demand'"),
    ],
)
def test_bad_parameters_get_one_line_each(params: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        MarketModel({**SMALL, **params}, rng=0)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("rng", ["abc", -1, 1.5, np.random.RandomState(0)])
def test_a_bad_rng_is_an_input_error(rng: Any) -> None:
    with pytest.raises(InputError, match=r"rng=.* is invalid; expected an integer seed"):
        MarketModel(SMALL, rng=rng)


def test_spells_are_censored_when_the_seller_switches_strategy() -> None:
    """Each relationship is one spell, under the strategy its seller had until the end or
    until the seller imitated another strategy (then censored at the switch)."""
    model = MarketModel(
        {"sellers": {"fleecer": 3, "fair-dealer": 3}},
        customers=600,
        rng=2,
        turnover={"enabled": True, "imitation_rate": 0.3},
    )
    # relationships begun: those that start in a step and are still there at its end,
    # plus any that a bankruptcy ended in the step they began
    begun = 0
    switches = []
    for _ in range(40):
        before = model.seller_group.copy()
        pop = model.customers
        # relationships whose spell is open (a seller switching twice has old, already
        # censored customers, which are not cut again)
        open_before = np.where(pop.tracked & (pop.seller >= 0), pop.seller, -1)
        model.step()
        begun += int(np.count_nonzero((pop.seller >= 0) & (pop.start == model.steps)))
        changed = np.flatnonzero(model.seller_group != before)
        kept_open = (pop.seller == open_before) & np.isin(pop.seller, changed)
        if kept_open.any():
            switches.append((int(model.steps), set(before[changed].tolist())))
    model.step()  # so that a switch in the last step is told apart from the final censoring
    begun += int(np.count_nonzero((pop.seller >= 0) & (pop.start == model.steps)))
    assert switches, "no seller with customers switched strategy; imitation must happen"
    sp = model.spells()
    begun += int(np.count_nonzero(sp.event & (sp.start == sp.end)))
    assert begun > 600
    assert len(sp) == begun  # every relationship exactly once
    codes = {name: g for g, name in enumerate(model.groups)}
    for t, old_groups in switches:
        cut = sp[~sp.event & (sp.end == t)]
        assert len(cut) > 0
        assert {codes[g] for g in cut.group} <= old_groups


def test_retention_needs_enough_customers_to_be_a_number() -> None:
    """Retention is NaN exactly in periods where the group started with < 10 customers."""
    model = MarketModel(SMALL, rng=5)
    out = model.run(40)
    df = out.metrics.pivot_table(index=["step", "group"], columns="metric", values="value")
    sellers = df["sellers_active"]
    # customers per seller at the end of the previous step x sellers = the group's base
    base = (df["customers"] * sellers).groupby(level="group").shift(1)
    few = base < MIN_RETENTION_BASE
    enough = base >= MIN_RETENTION_BASE
    assert few.any()  # the fleecers lose their customers: the rule is exercised
    assert df["retention"][few].isna().all()
    assert df["retention"][enough].notna().all()
    assert df["retention"][enough].between(0, 1).all()
