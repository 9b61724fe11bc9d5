"""Cooperation beyond the well-mixed population: Nowak's (2006) rules as vectorised
population engines, each checked against its closed-form threshold.

- :func:`indirect_reciprocity`: reputations (image scoring, standing, stern judging)
  known with probability q; discriminators resist defectors iff q > c/b.
- :func:`network_fixation`: the donation game on a graph, death-birth updating;
  cooperation favoured iff b/c > (N - 2)/(N/k - 2) (-> k for large N).
- :func:`group_fixation`: groups that split (Traulsen & Nowak 2006); favoured iff
  b/c > 1 + n/(m - 2) (~ 1 + n/m).
- :func:`direct_reciprocity`: tit for tat vs always-defect through the tournament model;
  favoured iff w > c/b.

Each runs many independent populations at once as numpy arrays. The ``five-rules``
model (:data:`SPEC`) runs any of them from a config.
"""

from __future__ import annotations

from longgame.models.population._direct import DirectOutcome, direct_reciprocity
from longgame.models.population._groups import GroupFixation, group_fixation, group_threshold
from longgame.models.population._indirect import (
    ASSESSMENTS,
    IndirectOutcome,
    indirect_reciprocity,
)
from longgame.models.population._network import (
    Graph,
    NetworkFixation,
    graph_neighbours,
    network_fixation,
    network_threshold,
    weak_threshold_estimate,
)
from longgame.models.population._spec import SPEC, FiveRulesParams, indirect_threshold, simulate

__all__ = [
    "ASSESSMENTS",
    "SPEC",
    "DirectOutcome",
    "FiveRulesParams",
    "Graph",
    "GroupFixation",
    "IndirectOutcome",
    "NetworkFixation",
    "direct_reciprocity",
    "graph_neighbours",
    "group_fixation",
    "group_threshold",
    "indirect_reciprocity",
    "indirect_threshold",
    "network_fixation",
    "network_threshold",
    "simulate",
    "weak_threshold_estimate",
]
