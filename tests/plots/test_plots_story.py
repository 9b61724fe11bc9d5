"""The story figure and sentence: the crossover per replicate, its median and spread,
and honest words when there is no crossover or too few replicates."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from synthetic_results import write_results

from longgame.plots import FIGURE_KINDS, draw_figures
from longgame.plots._load import load
from longgame.plots.story import (
    Crossover,
    crossover_period,
    story,
    story_numbers,
    story_sentence,
)


def _folder(
    tmp_path: Path,
    crossings: Sequence[float],
    steps: int = 60,
    leader: str = "fleecer",
    other: str = "fair-dealer",
) -> Path:
    """A market folder whose replicate r has ``leader`` ahead in cumulative profit up to
    period ``crossings[r] - 1`` and behind from ``crossings[r]`` on (a crossing beyond
    ``steps`` means still ahead at the end; 0 means never ahead)."""
    step = np.arange(1, steps + 1)
    runs = []
    for rep, cross in enumerate(crossings):
        lead = 100.0 + 2.0 * step
        # other - leader = step - cross + 0.5: negative before the crossing, then positive
        honest = lead + (step - cross + 0.5)
        frames = [
            pd.DataFrame({"step": step, "group": g, "metric": "cumulative_profit", "value": v})
            for g, v in ((leader, lead), (other, honest))
        ]
        runs.append(({}, rep, pd.concat(frames, ignore_index=True), {}))
    config = {
        "experiment": {
            "name": "crossing",
            "model": "market",
            "steps": steps,
            "replicates": len(crossings),
            "seed": 1,
        },
        "parameters": {"customers": 100},
    }
    return write_results(tmp_path / "crossing", config, runs)


@pytest.mark.parametrize(
    ("diff", "expected"),
    [
        ([0, 3, 2, -1, -2], ("crossed", 4)),
        ([0, 3, -2, 1, -2], ("crossed", 5)),  # ahead again at 4: behind for good from 5
        ([0, 0, -1, -3], ("never-led", None)),  # level at the start is no lead
        ([2, 1, -1, 0], ("no-crossover", None)),  # level at the end: not behind
        ([2, 1, 1, 3], ("no-crossover", None)),
    ],
)
def test_crossover_period_of_one_run(diff: list[float], expected: tuple[str, int | None]) -> None:
    """The crossover is the first period from which the leader stays behind to the end."""
    steps = list(range(1, len(diff) + 1))
    assert crossover_period(steps, diff) == expected


def test_median_and_range_over_replicates(tmp_path: Path) -> None:
    """Crossings at 5, 7, 9, 11 and 13 give median 9 and range 5-13, said in words."""
    numbers = story_numbers(load(_folder(tmp_path, [5, 7, 9, 11, 13])))
    assert numbers is not None
    assert (numbers.leader, numbers.other) == ("fleecer", "fair-dealer")
    assert numbers.crossed == (5, 7, 9, 11, 13)
    assert numbers.median == 9.0
    assert numbers.spread == (5.0, 13.0)
    assert numbers.last_step == 60
    # at period 60 the fair dealer has 60 - mean(crossings) + 0.5 = 51.5 more
    assert numbers.totals["fair-dealer"] - numbers.totals["fleecer"] == pytest.approx(51.5)
    sentence = story_sentence(numbers)
    assert sentence.startswith(
        "Fleecers led fair dealers in cumulative profit at first, but fell behind for good "
        "in period 9 (median; 5-13 across the 5 replicates); by period 60 fair dealers had "
        "earned 1.2x as much (272 vs 220 per seller)."
    )
    assert "too few" not in sentence


def test_replicates_without_crossover_are_counted(tmp_path: Path) -> None:
    """Runs still ahead at the end or never ahead are named, not dropped silently."""
    numbers = story_numbers(load(_folder(tmp_path, [4, 6, 8, 100, 0])))
    assert numbers is not None
    assert numbers.crossed == (4, 6, 8)
    assert (numbers.no_crossover, numbers.never_led) == (1, 1)
    sentence = story_sentence(numbers)
    assert "period 6 (median; 4-8 across the 3 replicates that crossed)" in sentence
    assert "no crossover in 2 of 5 replicates" in sentence
    assert "still ahead or level at period 60 in 1" in sentence
    assert "never ahead in 1" in sentence


def test_no_crossover_anywhere_is_said(tmp_path: Path) -> None:
    """A leader ahead to the end in every run gets "No crossover", and the title says so."""
    (chart,) = story(load(_folder(tmp_path, [500, 500, 500])))
    assert chart.headline.startswith(
        "No crossover: fleecers were still ahead of (or level with) fair dealers in "
        "cumulative profit at period 60 in all 3 replicates"
    )
    assert chart.title == "Fleecers still ahead of fair dealers after 60 periods"
    assert "crossover" not in [t.get_label() for t in chart.figure.legends[0].texts]


def test_never_ahead_is_said(tmp_path: Path) -> None:
    """A fleecer behind from the start is "never ahead", with no crossover marked."""
    numbers = story_numbers(load(_folder(tmp_path, [0, 0, 0])))
    assert numbers is not None
    assert story_sentence(numbers).startswith(
        "Fleecers were never ahead of fair dealers in cumulative profit in any of the 3 replicates"
    )


def test_too_few_replicates_give_no_range(tmp_path: Path) -> None:
    """With two replicates the two periods are named and the sentence warns."""
    numbers = story_numbers(load(_folder(tmp_path, [6, 10])))
    assert numbers is not None
    assert numbers.spread is None
    sentence = story_sentence(numbers)
    assert "in period 8 (periods 6 and 10 in both replicates)" in sentence
    assert "Only 2 replicates: too few to say how much this varies" in sentence


def test_many_replicates_give_the_central_90_percent() -> None:
    """From 20 crossing runs on, one odd replicate no longer stretches the spread."""
    crossed = tuple([10] * 19 + [40])
    c = Crossover("fleecer", "fair-dealer", {}, 20, crossed, 0, 0, 100)
    low, high = c.spread or (0.0, 0.0)
    assert low == 10.0
    assert high == pytest.approx(np.percentile(crossed, 95))
    assert high < 40.0
    assert "90% of the 20 replicates between 10 and" in story_sentence(c)


def test_figure_zooms_on_the_lead_and_marks_the_crossover(tmp_path: Path) -> None:
    """An early crossover in a long run: a zoomed panel beside the whole run, the
    crossover line at the median in both, and the lead shaded in the zoom."""
    (chart,) = story(load(_folder(tmp_path, [5, 7, 9, 11, 13], steps=200)))
    left, right = chart.figure.axes
    assert left.get_xlim()[1] < 40 < right.get_xlim()[1] == 200
    for ax in (left, right):
        verticals = [
            line.get_xdata()[0]
            for line in ax.lines
            if len(set(np.atleast_1d(line.get_xdata()))) == 1
        ]
        assert verticals == [9.0]
    # the shaded lead: a filled area of the leader's colour ending at the crossing
    shaded = [c for c in left.collections if c.get_paths() and len(c.get_paths()[0].vertices)]
    assert shaded
    assert chart.title == "Fleecers ahead at first, behind fair dealers for good from period 9"
    assert chart.caption.startswith(chart.headline)


def test_short_run_gets_one_panel(tmp_path: Path) -> None:
    """When the zoom would cover most of the run, the whole run is the only panel."""
    (chart,) = story(load(_folder(tmp_path, [8, 9, 10], steps=20)))
    assert len(chart.figure.axes) == 1


def test_other_pairs_are_told_by_who_ends_ahead(tmp_path: Path) -> None:
    """Without a fleecer, the story compares the final winner and the group that led it."""
    folder = _folder(tmp_path, [5, 6, 7], leader="stop-loss-investor", other="walk-away")
    numbers = story_numbers(load(folder))
    assert numbers is not None
    assert (numbers.leader, numbers.other) == ("stop-loss-investor", "walk-away")
    assert numbers.median == 6.0


def test_story_is_the_first_figure(market_dir: Path) -> None:
    """The catalog lists the story first, so the figures and report open with it."""
    assert next(iter(FIGURE_KINDS)) == "story"
    charts = draw_figures(load(market_dir))
    assert charts[0].name == "story"
    # a story told at one sweep setting names it
    assert charts[0].headline.startswith("With repeat-purchase probability at 0.95: fleecers ")


def test_no_story_without_a_market_time_series(tournament_dir: Path) -> None:
    """A tournament has no cumulative profit: no story figure, nothing drawn empty."""
    assert story(load(tournament_dir)) == []


def test_cumulative_profit_is_derived_once_per_results(
    market_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The story figure and its numbers share one derivation of cumulative profit per
    loaded results, and a second results object derives its own."""
    import sys

    story_module = sys.modules["longgame.plots.story"]  # the package's `story` is the figure
    calls: list[object] = []
    derive = story_module._cumulative_rows

    def counting(results: object) -> pd.DataFrame:
        calls.append(results)
        return derive(results)  # type: ignore[arg-type]

    monkeypatch.setattr(story_module, "_cumulative_rows", counting)
    results = load(market_dir)
    assert story_module.story_numbers(results) is not None
    charts = draw_figures(results, ["story"])
    assert [c.name for c in charts] == ["story"]
    assert calls == [results]
    draw_figures(load(market_dir), ["story"])
    assert len(calls) == 2
