"""The ``five-rules`` model: one rule of Nowak (2006) per run, for the experiment runner.

A run estimates whether cooperation is favoured under one mechanism at one benefit b
(cost c): the fixation probability of the cooperative type over its neutral value
(``advantage`` > 1: favoured), next to the rule's closed-form b/c threshold, and the
cooperators' mean share over the first ``steps`` generations. The fixation estimates run
to absorption whatever ``steps`` is, so ``--quick`` (fewer steps) gives the same answer.

Rules and their metrics (group ``cooperators``; outcome metrics at the last step only):

- ``direct``: tit for tat vs always-defect, continuation w; threshold b/c = 1/w.
- ``indirect``: discriminators vs defectors, reputation known with probability q;
  threshold b/c = 1/q (and the finite-population form); also ``payoff_gap``, the
  residents' edge per round over a lone defector in generation 1 (with
  ``defectors = 1``).
- ``network``: one cooperator on a graph, death-birth updating; threshold
  (N - 2)/(N/k - 2) (``threshold``) and k (``threshold_large_n``).
- ``group``: one cooperator among m groups of <= n that split; threshold 1 + n/(m - 2)
  and 1 + n/m (``threshold_large_n``).
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from longgame.models._spec import METRIC_ROW_BYTES, ModelSpec, RunCost, RunOutput
from longgame.models.population._groups import group_fixation, group_threshold
from longgame.models.population._indirect import Assessment, indirect_reciprocity
from longgame.models.population._network import (
    Graph,
    graph_neighbours,
    network_fixation,
    network_threshold,
)

__all__ = [
    "SPEC",
    "DirectParams",
    "FiveRulesParams",
    "GroupParams",
    "IndirectParams",
    "NetworkParams",
    "indirect_threshold",
    "simulate",
]

Rule = Literal["direct", "indirect", "network", "group"]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DirectParams(_Section):
    """Direct reciprocity: ``continuation`` w, a Moran population of ``population`` with
    ``reciprocators`` tit-for-tat players at the start, fitness ``1 - s + s * payoff``,
    ``repetitions`` of the round robin that estimates the payoffs."""

    continuation: float = Field(default=0.5, gt=0.0, lt=1.0)
    population: int = Field(default=30, ge=2)
    reciprocators: int = Field(default=29, ge=1)
    selection: float = Field(default=1.0, ge=0.0, le=1.0)
    repetitions: int = Field(default=200, ge=1)


class IndirectParams(_Section):
    """Indirect reciprocity: reputation known with probability ``observe`` (q), an
    ``assessment`` rule, a population of ``population`` with ``defectors`` and
    ``cooperators`` (the rest discriminators), ``rounds`` per generation, imitation
    strength ``selection``."""

    observe: float = Field(default=0.5, ge=0.0, le=1.0)
    assessment: Assessment = "standing"
    population: int = Field(default=50, ge=2)
    defectors: int = Field(default=2, ge=0)
    cooperators: int = Field(default=0, ge=0)
    rounds: int = Field(default=100, ge=1)
    selection: float = Field(default=5.0, ge=0.0)


class NetworkParams(_Section):
    """Network reciprocity: ``graph`` (ring, lattice, random-regular, small-world) of
    ``population`` nodes and ``degree``, ``rewire`` for small-world, selection delta."""

    graph: Graph = "ring"
    degree: int = Field(default=4, ge=2)
    population: int = Field(default=24, ge=4)
    rewire: float = Field(default=0.1, ge=0.0, le=1.0)
    selection: float = Field(default=0.02, ge=0.0, le=1.0)


class GroupParams(_Section):
    """Group selection: ``groups`` m, ``group_size`` n, ``split`` probability q of an
    overfull group splitting, selection w."""

    groups: int = Field(default=6, ge=3)
    group_size: int = Field(default=8, ge=3)
    split: float = Field(default=0.02, gt=0.0, le=1.0)
    selection: float = Field(default=0.1, ge=0.0, le=1.0)


class FiveRulesParams(_Section):
    """Parameters of the ``five-rules`` model (unknown keys are errors).

    Attributes:
        rule: ``direct``, ``indirect``, ``network`` or ``group``.
        benefit, cost: the donation game's b and c (b > c > 0).
        runs: independent populations behind each fixation estimate.
        direct, indirect, network, group: each rule's own settings.
    """

    rule: Rule = "network"
    benefit: float = Field(default=2.0, gt=0.0)
    cost: float = Field(default=1.0, gt=0.0)
    runs: int = Field(default=1000, ge=1)
    direct: DirectParams = DirectParams()
    indirect: IndirectParams = IndirectParams()
    network: NetworkParams = NetworkParams()
    group: GroupParams = GroupParams()

    @model_validator(mode="after")
    def _consistent(self) -> FiveRulesParams:
        from longgame.errors import InputError
        from longgame.games import donation_game

        problems: list[str] = []
        try:
            donation_game(b=self.benefit, c=self.cost)
        except InputError as exc:
            problems.extend(exc.problems)
        if self.direct.reciprocators > self.direct.population:
            problems.append(
                f"direct.reciprocators={self.direct.reciprocators} exceeds direct.population="
                f"{self.direct.population}; expected at most the population"
            )
        ind = self.indirect
        if ind.defectors + ind.cooperators > ind.population:
            problems.append(
                f"indirect.defectors + indirect.cooperators = {ind.defectors + ind.cooperators}"
                f" exceeds indirect.population={ind.population}; expected at most it"
            )
        net = self.network
        if self.rule == "network":
            try:
                graph_neighbours(net.graph, net.population, net.degree, 0, net.rewire)
            except InputError as exc:
                problems.extend(exc.problems)
            lowest = 1 - net.selection - net.selection * self.cost * net.degree
            if lowest <= 0:
                problems.append(
                    f"network.selection={net.selection} makes a cooperator's fitness "
                    f"{lowest:g} <= 0; expected selection < 1/(1 + cost * degree)"
                )
        if self.rule == "group" and 1 - self.group.selection * (1 + self.cost) <= 0:
            problems.append(
                f"group.selection={self.group.selection} makes fitness <= 0; expected "
                "selection < 1/(1 + cost)"
            )
        if problems:
            raise ValueError("; ".join(problems))
        return self


def indirect_threshold(population: int, observe: float) -> float:
    """The b/c above which a lone defector earns less than the discriminators around it,
    in a well-mixed population of N with reputations known with probability q:
    ``(1 - q a) / (q - a)`` with a = 1/(N - 1) (infinite when q <= a); 1/q as N grows.

    From the residents' payoff ``(b - c)(1 - a) - c a (1 - q)`` against the defector's
    ``b (1 - q)`` (Nowak 2006's condition q > c/b with the finite-N correction).

    >>> indirect_threshold(10**9, 0.5), round(indirect_threshold(50, 0.5), 4)
    (2.0, 2.0638)
    """
    a = 1.0 / (population - 1)
    return float("inf") if observe <= a else (1 - observe * a) / (observe - a)


def _rows(
    rows: list[tuple[int, str, str, float]], share: Any, final: dict[str, float], steps: int
) -> None:
    series = np.asarray(share, dtype=np.float64)
    rows.extend(
        (t, "cooperators", "share", float(series[min(t, series.size - 1)]))
        for t in range(1, steps + 1)
    )
    rows.extend((max(steps, 1), "cooperators", m, float(v)) for m, v in final.items())


def simulate(params: FiveRulesParams, steps: int, rng: np.random.Generator) -> RunOutput:
    """Run one rule at one benefit: the share series and the fixation outcome.

    >>> out = simulate(FiveRulesParams(rule="group", benefit=6, runs=200), 5,
    ...                np.random.default_rng(0))
    >>> sorted(set(out.metrics.metric))  # doctest: +NORMALIZE_WHITESPACE
    ['advantage', 'fixation', 'neutral', 'share', 'threshold', 'threshold_large_n']
    """
    import pandas as pd

    b, c, runs = params.benefit, params.cost, params.runs
    rows: list[tuple[int, str, str, float]] = []
    final: dict[str, float]
    if params.rule == "direct":
        from longgame.models.population._direct import direct_reciprocity

        d = params.direct
        out = direct_reciprocity(
            b,
            c,
            continuation=d.continuation,
            population=d.population,
            reciprocators=d.reciprocators,
            selection=d.selection,
            repetitions=d.repetitions,
            runs=runs,
            steps=steps,
            rng=rng,
        )
        final = {
            "fixation": out.probability,
            "neutral": out.initial,
            "threshold": 1.0 / d.continuation,
            "threshold_large_n": 1.0 / d.continuation,
        }
        share: Any = out.share
    elif params.rule == "indirect":
        ind = params.indirect
        counts = (ind.population - ind.defectors - ind.cooperators, ind.cooperators, ind.defectors)
        res = indirect_reciprocity(
            counts,
            b,
            c,
            observe=ind.observe,
            assessment=ind.assessment,
            rounds=ind.rounds,
            selection=ind.selection,
            runs=runs,
            steps=steps,
            rng=rng,
        )
        final = {
            "fixation": float(res.probability[0]),
            "neutral": float(res.initial[0]),
            "threshold": indirect_threshold(ind.population, ind.observe),
            "threshold_large_n": 1.0 / ind.observe if ind.observe > 0 else float("inf"),
            "payoff_gap": float(res.payoff[0] - res.payoff[2]),
            "gifts": res.cooperation,
        }
        share = res.shares[:, 0] + res.shares[:, 1]
    elif params.rule == "network":
        net = params.network
        nb = graph_neighbours(net.graph, net.population, net.degree, rng, net.rewire)
        est = network_fixation(nb, b, c, selection=net.selection, runs=runs, steps=steps, rng=rng)
        final = {
            "fixation": est.probability,
            "neutral": 1.0 / net.population,
            "threshold": network_threshold(net.population, net.degree),
            "threshold_large_n": float(net.degree),
        }
        share = est.share
    else:
        g = params.group
        gres = group_fixation(
            g.groups,
            g.group_size,
            b,
            c,
            selection=g.selection,
            split=g.split,
            runs=runs,
            steps=steps,
            rng=rng,
        )
        final = {
            "fixation": gres.probability,
            "neutral": 1.0 / gres.population,
            "threshold": group_threshold(g.groups, g.group_size),
            "threshold_large_n": 1.0 + g.group_size / g.groups,
        }
        share = gres.share
    final["advantage"] = final["fixation"] / final["neutral"]
    _rows(rows, share, final, steps)
    return RunOutput(metrics=pd.DataFrame(rows, columns=["step", "group", "metric", "value"]))


def quick(raw: dict[str, Any]) -> dict[str, Any]:
    """``--quick`` keeps every setting: the runner's shorter ``steps`` shorten only the
    share series, and the fixation estimates (the answer) run to absorption regardless.

    >>> quick({"rule": "group", "runs": 500})
    {'rule': 'group', 'runs': 500}
    """
    return dict(raw)


def cost(params: FiveRulesParams, steps: int) -> RunCost:
    """Rough peak memory and work of one run (fixation runs x population x their length)."""
    n = {
        "direct": params.direct.population,
        "indirect": params.indirect.population,
        "network": params.network.population,
        "group": params.group.groups * params.group.group_size,
    }[params.rule]
    per_run = {
        "direct": n * n,
        "indirect": n * params.indirect.rounds * 50,
        "network": n**3,
        "group": n**2 / params.group.split,
    }[params.rule]
    terms = {"runs": params.runs * n * 64, "steps": steps * 8 * METRIC_ROW_BYTES}
    return RunCost(
        memory=sum(terms.values()) + 100 * 2**20,
        work=int(params.runs * per_run),
        driver=max(terms, key=lambda k: terms[k]),
    )


SPEC = ModelSpec(
    name="five-rules",
    description="Nowak's rules for cooperation: direct, indirect, network and group "
    "reciprocity, each against its closed-form threshold.",
    params=FiveRulesParams,
    simulate=simulate,
    quick=quick,
    cost=cost,
)
