"""Nowak's (2006) rules beyond the well-mixed population, each against its closed form.

Every threshold is checked on both sides with a stated tolerance (standard errors from
the number of runs). ``LONGGAME_STRESS=1`` multiplies the runs by 10 and tightens the
checks accordingly (outside CI: minutes).
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from pydantic import ValidationError

from longgame.errors import InputError
from longgame.models import get_model
from longgame.models.population import (
    FiveRulesParams,
    Graph,
    direct_reciprocity,
    graph_neighbours,
    group_fixation,
    group_threshold,
    indirect_reciprocity,
    indirect_threshold,
    network_fixation,
    network_threshold,
    simulate,
)

STRESS = 10 if os.environ.get("LONGGAME_STRESS") else 1


# ---------------------------------------------------------------------------------------
# network reciprocity
# ---------------------------------------------------------------------------------------

# graph, N, k, neutral runs; the exact form holds for every k-regular graph (Chen 2013)
NETWORKS = [
    ("ring", 24, 4, 2000),
    ("ring", 30, 6, 3000),
    ("lattice", 36, 4, 2000),
    ("random-regular", 24, 4, 2000),
]


@pytest.mark.parametrize(("graph", "population", "degree", "runs"), NETWORKS)
def test_network_weak_selection_threshold_is_the_finite_n_form(
    graph: Graph, population: int, degree: int, runs: int
) -> None:
    """Neutral runs put the weak-selection b/c threshold at (N-2)/(N/k-2), 4 SE, not at k."""
    nb = graph_neighbours(graph, population, degree, rng=5)
    est = network_fixation(nb, 1.0, 1.0, selection=0.0, runs=runs * STRESS, rng=7)
    measured, se = est.weak_threshold
    exact = network_threshold(population, degree)
    assert abs(measured - exact) < 4 * se
    assert se < 0.06 * exact  # precise enough that the next line means something
    assert abs(measured - degree) > 4 * se  # the large-N rule b/c > k is off at this N
    # neutral: the fixation probability is 1/N within 4 binomial standard errors
    assert abs(est.ratio - 1) < 4 * np.sqrt(population / est.runs)


@pytest.mark.parametrize(("population", "degree", "selection"), [(24, 4, 0.02), (30, 6, 0.015)])
@pytest.mark.parametrize("side", [0.5, 2.0])
def test_network_fixation_beats_one_over_n_iff_above_threshold(
    population: int, degree: int, selection: float, side: float
) -> None:
    """Under weak selection one cooperator fixes with probability below 1/N at half the
    threshold b/c and above it at twice, by more than 3 standard errors (3000 runs)."""
    nb = graph_neighbours("ring", population, degree)
    b = side * network_threshold(population, degree)
    est = network_fixation(nb, b, 1.0, selection=selection, runs=3000 * STRESS, rng=11)
    se = np.sqrt(est.probability * (1 - est.probability) / est.runs) * population
    if side > 1:
        assert est.ratio > 1 + 3 * se
    else:
        assert est.ratio < 1 - 3 * se


def test_graphs_have_the_asked_degrees() -> None:
    """Ring, lattice and random regular graphs are k-regular; small-world is the market's."""
    ring = graph_neighbours("ring", 12, 4)
    assert sorted(ring[0].tolist()) == [1, 2, 10, 11]
    lattice = graph_neighbours("lattice", 16, 4)
    assert lattice.shape == (16, 4)
    assert set(lattice[5].tolist()) == {1, 4, 6, 9}
    rr = graph_neighbours("random-regular", 20, 3, rng=1)
    assert rr.shape == (20, 3)
    assert all(v in rr[u] for u in range(20) for v in rr[u])  # undirected
    sw = graph_neighbours("small-world", 30, 4, rng=1, rewire=0.0)
    assert np.array_equal(
        np.sort(sw, axis=1), np.sort(ring_30 := graph_neighbours("ring", 30, 4), axis=1)
    )
    assert ring_30.shape == (30, 4)
    with pytest.raises(InputError, match="degree=3"):
        graph_neighbours("ring", 12, 3)


def test_network_runs_are_reproducible_and_seed_dependent() -> None:
    """Same seed, same estimate; another seed, another estimate."""
    nb = graph_neighbours("ring", 16, 2)
    one = network_fixation(nb, 3.0, 1.0, selection=0.05, runs=300, steps=5, rng=3)
    two = network_fixation(nb, 3.0, 1.0, selection=0.05, runs=300, steps=5, rng=3)
    other = network_fixation(nb, 3.0, 1.0, selection=0.05, runs=300, steps=5, rng=4)
    assert one.fixed == two.fixed
    assert np.array_equal(one.share, two.share)
    assert (one.fixed, one.share.tolist()) != (other.fixed, other.share.tolist())
    assert one.share[0] == pytest.approx(1 / 16)


