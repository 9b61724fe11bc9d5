"""The five-rules figures, drawn from real (small) runs of the ``five-rules`` model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from longgame.experiments import load_results
from longgame.plots import cooperator_share, five_rules_thresholds


def test_threshold_figure_has_a_panel_per_rule_with_its_closed_form_threshold(
    five_rules_dir: Path,
) -> None:
    """Each rule's panel draws the simulated advantage at both benefits and a dashed
    vertical line at the finite-population threshold stored with its runs."""
    results = load_results(five_rules_dir)
    (chart,) = five_rules_thresholds(results)
    axes = chart.figure.axes
    assert len(axes) == 4
    assert len({ax.get_title() for ax in axes}) == 4  # a titled panel per rule
    summary = results.summary
    stored = summary[summary["metric"] == "threshold"]
    for ax in axes:
        simulated = [line for line in ax.get_lines() if line.get_label() == "simulated"]
        assert len(simulated) == 1
        assert list(np.asarray(simulated[0].get_xdata(), dtype=float)) == [1.5, 8.0]
        dashed = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
        assert len(dashed) == 1
        x = float(np.asarray(dashed[0].get_xdata(), dtype=float)[0])
        assert np.isclose(stored["mean"], x).any()  # the stored threshold, not a constant


def test_share_figure_draws_one_line_per_benefit_per_rule(five_rules_dir: Path) -> None:
    """The cooperator-share figure has four panels, each with a line for b/c 1.5 and 8."""
    (chart,) = cooperator_share(load_results(five_rules_dir))
    assert len(chart.figure.axes) == 4
    for ax in chart.figure.axes:
        labels = sorted(line.get_label() for line in ax.get_lines())
        assert labels == ["b/c = 1.5", "b/c = 8"]


def test_five_rules_figures_skip_other_models(market_dir: Path) -> None:
    """A market results folder draws neither five-rules figure."""
    results = load_results(market_dir)
    assert five_rules_thresholds(results) == []
    assert cooperator_share(results) == []
    assert isinstance(results.summary, pd.DataFrame)
