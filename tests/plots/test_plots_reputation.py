"""Figures of beliefs, the milker and the ladder by disclosure pace, from real market runs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.fixtures.synthetic_results import make_reputation

from longgame.plots import belief_over_time, ladder_by_pace, milker_rating
from longgame.plots._load import load


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, Path]:
    base = tmp_path_factory.mktemp("reputation")
    return {on: make_reputation(base / ("on" if on else "off"), on) for on in (True, False)}


def test_belief_figure_draws_belief_and_truth_per_group(folders: dict[bool, Path]) -> None:
    """One chart; each group has a solid belief line and a dashed truth line, and the
    fleecer's truth line is 0 and the honest seller's 1."""
    charts = belief_over_time(load(folders[True]))
    assert [c.name for c in charts] == ["belief-over-time"]
    lines = charts[0].figure.axes[0].get_lines()
    dashed = [ln for ln in lines if ln.get_linestyle() == "--"]
    assert len(dashed) == 3
    assert len(lines) - len(dashed) == 3
    truth_levels = sorted(round(float(np.nanmean(ln.get_ydata())), 2) for ln in dashed)
    assert truth_levels[0] == 0.0
    assert truth_levels[-1] == 1.0


def test_milker_figure_shows_rating_with_threshold_and_profit(folders: dict[bool, Path]) -> None:
    """Two stacked panels: the milker's rating with its own threshold (0.75), its profit."""
    charts = milker_rating(load(folders[True]))
    assert [c.name for c in charts] == ["milker-rating"]
    top = charts[0].figure.axes[0]
    levels = {float(ln.get_ydata()[0]) for ln in top.get_lines() if ln.get_linestyle() == ":"}
    assert levels == {0.75}
    assert top.get_ylabel() == "Public rating"


def test_ladder_figure_and_no_figures_without_the_mechanisms(folders: dict[bool, Path]) -> None:
    """The ladder figure is drawn with disclosure on; with both mechanisms off none of
    the three figures is drawn (never an empty chart)."""
    assert [c.name for c in ladder_by_pace(load(folders[True]))] == ["ladder-by-pace"]
    off = load(folders[False])
    assert belief_over_time(off) == []
    assert milker_rating(off) == []
    assert ladder_by_pace(off) == []