# ---------------------------------------------------------------------------------------
# group selection
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("side", [0.5, 3.0])
def test_group_selection_favours_cooperators_iff_above_threshold(side: float) -> None:
    """With m = 6 groups of n = 8 (threshold 1 + n/(m-2) = 3), rare splitting and weak
    selection, one cooperator fixes below 1/(nm) at b/c = 1.5 and above it at b/c = 9,
    by more than 3 standard errors (4000 runs)."""
    b = side * group_threshold(6, 8)
    est = group_fixation(6, 8, b, 1.0, selection=0.15, split=0.02, runs=4000 * STRESS, rng=5)
    se = np.sqrt(est.probability * (1 - est.probability) / est.runs) * est.population
    if side > 1:
        assert est.ratio > 1 + 3 * se
    else:
        assert est.ratio < 1 - 3 * se


def test_group_neutral_fixation_is_one_over_nm() -> None:
    """Without selection a single mutant fixes with probability 1/(n m), within 4 SE."""
    est = group_fixation(4, 4, 3.0, 1.0, selection=0.0, split=0.2, runs=3000 * STRESS, rng=2)
    assert abs(est.ratio - 1) < 4 * np.sqrt(est.population / est.runs)
    assert est.share[0] == pytest.approx(1 / 16)


def test_group_threshold_forms() -> None:
    """1 + n/(m-2) exceeds the large-m form 1 + n/m and approaches it."""
    assert group_threshold(6, 8) == 3.0
    assert group_threshold(1000, 8) == pytest.approx(1 + 8 / 1000, rel=1e-2)
    with pytest.raises(InputError, match="group_size"):
        group_fixation(3, 2, 2.0, 1.0, selection=0.1, split=0.1, runs=1)


# ---------------------------------------------------------------------------------------
# indirect reciprocity
# ---------------------------------------------------------------------------------------


def _gap_closed_form(q: float, b: float, c: float, n: int, rounds: int) -> float:
    """Residents' payoff minus a lone defector's, per round, with the first round's
    transient (the defector starts with a good reputation)."""
    a = 1 / (n - 1)
    return (b - c) * (1 - a) - c * a * (1 - q) - b * (1 - q) - b * q / rounds


def _edges(assessment: str, qs: np.ndarray, rounds: int) -> list[float]:
    """Residents' payoff per round minus a lone defector's, among 50, at b/c = 2."""
    gaps = []
    for q in qs:
        out = indirect_reciprocity(
            (49, 0, 1),
            2.0,
            1.0,
            observe=float(q),
            assessment=assessment,  # type: ignore[arg-type]
            rounds=rounds,
            runs=40 * STRESS,
            max_generations=1,
            rng=3,
        )
        gaps.append(float(out.payoff[0] - out.payoff[2]))
    return gaps


def test_discriminators_out_earn_a_defector_iff_q_above_c_over_b() -> None:
    """Under standing, the residents' edge over one defector among 50 is the closed form
    at q = 0.3, 0.5, 0.7 (within 0.02 per round, 40 runs x 200 rounds), and its root is
    the finite-N form of q = c/b, (c + b/(N-1)) / (b + c/(N-1)) = 0.515, within 0.01."""
    b, c, n, rounds = 2.0, 1.0, 50, 200
    qs = np.array([0.3, 0.5, 0.7])
    gaps = _edges("standing", qs, rounds)
    for q, gap in zip(qs, gaps, strict=True):
        assert gap == pytest.approx(_gap_closed_form(q, b, c, n, rounds), abs=0.02)
    slope, intercept = np.polyfit(qs, gaps, 1)
    a = 1 / (n - 1)
    assert -intercept / slope == pytest.approx((c + a * b) / (b + a * c), abs=0.01)
    assert indirect_threshold(n, 0.5) == pytest.approx(b / c * (1 + 0.0319), abs=1e-3)


@pytest.mark.parametrize("assessment", ["stern-judging", "image-scoring"])
def test_other_assessments_put_the_threshold_slightly_higher(assessment: str) -> None:
    """Stern judging (helping a bad recipient unknowingly is bad) and image scoring
    (refusing is bad) cost discriminators some reputation: the edge still changes sign
    near q = c/b, but its root lies 0.005-0.04 above standing's."""
    qs = np.array([0.3, 0.5, 0.7])
    gaps = _edges(assessment, qs, 200)
    slope, intercept = np.polyfit(qs, gaps, 1)
    standing_slope, standing_intercept = np.polyfit(qs, _edges("standing", qs, 200), 1)
    shift = -intercept / slope + standing_intercept / standing_slope
    assert 0.005 < shift < 0.04
    assert gaps[0] < -0.3
    assert gaps[2] > 0.3


