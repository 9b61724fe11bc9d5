"""The names of the figure kinds, with no plotting code: the bottom layer's catalog.

A config's ``[outputs] figures`` list is checked against these names by the runner
without importing matplotlib; :mod:`longgame.plots` maps each name to its drawing
function (a test keeps the two in step).
"""

from __future__ import annotations

__all__ = ["FIGURE_NAMES"]

#: Figure kinds by the name used in a config's ``[outputs] figures`` list, in the order
#: they are drawn and shown in the report.
FIGURE_NAMES: tuple[str, ...] = (
    "story",
    "long-run",
    "cumulative-profit",
    "heatmap",
    "survival",
    "retention",
    "shares",
    "learning",
    "learning-phase",
    "payoff-matrix",
    "belief-over-time",
    "milker-rating",
    "ladder-by-pace",
    "five-rules",
    "cooperator-share",
)