@pytest.mark.parametrize(("q", "resists"), [(0.3, False), (0.8, True)])
def test_discriminators_resist_defectors_iff_q_above_c_over_b(q: float, resists: bool) -> None:
    """From 48 discriminators and 2 defectors (b/c = 2) discriminators take over in at
    least 95% of 200 runs at q = 0.8 and in at most 20% at q = 0.3 (neutral: 96%)."""
    out = indirect_reciprocity((48, 0, 2), 2.0, 1.0, observe=q, runs=200 * STRESS, rng=9)
    if resists:
        assert out.probability[0] >= 0.95
    else:
        assert out.probability[0] <= 0.2  # neutral: 0.96
    assert out.probability.sum() == pytest.approx(1.0)


def test_image_scoring_makes_refusers_pay() -> None:
    """Under image scoring a refusal spoils the refuser's own image, so discriminators
    earn less than under standing (same seed, q = 0.9)."""
    runs = {"runs": 40, "max_generations": 1, "rounds": 100, "rng": 4}
    image = indirect_reciprocity(
        (45, 0, 5), 2.0, 1.0, observe=0.9, assessment="image-scoring", **runs
    )  # type: ignore[arg-type]
    standing = indirect_reciprocity(
        (45, 0, 5), 2.0, 1.0, observe=0.9, assessment="standing", **runs
    )  # type: ignore[arg-type]
    assert standing.payoff[0] - image.payoff[0] > 0.05


def test_indirect_rejects_bad_input() -> None:
    """Unknown assessment rules and impossible populations are one-line errors."""
    with pytest.raises(InputError, match="assessment='gossip'"):
        indirect_reciprocity((5, 0, 5), 2.0, 1.0, observe=0.5, assessment="gossip")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="counts"):
        indirect_reciprocity((1, 0, 0), 2.0, 1.0, observe=0.5)


# ---------------------------------------------------------------------------------------
# direct reciprocity (through the tournament model) and the model spec
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("b", "resists"), [(1.5, False), (3.0, True)])
def test_direct_reciprocity_transition_at_w_equals_c_over_b(b: float, resists: bool) -> None:
    """At w = 0.5, tit for tat (48 of 50) keeps defectors out at b/c = 3 (> 1/w) in over
    95% of 500 Moran runs and at b/c = 1.5 in under 75% (neutral: 96%)."""
    out = direct_reciprocity(
        b,
        1.0,
        continuation=0.5,
        population=50,
        reciprocators=48,
        selection=0.9,
        repetitions=200,
        runs=500 * STRESS,
        steps=5,
        rng=1,
    )
    assert out.payoff_matrix[1, 0] == pytest.approx(b * 0.5)  # ALLD gets b once per match
    if resists:
        assert out.probability > 0.95
    else:
        assert out.probability < 0.75  # neutral: 0.96


def test_five_rules_model_is_registered_and_quick_keeps_the_answer() -> None:
    """The spec is found by name, and fewer steps leave the fixation answer unchanged."""
    spec = get_model("five-rules")
    assert spec.quick({"rule": "group", "runs": 900}) == {"rule": "group", "runs": 900}
    for rule in ("direct", "indirect", "network", "group"):
        params = FiveRulesParams(rule=rule, benefit=3.0, runs=60)  # type: ignore[arg-type]
        long = simulate(params, 30, np.random.default_rng(1)).metrics
        short = simulate(params, 3, np.random.default_rng(1)).metrics

        def answer(m: object) -> dict[str, float]:
            frame = m[m["metric"] != "share"]  # type: ignore[index]
            return dict(zip(frame["metric"], frame["value"], strict=True))

        assert answer(long) == answer(short), rule
        assert set(long["step"]) == set(range(1, 31))


def test_five_rules_params_name_the_bad_input() -> None:
    """Unknown keys, b <= c and impossible graphs are rejected with their names."""
    with pytest.raises(ValidationError, match="extra"):
        FiveRulesParams(rule="network", colour="red")  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="b > c"):
        FiveRulesParams(benefit=0.5)
    with pytest.raises(ValidationError, match="degree=5"):
        FiveRulesParams(rule="network", network={"degree": 5})  # type: ignore[arg-type]
